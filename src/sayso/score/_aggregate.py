"""From summed counts to scores: precision, recall, F1 (micro), macro-F1, accuracy.

Pure functions of a ``{key: number}`` mapping of summed counts (see ``_counts``). A ratio
whose denominator is zero is ``None`` (nothing to score), never ``0.0``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..labels import label_names
from ._counts import ATTRIBUTE_FIELDS
from ._roles import role_alpha, role_scores

__all__ = ["ratio", "prf", "macro_f1", "layer_scores", "headline", "HEADLINE", "add_counts"]

Totals = Mapping[str, float]

# The headline figures: bootstrapped, compared, and shown in the leaderboard row, in this order.
HEADLINE = (
    "mentions.strict.f1",
    "mentions.exact.f1",
    "mentions.type.f1",
    "mentions.partial.f1",
    "mentions.macro_f1",
    "linking.f1",
    "attributions.f1",
    "attributions.source_type.macro_f1",
    "attributions.identity.macro_f1",
    "attributions.channel.macro_f1",
    "attributions.quote.macro_f1",
    "attributions.via.accuracy",
    "attributions.tokens.alpha",
    "stances.labeled.f1",
    "stances.unlabeled.f1",
    "stances.polarity.macro_f1",
    "stances.favg",
)


def ratio(num: float, den: float) -> float | None:
    """``num / den``, or None when ``den`` is 0."""
    return num / den if den else None


def add_counts(total: dict[str, float], counts: Mapping[str, float]) -> dict[str, float]:
    """Add ``counts`` into ``total`` in place and return it."""
    get = total.get
    for key, value in counts.items():
        total[key] = get(key, 0) + value
    return total


def prf(correct: float, pred: float, gold: float) -> dict[str, float | None]:
    """Micro precision, recall and F1 from a (possibly weighted) number of correct items.

    F1 is ``2 * correct / (pred + gold)``, equal to the harmonic mean of precision and recall
    whenever both exist, and 0.0 when one side is empty but not the other.

    >>> prf(3, 4, 6)
    {'precision': 0.75, 'recall': 0.5, 'f1': 0.6}
    """
    return {
        "precision": ratio(correct, pred),
        "recall": ratio(correct, gold),
        "f1": ratio(2 * correct, pred + gold),
    }


def _f1(t: Totals, prefix: str, label: str) -> tuple[float | None, dict[str, Any]]:
    tp = t.get(f"{prefix}.{label}.tp", 0)
    fp = t.get(f"{prefix}.{label}.fp", 0)
    fn = t.get(f"{prefix}.{label}.fn", 0)
    row = {"tp": tp, "fp": fp, "fn": fn, **prf(tp, tp + fp, tp + fn)}
    return row["f1"], row


def macro_f1(t: Totals, prefix: str, labels: Iterable[str]) -> float | None:
    """Unweighted mean of per-label F1 over the declared ``labels`` that occur in gold or
    prediction (labels absent on both sides are undefined and left out)."""
    values = [f for f in (_f1(t, prefix, label)[0] for label in labels) if f is not None]
    return sum(values) / len(values) if values else None


def _classification(t: Totals, prefix: str, layer: str) -> dict[str, Any]:
    per_label = {label: _f1(t, prefix, label)[1] for label in label_names(layer)}
    n = t.get(f"{prefix}.n", 0)
    correct = t.get(f"{prefix}.correct", 0)
    return {
        "n": n,
        "correct": correct,
        "accuracy": ratio(correct, n),
        "macro_f1": macro_f1(t, prefix, label_names(layer)),
        "per_label": per_label,
    }


def _mentions(t: Totals) -> dict[str, Any]:
    gold, pred = t.get("mentions.gold", 0), t.get("mentions.pred", 0)
    out: dict[str, Any] = {"gold": gold, "pred": pred, "duplicates": t.get("mentions.duplicates", 0)}
    for scheme in ("strict", "exact", "type", "partial"):
        cats = {
            c: t.get(f"mentions.{scheme}.{c}", 0)
            for c in ("correct", "incorrect", "partial", "missed", "spurious")
        }
        out[scheme] = {**cats, **prf(cats["correct"] + 0.5 * cats["partial"], pred, gold)}
    per_type = {}
    for type_ in label_names("mention_type"):
        g = t.get(f"mentions.per_type.{type_}.gold", 0)
        p = t.get(f"mentions.per_type.{type_}.pred", 0)
        c = t.get(f"mentions.per_type.{type_}.correct", 0)
        per_type[type_] = {"gold": g, "pred": p, "correct": c, **prf(c, p, g)}
    out["per_type"] = per_type
    f1s = [row["f1"] for row in per_type.values() if row["f1"] is not None]
    out["macro_f1"] = sum(f1s) / len(f1s) if f1s else None
    return out


def _attributions(t: Totals) -> dict[str, Any]:
    gold, pred, matched = (t.get(f"attributions.{k}", 0) for k in ("gold", "pred", "matched"))
    out: dict[str, Any] = {"gold": gold, "pred": pred, "matched": matched, **prf(matched, pred, gold)}
    out["fields"] = {f: _classification(t, f"attributions.{f}", f) for f in ATTRIBUTE_FIELDS}
    n, c = t.get("attributions.via.n", 0), t.get("attributions.via.correct", 0)
    out["via"] = {"n": n, "correct": c, "accuracy": ratio(c, n)}
    cue = {k: t.get(f"attributions.cue.{k}", 0) for k in ("gold", "pred", "correct")}
    out["cue"] = {**cue, **prf(cue["correct"], cue["pred"], cue["gold"])}
    g, p, o = (t.get(f"attributions.content.{k}", 0) for k in ("gold_chars", "pred_chars", "overlap_chars"))
    out["content"] = {"gold_chars": g, "pred_chars": p, "overlap_chars": o, **prf(o, p, g)}
    out["tokens"] = role_scores(t)
    return out


def _stances(t: Totals) -> dict[str, Any]:
    gold, pred = t.get("stances.gold", 0), t.get("stances.pred", 0)
    labeled, unlabeled = t.get("stances.labeled", 0), t.get("stances.unlabeled", 0)
    out: dict[str, Any] = {
        "gold": gold,
        "pred": pred,
        "labeled": {"correct": labeled, **prf(labeled, pred, gold)},
        "unlabeled": {"correct": unlabeled, **prf(unlabeled, pred, gold)},
        "polarity": _classification(t, "stances.polarity", "polarity"),
    }
    per = {}
    for label in label_names("polarity"):
        g, p, c = (t.get(f"stances.record.{label}.{k}", 0) for k in ("gold", "pred", "correct"))
        per[label] = {"gold": g, "pred": p, "correct": c, **prf(c, p, g)}
    out["per_polarity"] = per
    out["favg"] = _favg(t)
    return out


def _favg(t: Totals) -> float | None:
    """SemEval-2016 task 6's F_avg, as its official eval.pl computes it: the mean of the support
    and oppose F1 over stance records, where a class absent from both gold and prediction has F1
    0 (eval.pl sets an undefined precision, recall or F to 0). None only when there is no stance
    record at all on either side (nothing was scored)."""
    if not (t.get("stances.gold", 0) or t.get("stances.pred", 0)):
        return None
    total = 0.0
    for label in ("support", "oppose"):
        den = t.get(f"stances.record.{label}.gold", 0) + t.get(f"stances.record.{label}.pred", 0)
        total += 2 * t.get(f"stances.record.{label}.correct", 0) / den if den else 0.0
    return total / 2


def _linking(t: Totals) -> dict[str, Any]:
    g, p, c = (t.get(f"linking.{k}", 0) for k in ("gold", "pred", "correct"))
    return {"gold": g, "pred": p, "correct": c, **prf(c, p, g)}


_LAYER_SCORES = {
    "mentions": _mentions,
    "linking": _linking,
    "attributions": _attributions,
    "stances": _stances,
}


def layer_scores(t: Totals, layers: Iterable[str]) -> dict[str, Any]:
    """Nested scores of every layer in ``layers`` (a layer outside it maps to None)."""
    wanted = set(layers)
    return {name: (fn(t) if name in wanted else None) for name, fn in _LAYER_SCORES.items()}


def headline(t: Totals, layers: Iterable[str]) -> dict[str, float | None]:
    """The :data:`HEADLINE` figures from summed counts (None for layers not scored).

    Cheap enough to run once per bootstrap resample.
    """
    wanted = set(layers)
    out: dict[str, float | None] = dict.fromkeys(HEADLINE)
    if "mentions" in wanted:
        gold, pred = t.get("mentions.gold", 0), t.get("mentions.pred", 0)
        for scheme in ("strict", "exact", "type", "partial"):
            w = t.get(f"mentions.{scheme}.correct", 0) + 0.5 * t.get(f"mentions.{scheme}.partial", 0)
            out[f"mentions.{scheme}.f1"] = ratio(2 * w, pred + gold)
        f1s = []
        for type_ in label_names("mention_type"):
            den = t.get(f"mentions.per_type.{type_}.gold", 0) + t.get(f"mentions.per_type.{type_}.pred", 0)
            if den:
                f1s.append(2 * t.get(f"mentions.per_type.{type_}.correct", 0) / den)
        out["mentions.macro_f1"] = sum(f1s) / len(f1s) if f1s else None
    if "linking" in wanted:
        out["linking.f1"] = ratio(
            2 * t.get("linking.correct", 0), t.get("linking.gold", 0) + t.get("linking.pred", 0)
        )
    if "attributions" in wanted:
        den = t.get("attributions.gold", 0) + t.get("attributions.pred", 0)
        out["attributions.f1"] = ratio(2 * t.get("attributions.matched", 0), den)
        for f in ATTRIBUTE_FIELDS:
            out[f"attributions.{f}.macro_f1"] = macro_f1(t, f"attributions.{f}", label_names(f))
        out["attributions.via.accuracy"] = ratio(
            t.get("attributions.via.correct", 0), t.get("attributions.via.n", 0)
        )
        out["attributions.tokens.alpha"] = role_alpha(t)
    if "stances" in wanted:
        den = t.get("stances.gold", 0) + t.get("stances.pred", 0)
        out["stances.labeled.f1"] = ratio(2 * t.get("stances.labeled", 0), den)
        out["stances.unlabeled.f1"] = ratio(2 * t.get("stances.unlabeled", 0), den)
        out["stances.polarity.macro_f1"] = macro_f1(t, "stances.polarity", label_names("polarity"))
        out["stances.favg"] = _favg(t)
    return out
