"""The GUM import rules on a small made-up document in GUM's formats (runs without GUM itself).

The text is invented for this test (fictional places and people); the real corpus is tested in
tests/test_gum_import.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sayso.cli import run
from sayso.interop.gum import GumError, import_gum, place_type
from sayso.validate import validate_document

# The format line of GUM's entity annotation: the fields of each Entity= value, in order.
ENTITY = "# global.Entity = " + "-".join(
    ["GRP", "etype", "infstat", "salience", "centering", "minspan", "link", "identity"]
)


def _row(n, form, upos, head, deprel, misc="_", xpos="_"):
    return "\t".join([str(n), form, form.lower(), upos, xpos, "_", str(head), deprel, "_", misc])


SENTENCES = [
    (
        True,
        "Velmora reopens",
        [
            _row(1, "Velmora", "PROPN", 2, "nsubj", "Entity=(1-place-new-1-cf1-1-coref-Velmora)"),
            _row(2, "reopens", "VERB", 0, "root"),
        ],
    ),
    (
        True,
        "The Lake Orun council can't wait, Mara Oyelaran said.",
        [
            _row(1, "The", "DET", 4, "det", "Entity=(2-organization-new-1-cf1-4-coref"),
            _row(2, "Lake", "PROPN", 3, "compound", "Entity=(3-place-new-1-cf1-1,2-coref"),
            _row(3, "Orun", "PROPN", 4, "compound", "Entity=3)"),
            _row(4, "council", "NOUN", 7, "nsubj", "Entity=2)"),
            "5-6\tcan't\t_\t_\t_\t_\t_\t_\t_\t_",
            _row(5, "ca", "AUX", 7, "aux"),
            _row(6, "n't", "PART", 7, "advmod"),
            _row(7, "wait", "VERB", 11, "ccomp", "SpaceAfter=No"),
            _row(8, ",", "PUNCT", 7, "punct"),
            _row(9, "Mara", "PROPN", 11, "nsubj", "Entity=(4-person-new-1-cf1-1,2-coref"),
            _row(10, "Oyelaran", "PROPN", 9, "flat", "Entity=4)"),
            _row(11, "said", "VERB", 0, "root", "SpaceAfter=No"),
            _row(12, ".", "PUNCT", 11, "punct"),
        ],
    ),
    (
        False,
        "Orunese Farmers in Velmora agreed.",
        [
            _row(1, "Orunese", "PROPN", 2, "compound", "Entity=(5-person-new-1-cf1-1,2-coref", "NNPS"),
            _row(2, "Farmers", "PROPN", 5, "nsubj", "Entity=5)", "NNPS"),
            _row(3, "in", "ADP", 4, "case"),
            _row(4, "Velmora", "PROPN", 2, "nmod", "Entity=(1-place-giv-1-cf1-1-coref-Velmora)"),
            _row(5, "agreed", "VERB", 0, "root", "SpaceAfter=No"),
            _row(6, ".", "PUNCT", 5, "punct"),
        ],
    ),
    (
        True,
        "A harbour view.",
        [
            _row(1, "A", "DET", 3, "det"),
            _row(2, "harbour", "NOUN", 3, "compound"),
            _row(3, "view", "NOUN", 0, "root", "SpaceAfter=No"),
            _row(4, ".", "PUNCT", 3, "punct"),
        ],
    ),
    (
        False,
        "Image: Kofi Tan.",
        [
            _row(1, "Image", "NOUN", 0, "root", "SpaceAfter=No"),
            _row(2, ":", "PUNCT", 3, "punct"),
            _row(3, "Kofi", "PROPN", 1, "appos", "Entity=(6-person-new-1-cf1-1,2-coref"),
            _row(4, "Tan", "PROPN", 3, "flat", "Entity=6)|SpaceAfter=No"),
            _row(5, ".", "PUNCT", 1, "punct"),
        ],
    ),
]
TEXT = (
    "Velmora reopens\n\nThe Lake Orun council can't wait, Mara Oyelaran said. "
    "Orunese Farmers in Velmora agreed.\n\nA harbour view. Image: Kofi Tan."
)

RS4 = """<rst><header><relations/></header><body>
<segment id="1" parent="10" relname="organization-heading">Velmora reopens</segment>
<segment id="2" parent="8" relname="joint-list">The Lake Orun council ca n't wait ,</segment>
<segment id="3" parent="2" relname="attribution-positive">Mara Oyelaran said .</segment>
<segment id="4" parent="8" relname="joint-list">Orunese Farmers in Velmora agreed .</segment>
<segment id="5" parent="9" relname="span">A harbour view .</segment>
<segment id="6" parent="5" relname="attribution-positive">Image : Kofi Tan .</segment>
<group id="8" type="multinuc" parent="10" relname="span"/>
<group id="9" type="span" parent="8" relname="joint-list"/>
<group id="10" type="span"/>
<signals>
<signal source="3" type="semantic" subtype="attribution_source" tokens="11,12"/>
<signal source="3" type="lexical" subtype="indicative_word" tokens="13"/>
<signal source="6" type="semantic" subtype="attribution_source" tokens="26,27"/>
</signals></body></rst>
"""


def _write(folder: Path, conllu_lines: list[str] | None = None, rs4: str = RS4) -> Path:
    lines = conllu_lines
    if lines is None:
        lines = [
            "# newdoc id = GUM_news_toy",
            ENTITY,
            "# meta::dateCreated = 2020-05-04",
            "# meta::sourceURL = https://example.org/toy",
            "# meta::title = Velmora reopens",
        ]
        for n, (newpar, text, rows) in enumerate(SENTENCES, start=1):
            lines += (["# newpar"] if newpar else []) + [f"# sent_id = GUM_news_toy-{n}", f"# text = {text}"]
            lines += rows + [""]
    (folder / "conllu").mkdir(parents=True, exist_ok=True)
    (folder / "rst").mkdir(exist_ok=True)
    (folder / "conllu" / "GUM_news_toy.conllu").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "rst" / "GUM_news_toy.rs4").write_text(rs4, encoding="utf-8")
    (folder / "wiki_map.tab").write_text(
        "#FormattedTitle\tURLTitle\tWikidataID\tDateUpdated\nVelmora\tVelmora\tQ4242\t2025-01-01\n",
        encoding="utf-8",
    )
    (folder / "splits.md").write_text("# Splits\n\n## dev\n\n  * GUM_news_toy\n", encoding="utf-8")
    return folder


@pytest.fixture()
def toy(tmp_path: Path) -> dict:
    result = import_gum(_write(tmp_path / "gum"))
    assert len(result.documents) == 1
    return {"doc": result.documents[0], "result": result}


def test_text_is_rebuilt_with_paragraphs_spacing_and_multiword_tokens(toy):
    assert toy["doc"]["text"] == TEXT


def test_document_validates_and_has_meta_and_null_stances(toy):
    doc = toy["doc"]
    assert validate_document(doc) == []
    assert doc["meta"]["title"] == "Velmora reopens"
    assert doc["meta"]["published"] == "2020-05-04"
    assert doc["meta"]["url"] == "https://example.org/toy"
    assert doc["meta"]["source"] == "GUM"
    assert doc["meta"]["license"] == "CC-BY-2.5 (text); CC-BY-4.0 (annotations)"
    assert doc["meta"]["beat"] is None and doc["meta"]["phenomena"] is None
    assert doc["stances"] is None
    assert toy["result"].splits == {"GUM_news_toy": "validation"}


def test_mentions_kinds_types_and_name_spans(toy):
    got = [(m["text"], m["type"], m["kind"]) for m in toy["doc"]["mentions"]]
    assert got == [
        ("Velmora", "GPE", "NAM"),
        ("The Lake Orun council", "ORG", "NOM"),
        ("Lake Orun", "LOC", "NAM"),
        ("Mara Oyelaran", "PER", "NAM"),
        ("Orunese Farmers", "NORP", "NAM"),  # a plural proper noun person: a group
        ("Velmora", "GPE", "NAM"),
        ("Kofi Tan", "PER", "NAM"),
    ]
    text = toy["doc"]["text"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in toy["doc"]["mentions"])


def test_entities_from_clusters_with_wikidata(toy):
    doc = toy["doc"]
    velmora = [m["entity"] for m in doc["mentions"] if m["text"] == "Velmora"]
    assert velmora[0] == velmora[1]
    entity = next(e for e in doc["entities"] if e["id"] == velmora[0])
    assert entity == {"id": velmora[0], "name": "Velmora", "type": "GPE", "wikidata": "Q4242"}
    assert len(doc["entities"]) == 6


def test_attribution_source_cue_content_and_image_credit_dropped(toy):
    doc = toy["doc"]
    [attribution] = doc["attributions"]
    source = next(m for m in doc["mentions"] if m["id"] == attribution["source"])
    assert source["text"] == "Mara Oyelaran"
    assert attribution["cue"]["text"] == "said"
    assert [s["text"] for s in attribution["content"]] == ["The Lake Orun council can't wait"]
    unannotated = ("quote", "via", "identity", "source_type", "channel")
    assert {k: attribution[k] for k in unannotated} == dict.fromkeys(unannotated)
    counts = toy["result"].counts
    assert counts["attribution relations"] == 2
    assert counts["attributions dropped (image credit)"] == 1


@pytest.mark.parametrize(
    "names, expected",
    [
        (["Harlow Space Center"], "FAC"),
        (["Museum of Tides"], "FAC"),
        (["Lake Orun"], "LOC"),
        (["South America Velmora Route"], "LOC"),
        (["Mountain Ridge"], "GPE"),
        (["Velmora"], "GPE"),
        (["Velmora", "Velmora International Airport"], "FAC"),
    ],
)
def test_place_rule(names, expected):
    assert place_type(names) == expected


def test_rst_tokens_that_differ_from_the_words_are_an_error(tmp_path):
    folder = _write(tmp_path / "gum", rs4=RS4.replace("Orunese Farmers", "Orunese Farmer"))
    with pytest.raises(GumError, match=r"token 16 differs from the CoNLL-U words"):
        import_gum(folder)


def test_bad_conllu_line_reports_its_line(tmp_path):
    lines = ["# newdoc id = GUM_news_toy", "# text = A b", "1\tA\ta\tDET\t_\t_\t0\troot\t_", ""]
    with pytest.raises(GumError) as info:
        import_gum(_write(tmp_path / "gum", conllu_lines=lines))
    assert info.value.line == 3
    assert info.value.message == "9 columns, CoNLL-U has 10"


def test_cli_writes_split_folders_and_refuses_to_overwrite(tmp_path):
    folder = _write(tmp_path / "gum")
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "out"
    assert run(["import", "gum", str(folder), "--out", str(target)], out, err) == 0, err.getvalue()
    assert (target / "validation" / "GUM_news_toy.json").is_file()
    assert out.getvalue().endswith(f"wrote 1 documents -> {target}\n")
    doc = target / "validation" / "GUM_news_toy.json"
    written = doc.read_bytes()
    assert run(["import", "gum", str(folder), "--out", str(target)], io.StringIO(), io.StringIO()) == 0
    doc.write_text("{}\n", encoding="utf-8")  # edited since: refused, and left as it is
    err = io.StringIO()
    assert run(["import", "gum", str(folder), "--out", str(target)], io.StringIO(), err) == 1
    assert err.getvalue() == f"sayso import gum: {doc}: exists; pass --force to overwrite it\n"
    assert doc.read_text(encoding="utf-8") == "{}\n"
    assert run(["import", "gum", str(folder), "--out", str(target), "--force"], io.StringIO(), err) == 0
    assert doc.read_bytes() == written


def test_cli_reports_a_format_error_with_its_place(tmp_path):
    folder = _write(tmp_path / "gum", rs4="<rst><body>")
    err = io.StringIO()
    assert run(["import", "gum", str(folder), "--out", str(tmp_path / "o.jsonl")], io.StringIO(), err) == 1
    assert err.getvalue().startswith(f"{folder / 'rst' / 'GUM_news_toy.rs4'}: [gum-format] $: ")
    assert not (tmp_path / "o.jsonl").exists()
