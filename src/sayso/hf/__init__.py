"""The Hugging Face dataset: features, Parquet build, dataset card, statistics and publishing.

Submodules are imported on demand so that importing this package stays light (pyarrow, yaml and
huggingface_hub are loaded only by the functions that need them):

- :mod:`sayso.hf.build`: ``render`` the Hub layout of ``corpus/`` in memory, ``write`` or ``compare`` it;
- :mod:`sayso.hf.card`: the dataset card's generated front matter and sections;
- :mod:`sayso.hf.stats`: per-split corpus statistics (``sayso stats``);
- :mod:`sayso.hf.publish`: the upload allow-list and the upload itself;
- :mod:`sayso.hf.synthetic`: schema-valid synthetic documents for tests and benchmarks.

The configs and their features are generated from ``schema/labels.json``
(:func:`sayso.hf._features.features`); ``row_to_document`` turns a ``documents`` row back into
the schema document it came from.
"""

from __future__ import annotations

from ._features import CONFIGS, DEFAULT_CONFIG
from ._rows import row_to_document

__all__ = ["CONFIGS", "DEFAULT_CONFIG", "row_to_document"]
