"""``sayso report``: a self-contained HTML report of a system's scores and errors.

sayso report --gold corpus/gold --split test --pred rules-test.jsonl --out report.html
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

HELP = "a self-contained HTML report of a system's errors"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", required=True, help="gold corpus folder, .json or .jsonl")
    parser.add_argument(
        "--split",
        choices=("train", "validation", "test"),
        help="use GOLD/<split> (GOLD is then the folder of split folders)",
    )
    parser.add_argument("--pred", required=True, help="predicted documents (.jsonl, .json or a folder)")
    parser.add_argument("--out", required=True, help="the HTML file to write")
    parser.add_argument("--system", help="the system's name shown in the report (default: from --pred)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--seed", type=int, default=12345, help="bootstrap seed (default 12345)")
    parser.add_argument("--max-docs", type=int, default=None, help="show at most this many documents")
    parser.add_argument("--force", action="store_true", help="overwrite --out if it exists")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..io import FileExistsRefused, load_documents, write_text_atomic
    from ..issues import format_issue
    from ..report.html import render_report
    from ..report.leaderboard import read_predictions

    if args.bootstrap < 0 or (args.max_docs is not None and args.max_docs < 0):
        err.write("sayso report: --bootstrap and --max-docs must be >= 0\n")
        return 2
    gold_path = Path(args.gold) / args.split if args.split else Path(args.gold)
    if not gold_path.exists():
        err.write(f"sayso report: {gold_path} does not exist\n")
        return 1
    gold, bad = [], 0
    for loaded in load_documents([gold_path]):
        for issue in loaded.issues:
            err.write(format_issue(issue) + "\n")
        if loaded.doc is None or loaded.issues:
            bad += 1
        else:
            gold.append(loaded.doc)
    if bad or not gold:
        err.write(
            f"sayso report: no usable gold documents in {gold_path}\n"
            if not bad
            else f"sayso report: {bad} gold document(s) could not be read\n"
        )
        return 1
    issues: list = []
    preds = read_predictions(Path(args.pred), {d["id"]: d for d in gold}, issues)
    if issues:
        for issue in issues:
            err.write(format_issue(issue) + "\n")
        err.write(f"sayso report: {len(issues)} problem(s) in {args.pred}; nothing written\n")
        return 1
    system = args.system or Path(args.pred).stem
    html, result = render_report(
        gold,
        preds,
        system=system,
        split=args.split,
        bootstrap=args.bootstrap,
        seed=args.seed,
        max_docs=args.max_docs,
    )
    try:
        write_text_atomic(args.out, html, force=args.force)
    except FileExistsRefused as exc:
        err.write(f"sayso report: {exc}\n")
        return 1
    out.write(f"report: {len(gold)} documents, {len(preds)} predicted -> {args.out}\n")
    return 0
