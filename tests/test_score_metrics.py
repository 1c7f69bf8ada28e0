"""Hand-computed cases for every metric of ``sayso score`` (issue 4; definitions in eval/METRICS.md)."""

from __future__ import annotations

import random

import pytest
from _scoring import score as _score

from sayso.score import (
    document_counts,
    headline,
    layer_scores,
    match_mentions,
    maximum_matching,
)
from sayso.score._counts import mention_counts

TEXT = "x" * 200


def men(mid: str, start: int, end: int, type_: str, kind: str = "NAM", entity: str | None = None) -> dict:
    return {
        "id": mid,
        "start": start,
        "end": end,
        "type": type_,
        "kind": kind,
        "entity": entity or f"e-{mid}",
    }


def gold_doc(doc_id: str = "d1", **layers) -> dict:
    doc = {"id": doc_id, "text": TEXT, "mentions": [], "entities": [], "attributions": [], "stances": []}
    doc.update(layers)
    return doc


def scores(gold: list[dict], pred: list[dict], **options):
    return _score(gold, pred, **options)


def mention_scores(gold: list[tuple], pred: list[tuple]) -> dict:
    g = gold_doc(mentions=[men(f"g{i}", *m) for i, m in enumerate(gold)])
    p = {"id": "d1", "mentions": [men(f"p{i}", *m) for i, m in enumerate(pred)]}
    return scores([g], [p]).scores["mentions"]


# --- mentions --------------------------------------------------------------------------------

MIXED_GOLD = [(0, 5, "PER"), (10, 20, "ORG"), (30, 35, "GPE"), (40, 45, "LOC"), (50, 55, "PER")]
MIXED_PRED = [(0, 5, "PER"), (10, 15, "ORG"), (30, 35, "ORG"), (60, 65, "GPE"), (50, 56, "LOC")]


def test_mentions_muc_categories_of_every_scheme():
    m = mention_scores(MIXED_GOLD, MIXED_PRED)
    cats = ("correct", "incorrect", "partial", "missed", "spurious")
    assert [m["strict"][c] for c in cats] == [1, 3, 0, 1, 1]
    assert [m["exact"][c] for c in cats] == [2, 2, 0, 1, 1]
    assert [m["type"][c] for c in cats] == [2, 2, 0, 1, 1]
    assert [m["partial"][c] for c in cats] == [2, 0, 2, 1, 1]
    assert (m["strict"]["precision"], m["strict"]["recall"], m["strict"]["f1"]) == (0.2, 0.2, 0.2)
    assert m["exact"]["f1"] == pytest.approx(0.4)
    assert m["type"]["f1"] == pytest.approx(0.4)
    assert m["partial"]["precision"] == pytest.approx(0.6)  # (2 + 0.5 * 2) / 5


def test_mentions_per_type_and_macro_over_types_that_occur():
    m = mention_scores(MIXED_GOLD, MIXED_PRED)
    assert m["per_type"]["PER"] == {
        "gold": 2,
        "pred": 1,
        "correct": 1,
        "precision": 1.0,
        "recall": 0.5,
        "f1": pytest.approx(2 / 3),
    }
    assert m["per_type"]["ORG"]["f1"] == 0.0
    assert m["per_type"]["LAW"] == {
        "gold": 0,
        "pred": 0,
        "correct": 0,
        "precision": None,
        "recall": None,
        "f1": None,
    }
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0 + 0 + 0) / 4)  # PER, ORG, GPE, LOC occur


def test_one_prediction_covering_two_gold_spans():
    m = mention_scores([(0, 5, "PER"), (6, 10, "PER")], [(0, 10, "PER")])
    assert (m["strict"]["incorrect"], m["strict"]["missed"], m["strict"]["spurious"]) == (1, 1, 0)
    assert (m["type"]["correct"], m["type"]["missed"]) == (1, 1)
    assert (m["partial"]["partial"], m["partial"]["missed"]) == (1, 1)
    assert m["partial"]["precision"] == 0.5 and m["partial"]["recall"] == 0.25


