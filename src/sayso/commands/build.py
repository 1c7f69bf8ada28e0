"""``sayso build``: the Hugging Face layout (Parquet per config and split, dataset card) in ``corpus/``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

HELP = "build the Hugging Face layout (Parquet + card) in corpus/"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus", default="corpus", help="corpus folder holding gold/ and README.md (default: corpus)"
    )
    parser.add_argument("--out", help="write the build here instead of into the corpus folder")
    parser.add_argument(
        "--agreement",
        help="agreement figures for the card (default: annotation/agreement.json "
        "beside the corpus folder, when it exists)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the committed build differs from a fresh one",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace build files that differ and remove stale ones"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--progress", action="store_true", help="show progress even when stderr is not a terminal"
    )


def _progress(err: TextIO, forced: bool):
    if not (forced or (hasattr(err, "isatty") and err.isatty())):
        return None

    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            err.write(f"\rbuilding: {done}/{total} documents")
            if done == total:
                err.write("\n")
            err.flush()

    return show


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from ..hf import build
    except ImportError as exc:
        err.write(f"sayso build: {exc.name} is not installed: pip install 'sayso[hf]'\n")
        return 1
    from ..issues import format_issue, issue_to_dict

    corpus = Path(args.corpus)
    target = Path(args.out) if args.out else corpus
    if not args.check:  # the gold lives inside the output: first undo a swap a kill left halfway
        from ..writing import recover

        recover(target)
    result = build.render(corpus, agreement=args.agreement, progress=_progress(err, args.progress))
    if not result.ok:
        if args.json:
            out.write(
                json.dumps(
                    {
                        "ok": False,
                        "issues": [issue_to_dict(i) for i in result.issues],
                        "problems": result.problems,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        for issue in result.issues:
            err.write(format_issue(issue) + "\n")
        for problem in result.problems:
            err.write(f"sayso build: {problem}\n")
        err.write(
            f"sayso build: nothing built ({len(result.issues)} errors in the gold documents; "
            "`sayso validate` shows them)\n"
            if result.issues
            else "sayso build: nothing built\n"
        )
        return 1
    if args.check:
        diff = build.compare(result, target)
        if args.json:
            out.write(json.dumps({"ok": not diff, "stale": diff}, sort_keys=True) + "\n")
        else:
            for name, state in diff.items():
                out.write(f"{state}: {target / name}\n")
            out.write(
                f"{'stale' if diff else 'up to date'}: {len(result.files)} files, "
                f"{result.documents} documents" + (" (run `sayso build --force`)" if diff else "") + "\n"
            )
        return 1 if diff else 0
    refused = build.conflicts(result, target)
    if refused and not args.force:
        for name, kind in refused.items():
            what = "exists with other content" if kind == "changed" else "is not part of this build"
            err.write(f"sayso build: {target / name}: {what}\n")
        err.write(
            f"sayso build: nothing written ({len(refused)} files would be replaced or removed); "
            "pass --force\n"
        )
        return 1
    status = build.write(result, target, force=True)
    if args.json:
        out.write(
            json.dumps(
                {"ok": True, "documents": result.documents, "rows": result.split_rows, "files": status},
                sort_keys=True,
            )
            + "\n"
        )
        return 0
    for name, state in status.items():
        size = f" ({len(result.files[name]):,} bytes)" if name in result.files else ""
        out.write(f"{state}: {target / name}{size}\n")
    counts = {
        state: sum(1 for s in status.values() if s == state) for state in ("written", "unchanged", "removed")
    }
    splits = ", ".join(f"{s} {n:,}" for s, n in result.split_rows["documents"].items())
    out.write(
        f"built {len(result.split_rows)} configs from {result.documents} documents ({splits}): "
        f"{counts['written']} written, {counts['unchanged']} unchanged, {counts['removed']} removed\n"
    )
    return 0
