"""``sayso score`` on several processes (issue 4): the same bytes out as on one, whatever the input.

The thresholds above which a submission is cut into chunks are lowered so that small generated
files take the parallel paths; every run is compared with ``SAYSO_WORKERS=1`` (one process).
"""

from __future__ import annotations

import io
import json
import os
import random
from pathlib import Path

import pytest

from sayso.cli import run
from sayso.score import _parallel

TYPES = ("PER", "ORG", "GPE", "LOC", "NORP", "EVENT")


def generate(n_docs: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Gold and predictions with exact matches, boundary and type errors, misses, spurious spans,
    documents without a prediction, phenomena tags and a gold document whose mentions are null."""
    rng = random.Random(seed)
    gold, pred = [], []
    for d in range(n_docs):
        words = ["".join(rng.choice("abcdefgh") for _ in range(rng.randint(2, 6))) for _ in range(40)]
        starts, pos = [], 0
        for w in words:
            starts.append(pos)
            pos += len(w) + 1
        text = " ".join(words)
        g, p = [], []
        for k in range(4):
            a = k * 10 + rng.randint(1, 5)
            b = a + rng.randint(1, 3)
            s, e = starts[a], starts[b - 1] + len(words[b - 1])
            t = rng.choice(TYPES)
            g.append({"id": f"m{k}", "start": s, "end": e, "type": t, "kind": "NAM"})
            r = rng.random()
            if r < 0.7:
                p.append({"id": f"p{k}", "start": s, "end": e, "type": t, "kind": "NAM"})
            elif r < 0.8:
                p.append({"id": f"p{k}", "start": s, "end": starts[b] + len(words[b]), "type": t})
            elif r < 0.9:
                p.append({"id": f"p{k}", "start": s, "end": e, "type": "ORG" if t != "ORG" else "PER"})
            if rng.random() < 0.1:
                p.append({"id": f"s{k}", "start": starts[b + 1], "end": starts[b + 2] - 1, "type": "LOC"})
        doc = {"id": f"doc-{d:04d}", "text": text, "mentions": None if d == 7 else g}
        if d % 5 == 0:
            doc["meta"] = {"phenomena": ["nested"] if d % 2 else ["long", "nested"]}
        gold.append(doc)
        if d % 11 != 3:  # some gold documents get no prediction
            pred.append({"id": doc["id"], "mentions": p})
    return gold, pred


def write(path: Path, docs: list) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch):
    monkeypatch.setattr(_parallel, "MIN_LINES", 20)
    monkeypatch.setattr(_parallel, "MIN_BYTES", 1_000_000)


@pytest.fixture
def taken(monkeypatch):
    """Which fast path answered, in order, on more than one process: ('pairs' | 'submission', answered)."""
    calls = []
    for name, label in (("count_pairs", "pairs"), ("count_submission", "submission")):
        real = getattr(_parallel, name)

        def spy(*args, real=real, label=label):
            result = real(*args)
            if os.environ.get("SAYSO_WORKERS") != "1":  # the runs on one process are not recorded
                calls.append((label, result is not None))
            return result

        monkeypatch.setattr(_parallel, name, spy)
    return calls


def score(
    monkeypatch, tmp_path: Path, workers: int, *argv: str, per_doc: bool = True
) -> tuple[int, str, str, bytes]:
    monkeypatch.setenv("SAYSO_WORKERS", str(workers))
    path = tmp_path / f"per-doc-{workers}.jsonl"
    path.unlink(missing_ok=True)
    out, err = io.StringIO(), io.StringIO()
    extra = ["--per-doc", str(path), "--force"] if per_doc else []
    code = run(["score", *map(str, argv), *extra], out, err)
    data = path.read_bytes() if path.exists() else b""
    return code, out.getvalue(), err.getvalue(), data


def same_as_one_process(monkeypatch, tmp_path: Path, *argv: str, workers: int = 2):
    """Runs with and without --per-doc (with it, workers send one record per document; without
    it and without --bootstrap, only sums): each the same as on one process."""
    plain = score(monkeypatch, tmp_path, workers, *argv, per_doc=False)
    assert plain == score(monkeypatch, tmp_path, 1, *argv, per_doc=False)
    parallel = score(monkeypatch, tmp_path, workers, *argv)
    serial = score(monkeypatch, tmp_path, 1, *argv)
    assert parallel == serial
    assert plain[:3] == parallel[:3]  # the per-document file changes nothing else
    assert_no_children()
    return parallel


def _zombie_children() -> set[int]:
    """Children of this process that exited and were never reaped (read from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] == "Z" and int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def assert_no_children() -> None:
    # Every worker was reaped. Other children of the test session (the Label Studio server
    # started by its fixture) may be alive, so look for zombies, not for any child at all.
    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc to list child processes")
    assert _zombie_children() == set()


@pytest.fixture
def files(tmp_path):
    gold, pred = generate(120, seed=3)
    return write(tmp_path / "gold.jsonl", gold), write(tmp_path / "pred.jsonl", pred), gold, pred


@pytest.mark.parametrize(
    "options",
    [["--json"], [], ["--markdown"], ["--json", "--mentions", "all"], ["--json", "--bootstrap", "50"]],
)
def test_gold_and_submission_in_chunks_give_the_same_output(monkeypatch, tmp_path, files, taken, options):
    gold, pred, *_ = files
    code, out, err, per_doc = same_as_one_process(
        monkeypatch, tmp_path, "--gold", gold, "--pred", pred, *options
    )
    assert code == 0
    assert "warning: [score-missing-documents] 11 of 120 gold documents have no prediction" in err
    assert per_doc.count(b"\n") == 120
    assert taken == [("pairs", True)] * 2  # the parallel runs; the serial ones ask neither


@pytest.mark.parametrize("workers", [3, 4])
def test_more_workers_give_the_same_output(monkeypatch, tmp_path, files, taken, workers):
    gold, pred, *_ = files
    code, *_ = same_as_one_process(
        monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json", workers=workers
    )
    assert code == 0
    assert taken == [("pairs", True)] * 2


def test_submission_in_another_order_is_cut_alone(monkeypatch, tmp_path, files, taken):
    gold, _, _, docs = files
    shuffled = list(docs)
    random.Random(5).shuffle(shuffled)
    pred = write(tmp_path / "shuffled.jsonl", shuffled)
    code, out, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json")
    assert code == 0
    assert 0.5 < json.loads(out)["headline"]["mentions.strict.f1"] < 1
    assert taken == [("pairs", False), ("submission", True)] * 2


def test_one_worker_or_small_files_stay_in_one_process(monkeypatch, tmp_path, files, taken):
    gold, pred, gold_docs, _ = files
    by_id = {d["id"]: d for d in gold_docs}
    monkeypatch.setenv("SAYSO_WORKERS", "1")
    assert _parallel.count_pairs(str(gold), str(pred), False) is None
    assert _parallel.count_submission(str(pred), by_id, False) is None
    monkeypatch.setenv("SAYSO_WORKERS", "2")
    assert _parallel.count_pairs(str(gold), str(pred), False) is not None
    assert _parallel.count_submission(str(pred), by_id, False) is not None
    monkeypatch.setattr(_parallel, "MIN_LINES", 10_000)
    taken.clear()
    score(monkeypatch, tmp_path, 2, "--gold", gold, "--pred", pred, "--json")
    assert taken == [("pairs", False), ("submission", False)]
    assert_no_children()


def _bad_submissions(pred: list[dict], gold_text: str) -> dict[str, list]:
    last = len(pred) - 1
    late = dict(pred[last], mentions=[dict(pred[last]["mentions"][0], type="PERSON")])
    return {
        "unknown label": pred[:last] + [late],
        "span outside the text": pred[:5]
        + [dict(pred[5], mentions=[{"id": "x", "start": 0, "end": len(gold_text) + 9, "type": "PER"}])]
        + pred[6:],
        "unknown id": pred + [{"id": "doc-9999", "mentions": []}],
        "repeated id across chunks": pred + [pred[0]],
        "repeated id nearby": pred[:60] + [pred[59]] + pred[60:],
        "text differs": pred[:70]
        + [dict(pred[70], mentions=[dict(pred[70]["mentions"][0], text="zzz")])]
        + pred[71:],
        "other layer": pred[:90] + [dict(pred[90], stances=[])] + pred[91:],
        "no layer": [{"id": d["id"]} for d in pred],
    }


@pytest.mark.parametrize(
    "case",
    [
        "unknown label",
        "span outside the text",
        "unknown id",
        "repeated id across chunks",
        "repeated id nearby",
        "text differs",
        "other layer",
        "no layer",
    ],
)
def test_problems_in_the_submission_are_reported_as_on_one_process(monkeypatch, tmp_path, files, taken, case):
    gold, _, gold_docs, pred_docs = files
    docs = _bad_submissions(pred_docs, gold_docs[5]["text"])[case]
    pred = write(tmp_path / "bad.jsonl", docs)
    code, out, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json")
    assert taken == [("pairs", False), ("submission", False)] * 2
    if case in ("other layer", "no layer"):
        assert code == 0
    else:
        assert code == 1 and "error(s) in the input; nothing was scored" in err


def test_unreadable_lines_and_gold_problems_are_reported_as_on_one_process(
    monkeypatch, tmp_path, files, taken
):
    gold, pred, gold_docs, pred_docs = files
    lines = pred.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = write(tmp_path / "broken.jsonl", [])
    broken.write_text("".join(lines[:80]) + '{"id": "doc-0080", "mentions": [}\n' + "".join(lines[81:]))
    code, _, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", broken)
    assert code == 1 and "[json-syntax]" in err
    repeated = write(tmp_path / "repeated-key.jsonl", [])
    repeated.write_text(
        "".join(lines[:90]) + lines[90].replace('{"id"', '{"id": "x", "id"', 1) + "".join(lines[91:])
    )
    code, _, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", repeated)
    assert code == 1 and "[duplicate-key]" in err
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + pred.read_bytes())
    code, _, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", bom)
    assert code == 1 and "[bom]" in err
    twice = write(tmp_path / "gold-twice.jsonl", gold_docs + [gold_docs[3]])
    code, _, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", twice, "--pred", pred)
    assert code == 1 and "gold document id 'doc-0003' is given twice" in err
    assert not any(answered for _, answered in taken)


