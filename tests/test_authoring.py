"""The inline markup compiler (annotation/MARKUP.md): offsets, ids and every error it reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sayso.authoring import EXAMPLE, compile_markup
from sayso.cli import run

ROOT = Path(__file__).resolve().parent.parent

HEADER = """---
id: sayso-9100
outlet: Test Wire
published: 2026-01-01
beat: politics
split: test
phenomena: pronoun-source
@ana PER Ana Ruiz
@tarsk GPE Tarsk
---
"""


def messages(source: str) -> list[str]:
    return [f"{i.line}: [{i.code}] {i.message}" for i in compile_markup(source, "x.say").issues]


def test_example_compiles_with_exact_offsets():
    result = compile_markup(EXAMPLE)
    assert result.issues == []
    doc = result.doc
    assert doc["text"] == 'Velmora reopens border\n\n"We welcome this," Okafor said.'
    assert [(m["id"], m["start"], m["end"], m["entity"]) for m in doc["mentions"]] == [
        ("m1", 0, 7, "e1"),
        ("m2", 43, 49, "e2"),
    ]
    assert doc["attributions"][0]["cue"] == {"start": 50, "end": 54, "text": "said"}
    assert doc["attributions"][0]["content"] == [{"start": 25, "end": 40, "text": "We welcome this"}]
    assert doc["stances"][0]["holder"] == "m2"
    assert doc["meta"]["title"] == "Velmora reopens border"


def test_markup_doc_example_compiles():
    text = (ROOT / "annotation" / "MARKUP.md").read_text(encoding="utf-8")
    source = text.split("```\n", 2)[1]
    result = compile_markup(source)
    assert result.issues == []
    doc = result.doc
    a1, a2, a3 = doc["attributions"]
    assert a2["via"] == "a1" and a2["content"] == a1["content"]
    assert a3["content"][0]["text"] == '"We welcome this step,"'
    nested = [m for m in doc["mentions"] if m["kind"] == "NOM"][0]
    assert nested["text"] == "two Velmoran officials"
    assert any(m["text"] == "Velmoran" and m["type"] == "NORP" for m in doc["mentions"])


def test_escapes_crlf_and_unicode_offsets_are_code_points():
    body = (
        "[Ana Ruiz]{@ana #a} \\[sic\\] in [Tarsk]{@tarsk} 👍🏽 café\r\n\r\n"
        "[She]{@ana PRO #she} [said]{q:a1} [no]{c:a1}.\r\n"
    )
    records = "===\r\na1 src=#she quote=indirect identity=named type=political channel=unspecified\r\n"
    doc = compile_markup(HEADER + body + records).doc
    assert doc["text"] == "Ana Ruiz [sic] in Tarsk 👍🏽 café\n\nShe said no."
    she = doc["mentions"][2]
    assert (she["kind"], she["entity"], doc["text"][she["start"] : she["end"]]) == ("PRO", "e1", "She")
    assert doc["attributions"][0]["source"] == she["id"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "[Ana Ruiz]{@ana} [spoke.\n",
            [
                "11: [markup-syntax] '[' is never closed (column 18)",
                "9: [markup-entity] entity @tarsk has no mention",
            ],
        ),
        (
            "Ana] spoke [Tarsk]{@tarsk}.\n",
            [
                "11: [markup-syntax] ']' must be followed by '{tags}' "
                "(write '\\]' for a literal bracket) (column 4)",
                "8: [markup-entity] entity @ana has no mention",
            ],
        ),
        (
            "[Ana Ruiz]{@ana} [in]{} [Tarsk]{@tarsk}.\n",
            ["11: [markup-tag] a span without tags ('{}') annotates nothing (column 18)"],
        ),
        (
            "[Ana Ruiz]{@bob} in [Tarsk]{@tarsk}.\n",
            [
                "11: [markup-tag] @bob is not declared in the header (column 1)",
                "8: [markup-entity] entity @ana has no mention",
            ],
        ),
        (
            "[Ana Ruiz]{@ana zz} in [Tarsk]{@tarsk} {x}.\n",
            [
                "11: [markup-syntax] unescaped '{' outside a span's tags (write '\\{') (column 40)",
                "11: [markup-syntax] unescaped '}' outside a span's tags (write '\\}') (column 42)",
                "11: [markup-tag] unknown tag 'zz' (column 1)",
            ],
        ),
    ],
)
def test_body_errors_name_line_and_column(body, expected):
    assert messages(HEADER + body) == expected


def test_record_errors():
    body = "[Ana Ruiz]{@ana #ana} [said]{q:a1} [it]{c:a1} in [Tarsk]{@tarsk #t}.\n"
    records = (
        "===\n"
        "a1 src=#nobody quote=verbatim identity=named type=political channel=unspecified via=a7 colour=red\n"
        "s1 holder=#ana target=#t polarity=against\n"
        "x1 foo\n"
    )
    assert messages(HEADER + body + records) == [
        "13: [markup-record] a1: unknown field 'colour=red'; "
        "fields are channel, content, identity, quote, src, type, via",
        "15: [markup-record] a record starts with an id aN or sN, not 'x1'",
        "13: [markup-record] a1: via='a7' is not an attribution record",
        "13: [markup-record] a1: src='#nobody' names no #label of a mention",
        "13: [markup-record] a1: quote='verbatim' is not one of direct, indirect, mixed",
        "14: [markup-record] s1: no evidence span (tag one with ev:s1)",
        "14: [markup-record] s1: polarity='against' is not one of support, oppose, neutral",
    ]


def test_header_errors():
    source = "---\nid: sayso-1\nbeat: weather\ncolour: red\n@Bad PER X\n---\nText\n"
    assert messages(source) == [
        "4: [markup-header] unknown header line 'colour: red'; keys are "
        "beat, id, language, license, outlet, phenomena, published, register, split, url",
        "5: [markup-entity] entity key 'Bad' must match [a-z0-9_]+",
        "None: [markup-header] the header has no 'outlet'",
        "None: [markup-header] the header has no 'published'",
        "None: [markup-header] the header has no 'split'",
        "None: [markup-header] beat: 'weather' is not one of "
        "conflict, diplomacy, politics, economy, health, science, technology, courts, energy, education, "
        "sports, culture, crime, local, agriculture, transport, labour, migration, religion",
    ]


def test_missing_header_is_one_error():
    assert messages("no header\n") == [
        "1: [markup-structure] a .say file starts with a '---' line opening its header"
    ]


def test_cli_compile_writes_refuses_overwrite_and_checks(tmp_path):
    src = tmp_path / "sayso-9000.say"
    src.write_text(EXAMPLE, encoding="utf-8")
    gold = tmp_path / "gold"
    out, err = io.StringIO(), io.StringIO()
    assert run(["author", "compile", str(src), "--gold-dir", str(gold)], out, err) == 0
    target = gold / "train" / "sayso-9000.json"
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == "sayso-9000"
    assert out.getvalue() == "1 written, 0 unchanged, 0 failed\n"
    out = io.StringIO()
    assert run(["author", "compile", str(src), "--gold-dir", str(gold), "--check"], out, err) == 0
    assert out.getvalue() == "1 checked, 0 stale or failing\n"
    src.write_text(EXAMPLE.replace("reopens border", "reopens its border"), encoding="utf-8")
    err = io.StringIO()
    assert run(["author", "compile", str(src), "--gold-dir", str(gold), "--check"], io.StringIO(), err) == 1
    assert err.getvalue() == f"{src}: [markup-stale] $: {target} is not the compiled form of this source\n"
    err = io.StringIO()
    assert run(["author", "compile", str(src), "--gold-dir", str(gold)], io.StringIO(), err) == 1
    target = gold / "train" / "sayso-9000.json"
    assert err.getvalue() == f"{src}: [gold-exists] $: {target}: exists; pass --force to overwrite it\n"
    assert (
        run(["author", "compile", str(src), "--gold-dir", str(gold), "--force"], io.StringIO(), io.StringIO())
        == 0
    )
    assert "reopens its border" in target.read_text(encoding="utf-8")


def test_every_committed_source_compiles_to_its_gold_file():
    sources = sorted((ROOT / "annotation" / "sources").glob("*.say"))
    if not sources:
        pytest.skip("no .say sources committed yet")
    err = io.StringIO()
    code = run(
        ["author", "compile", "--check", "--gold-dir", str(ROOT / "corpus" / "gold"), *map(str, sources)],
        io.StringIO(),
        err,
    )
    assert (code, err.getvalue()) == (0, "")


def test_written_gold_has_ordinary_permissions(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        src = tmp_path / "sayso-9000.say"
        src.write_text(EXAMPLE, encoding="utf-8")
        assert (
            run(
                ["author", "compile", str(src), "--gold-dir", str(tmp_path / "g")],
                io.StringIO(),
                io.StringIO(),
            )
            == 0
        )
    finally:
        os.umask(old)
    assert (tmp_path / "g" / "train" / "sayso-9000.json").stat().st_mode & 0o777 == 0o644


def test_every_markup_code_is_documented():
    import re

    emitted = set()
    for path in (ROOT / "src" / "sayso" / "authoring.py", ROOT / "src" / "sayso" / "commands" / "author.py"):
        emitted |= set(re.findall(r"(markup-[a-z]+|gold-exists)", path.read_text(encoding="utf-8")))
    table = (ROOT / "annotation" / "MARKUP.md").read_text(encoding="utf-8").split("## Error codes", 1)[1]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", table, re.M))
    assert emitted == documented
