"""The split rule for new articles: deterministic minimisation over beat and register."""

from __future__ import annotations

import io
from pathlib import Path

from sayso.cli import run
from sayso.splits import Article, assign

ROOT = Path(__file__).resolve().parent.parent


def _frozen(n: int, split: str) -> Article:
    return Article(f"sayso-{n:04d}", "energy", "wire", split)


def test_frozen_articles_keep_their_split_and_the_first_new_one_goes_where_the_shares_are_short():
    history = [_frozen(1, "train"), _frozen(2, "train"), _frozen(3, "train")]
    new = Article("sayso-0061", "energy", "wire")
    # After three train articles, test (target 42%) is furthest below its share.
    assert assign([*history, new]) == {
        "sayso-0001": "train",
        "sayso-0002": "train",
        "sayso-0003": "train",
        "sayso-0061": "test",
    }


def test_hand_computed_sequence_of_one_cell():
    arts = [Article(f"sayso-{n:04d}", "sports", "wire") for n in range(61, 73)]
    got = [assign(arts)[a.id] for a in arts]
    # One cell: the three factors hold the same counts, so each step takes the split that keeps
    # sum_s |n_s - share_s * N| smallest. By hand, the third article: test -> 0.74 + 0.51 + 0.23
    # = 1.48, validation -> 0.26 + 0.49 + 0.23 = 0.98, train -> 0.26 + 0.51 + 0.77 = 1.54.
    assert got == [
        "test", "train", "validation", "test", "train", "test",
        "train", "validation", "test", "train", "test", "train",
    ]  # fmt: skip
    assert (got.count("test"), got.count("validation"), got.count("train")) == (5, 2, 5)


def test_appending_articles_never_moves_an_earlier_assignment():
    beats = ["sports", "culture", "crime", "local"]
    registers = ["wire", "opinion", "feature"]
    arts = [Article(f"sayso-{n:04d}", beats[n % 4], registers[n % 3]) for n in range(61, 161)]
    full = assign(arts)
    for cut in (1, 17, 50, 99):
        part = assign(arts[:cut])
        assert part == {a.id: full[a.id] for a in arts[:cut]}


def test_input_order_does_not_matter():
    arts = [Article(f"sayso-{n:04d}", ["a", "b"][n % 2], ["x", "y", "z"][n % 3]) for n in range(55, 90)]
    assert assign(arts) == assign(list(reversed(arts)))


def test_committed_sources_follow_the_rule():
    out, err = io.StringIO(), io.StringIO()
    code = run(["author", "splits", "--check", str(ROOT / "annotation" / "sources")], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    assert "0 differ from the rule" in out.getvalue()


def test_a_declared_split_that_differs_is_reported(tmp_path):
    source = (ROOT / "annotation" / "sources" / "sayso-0001.say").read_text(encoding="utf-8")
    new = source.replace("id: sayso-0001", "id: sayso-0061")
    header_split = next(line for line in new.splitlines() if line.startswith("split: "))
    (tmp_path / "sayso-0001.say").write_text(source, encoding="utf-8")
    (tmp_path / "sayso-0061.say").write_text(new.replace(header_split, "split: validation"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    none = str(tmp_path / "no-commissions.tsv")
    code = run(["author", "splits", "--check", "--commissions", none, str(tmp_path)], stdout=out, stderr=err)
    assert code == 1
    assert err.getvalue() == (
        f"{tmp_path / 'sayso-0061.say'}: [markup-split] $.split: declared 'validation' (beat conflict, "
        "register wire), the split rule gives 'test'\n"
    )
    assert out.getvalue() == "2 articles (train 1, validation 0, test 1), 2 written; 1 differ from the rule\n"


def test_commissions_fix_the_history_before_the_articles_exist(tmp_path):
    source = (ROOT / "annotation" / "sources" / "sayso-0001.say").read_text(encoding="utf-8")
    (tmp_path / "sayso-0001.say").write_text(source, encoding="utf-8")
    commissions = tmp_path / "commissions.tsv"
    header = "id\tbeat\tregister\twords\tsplit\n"
    # After sayso-0001 (train), the rule gives 0061 test and 0062 validation (hand check: test is
    # furthest below its share after one train article; then validation, by the same sums).
    commissions.write_text(
        header + "sayso-0061\tsports\twire\t200\ttest\nsayso-0062\tsports\twire\t200\ttest\n"
    )
    # sayso-0062 is written before sayso-0061: its split follows from the commission of 0061.
    new = source.replace("id: sayso-0001", "id: sayso-0062").replace("beat: conflict", "beat: sports")
    header_split = next(line for line in new.splitlines() if line.startswith("split: "))
    (tmp_path / "sayso-0062.say").write_text(new.replace(header_split, "split: validation"), encoding="utf-8")

    def check() -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        argv = ["author", "splits", "--check", "--commissions", str(commissions), str(tmp_path)]
        return run(argv, stdout=out, stderr=err), out.getvalue(), err.getvalue()

    code, _, err = check()
    assert (code, err) == (
        1,
        f"{commissions}:3: [markup-split] $.split: sayso-0062 is commissioned for 'test', the split rule "
        "gives 'validation'\n",
    )
    commissions.write_text(
        header + "sayso-0061\tsports\twire\t200\ttest\nsayso-0062\tsports\twire\t200\tvalidation\n"
    )
    assert check() == (
        0,
        "3 articles (train 1, validation 1, test 1), 2 written; 0 differ from the rule\n",
        "",
    )
