"""Schema v1 documents <-> Label Studio tasks, predictions and annotations.

The mapping (see :mod:`sayso.labelstudio._config` for the controls) is lossless: a valid
document pushed as a pre-annotation and submitted unchanged comes back equal to the original,
plus ``meta.annotator`` and ``meta.annotation_id``. What makes that work:

- The task's ``data`` carries the text byte for byte plus the document's skeleton (id,
  schema_version, meta, key order, which layers are null), so nothing outside the annotation
  layers depends on the annotator.
- Region ids encode the schema ids (``sy-m-<mention id>``, ``sy-a-<attribution id>`` ...), so
  ids survive; regions an annotator draws get fresh ids (Label Studio's own ids never contain
  the ``sy-`` prefix's shape). Ids are escaped to ``[A-Za-z0-9_-]`` because the editor puts
  region ids into CSS selectors.
- Offsets are code points, as Label Studio 1.23.2 stores them; span text is always recomputed
  from the offsets, never taken from ``value.text`` (the browser's rendering, whitespace collapsed).
  Whether a span carries ``text`` is kept in the task (``untexted`` region ids): the editor writes
  ``value.text`` on every region it saves.
- Records keep the order of the result list; records an annotator adds come after them, in
  text order.

Every structural problem in a result (a choice on no region, a relation of the wrong kinds, a
cue linked to nothing) is an :class:`~sayso.issues.Issue`; nothing is dropped silently.
"""

from __future__ import annotations

import re
from typing import Any

from ..issues import Issue
from ._config import (
    AUTHOR,
    ENTITIES,
    ENTITY,
    HOLDER,
    MENTION,
    MENTION_CHOICES,
    PHENOMENA,
    RECORD_CHOICES,
    SPAN,
    STANCE_CHOICES,
    TEXT,
)

__all__ = [
    "LAYERS",
    "LS_CODES",
    "document_to_task_data",
    "document_to_result",
    "region_id",
    "parse_region_id",
    "entity_line",
    "parse_entity_line",
]

LAYERS = ("mentions", "entities", "attributions", "stances")
TOP_ORDER = ("id", "schema_version", "meta", "text", *LAYERS)

# Issue codes of the conversion (documented in annotation/CONTRIBUTING.md and schema/README.md).
LS_CODES: dict[str, tuple[str, str]] = {
    "ls-not-representable": ("error", "a document cannot be expressed as a Label Studio task without loss"),
    "ls-invalid-prediction": ("error", "label_studio_sdk rejects a generated pre-annotation"),
    "ls-result-item": ("error", "a result item is malformed or names an unknown control or label"),
    "ls-orphan": ("error", "a per-region choice or text refers to a region that is not in the result"),
    "ls-relation": ("error", "a relation is unlabeled, dangling, or joins regions of the wrong kinds"),
    "ls-record": ("error", "an attribution or stance is incomplete or linked inconsistently"),
    "ls-entities": ("error", "a line of the entities box is not `id | TYPE | Wikidata id or - | name`"),
    "ls-incomplete": ("warning", "a field the guidelines require was left empty (kept as null)"),
    "ls-skipped": ("warning", "an annotation or record was not converted (cancelled, or not representable)"),
}

_SAFE = re.compile(r"[A-Za-z0-9]")
_ESCAPED = re.compile(r"_([0-9a-f]+)_")
_PREFIX = "sy"
_SEP = " | "

# relation label -> (kind of the from-region, kind of the to-region)
RELATION_KINDS = {
    "source": ("mention", "content"),
    "cue": ("cue", "content"),
    "via": ("content", "content"),
    "holder": ("mention", "evidence"),
    "target": ("evidence", "mention"),
    "attribution": ("evidence", "content"),
}
# An unlabeled relation whose region kinds admit exactly one label gets that label.
INFERRED = {
    ("mention", "content"): "source",
    ("cue", "content"): "cue",
    ("evidence", "content"): "attribution",
}


def _escape(value: str) -> str:
    return "".join(c if _SAFE.fullmatch(c) else f"_{ord(c):x}_" for c in value)


def _unescape(value: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)


def region_id(kind: str, record_id: str) -> str:
    """The Label Studio region id for a schema record (``kind`` in m, a, c1.., q, s, e1..).

    >>> region_id("m", "m1"), region_id("q", "a-7")
    ('sy-m-m1', 'sy-q-a_2d_7')
    """
    return f"{_PREFIX}-{kind}-{_escape(record_id)}"


