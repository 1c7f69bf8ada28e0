"""Consistency warnings for gold annotations (issue 3, Quality), and the allow-list.

Each check finds a likely annotation slip that the schema cannot rule out:

- ``unannotated-name``: a string annotated as a named mention somewhere in an article occurs
  elsewhere in it outside every mention;
- ``quote-outside-content``: quotation marks outside every attribution content span (direct-quote
  content spans include their quotation marks in SaySo);
- ``cue-outside-span``: a frequent cue word ("said", "told", "according to", "reported", "cited")
  outside every cue span;
- ``entity-type-conflict``: an entity whose mentions carry different types (possible when the
  entity's own type is not annotated; otherwise level 3 reports ``entity-type-mismatch``).

Warnings about the text point at ``$.text[start:end]``. A warning that is intended is allowed, with
a reason, in a tab-separated allow-list (``annotation/lint-allow.tsv`` by default)::

    # document-id  code  where  reason
    sayso-0007	quote-outside-content	$.text[1022:1030]	scare quotes around a slogan, not a quotation

``where`` is the warning's JSON path, or ``*`` for every warning of that code in the document.
An entry that matches no warning is reported (``unused-allow``), so the list cannot go stale.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._codes import CODES
from ._jsonlines import Locator, format_path
from .issues import Issue
from .labels import label_names

__all__ = [
    "lint_document",
    "AllowEntry",
    "read_allow",
    "apply_allow",
    "read_wikidata",
    "DEFAULT_ALLOW",
    "CUE_WORDS",
    "WIKIDATA_LIST",
]

DEFAULT_ALLOW = "annotation/lint-allow.tsv"
CUE_WORDS = ("said", "told", "according to", "reported", "cited")
_CUE_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in CUE_WORDS) + r")(?!\w)", re.IGNORECASE)
# A quoted passage on one line, or a lone quotation mark.
_QUOTED_RE = re.compile(r'"[^"\n]*"|“[^“”\n]*”|«[^«»\n]*»|„[^„“\n]*“|["“”«»„]')
_QUOTE_MARKS = frozenset('"“”«»„')


class _Cover:
    """Spans, asked whether one of them contains ``[start, end)``: a sorted index with running
    maximum ends, so each question is a binary search (a scan per match made lint quadratic)."""

    __slots__ = ("_starts", "_reach")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))

    def __contains__(self, span: tuple[int, int]) -> bool:
        start, end = span
        i = bisect.bisect_right(self._starts, start)  # spans starting at or before ``start``
        return i > 0 and self._reach[i - 1] >= end


def _excerpt(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _unannotated_names(doc: dict[str, Any], text: str) -> Iterator[tuple[str, tuple, str, str]]:
    mentions = doc.get("mentions")
    if not mentions:
        return
    covered = _Cover((m["start"], m["end"]) for m in mentions)
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        name = text[m["start"] : m["end"]]
        if m.get("kind") == "NAM" and name.strip() and name not in first:
            first[name] = i
    reported: set[tuple[int, int]] = set()
    for name, i in first.items():
        for match in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            span = match.span()
            if span in reported or span in covered:
                continue
            reported.add(span)
            yield (
                "unannotated-name",
                ("text",),
                f"[{span[0]}:{span[1]}]",
                f"{_excerpt(name)} is a named mention at $.mentions[{i}] but is not annotated here",
            )


def _quotes_outside_content(doc: dict[str, Any], text: str) -> Iterator[tuple[str, tuple, str, str]]:
    attributions = doc.get("attributions")
    if attributions is None:
        return
    content = _Cover((s["start"], s["end"]) for a in attributions for s in a.get("content") or ())
    for match in _QUOTED_RE.finditer(text):
        start, end = match.span()
        marks = [start, end - 1] if end - start > 1 else [start]
        if all((p, p + 1) in content for p in marks if text[p] in _QUOTE_MARKS):
            continue
        what = "quotation mark" if end - start == 1 else "quoted passage"
        yield (
            "quote-outside-content",
            ("text",),
            f"[{start}:{end}]",
            f"{what} {_excerpt(match.group())} is outside every attribution content span",
        )


def _cues_outside_spans(doc: dict[str, Any], text: str) -> Iterator[tuple[str, tuple, str, str]]:
    attributions = doc.get("attributions")
    if attributions is None:
        return
    cues = _Cover((a["cue"]["start"], a["cue"]["end"]) for a in attributions if a.get("cue"))
    for match in _CUE_RE.finditer(text):
        start, end = match.span()
        if (start, end) not in cues:
            yield (
                "cue-outside-span",
                ("text",),
                f"[{start}:{end}]",
                f"cue word {match.group()!r} is outside every attribution cue span",
            )


def _entity_type_conflicts(doc: dict[str, Any]) -> Iterator[tuple[str, tuple, str, str]]:
    mentions, entities = doc.get("mentions"), doc.get("entities")
    if not mentions or not entities:
        return
    types: dict[str, dict[str, int]] = {}
    for i, m in enumerate(mentions):
        if m.get("entity") is not None:
            types.setdefault(m["entity"], {}).setdefault(m["type"], i)
    for j, entity in enumerate(entities):
        found = types.get(entity["id"], {})
        if len(found) > 1:
            listed = ", ".join(f"{t} ($.mentions[{i}])" for t, i in found.items())
            yield (
                "entity-type-conflict",
                ("entities", j),
                "",
                f"mentions of entity {entity['id']!r} carry different types: {listed}",
            )


# Guidelines 5.23: the tags that describe a property of some record, and how to find it.
_CREDIT_DASHES = frozenset(("-", "–", "—"))
_DISTANCING = re.compile(r"^(claim|alleg|insist|purport)", re.IGNORECASE)


def _derived_tags(doc: dict[str, Any], text: str) -> dict[str, tuple]:
    """The record-property tags a document's records justify, each with the first record's path."""
    found: dict[str, tuple] = {}
    mentions = {m["id"]: m for m in doc.get("mentions") or ()}
    headline_end = text.find("\n") if "\n" in text else len(text)
    for i, r in enumerate(doc.get("attributions") or ()):
        here = ("attributions", i)
        source = mentions.get(r.get("source")) if r.get("source") else None
        cue = r.get("cue")
        content = r.get("content") or ()
        checks = {
            "nested-attribution": r.get("via") is not None,
            "agentless-attribution": r.get("source") is None,
            "pronoun-source": source is not None and source.get("kind") == "PRO",
            "descriptive-source": source is not None and source.get("kind") == "NOM",
            # Agentless records carry identity anonymous by convention (5.18): not a source.
            "anonymous-source": source is not None and r.get("identity") == "anonymous",
            "generic-source": source is not None and r.get("identity") == "generic",
            "mixed-quote": r.get("quote") == "mixed",
            "social-media-source": r.get("channel") == "social_media",
            "document-source": r.get("channel") == "document",
            "interrupted-quote": cue is not None
            and r.get("quote") in ("direct", "mixed")
            and any(s["end"] <= cue["start"] for s in content)
            and any(s["start"] >= cue["end"] for s in content),
            "distancing-cue": cue is not None and bool(_DISTANCING.match(text[cue["start"] : cue["end"]])),
            # A cue in the headline, or a credit's dash ("- Marl Radio", 5.3 and V12).
            "dateline-attribution": cue is not None
            and (cue["start"] < headline_end or text[cue["start"] : cue["end"]].strip() in _CREDIT_DASHES),
        }
        for tag, holds in checks.items():
            if holds:
                found.setdefault(tag, here)
    for i, s in enumerate(doc.get("stances") or ()):
        if s.get("attribution") is not None:
            found.setdefault("reported-stance", ("stances", i))
        if s.get("holder") == "author":
            found.setdefault("author-stance", ("stances", i))
    return found


# Tags judged from the text, not from a record property (5.23); multi-sentence-quote needs a
# sentence boundary inside a quotation, which a rule would guess.
_JUDGED = "stance-by-action dual-role-source real-event multi-sentence-quote".split()
_DERIVED = [tag for tag in label_names("phenomena") if tag not in _JUDGED]


def _phenomenon_mismatches(doc: dict[str, Any], text: str) -> Iterator[tuple[str, tuple, str, str]]:
    tags = (doc.get("meta") or {}).get("phenomena")
    if tags is None or doc.get("attributions") is None:
        return
    derived = _derived_tags(doc, text)
    for tag in _DERIVED:
        if tag in derived and tag not in tags:
            yield (
                "phenomenon-mismatch",
                ("meta", "phenomena"),
                "",
                f"{tag!r} is missing: {format_path(derived[tag])} has it (guidelines 5.23)",
            )
        elif tag in tags and tag not in derived:
            yield (
                "phenomenon-mismatch",
                ("meta", "phenomena"),
                "",
                f"{tag!r} is set but no record has it (guidelines 5.23)",
            )


def _wikidata(doc: dict[str, Any], listed: dict[str, str] | None) -> Iterator[tuple[str, tuple, str, str]]:
    if listed is None:
        return
    by_label = {label: qid for qid, label in listed.items()}
    for j, entity in enumerate(doc.get("entities") or ()):
        qid, name = entity.get("wikidata"), entity.get("name")
        if qid is not None and qid not in listed:
            yield (
                "wikidata-unlisted",
                ("entities", j, "wikidata"),
                "",
                f"{qid} is not in {WIKIDATA_LIST} (add it with how it was checked)",
            )
        elif qid is None and entity.get("type") in ("GPE", "LOC", "FAC") and name in by_label:
            yield (
                "unlinked-place",
                ("entities", j, "wikidata"),
                "",
                f"{name!r} is a real place listed as {by_label[name]} in {WIKIDATA_LIST}",
            )


WIKIDATA_LIST = "annotation/wikidata.tsv"


def read_wikidata(path: str | Path = WIKIDATA_LIST) -> dict[str, str] | None:
    """The checked Wikidata ids (id -> label) of ``annotation/wikidata.tsv``; None without the file."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    return {row[0]: row[1] for row in rows[1:] if len(row) >= 2}


