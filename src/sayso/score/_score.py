"""Scoring a set of predicted documents against gold: the :class:`Result` and its JSON form."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ._aggregate import HEADLINE, add_counts, headline, layer_scores
from ._counts import LAYER_FIELD, LAYERS, document_counts, mention_counts, mention_spans
from ._signature import Settings, signature
from ._stats import bootstrap_intervals, paired_tests
from ._typemap import TypeMap

__all__ = [
    "DocumentScore",
    "Result",
    "Comparison",
    "score_documents",
    "score_mention_counts",
    "score_summary",
    "compare_documents",
    "gold_digest",
    "submitted_layers",
    "JSON_FORMAT",
]

_MENTIONS_ONLY = ("mentions",)
JSON_FORMAT = 1  # bump when a key of Result.to_json changes meaning or disappears


@dataclass(slots=True)
class DocumentScore:
    """The counts of one gold document (``missing``: no prediction was submitted for it)."""

    id: str
    counts: dict[str, int]
    layers: tuple[str, ...]
    phenomena: tuple[str, ...] = ()
    missing: bool = False

    def to_json(self) -> dict[str, Any]:
        """One line of ``--per-doc``: id, layers scored, headline figures and raw counts."""
        return {
            "id": self.id,
            "missing": self.missing,
            "layers": list(self.layers),
            "headline": headline(self.counts, self.layers),
            "counts": {k: v for k, v in sorted(self.counts.items()) if v},  # absent = 0
        }


@dataclass(slots=True)
class Result:
    """Everything ``sayso score`` prints. ``scores[layer]`` is None for a layer not scored.

    ``documents`` holds one :class:`DocumentScore` per gold document, except from
    :func:`score_summary`, which has only the sums (the command's fast path when neither
    per-document counts nor intervals are asked for); ``n_gold`` is the number either way.
    """

    settings: Settings
    signature: str
    layers: dict[str, bool]
    documents: list[DocumentScore]
    n_gold: int
    totals: dict[str, float]
    scores: dict[str, Any]
    headline: dict[str, float | None]
    phenomena: dict[str, dict[str, Any]]
    intervals: dict[str, list[float] | None] | None = None
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with the stable keys documented in ``eval/METRICS.md``."""
        return _plain(
            {
                "format": JSON_FORMAT,
                "signature": self.signature,
                "settings": {
                    "split": self.settings.split,
                    "mentions": self.settings.mentions,
                    "typemap": self.settings.typemap,
                    "bootstrap": self.settings.bootstrap,
                    "seed": self.settings.seed,
                },
                "documents": {"gold": self.n_gold, "missing": len(self.missing)},
                "layers": {name: scored for name, scored in self.layers.items()},
                "headline": self.headline,
                "intervals": self.intervals,
                "scores": self.scores,
                "phenomena": self.phenomena,
            }
        )


def _plain(value: Any) -> Any:
    """JSON-ready copy: numbers as int or float (never numpy), whole floats of counts as int."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    return float(value)


def gold_digest(docs: Iterable[Mapping[str, Any]]) -> str:
    """A short digest naming a set of gold documents (order-independent)."""
    parts = sorted(
        (
            d["id"],
            hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest(),
        )
        for d in docs
    )
    return _digest(parts)


def _digest(parts: list[tuple[str, str]]) -> str:
    return _digest_lines("".join([f"{doc_id}\0{part}\n" for doc_id, part in parts]))


def _digest_lines(lines: str) -> str:
    """The digest of sorted ``(id, document digest)`` parts written as ``id\\0digest\\n`` lines."""
    return hashlib.sha256(lines.encode()).hexdigest()[:10]


def submitted_layers(pred_docs: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The layers present (a list, possibly empty) in at least one submitted document."""
    docs = pred_docs if isinstance(pred_docs, list | tuple) else list(pred_docs)
    present = set().union(*docs) if docs else set()  # every field of any document, in C
    found = {
        layer
        for layer, name in LAYER_FIELD.items()
        if name in present and any(isinstance(doc.get(name), list) for doc in docs)
    }
    return tuple(layer for layer in LAYERS if layer in found)


