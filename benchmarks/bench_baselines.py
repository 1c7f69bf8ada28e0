"""Time every baseline on the test split against the one-minute budget of issue 7.

    .venv/bin/python benchmarks/bench_baselines.py [--split test] [--gold-dir corpus/gold] [--repeat 1]

Two measurements, both printed with their ratio to the 60-second budget:
1. end to end, as a user runs them: one ``sayso baseline <system> --split <split>`` process per
   system (each pays Python start-up and, for rules and learned, loading spaCy and the model);
2. in one process: loading the spaCy pipeline once, then each system's ``predict`` alone, with
   the words per second of the spaCy systems.
Nothing is asserted (GUIDE: no wall-clock assertions); the numbers are for reading.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET = 60.0
SYSTEMS = ("rules", "learned", "empty", "gold")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test")
    parser.add_argument("--gold-dir", default="corpus/gold")
    parser.add_argument("--model", default="eval/models/learned.json")
    parser.add_argument("--repeat", type=int, default=1, help="in-process repetitions (best is kept)")
    args = parser.parse_args()

    from sayso.io import load_documents

    docs = [x.doc for x in load_documents([Path(args.gold_dir) / args.split]) if x.doc is not None]
    words = sum(len(d["text"].split()) for d in docs)
    print(f"{len(docs)} documents, {words} words in {args.gold_dir}/{args.split}; cores: {os.cpu_count()}")

    sayso = str(Path(sys.executable).with_name("sayso"))
    total = 0.0
    print("\n1. end to end (one `sayso baseline` process per system)")
    with tempfile.TemporaryDirectory() as tmp:
        for name in SYSTEMS:
            out = Path(tmp) / f"{name}.jsonl"
            start = time.perf_counter()
            subprocess.run(
                [
                    sayso,
                    "baseline",
                    name,
                    "--split",
                    args.split,
                    "--gold-dir",
                    args.gold_dir,
                    "--model",
                    args.model,
                    "--out",
                    str(out),
                ],
                check=True,
                capture_output=True,
            )
            took = time.perf_counter() - start
            total += took
            print(f"  {name:<8} {took:7.2f} s")
    print(f"  {'all':<8} {total:7.2f} s   = {total / BUDGET:.2f} x the {BUDGET:.0f} s budget")

    from sayso.baselines import get_system
    from sayso.baselines._resources import pipeline

    print("\n2. in one process")
    start = time.perf_counter()
    pipeline()
    load = time.perf_counter() - start
    print(f"  {'spaCy load':<12} {load:7.2f} s")
    inner = load
    for name in SYSTEMS:
        system = get_system(name, model=args.model)
        best = None
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            list(system.predict(docs))
            took = time.perf_counter() - start
            best = took if best is None else min(best, took)
        inner += best
        rate = f"{words / best:9.0f} words/s" if name in ("rules", "learned") and best else ""
        print(f"  {name:<12} {best:7.2f} s {rate}")
    print(f"  {'all':<12} {inner:7.2f} s   = {inner / BUDGET:.2f} x the {BUDGET:.0f} s budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
