"""Document-level bootstrap intervals and paired significance tests.

Both resample *per-document counts* (the statistics), never the matcher: a resample is a
vector of document weights, its summed counts are ``weights @ counts`` (one matrix product
per chunk of resamples), and the headline figures are recomputed from those sums with the
same code as the point estimate (``_aggregate.headline``). Memory is bounded by the chunk
size, not by the number of resamples. numpy is imported only here, only when used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ._aggregate import HEADLINE, headline

__all__ = ["bootstrap_intervals", "paired_tests", "count_matrix"]

# About 16 MB of float64 weights per chunk, whatever the number of documents (chunks that stay
# in the processor's caches are faster than larger ones; the draws do not depend on the size).
_CHUNK_CELLS = 2_000_000


def _numpy() -> Any:
    try:
        import numpy
    except ImportError as exc:  # pragma: no cover - numpy is in the dev and stats extras
        raise RuntimeError("bootstrap and significance tests need numpy: pip install 'sayso[stats]'") from exc
    return numpy


def count_matrix(
    per_doc: Sequence[Mapping[str, float]], keys: Sequence[str] | None = None
) -> tuple[Any, list]:
    """A ``documents x keys`` float64 matrix of counts, and its column keys (sorted)."""
    np = _numpy()
    if keys is None:
        keys = sorted({k for counts in per_doc for k in counts})
    column = {k: c for c, k in enumerate(keys)}.__getitem__
    matrix = np.zeros((len(per_doc), len(keys)), dtype=np.float64)
    # Every count's column and value gathered by C-level calls per document, then placed with
    # one vectorised assignment (a numpy assignment per count would cost ten times as much).
    lengths, columns, values = [], [], []
    for counts in per_doc:
        lengths.append(len(counts))
        columns.extend(map(column, counts))
        values.extend(counts.values())
    if values:
        rows = np.repeat(np.arange(len(per_doc)), lengths)
        matrix[rows, np.asarray(columns, dtype=np.intp)] = values
    return matrix, list(keys)


def _chunks(total: int, n_docs: int) -> Iterator[int]:
    size = max(1, min(total, _CHUNK_CELLS // max(1, n_docs)))
    done = 0
    while done < total:
        step = min(size, total - done)
        yield step
        done += step


def _resample_weights(np: Any, rng: Any, rows: int, n_docs: int) -> Any:
    # rows x n_docs matrix: how often each document is drawn in each resample. A bincount per
    # row written straight into the float matrix is twice as fast as one bincount of offset
    # draws followed by a conversion, with the same draws and the same weights.
    draws = rng.integers(0, n_docs, size=(rows, n_docs))
    weights = np.empty((rows, n_docs), dtype=np.float64)
    for row in range(rows):
        weights[row] = np.bincount(draws[row], minlength=n_docs)
    return weights


def _figures(sums: Any, keys: list, layers: Sequence[str]) -> list[dict[str, float | None]]:
    out = []
    for row in sums.tolist():
        out.append(headline(dict(zip(keys, row, strict=True)), layers))
    return out


def bootstrap_intervals(
    per_doc: Sequence[Mapping[str, float]],
    layers: Sequence[str],
    resamples: int = 1000,
    seed: int = 12345,
    confidence: float = 0.95,
    progress: Callable[[int], None] | None = None,
) -> dict[str, list[float] | None]:
    """Percentile bootstrap intervals of every headline figure over documents.

    Each resample draws ``len(per_doc)`` documents with replacement (numpy's PCG64 seeded with
    ``seed``). A figure undefined in some resamples is summarised over the resamples where it
    is defined; None when it never is.
    """
    np = _numpy()
    matrix, keys = count_matrix(per_doc)
    rng = np.random.default_rng(seed)
    values: dict[str, list[float]] = {name: [] for name in HEADLINE}
    for rows in _chunks(resamples, len(per_doc)):
        sums = _resample_weights(np, rng, rows, len(per_doc)) @ matrix
        for figures in _figures(sums, keys, layers):
            for name, value in figures.items():
                if value is not None:
                    values[name].append(value)
        if progress:
            progress(rows)
    alpha = (1 - confidence) / 2
    out: dict[str, list[float] | None] = {}
    for name in HEADLINE:
        v = values[name]
        if v:
            lo, hi = np.quantile(np.asarray(v), [alpha, 1 - alpha])
            out[name] = [float(lo), float(hi)]
        else:
            out[name] = None
    return out


def paired_tests(
    per_doc_a: Sequence[Mapping[str, float]],
    per_doc_b: Sequence[Mapping[str, float]],
    layers: Sequence[str],
    trials: int = 1000,
    seed: int = 12345,
) -> dict[str, dict[str, float | None]]:
    """Paired bootstrap and approximate randomisation p-values for every headline figure.

    ``per_doc_a[i]`` and ``per_doc_b[i]`` are the counts of two systems on the same gold
    document. For the difference ``d = A - B``:

    - paired bootstrap (Koehn 2004), two-sided: documents resampled jointly;
      ``p = min(1, 2 (1 + min(#{d* <= 0}, #{d* >= 0})) / (N + 1))`` over the ``N`` resamples where
      the figure is defined for both systems. A resample where the two tie counts on both sides,
      so two systems that differ on no resample get ``p = 1``;
    - approximate randomisation: each document's pair of counts swapped with probability 1/2;
      ``p = (1 + #{|d_r| >= |d|}) / (trials + 1)``.
    """
    np = _numpy()
    if len(per_doc_a) != len(per_doc_b):
        raise ValueError("paired tests need the counts of both systems on the same documents")
    keys = sorted({k for c in per_doc_a for k in c} | {k for c in per_doc_b for k in c})
    ma, _ = count_matrix(per_doc_a, keys)
    mb, _ = count_matrix(per_doc_b, keys)
    n = len(per_doc_a)
    sa = headline(dict(zip(keys, ma.sum(0).tolist(), strict=True)), layers)
    sb = headline(dict(zip(keys, mb.sum(0).tolist(), strict=True)), layers)
    observed = {k: (sa[k] - sb[k]) if sa[k] is not None and sb[k] is not None else None for k in HEADLINE}
    rng = np.random.default_rng(seed)
    boot: dict[str, list[float]] = {k: [] for k in HEADLINE}
    rand: dict[str, list[float]] = {k: [] for k in HEADLINE}
    diff = mb - ma
    total_a, total_b = ma.sum(0), mb.sum(0)
    for rows in _chunks(trials, n):
        weights = _resample_weights(np, rng, rows, n)
        for fa, fb in zip(
            _figures(weights @ ma, keys, layers), _figures(weights @ mb, keys, layers), strict=True
        ):
            for k in HEADLINE:
                if fa[k] is not None and fb[k] is not None:
                    boot[k].append(fa[k] - fb[k])
        swaps = rng.integers(0, 2, size=(rows, n)).astype(np.float64)
        moved = swaps @ diff
        for fa, fb in zip(
            _figures(total_a + moved, keys, layers), _figures(total_b - moved, keys, layers), strict=True
        ):
            for k in HEADLINE:
                if fa[k] is not None and fb[k] is not None:
                    rand[k].append(fa[k] - fb[k])
    out: dict[str, dict[str, float | None]] = {}
    for k in HEADLINE:
        d = observed[k]
        if d is None:
            out[k] = {"a": sa[k], "b": sb[k], "delta": None, "p_bootstrap": None, "p_randomization": None}
            continue
        b = np.asarray(boot[k])
        r = np.asarray(rand[k])
        eps = 1e-12  # float noise must not turn a tie into a difference
        p_boot = None
        if len(b):
            worse = min(
                int(np.sum(b <= eps)), int(np.sum(b >= -eps))
            )  # ties within float noise count both ways
            p_boot = min(1.0, 2 * (1 + worse) / (len(b) + 1))
        p_rand = (1 + int(np.sum(np.abs(r) >= abs(d) - eps))) / (len(r) + 1) if len(r) else None
        out[k] = {"a": sa[k], "b": sb[k], "delta": d, "p_bootstrap": p_boot, "p_randomization": p_rand}
    return out
