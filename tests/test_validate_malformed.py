"""Malformed input of every kind gives issues with a code and a place, never a traceback."""

from __future__ import annotations

import io as stdio
import json
import os
from pathlib import Path

import pytest

from sayso import cli
from sayso.validate import validate_paths

ROOT = Path(__file__).resolve().parent.parent
VALID_DOC = ROOT / "tests" / "fixtures" / "valid" / "document.json"


def base() -> dict:
    return json.loads(VALID_DOC.read_text(encoding="utf-8"))


def issues_of(path: Path, kind: str = "document") -> list[tuple]:
    report = validate_paths([path], kind=kind)
    return [(i.code, i.line, i.json_path, i.message) for i in report.issues]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_truncated_json(tmp_path: Path) -> None:
    text = json.dumps(base(), indent=2)
    cut = text.index('"Tarsk"') + 4  # inside a string
    path = write(tmp_path, "t.json", text[:cut])
    line = text[:cut].count("\n") + 1
    quote = text.index('"Tarsk"')
    column = quote - text.rindex("\n", 0, quote)  # 1-based column of the opening quote
    assert issues_of(path) == [
        ("json-syntax", line, "$", f"Unterminated string starting at (line {line}, column {column})")
    ]


def test_trailing_data(tmp_path: Path) -> None:
    path = write(tmp_path, "t.json", json.dumps(base()) + "\n{}")
    assert issues_of(path) == [("json-syntax", 2, "$", "Extra data (line 2, column 1)")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "expected object, got array"),
        ('[{"id": "x"}]', "expected object, got array"),
        ('"text"', "expected object, got string 'text'"),
        ("42", "expected object, got integer 42"),
        ("null", "expected object, got null"),
        ("true", "expected object, got boolean true"),
    ],
)
def test_wrong_top_level_types(tmp_path: Path, content: str, message: str) -> None:
    assert issues_of(write(tmp_path, "t.json", content)) == [("wrong-type", 1, "$", message)]


def test_wrong_types_inside(tmp_path: Path) -> None:
    doc = base()
    doc["text"] = 12
    doc["mentions"] = {"m1": {}}
    doc["meta"]["phenomena"] = "nested-attribution"
    path = write(tmp_path, "t.json", json.dumps(doc, indent=2))
    assert [(c, w, m) for c, _, w, m in issues_of(path)] == [
        ("wrong-type", "$.text", "expected string, got integer 12"),
        ("wrong-type", "$.mentions", "expected array or null, got object"),
        ("wrong-type", "$.meta.phenomena", "expected array or null, got string 'nested-attribution'"),
    ]


def test_float_and_boolean_offsets(tmp_path: Path) -> None:
    doc = base()
    doc["mentions"][0]["start"] = 0.0
    doc["mentions"][1]["end"] = True
    path = write(tmp_path, "t.json", json.dumps(doc, indent=2))
    # Two equally deep errors: jsonschema's best_match ranks the later sibling first.
    assert [(c, w, m) for c, _, w, m in issues_of(path)] == [
        ("wrong-type", "$.mentions[1].end", "expected integer, got boolean true"),
        ("wrong-type", "$.mentions[0].start", "expected integer, got number 0.0"),
    ]


def test_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "t.json", b"\xef\xbb\xbf" + VALID_DOC.read_bytes())
    assert issues_of(path) == [("bom", 1, "$", "file starts with a UTF-8 byte order mark")]


def test_bom_in_jsonl_is_reported_once_on_the_first_document(tmp_path: Path) -> None:
    line = json.dumps(base())
    path = write(tmp_path, "t.jsonl", ("\ufeff" + line + "\n" + line.replace("fx-0001", "fx-0002") + "\n"))
    report = validate_paths([path])
    assert [(i.code, i.line) for i in report.issues] == [("bom", 1)]
    assert report.count == 2