def _counted_mentions(gold: list[tuple], pred: list[tuple]) -> dict:
    """Mention scores of two annotations compared directly (as ``sayso agree`` does), without
    the submission checks, which reject a repeated mention."""
    counts: dict = {}
    mention_counts(gold, pred, counts)
    return layer_scores(counts, ("mentions",))["mentions"]


def test_duplicate_predictions_are_spurious_when_two_annotations_are_compared():
    m = _counted_mentions([(0, 5, "PER")], [(0, 5, "PER"), (0, 5, "PER")])
    assert (m["strict"]["correct"], m["strict"]["spurious"], m["duplicates"]) == (1, 1, 1)
    assert (m["strict"]["precision"], m["strict"]["recall"]) == (0.5, 1.0)
    # a duplicate never becomes the "incorrect" partner of another (nested) gold mention
    m = _counted_mentions([(0, 10, "ORG"), (0, 5, "GPE")], [(0, 10, "ORG"), (0, 10, "ORG")])
    assert [m["strict"][c] for c in ("correct", "incorrect", "missed", "spurious")] == [1, 0, 1, 1]


def test_a_submission_that_repeats_a_mention_is_rejected():
    from sayso.score import EvaluationError

    with pytest.raises(EvaluationError) as rejected:
        mention_scores([(0, 5, "PER")], [(0, 5, "PER"), (0, 5, "PER")])
    assert [(i.code, i.json_path) for i in rejected.value.issues] == [("duplicate-mention", "$.mentions[1]")]


def test_same_span_two_types_in_gold():
    m = mention_scores([(0, 5, "GPE"), (0, 5, "ORG")], [(0, 5, "ORG")])
    assert (m["strict"]["correct"], m["strict"]["missed"]) == (1, 1)
    assert (m["exact"]["correct"], m["exact"]["missed"]) == (1, 1)


def test_matching_is_maximum_and_order_independent():
    # nervaluate's greedy order would give X the first gold A and leave Y spurious.
    gold = [(0, 4, "PER"), (3, 8, "PER")]
    pred = [(2, 5, "ORG"), (0, 3, "ORG")]
    for p in (pred, pred[::-1]):
        for g in (gold, gold[::-1]):
            m = mention_scores(g, p)
            assert (m["strict"]["incorrect"], m["strict"]["missed"], m["strict"]["spurious"]) == (2, 0, 0)
            assert (m["type"]["correct"], m["type"]["incorrect"]) == (0, 2)


def test_overlapping_gold_mentions_nested_names():
    # "University of [Oxford]": both gold; the prediction of the outer span only.
    m = mention_scores([(0, 20, "ORG"), (14, 20, "GPE")], [(0, 20, "ORG")])
    assert [m["strict"][c] for c in ("correct", "incorrect", "missed", "spurious")] == [1, 0, 1, 0]


def test_empty_documents_no_gold_no_predictions():
    empty = mention_scores([], [])
    assert empty["strict"] == {
        "correct": 0,
        "incorrect": 0,
        "partial": 0,
        "missed": 0,
        "spurious": 0,
        "precision": None,
        "recall": None,
        "f1": None,
    }
    none_predicted = mention_scores([(0, 5, "PER"), (6, 9, "ORG")], [])
    assert (none_predicted["strict"]["precision"], none_predicted["strict"]["recall"]) == (None, 0.0)
    assert none_predicted["strict"]["f1"] == 0.0 and none_predicted["strict"]["missed"] == 2
    no_gold = mention_scores([], [(0, 5, "PER")])
    assert (no_gold["strict"]["precision"], no_gold["strict"]["recall"], no_gold["strict"]["f1"]) == (
        0.0,
        None,
        0.0,
    )


def test_only_named_mentions_unless_all():
    g = gold_doc(mentions=[men("m1", 0, 5, "PER"), men("m2", 10, 20, "PER", "NOM")])
    p = {
        "id": "d1",
        "mentions": [
            men("p1", 0, 5, "PER"),
            men("p2", 10, 20, "PER", "PRO"),
            {"id": "p3", "start": 30, "end": 34, "type": "ORG"},
        ],
    }  # kind missing = NAM
    nam = scores([g], [p]).scores["mentions"]
    assert (nam["gold"], nam["pred"], nam["strict"]["correct"], nam["strict"]["spurious"]) == (1, 2, 1, 1)
    every = scores([g], [p], mentions="all").scores["mentions"]
    # the kind is not part of a match: the NOM gold and the PRO prediction share span and type
    assert (every["gold"], every["pred"], every["strict"]["correct"], every["strict"]["spurious"]) == (
        2,
        3,
        2,
        1,
    )