def lint_document(
    doc: dict[str, Any],
    *,
    path: str = "<memory>",
    line: int = 1,
    raw: str | None = None,
    wikidata: dict[str, str] | None = None,
) -> list[Issue]:
    """Consistency warnings for one gold document that passed validation levels 1-3.

    ``wikidata``: the checked ids (:func:`read_wikidata`); without it the two Wikidata checks
    are skipped.

    >>> doc = {"text": "Tarsk said so.", "mentions": [], "entities": [], "attributions": [], "stances": []}
    >>> [(i.code, i.json_path) for i in lint_document(doc)]
    [('cue-outside-span', '$.text[6:10]')]
    """
    text = doc.get("text") or ""
    found = [
        *_unannotated_names(doc, text),
        *_quotes_outside_content(doc, text),
        *_cues_outside_spans(doc, text),
        *_entity_type_conflicts(doc),
        *_phenomenon_mismatches(doc, text),
        *_wikidata(doc, wikidata),
    ]
    locator = Locator(raw) if raw is not None and found else None
    issues = []
    for code, parts, suffix, message in found:
        where = line + locator.line(parts) - 1 if locator else line
        issues.append(Issue(code, "warning", path, where, format_path(parts) + suffix, message))
    issues.sort(key=lambda i: (i.line or 0, _offset(i.json_path)))
    return issues