def test_lone_surrogates(tmp_path: Path) -> None:
    doc = base()
    raw = json.dumps(doc, indent=2).replace("Tarsk hoped", "Tarsk \\udc00 hoped", 1)
    raw = raw.replace('"SaySo Fixtures"', '"SaySo \\ud800"', 1)
    path = write(tmp_path, "t.json", raw)
    at = doc["text"].index("Tarsk hoped") + len("Tarsk ")
    assert issues_of(path) == [
        ("lone-surrogate", 6, "$.meta.outlet", "string has a lone surrogate U+D800 at index 6"),
        ("lone-surrogate", 20, "$.text", f"string has a lone surrogate U+DC00 at index {at}"),
    ]


def test_surrogate_pair_escape_is_one_code_point(tmp_path: Path) -> None:
    # "\ud83d\ude42" is the JSON escape of one emoji: a valid pair, one code point of the text.
    doc = base()
    raw = json.dumps(doc, ensure_ascii=True, indent=2)
    assert "\\ud83d\\ude42" in raw
    assert issues_of(write(tmp_path, "t.json", raw)) == []


def test_utf16_offsets_are_caught(tmp_path: Path) -> None:
    # A tool counting UTF-16 units (as JavaScript does) is off by one after the emoji.
    doc = base()
    tarsk = doc["mentions"][7]
    tarsk["start"] += 1
    tarsk["end"] += 1
    path = write(tmp_path, "t.json", json.dumps(doc, indent=2, ensure_ascii=False))
    assert issues_of(path) == [
        (
            "span-text-mismatch",
            89,
            "$.mentions[7].text",
            "span text 'Tarsk' differs from text[234:239] = 'arsk '",
        )
    ]


def test_crlf_file_and_crlf_in_text(tmp_path: Path) -> None:
    doc = base()
    raw = json.dumps(doc, indent=2, ensure_ascii=False).replace("\n", "\r\n")
    assert issues_of(write(tmp_path, "a.json", raw)) == []
    # "\r\n" inside the text counts two code points; offsets after it must say so.
    doc["text"] = doc["text"].replace("\n\n", "\r\n\r\n", 1)
    raw = json.dumps(doc, indent=2).replace("\n", "\r\n")
    found = issues_of(write(tmp_path, "b.json", raw))
    line = raw[: raw.index('"text": "The Harbour Daily"')].count("\n") + 1
    assert found[0] == (
        "span-text-mismatch",
        line,
        "$.mentions[1].text",
        "span text 'The Harbour Daily' differs from text[35:52] = '\\r\\nThe Harbour Dai'",
    )
    # every span after the first paragraph break is shifted: 7 mentions, 3 cues, 3 contents, 1 evidence
    assert len(found) == 14


def test_emoji_and_combining_accents_count_as_code_points(tmp_path: Path) -> None:
    doc = base()
    text = doc["text"]
    assert "\U0001f642" in text and "e\u0301" in text
    start = text.index("Cafe\u0301")
    doc["mentions"].append(
        {
            "id": "m9",
            "start": start,
            "end": start + 5,
            "text": "Cafe\u0301",
            "type": "ORG",
            "kind": "NOM",
            "entity": "e8",
        }
    )
    doc["entities"].append({"id": "e8", "name": "Café", "type": "ORG", "wikidata": None})
    assert issues_of(write(tmp_path, "ok.json", json.dumps(doc, ensure_ascii=False))) == []
    doc["mentions"][-1]["text"] = "Café"  # the precomposed é is a different string
    [(code, *_)] = issues_of(write(tmp_path, "bad.json", json.dumps(doc, ensure_ascii=False)))
    assert code == "span-text-mismatch"


