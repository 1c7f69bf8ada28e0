"""``sayso import``: other corpora and BIO predictions as SaySo documents.

    sayso import gum ../shared/external/gum-news --out gum/          # gum/<split>/<id>.json
    sayso import gum ../shared/external/gum-news --out gum.jsonl
    sayso import bio predictions.conll --gold corpus/gold/test --out pred.jsonl

Rules and formats: eval/INTEROP.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ._args import resamples, seed

HELP = "import other corpora and BIO predictions"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = "Import other corpora and BIO predictions as SaySo documents (eval/INTEROP.md)."
    sub = parser.add_subparsers(dest="source", metavar="SOURCE", required=True)
    gum = sub.add_parser("gum", help="the GUM corpus: CoNLL-U entities and eRST attributions")
    gum.add_argument("folder", metavar="DIR", help="GUM folder with conllu/, rst/, wiki_map.tab, splits.md")
    gum.add_argument(
        "--out", required=True, help="a folder (documents go to OUT/<split>/<id>.json) or a .jsonl file"
    )
    gum.add_argument("--force", action="store_true", help="overwrite existing output files")
    gum.add_argument("--json", action="store_true", help="print the import counts as JSON")
    ood = sub.add_parser("gum-eval", help="score the baselines on GUM news: eval/ood/gum.json and GUM.md")
    ood.add_argument("folder", metavar="DIR", help="the GUM folder (as for `sayso import gum`)")
    ood.add_argument("--out-dir", default="eval/ood", help="where gum.json and GUM.md go (default: eval/ood)")
    ood.add_argument(
        "--systems",
        nargs="+",
        default=["rules", "learned"],
        choices=("rules", "learned"),
        help="baselines to score (default: rules learned)",
    )
    ood.add_argument(
        "--type-map", default="eval/type-maps/gum.json", help="the type map (default: %(default)s)"
    )
    ood.add_argument("--model", default=None, help="learned model file (default: eval/models/learned.json)")
    ood.add_argument(
        "--bootstrap", type=resamples, default=1000, metavar="N", help="resamples (default 1000)"
    )
    ood.add_argument("--seed", type=seed, default=12345, help="bootstrap seed (default 12345)")
    ood.add_argument("--force", action="store_true", help="overwrite gum.json and GUM.md")
    bio = sub.add_parser("bio", help="a token-classification model's BIO tags (CoNLL or JSONL)")
    bio.add_argument(
        "file", metavar="FILE", help="CoNLL (TOKEN ... TAG lines) or .jsonl ({id, tokens, tags})"
    )
    bio.add_argument("--gold", required=True, help="gold documents whose text the tokens come from")
    bio.add_argument("--out", required=True, help="the submission to write (.jsonl)")
    bio.add_argument("--force", action="store_true", help="overwrite an existing --out file")


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    action = {"gum": _gum, "gum-eval": _gum_eval, "bio": _bio}[args.source]
    return action(args, out, err)


def _gum_eval(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from ..baselines import BaselineUnavailable
    from ..interop.gum import GumError
    from ..interop.ood import evaluate_gum, render_markdown
    from ..score import TypeMapError
    from ..writing import Refused, file_set

    if not Path(args.folder).is_dir():
        err.write(f"sayso import gum-eval: {args.folder} is not a folder\n")
        return 1
    try:
        report = evaluate_gum(
            args.folder,
            systems=tuple(args.systems),
            type_map=args.type_map,
            model=args.model,
            bootstrap=args.bootstrap,
            seed=args.seed,
        )
    except GumError as exc:
        err.write(f"{exc.path}{'' if exc.line is None else f':{exc.line}'}: [gum-format] $: {exc.message}\n")
        return 1
    except TypeMapError as exc:
        err.write(f"{args.type_map}: [score-type-map] $: {exc}\n")
        return 1
    except (BaselineUnavailable, FileNotFoundError) as exc:
        err.write(f"sayso import gum-eval: {exc}\n")
        return 1
    target = Path(args.out_dir)
    try:  # the figures and their rendering are one set: never one without the other
        with file_set(target, force=args.force) as files:
            files.write("gum.json", json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            files.write("GUM.md", render_markdown(report))
    except Refused as exc:
        err.write(f"sayso import gum-eval: {exc}\n")
        return 1
    for name, entry in report["systems"].items():
        figures = ", ".join(f"{k} {v:.4f}" for k, v in entry["figures"].items() if v is not None)
        out.write(f"{name}: {figures}\n")
    out.write(f"wrote {target / 'gum.json'} and {target / 'GUM.md'}\n")
    return 0


def _gum(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from ..interop.gum import GumError, import_gum
    from ..io import FileExistsRefused, dump_document, write_jsonl_atomic
    from ..issues import format_issue
    from ..validate import validate_document
    from ..writing import file_set

    if not Path(args.folder).is_dir():
        err.write(f"sayso import gum: {args.folder} is not a folder\n")
        return 1
    try:
        result = import_gum(args.folder)
    except GumError as exc:
        err.write(f"{exc.path}{'' if exc.line is None else f':{exc.line}'}: [gum-format] $: {exc.message}\n")
        return 1
    problems = [i for d in result.documents for i in validate_document(d, path=d["id"]) if i.is_error]
    if problems:  # a bug in the importer, never the user's fault: say so and write nothing
        for issue in problems:
            err.write(format_issue(issue) + "\n")
        err.write("sayso import gum: imported documents do not validate; nothing written\n")
        return 1
    try:
        if args.out.endswith(".jsonl"):
            write_jsonl_atomic(args.out, result.documents, force=args.force)
        else:
            targets = []
            for doc in result.documents:
                split = result.splits.get(doc["id"])
                targets.append((f"{split}/{doc['id']}.json" if split else f"{doc['id']}.json", doc))
            with file_set(args.out, force=args.force) as files:  # all the documents or none
                for name, doc in targets:
                    files.write(name, dump_document(doc))
    except FileExistsRefused as exc:
        err.write(f"sayso import gum: {exc}\n")
        return 1
    if args.json:
        out.write(json.dumps(dict(sorted(result.counts.items())), indent=2) + "\n")
    else:
        for key, value in sorted(result.counts.items()):
            out.write(f"{value:6d}  {key}\n")
        out.write(f"wrote {len(result.documents)} documents -> {args.out}\n")
    return 0


def _bio(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..interop.conll import align_document, read_bio
    from ..io import FileExistsRefused, write_jsonl_atomic
    from ..issues import Issue, format_issue
    from ..labels import label_names
    from ..score import EvaluationError, read_gold

    try:  # the gold is read and checked as the scorer reads it
        checked = read_gold(args.gold)
    except EvaluationError as exc:
        for issue in exc.issues:
            err.write(format_issue(issue) + "\n")
        err.write(f"sayso import bio: {exc.summary}\n")
        return 1
    gold = {doc_id: entry.document() for doc_id, entry in checked.documents.items()}
    issues: list = []
    tdocs, read_issues = read_bio(args.file)
    issues.extend(read_issues)
    types = set(label_names("mention_type"))
    predictions = []
    for tdoc in tdocs:
        if tdoc.id not in gold:
            line = tdoc.lines[0] if tdoc.lines else None
            issues.append(
                Issue(
                    "bio-unknown-document",
                    "error",
                    tdoc.path,
                    line,
                    "$",
                    f"document {tdoc.id!r} is not in the gold documents ({args.gold})",
                )
            )
            continue
        doc, problems = align_document(tdoc, gold[tdoc.id], types)
        issues.extend(problems)
        if doc is not None:
            predictions.append(doc)
    errors = [i for i in issues if i.is_error]
    for issue in issues:
        err.write(format_issue(issue) + "\n")
    if errors:
        err.write(f"sayso import bio: {len(errors)} error(s); nothing written\n")
        return 1
    try:
        write_jsonl_atomic(args.out, predictions, force=args.force)
    except FileExistsRefused as exc:
        err.write(f"sayso import bio: {exc}\n")
        return 1
    mentions = sum(len(d["mentions"]) for d in predictions)
    out.write(f"{len(predictions)} documents, {mentions} named mentions -> {args.out}\n")
    return 0
