"""`sayso agree`: hand-computed F1, Cohen's kappa and Krippendorff's alpha, and the command's output."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from sayso import cli
from sayso.agree import agreement, cohen_kappa, f1, krippendorff_alpha
from sayso.labels import SCHEMA_VERSION
from sayso.validate import validate_document

pytest.importorskip("sklearn")

TEXT = "Ann Lee said the plan works. Bo Chen said it fails, and he left."


def span(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def mention(mid: str, needle: str, type_: str, kind: str, entity: str) -> dict:
    start, end = span(needle)
    return {
        "id": mid,
        "start": start,
        "end": end,
        "text": needle,
        "type": type_,
        "kind": kind,
        "entity": entity,
    }


def attribution(aid: str, source: str, cue: str, content: str, source_type: str) -> dict:
    c0, c1 = span(content)
    q0, q1 = span(cue) if cue != "said#2" else span("said", 1)
    return {
        "id": aid,
        "source": source,
        "cue": {"start": q0, "end": q1},
        "content": [{"start": c0, "end": c1}],
        "quote": "indirect",
        "via": None,
        "identity": "named",
        "source_type": source_type,
        "channel": "remarks",
    }


def stance(sid: str, holder: str, target: str, polarity: str) -> dict:
    e0, e1 = span("fails")
    return {
        "id": sid,
        "holder": holder,
        "target": target,
        "polarity": polarity,
        "evidence": [{"start": e0, "end": e1}],
        "attribution": None,
    }


def document(mentions: list, attributions: list, stances: list, doc_id: str = "sayso-9301") -> dict:
    entities = {}
    for m in mentions:
        entities.setdefault(
            m["entity"], {"id": m["entity"], "name": m["text"], "type": m["type"], "wikidata": None}
        )
    doc = {
        "id": doc_id,
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "title": "Test",
            "outlet": "SaySo Test Wire",
            "published": "2026-03-02",
            "language": "en",
            "url": None,
            "license": "CC-BY-4.0",
            "beat": "politics",
            "phenomena": [],
        },
        "text": TEXT,
        "mentions": mentions,
        "entities": list(entities.values()),
        "attributions": attributions,
        "stances": stances,
    }
    assert validate_document(doc) == []
    return doc


def annotator_a() -> dict:
    return document(
        [
            mention("m1", "Ann Lee", "PER", "NAM", "e1"),
            mention("m2", "Bo Chen", "PER", "NAM", "e2"),
            mention("m3", "the plan", "LAW", "NOM", "e3"),
            mention("m4", "he", "PER", "PRO", "e2"),
        ],
        [
            attribution("a1", "m1", "said", "the plan works", "expert"),
            attribution("a2", "m2", "said#2", "it fails", "political"),
        ],
        [stance("s1", "m2", "m3", "oppose")],
    )


def annotator_b() -> dict:
    # Bo Chen typed ORG; no "the plan" but "plan"; "he" clustered with Ann Lee; a2 missing;
    # a1 typed government; the stance's target is "plan" and its polarity support.
    return document(
        [
            mention("m1", "Ann Lee", "PER", "NAM", "e1"),
            mention("m2", "Bo Chen", "ORG", "NAM", "e2"),
            mention("m3", "plan", "LAW", "NOM", "e3"),
            mention("m4", "he", "PER", "PRO", "e1"),
        ],
        [attribution("a1", "m1", "said", "the plan works", "government")],
        [stance("s1", "m2", "m3", "support")],
    )


def test_f1_is_symmetric_and_none_on_nothing() -> None:
    assert f1(2, 4, 3) == f1(2, 3, 4) == 4 / 7
    assert f1(0, 0, 0) is None
    assert f1(0, 1, 1) == 0.0


def test_cohen_kappa_by_hand() -> None:
    # p_o = 3/4; p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2; kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2
    assert cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"], ["x", "y"]) == pytest.approx(0.5)
    assert cohen_kappa([], [], ["x", "y"]) is None
    assert cohen_kappa(["x", "x"], ["x", "x"], ["x", "y"]) is None  # p_e = 1: undefined, not 1.0 or 0.0
    assert cohen_kappa(["x"], ["y"], ["x", "y"]) == 0.0


def test_krippendorff_alpha_reproduces_the_published_example() -> None:
    """Krippendorff (2011), 'Computing Krippendorff's alpha-reliability', nominal example: 0.743."""
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = list(zip(*rows, strict=True))
    assert round(krippendorff_alpha(units), 3) == 0.743


def test_krippendorff_alpha_by_hand() -> None:
    # units (o,o,o), (s,s,o): o_oo = 3, o_ss = 1, o_so = o_os = 1; n_o = 4, n_s = 2, n = 6
    # alpha = 1 - (n - 1) * D_o / sum n_c n_k = 1 - 5 * 2 / 16 = 0.375
    assert krippendorff_alpha([["o", "o", "o"], ["s", "s", "o"]]) == pytest.approx(0.375)
    assert krippendorff_alpha([["o", None], ["s"]]) is None  # nothing pairable
    assert krippendorff_alpha([["o", "o"], ["o", "o"]]) is None  # no variation