def test_match_mentions_pairs_and_indices():
    m = match_mentions([(0, 6, "GPE"), (10, 12, "PER")], [(0, 6, "ORG"), (0, 6, "ORG"), (20, 22, "LOC")])
    assert m.duplicates == [1]
    assert m.strict.incorrect == [(0, 0)] and m.strict.missed == [1] and m.strict.spurious == [1, 2]
    assert m.exact.correct == [(0, 0)]
    assert m.type.incorrect == [(0, 0)]


def test_maximum_matching_finds_augmenting_paths():
    assert maximum_matching(3, [[0], [0, 1], [1, 2]]) == [0, 1, 2]
    assert maximum_matching(2, [[0], [0]]) == [0, -1]


def test_fast_counts_equal_the_full_matcher_on_random_documents():
    rng = random.Random(7)
    for _ in range(400):
        gold = sorted(
            {(s, s + rng.randint(1, 6), rng.choice("AB")) for s in (rng.randint(0, 30) for _ in range(6))}
        )
        pred = [(s, s + rng.randint(1, 6), rng.choice("AB")) for s in (rng.randint(0, 30) for _ in range(6))]
        pred += rng.sample(pred, 2)  # duplicates
        fast: dict = {}
        mention_counts(gold, pred, fast)
        m = match_mentions(gold, pred)
        for scheme in ("strict", "exact", "type", "partial"):
            sm = m.scheme(scheme)
            for cat in ("correct", "incorrect", "partial", "missed", "spurious"):
                assert fast.get(f"mentions.{scheme}.{cat}", 0) == len(getattr(sm, cat)), (
                    gold,
                    pred,
                    scheme,
                    cat,
                )


# --- linking ---------------------------------------------------------------------------------


def test_linking_sets_of_wikidata_ids_per_document():
    g = gold_doc(
        entities=[
            {"id": "e1", "wikidata": "Q159"},
            {"id": "e2", "wikidata": "Q858"},
            {"id": "e3", "wikidata": None},
        ]
    )
    p = {
        "id": "d1",
        "entities": [
            {"id": "x", "wikidata": "Q159"},
            {"id": "y", "wikidata": "Q159"},
            {"id": "z", "wikidata": "Q90"},
        ],
    }
    s = scores([g], [p]).scores["linking"]
    assert (s["gold"], s["pred"], s["correct"], s["precision"], s["recall"], s["f1"]) == (
        2,
        2,
        1,
        0.5,
        0.5,
        0.5,
    )


# --- attributions ----------------------------------------------------------------------------


def _span(s: int, e: int) -> dict:
    return {"start": s, "end": e}


def attribution_case() -> tuple[dict, dict]:
    gold = gold_doc(
        mentions=[
            men("m1", 0, 5, "PER", entity="e1"),
            men("m2", 50, 53, "PER", "PRO", "e1"),
            men("m3", 60, 70, "ORG", entity="e2"),
        ],
        attributions=[
            {
                "id": "a1",
                "source": "m1",
                "cue": _span(6, 10),
                "content": [_span(12, 40)],
                "quote": "indirect",
                "via": None,
                "identity": "named",
                "source_type": "government",
                "channel": "statement",
            },
            {
                "id": "a2",
                "source": "m3",
                "cue": _span(71, 75),
                "content": [_span(80, 100)],
                "quote": "direct",
                "via": None,
                "identity": "named",
                "source_type": "media",
                "channel": "media_report",
            },
            {
                "id": "a3",
                "source": None,
                "cue": None,
                "content": [_span(110, 130)],
                "quote": "indirect",
                "via": "a2",
                "identity": "anonymous",
                "source_type": None,
                "channel": "unspecified",
            },
        ],
    )
    pred = {
        "id": "d1",
        "mentions": [men("x1", 50, 53, "PER", "PRO"), men("x2", 60, 70, "ORG")],
        "attributions": [
            {
                "id": "p1",
                "source": "x1",
                "cue": _span(6, 10),
                "content": [_span(12, 30)],
                "quote": "indirect",
                "via": None,
                "identity": "named",
                "source_type": "political",
                "channel": "statement",
            },
            {
                "id": "p2",
                "source": "x2",
                "cue": _span(72, 75),
                "content": [_span(80, 85)],
                "quote": "direct",
                "via": None,
                "identity": "named",
                "source_type": "media",
                "channel": "media_report",
            },
            {
                "id": "p3",
                "source": None,
                "cue": None,
                "content": [_span(110, 130)],
                "quote": None,
                "via": "p2",
                "identity": "anonymous",
                "source_type": "government",
                "channel": "remarks",
            },
        ],
    }
    return gold, pred


