"""The one evaluation pipeline: every command scores the same way and checks its inputs (issue 12)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from _toy_docs import toy_document

from sayso.cli import run
from sayso.score import EvaluationError, Options, evaluate, read_gold


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _pred(doc: dict, **changes) -> dict:
    pred = {"id": doc["id"], **{k: doc[k] for k in ("mentions", "entities", "attributions", "stances")}}
    pred.update(changes)
    return pred


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """gold/<split>/<id>.json (validation v1; test t1, t2) and a system's predictions for every split."""
    for split, ids in (("validation", ["v1"]), ("test", ["t1", "t2"])):
        (tmp_path / "gold" / split).mkdir(parents=True)
        for doc_id in ids:
            (tmp_path / "gold" / split / f"{doc_id}.json").write_text(
                json.dumps(toy_document(doc_id), indent=2), encoding="utf-8"
            )
    system = tmp_path / "subs" / "half"
    (system / "predictions").mkdir(parents=True)
    (system / "system.yaml").write_text(
        "name: half\nkind: baseline\nauthors: [A. Tester]\ndescription: half right\nurl: null\n"
        'date: "2026-12-01"\ncommand: none\n',
        encoding="utf-8",
    )
    for split, ids in (("validation", ["v1"]), ("test", ["t1", "t2"])):
        lines = []
        for doc_id in ids:
            gold = toy_document(doc_id)
            lines.append(json.dumps(_pred(gold, stances=[], attributions=gold["attributions"][:1])))
        (system / "predictions" / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_score_report_and_leaderboard_give_the_same_figures_and_signature(tree: Path):
    pytest.importorskip("yaml", reason="system.yaml needs PyYAML (dev extra)")
    pred = tree / "subs" / "half" / "predictions" / "test.jsonl"
    common = ("--gold", tree / "gold", "--split", "test", "--pred", pred, "--bootstrap", "200", "--seed", "3")
    code, out, err = _run("score", *common, "--json")
    assert (code, err) == (0, "")
    scored = json.loads(out)
    code, _, err = _run("report", *common, "--out", tree / "r.html")
    assert (code, err) == (0, "")
    html = (tree / "r.html").read_text(encoding="utf-8")
    code, _, err = _run(
        "leaderboard",
        "--submissions",
        tree / "subs",
        "--gold-dir",
        tree / "gold",
        "--out-dir",
        tree / "out",
        "--bootstrap",
        "200",
        "--seed",
        "3",
    )
    assert (code, err) == (0, "")
    board = json.loads((tree / "out" / "leaderboard.json").read_text(encoding="utf-8"))
    entry = board["systems"][0]["splits"]["test"]
    assert entry["signature"] == scored["signature"]
    assert f'<code class="sig">{scored["signature"]}</code>' in html.replace("&#x27;", "'")
    assert entry["headline"] == scored["headline"]
    assert entry["intervals"] == scored["intervals"]
    # The report's summary shows the same figures (percent, one decimal).
    f1 = scored["headline"]["attributions.f1"]
    assert re.search(rf"Attributions: record F1</td><td class=\"num\">{100 * f1:.1f}</td>", html)


def test_the_gold_digest_names_the_content_not_the_bytes(tree: Path, tmp_path: Path):
    pred = tree / "subs" / "half" / "predictions" / "test.jsonl"
    variants = tmp_path / "variants"
    for name, render in (
        ("pretty-crlf", lambda d: json.dumps(d, indent=4).replace("\n", "\r\n")),
        ("compact-reversed", lambda d: json.dumps(dict(reversed(list(d.items()))), separators=(",", ":"))),
    ):
        folder = variants / name / "test"
        folder.mkdir(parents=True)
        for doc_id in ("t1", "t2"):
            (folder / f"{doc_id}.json").write_text(render(toy_document(doc_id)), encoding="utf-8", newline="")
    signatures = set()
    for gold in (tree / "gold", variants / "pretty-crlf", variants / "compact-reversed"):
        code, out, err = _run("score", "--gold", gold, "--split", "test", "--pred", pred, "--json")
        assert (code, err) == (0, ""), err
        signatures.add(json.loads(out)["signature"])
    assert len(signatures) == 1
    # One .jsonl file of the same documents: the same digest again.
    lines = tmp_path / "test.jsonl"
    lines.write_text("".join(json.dumps(toy_document(i)) + "\n" for i in ("t2", "t1")), encoding="utf-8")
    result = evaluate(lines, pred, Options(split=None))
    assert result.settings.gold == next(iter(signatures)).split("|gold:")[1].split("|")[0]


def test_no_prediction_for_the_split_scored_is_an_error(tree: Path):
    pred = tree / "subs" / "half" / "predictions" / "validation.jsonl"
    code, out, err = _run("score", "--gold", tree / "gold", "--split", "test", "--pred", pred)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{pred}: [score-split-mismatch] $: 0 of 1 predictions are for split test; 1 for split validation",
        "sayso score: 0 of 1 predictions are for split test; 1 for split validation",
    ]