def test_fifteen_megabyte_file_is_checked_whole(tmp_path: Path) -> None:
    doc = base()
    filler = "A long report. " * (15 * 1024 * 1024 // 15)
    doc["text"] = doc["text"] + filler
    doc["mentions"].append(
        {
            "id": "m9",
            "start": len(doc["text"]) - 7,
            "end": len(doc["text"]) + 3,
            "type": "GPE",
            "kind": "NAM",
            "entity": "e1",
        }
    )
    path = write(tmp_path, "big.json", json.dumps(doc, indent=2))
    assert 15 * 1024 * 1024 < path.stat().st_size <= 16 * 1024 * 1024
    raw = path.read_text(encoding="utf-8")
    line = raw[: raw.index(f'"end": {len(doc["text"]) + 3}')].count("\n") + 1
    assert issues_of(path) == [
        (
            "span-out-of-range",
            line,
            "$.mentions[8].end",
            f"end {len(doc['text']) + 3} is beyond the text ({len(doc['text'])} characters)",
        )
    ]


def test_documents_over_16_mib_are_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:  # sparse: 50 MiB on disk costs nothing, and is never read
        handle.truncate(50 * 1024 * 1024)
    limit = "the limit is 16,777,216 bytes (16 MiB), so it was not read"
    assert issues_of(big) == [("too-large", 1, "$", f"document is 52,428,800 bytes; {limit}")]
    lines = tmp_path / "big.jsonl"
    first = json.dumps(base()) + "\n"
    with open(lines, "wb") as handle:
        handle.write(first.encode())
        handle.write(b"x" * (16 * 1024 * 1024 + 1) + b"\n")  # line 2: one byte over, then its newline
        handle.write(first.replace('"fx-0001"', '"fx-0002"').encode())
    found = issues_of(lines)
    assert found == [("too-large", 2, "$", f"document is 16,777,218 bytes; {limit}")]


def test_deeply_nested_json(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    assert issues_of(path) == [("json-too-deep", 1, "$", "JSON nested too deeply to read")]
    doc = base()
    doc["meta"]["url"] = json.loads("[" * 500 + "]" * 500)
    found = issues_of(write(tmp_path, "nested.json", json.dumps(doc)))
    assert found == [("wrong-type", 1, "$.meta.url", "expected string or null, got array")]


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert issues_of(write(tmp_path, "a.json", "")) == [
        ("empty-file", 1, "$", "the file is empty (expected one JSON document)")
    ]
    assert issues_of(write(tmp_path, "b.json", " \n\t\n")) == [
        ("empty-file", 1, "$", "the file is empty (expected one JSON document)")
    ]
    assert issues_of(write(tmp_path, "c.jsonl", "\n\n")) == [
        ("empty-file", 1, "$", "the file holds no documents (expected one per line)")
    ]


def test_jsonl_blank_lines_and_line_numbers(tmp_path: Path) -> None:
    doc = base()
    bad = {**doc, "id": "fx-0002", "stances": [{**doc["stances"][0], "polarity": "against"}]}
    path = write(tmp_path, "c.jsonl", f"\n{json.dumps(doc)}\r\n\n{json.dumps(bad)}\n")
    assert [(c, line, w) for c, line, w, _ in issues_of(path)] == [
        ("unknown-label", 4, "$.stances[0].polarity")
    ]


def test_directory_without_documents(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing to see")
    assert issues_of(tmp_path) == [
        ("no-documents", None, "$", "folder holds no .json or .jsonl files (1 other file skipped)")
    ]
    out = stdio.StringIO()
    assert cli.run(["validate", str(tmp_path)], out, stdio.StringIO()) == 1
    assert out.getvalue().endswith("0 documents, 1 errors, 0 warnings\n")


def test_missing_path(tmp_path: Path) -> None:
    assert issues_of(tmp_path / "nope.json") == [("unreadable", None, "$", "No such file or directory")]


def test_not_utf8_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "bin.json", b'{"id": "\xff\xfe"}\n')
    assert issues_of(path) == [("not-utf8", 1, "$", "byte 8: not valid UTF-8 (invalid start byte)")]


def test_non_standard_constants_and_huge_numbers(tmp_path: Path) -> None:
    assert issues_of(write(tmp_path, "a.json", '{\n"id": -Infinity}')) == [
        ("json-constant", 2, "$", "-Infinity is not a JSON value (use a number or null)")
    ]
    assert issues_of(write(tmp_path, "b.json", '{"id": ' + "9" * 5000 + "}")) == [
        (
            "json-syntax",
            1,
            "$",
            "unreadable value: Exceeds the limit (4300 digits) for integer string conversion",
        )
    ]


def test_duplicate_keys_are_located(tmp_path: Path) -> None:
    raw = json.dumps(base(), indent=2).replace('"kind": "NOM",', '"kind": "NOM",\n      "kind": "NAM",', 1)
    line = raw[: raw.index('"kind": "NOM",\n      "kind": "NAM"')].count("\n") + 2
    assert issues_of(write(tmp_path, "d.json", raw)) == [
        ("duplicate-key", line, "$.mentions[2]", "key 'kind' appears more than once in this object")
    ]


def test_odd_keys_are_quoted_in_json_paths(tmp_path: Path) -> None:
    doc = base()
    doc["meta"]["beat name"] = "x"
    assert [(c, w) for c, _, w, _ in issues_of(write(tmp_path, "k.json", json.dumps(doc)))] == [
        ("unknown-field", "$.meta['beat name']")
    ]


def test_every_malformed_kind_through_the_cli_never_raises(tmp_path: Path) -> None:
    inputs = {
        "a.json": b"{",
        "b.json": b"\xef\xbb\xbf{}",
        "c.json": b'{"id": "\\ud800"}',
        "d.json": b"",
        "e.json": b"[" * 50_000,
        "f.jsonl": b'{}\n[]\n"x"\nnull\n{bad\n',
        "g.json": b"\x00\x01\x02",
        "h.json": b'{"id": NaN}',
    }
    for name, data in inputs.items():
        write(tmp_path, name, data)
    out, err = stdio.StringIO(), stdio.StringIO()
    assert cli.run(["validate", str(tmp_path)], out, err) == 1
    assert err.getvalue() == ""
    # "{}" lacks 8 required fields: one issue each.
    assert out.getvalue().splitlines()[-1] == "12 documents, 19 errors, 0 warnings"


def test_a_folder_walk_reports_every_entry_it_does_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "gold"
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.JSON", json.dumps(base()))  # read: suffixes are compared in any case
    os.mkfifo(folder / "b.json")  # would block if it were opened
    os.symlink("gone.json", folder / "c.json")
    write(folder, "notes.md", "# notes")
    os.symlink(tmp_path, folder / "sub" / "loop")  # a link to a folder: not followed
    report = validate_paths([folder])
    assert [
        (i.code, i.severity, Path(i.path).relative_to(folder).as_posix(), i.message) for i in report.issues
    ] == [
        ("not-a-file", "error", "b.json", "is a named pipe (FIFO); only regular files are read"),
        ("unreadable", "error", "c.json", "a symbolic link to a missing file"),
        ("skipped-file", "warning", "notes.md", "not a .json or .jsonl file; skipped"),
        ("skipped-file", "warning", "sub/loop", "a symbolic link to a folder; not followed"),
    ]
    assert [Path(d.path).name for d in report.valid] == ["a.JSON"]


def test_commands_that_read_folders_refuse_what_they_cannot_read(tmp_path: Path) -> None:
    from sayso import cli

    folder = tmp_path / "docs"
    folder.mkdir()
    write(folder, "a.json", json.dumps(base()))
    os.mkfifo(folder / "b.jsonl")
    out, err = stdio.StringIO(), stdio.StringIO()
    argv = ["export", "conll", "--input", str(folder), "--out", str(tmp_path / "x.conll")]
    assert cli.run(argv, out, err) == 1
    assert (
        f"{folder / 'b.jsonl'}: [not-a-file] $: is a named pipe (FIFO); only regular files are read"
        in err.getvalue()
    )
    assert not (tmp_path / "x.conll").exists()


def test_output_is_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    doc = base()
    doc["mentions"] = [
        {"id": f"m{i}", "start": 0, "end": 10**6, "type": "PER", "kind": "NAM", "entity": None}
        for i in range(300)
    ]
    path = write(tmp_path, "many.json", json.dumps(doc))
    out, err = stdio.StringIO(), stdio.StringIO()
    assert cli.run(["validate", str(path)], out, err) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 202 and err.getvalue() == ""
    assert lines[-2:] == [
        "... 399 more issues not shown (duplicate-mention 199, span-out-of-range 200); see --max-issues",
        "1 documents, 599 errors, 0 warnings",
    ]
    out = stdio.StringIO()
    assert cli.run(["validate", "--max-issues", "0", str(path)], out, stdio.StringIO()) == 1
    assert len(out.getvalue().splitlines()) == 600
    assert cli.run(["validate", "--max-issues", "-1", str(path)], stdio.StringIO(), stdio.StringIO()) == 2
