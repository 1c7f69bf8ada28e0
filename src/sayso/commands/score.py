"""``sayso score``: score predictions against gold, with intervals, paired tests and signatures.

Metrics and every printed number are defined in ``eval/METRICS.md``. This module parses the
arguments and renders; the evaluation itself is :func:`sayso.score.evaluate`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from ._args import bounded_int, non_negative_int, progress_callback, resamples, seed

HELP = "score predictions against gold, with intervals and signatures"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Score a submission (PRED) against gold documents (GOLD): mentions, entity linking, "
        "attributions and stances. The gold is checked as `sayso validate` does, each prediction "
        "against its gold document; every score is printed with its signature. Metrics: eval/METRICS.md."
    )
    parser.add_argument("--gold", required=True, help="gold folder, .json or .jsonl file (e.g. corpus/gold)")
    parser.add_argument("--pred", required=True, help="predictions: folder, .json or .jsonl file")
    parser.add_argument(
        "--split",
        choices=("train", "validation", "test"),
        help="score the gold documents of this split (from their folder names); predictions for "
        "other splits are ignored with a note",
    )
    parser.add_argument(
        "--mentions",
        choices=("nam", "all"),
        default="nam",
        help="mentions scored: named only (default) or every kind",
    )
    parser.add_argument(
        "--type-map",
        metavar="FILE",
        help="JSON file renaming mention types before scoring (format in eval/METRICS.md)",
    )
    parser.add_argument(
        "--bootstrap",
        type=resamples,
        default=0,
        metavar="N",
        help="document-level bootstrap 95%% intervals with N resamples (e.g. 1000; at most 100,000)",
    )
    parser.add_argument("--seed", type=seed, default=12345, help="random seed of resampling (default 12345)")
    parser.add_argument(
        "--compare",
        metavar="PRED2",
        help="a second system: paired bootstrap and approximate randomisation p-values",
    )
    parser.add_argument(
        "--trials",
        type=bounded_int(1, 100_000),
        default=1000,
        metavar="N",
        help="resamples/permutations of the paired tests (default 1000)",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable output (keys in eval/METRICS.md)")
    out.add_argument("--markdown", action="store_true", help="one leaderboard row (Markdown table)")
    parser.add_argument("--system", default=None, help="system name in the --markdown row (default: PRED)")
    parser.add_argument(
        "--per-doc", metavar="FILE", help="write per-document counts and figures as JSON lines"
    )
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list missed and spurious items with their context (in --json: key 'errors')",
    )
    parser.add_argument(
        "--max-errors",
        type=non_negative_int,
        default=50,
        metavar="N",
        help="input problems printed in full (default 50); the rest are counted by code",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing --per-doc file")
    parser.add_argument(
        "--progress", action="store_true", help="show progress even when stderr is not a terminal"
    )


def report_error(exc: Any, err: TextIO, command: str) -> int:
    """Print an :class:`~sayso.score.EvaluationError` (located issues, the rest counted); exit 1."""
    from ..issues import format_issue

    for issue in exc.issues:
        err.write(format_issue(issue) + "\n")
    if exc.more:
        counts = ", ".join(f"{code} {n}" for code, n in sorted(exc.more.items()))
        err.write(f"... and {sum(exc.more.values())} more not shown ({counts}); see --max-errors\n")
    err.write(f"sayso {command}: {exc.summary}\n")
    return 1


def options_from(args: argparse.Namespace, err: TextIO, **extra: Any) -> Any:
    """The :class:`~sayso.score.Options` of the common arguments, or None after a printed error."""
    from ..score import Options, TypeMapError, load_type_map

    type_map = None
    if getattr(args, "type_map", None):
        try:
            type_map = load_type_map(args.type_map)
        except TypeMapError as exc:
            err.write(f"{args.type_map}: [score-type-map] $: {exc}\n")
            return None
    return Options(
        split=args.split,
        mentions=getattr(args, "mentions", "nam"),
        type_map=type_map,
        bootstrap=args.bootstrap,
        seed=args.seed,
        max_issues=getattr(args, "max_errors", 50),
        **extra,
    )


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..score import EvaluationError, evaluate

    options = options_from(args, err, per_document=bool(args.per_doc), keep_documents=args.errors)
    if options is None:
        return 1
    progress = progress_callback(err, args.progress, "scoring", "documents")
    try:
        result = evaluate(
            args.gold, args.pred, options, compare=args.compare, trials=args.trials, progress=progress
        )
    except EvaluationError as exc:
        if progress is not None:
            err.write("\n")
        return report_error(exc, err, "score")
    if progress is not None:
        err.write("\n")
    if args.compare:
        return _comparison(args, result, out, err)
    return _output(args, result, options, out, err)


def _notes(result: Any, err: TextIO) -> None:
    if result.missing:
        err.write(
            f"warning: [score-missing-documents] {len(result.missing)} of {result.n_gold} gold documents "
            "have no prediction; scored as empty predictions\n"
        )
    for note in result.notes:
        err.write(f"note: {note}\n")


def _output(args: argparse.Namespace, result: Any, options: Any, out: TextIO, err: TextIO) -> int:
    from ..io import FileExistsRefused, write_jsonl_atomic

    _notes(result, err)
    if args.per_doc:
        try:
            write_jsonl_atomic(
                args.per_doc,
                ({**d.to_json(), "signature": result.signature} for d in result.documents),
                force=args.force,
            )
        except FileExistsRefused as exc:
            err.write(f"sayso score: {exc}\n")
            return 1
    errors = _error_listing(result, options.type_map) if args.errors else None
    if args.json:
        data = result.to_json()
        if errors is not None:
            data["errors"] = errors
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.markdown:
        from ..score import markdown_header, markdown_row

        out.write(markdown_header() + markdown_row(result, args.system or args.pred))
    else:
        from ..score import render_result

        out.write(render_result(result))
    if errors is not None:
        out.write("id\tlayer\terror\titem\tcontext\n" + "".join(line + "\n" for line in errors))
    return 0


def _error_listing(result: Any, type_map: Any) -> list[str]:
    from ..score._errors import error_lines

    layers = tuple(name for name, on in result.layers.items() if on)
    lines: list[str] = []
    for gold, pred in result.pairs:
        lines.extend(
            error_lines(
                gold,
                pred,
                layers,
                all_kinds=result.settings.mentions == "all",
                gold_types=type_map.gold if type_map else None,
                pred_types=type_map.pred if type_map else None,
            )
        )
    return lines


def _comparison(args: argparse.Namespace, cmp: Any, out: TextIO, err: TextIO) -> int:
    from ..score import render_comparison

    _notes(cmp.a, err)
    for layer, system in cmp.untested.items():
        name = args.pred if system == "A" else args.compare
        err.write(f"note: layer {layer} is submitted by {name} only: not scored, not tested\n")
    if args.json:
        out.write(json.dumps(cmp.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif args.markdown:  # one leaderboard row per system
        from ..score import markdown_header, markdown_row

        out.write(
            markdown_header()
            + markdown_row(cmp.a, args.system or args.pred)
            + markdown_row(cmp.b, args.compare)
        )
    else:
        out.write(render_comparison(cmp, args.pred, args.compare))
    return 0
