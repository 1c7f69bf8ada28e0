"""`sayso lint` and `sayso validate --strict`: the consistency warnings and the allow-list."""

from __future__ import annotations

import io as stdio
import json
from pathlib import Path

import pytest

from sayso import cli
from sayso.lint import apply_allow, lint_document, read_allow

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
VALID_DOC = FIXTURES / "valid" / "document.json"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = stdio.StringIO(), stdio.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def doc_with(text: str, **layers: object) -> dict:
    doc = {"id": "d", "text": text, "mentions": [], "entities": [], "attributions": [], "stances": []}
    doc.update(layers)
    return doc


def mention(
    text: str, needle: str, mid: str, entity: str, mtype: str = "GPE", kind: str = "NAM", nth: int = 0
):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {
        "id": mid,
        "start": start,
        "end": start + len(needle),
        "type": mtype,
        "kind": kind,
        "entity": entity,
    }


def span(text: str, needle: str) -> dict:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle)}


def found(doc: dict) -> list[tuple[str, str, str]]:
    return [(i.code, i.json_path, i.message) for i in lint_document(doc)]


def test_valid_fixture_is_clean() -> None:
    assert lint_document(json.loads(VALID_DOC.read_text(encoding="utf-8"))) == []


def test_unannotated_name() -> None:
    text = "Tarsk and Velmora met. Tarsk left; Tarskian food and Velmora stayed."
    doc = doc_with(text, mentions=[mention(text, "Tarsk", "m1", "e1"), mention(text, "Velmora", "m2", "e2")])
    assert found(doc) == [
        (
            "unannotated-name",
            "$.text[23:28]",
            "'Tarsk' is a named mention at $.mentions[0] but is not annotated here",
        ),
        (
            "unannotated-name",
            "$.text[53:60]",
            "'Velmora' is a named mention at $.mentions[1] but is not annotated here",
        ),
    ]


def test_a_name_inside_a_larger_mention_is_covered() -> None:
    text = "Qamishli is quiet. Qamishli airport was emptied."
    doc = doc_with(
        text,
        mentions=[
            mention(text, "Qamishli", "m1", "e1"),
            mention(text, "Qamishli airport", "m2", "e2", "FAC"),
        ],
    )
    assert found(doc) == []


def test_nominal_mentions_are_not_names() -> None:
    text = "the ministry said. The ministry left."
    doc = doc_with(text, mentions=[mention(text, "the ministry", "m1", "e1", "ORG", "NOM")])
    assert [c for c, *_ in found(doc)] == ["cue-outside-span"]


def test_quotes_outside_content() -> None:
    text = '\u201cWe stay,\u201d she said. The \u201cplan\u201d is "new". A lone \u201d mark.'
    quote = span(text, "\u201cWe stay,\u201d")
    attribution = {"id": "a1", "source": None, "cue": span(text, "said"), "content": [quote]}
    plan, new, lone = text.index("\u201cplan"), text.index('"new'), text.rindex("\u201d")
    assert (plan, new, lone) == (25, 35, 49)
    assert found(doc_with(text, attributions=[attribution])) == [
        (
            "quote-outside-content",
            "$.text[25:31]",
            "quoted passage '“plan”' is outside every attribution content span",
        ),
        (
            "quote-outside-content",
            "$.text[35:40]",
            "quoted passage '\"new\"' is outside every attribution content span",
        ),
        (
            "quote-outside-content",
            "$.text[49:50]",
            "quotation mark '”' is outside every attribution content span",
        ),
    ]


def test_content_without_its_quotation_marks_is_flagged() -> None:
    # SaySo's convention: a direct quote's content span includes its quotation marks.
    text = "\u201cWe stay,\u201d she said."
    attribution = {"id": "a1", "source": None, "cue": span(text, "said"), "content": [span(text, "We stay,")]}
    assert [c for c, *_ in found(doc_with(text, attributions=[attribution]))] == ["quote-outside-content"]


