"""`sayso validate`: exact output, --json, exit codes, ordering, and the library API behind it."""

from __future__ import annotations

import io as stdio
import json
from pathlib import Path

from sayso import cli
from sayso.issues import Issue
from sayso.validate import ValidationReport, validate_document, validate_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
VALID_DOC = FIXTURES / "valid" / "document.json"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = stdio.StringIO(), stdio.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def base() -> dict:
    return json.loads(VALID_DOC.read_text(encoding="utf-8"))


def test_exact_output_for_an_invalid_fixture() -> None:
    path = "tests/fixtures/invalid/span-text-mismatch.json"
    status, out, err = run("validate", str(ROOT / path))
    assert status == 1
    assert err == ""
    assert out == (
        f"{ROOT / path}:89: [span-text-mismatch] $.mentions[7].text: "
        "span text 'Tarsc' differs from text[233:238] = 'Tarsk'\n"
        "1 documents, 1 errors, 0 warnings\n"
    )


def test_json_output() -> None:
    path = str(FIXTURES / "invalid" / "via-cycle.json")
    status, out, _ = run("validate", "--json", path)
    assert status == 1
    assert json.loads(out) == {
        "documents": 1,
        "errors": 1,
        "warnings": 0,
        "allowed": 0,
        "issues": [
            {
                "code": "via-cycle",
                "severity": "error",
                "path": path,
                "line": 156,
                "json_path": "$.attributions[0].via",
                "message": "via chain a1 -> a2 -> a1 loops back on itself",
            }
        ],
        "not_shown": {},
    }


def test_valid_input_exits_zero() -> None:
    assert run("validate", str(VALID_DOC)) == (0, "1 documents, 0 errors, 0 warnings\n", "")


def test_usage_errors_exit_two() -> None:
    status, out, err = run("validate")
    assert (status, out) == (2, "")
    assert "the following arguments are required: PATH" in err
    assert run("validate", "--kind", "gold", str(VALID_DOC))[0] == 2
    assert run("validate", "--no-such-option", str(VALID_DOC))[0] == 2


def test_missing_allow_list_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.tsv"
    status, out, err = run("lint", "--allow", str(missing), str(VALID_DOC))
    assert (status, out) == (2, "")
    assert err == f"sayso: cannot read allow-list {missing}: No such file or directory\n"


def test_help_lists_validate_and_lint() -> None:
    status, out, _ = run("--help")
    assert status == 0
    assert "validate" in out and "lint" in out


def test_level_failure_stops_higher_levels(tmp_path: Path) -> None:
    # A schema error (level 2) hides the broken reference (level 3) in the same document.
    doc = base()
    doc["mentions"][0]["type"] = "PERSON"
    doc["stances"][0]["target"] = "m99"
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    assert [i.code for i in validate_paths([path]).issues] == ["unknown-label"]
    doc["mentions"][0]["type"] = "GPE"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    assert [i.code for i in validate_paths([path]).issues] == ["dangling-reference"]


def test_most_relevant_schema_error_first_then_document_order() -> None:
    doc = base()
    del doc["text"]
    doc["mentions"][3]["start"] = "x"
    doc["mentions"][1]["type"] = "BAD"
    doc["zz"] = 1
    raw = json.dumps(doc, indent=2)
    issues = validate_document(doc, path="a.json", raw=raw)
    assert [(i.code, i.json_path, i.line) for i in issues] == [
        ("missing-field", "$", 1),
        ("unknown-field", "$.zz", 219),
        ("unknown-label", "$.mentions[1].type", 35),
        ("wrong-type", "$.mentions[3].start", 50),
    ]
    assert issues[0].message == "missing required field 'text'"
    assert issues[1].message == (
        "unknown field 'zz' (allowed: id, schema_version, meta, text, "
        "mentions, entities, attributions, stances)"
    )
    assert issues[3].message == "expected integer, got string 'x'"


def test_validate_document_without_raw_uses_the_given_line() -> None:
    doc = base()
    doc["stances"][0]["holder"] = "m42"
    assert validate_document(doc, path="x.jsonl", line=7) == [
        Issue(
            "dangling-reference",
            "error",
            "x.jsonl",
            7,
            "$.stances[0].holder",
            "'m42' is not \"author\" nor a mention id",
        )
    ]


def test_level_three_messages() -> None:
    doc = base()
    doc["mentions"][0]["entity"] = "e9"
    doc["attributions"][1]["via"] = "a2"  # a self-loop
    doc["entities"] = None
    issues = validate_document(doc)
    assert [(i.code, i.json_path, i.message) for i in issues] == [
        (
            "dangling-reference",
            f"$.mentions[{k}].entity",
            f"{m['entity']!r} refers to the entities layer, which is not annotated (null or absent)",
        )
        for k, m in enumerate(doc["mentions"])
    ] + [("via-cycle", "$.attributions[1].via", "via chain a2 -> a2 loops back on itself")]