def test_attribution_records_fields_via_cue_content():
    gold, pred = attribution_case()
    a = scores([gold], [pred]).scores["attributions"]
    # p1-a1: Dice 2*18/(28+18) = 0.78, source "she" overlaps a mention of a1's source entity;
    # p2-a2: Dice 2*5/(20+5) = 0.4 < 0.5; p3-a3: both agentless, same content.
    assert (a["gold"], a["pred"], a["matched"]) == (3, 3, 2)
    assert a["f1"] == pytest.approx(2 / 3)
    st = a["fields"]["source_type"]
    assert (st["n"], st["correct"], st["accuracy"], st["macro_f1"]) == (
        1,
        0,
        0.0,
        0.0,
    )  # a3's null is skipped
    ident = a["fields"]["identity"]
    assert (ident["n"], ident["accuracy"], ident["macro_f1"]) == (2, 1.0, 1.0)
    ch = a["fields"]["channel"]
    assert (ch["n"], ch["correct"]) == (2, 1)
    assert ch["macro_f1"] == pytest.approx(1 / 3)  # statement 1, unspecified 0, remarks 0
    q = a["fields"]["quote"]
    assert (q["n"], q["correct"]) == (2, 1) and q["macro_f1"] == pytest.approx(2 / 3)
    assert a["via"] == {"n": 2, "correct": 1, "accuracy": 0.5}  # p3 relays p2, which matches nothing
    assert (a["cue"]["gold"], a["cue"]["pred"], a["cue"]["correct"]) == (2, 2, 1)
    c = a["content"]
    assert (c["gold_chars"], c["pred_chars"], c["overlap_chars"]) == (68, 43, 43)
    assert c["f1"] == pytest.approx(86 / 111)


def test_attribution_via_correct_when_relays_match():
    gold, pred = attribution_case()
    pred["attributions"][1]["content"] = [_span(80, 100)]  # now p2 matches a2
    a = scores([gold], [pred]).scores["attributions"]
    assert a["matched"] == 3 and a["via"] == {"n": 3, "correct": 3, "accuracy": 1.0}


def test_attribution_source_must_match():
    gold, pred = attribution_case()
    pred["attributions"][0]["source"] = "x2"  # the ORG, not the gold source's entity
    assert scores([gold], [pred]).scores["attributions"]["matched"] == 1
    pred["attributions"][0]["source"] = None  # agentless prediction, named gold source
    assert scores([gold], [pred]).scores["attributions"]["matched"] == 1


def test_attribution_matching_is_one_to_one_and_order_free():
    gold, pred = attribution_case()
    twin = dict(pred["attributions"][0], id="p9")
    pred["attributions"].append(twin)  # a second record for a1: spurious
    forward = scores([gold], [pred]).scores["attributions"]
    pred["attributions"].reverse()
    backward = scores([gold], [pred]).scores["attributions"]
    assert forward == backward
    assert (forward["matched"], forward["pred"]) == (2, 4)


# --- stances ---------------------------------------------------------------------------------


