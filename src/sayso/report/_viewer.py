"""The document viewer: gold and predicted annotations of one article side by side, errors marked.

Mentions are matched with the scorer's strict scheme (same span and type; named mentions only,
as scored), attributions and stances with the scorer's own matchers, so what the viewer marks
as an error is exactly what the scores count.
"""

from __future__ import annotations

from html import escape
from typing import Any

__all__ = ["document_view", "attribution_pairs", "stance_pairs"]

_FIELDS = ("quote", "identity", "source_type", "channel")


def _mention_status(gold: dict, pred: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Status per mention id: ok, type (same span, wrong type), boundary (overlap), missed, spurious."""
    from ..score import match_mentions

    g_named = [m for m in gold.get("mentions") or [] if m.get("kind") in ("NAM", None)]
    p_named = [m for m in pred.get("mentions") or [] if m.get("kind") in ("NAM", None)]
    match = match_mentions(
        [(m["start"], m["end"], m["type"]) for m in g_named],
        [(m["start"], m["end"], m["type"]) for m in p_named],
    )
    g_stat = {m["id"]: "missed" for m in g_named}
    p_stat = {m["id"]: "spurious" for m in p_named}
    for gi, pi in match.strict.correct:
        g_stat[g_named[gi]["id"]] = p_stat[p_named[pi]["id"]] = "ok"
    for gi, pi in match.strict.incorrect:
        same_span = (g_named[gi]["start"], g_named[gi]["end"]) == (p_named[pi]["start"], p_named[pi]["end"])
        g_stat[g_named[gi]["id"]] = p_stat[p_named[pi]["id"]] = "type" if same_span else "boundary"
    return g_stat, p_stat


def attribution_pairs(gold: dict, pred: dict) -> list[tuple[int, int]]:
    """Matched (gold index, predicted index) attribution pairs, as the scorer matches them."""
    from ..score import match_attributions

    if not gold.get("attributions") or not pred.get("attributions"):
        return []
    return match_attributions(gold, pred)


def stance_pairs(gold: dict, pred: dict) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """(pairs agreeing on holder and target, the subset also agreeing on polarity)."""
    from ..score import match_stances

    m = match_stances(gold, pred)
    return list(m.pairs), set(m.labeled)


def _spans_view(text: str, doc: dict, status: dict[str, str]) -> str:
    """The text with mentions, cues and contents marked; segments are cut at every boundary."""
    marks: list[tuple[int, int, str, str]] = []  # start, end, css class, tooltip
    for m in doc.get("mentions") or []:
        state = status.get(m["id"], "other")
        marks.append(
            (m["start"], m["end"], f"m m-{state}", f"{m['id']} {m['type']} {m.get('kind')} ({state})")
        )
    for a in doc.get("attributions") or []:
        if a.get("cue"):
            marks.append((a["cue"]["start"], a["cue"]["end"], "cue", f"cue of {a['id']}"))
        for c in a.get("content") or []:
            marks.append((c["start"], c["end"], "content", f"content of {a['id']}"))
    cuts = sorted({0, len(text)} | {s for s, _, _, _ in marks} | {e for _, e, _, _ in marks})
    starts: dict[int, list[tuple[int, int, str, str]]] = {}
    for mark in marks:
        if mark[2].startswith("m "):
            starts.setdefault(mark[0], []).append(mark)
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b or a < 0 or b > len(text):
            continue
        covering = [k for k in marks if k[0] <= a and b <= k[1]]
        for _, _, css, tip in sorted(starts.get(a, []), key=lambda k: -k[1]):
            label = tip.split()[1]
            out.append(f'<sup class="tag {css.split()[1]}">{escape(label)}</sup>')
        piece = escape(text[a:b])
        if covering:
            classes = " ".join(sorted({c for k in covering for c in k[2].split()}))
            tips = "; ".join(k[3] for k in covering)
            piece = f'<span class="{classes}" title="{escape(tips)}">{piece}</span>'
        out.append(piece)
    return "".join(out)


def _mention_text(doc: dict, ref: Any, text: str) -> str:
    if ref is None:
        return "<i>(none)</i>"
    if ref == "author":
        return "<i>author</i>"
    m = next((m for m in doc.get("mentions") or [] if m["id"] == ref), None)
    return escape(text[m["start"] : m["end"]]) if m else escape(str(ref))


def _spans_text(text: str, spans: list[dict] | None, limit: int = 140) -> str:
    parts = [text[s["start"] : s["end"]] for s in spans or []]
    joined = " … ".join(parts)
    return escape(joined if len(joined) <= limit else joined[: limit - 1] + "…")


def _attr_row(text: str, doc: dict, a: dict, status: str, other: dict | None) -> str:
    cells = [
        f'<td class="status">{status}</td>',
        f"<td>{escape(a['id'])}</td>",
        f"<td>{_mention_text(doc, a.get('source'), text)}</td>",
        f"<td>{_spans_text(text, [a['cue']] if a.get('cue') else [])}</td>",
        f"<td>{_spans_text(text, a.get('content'))}</td>",
        f"<td>{escape(str(a.get('via') or ''))}</td>",
    ]
    for field in _FIELDS:
        value = a.get(field)
        wrong = (
            other is not None
            and other.get(field) is not None
            and value is not None
            and other.get(field) != value
        )
        css = ' class="wrong"' if wrong else ""
        note = f" <small>(other: {escape(str(other.get(field)))})</small>" if wrong else ""
        cells.append(f"<td{css}>{escape(str(value))}{note}</td>")
    return f'<tr class="row-{status.split()[0]}">' + "".join(cells) + "</tr>"


def _attribution_table(text: str, gold: dict, pred: dict) -> str:
    g_recs, p_recs = gold.get("attributions") or [], pred.get("attributions") or []
    pairs = attribution_pairs(gold, pred)
    g_to_p = dict(pairs)
    p_to_g = {p: g for g, p in pairs}
    head = (
        "<tr><th>status</th><th>id</th><th>source</th><th>cue</th><th>content</th><th>via</th>"
        + "".join(f"<th>{f}</th>" for f in _FIELDS)
        + "</tr>"
    )
    rows = []
    for gi, a in enumerate(g_recs):
        pi = g_to_p.get(gi)
        status = f"matched {escape(p_recs[pi]['id'])}" if pi is not None else "missed"
        rows.append(_attr_row(text, gold, a, status, p_recs[pi] if pi is not None else None))
    gold_rows = "".join(rows) or '<tr><td colspan="10"><i>no gold attributions</i></td></tr>'
    rows = []
    for pi, a in enumerate(p_recs):
        gi = p_to_g.get(pi)
        status = f"matched {escape(g_recs[gi]['id'])}" if gi is not None else "spurious"
        rows.append(_attr_row(text, pred, a, status, g_recs[gi] if gi is not None else None))
    pred_rows = "".join(rows) or '<tr><td colspan="10"><i>no predicted attributions</i></td></tr>'
    return (
        f'<h4>Attributions: gold</h4><table class="records">{head}{gold_rows}</table>'
        f'<h4>Attributions: predicted</h4><table class="records">{head}{pred_rows}</table>'
    )


def _stance_table(text: str, gold: dict, pred: dict) -> str:
    g_recs, p_recs = gold.get("stances") or [], pred.get("stances") or []
    pairs, labeled = stance_pairs(gold, pred)
    g_to_p, p_to_g = dict(pairs), {p: g for g, p in pairs}
    head = (
        "<tr><th>status</th><th>id</th><th>holder</th><th>target</th><th>polarity</th><th>evidence</th></tr>"
    )

    def row(doc: dict, s: dict, status: str, wrong: bool) -> str:
        css = ' class="wrong"' if wrong else ""
        return (
            f'<tr class="row-{status.split()[0]}"><td class="status">{status}</td><td>{escape(s["id"])}</td>'
            f"<td>{_mention_text(doc, s.get('holder'), text)}</td>"
            f"<td>{_mention_text(doc, s.get('target'), text)}</td>"
            f"<td{css}>{escape(str(s.get('polarity')))}</td>"
            f"<td>{_spans_text(text, s.get('evidence'))}</td></tr>"
        )

    g_rows = "".join(
        row(
            gold,
            s,
            (f"matched {escape(p_recs[g_to_p[i]]['id'])}" if i in g_to_p else "missed"),
            i in g_to_p and (i, g_to_p[i]) not in labeled,
        )
        for i, s in enumerate(g_recs)
    )
    p_rows = "".join(
        row(
            pred,
            s,
            (f"matched {escape(g_recs[p_to_g[j]]['id'])}" if j in p_to_g else "spurious"),
            j in p_to_g and (p_to_g[j], j) not in labeled,
        )
        for j, s in enumerate(p_recs)
    )
    return (
        f'<h4>Stances: gold</h4><table class="records">{head}'
        f"{g_rows or '<tr><td colspan=6><i>no gold stances</i></td></tr>'}</table>"
        f'<h4>Stances: predicted</h4><table class="records">{head}'
        f"{p_rows or '<tr><td colspan=6><i>no predicted stances</i></td></tr>'}</table>"
    )


def document_view(
    gold: dict, pred: dict, counts: dict[str, int] | None = None, *, open_: bool = False
) -> str:
    """One ``<details>`` block: the two texts side by side, then the record tables."""
    text = gold["text"]
    g_stat, p_stat = _mention_status(gold, pred)
    missed = sum(1 for v in g_stat.values() if v != "ok")
    spurious = sum(1 for v in p_stat.values() if v != "ok")
    pairs = attribution_pairs(gold, pred)
    summary = (
        f"{escape(gold['id'])}: {escape((gold.get('meta') or {}).get('title') or '')} "
        f"<small>(mentions: {missed} gold not exact, {spurious} predicted not exact; "
        f"attributions: {len(pairs)}/{len(gold.get('attributions') or [])} gold matched, "
        f"{len(pred.get('attributions') or [])} predicted)</small>"
    )
    return (
        f'<details class="doc" id="doc-{escape(gold["id"])}"{" open" if open_ else ""}>'
        f"<summary>{summary}</summary>"
        '<div class="sidebyside">'
        f'<div><h4>Gold</h4><div class="text">{_spans_view(text, gold, g_stat)}</div></div>'
        f'<div><h4>Predicted</h4><div class="text">{_spans_view(text, pred, p_stat)}</div></div>'
        "</div>"
        f"{_attribution_table(text, gold, pred)}{_stance_table(text, gold, pred)}</details>"
    )
