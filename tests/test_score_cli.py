"""``sayso score`` end to end: input checks, outputs, signatures, --type-map, --compare (issues 4, 8)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from sayso import __version__
from sayso.cli import run
from sayso.score import HEADLINE, markdown_header

FIXTURES = Path(__file__).parent / "fixtures" / "score"
GOLD = FIXTURES / "gold"


def sayso(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["score", *map(str, argv)], out, err)
    return code, out.getvalue(), err.getvalue()


def gold_docs() -> dict[str, dict]:
    docs = {}
    for path in sorted(GOLD.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.pop("meta")  # not part of a submission
        docs[doc["id"]] = doc
    return docs


def write(tmp_path: Path, name: str, docs: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def system(tmp_path: Path) -> Path:
    """doc-a with one type error (Velmora as ORG) and one polarity error; doc-b: two mentions only."""
    docs = gold_docs()
    a, b = docs["doc-a"], docs["doc-b"]
    a["mentions"][0]["type"] = "ORG"
    a["entities"][0]["type"] = "ORG"
    a["stances"][0]["polarity"] = "oppose"
    b_pred = {"id": "doc-b", "mentions": [dict(m, entity=None) for m in b["mentions"][:2]]}
    return write(tmp_path, "system.jsonl", [a, b_pred])


def test_perfect_submission_scores_one_with_signature(tmp_path):
    docs = gold_docs()
    pred = write(tmp_path, "perfect.jsonl", [docs["doc-a"], docs["doc-b"]])
    code, out, err = sayso("--gold", GOLD, "--pred", pred, "--split", "test", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["signature"].startswith("sayso|schema:1.0|gold:")
    assert data["signature"].endswith(
        f"|split:test|docs:2|mentions:nam|match:strict|typemap:none|bs:0|seed:none|version:{__version__}"
    )
    assert all(
        data["headline"][k] == 1.0 for k in HEADLINE if k != "linking.f1" and data["headline"][k] is not None
    )
    assert data["headline"]["linking.f1"] == 1.0


def test_json_has_the_documented_keys_and_plain_numbers(system):
    code, out, err = sayso("--gold", GOLD, "--pred", system, "--split", "test", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "format",
        "signature",
        "settings",
        "documents",
        "layers",
        "headline",
        "intervals",
        "scores",
        "phenomena",
    ]
    assert data["format"] == 2
    assert list(data["headline"]) == list(HEADLINE)
    assert data["layers"] == {"mentions": True, "linking": True, "attributions": True, "stances": True}
    strict = data["scores"]["mentions"]["strict"]
    assert strict == {
        "correct": 7,
        "incorrect": 1,
        "partial": 0,
        "missed": 2,
        "spurious": 0,
        "precision": 0.875,
        "recall": 0.7,
        "f1": pytest.approx(14 / 18),
    }
    assert type(strict["precision"]) is float and type(strict["correct"]) is int
    assert data["scores"]["stances"]["labeled"]["f1"] == 0.5
    assert data["phenomena"]["descriptive-source"]["docs"] == 1
    assert data["intervals"] is None


def test_readable_table_and_markdown_row(system):
    code, out, _ = sayso("--gold", GOLD, "--pred", system, "--split", "test")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("signature: sayso|") and lines[-1] == lines[0]
    assert "  strict                     87.50   70.00   77.78     7    1    0    2    0" in lines
    code, out, _ = sayso(
        "--gold", GOLD, "--pred", system, "--split", "test", "--markdown", "--system", "demo"
    )
    header, rule, row = out.splitlines()
    assert out.startswith(markdown_header())
    assert row.startswith("| demo | 77.78 | 88.89 | 77.78 | 88.89 |")
    assert row.count(" | ") == header.count(" | ")  # the signature's bars are escaped
    assert row.endswith("\\|version:" + __version__ + "` |")


def test_missing_documents_warning_and_layers_not_scored(tmp_path):
    docs = gold_docs()
    pred = write(
        tmp_path,
        "mentions-only.jsonl",
        [{"id": "doc-a", "mentions": docs["doc-a"]["mentions"], "entities": docs["doc-a"]["entities"]}],
    )
    code, out, err = sayso("--gold", GOLD, "--pred", pred)
    assert code == 0
    assert err.splitlines() == [
        "warning: [score-missing-documents] 2 of 3 gold documents have no prediction; "
        "scored as empty predictions",
        "note: layer attributions is absent from every submitted document: not scored",
        "note: layer stances is absent from every submitted document: not scored",
    ]
    assert "attributions: not scored (absent from every submitted document)" in out
    assert "stances: not scored (absent from every submitted document)" in out


def test_split_selects_gold_and_ignores_predictions_of_other_splits(tmp_path):
    docs = gold_docs()
    pred = write(tmp_path, "all.jsonl", list(docs.values()))
    code, out, err = sayso("--gold", GOLD, "--pred", pred, "--split", "train", "--json")
    assert code == 0
    assert err == "note: 2 prediction(s) for gold documents of other splits ignored (test 2)\n"
    assert json.loads(out)["documents"] == {"gold": 1, "missing": 0}


def test_invalid_submissions_are_errors_never_dropped(tmp_path):
    docs = gold_docs()
    a = docs["doc-a"]
    bad_span = dict(a, mentions=[dict(a["mentions"][0], end=9999)] + a["mentions"][1:])
    pred = write(
        tmp_path,
        "bad.jsonl",
        [
            {"id": "nope"},
            {"id": "doc-b", "text": "Russia and Syria"},
            bad_span,
            {"id": "doc-b"},
            {"id": "doc-b"},
        ],
    )
    code, out, err = sayso("--gold", GOLD, "--pred", pred, "--split", "test")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{pred}:1: [score-unknown-id] $.id: 'nope' is not a gold document id",
        f"{pred}:2: [score-text-mismatch] $.text: differs from the gold text in length "
        "(16 instead of 78 characters)",
        f"{pred}:3: [span-out-of-range] $.mentions[0].end: end 9999 is beyond the text (208 characters)",
        f"{pred}:5: [score-duplicate-id] $.id: document 'doc-b' was already predicted in {pred}:4",
        "sayso score: 4 error(s) in the predictions; nothing was scored",
    ]


def test_gold_relative_checks(tmp_path):
    pred = write(
        tmp_path,
        "rel.jsonl",
        [
            {
                "id": "doc-b",
                "mentions": [
                    {"id": "x1", "start": 0, "end": 6, "type": "GPE", "text": "Russie"},
                    {"id": "x2", "start": 70, "end": 90, "type": "GPE"},
                ],
            }
        ],
    )
    code, _, err = sayso("--gold", GOLD, "--pred", pred)
    assert code == 1
    assert err.splitlines() == [
        f"{pred}:1: [span-text-mismatch] $.mentions[0].text: span text 'Russie' differs from "
        "text[0:6] = 'Russia'",
        f"{pred}:1: [span-out-of-range] $.mentions[1].end: end 90 is beyond the text (78 characters)",
        "sayso score: 2 error(s) in the predictions; nothing was scored",
    ]


def test_per_doc_lines_and_no_silent_overwrite(system, tmp_path):
    per_doc = tmp_path / "per-doc.jsonl"
    code, _, _ = sayso("--gold", GOLD, "--pred", system, "--per-doc", per_doc)
    assert code == 0
    lines = [json.loads(line) for line in per_doc.read_text().splitlines()]
    assert [(d["id"], d["missing"]) for d in lines] == [("doc-a", False), ("doc-b", False), ("doc-c", True)]
    assert lines[1]["counts"]["mentions.strict.missed"] == 2
    assert list(lines[0]) == ["id", "missing", "layers", "headline", "counts", "signature"]
    assert lines[0]["signature"].startswith("sayso|schema:1.0|") and lines[0]["signature"].endswith(
        __version__
    )
    assert lines[1]["headline"]["mentions.strict.f1"] == pytest.approx(2 / 3)  # 2 of 4, no error
    first = per_doc.read_bytes()
    assert sayso("--gold", GOLD, "--pred", system, "--per-doc", per_doc)[0] == 0  # same bytes: no-op
    per_doc.write_text("mine\n")
    code, _, err = sayso("--gold", GOLD, "--pred", system, "--per-doc", per_doc)
    assert code == 1 and err.endswith(f"{per_doc}: exists; pass --force to overwrite it\n")
    assert per_doc.read_text() == "mine\n"
    assert sayso("--gold", GOLD, "--pred", system, "--per-doc", per_doc, "--force")[0] == 0
    assert per_doc.read_bytes() == first


def test_error_listing_shows_missed_and_spurious_with_context(system):
    code, out, _ = sayso("--gold", GOLD, "--pred", system, "--split", "test", "--errors")
    assert code == 0
    listing = out[out.index("id\tlayer\terror\titem\tcontext\n") :].splitlines()[1:]
    velmora = "...[Velmora] signs the Harbour Act. Interi..."
    assert listing == [
        f"doc-a\tmention\tmissed\tGPE [0, 7)\t{velmora} (predicted ORG [0, 7) 'Velmora')",
        f"doc-a\tmention\tspurious\tORG [0, 7)\t{velmora} (gold GPE [0, 7) 'Velmora')",
        "doc-a\tstance\tmissed\ts1 'Ana Ruiz' support 'Harbour Act'\t",
        "doc-a\tstance\tspurious\ts1 'Ana Ruiz' oppose 'Harbour Act'\t",
        "doc-b\tmention\tmissed\tGPE [24, 32)\t"
        "...Russia and Syria met in [Damascus]. Reuters reported that the ta...",
        "doc-b\tmention\tmissed\tORG [34, 41)\t"
        "...ia and Syria met in Damascus. [Reuters] reported that the talks ended...",
        "doc-b\tattribution\tmissed\ta1 source 'Reuters'\t"
        "...mascus. Reuters reported that [the talks ended early]....",
    ]
    code, out, _ = sayso("--gold", GOLD, "--pred", system, "--split", "test", "--errors", "--json")
    assert len(json.loads(out)["errors"]) == 7


def test_bootstrap_intervals_are_seeded(system):
    runs = [
        json.loads(sayso("--gold", GOLD, "--pred", system, "--bootstrap", "200", "--seed", "7", "--json")[1])
        for _ in range(2)
    ]
    assert runs[0]["intervals"] == runs[1]["intervals"]
    lo, hi = runs[0]["intervals"]["mentions.strict.f1"]
    assert 0.0 <= lo <= runs[0]["headline"]["mentions.strict.f1"] <= hi <= 1.0
    assert "|bs:200|seed:7|" in runs[0]["signature"]
    other = json.loads(
        sayso("--gold", GOLD, "--pred", system, "--bootstrap", "200", "--seed", "8", "--json")[1]
    )
    assert "|bs:200|seed:8|" in other["signature"]


def test_compare_two_systems(system, tmp_path):
    docs = gold_docs()
    perfect = write(tmp_path, "perfect.jsonl", [docs["doc-a"], docs["doc-b"]])
    code, out, err = sayso(
        "--gold", GOLD, "--pred", perfect, "--compare", system, "--split", "test", "--trials", "300", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert "|test:paired-bs+ar:300|" in data["signature"]
    t = data["tests"]["mentions.strict.f1"]
    assert (t["a"], t["b"]) == (1.0, pytest.approx(14 / 18))
    assert t["delta"] == pytest.approx(1 - 14 / 18)
    assert 0 < t["p_bootstrap"] <= 1 and 0 < t["p_randomization"] <= 1
    code, out, _ = sayso(
        "--gold", GOLD, "--pred", perfect, "--compare", perfect, "--split", "test", "--trials", "50"
    )
    assert code == 0
    row = next(line for line in out.splitlines() if line.strip().startswith("mentions.strict.f1"))
    code, md, _ = sayso(
        "--gold", GOLD, "--pred", perfect, "--compare", system, "--split", "test", "--markdown"
    )
    assert code == 0 and [line[:16] for line in md.splitlines()[2:]] == [
        "| " + str(perfect)[:14],
        "| " + str(system)[:14],
    ]
    assert row.split() == ["mentions.strict.f1", "100.00", "100.00", "0.00", "1.0000", "1.0000"]


# --- --type-map (issue 8) ----------------------------------------------------------------------


def test_type_map_renames_predicted_types(tmp_path):
    docs = gold_docs()
    b = docs["doc-b"]
    mentions = [dict(m, entity=None) for m in b["mentions"]]
    mentions[0]["type"] = "PERSON"  # a label outside labels.json...
    mentions.append({"id": "w", "start": 0, "end": 6, "type": "WORK_OF_ART"})
    pred = write(tmp_path, "onto.jsonl", [{"id": "doc-b", "mentions": mentions}])
    code, _, err = sayso("--gold", GOLD / "test" / "doc-b.json", "--pred", pred)
    labels = "is not a mention_type label (one of PER, ORG, GPE, LOC, FAC, NORP, EVENT, LAW)"
    assert code == 1
    assert sorted(err.splitlines()) == [
        f"{pred}:1: [unknown-label] $.mentions[0].type: 'PERSON' {labels}",
        f"{pred}:1: [unknown-label] $.mentions[4].type: 'WORK_OF_ART' {labels}",
        "sayso score: 2 error(s) in the predictions; nothing was scored",
    ]
    code, out, err = sayso(
        "--gold",
        GOLD / "test" / "doc-b.json",
        "--pred",
        pred,
        "--type-map",
        FIXTURES / "type-map.json",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    m = data["scores"]["mentions"]
    # PERSON -> PER (a type error on Russia), WORK_OF_ART -> left out
    assert (m["pred"], m["strict"]["correct"], m["strict"]["incorrect"]) == (4, 3, 1)
    assert "|typemap:" in data["signature"] and "|typemap:none|" not in data["signature"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1]", "a type map is a JSON object"),
        (
            '{"format": "sayso-type-map/1", "pred": {"PERSON": "HUMAN"}}',
            "pred: 'PERSON' maps to 'HUMAN', which is not a mention_type label "
            "(EVENT, FAC, GPE, LAW, LOC, NORP, ORG, PER) or null",
        ),
        ('{"format": "sayso-type-map/1"}', 'the map renames nothing: give "gold" and/or "pred"'),
        ('{"pred": {}}', "\"format\" must be 'sayso-type-map/1', not None"),
        (
            '{"format": "sayso-type-map/1", "both": {}}',
            "unknown key(s) 'both'; expected format, description, gold, pred",
        ),
        ("{", "not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ],
)
def test_bad_type_maps_are_clear_errors(tmp_path, system, content, message):
    path = tmp_path / "map.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = sayso("--gold", GOLD, "--pred", system, "--type-map", path)
    assert (code, out) == (1, "")
    assert err == f"{path}: [score-type-map] $: {message}\n"


def test_type_map_on_gold_drops_a_type_from_both_sides(tmp_path, system):
    path = tmp_path / "map.json"
    path.write_text('{"format": "sayso-type-map/1", "gold": {"LAW": null}, "pred": {"LAW": null}}')
    code, out, _ = sayso("--gold", GOLD, "--pred", system, "--split", "test", "--type-map", path, "--json")
    m = json.loads(out)["scores"]["mentions"]
    assert (code, m["gold"], m["pred"], m["per_type"]["LAW"]["gold"]) == (0, 8, 6, 0)


def test_no_gold_documents_is_an_error(tmp_path, system):
    (tmp_path / "empty").mkdir()
    code, _, err = sayso("--gold", tmp_path / "empty", "--pred", system)
    assert (code, err.splitlines()) == (
        1,
        [
            f"{tmp_path / 'empty'}: [no-documents] $: folder holds no .json or .jsonl files",
            f"sayso score: 1 error(s) in the gold ({tmp_path / 'empty'}); nothing was scored",
        ],
    )
    code, _, err = sayso("--gold", GOLD, "--pred", system, "--split", "validation")
    assert (code, err) == (
        1,
        f"sayso score: no gold documents of split validation in {GOLD} (test 2, train 1)\n",
    )


def test_usage_errors_exit_2(system):
    assert sayso("--gold", GOLD)[0] == 2
    assert sayso("--gold", GOLD, "--pred", system, "--json", "--markdown")[0] == 2
    assert sayso("--gold", GOLD, "--pred", system, "--bootstrap", "-1")[0] == 2


def test_score_startup_imports_no_numpy():
    import subprocess
    import sys

    code = (
        "import sys, io; from sayso.cli import run; "
        "run(['score', '--help'], io.StringIO(), io.StringIO()); import sayso.score; "
        "print(sorted(m for m in ('numpy', 'sklearn', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --- the one check of a prediction, through the library ---------------------------------------

_GOLD_B = {"id": "doc-b", "text": "Russia and Syria met in Damascus."}
_M = {"id": "m1", "start": 0, "end": 6, "type": "GPE"}


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        ([1], [("wrong-type", "$", "expected object, got array")]),
        (
            {"id": "doc-b", "mentions": {}},
            [("wrong-type", "$.mentions", "expected array or null, got object")],
        ),
        (
            {"id": "doc-b", "mentions": [{"start": 0}]},
            [
                ("missing-field", "$.mentions[0]", "missing required field 'id'"),
                ("missing-field", "$.mentions[0]", "missing required field 'end'"),
                ("missing-field", "$.mentions[0]", "missing required field 'type'"),
            ],
        ),
        (
            {"id": "doc-b", "mentions": [dict(_M, start="0")]},
            [("wrong-type", "$.mentions[0].start", "expected integer, got string '0'")],
        ),
        (
            {"id": "doc-b", "mentions": [_M, _M]},
            [
                ("duplicate-mention", "$.mentions[1]", "same span [0, 6) and type GPE as $.mentions[0]"),
                ("duplicate-id", "$.mentions[1].id", "id 'm1' is already used by $.mentions[0]"),
            ],
        ),
        (
            {"id": "doc-b", "mentions": [dict(_M, start=6)]},
            [("empty-span", "$.mentions[0]", "empty span [6, 6)")],
        ),
        (
            {"id": "doc-b", "mentions": [dict(_M, start=30, end=40)]},
            [("span-out-of-range", "$.mentions[0].end", "end 40 is beyond the text (33 characters)")],
        ),
        (
            {"id": "doc-b", "mentions": [dict(_M, text="Russie")]},
            [
                (
                    "span-text-mismatch",
                    "$.mentions[0].text",
                    "span text 'Russie' differs from text[0:6] = 'Russia'",
                )
            ],
        ),
        (
            {"id": "doc-b", "mentions": [dict(_M, type="COUNTRY", kind="NAME")]},
            [
                (
                    "unknown-label",
                    "$.mentions[0].type",
                    "'COUNTRY' is not a mention_type label "
                    "(one of PER, ORG, GPE, LOC, FAC, NORP, EVENT, LAW)",
                ),
                (
                    "unknown-label",
                    "$.mentions[0].kind",
                    "'NAME' is not a mention_kind label (one of NAM, NOM, PRO or null)",
                ),
            ],
        ),
        (
            {"id": "doc-b", "mentions": [dict(_M, entity="e9")]},
            [
                (
                    "dangling-reference",
                    "$.mentions[0].entity",
                    "'e9' refers to the entities layer, which is not annotated (null or absent)",
                )
            ],
        ),
        (
            {"id": "doc-b", "entities": [{"id": "e1", "wikidata": "159"}]},
            [("bad-format", "$.entities[0].wikidata", "'159' is not a Wikidata id such as 'Q159'")],
        ),
        (
            {"id": "doc-b", "text": "Russia and Syria"},
            [
                (
                    "score-text-mismatch",
                    "$.text",
                    "differs from the gold text in length (16 instead of 33 characters)",
                )
            ],
        ),
        (
            {
                "id": "doc-b",
                "mentions": [_M],
                "stances": [{"id": "s1", "holder": "m2", "target": "author", "polarity": "oppose"}],
            },
            [
                ("dangling-reference", "$.stances[0].holder", "'m2' is not \"author\" nor a mention id"),
                ("dangling-reference", "$.stances[0].target", "'author' is not a mention id"),
            ],
        ),
    ],
)
def test_check_prediction_codes(pred, expected):
    from sayso.score import check_prediction

    issues = check_prediction(pred, _GOLD_B["text"], path="p.jsonl", line=3)
    assert [(i.code, i.json_path, i.message) for i in issues] == expected
    assert all(i.severity == "error" and i.line == 3 for i in issues)


def test_an_unknown_id_is_checked_on_its_own_first():
    from sayso.score import check_prediction

    assert [(i.code, i.message) for i in check_prediction({"id": "x"}, None, path="p")] == [
        ("score-unknown-id", "'x' is not a gold document id")
    ]
    assert [i.code for i in check_prediction({"id": "x", "mentions": 3}, None, path="p")] == ["wrong-type"]


def test_check_prediction_applies_the_type_map():
    from sayso.score import check_prediction

    pred = {
        "id": "doc-b",
        "mentions": [dict(_M, type="PERSON", entity="e1"), dict(_M, id="m2", type="MISC")],
        "entities": [{"id": "e1", "type": "PERSON"}],
    }
    text = _GOLD_B["text"]
    assert check_prediction(pred, text, path="p", pred_types={"PERSON": "PER", "MISC": None}) == []
    assert [i.code for i in check_prediction(pred, text, path="p")] == ["unknown-label"] * 3


def test_every_check_code_is_documented(repo_root):
    from sayso.score import CHECK_CODES

    metrics = (repo_root / "eval" / "METRICS.md").read_text(encoding="utf-8")
    for code in CHECK_CODES:
        assert f"| `{code}` |" in metrics, code


def test_invalid_gold_is_located_and_nothing_is_scored(tmp_path, system):
    docs = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(GOLD.rglob("*.json"))}
    a, b = docs["doc-a"], docs["doc-b"]
    bad = dict(a, mentions=[dict(a["mentions"][0], start="0")] + a["mentions"][1:])
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(d) + "\n" for d in (bad, [1], b, b)), encoding="utf-8")
    code, out, err = sayso("--gold", gold, "--pred", system)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{gold}:1: [wrong-type] $.mentions[0].start: expected integer, got string '0'",
        f"{gold}:2: [wrong-type] $: expected object, got array",
        f"{gold}:4: [duplicate-document-id] $.id: document id 'doc-b' already appears at {gold}:3",
        f"sayso score: 3 error(s) in the gold ({gold}); nothing was scored",
    ]
    code, _, err = sayso("--gold", tmp_path / "absent", "--pred", system)
    assert (code, err.splitlines()) == (
        1,
        [
            f"{tmp_path / 'absent'}: [unreadable] $: No such file or directory",
            f"sayso score: 1 error(s) in the gold ({tmp_path / 'absent'}); nothing was scored",
        ],
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d.update(mentions={}), "wrong-type"),
        (lambda d: d.update(schema_version="2.0"), "schema-version"),
        (lambda d: d["mentions"][0].update(end=5.0), "wrong-type"),
        (lambda d: d["mentions"][0].update(end=10_000), "span-out-of-range"),
        (lambda d: d["mentions"][0].update(type="COUNTRY"), "unknown-label"),
        (lambda d: d["attributions"][0].update(source="m99"), "dangling-reference"),
        (lambda d: d.pop("text"), "missing-field"),
    ],
)
def test_gold_is_validated_like_sayso_validate(tmp_path, system, change, code):
    import copy

    from sayso.validate import validate_paths

    doc = copy.deepcopy(json.loads((GOLD / "test" / "doc-a.json").read_text(encoding="utf-8")))
    change(doc)
    (tmp_path / "gold" / "test").mkdir(parents=True)
    path = tmp_path / "gold" / "test" / "doc-a.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    exit_code, out, err = sayso("--gold", tmp_path / "gold", "--pred", system)
    expected = [
        f"{i.path}:{i.line}: [{i.code}] {i.json_path}: {i.message}" for i in validate_paths([path]).issues
    ]
    assert (exit_code, out) == (1, "")
    assert err.splitlines()[:-1] == expected and expected[0].split(" [")[1].startswith(code + "]")


def test_the_table_never_runs_columns_together():
    from sayso.score import Settings, render_result
    from sayso.score._score import build_result

    totals = {
        "mentions.gold": 999_988,
        "mentions.pred": 999_988,
        "mentions.strict.correct": 9,
        "mentions.strict.incorrect": 999_979,
        "mentions.per_type.PER.gold": 999_988,
        "mentions.per_type.PER.pred": 999_988,
        "mentions.per_type.PER.correct": 9,
    }
    result = build_result(Settings(gold="x", docs=1), ("mentions",), None, totals, 1, {}, [])
    strict = next(line for line in render_result(result).splitlines() if line.startswith("  strict"))
    assert strict.split()[-5:] == ["9", "999979", "0", "0", "0"]
