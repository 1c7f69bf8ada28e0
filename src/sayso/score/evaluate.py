"""The evaluation pipeline: the one way SaySo scores a system.

``sayso score``, ``sayso report``, ``sayso leaderboard``, ``--compare`` and the library all call
:func:`evaluate`, which runs every step in order:

1. **read gold** (:func:`read_gold`): one document at a time (a ``.jsonl`` is never read whole);
2. **check gold**: levels 1-4 of ``sayso validate``, exactly; invalid gold stops everything;
3. **read predictions**, one document at a time;
4. **check each against its gold** (:func:`~sayso.score._check.check_prediction`): the
   validator's submission checks with spans checked against the gold text;
5. **count** the pair at once (:func:`~sayso.score._counts.document_counts`) and let the
   prediction go;
6. **aggregate** the counts, then **intervals / paired tests** on per-document counts, and a
   :class:`~sayso.score._score.Result` with its signature.

Any input error: :class:`EvaluationError` with located issues (the first ``max_issues``, then a
count of the rest by code); nothing is scored. Gold is kept as the source text of each document
(parsed again when its prediction arrives), so memory stays near the size of the inputs.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..io import Loaded
from ..issues import Issue
from ._aggregate import add_counts
from ._check import check_prediction
from ._counts import LAYER_FIELD, LAYERS, document_counts
from ._score import Comparison, DocumentScore, Result, build_comparison, build_result
from ._signature import Settings
from ._typemap import TypeMap

__all__ = ["Options", "Gold", "GoldDocument", "EvaluationError", "read_gold", "evaluate", "gold_digest"]

_EMPTY: dict[str, Any] = {}
_PREFIX = {layer: layer + "." for layer in LAYERS}


@dataclass(frozen=True, slots=True)
class Options:
    """Everything that changes a number (all of it in the signature), and what to keep.

    ``split``: score the gold documents of this split (from their folder names); predictions for
    the other splits' documents are ignored with a note. ``layers``: the layers to score (default:
    those present in at least one predicted document). ``per_document``: keep one
    :class:`DocumentScore` per gold document (implied by ``bootstrap`` and by a comparison).
    ``keep_documents``: keep the ``(gold, prediction)`` pairs (error listings, the HTML report).
    ``max_issues``: input errors kept with their message; the rest are counted by code.
    """

    split: str | None = None
    mentions: str = "nam"
    type_map: TypeMap | None = None
    layers: tuple[str, ...] | None = None
    bootstrap: int = 0
    seed: int = 12345
    min_dice: float = 0.5
    per_document: bool = False
    keep_documents: bool = False
    max_issues: int = 50


class EvaluationError(Exception):
    """The input cannot be scored: ``issues`` (located), ``more`` (code -> count of the issues
    beyond ``max_issues``) and ``summary`` (one line)."""

    def __init__(self, summary: str, issues: list[Issue] | None = None, more: Counter | None = None):
        super().__init__(summary)
        self.summary = summary
        self.issues = issues or []
        self.more = more or Counter()

    @property
    def count(self) -> int:
        """The number of problems found, shown or not."""
        return len(self.issues) + sum(self.more.values())


class _Issues:
    """Collects issues: the first ``limit`` kept whole, the rest counted by code."""

    def __init__(self, limit: int) -> None:
        self.limit = max(0, limit)
        self.kept: list[Issue] = []
        self.more: Counter = Counter()

    def add(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            if len(self.kept) < self.limit:
                self.kept.append(issue)
            else:
                self.more[issue.code] += 1

    def __bool__(self) -> bool:
        return bool(self.kept or self.more)

    def fail(self, where: str) -> EvaluationError:
        total = len(self.kept) + sum(self.more.values())
        return EvaluationError(f"{total} error(s) in {where}; nothing was scored", self.kept, self.more)


class _Source:
    """A gold file the pipeline reads documents from again, by byte range, through one open file
    (closed when the last document that needs it is gone)."""

    __slots__ = ("path", "_fd", "__weakref__")

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def read(self, offset: int, size: int) -> str:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY)
            weakref.finalize(self, os.close, self._fd)
        return os.pread(self._fd, size, offset).decode("utf-8")


@dataclass(slots=True)
class GoldDocument:
    """One gold document as the pipeline keeps it: where its bytes are (or, when the gold was
    given in memory, the document itself), its split, tags and content digest. Its text is not
    kept: memory stays near the size of the per-document records, not of the gold."""

    id: str
    path: str
    line: int
    doc: dict | None
    split: str | None
    phenomena: tuple[str, ...]
    digest: str
    source: _Source | None = None
    offset: int = 0
    size: int = 0

    def document(self) -> dict:
        """The parsed document (read and parsed again from its file each time)."""
        if self.doc is not None:
            return self.doc
        from ..io import reparse

        return reparse(self.source.read(self.offset, self.size))


@dataclass(slots=True)
class Gold:
    """Gold documents read and checked by :func:`read_gold`, by id (sorted)."""

    documents: dict[str, GoldDocument]
    source: str

    def scored(self, split: str | None) -> list[GoldDocument]:
        """The documents of ``split`` (every document when None), sorted by id. Documents given in
        memory have no folder to name their split: they are all scored, and ``split`` only names
        them in the signature."""
        return [d for d in self.documents.values() if split is None or d.split == split or d.doc is not None]

    def splits(self) -> Counter:
        return Counter(d.split for d in self.documents.values())


def gold_digest(documents: Iterable[Mapping[str, Any] | GoldDocument]) -> str:
    """The short digest naming a set of gold documents: the canonical content of each (keys
    sorted, compact, UTF-8), never file bytes, so line endings, key order and indentation do not
    change it; independent of the order of the documents."""
    parts = sorted(
        (d.id, d.digest) if isinstance(d, GoldDocument) else (d["id"], _content_digest(d)) for d in documents
    )
    lines = "".join(f"{doc_id}\0{part}\n" for doc_id, part in parts)
    return hashlib.sha256(lines.encode()).hexdigest()[:10]


def _content_digest(doc: Mapping[str, Any]) -> str:
    from msgspec.json import encode

    return hashlib.sha256(encode(doc, order="sorted")).hexdigest()


def _phenomena(doc: Mapping[str, Any]) -> tuple[str, ...]:
    meta = doc.get("meta")
    return tuple((meta or {}).get("phenomena") or ()) if meta else ()


def _inputs(source: Any) -> Iterator[Loaded | Issue]:
    """Paths (a file, a folder, or a list of them) or documents in memory, as Loaded values."""
    from ..validate import iter_inputs

    if isinstance(source, str | os.PathLike):
        yield from iter_inputs([source])
    elif (
        isinstance(source, list | tuple) and source and all(isinstance(p, str | os.PathLike) for p in source)
    ):
        yield from iter_inputs(source)
    else:
        for number, doc in enumerate(source, start=1):
            yield Loaded("<memory>", number, doc, [], None)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    # Parsed JSON holds no reference cycles, but the cyclic collector would re-scan everything
    # kept so far (the gold index, per-document counts) each time it runs: on 50,000 documents
    # that doubles the time of an evaluation.
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def read_gold(source: Any, *, max_issues: int = 50) -> Gold:
    """Read and check gold: paths (folders, ``.json``, ``.jsonl``) or documents in memory.

    Every document passes ``sayso validate``'s levels 1-4 or :class:`EvaluationError` is raised
    with the located issues. The split of a document is the nearest folder or file stem named
    after one (``corpus/gold/<split>/<id>.json``); documents given in memory have none.
    """
    with _no_cyclic_gc():
        return _read_gold(source, max_issues)


def _read_gold(source: Any, max_issues: int) -> Gold:
    from ..io import split_of
    from ..validate import CorpusValidator

    validator = CorpusValidator("document")
    issues = _Issues(max_issues)
    current: _Source | None = None  # the file being read
    found: dict[str, GoldDocument] = {}
    for item in _inputs(source):
        if isinstance(item, Issue):
            if item.is_error:  # a skipped-file warning is `sayso validate`'s to report
                issues.add([item])
            continue
        problems = validator.check(item)
        if any(p.is_error for p in problems):
            issues.add(p for p in problems if p.is_error)
            continue
        doc = item.doc
        in_memory = item.offset is None
        if not in_memory and (current is None or current.path != item.path):
            current = _Source(item.path)
        found[doc["id"]] = GoldDocument(
            id=doc["id"],
            path=item.path,
            line=item.line,
            doc=doc if in_memory else None,
            split=None if in_memory else split_of(item.path),
            phenomena=_phenomena(doc),
            digest=_content_digest(doc),
            source=None if in_memory else current,
            offset=item.offset or 0,
            size=item.size or 0,
        )
    for late in validator.finish().values():
        issues.add(late)
    name = str(source) if isinstance(source, str | os.PathLike) else "the gold documents given"
    if issues:
        raise issues.fail(f"the gold ({name})")
    if not found:
        raise EvaluationError(f"no gold documents in {name}")
    return Gold(dict(sorted(found.items())), name)


@dataclass(slots=True)
class _Run:
    """One system's predictions read, checked and counted against the gold."""

    scored: dict[str, GoldDocument]
    gold: Gold
    options: Options
    issues: _Issues
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # per gold id (per_document)
    totals: dict[str, float] = field(default_factory=dict)
    groups: dict[str, tuple[int, dict[str, float]]] = field(default_factory=dict)
    seen: dict[str, tuple[str, int]] = field(default_factory=dict)
    submitted: set[str] = field(default_factory=set)
    pairs: dict[str, tuple[dict, dict]] = field(default_factory=dict)
    read: int = 0
    other_split: Counter = field(default_factory=Counter)

    def feed(self, item: Loaded | Issue) -> None:
        if isinstance(item, Issue):
            if item.is_error:
                self.issues.add([item])
            return
        self.read += 1
        if item.issues:
            self.issues.add(item.issues)
            return
        doc = item.doc
        doc_id = doc.get("id") if type(doc) is dict else None
        entry = self.gold.documents.get(doc_id) if type(doc_id) is str else None
        if entry is not None and doc_id not in self.scored:  # a document of another split
            self.other_split[entry.split] += 1
            return
        gold_doc = entry.document() if entry is not None else None
        pred_types = self.options.type_map.pred if self.options.type_map else None
        problems = check_prediction(
            doc,
            gold_doc["text"] if gold_doc is not None else None,
            path=item.path,
            line=item.line,
            raw=item.raw,
            pred_types=pred_types,
        )
        if problems:
            self.issues.add(problems)
            return
        if doc_id in self.seen:
            where = "{}:{}".format(*self.seen[doc_id])
            message = f"document {doc_id!r} was already predicted in {where}"
            self.issues.add([Issue("score-duplicate-id", "error", item.path, item.line, "$.id", message)])
            return
        self.seen[doc_id] = (item.path, item.line)
        for layer, name in LAYER_FIELD.items():
            if type(doc.get(name)) is list:
                self.submitted.add(layer)
        if not self.issues:  # once the input is known to be bad, only checking goes on
            self._count(entry, gold_doc, doc)

    def _count(self, entry: GoldDocument, gold_doc: dict, pred: dict) -> None:
        opts = self.options
        counts, _ = document_counts(
            gold_doc,
            pred,
            LAYERS,
            all_kinds=opts.mentions == "all",
            gold_types=opts.type_map.gold if opts.type_map else None,
            pred_types=opts.type_map.pred if opts.type_map else None,
            min_dice=opts.min_dice,
        )
        if opts.per_document or opts.bootstrap:
            self.counts[entry.id] = counts
        add_counts(self.totals, counts)
        for tag in entry.phenomena:
            docs, total = self.groups.get(tag) or (0, {})
            self.groups[tag] = (docs + 1, add_counts(total, counts))
        if opts.keep_documents:
            self.pairs[entry.id] = (gold_doc, pred)

    def finish_missing(self) -> list[str]:
        """Count every gold document without a prediction as an empty one; their ids."""
        missing = [doc_id for doc_id in self.scored if doc_id not in self.seen]
        for doc_id in missing:
            entry = self.scored[doc_id]
            self._count(entry, entry.document(), {"id": doc_id})
        return missing