def parse_region_id(rid: Any) -> tuple[str, str] | None:
    """``(kind, record id)`` of a region id made by :func:`region_id`; None for any other id."""
    if not isinstance(rid, str):
        return None
    parts = rid.split("-", 2)
    if len(parts) != 3 or parts[0] != _PREFIX or not parts[2]:
        return None
    if not re.fullmatch(r"[A-Za-z0-9_]+", parts[2]) or _ESCAPED.sub("", parts[2]).count("_"):
        return None
    return parts[1], _unescape(parts[2])


def entity_line(entity: dict) -> str:
    """One line of the entities box: ``id | TYPE | Wikidata id or - | name``."""
    fields = [entity["id"], entity.get("type") or "-", entity.get("wikidata") or "-"]
    if "name" in entity and entity["name"] is not None:
        fields.append(entity["name"])
    return _SEP.join(fields)


def parse_entity_line(line: str) -> dict | None:
    """The entity of one entities-box line, or None when the line is malformed."""
    parts = line.split(_SEP, 3)
    if len(parts) < 3 or not parts[0].strip():
        return None
    eid, etype, wikidata = (p.strip() for p in parts[:3])
    return {
        "id": eid,
        "name": parts[3] if len(parts) == 4 else None,
        "type": None if etype == "-" else etype,
        "wikidata": None if wikidata == "-" else wikidata,
    }


def _untexted(doc: dict) -> list[str]:
    """Region ids of the spans that carry no ``text`` in ``doc`` (the editor writes text on every
    region it saves, so the absence is kept in the task instead)."""
    found = [region_id("m", m["id"]) for m in doc.get("mentions") or [] if "text" not in m]
    for a in doc.get("attributions") or []:
        spans = [("a" if k == 0 else f"c{k}", span) for k, span in enumerate(a.get("content") or [])]
        spans += [("q", a["cue"])] if a.get("cue") else []
        found += [region_id(kind, a["id"]) for kind, span in spans if "text" not in span]
    for st in doc.get("stances") or []:
        spans = [("s" if k == 0 else f"e{k}", span) for k, span in enumerate(st.get("evidence") or [])]
        found += [region_id(kind, st["id"]) for kind, span in spans if "text" not in span]
    return found


def document_to_task_data(doc: dict, *, prediction: bool) -> dict:
    """The task ``data``: the text, a title to show, and the document's skeleton.

    ``prediction`` says the document's own layers are pushed as its pre-annotation: then which
    layers are null (not annotated) and which spans carry no ``text`` are recorded, so that the
    pre-annotation submitted unchanged comes back equal to the document. Without it every layer
    comes back as a list and every span with its text.
    """
    meta = doc.get("meta") or {}
    skeleton = {k: v for k, v in doc.items() if k not in ("text", *LAYERS)}
    return {
        TEXT: doc["text"],
        "title": meta.get("title") or doc["id"],
        "doc_id": doc["id"],
        "sayso": {
            "document": skeleton,
            "key_order": list(doc),
            "null_layers": [k for k in LAYERS if prediction and k in doc and doc[k] is None],
            "untexted": _untexted(doc) if prediction else [],
        },
    }


def _span_value(text: str, span: dict) -> dict:
    # Always with text, as the editor writes it; whether the schema span has text is in the task.
    return {"start": span["start"], "end": span["end"], "text": text[span["start"] : span["end"]]}


def _item(rid: str, control: str, kind: str, value: dict) -> dict:
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": kind, "value": value}


def _safe_id(value: Any) -> bool:
    return (
        isinstance(value, str)
        and value == value.strip()
        and value != ""
        and "\n" not in value
        and _SEP not in value
    )


def _representable(doc: dict, path: str) -> list[Issue]:
    """What the Label Studio form cannot express, as issues (checked before anything is built)."""
    issues = []

    def bad(json_path: str, message: str) -> None:
        issues.append(Issue("ls-not-representable", "error", path, None, json_path, message))

    if not isinstance(doc.get("text"), str):
        bad(
            "$.text",
            "the document has no text; push the gold documents and give the submission with "
            "--predictions-from",
        )
    for i, ent in enumerate(doc.get("entities") or []):
        if not _safe_id(ent.get("id")):
            bad(
                f"$.entities[{i}].id",
                "an entity id must be non-empty, without surrounding spaces, newlines or ' | '",
            )
        if ent.get("type") is not None and _SEP in str(ent.get("type")):
            bad(f"$.entities[{i}].type", "an entity type cannot contain ' | '")
        if isinstance(ent.get("name"), str) and ("\n" in ent["name"] or "\r" in ent["name"]):
            bad(f"$.entities[{i}].name", "an entity name cannot contain a line break in the entities box")
        if isinstance(ent.get("wikidata"), str) and (ent["wikidata"] in ("", "-") or _SEP in ent["wikidata"]):
            bad(
                f"$.entities[{i}].wikidata",
                f"the Wikidata id {ent['wikidata']!r} cannot be written in the entities box",
            )
    for i, m in enumerate(doc.get("mentions") or []):
        if m.get("entity") is not None and not _safe_id(m["entity"]):
            bad(
                f"$.mentions[{i}].entity",
                "an entity id must be non-empty, without surrounding spaces or newlines",
            )
    return issues