def stance_case() -> tuple[dict, dict]:
    gold = gold_doc(
        mentions=[
            men("m1", 0, 5, "PER", entity="e1"),
            men("m2", 50, 53, "PER", "PRO", "e1"),
            men("m3", 60, 70, "ORG", entity="e2"),
            men("m4", 140, 150, "LAW", entity="e3"),
        ],
        stances=[
            {"id": "s1", "holder": "m1", "target": "m4", "polarity": "oppose"},
            {"id": "s2", "holder": "author", "target": "m3", "polarity": "support"},
            {"id": "s3", "holder": "m3", "target": "m4", "polarity": "neutral"},
        ],
    )
    pred = {
        "id": "d1",
        "mentions": [men("x1", 50, 53, "PER", "PRO"), men("x3", 60, 70, "ORG"), men("x4", 140, 150, "LAW")],
        "stances": [
            {"id": "q1", "holder": "x1", "target": "x4", "polarity": "oppose"},
            {"id": "q2", "holder": "author", "target": "x3", "polarity": "oppose"},
            {"id": "q3", "holder": "x4", "target": "x3", "polarity": "support"},
        ],
    }
    return gold, pred


def test_stances_labeled_unlabeled_polarity_favg():
    gold, pred = stance_case()
    s = scores([gold], [pred]).scores["stances"]
    assert s["labeled"]["correct"] == 1 and s["labeled"]["f1"] == pytest.approx(1 / 3)
    assert s["unlabeled"]["correct"] == 2 and s["unlabeled"]["f1"] == pytest.approx(2 / 3)
    p = s["polarity"]
    assert (p["n"], p["correct"], p["accuracy"]) == (2, 1, 0.5)
    assert p["macro_f1"] == pytest.approx((2 / 3 + 0) / 2)  # oppose, support; neutral occurs on neither side
    assert s["per_polarity"]["oppose"]["f1"] == pytest.approx(2 / 3)
    assert s["per_polarity"]["support"]["f1"] == 0.0
    assert s["favg"] == pytest.approx(1 / 3)


def test_polarity_macro_f1_equals_scikit_learn():
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    rng = random.Random(3)
    labels = ["support", "oppose", "neutral"]
    for _ in range(50):
        pairs = [(rng.choice(labels), rng.choice(labels)) for _ in range(rng.randint(1, 12))]
        counts: dict = {}
        from sayso.score._counts import _label_counts

        _label_counts("stances.polarity", pairs, counts)
        ours = headline({**counts, "stances.gold": 1}, ["stances"])["stances.polarity.macro_f1"]
        y_true, y_pred = zip(*pairs, strict=True)
        occurring = [label for label in labels if label in y_true or label in y_pred]
        theirs = sklearn_metrics.f1_score(y_true, y_pred, labels=occurring, average="macro", zero_division=0)
        assert ours == pytest.approx(theirs)


# --- documents and layers --------------------------------------------------------------------


def test_null_gold_layer_is_not_scored_in_that_document():
    gold, pred = stance_case()
    other = gold_doc("d2", stances=None)  # this document's stances are not annotated
    r = scores(
        [gold, other],
        [
            pred,
            {
                "id": "d2",
                "mentions": [{"id": "zz", "start": 0, "end": 2, "type": "PER"}],
                "stances": [{"id": "q", "holder": "author", "target": "zz", "polarity": "support"}],
            },
        ],
    )
    assert r.scores["stances"]["pred"] == 3  # d2's prediction is not counted
    assert [d.layers for d in r.documents] == [("mentions", "stances"), ("mentions",)]


def test_layer_absent_from_every_submission_is_none():
    gold, pred = stance_case()
    only_attributions = {
        "id": "d1",
        "attributions": [{"id": "a", "source": None, "content": [{"start": 0, "end": 3}]}],
    }
    r = scores([gold], [only_attributions])
    assert r.layers == {"mentions": False, "linking": False, "attributions": True, "stances": False}
    assert r.scores["mentions"] is None and r.headline["mentions.strict.f1"] is None


def test_missing_document_scored_as_empty_prediction():
    g1 = gold_doc("d1", mentions=[men("m1", 0, 5, "PER")])
    g2 = gold_doc("d2", mentions=[men("m1", 0, 5, "PER"), men("m2", 6, 9, "ORG")])
    r = scores([g1, g2], [{"id": "d1", "mentions": [men("p", 0, 5, "PER")]}])
    assert r.missing == ["d2"]
    assert r.scores["mentions"]["strict"]["recall"] == pytest.approx(1 / 3)
    assert r.scores["mentions"]["strict"]["precision"] == 1.0


