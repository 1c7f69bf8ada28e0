"""Per-document sufficient statistics: counts that add up across documents.

``document_counts(gold, pred, ...)`` returns a flat ``{key: number}`` dict (absent key = 0).
Aggregation, bootstrap and significance all work on sums of these dicts, never by re-running
a matcher (sacreBLEU's design). Every key is listed in ``eval/METRICS.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..labels import label_names
from ._match import (
    Span,
    intersection_length,
    match_attributions,
    match_mentions,
    match_stances,
    merge_spans,
    span_length,
)

__all__ = [
    "LAYERS",
    "LAYER_FIELD",
    "ATTRIBUTE_FIELDS",
    "mention_spans",
    "document_counts",
    "mention_counts",
    "linking_counts",
    "attribution_counts",
    "stance_counts",
]

# Scored layer -> the document field it reads. Linking reads the entities layer.
LAYER_FIELD = {
    "mentions": "mentions",
    "linking": "entities",
    "attributions": "attributions",
    "stances": "stances",
}
LAYERS = tuple(LAYER_FIELD)
# Attribution fields classified on matched pairs; each is also the name of its labels.json layer.
ATTRIBUTE_FIELDS = ("source_type", "identity", "channel", "quote")


def mention_spans(
    doc: Mapping[str, Any], all_kinds: bool = False, type_map: Mapping | None = None
) -> list[Span]:
    """The ``(start, end, type)`` of the mentions that are scored.

    Only named mentions (``kind`` NAM; a missing or null kind counts as NAM) unless
    ``all_kinds``. ``type_map`` renames types first; a type mapped to None leaves the mention out.
    """
    spans = []
    for m in doc.get("mentions") or ():
        if not all_kinds and m.get("kind") not in ("NAM", None):
            continue
        type_ = m["type"]
        if type_map is not None and type_ in type_map:
            type_ = type_map[type_]
            if type_ is None:
                continue
        spans.append((m["start"], m["end"], type_))
    return spans


def mention_counts(gold: list[Span], pred: list[Span], counts: dict[str, int]) -> None:
    """Add the mention-layer counts of one document to ``counts``."""
    counts["mentions.gold"] = len(gold)
    counts["mentions.pred"] = len(pred)
    for type_ in Counter(t for _, _, t in gold).items():
        counts[f"mentions.per_type.{type_[0]}.gold"] = type_[1]
    for type_ in Counter(t for _, _, t in pred).items():
        counts[f"mentions.per_type.{type_[0]}.pred"] = type_[1]
    if not gold or not pred:
        for scheme in ("strict", "exact", "type", "partial"):
            counts[f"mentions.{scheme}.missed"] = len(gold)
            counts[f"mentions.{scheme}.spurious"] = len(pred)
        if pred:
            counts["mentions.duplicates"] = len(pred) - len(set(pred))
        return
    match = match_mentions(gold, pred)
    counts["mentions.duplicates"] = len(match.duplicates)
    for scheme in ("strict", "exact", "type", "partial"):
        m = match.scheme(scheme)
        counts[f"mentions.{scheme}.correct"] = len(m.correct)
        counts[f"mentions.{scheme}.incorrect"] = len(m.incorrect)
        counts[f"mentions.{scheme}.partial"] = len(m.partial)
        counts[f"mentions.{scheme}.missed"] = len(m.missed)
        counts[f"mentions.{scheme}.spurious"] = len(m.spurious)
    for type_, n in Counter(gold[g][2] for g, _ in match.strict.correct).items():
        counts[f"mentions.per_type.{type_}.correct"] = n


def linking_counts(gold: Mapping, pred: Mapping, counts: dict[str, int]) -> None:
    """Sets of Wikidata ids of the document's entities (gold entities without an id are skipped)."""
    g = {e["wikidata"] for e in gold.get("entities") or () if e.get("wikidata")}
    p = {e["wikidata"] for e in pred.get("entities") or () if e.get("wikidata")}
    counts["linking.gold"] = len(g)
    counts["linking.pred"] = len(p)
    counts["linking.correct"] = len(g & p)


def _label_counts(prefix: str, pairs: list[tuple[Any, Any]], counts: dict[str, int]) -> None:
    """Accuracy and per-label tp/fp/fn of (gold, predicted) labels; gold None is not scored."""
    n = correct = 0
    for g, p in pairs:
        if g is None:
            continue
        n += 1
        if g == p:
            correct += 1
            key = f"{prefix}.{g}.tp"
            counts[key] = counts.get(key, 0) + 1
        else:
            key = f"{prefix}.{g}.fn"
            counts[key] = counts.get(key, 0) + 1
            if p is not None:
                key = f"{prefix}.{p}.fp"
                counts[key] = counts.get(key, 0) + 1
    counts[f"{prefix}.n"] = n
    counts[f"{prefix}.correct"] = correct


