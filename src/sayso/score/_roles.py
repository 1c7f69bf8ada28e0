"""Token-level attribution roles: every token of the text is a source, cue, content or no token
of an attribution, in gold and in the prediction (PolNeAR's token-wise view of attribution).

Counts are a confusion matrix of (gold role, predicted role) over tokens, which adds up over
documents; from its sums come per-role precision, recall and F1 and Krippendorff's alpha
(nominal, two coders), so SaySo's attribution figures can be set beside token-wise agreement
figures without depending on how sources are matched as entities (``eval/METRICS.md`` §5).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

__all__ = ["ROLES", "role_counts", "role_scores", "role_alpha"]

# Rank order: a token inside several spans takes the highest role (a source mention inside a
# content span is a source token; a cue inside a quotation is a cue token).
ROLES = ("none", "content", "cue", "source")
# Tokens: maximal runs of word characters, and every other non-space character on its own.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_KEY = {(g, p): f"attributions.tokens.{ROLES[g]}.{ROLES[p]}" for g in range(4) for p in range(4)}


def _role_marks(doc: Mapping[str, Any], length: int) -> bytearray:
    """One byte per character of the text: the highest role any attribution gives it."""
    marks = bytearray(length)
    records = doc.get("attributions") or ()
    mentions = {m["id"]: m for m in doc.get("mentions") or ()}
    for rank, spans in (
        (1, [s for r in records for s in r.get("content") or ()]),
        (2, [r["cue"] for r in records if r.get("cue")]),
        (3, [mentions[r["source"]] for r in records if r.get("source") in mentions]),
    ):
        for span in spans:  # higher ranks are written last, over lower ones
            start, end = span["start"], min(span["end"], length)
            if start < end:
                marks[start:end] = bytes([rank]) * (end - start)
    return marks


def _boundaries(doc: Mapping[str, Any]) -> set[int]:
    """Every offset where a span of an attribution (content, cue, source mention) starts or ends."""
    found: set[int] = set()
    mentions = {m["id"]: m for m in doc.get("mentions") or ()}
    for record in doc.get("attributions") or ():
        spans = list(record.get("content") or ())
        if record.get("cue"):
            spans.append(record["cue"])
        if record.get("source") in mentions:
            spans.append(mentions[record["source"]])
        for span in spans:
            found.add(span["start"])
            found.add(span["end"])
    return found


def role_counts(text: str, gold: Mapping[str, Any], pred: Mapping[str, Any], counts: dict[str, int]) -> None:
    """Add one document's ``attributions.tokens.<gold role>.<predicted role>`` counts."""
    length = len(text)
    g_marks, p_marks = _role_marks(gold, length), _role_marks(pred, length)
    spans = [m.span() for m in _TOKEN.finditer(text)]
    # A token takes the role of its first character unless a span starts or ends inside it (rare:
    # spans follow token boundaries); those tokens take the highest role of their characters.
    g_roles = [g_marks[start] for start, _ in spans]
    p_roles = [p_marks[start] for start, _ in spans]
    inside = sorted(b for b in _boundaries(gold) | _boundaries(pred) if 0 < b < length)
    if inside:
        starts = [start for start, _ in spans]
        for b in inside:
            k = bisect.bisect_right(starts, b) - 1
            if k >= 0 and spans[k][0] < b < spans[k][1]:
                start, end = spans[k]
                g_roles[k], p_roles[k] = max(g_marks[start:end]), max(p_marks[start:end])
    for key, n in Counter(zip(g_roles, p_roles, strict=True)).items():
        name = _KEY[key]
        counts[name] = counts.get(name, 0) + n


def _matrix(t: Mapping[str, float]) -> list[list[float]]:
    return [[t.get(_KEY[g, p], 0) for p in range(4)] for g in range(4)]


def role_alpha(t: Mapping[str, float]) -> float | None:
    """Krippendorff's alpha (nominal) between the gold and predicted token roles, from the summed
    confusion matrix: ``1 - (n - 1) · D_o / D_e`` with the coincidence matrix of both orders."""
    m = _matrix(t)
    coincidence = [[m[c][k] + m[k][c] for k in range(4)] for c in range(4)]
    margins = [sum(row) for row in coincidence]
    n = sum(margins)
    if n < 2:
        return None
    observed = sum(coincidence[c][k] for c in range(4) for k in range(4) if c != k)
    expected = sum(margins[c] * margins[k] for c in range(4) for k in range(4) if c != k)
    if not expected:  # every token has one role on both sides: no variation to agree on
        return None
    return 1 - (n - 1) * observed / expected


def role_scores(t: Mapping[str, float]) -> dict[str, Any]:
    """Per role (source, cue, content): tokens in gold and prediction, agreeing tokens, P/R/F1;
    their macro-F1 (over roles that occur) and Krippendorff's alpha over all four roles."""
    from ._aggregate import prf

    m = _matrix(t)
    per_role = {}
    for r in range(1, 4):
        gold, pred, correct = sum(m[r]), sum(row[r] for row in m), m[r][r]
        per_role[ROLES[r]] = {"gold": gold, "pred": pred, "correct": correct, **prf(correct, pred, gold)}
    f1s = [row["f1"] for row in per_role.values() if row["f1"] is not None]
    return {
        "tokens": sum(map(sum, m)),
        "per_role": per_role,
        "macro_f1": sum(f1s) / len(f1s) if f1s else None,
        "alpha": role_alpha(t),
    }
