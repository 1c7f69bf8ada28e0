"""The SaySo scorer: every layer, with intervals, paired tests and signatures (issue 4).

Metrics are defined in ``eval/METRICS.md``. The design follows sacreBLEU: a pure function turns
one (gold, prediction) pair of documents into counts that add up; scores, bootstrap intervals
and significance tests are computed from summed per-document counts.

Public API (stable; other commands and helpers build on it)::

    from sayso.score import score_documents, compare_documents, check_prediction

    result = score_documents(gold_docs, pred_docs, mentions="nam", bootstrap=1000, seed=12345)
    result.headline["mentions.strict.f1"]      # float, or None when not scored
    result.intervals["mentions.strict.f1"]     # [low, high] (95%), when bootstrap > 0
    result.scores["attributions"]["fields"]["source_type"]["macro_f1"]
    result.signature                           # 'sayso|schema:1.0|gold:...|version:0.1.0'
    result.to_json()                           # the --json dict (plain ints/floats/None)
    [d.to_json() for d in result.documents]    # the --per-doc lines

    cmp = compare_documents(gold_docs, system_a, system_b, trials=1000, seed=12345)
    cmp.tests["mentions.strict.f1"]            # {"a", "b", "delta", "p_bootstrap", "p_randomization"}

- ``gold_docs``/``pred_docs``: schema v1 dicts; predictions are matched to gold by ``id``.
  Check submissions first: ``check_prediction(doc, gold_doc, path=..., line=...) -> list[Issue]``.
- Options: ``mentions`` ("nam" or "all"), ``type_map`` (:class:`TypeMap`, from
  :func:`load_type_map`), ``layers`` (default: the layers present in the predictions),
  ``bootstrap``, ``seed``, ``split`` and ``digest`` (signature fields), ``min_dice``.
- Matching, for agreement between annotators (treat one annotator as gold):
  :func:`match_mentions` (``(start, end, type)`` triples; the four schemes' categories),
  :func:`match_attributions` and :func:`match_stances` (two documents; index pairs),
  :func:`document_counts` (one document's counts), :func:`layer_scores` / :func:`headline`
  (scores from summed counts), :func:`bootstrap_intervals`, :func:`paired_tests`.
- :data:`HEADLINE` lists the headline figures in leaderboard order; :func:`markdown_row`
  renders one leaderboard row.

Importing this package does not import numpy or scikit-learn; numpy is imported only for
bootstrap intervals and paired tests.
"""

from ._aggregate import HEADLINE, add_counts, headline, layer_scores, macro_f1, prf
from ._check import CHECK_CODES, check_prediction
from ._counts import LAYERS, document_counts, mention_spans
from ._match import (
    SCHEMES,
    MentionMatch,
    SchemeMatch,
    StanceMatch,
    match_attributions,
    match_mentions,
    match_stances,
    maximum_matching,
)
from ._render import markdown_header, markdown_row, render_comparison, render_result
from ._score import (
    JSON_FORMAT,
    Comparison,
    DocumentScore,
    Result,
    compare_documents,
    gold_digest,
    score_documents,
    submitted_layers,
)
from ._signature import SIGNATURE_FIELDS, Settings, signature
from ._stats import bootstrap_intervals, paired_tests
from ._typemap import TypeMap, TypeMapError, load_type_map, parse_type_map

__all__ = [
    "CHECK_CODES",
    "Comparison",
    "DocumentScore",
    "HEADLINE",
    "JSON_FORMAT",
    "LAYERS",
    "MentionMatch",
    "Result",
    "SCHEMES",
    "SIGNATURE_FIELDS",
    "SchemeMatch",
    "Settings",
    "StanceMatch",
    "TypeMap",
    "TypeMapError",
    "add_counts",
    "bootstrap_intervals",
    "check_prediction",
    "compare_documents",
    "document_counts",
    "gold_digest",
    "headline",
    "layer_scores",
    "load_type_map",
    "macro_f1",
    "markdown_header",
    "markdown_row",
    "match_attributions",
    "match_mentions",
    "match_stances",
    "maximum_matching",
    "mention_spans",
    "paired_tests",
    "parse_type_map",
    "prf",
    "render_comparison",
    "render_result",
    "score_documents",
    "signature",
    "submitted_layers",
]
