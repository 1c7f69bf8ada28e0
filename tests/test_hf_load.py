"""`datasets.load_dataset` on the built folder, fully offline (conftest sets HF_*_OFFLINE and HF_HOME).

Runs on a synthetic corpus built here (nulls, optional meta keys, nested mentions) and on the
committed build of the real corpus. Counts are compared with the gold files, never with constants.
"""

from __future__ import annotations

import io as _io
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")
pytest.importorskip("pyarrow")

try:  # tests/ is on sys.path under pytest's default import mode; a package layout needs the prefix
    from test_hf_features import EXPECTED
except ImportError:  # pragma: no cover
    from tests.test_hf_features import EXPECTED

from sayso.cli import run  # noqa: E402
from sayso.hf import CONFIGS, row_to_document  # noqa: E402
from sayso.hf.synthetic import write_synthetic_corpus  # noqa: E402
from sayso.io import SPLITS, load_documents, split_of, write_json_atomic  # noqa: E402
from sayso.tokenize import sentences  # noqa: E402


def test_offline_switches_are_set_before_datasets_is_used():
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["HF_DATASETS_OFFLINE"] == "1"
    assert datasets.config.HF_HUB_OFFLINE is True


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hf-load") / "corpus"
    docs = write_synthetic_corpus(root, 14, seed=3)
    # Edge cases a real corpus may hold: a null layer, provenance keys, a numeric annotation id.
    split, doc = docs[4]
    doc["stances"] = None
    doc["meta"].update({"annotator": "second", "annotation_id": 42, "source": "Label Studio"})
    write_json_atomic(root / "gold" / split / f"{doc['id']}.json", doc, force=True)
    out, err = _io.StringIO(), _io.StringIO()
    assert run(["build", "--corpus", str(root)], out, err) == 0, err.getvalue()
    return root


@pytest.fixture(scope="module", params=["synthetic", "committed"])
def corpus(request, repo_root) -> Path:
    if request.param == "synthetic":
        return request.getfixturevalue("synthetic_corpus")
    root = repo_root / "corpus"
    if not (root / "documents").is_dir():
        pytest.skip("corpus/ has no build yet (run `sayso build`)")
    return root


def gold_of(root: Path) -> dict[str, tuple[str, dict]]:
    gold = root / "gold"
    return {
        item.doc["id"]: (split_of(Path(item.path).relative_to(gold)), item.doc)
        for item in load_documents([gold])
    }