def test_a_failing_worker_falls_back_to_one_process(monkeypatch, tmp_path, files, taken):
    gold, pred, *_ = files
    parent = os.getpid()
    real_pairs, real_chunk = _parallel.pair_chunk, _parallel.count_chunk

    def crash(*args):
        if os.getpid() != parent:
            os._exit(3)  # a worker dies without a word
        return real_pairs(*args)

    def raises(*args):
        if os.getpid() != parent:
            raise MemoryError
        return real_chunk(*args)

    monkeypatch.setattr(_parallel, "pair_chunk", crash)
    monkeypatch.setattr(_parallel, "count_chunk", raises)
    expected = score(monkeypatch, tmp_path, 1, "--gold", gold, "--pred", pred, "--json")
    assert score(monkeypatch, tmp_path, 2, "--gold", gold, "--pred", pred, "--json") == expected
    assert_no_children()
    assert taken == [("pairs", False), ("submission", False)]
    assert expected[0] == 0 and json.loads(expected[1])["documents"] == {"gold": 120, "missing": 11}


def test_workers_setting(monkeypatch):
    monkeypatch.delenv("SAYSO_WORKERS", raising=False)
    default = _parallel.workers()
    assert 1 <= default <= 4
    for value, expected in (("1", 1), ("0", 1), ("3", 3), ("many", default)):
        monkeypatch.setenv("SAYSO_WORKERS", value)
        assert _parallel.workers() == expected


