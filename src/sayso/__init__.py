"""SaySo: who says what about whom in news.

A corpus schema for entities, typed attributions and stances, with the tools that
validate annotations and score extraction systems against them.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
