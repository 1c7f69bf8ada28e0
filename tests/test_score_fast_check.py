"""``prediction_is_clean`` (the scorer's one-pass check) is never looser than the full checks,
and the spans ``clean_mention_spans`` collects on the way are those the scorer reads.

It may say False for a prediction the validator and ``check_prediction`` accept (they then run
and find nothing), but when it says True both must find no error. Fuzzed on mutated predictions.
"""

from __future__ import annotations

import copy
import json
import random

import pytest

from sayso.score import check_prediction
from sayso.score._check import clean_mention_spans, prediction_is_clean
from sayso.score._counts import mention_spans
from sayso.validate import validate_document

TEXT = "Ana Lima met Rui Costa in Porto on Monday. The union said: no deal."
GOLD = {
    "id": "d-1",
    "schema_version": "1.0",
    "text": TEXT,
    "mentions": [],
    "entities": None,
    "attributions": None,
    "stances": None,
}
CLEAN = {
    "id": "d-1",
    "mentions": [
        {"id": "m1", "start": 0, "end": 8, "type": "PER", "kind": "NAM"},
        {"id": "m2", "start": 13, "end": 21, "type": "PER"},
        {"id": "m3", "start": 26, "end": 31, "type": "GPE", "kind": None, "text": "Porto"},
        {"id": "m4", "start": 47, "end": 52, "type": "ORG", "kind": "NOM", "entity": None},
    ],
}
ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    1,
    3.0,
    10**6,
    "",
    "x",
    "PER",
    "NAM",
    "m1",
    "m1 ",
    [],
    {},
    ["PER"],
    {"a": 1},
    "Porto",
    "d-1\n",
    "-d",
    "Q1",
    len(TEXT),
    len(TEXT) + 1,
    5,
    8,
    13,
]
FIELDS = ["id", "start", "end", "type", "kind", "text", "entity", "extra"]


def _odd(rng: random.Random) -> object:
    return copy.deepcopy(rng.choice(ODD_VALUES))


def _mutate(doc: dict, rng: random.Random) -> None:
    mentions = doc.get("mentions")
    roll = rng.random()
    if roll < 0.1:
        doc[rng.choice(["id", "mentions", "text", "entities", "meta", "schema_version"])] = rng.choice(
            ODD_VALUES
        )
    elif roll < 0.15:
        doc.pop(rng.choice(["id", "mentions"]), None)
    elif not isinstance(mentions, list) or not mentions:
        doc["mentions"] = [_odd(rng)]
    elif roll < 0.3:
        mentions.append(copy.deepcopy(rng.choice(mentions)))  # duplicate id and span
    elif roll < 0.4:
        m = copy.deepcopy(rng.choice(mentions))
        if isinstance(m, dict):
            m["id"] = f"m{rng.randint(5, 99)}"
        mentions.append(m)  # same span and type, new id
    elif roll < 0.5:
        mentions[rng.randrange(len(mentions))] = _odd(rng)
    else:
        m = rng.choice(mentions)
        if isinstance(m, dict):
            field = rng.choice(FIELDS)
            if rng.random() < 0.2:
                m.pop(field, None)
            else:
                m[field] = _odd(rng)


def _full_errors(doc: object) -> list:
    found = [i for i in validate_document(doc, kind="submission") if i.is_error]
    if found:
        return found
    return check_prediction(doc, GOLD, path="p.jsonl")


@pytest.mark.parametrize("seed", range(3))
def test_clean_means_no_error_from_the_full_checks(seed: int) -> None:
    rng = random.Random(seed)
    clean = rejected = accepted_by_full = 0
    for _ in range(3000):
        doc = copy.deepcopy(CLEAN)
        for _ in range(rng.randint(1, 3)):
            _mutate(doc, rng)
        doc = json.loads(json.dumps(doc))  # plain parsed JSON, as the scorer sees it
        if prediction_is_clean(doc, TEXT):
            clean += 1
            assert _full_errors(doc) == [], doc
            # The spans it collects on the way are the ones the scorer reads.
            for all_kinds in (False, True):
                assert clean_mention_spans(doc, TEXT, all_kinds) == mention_spans(doc, all_kinds)
        else:
            assert clean_mention_spans(doc, TEXT, False) is None
            rejected += 1
            accepted_by_full += not _full_errors(doc)
    assert clean > 150 and rejected > 2000
    # It is stricter than the full checks on purpose (other layers, fields it does not handle).
    assert accepted_by_full > 0