def test_counts_add_up_over_documents():
    gold, pred = attribution_case()
    c1, layers = document_counts(gold, pred)
    assert layers == ("mentions", "linking", "attributions", "stances")
    total = scores([gold, dict(gold, id="d2")], [pred, dict(pred, id="d2")], layers=layers).totals
    assert total == {k: 2 * v for k, v in c1.items()}


def test_layer_scores_from_totals_is_pure():
    gold, pred = stance_case()
    counts, layers = document_counts(gold, pred, ("mentions", "stances"))
    assert layer_scores(counts, layers) == scores([gold], [pred]).scores


def test_unknown_and_duplicate_prediction_ids_raise():
    from sayso.score import EvaluationError

    with pytest.raises(EvaluationError) as unknown:
        scores([gold_doc()], [{"id": "zz"}])
    assert [(i.code, i.line, i.message) for i in unknown.value.issues] == [
        ("score-unknown-id", 1, "'zz' is not a gold document id")
    ]
    with pytest.raises(EvaluationError) as twice:
        scores([gold_doc()], [{"id": "d1"}, {"id": "d1"}])
    assert [(i.code, i.line, i.message) for i in twice.value.issues] == [
        ("score-duplicate-id", 2, "document 'd1' was already predicted in <memory>:1")
    ]


# --- decisions of issue 12, each checked by hand ------------------------------------------------


def test_favg_follows_semeval_eval_pl_an_absent_class_scores_zero():
    # Gold: two support stances; the prediction gets one. Nobody has an oppose stance: eval.pl
    # sets that class's F to 0, so F_avg = (2/3 + 0) / 2, not 2/3.
    gold = gold_doc(
        mentions=[men("m1", 0, 5, "PER"), men("m2", 10, 15, "ORG"), men("m3", 20, 25, "ORG")],
        stances=[
            {"id": "s1", "holder": "m1", "target": "m2", "polarity": "support"},
            {"id": "s2", "holder": "m1", "target": "m3", "polarity": "support"},
        ],
    )
    pred = {
        "id": "d1",
        "mentions": [men("x1", 0, 5, "PER"), men("x2", 10, 15, "ORG")],
        "stances": [{"id": "q1", "holder": "x1", "target": "x2", "polarity": "support"}],
    }
    s = scores([gold], [pred]).scores["stances"]
    assert s["per_polarity"]["support"]["f1"] == pytest.approx(2 / 3)
    assert s["per_polarity"]["oppose"]["f1"] is None  # undefined on its own ...
    assert s["favg"] == pytest.approx(1 / 3)  # ... and 0 inside F_avg, as in eval.pl
    assert scores([gold_doc()], [{"id": "d1", "stances": []}]).scores["stances"]["favg"] is None


def test_attribution_matching_prefers_the_larger_dice():
    # Two gold records from the same source compete for one prediction: a1's content [0, 10) comes
    # first in canonical order, but the prediction's [0, 12) is a2's exactly (Dice 1.0 against 0.91).
    # The matched pair decides the labels compared: a2's quote is direct, as predicted.
    def record(rid: str, end: int, quote: str) -> dict:
        return {"id": rid, "source": None, "content": [_span(0, end)], "quote": quote}

    gold = gold_doc(attributions=[record("a1", 10, "indirect"), record("a2", 12, "direct")])
    pred = {"id": "d1", "attributions": [record("p1", 12, "direct")]}
    from _scoring import as_gold

    from sayso.score import match_attributions

    assert match_attributions(as_gold(gold), pred) == [(1, 0)]
    fields = scores([gold], [pred]).scores["attributions"]["fields"]
    assert (fields["quote"]["n"], fields["quote"]["correct"]) == (1, 1)


