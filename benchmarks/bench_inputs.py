"""Bounded resources on big inputs: memory of `validate`, and whether `lint` stays linear.

    .venv/bin/python benchmarks/bench_inputs.py [--megabytes 15]

Builds a valid document by repeating the paragraphs (and the annotations) of a corpus-like
synthetic article until its JSON is about ``--megabytes`` MiB (the refusal limit is 16 MiB),
then, each in a fresh child process:
1. ``sayso validate`` on it: peak resident memory, and that peak over the file's size;
2. ``sayso lint`` on it and on a document a quarter of its size: the time ratio (linear: ~4);
3. a file over the limit: refused unread (peak memory of that run).
Nothing is asserted (no wall-clock assertions); the numbers are for reading (RELIABILITY.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import resource, sys, time
from sayso.cli import run
started = time.perf_counter()
code = run(sys.argv[1:], open("/dev/null", "w"), open("/dev/null", "w"))
elapsed = time.perf_counter() - started
print(code, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def measure(argv: list[str]) -> tuple[int, float, int]:
    """Exit code, seconds and peak resident bytes of one command in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, check=True)
    code, seconds, peak = done.stdout.split()
    return int(code), float(seconds), int(peak)


def baseline_memory() -> int:
    """Peak resident bytes of `sayso validate` on a tiny file (the interpreter and imports)."""
    return measure(["validate", "tests/fixtures/valid/document.json"])[2]


def big_document(megabytes: float) -> dict:
    from sayso.hf.synthetic import synthetic_corpus

    _, doc = next(iter(synthetic_corpus(1, seed=1, paragraphs=12)))
    unit = len(json.dumps(doc).encode())
    copies = max(1, int(megabytes * 1024 * 1024 / unit))
    text, shift = doc["text"], len(doc["text"]) + 2
    out = {**doc, "text": "\n\n".join([text] * copies), "mentions": [], "entities": doc["entities"],
           "attributions": [], "stances": []}  # fmt: skip
    for k in range(copies):
        def moved(span: dict | None, k: int = k) -> dict | None:
            if span is None:
                return None
            return {**span, "start": span["start"] + k * shift, "end": span["end"] + k * shift}

        out["mentions"] += [{**moved(m), "id": f"{m['id']}_{k}"} for m in doc["mentions"]]
        for a in doc["attributions"]:
            out["attributions"].append({
                **a, "id": f"{a['id']}_{k}", "source": a["source"] and f"{a['source']}_{k}",
                "cue": moved(a["cue"]), "content": [moved(c) for c in a["content"]],
                "via": a["via"] and f"{a['via']}_{k}",
            })  # fmt: skip
        for s in doc["stances"]:
            out["stances"].append({
                **s, "id": f"{s['id']}_{k}",
                "holder": s["holder"] if s["holder"] in (None, "author") else f"{s['holder']}_{k}",
                "target": f"{s['target']}_{k}", "evidence": [moved(e) for e in s["evidence"]],
                "attribution": s["attribution"] and f"{s['attribution']}_{k}",
            })  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=15.0)
    parser.add_argument("--write", metavar="FILE", help=argparse.SUPPRESS)  # used by this script itself
    args = parser.parse_args()
    if args.write:
        Path(args.write).write_text(json.dumps(big_document(args.megabytes)), encoding="utf-8")
        return 0
    base = baseline_memory()
    with tempfile.TemporaryDirectory() as tmp:
        big, quarter, over = Path(tmp, "big.json"), Path(tmp, "quarter.json"), Path(tmp, "over.json")
        # Written by child processes: a peak resident size survives fork and exec, so this process
        # must never hold the big documents itself.
        for path, megabytes in ((big, args.megabytes), (quarter, args.megabytes / 4)):
            writer = [sys.executable, __file__, "--write", str(path), "--megabytes", str(megabytes)]
            subprocess.run(writer, check=True)
        with open(over, "wb") as handle:
            handle.truncate(1024**3)  # 1 GiB, sparse
        size = big.stat().st_size
        code, seconds, peak = measure(["validate", str(big)])
        print(f"validate, {size / 2**20:.1f} MiB document: exit {code}, {seconds:.2f} s, "
              f"peak {peak / 2**20:.0f} MiB ({base / 2**20:.0f} MiB for a tiny file): "
              f"(peak - tiny) / size = {(peak - base) / size:.2f}")  # fmt: skip
        code_q, seconds_q, _ = measure(["lint", "--no-allow", str(quarter)])
        code_b, seconds_b, _ = measure(["lint", "--no-allow", str(big)])
        print(f"lint: {quarter.stat().st_size / 2**20:.1f} MiB in {seconds_q:.2f} s (exit {code_q}), "
              f"{size / 2**20:.1f} MiB in {seconds_b:.2f} s (exit {code_b}): "
              f"time ratio {seconds_b / seconds_q:.2f} "
              f"for size ratio {size / quarter.stat().st_size:.2f}")  # fmt: skip
        code, seconds, peak = measure(["validate", str(over)])
        print(f"validate, 1 GiB file: exit {code} (too-large), {seconds:.3f} s, peak {peak / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
