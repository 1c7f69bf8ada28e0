"""``sayso score``: score predictions against gold, with intervals, paired tests and signatures.

Metrics and every printed number are defined in ``eval/METRICS.md``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

HELP = "score predictions against gold, with intervals and signatures"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Score a submission (PRED) against gold documents (GOLD): mentions, entity linking, "
        "attributions and stances. Every score is printed with its signature. Metrics: eval/METRICS.md."
    )
    parser.epilog = (
        "Large .jsonl inputs (mentions layer) are read and counted on every core, with the same "
        "output; SAYSO_WORKERS=N sets the number of processes (1: one process, reading the ordinary way)."
    )
    parser.add_argument("--gold", required=True, help="gold folder, .json or .jsonl file (e.g. corpus/gold)")
    parser.add_argument("--pred", required=True, help="predictions: folder, .json or .jsonl file")
    parser.add_argument(
        "--split",
        choices=("train", "validation", "test"),
        help="score only the gold documents of this split (from their folder names)",
    )
    parser.add_argument(
        "--mentions",
        choices=("nam", "all"),
        default="nam",
        help="mentions scored: named only (default) or every kind",
    )
    parser.add_argument(
        "--type-map",
        metavar="FILE",
        help="JSON file renaming mention types before scoring (format in eval/METRICS.md)",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="N",
        help="document-level bootstrap 95%% intervals with N resamples (e.g. 1000)",
    )
    parser.add_argument("--seed", type=int, default=12345, help="random seed of resampling (default 12345)")
    parser.add_argument(
        "--compare",
        metavar="PRED2",
        help="a second system: paired bootstrap and approximate randomisation p-values",
    )
    parser.add_argument(
        "--trials",
        type=int,
        default=1000,
        metavar="N",
        help="resamples/permutations of the paired tests (default 1000)",
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable output (keys in eval/METRICS.md)")
    out.add_argument("--markdown", action="store_true", help="one leaderboard row (Markdown table)")
    parser.add_argument("--system", default=None, help="system name in the --markdown row (default: PRED)")
    parser.add_argument(
        "--per-doc", metavar="FILE", help="write per-document counts and figures as JSON lines"
    )
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list missed and spurious items with their context (in --json: key 'errors')",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing --per-doc file")


class _Inputs:
    """Gold and predictions read and checked; ``issues`` holds every problem found."""

    def __init__(self) -> None:
        self.gold: dict[str, dict] = {}
        self.other_split: set[str] = set()
        self.raw_digests: list[tuple[str, str]] = []
        self.issues: list = []


def _read_gold(path: str, split: str | None, inputs: _Inputs) -> None:
    import hashlib

    from ..io import load_documents, split_of
    from ..issues import Issue

    for loaded in load_documents([path]):
        if loaded.issues:
            inputs.issues.extend(loaded.issues)
        doc = loaded.doc
        if doc is None:
            continue
        if (
            not isinstance(doc, dict)
            or not isinstance(doc.get("id"), str)
            or not isinstance(doc.get("text"), str)
        ):
            inputs.issues.append(
                Issue(
                    "score-gold",
                    "error",
                    loaded.path,
                    loaded.line,
                    "$",
                    "a gold document must be an object with a string id and text",
                )
            )
            continue
        if split is not None and split_of(loaded.path) != split:
            inputs.other_split.add(doc["id"])
            continue
        if doc["id"] in inputs.gold:
            inputs.issues.append(
                Issue(
                    "score-gold",
                    "error",
                    loaded.path,
                    loaded.line,
                    "$.id",
                    f"gold document id {doc['id']!r} is given twice",
                )
            )
            continue
        inputs.gold[doc["id"]] = doc
        raw = (loaded.raw or "").encode("utf-8")
        inputs.raw_digests.append((doc["id"], hashlib.sha256(raw).hexdigest()))


def _schema_view(doc: Any, pred_types: dict | None) -> Any:
    """The submission as the validator should see it under a type map (issue 8).

    The validator knows only labels.json types: mapped types replace the system's own, and a
    mention mapped out of scoring (null) takes its entity's type, or else the first type that
    no other mention has on the same span (so that no check fires on a type nobody scores).
    """
    if not pred_types or not isinstance(doc, dict):
        return doc
    from ..labels import label_names

    view = dict(doc)
    entity_type: dict[str, Any] = {}
    if isinstance(doc.get("entities"), list):
        entities = []
        for e in doc["entities"]:
            if isinstance(e, dict) and isinstance(e.get("type"), str) and e["type"] in pred_types:
                e = {**e, "type": pred_types[e["type"]]}
            if isinstance(e, dict) and isinstance(e.get("id"), str):
                entity_type[e["id"]] = e.get("type")
            entities.append(e)
        view["entities"] = entities
    if not isinstance(doc.get("mentions"), list):
        return view
    mapped, dropped = [], []
    for m in doc["mentions"]:
        if isinstance(m, dict) and isinstance(m.get("type"), str) and m["type"] in pred_types:
            m = {**m, "type": pred_types[m["type"]]}
            if m["type"] is None:
                dropped.append(len(mapped))
        mapped.append(m)
    taken = {(m.get("start"), m.get("end"), m.get("type")) for m in mapped if isinstance(m, dict)}
    for k in dropped:
        m = mapped[k]
        candidates = [entity_type.get(m.get("entity"))] + list(label_names("mention_type"))
        free = next(t for t in candidates if t and (m.get("start"), m.get("end"), t) not in taken)
        taken.add((m.get("start"), m.get("end"), free))
        mapped[k] = {**m, "type": free}
    view["mentions"] = mapped
    return view


def _read_pred(path: str, inputs: _Inputs, pred_types: dict | None) -> tuple[list[dict], int]:
    from ..io import load_documents
    from ..issues import Issue
    from ..score import check_prediction
    from ..score._check import prediction_is_clean

    try:
        from ..validate import validate_document
    except ImportError:  # pragma: no cover - an installation without the validator
        validate_document = None
    preds: list[dict] = []
    seen: dict[str, tuple[str, int]] = {}  # id -> (path, line) of its first prediction
    ignored = 0
    gold = inputs.gold
    for loaded in load_documents([path]):
        if loaded.issues:
            inputs.issues.extend(loaded.issues)
        doc = loaded.doc
        if doc is None:
            continue
        # The common case in one pass: a clean submission needs neither the validator nor
        # check_prediction (each would find nothing); anything else gets both, for their messages.
        gold_doc = gold.get(doc.get("id")) if type(doc) is dict and type(doc.get("id")) is str else None
        clean = (
            not loaded.issues
            and not pred_types
            and gold_doc is not None
            and validate_document is not None
            and prediction_is_clean(doc, gold_doc["text"])
        )
        if clean:
            doc_id = doc["id"]
            if doc_id in inputs.other_split:
                ignored += 1
                continue
            if doc_id not in seen:
                seen[doc_id] = (loaded.path, loaded.line)
                preds.append(doc)
                continue
        if validate_document is not None:
            schema = [
                i
                for i in validate_document(
                    _schema_view(doc, pred_types),
                    path=loaded.path,
                    line=loaded.line,
                    kind="submission",
                    raw=loaded.raw,
                )
                if i.is_error
            ]
            if schema:
                inputs.issues.extend(schema)
                continue
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        if isinstance(doc_id, str) and doc_id in inputs.other_split:
            ignored += 1
            continue
        problems = check_prediction(
            doc,
            inputs.gold.get(doc_id) if isinstance(doc_id, str) else None,
            path=loaded.path,
            line=loaded.line,
            pred_types=pred_types,
        )
        if isinstance(doc_id, str) and doc_id in seen:
            problems.append(
                Issue(
                    "score-duplicate-id",
                    "error",
                    loaded.path,
                    loaded.line,
                    "$.id",
                    f"document {doc_id!r} was already predicted in {seen[doc_id][0]}:{seen[doc_id][1]}",
                )
            )
        if problems:
            inputs.issues.extend(problems)
            continue
        seen[doc_id] = (loaded.path, loaded.line)
        preds.append(doc)
    return preds, ignored


def _report_issues(issues: list, err: TextIO) -> int:
    from ..issues import format_issue

    errors = [i for i in issues if i.is_error]
    for issue in issues:
        err.write(format_issue(issue) + "\n")
    if errors:
        err.write(f"sayso score: {len(errors)} error(s) in the input; nothing was scored\n")
    return len(errors)


def _load(args: argparse.Namespace, path: str, inputs: _Inputs, pred_types: dict | None, err: TextIO) -> Any:
    preds, ignored = _read_pred(path, inputs, pred_types)
    if ignored:
        err.write(f"note: {ignored} prediction(s) for gold documents outside split {args.split} ignored\n")
    return preds


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import gc

    # Parsed JSON holds no reference cycles, but the cyclic collector would re-scan every document
    # kept so far each time it runs: a third of the time of a large evaluation (issue 4).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(args, out, err)
    finally:
        if collecting:
            gc.enable()


def _main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..score import TypeMapError, load_type_map
    from ..score._score import _digest

    type_map = None
    if args.type_map:
        try:
            type_map = load_type_map(args.type_map)
        except TypeMapError as exc:
            err.write(f"{args.type_map}: [score-type-map] $: {exc}\n")
            return 1
    if args.bootstrap < 0 or args.trials < 1:
        err.write("sayso score: --bootstrap must be >= 0 and --trials >= 1\n")
        return 2
    fast = type_map is None and args.split is None and not args.compare and not args.errors
    if fast:
        # A large clean evaluation (mentions only, the submission in the order of the gold) is
        # read, checked and counted on every core (issue 4); the same result as below, or None
        # for anything else, which the code below reads, reports and scores the ordinary way.
        from ..score._parallel import count_pairs
        from ..score._score import score_counted, score_summary

        # Without --per-doc or --bootstrap the workers send sums, not one record per document.
        per_document = bool(args.per_doc) or args.bootstrap > 0
        paired = count_pairs(args.gold, args.pred, args.mentions == "all", per_document)
        if paired is not None:
            if paired.records is None:
                result = score_summary(
                    paired.totals,
                    paired.phenomena,
                    paired.missing,
                    paired.documents,
                    mentions=args.mentions,
                    seed=args.seed,
                    split=args.split,
                    digest=paired.digest,
                )
            else:
                result = score_counted(
                    paired.records,
                    totals=paired.totals,
                    mentions=args.mentions,
                    bootstrap=args.bootstrap,
                    seed=args.seed,
                    split=args.split,
                    digest=paired.digest,
                )
            return _output(args, result, [], [], type_map, out, err)
    inputs = _Inputs()
    _read_gold(args.gold, args.split, inputs)
    if any(issue.is_error for issue in inputs.issues):  # predictions cannot be checked against it
        _report_issues(inputs.issues, err)
        return 1
    if not inputs.gold:
        where = f" of split {args.split}" if args.split else ""
        err.write(f"sayso score: no gold documents{where} in {args.gold}\n")
        return 1
    pred_types = type_map.pred if type_map else None
    counted = None
    if fast:  # the submission alone on every core, against the gold read here
        from ..score._parallel import count_submission

        counted = count_submission(args.pred, inputs.gold, args.mentions == "all")
    if counted is not None:
        preds: list[dict] = []
        preds_b = None
    else:
        preds = _load(args, args.pred, inputs, pred_types, err)
        preds_b = _load(args, args.compare, inputs, pred_types, err) if args.compare else None
    if _report_issues(inputs.issues, err):
        return 1
    options: dict[str, Any] = {
        "mentions": args.mentions,
        "type_map": type_map,
        "split": args.split,
        "digest": _digest(sorted(inputs.raw_digests)),
    }
    gold = list(inputs.gold.values())
    if preds_b is not None:
        return _compare(args, gold, preds, preds_b, options, out, err)
    if counted is not None:
        from ..score._score import score_mention_counts

        del options["type_map"]
        result = score_mention_counts(gold, counted, bootstrap=args.bootstrap, seed=args.seed, **options)
    else:
        from ..score import score_documents

        result = score_documents(gold, preds, bootstrap=args.bootstrap, seed=args.seed, **options)
    return _output(args, result, gold, preds, type_map, out, err)


def _output(
    args: argparse.Namespace, result: Any, gold: list, preds: list, type_map: Any, out: TextIO, err: TextIO
) -> int:
    from ..io import FileExistsRefused, write_jsonl_atomic

    if result.missing:
        err.write(
            f"warning: [score-missing-documents] {len(result.missing)} of {result.n_gold} "
            f"gold documents "
            f"have no prediction; scored as empty predictions\n"
        )
    for layer, scored in result.layers.items():
        if not scored:
            err.write(f"note: layer {layer} is absent from every submitted document: not scored\n")
    if args.per_doc:
        try:
            write_jsonl_atomic(
                args.per_doc,
                ({**d.to_json(), "signature": result.signature} for d in result.documents),
                force=args.force,
            )
        except FileExistsRefused as exc:
            err.write(f"sayso score: {exc}\n")
            return 1
    errors = _error_listing(result, gold, preds, type_map) if args.errors else None
    if args.json:
        data = result.to_json()
        if errors is not None:
            data["errors"] = errors
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.markdown:
        from ..score import markdown_header, markdown_row

        out.write(markdown_header() + markdown_row(result, args.system or args.pred))
    else:
        from ..score import render_result

        out.write(render_result(result))
    if errors is not None:
        out.write("id\tlayer\terror\titem\tcontext\n" + "".join(line + "\n" for line in errors))
    return 0


def _error_listing(result: Any, gold: list[dict], preds: list[dict], type_map: Any) -> list[str]:
    from ..score._errors import error_lines

    by_id = {d["id"]: d for d in preds}
    layers = tuple(name for name, on in result.layers.items() if on)
    lines: list[str] = []
    for doc in sorted(gold, key=lambda d: d["id"]):
        lines.extend(
            error_lines(
                doc,
                by_id.get(doc["id"], {}),
                layers,
                all_kinds=result.settings.mentions == "all",
                gold_types=type_map.gold if type_map else None,
                pred_types=type_map.pred if type_map else None,
            )
        )
    return lines


def _compare(
    args: argparse.Namespace, gold: list, a: list, b: list, options: dict, out: TextIO, err: TextIO
) -> int:
    from ..score import compare_documents, render_comparison

    cmp = compare_documents(
        gold, a, b, trials=args.trials, seed=args.seed, bootstrap=args.bootstrap, **options
    )
    if args.json:
        out.write(json.dumps(cmp.to_json(), ensure_ascii=False, indent=2) + "\n")
    elif args.markdown:  # one leaderboard row per system
        from ..score import markdown_header, markdown_row

        out.write(
            markdown_header()
            + markdown_row(cmp.a, args.system or args.pred)
            + markdown_row(cmp.b, args.compare)
        )
    else:
        out.write(render_comparison(cmp, args.pred, args.compare))
    return 0
