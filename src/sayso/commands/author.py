"""``sayso author compile``: compile inline-markup articles (``.say``) to gold JSON documents."""

from __future__ import annotations

import argparse
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


def _sources(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for p in map(Path, paths):
        found.extend(sorted(p.rglob("*.say")) if p.is_dir() else [p])
    return found


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "splits":
        return _splits(args, out, err)
    return _compile(args, out, err)


def _splits(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print each article's declared split beside the rule's; ``--check`` fails on a difference."""
    from ..authoring import compile_markup
    from ..splits import Article, assign

    articles: dict[str, tuple[Path, Article]] = {}
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
        articles[art.id] = (path, art)
    rule = assign(art for _, art in articles.values())
    differ = 0
    for doc_id in sorted(rule):
        path, art = articles[doc_id]
        if art.split != rule[doc_id]:
            differ += 1
            if args.check:
                err.write(
                    f"{path}: [markup-split] $.split: declared {art.split!r}, the split rule gives "
                    f"{rule[doc_id]!r} (beat {art.beat}, register {art.register})\n"
                )
        if not args.check:
            out.write(f"{doc_id}\t{art.beat}\t{art.register}\t{art.split}\t{rule[doc_id]}\n")
    counts = {s: sum(1 for v in rule.values() if v == s) for s in ("train", "validation", "test")}
    out.write(
        f"{len(rule)} articles (train {counts['train']}, validation {counts['validation']}, "
        f"test {counts['test']}); {differ} differ from the rule\n"
    )
    return 1 if args.check and differ else 0


def _compile(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..authoring import compile_markup
    from ..io import FileExistsRefused, dump_document, write_text_atomic
    from ..issues import format_issue

    try:  # the validator's level-2/3 checks, when this installation has them
        from ..validate import validate_document
    except ImportError:  # pragma: no cover - only while the validator is being written

        def validate_document(doc, **_):  # noqa: ANN001, ANN202
            return []

    failed = 0
    written = unchanged = checked = 0
    for path in _sources(args.sources):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            err.write(f"{path}: [markup-unreadable] $: {exc}\n")
            failed += 1
            continue
        result = compile_markup(source, str(path))
        issues = list(result.issues)
        if result.doc is not None:
            if result.doc["id"] != path.stem:
                err.write(f"{path}: [markup-header] $: id {result.doc['id']!r} differs from the file name\n")
                failed += 1
                continue
            issues += [i for i in validate_document(result.doc, path=str(path)) if i.is_error]
        if issues:
            for issue in issues:
                err.write(format_issue(issue) + "\n")
            failed += 1
            continue
        text = dump_document(result.doc)
        if args.stdout:
            out.write(text)
            continue
        target = Path(args.gold_dir) / result.split / f"{path.stem}.json"
        others = [p for p in Path(args.gold_dir).glob(f"*/{path.stem}.json") if p != target]
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if args.check:
            checked += 1
            if current != text or others:
                err.write(f"{path}: [markup-stale] $: {target} is not the compiled form of this source\n")
                failed += 1
            continue
        if current == text and not others:
            unchanged += 1
            continue
        if others and not args.force:
            err.write(f"{path}: [markup-stale] $: {others[0]} is in another split; pass --force to move it\n")
            failed += 1
            continue
        try:
            write_text_atomic(target, text, force=args.force)
        except FileExistsRefused as exc:
            err.write(f"{path}: [gold-exists] $: {exc}\n")
            failed += 1
            continue
        for other in others:
            other.unlink()
        written += 1
    if args.check:
        out.write(f"{checked} checked, {failed} stale or failing\n")
    elif not args.stdout:
        out.write(f"{written} written, {unchanged} unchanged, {failed} failed\n")
    return 1 if failed else 0