def _gold_of(gold: Any, options: Options) -> Gold:
    return gold if isinstance(gold, Gold) else read_gold(gold, max_issues=options.max_issues)


def _run(gold: Gold, pred: Any, options: Options, progress: Callable[[int], None] | None) -> _Run:
    scored = {d.id: d for d in gold.scored(options.split)}
    if not scored:
        splits = ", ".join(f"{s} {n}" for s, n in sorted(gold.splits().items(), key=lambda x: str(x[0])))
        raise EvaluationError(f"no gold documents of split {options.split} in {gold.source} ({splits})")
    run = _Run(scored, gold, options, _Issues(options.max_issues))
    for item in _inputs(pred):
        run.feed(item)
        if progress is not None and not isinstance(item, Issue):
            progress(run.read)
    if run.issues:
        raise run.issues.fail("the predictions")
    if not run.seen and run.other_split:
        where = ", ".join(
            f"{n} for split {s}" for s, n in sorted(run.other_split.items(), key=lambda x: str(x[0]))
        )
        summary = f"0 of {run.read} predictions are for split {options.split}; {where}"
        raise EvaluationError(
            summary, [Issue("score-split-mismatch", "error", str(pred), None, "$", summary)]
        )
    return run


def _settings(gold: list[GoldDocument], options: Options, test: str | None = None) -> Settings:
    return Settings(
        gold=gold_digest(gold),
        split=options.split,
        docs=len(gold),
        mentions=options.mentions,
        typemap=options.type_map.digest if options.type_map else "none",
        bootstrap=options.bootstrap,
        seed=options.seed,
        test=test,
    )


