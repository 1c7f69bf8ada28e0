"""Sanity systems: ``empty`` (predicts nothing; scores 0 wherever a score is defined) and ``gold``
(copies the gold annotation; scores 1.0 everywhere). They check the scorer end to end.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["EmptySystem", "GoldSystem", "LAYERS"]

LAYERS = ("mentions", "entities", "attributions", "stances")


class EmptySystem:
    """Every layer present and empty, so each layer is scored (as 0), not skipped as absent."""

    name = "empty"

    def predict(self, docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for doc in docs:
            yield {"id": doc["id"], **{layer: [] for layer in LAYERS}}


class GoldSystem:
    """The input's own annotation layers (the one system that reads more than ``id`` and ``text``)."""

    name = "gold"

    def predict(self, docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for doc in docs:
            yield {"id": doc["id"], **{layer: copy.deepcopy(doc.get(layer) or []) for layer in LAYERS}}
