"""Speed and memory of ``sayso score`` (mentions layer) against nervaluate and the parse floor.

    .venv/bin/python benchmarks/bench_score.py            # every set (several minutes)
    .venv/bin/python benchmarks/bench_score.py --quick    # the 5,000-document set only

Generates seeded synthetic gold/prediction pairs shaped like a large NER evaluation (issue 4):
5,000 documents, about 300,000 tokens, about 24,000 gold mentions of six types; predictions
about 85% exact, with boundary errors, type errors, misses and spurious spans; a 10x version;
and 5 documents of 50,000 mentions each. Each measurement runs in a fresh Python process that
reports its own wall time and peak RSS, so the numbers do not leak into each other (bytecode is
compiled and cached once before the timings, as in an installed package):

- parse floors: reading both files and parsing every line, nothing else, in one process with
  the cyclic garbage collector off (as ``sayso score`` runs): with ``json.loads`` (the floor of a
  scorer that uses the standard parser) and with msgspec (the parser ``sayso score`` uses: the
  floor of any scorer in one process). The "within 2x" target is checked against the lower one;
  ``sayso score`` runs on every core, so it can come close to or under a one-process floor;
- sayso: ``sayso score --gold G --pred P --json`` end to end (reading, checking, scoring, output);
- nervaluate 1.2.1: reading, converting spans, ``Evaluator(...).evaluate()``;
- bootstrap: ``sayso score ... --bootstrap 1000`` on the 10x set.

``sayso score`` reads, checks and counts a large ``.jsonl`` evaluation on every core (forked
workers; nervaluate uses one), so it is also timed confined to one core (the same fast reading,
as one chunk) and with ``SAYSO_WORKERS=1`` (the ordinary reader alone). Its peak memory is the
main process's plus its largest worker's (an upper bound: pages they share after the fork count
twice).

nervaluate compares every prediction with every gold mention of a document, so on the
50,000-mention documents it runs on the first 500, 1,000 and 2,000 mentions of each document
and its measured growth is extrapolated (printed as such).
Prints ratios and whether each target of issue 4 is met, with the load average before and after
(run it on a quiet machine); asserts nothing (never a wall-clock test).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

TYPES = ("PER", "ORG", "GPE", "LOC", "NORP", "EVENT")
SYLLABLES = ("ka", "lo", "mi", "ren", "to", "va", "sel", "dor", "an", "bri", "quo", "ne", "ul", "tas", "pe")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def generate(n_docs: int, tokens_per_doc: int, mentions_per_doc: int, seed: int, folder: Path, name: str):
    """Write ``<name>.gold.jsonl`` and ``<name>.pred.jsonl``; return their paths and mention count."""
    rng = random.Random(seed)
    gold_path, pred_path = folder / f"{name}.gold.jsonl", folder / f"{name}.pred.jsonl"
    n_mentions = 0
    with gold_path.open("w", encoding="utf-8") as g_out, pred_path.open("w", encoding="utf-8") as p_out:
        for d in range(n_docs):
            words = [_word(rng) for _ in range(tokens_per_doc)]
            starts, pos = [], 0
            for w in words:
                starts.append(pos)
                pos += len(w) + 1
            text = " ".join(words)

            def span(a: int, b: int, starts=starts, words=words) -> tuple[int, int]:
                return starts[a], starts[b - 1] + len(words[b - 1])

            # Mentions of 1-3 tokens separated by at least 2 free tokens (room for boundary errors).
            slots = max(1, tokens_per_doc // max(1, mentions_per_doc))
            gold, pred = [], []
            for k in range(mentions_per_doc):
                a = k * slots + rng.randint(1, max(1, slots - 5))
                b = min(a + rng.randint(1, 3), tokens_per_doc - 1)
                if b <= a or a >= tokens_per_doc - 2:
                    continue
                t = rng.choice(TYPES)
                s, e = span(a, b)
                gold.append({"id": f"m{len(gold) + 1}", "start": s, "end": e, "type": t, "kind": "NAM"})
                r = rng.random()
                if r < 0.85:
                    ps, pe, pt = s, e, t
                elif r < 0.89:
                    ps, pe = span(a - 1, b) if rng.random() < 0.5 else span(a, b + 1)
                    pt = t
                elif r < 0.92:
                    ps, pe, pt = s, e, rng.choice([x for x in TYPES if x != t])
                else:
                    ps = None
                if ps is not None:
                    pred.append(
                        {"id": f"p{len(pred) + 1}", "start": ps, "end": pe, "type": pt, "kind": "NAM"}
                    )
                if rng.random() < 0.05:  # a spurious span in the free tokens after this mention
                    a2 = b + 2
                    if a2 < min(tokens_per_doc - 1, (k + 1) * slots):
                        ss, se = span(a2, a2 + 1)
                        pred.append(
                            {
                                "id": f"p{len(pred) + 1}",
                                "start": ss,
                                "end": se,
                                "type": rng.choice(TYPES),
                                "kind": "NAM",
                            }
                        )
            n_mentions += len(gold)
            doc_id = f"bench-{d:06d}"
            g_out.write(
                json.dumps(
                    {
                        "id": doc_id,
                        "schema_version": "1.0",
                        "text": text,
                        "mentions": gold,
                        "entities": None,
                        "attributions": None,
                        "stances": None,
                    }
                )
                + "\n"
            )
            p_out.write(json.dumps({"id": doc_id, "mentions": pred}) + "\n")
    return gold_path, pred_path, n_mentions


_PARSE = """
import gc
gc.disable()  # the floor: parsed JSON has no cycles, so a careful scorer turns the collector off
import json
def parse(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
gold, pred = parse({gold!r}), parse({pred!r})
"""

_PARSE_MSGSPEC = """
import gc
gc.disable()
from msgspec.json import Decoder
loads = Decoder().decode
def parse(path):
    with open(path, "rb") as f:
        return [loads(line) for line in f if line.strip()]
gold, pred = parse({gold!r}), parse({pred!r})
"""

_NERVALUATE = """
import json
from nervaluate import Evaluator
def parse(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
gold, pred = parse({gold!r}), parse({pred!r})
by_id = {{d["id"]: d for d in pred}}
limit = {limit}
def spans(doc):
    # nervaluate's ends are inclusive
    ms = [{{"label": m["type"], "start": m["start"], "end": m["end"] - 1}} for m in doc.get("mentions") or []]
    return ms[:limit] if limit else ms
true = [spans(d) for d in gold]
predicted = [spans(by_id.get(d["id"], {{}})) for d in gold]
results = Evaluator(true, predicted, tags={types!r}, loader="dict").evaluate()
"""

_SAYSO_API = """
import json
from sayso.score import score_documents
def parse(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
gold, pred = parse({gold!r}), parse({pred!r})
result = score_documents(gold, pred, digest="bench", layers=("mentions",))
"""

_SAYSO = """
import io
from sayso.cli import run
out, err = io.StringIO(), io.StringIO()
code = run(["score", "--gold", {gold!r}, "--pred", {pred!r}, "--json"] + {extra!r}, out, err)
assert code == 0, err.getvalue()
"""


# Children compile and cache bytecode as an installed package would (pip writes .pyc files at
# install time; nervaluate's are there already), in a private cache folder set by main(), even
# when the environment says PYTHONDONTWRITEBYTECODE: otherwise every run of sayso would include
# compiling its own modules (~0.03 s) and nervaluate's would not.
_CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(body: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run ``body`` in a fresh interpreter; return (seconds, peak RSS in MB)."""
    script = (
        "import resource, time\nt0 = time.perf_counter()\n"
        + textwrap.dedent(body)
        + (
            "\nt1 = time.perf_counter()\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "peak += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"  # workers, if any
            "print(t1 - t0, peak / 1024)\n"
        )
    )
    env = dict(_CHILD_ENV, **(env or {}))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=env
    )
    if done.returncode:
        raise SystemExit(f"benchmark child failed:\n{done.stderr}")
    seconds, rss = done.stdout.split()[-2:]
    return float(seconds), float(rss)


def _row(
    name: str, seconds: float, rss: float, floor: float | None = None, other: float | None = None
) -> str:
    extra = ""
    if floor:
        extra += f"  {seconds / floor:5.2f}x parse floor"
    if other:
        extra += f"  nervaluate / sayso = {other / seconds:6.1f}x"
    return f"  {name:<34}{seconds:9.3f} s {rss:8.0f} MB{extra}"


def bench_set(
    label: str,
    gold: Path,
    pred: Path,
    n_mentions: int,
    bootstrap: bool = False,
    targets: tuple[float, float | None] = (5.0, None),
) -> float:
    """Print the measurements of one set; return the seconds of ``sayso score``."""
    print(f"{label}: {n_mentions:,} gold mentions")
    standard, standard_rss = measure(_PARSE.format(gold=str(gold), pred=str(pred)))
    print(_row("parse floor (json.loads)", standard, standard_rss))
    floor, floor_rss = measure(_PARSE_MSGSPEC.format(gold=str(gold), pred=str(pred)))
    print(_row("parse floor (msgspec)", floor, floor_rss))
    floor = min(floor, standard)
    nerv, nerv_rss = measure(_NERVALUATE.format(gold=str(gold), pred=str(pred), limit=0, types=list(TYPES)))
    print(_row("nervaluate 1.2.1", nerv, nerv_rss, floor))
    ours, ours_rss = measure(_SAYSO.format(gold=str(gold), pred=str(pred), extra=[]))
    print(_row("sayso score", ours, ours_rss, floor, nerv))
    speedup, within = targets
    ratio = nerv / ours
    verdict = f"  target: nervaluate / sayso >= {speedup:g}x: {ratio:.1f}x ({_met(ratio >= speedup)})"
    if within is not None:
        over = ours / floor
        verdict += (
            f"; within {within:g}x of the lower parse floor: {over:.2f}x ({_met(over <= within)});"
            f" {ours / standard:.2f}x the json.loads floor"
        )
    print(verdict)
    if hasattr(os, "sched_setaffinity"):  # the same command confined to one core: one chunk, no fork
        body = "import os\nos.sched_setaffinity(0, {{min(os.sched_getaffinity(0))}})\n" + _SAYSO
        core, core_rss = measure(body.format(gold=str(gold), pred=str(pred), extra=[]))
        print(_row("sayso score, one core", core, core_rss, floor, nerv))
    one, one_rss = measure(_SAYSO.format(gold=str(gold), pred=str(pred), extra=[]), {"SAYSO_WORKERS": "1"})
    print(_row("sayso score, SAYSO_WORKERS=1", one, one_rss, floor, nerv))
    api, api_rss = measure(_SAYSO_API.format(gold=str(gold), pred=str(pred)))
    print(_row("json.loads + score_documents()", api, api_rss, floor, nerv))
    if bootstrap:
        boot, boot_rss = measure(_SAYSO.format(gold=str(gold), pred=str(pred), extra=["--bootstrap", "1000"]))
        print(_row("sayso score --bootstrap 1000", boot, boot_rss, floor))
        print(f"  bootstrap cost: {boot / ours:.2f}x plain scoring; peak {boot_rss:.0f} MB")
    return ours


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _warm_up(folder: Path) -> None:
    """Compile and cache the bytecode of both sides once, outside the timings."""
    _CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    measure("import sayso.cli, sayso.commands.score, sayso.score, sayso.validate, nervaluate")


def bench_long(folder: Path, per_mention: float) -> None:
    """The long documents; ``per_mention``: seconds per gold mention of sayso on the 10x set."""
    gold, pred, n = generate(5, 300_000, 50_000, 7, folder, "long")
    print(f"5 documents of 50,000 mentions: {n:,} gold mentions")
    floor, floor_rss = measure(_PARSE_MSGSPEC.format(gold=str(gold), pred=str(pred)))
    print(_row("parse floor (msgspec)", floor, floor_rss))
    ours, ours_rss = measure(_SAYSO.format(gold=str(gold), pred=str(pred), extra=[]))
    print(_row("sayso score", ours, ours_rss, floor))
    print(
        f"  sayso: {ours / n * 1e6:.2f} us per gold mention here, {per_mention * 1e6:.2f} on the 10x set"
        f" (50,000 documents of 5 mentions): linear in mentions, whatever the document size"
    )
    # nervaluate's fixed cost (reading 50,000-mention documents) is measured with 10 mentions per
    # document and subtracted, so the exponent describes its matching alone.
    fixed, _ = measure(_NERVALUATE.format(gold=str(gold), pred=str(pred), limit=10, types=list(TYPES)))
    print(f"  nervaluate with 10 mentions per document (reading cost): {fixed:8.3f} s")
    points = []
    for limit in (500, 1_000, 2_000):
        seconds, _ = measure(
            _NERVALUATE.format(gold=str(gold), pred=str(pred), limit=limit, types=list(TYPES))
        )
        points.append((limit, max(seconds - fixed, 1e-6)))
        print(f"  nervaluate on the first {limit:,} mentions of each document: {seconds:8.3f} s")
    (n1, t1), (n2, t2) = points[-2], points[-1]
    exponent = math.log(t2 / t1) / math.log(n2 / n1)
    estimate = fixed + t2 * (50_000 / n2) ** exponent
    print(
        f"  nervaluate matching grows as n^{exponent:.2f}; extrapolated to 50,000 mentions per document: "
        f"~{estimate:,.0f} s (~{estimate / ours:,.0f}x sayso)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the 5,000-document set")
    parser.add_argument(
        "--keep", metavar="DIR", help="write the generated files here instead of a temp folder"
    )
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sayso-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {_load()}")
    _warm_up(folder)
    gold, pred, n = generate(5_000, 60, 5, 1, folder, "base")
    bench_set("5,000 documents (~300,000 tokens)", gold, pred, n, bootstrap=args.quick)
    if not args.quick:
        gold, pred, n = generate(50_000, 60, 5, 2, folder, "x10")
        ours = bench_set("50,000 documents (10x)", gold, pred, n, bootstrap=True, targets=(10.0, 2.0))
        bench_long(folder, ours / n)
    print(f"done, {_load()}")


if __name__ == "__main__":
    main()
