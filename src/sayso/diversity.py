"""How varied the corpus is, and whether the test split can rank systems (issue 15's floors).

``sayso stats --diversity`` prints these measures; the dataset card reports them. Every measure is
computed from the gold documents alone:

- lengths in words (runs of letters, digits and apostrophes), their spread (coefficient of
  variation) and the share over 700 words;
- attributions per 100 words, per article;
- the share of articles with the "X reported ..., citing Y" template;
- relay chains: the longest chain of ``via`` links in each article, and relays whose relaying
  record is not a news outlet's;
- where agentless attributions fall in their article (first, middle, last third);
- recurrence: the share of an article's word 4-grams found in another article (mean over
  articles), sentences of 8+ words and direct quotations found in two articles;
- the test split's floors: labels, author stances, relays, phenomenon tags, named mentions per
  type, Wikidata links; split sizes; registers and beats.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .labels import label_names

__all__ = ["diversity", "to_text", "to_markdown", "FLOORS"]

_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_TEMPLATE = re.compile(r"\breported\b[^.\n]{0,160}?\bciting\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+|\n+")

#: (key, required value, how it is compared): the floors of issue 15 that the corpus is measured by.
FLOORS = (
    ("articles", 300, ">="),
    ("test_articles", 120, ">="),
    ("validation_articles", 50, ">="),
    ("beats", 12, ">="),
    ("registers_min_articles", 15, ">="),
    ("registers_min_test_articles", 6, ">="),
    ("length_min_words", 120, ">="),
    ("length_max_words", 1500, "<="),
    ("share_over_700_words", 0.20, ">="),
    ("length_cv", 0.40, ">="),
    ("template_share_new", 0.30, "<="),
    ("articles_with_chains_of_2_hops", 15, ">="),
    ("articles_outside_attribution_density", 0, "<="),
    ("fourgram_recurrence", 0.015, "<="),
    ("shared_sentences", 0, "<="),
    ("shared_quotations", 0, "<="),
    ("test_min_source_type", 25, ">="),
    ("test_min_channel", 25, ">="),
    ("test_min_identity", 25, ">="),
    ("test_min_quote", 25, ">="),
    ("test_min_polarity", 50, ">="),
    ("test_author_stances", 25, ">="),
    ("test_via_links", 60, ">="),
    ("test_via_links_in_chains_of_2_hops", 15, ">="),
    ("test_min_articles_per_phenomenon", 10, ">="),
    ("test_min_named_mentions_per_type", 40, ">="),
    ("test_linked_entities", 60, ">="),
    ("test_articles_with_links", 30, ">="),
)
_NEW_AFTER = 60  # sayso-0001 .. sayso-0060 are corpus v1


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _chains(doc: dict) -> tuple[int, list[int]]:
    """The longest chain of relays in ``doc`` (hops) and, per relayed record, the hops of the
    longest chain it belongs to."""
    records = {r["id"]: r for r in doc.get("attributions") or ()}
    up: dict[str, int] = {}  # hops from a record to the end of its chain of relays

    def depth(rid: str, seen: frozenset = frozenset()) -> int:
        if rid in up:
            return up[rid]
        via = records[rid].get("via")
        hops = 0 if via is None or via not in records or via in seen else 1 + depth(via, seen | {rid})
        up[rid] = hops
        return hops

    for rid in records:
        depth(rid)
    down: dict[str, int] = {}  # hops from a record to the innermost record relayed through it

    def below(rid: str) -> int:
        if rid not in down:
            down[rid] = 0
            inner = [r["id"] for r in records.values() if r.get("via") == rid]
            down[rid] = max((1 + below(i) for i in inner), default=0)
        return down[rid]

    links = [up[rid] + below(rid) for rid, r in records.items() if r.get("via") in records]
    return max(up.values(), default=0), links


def _sentences(text: str) -> list[str]:
    out = []
    for part in _SENTENCE_END.split(text):
        words = _words(part)
        if len(words) >= 8:
            out.append(" ".join(words))
    return out


def _article(doc: dict) -> dict[str, Any]:
    text = doc["text"]
    words = _words(text)
    records = doc.get("attributions") or []
    longest, links = _chains(doc)
    by_id = {r["id"]: r for r in records}
    agentless = []
    for r in records:
        if r.get("source") is None:
            at = (r.get("cue") or (r.get("content") or [{"start": 0}])[0])["start"]
            agentless.append(at / max(1, len(text)))
    quotations = [
        " ".join(_words(text[s["start"] : s["end"]]))
        for r in records
        if r.get("quote") == "direct"
        for s in r.get("content") or ()
    ]
    return {
        "id": doc["id"],
        "words": len(words),
        "attributions": len(records),
        "per_100_words": 100 * len(records) / max(1, len(words)),
        "template": bool(_TEMPLATE.search(text)),
        "longest_chain": longest,
        "links": links,
        "non_media_relays": sum(
            1 for r in records if r.get("via") in by_id and by_id[r["via"]].get("source_type") != "media"
        ),
        "agentless_positions": agentless,
        "fourgrams": {tuple(words[i : i + 4]) for i in range(len(words) - 3)},
        "sentences": set(_sentences(text)),
        "quotations": {q for q in quotations if len(q.split()) >= 4},
    }


def _number(doc_id: str) -> int:
    try:
        return int(doc_id.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return 0


def diversity(docs: Iterable[tuple[str | None, dict]]) -> dict[str, Any]:
    """The measures and floors of ``docs`` (``(split, document)`` pairs of gold documents)."""
    pairs = list(docs)
    articles = [(split, doc, _article(doc)) for split, doc in pairs]
    if not articles:
        return {"measures": {}, "floors": [], "articles": []}
    lengths = [a["words"] for _, _, a in articles]
    mean = statistics.fmean(lengths)
    new = [a for _, doc, a in articles if _number(doc["id"]) > _NEW_AFTER]
    # Recurrence across articles: 4-grams, sentences, quotations held by more than one article.
    gram_owners: Counter = Counter(g for _, _, a in articles for g in a["fourgrams"])
    sentence_owners: Counter = Counter(s for _, _, a in articles for s in a["sentences"])
    quote_owners: Counter = Counter(q for _, _, a in articles for q in a["quotations"])
    recurrence = [
        sum(1 for g in a["fourgrams"] if gram_owners[g] > 1) / len(a["fourgrams"])
        for _, _, a in articles
        if a["fourgrams"]
    ]
    positions = [p for _, _, a in articles for p in a["agentless_positions"]]
    thirds = Counter(min(2, int(3 * p)) for p in positions)
    registers = Counter((doc.get("meta") or {}).get("register") for _, doc, _ in articles)
    test_registers = Counter(
        (doc.get("meta") or {}).get("register") for split, doc, _ in articles if split == "test"
    )
    beats = {(doc.get("meta") or {}).get("beat") for _, doc, _ in articles} - {None}
    density_out = [a["id"] for _, _, a in articles if not 0.8 <= a["per_100_words"] <= 4.5]
    measures: dict[str, Any] = {
        "articles": len(articles),
        "test_articles": sum(1 for s, _, _ in articles if s == "test"),
        "validation_articles": sum(1 for s, _, _ in articles if s == "validation"),
        "beats": len(beats),
        "registers": dict(sorted((k or "none", v) for k, v in registers.items())),
        "registers_min_articles": min((registers.get(r, 0) for r in label_names("register")), default=0),
        "registers_min_test_articles": min(
            (test_registers.get(r, 0) for r in label_names("register")), default=0
        ),
        "length_min_words": min(lengths),
        "length_median_words": statistics.median(lengths),
        "length_max_words": max(lengths),
        "share_over_700_words": sum(1 for n in lengths if n > 700) / len(lengths),
        "length_cv": statistics.pstdev(lengths) / mean if mean else 0.0,
        "template_share_all": sum(a["template"] for _, _, a in articles) / len(articles),
        "template_share_new": sum(a["template"] for a in new) / len(new) if new else 0.0,
        "articles_with_chains_of_2_hops": sum(1 for _, _, a in articles if a["longest_chain"] >= 2),
        "articles_with_non_media_relays": sum(1 for _, _, a in articles if a["non_media_relays"]),
        "agentless_by_third": [thirds.get(k, 0) for k in range(3)],
        "attributions_per_100_words_min": min(a["per_100_words"] for _, _, a in articles),
        "attributions_per_100_words_max": max(a["per_100_words"] for _, _, a in articles),
        "articles_outside_attribution_density": len(density_out),
        "fourgram_recurrence": statistics.fmean(recurrence) if recurrence else 0.0,
        "shared_sentences": sum(1 for n in sentence_owners.values() if n > 1),
        "shared_quotations": sum(1 for n in quote_owners.values() if n > 1),
    }
    measures.update(_test_floors([doc for split, doc, _ in articles if split == "test"], articles))
    floors = []
    for key, required, how in FLOORS:
        value = measures.get(key)
        met = value is not None and (value >= required if how == ">=" else value <= required)
        floors.append({"measure": key, "value": value, "required": f"{how} {required}", "met": met})
    details = {
        "outside_attribution_density": density_out,
        "shared_sentences": sorted(s for s, n in sentence_owners.items() if n > 1),
        "shared_quotations": sorted(q for q, n in quote_owners.items() if n > 1),
    }
    return {"measures": measures, "floors": floors, "details": details}


def _test_floors(test: list[dict], articles: list) -> dict[str, Any]:
    labels: dict[str, Counter] = {f: Counter() for f in ("source_type", "channel", "identity", "quote")}
    polarity: Counter = Counter()
    phenomena: Counter = Counter()
    named: Counter = Counter()
    author = via = linked = linked_articles = 0
    in_chains = 0
    links_by_id = {a["id"]: a["links"] for _, _, a in articles}
    for doc in test:
        for record in doc.get("attributions") or ():
            for field, counter in labels.items():
                if record.get(field) is not None:
                    counter[record[field]] += 1
            via += record.get("via") is not None
        in_chains += sum(1 for hops in links_by_id.get(doc["id"], ()) if hops >= 2)
        for stance in doc.get("stances") or ():
            polarity[stance["polarity"]] += 1
            author += stance["holder"] == "author"
        for tag in (doc.get("meta") or {}).get("phenomena") or ():
            phenomena[tag] += 1
        for m in doc.get("mentions") or ():
            if m.get("kind") == "NAM":
                named[m["type"]] += 1
        links = sum(1 for e in doc.get("entities") or () if e.get("wikidata"))
        linked += links
        linked_articles += links > 0
    out: dict[str, Any] = {
        f"test_min_{field}": min(counter.get(label, 0) for label in label_names(field))
        for field, counter in labels.items()
    }
    out["test_min_polarity"] = min(polarity.get(label, 0) for label in label_names("polarity"))
    out["test_author_stances"] = author
    out["test_via_links"] = via
    out["test_via_links_in_chains_of_2_hops"] = in_chains
    out["test_min_articles_per_phenomenon"] = min(phenomena.get(t, 0) for t in label_names("phenomena"))
    out["test_min_named_mentions_per_type"] = min(named.get(t, 0) for t in label_names("mention_type"))
    out["test_linked_entities"] = linked
    out["test_articles_with_links"] = linked_articles
    out["test_label_counts"] = {
        **{field: dict(counter) for field, counter in labels.items()},
        "polarity": dict(polarity),
        "phenomena": dict(phenomena),
        "named_mentions": dict(named),
    }
    return out


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def to_text(result: dict[str, Any]) -> str:
    """The floors as a table (measure, value, required, met), then the other measures."""
    lines = [f"{'measure':<40}{'value':>10}  {'required':<10}  met"]
    for floor in result["floors"]:
        lines.append(
            f"{floor['measure']:<40}{_show(floor['value']):>10}  {floor['required']:<10}  "
            f"{'yes' if floor['met'] else 'NO'}"
        )
    met = sum(f["met"] for f in result["floors"])
    lines.append(f"{met} of {len(result['floors'])} floors met")
    shown = {f["measure"] for f in result["floors"]} | {"test_label_counts"}
    for key, value in result["measures"].items():
        if key not in shown:
            lines.append(f"{key}: {_show(value)}")
    for key, values in result.get("details", {}).items():
        if values:
            lines.append(f"{key}: " + "; ".join(map(str, values[:10])) + (" ..." if len(values) > 10 else ""))
    return "\n".join(lines) + "\n"


_DESCRIPTIONS = {
    "articles": "articles",
    "test_articles": "test articles",
    "validation_articles": "validation articles",
    "beats": "beats",
    "registers_min_articles": "articles of the rarest register",
    "registers_min_test_articles": "test articles of the rarest register",
    "length_min_words": "shortest article (words)",
    "length_max_words": "longest article (words)",
    "share_over_700_words": "share of articles over 700 words",
    "length_cv": "coefficient of variation of lengths",
    "template_share_new": 'share of new articles with "X reported ..., citing Y"',
    "articles_with_chains_of_2_hops": "articles with a relay chain of 2+ hops",
    "articles_outside_attribution_density": "articles outside 0.8-4.5 attributions per 100 words",
    "fourgram_recurrence": "mean share of an article's 4-grams found in another article",
    "shared_sentences": "sentences of 8+ words found in two articles",
    "shared_quotations": "direct quotations found in two articles",
    "test_min_source_type": "test: records of the rarest source type",
    "test_min_channel": "test: records of the rarest channel",
    "test_min_identity": "test: records of the rarest identity",
    "test_min_quote": "test: records of the rarest quote type",
    "test_min_polarity": "test: stances of the rarest polarity",
    "test_author_stances": "test: author stances",
    "test_via_links": "test: via links",
    "test_via_links_in_chains_of_2_hops": "test: via links in chains of 2+ hops",
    "test_min_articles_per_phenomenon": "test: articles of the rarest phenomenon tag",
    "test_min_named_mentions_per_type": "test: named mentions of the rarest type",
    "test_linked_entities": "test: Wikidata-linked entities",
    "test_articles_with_links": "test: articles with a Wikidata link",
}


def to_markdown(result: dict[str, Any]) -> str:
    """The floors as the Markdown table of the dataset card."""
    lines = [
        "Measured by `sayso stats --diversity` on the gold; the targets are those the corpus is being "
        "built to (issue 15 of the project).",
        "",
        "| measure | value | target | met |",
        "|---|---:|---|---|",
    ]
    for floor in result["floors"]:
        name = _DESCRIPTIONS.get(floor["measure"], floor["measure"])
        met = "yes" if floor["met"] else "not yet"
        lines.append(f"| {name} | {_show(floor['value'])} | {floor['required']} | {met} |")
    m = result["measures"]
    met = sum(f["met"] for f in result["floors"])
    lines += [
        "",
        f"{met} of {len(result['floors'])} targets met. Registers: "
        + ", ".join(f"{k} {v}" for k, v in m.get("registers", {}).items())
        + f". Agentless attributions by third of their article: {m.get('agentless_by_third')}; articles "
        f"relayed through a source that is not a news outlet: {m.get('articles_with_non_media_relays')}.",
    ]
    return "\n".join(lines)
