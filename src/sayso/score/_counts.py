"""Per-document sufficient statistics: counts that add up across documents.

``document_counts(gold, pred, ...)`` returns a flat ``{key: number}`` dict (absent key = 0).
Aggregation, bootstrap and significance all work on sums of these dicts, never by re-running
a matcher (sacreBLEU's design). Every key is listed in ``eval/METRICS.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

from ..labels import label_names
from ._match import (
    Span,
    intersection_length,
    match_attributions,
    match_mentions,
    match_stances,
    merge_spans,
    overlap_matching,
    span_length,
)
from ._roles import role_counts

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
_NAMED = frozenset(("NAM", None))  # a missing or null kind counts as a name


def mention_spans(
    doc: Mapping[str, Any], all_kinds: bool = False, type_map: Mapping | None = None
) -> list[Span]:
    """The ``(start, end, type)`` of the mentions that are scored.

    Only named mentions (``kind`` NAM; a missing or null kind counts as NAM) unless
    ``all_kinds``. ``type_map`` renames types first; a type mapped to None leaves the mention out.
    """
    mentions = doc.get("mentions") or ()
    if type_map is None:  # the common case, as one comprehension
        if all_kinds:
            return [(m["start"], m["end"], m["type"]) for m in mentions]
        return [(m["start"], m["end"], m["type"]) for m in mentions if m.get("kind") in _NAMED]
    spans = []
    for m in mentions:
        if not all_kinds and m.get("kind") not in _NAMED:
            continue
        type_ = m["type"]
        if type_map is not None and type_ in type_map:
            type_ = type_map[type_]
            if type_ is None:
                continue
        spans.append((m["start"], m["end"], type_))
    return spans


_SCHEMES = ("strict", "exact", "type", "partial")
_CATEGORIES = ("correct", "incorrect", "partial", "missed", "spurious")
# Count keys built once: formatting them per document would cost more than the matching.
_KEY = {(s, c): f"mentions.{s}.{c}" for s in _SCHEMES for c in _CATEGORIES}
_TYPE_KEYS: dict[str, tuple[str, str, str]] = {}


def _type_keys(type_: str) -> tuple[str, str, str]:
    keys = _TYPE_KEYS.get(type_)
    if keys is None:
        keys = _TYPE_KEYS[type_] = tuple(
            f"mentions.per_type.{type_}.{k}" for k in ("gold", "pred", "correct")
        )
    return keys


# Per scheme: the keys of (correct, incorrect or partial, missed, spurious).
_SCHEME_KEYS = tuple(
    (
        scheme,
        tuple(
            _KEY[scheme, c]
            for c in ("correct", "partial" if scheme == "partial" else "incorrect", "missed", "spurious")
        ),
    )
    for scheme in _SCHEMES
)


def mention_counts(gold: list[Span], pred: list[Span], counts: dict[str, int]) -> None:
    """Add the mention-layer counts of one document to ``counts`` (zero counts are left out).

    Equal to counting :func:`match_mentions`' categories; exact agreement is a set
    intersection and only the leftovers go through the matchers (issue 4's speed targets).
    """
    n_gold, n_pred = len(gold), len(pred)
    get = counts.get
    # Added, not set: one dict can sum the counts of many documents (the workers' totals).
    counts["mentions.gold"] = get("mentions.gold", 0) + n_gold
    counts["mentions.pred"] = get("mentions.pred", 0) + n_pred
    gold_set = set(gold)
    if len(gold_set) != n_gold:  # duplicated gold mentions (possible between annotators): the full matcher
        _matched_counts(gold, pred, counts)
        return
    # Plain loops: for a handful of mentions they beat building Counters.
    keys = _TYPE_KEYS
    for span in gold:
        key = (keys.get(span[2]) or _type_keys(span[2]))[0]
        counts[key] = get(key, 0) + 1
    for span in pred:
        key = (keys.get(span[2]) or _type_keys(span[2]))[1]
        counts[key] = get(key, 0) + 1
    pred_set = set(pred)
    live_pred = len(pred_set)
    duplicates = n_pred - live_pred
    if duplicates:
        counts["mentions.duplicates"] = get("mentions.duplicates", 0) + duplicates
    common = gold_set & pred_set
    for span in common:
        key = keys[span[2]][2]
        counts[key] = get(key, 0) + 1
    n_common = len(common)
    if n_common == n_gold and n_common == live_pred:  # perfect agreement (bar duplicates)
        for _, (correct, _other, _missed, spurious) in _SCHEME_KEYS:
            counts[correct] = get(correct, 0) + n_gold
            if duplicates:
                counts[spurious] = get(spurious, 0) + duplicates
        return
    if n_common == n_gold or n_common == live_pred:  # nothing left on one side: nothing to match
        strict_inc = span_pairs = exact_inc = typed = type_inc = 0
    else:
        strict_inc, span_pairs, exact_inc, typed, type_inc = _leftover_counts(
            gold_set - common, pred_set - common
        )
    for (_, scheme_keys), correct, other in zip(
        _SCHEME_KEYS,
        (n_common, n_common + span_pairs, n_common + typed, n_common + span_pairs),
        (strict_inc, exact_inc, type_inc, exact_inc),
        strict=True,
    ):
        missed = n_gold - correct - other
        spurious = live_pred - correct - other + duplicates
        if correct:
            counts[scheme_keys[0]] = get(scheme_keys[0], 0) + correct
        if other:
            counts[scheme_keys[1]] = get(scheme_keys[1], 0) + other
        if missed:
            counts[scheme_keys[2]] = get(scheme_keys[2], 0) + missed
        if spurious:
            counts[scheme_keys[3]] = get(scheme_keys[3], 0) + spurious


def _leftover_counts(rest_g: set[Span], rest_p: set[Span]) -> tuple[int, int, int, int, int]:
    """Categories of the mentions left after exact agreement, in one sweep over clusters of
    overlapping spans: ``(strict incorrect, equal spans, exact incorrect, same-type overlaps,
    type incorrect)``. A cluster of one gold and one predicted span (the usual boundary or type
    error) is decided on the spot; larger clusters go through the matchers, cluster by cluster,
    which gives the same result as matching the whole document (matchings never cross clusters).
    """
    items = sorted([(*g, 0) for g in rest_g] + [(*p, 1) for p in rest_p])
    totals = [0, 0, 0, 0, 0]
    cluster: list[tuple] = []
    end = -1
    for item in items:
        if cluster and item[0] >= end:
            if len(cluster) == 2:
                _pair_counts(cluster[0], cluster[1], totals)
            elif len(cluster) > 2:
                _cluster_counts(cluster, totals)
            cluster = [item]
            end = item[1]
            continue
        if item[1] > end:
            end = item[1]
        cluster.append(item)
    if len(cluster) == 2:
        _pair_counts(cluster[0], cluster[1], totals)
    elif len(cluster) > 2:
        _cluster_counts(cluster, totals)
    return totals[0], totals[1], totals[2], totals[3], totals[4]


def _pair_counts(a: tuple, b: tuple, totals: list[int]) -> None:
    # Two overlapping spans; they count only if one is gold and the other predicted.
    if a[3] == b[3]:
        return
    totals[0] += 1
    if a[0] == b[0] and a[1] == b[1]:
        totals[1] += 1
    else:
        totals[2] += 1
    if a[2] == b[2]:
        totals[3] += 1
    else:
        totals[4] += 1


def _cluster_counts(cluster: list[tuple], totals: list[int]) -> None:
    golds = [c[:3] for c in cluster if c[3] == 0]
    preds = [c[:3] for c in cluster if c[3] == 1]
    if not golds or not preds:
        return
    if len(golds) == 1 and len(preds) == 1:  # pragma: no cover - pairs are handled by _pair_counts
        _pair_counts((*golds[0], 0), (*preds[0], 1), totals)
        return
    ig, ip = range(len(golds)), range(len(preds))
    totals[0] += len(overlap_matching(golds, preds, ig, ip))
    at: dict[tuple[int, int], list[int]] = {}
    for i, g in enumerate(golds):
        at.setdefault(g[:2], []).append(i)
    used_g, used_p = set(), set()
    for j, p in enumerate(preds):
        bucket = at.get(p[:2])
        if bucket:
            used_g.add(bucket.pop(0))
            used_p.add(j)
    totals[1] += len(used_g)
    left_g = [i for i in ig if i not in used_g]
    left_p = [j for j in ip if j not in used_p]
    totals[2] += len(overlap_matching(golds, preds, left_g, left_p))
    typed = overlap_matching(golds, preds, ig, ip, same_type=True)
    totals[3] += len(typed)
    tg = {g for g, _ in typed}
    tp = {p for _, p in typed}
    totals[4] += len(
        overlap_matching(golds, preds, [i for i in ig if i not in tg], [j for j in ip if j not in tp])
    )


def _matched_counts(gold: list[Span], pred: list[Span], counts: dict[str, int]) -> None:
    match = match_mentions(gold, pred)
    found: Counter[str] = Counter()
    if match.duplicates:
        found["mentions.duplicates"] = len(match.duplicates)
    for scheme in _SCHEMES:
        m = match.scheme(scheme)
        for category in _CATEGORIES:
            found[_KEY[scheme, category]] = len(getattr(m, category))
    for type_, n in Counter(gold[g][2] for g, _ in match.strict.correct).items():
        found[_type_keys(type_)[2]] = n
    for type_, n in Counter(map(itemgetter(2), gold)).items():
        found[_type_keys(type_)[0]] = n
    for type_, n in Counter(map(itemgetter(2), pred)).items():
        found[_type_keys(type_)[1]] = n
    for key, value in found.items():
        if value:  # zero counts are left out
            counts[key] = counts.get(key, 0) + value


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
    if g_recs or p_recs:
        role_counts(gold["text"], gold, pred, counts)
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
