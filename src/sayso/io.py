"""Reading and writing SaySo documents.

Inputs are ``.json`` files (one document), ``.jsonl`` files (one document per line) and
folders of them (searched recursively, in sorted order). Reading never raises on bad input:
encoding and syntax problems come back as :class:`~sayso.issues.Issue` values (level 1 of
the validator) next to the documents that did parse.

Writes go through :mod:`sayso.writing`: atomic, fsynced, and refusing to overwrite an existing
file that holds other bytes unless ``force=True``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._jsonlines import Locator, duplicate_keys, format_path
from .issues import Issue
from .writing import Refused, write_file

__all__ = [
    "Loaded",
    "SPLITS",
    "iter_files",
    "load",
    "load_documents",
    "read_range",
    "reparse",
    "split_of",
    "dump_document",
    "write_text_atomic",
    "write_json_atomic",
    "write_jsonl_atomic",
    "FileExistsRefused",
]

SPLITS = ("train", "validation", "test")
SUFFIXES = (".json", ".jsonl")  # compared with the lower-cased name


@dataclass(slots=True)
class Loaded:
    """One parsed document (or the failure to parse one) and where it came from."""

    path: str
    line: int  # 1-based line where the document starts (always 1 for .json files)
    doc: Any | None  # the parsed JSON value; None when level 1 failed
    issues: list[Issue] = field(default_factory=list)
    raw: str | None = None  # the document's source text, kept to find lines of JSON paths
    # Where the document's bytes are in ``path`` (None for documents not read from a file), so a
    # reader can let the text go and read it again: ``read_range(path, offset, size)``.
    offset: int | None = None
    size: int | None = None


#: A document (a ``.json`` file, or one line of a ``.jsonl`` file) larger than this is refused
#: with ``too-large`` before it is parsed: parsing and checking take several times a document's
#: size in memory, and no news article comes near it (the corpus's largest is under 100 KB).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _regular(path: Path) -> Issue | None:
    """None when ``path`` is a regular file (links followed); else the issue that says why not.

    Checked with ``stat`` before any ``open``: opening a FIFO blocks and a device never ends."""
    name = str(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        reason = "a symbolic link to a missing file" if path.is_symlink() else "No such file or directory"
        return Issue("unreadable", "error", name, None, "$", reason)
    except OSError as exc:
        return Issue("unreadable", "error", name, None, "$", exc.strerror or str(exc))
    if stat.S_ISREG(mode):
        return None
    return Issue("not-a-file", "error", name, None, "$", f"is {_kind_of(mode)}; only regular files are read")


def scan_folder(folder: str | os.PathLike) -> list[Path | Issue]:
    """Every ``.json``/``.jsonl`` file under ``folder`` (suffixes compared case-insensitively),
    in sorted path order, with an issue for each entry the walk could not use: ``unreadable``
    (a subfolder that cannot be listed, a link to nothing), ``not-a-file`` (a FIFO or a device
    named ``*.json``) and the ``skipped-file`` warning for every other file, so nothing is left
    out without a word. Links to folders are not followed (they could loop)."""
    found: list[tuple[str, Path | Issue]] = []

    def unlistable(exc: OSError) -> None:
        where = exc.filename or str(folder)
        reason = f"folder cannot be read: {exc.strerror or exc}"
        found.append((str(where), Issue("unreadable", "error", str(where), None, "$", reason)))

    for root, dirs, files in os.walk(folder, onerror=unlistable):
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                path = Path(root, name)
                message = "a symbolic link to a folder; not followed"
                found.append((str(path), Issue("skipped-file", "warning", str(path), None, "$", message)))
        for name in files:
            path = Path(root, name)
            if name.lower().endswith(SUFFIXES):
                problem = _regular(path)
                found.append((str(path), path if problem is None else problem))
            else:
                message = "not a .json or .jsonl file; skipped"
                found.append((str(path), Issue("skipped-file", "warning", str(path), None, "$", message)))
    found.sort(key=lambda item: Path(item[0]).parts)
    return [item for _, item in found]


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Yield the ``.json``/``.jsonl`` files named by ``paths``; folders are walked in sorted order
    (what :func:`scan_folder` reports is dropped here: :func:`load_documents` keeps the errors)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from (item for item in scan_folder(path) if isinstance(item, Path))
        else:
            yield path


def split_of(path: str | os.PathLike) -> str | None:
    """The split a gold file belongs to, from the nearest folder or file stem named after one."""
    return _split_of(os.fspath(path))


@functools.lru_cache(maxsize=4096)  # every line of a .jsonl file asks with the same path
def _split_of(path: str) -> str | None:
    parts = Path(path).parts
    for part in reversed(parts):
        stem = part.split(".")[0]
        if stem in SPLITS:
            return stem
    return None


def _decode(path: str, data: bytes) -> tuple[str | None, list[Issue]]:
    issues: list[Issue] = []
    if data.startswith(b"\xef\xbb\xbf"):
        issues.append(Issue("bom", "error", path, 1, "$", "file starts with a UTF-8 byte order mark"))
        data = data[3:]
    try:
        return data.decode("utf-8"), issues
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            Issue("not-utf8", "error", path, line, "$", f"byte {exc.start}: not valid UTF-8 ({exc.reason})")
        )
        return None, issues


class _NonStandardConstant(ValueError):
    pass


def _reject_constant(name: str) -> None:
    # Python's json accepts NaN and Infinity, which are not JSON and which other readers reject.
    raise _NonStandardConstant(name)


class _DuplicateSpotter:
    """``object_pairs_hook`` that notices repeated keys (json.loads silently keeps the last)."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            self.seen = True
        return obj


