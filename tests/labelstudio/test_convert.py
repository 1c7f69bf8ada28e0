"""Document <-> Label Studio result conversion, without a server: lossless, every problem an issue."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from ls_documents import as_the_editor_submits, unicode_document

from sayso.issues import Issue, format_issue
from sayso.labelstudio import (
    annotation_to_document,
    document_to_result,
    document_to_task_data,
    validate_predictions,
)
from sayso.labelstudio._convert import entity_line, parse_entity_line, parse_region_id, region_id

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
W = "task 1/annotation 2"  # where issues of the annotations below are reported
CORPUS = sorted((ROOT / "corpus" / "gold").glob("*/*.json"))


def roundtrip(doc: dict, result: list | None = None, *, prediction: bool = True) -> tuple[dict, list[Issue]]:
    """Through JSON, as the server stores it."""
    data = json.loads(json.dumps(document_to_task_data(doc, prediction=prediction)))
    if result is None:
        result, issues = document_to_result(doc)
        assert issues == []
    return annotation_to_document(data, json.loads(json.dumps(result)), path="task 1/annotation 2")


def errors(issues: list[Issue]) -> list[str]:
    return [format_issue(i) for i in issues if i.severity == "error"]


@pytest.mark.parametrize("record_id", ["m1", "a-7", "m_1", "Mitte\u0301", "x y", "sy-m-m1", "_2d_"])
def test_region_ids_encode_every_schema_id(record_id: str) -> None:
    rid = region_id("m", record_id)
    assert all(
        c.isascii() and (c.isalnum() or c in "_-") for c in rid
    )  # the editor puts ids in CSS selectors
    assert parse_region_id(rid) == ("m", record_id)


@pytest.mark.parametrize("rid", ["x5aFTXP-h0", "sy-m-", "sy-m-a_zz_", "sy-m-a-b", None, 17, "sy-m-a_b"])
def test_ids_the_editor_makes_are_not_schema_ids(rid) -> None:
    assert parse_region_id(rid) is None


def test_entity_lines() -> None:
    entity = {"id": "e3", "name": "officials | of the council", "type": "PER", "wikidata": None}
    assert entity_line(entity) == "e3 | PER | - | officials | of the council"
    assert parse_entity_line(entity_line(entity)) == entity
    assert parse_entity_line("e1 | GPE | Q159 |  Russia ") == {
        "id": "e1",
        "name": " Russia ",
        "type": "GPE",
        "wikidata": "Q159",
    }
    assert parse_entity_line("e1 GPE Russia") is None


def test_unicode_document_round_trips_exactly(unicode_doc: dict) -> None:
    back, issues = roundtrip(unicode_doc)
    assert back == unicode_doc
    assert list(back) == list(unicode_doc)
    assert [format_issue(i) for i in issues] == [
        "task 1/annotation 2: [ls-incomplete] $.result[23]: attribution a2 has no source_type"
    ]
    # spans without `text` stay without it; text is never taken from value.text
    assert back["attributions"][0]["content"][1] == {"start": 68, "end": 69}


def test_editor_resubmission_of_a_prediction_round_trips(unicode_doc: dict) -> None:
    result, _ = document_to_result(unicode_doc)
    back, _ = roundtrip(unicode_doc, as_the_editor_submits(result))
    assert back == unicode_doc


def test_value_text_is_ignored_offsets_rule(unicode_doc: dict) -> None:
    """The browser reports collapsed whitespace and CRLF as two newlines: only offsets count."""
    result, _ = document_to_result(unicode_doc)
    for item in result:
        if isinstance(item.get("value", {}).get("text"), str):
            item["value"]["text"] = " ".join(item["value"]["text"].split()).replace("\r\n", "\n\n")
    back, _ = roundtrip(unicode_doc, result)
    assert back == unicode_doc


@pytest.mark.skipif(not CORPUS, reason="no corpus documents under corpus/gold yet")
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_corpus_document_round_trips_in_memory(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    result, issues = document_to_result(doc, path=str(path))
    assert issues == []
    assert validate_predictions([(str(path), result)]) == []
    back, issues = roundtrip(doc, as_the_editor_submits(result))
    assert back == doc
    assert errors(issues) == []


def test_recorded_editor_annotation_converts() -> None:
    """A result recorded from the real editor: random region ids, origin manual, per-region items."""
    recorded = json.loads((FIXTURES / "editor-manual-result.json").read_text(encoding="utf-8"))["result"]
    blank = unicode_document("sayso-9102")
    for layer in ("mentions", "entities", "attributions", "stances"):
        blank[layer] = []
    blank["meta"]["phenomena"] = []
    data = document_to_task_data(blank, prediction=False)
    doc, issues = annotation_to_document(
        data,
        recorded,
        path="task 30/annotation 9",
        provenance={"annotator": "a@example.org", "annotation_id": 9},
    )
    assert doc["mentions"] == [
        {
            "id": "m1",
            "start": 129,
            "end": 135,
            "text": "Ortega",
            "type": "PER",
            "kind": "NOM",
            "entity": "e1",
        },
        {
            "id": "m2",
            "start": 157,
            "end": 165,
            "text": "Council.",
            "type": "ORG",
            "kind": None,
            "entity": None,
        },
    ]
    assert doc["text"][129:135] == "Ortega"  # code points, past an emoji flag and combining accents
    assert doc["entities"] == [{"id": "e1", "name": "Ortega", "type": "PER", "wikidata": None}]
    assert doc["attributions"] == doc["stances"] == []
    assert doc["meta"]["phenomena"] == ["stance-by-action"]
    assert (doc["meta"]["annotator"], doc["meta"]["annotation_id"]) == ("a@example.org", 9)
    assert [format_issue(i) for i in issues] == [
        "task 30/annotation 9: [ls-incomplete] $.result[3]: mention m2 ('Council.') has no kind",
        "task 30/annotation 9: [ls-incomplete] $.result[3]: mention m2 ('Council.') has no entity",
    ]


def _region(rid: str, control: str, label: str, start: int, end: int, text: str) -> dict:
    return {
        "id": rid,
        "from_name": control,
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def _choice(rid: str, control: str, value: str, start: int, end: int) -> dict:
    return {
        "id": rid,
        "from_name": control,
        "to_name": "text",
        "type": "choices",
        "origin": "manual",
        "value": {"start": start, "end": end, "choices": [value]},
    }


def _relation(a: str, b: str, *labels: str, direction: str = "right") -> dict:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": direction, "labels": list(labels)}


def test_new_regions_get_fresh_ids_after_the_kept_ones_in_text_order(unicode_doc: dict) -> None:
    result, _ = document_to_result(unicode_doc)
    text = unicode_doc["text"]
    start = text.index("Li\u0300ge\u0300")
    result += [
        _region("zzLate0001", "mention", "GPE", start, start + 5, text),  # drawn first, later in the text
        _region("aaEarly001", "mention", "PER", 0, 4, text),
        # an attribution drawn in the editor: relation drawn backwards and without a label
        _region("qNew000001", "span", "content", 0, 10, text),
        _relation("qNew000001", "aaEarly001"),
        _choice("qNew000001", "quote", "direct", 0, 10),
    ]
    back, issues = roundtrip(unicode_doc, result)
    assert [(m["id"], m["start"]) for m in back["mentions"]][-2:] == [("m6", 0), ("m7", start)]
    assert back["attributions"][-1] == {
        "id": "a3",
        "source": "m6",
        "cue": None,
        "content": [{"start": 0, "end": 10, "text": "Caf\u00e9 talks"}],
        "quote": "direct",
        "via": None,
        "identity": None,
        "source_type": None,
        "channel": None,
    }
    assert errors(issues) == []


def _issues_for(doc: dict, mutate) -> list[str]:
    result, _ = document_to_result(doc)
    mutate(result)
    return errors(roundtrip(doc, result)[1])


def _index(result: list, rid: str, control: str) -> int:
    return next(
        i for i, item in enumerate(result) if item.get("id") == rid and item.get("from_name") == control
    )


def test_a_choice_on_a_missing_region_is_reported(unicode_doc: dict) -> None:
    def mutate(result):
        result.append(_choice("ghost00001", "polarity", "support", 0, 4))

    assert _issues_for(unicode_doc, mutate) == [
        f"{W}: [ls-orphan] $.result[{len(document_to_result(unicode_doc)[0])}]: 'polarity' refers "
        "to region 'ghost00001', which is not in the result"
    ]


def test_a_choice_on_the_wrong_kind_of_region(unicode_doc: dict) -> None:
    def mutate(result):
        result.append(_choice("sy-m-m1", "quote", "direct", 23, 42))

    n = len(document_to_result(unicode_doc)[0])
    assert _issues_for(unicode_doc, mutate) == [
        f"{W}: [ls-orphan] $.result[{n}]: 'quote' does not apply to a mention region ('sy-m-m1')"
    ]


def test_relations_of_the_wrong_kinds_and_dangling_ones(unicode_doc: dict) -> None:
    n = len(document_to_result(unicode_doc)[0])

    def mutate(result):
        result.append(_relation("sy-m-m1", "sy-m-m2", "cue"))
        result.append(_relation("sy-m-m1", "nowhere", "source"))
        result.append(_relation("sy-m-m1", "sy-s-s1"))  # holder or target? ambiguous without a label

    assert _issues_for(unicode_doc, mutate) == [
        f"{W}: [ls-relation] $.result[{n}]: 'cue' joins a cue and a content region, "
        "not a mention and a mention",
        f"{W}: [ls-relation] $.result[{n + 1}]: relation 'sy-m-m1' -> 'nowhere' joins a region "
        "that is not in the result",
        f"{W}: [ls-relation] $.result[{n + 2}]: unlabeled relation between a mention and a "
        "evidence region; give it a label",
    ]


def test_a_cue_linked_to_nothing_and_a_stance_without_holder(unicode_doc: dict) -> None:
    def mutate(result):
        result[:] = [
            r
            for r in result
            if not (r.get("type") == "relation" and r["to_id"] == "sy-a-a1" and r["from_id"] == "sy-q-a1")
        ]
        result[:] = [r for r in result if not (r.get("type") == "relation" and "holder" in r["labels"])]

    result, _ = document_to_result(unicode_doc)
    mutate(result)
    cue, s1, s2 = (_index(result, rid, "span") for rid in ("sy-q-a1", "sy-s-s1", "sy-s-s2"))
    assert _issues_for(unicode_doc, mutate) == [
        f"{W}: [ls-record] $.result[{cue}]: cue region 'sy-q-a1' ('said') must have one 'cue' "
        "relation to a content span, has 0",
        f"{W}: [ls-record] $.result[{s1}]: stance s1: no holder (draw a 'holder' relation from "
        "a mention, or choose holder = author)",
        f"{W}: [ls-record] $.result[{s2}]: stance s2: no holder (draw a 'holder' relation from "
        "a mention, or choose holder = author)",
    ]


def test_a_bad_entities_line_and_two_labels_on_one_region(unicode_doc: dict) -> None:
    def mutate(result):
        boxes = next(r for r in result if r["from_name"] == "entities")
        boxes["value"]["text"].append("e9 PER nobody")
        result.append(_region("sy-m-m1", "span", "content", 23, 42, unicode_doc["text"]))

    result, _ = document_to_result(unicode_doc)
    box = _index(result, "sy-doc-entities", "entities")
    assert _issues_for(unicode_doc, mutate) == [
        f"{W}: [ls-result-item] $.result[{len(result)}]: region 'sy-m-m1' has two labels (from two "
        "controls, or twice); give each region one label",
        f"{W}: [ls-entities] $.result[{box}].value.text[3]: 'e9 PER nobody' is not "
        "`id | TYPE | Wikidata id or - | name`",
    ]


def test_null_layers_and_phenomena(unicode_doc: dict) -> None:
    doc = copy.deepcopy(unicode_doc)
    doc["stances"] = None
    doc["meta"]["phenomena"] = None
    back, _ = roundtrip(doc)
    assert back == doc
    # pushed as a plain task (no pre-annotation), every layer comes back annotated
    plain, _ = roundtrip(doc, [], prediction=False)
    assert (plain["mentions"], plain["stances"], plain["meta"]["phenomena"]) == ([], [], None)
    doc["meta"]["phenomena"] = ["real-event"]
    result = [
        r for r in document_to_result(doc)[0] if r.get("from_name") != "phenomena"
    ]  # every box unticked
    assert roundtrip(doc, result)[0]["meta"]["phenomena"] == []


def test_what_the_form_cannot_hold_is_refused_before_pushing(unicode_doc: dict) -> None:
    doc = copy.deepcopy(unicode_doc)
    doc["entities"][0]["id"] = "e | 1"
    doc["entities"][1]["name"] = "two\nlines"
    result, issues = document_to_result(doc, path="d.json")
    assert result == []
    assert [format_issue(i) for i in issues] == [
        "d.json: [ls-not-representable] $.entities[0].id: "
        "an entity id must be non-empty, without surrounding "
        "spaces, newlines or ' | '",
        "d.json: [ls-not-representable] $.entities[1].name: "
        "an entity name cannot contain a line break in the entities box",
    ]


def test_sdk_rejections_name_the_result_item(unicode_doc: dict) -> None:
    pytest.importorskip("label_studio_sdk")
    result, _ = document_to_result(unicode_doc)
    result[0]["value"]["labels"] = ["PERSON"]
    issues = validate_predictions([("d.json", result)])
    assert [(i.code, i.json_path) for i in issues] == [("ls-invalid-prediction", "$.result[0]")]
    assert "valid labels: ['PER', 'ORG', 'GPE', 'LOC', 'FAC', 'NORP', 'EVENT', 'LAW']" in issues[0].message


def test_recorded_editor_relation_without_label_is_a_source() -> None:
    """The editor writes an unlabeled relation without any ``labels`` key (recorded in Chromium)."""
    recorded = json.loads((FIXTURES / "editor-relation-result.json").read_text(encoding="utf-8"))["result"]
    assert "labels" not in recorded[-1]
    blank = unicode_document("sayso-9102")
    for layer in ("mentions", "entities", "attributions", "stances"):
        blank[layer] = []
    blank["meta"]["phenomena"] = []
    doc, issues = annotation_to_document(document_to_task_data(blank, prediction=False), recorded)
    assert doc["attributions"] == [
        {
            "id": "a1",
            "source": "m1",
            "cue": None,
            "content": [{"start": 142, "end": 152, "text": "criticised"}],
            "quote": None,
            "via": None,
            "identity": None,
            "source_type": None,
            "channel": None,
        }
    ]
    assert [i.code for i in issues] == ["ls-incomplete"] * 6
