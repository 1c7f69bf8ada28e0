"""What an evaluation returns: :class:`Result`, :class:`Comparison` and their JSON forms, and how
they are assembled from summed and per-document counts (by :mod:`sayso.score.evaluate`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._aggregate import HEADLINE, headline, layer_scores
from ._counts import LAYERS
from ._signature import Settings, signature
from ._stats import bootstrap_intervals, paired_tests

__all__ = ["DocumentScore", "Result", "Comparison", "build_result", "build_comparison", "JSON_FORMAT"]

JSON_FORMAT = 2  # bump when a key of Result.to_json changes meaning or disappears


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

    ``documents`` holds one :class:`DocumentScore` per gold document when per-document counts
    were kept (``Options.per_document``, bootstrap, comparisons), else it is empty; ``n_gold`` is
    the number of gold documents scored either way. ``notes``: what the evaluation left out, in
    words (other splits' predictions, layers not scored). ``pairs``: the ``(gold, prediction)``
    documents, when ``Options.keep_documents`` asked for them.
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
    notes: list[str] = field(default_factory=list)
    pairs: list[tuple[dict, dict]] = field(default_factory=list)

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


def _phenomena_scores(
    groups: Mapping[str, tuple[int, dict[str, float]]], layers: tuple[str, ...]
) -> dict[str, dict[str, Any]]:
    """Per phenomenon tag, from ``(documents, summed counts)``: documents and headline figures."""
    return {
        tag: {"docs": groups[tag][0], "headline": headline(groups[tag][1], layers)} for tag in sorted(groups)
    }


def build_result(
    settings: Settings,
    layers: tuple[str, ...],
    documents: list[DocumentScore] | None,
    totals: dict[str, float],
    n_gold: int,
    groups: Mapping[str, tuple[int, dict[str, float]]],
    missing: list[str],
    *,
    bootstrap: int = 0,
    seed: int = 12345,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """The :class:`Result` of summed counts (``totals``; per phenomenon tag, ``groups``: documents
    and summed counts) and, when kept, per-document counts (needed for ``bootstrap`` > 0)."""
    intervals = None
    if bootstrap > 0:
        if documents is None:
            raise ValueError("bootstrap intervals need the per-document counts")
        intervals = bootstrap_intervals(
            [d.counts for d in documents], layers, bootstrap, seed, progress=progress
        )
    return Result(
        settings=settings,
        signature=signature(settings),
        layers={layer: layer in layers for layer in LAYERS},
        documents=documents or [],
        n_gold=n_gold,
        totals=totals,
        scores=layer_scores(totals, layers),
        headline=headline(totals, layers),
        phenomena=_phenomena_scores(groups, layers),
        intervals=intervals,
        missing=sorted(missing),
    )


@dataclass(slots=True)
class Comparison:
    """Two systems scored on the same gold, and the paired tests of their headline figures.

    Only the layers both systems submitted are scored and tested; ``untested`` names each layer
    that one system submitted and the other did not, with the system (``"A"`` or ``"B"``)."""

    a: Result
    b: Result
    tests: dict[str, dict[str, float | None]]
    trials: int
    signature: str
    untested: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return _plain(
            {
                "format": JSON_FORMAT,
                "signature": self.signature,
                "trials": self.trials,
                "a": self.a.to_json(),
                "b": self.b.to_json(),
                "tests": {k: self.tests[k] for k in HEADLINE},
                "untested": self.untested,
            }
        )


def build_comparison(
    a: Result,
    b: Result,
    layers: tuple[str, ...],
    trials: int,
    seed: int,
    settings: Settings,
    untested: dict[str, str],
) -> Comparison:
    """Paired tests of every headline figure of two results on the same gold documents."""
    if [d.id for d in a.documents] != [d.id for d in b.documents]:
        raise ValueError("a comparison needs both systems' counts on the same documents")
    tests = paired_tests(
        [d.counts for d in a.documents], [d.counts for d in b.documents], layers, trials, seed
    )
    return Comparison(a=a, b=b, tests=tests, trials=trials, signature=signature(settings), untested=untested)
