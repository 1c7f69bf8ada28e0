"""``sayso author compile``: compile inline-markup articles (``.say``) to gold JSON documents."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import TextIO

HELP = "compile inline-markup articles to schema documents"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    comp = sub.add_parser("compile", help="compile .say files to corpus/gold/<split>/<id>.json")
    comp.add_argument("sources", nargs="+", help=".say files or folders of them")
    comp.add_argument(
        "--gold-dir", default="corpus/gold", help="folder of split folders (default: corpus/gold)"
    )
    comp.add_argument("--force", action="store_true", help="overwrite gold files that differ")
    comp.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when a compiled document differs from its gold file",
    )
    comp.add_argument("--stdout", action="store_true", help="print the compiled JSON instead of writing it")
    spl = sub.add_parser(
        "splits",
        help="the split rule's split for every article (new articles: minimisation over beat and register)",
    )
    spl.add_argument("sources", nargs="*", default=["annotation/sources"], help=".say files or folders")
    spl.add_argument("--check", action="store_true", help="exit 1 when a split differs from the rule")
    spl.add_argument(
        "--commissions",
        default="annotation/commissions.tsv",
        help="the list of commissioned articles (default: annotation/commissions.tsv)",
    )


def _sources(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.rglob("*.say")) if p.is_dir() else [p])
    return found


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "splits":
        return _splits(args, out, err)
    return _compile(args, out, err)


def _read_commissions(path: Path, err: TextIO) -> list[tuple[int, dict[str, str]]] | None:
    """The rows of the commissions list (line number, fields), or None after a printed error."""
    fields = ("id", "beat", "register", "words", "split")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        err.write(f"{path}: [markup-unreadable] $: {exc}\n")
        return None
    header_seen = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if tuple(cells) != fields:
                err.write(f"{path}:{number}: [markup-split] $: the header must be {chr(9).join(fields)}\n")
                return None
            continue
        if len(cells) != len(fields):
            err.write(f"{path}:{number}: [markup-split] $: expected {len(fields)} tab-separated fields\n")
            return None
        rows.append((number, dict(zip(fields, cells, strict=True))))
    return rows


def _splits(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The split rule over the frozen v1 articles and the commissions list (or, without one, the
    sources): print each article's split beside the rule's; ``--check`` fails on a difference."""
    from ..authoring import compile_markup
    from ..splits import FROZEN_UP_TO, Article, _number, assign

    sources: dict[str, tuple[Path, Article]] = {}
    for path in _sources(args.sources):
        try:
            result = compile_markup(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as exc:
            err.write(f"{path}: [markup-unreadable] $: {exc}\n")
            return 1
        if result.doc is None:
            err.write(f"{path}: [markup-header] $: the source does not compile; run sayso author compile\n")
            return 1
        meta = result.doc["meta"]
        art = Article(result.doc["id"], meta.get("beat"), meta.get("register"), result.split)
        sources[art.id] = (path, art)
    commissions_path = Path(args.commissions)
    planned: dict[str, tuple[int, Article]] = {}
    if commissions_path.is_file():
        rows = _read_commissions(commissions_path, err)
        if rows is None:
            return 1
        for number, row in rows:
            planned[row["id"]] = (number, Article(row["id"], row["beat"], row["register"], row["split"]))
    # The rule's history: the frozen articles as written, then every commissioned article (written
    # or not yet), then any article neither frozen nor commissioned (without a commissions list).
    history = {i: a for i, (_, a) in sources.items() if _number(i) <= FROZEN_UP_TO}
    history.update({i: a for i, (_, a) in planned.items()})
    if not planned:
        history.update({i: a for i, (_, a) in sources.items()})
    rule = assign(history.values())
    problems: list[str] = []
    for doc_id, (number, art) in sorted(planned.items()):
        if art.split != rule[doc_id]:
            problems.append(
                f"{commissions_path}:{number}: [markup-split] $.split: {doc_id} is commissioned for "
                f"{art.split!r}, the split rule gives {rule[doc_id]!r}"
            )
    for doc_id, (path, art) in sorted(sources.items()):
        expected = planned[doc_id][1] if doc_id in planned else history.get(doc_id)
        if expected is None:
            problems.append(
                f"{path}: [markup-split] $.split: {doc_id} is not in {commissions_path}; commission it first"
            )
        elif art.split != rule[doc_id] or (art.beat, art.register) != (expected.beat, expected.register):
            problems.append(
                f"{path}: [markup-split] $.split: declared {art.split!r} (beat {art.beat}, register "
                f"{art.register}), the split rule gives {rule[doc_id]!r}"
                + (
                    f" for its commission (beat {expected.beat}, register {expected.register})"
                    if doc_id in planned
                    else ""
                )
            )
    if args.check:
        for problem in problems:
            err.write(problem + "\n")
    else:
        for doc_id in sorted(rule, key=_number):
            written = sources[doc_id][1].split if doc_id in sources else "-"
            art = history[doc_id]
            out.write(f"{doc_id}\t{art.beat}\t{art.register}\t{written}\t{rule[doc_id]}\n")
    counts = {s: sum(1 for v in rule.values() if v == s) for s in ("train", "validation", "test")}
    out.write(
        f"{len(rule)} articles (train {counts['train']}, validation {counts['validation']}, "
        f"test {counts['test']}), {len(sources)} written; {len(problems)} differ from the rule\n"
    )
    return 1 if args.check and problems else 0


def _compile(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..writing import file_set

    counts = {"failed": 0, "written": 0, "unchanged": 0, "checked": 0}
    with contextlib.ExitStack() as stack:
        # The gold files of one run are written as one set: a killed run leaves all or none.
        files = None if args.check or args.stdout else stack.enter_context(file_set(args.gold_dir))
        for path in _sources(args.sources):
            counts[_compile_one(path, args, files, out, err)] += 1
    if args.check:
        out.write(f"{counts['checked']} checked, {counts['failed']} stale or failing\n")
    elif not args.stdout:
        done = f"{counts['written']} written, {counts['unchanged']} unchanged"
        out.write(f"{done}, {counts['failed']} failed\n")
    return 1 if counts["failed"] else 0


def _compile_one(path: Path, args: argparse.Namespace, files, out: TextIO, err: TextIO) -> str:  # noqa: ANN001
    """Compile one source; stage its gold file in ``files``. Returns what happened to it."""
    from ..authoring import compile_markup
    from ..io import dump_document
    from ..issues import format_issue
    from ..validate import validate_document
    from ..writing import Refused

    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.write(f"{path}: [markup-unreadable] $: {exc}\n")
        return "failed"
    result = compile_markup(source, str(path))
    issues = list(result.issues)
    if result.doc is not None:
        if result.doc["id"] != path.stem:
            err.write(f"{path}: [markup-header] $: id {result.doc['id']!r} differs from the file name\n")
            return "failed"
        issues += [i for i in validate_document(result.doc, path=str(path)) if i.is_error]
    if issues:
        for issue in issues:
            err.write(format_issue(issue) + "\n")
        return "failed"
    text = dump_document(result.doc)
    if args.stdout:
        out.write(text)
        return "unchanged"
    target = Path(args.gold_dir) / result.split / f"{path.stem}.json"
    others = [p for p in Path(args.gold_dir).glob(f"*/{path.stem}.json") if p != target]
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current != text or others:
            err.write(f"{path}: [markup-stale] $: {target} is not the compiled form of this source\n")
            return "failed"
        return "checked"
    if current == text and not others:
        return "unchanged"
    if others and not args.force:
        err.write(f"{path}: [markup-stale] $: {others[0]} is in another split; pass --force to move it\n")
        return "failed"
    try:
        files.write(f"{result.split}/{path.stem}.json", text, force=args.force)
    except Refused as exc:
        err.write(f"{path}: [gold-exists] $: {exc}\n")
        return "failed"
    for other in others:
        files.remove(str(other.relative_to(args.gold_dir)))
    return "written"
