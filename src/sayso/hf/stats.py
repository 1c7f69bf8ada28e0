"""Per-split corpus statistics: the numbers behind ``sayso stats`` and the dataset card.

Counts are computed from the gold documents alone (no ``datasets``, no ``pyarrow``), with every
label of ``labels.json`` listed, zeros included, so a label that the corpus lacks shows as 0
rather than going missing. A layer that a document leaves null (not annotated) adds nothing and
is counted in ``unannotated_layers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..labels import label_names
from ..tokenize import sentences

__all__ = ["corpus_stats", "to_markdown", "to_text", "OVERVIEW", "DISTRIBUTIONS"]

# (key, label in tables). Order is the order of the tables.
OVERVIEW = (
    ("documents", "documents"),
    ("sentences", "sentences"),
    ("tokens", "tokens"),
    ("characters", "characters"),
    ("mentions", "mentions"),
    ("named_mentions", "named mentions (NAM)"),
    ("entities", "entities"),
    ("linked_entities", "entities with a Wikidata id"),
    ("attributions", "attributions"),
    ("agentless_attributions", "agentless attributions (no source)"),
    ("relayed_attributions", "relayed attributions (via)"),
    ("stances", "stances"),
    ("author_stances", "author stances"),
    ("unannotated_layers", "layers not annotated (null)"),
)
# (statistic key, labels.json layer, what is counted)
DISTRIBUTIONS = (
    ("beat", "beat", "documents"),
    ("mention_type", "mention_type", "mentions"),
    ("mention_kind", "mention_kind", "mentions"),
    ("quote", "quote", "attributions"),
    ("identity", "identity", "attributions"),
    ("source_type", "source_type", "attributions"),
    ("channel", "channel", "attributions"),
    ("polarity", "polarity", "stances"),
)
_SPLITS = ("train", "validation", "test")


def _empty() -> dict[str, Any]:
    stats: dict[str, Any] = {key: 0 for key, _ in OVERVIEW}
    for key, layer, _ in DISTRIBUTIONS:
        stats[key] = {name: 0 for name in label_names(layer)}
    return stats


def _bump(counter: dict[str, int], value: Any) -> None:
    if value is not None:
        counter[value] = counter.get(value, 0) + 1


def _add(stats: dict[str, Any], doc: dict) -> None:
    text = doc["text"]
    mentions = doc.get("mentions")
    named = [(m["start"], m["end"]) for m in mentions or [] if m.get("kind") == "NAM"]
    sents = sentences(text, keep=named)
    stats["documents"] += 1
    stats["sentences"] += len(sents)
    stats["tokens"] += sum(len(s) for s in sents)
    stats["characters"] += len(text)
    _bump(stats["beat"], (doc.get("meta") or {}).get("beat"))
    for layer in ("mentions", "entities", "attributions", "stances"):
        if doc.get(layer) is None:
            stats["unannotated_layers"] += 1
    for m in mentions or []:
        stats["mentions"] += 1
        stats["named_mentions"] += m.get("kind") == "NAM"
        _bump(stats["mention_type"], m.get("type"))
        _bump(stats["mention_kind"], m.get("kind"))
    for e in doc.get("entities") or []:
        stats["entities"] += 1
        stats["linked_entities"] += bool(e.get("wikidata"))
    for a in doc.get("attributions") or []:
        stats["attributions"] += 1
        stats["agentless_attributions"] += a.get("source") is None
        stats["relayed_attributions"] += a.get("via") is not None
        for key in ("quote", "identity", "source_type", "channel"):
            _bump(stats[key], a.get(key))
    for s in doc.get("stances") or []:
        stats["stances"] += 1
        stats["author_stances"] += s.get("holder") == "author"
        _bump(stats["polarity"], s.get("polarity"))


def _merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict):
            for name, n in value.items():
                into[key][name] = into[key].get(name, 0) + n
        else:
            into[key] += value


def corpus_stats(docs: Iterable[tuple[str | None, dict]]) -> dict[str, Any]:
    """Statistics of ``(split, document)`` pairs: ``{"splits": {split: stats}, "total": stats}``.

    Splits appear in the order train, validation, test (then any other, sorted); a split with no
    document is left out. Documents with no split are counted under ``"none"``.
    """
    per: dict[str, dict[str, Any]] = {}
    for split, doc in docs:
        _add(per.setdefault(split or "none", _empty()), doc)
    order = [s for s in _SPLITS if s in per] + sorted(s for s in per if s not in _SPLITS)
    total = _empty()
    for split in order:
        _merge(total, per[split])
    return {"splits": {s: per[s] for s in order}, "total": total}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def to_markdown(stats: dict[str, Any]) -> str:
    """Two Markdown tables: the overview, then every label's count, per split and in total."""
    columns = [*stats["splits"], "total"]
    columns_data = [*stats["splits"].values(), stats["total"]]
    header = ["", *columns]
    overview = [[label, *(f"{c[key]:,}" for c in columns_data)] for key, label in OVERVIEW]
    lines = _table(header, overview)
    lines += ["", *_table(["layer: label", *columns], _distribution_rows(columns_data, markdown=True))]
    return "\n".join(lines) + "\n"


def _distribution_rows(columns_data: list[dict], markdown: bool) -> list[list[str]]:
    rows = []
    for key, layer, unit in DISTRIBUTIONS:
        for name in label_names(layer):
            label = f"{key}: `{name}` ({unit})" if markdown else f"{key}:{name}"
            rows.append([label, *(f"{c[key].get(name, 0):,}" for c in columns_data)])
    return rows


def to_text(stats: dict[str, Any]) -> str:
    """A plain aligned table for the terminal."""
    columns = [*stats["splits"], "total"]
    columns_data = [*stats["splits"].values(), stats["total"]]
    rows = [[label, *(f"{c[key]:,}" for c in columns_data)] for key, label in OVERVIEW]
    rows.append([""] * (len(columns) + 1))
    rows += _distribution_rows(columns_data, markdown=False)
    width0 = max(len(r[0]) for r in rows)
    widths = [max(len(columns[i]), *(len(r[i + 1]) for r in rows)) for i in range(len(columns))]
    out = [" " * width0 + "  " + "  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    for r in rows:
        out.append(
            (
                r[0].ljust(width0) + "  " + "  ".join(v.rjust(w) for v, w in zip(r[1:], widths, strict=True))
            ).rstrip()
        )
    return "\n".join(out) + "\n"