def test_cue_words_outside_cue_spans() -> None:
    text = "Officials said so. According to Reuters, it was cited. She told me; he retold it; unsaid."
    attribution = {"id": "a1", "source": None, "cue": span(text, "said"), "content": [span(text, "so")]}
    assert found(doc_with(text, attributions=[attribution])) == [
        (
            "cue-outside-span",
            "$.text[19:31]",
            "cue word 'According to' is outside every attribution cue span",
        ),
        ("cue-outside-span", "$.text[48:53]", "cue word 'cited' is outside every attribution cue span"),
        ("cue-outside-span", "$.text[59:63]", "cue word 'told' is outside every attribution cue span"),
    ]


def test_entity_type_conflict() -> None:
    text = "Velmora said. Velmora agreed."
    mentions = [mention(text, "Velmora", "m1", "e1"), mention(text, "Velmora", "m2", "e1", "ORG", nth=1)]
    entities = [{"id": "e1", "name": "Velmora", "type": None, "wikidata": None}]
    attribution = {"id": "a1", "source": "m1", "cue": span(text, "said"), "content": [span(text, "agreed")]}
    assert found(doc_with(text, mentions=mentions, entities=entities, attributions=[attribution])) == [
        (
            "entity-type-conflict",
            "$.entities[0]",
            "mentions of entity 'e1' carry different types: GPE ($.mentions[0]), ORG ($.mentions[1])",
        )
    ]


def test_layers_not_annotated_are_skipped() -> None:
    text = 'He said "no".'
    doc = doc_with(text, mentions=None, entities=None, attributions=None, stances=None)
    assert found(doc) == []


def test_lines_come_from_the_source_text() -> None:
    path = FIXTURES / "invalid" / "cue-outside-span.json"
    raw = path.read_text(encoding="utf-8")
    [issue] = lint_document(json.loads(raw), path="x.json", line=1, raw=raw)
    assert (issue.path, issue.line, issue.severity) == ("x.json", 20, "warning")


def _allow(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "allow.tsv"
    path.write_text(
        "# document-id\tcode\twhere\treason\n" + "".join(line + "\n" for line in lines), encoding="utf-8"
    )
    return path


def test_allow_entry_accepts_a_warning(tmp_path: Path) -> None:
    fixture = str(FIXTURES / "invalid" / "cue-outside-span.json")
    allow = _allow(tmp_path, "fx-0001\tcue-outside-span\t$.text[280:285]\tquoted from a court filing")
    assert run("lint", "--allow", str(allow), fixture) == (
        0,
        f"1 documents, 0 errors, 0 warnings (1 allowed by {allow})\n",
        "",
    )
    wildcard = _allow(tmp_path, "fx-0001\tcue-outside-span\t*\tevery cue word here is intended")
    assert run("validate", "--strict", "--allow", str(wildcard), fixture)[0] == 0


def test_unused_allow_entries_are_reported_only_for_linted_documents(tmp_path: Path) -> None:
    allow = _allow(
        tmp_path,
        "fx-0001\tcue-outside-span\t$.text[1:5]\tstale",
        "other-doc\tcue-outside-span\t*\tanother document, not linted now",
    )
    status, out, _ = run("lint", "--allow", str(allow), str(VALID_DOC))
    assert status == 1
    assert out == (
        f"{allow}:2: [unused-allow] $: allow entry for fx-0001 cue-outside-span $.text[1:5] "
        "matches no warning\n"
        "1 documents, 0 errors, 1 warnings\n"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "fx-0001\tcue-outside-span\t$",
            "expected 4 tab-separated fields (document id, code, where, reason), got 3",
        ),
        (
            "fx-0001\tspan-reversed\t*\tnot a warning",
            "'span-reversed' is not a lint warning code (cue-outside-span, entity-type-conflict, "
            "phenomenon-mismatch, quote-outside-content, unannotated-name, unlinked-place, "
            "wikidata-unlisted)",
        ),
        (
            "fx-0001\tcue-outside-span\ttext[1:2]\tx",
            "where 'text[1:2]' must be a JSON path starting with '$' or '*'",
        ),
        ("fx-0001\tcue-outside-span\t*\t  ", "the document id and the reason must not be empty"),
    ],
)
def test_bad_allow_entries(tmp_path: Path, line: str, message: str) -> None:
    entries, issues = read_allow(_allow(tmp_path, line))
    assert entries == []
    assert [(i.code, i.line, i.message) for i in issues] == [("bad-allow-entry", 2, message)]


