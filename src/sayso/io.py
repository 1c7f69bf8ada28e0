"""Reading and writing SaySo documents.

Inputs are ``.json`` files (one document), ``.jsonl`` files (one document per line) and
folders of them (searched recursively, in sorted order). Reading never raises on bad input:
encoding and syntax problems come back as :class:`~sayso.issues.Issue` values (level 1 of
the validator) next to the documents that did parse.

Writes are atomic (temporary file in the same folder, then ``os.replace``) and refuse to
overwrite an existing file unless ``force=True``.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .issues import Issue

__all__ = [
    "Loaded",
    "SPLITS",
    "iter_files",
    "load",
    "load_documents",
    "split_of",
    "dump_document",
    "write_text_atomic",
    "write_json_atomic",
    "write_jsonl_atomic",
    "FileExistsRefused",
]

SPLITS = ("train", "validation", "test")
SUFFIXES = (".json", ".jsonl")


@dataclass(slots=True)
class Loaded:
    """One parsed document (or the failure to parse one) and where it came from."""

    path: str
    line: int  # 1-based line where the document starts (always 1 for .json files)
    doc: Any | None  # the parsed JSON value; None when level 1 failed
    issues: list[Issue] = field(default_factory=list)
    raw: str | None = None  # the document's source text, kept to find lines of JSON paths


def iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Yield the ``.json``/``.jsonl`` files named by ``paths``; folders are walked in sorted order."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from sorted(f for f in path.rglob("*") if f.suffix in SUFFIXES and f.is_file())
        else:
            yield path


def split_of(path: str | os.PathLike) -> str | None:
    """The split a gold file belongs to, from the nearest folder or file stem named after one."""
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


def _parse(path: str, text: str, first_line: int) -> Loaded:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        issue = Issue(
            "json-syntax",
            "error",
            path,
            first_line + exc.lineno - 1,
            "$",
            f"{exc.msg} (line {first_line + exc.lineno - 1}, column {exc.colno})",
        )
        return Loaded(path, first_line, None, [issue], text)
    except RecursionError:
        issue = Issue("json-syntax", "error", path, first_line, "$", "JSON nested too deeply")
        return Loaded(path, first_line, None, [issue], text)
    return Loaded(path, first_line, doc, [], text)


def load(path: str | os.PathLike) -> Iterator[Loaded]:
    """Parse one ``.json`` or ``.jsonl`` file, yielding one :class:`Loaded` per document."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield Loaded(name, 1, None, [Issue("unreadable", "error", name, None, "$", exc.strerror or str(exc))])
        return
    text, issues = _decode(name, data)
    if text is None:
        yield Loaded(name, 1, None, issues)
        return
    if name.endswith(".jsonl"):
        if issues:  # a BOM: report it once, on the first document
            yield Loaded(name, 1, None, issues)
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                yield _parse(name, line, number)
        return
    loaded = _parse(name, text, 1)
    loaded.issues[:0] = issues
    yield loaded


def load_documents(paths: Iterable[str | os.PathLike]) -> Iterator[Loaded]:
    """Parse every document in ``paths`` (files or folders)."""
    for file in iter_files(paths):
        yield from load(file)


def dump_document(doc: Any) -> str:
    """The canonical pretty-printed form of a gold document (stable key order as given)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class FileExistsRefused(FileExistsError):
    """Raised when a write would overwrite an existing file without ``force``."""


def write_text_atomic(path: str | os.PathLike, text: str, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically; refuse to overwrite unless ``force``."""
    target = Path(path)
    if target.exists() and not force:
        raise FileExistsRefused(f"{target} exists; pass force=True (--force) to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: str | os.PathLike, doc: Any, *, force: bool = False) -> None:
    """Write one document, pretty-printed, atomically."""
    write_text_atomic(path, dump_document(doc), force=force)


def write_jsonl_atomic(path: str | os.PathLike, docs: Iterable[Any], *, force: bool = False) -> None:
    """Write documents one per line, atomically."""
    lines = (json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n" for d in docs)
    write_text_atomic(path, "".join(lines), force=force)