# How a document is read. A short document (a line of a large .jsonl evaluation: a few small
# objects) is parsed by msgspec (a C parser, about twice as fast as the standard one on such
# lines, which keeps integers of any size exact as json does) or, without msgspec, by the
# standard C decoder; a counting argument (_may_repeat_keys) then rules out repeated keys, which
# both parsers silently drop, for nearly every document. Anything msgspec refuses (a syntax error,
# NaN, 1e400, a lone surrogate, a value nested too deeply) is read again by the standard parser,
# which says what is wrong in its own words or reads what msgspec would not. A long document (a
# news article with its long text, colons in it and nested spans) is parsed once by the standard
# parser with a hook that sees every pair: there the counts would rarely settle anything without
# walking the whole value, which costs more than the hook. Either way the result is what
# json.loads gives.
try:
    from msgspec import MsgspecError as _FastError
    from msgspec.json import Decoder as _FastDecoder

    _fast_loads = _FastDecoder().decode
except ImportError:  # pragma: no cover - msgspec is a dependency; the standard parser gives the same
    _fast_loads = None
_SHORT = 4096  # characters

# One decoder for every document: json.loads with keyword arguments builds a new one per call.
_SCAN = json.JSONDecoder(parse_constant=_reject_constant).scan_once
_WS = re.compile(r"[ \t\n\r]*")
_JSON_WS = frozenset(" \t\n\r")
# A key's closing quote, JSON whitespace and its colon; inside a string only after an escaped quote.
_KEY_COLON = re.compile(r'"[ \t\n\r]*:')


def _loads(text: str) -> Any:
    """``json.loads(text, parse_constant=_reject_constant)`` with the same errors, but faster
    (no ``object_pairs_hook``: repeated keys are found by :func:`_may_repeat_keys`)."""
    if text.startswith("\ufeff"):
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    # The whitespace regex runs only when there is whitespace to skip (rare around a document).
    start = _WS.match(text, 0).end() if text[:1] in _JSON_WS else 0
    try:
        doc, end = _SCAN(text, start)
    except StopIteration as err:
        raise json.JSONDecodeError("Expecting value", text, err.value) from None
    if end != len(text):
        end = _WS.match(text, end).end()
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    return doc


def _read_exactly(text: str) -> tuple[Any, bool]:
    """The reference read: ``json.loads`` with a hook that sees every pair; (value, whether some
    object repeats a key)."""
    spotter = _DuplicateSpotter()
    doc = json.loads(text, object_pairs_hook=spotter, parse_constant=_reject_constant)
    return doc, spotter.seen


