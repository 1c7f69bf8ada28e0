"""Checks of a submission against the gold it is scored on.

Everything the scorer reads is checked here, so scoring never meets a value it cannot use:
malformed items, spans outside the gold text, a ``text`` that differs from the gold text,
labels outside ``labels.json``, references that do not resolve, unknown or duplicated ids.
Problems are :class:`~sayso.issues.Issue` values with stable codes (``eval/METRICS.md``);
nothing is silently dropped. The validator's schema-level checks run as well when this
installation has ``sayso.validate``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from ..issues import Issue
from ..labels import label_names, schema_text

__all__ = ["check_prediction", "prediction_is_clean", "CHECK_CODES"]

CHECK_CODES = {
    "score-malformed": "a predicted document or item lacks a field the scorer needs, or has the wrong type",
    "score-unknown-id": "a predicted document id that is not among the gold documents scored",
    "score-duplicate-id": "a predicted document id given twice",
    "score-text-mismatch": "a predicted document's text differs from the gold text",
    "score-span-out-of-range": "a span outside the gold text, or empty",
    "score-span-text": "a span's text differs from the gold text at its offsets",
    "score-unknown-label": "a label outside labels.json (after the type map, for mention types)",
    "score-duplicate-item-id": "two items of one layer share an id",
    "score-bad-reference": "a source, holder, target, via, attribution or entity id that does not resolve",
    "score-missing-documents": "(warning) gold documents without a prediction, scored as empty",
    "score-gold": "a gold document that cannot be scored (not an object, no id or text, a duplicate id)",
    "score-type-map": "a type map file that is unreadable or malformed",
}

_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")


def _is_int(v: Any) -> bool:
    return type(v) is int


class _Checker:
    def __init__(self, path: str, line: int | None, text: str, pred_types: Mapping | None) -> None:
        self.path, self.line, self.text, self.pred_types = path, line, text, pred_types
        self.issues: list[Issue] = []

    def error(self, code: str, where: str, message: str) -> None:
        self.issues.append(Issue(code, "error", self.path, self.line, where, message))

    def span(self, span: Any, where: str) -> bool:
        if not isinstance(span, dict) or not _is_int(span.get("start")) or not _is_int(span.get("end")):
            self.error("score-malformed", where, "a span needs integer start and end")
            return False
        start, end = span["start"], span["end"]
        if not 0 <= start < end <= len(self.text):
            self.error(
                "score-span-out-of-range",
                where,
                f"span [{start}, {end}) is empty or outside the gold text (length {len(self.text)})",
            )
            return False
        if "text" in span and span["text"] != self.text[start:end]:
            self.error(
                "score-span-text",
                where + ".text",
                f"{span['text']!r} differs from the gold text {self.text[start:end]!r}",
            )
        return True

    def label(self, value: Any, layer: str, where: str, nullable: bool = True) -> None:
        if value is None and nullable:
            return
        if value not in label_names(layer):
            self.error("score-unknown-label", where, f"{value!r} is not a {layer} label in labels.json")

    def items(self, doc: Mapping, field: str) -> list[tuple[int, dict]]:
        """The well-formed objects with a string id in layer ``field`` (others are reported)."""
        layer = doc.get(field)
        if layer is None:
            return []
        if not isinstance(layer, list):
            self.error("score-malformed", f"$.{field}", "a layer must be a list or null")
            return []
        seen: set[str] = set()
        good = []
        for n, item in enumerate(layer):
            where = f"$.{field}[{n}]"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
                self.error("score-malformed", where, "an item must be an object with a non-empty string id")
                continue
            if item["id"] in seen:
                self.error(
                    "score-duplicate-item-id", where + ".id", f"id {item['id']!r} is used twice in {field}"
                )
                continue
            seen.add(item["id"])
            good.append((n, item))
        return good

    def ref(self, value: Any, known: Iterable[str], where: str, what: str, nullable: bool = True) -> None:
        if value is None and nullable:
            return
        if not isinstance(value, str) or value not in known:
            self.error("score-bad-reference", where, f"{value!r} is not the id of {what} in this document")


def check_prediction(
    doc: Any, gold: Mapping | None, *, path: str, line: int | None = 1, pred_types: Mapping | None = None
) -> list[Issue]:
    """Check one predicted document against its gold document (None: its id is unknown).

    Returns every problem found. Document-level problems (unknown id, wrong text) stop the
    item checks, which would only repeat them.
    """
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        return [
            Issue(
                "score-malformed", "error", path, line, "$", "a document must be an object with a string id"
            )
        ]
    if gold is None:
        return [
            Issue(
                "score-unknown-id",
                "error",
                path,
                line,
                "$.id",
                f"{doc['id']!r} is not a gold document id here",
            )
        ]
    text = gold["text"]
    if "text" in doc and doc["text"] != text:
        return [
            Issue(
                "score-text-mismatch",
                "error",
                path,
                line,
                "$.text",
                "differs from the gold text" + _first_difference(doc["text"], text),
            )
        ]
    c = _Checker(path, line, text, pred_types)
    entities = c.items(doc, "entities")
    for n, e in entities:
        where = f"$.entities[{n}]"
        wd = e.get("wikidata")
        if wd is not None and (not isinstance(wd, str) or not _WIKIDATA.match(wd)):
            c.error(
                "score-malformed", where + ".wikidata", f"{wd!r} is not a Wikidata id (Q followed by digits)"
            )
        type_ = e.get("type")
        if pred_types is not None and isinstance(type_, str) and type_ in pred_types:
            type_ = pred_types[type_]
        c.label(type_, "mention_type", where + ".type")
    entity_ids = {e["id"] for _, e in entities}
    mention_ids = _clean_mention_ids(doc.get("mentions"), text, entity_ids, pred_types)
    if mention_ids is not None:  # the usual case: every mention is fine, checked in one tight loop
        mentions = []
    else:
        mentions = c.items(doc, "mentions")
        mention_ids = {m["id"] for _, m in mentions}
    for n, m in mentions:
        where = f"$.mentions[{n}]"
        c.span(m, where)
        type_ = m.get("type")
        if pred_types is not None and isinstance(type_, str) and type_ in pred_types:
            type_ = pred_types[type_]
            if type_ is None:  # mapped out of mention scoring on purpose
                type_ = label_names("mention_type")[0]
        c.label(type_, "mention_type", where + ".type", nullable=False)
        c.label(m.get("kind"), "mention_kind", where + ".kind")
        c.ref(m.get("entity"), entity_ids, where + ".entity", "an entity")
    attributions = c.items(doc, "attributions")
    attribution_ids = {a["id"] for _, a in attributions}
    for n, a in attributions:
        where = f"$.attributions[{n}]"
        content = a.get("content")
        if not isinstance(content, list) or not content:
            c.error("score-malformed", where + ".content", "content must be a non-empty list of spans")
        else:
            for k, span in enumerate(content):
                c.span(span, f"{where}.content[{k}]")
        if a.get("cue") is not None:
            c.span(a["cue"], where + ".cue")
        c.ref(a.get("source"), mention_ids, where + ".source", "a mention")
        c.ref(a.get("via"), attribution_ids - {a["id"]}, where + ".via", "another attribution")
        for field in ("quote", "identity", "source_type", "channel"):
            c.label(a.get(field), field, f"{where}.{field}")
    for n, s in c.items(doc, "stances"):
        where = f"$.stances[{n}]"
        if s.get("holder") != "author":
            c.ref(s.get("holder"), mention_ids, where + ".holder", 'a mention (or "author")', nullable=False)
        c.ref(s.get("target"), mention_ids, where + ".target", "a mention", nullable=False)
        c.label(s.get("polarity"), "polarity", where + ".polarity", nullable=False)
        evidence = s.get("evidence")
        if evidence is not None and not isinstance(evidence, list):
            c.error("score-malformed", where + ".evidence", "evidence must be a list of spans")
        for k, span in enumerate(evidence or ()):
            c.span(span, f"{where}.evidence[{k}]")
        c.ref(s.get("attribution"), attribution_ids, where + ".attribution", "an attribution")
    return c.issues


def _clean_mention_ids(
    mentions: Any, text: str, entity_ids: set[str], pred_types: Mapping | None
) -> set[str] | None:
    """The mention ids when every mention passes every check, else None (then the item-by-item
    checks run and say what is wrong). Same checks as the slow path, without building messages."""
    if mentions is None:
        return set()
    if type(mentions) is not list:
        return None
    types = set(label_names("mention_type"))
    if pred_types:
        types.update(pred_types)  # a mapped type is a label or null (checked with the map)
    kinds = {*label_names("mention_kind"), None}
    try:
        return _mention_ids(mentions, text, entity_ids, types, kinds)
    except TypeError:  # an unhashable value where a label or id belongs
        return None


def _mention_ids(mentions: list, text: str, entity_ids: set[str], types: set, kinds: set) -> set[str] | None:
    length = len(text)
    ids: set[str] = set()
    for m in mentions:
        if type(m) is not dict:
            return None
        mid, start, end = m.get("id"), m.get("start"), m.get("end")
        if not (
            type(mid) is str
            and mid
            and mid not in ids
            and type(start) is int
            and type(end) is int
            and 0 <= start < end <= length
            and m.get("type") in types
            and m.get("kind") in kinds
        ):
            return None
        if "text" in m and m["text"] != text[start:end]:
            return None
        entity = m.get("entity")
        if entity is not None and entity not in entity_ids:
            return None
        ids.add(mid)
    return ids


def _first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f" at offset {i} ({a[i : i + 12]!r} instead of {b[i : i + 12]!r})"
    return f" in length ({len(a)} instead of {len(b)} characters)"


@cache
def _clean_rules() -> tuple[Any, frozenset, frozenset, frozenset]:
    """From the submission schema and labels.json, what :func:`prediction_is_clean` accepts:
    the document id pattern, mention fields, mention types and kinds (both sources agreeing)."""
    schema = json.loads(schema_text("submission.schema.json"))
    mention = schema["$defs"]["mention"]["properties"]
    types = frozenset(mention["type"]["enum"]) & frozenset(label_names("mention_type"))
    kinds = frozenset(mention["kind"]["enum"]) & frozenset((*label_names("mention_kind"), None))
    return re.compile(schema["properties"]["id"]["pattern"]), frozenset(mention), types, kinds


def prediction_is_clean(doc: Any, text: str) -> bool:
    """True only when neither the validator (submission schema and level-3 checks) nor
    :func:`check_prediction` against a gold document with this ``text`` would report an error.

    One pass over the plain dicts of the common submission (an id and a list of mentions), for
    speed (issue 4). It is stricter than those checks, never looser: False means "run them" (they
    say what is wrong, or that nothing is). No type map: under one the checks see mapped types.
    """
    return clean_mention_spans(doc, text, True) is not None


def clean_mention_spans(doc: Any, text: str, all_kinds: bool) -> list[tuple[int, int, str]] | None:
    """The ``(start, end, type)`` of the scored mentions of a prediction (every kind, or named
    mentions only, as :func:`~sayso.score._counts.mention_spans` gives them) when
    :func:`prediction_is_clean` holds for it, else None: one pass both checks and collects."""
    if type(doc) is not dict or not doc.keys() <= _CLEAN_DOCUMENT_KEYS:
        return None
    id_pattern, fields, types, kinds = _clean_rules()
    doc_id = doc.get("id")
    if type(doc_id) is not str or id_pattern.search(doc_id) is None:
        return None
    mentions = doc.get("mentions")
    if mentions is None:
        return []
    if type(mentions) is not list:
        return None
    length = len(text)
    ids: set[str] = set()
    spans: set[tuple] = set()
    scored: list[tuple[int, int, str]] = []
    for m in mentions:
        if type(m) is not dict or not m.keys() <= fields:
            return None
        mid, start, end, type_, kind = m.get("id"), m.get("start"), m.get("end"), m.get("type"), m.get("kind")
        if not (
            type(mid) is str
            and mid
            and mid not in ids
            and type(start) is int
            and type(end) is int
            and 0 <= start < end <= length
            and type(type_) is str
            and type_ in types
            and (kind is None and None in kinds or type(kind) is str and kind in kinds)
            and m.get("entity") is None  # no entities layer: any entity would dangle
        ):
            return None
        if "text" in m and m["text"] != text[start:end]:
            return None
        key = (start, end, type_)
        if key in spans:  # duplicate-mention
            return None
        spans.add(key)
        ids.add(mid)
        if all_kinds or kind is None or kind == "NAM":  # a missing or null kind counts as a name
            scored.append(key)
    return scored


_CLEAN_DOCUMENT_KEYS = frozenset(("id", "mentions"))
