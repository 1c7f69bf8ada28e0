"""``sayso agree DIR_A DIR_B [DIR_C ...]``: inter-annotator agreement per layer (see :mod:`sayso.agree`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

HELP = "inter-annotator agreement between annotation folders"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folders",
        nargs="+",
        metavar="DIR",
        help="one folder (or file) of documents per annotator, e.g. from "
        "`sayso labelstudio pull --by-annotator`",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..agree import MEASURES, agreement
    from ..io import load_documents
    from ..issues import format_issue
    from ..validate import validate_document

    if len(args.folders) < 2:
        err.write("sayso agree: give at least two folders (one per annotator)\n")
        return 2
    names = [Path(f).name or str(f) for f in args.folders]
    if len(set(names)) != len(names):
        names = [str(f) for f in args.folders]
    folders: dict[str, dict[str, dict]] = {}
    errors = 0
    for name, folder in zip(names, args.folders, strict=True):
        docs = folders.setdefault(name, {})
        for loaded in load_documents([folder]):
            issues = loaded.issues or validate_document(
                loaded.doc, path=loaded.path, line=loaded.line, raw=loaded.raw
            )
            bad = [i for i in issues if i.severity == "error"]
            for issue in bad:
                err.write(format_issue(issue) + "\n")
            errors += len(bad)
            if bad:
                continue
            if loaded.doc["id"] in docs:
                err.write(f"{loaded.path}: document {loaded.doc['id']!r} appears twice in {folder}\n")
                errors += 1
            docs[loaded.doc["id"]] = loaded.doc
        if not docs and not errors:
            err.write(f"sayso agree: no documents in {folder}\n")
            errors += 1
    if errors:
        err.write(f"sayso agree: {errors} errors in the input; nothing was measured\n")
        return 1
    result = agreement(folders)
    every = set(result.documents)
    left_out = sorted({d for docs in folders.values() for d in docs} - every)
    for doc_id in result.documents:
        texts = {folders[name][doc_id]["text"] for name in names}
        if len(texts) > 1:
            err.write(f"sayso agree: document {doc_id!r} has different texts in different folders\n")
            return 1
    if not result.documents:
        err.write("sayso agree: the folders share no document\n")
        return 1
    if args.json:
        out.write(json.dumps({**result.to_json(), "left_out": left_out}, indent=2) + "\n")
        return 0
    out.write(
        f"{len(names)} annotators ({', '.join(names)}), {len(result.documents)} shared documents"
        + (f"; {len(left_out)} not annotated by all, left out: {', '.join(left_out)}" if left_out else "")
        + "\n"
    )
    pairs = list(result.pairs)
    header = ["measure", "mean"] + (["alpha"] if len(names) > 2 else []) + ["n"] + pairs
    rows = []
    for name, layer in MEASURES:
        label = name if name.endswith(".f1") else f"{name}.kappa"
        row = [label, _fmt(result.mean[name])]
        if len(names) > 2:
            row.append(_fmt(result.alpha.get(name)) if layer else "")
        row.append(str(result.items[name]) if layer else "")
        row += [_fmt(result.pairs[p][name]) for p in pairs]
        rows.append(row)
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    for row in [header, *rows]:
        out.write(
            "  ".join(
                cell.ljust(w) if k == 0 else cell.rjust(w)
                for k, (cell, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            + "\n"
        )
    out.write(
        "F1: pairwise, averaged over pairs; kappa: Cohen's, on matched records (n = pairs of labels); "
        + ("alpha: Krippendorff's, nominal; " if len(names) > 2 else "")
        + "- = undefined\n"
    )
    return 0