def _offset(json_path: str) -> int:
    match = re.match(r"\$\.text\[(\d+):", json_path)
    return int(match.group(1)) if match else -1


@dataclass(frozen=True)
class AllowEntry:
    """One line of the allow-list: a warning that is intended, and why."""

    doc_id: str
    code: str
    where: str  # the warning's JSON path, or "*" for every warning of `code` in the document
    reason: str
    path: str
    line: int

    def matches(self, doc_id: str, issue: Issue) -> bool:
        return (
            self.doc_id == doc_id
            and self.code == issue.code
            and (self.where == "*" or self.where == issue.json_path)
        )


_WARNING_CODES = frozenset(
    c
    for c, (level, severity) in CODES.items()
    if level == 5 and severity == "warning" and c != "unused-allow"
)


def read_allow(path: str | Path) -> tuple[list[AllowEntry], list[Issue]]:
    """Parse an allow-list file: ``document-id<TAB>code<TAB>where<TAB>reason`` lines.

    Blank lines and lines starting with ``#`` are ignored. Malformed lines are ``bad-allow-entry``
    errors. A missing file raises ``OSError`` (the caller decides whether that is a usage error).
    """
    name = str(path)
    entries: list[AllowEntry] = []
    issues: list[Issue] = []
    for number, raw_line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not raw_line.strip() or raw_line.lstrip().startswith("#"):
            continue
        fields = raw_line.split("\t")
        problem = None
        if len(fields) != 4:
            problem = f"expected 4 tab-separated fields (document id, code, where, reason), got {len(fields)}"
        elif fields[1] not in _WARNING_CODES:
            problem = f"{fields[1]!r} is not a lint warning code ({', '.join(sorted(_WARNING_CODES))})"
        elif not (fields[2] == "*" or fields[2].startswith("$")):
            problem = f"where {fields[2]!r} must be a JSON path starting with '$' or '*'"
        elif not fields[0].strip() or not fields[3].strip():
            problem = "the document id and the reason must not be empty"
        if problem:
            issues.append(Issue("bad-allow-entry", "error", name, number, "$", problem))
            continue
        entries.append(AllowEntry(fields[0], fields[1], fields[2], fields[3].strip(), name, number))
    return entries, issues


def apply_allow(
    warnings: Iterable[tuple[str, Issue]], entries: list[AllowEntry], linted: Iterable[str]
) -> tuple[list[Issue], int, list[Issue]]:
    """Split ``(document id, warning)`` pairs into kept warnings and allowed ones.

    Returns ``(kept, number allowed, unused-allow warnings)``. Pass every document's warnings at
    once, and the ids of every document linted (``linted``): an entry is unused when its document
    was linted and it matches none of the warnings.
    """
    linted = set(linted)
    used: set[int] = set()
    kept: list[Issue] = []
    allowed = 0
    for doc_id, issue in warnings:
        hits = [k for k, entry in enumerate(entries) if entry.matches(doc_id, issue)]
        if hits:
            used.update(hits)
            allowed += 1
        else:
            kept.append(issue)
    unused = [
        Issue(
            "unused-allow",
            "warning",
            entry.path,
            entry.line,
            "$",
            f"allow entry for {entry.doc_id} {entry.code} {entry.where} matches no warning",
        )
        for k, entry in enumerate(entries)
        if k not in used and entry.doc_id in linted
    ]
    return kept, allowed, unused
