"""``sayso report``: a self-contained HTML report of a system's scores and errors.

sayso report --gold corpus/gold --split test --pred rules-test.jsonl --out report.html
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ._args import non_negative_int, resamples, seed

HELP = "a self-contained HTML report of a system's errors"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold folder, .json or .jsonl (e.g. corpus/gold)")
    parser.add_argument(
        "--split",
        choices=("train", "validation", "test"),
        help="score the gold documents of this split (as sayso score --split)",
    )
    parser.add_argument("--pred", required=True, help="predicted documents (.jsonl, .json or a folder)")
    parser.add_argument("--out", required=True, help="the HTML file to write")
    parser.add_argument("--system", help="the system's name shown in the report (default: from --pred)")
    parser.add_argument(
        "--bootstrap",
        type=resamples,
        default=1000,
        help="bootstrap resamples (default 1000)",
    )
    parser.add_argument("--seed", type=seed, default=12345, help="bootstrap seed (default 12345)")
    parser.add_argument(
        "--max-docs", type=non_negative_int, default=None, help="show at most this many documents"
    )
    parser.add_argument(
        "--max-errors",
        type=non_negative_int,
        default=50,
        metavar="N",
        help="input problems printed in full (default 50); the rest are counted by code",
    )
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..io import FileExistsRefused, write_text_atomic
    from ..report.html import render_report
    from ..score import EvaluationError, evaluate
    from .score import options_from, report_error

    options = options_from(args, err, keep_documents=True)
    try:
        result = evaluate(args.gold, args.pred, options)
    except EvaluationError as exc:
        return report_error(exc, err, "report")
    for note in result.notes:
        err.write(f"note: {note}\n")
    system = args.system or Path(args.pred).stem
    html = render_report(result, system=system, max_docs=args.max_docs)
    try:
        write_text_atomic(args.out, html, force=args.force)
    except FileExistsRefused as exc:
        err.write(f"sayso report: {exc}\n")
        return 1
    predicted = result.n_gold - len(result.missing)
    out.write(f"report: {result.n_gold} documents, {predicted} predicted -> {args.out}\n")
    return 0
