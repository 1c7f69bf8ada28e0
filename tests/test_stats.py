"""`sayso stats`: per-split counts, as text, Markdown (the card's tables) and JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sayso.cli import run
from sayso.hf.stats import corpus_stats, to_markdown
from sayso.hf.synthetic import synthetic_corpus, write_synthetic_corpus
from sayso.labels import label_names


def sayso(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_counts_of_a_known_corpus():
    # Each synthetic document of 6 paragraphs has, by construction: 2 direct quotes with an
    # opposing stance each, 2 "outlet reported, citing two officials" pairs (via), 1 agentless
    # two-span attribution and 1 author stance; 11 mentions, 2 of them descriptions (NOM).
    stats = corpus_stats(synthetic_corpus(6, seed=2))
    assert list(stats["splits"]) == ["train", "validation", "test"]
    assert [stats["splits"][s]["documents"] for s in stats["splits"]] == [3, 1, 2]
    total = stats["total"]
    expected = {
        "documents": 6, "mentions": 66, "named_mentions": 54, "attributions": 42,
        "agentless_attributions": 6, "relayed_attributions": 12, "stances": 18, "author_stances": 6,
        "unannotated_layers": 0,
    }  # fmt: skip
    assert {k: total[k] for k in expected} == expected
    assert total["quote"] == {"direct": 12, "indirect": 30, "mixed": 0}
    assert total["identity"] == {"named": 24, "anonymous": 12, "generic": 6}
    assert total["mention_kind"] == {"NAM": 54, "NOM": 12, "PRO": 0}
    assert list(total["source_type"]) == list(label_names("source_type"))  # zeros included, in order
    assert sum(total["beat"].values()) == 6
    assert total["polarity"]["oppose"] >= 12


def test_null_layers_are_counted_apart():
    docs = list(synthetic_corpus(2))
    docs[0][1]["stances"] = None
    docs[1][1]["attributions"] = None
    stats = corpus_stats(docs)["total"]
    assert stats["unannotated_layers"] == 2
    assert stats["stances"] == 3 and stats["attributions"] == 7


def test_cli_outputs(tmp_path):
    write_synthetic_corpus(tmp_path / "corpus", 6, seed=2)
    gold = tmp_path / "corpus" / "gold"
    code, out, err = sayso("stats", str(gold))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["train", "validation", "test", "total"]
    assert lines[1].split() == ["documents", "3", "1", "2", "6"]
    assert "relayed attributions (via)" in out and "source_type:intl_org" in out
    code, out, _ = sayso("stats", str(gold), "--markdown")
    assert out == to_markdown(corpus_stats(synthetic_corpus(6, seed=2)))
    assert "| attributions | 21 | 7 | 14 | 42 |" in out.splitlines()
    code, out, _ = sayso("stats", str(gold), "--json")
    data = json.loads(out)
    assert data["total"]["attributions"] == 42 and data["splits"]["validation"]["documents"] == 1


def test_invalid_documents_are_reported_and_not_counted(tmp_path):
    write_synthetic_corpus(tmp_path, 3)
    (tmp_path / "gold" / "train" / "bad.json").write_text("[1,", encoding="utf-8")
    code, out, err = sayso("stats", str(tmp_path / "gold"))
    assert code == 1
    assert out.splitlines()[1].split() == ["documents", "3", "3"]
    assert err.splitlines()[-1] == "sayso stats: 1 errors; invalid documents are not counted"


def test_the_card_shows_the_stats_of_the_gold(repo_root):
    card = repo_root / "corpus" / "README.md"
    if (
        not any((repo_root / "corpus" / "gold").glob("*/*.json"))
        or "sayso:begin stats" not in card.read_text()
    ):
        pytest.skip("no built card yet")
    code, out, _ = sayso("stats", str(Path(repo_root / "corpus" / "gold")), "--markdown")
    assert code == 0
    assert out in card.read_text(encoding="utf-8"), (
        "the card's statistics are stale: run `sayso build --force`"
    )
