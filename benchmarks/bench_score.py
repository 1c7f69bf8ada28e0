"""Speed and memory of ``sayso score`` against nervaluate and the parse floor (issue 12).

    .venv/bin/python benchmarks/bench_score.py            # every set (several minutes)
    .venv/bin/python benchmarks/bench_score.py --quick    # the 5,000-document sets only

Generates seeded synthetic evaluations shaped like a large NER evaluation: 5,000 documents,
about 300,000 tokens, about 25,000 gold mentions of six types; predictions about 85% exact, with
boundary errors, type errors, misses and spurious spans; and a 10x version. The gold is valid gold
(meta, entities with some Wikidata ids, and in the "every layer" sets attributions and stances),
because ``sayso score`` now checks it as ``sayso validate`` does; the submission carries
``mentions`` and ``entities`` (and, in the "every layer" sets, ``attributions`` and ``stances``).
Each measurement runs in a fresh Python process that reports its own wall time and peak RSS
(bytecode compiled and cached once before the timings, as in an installed package):

- parse floors: reading both files and parsing every line, nothing else, with ``json.loads`` and
  with msgspec, the collector off;
- sayso: ``sayso score --gold G --pred P --json`` end to end (reading and checking the gold,
  reading and checking every prediction against it, counting, output);
- nervaluate 1.2.1 on the same mentions: reading, converting spans, ``Evaluator(...).evaluate()``;
- bootstrap: ``sayso score ... --bootstrap 1000`` on the 10x set;
- ``sayso leaderboard`` over the committed systems with 1,000 resamples (into a temporary folder);
- 5 documents of 50,000 mentions each: sayso's time per mention against the 10x set's
  (linearity); nervaluate there is measured on the first 500-2,000 mentions and extrapolated.

Prints ratios, the peak memory beside each figure (and its ratio to the larger input file), and
whether each target of issue 12 is met, with the load average before and after; asserts nothing
(never a wall-clock test).
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


def generate(
    n_docs: int, tokens_per_doc: int, mentions_per_doc: int, seed: int, folder: Path, name: str, layers: str
) -> tuple[Path, Path, int]:
    """Write ``<name>.gold.jsonl`` and ``<name>.pred.jsonl``; return their paths and mention count.

    ``layers``: ``"entities"`` (the submission carries mentions and entities) or ``"all"``
    (attributions and stances too, in gold and submission)."""
    rng = random.Random(seed)
    gold_path, pred_path = folder / f"{name}.gold.jsonl", folder / f"{name}.pred.jsonl"
    n_mentions = 0
    every = layers == "all"
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
            g_doc, p_doc = _document(f"bench-{d:06d}", text, gold, pred, rng, every)
            g_out.write(json.dumps(g_doc) + "\n")
            p_out.write(json.dumps(p_doc) + "\n")
    return gold_path, pred_path, n_mentions


def _document(doc_id: str, text: str, gold: list, pred: list, rng: random.Random, every: bool) -> tuple:
    """A valid gold document and its submission around the mentions (one entity per mention; a
    third of the entities linked; with ``every``, an attribution and a stance per two mentions)."""
    g_entities, p_entities = [], []
    for side, entities in ((gold, g_entities), (pred, p_entities)):
        for k, m in enumerate(side):
            m["entity"] = f"e{k + 1}"
            wikidata = f"Q{rng.randint(1, 40)}" if rng.random() < 0.33 else None
            entities.append(
                {
                    "id": f"e{k + 1}",
                    "name": text[m["start"] : m["end"]],
                    "type": m["type"],
                    "wikidata": wikidata,
                }
            )
    g_doc = {
        "id": doc_id,
        "schema_version": "1.0",
        "meta": {
            "title": doc_id,
            "outlet": "bench",
            "published": "2026-12-01",
            "language": "en",
            "url": None,
            "license": "CC-BY-4.0",
            "beat": None,
            "phenomena": None,
        },
        "text": text,
        "mentions": gold,
        "entities": g_entities,
        "attributions": None,
        "stances": None,
    }
    p_doc = {"id": doc_id, "mentions": pred, "entities": p_entities}
    if every:
        for doc, side in ((g_doc, gold), (p_doc, pred)):
            records, stances = [], []
            for k in range(0, len(side) - 1, 2):
                source, target = side[k], side[k + 1]
                content = {"start": source["end"] + 1, "end": target["end"]}
                records.append(
                    {
                        "id": f"a{k}",
                        "source": source["id"],
                        "cue": None,
                        "content": [content],
                        "quote": rng.choice(("direct", "indirect")),
                        "via": None,
                        "identity": "named",
                        "source_type": rng.choice(("government", "expert", "media")),
                        "channel": "statement",
                    }
                )
                stances.append(
                    {
                        "id": f"s{k}",
                        "holder": source["id"],
                        "target": target["id"],
                        "polarity": rng.choice(("support", "oppose", "neutral")),
                        "evidence": [content],
                        "attribution": f"a{k}",
                    }
                )
            doc["attributions"], doc["stances"] = records, stances
    return g_doc, p_doc


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
    target: float | None = 5.0,
) -> float:
    """Print the measurements of one set; return the seconds of ``sayso score``."""
    size = max(gold.stat().st_size, pred.stat().st_size) / 2**20
    print(
        f"{label}: {n_mentions:,} gold mentions; gold {gold.stat().st_size / 2**20:.0f} MB, "
        f"submission {pred.stat().st_size / 2**20:.0f} MB"
    )
    standard, standard_rss = measure(_PARSE.format(gold=str(gold), pred=str(pred)))
    print(_row("parse floor (json.loads)", standard, standard_rss))
    floor, floor_rss = measure(_PARSE_MSGSPEC.format(gold=str(gold), pred=str(pred)))
    print(_row("parse floor (msgspec)", floor, floor_rss))
    floor = min(floor, standard)
    nerv, nerv_rss = measure(_NERVALUATE.format(gold=str(gold), pred=str(pred), limit=0, types=list(TYPES)))
    print(_row("nervaluate 1.2.1 (mentions)", nerv, nerv_rss, floor))
    ours, ours_rss = measure(_SAYSO.format(gold=str(gold), pred=str(pred), extra=[]))
    print(_row("sayso score", ours, ours_rss, floor, nerv))
    ratio = nerv / ours
    verdict = f"  nervaluate / sayso = {ratio:.1f}x"
    if target is not None:
        verdict += f" (target {target:g}x: {_met(ratio >= target)})"
    within = _met(ours_rss <= 2 * size)
    verdict += (
        f"; peak memory {ours_rss:.0f} MB = {ours_rss / size:.2f}x the larger input (target 2x: {within})"
    )
    print(verdict)
    if bootstrap:
        boot, boot_rss = measure(_SAYSO.format(gold=str(gold), pred=str(pred), extra=["--bootstrap", "1000"]))
        print(_row("sayso score --bootstrap 1000", boot, boot_rss, floor))
        print(f"  bootstrap cost: {boot / ours:.2f}x plain scoring; peak {boot_rss:.0f} MB")
    return ours


_LEADERBOARD = """
import io, tempfile
from sayso.cli import run
out, err = io.StringIO(), io.StringIO()
with tempfile.TemporaryDirectory() as tmp:
    code = run(["leaderboard", "--out-dir", tmp, "--bootstrap", "1000"], out, err)