def _scored_layers(run: _Run, options: Options, layers: Iterable[str] | None = None) -> tuple[str, ...]:
    wanted = set(layers if layers is not None else (options.layers or run.submitted))
    unknown = wanted - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layer(s): {sorted(unknown)}; layers are {', '.join(LAYERS)}")
    return tuple(layer for layer in LAYERS if layer in wanted)


def _result(
    run: _Run, missing: list[str], layers: tuple[str, ...], settings: Settings, progress: Any
) -> Result:
    opts = run.options
    documents = None
    if opts.per_document or opts.bootstrap:
        documents = []
        for entry in run.scored.values():
            counts = run.counts[entry.id]
            if len(layers) < len(LAYERS):  # leave out the counts of layers not scored
                prefixes = tuple(_PREFIX[layer] for layer in layers)
                counts = {k: v for k, v in counts.items() if k.startswith(prefixes)}
            here = tuple(layer for layer in layers if _annotated(entry, layer, counts))
            documents.append(DocumentScore(entry.id, counts, here, entry.phenomena, entry.id in missing))
    result = build_result(
        settings,
        layers,
        documents,
        run.totals,
        len(run.scored),
        run.groups,
        missing,
        bootstrap=opts.bootstrap,
        seed=opts.seed,
        progress=progress,
    )
    result.notes = _notes(run, layers, run.submitted, "every submitted document")
    if opts.keep_documents:
        result.pairs = [run.pairs[doc_id] for doc_id in run.scored]
    return result


