"""The card's annotated example, generated from a real gold document.

The example is a relayed attribution ("X reported, citing Y": two records joined by ``via``) when
the corpus has one, since it shows the most of the schema in one passage, with a stance and the
``tokens`` view of the same passage. The choice is deterministic: the first such document in
split order (train, validation, test), then by id.
"""

from __future__ import annotations

from ..tokenize import tagged_sentences

__all__ = ["example_section", "pick_example"]

_SPLIT_ORDER = {"train": 0, "validation": 1, "test": 2}


def _cell(value: object) -> str:
    if value is None:
        return "null"
    return str(value).replace("|", "\\|").replace("\n", " ")


def pick_example(docs: list[tuple[str, dict]]) -> tuple[str, dict, dict] | None:
    """``(split, document, attribution)``: the first relayed attribution, else the first sourced one."""
    ordered = sorted(docs, key=lambda sd: (_SPLIT_ORDER.get(sd[0], 9), sd[1]["id"]))
    for wanted in (
        lambda a: a.get("via") and a.get("source") and a.get("cue"),
        lambda a: a.get("source") and a.get("cue"),
        lambda a: True,
    ):
        for split, doc in ordered:
            for attribution in doc.get("attributions") or []:
                if wanted(attribution):
                    return split, doc, attribution
    return None


def example_section(docs: list[tuple[str, dict]]) -> str:
    picked = pick_example(docs)
    if picked is None:
        return "The corpus has no attribution yet."
    split, doc, chosen = picked
    text = doc["text"]
    attributions = {a["id"]: a for a in doc["attributions"]}
    chain = [chosen]
    while chain[-1].get("via") in attributions and attributions[chain[-1]["via"]] not in chain:
        chain.append(attributions[chain[-1]["via"]])
    chain.reverse()  # the relaying record first
    mentions = {m["id"]: m for m in doc.get("mentions") or []}
    entities = {e["id"]: e for e in doc.get("entities") or []}

    def shown(mid: str) -> str:
        """A mention as the reader needs it: its text, and its entity's name when it is no name."""
        m = mentions.get(mid)
        if m is None:
            return mid  # "author"
        words = text[m["start"] : m["end"]]
        entity = entities.get(m.get("entity"))
        same = entity is None or entity["name"].casefold() == words.casefold()
        return words if m.get("kind") == "NAM" or same else f"{words} (= {entity['name']})"

    spans = [
        (s["start"], s["end"]) for a in chain for s in [*a["content"], *([a["cue"]] if a["cue"] else [])]
    ]
    spans += [
        (mentions[a["source"]]["start"], mentions[a["source"]]["end"]) for a in chain if a.get("source")
    ]
    lo, hi = min(s for s, _ in spans), max(e for _, e in spans)
    sents = [(toks, tags) for toks, tags in tagged_sentences(doc) if toks[-1].end > lo and toks[0].start < hi]
    start, end = sents[0][0][0].start, sents[-1][0][-1].end
    out = [
        f"From `{doc['id']}` ({split} split), *{_cell(doc['meta']['title'])}*:",
        "",
        "> " + text[start:end].replace("\n", "\n> "),
        "",
        "Its attribution records (`attributions` config; `documents` holds the same records nested):",
        "",
        "| id | source | cue | content | quote | identity | source_type | channel | via |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for a in chain:
        source_text = f"`{a['source']}` {shown(a['source'])}" if a.get("source") else "null"
        cue = text[a["cue"]["start"] : a["cue"]["end"]] if a.get("cue") else None
        content = " … ".join(text[s["start"] : s["end"]] for s in a["content"])
        out.append(
            f"| `{a['id']}` | {_cell(source_text)} | {_cell(cue)} | {_cell(content)} | {_cell(a['quote'])} | "
            f"{_cell(a['identity'])} | {_cell(a['source_type'])} | {_cell(a['channel'])} | "
            f"{_cell(a.get('via'))} |"
        )
    stance = next(
        (s for s in doc.get("stances") or [] if s.get("attribution") in {a["id"] for a in chain}), None
    )
    stance = stance or next(iter(doc.get("stances") or []), None)
    if stance:
        out += [
            "",
            "A stance in the same article (`stances` config):",
            "",
            "| holder | target | polarity | evidence | reported through |",
            "|---|---|---|---|---|",
            f"| {_cell(shown(stance['holder']))} | {_cell(shown(stance['target']))} | {stance['polarity']} | "
            f"{_cell(' … '.join(text[e['start'] : e['end']] for e in stance['evidence']))} | "
            f"{_cell(stance.get('attribution'))} |",
        ]
    toks, tags = sents[0]
    out += [
        "",
        "The first sentence of the passage in the `tokens` config (token/tag):",
        "",
        "```",
        " ".join(f"{t.text}/{tag}" for t, tag in zip(toks, tags, strict=True)),
        "```",
    ]
    return "\n".join(out)
