"""Reading, checking and counting a large ``.jsonl`` evaluation on several cores (issue 4).

The mentions layer of a large evaluation spends most of its time reading: parsing each line,
checking it and counting it against its gold document. Those steps are independent per document,
so the files are cut at line boundaries into one chunk per process. :func:`count_pairs` (the gold
and a submission in the same order) gives each process a chunk of the gold and the predictions
of the same documents; :func:`count_submission` (any other order) cuts the submission alone and
forked workers share the gold read before the fork. This process handles the first chunk while
the workers handle the others. Back come counts: one record per document, or only sums when no
per-document output is asked for. Nothing else crosses a process boundary: no documents, no issues.

A prediction line is read by the typed reader of ``_cleanline`` when that settles it, else by
``io.parse_clean`` and :func:`clean_mention_spans`; the typed reader is never looser (fuzzed).

This is an accelerator, never a second way to report: it accepts a chunk only when every document
in it is clean (the serial path would report nothing for it and keep it). Anything else (a
problem in the input, a repeated id, a layer other than mentions, a worker that fails in any way)
returns None and the caller reads the input the ordinary way, which reports whatever is wrong with
its usual messages. So the output is the same byte for byte either way.

``SAYSO_WORKERS=1`` (or any number below 2) turns it off, e.g. for debugging or profiling: the
ordinary path alone. Without that setting, a machine with one usable core (or without
``os.fork``) still takes the fast reading, as one chunk in this process.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import pickle
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

# Imported here, before any fork, so that workers share them instead of importing them again.
from ..io import parse_clean
from ._aggregate import add_counts
from ._check import _clean_rules, clean_mention_spans
from ._cleanline import _decoder, clean_line
from ._counts import mention_counts, mention_spans
from ._score import _digest_lines, phenomenon_tags

__all__ = ["count_pairs", "count_submission", "workers", "MIN_LINES", "MIN_BYTES"]

# Below these sizes one process is faster (a fork and a pipe cost a few milliseconds).
MIN_LINES = 2_000
MIN_BYTES = 8_000_000
_MAX_DEFAULT = 4  # processes used when SAYSO_WORKERS is not set

Counted = tuple[list[str], list[dict[str, int]], bool]


def _setting() -> int | None:
    """``SAYSO_WORKERS`` when set to a whole number, else None."""
    value = os.environ.get("SAYSO_WORKERS", "").strip()
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _ordinary_only() -> bool:
    """Whether ``SAYSO_WORKERS`` asks for the ordinary path alone (a number below 2)."""
    setting = _setting()
    return setting is not None and setting < 2


def workers() -> int:
    """Processes to use: ``SAYSO_WORKERS`` when set to a whole number, else the usable cores (at
    most 4); 1 where ``os.fork`` does not exist. On one core (without ``SAYSO_WORKERS``) the fast
    reading runs in this process alone, as one chunk."""
    if not hasattr(os, "fork"):
        return 1
    setting = _setting()
    if setting is not None:
        return max(1, setting)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_DEFAULT))


def count_chunk(
    data: bytes | memoryview,
    gold: Mapping[str, Mapping[str, Any]],
    all_kinds: bool,
    totals: dict[str, int] | None = None,
) -> Counted | None:
    """Parse, check and count the lines of ``data``: (ids, counts, whether any document has a
    list of mentions), or None when some line is not a clean prediction of a gold document.
    With ``totals``, a document whose gold has no phenomenon tags is counted straight into it
    (its own counts are then an empty dict): no dict per document to build and add up."""
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError:
        return None
    ids: list[str] = []
    counts: list[dict[str, int]] = []
    seen: set[str] = set()
    any_mentions = False
    for line in text.split("\n"):
        if not line.strip():
            continue
        # The typed reading of the line when it settles it; else the ordinary reading and check.
        settled = clean_line(line, gold, all_kinds)
        if settled is not None:
            doc_id, spans, listed = settled
            gold_doc = gold[doc_id]
        else:
            doc = parse_clean(line)
            if type(doc) is not dict:
                return None
            doc_id = doc.get("id")
            gold_doc = gold.get(doc_id) if type(doc_id) is str else None
            if gold_doc is None:
                return None
            spans = clean_mention_spans(doc, gold_doc["text"], all_kinds)
            if spans is None:
                return None
            listed = type(doc.get("mentions")) is list
        if doc_id in seen:
            return None
        seen.add(doc_id)
        found: dict[str, int] = {}
        if listed:
            any_mentions = True
        if gold_doc.get("mentions") is not None:
            into = found if totals is None or phenomenon_tags(gold_doc) else totals
            mention_counts(mention_spans(gold_doc, all_kinds), spans, into)
        ids.append(doc_id)
        counts.append(found)
    return ids, counts, any_mentions


def _chunks(data: bytes, n: int) -> list[memoryview]:
    """``data`` cut into ``n`` pieces of about equal size, each ending after a newline."""
    cuts = [0]
    for k in range(1, n):
        at = data.find(b"\n", max(cuts[-1], len(data) * k // n))
        if at < 0:
            break
        cuts.append(at + 1)
    cuts.append(len(data))
    view = memoryview(data)  # slices of a view share the bytes instead of copying them
    return [view[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if a < b]


def _fork(job: Callable[..., Any], args: tuple) -> tuple[int, int]:
    """Start a worker running ``job(*args)``; return its pid and the read end of its pipe."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: never returns, never runs the caller's cleanup or atexit code
        code = 1
        try:
            os.close(read)
            payload = pickle.dumps(job(*args), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            code = 0
        except BaseException:  # noqa: BLE001 - any failure means "use the serial path"
            pass
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _in_processes(job: Callable[..., Any], jobs: list[tuple]) -> list[Any] | None:
    """``[job(*args) for args in jobs]``, the first here and the others in forked workers at the
    same time; None when any of them fails (an exception, a crash, an unreadable result)."""
    started: list[tuple[int, int | None]] = []
    results: list[Any] = []
    try:
        for args in jobs[1:]:
            started.append(_fork(job, args))
        try:
            results.append(job(*jobs[0]))
        except Exception:  # noqa: BLE001 - the serial path reports or raises it properly
            return None
        for k, (pid, read) in enumerate(started):
            with os.fdopen(read, "rb") as pipe:
                started[k] = (pid, None)
                payload = pipe.read()
            try:
                _, status = os.waitpid(pid, 0)
            except ChildProcessError:  # reaped by someone else: its status is unknown
                status = -1
            started[k] = (0, None)
            if status != 0 or not payload:  # 0: exited normally with code 0
                return None
            try:
                results.append(pickle.loads(payload))
            except Exception:  # noqa: BLE001 - a truncated or garbled payload
                return None
    finally:
        # Workers are left here only after an error or an interrupt: closing their pipes makes a
        # blocked write fail, so each exits and is reaped (no zombies).
        for pid, read in started:
            if read is not None:
                os.close(read)
            if pid:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
    return results


def _read(path: str) -> bytes | mmap.mmap | None:
    """The bytes of a large ``.jsonl`` file worth cutting, else None. A file of at least
    :data:`MIN_BYTES` is mapped rather than read: each process then reads only the pages of its
    own chunk, while the cuts are made (no copy of the whole file before the work starts)."""
    if not str(path).endswith(".jsonl"):
        return None
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size >= MIN_BYTES:
                data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            else:
                data = handle.read()
                if data.count(b"\n") < MIN_LINES:
                    return None
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    if data[:3] == b"\xef\xbb\xbf":
        return None
    return data


def _mentions_only(pred_data: bytes) -> bool:
    """Whether the submission's first line is a prediction of the mentions layer alone: a quick
    look that spares a submission of every layer (which these paths never accept) a wasted try."""
    end = pred_data.find(b"\n")
    try:
        doc = json.loads(pred_data[: len(pred_data) if end < 0 else end])
    except ValueError:
        return False
    return type(doc) is dict and doc.keys() <= {"id", "mentions"}


def count_submission(
    path: str, gold: Mapping[str, Mapping[str, Any]], all_kinds: bool
) -> dict[str, dict[str, int]] | None:
    """Mention counts of every document of the ``.jsonl`` submission ``path`` (id -> counts, in
    file order) computed by :func:`workers` processes, or None: use the serial path (a small
    file, ``SAYSO_WORKERS`` below 2, anything not clean, a layer other than mentions, or any
    failure)."""
    if _ordinary_only():
        return None
    data = _read(path)
    if data is None or not _mentions_only(data):
        return None
    chunks = _chunks(data, workers())
    _clean_rules()
    _decoder()
    results = _in_processes(count_chunk, [(chunk, gold, all_kinds) for chunk in chunks])
    if results is None:
        return None
    counted: dict[str, dict[str, int]] = {}
    any_mentions = False
    for result in results:
        if result is None:
            return None
        ids, counts, mentions = result
        any_mentions = any_mentions or mentions
        for doc_id, found in zip(ids, counts, strict=True):
            if doc_id in counted:  # repeated across chunks: the serial path says where
                return None
            counted[doc_id] = found
    if not any_mentions:  # no layer submitted: the serial path scores it (nothing) and says so
        return None
    return counted


Record = tuple[str, dict[str, int], bool, tuple[str, ...], bool]
Groups = dict[str, tuple[int, dict[str, int]]]  # phenomenon tag -> (documents, summed counts)


class Chunk(NamedTuple):
    """What :func:`pair_chunk` sends back for its chunk of gold documents."""

    records: list[Record] | None  # one per gold document, when asked for
    digests: str  # "id\\0SHA-256 of its line\\n" per gold document, sorted
    first: str  # the smallest and largest gold id
    last: str
    submitted: bool  # whether any prediction has a list of mentions
    totals: dict[str, int]
    phenomena: Groups
    missing: list[str]  # gold ids without a prediction
    documents: int


def pair_chunk(
    gold_data: bytes | memoryview, pred_data: bytes | memoryview, all_kinds: bool, per_document: bool = True
) -> Chunk | None:
    """Read, check and count a chunk of gold lines and the chunk of predictions of the same
    documents (one :data:`Record` per gold document only when ``per_document``: otherwise only
    sums cross the process boundary), or None when a gold document is not clean (the serial
    path reports it) or a prediction is not a clean prediction of a gold document of this chunk."""
    try:
        gold_text = str(gold_data, "utf-8")
    except UnicodeDecodeError:
        return None
    gold: dict[str, dict] = {}
    digests: list[str] = []
    sha256 = hashlib.sha256
    for line in gold_text.split("\n"):
        if not line.strip():
            continue
        doc = parse_clean(line)
        # The checks of the command's gold reader: anything it would report means "serial path".
        if type(doc) is not dict:
            return None
        doc_id = doc.get("id")
        if type(doc_id) is not str or type(doc.get("text")) is not str or doc_id in gold:
            return None
        if "\0" in doc_id or "\n" in doc_id:  # would break the digest lines (never in practice)
            return None
        gold[doc_id] = doc
        digests.append(f"{doc_id}\0{sha256(line.encode('utf-8')).hexdigest()}\n")
    if not gold:
        return None
    # Summed here, on every core, rather than document by document after the merge; without
    # records, untagged documents are counted straight into the sums.
    totals: dict[str, int] = {}
    counted = count_chunk(pred_data, gold, all_kinds, None if per_document else totals)
    if counted is None:
        return None
    ids, counts_of, any_mentions = counted
    matched = dict(zip(ids, counts_of, strict=True))
    records: list[Record] | None = [] if per_document else None
    groups: Groups = {}
    missing: list[str] = []
    for doc_id, doc in gold.items():
        got = matched.get(doc_id)
        counts: dict[str, int] = {}
        annotated = doc.get("mentions") is not None
        phenomena = phenomenon_tags(doc)
        if annotated:
            if got is not None:
                counts = got  # empty when counted into the sums already
                if per_document or phenomena:
                    add_counts(totals, counts)
            elif per_document or phenomena:  # scored as an empty prediction
                mention_counts(mention_spans(doc, all_kinds), [], counts)
                add_counts(totals, counts)
            else:
                mention_counts(mention_spans(doc, all_kinds), [], totals)
        if got is None:
            missing.append(doc_id)
        for tag in phenomena:  # as the serial path: once per tag listed
            docs, summed = groups.get(tag) or (0, {})
            groups[tag] = (docs + 1, add_counts(summed, counts))
        if records is not None:
            records.append((doc_id, counts, annotated, phenomena, got is None))
    # Sorting the lines sorts the (id, digest) pairs: no id holds a NUL, the smallest character.
    digests.sort()
    return Chunk(
        records, "".join(digests), min(gold), max(gold), any_mentions, totals, groups, missing, len(gold)
    )


class Paired(NamedTuple):
    """What :func:`count_pairs` computed for the whole evaluation."""

    records: list[Record] | None  # one per gold document, when asked for
    digest: str  # of the gold documents, as the serial path computes it
    totals: dict[str, int]
    phenomena: Groups
    missing: list[str]
    documents: int


def _merge(chunks: list[Chunk], per_document: bool) -> Paired | None:
    """The chunks' results as one, or None when a gold id is repeated across chunks."""
    if all(a.last < b.first for a, b in zip(chunks, chunks[1:], strict=False)):
        lines = "".join(c.digests for c in chunks)  # sorted already, and no id repeated
    else:
        every = sorted(line for c in chunks for line in c.digests.splitlines(keepends=True))
        ids = [line.partition("\0")[0] for line in every]
        if len(set(ids)) != len(ids):
            return None
        lines = "".join(every)
    totals: dict[str, int] = {}
    groups: Groups = {}
    for c in chunks:
        add_counts(totals, c.totals)
        for tag, (docs, summed) in c.phenomena.items():
            before_docs, before = groups.get(tag) or (0, {})
            groups[tag] = (before_docs + docs, add_counts(before, summed))
    records = [r for c in chunks for r in c.records or ()] if per_document else None
    missing = [doc_id for c in chunks for doc_id in c.missing]
    return Paired(records, _digest_lines(lines), totals, groups, missing, sum(c.documents for c in chunks))


def _line_at(data: bytes, pos: int) -> tuple[int, bytes]:
    """Start and text of the line of ``data`` holding offset ``pos``."""
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    return start, data[start : len(data) if end < 0 else end]


def _line_id(line: bytes) -> Any:
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    return doc.get("id") if type(doc) is dict else None


def _pred_cut(gold_data: bytes, gold_cut: int, pred_data: bytes, low: int) -> int | None:
    """Where to cut the submission so that its first part predicts only gold documents before
    ``gold_cut``: the start of the line predicting one of the first gold documents after it
    (a submission in the order of the gold, possibly with gaps). None: no such line found."""
    pos = gold_cut
    for _ in range(8):  # the next few gold documents, in case the first ones have no prediction
        if pos >= len(gold_data):
            return None
        _, line = _line_at(gold_data, pos)
        pos += len(line) + 1
        doc_id = _line_id(line)
        if type(doc_id) is not str:
            continue
        for needle in {json.dumps(doc_id).encode(), json.dumps(doc_id, ensure_ascii=False).encode()}:
            at = pred_data.find(needle, low)
            for _ in range(4):  # the id may also appear inside another document
                if at < 0:
                    break
                start, text = _line_at(pred_data, at)
                if start >= low and _line_id(text) == doc_id:
                    return start
                at = pred_data.find(needle, at + 1)
    return None


def count_pairs(gold_path: str, pred_path: str, all_kinds: bool, per_document: bool = True) -> Paired | None:
    """Read, check and count a large ``.jsonl`` gold file and submission together on
    :func:`workers` processes, each taking a chunk of the gold and the predictions of the same
    documents (with one :data:`Record` per gold document only when ``per_document``), or None:
    use the serial path (small files, one worker, a submission in another order than the gold,
    anything not clean, a layer other than mentions, any failure)."""
    if _ordinary_only():
        return None
    n = workers()
    gold_data = _read(gold_path)
    pred_data = _read(pred_path) if gold_data is not None else None
    if gold_data is None or pred_data is None or not _mentions_only(pred_data):
        return None
    gold_chunks = _chunks(gold_data, n)
    pred_cuts, gold_cut = [0], 0
    for chunk in gold_chunks[:-1]:
        gold_cut += len(chunk)
        cut = _pred_cut(gold_data, gold_cut, pred_data, pred_cuts[-1])
        if cut is None:
            return None
        pred_cuts.append(cut)
    pred_cuts.append(len(pred_data))
    pred_view = memoryview(pred_data)
    jobs = [
        (chunk, pred_view[a:b], all_kinds, per_document)
        for chunk, a, b in zip(gold_chunks, pred_cuts[:-1], pred_cuts[1:], strict=True)
    ]
    _clean_rules()  # cached here once rather than in every worker
    _decoder()
    results = _in_processes(pair_chunk, jobs)
    if results is None or any(result is None for result in results):
        return None
    if not any(result.submitted for result in results):
        return None  # nothing submitted: the serial path scores it (nothing) and says so
    return _merge(results, per_document)
