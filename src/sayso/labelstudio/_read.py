"""Label Studio annotation -> schema v1 document (the pull side of :mod:`sayso.labelstudio._convert`).

Reading is in three steps: the result items become regions (labels items) with their
per-region choices; the relations are oriented by the kinds of the regions they join; the
records are rebuilt from the regions that carry them (a mention; the first content span of an
attribution; the first evidence span of a stance). Every problem is an issue naming the
result item (``$.result[7]``); the document is still built so it can be written aside.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..issues import Issue
from ..labels import SCHEMA_VERSION, label_names
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
    SPAN_LABELS,
    STANCE_CHOICES,
    TEXT,
)
from ._convert import INFERRED, RELATION_KINDS, TOP_ORDER, parse_entity_line, parse_region_id

__all__ = ["annotation_to_document"]

_CHOICE_LAYERS = {**MENTION_CHOICES, **RECORD_CHOICES, **STANCE_CHOICES}
# which per-region controls belong on which kind of region
_OWNED = {
    "mention": {*MENTION_CHOICES, ENTITY},
    "content": set(RECORD_CHOICES),
    "evidence": {*STANCE_CHOICES, HOLDER},
    "cue": set(),
}
_ELSEWHERE = "is part of another record; point it at that record's first {} span"


class _Region:
    __slots__ = ("rid", "index", "kind", "label", "start", "end", "has_text", "choices", "entity")

    def __init__(self, rid: str, index: int, kind: str, label: str, start: int, end: int, has_text: bool):
        self.rid, self.index, self.kind, self.label = rid, index, kind, label
        self.start, self.end, self.has_text = start, end, has_text
        self.choices: dict[str, str] = {}
        self.entity: str | None = None

    @property
    def where(self) -> str:
        return f"$.result[{self.index}]"


def _fresh_ids(prefix: str, used: set[str]) -> Iterator[str]:
    n = 0
    while True:
        n += 1
        if f"{prefix}{n}" not in used:
            yield f"{prefix}{n}"


def _assign(regions: list[_Region], kind: str) -> list[tuple[str, _Region]]:
    """Schema ids for the regions carrying records: ids decoded from region ids keep their
    order; regions drawn in Label Studio get fresh ids (``m7``, ``a3``...) after them, in text order."""
    known, new = [], []
    for region in regions:
        parsed = parse_region_id(region.rid)
        if parsed and parsed[0] == kind:
            known.append((parsed[1], region))
        else:
            new.append(region)
    fresh = _fresh_ids(kind, {rid for rid, _ in known})
    new.sort(key=lambda g: (g.start, -g.end, g.index))
    return known + [(next(fresh), region) for region in new]


class _Annotation:
    """One annotation being read: its regions, oriented links and the issues found."""

    def __init__(self, result: list, text: str, path: str, untexted: set[str]):
        self.text, self.path, self.untexted = text, path, untexted
        self.issues: list[Issue] = []
        self.regions: dict[str, _Region] = {}
        self.doc_items: dict[str, tuple[int, dict]] = {}
        self.outgoing: dict[
            tuple[str, str], list[tuple[_Region, str]]
        ] = {}  # (from rid, label) -> [(to, where)]
        self.incoming: dict[
            tuple[str, str], list[tuple[_Region, str]]
        ] = {}  # (to rid, label) -> [(from, where)]
        per_region, relations = self._read_items(result)
        self._read_per_region(per_region)
        self._read_relations(relations)

    def error(self, code: str, where: str, message: str) -> None:
        self.issues.append(Issue(code, "error", self.path, None, where, message))

    def warn(self, code: str, where: str, message: str) -> None:
        self.issues.append(Issue(code, "warning", self.path, None, where, message))

    def quote(self, region: _Region) -> str:
        return repr(self.text[region.start : region.end])

    # -- step 1: result items
    def _read_items(self, result: list) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]]]:
        per_region, relations = [], []
        for i, item in enumerate(result):
            where = f"$.result[{i}]"
            if not isinstance(item, dict):
                self.error("ls-result-item", where, "a result item must be an object")
            elif item.get("type") == "relation":
                relations.append((i, item))
            elif not isinstance(item.get("value"), dict):
                self.error(
                    "ls-result-item", where, f"{item.get('from_name')!r}: the item has no value object"
                )
            elif item.get("from_name") in (MENTION, SPAN):
                self._read_region(i, item)
            elif item.get("from_name") in (ENTITIES, PHENOMENA):
                if item["from_name"] in self.doc_items:
                    self.error("ls-result-item", where, f"{item['from_name']!r} appears twice in the result")
                else:
                    self.doc_items[item["from_name"]] = (i, item)
            elif item.get("from_name") in _CHOICE_LAYERS or item.get("from_name") in (ENTITY, HOLDER):
                per_region.append((i, item))
            else:
                self.error(
                    "ls-result-item",
                    where,
                    f"unknown control {item.get('from_name')!r} (not in SaySo's config)",
                )
        return per_region, relations

    def _read_region(self, i: int, item: dict) -> None:
        where, control, value, rid = f"$.result[{i}]", item["from_name"], item["value"], item.get("id")
        allowed = label_names("mention_type") if control == MENTION else SPAN_LABELS
        labels, start, end = value.get("labels"), value.get("start"), value.get("end")
        if not isinstance(rid, str) or not rid:
            self.error("ls-result-item", where, f"a {control} region has no id")
        elif not isinstance(labels, list) or len(labels) != 1 or labels[0] not in allowed:
            self.error(
                "ls-result-item",
                where,
                f"region {rid!r} must have exactly one {control} label "
                f"({', '.join(allowed)}), got {labels!r}",
            )
        elif type(start) is not int or type(end) is not int or not 0 <= start < end <= len(self.text):
            self.error(
                "ls-result-item",
                where,
                f"region {rid!r} has offsets {start!r}-{end!r}: empty or outside "
                f"the text (length {len(self.text)})",
            )
        elif rid in self.regions:
            self.error(
                "ls-result-item",
                where,
                f"region {rid!r} has two labels (from two controls, or twice); give each region one label",
            )
        else:
            kind = "mention" if control == MENTION else labels[0]
            self.regions[rid] = _Region(rid, i, kind, labels[0], start, end, rid not in self.untexted)

    def _read_per_region(self, items: list[tuple[int, dict]]) -> None:
        for i, item in items:
            where, control, rid = f"$.result[{i}]", item["from_name"], item.get("id")
            region = self.regions.get(rid)
            if region is None:
                self.error(
                    "ls-orphan", where, f"{control!r} refers to region {rid!r}, which is not in the result"
                )
            elif control not in _OWNED[region.kind]:
                self.error(
                    "ls-orphan", where, f"{control!r} does not apply to a {region.kind} region ({rid!r})"
                )
            elif control in region.choices or (control == ENTITY and region.entity is not None):
                self.error("ls-result-item", where, f"{control!r} is given twice for region {rid!r}")
            elif control == ENTITY:
                lines = item["value"].get("text")
                keys = (
                    [t.strip() for t in lines if isinstance(t, str) and t.strip()]
                    if isinstance(lines, list)
                    else None
                )
                if keys is None or len(keys) > 1:
                    self.error(
                        "ls-result-item",
                        where,
                        f"entity of region {rid!r}: expected one entity id, got {lines!r}",
                    )
                elif keys:
                    region.entity = keys[0]
            else:
                allowed = (AUTHOR,) if control == HOLDER else label_names(_CHOICE_LAYERS[control])
                chosen = item["value"].get("choices")
                if not isinstance(chosen, list) or len(chosen) != 1 or chosen[0] not in allowed:
                    self.error(
                        "ls-result-item",
                        where,
                        f"{control}: expected one of {', '.join(allowed)}, got {chosen!r}",
                    )
                else:
                    region.choices[control] = chosen[0]

    # -- step 2: relations
    def _read_relations(self, relations: list[tuple[int, dict]]) -> None:
        for i, rel in relations:
            where = f"$.result[{i}]"
            a, b = self.regions.get(rel.get("from_id")), self.regions.get(rel.get("to_id"))
            if a is None or b is None:
                self.error(
                    "ls-relation",
                    where,
                    f"relation {rel.get('from_id')!r} -> {rel.get('to_id')!r} joins a "
                    "region that is not in the result",
                )
                continue
            labels = rel.get("labels") or []
            if not labels:
                inferred = INFERRED.get((a.kind, b.kind)) or INFERRED.get((b.kind, a.kind))
                if inferred is None:
                    self.error(
                        "ls-relation",
                        where,
                        f"unlabeled relation between a {a.kind} and a {b.kind} region; give it a label",
                    )
                    continue
                labels = [inferred]
            for label in labels:
                oriented = self._orient(label, a, b, rel.get("direction", "right"), where)
                if oriented is not None:
                    src, dst = oriented
                    self.outgoing.setdefault((src.rid, label), []).append((dst, where))
                    self.incoming.setdefault((dst.rid, label), []).append((src, where))

    def _orient(self, label: str, a: _Region, b: _Region, direction: str, where: str) -> tuple | None:
        if label in ("part-of", "via"):
            # both ends have the same kind: only the arrow says which is which
            kinds = ("content",) if label == "via" else ("content", "evidence")
            if direction in ("right", "left") and a.kind == b.kind and a.kind in kinds:
                return (a, b) if direction == "right" else (b, a)
            self.error(
                "ls-relation",
                where,
                f"{label!r} joins two {' or two '.join(kinds)} regions with a "
                f"one-way arrow; got {a.kind} -> {b.kind}, direction {direction!r}",
            )
            return None
        kinds = RELATION_KINDS.get(label)
        if kinds is None:
            self.error("ls-relation", where, f"unknown relation label {label!r}")
        elif (a.kind, b.kind) == kinds:
            return a, b
        elif (b.kind, a.kind) == kinds:  # drawn backwards: the kinds say which end is which
            return b, a
        else:
            self.error(
                "ls-relation",
                where,
                f"{label!r} joins a {kinds[0]} and a {kinds[1]} region, not a {a.kind} and a {b.kind}",
            )
        return None

    def one(self, links: dict, region: _Region, label: str, what: str) -> _Region | None:
        found = links.get((region.rid, label), [])
        if len(found) > 1:
            self.error("ls-record", found[1][1], f"{what}: more than one {label!r} relation")
        return found[0][0] if found else None

    # -- step 3: records
    def span(self, region: _Region) -> dict:
        # Text is recomputed from the offsets: value.text is what the browser showed.
        span: dict[str, Any] = {"start": region.start, "end": region.end}
        if region.has_text:
            span["text"] = self.text[region.start : region.end]
        return span

    def mentions(self) -> tuple[list[dict], dict[str, str]]:
        assigned = _assign([g for g in self.regions.values() if g.kind == "mention"], "m")
        mentions = []
        for mid, g in assigned:
            mention = {
                "id": mid,
                **self.span(g),
                "type": g.label,
                "kind": g.choices.get("kind"),
                "entity": g.entity,
            }
            for field in ("kind", "entity"):
                if mention[field] is None:
                    self.warn("ls-incomplete", g.where, f"mention {mid} ({self.quote(g)}) has no {field}")
            mentions.append(mention)
        return mentions, {g.rid: mid for mid, g in assigned}

    def records(self, kind: str) -> tuple[list[_Region], dict[str, list[_Region]]]:
        """The first spans of the records of ``kind`` (content/evidence) and each one's further spans."""
        anchors, pieces = [], {}
        for g in self.regions.values():
            if g.kind != kind:
                continue
            parents = self.outgoing.get((g.rid, "part-of"), [])
            if not parents:
                anchors.append(g)
                continue
            if len(parents) > 1:
                self.error("ls-record", parents[1][1], f"{kind} region {g.rid!r} is part of two records")
            parent = parents[0][0]
            if self.outgoing.get((parent.rid, "part-of")):
                self.error(
                    "ls-record",
                    parents[0][1],
                    f"{kind} region {g.rid!r} is part of {parent.rid!r}, which "
                    "is itself part of another region; link every piece to the record's first span",
                )
            if g.choices:
                self.error(
                    "ls-record",
                    g.where,
                    f"{kind} region {g.rid!r} is part of another record but carries "
                    f"its own choices ({', '.join(g.choices)}); set them on the first span only",
                )
            pieces.setdefault(parent.rid, []).append(g)
        return anchors, pieces

    def attributions(self, mention_ids: dict[str, str]) -> tuple[list[dict], dict[str, str]]:
        anchors, pieces = self.records("content")
        assigned = _assign(anchors, "a")
        ids = {g.rid: aid for aid, g in assigned}
        out = []
        for aid, g in assigned:
            what = f"attribution {aid}"
            cue = self.one(self.incoming, g, "cue", what)
            source = self.one(self.incoming, g, "source", what)
            via = self.one(self.outgoing, g, "via", what)
            if via is not None and via.rid not in ids:
                self.error(
                    "ls-record",
                    g.where,
                    f"{what}: 'via' points to a content span that " + _ELSEWHERE.format("content"),
                )
            record = {
                "id": aid,
                "source": mention_ids.get(source.rid) if source else None,
                "cue": self.span(cue) if cue else None,
                "content": [self.span(x) for x in [g, *pieces.get(g.rid, [])]],
                "quote": g.choices.get("quote"),
                "via": ids.get(via.rid) if via else None,
                "identity": g.choices.get("identity"),
                "source_type": g.choices.get("source_type"),
                "channel": g.choices.get("channel"),
            }
            for field in RECORD_CHOICES:
                if record[field] is None:
                    self.warn("ls-incomplete", g.where, f"{what} has no {field}")
            out.append(record)
        for g in self.regions.values():
            if g.kind != "cue":
                continue
            targets = self.outgoing.get((g.rid, "cue"), [])
            if len(targets) != 1:
                self.error(
                    "ls-record",
                    g.where,
                    f"cue region {g.rid!r} ({self.quote(g)}) must have one 'cue' "
                    f"relation to a content span, has {len(targets)}",
                )
            elif targets[0][0].rid not in ids:
                self.error(
                    "ls-record",
                    targets[0][1],
                    f"cue region {g.rid!r} points to a content span that " + _ELSEWHERE.format("content"),
                )
        return out, ids

    def stances(self, mention_ids: dict[str, str], attribution_ids: dict[str, str]) -> list[dict]:
        anchors, pieces = self.records("evidence")
        out = []
        for sid, g in _assign(anchors, "s"):
            what = f"stance {sid}"
            holder_region = self.one(self.incoming, g, "holder", what)
            target = self.one(self.outgoing, g, "target", what)
            attribution = self.one(self.outgoing, g, "attribution", what)
            holder = mention_ids.get(holder_region.rid) if holder_region else None
            if g.choices.get(HOLDER) == AUTHOR:
                if holder_region is not None:
                    self.error("ls-record", g.where, f"{what}: the holder is both 'author' and a mention")
                holder = AUTHOR
            if holder is None:
                self.error(
                    "ls-record",
                    g.where,
                    f"{what}: no holder (draw a 'holder' relation from a mention, or choose holder = author)",
                )
            if target is None:
                self.error("ls-record", g.where, f"{what}: no 'target' relation to a mention")
            if g.choices.get("polarity") is None:
                self.error("ls-record", g.where, f"{what}: no polarity")
            if attribution is not None and attribution.rid not in attribution_ids:
                self.error(
                    "ls-record",
                    g.where,
                    f"{what}: 'attribution' points to a content span that " + _ELSEWHERE.format("content"),
                )
            out.append(
                {
                    "id": sid,
                    "holder": holder,
                    "target": mention_ids.get(target.rid) if target else None,
                    "polarity": g.choices.get("polarity"),
                    "evidence": [self.span(x) for x in [g, *pieces.get(g.rid, [])]],
                    "attribution": attribution_ids.get(attribution.rid) if attribution else None,
                }
            )
        return out

    def entities(self, mentions: list[dict]) -> list[dict]:
        """The entities box, plus one entity per id used on mentions but not declared there."""
        entities: list[dict] = []
        declared: set[str] = set()
        index, item = self.doc_items.get(ENTITIES, (None, None))
        lines = item["value"].get("text") if item else []
        if not isinstance(lines, list):
            self.error(
                "ls-entities", f"$.result[{index}]", f"the entities box holds {lines!r}, not lines of text"
            )
            lines = []
        for k, line in enumerate(lines):
            where = f"$.result[{index}].value.text[{k}]"
            for part in line.split("\n") if isinstance(line, str) else [line]:  # a pasted block is one row
                if isinstance(part, str) and not part.strip():
                    continue
                entity = parse_entity_line(part) if isinstance(part, str) else None
                if entity is None:
                    self.error("ls-entities", where, f"{part!r} is not `id | TYPE | Wikidata id or - | name`")
                elif entity["id"] in declared:
                    self.error("ls-entities", where, f"entity {entity['id']!r} is declared twice")
                else:
                    declared.add(entity["id"])
                    entities.append(entity)
        for m in mentions:
            key = m["entity"]
            if key is None or key in declared:
                continue
            declared.add(key)
            members = [x for x in mentions if x["entity"] == key]
            head = next((x for x in members if x["kind"] == "NAM"), members[0])
            entities.append(
                {
                    "id": key,
                    "name": self.text[head["start"] : head["end"]],
                    "type": head["type"],
                    "wikidata": None,
                }
            )
        return entities

    def phenomena(self, meta: dict, had_meta: bool) -> None:
        if PHENOMENA in self.doc_items:
            index, item = self.doc_items[PHENOMENA]
            chosen = item["value"].get("choices")
            allowed = label_names("phenomena")
            if not isinstance(chosen, list) or any(c not in allowed for c in chosen):
                self.error(
                    "ls-result-item", f"$.result[{index}]", f"phenomena: unknown choices in {chosen!r}"
                )
            meta["phenomena"] = list(chosen) if isinstance(chosen, list) else []
        elif meta.get("phenomena") is not None or not had_meta:
            meta["phenomena"] = []  # every box unticked: Label Studio drops the item
        # else: null (not annotated) stays null


