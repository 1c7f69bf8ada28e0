"""``sayso validate PATH...``: check documents against schema v1, levels 1-4 (``--strict``: and lint)."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TextIO

HELP = "check documents against schema v1 (levels 1-4)"

#: One broken generator can produce millions of issues; the first few hundred show the pattern.
DEFAULT_MAX_ISSUES = 200


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options shared with ``sayso lint``."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".json/.jsonl files or folders of them")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--allow",
        metavar="FILE",
        default=None,
        help="allow-list of intended warnings (default: annotation/lint-allow.tsv)",
    )
    parser.add_argument("--no-allow", action="store_true", help="ignore every allow-list")
    parser.add_argument(
        "--progress", action="store_true", help="show progress on stderr even when it is not a terminal"
    )
    parser.add_argument(
        "--max-issues",
        type=_count,
        default=DEFAULT_MAX_ISSUES,
        metavar="N",
        help=f"print at most N issues, then a count per code of the rest (default {DEFAULT_MAX_ISSUES}; "
        "0: all)",
    )


def configure(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument(
        "--kind",
        choices=("document", "submission"),
        default="document",
        help="gold documents (default) or a submission's predicted documents",
    )
    parser.add_argument(
        "--strict", action="store_true", help="also run the consistency checks of `sayso lint`; warnings fail"
    )


def run_checks(args: argparse.Namespace, out: TextIO, err: TextIO, *, kind: str, strict: bool) -> int:
    """Validate, optionally lint, print issues and the summary; return the exit code."""
    from ..issues import format_issue, issue_to_dict
    from ..lint import DEFAULT_ALLOW, apply_allow, lint_document, read_allow, read_wikidata
    from ..validate import validate_paths

    entries, allow_issues, allow_name = [], [], None
    if args.allow and not strict:  # an allow-list only ever silences lint warnings
        err.write("sayso validate: --allow applies to the lint warnings of --strict; add --strict\n")
        return 2
    if strict and not args.no_allow:
        allow_name = args.allow or (DEFAULT_ALLOW if Path(DEFAULT_ALLOW).is_file() else None)
        if allow_name is not None:
            try:
                entries, allow_issues = read_allow(allow_name)
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or exc
                err.write(f"sayso: cannot read allow-list {allow_name}: {reason}\n")
                return 2
    report = validate_paths(args.paths, kind=kind, progress=_progress(err, args.progress))
    if report.count >= _PROGRESS_EVERY and (args.progress or _is_tty(err)):
        err.write("\n")
    issues = list(report.issues)
    allowed = 0
    if strict:
        wikidata = read_wikidata()  # the checked list of this checkout, when there is one
        pairs = [
            (loaded.doc["id"], warning)
            for loaded in report.valid
            for warning in lint_document(
                loaded.doc, path=loaded.path, line=loaded.line, raw=loaded.raw, wikidata=wikidata
            )
        ]
        kept, allowed, unused = apply_allow(pairs, entries, (loaded.doc["id"] for loaded in report.valid))
        issues = _merge(issues, kept) + allow_issues + unused
    errors = sum(1 for issue in issues if issue.severity == "error")
    warnings = len(issues) - errors
    limit = args.max_issues or len(issues)
    shown = issues[:limit]
    rest = Counter(issue.code for issue in issues[limit:])
    if args.json:
        summary = {
            "documents": report.count,
            "errors": errors,
            "warnings": warnings,
            "allowed": allowed,
            "issues": [issue_to_dict(issue) for issue in shown],
            "not_shown": dict(sorted(rest.items())),
        }
        out.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        for issue in shown:
            out.write(format_issue(issue) + "\n")
        if rest:
            counts = ", ".join(f"{code} {n}" for code, n in sorted(rest.items()))
            out.write(f"... {sum(rest.values())} more issues not shown ({counts}); see --max-issues\n")
        tail = f" ({allowed} allowed by {allow_name})" if allowed else ""
        out.write(f"{report.count} documents, {errors} errors, {warnings} warnings{tail}\n")
    return 1 if errors or (strict and warnings) else 0


_PROGRESS_EVERY = 1000


def _is_tty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


def _progress(err: TextIO, forced: bool):
    """A callback writing ``validating: N documents`` to stderr, when it is a terminal or forced."""
    if not (forced or _is_tty(err)):
        return None

    def show(done: int) -> None:
        if done % _PROGRESS_EVERY == 0:
            err.write(f"\rvalidating: {done} documents")
            err.flush()

    return show


def _merge(issues: list, warnings: list) -> list:
    """Put each document's lint warnings after its own issues, keeping file order."""
    if not warnings:
        return issues
    paths = dict.fromkeys([i.path for i in issues] + [w.path for w in warnings])
    position = {path: rank for rank, path in enumerate(paths)}
    combined = [(position[i.path], 0, n, i) for n, i in enumerate(issues)]
    combined += [(position[w.path], 1, n, w) for n, w in enumerate(warnings)]
    return [item[-1] for item in sorted(combined, key=lambda t: t[:3])]


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return run_checks(args, out, err, kind=args.kind, strict=args.strict)
