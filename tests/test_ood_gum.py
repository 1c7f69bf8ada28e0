"""The out-of-domain table (eval/ood/gum.json, eval/ood/GUM.md) is fresh and holds no GUM text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sayso.interop.gum import import_gum
from sayso.interop.ood import FORMAT, evaluate_gum, render_markdown
from sayso.score import load_type_map


def _committed(repo_root: Path) -> tuple[dict, str]:
    folder = repo_root / "eval" / "ood"
    return (
        json.loads((folder / "gum.json").read_text(encoding="utf-8")),
        (folder / "GUM.md").read_text(encoding="utf-8"),
    )


def test_type_map_is_valid_and_leaves_out_law_and_norp(repo_root):
    tmap = load_type_map(repo_root / "eval" / "type-maps" / "gum.json")
    assert tmap.gold == {"NORP": None}
    assert tmap.pred == {"LAW": None, "NORP": None}


def test_markdown_is_rendered_from_the_json(repo_root):
    report, markdown = _committed(repo_root)
    assert report["format"] == FORMAT
    assert render_markdown(report) == markdown
    assert set(report["systems"]) == {"rules", "learned"}
    assert "CC BY 2.5" in markdown and "CC BY 4.0" in markdown and "Zeldes" in markdown


@pytest.mark.slow
def test_committed_results_are_fresh(gum_dir, repo_root, monkeypatch):
    pytest.importorskip("spacy", reason="the baselines need the optional extra sayso[baselines]")
    monkeypatch.chdir(repo_root)  # the type map and the learned model are named relative to it
    report, _ = _committed(repo_root)
    settings = report["settings"]
    fresh = evaluate_gum(gum_dir, bootstrap=settings["bootstrap"], seed=settings["seed"])
    assert fresh == report, (
        "eval/ood is stale: run "
        "`sayso import gum-eval ../shared/external/gum-news --out-dir eval/ood --force`"
    )


def test_no_gum_text_is_committed(gum_dir, repo_root):
    report, markdown = _committed(repo_root)
    committed = json.dumps(report, ensure_ascii=False) + markdown
    for doc in import_gum(gum_dir).documents:
        assert doc["meta"]["title"] not in committed
        for m in doc["mentions"]:
            if len(m["text"]) > 12:
                assert m["text"] not in committed
        for a in doc["attributions"]:
            for span in a["content"]:
                assert span["text"][:40] not in committed


@pytest.mark.slow
def test_cli_writes_both_files_and_refuses_to_overwrite(repo_root, tmp_path, monkeypatch):
    pytest.importorskip("spacy", reason="the baselines need the optional extra sayso[baselines]")
    import io

    from test_gum_rules import _write

    from sayso.cli import run

    monkeypatch.chdir(repo_root)
    folder = _write(tmp_path / "gum")
    argv = [
        "import",
        "gum-eval",
        str(folder),
        "--out-dir",
        str(tmp_path / "ood"),
        "--systems",
        "rules",
        "--bootstrap",
        "20",
    ]
    out, err = io.StringIO(), io.StringIO()
    assert run(argv, out, err) == 0, err.getvalue()
    report = json.loads((tmp_path / "ood" / "gum.json").read_text(encoding="utf-8"))
    assert list(report["systems"]) == ["rules"]
    assert report["corpus"]["documents"] == 1
    assert report["systems"]["rules"]["counts"]["attributions"]["gold"] == 1
    assert (tmp_path / "ood" / "GUM.md").read_text(encoding="utf-8") == render_markdown(report)
    ood = tmp_path / "ood"
    assert out.getvalue().endswith(f"wrote {ood / 'gum.json'} and {ood / 'GUM.md'}\n")
    assert run(argv, io.StringIO(), io.StringIO()) == 0  # the same results again: a no-op
    (ood / "gum.json").write_text("{}\n", encoding="utf-8")
    markdown = (ood / "GUM.md").read_bytes()
    err = io.StringIO()
    assert run(argv, io.StringIO(), err) == 1
    assert err.getvalue() == (
        f"sayso import gum-eval: {tmp_path / 'ood' / 'gum.json'}: exists; pass --force to overwrite it\n"
    )
    # Refused as a set: neither file changed.
    assert (ood / "gum.json").read_text(encoding="utf-8") == "{}\n" and (
        ood / "GUM.md"
    ).read_bytes() == markdown
