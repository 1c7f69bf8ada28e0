"""annotation/agreement.json (shown in the dataset card) is what `sayso agree` measures now."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sayso.cli import run

ROOT = Path(__file__).resolve().parent.parent
DOUBLE = ROOT / "annotation" / "double"


def test_committed_agreement_figures_are_fresh():
    out = io.StringIO()
    code = run(["agree", "--json", str(DOUBLE / "first"), str(DOUBLE / "second")], out, io.StringIO())
    assert code == 0
    committed = json.loads((ROOT / "annotation" / "agreement.json").read_text(encoding="utf-8"))
    assert json.loads(out.getvalue()) == committed


def test_both_annotations_share_every_text():
    def texts(folder: Path) -> dict[str, str]:
        docs = (json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*/*.json"))
        return {d["id"]: d["text"] for d in docs}

    first, second = texts(DOUBLE / "first"), texts(DOUBLE / "second")
    gold = {k: v for k, v in texts(ROOT / "corpus" / "gold").items() if k in first}
    assert len(first) == 12
    assert first == second == gold


def test_second_annotation_compiles_from_its_sources():
    err = io.StringIO()
    code = run(
        ["author", "compile", "--check", "--gold-dir", str(DOUBLE / "second"), str(DOUBLE / "sources")],
        io.StringIO(),
        err,
    )
    assert (code, err.getvalue()) == (0, "")


V2 = DOUBLE / "v2"


def test_v2_agreement_figures_are_fresh():
    out = io.StringIO()
    code = run(["agree", "--json", str(V2 / "first"), str(V2 / "second")], out, io.StringIO())
    assert code == 0
    committed = json.loads((ROOT / "annotation" / "agreement-v2.json").read_text(encoding="utf-8"))
    assert json.loads(out.getvalue()) == committed
    assert committed["documents"] == 7


def test_v2_second_annotations_share_the_texts_and_compile_from_their_sources():
    def texts(folder: Path) -> dict[str, str]:
        docs = (json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*/*.json"))
        return {d["id"]: d["text"] for d in docs}

    first, second = texts(V2 / "first"), texts(V2 / "second")
    gold = texts(ROOT / "corpus" / "gold")
    assert set(second) <= set(first)
    assert all(first[k] == second[k] == gold[k] for k in second)
    err = io.StringIO()
    argv = ["author", "compile", "--check", "--gold-dir", str(V2 / "second"), str(V2 / "sources")]
    assert (run(argv, io.StringIO(), err), err.getvalue()) == (0, "")
