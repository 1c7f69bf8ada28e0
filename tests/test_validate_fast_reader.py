"""The reader's fast path gives exactly what the exact (hook-based) parse gives.

``sayso.io`` parses with the plain C decoder and looks for repeated keys only when a counting
argument cannot rule them out (``_may_repeat_keys``). These tests fuzz that shortcut against the
reference: ``json.loads`` with an ``object_pairs_hook`` that sees every object's pairs, followed
by ``duplicate_keys`` (what the reader did before), on documents built to defeat the counts:
repeated keys at every depth, colons and escaped quotes inside strings, whitespace around colons,
keys written with escapes, objects inside arrays inside objects, and non-object documents.
"""

from __future__ import annotations

import json
import random

import pytest

from sayso import io
from sayso._jsonlines import duplicate_keys, format_path

KEYS = ['"id"', '"a"', '"\\u0061"', '"b:"', '"c\\":"', '"start"', '"text"']
STRINGS = ['"x"', '":"', '"a: b"', '"\\":"', '"say \\"no\\": fine"', '"{\\"a\\": 1}"', '""', '"\\\\"']
WS = ["", " ", "\n", "\t ", "\r\n  "]


def _value(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth > 4 or roll < 0.35:
        return rng.choice([*STRINGS, "1", "-2.5", "true", "null", "0"])
    if roll < 0.65:
        return _object(rng, depth + 1)
    items = [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return "[" + ",".join(rng.choice(WS) + item for item in items) + rng.choice(WS) + "]"


def _object(rng: random.Random, depth: int) -> str:
    keys = [rng.choice(KEYS) for _ in range(rng.randint(0, 5))]
    if rng.random() < 0.7:  # mostly distinct keys, so that the fast path is taken often
        keys = list(dict.fromkeys(keys))
    pairs = [f"{rng.choice(WS)}{k}{rng.choice(WS)}:{rng.choice(WS)}{_value(rng, depth)}" for k in keys]
    return "{" + ",".join(pairs) + rng.choice(WS) + "}"


def _document(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return _value(rng, 0)
    return _object(rng, 0)


def _reference(text: str) -> tuple[object, list[tuple[str, str, int]]]:
    spotter = io._DuplicateSpotter()
    doc = json.loads(text, object_pairs_hook=spotter, parse_constant=io._reject_constant)
    found = list(duplicate_keys(text)) if spotter.seen else []
    return doc, [(format_path(parts), key, offset) for parts, key, offset in found]


def _fast(text: str) -> tuple[object, list[tuple[str, str, int]]]:
    loaded = io._parse("t.json", text, 1)
    dups = [
        (i.json_path, i.message, i.line) for i in loaded.issues if i.code == "duplicate-key"
    ]
    assert all(i.code == "duplicate-key" for i in loaded.issues)
    return loaded.doc, dups


@pytest.mark.parametrize("seed", range(4))
def test_fast_reader_reports_exactly_the_repeated_keys(seed: int) -> None:
    rng = random.Random(seed)
    repeated = shortcut = 0
    for _ in range(1500):
        text = _document(rng)
        doc, expected = _reference(text)
        got_doc, got = _fast(text)
        assert got_doc == doc
        want = [
            (path, f"key {key!r} appears more than once in this object", text.count("\n", 0, at) + 1)
            for path, key, at in expected
        ]
        assert got == want, text
        # A long document takes the hook-based parse: same result.
        assert _fast(text + " " * io._SHORT) == (doc, want)
        repeated += bool(expected)
        shortcut += not io._may_repeat_keys(text, doc)
        if expected:  # the shortcut never rules out a repeated key
            assert io._may_repeat_keys(text, doc), text
    # Both branches were exercised (these counts are properties of the seeded generator).
    assert repeated > 100
    assert shortcut > 300


def test_shortcut_decides_common_documents_without_the_exact_pass() -> None:
    doc = {"id": "d1", "text": "no colons here", "mentions": [{"id": "m1", "start": 0, "end": 2}] * 3}
    text = json.dumps(doc)
    assert io._may_repeat_keys(text, json.loads(text)) is False
    # A colon inside the text: the quote-colons settle it, or else the exact count.
    doc["text"] = "he said: yes"
    text = json.dumps(doc)
    assert io._may_repeat_keys(text, json.loads(text)) is False
    doc["meta"] = {"a": {"b": 1}}
    text = json.dumps(doc)
    assert io._may_repeat_keys(text, json.loads(text)) is False
    text = json.dumps(doc, separators=(",", " : "))
    assert io._may_repeat_keys(text, json.loads(text)) is False
    # An escaped quote before a colon inside a string makes it unsure, never wrong.
    doc["text"] = 'a "b": c'
    text = json.dumps(doc)
    assert io._may_repeat_keys(text, json.loads(text)) is True
    assert io._parse("t.json", text, 1).issues == []


def test_repeated_key_inside_a_nested_list_and_in_a_non_object_document() -> None:
    text = '[{"a": [{"x": 1, "y": {"z": 2, "z": 3}}]}]'
    loaded = io._parse("t.json", text, 1)
    assert [(i.code, i.json_path, i.message) for i in loaded.issues] == [
        ("duplicate-key", "$[0].a[0].y", "key 'z' appears more than once in this object")
    ]
    text = '{"id": "x", "mentions": [{"id": "m1", "id": "m2"}], "meta": {"k": [1, {"q": 1}]}}'
    assert [(i.json_path, i.message) for i in io._parse("t.json", text, 1).issues] == [
        ("$.mentions[0]", "key 'id' appears more than once in this object")
    ]


def test_fast_decoder_errors_match_json_loads() -> None:
    for text in [" {}", "{} ", "{}\r", "\t\n[1]\r\n", '"x"', "0", " 1 ", "\ufeff"[1:] + "null"]:
        assert io._loads(text) == json.loads(text)
    bad = ["{", '{"a": 1} x', "  ", "\ufeff{}", "[1,]", '{"a" 1}', "nul", "-", '{"a": NaN}', "1 2", "",
           " {} x", "{}\r\n]", "\t", "\u00a0{}", "{}\u00a0"]
    for text in bad:
        try:
            json.loads(text, parse_constant=io._reject_constant)
        except ValueError as exc:
            expected = (type(exc), str(exc))
        with pytest.raises(ValueError) as got:
            io._loads(text)
        assert (type(got.value), str(got.value)) == expected