assert code == 0, err.getvalue()
"""


def bench_leaderboard() -> None:
    """``sayso leaderboard`` over the committed systems, 1,000 resamples (target: under 5 s)."""
    seconds, rss = measure(_LEADERBOARD)
    print(
        _row("sayso leaderboard (committed systems)", seconds, rss) + f"  (target < 5 s: {_met(seconds < 5)})"
    )


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _warm_up(folder: Path) -> None:
    """Compile and cache the bytecode of both sides once, outside the timings."""
    _CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    measure(
        "import sayso.cli, sayso.commands.score, sayso.commands.leaderboard, sayso.score, sayso.validate, nervaluate"
    )


def bench_long(folder: Path, per_mention: float) -> None:
    """The long documents; ``per_mention``: seconds per gold mention of sayso on the 10x set."""
    gold, pred, n = generate(5, 300_000, 50_000, 7, folder, "long", "entities")
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
    parser.add_argument("--quick", action="store_true", help="only the 5,000-document sets")
    parser.add_argument(
        "--keep", metavar="DIR", help="write the generated files here instead of a temp folder"
    )
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sayso-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {_load()}")
    _warm_up(folder)
    gold, pred, n = generate(5_000, 60, 5, 1, folder, "base", "entities")
    bench_set("5,000 documents, mentions and entities", gold, pred, n, bootstrap=args.quick)
    gold, pred, n = generate(5_000, 60, 5, 1, folder, "base-all", "all")
    bench_set("5,000 documents, every layer", gold, pred, n, target=None)
    if not args.quick:
        gold, pred, n = generate(50_000, 60, 5, 2, folder, "x10", "entities")
        ours = bench_set(
            "50,000 documents (10x), mentions and entities", gold, pred, n, bootstrap=True, target=10.0
        )
        gold, pred, n = generate(50_000, 60, 5, 2, folder, "x10-all", "all")
        bench_set("50,000 documents (10x), every layer", gold, pred, n, target=None)
        bench_long(folder, ours / n)
    bench_leaderboard()
    print(f"done, {_load()}")


if __name__ == "__main__":
    main()
