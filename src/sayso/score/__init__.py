"""The SaySo scorer: every layer, with intervals, paired tests and signatures.

Metrics are defined in ``eval/METRICS.md``. The design follows sacreBLEU: a pure function turns
one (gold, prediction) pair of documents into counts that add up; scores, bootstrap intervals
and significance tests are computed from summed per-document counts. One entry point,
:func:`evaluate` (:mod:`sayso.score.evaluate`), runs the whole pipeline; ``sayso score``,
``sayso report`` and ``sayso leaderboard`` all call it::

    from sayso.score import Options, evaluate, read_gold

    result = evaluate("corpus/gold", "rules-test.jsonl", Options(split="test", bootstrap=1000))
    result.headline["mentions.strict.f1"]      # float, or None when not scored
    result.intervals["mentions.strict.f1"]     # [low, high] (95%), when bootstrap > 0
    result.scores["attributions"]["fields"]["source_type"]["macro_f1"]
    result.signature                           # 'sayso|schema:1.0|gold:...|version:0.1.0'
    result.to_json()                           # the --json dict (plain ints/floats/None)

    gold = read_gold("corpus/gold")            # read and checked once, reused
    cmp = evaluate(gold, "A.jsonl", Options(split="test"), compare="B.jsonl", trials=1000)
    cmp.tests["mentions.strict.f1"]            # {"a", "b", "delta", "p_bootstrap", "p_randomization"}

Gold and predictions are paths (folders, ``.json``, ``.jsonl``) or documents in memory; both are
checked (gold: ``sayso validate`` levels 1-4; predictions: the submission checks against their
gold) and any problem raises :class:`EvaluationError` with located issues.

For agreement between annotators and for tests, the building blocks are public too:
:func:`match_mentions`, :func:`match_attributions`, :func:`match_stances` (index pairs),
:func:`document_counts` (one document's counts), :func:`layer_scores` / :func:`headline`
(scores from summed counts), :func:`bootstrap_intervals`, :func:`paired_tests`.
:data:`HEADLINE` lists the headline figures in leaderboard order; :func:`markdown_row` renders one
leaderboard row.

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
from ._score import JSON_FORMAT, Comparison, DocumentScore, Result
from ._signature import SIGNATURE_FIELDS, Settings, signature
from ._stats import bootstrap_intervals, paired_tests
from ._typemap import TypeMap, TypeMapError, load_type_map, parse_type_map
from .evaluate import EvaluationError, Gold, Options, evaluate, gold_digest, read_gold

__all__ = [
    "CHECK_CODES",
    "Comparison",
    "DocumentScore",
    "EvaluationError",
    "Gold",
    "Options",
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
    "document_counts",
    "evaluate",
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
    "read_gold",
    "render_result",
    "signature",
]
