"""The SaySo validator: checks in levels, each level's failure stopping the higher ones.

1. reading: encoding and JSON syntax, with line and column (:mod:`sayso.io`);
2. JSON Schema (``schema/document.schema.json`` or ``submission.schema.json``), the most relevant
   error first (jsonschema's ``best_match``);
3. within a document: spans, ids, references, types, ``via`` cycles (:mod:`sayso._checks`);
4. across the corpus: document ids unique, a document in at most one split, one schema version,
   gold file names matching ids.

Every problem is an :class:`~sayso.issues.Issue`; codes are listed in ``schema/README.md``.

>>> from sayso.validate import validate_document
>>> [i.code for i in validate_document({"id": "x"}, kind="submission")]
[]
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import io
from ._checks import check_document
from ._codes import CODES, SCHEMA_KEYWORD_CODES
from ._jsonlines import Locator, format_path
from .issues import Issue
from .labels import schema_text

__all__ = ["validate_document", "validate_paths", "ValidationReport", "CorpusValidator", "KINDS"]

KINDS = ("document", "submission")

_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}
_PATTERN_WORDS = {
    "id": "a document id (letters, digits, '.', '_' or '-', starting with a letter or digit)",
    "published": "a date written YYYY-MM-DD",
    "language": "a language code such as 'en' or 'pt-BR'",
    "wikidata": "a Wikidata id such as 'Q159'",
}


@cache
def _fast_check(kind: str) -> Callable[[Any], bool]:
    """The compiled yes/no schema check for ``kind`` (no jsonschema import: most input is valid)."""
    from ._fastschema import compile_schema

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    return compile_schema(json.loads(schema_text(f"{kind}.schema.json")))


@cache
def _strict_validator(kind: str) -> Any:
    """The jsonschema validator for ``kind``, built (and jsonschema imported) on first need."""
    from jsonschema import validators

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    schema = json.loads(schema_text(f"{kind}.schema.json"))
    base = validators.validator_for(schema)
    # Offsets are integers: 5.0 is rejected (standard JSON Schema would accept it as an integer,
    # and Python would then fail to slice the text with it).
    checker = base.TYPE_CHECKER.redefine("integer", lambda _checker, value: type(value) is int)
    strict = validators.extend(base, type_checker=checker)
    return strict(schema)


def _validators(kind: str) -> tuple[Callable[[Any], bool], Any]:
    """The compiled fast check and the jsonschema validator for ``kind``, built once."""
    return _fast_check(kind), _strict_validator(kind)


class _Reporter:
    """Makes issues for one document, finding lines in its source text only when needed."""

    __slots__ = ("path", "line", "raw", "_locator")

    def __init__(self, path: str, line: int, raw: str | None) -> None:
        self.path, self.line, self.raw = path, line, raw
        self._locator: Locator | None = None

    def line_of(self, parts: tuple | list) -> int:
        if self.raw is None:
            return self.line
        if self._locator is None:
            self._locator = Locator(self.raw)
        return self.line + self._locator.line(parts) - 1

    def issue(self, code: str, parts: tuple | list, message: str) -> Issue:
        return Issue(code, CODES[code][1], self.path, self.line_of(parts), format_path(parts), message)


def _describe(value: Any) -> str:
    """A short description of a JSON value for messages (never the whole of a large value)."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    return json.dumps(value)


def _schema_findings(error: Any) -> Iterator[tuple[str, tuple, str]]:
    """(code, parts, message) for one jsonschema error (additionalProperties may give several)."""
    keyword = error.validator
    parts = tuple(error.absolute_path)
    value = error.instance
    expected = error.validator_value
    code = SCHEMA_KEYWORD_CODES.get(keyword, "bad-value")
    if keyword == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        got = _TYPE_NAMES.get(type(value), type(value).__name__)
        shown = "" if isinstance(value, dict | list) or value is None else f" {_describe(value)}"
        yield code, parts, f"expected {' or '.join(names)}, got {got}{shown}"
    elif keyword == "required":
        for key in expected:
            if key not in value and repr(key) in error.message:
                yield code, parts, f"missing required field {key!r}"
                return
        yield code, parts, error.message
    elif keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                yield code, (*parts, key), f"unknown field {key!r} (allowed: {', '.join(allowed)})"
    elif keyword == "enum":
        title = error.schema.get("title", "allowed")
        labels = [str(v) for v in expected if v is not None]
        null = " or null" if None in expected else ""
        yield code, parts, f"{_describe(value)} is not a {title} label (one of {', '.join(labels)}{null})"
    elif keyword == "pattern":
        if parts == ("schema_version",):
            yield "schema-version", parts, f"unsupported schema version {value!r} (this validator reads 1.x)"
        else:
            what = _PATTERN_WORDS.get(str(parts[-1]) if parts else "", f"matching {expected}")
            yield code, parts, f"{_describe(value)} is not {what}"
    elif keyword == "minimum":
        yield code, parts, f"{value} is less than the minimum {expected}"
    elif keyword == "minLength":
        yield code, parts, "must not be empty"
    elif keyword == "minItems":
        yield code, parts, f"needs at least {expected} item{'s' if expected != 1 else ''}"
    elif keyword == "uniqueItems":
        repeated = [v for v, n in Counter(map(json.dumps, value)).items() if n > 1]
        yield code, parts, f"repeated item {repeated[0] if repeated else ''}".rstrip()
    else:  # a keyword the schema does not use today; keep jsonschema's own words
        yield code, parts, error.message


