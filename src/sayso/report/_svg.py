"""Inline SVG charts (no script, no external resource): horizontal bars and confusion matrices."""

from __future__ import annotations

from html import escape

__all__ = ["bar_chart", "confusion_matrix"]

_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def bar_chart(title: str, rows: list[tuple[str, float | None, str]], *, width: int = 440) -> str:
    """Bars of values in [0, 1] with a label and a note per row (``None``: not defined, no bar)."""
    label_w, bar_w, row_h = 110, width - 230, 20
    height = 26 + row_h * len(rows)
    out = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
        f'<text x="0" y="14" font-weight="600">{escape(title)}</text>',
    ]
    for i, (label, value, note) in enumerate(rows):
        y = 24 + i * row_h
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="{row_h - 6}" fill="#eef0f3"/>')
        if value is None:
            out.append(f'<text x="{label_w + 4}" y="{y + 13}" fill="#777">not defined</text>')
        else:
            w = max(0.0, min(1.0, value)) * bar_w
            out.append(
                f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="#3b6fb6"><title>{escape(label)}: {100 * value:.1f}</title></rect>'
            )
            out.append(f'<text x="{label_w + bar_w + 6}" y="{y + 13}">{100 * value:.1f}</text>')
        if note:
            out.append(
                f'<text x="{width - 2}" y="{y + 13}" text-anchor="end" fill="#777">{escape(note)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def confusion_matrix(title: str, labels: list[str], counts: dict[tuple[str, str], int]) -> str:
    """A gold x predicted grid; cell shade grows with the count, the diagonal in green, errors in red."""
    cell, left, top = 34, 96, 104
    n = len(labels)
    # Room on the right for the last column's slanted label.
    width, height = max(left + cell * n + 60, 7 * len(title) + 10, 300), top + cell * n + 28
    peak = max(counts.values(), default=0) or 1
    out = [
        f'<svg class="chart confusion" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" {_FONT}>',
        f'<text x="0" y="14" font-weight="600">{escape(title)}</text>',
        f'<text x="{left + cell * n / 2}" y="30" text-anchor="middle" fill="#555">predicted</text>',
        f'<text x="8" y="{top + cell * n / 2}" fill="#555" transform="rotate(-90 8 {top + cell * n / 2})" '
        'text-anchor="middle">gold</text>',
    ]
    for j, label in enumerate(labels):
        x = left + j * cell + cell / 2
        out.append(
            f'<text x="{x}" y="{top - 6}" transform="rotate(-55 {x} {top - 6})">{escape(label)}</text>'
        )
    for i, gold in enumerate(labels):
        y = top + i * cell
        out.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{escape(gold)}</text>')
        for j, pred in enumerate(labels):
            x = left + j * cell
            value = counts.get((gold, pred), 0)
            shade = value / peak
            color = (
                (
                    f"rgba(46,139,87,{0.15 + 0.85 * shade:.2f})"
                    if i == j
                    else f"rgba(200,55,45,{0.12 + 0.88 * shade:.2f})"
                )
                if value
                else "#f6f7f9"
            )
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{color}">'
                f"<title>gold {escape(gold)}, predicted {escape(pred)}: {value}</title></rect>"
            )
            if value:
                out.append(
                    f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 4}" text-anchor="middle">{value}</text>'
                )
    total = sum(counts.values())
    right = sum(v for (g, p), v in counts.items() if g == p)
    out.append(
        f'<text x="{left}" y="{top + cell * n + 18}" fill="#555">{total} matched pairs, {right} same label'
        "</text></svg>"
    )
    return "".join(out)
