"""``sayso export conll``: gold named mentions as BIO-tagged tokens (CoNLL or JSONL).

    sayso export conll --split test --out test.conll
    sayso export conll --input gum/ --out gum.jsonl

The tokens are the ``tokens`` dataset config's (:mod:`sayso.tokenize`); formats: eval/INTEROP.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

HELP = "export to CoNLL / BIO"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Export documents as sentences of tokens with BIO tags of their named mentions. "
        "An --out ending in .jsonl gets JSONL ({id, tokens, tags} per sentence), anything else CoNLL "
        "(TOKEN<TAB>TAG lines, -DOCSTART-<TAB>ID per document). Formats: eval/INTEROP.md."
    )
    sub = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    conll = sub.add_parser("conll", help="BIO tags of named mentions, one token per line")
    src = conll.add_mutually_exclusive_group(required=True)
    src.add_argument("--split", choices=("train", "validation", "test"), help="a split of --gold-dir")
    src.add_argument("--input", nargs="+", metavar="PATH", help="documents (.json, .jsonl, folders)")
    conll.add_argument("--gold-dir", default="corpus/gold", help="the corpus (default: corpus/gold)")
    conll.add_argument("--out", required=True, help="output file (.conll/.txt/.bio, or .jsonl)")
    conll.add_argument("--force", action="store_true", help="overwrite an existing --out file")


def read_documents(paths: list[str], err: TextIO) -> list[dict] | None:
    """Valid schema documents from ``paths``, sorted by id; None after reporting any problem."""
    from ..io import load_documents
    from ..issues import format_issue
    from ..validate import validate_document

    docs, problems = [], []
    for loaded in load_documents(paths):
        issues = list(loaded.issues)
        if loaded.doc is not None and not issues:
            issues = [
                i
                for i in validate_document(loaded.doc, path=loaded.path, line=loaded.line, raw=loaded.raw)
                if i.is_error
            ]
        if issues:
            problems.extend(issues)
        elif loaded.doc is not None:
            docs.append(loaded.doc)
    for issue in problems:
        err.write(format_issue(issue) + "\n")
    if problems:
        err.write(f"{len(problems)} error(s) in the input; nothing written\n")
        return None
    return sorted(docs, key=lambda d: d["id"])


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..interop.conll import export_conll, export_jsonl
    from ..io import FileExistsRefused, write_text_atomic

    paths = args.input or [str(Path(args.gold_dir) / args.split)]
    if args.split and not Path(paths[0]).is_dir():
        err.write(f"sayso export: no folder {paths[0]}\n")
        return 1
    docs = read_documents(paths, err)
    if docs is None:
        return 1
    if not docs:
        err.write(f"sayso export: no documents in {', '.join(paths)}\n")
        return 1
    writer = export_jsonl if args.out.endswith(".jsonl") else export_conll
    try:
        write_text_atomic(args.out, writer(docs), force=args.force)
    except FileExistsRefused as exc:
        err.write(f"sayso export: {exc}\n")
        return 1
    named = sum(1 for d in docs for m in d.get("mentions") or () if m.get("kind") == "NAM")
    out.write(f"{len(docs)} documents, {named} named mentions -> {args.out}\n")
    return 0
