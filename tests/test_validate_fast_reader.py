"""The reader's fast path gives exactly what the exact (hook-based) parse gives.

``sayso.io`` parses with the plain C decoder and looks for repeated keys only when a counting
argument cannot rule them out (``_may_repeat_keys``). These tests fuzz that shortcut against the
reference: ``json.loads`` with an ``object_pairs_hook`` that sees every object's pairs, followed
by ``duplicate_keys`` (what the reader did before), on documents built to defeat the counts:
repeated keys at every depth, colons and escaped quotes inside strings, whitespace around colons,
keys written with escapes, objects inside arrays inside objects, and non-object documents.

The reader parses with msgspec when it can and with the standard parser otherwise; the last
tests check that both give the same values and the same issues, including on what msgspec
refuses and json reads (NaN, 1e400, lone surrogates) and on integers beyond 64 bits.
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
    dups = [(i.json_path, i.message, i.line) for i in loaded.issues if i.code == "duplicate-key"]
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
    bad = [
        "{",
        '{"a": 1} x',
        "  ",
        "\ufeff{}",
        "[1,]",
        '{"a" 1}',
        "nul",
        "-",
        '{"a": NaN}',
        "1 2",
        "",
        " {} x",
        "{}\r\n]",
        "\t",
        "\u00a0{}",
        "{}\u00a0",
    ]
    for text in bad:
        try:
            json.loads(text, parse_constant=io._reject_constant)
        except ValueError as exc:
            expected = (type(exc), str(exc))
        with pytest.raises(ValueError) as got:
            io._loads(text)
        assert (type(got.value), str(got.value)) == expected


def _issues(loaded: io.Loaded) -> list[tuple]:
    return [(i.code, i.line, i.json_path, i.message) for i in loaded.issues]


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[io.Loaded, io.Loaded]:
    fast = io._parse("t.json", text, 3)
    with monkeypatch.context() as m:
        m.setattr(io, "_fast_loads", None)
        standard = io._parse("t.json", text, 3)
    return fast, standard


# Documents msgspec refuses or that a parser could read inexactly, each with what the reader must say.
EDGE_CASES = [
    ('{"id": "a", "n": 18446744073709551616}', []),  # both keep it an exact integer
    ('{"n": -9223372036854775809, "s": "1234567890123456789"}', []),
    ('{"n": 1e400}', []),  # msgspec refuses infinity; json reads inf
    ('{"s": "\\ud800"}', [("lone-surrogate", 3, "$.s", "string has a lone surrogate U+D800 at index 0")]),
    ('{"s": "\\ud83d\\ude00"}', []),  # a valid pair: both join it
    ('{"n": NaN}', [("json-constant", 3, "$", "NaN is not a JSON value (use a number or null)")]),
    (
        '{"a": 1,}',
        [("json-syntax", 3, "$", "Expecting property name enclosed in double quotes (line 3, column 9)")],
    ),
    (
        "\ufeff{}",
        [("json-syntax", 3, "$", "Unexpected UTF-8 BOM (decode using utf-8-sig) (line 3, column 1)")],
    ),
    ('{"a": 1, "a": 2}', [("duplicate-key", 3, "$", "key 'a' appears more than once in this object")]),
    ("[" * 5000 + "]" * 5000, [("json-too-deep", 3, "$", "JSON nested too deeply to read")]),
    ("{}\u00a0", [("json-syntax", 3, "$", "Extra data (line 3, column 3)")]),
]


@pytest.mark.parametrize(("text", "issues"), EDGE_CASES)
def test_msgspec_and_the_standard_parser_give_the_same_document_and_issues(
    text: str, issues: list[tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, standard = _both(text, monkeypatch)
    assert _issues(fast) == _issues(standard) == issues
    assert repr(fast.doc) == repr(standard.doc)  # repr: 1 and 1.0 differ, nan == nan is false


def test_big_integers_stay_exact_integers() -> None:
    loaded = io._parse("t.json", '{"n": 18446744073709551616, "m": -9223372036854775809}', 1)
    assert loaded.doc == {"n": 18446744073709551616, "m": -9223372036854775809}
    assert type(loaded.doc["n"]) is int


@pytest.mark.parametrize("seed", range(2))
def test_fuzzed_documents_read_the_same_with_and_without_msgspec(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(100 + seed)
    numbers = [
        "0",
        "-0",
        "-0.0",
        "1e5",
        "2.5E-3",
        "123456789012345678",
        "9223372036854775807",
        "99999999999999999999",
        "1.7976931348623157e308",
        "5e-324",
        "0.1",
        "1e-400",
    ]
    refused = 0
    for _ in range(1500):
        text = _document(rng)
        if rng.random() < 0.3:  # a number or an escape msgspec refuses, or one to keep exact
            extra = rng.choice([*numbers, '"\\udc00"', '"\\u00e9\\ud83d\\ude00"', "NaN", "-Infinity"])
            text = "[" + text + "," + extra + "]"
        if rng.random() < 0.1:  # broken syntax
            cut = rng.randrange(len(text))
            text = text[:cut] + text[cut + 1 :]
        fast, standard = _both(text, monkeypatch)
        assert _issues(fast) == _issues(standard), text
        assert repr(fast.doc) == repr(standard.doc), text
        refused += fast.doc is None
    assert refused > 50  # the error paths were exercised too