def _spans(items: Any) -> list[tuple[int, int]]:
    return [(s["start"], s["end"]) for s in items or ()]


def attribution_counts(gold: Mapping, pred: Mapping, counts: dict[str, int], min_dice: float = 0.5) -> list:
    """Add the attribution-layer counts; returns the matched ``(gold, pred)`` index pairs."""
    g_recs = gold.get("attributions") or []
    p_recs = pred.get("attributions") or []
    pairs = match_attributions(gold, pred, min_dice)
    counts["attributions.gold"] = len(g_recs)
    counts["attributions.pred"] = len(p_recs)
    counts["attributions.matched"] = len(pairs)
    for field in ATTRIBUTE_FIELDS:
        _label_counts(
            f"attributions.{field}", [(g_recs[i].get(field), p_recs[j].get(field)) for i, j in pairs], counts
        )
    # via: the predicted relay must be the prediction matched to the gold relay (or both none).
    g_index = {r["id"]: i for i, r in enumerate(g_recs)}
    p_index = {r["id"]: j for j, r in enumerate(p_recs)}
    matched = dict(pairs)
    via_correct = 0
    for i, j in pairs:
        g_via, p_via = g_recs[i].get("via"), p_recs[j].get("via")
        if g_via is None or p_via is None:
            via_correct += g_via is None and p_via is None
        else:
            via_correct += matched.get(g_index.get(g_via, -1), -2) == p_index.get(p_via, -3)
    counts["attributions.via.n"] = len(pairs)
    counts["attributions.via.correct"] = via_correct
    g_cues = Counter((r["cue"]["start"], r["cue"]["end"]) for r in g_recs if r.get("cue"))
    p_cues = Counter((r["cue"]["start"], r["cue"]["end"]) for r in p_recs if r.get("cue"))
    counts["attributions.cue.gold"] = sum(g_cues.values())
    counts["attributions.cue.pred"] = sum(p_cues.values())
    counts["attributions.cue.correct"] = sum((g_cues & p_cues).values())
    g_chars = merge_spans([s for r in g_recs for s in _spans(r.get("content"))])
    p_chars = merge_spans([s for r in p_recs for s in _spans(r.get("content"))])
    counts["attributions.content.gold_chars"] = span_length(g_chars)
    counts["attributions.content.pred_chars"] = span_length(p_chars)
    counts["attributions.content.overlap_chars"] = intersection_length(g_chars, p_chars)
    return pairs


def stance_counts(gold: Mapping, pred: Mapping, counts: dict[str, int]) -> Any:
    """Add the stance-layer counts; returns the :class:`StanceMatch`."""
    g_recs = gold.get("stances") or []
    p_recs = pred.get("stances") or []
    match = match_stances(gold, pred)
    counts["stances.gold"] = len(g_recs)
    counts["stances.pred"] = len(p_recs)
    counts["stances.labeled"] = len(match.labeled)
    counts["stances.unlabeled"] = len(match.pairs)
    for label in label_names("polarity"):
        counts[f"stances.record.{label}.gold"] = sum(r["polarity"] == label for r in g_recs)
        counts[f"stances.record.{label}.pred"] = sum(r["polarity"] == label for r in p_recs)
        counts[f"stances.record.{label}.correct"] = sum(
            g_recs[i]["polarity"] == label for i, _ in match.labeled
        )
    _label_counts(
        "stances.polarity", [(g_recs[i]["polarity"], p_recs[j]["polarity"]) for i, j in match.pairs], counts
    )
    return match


def document_counts(
    gold: Mapping[str, Any],
    pred: Mapping[str, Any],
    layers: tuple[str, ...] = LAYERS,
    *,
    all_kinds: bool = False,
    gold_types: Mapping | None = None,
    pred_types: Mapping | None = None,
    min_dice: float = 0.5,
) -> tuple[dict[str, int], tuple[str, ...]]:
    """The counts of one document for the requested ``layers``.

    Returns ``(counts, scored)``: ``scored`` are the layers actually scored here (a layer whose
    gold field is null is not annotated in this document and is skipped, not counted as empty).
    A missing or null predicted layer is an empty prediction.
    """
    counts: dict[str, int] = {}
    scored = []
    for layer in layers:
        if gold.get(LAYER_FIELD[layer]) is None:
            continue
        scored.append(layer)
        if layer == "mentions":
            mention_counts(
                mention_spans(gold, all_kinds, gold_types), mention_spans(pred, all_kinds, pred_types), counts
            )
        elif layer == "linking":
            linking_counts(gold, pred, counts)
        elif layer == "attributions":
            attribution_counts(gold, pred, counts, min_dice)
        else:
            stance_counts(gold, pred, counts)
    return counts, tuple(scored)
