"""``sayso report``: one self-contained HTML file describing a system's scores and errors.

Nothing is loaded at view time: styles are inline, charts are inline SVG, there is no script and
no external link, so the file can be mailed, archived or opened offline. Sections: the summary
table (headline figures with bootstrap 95% intervals and the signature), per-label bars,
confusion matrices for ``source_type`` and ``polarity`` (on matched pairs), the per-phenomenon
table, and a document viewer with gold and predicted annotations side by side, errors marked.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ..labels import label_names
from ._svg import bar_chart, confusion_matrix
from ._viewer import attribution_pairs, document_view, stance_pairs

__all__ = ["render_report", "FIGURE_NAMES"]

FIGURE_NAMES = {
    "mentions.strict.f1": "Mentions: strict F1 (span and type)",
    "mentions.exact.f1": "Mentions: exact-span F1",
    "mentions.type.f1": "Mentions: overlap-and-type F1",
    "mentions.partial.f1": "Mentions: partial F1",
    "mentions.macro_f1": "Mentions: macro-F1 over types",
    "linking.f1": "Entity linking: Wikidata id F1",
    "attributions.f1": "Attributions: record F1",
    "attributions.source_type.macro_f1": "Attributions: source type macro-F1",
    "attributions.identity.macro_f1": "Attributions: identity macro-F1",
    "attributions.channel.macro_f1": "Attributions: channel macro-F1",
    "attributions.quote.macro_f1": "Attributions: quote macro-F1",
    "attributions.via.accuracy": "Attributions: via accuracy",
    "attributions.tokens.alpha": "Attributions: token roles, Krippendorff's alpha",
    "stances.labeled.f1": "Stances: labeled F1",
    "stances.unlabeled.f1": "Stances: unlabeled F1",
    "stances.polarity.macro_f1": "Stances: polarity macro-F1",
    "stances.favg": "Stances: F_avg (support, oppose)",
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1400px;
color:#1d2430;padding:0 16px;line-height:1.4}
h1{font-size:1.6em;margin-bottom:4px}h2{border-bottom:2px solid #dde2ea;padding-bottom:4px;margin-top:36px}
code.sig{font-size:.85em;background:#f3f5f8;padding:2px 6px;border-radius:4px;word-break:break-all}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #dde2ea;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:flex;flex-wrap:wrap;gap:24px}.muted{color:#667}
.sidebyside{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.text{white-space:pre-wrap;border:1px solid #dde2ea;border-radius:6px;padding:10px;font-size:.92em;
line-height:1.9}
.m{border-radius:3px;padding:1px 0}.m-ok{background:#d5f0dc}.m-type,.m-boundary{background:#ffe2b8}
.m-missed,.m-spurious{background:#ffc9c4}.m-other{background:#e4e8f0}
.cue{text-decoration:underline 2px #3b6fb6;font-weight:600}.content{box-shadow:inset 0 -3px 0 #b9cbe8}
sup.tag{font-size:.7em;color:#445;margin-right:1px}sup.m-missed,sup.m-spurious{color:#b3261e;font-weight:700}
sup.m-type,sup.m-boundary{color:#a15c00;font-weight:700}
details.doc{border:1px solid #dde2ea;border-radius:6px;padding:6px 10px;margin:10px 0}
details.doc>summary{cursor:pointer;font-weight:600}
table.records{font-size:.85em;width:100%}td.wrong{background:#ffc9c4}
tr.row-missed td.status,tr.row-spurious td.status{color:#b3261e;font-weight:700}
tr.row-matched td.status{color:#2e7d32}
.legend span{margin-right:14px}
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _summary(result: Any) -> str:
    rows = []
    for key, name in FIGURE_NAMES.items():
        value = result.headline.get(key)
        interval = (result.intervals or {}).get(key)
        ci = f"[{_pct(interval[0])}, {_pct(interval[1])}]" if interval and value is not None else ""
        rows.append(
            f'<tr><td>{escape(name)}</td><td class="num">{_pct(value)}</td>'
            f'<td class="num">{ci}</td><td class="muted"><code>{escape(key)}</code></td></tr>'
        )
    return (
        '<table class="summary"><tr><th>Figure</th><th>Score</th><th>95% interval</th><th>key</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _bars(result: Any) -> str:
    scores = result.scores
    charts = []
    if scores.get("mentions"):
        per = scores["mentions"]["per_type"]
        charts.append(
            bar_chart(
                "Mention types: strict F1",
                [(t, per[t]["f1"], f"gold {per[t]['gold']}") for t in label_names("mention_type")],
            )
        )
    if scores.get("attributions"):
        fields = scores["attributions"]["fields"]
        for field in ("source_type", "channel", "identity", "quote"):
            per = fields[field]["per_label"]
            charts.append(
                bar_chart(
                    f"Attribution {field}: F1 on matched records",
                    [
                        (label, per[label]["f1"], f"gold {per[label]['tp'] + per[label]['fn']}")
                        for label in label_names(field)
                    ],
                )
            )
    if scores.get("stances"):
        per = scores["stances"]["per_polarity"]
        charts.append(
            bar_chart(
                "Stances by polarity: labeled F1",
                [(p, per[p]["f1"], f"gold {per[p]['gold']}") for p in label_names("polarity")],
            )
        )
    return '<div class="charts">' + "".join(charts) + "</div>" if charts else "<p>No layer was scored.</p>"


def _confusions(pairs: list[tuple[dict, dict]]) -> str:
    src: Counter = Counter()
    pol: Counter = Counter()
    for gold, pred in pairs:
        for gi, pi in attribution_pairs(gold, pred):
            g, p = gold["attributions"][gi].get("source_type"), pred["attributions"][pi].get("source_type")
            if g is not None and p is not None:
                src[(g, p)] += 1
        matched, _ = stance_pairs(gold, pred)
        for gi, pi in matched:
            g, p = gold["stances"][gi].get("polarity"), pred["stances"][pi].get("polarity")
            if g is not None and p is not None:
                pol[(g, p)] += 1
    return (
        '<div class="charts">'
        + confusion_matrix("source_type (matched attributions)", list(label_names("source_type")), src)
        + confusion_matrix(
            "polarity (stances matched on holder and target)", list(label_names("polarity")), pol
        )
        + "</div>"
    )


_PHENOMENON_FIGURES = (
    "mentions.strict.f1",
    "attributions.f1",
    "attributions.source_type.macro_f1",
    "attributions.via.accuracy",
    "stances.labeled.f1",
)


def _phenomena(result: Any) -> str:
    if not result.phenomena:
        return "<p>No document carries a phenomenon tag.</p>"
    head = (
        "<tr><th>Phenomenon</th><th>Documents</th>"
        + "".join(
            f"<th>{escape(FIGURE_NAMES[k].split(': ', 1)[1])}<br>"
            f"<small>{escape(k.split('.')[0])}</small></th>"
            for k in _PHENOMENON_FIGURES
        )
        + "</tr>"
    )
    rows = []
    for tag, entry in result.phenomena.items():
        cells = "".join(f'<td class="num">{_pct(entry["headline"].get(k))}</td>' for k in _PHENOMENON_FIGURES)
        rows.append(f'<tr><td>{escape(tag)}</td><td class="num">{entry["docs"]}</td>{cells}</tr>')
    return f'<table class="phenomena">{head}{"".join(rows)}</table>'


def render_report(result: Any, *, system: str = "system", max_docs: int | None = None) -> str:
    """The HTML report of an evaluation (:func:`sayso.score.evaluate` with
    ``Options(keep_documents=True)``, so that ``result.pairs`` holds the documents)."""
    split = result.settings.split
    bootstrap, seed = result.settings.bootstrap, result.settings.seed
    gold = [g for g, _ in result.pairs]
    empty = {"mentions": [], "entities": [], "attributions": [], "stances": []}
    pairs = [(g, {**empty, **p}) for g, p in result.pairs]
    shown = pairs if max_docs is None else pairs[:max_docs]
    views = "".join(document_view(g, p, open_=(i == 0)) for i, (g, p) in enumerate(shown))
    more = (
        f"<p class='muted'>{len(pairs) - len(shown)} more documents not shown (--max-docs).</p>"
        if len(shown) < len(pairs)
        else ""
    )
    missing = (
        f"<p><b>{len(result.missing)} gold documents had no prediction</b> and were scored as empty: "
        f"{escape(', '.join(result.missing))}</p>"
        if result.missing
        else ""
    )
    not_scored = [layer for layer, scored in result.layers.items() if not scored]
    skipped = (
        f"<p>Not scored (absent from every predicted document): {escape(', '.join(not_scored))}</p>"
        if not_scored
        else ""
    )
    title = f"SaySo report: {system}" + (f" on {split}" if split else "")
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{_CSS}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class="muted">{len(gold)} gold documents{f", split {escape(split)}" if split else ""}; scores in percent; \
intervals from {bootstrap} document-level bootstrap resamples (seed {seed}).</p>
<p>Signature: <code class="sig">{escape(result.signature)}</code></p>
{missing}{skipped}
<h2 id="summary">Summary</h2>
{_summary(result)}
<h2 id="labels">Per label</h2>
{_bars(result)}
<h2 id="confusion">Confusion matrices</h2>
{_confusions(pairs)}
<h2 id="phenomena">By phenomenon</h2>
<p class="muted">Scores over the documents tagged with each phenomenon (meta.phenomena).</p>
{_phenomena(result)}
<h2 id="documents">Documents</h2>
<p class="legend"><span class="m m-ok">correct mention</span><span class="m m-type">wrong type</span>\
<span class="m m-boundary">wrong boundary</span><span class="m m-missed">missed / spurious</span>\
<span class="m m-other">not scored (description, pronoun)</span><span class="cue">cue</span>\
<span class="content">content</span></p>
{views}{more}
</body></html>
"""
    return html
