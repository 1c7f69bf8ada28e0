"""Inter-annotator agreement per layer, built on the scorer's own matching (issue 5).

For every pair of annotators, over the documents all of them annotated:

- **F1** of spans and records: one annotator is taken as gold, the other as prediction, with the
  scorer's matching (:func:`sayso.score.match_mentions`, :func:`~sayso.score.match_attributions`,
  :func:`~sayso.score.match_stances`); ``F1 = 2 * matched / (n_a + n_b)``, which is symmetric.
  Counts are summed over documents, then F1 is computed per pair and averaged over pairs.
- **Cohen's kappa** (scikit-learn) of each categorical field on the matched records, skipping
  pairs where either side is null (not annotated); averaged over pairs.
- **Krippendorff's alpha** (nominal) of the same fields when there are more than two annotators.
  Its units are the connected components of the pairwise matchings (order-independent); an
  annotator with no record, or with two records, in a component contributes no value to it.

Mentions are matched on every kind (annotators mark NOM and PRO mentions too): ``strict`` F1 needs
the same span and type, ``exact`` the same span; ``type`` and ``kind`` agreement is measured on
mentions with the same span. Entities: coreference-link F1 over the mentions both annotators
marked with the same span (two such mentions are linked when they are in one entity).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .labels import label_names

__all__ = ["MEASURES", "Agreement", "agreement", "cohen_kappa", "krippendorff_alpha", "f1"]

# (measure, layer of its labels or None for an F1) in table order
MEASURES: tuple[tuple[str, str | None], ...] = (
    ("mentions.strict.f1", None),
    ("mentions.exact.f1", None),
    ("mentions.type", "mention_type"),
    ("mentions.kind", "mention_kind"),
    ("entities.link.f1", None),
    ("attributions.record.f1", None),
    ("attributions.quote", "quote"),
    ("attributions.identity", "identity"),
    ("attributions.source_type", "source_type"),
    ("attributions.channel", "channel"),
    ("stances.unlabeled.f1", None),
    ("stances.labeled.f1", None),
    ("stances.polarity", "polarity"),
)
_FIELDS = {name: layer for name, layer in MEASURES if layer is not None}


def f1(matched: int, n_a: int, n_b: int) -> float | None:
    """Symmetric F1 of two annotations; None when neither has anything.

    >>> f1(2, 4, 3)
    0.5714285714285714
    """
    return None if n_a + n_b == 0 else 2 * matched / (n_a + n_b)


def cohen_kappa(a: Sequence[str], b: Sequence[str], labels: Sequence[str]) -> float | None:
    """Cohen's kappa of two label sequences (scikit-learn); None when undefined (no pairs, or
    chance agreement is 1 because both annotators used one and the same label throughout)."""
    if not a:
        return None
    if len(set(a) | set(b)) == 1:
        return None  # p_e = 1: kappa is 0/0
    from sklearn.metrics import cohen_kappa_score  # heavy: imported only when measuring

    return float(cohen_kappa_score(a, b, labels=list(labels)))


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data; ``units`` holds one value per coder (None = missing).

    Units with fewer than two values are not pairable and are ignored. Returns None when there
    is no variation at all (the expected disagreement is zero).

    >>> krippendorff_alpha([["a", "a"], ["b", "b"], ["a", "b"]])
    0.4444444444444444
    """
    coincidence: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            coincidence[values[i], values[j]] += 1 / (m - 1)
    totals: Counter = Counter()
    for (c, _k), weight in coincidence.items():
        totals[c] += weight
    n = sum(totals.values())
    observed = sum(w for (c, k), w in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if n <= 1 or expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


@dataclass
class Agreement:
    """The result of :func:`agreement`."""

    annotators: list[str]
    documents: list[str]  # ids annotated by every annotator
    pairs: dict[str, dict[str, float | None]] = field(default_factory=dict)  # "a|b" -> measure -> value
    mean: dict[str, float | None] = field(default_factory=dict)  # measure -> mean over pairs
    alpha: dict[str, float | None] = field(default_factory=dict)  # field -> alpha (3+ annotators)
    items: dict[str, int] = field(default_factory=dict)  # measure -> matched items (kappa) or records (F1)

    def to_json(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "documents": len(self.documents),
            "document_ids": self.documents,
            "mean": self.mean,
            "alpha": self.alpha if len(self.annotators) > 2 else None,
            "pairs": self.pairs,
            "items": self.items,
        }


def _mentions(doc: dict) -> list[dict]:
    return list(doc.get("mentions") or [])


def _pair_items(a: dict, b: dict) -> dict[str, list[tuple[int, int]]]:
    """Matched index pairs per layer (indices into the layer's list) for one document."""
    from .score import match_attributions, match_mentions, match_stances

    spans_a = [(m["start"], m["end"], m["type"]) for m in _mentions(a)]
    spans_b = [(m["start"], m["end"], m["type"]) for m in _mentions(b)]
    mentions = match_mentions(spans_a, spans_b)
    stances = match_stances(a, b)
    return {
        "mentions.strict": mentions.strict.correct,
        "mentions.exact": mentions.exact.correct,
        "attributions": match_attributions(a, b),
        "stances.labeled": stances.labeled,
        "stances": stances.pairs,
    }


def _links(doc: dict, indices: list[int]) -> set[tuple[int, int]]:
    """Pairs (positions in ``indices``) of mentions in the same entity."""
    mentions = _mentions(doc)
    out = set()
    for x, y in itertools.combinations(range(len(indices)), 2):
        ex, ey = mentions[indices[x]].get("entity"), mentions[indices[y]].get("entity")
        if ex is not None and ex == ey:
            out.add((x, y))
    return out


def _layer(name: str) -> tuple[str, str]:
    layer, _, fld = name.partition(".")
    return layer, fld


def agreement(folders: dict[str, dict[str, dict]]) -> Agreement:
    """Agreement between annotators; ``folders`` maps an annotator's name to ``{doc id: document}``.

    Only documents every annotator has are used (see :class:`Agreement`'s ``documents``).
    """
    names = list(folders)
    shared = sorted(set.intersection(*(set(docs) for docs in folders.values()))) if names else []
    result = Agreement(names, shared)
    match_keys = {"mentions": "mentions.exact", "attributions": "attributions", "stances": "stances"}
    # nodes of the alpha graph: (annotator, doc id, layer, index); union-find over matches
    parent: dict[tuple, tuple] = {}

    def find(x: tuple) -> tuple:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a_name, b_name in itertools.combinations(names, 2):
        sums: Counter = Counter()
        labels: dict[str, tuple[list, list]] = {name: ([], []) for name in _FIELDS}
        for doc_id in shared:
            a, b = folders[a_name][doc_id], folders[b_name][doc_id]
            pairs = _pair_items(a, b)
            for layer in ("mentions", "attributions", "stances"):
                sums[f"{layer}.a"] += len(a.get(layer) or [])
                sums[f"{layer}.b"] += len(b.get(layer) or [])
            for key, found in pairs.items():
                sums[key] += len(found)
            exact = pairs["mentions.exact"]
            links_a = _links(a, [i for i, _ in exact])
            links_b = _links(b, [j for _, j in exact])
            sums["links.a"] += len(links_a)
            sums["links.b"] += len(links_b)
            sums["links.both"] += len(links_a & links_b)
            for name in _FIELDS:
                layer, fld = _layer(name)
                recs_a, recs_b = a.get(layer) or [], b.get(layer) or []
                for i, j in pairs[match_keys[layer]]:
                    va, vb = recs_a[i].get(fld), recs_b[j].get(fld)
                    if va is not None and vb is not None:
                        labels[name][0].append(va)
                        labels[name][1].append(vb)
            for layer, key in match_keys.items():
                for i, j in pairs[key]:
                    root_a, root_b = find((a_name, doc_id, layer, i)), find((b_name, doc_id, layer, j))
                    parent[root_a] = root_b
        values: dict[str, float | None] = {
            "mentions.strict.f1": f1(sums["mentions.strict"], sums["mentions.a"], sums["mentions.b"]),
            "mentions.exact.f1": f1(sums["mentions.exact"], sums["mentions.a"], sums["mentions.b"]),
            "entities.link.f1": f1(sums["links.both"], sums["links.a"], sums["links.b"]),
            "attributions.record.f1": f1(
                sums["attributions"], sums["attributions.a"], sums["attributions.b"]
            ),
            "stances.unlabeled.f1": f1(sums["stances"], sums["stances.a"], sums["stances.b"]),
            "stances.labeled.f1": f1(sums["stances.labeled"], sums["stances.a"], sums["stances.b"]),
        }
        for name, layer in _FIELDS.items():
            values[name] = cohen_kappa(*labels[name], label_names(layer))
            result.items[name] = result.items.get(name, 0) + len(labels[name][0])
        result.pairs[f"{a_name}|{b_name}"] = {name: values[name] for name, _ in MEASURES}
    for name, _ in MEASURES:
        found = [p[name] for p in result.pairs.values() if p[name] is not None]
        result.mean[name] = sum(found) / len(found) if found else None
    result.alpha = _alphas(folders, names, shared, find, match_keys) if len(names) > 2 else {}
    return result


def _alphas(
    folders: dict, names: list[str], shared: list[str], find, match_keys: dict
) -> dict[str, float | None]:
    """Krippendorff's alpha per field over the components of the pairwise matchings."""
    components: dict[tuple, dict[str, list]] = {}
    for name in names:
        for doc_id in shared:
            doc = folders[name][doc_id]
            for layer in match_keys:
                for i in range(len(doc.get(layer) or [])):
                    node = (name, doc_id, layer, i)
                    components.setdefault(find(node), {}).setdefault(name, []).append(node)
    alphas = {}
    for fld_name in _FIELDS:
        layer, fld = _layer(fld_name)
        units = []
        for members in components.values():
            if not any(node[2] == layer for nodes in members.values() for node in nodes):
                continue
            unit = []
            for name in names:
                nodes = members.get(name, [])
                if len(nodes) == 1:
                    _, doc_id, _, i = nodes[0]
                    unit.append(folders[name][doc_id][layer][i].get(fld))
                else:
                    unit.append(None)  # no record, or an ambiguous two
            units.append(unit)
        alphas[fld_name] = krippendorff_alpha(units)
    return alphas