def expected_rows(gold: dict[str, tuple[str, dict]], config: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for split, doc in gold.values():
        if config == "documents":
            n = 1
        elif config == "tokens":
            named = [(m["start"], m["end"]) for m in doc["mentions"] or [] if m["kind"] == "NAM"]
            n = len(sentences(doc["text"], keep=named))
        else:
            n = len(doc[config] or [])
        counts[split] += n
    return {s: counts[s] for s in SPLITS if counts.get(s)}  # a split with no row has no file


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_with_exact_features_and_counts(corpus, config):
    gold = gold_of(corpus)
    ds = datasets.load_dataset(str(corpus), config)
    assert {s: ds[s].num_rows for s in ds} == expected_rows(gold, config)
    for split in ds:
        assert ds[split].features == EXPECTED[config]


def test_default_config_is_documents_and_round_trips_to_gold(corpus):
    gold = gold_of(corpus)
    ds = datasets.load_dataset(str(corpus))
    seen = set()
    for split in ds:
        for row in ds[split]:
            gold_split, gold_doc = gold[row["id"]]
            assert split == gold_split
            assert row_to_document(row) == gold_doc, row["id"]
            seen.add(row["id"])
    assert seen == set(gold)


def test_streaming_gives_the_same_rows(corpus):
    gold = gold_of(corpus)
    streamed = datasets.load_dataset(str(corpus), "documents", streaming=True)
    ids = set()
    for split in streamed:
        for row in streamed[split]:
            assert row_to_document(row) == gold[row["id"]][1]
            ids.add(row["id"])
    assert ids == set(gold)
    tokens = datasets.load_dataset(str(corpus), "tokens", streaming=True)
    assert {s: sum(1 for _ in tokens[s]) for s in tokens} == expected_rows(gold, "tokens")


def test_a_parquet_file_alone_is_typed(corpus):
    """`data_files=` skips the card's YAML; the features stored in the Parquet schema still apply."""
    split = next(iter(expected_rows(gold_of(corpus), "documents")))
    path = corpus / "attributions" / f"{split}-00000-of-00001.parquet"
    ds = datasets.load_dataset("parquet", data_files={split: str(path)})
    assert ds[split].features == EXPECTED["attributions"]


def _check_spans_in_context(row, spans):
    for span in spans:
        start = span["start"] - row["context_start"]
        assert row["context"][start : start + span["end"] - span["start"]] == span["text"]


def test_flat_rows_agree_with_the_article_text(synthetic_corpus):
    gold = gold_of(synthetic_corpus)
    attributions = datasets.load_dataset(str(synthetic_corpus), "attributions", split="train")
    quote = attributions.features["quote"]
    for row in attributions:
        doc = gold[row["document_id"]][1]
        record = next(a for a in doc["attributions"] if a["id"] == row["attribution_id"])
        assert quote.int2str(row["quote"]) == record["quote"]
        assert row["content"] == record["content"]
        _check_spans_in_context(row, row["content"] + ([row["cue"]] if row["cue"] else []))
        source = next((m for m in doc["mentions"] if m["id"] == record["source"]), None)
        assert row["source_text"] == (source["text"] if source else None)
    mentions = datasets.load_dataset(str(synthetic_corpus), "mentions", split="test")
    for row in mentions:
        _check_spans_in_context(row, [row])
    stances = datasets.load_dataset(str(synthetic_corpus), "stances", split="train")
    assert any(row["holder"] == "author" and row["holder_text"] is None for row in stances)
    for row in stances:
        _check_spans_in_context(row, row["evidence"])
    tokens = datasets.load_dataset(str(synthetic_corpus), "tokens", split="validation")
    for row in tokens:
        text = gold[row["document_id"]][1]["text"]
        assert [text[s:e] for s, e in zip(row["char_starts"], row["char_ends"], strict=True)] == row["tokens"]


def test_null_layer_and_provenance_keys_survive(synthetic_corpus):
    ds = datasets.load_dataset(str(synthetic_corpus))
    row = next(r for split in ds for r in ds[split] if r["stances"] is None)
    doc = row_to_document(row)
    assert doc["stances"] is None
    assert doc["meta"]["annotation_id"] == 42 and doc["meta"]["annotator"] == "second"
    assert "credit" not in doc["meta"]
    assert json.dumps(doc, sort_keys=True)  # plain JSON types only


def test_a_split_without_rows_of_a_config_is_left_out_of_it(tmp_path):
    """A Parquet file of zero rows breaks datasets 5.2 ("BatchSize must be greater than 0")."""
    root = tmp_path / "corpus"
    for split, doc in write_synthetic_corpus(root, 4):
        if split == "validation":
            doc["attributions"] = doc["stances"] = None
            write_json_atomic(root / "gold" / split / f"{doc['id']}.json", doc, force=True)
    assert run(["build", "--corpus", str(root)], _io.StringIO(), _io.StringIO()) == 0
    assert not (root / "stances" / "validation-00000-of-00001.parquet").exists()
    assert "A 0 means that the split has no row of that config" in (root / "README.md").read_text()
    for config in ("attributions", "stances"):
        ds = datasets.load_dataset(str(root), config)
        assert {s: ds[s].num_rows for s in ds} == expected_rows(gold_of(root), config)
        assert list(ds) == ["train"]
    assert list(datasets.load_dataset(str(root), "documents")) == ["train", "validation"]