def _read_json(text: str) -> tuple[Any, bool, bool]:
    """(value, whether some object repeats a key, whether msgspec read it) of ``text``: what
    :func:`_read_exactly` gives, with its errors, but faster. msgspec refuses lone surrogates,
    so a text it read has none."""
    if len(text) > _SHORT:
        return (*_read_exactly(text), False)
    if _fast_loads is not None:
        try:
            doc = _fast_loads(text)
        except (_FastError, RecursionError):
            pass  # the standard parser reports it, or reads it (e.g. a lone surrogate, 1e400)
        else:
            if not _may_repeat_keys(text, doc):
                return doc, False, True
            return (*_read_exactly(text), True)
    doc = _loads(text)
    if not _may_repeat_keys(text, doc):
        return doc, False, False
    return (*_read_exactly(text), False)


def _count_keys(doc: Any) -> int:
    """The number of keys of every object in a parsed JSON value (iterative: no depth limit)."""
    total = 0
    stack = [doc]
    pop, push = stack.pop, stack.extend
    while stack:
        value = pop()
        if type(value) is dict:
            total += len(value)
            push(v for v in value.values() if type(v) is dict or type(v) is list)
        elif type(value) is list:
            push(v for v in value if type(v) is dict or type(v) is list)
    return total


_dict_len = dict.__len__  # raises TypeError on anything but an object: the test below, in C


def _may_repeat_keys(text: str, doc: Any) -> bool:
    """False only when ``text`` (which parsed to ``doc``) repeats no key within one object.

    Counting argument: every key in the source has its own ``:``, right after its closing quote
    and JSON whitespace, so ``colons >= quote-colons >= source keys >= keys of the parsed
    objects``; the last two are equal exactly when no object repeats a key (json keeps one of the
    repeats). A lower bound of the parsed keys (the top level and its lists of objects, summed in
    C) usually equals the number of colons, or else the number of quote-colons (colons in string
    values), which settles it; otherwise the exact count of parsed keys is compared with the
    quote-colons. True means "maybe": the caller parses again with the exact check (a ``:`` after
    an escaped quote inside a string can make it say "maybe").
    """
    colons = text.count(":")
    lower = 0
    if type(doc) is dict:
        lower = len(doc)
        for value in doc.values():
            if type(value) is list:
                if value:
                    try:
                        lower += sum(map(_dict_len, value))
                    except TypeError:  # not a list of objects only
                        pass
            elif type(value) is dict:
                lower += len(value)
    if colons == lower:
        return False
    if " :" in text or "\t:" in text or "\n:" in text or "\r:" in text:
        quote_colons = len(_KEY_COLON.findall(text))
    else:  # no whitespace before any colon: every quote-colon is the two characters '":'
        quote_colons = text.count('":')
    if quote_colons == lower:
        return False
    return quote_colons != _count_keys(doc)


# A JSON escape of a UTF-16 surrogate; json.loads joins valid pairs, so any surrogate left in a
# parsed string is a lone one (it cannot be written as UTF-8 and makes offsets meaningless).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONSTANT_TOKEN = re.compile(r"-?\b(?:NaN|Infinity)\b")
# An integer literal longer than Python's default limit for int() (4,300 digits).
_LONG_INTEGER = re.compile(r"[0-9]{4301,}")


