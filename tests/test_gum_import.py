"""`sayso import gum` on the real GUM news sample (skips when ../shared/external/gum-news is absent).

Nothing of GUM is copied here: the tests check properties of the import against figures read
from the raw files by code independent of the importer.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sayso.cli import run
from sayso.interop.gum import GUM_LICENSE, import_gum
from sayso.labels import label_names
from sayso.validate import validate_document


@pytest.fixture(scope="module")
def imported(gum_dir: Path):
    return import_gum(gum_dir)


def _raw_documents(gum_dir: Path) -> dict[str, dict]:
    """Per document: the paragraphs of `# text` sentences, meta lines and entity openings."""
    out: dict[str, dict] = {}
    for path in sorted((gum_dir / "conllu").glob("*.conllu")):
        doc = None
        last_glued = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# newdoc id = "):
                doc = out.setdefault(line.split("= ", 1)[1], {"paras": [], "meta": {}, "openings": 0})
            elif line == "# newpar":
                doc["paras"].append([])
            elif line.startswith("# meta::"):
                key, value = line[len("# meta::") :].split(" = ", 1)
                doc["meta"][key] = value
            elif line.startswith("# text = "):
                if not doc["paras"]:
                    doc["paras"].append([])
                doc["paras"][-1].append((line[len("# text = ") :], last_glued))
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                misc = dict(item.partition("=")[::2] for item in cols[9].split("|")) if cols[9] != "_" else {}
                if "-" not in cols[0] and "." not in cols[0]:
                    doc["openings"] += misc.get("Entity", "").count("(")
                last_glued = misc.get("SpaceAfter") == "No"
    return out


def _expected_text(paras: list) -> str:
    parts = []
    for para in paras:
        text = ""
        for i, (sentence, glued_before) in enumerate(para):
            text += sentence if i == 0 or glued_before else " " + sentence
        parts.append(text)
    return "\n\n".join(parts)


def test_every_document_is_imported_and_validates(gum_dir, imported):
    raw = _raw_documents(gum_dir)
    assert [d["id"] for d in imported.documents] == sorted(raw)
    assert len(imported.documents) == len(list((gum_dir / "conllu").glob("*.conllu")))
    for doc in imported.documents:
        assert validate_document(doc, path=doc["id"]) == []


def test_text_equals_the_sentences_joined(gum_dir, imported):
    raw = _raw_documents(gum_dir)
    for doc in imported.documents:
        assert doc["text"] == _expected_text(raw[doc["id"]]["paras"]), doc["id"]


def test_meta_comes_from_the_comments(gum_dir, imported):
    raw = _raw_documents(gum_dir)
    for doc in imported.documents:
        meta = raw[doc["id"]]["meta"]
        assert doc["meta"]["title"] == meta["title"]
        assert doc["meta"]["url"] == meta["sourceURL"]
        assert doc["meta"]["published"] == meta["dateCreated"]
        assert doc["meta"]["license"] == GUM_LICENSE
        assert doc["meta"]["source"] == "GUM"
        assert "Zeldes" in doc["meta"]["credit"]
        assert doc["meta"]["beat"] is None and doc["meta"]["phenomena"] is None
        assert doc["stances"] is None


def test_every_span_text_checks(imported):
    for doc in imported.documents:
        text = doc["text"]
        spans = list(doc["mentions"])
        for a in doc["attributions"]:
            spans += a["content"] + ([a["cue"]] if a["cue"] else [])
        for span in spans:
            assert text[span["start"] : span["end"]] == span["text"]
            assert span["text"] == span["text"].strip() and span["text"]


def test_every_gum_mention_is_imported_or_counted_as_dropped(gum_dir, imported):
    openings = sum(d["openings"] for d in _raw_documents(gum_dir).values())
    counts = imported.counts
    kept = sum(len(d["mentions"]) for d in imported.documents)
    assert kept == counts["mentions NAM"] + counts["mentions NOM"] + counts["mentions PRO"]
    dropped = (
        counts["mentions dropped (type not mapped)"]
        + counts["mentions dropped (same span and type as another)"]
    )
    assert kept + dropped == openings


def test_named_mentions_have_mapped_types_and_linked_entities(gum_dir, imported):
    lines = (gum_dir / "wiki_map.tab").read_text(encoding="utf-8").splitlines()[1:]
    qids = {line.split("\t")[2] for line in lines}
    allowed = set(label_names("mention_type")) - {"LAW"}
    named = 0
    for doc in imported.documents:
        entities = {e["id"]: e for e in doc["entities"]}
        for m in doc["mentions"]:
            assert m["type"] in allowed
            assert entities[m["entity"]]["type"] == m["type"]
            named += m["kind"] == "NAM"
        for e in doc["entities"]:
            assert e["wikidata"] is None or e["wikidata"] in qids
    assert named == imported.counts["mentions NAM"]
    assert named > 1000  # about 1,500 proper-noun headed mentions, minus unmapped types
    assert sum(1 for d in imported.documents for e in d["entities"] if e["wikidata"]) > 400


def _attribution_relations(gum_dir: Path) -> tuple[int, int]:
    """(attribution relations, those whose attributing unit reads "Image: ..."), from the XML."""
    total = images = 0
    for path in (gum_dir / "rst").glob("*.rs4"):
        nodes = [n for n in ET.parse(path).getroot().iter() if n.tag in ("segment", "group")]
        parent = {n.get("id"): n.get("parent") for n in nodes}

        def under(node_id: str, top: str, parent: dict = parent) -> bool:
            while node_id is not None:
                if node_id == top:
                    return True
                node_id = parent.get(node_id)
            return False

        for node in nodes:
            if (node.get("relname") or "").startswith("attribution-"):
                total += 1
                first = next(s for s in nodes if s.tag == "segment" and under(s.get("id"), node.get("id")))
                images += bool(re.match(r"Images? :", first.text or ""))
    return total, images


def test_attributions_are_the_relations_minus_image_credits(gum_dir, imported):
    total, images = _attribution_relations(gum_dir)
    counts = imported.counts
    assert counts["attribution relations"] == total
    assert counts["attributions dropped (image credit)"] == images
    imported_count = sum(len(d["attributions"]) for d in imported.documents)
    assert imported_count == total - images - counts["attributions dropped (empty content)"]
    for doc in imported.documents:
        mentions = {m["id"] for m in doc["mentions"]}
        for a in doc["attributions"]:
            assert a["source"] is None or a["source"] in mentions
            assert not any(s["text"].startswith("Image:") for s in a["content"])
            assert (a["quote"], a["identity"], a["source_type"], a["channel"], a["via"]) == (None,) * 5


def test_cli_writes_the_gum_splits(gum_dir, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    assert run(["import", "gum", str(gum_dir), "--out", str(tmp_path / "gum"), "--json"], out, err) == 0
    counts = json.loads(out.getvalue())
    found = {p.parent.name: 0 for p in (tmp_path / "gum").rglob("*.json")}
    for p in (tmp_path / "gum").rglob("*.json"):
        found[p.parent.name] += 1
    text = (gum_dir / "splits.md").read_text(encoding="utf-8")
    expected = {"train": 0, "validation": 0, "test": 0}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = {"dev": "validation", "test": "test", "train": "train"}.get(line[3:].strip())
        elif section and line.strip().startswith("* GUM_news_"):
            expected[section] += 1
    assert found == {k: v for k, v in expected.items() if v}
    assert counts["documents"] == sum(expected.values())
    assert run(["validate", str(tmp_path / "gum")], io.StringIO(), io.StringIO()) == 0
