"""Level 3: checks within one document, in plain Python over the parsed dicts.

Runs only on documents that passed the JSON Schema (level 2), so every field has its declared
type; fields a submission may omit are read with ``.get``. Each check yields
``(code, json path parts, message)``; :mod:`sayso.validate` turns them into issues with lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["check_document", "LAYERS"]

LAYERS = ("mentions", "entities", "attributions", "stances")
_LAYER_ITEM = {
    "mentions": "mention",
    "entities": "entity",
    "attributions": "attribution",
    "stances": "stance",
}

Found = tuple[str, tuple, str]


def _show(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _span(span: dict[str, Any], parts: tuple, text: str | None) -> Iterator[Found]:
    start, end = span["start"], span["end"]
    if start > end:
        yield "span-reversed", parts, f"start {start} is after end {end}"
    elif start == end:
        yield "empty-span", parts, f"empty span [{start}, {end})"
    elif text is not None and end > len(text):
        yield "span-out-of-range", (*parts, "end"), f"end {end} is beyond the text ({len(text)} characters)"
    elif text is not None and "text" in span and span["text"] != text[start:end]:
        yield (
            "span-text-mismatch",
            (*parts, "text"),
            f"span text {_show(span['text'])} differs from text[{start}:{end}] = {_show(text[start:end])}",
        )


def _spans(doc: dict[str, Any], text: str | None) -> Iterator[Found]:
    # The common case (a good span) is tested inline, layer by layer, and only a bad span goes
    # through _span for its message, which keeps valid documents fast.
    size = len(text) if text is not None else -1

    def bad(span: dict[str, Any]) -> bool:
        start, end = span["start"], span["end"]
        if start >= end:
            return True
        if size < 0:
            return False
        return end > size or ("text" in span and span["text"] != text[start:end])

    for i, mention in enumerate(doc.get("mentions") or ()):
        if bad(mention):
            yield from _span(mention, ("mentions", i), text)
    for i, record in enumerate(doc.get("attributions") or ()):
        cue = record.get("cue")
        if cue is not None and bad(cue):
            yield from _span(cue, ("attributions", i, "cue"), text)
        for j, span in enumerate(record.get("content") or ()):
            if bad(span):
                yield from _span(span, ("attributions", i, "content", j), text)
    for i, record in enumerate(doc.get("stances") or ()):
        for j, span in enumerate(record.get("evidence") or ()):
            if bad(span):
                yield from _span(span, ("stances", i, "evidence", j), text)


def _ids(doc: dict[str, Any], found: list[Found]) -> dict[str, dict[str, int] | None]:
    """Map each layer to {id: index of its first record}; None for a layer not annotated."""
    index: dict[str, dict[str, int] | None] = {}
    for layer in LAYERS:
        records = doc.get(layer)
        if records is None:
            index[layer] = None
            continue
        first = {record["id"]: i for i, record in reversed(list(enumerate(records)))}
        if len(first) == len(records):  # no id repeats (the usual case)
            index[layer] = first
            continue
        seen: dict[str, int] = {}
        for i, record in enumerate(records):
            key = record["id"]
            if key in seen:
                found.append(
                    (
                        "duplicate-id",
                        (layer, i, "id"),
                        f"id {key!r} is already used by $.{layer}[{seen[key]}]",
                    )
                )
            else:
                seen[key] = i
        index[layer] = seen
    return index


def _resolve(
    value: str, layer: str, ids: dict[str, dict[str, int] | None], parts: tuple, extra: str = ""
) -> Iterator[Found]:
    known = ids[layer]
    if known is None:
        yield (
            "dangling-reference",
            parts,
            f"{value!r} refers to the {layer} layer, which is not annotated (null or absent)",
        )
    elif value not in known:
        yield "dangling-reference", parts, f"{value!r} is not {extra}{_article(layer)} id"


def _article(layer: str) -> str:
    item = _LAYER_ITEM[layer]
    return f"{'an' if item[0] in 'aeiou' else 'a'} {item}"


def _references(doc: dict[str, Any], ids: dict[str, dict[str, int] | None]) -> Iterator[Found]:
    # A reference that resolves is the common case: test it inline, explain only the others.
    entities, mentions, attributions = ids["entities"], ids["mentions"], ids["attributions"]
    for i, mention in enumerate(doc.get("mentions") or ()):
        entity = mention.get("entity")
        if entity is not None and (entities is None or entity not in entities):
            yield from _resolve(entity, "entities", ids, ("mentions", i, "entity"))
    for i, record in enumerate(doc.get("attributions") or ()):
        source, via = record.get("source"), record.get("via")
        if source is not None and (mentions is None or source not in mentions):
            yield from _resolve(source, "mentions", ids, ("attributions", i, "source"))
        if via is not None and (attributions is None or via not in attributions):
            yield from _resolve(via, "attributions", ids, ("attributions", i, "via"))
    for i, record in enumerate(doc.get("stances") or ()):
        holder, target, attribution = record["holder"], record["target"], record.get("attribution")
        if holder != "author" and (mentions is None or holder not in mentions):
            yield from _resolve(holder, "mentions", ids, ("stances", i, "holder"), extra='"author" nor ')
        if mentions is None or target not in mentions:
            yield from _resolve(target, "mentions", ids, ("stances", i, "target"))
        if attribution is not None and (attributions is None or attribution not in attributions):
            yield from _resolve(attribution, "attributions", ids, ("stances", i, "attribution"))


def _types(doc: dict[str, Any], ids: dict[str, dict[str, int] | None]) -> Iterator[Found]:
    entities = doc.get("entities")
    known = ids["entities"]
    if not entities or not known:
        return
    for i, mention in enumerate(doc.get("mentions") or ()):
        target = known.get(mention.get("entity"))  # type: ignore[arg-type]
        if target is None:
            continue
        entity_type = entities[target].get("type")
        if entity_type is not None and mention["type"] != entity_type:
            yield (
                "entity-type-mismatch",
                ("mentions", i, "type"),
                f"mention type {mention['type']} differs from type {entity_type} of its entity "
                f"{mention['entity']!r} ($.entities[{target}])",
            )


def _via_cycles(doc: dict[str, Any], ids: dict[str, dict[str, int] | None]) -> Iterator[Found]:
    records = doc.get("attributions") or ()
    if not any(record.get("via") is not None for record in records):
        return
    known = ids["attributions"] or {}
    state: dict[int, int] = {}  # 1 = on the current chain, 2 = done
    for start in range(len(records)):
        chain: list[int] = []
        i: int | None = start
        while i is not None and state.get(i) is None:
            state[i] = 1
            chain.append(i)
            via = records[i].get("via")
            i = known.get(via) if via is not None else None
        if i is not None and state.get(i) == 1:  # came back to this chain: a cycle
            loop = chain[chain.index(i) :]
            first = min(loop)
            at = loop.index(first)
            ordered = loop[at:] + loop[:at] + [first]
            names = " -> ".join(records[k]["id"] for k in ordered)
            yield "via-cycle", ("attributions", first, "via"), f"via chain {names} loops back on itself"
        for k in chain:
            state[k] = 2


def _duplicate_mentions(doc: dict[str, Any]) -> Iterator[Found]:
    mentions = doc.get("mentions") or ()
    if len({(m["start"], m["end"], m["type"]) for m in mentions}) == len(mentions):
        return
    seen: dict[tuple, int] = {}
    for i, mention in enumerate(doc.get("mentions") or ()):
        key = (mention["start"], mention["end"], mention["type"])
        if key in seen:
            yield (
                "duplicate-mention",
                ("mentions", i),
                f"same span [{key[0]}, {key[1]}) and type {key[2]} as $.mentions[{seen[key]}]",
            )
        else:
            seen[key] = i


def _order(found: Found) -> tuple:
    # Issues in document order: layer order, then indexes and keys along the path.
    parts = found[1]
    rank = LAYERS.index(parts[0]) if parts and parts[0] in LAYERS else -1
    return (rank, *((0, p) if isinstance(p, int) else (1, p) for p in parts[1:]))


def check_document(doc: dict[str, Any], text: str | None = None) -> list[Found]:
    """All level-3 problems of ``doc`` (a dict that passed the JSON Schema), in document order.

    Spans are checked against ``text`` when given (a submission is checked against the text of
    its gold document), else against the document's own ``text``.
    """
    if text is None:
        text = doc.get("text")
    found: list[Found] = list(_spans(doc, text if isinstance(text, str) else None))
    ids = _ids(doc, found)
    found.extend(_references(doc, ids))
    if doc.get("entities"):
        found.extend(_types(doc, ids))
    if doc.get("attributions"):
        found.extend(_via_cycles(doc, ids))
    if doc.get("mentions"):
        found.extend(_duplicate_mentions(doc))
    if len(found) > 1:
        found.sort(key=_order)
    return found