def test_clean_submission_passes_and_each_single_flaw_is_caught() -> None:
    assert prediction_is_clean(CLEAN, TEXT)
    assert prediction_is_clean({"id": "d-1"}, TEXT)
    assert prediction_is_clean({"id": "d-1", "mentions": None}, TEXT)
    assert clean_mention_spans(CLEAN, TEXT, False) == [(0, 8, "PER"), (13, 21, "PER"), (26, 31, "GPE")]
    assert clean_mention_spans(CLEAN, TEXT, True)[-1] == (47, 52, "ORG")
    assert clean_mention_spans({"id": "d-1", "mentions": None}, TEXT, True) == []
    flaws = [
        lambda d: d["mentions"][0].update(end=len(TEXT) + 1),  # score-span-out-of-range
        lambda d: d["mentions"][0].update(start=8),  # empty-span
        lambda d: d["mentions"][2].update(text="porto"),  # span text differs
        lambda d: d["mentions"][1].update(id="m1"),  # duplicate-id
        lambda d: d["mentions"][1].update(start=0, end=8),  # duplicate-mention
        lambda d: d["mentions"][0].update(type="DATE"),  # unknown-label
        lambda d: d["mentions"][0].update(kind="nam"),  # unknown-label
        lambda d: d["mentions"][0].update(entity="e1"),  # dangling-reference
        lambda d: d["mentions"][0].update(start=0.0),  # wrong-type
        lambda d: d.update(id="-x"),  # bad-format
        lambda d: d.update(stances=[]),  # a layer it does not check
    ]
    for flaw in flaws:
        doc = copy.deepcopy(CLEAN)
        flaw(doc)
        assert not prediction_is_clean(doc, TEXT), doc


def test_mention_counts_equal_the_full_matcher_key_by_key() -> None:
    # The shortcut counts (set intersection, one-pair clusters) against the full matcher, on
    # every key including per-type counts and duplicates.
    from sayso.score._counts import _matched_counts, mention_counts

    rng = random.Random(11)
    for _ in range(3000):
        n = rng.randint(0, 7)
        starts = [rng.randint(0, 25) for _ in range(2 * n)]
        gold = sorted({(s, s + rng.randint(1, 5), rng.choice("ABC")) for s in starts[:n]})
        pred = [(s, s + rng.randint(1, 5), rng.choice("ABC")) for s in starts[n:]]
        pred += rng.sample(gold, min(len(gold), rng.randint(0, 4)))
        if pred and rng.random() < 0.3:
            pred.append(rng.choice(pred))
        rng.shuffle(pred)
        fast: dict = {}
        full: dict = {"mentions.gold": len(gold), "mentions.pred": len(pred)}
        mention_counts(gold, pred, fast)
        _matched_counts(gold, pred, full)
        assert {k: v for k, v in fast.items() if v} == {k: v for k, v in full.items() if v}, (gold, pred)


def test_mention_counts_add_into_the_dict_they_are_given() -> None:
    # Counting many documents into one dict (the workers' totals) equals summing their own dicts,
    # through both the shortcut and the full matcher (duplicated gold spans).
    from sayso.score._aggregate import add_counts
    from sayso.score._counts import mention_counts

    rng = random.Random(12)
    together: dict = {}
    summed: dict = {}
    for _ in range(500):
        gold = [
            (s, s + rng.randint(1, 4), rng.choice("AB")) for s in rng.sample(range(30), rng.randint(0, 5))
        ]
        if gold and rng.random() < 0.1:
            gold.append(gold[0])  # a duplicated gold span: the full matcher
        pred = [
            (s, s + rng.randint(1, 4), rng.choice("AB")) for s in rng.sample(range(30), rng.randint(0, 5))
        ]
        pred += rng.sample(gold, min(len(gold), rng.randint(0, 3)))
        alone: dict = {}
        mention_counts(gold, pred, alone)
        add_counts(summed, alone)
        mention_counts(gold, pred, together)
    assert together == summed
    assert together["mentions.strict.correct"] > 500 and together["mentions.duplicates"] > 10


