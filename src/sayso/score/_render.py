"""Rendering results: the readable table, the leaderboard row, the comparison table.

Scores are printed as percentages with two decimals; ``-`` means not defined / not scored.
The signature is always printed with the numbers it belongs to.
"""

from __future__ import annotations

from typing import Any

from ._aggregate import HEADLINE
from ._counts import ATTRIBUTE_FIELDS

__all__ = ["render_result", "markdown_header", "markdown_row", "render_comparison", "pct"]

_NOT_SCORED = "not scored (absent from every submitted document)"


def _r(value: object, width: int) -> str:
    """``value`` right-aligned in ``width`` characters, always after at least one space, so that
    columns never run together whatever the size of a number."""
    return " " + str(value).rjust(width - 1)


def _l(value: object, width: int) -> str:
    """``value`` left-aligned in ``width`` characters (longer names push the row, never merge)."""
    return str(value).ljust(width)


def pct(value: float | None) -> str:
    """``0.8414`` -> ``'84.14'``; None -> ``'-'``."""
    return "-" if value is None else f"{100 * value:.2f}"


def _ci(result: Any, key: str) -> str:
    if not result.intervals or result.intervals.get(key) is None:
        return ""
    lo, hi = result.intervals[key]
    return f"  [{pct(lo)}, {pct(hi)}]"


def _row(name: str, p: float | None, r: float | None, f: float | None, extra: str = "") -> str:
    return f"  {_l(name, 24)}{_r(pct(p), 8)}{_r(pct(r), 8)}{_r(pct(f), 8)}{extra}"


def _mentions(result: Any, lines: list[str]) -> None:
    m = result.scores["mentions"]
    kinds = "named mentions" if result.settings.mentions == "nam" else "all mentions"
    lines.append(f"mentions ({kinds}: {m['gold']} gold, {m['pred']} predicted, {m['duplicates']} duplicates)")
    lines.append(f"  {_l('scheme', 24)}{_r('P', 8)}{_r('R', 8)}{_r('F1', 8)}   cor  inc  par  mis  spu")
    for scheme in ("strict", "exact", "type", "partial"):
        s = m[scheme]
        cats = "".join(
            f"{_r(int(s[c]), 5)}" for c in ("correct", "incorrect", "partial", "missed", "spurious")
        )
        lines.append(
            _row(
                scheme,
                s["precision"],
                s["recall"],
                s["f1"],
                " " + cats + _ci(result, f"mentions.{scheme}.f1"),
            )
        )
    lines.append(_row("macro-F1 over types", None, None, m["macro_f1"], _ci(result, "mentions.macro_f1")))
    for type_, s in m["per_type"].items():
        if s["gold"] or s["pred"]:
            lines.append(
                _row(
                    f"  {type_} (strict)",
                    s["precision"],
                    s["recall"],
                    s["f1"],
                    f"   gold {int(s['gold'])}, pred {int(s['pred'])}",
                )
            )


def _attributions(result: Any, lines: list[str]) -> None:
    a = result.scores["attributions"]
    lines.append(f"attributions ({a['gold']} gold, {a['pred']} predicted, {a['matched']} matched)")
    lines.append(_row("records", a["precision"], a["recall"], a["f1"], _ci(result, "attributions.f1")))
    lines.append(_row("cue span (exact)", a["cue"]["precision"], a["cue"]["recall"], a["cue"]["f1"]))
    lines.append(
        _row("content characters", a["content"]["precision"], a["content"]["recall"], a["content"]["f1"])
    )
    lines.append(f"  {_l('on matched pairs', 24)}{_r('acc', 8)}{_r('', 8)}{_r('mF1', 8)}")
    for field in ATTRIBUTE_FIELDS:
        s = a["fields"][field]
        lines.append(
            f"  {_l(field, 24)}{_r(pct(s['accuracy']), 8)}{_r('', 8)}{_r(pct(s['macro_f1']), 8)}"
            f"   n {int(s['n'])}" + _ci(result, f"attributions.{field}.macro_f1")
        )
    roles = a["tokens"]
    alpha = "-" if roles["alpha"] is None else f"{roles['alpha']:.4f}"
    lines.append(
        f"  {_l('token roles', 24)}{_r('', 8)}{_r('', 8)}{_r(pct(roles['macro_f1']), 8)}"
        f"   macro-F1 over source, cue, content; Krippendorff's alpha {alpha}, {int(roles['tokens'])} tokens"
        + _ci(result, "attributions.tokens.alpha")
    )
    v = a["via"]
    lines.append(
        f"  {_l('via', 24)}{_r(pct(v['accuracy']), 8)}{_r('', 16)}   n {int(v['n'])}"
        + _ci(result, "attributions.via.accuracy")
    )


def _stances(result: Any, lines: list[str]) -> None:
    s = result.scores["stances"]
    lines.append(f"stances ({s['gold']} gold, {s['pred']} predicted)")
    lines.append(
        _row(
            "labeled",
            s["labeled"]["precision"],
            s["labeled"]["recall"],
            s["labeled"]["f1"],
            _ci(result, "stances.labeled.f1"),
        )
    )
    lines.append(
        _row(
            "unlabeled",
            s["unlabeled"]["precision"],
            s["unlabeled"]["recall"],
            s["unlabeled"]["f1"],
            _ci(result, "stances.unlabeled.f1"),
        )
    )
    for label, row in s["per_polarity"].items():
        lines.append(_row(f"  {label}", row["precision"], row["recall"], row["f1"]))
    lines.append(_row("F_avg (SemEval-2016)", None, None, s["favg"], _ci(result, "stances.favg")))
    p = s["polarity"]
    lines.append(
        f"  {_l('polarity (matched)', 24)}{_r('acc ' + pct(p['accuracy']), 8)}{_r('', 8)}"
        f"{_r(pct(p['macro_f1']), 8)}   macro-F1, n {int(p['n'])}" + _ci(result, "stances.polarity.macro_f1")
    )


