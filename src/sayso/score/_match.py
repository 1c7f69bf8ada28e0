"""Order-independent one-to-one matching of mentions, attributions and stances.

Every matcher first puts both sides in a canonical order (by span, then label), so its result
depends only on the *sets* of items, never on the order of the input (nervaluate's greedy,
order-dependent matching is the flaw this avoids, issue 4). Maximum matchings are found with
augmenting paths inside connected components, which are tiny on real data; the bulk of the
work (exact agreement) is a hash join.

All functions take and return plain indices into the lists they were given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Span",
    "SchemeMatch",
    "MentionMatch",
    "maximum_matching",
    "overlap_matching",
    "match_mentions",
    "match_attributions",
    "match_stances",
    "merge_spans",
    "span_length",
    "intersection_length",
    "SCHEMES",
]

# A mention reduced to what matching needs: (start, end, type).
Span = tuple[int, int, str]

SCHEMES = ("strict", "exact", "type", "partial")


def maximum_matching(n_left: int, adjacency: Sequence[Sequence[int]]) -> list[int]:
    """A maximum bipartite matching by augmenting paths (Kuhn's algorithm).

    ``adjacency[i]`` lists the right vertices left vertex ``i`` may match, in order of
    preference. Returns ``match_of_left`` (-1 when unmatched). Deterministic: the result
    depends only on the order of vertices and adjacency lists.

    >>> maximum_matching(2, [[0, 1], [0]])
    [1, 0]
    """
    right_of: dict[int, int] = {}
    left_of = [-1] * n_left
    for root in range(n_left):
        if not adjacency[root]:
            continue
        # Iterative DFS for an augmenting path (no recursion limit on large components).
        parent: dict[int, int] = {}  # right vertex -> left vertex that reached it
        seen: set[int] = set()
        stack = [(root, iter(adjacency[root]))]
        end_right = -1
        while stack and end_right < 0:
            left, candidates = stack[-1]
            for right in candidates:
                if right in seen:
                    continue
                seen.add(right)
                parent[right] = left
                owner = right_of.get(right, -1)
                if owner < 0:
                    end_right = right
                    break
                stack.append((owner, iter(adjacency[owner])))
                break
            else:
                stack.pop()
        if end_right < 0:
            continue
        right = end_right
        while True:  # flip the path
            left = parent[right]
            previous = left_of[left]
            left_of[left] = right
            right_of[right] = left
            if left == root:
                break
            right = previous
    return left_of


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def overlap_matching(
    gold: Sequence[Span],
    pred: Sequence[Span],
    gold_ids: Sequence[int],
    pred_ids: Sequence[int],
    same_type: bool = False,
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of overlapping spans (optionally of the same type).

    ``gold_ids``/``pred_ids`` select the candidates (indices into ``gold``/``pred``), which are
    grouped into clusters of transitively overlapping spans; each cluster is matched on its own,
    preferring the partner with the larger overlap. Returns ``(gold index, pred index)`` pairs.
    """
    if not gold_ids or not pred_ids:
        return []
    items = sorted(
        [(gold[i][0], gold[i][1], gold[i][2], 0, i) for i in gold_ids]
        + [(pred[j][0], pred[j][1], pred[j][2], 1, j) for j in pred_ids]
    )
    pairs: list[tuple[int, int]] = []
    cluster: list[tuple] = []
    cluster_end = -1
    for item in items:
        if cluster and item[0] >= cluster_end:  # no overlap with anything so far: close it
            _match_cluster(cluster, same_type, pairs)
            cluster = []
        cluster_end = item[1] if not cluster else max(cluster_end, item[1])
        cluster.append(item)
    if cluster:
        _match_cluster(cluster, same_type, pairs)
    return pairs


def _match_cluster(cluster: list[tuple], same_type: bool, pairs: list[tuple[int, int]]) -> None:
    golds = [c for c in cluster if c[3] == 0]
    preds = [c for c in cluster if c[3] == 1]
    if not golds or not preds:
        return
    if len(golds) == 1 and len(preds) == 1:  # the common case: one boundary or type error
        g, p = golds[0], preds[0]
        if (not same_type or g[2] == p[2]) and _overlap(g, p) > 0:
            pairs.append((g[4], p[4]))
        return
    adjacency = []
    for g in golds:
        options = [
            (-_overlap(g, p), k)
            for k, p in enumerate(preds)
            if _overlap(g, p) > 0 and (not same_type or g[2] == p[2])
        ]
        options.sort()
        adjacency.append([k for _, k in options])
    for gi, pk in enumerate(maximum_matching(len(golds), adjacency)):
        if pk >= 0:
            pairs.append((golds[gi][4], preds[pk][4]))


@dataclass(slots=True)
class SchemeMatch:
    """The MUC-5 / SemEval-2013 categories of one matching scheme.

    ``correct`` and ``partial`` (or ``incorrect``) are ``(gold index, pred index)`` pairs;
    ``missed`` lists gold indices and ``spurious`` pred indices. ``partial`` is only used by
    the ``partial`` scheme, ``incorrect`` by the others.
    """

    correct: list[tuple[int, int]] = field(default_factory=list)
    incorrect: list[tuple[int, int]] = field(default_factory=list)
    partial: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    spurious: list[int] = field(default_factory=list)


@dataclass(slots=True)
class MentionMatch:
    """The result of :func:`match_mentions`: one :class:`SchemeMatch` per scheme, plus duplicates."""

    strict: SchemeMatch
    exact: SchemeMatch
    type: SchemeMatch
    partial: SchemeMatch
    duplicates: list[int]  # predictions identical (span and type) to another prediction

    def scheme(self, name: str) -> SchemeMatch:
        return getattr(self, name)


def _leftover(n: int, used: set[int]) -> list[int]:
    return [i for i in range(n) if i not in used]


def _finish(match: SchemeMatch, n_gold: int, pred_ids: list[int], extra_spurious: list[int]) -> SchemeMatch:
    used_g = {g for g, _ in match.correct}
    used_g.update(g for g, _ in match.incorrect)
    used_g.update(g for g, _ in match.partial)
    used_p = {p for _, p in match.correct}
    used_p.update(p for _, p in match.incorrect)
    used_p.update(p for _, p in match.partial)
    match.missed = _leftover(n_gold, used_g)
    match.spurious = sorted([p for p in pred_ids if p not in used_p] + extra_spurious)
    return match


def match_mentions(gold: Sequence[Span], pred: Sequence[Span]) -> MentionMatch:
    """Match predicted mentions to gold mentions under the four schemes of issue 4.

    ``gold`` and ``pred`` are ``(start, end, type)`` triples (half-open code-point spans).
    A prediction identical to another prediction is a duplicate: spurious in every scheme.
    A pair that agrees exactly (span and type) is always matched; then, on what is left:

    - ``strict``: correct = exact pairs; incorrect = a maximum matching of overlapping spans.
    - ``exact``: correct = exact pairs, then equal spans with another type; incorrect = overlaps.
    - ``partial``: the ``exact`` matching, with overlaps counted as ``partial``.
    - ``type``: correct = exact pairs, then a maximum matching of overlapping spans of the same
      type; incorrect = a maximum matching of the remaining overlaps.

    >>> m = match_mentions([(0, 6, "GPE")], [(0, 6, "ORG"), (0, 6, "ORG")])
    >>> (m.strict.incorrect, m.exact.correct, m.duplicates, m.exact.spurious)
    ([(0, 0)], [(0, 0)], [1], [1])
    """
    n_gold, n_pred = len(gold), len(pred)
    # Canonical, order-free processing: duplicates are decided on the sorted predictions.
    first_of: dict[Span, int] = {}
    duplicates: list[int] = []
    for j in sorted(range(n_pred), key=lambda j: (pred[j], j)):
        if pred[j] in first_of:
            duplicates.append(j)
        else:
            first_of[pred[j]] = j
    duplicates.sort()
    gold_at: dict[Span, list[int]] = {}
    for i, g in enumerate(gold):
        gold_at.setdefault(g, []).append(i)
    exact_pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    for key, j in first_of.items():
        found = gold_at.get(key)
        if found:
            exact_pairs.append((found[0], j))
            used_g.add(found[0])
    exact_pairs.sort()
    used_p = {j for _, j in exact_pairs}
    rest_g = [i for i in range(n_gold) if i not in used_g]
    rest_p = sorted(j for j in first_of.values() if j not in used_p)
    live_p = sorted(first_of.values())

    strict = SchemeMatch(correct=list(exact_pairs))
    strict.incorrect = sorted(overlap_matching(gold, pred, rest_g, rest_p))

    # exact / partial: equal spans whatever the type, then overlaps.
    span_pairs: list[tuple[int, int]] = []
    if rest_g and rest_p:
        gold_span: dict[tuple[int, int], list[int]] = {}
        for i in sorted(rest_g, key=lambda i: gold[i]):
            gold_span.setdefault(gold[i][:2], []).append(i)
        for j in sorted(rest_p, key=lambda j: pred[j]):
            bucket = gold_span.get(pred[j][:2])
            if bucket:
                span_pairs.append((bucket.pop(0), j))
    sg = {g for g, _ in span_pairs}
    sp = {p for _, p in span_pairs}
    overlaps = overlap_matching(
        gold, pred, [i for i in rest_g if i not in sg], [j for j in rest_p if j not in sp]
    )
    exact = SchemeMatch(correct=sorted(exact_pairs + span_pairs), incorrect=sorted(overlaps))
    partial = SchemeMatch(correct=list(exact.correct), partial=list(exact.incorrect))

    typed = sorted(overlap_matching(gold, pred, rest_g, rest_p, same_type=True))
    tg = {g for g, _ in typed}
    tp = {p for _, p in typed}
    type_ = SchemeMatch(correct=sorted(exact_pairs + typed))
    type_.incorrect = sorted(
        overlap_matching(gold, pred, [i for i in rest_g if i not in tg], [j for j in rest_p if j not in tp])
    )
    return MentionMatch(
        strict=_finish(strict, n_gold, live_p, duplicates),
        exact=_finish(exact, n_gold, live_p, duplicates),
        type=_finish(type_, n_gold, live_p, duplicates),
        partial=_finish(partial, n_gold, live_p, duplicates),
        duplicates=duplicates,
    )


# --- spans as character sets -------------------------------------------------------------


def merge_spans(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the same characters as ``spans``."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def span_length(merged: Sequence[tuple[int, int]]) -> int:
    """Number of characters covered by disjoint spans."""
    return sum(end - start for start, end in merged)


def intersection_length(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """Characters covered by both lists of sorted disjoint spans (a linear merge)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def dice(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> float:
    """Character-level Dice coefficient of two lists of sorted disjoint spans."""
    total = span_length(a) + span_length(b)
    return 2 * intersection_length(a, b) / total if total else 0.0


# --- records ---------------------------------------------------------------------------------


def _ordered_matching(
    n_gold: int,
    n_pred: int,
    gold_key: Callable[[int], tuple],
    pred_key: Callable[[int], tuple],
    compatible: Callable[[int, int], float | None],
    allowed_gold: Sequence[int] | None = None,
    allowed_pred: Sequence[int] | None = None,
) -> list[tuple[int, int]]:
    """Maximum matching of records in canonical order; ``compatible`` returns a preference
    score (higher first) or None. Returns sorted ``(gold, pred)`` pairs."""
    golds = sorted(range(n_gold) if allowed_gold is None else allowed_gold, key=lambda i: (gold_key(i), i))
    preds = sorted(range(n_pred) if allowed_pred is None else allowed_pred, key=lambda j: (pred_key(j), j))
    adjacency = []
    for i in golds:
        options = []
        for k, j in enumerate(preds):
            score = compatible(i, j)
            if score is not None:
                options.append((-score, k))
        options.sort()
        adjacency.append([k for _, k in options])
    result = maximum_matching(len(golds), adjacency)
    return sorted((golds[a], preds[k]) for a, k in enumerate(result) if k >= 0)


def _assignment(weights: list[list[float | None]]) -> list[tuple[int, int]]:
    """A maximum matching of rows to columns that, among all maximum matchings, has the largest
    total weight (``None``: the pair may not be matched). Hungarian algorithm (Kuhn-Munkres,
    the shortest-augmenting-path form) on each connected group of compatible pairs, which is tiny
    on real data; deterministic for a given order of rows and columns."""
    n_rows = len(weights)
    n_cols = len(weights[0]) if weights else 0
    # Connected groups of rows and columns linked by compatible pairs (union-find).
    parent = list(range(n_rows + n_cols))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, row in enumerate(weights):
        for j, w in enumerate(row):
            if w is not None:
                parent[find(i)] = find(n_rows + j)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(n_rows):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j in range(n_cols):
        groups.setdefault(find(n_rows + j), ([], []))[1].append(j)
    pairs = []
    for rows, cols in groups.values():
        if rows and cols:
            pairs.extend(_hungarian(weights, rows, cols))
    return sorted(pairs)


def _hungarian(weights: list[list[float | None]], rows: list[int], cols: list[int]) -> list[tuple[int, int]]:
    # Minimum cost on a square matrix: a compatible pair costs -(big + weight), any other pair 0,
    # so a larger matching always wins (weights are at most 1 and big > their sum), then weight.
    size = max(len(rows), len(cols))
    big = size + 1.0
    cost = [[0.0] * size for _ in range(size)]
    for a, i in enumerate(rows):
        for b, j in enumerate(cols):
            w = weights[i][j]
            if w is not None:
                cost[a][b] = -(big + w)
    inf = float("inf")
    u = [0.0] * (size + 1)
    v = [0.0] * (size + 1)
    owner = [0] * (size + 1)  # owner[column] = row (1-based; 0: free)
    way = [0] * (size + 1)
    for r in range(1, size + 1):
        owner[0] = r
        col = 0
        low = [inf] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[col] = True
            row, delta, nxt = owner[col], inf, 0
            for c in range(1, size + 1):
                if not used[c]:
                    reduced = cost[row - 1][c - 1] - u[row] - v[c]
                    if reduced < low[c]:
                        low[c], way[c] = reduced, col
                    if low[c] < delta:
                        delta, nxt = low[c], c
            for c in range(size + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    low[c] -= delta
            col = nxt
            if owner[col] == 0:
                break
        while col:
            prev = way[col]
            owner[col] = owner[prev]
            col = prev
    return [
        (rows[owner[c] - 1], cols[c - 1])
        for c in range(1, size + 1)
        if owner[c]
        and owner[c] - 1 < len(rows)
        and c - 1 < len(cols)
        and weights[rows[owner[c] - 1]][cols[c - 1]] is not None
    ]


def _span_key(span: dict | None) -> tuple:
    return (-1, -1) if span is None else (span["start"], span["end"])


def _entity_spans(doc: dict) -> tuple[dict[str, dict], dict[str, list[tuple[int, int]]]]:
    """Mentions by id, and the spans of every mention of each entity."""
    by_id = {m["id"]: m for m in doc.get("mentions") or ()}
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in by_id.values():
        spans.setdefault(m.get("entity") or ("mention:" + m["id"]), []).append((m["start"], m["end"]))
    return by_id, spans


def _participant_matcher(gold: dict, pred: dict) -> Callable[[str | None, str | None], bool]:
    """``same(gold_ref, pred_ref)``: both null, both "author", or the predicted mention overlaps
    a gold mention of the gold mention's entity (issue 4)."""
    g_mentions, g_spans = _entity_spans(gold)
    p_mentions = {m["id"]: m for m in pred.get("mentions") or ()}

    def same(g_ref: str | None, p_ref: str | None) -> bool:
        if g_ref is None or p_ref is None or g_ref == "author" or p_ref == "author":
            return g_ref == p_ref
        g = g_mentions.get(g_ref)
        p = p_mentions.get(p_ref)
        if g is None or p is None:
            return False
        key = g.get("entity") or ("mention:" + g["id"])
        return any(min(e, p["end"]) > max(s, p["start"]) for s, e in g_spans[key])

    return same


def match_attributions(gold: dict, pred: dict, min_dice: float = 0.5) -> list[tuple[int, int]]:
    """Match predicted attribution records to gold ones (indices into ``attributions``).

    A pair is compatible when the character-level Dice of their content spans is at least
    ``min_dice`` and their sources match (both null, or the predicted source mention overlaps a
    mention of the gold source's entity). The matching is maximum and one-to-one and, among the
    maximum matchings, has the largest total Dice; it does not depend on the order of the records.
    """
    g_recs = gold.get("attributions") or []
    p_recs = pred.get("attributions") or []
    if not g_recs or not p_recs:
        return []
    same = _participant_matcher(gold, pred)
    g_content = [merge_spans([(s["start"], s["end"]) for s in r["content"]]) for r in g_recs]
    p_content = [merge_spans([(s["start"], s["end"]) for s in r["content"]]) for r in p_recs]

    def compatible(i: int, j: int) -> float | None:
        score = dice(g_content[i], p_content[j])
        if score < min_dice or not same(g_recs[i].get("source"), p_recs[j].get("source")):
            return None
        return score

    # Canonical order first, so that ties are broken the same way whatever the input order.
    golds = sorted(
        range(len(g_recs)), key=lambda i: (tuple(g_content[i]), _span_key(g_recs[i].get("cue")), i)
    )
    preds = sorted(
        range(len(p_recs)), key=lambda j: (tuple(p_content[j]), _span_key(p_recs[j].get("cue")), j)
    )
    weights = [[compatible(i, j) for j in preds] for i in golds]
    return sorted((golds[a], preds[b]) for a, b in _assignment(weights))


@dataclass(slots=True)
class StanceMatch:
    """``labeled``: pairs agreeing on holder, target and polarity (a maximum matching);
    ``pairs``: ``labeled`` extended by a maximum matching of the remaining records that agree on
    holder and target only (the unlabeled matching)."""

    labeled: list[tuple[int, int]]
    pairs: list[tuple[int, int]]


def match_stances(gold: dict, pred: dict) -> StanceMatch:
    """Match predicted stance records to gold ones (indices into ``stances``).

    Holders match when both are ``"author"`` or the predicted holder mention overlaps a mention
    of the gold holder's entity; targets likewise.
    """
    g_recs = gold.get("stances") or []
    p_recs = pred.get("stances") or []
    if not g_recs or not p_recs:
        return StanceMatch([], [])
    same = _participant_matcher(gold, pred)
    g_men = {m["id"]: m for m in gold.get("mentions") or ()}
    p_men = {m["id"]: m for m in pred.get("mentions") or ()}

    def ref_key(mentions: dict, ref: str) -> tuple:
        m = mentions.get(ref)
        return (-1, -1) if m is None else (m["start"], m["end"])

    def g_key(i: int) -> tuple:
        r = g_recs[i]
        return (ref_key(g_men, r["holder"]), ref_key(g_men, r["target"]), r["polarity"])

    def p_key(j: int) -> tuple:
        r = p_recs[j]
        return (ref_key(p_men, r["holder"]), ref_key(p_men, r["target"]), r["polarity"])

    agree = {}
    for i, g in enumerate(g_recs):
        for j, p in enumerate(p_recs):
            if same(g["holder"], p["holder"]) and same(g["target"], p["target"]):
                agree[i, j] = g["polarity"] == p["polarity"]
    labeled = _ordered_matching(
        len(g_recs), len(p_recs), g_key, p_key, lambda i, j: 1.0 if agree.get((i, j)) else None
    )
    used_g = {i for i, _ in labeled}
    used_p = {j for _, j in labeled}
    rest = _ordered_matching(
        len(g_recs),
        len(p_recs),
        g_key,
        p_key,
        lambda i, j: 1.0 if (i, j) in agree else None,
        [i for i in range(len(g_recs)) if i not in used_g],
        [j for j in range(len(p_recs)) if j not in used_p],
    )
    return StanceMatch(labeled=labeled, pairs=sorted(labeled + rest))