def _lines(doc: dict, rng: random.Random) -> list[str]:
    """One prediction written as a JSON line in several ways, some built to defeat a typed reader:
    separators with and without spaces, non-ASCII escapes, a repeated key at the top and inside
    a mention, and numbers written as floats."""
    spaced = json.dumps(doc)
    compact = json.dumps(doc, separators=(",", ":"), ensure_ascii=rng.random() < 0.5)
    lines = [spaced, compact, " " + compact + "\r"]
    lines.append(compact.replace("{", '{"id":"d-1",', 1))  # "id" twice, or a key before it
    if '{"id":"m' in compact:
        lines.append(compact.replace('{"id":"m', '{"id":"x","id":"m', 1))  # a mention's id twice
    lines.append(compact.replace('"start":0,', '"start":0.0,', 1))
    lines.append(compact.replace('"end":8', '"end":8,"end":8', 1))
    if isinstance(doc.get("mentions"), list):  # a span whose text holds a colon
        at = TEXT.index("said: no")
        colon = {"id": "mc", "start": at, "end": at + 8, "type": "ORG", "text": "said: no"}
        lines.append(json.dumps({**doc, "mentions": [*doc["mentions"], colon]}))
    return lines


@pytest.mark.parametrize("seed", range(3))
def test_the_typed_line_reader_never_accepts_what_the_ordinary_check_would_not(seed: int) -> None:
    from sayso.io import parse_clean
    from sayso.score._check import clean_mention_spans
    from sayso.score._cleanline import clean_line

    rng = random.Random(seed)
    gold = {"d-1": GOLD}
    settled = deferred = 0
    for _ in range(1500):
        doc = copy.deepcopy(CLEAN)
        for _ in range(rng.randint(0, 2)):
            _mutate(doc, rng)
        for line in _lines(doc, rng):
            for all_kinds in (False, True):
                got = clean_line(line, gold, all_kinds)
                parsed = parse_clean(line)
                ordinary = None
                if type(parsed) is dict and parsed.get("id") == "d-1":
                    spans = clean_mention_spans(parsed, TEXT, all_kinds)
                    if spans is not None:
                        ordinary = ("d-1", spans, type(parsed.get("mentions")) is list)
                if got is not None:
                    assert got == ordinary, line
                    settled += 1
                else:
                    deferred += ordinary is not None  # the ordinary path decides, and accepts
    # Both ways are exercised: most clean lines are settled by the typed reader; a colon inside
    # a span's text (the gold text has one) sends some to the ordinary path.
    assert settled > 3000 and deferred > 100


def test_the_typed_line_reader_on_exact_cases() -> None:
    from sayso.score._cleanline import clean_line

    gold = {"d-1": GOLD}
    line = json.dumps(CLEAN)
    assert clean_line(line, gold, False) == ("d-1", [(0, 8, "PER"), (13, 21, "PER"), (26, 31, "GPE")], True)
    assert clean_line(line, gold, True)[1][-1] == (47, 52, "ORG")
    assert clean_line('{"id": "d-1"}', gold, False) == ("d-1", [], False)
    assert clean_line('{"id": "d-1", "mentions": null}', gold, False) == ("d-1", [], False)
    refused = [
        '{"id": "d-2", "mentions": []}',  # not a gold id
        '{"id": "-d", "mentions": []}',  # not a valid id
        '{"id": "d-1", "id": "d-1", "mentions": []}',  # a repeated key
        '{"id": "d-1", "mentions": [], "stances": []}',  # another layer
        '{"id": "d-1", "mentions": [{"id": "m1", "start": 60, "end": 90, "type": "PER"}]}',  # outside
        '{"id": "d-1", "mentions": [{"id": "m1", "start": 0, "end": 3, "type": "PER", "text": "Ana"}, '
        '{"id": "m1", "start": 4, "end": 8, "type": "PER"}]}',  # a repeated mention id
        '{"id": "d-1", "mentions": [{"id": "m1", "start": 0, "end": 3, "type": "DATE"}]}',  # a label
        '{"id": "d-1", "mentions": [{"id": "m1", "start": 0, "end": 3, "type": "PER", "entity": "e1"}]}',
        '{"id": "d-1", "mentions": [{"id": "m1", "start": true, "end": 3, "type": "PER"}]}',
        '{"id": "d-1", "mentions": [{"id": "m1", "start": 0, "end": 3, "type": "PER", "text": "Ana:"}]}',
        '{"id": "d-1", "mentions": [{"id": "m1", "start": 0, "end": 3, "type": "PER"}]} x',
        '{"id": "d-1", "mentions": [{"id": "\\ud800", "start": 0, "end": 3, "type": "PER"}]}',
        "[]",
        "null",
    ]
    for line in refused:
        assert clean_line(line, gold, False) is None, line