def annotation_to_document(
    data: dict, result: Any, *, path: str = "<annotation>", provenance: dict | None = None
) -> tuple[dict, list[Issue]]:
    """Convert one annotation (its ``result``) of a task (its ``data``) to a schema v1 document.

    Returns the document and the conversion issues. The document is built even when there are
    errors (so that it can be written aside and inspected); it is then invalid.
    ``provenance`` (``{"annotator": ..., "annotation_id": ...}``) is added to ``meta``.
    """
    text = data.get(TEXT) if isinstance(data.get(TEXT), str) else ""
    sayso = data.get("sayso") if isinstance(data.get("sayso"), dict) else {}
    untexted = {rid for rid in sayso.get("untexted") or [] if isinstance(rid, str)}
    ann = _Annotation(result if isinstance(result, list) else [], text, path, untexted)
    if not isinstance(data.get(TEXT), str):
        ann.error("ls-result-item", "$.data.text", "the task has no text")
    if not isinstance(result, list):
        ann.error("ls-result-item", "$.result", "the annotation result must be a list")
    skeleton = dict(sayso.get("document") or {})
    if "id" not in skeleton:  # a task not made by `sayso labelstudio push`
        skeleton["id"] = data.get("doc_id")
        skeleton.setdefault("schema_version", SCHEMA_VERSION)

    mentions, mention_ids = ann.mentions()
    attributions, attribution_ids = ann.attributions(mention_ids)
    layers: dict[str, Any] = {
        "mentions": mentions,
        "entities": ann.entities(mentions),
        "attributions": attributions,
        "stances": ann.stances(mention_ids, attribution_ids),
    }
    for name in sayso.get("null_layers") or []:
        if name in layers and not layers[name]:
            layers[name] = None

    meta = dict(skeleton.get("meta") or {})
    ann.phenomena(meta, "meta" in skeleton)
    meta.update(provenance or {})
    skeleton["meta"] = meta
    order = [k for k in sayso.get("key_order") or TOP_ORDER if k in TOP_ORDER or k in skeleton]
    order += [k for k in TOP_ORDER if k not in order]
    values = {**skeleton, TEXT: text, **layers}
    return {k: values[k] for k in order if k in values}, ann.issues
