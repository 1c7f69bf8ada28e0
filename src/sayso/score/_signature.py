"""Signatures: every setting that changes a number, in a fixed order, version last.

Built from explicit fields (never from an object's ``__dict__``), as sacreBLEU does::

    sayso|schema:1.0|gold:3f2a9c01d4|split:test|docs:40|mentions:nam|match:strict|typemap:none|bs:1000|seed:12345|version:0.1.0
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import __version__
from ..labels import SCHEMA_VERSION

__all__ = ["Settings", "signature", "SIGNATURE_FIELDS"]

SIGNATURE_FIELDS = (
    "schema",
    "gold",
    "split",
    "docs",
    "mentions",
    "match",
    "typemap",
    "bs",
    "seed",
    "test",
    "version",
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What a score depends on besides the two sets of documents."""

    gold: str = "unknown"  # digest of the gold documents scored (see score.gold_digest)
    split: str | None = None  # None: every gold document given
    docs: int = 0
    mentions: str = "nam"  # "nam" (named mentions only) or "all"
    typemap: str = "none"  # digest of the --type-map file
    bootstrap: int = 0
    seed: int | None = None
    test: str | None = None  # paired tests: "paired-bs+ar:<trials>"


def signature(s: Settings) -> str:
    """The signature string of ``s`` (fields in :data:`SIGNATURE_FIELDS` order, version last).

    >>> signature(Settings(gold="abc", split="test", docs=3))
    'sayso|schema:1.0|gold:abc|split:test|docs:3|mentions:nam|match:strict|typemap:none|bs:0|seed:none|version:0.1.0'
    """
    values = {
        "schema": SCHEMA_VERSION,
        "gold": s.gold,
        "split": s.split or "all",
        "docs": str(s.docs),
        "mentions": s.mentions,
        "match": "strict",  # the headline mention figure
        "typemap": s.typemap,
        "bs": str(s.bootstrap),
        "seed": "none" if s.seed is None or not (s.bootstrap or s.test) else str(s.seed),
        "test": s.test,
        "version": __version__,
    }
    return "|".join(["sayso"] + [f"{k}:{values[k]}" for k in SIGNATURE_FIELDS if values[k] is not None])
