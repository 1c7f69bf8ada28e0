"""Build and load 10,000 synthetic articles: times and sizes of `sayso build` and `load_dataset`.

    python benchmarks/bench_build.py [--documents 10000] [--paragraphs 20]

Writes the synthetic gold into a temporary folder, times each phase of the build (reading and
validating the gold, turning documents into rows, writing Parquet, the card), then loads every
config with `datasets.load_dataset` offline, once from Parquet into Arrow and once streaming
(first 1,000 rows), and prints the sizes of the gold JSON and of each config's Parquet files.
Nothing is asserted: the numbers are for reading (GUIDE: no wall-clock assertions in tests).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

_HF_HOME = tempfile.mkdtemp(prefix="sayso-bench-hf-")
os.environ["HF_HUB_OFFLINE"] = "1"  # before datasets is imported: it reads these once
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HOME"] = _HF_HOME
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _size(paths) -> int:
    return sum(p.stat().st_size for p in paths)


def _mib(n: int) -> str:
    return f"{n / 2**20:8.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument(
        "--paragraphs", type=int, default=20, help="article size (20: about the corpus average of 350 words)"
    )
    args = parser.parse_args()

    import datasets

    from sayso.hf import CONFIGS, build
    from sayso.hf._rows import rows
    from sayso.hf.synthetic import write_synthetic_corpus

    datasets.disable_progress_bars()
    with tempfile.TemporaryDirectory(prefix="sayso-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        t = time.perf_counter()
        docs = write_synthetic_corpus(corpus, args.documents, seed=1, paragraphs=args.paragraphs)
        t_gen = time.perf_counter() - t
        words = sum(len(doc["text"].split()) for _, doc in docs)
        print(
            f"{args.documents:,} synthetic articles, {words / len(docs):.0f} words on average "
            f"(generated and written in {t_gen:.1f} s)"
        )

        t = time.perf_counter()
        gold, issues, problems = build.load_gold(corpus)
        t_load = time.perf_counter() - t
        assert not issues and not problems, (issues[:3], problems[:3])
        t = time.perf_counter()
        n_rows = sum(1 for _, doc in gold for _ in rows(doc))
        t_rows = time.perf_counter() - t

        t = time.perf_counter()
        result = build.render(corpus)
        t_render = time.perf_counter() - t
        t = time.perf_counter()
        build.write(result, corpus)
        t_write = time.perf_counter() - t
        t = time.perf_counter()
        diff = build.compare(result, corpus)
        t_compare = time.perf_counter() - t
        assert not diff
        print("\nbuild phase                                seconds   docs/s")
        for name, secs in (
            ("read + validate gold (levels 1-4)", t_load),
            ("documents -> rows, all configs", t_rows),
            ("render (all of the above + Parquet + card)", t_render),
            ("write files", t_write),
            ("compare with a fresh build (--check)", t_compare),
        ):
            print(f"  {name:<42} {secs:7.2f}  {len(gold) / secs:7.0f}")
        print(f"  ({n_rows:,} rows in all configs)")

        print("\nsize                      files      bytes")
        gold_files = list((corpus / "gold").rglob("*.json"))
        print(f"  gold JSON            {len(gold_files):7,}  {_mib(_size(gold_files))}")
        for config in CONFIGS:
            files = list((corpus / config).glob("*.parquet"))
            n_rows = sum(result.split_rows[config].values())
            print(f"  {config:<20} {len(files):7,}  {_mib(_size(files))}   {n_rows:,} rows")

        print("\nload_dataset (offline)    Arrow build s   rows/s   streaming first 1,000 rows s")
        for config in CONFIGS:
            t = time.perf_counter()
            ds = datasets.load_dataset(str(corpus), config)
            t_arrow = time.perf_counter() - t
            n = sum(d.num_rows for d in ds.values())
            t = time.perf_counter()
            stream = datasets.load_dataset(str(corpus), config, split="train", streaming=True)
            for _ in zip(range(1000), stream, strict=False):
                pass
            t_stream = time.perf_counter() - t
            print(f"  {config:<22} {t_arrow:10.2f}  {n / t_arrow:9.0f}   {t_stream:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