def phenomenon_tags(gold: Mapping[str, Any]) -> tuple[str, ...]:
    """The phenomenon tags of a gold document (``meta.phenomena``; none when absent or null)."""
    meta = gold.get("meta")
    return tuple((meta or {}).get("phenomena") or ()) if meta else ()


def _phenomena(documents: list[DocumentScore], layers: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    groups: dict[str, tuple[int, dict[str, float]]] = {}
    for d in documents:
        for tag in d.phenomena:
            docs, total = groups.get(tag) or (0, {})
            groups[tag] = (docs + 1, add_counts(total, d.counts))
    return _phenomena_scores(groups, layers)


def _phenomena_scores(
    groups: Mapping[str, tuple[int, dict[str, float]]], layers: tuple[str, ...]
) -> dict[str, dict[str, Any]]:
    """Per phenomenon tag, from ``(documents, summed counts)``: documents and headline figures."""
    return {
        tag: {"docs": groups[tag][0], "headline": headline(groups[tag][1], layers)} for tag in sorted(groups)
    }


def score_documents(
    gold_docs: Iterable[Mapping[str, Any]],
    pred_docs: Iterable[Mapping[str, Any]],
    *,
    mentions: str = "nam",
    type_map: TypeMap | None = None,
    layers: Iterable[str] | None = None,
    bootstrap: int = 0,
    seed: int = 12345,
    split: str | None = None,
    digest: str | None = None,
    min_dice: float = 0.5,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Score predicted documents against gold documents (both schema v1 dicts, already checked).

    Predictions are matched to gold by ``id``; a gold document without one is scored as an
    empty prediction and listed in ``Result.missing``. ``layers`` defaults to the layers present
    in at least one prediction (:func:`submitted_layers`); the others are not scored (None).
    ``bootstrap`` > 0 adds 95% intervals of the headline figures. Raises ``ValueError`` on a
    predicted id that is not a gold id or that appears twice (check inputs first with
    :func:`check_prediction`).
    """
    _check_mentions(mentions)
    gold_list = list(gold_docs)
    gold_ids = {d["id"] for d in gold_list}
    preds: dict[str, Mapping[str, Any]] = {}
    for doc in pred_docs:
        if doc["id"] not in gold_ids:
            raise ValueError(f"predicted document {doc['id']!r} is not a gold document")
        if doc["id"] in preds:
            raise ValueError(f"predicted document {doc['id']!r} is given twice")
        preds[doc["id"]] = doc
    scored = tuple(layers) if layers is not None else submitted_layers(preds.values())
    unknown = set(scored) - set(LAYERS)
    if unknown:
        raise ValueError(f"unknown layer(s): {sorted(unknown)}; layers are {', '.join(LAYERS)}")
    scored = tuple(layer for layer in LAYERS if layer in scored)
    empty: dict[str, Any] = {}
    documents = []
    totals: dict[str, float] = {}
    all_kinds = mentions == "all"
    gold_types = type_map.gold if type_map else None
    pred_types = type_map.pred if type_map else None
    mentions_only = scored == _MENTIONS_ONLY and gold_types is None and pred_types is None
    for gold in sorted(gold_list, key=itemgetter("id")):
        pred = preds.get(gold["id"])
        if mentions_only:  # the usual evaluation, without document_counts' general loop
            counts: dict[str, int] = {}
            here: tuple[str, ...] = ()
            if gold.get("mentions") is not None:
                here = _MENTIONS_ONLY
                predicted = mention_spans(empty if pred is None else pred, all_kinds)
                mention_counts(mention_spans(gold, all_kinds), predicted, counts)
        else:
            counts, here = document_counts(
                gold,
                empty if pred is None else pred,
                scored,
                all_kinds=all_kinds,
                gold_types=gold_types,
                pred_types=pred_types,
                min_dice=min_dice,
            )
        documents.append(DocumentScore(gold["id"], counts, here, phenomenon_tags(gold), pred is None))
        add_counts(totals, counts)
    settings = Settings(
        gold=digest or gold_digest(gold_list),
        split=split,
        docs=len(gold_list),
        mentions=mentions,
        typemap=type_map.digest if type_map else "none",
        bootstrap=bootstrap,
        seed=seed,
    )
    return _result(settings, scored, documents, totals, bootstrap, seed, progress)


def score_mention_counts(
    gold_docs: Iterable[Mapping[str, Any]],
    counted: Mapping[str, dict[str, int]],
    *,
    mentions: str = "nam",
    bootstrap: int = 0,
    seed: int = 12345,
    split: str | None = None,
    digest: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """The :class:`Result` of :func:`score_documents` for the mentions layer alone, without a
    type map, from the counts of the predicted documents already computed (``counted``: id ->
    counts of :func:`mention_counts`, e.g. by worker processes; issue 4). Gold documents absent
    from ``counted`` are scored as empty predictions; every id of ``counted`` must be a gold id.
    """
    _check_mentions(mentions)
    gold_list = list(gold_docs)
    all_kinds = mentions == "all"
    documents = []
    totals: dict[str, float] = {}
    for gold in sorted(gold_list, key=itemgetter("id")):
        got = counted.get(gold["id"])
        counts: dict[str, int] = {}
        here: tuple[str, ...] = ()
        if gold.get("mentions") is not None:
            here = _MENTIONS_ONLY
            if got is None:
                mention_counts(mention_spans(gold, all_kinds), [], counts)
            else:
                counts = got
        documents.append(DocumentScore(gold["id"], counts, here, phenomenon_tags(gold), got is None))
        add_counts(totals, counts)
    settings = _mentions_settings(
        digest or gold_digest(gold_list), split, len(gold_list), mentions, bootstrap, seed
    )
    return _result(settings, _MENTIONS_ONLY, documents, totals, bootstrap, seed, progress)


def score_counted(
    records: Iterable[tuple[str, dict[str, int], bool, tuple[str, ...], bool]],
    *,
    mentions: str = "nam",
    bootstrap: int = 0,
    seed: int = 12345,
    split: str | None = None,
    digest: str,
    progress: Callable[[int], None] | None = None,
    totals: dict[str, int] | None = None,
) -> Result:
    """The :class:`Result` of :func:`score_documents` for the mentions layer alone, without a
    type map, from one record per gold document computed elsewhere (e.g. by worker processes;
    issue 4): ``(id, counts, whether its mentions are annotated, phenomena, missing)``.
    ``totals``: the sum of the records' counts, when the caller has summed them already."""
    _check_mentions(mentions)
    documents = [
        DocumentScore(doc_id, counts, _MENTIONS_ONLY if annotated else (), phenomena, missing)
        for doc_id, counts, annotated, phenomena, missing in sorted(records, key=itemgetter(0))
    ]
    if totals is None:
        totals = {}
        for document in documents:
            add_counts(totals, document.counts)
    settings = _mentions_settings(digest, split, len(documents), mentions, bootstrap, seed)
    return _result(settings, _MENTIONS_ONLY, documents, totals, bootstrap, seed, progress)


def score_summary(
    totals: dict[str, int],
    phenomena: Mapping[str, tuple[int, dict[str, int]]],
    missing: Iterable[str],
    n_gold: int,
    *,
    mentions: str = "nam",
    seed: int = 12345,
    split: str | None = None,
    digest: str,
) -> Result:
    """The :class:`Result` of :func:`score_counted` (no intervals) from sums alone: the counts of
    every gold document added up, per phenomenon tag ``(documents, summed counts)`` (a document
    counted once per tag it lists), the ids of the documents without a prediction and the
    number of gold documents. Its ``documents`` list is empty (issue 4: computed by worker
    processes, which then send sums rather than one record per document)."""
    _check_mentions(mentions)
    settings = _mentions_settings(digest, split, n_gold, mentions, 0, seed)
    return _result(settings, _MENTIONS_ONLY, [], totals, 0, seed, None, (n_gold, phenomena, sorted(missing)))


def _check_mentions(mentions: str) -> None:
    if mentions not in ("nam", "all"):
        raise ValueError("mentions must be 'nam' or 'all'")


def _mentions_settings(
    digest: str, split: str | None, docs: int, mentions: str, bootstrap: int, seed: int
) -> Settings:
    """The settings of a mentions-only score without a type map."""
    return Settings(
        gold=digest, split=split, docs=docs, mentions=mentions, typemap="none", bootstrap=bootstrap, seed=seed
    )


def _result(
    settings: Settings,
    scored: tuple[str, ...],
    documents: list[DocumentScore],
    totals: dict[str, float],
    bootstrap: int,
    seed: int,
    progress: Callable[[int], None] | None,
    sums: tuple[int, Mapping[str, tuple[int, dict[str, int]]], list[str]] | None = None,
) -> Result:
    """The result of ``documents``, or, with ``sums`` (number of gold documents, per-tag
    ``(documents, summed counts)``, missing ids), of sums alone (``documents`` is then empty)."""
    intervals = None
    if bootstrap > 0 and documents:
        intervals = bootstrap_intervals(
            [d.counts for d in documents], scored, bootstrap, seed, progress=progress
        )
    return Result(
        settings=settings,
        signature=signature(settings),
        layers={layer: layer in scored for layer in LAYERS},
        documents=documents,
        n_gold=sums[0] if sums else len(documents),
        totals=totals,
        scores=layer_scores(totals, scored),
        headline=headline(totals, scored),
        phenomena=_phenomena_scores(sums[1], scored) if sums else _phenomena(documents, scored),
        intervals=intervals,
        missing=sums[2] if sums else [d.id for d in documents if d.missing],
    )


@dataclass(slots=True)
class Comparison:
    """Two systems scored on the same gold, and the paired tests of their headline figures."""

    a: Result
    b: Result
    tests: dict[str, dict[str, float | None]]
    trials: int
    signature: str

    def to_json(self) -> dict[str, Any]:
        return _plain(
            {
                "format": JSON_FORMAT,
                "signature": self.signature,
                "trials": self.trials,
                "a": self.a.to_json(),
                "b": self.b.to_json(),
                "tests": {k: self.tests[k] for k in HEADLINE},
            }
        )


def compare_documents(
    gold_docs: Iterable[Mapping[str, Any]],
    pred_a: Iterable[Mapping[str, Any]],
    pred_b: Iterable[Mapping[str, Any]],
    *,
    trials: int = 1000,
    seed: int = 12345,
    **options: Any,
) -> Comparison:
    """Score two systems on the same gold and test every headline difference (paired bootstrap
    and approximate randomisation over documents). Layers scored: those either system submits."""
    gold_list = list(gold_docs)
    a_list, b_list = list(pred_a), list(pred_b)
    if options.get("layers") is None:
        options["layers"] = tuple(sorted(set(submitted_layers(a_list)) | set(submitted_layers(b_list))))
    a = score_documents(gold_list, a_list, seed=seed, **options)
    b = score_documents(gold_list, b_list, seed=seed, **options)
    layers = tuple(name for name, on in a.layers.items() if on)
    tests = paired_tests(
        [d.counts for d in a.documents], [d.counts for d in b.documents], layers, trials, seed
    )
    settings = Settings(
        gold=a.settings.gold,
        split=a.settings.split,
        docs=a.settings.docs,
        mentions=a.settings.mentions,
        typemap=a.settings.typemap,
        bootstrap=a.settings.bootstrap,
        seed=seed,
        test=f"paired-bs+ar:{trials}",
    )
    return Comparison(a=a, b=b, tests=tests, trials=trials, signature=signature(settings))