def _lone_surrogates(value: Any, parts: list) -> Iterator[tuple[list, int, str]]:
    if isinstance(value, str):
        match = _SURROGATE.search(value)
        if match:
            yield parts, match.start(), f"U+{ord(match.group()):04X}"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _lone_surrogates(key, parts)
            yield from _lone_surrogates(item, [*parts, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _lone_surrogates(item, [*parts, index])


def _parse(path: str, text: str, first_line: int) -> Loaded:
    """Level 1 for one document's text: JSON syntax, non-standard JSON, repeated keys, surrogates."""

    def fail(code: str, line: int, message: str) -> Loaded:
        return Loaded(path, first_line, None, [Issue(code, "error", path, line, "$", message)], text)

    if not text.strip():
        return fail("empty-file", first_line, "the file is empty (expected one JSON document)")
    try:
        doc, repeated, no_surrogates = _read_json(text)
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        return fail("json-syntax", line, f"{exc.msg} (line {line}, column {exc.colno})")
    except RecursionError:
        return fail("json-too-deep", first_line, "JSON nested too deeply to read")
    except _NonStandardConstant as exc:
        match = _CONSTANT_TOKEN.search(text)
        line = first_line + (text.count("\n", 0, match.start()) if match else 0)
        return fail("json-constant", line, f"{exc} is not a JSON value (use a number or null)")
    except ValueError as exc:  # e.g. an integer literal longer than Python's digit limit
        reason = str(exc).split(":")[0]
        long_number = _LONG_INTEGER.search(text)
        line = first_line + (text.count("\n", 0, long_number.start()) if long_number else 0)
        return fail("json-syntax", line, f"unreadable value: {reason}")
    loaded = Loaded(path, first_line, doc, [], text)
    try:
        if repeated:
            for parts, key, offset in duplicate_keys(text):
                line = first_line + text.count("\n", 0, offset)
                message = f"key {key!r} appears more than once in this object"
                loaded.issues.append(Issue("duplicate-key", "error", path, line, format_path(parts), message))
        if not no_surrogates and _SURROGATE_ESCAPE.search(text):
            locator = Locator(text)
            for parts, at, char in _lone_surrogates(doc, []):
                line = first_line + locator.line(parts) - 1
                message = f"string has a lone surrogate {char} at index {at}"
                where = format_path(parts)
                loaded.issues.append(Issue("lone-surrogate", "error", path, line, where, message))
    except RecursionError:  # only reachable near the parser's own depth limit
        loaded.doc = None
        message = "JSON nested too deeply to check"
        loaded.issues = [Issue("json-too-deep", "error", path, first_line, "$", message)]
    return loaded


def reparse(text: str) -> Any:
    """The value of a document's source text that :func:`load` has already read without issues
    (the scorer keeps gold as text and parses it again when its prediction arrives): the same
    value, without the checks that found nothing the first time."""
    if _fast_loads is not None and len(text) <= _SHORT:
        try:
            return _fast_loads(text)
        except (_FastError, RecursionError):  # e.g. 1e400, which the standard parser reads
            pass
    return _loads(text)


def load(path: str | os.PathLike) -> Iterator[Loaded]:
    """Parse one ``.json`` or ``.jsonl`` file, yielding one :class:`Loaded` per document.

    Never raises on bad input: problems are level-1 issues on the :class:`Loaded` values. A
    ``Loaded`` with ``doc is None`` and issues failed to parse (a JSON ``null`` document parses
    to None without issues); one whose ``issues`` are not empty parsed but failed level 1 (a
    byte order mark, a repeated key, a lone surrogate). A ``.jsonl`` file is read line by line,
    never whole: a line that is not UTF-8 is reported on its own line and the others are read.
    """
    name = str(path)
    problem = _regular(Path(path))
    if problem is not None:
        yield Loaded(name, 1, None, [problem])
        return
    if name.lower().endswith(".jsonl"):
        yield from _load_lines(name)
        return
    try:
        size = os.path.getsize(path)
        if size > MAX_DOCUMENT_BYTES:
            yield Loaded(name, 1, None, [_too_large(name, 1, size)])
            return
        data = Path(path).read_bytes()
    except OSError as exc:
        yield Loaded(name, 1, None, [Issue("unreadable", "error", name, None, "$", exc.strerror or str(exc))])
        return
    text, issues = _decode(name, data)
    if text is None:
        yield Loaded(name, 1, None, issues)
        return
    loaded = _parse(name, text, 1)
    loaded.issues[:0] = issues
    loaded.offset, loaded.size = 0, len(data)
    yield loaded


def _too_large(name: str, line: int, size: int | None) -> Issue:
    amount = f"{size:,} bytes" if size is not None else f"over {MAX_DOCUMENT_BYTES:,} bytes"
    message = f"document is {amount}; the limit is {MAX_DOCUMENT_BYTES:,} bytes (16 MiB), so it was not read"
    return Issue("too-large", "error", name, line, "$", message)


def _lines(handle: Any) -> Iterator[tuple[bytes | None, int]]:
    """``(line, size)`` for each line of a binary file; ``(None, size)`` for a line longer than
    :data:`MAX_DOCUMENT_BYTES`, which is skipped in chunks and never held whole in memory."""
    while True:
        data = handle.readline(MAX_DOCUMENT_BYTES + 1)
        if not data:
            return
        if len(data) <= MAX_DOCUMENT_BYTES or data.endswith(b"\n"):
            yield data, len(data)
            continue
        size = len(data)
        while not data.endswith(b"\n"):
            data = handle.readline(1 << 20)
            if not data:
                break
            size += len(data)
        yield None, size


def read_range(path: str, offset: int, size: int) -> str:
    """The text of the ``size`` bytes at ``offset`` of ``path`` (a document :func:`load` read)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(size).decode("utf-8")


def _load_lines(name: str) -> Iterator[Loaded]:
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below, also when the caller stops early
    except OSError as exc:
        yield Loaded(name, 1, None, [Issue("unreadable", "error", name, None, "$", exc.strerror or str(exc))])
        return
    found = False
    offset = 0
    with handle:
        for number, (data, length) in enumerate(_lines(handle), start=1):
            if data is None:
                yield Loaded(name, number, None, [_too_large(name, number, length)])
                found = True
                offset += length
                continue
            issues: list[Issue] = []
            if number == 1 and data.startswith(b"\xef\xbb\xbf"):
                issues.append(Issue("bom", "error", name, 1, "$", "file starts with a UTF-8 byte order mark"))
                data, offset = data[3:], 3
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                message = f"byte {offset + exc.start}: not valid UTF-8 ({exc.reason})"
                yield Loaded(
                    name, number, None, [*issues, Issue("not-utf8", "error", name, number, "$", message)]
                )
                found = True
                offset += len(data)
                continue
            start = offset
            offset += len(data)
            line = line[:-1] if line.endswith("\n") else line
            if line.strip():
                loaded = _parse(name, line, number)
                loaded.issues[:0] = issues
                loaded.offset, loaded.size = start, len(data)
                found = True
                yield loaded
            elif issues:
                yield Loaded(name, number, None, issues)
                found = True
    if not found:
        message = "the file holds no documents (expected one per line)"
        yield Loaded(name, 1, None, [Issue("empty-file", "error", name, 1, "$", message)])


def load_documents(paths: Iterable[str | os.PathLike]) -> Iterator[Loaded]:
    """Parse every document in ``paths`` (files or folders). A file a folder walk cannot use
    comes back as a :class:`Loaded` without a document and with its error; skipped files of
    other kinds (``skipped-file`` warnings) are left to ``sayso validate`` to report."""
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            yield from load(path)
            continue
        for item in scan_folder(path):
            if isinstance(item, Path):
                yield from load(item)
            elif item.is_error:
                yield Loaded(item.path, 1, None, [item])


def dump_document(doc: Any) -> str:
    """The canonical pretty-printed form of a gold document (stable key order as given)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


#: Raised when a write would overwrite an existing file without ``force`` (see :mod:`sayso.writing`).
FileExistsRefused = Refused


def write_text_atomic(path: str | os.PathLike, text: str, *, force: bool = False) -> str:
    """Write ``text`` to ``path`` atomically (:func:`sayso.writing.write_file`)."""
    return write_file(path, text, force=force)


def write_json_atomic(path: str | os.PathLike, doc: Any, *, force: bool = False) -> str:
    """Write one document, pretty-printed, atomically."""
    return write_text_atomic(path, dump_document(doc), force=force)


def dump_jsonl(docs: Iterable[Any]) -> str:
    """Documents one per line, compact: the form of every ``.jsonl`` the commands write."""
    return "".join(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n" for d in docs)


def write_jsonl_atomic(path: str | os.PathLike, docs: Iterable[Any], *, force: bool = False) -> str:
    """Write documents one per line, atomically."""
    return write_text_atomic(path, dump_jsonl(docs), force=force)
