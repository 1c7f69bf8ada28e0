"""The JSON Schemas: generated from labels.json, valid 2020-12, and the compiled fast check agrees."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sayso import _schemagen
from sayso._codes import SCHEMA_KEYWORD_CODES
from sayso._fastschema import SUPPORTED_KEYWORDS, compile_schema
from sayso.labels import label_names, schema_text
from sayso.validate import _validators

ROOT = Path(__file__).resolve().parent.parent
VALID = ROOT / "tests" / "fixtures" / "valid"


@pytest.mark.parametrize("name", _schemagen.SCHEMA_FILES)
def test_committed_schema_is_up_to_date(name: str) -> None:
    committed = (ROOT / "schema" / name).read_text(encoding="utf-8")
    assert committed == _schemagen.render(name), (
        f"schema/{name} is stale: run python -m sayso._schemagen schema/"
    )


@pytest.mark.parametrize("name", _schemagen.SCHEMA_FILES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = json.loads(schema_text(name))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _keywords(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    _keywords(sub, found)
            elif key not in ("enum", "required"):
                _keywords(value, found)
    return found


def test_every_keyword_is_compiled_and_has_a_code() -> None:
    used: set[str] = set()
    for name in _schemagen.SCHEMA_FILES:
        used |= _keywords(json.loads(schema_text(name)), set())
    assert used <= SUPPORTED_KEYWORDS
    annotations = {"$schema", "$id", "title", "description", "$defs", "$ref", "properties", "items"}
    assert used - annotations == set(SCHEMA_KEYWORD_CODES)


def test_enums_come_from_labels_json() -> None:
    schema = json.loads(schema_text("document.schema.json"))
    defs = schema["$defs"]
    assert defs["mention"]["properties"]["type"]["enum"] == list(label_names("mention_type"))
    assert defs["mention"]["properties"]["kind"]["enum"] == [*label_names("mention_kind"), None]
    assert defs["attribution"]["properties"]["source_type"]["enum"] == [*label_names("source_type"), None]
    assert defs["stance"]["properties"]["polarity"]["enum"] == list(label_names("polarity"))
    assert defs["meta"]["properties"]["phenomena"]["items"]["enum"] == list(label_names("phenomena"))
    assert defs["meta"]["properties"]["register"]["enum"] == list(label_names("register"))
    assert defs["meta"]["properties"]["beat"]["enum"] == [*label_names("beat"), None]


def test_document_requires_every_layer_and_meta_key() -> None:
    schema = json.loads(schema_text("document.schema.json"))
    assert schema["required"] == [
        "id",
        "schema_version",
        "meta",
        "text",
        "mentions",
        "entities",
        "attributions",
        "stances",
    ]
    assert schema["$defs"]["meta"]["required"] == [
        "title",
        "outlet",
        "published",
        "language",
        "url",
        "license",
        "beat",
        "phenomena",
    ]
    assert sorted(schema["$defs"]["meta"]["properties"]) == sorted(
        [
            "title",
            "outlet",
            "published",
            "language",
            "url",
            "license",
            "beat",
            "phenomena",
            "register",
            "annotator",
            "annotation_id",
            "source",
            "credit",
        ]
    )
    submission = json.loads(schema_text("submission.schema.json"))
    assert submission["required"] == ["id"]
    # meta is accepted (a gold file scored as a prediction carries it) and not constrained
    assert submission["properties"]["meta"] == {"type": "object"}


# Values a mutation may put anywhere: wrong types, near-miss labels, edge numbers.
_ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1.0,
    2.5,
    "",
    "x",
    "PER",
    "NAM",
    "Q1",
    "Q0",
    "1.0",
    "2.0",
    "2026-13-01",
    "2026-02-03",
    "en",
    "EN",
    [],
    ["x"],
    ["nested-attribution"],
    ["nested-attribution", "nested-attribution"],
    {},
    {"start": 0, "end": 1},
    {"start": 1, "end": 0, "text": "a"},
    {"start": "0", "end": 1},
    {"start": 0},
]


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _mutate(doc: Any, rng: random.Random) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice((1, 1, 1, 2))):
        path = rng.choice(_paths(doc))
        if not path:
            if rng.random() < 0.1:
                return rng.choice(_ODD_VALUES)
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.2 and isinstance(parent, dict):
            del parent[path[-1]]
        elif action < 0.3 and isinstance(parent, dict):
            parent[rng.choice(["extra", "Type", "id", "text", "note"])] = rng.choice(_ODD_VALUES)
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(_ODD_VALUES))
    return doc


@pytest.mark.parametrize(
    ("kind", "fixture"),
    [
        ("document", "document.json"),
        ("document", "imported.json"),
        ("submission", "document.json"),
    ],
)
def test_fast_check_agrees_with_jsonschema_on_mutations(kind: str, fixture: str) -> None:
    fast, validator = _validators(kind)
    base = json.loads((VALID / fixture).read_text(encoding="utf-8"))
    if kind == "submission":
        base = {key: base[key] for key in ("id", "text", "mentions", "entities", "attributions", "stances")}
    rng = random.Random(20260302)
    verdicts = {True: 0, False: 0}
    for _ in range(1500):
        doc = _mutate(base, rng)
        expected = validator.is_valid(doc)
        assert fast(doc) == expected, json.dumps(doc)[:300]
        verdicts[expected] += 1
    # The mutations must exercise both answers, or the test proves nothing.
    assert verdicts[True] > 50 and verdicts[False] > 500


def test_fast_check_refuses_unknown_keywords() -> None:
    with pytest.raises(ValueError, match="unsupported JSON Schema keywords"):
        compile_schema({"type": "object", "maxProperties": 3})


def test_float_offsets_are_not_integers() -> None:
    fast, validator = _validators("document")
    doc = json.loads((VALID / "document.json").read_text(encoding="utf-8"))
    doc["mentions"][0]["end"] = float(doc["mentions"][0]["end"])
    assert not fast(doc)
    assert [e.message for e in validator.iter_errors(doc)] == ["7.0 is not of type 'integer'"]