_PHENOMENON_COLUMNS = {
    "mentions.strict.f1": "mentions",
    "attributions.f1": "attrib.",
    "stances.labeled.f1": "stances",
}


def render_result(result: Any) -> str:
    """The default readable table of a :class:`Result`."""
    lines = [f"signature: {result.signature}"]
    docs = result.n_gold
    lines.append(f"documents: {docs} gold, {len(result.missing)} without a prediction (scored as empty)")
    lines.append(f"  {_l('', 24)}{_r('P', 8)}{_r('R', 8)}{_r('F1', 8)}")
    for layer, render in (
        ("mentions", _mentions),
        ("linking", None),
        ("attributions", _attributions),
        ("stances", _stances),
    ):
        if not result.layers[layer]:
            lines.append(f"{layer}: {_NOT_SCORED}")
            continue
        if render is None:
            s = result.scores["linking"]
            lines.append(f"linking (Wikidata ids per document: {s['gold']} gold, {s['pred']} predicted)")
            lines.append(_row("ids", s["precision"], s["recall"], s["f1"], _ci(result, "linking.f1")))
        else:
            render(result, lines)
    if result.phenomena:
        lines.append("by phenomenon (documents tagged; F1 of the headline figures)")
        keys = [
            k
            for k in ("mentions.strict.f1", "attributions.f1", "stances.labeled.f1")
            if result.headline[k] is not None
        ]
        if keys:
            lines.append(
                f"  {_l('phenomenon', 24)}{_r('docs', 6)}"
                + "".join(f"{_r(_PHENOMENON_COLUMNS[k], 12)}" for k in keys)
            )
            for tag, row in result.phenomena.items():
                lines.append(
                    f"  {_l(tag, 24)}{_r(row['docs'], 6)}"
                    + "".join(f"{_r(pct(row['headline'][k]), 12)}" for k in keys)
                )
    if result.intervals:
        lines.append(
            f"[low, high]: 95% document-level bootstrap interval, {result.settings.bootstrap} resamples"
        )
    lines.append(f"signature: {result.signature}")
    return "\n".join(lines) + "\n"


_SHORT = {
    "mentions.strict.f1": "NER strict",
    "mentions.exact.f1": "NER exact",
    "mentions.type.f1": "NER type",
    "mentions.partial.f1": "NER partial",
    "mentions.macro_f1": "NER macro",
    "linking.f1": "Linking",
    "attributions.f1": "Attr",
    "attributions.source_type.macro_f1": "Src type mF1",
    "attributions.identity.macro_f1": "Identity mF1",
    "attributions.channel.macro_f1": "Channel mF1",
    "attributions.quote.macro_f1": "Quote mF1",
    "attributions.via.accuracy": "Via acc",
    "attributions.tokens.alpha": "Role alpha",
    "stances.labeled.f1": "Stance",
    "stances.unlabeled.f1": "Stance unlab.",
    "stances.polarity.macro_f1": "Polarity mF1",
    "stances.favg": "F_avg",
}


def markdown_header() -> str:
    """The header (two lines) of the leaderboard table whose rows :func:`markdown_row` renders."""
    names = ["System"] + [_SHORT[k] for k in HEADLINE] + ["Signature"]
    return "| " + " | ".join(names) + " |\n|" + "---|" * len(names) + "\n"


def markdown_row(result: Any, system: str = "system") -> str:
    """One leaderboard row: the headline figures (with intervals when bootstrapped) and the signature."""
    cells = [system]
    for key in HEADLINE:
        cell = pct(result.headline[key])
        if result.intervals and result.intervals.get(key) and result.headline[key] is not None:
            lo, hi = result.intervals[key]
            cell += f" ({pct(lo)}-{pct(hi)})"
        cells.append(cell)
    # a bare "|" would end the table cell, even inside a code span (GitHub Markdown)
    cells.append("`" + result.signature.replace("|", "\\|") + "`")
    return "| " + " | ".join(cells) + " |\n"


def render_comparison(cmp: Any, name_a: str = "A", name_b: str = "B") -> str:
    """The paired-test table of a :class:`Comparison` (figures scored for both systems only)."""
    lines = [f"signature: {cmp.signature}", f"A = {name_a}", f"B = {name_b}"]
    lines.append(
        f"  {_l('figure', 36)}{_r('A', 8)}{_r('B', 8)}{_r('A-B', 8)}{_r('p(bs)', 9)}{_r('p(ar)', 9)}"
    )
    for key in HEADLINE:
        t = cmp.tests[key]
        if t["delta"] is None:
            continue
        p_bs = "-" if t["p_bootstrap"] is None else f"{t['p_bootstrap']:.4f}"
        p_ar = "-" if t["p_randomization"] is None else f"{t['p_randomization']:.4f}"
        lines.append(
            f"  {_l(key, 36)}{_r(pct(t['a']), 8)}{_r(pct(t['b']), 8)}{_r(pct(t['delta']), 8)}"
            f"{_r(p_bs, 9)}{_r(p_ar, 9)}"
        )
    lines.append(
        f"p(bs): paired bootstrap, p(ar): approximate randomisation; {cmp.trials} trials each, over documents"
    )
    lines.append(f"signature: {cmp.signature}")
    return "\n".join(lines) + "\n"
