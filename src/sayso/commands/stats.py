"""``sayso stats``: corpus statistics per split (the tables of the dataset card)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

HELP = "corpus statistics per split"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        default=["corpus/gold"],
        help="gold folders or files; the split is the <split> folder (default: corpus/gold)",
    )
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--json", action="store_true", help="machine-readable output")
    style.add_argument("--markdown", action="store_true", help="Markdown tables, as in the dataset card")
    parser.add_argument(
        "--diversity",
        action="store_true",
        help="how varied the corpus is and the test split's floors (issue 15; eval/.. card section)",
    )


def _split(path: str, roots: list[Path]) -> str | None:
    from ..io import split_of

    for root in roots:  # look only below the folder given, not at where the checkout lives
        try:
            return split_of(Path(path).relative_to(root))
        except ValueError:
            continue
    return split_of(Path(path).name)


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..hf import stats
    from ..issues import format_issue
    from ..validate import validate_paths

    roots = [Path(p) for p in args.paths if Path(p).is_dir()]
    report = validate_paths(args.paths)
    errors = [i for i in report.issues if i.is_error]
    for issue in errors:
        err.write(format_issue(issue) + "\n")
    docs = [(_split(loaded.path, roots), loaded.doc) for loaded in report.valid]
    if args.diversity:
        from ..diversity import diversity, to_text

        measured = diversity(docs)
        out.write(json.dumps(measured, indent=2, default=list) + "\n" if args.json else to_text(measured))
        return 1 if errors else 0
    result = stats.corpus_stats(docs)
    if args.json:
        out.write(json.dumps(result, indent=2) + "\n")
    elif args.markdown:
        out.write(stats.to_markdown(result))
    else:
        out.write(stats.to_text(result))
    if errors:
        err.write(f"sayso stats: {len(errors)} errors; invalid documents are not counted\n")
        return 1
    return 0
