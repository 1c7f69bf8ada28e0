"""``sayso leaderboard``: score every submission folder and write the leaderboard.

sayso leaderboard --force    # writes eval/leaderboard.json and eval/LEADERBOARD.md
sayso leaderboard --check    # exit 1 when the committed files are stale (CI)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ._args import resamples, seed

HELP = "score every submission, write the leaderboard"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--submissions",
        default="eval/submissions",
        help="folder of submission folders (default: eval/submissions)",
    )
    parser.add_argument("--gold-dir", default="corpus/gold", help="the corpus (default: corpus/gold)")
    parser.add_argument("--out-dir", default="eval", help="where leaderboard.json and LEADERBOARD.md go")
    parser.add_argument(
        "--bootstrap", type=resamples, default=1000, help="bootstrap resamples (default 1000)"
    )
    parser.add_argument("--seed", type=seed, default=12345, help="bootstrap seed (default 12345)")
    parser.add_argument("--force", action="store_true", help="replace the files when they differ")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when the files on disk differ from a fresh build",
    )


def render(args: argparse.Namespace) -> dict[Path, str]:
    """The generated files and their text (raises LeaderboardError on a broken submission)."""
    from ..report.leaderboard import build_leaderboard

    data, markdown = build_leaderboard(
        args.submissions, args.gold_dir, bootstrap=args.bootstrap, seed=args.seed
    )
    out = Path(args.out_dir)
    return {
        out / "leaderboard.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        out / "LEADERBOARD.md": markdown,
    }


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..issues import format_issue
    from ..report.leaderboard import LeaderboardError
    from ..writing import Refused, file_set

    try:
        files = render(args)
    except LeaderboardError as exc:
        for issue in exc.issues:
            err.write(format_issue(issue) + "\n")
        err.write(f"sayso leaderboard: {exc}; nothing written\n")
        return 1
    if args.check:
        stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            err.write(f"{p}: stale; regenerate it with `sayso leaderboard --force`\n")
        if stale:
            return 1
        out.write(f"{', '.join(str(p) for p in files)}: up to date\n")
        return 0
    try:  # the figures and the table are one set: a killed run leaves both old or both new
        with file_set(args.out_dir, force=args.force) as written:
            for path, text in files.items():
                written.write(path.name, text)
    except Refused as exc:
        err.write(f"sayso leaderboard: {exc}\n")
        return 1
    for path in files:
        out.write(f"{written.status[path.name]} {path}\n")
    return 0