def _path_key(error: Any) -> tuple:
    return (len(error.path), tuple((0, p) if isinstance(p, int) else (1, p) for p in error.path))


def _schema_issues(doc: Any, kind: str, reporter: _Reporter) -> list[Issue] | None:
    """Level 2; None when ``doc`` is valid."""
    try:
        if _fast_check(kind)(doc):
            return None
    except RecursionError:
        return [reporter.issue("json-too-deep", (), "JSON nested too deeply to check")]
    # Only now is jsonschema imported (0.06-0.1 s): valid input never pays for it.
    from jsonschema.exceptions import best_match

    try:
        errors = list(_strict_validator(kind).iter_errors(doc))
    except RecursionError:
        return [reporter.issue("json-too-deep", (), "JSON nested too deeply to check")]
    if not errors:  # the fast check is stricter than the schema only for exotic Python types
        return None
    best = best_match(errors)
    ordered = [best] + sorted((e for e in errors if e is not best), key=_path_key)
    return [
        reporter.issue(code, parts, message)
        for error in ordered
        for code, parts, message in _schema_findings(error)
    ]


def validate_document(
    doc: Any,
    *,
    path: str = "<memory>",
    line: int = 1,
    kind: str = "document",
    raw: str | None = None,
    text: str | None = None,
) -> list[Issue]:
    """Levels 2 and 3 for one parsed document (a ``dict`` from ``json.loads``).

    ``kind`` is ``"document"`` (gold) or ``"submission"`` (predictions: id plus any subset of the
    layers). ``raw`` is the document's source text, used only to find the line of an issue;
    ``line`` is the line where the document starts in ``path``. ``text``: check spans against
    this text (a submission's gold text) instead of the document's own.
    """
    reporter = _Reporter(path, line, raw)
    schema_issues = _schema_issues(doc, kind, reporter)
    if schema_issues is not None:
        return schema_issues
    return [reporter.issue(code, parts, message) for code, parts, message in check_document(doc, text)]


@dataclass
class ValidationReport:
    """The result of :func:`validate_paths`."""

    documents: list[io.Loaded] = field(default_factory=list)  # every document that parsed
    issues: list[Issue] = field(default_factory=list)  # levels 1-4, in file order
    count: int = 0  # documents read, including those that failed to parse
    valid: list[io.Loaded] = field(default_factory=list)  # documents with no error at levels 1-3

    @property
    def errors(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for issue in self.issues if issue.severity == "warning")


def iter_inputs(paths: Iterable[str | os.PathLike]) -> Iterator[io.Loaded | Issue]:
    """Every document of ``paths`` read by :func:`sayso.io.load`, the issues of the folder walks
    (:func:`sayso.io.scan_folder`: unusable entries as errors, other files as ``skipped-file``
    warnings) in path order, and ``no-documents`` for a folder that holds no document."""
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            yield from io.load(path)
            continue
        items = io.scan_folder(path)
        if not any(isinstance(item, Path) or item.is_error for item in items):
            skipped = len(items)
            others = f" ({skipped} other file{'s' if skipped != 1 else ''} skipped)" if skipped else ""
            yield Issue(
                "no-documents", "error", str(p), None, "$", f"folder holds no .json or .jsonl files{others}"
            )
            continue
        for item in items:
            if isinstance(item, Path):
                yield from io.load(item)
            else:
                yield item


