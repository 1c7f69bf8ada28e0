"""``sayso baseline``: run a baseline system on documents, or train the learned one.

    sayso baseline rules --split test --out rules-test.jsonl
    sayso baseline learned --input my-articles.jsonl --out predictions.jsonl
    sayso baseline rules --split validation test --out-dir eval/submissions/rules/predictions --force
    sayso baseline train --force            # fits eval/models/learned.json on corpus/gold/train
    sayso baseline all --force              # every system on validation and test, into
                                            # eval/submissions/<system>/predictions/<split>.jsonl

``rules`` and ``learned`` read only ``id`` and ``text`` of their inputs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ._args import seed

HELP = "run or train a baseline system"

SYSTEM_NAMES = ("rules", "learned", "empty", "gold")
DEFAULT_SEED = 13


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "system",
        choices=SYSTEM_NAMES + ("train", "all"),
        help="the system to run; `train` fits the learned system; `all` runs every "
        "system on the validation and test splits into --submissions",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument(
        "--split",
        nargs="+",
        choices=("train", "validation", "test"),
        help="run on these splits of the gold corpus",
    )
    src.add_argument(
        "--input", nargs="+", metavar="FILE", help="run on these documents (.json, .jsonl, folders)"
    )
    parser.add_argument("--gold-dir", default="corpus/gold", help="the corpus (default: corpus/gold)")
    parser.add_argument("--out", help="output .jsonl (one split or --input)")
    parser.add_argument("--out-dir", help="write <out-dir>/<split>.jsonl for each split")
    parser.add_argument(
        "--model", default=None, help="learned model file (default: eval/models/learned.json)"
    )
    parser.add_argument(
        "--seed", type=seed, default=DEFAULT_SEED, help=f"training seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--submissions",
        default="eval/submissions",
        help="with `all`: the submissions folder (default: eval/submissions)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing output files")


def _read(paths: list[str], err: TextIO) -> list[dict] | None:
    """Documents with a string ``id`` and ``text``, or None after reporting every problem."""
    from ..io import load_documents
    from ..issues import Issue, format_issue

    docs, bad = [], 0
    for loaded in load_documents(paths):
        problems = list(loaded.issues)
        doc = loaded.doc
        if not problems and not (
            isinstance(doc, dict) and isinstance(doc.get("id"), str) and isinstance(doc.get("text"), str)
        ):
            problems.append(
                Issue(
                    "missing-field",
                    "error",
                    loaded.path,
                    loaded.line,
                    "$",
                    "a baseline needs a string `id` and a string `text`",
                )
            )
        if problems:
            bad += 1
            for issue in problems:
                err.write(format_issue(issue) + "\n")
        else:
            docs.append(doc)
    if bad:
        err.write(f"{bad} input document(s) could not be read; nothing written\n")
        return None
    return docs


def _train(args, out: TextIO, err: TextIO) -> int:
    from ..baselines import DEFAULT_MODEL
    from ..baselines.learned import train_model
    from ..io import FileExistsRefused, write_text_atomic

    splits = args.split or ["train"]
    paths = args.input or [str(Path(args.gold_dir) / s) for s in splits]
    docs = _read(paths, err)
    if docs is None:
        return 1
    if not docs:
        err.write(f"no training documents in {', '.join(paths)}\n")
        return 1
    model = train_model(docs, seed=args.seed)
    target = args.out or args.model or DEFAULT_MODEL
    try:
        write_text_atomic(target, json.dumps(model, ensure_ascii=False, indent=1) + "\n", force=args.force)
    except FileExistsRefused as exc:
        err.write(f"{exc}\n")
        return 1
    counts = model["counts"]
    out.write(
        f"trained on {len(docs)} documents ({counts['tokens']} tokens, {counts['attributions']} "
        f"attributions, {counts['stances']} stances), seed {args.seed}: wrote {target}\n"
    )
    return 0


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..baselines import BaselineUnavailable, get_system
    from ..io import FileExistsRefused, dump_jsonl, write_jsonl_atomic
    from ..writing import file_set

    try:
        if args.system == "train":
            return _train(args, out, err)
        if args.system == "all":
            if args.input or args.out or args.out_dir:
                err.write(
                    "sayso baseline all: takes only --split, --gold-dir, --submissions, --model, --force\n"
                )
                return 2
            for name in SYSTEM_NAMES:
                args.system = name
                args.split = args.split or ["validation", "test"]
                args.out_dir = str(Path(args.submissions) / name / "predictions")
                code = main(args, out, err)
                if code:
                    return code
            return 0
        if not args.split and not args.input:
            err.write("sayso baseline: give --split SPLIT... or --input FILE...\n")
            return 2
        if args.out_dir is None and args.out is None:
            err.write("sayso baseline: give --out FILE or --out-dir DIR\n")
            return 2
        if args.out and (args.split and len(args.split) > 1):
            err.write("sayso baseline: several splits need --out-dir\n")
            return 2
        jobs = []  # (inputs, output name)
        if args.input:
            jobs.append((args.input, args.out or "predictions.jsonl"))
        else:
            for split in args.split:
                jobs.append(([str(Path(args.gold_dir) / split)], args.out or f"{split}.jsonl"))
        folder = None if args.out else Path(args.out_dir)
        targets = [Path(name) if folder is None else folder / name for _, name in jobs]
        system = get_system(args.system, model=args.model)
        results = []
        for inputs, _ in jobs:
            docs = _read(inputs, err)
            if docs is None:
                return 1
            docs.sort(key=lambda d: d["id"])
            results.append(list(_progress(system.predict(docs), len(docs), err)))
        if folder is None:
            write_jsonl_atomic(targets[0], results[0], force=args.force)
        else:  # the splits of one submission are replaced together or not at all
            with file_set(folder, force=args.force) as files:
                for (_, name), predictions in zip(jobs, results, strict=True):
                    files.write(name, dump_jsonl(predictions))
        for target, predictions in zip(targets, results, strict=True):
            out.write(f"{args.system}: {len(predictions)} documents -> {target}\n")
    except (BaselineUnavailable, FileNotFoundError, ValueError, FileExistsRefused) as exc:
        err.write(f"sayso baseline: {exc}\n")
        return 1
    return 0


def _progress(items, total: int, err: TextIO):
    """Yield ``items``, drawing a counter on stderr when it is a terminal."""
    tty = hasattr(err, "isatty") and err.isatty()
    for n, item in enumerate(items, start=1):
        if tty:
            err.write(f"\r{n}/{total} documents")
            err.flush()
        yield item
    if tty and total:
        err.write("\n")
