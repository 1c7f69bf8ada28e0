"""`sayso publish`: the exact upload list, the stale-build guard, the upload call (the one thing faked)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("pyarrow")
huggingface_hub = pytest.importorskip("huggingface_hub")

from sayso.cli import run  # noqa: E402
from sayso.hf import CONFIGS  # noqa: E402
from sayso.hf.synthetic import synthetic_corpus, write_synthetic_corpus  # noqa: E402

TOKEN = "hf_sayso_test_token_never_printed_0123456789"


def sayso(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def corpus(tmp_path) -> Path:
    root = tmp_path / "corpus"
    write_synthetic_corpus(root, 6, seed=11)
    assert sayso("build", "--corpus", str(root))[0] == 0
    # What a working folder collects and must never go up.
    (root / ".cache" / "huggingface").mkdir(parents=True)
    (root / ".cache" / "huggingface" / "lock").write_text("x")
    (root / "documents" / ".train-00000-of-00001.parquet.abc.tmp").write_bytes(b"partial")
    (root / "README.md~").write_text("editor backup")
    (root / "gold" / "train" / ".DS_Store").write_bytes(b"\0")
    (root / "notes.txt").write_text("scratch")
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "x.pyc").write_bytes(b"\0")
    return root


def expected_files(root: Path) -> list[str]:
    gold = [f"gold/{split}/{doc['id']}.json" for split, doc in synthetic_corpus(6, seed=11)]
    parquet = [f"{c}/{s}-00000-of-00001.parquet" for c in CONFIGS for s in ("train", "validation", "test")]
    return sorted(["README.md", *gold, *parquet])


SKIPPED = [
    ".cache/huggingface/lock",
    "README.md~",
    "__pycache__/x.pyc",
    "documents/.train-00000-of-00001.parquet.abc.tmp",
    "gold/train/.DS_Store",
    "notes.txt",
]


def test_dry_run_lists_exactly_the_dataset_files(corpus):
    code, out, err = sayso("publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus), "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    files = expected_files(corpus)
    assert lines[:-1] == files
    size = sum((corpus / f).stat().st_size for f in files)
    assert (
        lines[-1]
        == f"dry run: {len(files)} files ({size:,} bytes) would go to datasets/sayso/sayso; 6 skipped"
    )
    assert err.splitlines() == [f"skipped (not a dataset file): {name}" for name in SKIPPED]
    code, out, _ = sayso(
        "publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus), "--dry-run", "--json"
    )
    report = json.loads(out)
    assert report["files"] == files and report["skipped"] == SKIPPED and report["bytes"] == size


def test_upload_sends_the_allow_list_and_never_prints_the_token(corpus, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    calls = []

    def fake_upload_folder(self, **kwargs):
        calls.append(kwargs)
        return SimpleNamespace(commit_url="https://hub.example/datasets/sayso/sayso/commit/abc", oid="abc")

    monkeypatch.setattr(huggingface_hub.HfApi, "upload_folder", fake_upload_folder)
    code, out, err = sayso("publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus), "--message", "v1")
    assert code == 0, err
    files = expected_files(corpus)
    assert len(calls) == 1
    call = calls[0]
    assert call["folder_path"] == str(corpus) and call["repo_id"] == "sayso/sayso"
    assert call["repo_type"] == "dataset" and call["commit_message"] == "v1" and call["revision"] is None
    assert call["allow_patterns"] == files
    assert call["delete_patterns"] == [f"{c}/*.parquet" for c in CONFIGS] + [
        "gold/train/*.json",
        "gold/validation/*.json",
        "gold/test/*.json",
    ]
    assert out == (
        f"uploaded {len(files)} files ({sum((corpus / f).stat().st_size for f in files):,} bytes) "
        "to datasets/sayso/sayso: https://hub.example/datasets/sayso/sayso/commit/abc\n"
    )
    assert TOKEN not in out + err


def test_upload_failure_is_reported_without_traceback_or_token(corpus, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)

    def failing_upload_folder(self, **kwargs):
        raise ConnectionError("403 Forbidden: no write access")

    monkeypatch.setattr(huggingface_hub.HfApi, "upload_folder", failing_upload_folder)
    code, out, err = sayso("publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus))
    assert code == 1 and out == ""
    assert (
        err
        == "sayso publish: upload to sayso/sayso failed: ConnectionError: 403 Forbidden: no write access\n"
    )
    assert TOKEN not in err


def test_no_token(corpus, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    # conftest points HF_HOME at an empty temp folder: no stored login either.
    code, _, err = sayso("publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus))
    assert code == 1
    assert err == "sayso publish: no Hugging Face token: set HF_TOKEN or log in with `hf auth login`\n"


def test_stale_build_is_not_published(corpus):
    path = next((corpus / "gold" / "train").glob("*.json"))
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["meta"]["outlet"] = "Another Wire"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    code, out, err = sayso("publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus), "--dry-run")
    assert code == 1 and out == ""
    assert err == (
        "sayso publish: the build is stale: README.md (differs), documents/train-00000-of-00001.parquet "
        "(differs); run `sayso build --force`, or pass --allow-stale\n"
    )
    assert (
        sayso("publish", "--repo-id", "sayso/sayso", "--corpus", str(corpus), "--dry-run", "--allow-stale")[0]
        == 0
    )


def test_bad_repo_id_is_a_usage_error(corpus):
    code, _, err = sayso("publish", "--repo-id", "no-slash", "--corpus", str(corpus), "--dry-run")
    assert code == 2
    assert err == "sayso publish: --repo-id 'no-slash' is not of the form ORG/NAME\n"
