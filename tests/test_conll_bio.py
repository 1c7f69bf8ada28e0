"""`sayso export conll` and `sayso import bio`: the round trip on the real corpus, and every error."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest
from _scoring import as_gold

from sayso.cli import run
from sayso.interop.conll import BIO_CODES, align_document, read_bio
from sayso.tokenize import tagged_sentences


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _gold(repo_root: Path, split: str) -> list[dict]:
    paths = sorted((repo_root / "corpus/gold" / split).glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


@pytest.mark.parametrize("split", ["train", "validation", "test"])
@pytest.mark.parametrize("suffix", [".conll", ".jsonl"])
def test_round_trip_scores_one_on_named_mentions(repo_root, tmp_path, split, suffix):
    gold_dir = repo_root / "corpus" / "gold"
    exported = tmp_path / f"{split}{suffix}"
    code, out, err = _run(
        "export", "conll", "--split", split, "--gold-dir", str(gold_dir), "--out", str(exported)
    )
    assert code == 0, err
    docs = _gold(repo_root, split)
    named = sum(1 for d in docs for m in d["mentions"] or () if m["kind"] == "NAM")
    assert out == f"{len(docs)} documents, {named} named mentions -> {exported}\n"
    pred = tmp_path / "pred.jsonl"
    code, out, err = _run("import", "bio", str(exported), "--gold", str(gold_dir / split), "--out", str(pred))
    assert code == 0, err
    assert out == f"{len(docs)} documents, {named} named mentions -> {pred}\n"
    code, out, err = _run("score", "--gold", str(gold_dir / split), "--pred", str(pred), "--json")
    assert code == 0, err
    result = json.loads(out)
    for scheme in ("strict", "exact", "type", "partial"):
        assert result["headline"][f"mentions.{scheme}.f1"] == 1.0
    assert result["scores"]["mentions"]["gold"] == named


def test_export_lines_are_the_tokens_config(repo_root, tmp_path):
    exported = tmp_path / "test.conll"
    assert (
        _run(
            "export",
            "conll",
            "--split",
            "test",
            "--out",
            str(exported),
            "--gold-dir",
            str(repo_root / "corpus/gold"),
        )[0]
        == 0
    )
    docs = _gold(repo_root, "test")
    expected = []
    for doc in docs:
        expected += [f"-DOCSTART-\t{doc['id']}", ""]
        for toks, tags in tagged_sentences(doc):
            expected += [f"{t.text}\t{g}" for t, g in zip(toks, tags, strict=True)] + [""]
    assert exported.read_text(encoding="utf-8").split("\n") == expected + [""]


DOC = as_gold({"id": "d1", "text": "Mara Oyelaran left Velmora.\n\nShe spoke."})


def _import(tmp_path: Path, content: str, name: str = "p.conll", *options: str) -> tuple[int, str, str, Path]:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(DOC) + "\n", encoding="utf-8")
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    code, out, err = _run("import", "bio", str(src), "--gold", str(gold), "--out", str(pred), *options)
    return code, out, err, src


GOOD = (
    "-DOCSTART-\td1\n\nMara\tB-PER\nOyelaran\tI-PER\nleft\tO\nVelmora\tB-GPE\n.\tO\n\n"
    "She\tO\nspoke\tO\n.\tO\n"
)


def test_import_aligns_tags_to_offsets(tmp_path):
    code, out, err, _ = _import(tmp_path, GOOD)
    assert (code, err) == (0, "")
    [doc] = [json.loads(line) for line in (tmp_path / "pred.jsonl").read_text().splitlines()]
    assert doc == {
        "id": "d1",
        "mentions": [
            {
                "id": "m1",
                "start": 0,
                "end": 13,
                "text": "Mara Oyelaran",
                "type": "PER",
                "kind": "NAM",
                "entity": None,
            },
            {
                "id": "m2",
                "start": 19,
                "end": 26,
                "text": "Velmora",
                "type": "GPE",
                "kind": "NAM",
                "entity": None,
            },
        ],
    }


def test_conll2003_columns_and_jsonl_are_read(tmp_path):
    four = GOOD.replace("\tB-", " NNP B-NP B-").replace("\tI-", " NNP I-NP I-").replace("\tO", " XX O O")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _import(tmp_path / "a", four)[0] == 0
    lines = [
        {
            "id": "d1",
            "tokens": ["Mara", "Oyelaran", "left", "Velmora", "."],
            "tags": ["B-PER", "I-PER", "O", "B-GPE", "O"],
        },
        {"id": "d1", "tokens": ["She", "spoke", "."], "tags": ["O", "O", "O"]},
    ]
    jsonl = "".join(json.dumps(x) + "\n" for x in lines)
    code, _, err, _ = _import(tmp_path / "b", jsonl, "p.jsonl")
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    "content, code, line, message",
    [
        (
            GOOD.replace("Velmora\tB-GPE", "Valmora\tB-GPE"),
            "bio-misaligned",
            6,
            "document 'd1': token 4 'Valmora' does not match the gold text at offset 19: "
            "'Velmora.\\n\\nShe spoke.'",
        ),
        # a token may end inside a gold word (sub-word cuts), so the error is at the next token
        (
            GOOD.replace("Velmora\tB-GPE", "Velmor\tB-GPE"),
            "bio-misaligned",
            7,
            "document 'd1': token 5 '.' does not match the gold text at offset 25: 'a.\\n\\nShe spoke.'",
        ),
        (
            GOOD.replace("She\tO\nspoke\tO\n.\tO\n", ""),
            "bio-incomplete",
            7,
            "document 'd1': the tokens end at offset 27 but the gold text continues at 29: 'She spoke.'",
        ),
        (
            GOOD + "again\tO\n",
            "bio-misaligned",
            12,
            "document 'd1': token 9 'again' does not match the gold text at offset 39: the end of the text",
        ),
        (
            GOOD.replace("B-GPE", "B-CITY"),
            "bio-unknown-type",
            6,
            "type 'CITY' of tag 'B-CITY' is not one of EVENT, FAC, GPE, LAW, LOC, NORP, ORG, PER",
        ),
        (GOOD.replace("B-GPE", "U-GPE"), "bio-bad-tag", 6, "tag 'U-GPE' is not O, B-TYPE or I-TYPE"),
        (
            GOOD.replace("-DOCSTART-\td1", "-DOCSTART- -X- -X- O"),
            "bio-missing-id",
            1,
            "-DOCSTART- needs the document id in its second column (-DOCSTART-<TAB>ID)",
        ),
        (
            GOOD.replace("\td1", "\td2"),
            "bio-unknown-document",
            3,
            "document 'd2' is not in the gold documents",
        ),
        (GOOD.replace("left\tO", "left"), "bio-format", 5, "1 column: expected TOKEN and TAG"),
    ],
)
def test_errors_name_code_file_and_line(tmp_path, content, code, line, message):
    status, out, err, src = _import(tmp_path, content)
    assert status == 1 and out == ""
    first = err.splitlines()[0]
    if code == "bio-unknown-document":
        message += f" ({tmp_path / 'gold.jsonl'})"
    assert first == f"{src}:{line}: [{code}] $: {message}"
    assert err.splitlines()[-1].endswith("error(s); nothing written")
    assert not (tmp_path / "pred.jsonl").exists()


def test_jsonl_length_mismatch_and_bad_json(tmp_path):
    bad = '{"id": "d1", "tokens": ["Mara"], "tags": []}\n{"id": \n'
    status, _, err, src = _import(tmp_path, bad, "p.jsonl")
    assert status == 1
    assert err.splitlines()[:2] == [
        f"{src}:1: [bio-format] $.tags: 1 tokens but 0 tags",
        f"{src}:2: [bio-format] $: not valid JSON: Expecting value (column 8)",
    ]


def test_every_code_is_documented_and_triggered():
    doc = (Path(__file__).resolve().parent.parent / "eval" / "INTEROP.md").read_text(encoding="utf-8")
    for code in BIO_CODES:
        assert f"`{code}`" in doc
    source = Path(__file__).read_text(encoding="utf-8")
    assert all(f'"{code}"' in source for code in BIO_CODES)


def test_library_alignment_rejects_misaligned_tokens(tmp_path):
    src = tmp_path / "p.conll"
    src.write_text("-DOCSTART-\td1\nMara\tB-PER\nOyelaren\tI-PER\n", encoding="utf-8")
    [tdoc], issues = read_bio(src)
    assert issues == []
    doc, problems = align_document(tdoc, DOC, {"PER"})
    assert doc is None
    assert [p.code for p in problems] == ["bio-misaligned"]


def test_output_is_not_overwritten_without_force(tmp_path):
    assert _import(tmp_path, GOOD)[0] == 0
    target = tmp_path / "pred.jsonl"
    written = target.read_bytes()
    assert _import(tmp_path, GOOD)[0] == 0  # the same bytes again: nothing to overwrite
    target.write_bytes(b"{}\n")  # edited since: refused, and left as it is
    code, _, err, _ = _import(tmp_path, GOOD)
    assert code == 1
    assert err == f"sayso import bio: {target}: exists; pass --force to overwrite it\n"
    assert target.read_bytes() == b"{}\n"
    assert _import(tmp_path, GOOD, "p.conll", "--force")[0] == 0
    assert target.read_bytes() == written


def test_export_reports_a_missing_split_and_invalid_documents(tmp_path):
    code, _, err = _run(
        "export", "conll", "--split", "test", "--gold-dir", str(tmp_path), "--out", str(tmp_path / "x")
    )
    assert (code, err) == (1, f"sayso export: no folder {tmp_path / 'test'}\n")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x"}), encoding="utf-8")
    code, _, err = _run("export", "conll", "--input", str(bad), "--out", str(tmp_path / "x"))
    assert code == 1
    assert err.splitlines()[-1] == "7 error(s) in the input; nothing written"  # 7 missing fields
    assert "[missing-field]" in err


def test_hash_tokens_are_tokens_and_hash_space_lines_are_comments(tmp_path):
    doc = {
        "id": "d1",
        "schema_version": "1.0",
        "meta": {
            "title": "t",
            "outlet": "o",
            "published": None,
            "language": "en",
            "url": None,
            "license": "CC-BY-4.0",
            "beat": None,
            "phenomena": None,
        },
        "text": "Velmora ranks #2 in #Orun polls.",
        "mentions": [{"id": "m1", "start": 0, "end": 7, "type": "GPE", "kind": "NAM", "entity": None}],
        "entities": [],
        "attributions": [],
        "stances": [],
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(as_gold(doc)) + "\n", encoding="utf-8")
    exported = tmp_path / "x.conll"
    assert _run("export", "conll", "--input", str(gold), "--out", str(exported))[0] == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert lines.count("#\tO") == 2
    exported.write_text("# a comment\n" + "\n".join(lines) + "\n", encoding="utf-8")
    pred = tmp_path / "p.jsonl"
    code, out, err = _run("import", "bio", str(exported), "--gold", str(gold), "--out", str(pred))
    assert (code, err) == (0, "")
    assert out == f"1 documents, 1 named mentions -> {pred}\n"


def test_import_agrees_with_conlleval_on_random_files(tmp_path):
    """300 random CoNLL files (sentences that may begin with I-X, type changes inside chunks):
    the imported mentions scored strictly give conlleval's counts, as seqeval computes them in
    its default mode (which seqeval's own tests check against conlleval.pl)."""
    seqeval = pytest.importorskip("seqeval.metrics.sequence_labeling")
    from _scoring import score

    from sayso.interop.conll import align_document, read_bio

    rng = random.Random(2026)
    types = ["PER", "ORG", "LOC"]
    tags = ["O", "O", "O"] + [f"{p}-{t}" for p in "BI" for t in types]
    agreed = 0
    for n in range(300):
        sentences = [
            [(rng.choice(["ka", "lo", "mi", "ren", "to"]) + str(k), rng.choice(tags), rng.choice(tags))
             for k in range(rng.randint(1, 10))]
            for _ in range(rng.randint(1, 5))
        ]  # fmt: skip
        text = "\n".join(" ".join(tok for tok, _, _ in sent) for sent in sentences)
        gold_tags = [[g for _, g, _ in sent] for sent in sentences]
        pred_tags = [[p for _, _, p in sent] for sent in sentences]
        conll = f"-DOCSTART-\tr{n}\n\n" + "\n\n".join(
            "\n".join(f"{tok}\t{tag}" for (tok, _, _), tag in zip(sent, tags_, strict=True))
            for sent, tags_ in zip(sentences, gold_tags, strict=True)
        )
        gold_file = tmp_path / f"g{n}.conll"
        gold_file.write_text(conll + "\n", encoding="utf-8")
        pred_file = tmp_path / f"p{n}.conll"
        pred_file.write_text(
            "\n".join(
                line.split("\t")[0] + "\t" + tag
                if "\t" in line and not line.startswith("-DOCSTART-")
                else line
                for line, tag in zip(conll.split("\n"), _tags_for_lines(conll, pred_tags), strict=True)
            )
            + "\n",
            encoding="utf-8",
        )
        shell = {"id": f"r{n}", "text": text}
        (gold_tokens,), _ = read_bio(gold_file)
        gold_doc, problems = align_document(gold_tokens, shell, set(types))
        assert problems == []
        (pred_tokens,), _ = read_bio(pred_file)
        pred_doc, problems = align_document(pred_tokens, shell, set(types))
        assert problems == []
        result = score([{**shell, "mentions": gold_doc["mentions"]}], [pred_doc])
        strict = result.scores["mentions"]["strict"]
        true = set(seqeval.get_entities(gold_tags))
        pred = set(seqeval.get_entities(pred_tags))
        ours = (result.scores["mentions"]["gold"], result.scores["mentions"]["pred"], strict["correct"])
        agreed += ours == (len(true), len(pred), len(true & pred))
    assert agreed == 300


def _tags_for_lines(conll: str, tags: list[list[str]]) -> list[str]:
    """The tag of each line of ``conll`` (token lines in order; other lines get '')."""
    flat = iter(t for sent in tags for t in sent)
    return [
        next(flat) if "\t" in line and not line.startswith("-DOCSTART-") else "" for line in conll.split("\n")
    ]
