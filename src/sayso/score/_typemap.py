"""``--type-map FILE``: rename mention types before scoring, to compare across corpora.

The file is JSON (issue 8)::

    {
      "format": "sayso-type-map/1",
      "description": "OntoNotes-style system output scored on SaySo",
      "pred": {"PERSON": "PER", "WORK_OF_ART": null},
      "gold": {"NORP": null}
    }

``pred`` applies to predicted mentions, ``gold`` to gold mentions. A value is a
``mention_type`` label of ``labels.json`` or null, which leaves mentions of that type out of
the mentions layer (they stay available as attribution sources and stance participants).
Types not listed are kept as they are (and must then be labels). Many-to-one is allowed.
The map's digest goes into the signature.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..labels import label_names

__all__ = ["TypeMap", "TypeMapError", "load_type_map", "parse_type_map"]

FORMAT = "sayso-type-map/1"


class TypeMapError(ValueError):
    """A type map file that cannot be used; the message says why."""


@dataclass(frozen=True)
class TypeMap:
    """Mention-type renamings for each side, and a digest naming the map in signatures."""

    gold: dict[str, str | None] = field(default_factory=dict)
    pred: dict[str, str | None] = field(default_factory=dict)
    description: str = ""
    digest: str = "none"


def parse_type_map(data: Any) -> TypeMap:
    """Check and build a :class:`TypeMap` from the parsed JSON of a type map file."""
    if not isinstance(data, dict):
        raise TypeMapError("a type map is a JSON object")
    unknown = sorted(set(data) - {"format", "description", "gold", "pred"})
    if unknown:
        raise TypeMapError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; expected format, description, gold, pred"
        )
    if data.get("format") != FORMAT:
        raise TypeMapError(f'"format" must be {FORMAT!r}, not {data.get("format")!r}')
    labels = set(label_names("mention_type"))
    sides = {}
    for side in ("gold", "pred"):
        mapping = data.get(side, {})
        if not isinstance(mapping, dict):
            raise TypeMapError(f"{side!r} must map type names to a mention_type label or null")
        for source, target in mapping.items():
            if target is not None and target not in labels:
                raise TypeMapError(
                    f"{side}: {source!r} maps to {target!r}, which is not a mention_type label "
                    f"({', '.join(sorted(labels))}) or null"
                )
        sides[side] = dict(mapping)
    if not sides["gold"] and not sides["pred"]:
        raise TypeMapError('the map renames nothing: give "gold" and/or "pred"')
    description = data.get("description", "")
    if not isinstance(description, str):
        raise TypeMapError('"description" must be a string')
    canonical = json.dumps(
        {"gold": sides["gold"], "pred": sides["pred"]}, sort_keys=True, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]
    return TypeMap(gold=sides["gold"], pred=sides["pred"], description=description, digest=digest)


def load_type_map(path: str | Path) -> TypeMap:
    """Read a type map file; raises :class:`TypeMapError` with a clear message."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TypeMapError(f"cannot read it: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TypeMapError(f"not valid JSON: {exc}") from exc
    return parse_type_map(data)