def test_chunks_end_at_line_ends():
    data = b"".join(b'{"id": "%d"}\n' % k for k in range(100))
    for n in (2, 3, 7):
        chunks = _parallel._chunks(data, n)
        assert b"".join(chunks) == data
        assert len(chunks) == n and all(bytes(c).endswith(b"\n") for c in chunks)


def test_a_few_long_documents_are_cut_by_size(monkeypatch, tmp_path, taken):
    gold_docs, pred_docs = generate(6, seed=9)
    gold, pred = write(tmp_path / "gold.jsonl", gold_docs), write(tmp_path / "pred.jsonl", pred_docs)
    monkeypatch.setattr(_parallel, "MIN_LINES", 10_000)
    monkeypatch.setattr(_parallel, "MIN_BYTES", 500)
    code, out, err, per_doc = same_as_one_process(
        monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json"
    )
    assert code == 0 and per_doc.count(b"\n") == 6
    assert taken == [("pairs", True)] * 2


@pytest.mark.parametrize("bad", [False, True])
def test_console_entry_point_prints_what_run_returns(tmp_path, files, bad):
    import subprocess
    import sys

    gold, pred, *_ = files
    if bad:
        pred = write(tmp_path / "unknown.jsonl", [{"id": "doc-9999", "mentions": []}])
    argv = ["sayso", "score", "--gold", str(gold), "--pred", str(pred), "--json"]
    script = f"import sys; sys.argv = {argv!r}; from sayso.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    expected = io.StringIO(), io.StringIO()
    code = run(argv[1:], *expected)
    assert (done.returncode, done.stdout, done.stderr) == (
        code,
        expected[0].getvalue(),
        expected[1].getvalue(),
    )
    if bad:
        assert code == 1 and done.stdout == "" and "nothing was scored" in done.stderr
    else:
        assert code == 0 and json.loads(done.stdout)["documents"] == {"gold": 120, "missing": 11}