def test_apply_allow_counts(tmp_path: Path) -> None:
    doc = doc_with("He said it. She said it.")
    warnings = [("d", w) for w in lint_document(doc)]
    entries, _ = read_allow(_allow(tmp_path, "d\tcue-outside-span\t$.text[3:7]\tfirst is fine"))
    kept, allowed, unused = apply_allow(warnings, entries, ["d"])
    assert ([w.json_path for w in kept], allowed, unused) == (["$.text[16:20]"], 1, [])


def test_default_allow_list_is_read_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixture = str(FIXTURES / "invalid" / "cue-outside-span.json")
    (tmp_path / "annotation").mkdir()
    (tmp_path / "annotation" / "lint-allow.tsv").write_text("fx-0001\tcue-outside-span\t*\tintended\n")
    monkeypatch.chdir(tmp_path)
    assert run("lint", fixture) == (
        0,
        "1 documents, 0 errors, 0 warnings (1 allowed by annotation/lint-allow.tsv)\n",
        "",
    )
    assert run("lint", "--no-allow", fixture)[0] == 1


def test_strict_validate_equals_lint() -> None:
    path = str(FIXTURES / "invalid")
    assert run("validate", "--strict", "--no-allow", path) == run("lint", "--no-allow", path)


def test_plain_validate_ignores_lint_warnings() -> None:
    assert run("validate", str(FIXTURES / "invalid" / "quote-outside-content.json")) == (
        0,
        "1 documents, 0 errors, 0 warnings\n",
        "",
    )


def test_warnings_need_documents_that_pass_validation() -> None:
    # A document with errors is not linted: its errors are reported, and no warning on top.
    status, out, _ = run("lint", "--no-allow", str(FIXTURES / "invalid" / "via-cycle.json"))
    assert status == 1
    assert out.endswith("1 documents, 1 errors, 0 warnings\n")


def test_phenomenon_tags_follow_the_records() -> None:
    text = "Deal agreed\n\nVelmora reportedly agreed. She said so."
    mentions = [mention(text, "Velmora", "m1", "e1"), mention(text, "She", "m2", "e1", kind="PRO")]
    entities = [{"id": "e1", "name": "Velmora", "type": "GPE", "wikidata": None}]
    attributions = [
        {"id": "a1", "source": None, "cue": span(text, "reportedly"), "content": [span(text, "agreed")]},
        {"id": "a2", "source": "m2", "cue": span(text, "said"), "content": [span(text, "so")]},
    ]
    doc = doc_with(text, mentions=mentions, entities=entities, attributions=attributions)
    doc["meta"] = {"phenomena": ["agentless-attribution", "mixed-quote"]}
    assert found(doc) == [
        (
            "phenomenon-mismatch",
            "$.meta.phenomena",
            "'pronoun-source' is missing: $.attributions[1] has it (guidelines 5.23)",
        ),
        (
            "phenomenon-mismatch",
            "$.meta.phenomena",
            "'mixed-quote' is set but no record has it (guidelines 5.23)",
        ),
    ]


def test_wikidata_ids_come_from_the_checked_list() -> None:
    from sayso.lint import read_wikidata

    listed = read_wikidata(ROOT / "annotation" / "wikidata.tsv")
    assert listed["Q64"] == "Berlin"
    text = "Berlin and Velmora."
    entities = [
        {"id": "e1", "name": "Berlin", "type": "GPE", "wikidata": None},
        {"id": "e2", "name": "Velmora", "type": "GPE", "wikidata": "Q42"},
    ]
    doc = doc_with(text, entities=entities)
    issues = [(i.code, i.json_path, i.message) for i in lint_document(doc, wikidata=listed)]
    assert issues == [
        (
            "unlinked-place",
            "$.entities[0].wikidata",
            "'Berlin' is a real place listed as Q64 in annotation/wikidata.tsv",
        ),
        (
            "wikidata-unlisted",
            "$.entities[1].wikidata",
            "Q42 is not in annotation/wikidata.tsv (add it with how it was checked)",
        ),
    ]
    assert lint_document(doc) == []  # without the list, no Wikidata check