def test_submission_kind() -> None:
    sub = {"id": "fx-0001", "mentions": [{"id": "m1", "start": 0, "end": 7, "type": "GPE"}]}
    assert validate_document(sub, kind="submission") == []
    sub["meta"] = {"title": "any"}  # accepted and ignored: a gold file can be scored as a prediction
    assert validate_document(sub, kind="submission") == []
    sub["meta"] = []
    assert [(i.code, i.json_path) for i in validate_document(sub, kind="submission")] == [
        ("wrong-type", "$.meta")
    ]
    sub["colour"] = "red"
    assert ("unknown-field", "$.colour") in [
        (i.code, i.json_path) for i in validate_document(sub, kind="submission")
    ]
    del sub["meta"], sub["colour"]
    sub["text"] = "Velmor"
    issues = validate_document(sub, kind="submission")
    assert [(i.code, i.message) for i in issues] == [
        ("span-out-of-range", "end 7 is beyond the text (6 characters)")
    ]
    assert [(i.code, i.json_path) for i in validate_document({"mentions": []}, kind="submission")] == [
        ("missing-field", "$")
    ]


def test_submission_duplicate_ids_across_files(tmp_path: Path) -> None:
    sub = {"id": "fx-0001", "mentions": []}
    (tmp_path / "a.jsonl").write_text(json.dumps(sub) + "\n" + json.dumps(sub) + "\n", encoding="utf-8")
    status, out, _ = run("validate", "--kind", "submission", str(tmp_path))
    assert status == 1
    assert out == (
        f"{tmp_path / 'a.jsonl'}:2: [duplicate-document-id] $.id: document id 'fx-0001' already appears at "
        f"{tmp_path / 'a.jsonl'}:1\n2 documents, 1 errors, 0 warnings\n"
    )


def test_report_lists_parsed_documents_and_issues_in_file_order(tmp_path: Path) -> None:
    good = json.dumps(base())
    (tmp_path / "a.jsonl").write_text(good + "\n\n{broken\n" + good.replace("fx-0001", "fx-0002") + "\n")
    (tmp_path / "b.json").write_text("[]")
    report = validate_paths([tmp_path])
    assert isinstance(report, ValidationReport)
    assert report.count == 4
    assert [(d.path.rsplit("/", 1)[-1], d.line) for d in report.documents] == [
        ("a.jsonl", 1),
        ("a.jsonl", 4),
        ("b.json", 1),
    ]
    assert [(i.code, i.line, i.message) for i in report.issues] == [
        ("json-syntax", 3, "Expecting property name enclosed in double quotes (line 3, column 2)"),
        ("wrong-type", 1, "expected object, got array"),
    ]
    assert (report.errors, report.warnings) == (2, 0)
    assert [d.doc["id"] for d in report.valid] == ["fx-0001", "fx-0002"]


def test_split_leak_by_text_and_file_name(tmp_path: Path) -> None:
    doc = base()
    for split, doc_id in (("train", "fx-0001"), ("test", "fx-0002")):
        (tmp_path / split).mkdir()
        (tmp_path / split / f"{doc_id}.json").write_text(json.dumps({**doc, "id": doc_id}, indent=2))
    status, out, _ = run("validate", str(tmp_path))
    assert status == 1
    assert out == (
        f"{tmp_path / 'train' / 'fx-0001.json'}:20: [split-leak] $.text: same text as document 'fx-0002' "
        f"in split test ({tmp_path / 'test' / 'fx-0002.json'})\n"
        "2 documents, 1 errors, 0 warnings\n"
    )


def test_corpus_validates() -> None:
    # The committed corpus passes levels 1-4 (issue 3 requires it; this guards the validator too).
    gold = ROOT / "corpus" / "gold"
    report = validate_paths([gold])
    assert [str(i) for i in report.issues] == []
    assert report.count == len(list(gold.rglob("*.json")))


def test_progress_goes_to_stderr_only_when_asked(tmp_path: Path) -> None:
    doc = base()
    lines = "".join(json.dumps({**doc, "id": f"p-{k}"}) + "\n" for k in range(2100))
    path = tmp_path / "many.jsonl"
    path.write_text(lines, encoding="utf-8")
    summary = "2100 documents, 0 errors, 0 warnings\n"
    assert run("validate", str(path)) == (0, summary, "")
    assert run("validate", "--progress", str(path)) == (
        0,
        summary,
        "\rvalidating: 1000 documents\rvalidating: 2000 documents\n",
    )