def test_type_scheme_differs_from_nervaluate_ent_type_without_overlaps_on_either_side():
    # Gold ORG [0, 10); predictions PER [0, 5) and ORG [6, 10): no overlap within either side.
    # nervaluate 1.2.1 pairs the gold mention with the first overlapping prediction in input order
    # (the PER) and calls it ent_type "incorrect" (correct 0, incorrect 1, spurious 1); SaySo's
    # maximum matching pairs it with the same-type overlap (correct 1, incorrect 0, spurious 1).
    m = mention_scores([(0, 10, "ORG")], [(0, 5, "PER"), (6, 10, "ORG")])
    assert [m["type"][c] for c in ("correct", "incorrect", "missed", "spurious")] == [1, 0, 0, 1]
    nervaluate = pytest.importorskip("nervaluate")
    true = [[{"label": "ORG", "start": 0, "end": 9}]]
    pred = [[{"label": "PER", "start": 0, "end": 4}, {"label": "ORG", "start": 6, "end": 9}]]
    result = nervaluate.Evaluator(true, pred, tags=["PER", "ORG"], loader="dict").evaluate()
    overall = result[0] if isinstance(result, tuple) else result
    ent_type = overall["ent_type"] if "ent_type" in overall else overall["overall"]["ent_type"]
    ent_type = ent_type if isinstance(ent_type, dict) else vars(ent_type)
    assert [ent_type[c] for c in ("correct", "incorrect", "missed", "spurious")] == [0, 1, 0, 1]


def test_paired_bootstrap_p_is_one_when_the_systems_differ_on_no_resample():
    from _scoring import compare

    gold, pred = stance_case()
    same = compare([gold], [pred], [pred], trials=99, seed=1)
    assert same.tests["stances.labeled.f1"]["p_bootstrap"] == 1.0
    # One document, A right and B wrong on it: every resample is that document, so d* > 0 in all
    # 99: p = 2 (1 + 0) / (99 + 1) = 0.02.
    wrong = dict(pred, stances=[dict(s, polarity="neutral") for s in pred["stances"]])
    differ = compare([gold], [pred], [wrong], trials=99, seed=1)
    assert differ.tests["stances.labeled.f1"]["delta"] == pytest.approx(1 / 3)
    assert differ.tests["stances.labeled.f1"]["p_bootstrap"] == pytest.approx(0.02)


def test_token_role_scores_and_krippendorff_alpha_by_hand():
    # "Ann said the plan works." has 6 tokens. Gold: source Ann, cue said, content "the plan works";
    # the prediction's content starts one word late. Roles (gold/pred): source/source, cue/cue,
    # content/none, content/content, content/content, none/none.
    text = "Ann said the plan works." + " " * 20
    gold = gold_doc(
        text=text,
        mentions=[men("m1", 0, 3, "PER")],
        attributions=[
            {"id": "a1", "source": "m1", "cue": _span(4, 8), "content": [_span(9, 23)], "quote": "indirect"}
        ],
    )
    pred = {
        "id": "d1",
        "mentions": [men("x1", 0, 3, "PER")],
        "attributions": [{"id": "p1", "source": "x1", "cue": _span(4, 8), "content": [_span(13, 23)]}],
    }
    roles = scores([gold], [pred]).scores["attributions"]["tokens"]
    assert roles["tokens"] == 6
    assert roles["per_role"]["content"] == {
        "gold": 3,
        "pred": 2,
        "correct": 2,
        "precision": 1.0,
        "recall": pytest.approx(2 / 3),
        "f1": pytest.approx(0.8),
    }
    assert roles["macro_f1"] == pytest.approx((1 + 1 + 0.8) / 3)
    # Coincidences: none 3, content 5, cue 2, source 2 (n = 12); 2 disagreeing pairs (both orders):
    # alpha = 1 - (12 - 1) * 2 / (12^2 - (3^2 + 5^2 + 2^2 + 2^2)) = 1 - 22 / 102.
    assert roles["alpha"] == pytest.approx(1 - 22 / 102)
    from sayso.agree import krippendorff_alpha

    units = [("source", "source"), ("cue", "cue"), ("content", "none"), ("content",) * 2, ("content",) * 2]
    assert krippendorff_alpha([*units, ("none", "none")]) == pytest.approx(roles["alpha"])