def document_to_result(doc: dict, *, path: str = "<memory>") -> tuple[list[dict], list[Issue]]:
    """The Label Studio ``result`` list expressing every annotation layer of ``doc``.

    ``doc`` must be valid (``sayso.validate.validate_document``); the issues returned are the
    ``ls-not-representable`` ones (then the result is empty) and ``ls-skipped`` warnings for
    submission records that cannot be shown (a stance without evidence).
    """
    issues = _representable(doc, path)
    if issues:
        return [], issues
    text = doc["text"]
    result: list[dict] = []
    relations: dict[tuple[str, str], list[str]] = {}

    def relate(src: str, dst: str, label: str) -> None:
        relations.setdefault((src, dst), []).append(label)

    for m in doc.get("mentions") or []:
        rid = region_id("m", m["id"])
        value = _span_value(text, m)
        result.append(_item(rid, MENTION, "labels", {**value, "labels": [m["type"]]}))
        for control in MENTION_CHOICES:
            if m.get(control) is not None:
                result.append(_item(rid, control, "choices", {**value, "choices": [m[control]]}))
        if m.get("entity") is not None:
            result.append(
                _item(rid, ENTITY, "textarea", {"start": m["start"], "end": m["end"], "text": [m["entity"]]})
            )
    entities = doc.get("entities") or []
    if entities:
        result.append(
            _item("sy-doc-entities", ENTITIES, "textarea", {"text": [entity_line(e) for e in entities]})
        )

    for a in doc.get("attributions") or []:
        anchor = region_id("a", a["id"])
        content = a["content"]
        value = _span_value(text, content[0])
        result.append(_item(anchor, SPAN, "labels", {**value, "labels": ["content"]}))
        for control in RECORD_CHOICES:
            if a.get(control) is not None:
                result.append(_item(anchor, control, "choices", {**value, "choices": [a[control]]}))
        for k, span in enumerate(content[1:], start=1):
            piece = region_id(f"c{k}", a["id"])
            result.append(_item(piece, SPAN, "labels", {**_span_value(text, span), "labels": ["content"]}))
            relate(piece, anchor, "part-of")
        if a.get("cue") is not None:
            cue = region_id("q", a["id"])
            result.append(_item(cue, SPAN, "labels", {**_span_value(text, a["cue"]), "labels": ["cue"]}))
            relate(cue, anchor, "cue")
        if a.get("source") is not None:
            relate(region_id("m", a["source"]), anchor, "source")
        if a.get("via") is not None:
            relate(anchor, region_id("a", a["via"]), "via")

    for i, s in enumerate(doc.get("stances") or []):
        if not s.get("evidence"):
            issues.append(
                Issue(
                    "ls-skipped",
                    "warning",
                    path,
                    None,
                    f"$.stances[{i}]",
                    f"stance {s.get('id')!r} has no evidence span to anchor it in Label Studio; not pushed",
                )
            )
            continue
        anchor = region_id("s", s["id"])
        value = _span_value(text, s["evidence"][0])
        result.append(_item(anchor, SPAN, "labels", {**value, "labels": ["evidence"]}))
        for control in STANCE_CHOICES:
            if s.get(control) is not None:
                result.append(_item(anchor, control, "choices", {**value, "choices": [s[control]]}))
        if s.get("holder") == AUTHOR:
            result.append(_item(anchor, HOLDER, "choices", {**value, "choices": [AUTHOR]}))
        elif s.get("holder") is not None:
            relate(region_id("m", s["holder"]), anchor, "holder")
        for k, span in enumerate(s["evidence"][1:], start=1):
            piece = region_id(f"e{k}", s["id"])
            result.append(_item(piece, SPAN, "labels", {**_span_value(text, span), "labels": ["evidence"]}))
            relate(piece, anchor, "part-of")
        if s.get("target") is not None:
            relate(anchor, region_id("m", s["target"]), "target")
        if s.get("attribution") is not None:
            relate(anchor, region_id("a", s["attribution"]), "attribution")

    for (src, dst), labels in relations.items():
        result.append(
            {"from_id": src, "to_id": dst, "type": "relation", "direction": "right", "labels": labels}
        )
    phenomena = (doc.get("meta") or {}).get("phenomena")
    if phenomena:
        result.append(_item("sy-doc-phenomena", PHENOMENA, "choices", {"choices": list(phenomena)}))
    return result, issues