def _annotated(entry: GoldDocument, layer: str, counts: Mapping[str, int]) -> bool:
    # A layer null in a gold document gives no counts at all; an annotated one always gives its
    # ``<layer>.gold`` count (zero counts are kept for the .gold keys).
    return f"{layer}.gold" in counts


def _notes(run: _Run, layers: tuple[str, ...], submitted: set[str], absent: str) -> list[str]:
    """What the evaluation left out: other splits' predictions, layers nobody submitted."""
    notes = []
    if run.other_split:
        where = ", ".join(f"{s} {n}" for s, n in sorted(run.other_split.items(), key=lambda x: str(x[0])))
        total = sum(run.other_split.values())
        notes.append(f"{total} prediction(s) for gold documents of other splits ignored ({where})")
    for layer in LAYERS:
        if layer not in layers and layer not in submitted:
            notes.append(f"layer {layer} is absent from {absent}: not scored")
    return notes


def evaluate(
    gold: Any,
    pred: Any,
    options: Options | None = None,
    *,
    compare: Any = None,
    trials: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> Result | Comparison:
    """Score a system, or compare two: the whole pipeline (see the module docstring).

    ``gold``: a :class:`Gold` from :func:`read_gold`, paths or documents. ``pred`` (and
    ``compare``): paths or documents. Returns a :class:`Result`, or with ``compare`` a
    :class:`Comparison` of the two systems on the layers both submitted (paired bootstrap and
    approximate randomisation with ``trials`` resamples). Raises :class:`EvaluationError` on any
    input error; nothing is scored then.
    """
    options = options or Options()
    if options.mentions not in ("nam", "all"):
        raise ValueError("mentions must be 'nam' or 'all'")
    with _no_cyclic_gc():
        return _evaluate(gold, pred, options, compare, trials, progress)


def _evaluate(
    gold: Any, pred: Any, options: Options, compare: Any, trials: int, progress: Callable[[int], None] | None
) -> Result | Comparison:
    checked = _gold_of(gold, options)
    if compare is None:
        run = _run(checked, pred, options, progress)
        missing = run.finish_missing()
        layers = _scored_layers(run, options)
        return _result(run, missing, layers, _settings(list(run.scored.values()), options), progress)
    paired = Options(**{**_fields(options), "per_document": True})
    run_a = _run(checked, pred, paired, progress)
    run_b = _run(checked, compare, paired, progress)
    missing_a, missing_b = run_a.finish_missing(), run_b.finish_missing()
    both = set(_scored_layers(run_a, options)) & set(_scored_layers(run_b, options))
    layers = tuple(layer for layer in LAYERS if layer in both)
    settings = _settings(list(run_a.scored.values()), options)
    a = _result(run_a, missing_a, layers, settings, None)
    b = _result(run_b, missing_b, layers, settings, None)
    # A layer submitted by one system only is named in ``untested``.
    either = run_a.submitted | run_b.submitted
    a.notes = _notes(run_a, layers, either, "both systems' documents")
    b.notes = _notes(run_b, layers, either, "both systems' documents")
    only = {
        layer: ("A" if layer in run_a.submitted else "B")
        for layer in LAYERS
        if (layer in run_a.submitted) != (layer in run_b.submitted) and options.layers is None
    }
    return build_comparison(
        a,
        b,
        layers,
        trials,
        options.seed,
        _settings(list(run_a.scored.values()), options, f"paired-bs+ar:{trials}"),
        only,
    )


def _fields(options: Options) -> dict[str, Any]:
    return {name: getattr(options, name) for name in Options.__slots__}
