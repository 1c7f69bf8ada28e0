"""``sayso publish``: upload corpus/ (the dataset files only) to a Hugging Face dataset repository."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import TextIO

HELP = "upload corpus/ to the Hugging Face Hub"
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo-id", required=True, help="dataset repository, ORG/NAME")
    parser.add_argument("--corpus", default="corpus", help="folder to publish (default: corpus)")
    parser.add_argument(
        "--dry-run", action="store_true", help="list the files that would go up; upload nothing"
    )
    parser.add_argument("--revision", help="branch to commit to (default: the repository's main branch)")
    parser.add_argument("--message", help="commit message")
    parser.add_argument(
        "--create", action="store_true", help="create the dataset repository if it does not exist"
    )
    parser.add_argument("--private", action="store_true", help="with --create: make the repository private")
    parser.add_argument(
        "--allow-stale",
        action="store_true",
        help="publish even when the build differs from a fresh `sayso build`",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from ..hf import build, publish
    except ImportError as exc:
        err.write(f"sayso publish: {exc.name} is not installed: pip install 'sayso[hf]'\n")
        return 1
    if not _REPO_ID.match(args.repo_id):
        err.write(f"sayso publish: --repo-id {args.repo_id!r} is not of the form ORG/NAME\n")
        return 2
    folder = Path(args.corpus)
    if not folder.is_dir():
        err.write(f"sayso publish: {folder}: no such folder\n")
        return 1
    if not args.allow_stale:  # never publish a card or Parquet files that disagree with the gold
        fresh = build.render(folder)
        problem = None if fresh.ok else "the gold documents do not build (run `sayso build` to see why)"
        diff = build.compare(fresh, folder) if fresh.ok else {}
        if diff:
            problem = "the build is stale: " + ", ".join(f"{n} ({s})" for n, s in diff.items())
        if problem:
            err.write(f"sayso publish: {problem}; run `sayso build --force`, or pass --allow-stale\n")
            return 1
    plan = publish.plan(folder)
    if args.dry_run:
        if args.json:
            out.write(
                json.dumps(
                    {
                        "repo_id": args.repo_id,
                        "files": plan.files,
                        "skipped": plan.skipped,
                        "bytes": plan.size,
                    }
                )
                + "\n"
            )
            return 0
        for name in plan.files:
            out.write(f"{name}\n")
        for name in plan.skipped:
            err.write(f"skipped (not a dataset file): {name}\n")
        out.write(
            f"dry run: {len(plan.files)} files ({plan.size:,} bytes) would go to "
            f"datasets/{args.repo_id}; {len(plan.skipped)} skipped\n"
        )
        return 0
    try:
        url = publish.upload(
            plan,
            args.repo_id,
            revision=args.revision,
            message=args.message,
            create=args.create,
            private=args.private,
        )
    except publish.PublishError as exc:
        err.write(f"sayso publish: {exc}\n")
        return 1
    if args.json:
        out.write(json.dumps({"repo_id": args.repo_id, "files": plan.files, "commit": url}) + "\n")
    else:
        out.write(
            f"uploaded {len(plan.files)} files ({plan.size:,} bytes) to datasets/{args.repo_id}: {url}\n"
        )
    return 0
