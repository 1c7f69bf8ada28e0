"""How many average-size documents per second `sayso validate` checks (levels 1-3), on one core.

Target (issue 2): at least 2,000 documents per second. The documents are the committed gold
corpus (corpus/gold), repeated under fresh ids to reach --docs documents, written as one .jsonl
file and as one .json file per document. For reference the same documents are also checked with
jsonschema alone (no fast path), the naive way, on a sample. Run from the repository root:

    python benchmarks/bench_validate.py [--docs 6000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sayso import io
from sayso.validate import _validators, validate_document, validate_paths

TARGET = 2000.0  # documents per second
ROOT = Path(__file__).resolve().parent.parent


def corpus_documents() -> list[dict]:
    docs = [loaded.doc for loaded in io.load_documents([ROOT / "corpus" / "gold"]) if loaded.doc is not None]
    if not docs:
        sys.exit("no documents under corpus/gold: the benchmark needs the committed corpus")
    return docs


def levels_1_to_3(paths: list[Path]) -> int:
    """Read (level 1) and check (levels 2-3) every document; return how many were read."""
    count = 0
    for loaded in io.load_documents(paths):
        count += 1
        assert not loaded.issues, loaded.issues
        issues = validate_document(loaded.doc, path=loaded.path, line=loaded.line, raw=loaded.raw)
        assert not issues, issues[:3]
    return count


def best_of(runs: int, func, *args) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = func(*args)
        times.append(time.perf_counter() - start)
    return min(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=6000, help="documents per run (default 6000)")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs (default 3)")
    args = parser.parse_args()

    base = corpus_documents()
    sizes = [len(json.dumps(d, ensure_ascii=False)) for d in base]
    mentions = [len(d["mentions"] or ()) for d in base]
    records = [len(d["attributions"] or ()) + len(d["stances"] or ()) for d in base]
    docs = []
    for k in range(args.docs):
        doc = dict(base[k % len(base)])
        doc["id"] = f"bench-{k:06d}"
        docs.append(doc)
    print(
        f"documents: {args.docs} (the {len(base)} gold documents repeated); average size "
        f"{statistics.mean(sizes):,.0f} characters, {statistics.mean(mentions):.0f} mentions, "
        f"{statistics.mean(records):.0f} attributions + stances"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jsonl = folder / "all.jsonl"
        jsonl.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
        split = folder / "gold" / "train"
        split.mkdir(parents=True)
        for doc in docs:
            (split / f"{doc['id']}.json").write_text(io.dump_document(doc), encoding="utf-8")
        _validators("document")  # build the validators once, outside the timings

        t_jsonl, n = best_of(args.runs, levels_1_to_3, [jsonl])
        t_files, m = best_of(args.runs, levels_1_to_3, [split])
        t_all, _ = best_of(args.runs, lambda p: validate_paths(p).count, [split])
        rate_jsonl, rate_files, rate_all = n / t_jsonl, m / t_files, args.docs / t_all

        sample = docs[: max(50, args.docs // 20)]
        _, validator = _validators("document")
        start = time.perf_counter()
        for doc in sample:
            assert not list(validator.iter_errors(doc))
        rate_naive = len(sample) / (time.perf_counter() - start)

    rows = [
        ("levels 1-3, one .jsonl file", rate_jsonl),
        ("levels 1-3, one .json per doc", rate_files),
        ("levels 1-4 (validate_paths)", rate_all),
    ]
    for label, rate in rows:
        print(f"{label + ':':34s}{rate:8,.0f} docs/s  ratio to target {rate / TARGET:5.2f}")
    print(
        f"reference, jsonschema alone (L2): {rate_naive:8,.0f} docs/s  "
        f"(the fast path is {rate_jsonl / rate_naive:.1f}x faster end to end)"
    )
    ok = min(rate_jsonl, rate_files) >= TARGET
    print(f"target {TARGET:,.0f} docs/s: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