def test_a_submission_of_every_layer_is_not_tried_in_chunks(monkeypatch, tmp_path, files, taken):
    gold, _, gold_docs, _ = files
    pred = write(tmp_path / "gold-as-pred.jsonl", gold_docs)
    tried = []
    monkeypatch.setattr(_parallel, "_in_processes", lambda *args: tried.append(args) or None)
    code, out, _, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json")
    assert code == 0 and json.loads(out)["headline"]["mentions.strict.f1"] == 1.0
    assert tried == [] and taken == [("pairs", False), ("submission", False)] * 2


def test_gold_out_of_id_order_gives_the_same_digest_and_scores(monkeypatch, tmp_path, taken):
    # The chunks' sorted digest lines do not follow each other: they are merged and sorted.
    gold_docs, pred_docs = generate(120, seed=3)
    order = list(range(120))
    random.Random(8).shuffle(order)
    gold = write(tmp_path / "gold.jsonl", [gold_docs[k] for k in order])
    by_id = {d["id"]: d for d in pred_docs}
    pred = write(
        tmp_path / "pred.jsonl", [by_id[gold_docs[k]["id"]] for k in order if gold_docs[k]["id"] in by_id]
    )
    code, out, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json")
    assert code == 0 and json.loads(out)["documents"] == {"gold": 120, "missing": 11}
    assert taken == [("pairs", True)] * 2


def test_a_gold_id_repeated_in_another_chunk_is_reported_as_on_one_process(
    monkeypatch, tmp_path, files, taken
):
    _, pred, gold_docs, _ = files
    gold = write(tmp_path / "gold.jsonl", gold_docs[:100] + [gold_docs[2]] + gold_docs[100:])
    code, _, err, _ = same_as_one_process(monkeypatch, tmp_path, "--gold", gold, "--pred", pred, "--json")
    assert code == 1 and "gold document id 'doc-0002' is given twice" in err
    assert taken == [("pairs", False)] * 2  # the gold read on one process stops it


def test_sums_sent_by_the_workers_equal_the_records(monkeypatch, files):
    gold, pred, *_ = files
    monkeypatch.setenv("SAYSO_WORKERS", "3")
    with_records = _parallel.count_pairs(str(gold), str(pred), False, True)
    sums = _parallel.count_pairs(str(gold), str(pred), False, False)
    assert sums.records is None and len(with_records.records) == 120
    assert sums._replace(records=None) == with_records._replace(records=None)
    totals: dict[str, int] = {}
    for _, counts, *_ in with_records.records:
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    assert sums.totals == totals
    # doc-0000, doc-0010, ... are tagged long and nested; doc-0005, doc-0015, ... nested only.
    assert {tag: docs for tag, (docs, _) in sums.phenomena.items()} == {"long": 12, "nested": 24}
    assert sums.documents == 120 and len(sums.missing) == 11


def test_one_usable_core_reads_the_fast_way_in_this_process(monkeypatch, tmp_path, files, taken):
    # Without SAYSO_WORKERS, one core means one chunk read here (no fork), with the same output
    # as the ordinary path that SAYSO_WORKERS=1 asks for.
    gold, pred, *_ = files
    expected = score(monkeypatch, tmp_path, 1, "--gold", gold, "--pred", pred, "--json")
    forks = []
    monkeypatch.setattr(_parallel.os, "fork", lambda: forks.append(1) or -1)
    monkeypatch.setattr(_parallel.os, "sched_getaffinity", lambda pid: {0})
    for per_doc in (True, False):
        monkeypatch.delenv("SAYSO_WORKERS", raising=False)
        out, err = io.StringIO(), io.StringIO()
        path = tmp_path / "one-core.jsonl"
        extra = ["--per-doc", str(path), "--force"] if per_doc else []
        code = run(["score", "--gold", str(gold), "--pred", str(pred), "--json", *extra], out, err)
        got = (code, out.getvalue(), err.getvalue(), path.read_bytes() if per_doc else expected[3])
        assert got == expected
    assert taken == [("pairs", True), ("pairs", True)] and forks == []
