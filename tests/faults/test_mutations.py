"""Mutated documents through every command that reads documents: no traceback, and no command
accepts what ``sayso validate`` rejects.

Hypothesis mutates a valid gold document (a value replaced by one of another kind, a key
removed, a list item repeated, the JSON text cut short or given a stray byte), with a fixed seed
and a bounded number of examples. The mutated document is the only test document of a small
corpus; each command must exit 0, 1 or 2 without raising, and when ``validate`` finds an error
the commands that need valid gold (``lint``, ``score`` and ``report`` with it as gold, ``export``,
``stats``, ``agree``, ``build``) must exit 1 too, and ``score`` with it as a prediction must
exit 1 whenever ``validate --kind submission`` finds an error in it.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the property tests need hypothesis (dev extra)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sayso.cli import run  # noqa: E402
from sayso.hf.synthetic import write_synthetic_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "tests" / "fixtures" / "valid" / "document.json").read_text(encoding="utf-8"))

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=10**7),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["PER", "m1", "e1", "a1", "support", "direct", "NAM", "", "1.0", "2.0"]),
    st.lists(st.integers(min_value=0, max_value=50), max_size=3),
    st.dictionaries(st.sampled_from(["start", "end", "id", "text"]), st.integers(0, 60), max_size=3),
)


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _at(doc: Any, path: tuple) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = [p for p in _paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent, last = _at(doc, path[:-1]), path[-1]
        operation = draw(st.sampled_from(["replace", "remove", "repeat", "shift"]))
        if operation == "replace":
            parent[last] = draw(VALUES)
        elif operation == "remove":
            del parent[last]
        elif operation == "repeat" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
        elif operation == "shift" and isinstance(parent[last], int) and not isinstance(parent[last], bool):
            parent[last] += draw(st.integers(min_value=-4, max_value=4))
    raw = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "byte"]))
    if damage == "cut":
        raw = raw[: draw(st.integers(min_value=0, max_value=len(raw) - 1))]
    elif damage == "byte":
        at = draw(st.integers(min_value=0, max_value=len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\x00", b",", b"}", b'"'])) + raw[at:]
    return raw


def _sayso(*argv: str) -> int:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)  # an exception here is the traceback a user would see
    assert code in (0, 1, 2), (argv, code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    return code


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutations") / "corpus"
    write_synthetic_corpus(root, 4, seed=9)
    for path in (root / "gold" / "test").glob("*.json"):
        path.unlink()
    return root


@pytest.mark.slow
@settings(
    max_examples=40,
    derandomize=True,  # the same examples on every run and every machine
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(raw=mutated())
def test_no_command_accepts_what_validate_rejects(raw: bytes, corpus: Path, tmp_path_factory) -> None:
    work = tmp_path_factory.mktemp("case")
    case = work / "corpus"
    shutil.copytree(corpus, case)
    doc = case / "gold" / "test" / "fx-0001.json"
    doc.parent.mkdir(exist_ok=True)
    doc.write_bytes(raw)
    gold, test = str(case / "gold"), str(case / "gold" / "test")
    rejected = _sayso("validate", str(doc)) == 1
    as_prediction_rejected = _sayso("validate", "--kind", "submission", str(doc)) == 1
    clean = work / "clean"
    (clean / "test").mkdir(parents=True)
    (clean / "test" / "fx-0001.json").write_text(json.dumps(BASE), encoding="utf-8")
    results = {
        "lint": _sayso("lint", "--no-allow", str(doc)),
        "score as gold": _sayso("score", "--gold", gold, "--split", "test", "--pred", test),
        "report": _sayso(
            "report", "--gold", gold, "--split", "test", "--pred", test, "--out", str(work / "r.html")
        ),
        "export": _sayso(
            "export", "conll", "--split", "test", "--gold-dir", gold, "--out", str(work / "x.conll")
        ),
        "stats": _sayso("stats", gold),
        "agree": _sayso("agree", test, str(clean / "test")),
        "build": _sayso("build", "--corpus", str(case), "--out", str(work / "built")),
    }
    as_prediction = _sayso("score", "--gold", str(clean), "--split", "test", "--pred", str(doc))
    if rejected:
        assert {name: code for name, code in results.items() if code != 1} == {}
    if as_prediction_rejected:
        assert as_prediction == 1


@settings(max_examples=300, derandomize=True, database=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 20)), max_size=12),
    query=st.tuples(st.integers(0, 50), st.integers(0, 10)),
)
def test_lint_span_index_agrees_with_a_scan(spans: list, query: tuple) -> None:
    from sayso.lint import _Cover

    pairs = [(s, s + n) for s, n in spans]
    start, end = query[0], query[0] + query[1]
    assert ((start, end) in _Cover(pairs)) == any(s <= start and end <= e for s, e in pairs)
