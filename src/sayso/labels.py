"""The label inventory, read from ``schema/labels.json`` shipped inside the package.

``labels.json`` is the one place label lists live; everything else (JSON Schema enums,
the Label Studio config, Hugging Face ``ClassLabel``s, the guidelines' tables) is generated
from or checked against it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["schema_text", "labels", "label_names", "definitions", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1.0"


def schema_text(name: str) -> str:
    """Return the text of a file shipped in the package's ``schema`` folder.

    >>> "mention_type" in schema_text("labels.json")
    True
    """
    return resources.files("sayso.schema").joinpath(name).read_text(encoding="utf-8")


@cache
def labels() -> dict[str, Any]:
    """The parsed ``labels.json``."""
    return json.loads(schema_text("labels.json"))


@cache
def label_names(layer: str) -> tuple[str, ...]:
    """The labels of one layer, in their declared order.

    >>> label_names("polarity")
    ('support', 'oppose', 'neutral')
    """
    return tuple(entry["label"] for entry in labels()["layers"][layer]["labels"])


def definitions(layer: str) -> dict[str, str]:
    """Map each label of ``layer`` to its one-line definition."""
    return {entry["label"]: entry["definition"] for entry in labels()["layers"][layer]["labels"]}
