"""Gold documents to dataset rows (one function per config) and ``documents`` rows back to documents.

Rows are plain dicts whose label fields already hold ``ClassLabel`` indices (null stays null: not
annotated is not a label). :func:`row_to_document` inverts :func:`document_row` exactly for every
document the compiler or the Label Studio pull writes, which a test checks on the whole corpus.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from ..tokenize import Token, tagged_sentences
from ._features import Label, ListOf, Value, features

__all__ = ["rows", "document_row", "row_to_document", "label_index"]

# meta keys the schema makes optional: omitted from a document when null in its row.
_OPTIONAL_META = ("register", "annotator", "annotation_id", "source", "credit")
CONTENT_JOINER = " … "  # between the spans of a multi-span content or evidence in *_text fields


@cache
def label_index(names: tuple[str, ...]) -> dict[str, int]:
    return {name: i for i, name in enumerate(names)}


def _compile(spec: Any) -> Callable[[Any], Any]:
    """A function turning a JSON value into its row value under ``spec`` (labels to indices).

    Compiled once per config, so the per-value work is a dict lookup or a copy, not a walk of
    the spec (the build converts about a hundred values per sentence).
    """
    if isinstance(spec, Label):
        index = label_index(spec.names)
        return lambda v: None if v is None else index[v]
    if isinstance(spec, Value):
        if spec.dtype == "string":  # a numeric annotation_id becomes its string
            return lambda v: v if v is None or type(v) is str else str(v)
        return lambda v: v
    if isinstance(spec, ListOf):
        if isinstance(spec.item, Value) and spec.item.dtype != "string":
            return lambda v: None if v is None else list(v)
        inner = _compile(spec.item)
        return lambda v: None if v is None else [inner(x) for x in v]
    fields = [(name, _compile(sub)) for name, sub in spec.items()]
    return lambda v: None if v is None else {name: f(v.get(name)) for name, f in fields}


@cache
def _encoder(config: str) -> Callable[[Any], Any]:
    return _compile(features(config))


def _decode(spec: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(spec, Label):
        return spec.names[value]
    if isinstance(spec, ListOf):
        return [_decode(spec.item, v) for v in value]
    if isinstance(spec, dict):
        return {name: _decode(sub, value.get(name)) for name, sub in spec.items()}
    return value


def _with_text(text: str, span: dict | None) -> dict | None:
    if span is None:
        return None
    return {**span, "text": span.get("text", text[span["start"] : span["end"]])}


def document_row(doc: dict) -> dict:
    """The ``documents`` row of a schema document (span ``text`` filled in where absent)."""
    text = doc["text"]
    doc = dict(doc)
    if doc.get("mentions") is not None:
        doc["mentions"] = [_with_text(text, m) for m in doc["mentions"]]
    if doc.get("attributions") is not None:
        doc["attributions"] = [
            {
                **a,
                "cue": _with_text(text, a.get("cue")),
                "content": [_with_text(text, s) for s in a["content"]],
            }
            for a in doc["attributions"]
        ]
    if doc.get("stances") is not None:
        doc["stances"] = [
            {**s, "evidence": [_with_text(text, e) for e in s["evidence"]]} for s in doc["stances"]
        ]
    return _encoder("documents")(doc)


def row_to_document(row: dict) -> dict:
    """The schema document of a ``documents`` row, as loaded by ``datasets`` (labels as indices).

    Optional ``meta`` keys that are null are left out, as the compiler leaves them out; a numeric
    ``annotation_id`` (Label Studio's ids are integers) comes back as an int.
    """
    doc = _decode(features("documents"), row)
    meta = doc["meta"]
    for key in _OPTIONAL_META:
        if meta.get(key) is None:
            meta.pop(key, None)
    if isinstance(meta.get("annotation_id"), str) and meta["annotation_id"].isdigit():
        meta["annotation_id"] = int(meta["annotation_id"])
    return doc


class _Context:
    """The sentence(s) around a set of spans: a short context for the flat configs."""

    def __init__(self, text: str, sents: list[list[Token]]):
        self.text = text
        self.starts = [s[0].start for s in sents]
        self.ends = [s[-1].end for s in sents]

    def around(self, spans: list[tuple[int, int]]) -> tuple[str | None, int | None]:
        if not spans or not self.starts:
            return None, None
        lo = min(s for s, _ in spans)
        hi = max(e for _, e in spans)
        first = max(bisect_right(self.starts, lo) - 1, 0)
        last = min(max(bisect_left(self.ends, hi), first), len(self.ends) - 1)
        start, end = min(self.starts[first], lo), max(self.ends[last], hi)
        return self.text[start:end], start


def _spans_text(text: str, spans: list[dict]) -> str:
    return CONTENT_JOINER.join(text[s["start"] : s["end"]] for s in spans)


def _flat_rows(doc: dict, sents: list[list[Token]]) -> dict[str, list[dict]]:
    text, did = doc["text"], doc["id"]
    mentions = doc.get("mentions") or []
    ctx = _Context(text, sents)
    by_id = {m["id"]: m for m in mentions}
    entities = {e["id"]: e for e in doc.get("entities") or []}

    def mention_fields(mid: str | None, prefix: str) -> dict:
        m = by_id.get(mid) if mid else None
        ent = entities.get(m.get("entity")) if m and m.get("entity") else None
        return {
            f"{prefix}_text": text[m["start"] : m["end"]] if m else None,
            f"{prefix}_entity_id": m.get("entity") if m else None,
            f"{prefix}_entity_name": ent["name"] if ent else None,
        }

    out: dict[str, list[dict]] = {"mentions": [], "attributions": [], "stances": []}
    for m in mentions:
        ent = entities.get(m.get("entity")) if m.get("entity") else None
        context, cstart = ctx.around([(m["start"], m["end"])])
        out["mentions"].append(
            {
                "document_id": did,
                "mention_id": m["id"],
                "start": m["start"],
                "end": m["end"],
                "text": text[m["start"] : m["end"]],
                "type": m.get("type"),
                "kind": m.get("kind"),
                "entity_id": m.get("entity"),
                "entity_name": ent["name"] if ent else None,
                "wikidata": ent.get("wikidata") if ent else None,
                "context": context,
                "context_start": cstart,
            }
        )
    for a in doc.get("attributions") or []:
        cue = _with_text(text, a.get("cue"))
        content = [_with_text(text, s) for s in a["content"]]
        spans = [(s["start"], s["end"]) for s in content] + ([(cue["start"], cue["end"])] if cue else [])
        context, cstart = ctx.around(spans)
        out["attributions"].append(
            {
                "document_id": did,
                "attribution_id": a["id"],
                "source_mention_id": a.get("source"),
                **mention_fields(a.get("source"), "source"),
                "cue": cue,
                "content": content,
                "content_text": _spans_text(text, content),
                "quote": a.get("quote"),
                "identity": a.get("identity"),
                "source_type": a.get("source_type"),
                "channel": a.get("channel"),
                "via": a.get("via"),
                "context": context,
                "context_start": cstart,
            }
        )
    for s in doc.get("stances") or []:
        evidence = [_with_text(text, e) for e in s["evidence"]]
        context, cstart = ctx.around([(e["start"], e["end"]) for e in evidence])
        holder = s.get("holder")
        out["stances"].append(
            {
                "document_id": did,
                "stance_id": s["id"],
                "holder": holder,
                **mention_fields(holder if holder != "author" else None, "holder"),
                "target": s.get("target"),
                **mention_fields(s.get("target"), "target"),
                "polarity": s.get("polarity"),
                "evidence": evidence,
                "evidence_text": _spans_text(text, evidence),
                "attribution": s.get("attribution"),
                "context": context,
                "context_start": cstart,
            }
        )
    return out


def _token_rows(doc: dict, tagged: list[tuple[list[Token], list[str]]]) -> list[dict]:
    rows = []
    for number, (sent, tags) in enumerate(tagged):
        rows.append(
            {
                "id": f"{doc['id']}-{number:04d}",
                "document_id": doc["id"],
                "sentence": number,
                "tokens": [t.text for t in sent],
                "ner_tags": tags,
                "char_starts": [t.start for t in sent],
                "char_ends": [t.end for t in sent],
            }
        )
    return rows


def rows(doc: dict) -> Iterator[tuple[str, dict]]:
    """Every ``(config, row)`` a gold document contributes, configs in :data:`CONFIGS` order."""
    yield "documents", document_row(doc)
    tagged = tagged_sentences(doc)
    flat = _flat_rows(doc, [sent for sent, _ in tagged])
    for config in ("mentions", "attributions", "stances"):
        encode = _encoder(config)
        for row in flat[config]:
            yield config, encode(row)
    encode = _encoder("tokens")
    for row in _token_rows(doc, tagged):
        yield "tokens", encode(row)
