"""``--errors``: the missed and spurious items of each document, with their context.

Mentions use the strict scheme (a boundary or type error shows as one missed and one
spurious item, with the other side named); attributions and stances use the record matching.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ._counts import mention_spans
from ._match import match_attributions, match_mentions, match_stances

__all__ = ["error_lines"]

_CONTEXT = 30


def _context(text: str, start: int, end: int) -> str:
    left = text[max(0, start - _CONTEXT) : start].replace("\n", " ")
    right = text[end : end + _CONTEXT].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


def _mention_errors(doc_id: str, text: str, gold: list, pred: list) -> Iterator[str]:
    match = match_mentions(gold, pred)
    partner_of_gold = {g: p for g, p in match.strict.incorrect}
    partner_of_pred = {p: g for g, p in match.strict.incorrect}
    dups = set(match.duplicates)
    for g in sorted(list(match.strict.missed) + list(partner_of_gold), key=lambda i: gold[i]):
        s, e, t = gold[g]
        note = ""
        if g in partner_of_gold:
            ps, pe, pt = pred[partner_of_gold[g]]
            note = f" (predicted {pt} [{ps}, {pe}) {text[ps:pe]!r})"
        yield f"{doc_id}\tmention\tmissed\t{t} [{s}, {e})\t{_context(text, s, e)}{note}"
    for p in sorted(list(match.strict.spurious) + list(partner_of_pred), key=lambda j: pred[j]):
        s, e, t = pred[p]
        note = " (duplicate)" if p in dups else ""
        if p in partner_of_pred:
            gs, ge, gt = gold[partner_of_pred[p]]
            note = f" (gold {gt} [{gs}, {ge}) {text[gs:ge]!r})"
        yield f"{doc_id}\tmention\tspurious\t{t} [{s}, {e})\t{_context(text, s, e)}{note}"


def _content(text: str, record: Mapping) -> str:
    spans = sorted((s["start"], s["end"]) for s in record["content"])
    return " | ".join(_context(text, s, e) for s, e in spans[:2])


def _who_text(text: str, doc: Mapping, ref: str | None) -> str:
    if ref is None or ref == "author":
        return str(ref)
    for m in doc.get("mentions") or ():
        if m["id"] == ref:
            return repr(text[m["start"] : m["end"]])
    return ref


def error_lines(
    gold: Mapping[str, Any],
    pred: Mapping[str, Any],
    layers: tuple[str, ...],
    *,
    all_kinds: bool = False,
    gold_types: Mapping | None = None,
    pred_types: Mapping | None = None,
    min_dice: float = 0.5,
) -> Iterator[str]:
    """Tab-separated lines ``id, layer, missed|spurious, item, context`` for one document."""
    text = gold["text"]
    doc_id = gold["id"]
    if "mentions" in layers and gold.get("mentions") is not None:
        yield from _mention_errors(
            doc_id,
            text,
            mention_spans(gold, all_kinds, gold_types),
            mention_spans(pred, all_kinds, pred_types),
        )
    if "attributions" in layers and gold.get("attributions") is not None:
        g_recs, p_recs = gold["attributions"], pred.get("attributions") or []
        pairs = match_attributions(gold, pred, min_dice)
        used_g, used_p = {i for i, _ in pairs}, {j for _, j in pairs}
        for side, recs, used, doc in (("missed", g_recs, used_g, gold), ("spurious", p_recs, used_p, pred)):
            for k, r in enumerate(recs):
                if k not in used:
                    who = _who_text(text, doc, r.get("source"))
                    yield f"{doc_id}\tattribution\t{side}\t{r['id']} source {who}\t{_content(text, r)}"
    if "stances" in layers and gold.get("stances") is not None:
        g_recs, p_recs = gold["stances"], pred.get("stances") or []
        match = match_stances(gold, pred)
        used_g, used_p = {i for i, _ in match.labeled}, {j for _, j in match.labeled}
        for side, recs, used, doc in (("missed", g_recs, used_g, gold), ("spurious", p_recs, used_p, pred)):
            for k, r in enumerate(recs):
                if k not in used:
                    yield (
                        f"{doc_id}\tstance\t{side}\t{r['id']} {_who_text(text, doc, r['holder'])} "
                        f"{r['polarity']} {_who_text(text, doc, r['target'])}\t"
                    )