def test_an_id_of_another_split_is_never_unknown(tree: Path, tmp_path: Path):
    both = tmp_path / "both.jsonl"
    both.write_text(
        "".join(json.dumps(_pred(toy_document(i))) + "\n" for i in ("t1", "v1", "t2")), encoding="utf-8"
    )
    for command in ("score", "report"):
        extra = ("--out", tmp_path / f"{command}.html") if command == "report" else ()
        code, _, err = _run(command, "--gold", tree / "gold", "--split", "test", "--pred", both, *extra)
        assert (code, err) == (
            0,
            "note: 1 prediction(s) for gold documents of other splits ignored (validation 1)\n",
        )


def test_a_null_line_is_an_error_with_its_line_number(tree: Path, tmp_path: Path):
    pred = tmp_path / "null.jsonl"
    pred.write_text(json.dumps(_pred(toy_document("t1"))) + "\nnull\n", encoding="utf-8")
    code, _, err = _run("score", "--gold", tree / "gold", "--split", "test", "--pred", pred)
    assert code == 1
    assert err.splitlines() == [
        f"{pred}:2: [wrong-type] $: expected object, got null",
        "sayso score: 1 error(s) in the predictions; nothing was scored",
    ]


def test_an_empty_prediction_folder_is_an_error(tree: Path, tmp_path: Path):
    (tmp_path / "none").mkdir()
    code, _, err = _run("score", "--gold", tree / "gold", "--pred", tmp_path / "none")
    assert code == 1
    assert err.splitlines() == [
        f"{tmp_path / 'none'}: [no-documents] $: folder holds no .json or .jsonl files",
        "sayso score: 1 error(s) in the predictions; nothing was scored",
    ]


def test_error_output_is_capped_and_the_rest_counted_by_code(tree: Path, tmp_path: Path):
    pred = tmp_path / "bad.jsonl"
    pred.write_text("".join('{"id": 7}\n' for _ in range(57)) + "[\n" * 3, encoding="utf-8")
    code, _, err = _run("score", "--gold", tree / "gold", "--pred", pred, "--max-errors", "5")
    lines = err.splitlines()
    assert code == 1 and len(lines) == 7
    assert lines[0] == f"{pred}:1: [wrong-type] $.id: expected string, got integer 7"
    assert lines[5] == "... and 55 more not shown (json-syntax 3, wrong-type 52); see --max-errors"
    assert lines[6] == "sayso score: 60 error(s) in the predictions; nothing was scored"
    code, _, err = _run("score", "--gold", tree / "gold", "--pred", pred)
    assert len(err.splitlines()) == 52  # the default: 50 in full


def test_an_over_long_integer_is_reported_on_its_own_line(tree: Path, tmp_path: Path):
    pred = tmp_path / "long.json"
    pred.write_text(
        '{\n  "id": "t1",\n  "mentions": [\n    {"start": ' + "9" * 5000 + "}]}\n", encoding="utf-8"
    )
    code, _, err = _run("score", "--gold", tree / "gold", "--pred", pred)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{pred}:4: [json-syntax] $: unreadable value: "
        "Exceeds the limit (4300 digits) for integer string conversion"
    )


def test_compare_scores_only_the_layers_both_systems_submitted(tree: Path, tmp_path: Path):
    full = tree / "subs" / "half" / "predictions" / "test.jsonl"
    mentions_only = tmp_path / "mentions.jsonl"
    mentions_only.write_text(
        "".join(
            json.dumps(
                {"id": i, "mentions": toy_document(i)["mentions"], "entities": toy_document(i)["entities"]}
            )
            + "\n"
            for i in ("t1", "t2")
        ),
        encoding="utf-8",
    )
    code, out, err = _run(
        "score",
        "--gold",
        tree / "gold",
        "--split",
        "test",
        "--pred",
        mentions_only,
        "--compare",
        full,
        "--json",
    )
    assert code == 0
    assert err.splitlines() == [
        f"note: layer attributions is submitted by {full} only: not scored, not tested",
        f"note: layer stances is submitted by {full} only: not scored, not tested",
    ]
    data = json.loads(out)
    assert data["untested"] == {"attributions": "B", "stances": "B"}
    assert data["tests"]["attributions.f1"]["delta"] is None
    assert (
        data["a"]["layers"]
        == data["b"]["layers"]
        == {
            "mentions": True,
            "linking": True,
            "attributions": False,
            "stances": False,
        }
    )


def test_read_gold_once_and_reuse_it(tree: Path):
    gold = read_gold(tree / "gold")
    assert sorted(gold.documents) == ["t1", "t2", "v1"]
    assert dict(gold.splits()) == {"test": 2, "validation": 1}
    pred = tree / "subs" / "half" / "predictions" / "test.jsonl"
    assert (
        evaluate(gold, pred, Options(split="test")).to_json()
        == evaluate(tree / "gold", pred, Options(split="test")).to_json()
    )
    with pytest.raises(EvaluationError, match="no gold documents of split train"):
        evaluate(gold, pred, Options(split="train"))
