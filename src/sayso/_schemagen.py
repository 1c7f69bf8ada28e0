"""Generate ``schema/document.schema.json`` and ``schema/submission.schema.json`` from ``labels.json``.

The JSON Schemas are build products: every enum comes from ``schema/labels.json`` (read through
:mod:`sayso.labels`), so a label is added in one place. The committed files are checked by a test
(``tests/test_schema.py``) to equal what this module renders; regenerate them with::

    python -m sayso._schemagen schema/

Design choices (issue 2):
- No ``anyOf``/``oneOf``: a nullable label is ``{"enum": [..., null]}`` and a nullable object is
  ``{"type": ["object", "null"], ...}``, so jsonschema's ``best_match`` points at the real problem
  instead of at a union.
- Every closed object has ``additionalProperties: false``; a typo in a field name is an error.
- Each label enum carries a ``title`` naming its ``labels.json`` layer, which the validator quotes in
  its messages ("'PERSON' is not a mention_type label").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .io import write_text_atomic
from .labels import SCHEMA_VERSION, label_names, labels

__all__ = ["document_schema", "submission_schema", "render", "SCHEMA_FILES", "main"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = ("document.schema.json", "submission.schema.json")

# Ids become file names (corpus/gold/<split>/<id>.json), so they are kept filesystem-safe.
DOC_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$"
# Any 1.x document is read by the v1 validator; a different major version is refused.
VERSION_PATTERN = r"^1\.(0|[1-9][0-9]*)$"
DATE_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
LANGUAGE_PATTERN = "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
WIKIDATA_PATTERN = "^Q[1-9][0-9]*$"


def _label(layer: str, *, nullable: bool = False) -> dict[str, Any]:
    values: list[Any] = list(label_names(layer))
    if nullable:
        values.append(None)
    return {"title": layer, "enum": values}


def _id() -> dict[str, Any]:
    return {"type": "string", "minLength": 1}


def _ref(*, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "minLength": 1}


def _span(*, nullable: bool = False) -> dict[str, Any]:
    return {
        "type": ["object", "null"] if nullable else "object",
        "required": ["start", "end"],
        "additionalProperties": False,
        "properties": {
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
            "text": {"type": "string"},
        },
    }


def _spans() -> dict[str, Any]:
    return {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/span"}}


def _record(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }


def _layer(item: str) -> dict[str, Any]:
    # null = the layer is not annotated (imported corpora); [] = annotated, nothing found.
    return {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{item}"}}


def _records(*, submission: bool) -> dict[str, dict[str, Any]]:
    """The four record types. A submission requires only what scoring needs."""
    mention = {
        "id": _id(),
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0},
        "text": {"type": "string"},
        "type": _label("mention_type"),
        "kind": _label("mention_kind", nullable=True),
        "entity": _ref(nullable=True),
    }
    entity = {
        "id": _id(),
        "name": {"type": "string"},
        "type": _label("mention_type", nullable=True),
        "wikidata": {"type": ["string", "null"], "pattern": WIKIDATA_PATTERN},
    }
    attribution = {
        "id": _id(),
        "source": _ref(nullable=True),
        "cue": _span(nullable=True),
        "content": _spans(),
        "quote": _label("quote", nullable=True),
        "via": _ref(nullable=True),
        "identity": _label("identity", nullable=True),
        "source_type": _label("source_type", nullable=True),
        "channel": _label("channel", nullable=True),
    }
    stance = {
        "id": _id(),
        "holder": _ref(),
        "target": _ref(),
        "polarity": _label("polarity"),
        "evidence": _spans(),
        "attribution": _ref(nullable=True),
    }
    if submission:
        required = {
            "mention": ["id", "start", "end", "type"],
            "entity": ["id"],
            "attribution": ["id", "content"],
            "stance": ["id", "holder", "target", "polarity"],
        }
    else:
        required = {
            "mention": ["id", "start", "end", "type", "kind", "entity"],
            "entity": ["id", "name", "type", "wikidata"],
            "attribution": list(attribution),
            "stance": list(stance),
        }
    return {
        "mention": _record(mention, required["mention"]),
        "entity": _record(entity, required["entity"]),
        "attribution": _record(attribution, required["attribution"]),
        "stance": _record(stance, required["stance"]),
    }


def _meta() -> dict[str, Any]:
    properties = {
        "title": {"type": "string"},
        "outlet": {"type": "string"},
        "published": {"type": ["string", "null"], "pattern": DATE_PATTERN},
        "language": {"type": "string", "pattern": LANGUAGE_PATTERN},
        "url": {"type": ["string", "null"]},
        "license": {"type": "string", "minLength": 1},
        # beat and phenomena are null for imported corpora that do not tag them.
        "beat": _label("beat", nullable=True),
        "phenomena": {"type": ["array", "null"], "uniqueItems": True, "items": _label("phenomena")},
        "register": _label("register"),
        # Label Studio provenance (issue 5) and imported corpora's origin (issue 8).
        "annotator": {"type": "string"},
        "annotation_id": {"type": ["integer", "string"]},
        "source": {"type": "string"},
        "credit": {"type": "string"},
    }
    required = ["title", "outlet", "published", "language", "url", "license", "beat", "phenomena"]
    return _record(properties, required)


def _schema(kind: str) -> dict[str, Any]:
    submission = kind == "submission"
    top: dict[str, Any] = {
        "id": {"type": "string", "pattern": DOC_ID_PATTERN},
        "schema_version": {"type": "string", "pattern": VERSION_PATTERN},
    }
    # A submission may carry meta (a gold file scored as a prediction does); the scorer ignores it.
    top["meta"] = {"type": "object"} if submission else {"$ref": "#/$defs/meta"}
    top["text"] = {"type": "string"}
    for layer, item in (
        ("mentions", "mention"),
        ("entities", "entity"),
        ("attributions", "attribution"),
        ("stances", "stance"),
    ):
        top[layer] = _layer(item)
    defs: dict[str, Any] = {"span": _span()}
    if not submission:
        defs["meta"] = _meta()
    defs.update(_records(submission=submission))
    title = "SaySo submission" if submission else "SaySo document"
    description = (
        "Predictions for one document: its id plus any subset of the four layers; text optional "
        "(if present it must equal the gold text)."
        if submission
        else "One news article annotated for entities, attributions and stances."
    )
    return {
        "$schema": DRAFT,
        "$id": f"urn:sayso:schema:{SCHEMA_VERSION}:{kind}",
        "title": f"{title} (schema v{SCHEMA_VERSION}, generated from labels.json)",
        "description": description,
        "type": "object",
        "required": ["id"] if submission else list(top),
        "additionalProperties": False,
        "properties": top,
        "$defs": defs,
    }


def document_schema() -> dict[str, Any]:
    """The JSON Schema of a gold document."""
    return _schema("document")


def submission_schema() -> dict[str, Any]:
    """The JSON Schema of one submitted (predicted) document."""
    return _schema("submission")


def render(name: str) -> str:
    """The exact text of the committed schema file ``name`` (one of :data:`SCHEMA_FILES`)."""
    if name not in SCHEMA_FILES:
        raise ValueError(f"unknown schema file {name!r}; expected one of {', '.join(SCHEMA_FILES)}")
    schema = document_schema() if name.startswith("document") else submission_schema()
    assert labels()["schema_version"] == SCHEMA_VERSION, "labels.json and sayso.labels disagree"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write both schema files into the folder given (default ``schema``)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "schema")
    for name in SCHEMA_FILES:
        write_text_atomic(folder / name, render(name), force=True)
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
