"""Properties of ``sayso score`` on generated data (issue 4), and agreement with nervaluate.

Documents are generated from fixed seeds, so every run checks the same cases.
"""

from __future__ import annotations

import copy
import random

import pytest
from _scoring import compare as compare_documents
from _scoring import score as score_documents

from sayso.score import HEADLINE

TYPES = ("PER", "ORG", "GPE", "LOC", "NORP", "EVENT")
POLARITIES = ("support", "oppose", "neutral")


def _spans(rng: random.Random, n: int, length: int, overlaps: bool) -> list[tuple[int, int]]:
    """``n`` spans in ``[0, length)``; disjoint (with a gap) unless ``overlaps``."""
    if overlaps:
        out = set()
        while len(out) < n:
            s = rng.randrange(0, length - 8)
            out.add((s, s + rng.randint(1, 8)))
        return sorted(out)
    slots = rng.sample(range(length // 10), n)
    return sorted((10 * k + 1, 10 * k + 1 + rng.randint(1, 7)) for k in slots)


def make_gold(rng: random.Random, doc_id: str, overlaps: bool = True) -> dict:
    text = "".join(rng.choice("abcdefgh ") for _ in range(600))
    spans = _spans(rng, rng.randint(0, 14), 600, overlaps)
    n_ent = max(1, len(spans) // 2)
    mentions = [
        {
            "id": f"m{i}",
            "start": s,
            "end": e,
            "type": rng.choice(TYPES),
            "kind": rng.choice(("NAM", "NAM", "NOM", "PRO")),
            "entity": f"e{rng.randrange(n_ent)}",
        }
        for i, (s, e) in enumerate(spans)
    ]
    entities = [
        {"id": f"e{k}", "type": None, "wikidata": rng.choice((None, f"Q{rng.randint(1, 40)}"))}
        for k in range(n_ent)
    ]
    attributions = []
    for k in range(rng.randint(0, 5)):
        start = rng.randrange(0, 500)
        attributions.append(
            {
                "id": f"a{k}",
                "source": rng.choice([None] + [m["id"] for m in mentions]),
                "cue": rng.choice((None, {"start": start, "end": start + 4})),
                "content": [{"start": start + 5, "end": start + 5 + rng.randint(5, 60)}],
                "quote": rng.choice(("direct", "indirect", "mixed", None)),
                "via": rng.choice([None] + [f"a{j}" for j in range(k)]),
                "identity": rng.choice(("named", "anonymous", "generic", None)),
                "source_type": rng.choice(("government", "media", "expert", None)),
                "channel": rng.choice(("statement", "interview", "document", None)),
            }
        )
    stances = []
    if mentions:
        for k in range(rng.randint(0, 4)):
            stances.append(
                {
                    "id": f"s{k}",
                    "holder": rng.choice(["author"] + [m["id"] for m in mentions]),
                    "target": rng.choice(mentions)["id"],
                    "polarity": rng.choice(POLARITIES),
                }
            )
    phenomena = rng.sample(["nested-attribution", "pronoun-source", "mixed-quote"], rng.randint(0, 2))
    return {
        "id": doc_id,
        "text": text,
        "meta": {"phenomena": phenomena},
        "mentions": mentions,
        "entities": entities,
        "attributions": attributions,
        "stances": stances,
    }


def as_prediction(gold: dict) -> dict:
    pred = copy.deepcopy(gold)
    del pred["meta"]
    return pred


def perturb(rng: random.Random, gold: dict) -> dict:
    """A plausible system output: misses, boundary and type errors, spurious items, wrong labels."""
    pred = as_prediction(gold)
    mentions = []
    for m in pred["mentions"]:
        r = rng.random()
        if r < 0.1:
            continue
        if r < 0.2:
            m["end"] = min(len(gold["text"]), m["end"] + rng.randint(1, 3))
        elif r < 0.3:
            m["type"] = rng.choice(TYPES)
        mentions.append(m)
    if rng.random() < 0.5:
        s = rng.randrange(0, 590)
        mentions.append(
            {
                "id": "extra",
                "start": s,
                "end": s + 5,
                "type": rng.choice(TYPES),
                "kind": "NAM",
                "entity": None,
            }
        )
    kept = {m["id"] for m in mentions}
    pred["mentions"] = mentions
    for m in pred["mentions"]:
        if m["entity"] is not None and rng.random() < 0.2:
            m["entity"] = None
    pred["attributions"] = [a for a in pred["attributions"] if rng.random() > 0.2]
    ids = {a["id"] for a in pred["attributions"]}
    for a in pred["attributions"]:
        if a["source"] not in kept:
            a["source"] = None
        if a["via"] not in ids:
            a["via"] = None
        if rng.random() < 0.3:
            a["content"][0]["end"] += rng.randint(0, 40)
        a["source_type"] = rng.choice(("government", "media", "expert", None))
    pred["stances"] = [
        s
        for s in pred["stances"]
        if (s["holder"] in kept or s["holder"] == "author") and s["target"] in kept and rng.random() > 0.2
    ]
    for s in pred["stances"]:
        if rng.random() < 0.3:
            s["polarity"] = rng.choice(POLARITIES)
    return pred


def corpus(seed: int, n: int = 25, overlaps: bool = True) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    gold = [make_gold(rng, f"doc-{k:03d}", overlaps) for k in range(n)]
    return gold, [perturb(rng, g) for g in gold]


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_gold_against_itself_is_one_everywhere(seed):
    gold, _ = corpus(seed)
    for mentions in ("nam", "all"):
        result = score_documents(gold, [as_prediction(g) for g in gold], mentions=mentions)
        for key in HEADLINE:
            assert result.headline[key] in (1.0, None), key
        assert result.headline["mentions.strict.f1"] == 1.0
        assert result.headline["attributions.f1"] == 1.0
        assert result.headline["stances.labeled.f1"] == 1.0
        for tag in result.phenomena.values():
            assert set(tag["headline"].values()) <= {1.0, None}


def _shuffled(rng: random.Random, docs: list[dict]) -> list[dict]:
    docs = copy.deepcopy(docs)
    rng.shuffle(docs)
    for d in docs:
        for layer in ("mentions", "entities", "attributions", "stances"):
            rng.shuffle(d[layer])
        for a in d["attributions"]:
            rng.shuffle(a["content"])
    return docs


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffling_documents_or_items_changes_nothing(seed):
    gold, pred = corpus(seed)
    base = _without_gold_digest(score_documents(gold, pred, bootstrap=50, seed=1).to_json())
    rng = random.Random(seed + 100)
    for _ in range(3):
        again = score_documents(_shuffled(rng, gold), _shuffled(rng, pred), bootstrap=50, seed=1)
        # The digest names the gold content, in which the order of items is part of the text.
        assert _without_gold_digest(again.to_json()) == base


def _without_gold_digest(data: dict) -> dict:
    fields = data["signature"].split("|")
    return {**data, "signature": "|".join(f for f in fields if not f.startswith("gold:"))}


def _precisions(result) -> dict[str, float | None]:
    s = result.scores
    out = {f"mentions.{k}": s["mentions"][k]["precision"] for k in ("strict", "exact", "type", "partial")}
    out["linking"] = s["linking"]["precision"]
    out["attributions"] = s["attributions"]["precision"]
    out["stances.labeled"] = s["stances"]["labeled"]["precision"]
    out["stances.unlabeled"] = s["stances"]["unlabeled"]["precision"]
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_a_spurious_prediction_never_raises_precision(seed):
    gold, pred = corpus(seed)
    before = _precisions(score_documents(gold, pred))
    rng = random.Random(seed + 200)
    for _ in range(5):
        extra = copy.deepcopy(pred)
        doc = rng.choice(extra)
        s = rng.randrange(0, 570)  # room for the 30-character content below (texts are 600 long)
        doc["mentions"].append(
            {
                "id": "spur",
                "start": s,
                "end": s + rng.randint(1, 9),
                "type": rng.choice(TYPES),
                "kind": "NAM",
                "entity": None,
            }
        )
        doc["entities"].append({"id": "spur-e", "type": None, "wikidata": f"Q{rng.randint(41, 60)}"})
        doc["attributions"].append(
            {
                "id": "spur-a",
                "source": rng.choice((None, "spur")),
                "cue": None,
                "content": [{"start": s, "end": s + 30}],
                "quote": "direct",
                "via": None,
                "identity": None,
                "source_type": None,
                "channel": None,
            }
        )
        doc["stances"].append({"id": "spur-s", "holder": "author", "target": "spur", "polarity": "support"})
        after = _precisions(score_documents(gold, extra))
        for key, value in after.items():
            if value is not None and before[key] is not None:
                assert value <= before[key] + 1e-12, key


# --- nervaluate ------------------------------------------------------------------------------


def _nervaluate_docs(rng: random.Random, n: int) -> tuple[list[list[tuple]], list[list[tuple]]]:
    """Gold and predictions without overlaps or duplicates on either side (but a prediction may
    cover two gold spans, or a gold span two predictions), sorted as a tagger emits them."""
    golds, preds = [], []
    for _ in range(n):
        gold, pred = [], []
        pos = 0
        while pos < 400:
            kind = rng.random()
            s, e = pos, pos + rng.randint(1, 6)
            t = rng.choice(TYPES[:4])
            if kind < 0.6:
                gold.append((s, e, t))
                pred.append((s, e, t))
            elif kind < 0.68:
                gold.append((s, e, t))
                pred.append((s, e, rng.choice(TYPES[:4])))
            elif kind < 0.76:
                gold.append((s, e, t))
                pred.append((s + 1, e + 2, rng.choice((t, rng.choice(TYPES[:4])))))
                e += 2
            elif kind < 0.82:  # one prediction covering two gold spans
                gold += [(s, s + 2, t), (s + 3, s + 5, rng.choice(TYPES[:4]))]
                pred.append((s, s + 5, t))
                e = s + 5
            elif kind < 0.86:  # one gold span covering two predictions
                gold.append((s, s + 5, t))
                pred += [(s, s + 2, t), (s + 3, s + 5, rng.choice(TYPES[:4]))]
                e = s + 5
            elif kind < 0.93:
                gold.append((s, e, t))
            else:
                pred.append((s, e, t))
            pos = e + rng.randint(1, 5)
        golds.append(gold)
        preds.append(pred)
    return golds, preds


@pytest.mark.parametrize("seed", range(8))
def test_strict_and_exact_counts_equal_nervaluate(seed):
    nervaluate = pytest.importorskip("nervaluate")
    rng = random.Random(seed)
    golds, preds = _nervaluate_docs(rng, 30)

    def as_doc(k, spans, prefix):
        return {
            "id": f"d{k}",
            "text": "x" * 500,
            "mentions": [
                {"id": f"{prefix}{i}", "start": s, "end": e, "type": t, "kind": "NAM", "entity": None}
                for i, (s, e, t) in enumerate(spans)
            ],
        }

    ours = score_documents(
        [as_doc(k, g, "g") for k, g in enumerate(golds)],
        [as_doc(k, p, "p") for k, p in enumerate(preds)],
    ).scores["mentions"]

    def inclusive(docs):  # nervaluate's ends are inclusive
        return [[{"label": t, "start": s, "end": e - 1} for s, e, t in doc] for doc in docs]

    theirs = nervaluate.Evaluator(
        inclusive(golds), inclusive(preds), tags=list(TYPES), loader="dict"
    ).evaluate()
    for scheme, their_name in (
        ("strict", "strict"),
        ("exact", "exact"),
        ("partial", "partial"),
        ("type", "ent_type"),
    ):
        r = theirs["overall"][their_name]
        mine = ours[scheme]
        assert (mine["correct"], mine["incorrect"], mine["partial"], mine["missed"], mine["spurious"]) == (
            r.correct,
            r.incorrect,
            r.partial,
            r.missed,
            r.spurious,
        ), scheme
        assert mine["precision"] == pytest.approx(r.precision) and mine["recall"] == pytest.approx(r.recall)
    for type_, per in theirs["entities"].items():
        r = per["strict"]
        row = ours["per_type"][type_]
        assert (row["correct"], row["pred"], row["gold"]) == (r.correct, r.actual, r.possible), type_


def test_paired_tests_detect_a_real_difference_and_not_a_null_one():

    gold, pred = corpus(3, n=40)
    perfect = [as_prediction(g) for g in gold]
    cmp = compare_documents(gold, perfect, pred, trials=500, seed=5)
    t = cmp.tests["mentions.strict.f1"]
    assert t["delta"] > 0.2 and t["p_bootstrap"] < 0.01 and t["p_randomization"] < 0.01
    same = compare_documents(gold, pred, copy.deepcopy(pred), trials=200, seed=5)
    for key in HEADLINE:
        t = same.tests[key]
        if t["delta"] is not None:
            assert (t["delta"], t["p_bootstrap"], t["p_randomization"]) == (0.0, 1.0, 1.0), key


def test_bootstrap_is_chunked_and_brackets_the_estimate(monkeypatch):
    from sayso.score import _stats

    gold, pred = corpus(4, n=30)
    whole = score_documents(gold, pred, bootstrap=300, seed=9)
    monkeypatch.setattr(_stats, "_CHUNK_CELLS", 30 * 7)  # 7 resamples per chunk
    chunked = score_documents(gold, pred, bootstrap=300, seed=9)
    assert [len(list(_stats._chunks(300, 30)))] == [43]
    # the draws continue from chunk to chunk: the same resamples, so the same intervals
    assert chunked.intervals == whole.intervals
    for result in (whole, chunked):
        for key in ("mentions.strict.f1", "attributions.f1", "stances.labeled.f1"):
            lo, hi = result.intervals[key]
            assert lo <= result.headline[key] <= hi and hi - lo < 0.5


@pytest.mark.parametrize("seed", SEEDS)
def test_attribution_assignment_is_maximum_then_largest_total_dice(seed):
    """Against brute force on small random weight matrices (None: not compatible)."""
    from sayso.score._match import _assignment

    rng = random.Random(seed)

    def matchings(weights, row, used):
        if row == len(weights):
            yield []
            return
        yield from matchings(weights, row + 1, used)
        for col, w in enumerate(weights[row]):
            if w is not None and col not in used:
                for rest in matchings(weights, row + 1, used | {col}):
                    yield [(row, col), *rest]

    for _ in range(100):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        weights = [
            [round(rng.random(), 3) if rng.random() < 0.5 else None for _ in range(m)] for _ in range(n)
        ]

        def key(pairs, weights=weights):
            return len(pairs), round(sum(weights[i][j] for i, j in pairs), 9)

        got = _assignment(weights)
        assert len({i for i, _ in got}) == len({j for _, j in got}) == len(got)
        assert key(got) == max(map(key, matchings(weights, 0, frozenset())))


@pytest.mark.parametrize("seed", SEEDS)
def test_token_roles_are_the_highest_role_of_each_tokens_characters(seed):
    """role_counts against its definition, computed character by character for every token."""
    import re

    from sayso.score._roles import ROLES, _role_marks, role_counts

    rng = random.Random(seed)
    gold, pred = corpus(seed)
    for g, p in zip(gold, pred, strict=True):
        for doc in (g, p):  # spans that start or end inside words, too
            for record in doc["attributions"]:
                for span in record["content"]:
                    span["start"] = max(0, span["start"] - rng.randint(0, 2))
        counts: dict = {}
        role_counts(g["text"], g, p, counts)
        g_marks, p_marks = _role_marks(g, len(g["text"])), _role_marks(p, len(g["text"]))
        expected: dict = {}
        for token in re.finditer(r"\w+|[^\w\s]", g["text"]):
            a, b = token.span()
            key = f"attributions.tokens.{ROLES[max(g_marks[a:b])]}.{ROLES[max(p_marks[a:b])]}"
            expected[key] = expected.get(key, 0) + 1
        assert counts == expected