def test_two_annotators_by_hand() -> None:
    result = agreement({"a": {"d": annotator_a()}, "b": {"d": annotator_b()}})
    pair = result.pairs["a|b"]
    assert result.documents == ["d"]
    assert pair["mentions.strict.f1"] == pytest.approx(2 * 2 / (4 + 4))  # Ann Lee, he
    assert pair["mentions.exact.f1"] == pytest.approx(2 * 3 / (4 + 4))  # + Bo Chen (type differs)
    # type on the 3 same-span pairs: (PER,PER) (PER,ORG) (PER,PER): p_o = 2/3, p_e = 1 * 2/3 -> 0
    assert pair["mentions.type"] == pytest.approx(0.0)
    assert pair["mentions.kind"] == pytest.approx(1.0)
    # links among Ann Lee, Bo Chen, he: A links (Bo Chen, he), B links (Ann Lee, he): none shared
    assert pair["entities.link.f1"] == 0.0
    assert pair["attributions.record.f1"] == pytest.approx(2 * 1 / (2 + 1))
    assert pair["attributions.source_type"] == 0.0  # one pair, expert vs government
    assert pair["attributions.quote"] is None  # one pair, both indirect: undefined
    # the target "the plan" vs "plan" overlaps a mention of the same entity: matched unlabeled
    assert (pair["stances.unlabeled.f1"], pair["stances.labeled.f1"]) == (1.0, 0.0)
    assert result.alpha == {}
    assert result.mean == pair


def test_three_annotators_alpha_over_matched_records() -> None:
    a = annotator_a()
    a["stances"] = [stance("s1", "m1", "m2", "oppose"), stance("s2", "m2", "m1", "support")]
    b, c = copy.deepcopy(a), copy.deepcopy(a)
    c["stances"][1]["polarity"] = "oppose"
    result = agreement({"a": {"d": a}, "b": {"d": b}, "c": {"d": c}})
    # units (oppose x3), (support, support, oppose): 0.375 as computed by hand above
    assert result.alpha["stances.polarity"] == pytest.approx(0.375)
    assert result.alpha["attributions.source_type"] == 1.0  # units (expert x3), (political x3)
    assert result.pairs["a|b"]["stances.polarity"] == 1.0
    # a|c and b|c: (oppose,oppose), (support,oppose): p_o = 1/2, p_e = 1/2 * 1 = 1/2 -> 0
    assert result.pairs["a|c"]["stances.polarity"] == result.pairs["b|c"]["stances.polarity"] == 0.0
    assert result.mean["stances.polarity"] == pytest.approx(1 / 3)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.run(list(argv), out, err), out.getvalue(), err.getvalue()


def write(folder: Path, *docs: dict) -> str:
    folder.mkdir(parents=True)
    for doc in docs:
        (folder / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    return str(folder)


def test_command_table_and_json(tmp_path: Path) -> None:
    extra = annotator_a()
    extra["id"] = "sayso-9302"
    a = write(tmp_path / "ann", annotator_a(), extra)
    b = write(tmp_path / "bo", annotator_b())
    status, out, err = run("agree", a, b)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert (
        lines[0] == "2 annotators (ann, bo), 1 shared documents; 1 not annotated by all, left out: sayso-9302"
    )
    assert lines[1].split() == ["measure", "mean", "n", "ann|bo"]
    assert lines[2].split() == ["mentions.strict.f1", "0.500", "0.500"]
    assert lines[4].split() == ["mentions.type.kappa", "0.000", "3", "0.000"]
    assert lines[8].split() == ["attributions.quote.kappa", "-", "1", "-"]
    status, out, err = run("agree", a, b, "--json")
    report = json.loads(out)
    assert (report["documents"], report["left_out"], report["alpha"]) == (1, ["sayso-9302"], None)
    assert report["pairs"]["ann|bo"]["attributions.record.f1"] == pytest.approx(2 / 3)


def test_command_refuses_different_texts_and_invalid_input(tmp_path: Path) -> None:
    other = annotator_b()
    other["text"] = other["text"].replace("left.", "left!")
    for m in other["mentions"]:
        m.pop("text")
    a, b = write(tmp_path / "a", annotator_a()), write(tmp_path / "b", other)
    assert run("agree", a, b) == (
        1,
        "",
        "sayso agree: document 'sayso-9301' has different texts in different folders\n",
    )
    bad = annotator_b()
    bad["mentions"][0]["type"] = "PERSON"
    c = write(tmp_path / "c", bad)
    status, out, err = run("agree", a, c)
    assert (status, out) == (1, "")
    assert err.endswith("sayso agree: 1 errors in the input; nothing was measured\n")
    assert "[unknown-label] $.mentions[0].type" in err
    assert run("agree", a) == (2, "", "sayso agree: give at least two folders (one per annotator)\n")
