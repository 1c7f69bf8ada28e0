"""Compile SaySo inline markup (``.say`` files) to schema v1 documents.

Offsets counted by hand are wrong sooner or later, so articles are written with their
annotations inline (see ``annotation/MARKUP.md``) and this compiler computes every offset.
Problems come back as :class:`~sayso.issues.Issue` values with the line and column of the
markup that caused them; :func:`compile_markup` never raises on bad input.

>>> result = compile_markup(EXAMPLE)
>>> result.issues, result.split
([], 'train')
>>> doc = result.doc
>>> doc["text"][doc["mentions"][0]["start"]:doc["mentions"][0]["end"]]
'Velmora'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .issues import Issue
from .labels import SCHEMA_VERSION, label_names

__all__ = ["compile_markup", "Compiled", "EXAMPLE", "MarkupSpan"]

EXAMPLE = """---
id: sayso-9000
outlet: SaySo Wire
published: 2026-03-02
beat: diplomacy
split: train
phenomena:
@velmora GPE Velmora
@okafor PER Lena Okafor
---
[Velmora]{@velmora #vel} reopens border

"[We welcome this]{ev:s1}," [Okafor]{@okafor #ok} [said]{q:a1}.
===
a1 src=#ok quote=direct identity=named type=ngo channel=remarks content=ev:s1
s1 holder=#ok target=#vel polarity=support attr=a1
"""

_HEADER_KEYS = {
    "id",
    "outlet",
    "published",
    "beat",
    "register",
    "split",
    "phenomena",
    "url",
    "license",
    "language",
}
_REQUIRED_KEYS = ("id", "outlet", "published", "beat", "split")
_ESCAPABLE = set("[]{}\\")
_ENTITY_KEY = re.compile(r"[a-z0-9_]+\Z")
_QID = re.compile(r"Q[1-9][0-9]*\Z")
_ATTR_ID = re.compile(r"a[0-9]+\Z")
_STANCE_ID = re.compile(r"s[0-9]+\Z")
_ATTR_FIELDS = {"src", "quote", "identity", "type", "channel", "via", "content"}
_STANCE_FIELDS = {"holder", "target", "polarity", "attr"}


@dataclass
class Compiled:
    """The result of compiling one ``.say`` file: the document (None on errors), its split, issues."""

    doc: dict | None
    split: str | None
    issues: list[Issue]


@dataclass
class MarkupSpan:
    """A ``[text]{tags}`` span: offsets into the compiled text, and where it was written."""

    start: int
    end: int
    tags: list[str]
    line: int
    column: int


@dataclass
class _State:
    path: str
    issues: list[Issue] = field(default_factory=list)

    def error(self, code: str, line: int | None, message: str, column: int | None = None) -> None:
        where = f" (column {column})" if column is not None else ""
        self.issues.append(Issue(code, "error", self.path, line, "$", message + where))


def _split_parts(
    source: str, st: _State
) -> tuple[list[tuple[int, str]], str, int, list[tuple[int, str]]] | None:
    """Split a file into header lines, body text (with its first line number) and record lines."""
    lines = source.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        st.error("markup-structure", 1, "a .say file starts with a '---' line opening its header")
        return None
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].rstrip("\r") == "---")
    except StopIteration:
        st.error("markup-structure", 1, "the header is never closed by a second '---' line")
        return None
    header = [(i + 1, lines[i]) for i in range(1, close)]
    rest = lines[close + 1 :]
    sep = next((i for i, line in enumerate(rest) if line.rstrip("\r") == "==="), None)
    body_lines = rest if sep is None else rest[:sep]
    records = [] if sep is None else [(close + sep + 3 + i, line) for i, line in enumerate(rest[sep + 1 :])]
    return header, "\n".join(body_lines), close + 2, records


def _parse_header(header: list[tuple[int, str]], st: _State) -> tuple[dict, dict[str, dict]]:
    meta: dict[str, str] = {}
    entities: dict[str, dict] = {}
    types = label_names("mention_type")
    for number, raw in header:
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        if line.startswith("@"):
            parts = line[1:].split()
            if len(parts) < 3:
                st.error("markup-entity", number, "an entity line is '@key TYPE Name [Q123]'")
                continue
            key, etype, *name = parts
            qid = name.pop() if len(name) > 1 and _QID.match(name[-1]) else None
            if not _ENTITY_KEY.match(key):
                st.error("markup-entity", number, f"entity key {key!r} must match [a-z0-9_]+")
            elif key in entities:
                st.error("markup-entity", number, f"entity @{key} is declared twice")
            elif etype not in types:
                st.error("markup-entity", number, f"{etype!r} is not a mention type ({', '.join(types)})")
            else:
                entities[key] = {"name": " ".join(name), "type": etype, "wikidata": qid, "line": number}
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in _HEADER_KEYS:
            st.error(
                "markup-header",
                number,
                f"unknown header line {line!r}; keys are {', '.join(sorted(_HEADER_KEYS))}",
            )
            continue
        meta[key] = value.strip()
    for key in _REQUIRED_KEYS:
        if not meta.get(key):
            st.error("markup-header", None, f"the header has no {key!r}")
    return meta, entities


def _parse_body(body: str, first_line: int, st: _State) -> tuple[str, list[MarkupSpan]]:
    """Remove the markup from ``body``; return the text and its spans (offsets into the text)."""
    out: list[str] = []
    length = 0
    spans: list[MarkupSpan] = []
    stack: list[tuple[int, int, int]] = []  # (start offset, line, column)
    line, col = first_line, 1
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == "\\" and i + 1 < n and body[i + 1] in _ESCAPABLE:
            out.append(body[i + 1])
            length += 1
            i += 2
            col += 2
            continue
        if ch == "[":
            stack.append((length, line, col))
        elif ch == "]":
            if i + 1 >= n or body[i + 1] != "{":
                st.error(
                    "markup-syntax",
                    line,
                    "']' must be followed by '{tags}' (write '\\]' for a literal bracket)",
                    col,
                )
                i += 1
                col += 1
                continue
            close = body.find("}", i + 2)
            if close < 0 or "\n" in body[i + 2 : close]:
                st.error("markup-syntax", line, "'{' of a span's tags is not closed on the same line", col)
                i += 1
                col += 1
                continue
            tags = body[i + 2 : close].split()
            if not stack:
                st.error("markup-syntax", line, "']' closes no open '['", col)
            else:
                start, sline, scol = stack.pop()
                if start == length:
                    st.error("markup-syntax", sline, "empty span", scol)
                if not tags:
                    st.error("markup-tag", sline, "a span without tags ('{}') annotates nothing", scol)
                spans.append(MarkupSpan(start, length, tags, sline, scol))
            col += close + 1 - i
            i = close + 1
            continue
        elif ch in "{}":
            st.error("markup-syntax", line, f"unescaped {ch!r} outside a span's tags (write '\\{ch}')", col)
        else:
            out.append(ch)
            length += 1
        if ch == "\n":
            line += 1
            col = 1
        else:
            col += 1
        i += 1
    for _start, sline, scol in stack:
        st.error("markup-syntax", sline, "'[' is never closed", scol)
    text = "".join(out)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    for span in spans:
        span.start -= lead
        span.end -= lead
        if span.start < 0 or span.end > len(stripped):
            st.error(
                "markup-syntax", span.line, "a span covers only leading or trailing whitespace", span.column
            )
    return stripped, spans


def _parse_records(records: list[tuple[int, str]], st: _State) -> tuple[dict[str, dict], dict[str, dict]]:
    attrs: dict[str, dict] = {}
    stances: dict[str, dict] = {}
    for number, raw in records:
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        rid, *fields = line.split()
        table, allowed = (attrs, _ATTR_FIELDS) if _ATTR_ID.match(rid) else (stances, _STANCE_FIELDS)
        if not (_ATTR_ID.match(rid) or _STANCE_ID.match(rid)):
            st.error("markup-record", number, f"a record starts with an id aN or sN, not {rid!r}")
            continue
        if rid in table:
            st.error("markup-record", number, f"record {rid} is defined twice")
            continue
        values = {"line": number}
        for item in fields:
            key, sep, value = item.partition("=")
            if not sep or key not in allowed:
                st.error(
                    "markup-record",
                    number,
                    f"{rid}: unknown field {item!r}; fields are {', '.join(sorted(allowed))}",
                )
                continue
            values[key] = value
        table[rid] = values
    return attrs, stances


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def _check_label(st: _State, line: int, rid: str, field_: str, value: str | None, layer: str) -> str | None:
    if value is None:
        st.error("markup-record", line, f"{rid}: missing {field_}=")
        return None
    if value not in label_names(layer):
        st.error(
            "markup-record", line, f"{rid}: {field_}={value!r} is not one of {', '.join(label_names(layer))}"
        )
    return value


def compile_markup(source: str, path: str = "<markup>") -> Compiled:
    """Compile the text of a ``.say`` file (``path`` is only used in issues)."""
    st = _State(path)
    parts = _split_parts(source.replace("\r\n", "\n"), st)
    if parts is None:
        return Compiled(None, None, st.issues)
    header, body, body_line, record_lines = parts
    meta, entities = _parse_header(header, st)
    text, spans = _parse_body(body, body_line, st)
    attrs, stances = _parse_records(record_lines, st)

    mention_spans = []
    labels_at: dict[str, int] = {}  # #label -> index into mention_spans
    content: dict[str, list] = {}
    cues: dict[str, list] = {}
    evidence: dict[str, list] = {}
    for span in spans:
        keys = [t[1:] for t in span.tags if t.startswith("@")]
        kinds = [t for t in span.tags if t in ("NAM", "NOM", "PRO")]
        names = [t[1:] for t in span.tags if t.startswith("#")]
        for tag in span.tags:
            role, sep, rid = tag.partition(":")
            if tag.startswith(("@", "#")) or tag in ("NAM", "NOM", "PRO"):
                continue
            target = {"c": content, "q": cues, "ev": evidence}.get(role) if sep else None
            if target is None:
                st.error("markup-tag", span.line, f"unknown tag {tag!r}", span.column)
            else:
                target.setdefault(rid, []).append(span)
        if len(keys) > 1:
            st.error("markup-tag", span.line, "a span carries at most one @entity", span.column)
        if (kinds or names) and not keys:
            st.error(
                "markup-tag", span.line, "NOM/PRO/#label tags need an @entity on the same span", span.column
            )
        if keys:
            if keys[0] not in entities:
                st.error("markup-tag", span.line, f"@{keys[0]} is not declared in the header", span.column)
                continue
            if len(kinds) > 1:
                st.error("markup-tag", span.line, "a mention has one kind", span.column)
            for name in names:
                if name in labels_at:
                    st.error("markup-tag", span.line, f"#{name} names two mentions", span.column)
                labels_at[name] = len(mention_spans)
            mention_spans.append((span, keys[0], kinds[0] if kinds else "NAM"))

    order = sorted(
        range(len(mention_spans)), key=lambda k: (mention_spans[k][0].start, -mention_spans[k][0].end)
    )
    mention_id = {k: f"m{rank + 1}" for rank, k in enumerate(order)}
    entity_id: dict[str, str] = {}
    mentions = []
    for k in order:
        span, key, kind = mention_spans[k]
        entity_id.setdefault(key, f"e{len(entity_id) + 1}")
        mentions.append(
            {
                "id": mention_id[k],
                **_span(text, span.start, span.end),
                "type": entities[key]["type"],
                "kind": kind,
                "entity": entity_id[key],
            }
        )
    for key, ent in entities.items():
        if key not in entity_id:
            st.error("markup-entity", ent["line"], f"entity @{key} has no mention")
    entity_list = [
        {
            "id": entity_id[key],
            "name": entities[key]["name"],
            "type": entities[key]["type"],
            "wikidata": entities[key]["wikidata"],
        }
        for key in sorted(entity_id, key=lambda k: int(entity_id[k][1:]))
    ]

    def ref(rid: str, line: int, value: str | None, what: str, allow: tuple[str, ...] = ()) -> str | None:
        if value in allow:
            return None if value == "-" else value
        if value is None or not value.startswith("#") or value[1:] not in labels_at:
            st.error("markup-record", line, f"{rid}: {what}={value!r} names no #label of a mention")
            return None
        return mention_id[labels_at[value[1:]]]

    def spans_of(table: dict[str, list], rid: str) -> list[dict]:
        return [
            _span(text, s.start, s.end) for s in sorted(table.get(rid, []), key=lambda s: (s.start, s.end))
        ]

    for table, kind in ((content, "c"), (cues, "q")):
        for rid, used in table.items():
            if rid not in attrs:
                st.error(
                    "markup-tag",
                    used[0].line,
                    f"{kind}:{rid} refers to no attribution record",
                    used[0].column,
                )
    for rid, used in evidence.items():
        if rid not in stances:
            st.error("markup-tag", used[0].line, f"ev:{rid} refers to no stance record", used[0].column)

    attributions = []
    for rid in sorted(attrs, key=lambda r: int(r[1:])):
        rec = attrs[rid]
        line = rec["line"]
        reuse = rec.get("content")
        if reuse is not None:
            sid = reuse.removeprefix("ev:")
            if not reuse.startswith("ev:") or sid not in evidence:
                st.error(
                    "markup-record", line, f"{rid}: content={reuse!r} must name evidence ev:sN that exists"
                )
            if rid in content:
                st.error("markup-record", line, f"{rid}: has both c:{rid} spans and content={reuse}")
            spans = spans_of(evidence, sid)
        else:
            spans = spans_of(content, rid)
        if not spans:
            st.error("markup-record", line, f"{rid}: no content span (tag one with c:{rid})")
        cue_spans = spans_of(cues, rid)
        if len(cue_spans) > 1:
            st.error("markup-record", line, f"{rid}: more than one q:{rid} cue span")
        via = rec.get("via")
        if via is not None and via not in attrs:
            st.error("markup-record", line, f"{rid}: via={via!r} is not an attribution record")
        attributions.append(
            {
                "id": rid,
                "source": ref(rid, line, rec.get("src"), "src", ("-",)),
                "cue": cue_spans[0] if cue_spans else None,
                "content": spans,
                "quote": _check_label(st, line, rid, "quote", rec.get("quote"), "quote"),
                "via": via,
                "identity": _check_label(st, line, rid, "identity", rec.get("identity"), "identity"),
                "source_type": _check_label(st, line, rid, "type", rec.get("type"), "source_type"),
                "channel": _check_label(st, line, rid, "channel", rec.get("channel"), "channel"),
            }
        )

    stance_list = []
    for sid in sorted(stances, key=lambda r: int(r[1:])):
        rec = stances[sid]
        line = rec["line"]
        attr = rec.get("attr")
        if attr is not None and attr not in attrs:
            st.error("markup-record", line, f"{sid}: attr={attr!r} is not an attribution record")
        ev = spans_of(evidence, sid)
        if not ev:
            st.error("markup-record", line, f"{sid}: no evidence span (tag one with ev:{sid})")
        stance_list.append(
            {
                "id": sid,
                "holder": ref(sid, line, rec.get("holder"), "holder", ("author",)),
                "target": ref(sid, line, rec.get("target"), "target"),
                "polarity": _check_label(st, line, sid, "polarity", rec.get("polarity"), "polarity"),
                "evidence": ev,
                "attribution": attr,
            }
        )

    phenomena = [p.strip() for p in meta.get("phenomena", "").split(",") if p.strip()]
    for p in phenomena:
        if p not in label_names("phenomena"):
            st.error("markup-header", None, f"phenomenon {p!r} is not one of labels.json's phenomena")
    for key, layer in (("beat", "beat"), ("register", "register"), ("split", None)):
        value = meta.get(key)
        allowed = label_names(layer) if layer else ("train", "validation", "test")
        if value and value not in allowed:
            st.error("markup-header", None, f"{key}: {value!r} is not one of {', '.join(allowed)}")
    if st.issues:
        return Compiled(None, meta.get("split"), st.issues)
    doc_meta = {
        "title": text.split("\n", 1)[0],
        "outlet": meta["outlet"],
        "published": meta["published"],
        "language": meta.get("language", "en"),
        "url": meta.get("url") or None,
        "license": meta.get("license", "CC-BY-4.0"),
        "beat": meta["beat"],
        "phenomena": phenomena,
    }
    if meta.get("register"):
        doc_meta["register"] = meta["register"]
    doc = {
        "id": meta["id"],
        "schema_version": SCHEMA_VERSION,
        "meta": doc_meta,
        "text": text,
        "mentions": mentions,
        "entities": entity_list,
        "attributions": attributions,
        "stances": stance_list,
    }
    return Compiled(doc, meta["split"], [])
