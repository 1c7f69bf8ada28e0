"""`sayso build`: deterministic Parquet + card, prose kept, stale builds detected, bad gold refused."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")
yaml = pytest.importorskip("yaml")

from sayso.cli import run  # noqa: E402
from sayso.hf import CONFIGS  # noqa: E402
from sayso.hf import build as hf_build  # noqa: E402
from sayso.hf.card import begin_marker  # noqa: E402
from sayso.hf.synthetic import write_synthetic_corpus  # noqa: E402
from sayso.io import load_documents, write_json_atomic  # noqa: E402


def sayso(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    write_synthetic_corpus(root, 8, seed=5)
    return root


def built_files(root: Path) -> dict[str, bytes]:
    names = ["README.md"] + [f"{c}/{p.name}" for c in CONFIGS for p in sorted((root / c).glob("*"))]
    return {name: (root / name).read_bytes() for name in names}


def test_layout_and_determinism(corpus, tmp_path):
    code, out, err = sayso("build", "--corpus", str(corpus))
    assert code == 0, err
    assert out.splitlines()[-1] == (
        "built 5 configs from 8 documents (train 5, validation 1, test 2): 16 written, 0 unchanged, 0 removed"
    )
    first = built_files(corpus)
    assert sorted(first) == sorted(
        ["README.md"]
        + [f"{c}/{s}-00000-of-00001.parquet" for c in CONFIGS for s in ("train", "validation", "test")]
    )
    # A second build changes nothing; a build of a copy elsewhere is byte-identical.
    code, out, _ = sayso("build", "--corpus", str(corpus))
    assert out.splitlines()[-1].endswith(": 0 written, 16 unchanged, 0 removed")
    copy = tmp_path / "elsewhere" / "corpus"
    shutil.copytree(corpus / "gold", copy / "gold")
    assert sayso("build", "--corpus", str(copy))[0] == 0
    assert built_files(copy) == first
    assert not [p for p in corpus.rglob("*.tmp")]


def test_committed_build_is_fresh(repo_root, tmp_path):
    """A fresh build of corpus/gold equals the committed corpus/ files byte for byte.

    Run `sayso build` and commit its output when this fails. (Parquet files written by another
    pyarrow release differ in their footer's writer version only; those are compared by content.)
    """
    corpus = repo_root / "corpus"
    if not any((corpus / "gold").glob("*/*.json")):
        pytest.skip("no gold documents yet")
    fresh = tmp_path / "fresh"
    code, _, err = sayso("build", "--corpus", str(corpus), "--out", str(fresh))
    assert code == 0, err
    stale = []
    for path in sorted(p for p in fresh.rglob("*") if p.is_file()):
        name = path.relative_to(fresh).as_posix()
        committed = corpus / name
        if not committed.is_file():
            stale.append(f"{name} (missing)")
        elif committed.read_bytes() != path.read_bytes() and not hf_build._same_file(
            name, committed.read_bytes(), path.read_bytes()
        ):
            stale.append(f"{name} (differs)")
    extra = [
        f"{c}/{p.name}"
        for c in CONFIGS
        for p in (corpus / c).glob("*.parquet")
        if not (fresh / c / p.name).is_file()
    ]
    assert not stale and not extra, f"corpus/ build is stale, run `sayso build --force`: {stale + extra}"
    assert sayso("build", "--corpus", str(corpus), "--check")[0] == 0


def test_corpus_folder_has_no_loading_script(repo_root):
    """datasets would take any .py file at the top of corpus/ for a (forbidden) loading script."""
    assert sorted(p.name for p in (repo_root / "corpus").glob("*.py")) == []


def test_check_reports_stale_files_and_writes_nothing(corpus):
    assert sayso("build", "--corpus", str(corpus))[0] == 0
    path = next((corpus / "gold" / "test").glob("*.json"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["meta"]["title"] = doc["meta"]["title"] + " (updated)"
    write_json_atomic(path, doc, force=True)
    before = built_files(corpus)
    code, out, _ = sayso("build", "--corpus", str(corpus), "--check")
    assert code == 1
    assert out.splitlines() == [
        f"differs: {corpus / 'README.md'}",  # the split's size in bytes is in the card
        f"differs: {corpus / 'documents/test-00000-of-00001.parquet'}",
        "stale: 16 files, 8 documents (run `sayso build --force`)",
    ]
    assert built_files(corpus) == before
    code, out, _ = sayso("build", "--corpus", str(corpus), "--check", "--json")
    assert json.loads(out) == {
        "ok": False,
        "stale": {"README.md": "differs", "documents/test-00000-of-00001.parquet": "differs"},
    }


def test_prose_is_kept_and_blocks_refreshed(corpus):
    prose_top = "\n# My card\n\nHand-written *summary* with `code` and a trailing space. \n\n"
    prose_mid = "\n\nMore prose, between blocks.\n\n"
    readme = (
        "---\nlicense: wrong\n---\n" + prose_top
        + f"{begin_marker('stats')}\nold numbers\n<!-- sayso:end stats -->" + prose_mid
        + "<!-- sayso:begin custom (someone else's) -->\nkept as is\n<!-- sayso:end custom -->\n"
    )  # fmt: skip
    (corpus / "README.md").write_text(readme, encoding="utf-8")
    # Built once before (the Parquet files) or not, a card that would change is refused, untouched.
    assert sayso("build", "--corpus", str(corpus)) == (
        1,
        "",
        f"sayso build: {corpus / 'README.md'}: exists with other content\n"
        "sayso build: nothing written (1 files would be replaced or removed); pass --force\n",
    )
    assert (corpus / "README.md").read_text(encoding="utf-8") == readme
    assert not (corpus / "tokens").exists()
    assert sayso("build", "--corpus", str(corpus), "--force")[0] == 0
    card = (corpus / "README.md").read_text(encoding="utf-8")
    front, body = card.split("\n---\n", 1)
    meta = yaml.safe_load(front.removeprefix("---\n"))
    assert meta["license"] == "cc-by-4.0"
    assert body.startswith(prose_top)
    assert (
        prose_mid + "<!-- sayso:begin custom (someone else's) -->\nkept as is\n<!-- sayso:end custom -->\n"
        in body
    )
    assert "old numbers" not in body and "| documents | 5 | 1 | 2 | 8 |" in body
    # Blocks the card lacked are appended under their own headings, once.
    for title in (
        "## Configurations",
        "## Data fields",
        "## An annotated example",
        "## Inter-annotator agreement",
    ):
        assert body.count(title) == 1
    assert (
        sayso("build", "--corpus", str(corpus))[1]
        .splitlines()[-1]
        .endswith("0 written, 16 unchanged, 0 removed")
    )


def test_front_matter(corpus):
    assert sayso("build", "--corpus", str(corpus))[0] == 0
    card = (corpus / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert meta["license"] == "cc-by-4.0" and meta["language"] == ["en"]
    assert meta["source_datasets"] == ["original"]
    assert meta["task_categories"] == ["token-classification", "text-classification"]
    assert "named-entity-recognition" in meta["task_ids"]
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    assert [c.get("default", False) for c in meta["configs"]] == [True, False, False, False, False]
    counts = {"train": 0, "validation": 0, "test": 0}
    for item in load_documents([corpus / "gold"]):
        counts[Path(item.path).parent.name] += 1
    info = {c["config_name"]: c for c in meta["dataset_info"]}
    assert {s["name"]: s["num_examples"] for s in info["documents"]["splits"]} == counts
    assert all(s["num_bytes"] > 0 for c in info.values() for s in c["splits"])


def test_agreement_section(corpus):
    assert sayso("build", "--corpus", str(corpus))[0] == 0
    assert "Inter-annotator agreement is **not yet measured**" in (corpus / "README.md").read_text()
    agreement = corpus.parent / "annotation" / "agreement.json"
    agreement.parent.mkdir()
    agreement.write_text(json.dumps({"mentions": {"span_f1": 0.9123}, "attributions": {"record_f1": 0.8}}))
    assert sayso("build", "--corpus", str(corpus))[0] == 1  # the card would change
    assert sayso("build", "--corpus", str(corpus), "--force")[0] == 0
    card = (corpus / "README.md").read_text()
    assert "not yet measured" not in card
    assert "| `mentions.span_f1` | 0.912 |" in card and "| `attributions.record_f1` | 0.800 |" in card


def test_bad_agreement_file_is_refused(corpus):
    agreement = corpus.parent / "annotation" / "agreement.json"
    agreement.parent.mkdir()
    agreement.write_text("{", encoding="utf-8")
    code, out, err = sayso("build", "--corpus", str(corpus))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"sayso build: {agreement}: cannot read the agreement figures: "
        "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "sayso build: nothing built",
    ]
    missing = corpus.parent / "nope.json"
    code, _, err = sayso("build", "--corpus", str(corpus), "--agreement", str(missing))
    assert code == 1 and err.splitlines()[0] == f"sayso build: {missing}: no such agreement file"
    assert not (corpus / "README.md").exists()


def test_invalid_gold_is_refused_and_nothing_written(corpus):
    bad = corpus / "gold" / "train" / "broken.json"
    bad.write_text('{"id": "broken",', encoding="utf-8")
    code, out, err = sayso("build", "--corpus", str(corpus))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad}:1: [json-syntax] $: ")
    assert (
        lines[-1]
        == "sayso build: nothing built (1 errors in the gold documents; `sayso validate` shows them)"
    )
    assert not (corpus / "README.md").exists() and not (corpus / "documents").exists()


def test_documents_outside_split_folders_are_refused(corpus):
    stray = corpus / "gold" / "drafts" / "synth-00001.json"
    stray.parent.mkdir()
    shutil.move(corpus / "gold" / "train" / "synth-00001.json", stray)
    code, _, err = sayso("build", "--corpus", str(corpus))
    assert code == 1
    assert err.splitlines() == [
        f"sayso build: {stray}: not in a split folder (train, validation, test) under {corpus / 'gold'}",
        "sayso build: nothing built",
    ]


def test_an_emptied_split_is_removed(corpus):
    assert sayso("build", "--corpus", str(corpus))[0] == 0
    for path in (corpus / "gold" / "validation").glob("*.json"):
        path.unlink()
    code, out, _ = sayso("build", "--corpus", str(corpus), "--check")
    assert code == 1 and f"extra: {corpus / 'tokens/validation-00000-of-00001.parquet'}" in out.splitlines()
    code, _, err = sayso("build", "--corpus", str(corpus))
    assert code == 1
    assert (
        f"sayso build: {corpus / 'tokens/validation-00000-of-00001.parquet'}: is not part of this build"
        in (err.splitlines())
    )
    assert (corpus / "tokens/validation-00000-of-00001.parquet").is_file()
    code, out, _ = sayso("build", "--corpus", str(corpus), "--force")
    assert code == 0
    assert sorted(p.name for p in (corpus / "tokens").iterdir()) == [
        "test-00000-of-00001.parquet",
        "train-00000-of-00001.parquet",
    ]
    # Only the card changes: the other splits' files are byte-identical to the previous build.
    assert out.splitlines()[-1].endswith("(train 5, test 2): 1 written, 10 unchanged, 5 removed")


def test_no_gold_folder(tmp_path):
    code, _, err = sayso("build", "--corpus", str(tmp_path / "nothing"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"sayso build: {tmp_path / 'nothing' / 'gold'}: no gold folder "
        f"(expected {tmp_path / 'nothing' / 'gold'}/<split>/<id>.json)"
    )