class _Corpus:
    """Level 4: what has been seen so far across the corpus."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.ids: dict[str, tuple[str, int, str | None]] = {}
        # Texts by a 128-bit digest, not whole: the corpus's texts are most of its size.
        self.texts: dict[bytes, tuple[str, str, str | None]] = {}
        # (version, path, first line, source text) of every document, for the check at the end.
        self.versions: list[tuple[str, str, int, str | None]] = []

    def check(self, loaded: io.Loaded) -> list[Issue]:
        doc = loaded.doc
        reporter = _Reporter(loaded.path, loaded.line, loaded.raw)
        issues = []
        doc_id = doc["id"]
        split = io.split_of(loaded.path) if self.kind == "document" else None
        if doc_id in self.ids:
            other_path, other_line, other_split = self.ids[doc_id]
            if split is not None and other_split is not None and split != other_split:
                issues.append(
                    reporter.issue(
                        "split-leak",
                        ("id",),
                        f"document {doc_id!r} is in split {split} and also in split {other_split} "
                        f"({other_path}:{other_line})",
                    )
                )
            else:
                issues.append(
                    reporter.issue(
                        "duplicate-document-id",
                        ("id",),
                        f"document id {doc_id!r} already appears at {other_path}:{other_line}",
                    )
                )
        else:
            self.ids[doc_id] = (loaded.path, loaded.line, split)
        if self.kind != "document":
            return issues
        text = doc["text"]
        text = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        seen = self.texts.get(text)
        if seen is None:
            self.texts[text] = (doc_id, loaded.path, split)
        elif split is not None and seen[2] is not None and seen[2] != split and seen[0] != doc_id:
            issues.append(
                reporter.issue(
                    "split-leak",
                    ("text",),
                    f"same text as document {seen[0]!r} in split {seen[2]} ({seen[1]})",
                )
            )
        name = Path(loaded.path).name
        if split is not None and name.endswith(".json") and name != f"{doc_id}.json":
            issues.append(
                reporter.issue(
                    "file-name-mismatch",
                    ("id",),
                    f"gold file {name} holds document {doc_id!r} (expected {doc_id}.json)",
                )
            )
        # A .jsonl document is one line, which is the line of every path in it: no need to keep
        # its text to locate schema_version later (the texts of a large corpus are its size).
        raw = None if loaded.path.lower().endswith(".jsonl") else loaded.raw
        self.versions.append((doc["schema_version"], loaded.path, loaded.line, raw))
        return issues

    def finish(self) -> dict[tuple[str, int], list[Issue]]:
        """Issues found only once the whole corpus is read, keyed by (path, line) of their document."""
        counts = Counter(version for version, *_ in self.versions)
        if len(counts) < 2:
            return {}
        majority = max(counts, key=lambda v: counts[v])  # ties: the first seen (Counter keeps order)
        found: dict[tuple[str, int], list[Issue]] = {}
        for version, path, line, raw in self.versions:
            if version != majority:
                reporter = _Reporter(path, line, raw)
                found.setdefault((path, line), []).append(
                    reporter.issue(
                        "mixed-schema-version",
                        ("schema_version",),
                        f"schema_version {version!r} differs from {majority!r} used by "
                        f"{counts[majority]} other document{'s' if counts[majority] != 1 else ''}",
                    )
                )
        return found


class CorpusValidator:
    """Levels 2-4, one parsed document at a time: what :func:`validate_paths` runs, for readers
    that stream (the scorer checks gold with it). :meth:`finish` gives the issues that need the
    whole corpus (a schema version that differs from the majority), keyed by (path, line)."""

    def __init__(self, kind: str = "document") -> None:
        _fast_check(kind)  # fail fast on an unknown kind
        self._corpus = _Corpus(kind)
        self.kind = kind

    def check(self, loaded: io.Loaded) -> list[Issue]:
        """Every issue of one document read by :func:`sayso.io.load` (its level-1 issues first)."""
        issues = list(loaded.issues)
        if issues:
            return issues
        found = validate_document(
            loaded.doc, path=loaded.path, line=loaded.line, kind=self.kind, raw=loaded.raw
        )
        if any(issue.severity == "error" for issue in found):
            return found
        return found + self._corpus.check(loaded)

    def finish(self) -> dict[tuple[str, int], list[Issue]]:
        return self._corpus.finish()


def validate_paths(
    paths: Iterable[str | os.PathLike],
    *,
    kind: str = "document",
    progress: Callable[[int], None] | None = None,
) -> ValidationReport:
    """Read and validate every document in ``paths`` (files and folders): levels 1-4.

    Issues come in file order (each document's own issues in document order, the most relevant
    schema error first). ``progress``, if given, is called with the number of documents read so
    far, after each document.
    """
    _fast_check(kind)  # fail fast on an unknown kind
    # Parsed JSON holds no reference cycles, but the cyclic collector would re-scan every document
    # kept so far each time it runs, which makes a large corpus much slower to read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _validate_paths(paths, kind, progress)
    finally:
        if collecting:
            gc.enable()


def _validate_paths(
    paths: Iterable[str | os.PathLike], kind: str, progress: Callable[[int], None] | None
) -> ValidationReport:
    report = ValidationReport()
    validator = CorpusValidator(kind)
    per_doc: list[tuple[io.Loaded | None, list[Issue]]] = []
    for item in iter_inputs(paths):
        if isinstance(item, Issue):
            per_doc.append((None, [item]))
            continue
        loaded = item
        report.count += 1
        if progress is not None:
            progress(report.count)
        issues = validator.check(loaded)
        per_doc.append((loaded, issues))
        if loaded.doc is None and loaded.issues:  # did not parse (a JSON `null` document did)
            continue
        report.documents.append(loaded)
        if not any(issue.severity == "error" for issue in issues):
            report.valid.append(loaded)
    late = validator.finish()
    for loaded, issues in per_doc:
        report.issues.extend(issues)
        if loaded is not None and (loaded.path, loaded.line) in late:
            report.issues.extend(late[loaded.path, loaded.line])
    return report
