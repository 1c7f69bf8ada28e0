"""``sayso stats --diversity``: the measures of issue 15 on a hand-built corpus."""

from __future__ import annotations

import io
import json

from _scoring import as_gold

from sayso.cli import run
from sayso.diversity import diversity

TEXT_A = "Bo reported on Monday, citing two aides, that Ann had said nothing. The mill was reportedly sold."
TEXT_B = "A long quiet harbour. " * 40 + '"We will stay here until the end," Cy said.'


def _span(text: str, part: str) -> dict:
    start = text.index(part)
    return {"start": start, "end": start + len(part)}


def corpus() -> list[tuple[str, dict]]:
    a_mentions = [
        {"id": "m1", **_span(TEXT_A, "Bo"), "type": "PER", "kind": "NAM", "entity": None},
        {"id": "m2", **_span(TEXT_A, "two aides"), "type": "PER", "kind": "NOM", "entity": None},
        {"id": "m3", **_span(TEXT_A, "Ann"), "type": "PER", "kind": "NAM", "entity": None},
    ]
    content = _span(TEXT_A, "Ann had said nothing")
    a = {
        "id": "sayso-0061",
        "text": TEXT_A,
        "meta": {"register": "wire", "beat": "sports", "phenomena": ["nested-attribution"]},
        "mentions": a_mentions,
        "attributions": [
            {"id": "a1", "source": "m1", "content": [content], "source_type": "ngo", "quote": "indirect"},
            {"id": "a2", "source": "m2", "via": "a1", "content": [content], "source_type": "government"},
            {"id": "a3", "source": "m3", "via": "a2", "content": [_span(TEXT_A, "nothing")]},
            {
                "id": "a4",
                "source": None,
                "cue": _span(TEXT_A, "reportedly"),
                "content": [_span(TEXT_A, "sold")],
            },
        ],
    }
    b_mentions = [{"id": "m1", **_span(TEXT_B, "Cy"), "type": "PER", "kind": "NAM", "entity": None}]
    quote = '"We will stay here until the end,"'
    b = {
        "id": "sayso-0062",
        "text": TEXT_B,
        "meta": {"register": "feature", "beat": "local"},
        "mentions": b_mentions,
        "attributions": [{"id": "a1", "source": "m1", "content": [_span(TEXT_B, quote)], "quote": "direct"}],
    }
    c = dict(b, id="sayso-0063")  # the same quotation and sentences again
    c = {**c, "text": "Intro. " + TEXT_B}
    shift = len("Intro. ")
    c["mentions"] = [{**m, "start": m["start"] + shift, "end": m["end"] + shift} for m in b_mentions]
    span = _span(TEXT_B, quote)
    c["attributions"] = [
        {**b["attributions"][0], "content": [{"start": span["start"] + shift, "end": span["end"] + shift}]}
    ]
    return [("test", as_gold(a)), ("train", as_gold(b)), ("validation", as_gold(c))]


def test_measures_by_hand():
    m = diversity(corpus())["measures"]
    assert (m["articles"], m["test_articles"], m["validation_articles"], m["beats"]) == (3, 1, 1, 2)
    assert m["length_min_words"] == 17  # TEXT_A
    assert m["template_share_new"] == 1 / 3  # "reported ... citing" in sayso-0061 only
    assert m["articles_with_chains_of_2_hops"] == 1  # a3 via a2 via a1
    assert m["articles_with_non_media_relays"] == 1  # a1 (ngo) and a2 (government) relay
    assert m["test_via_links"] == 2 and m["test_via_links_in_chains_of_2_hops"] == 2
    assert m["agentless_by_third"] == [0, 0, 1]  # "reportedly" sits in the last third
    assert m["shared_quotations"] == 1  # the same direct quotation in sayso-0062 and 0063
    assert m["shared_sentences"] >= 1
    assert m["test_label_counts"]["source_type"] == {"ngo": 1, "government": 1}


def test_command_prints_the_floors(tmp_path):
    for split, doc in corpus():
        (tmp_path / split).mkdir(exist_ok=True)
        (tmp_path / split / f"{doc['id']}.json").write_text(json.dumps(doc), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["stats", "--diversity", str(tmp_path)], out, err) == 0, err.getvalue()
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["measure", "value", "required", "met"]
    assert lines[1].split() == ["articles", "3", ">=", "300", "NO"]
    assert any(line.startswith("shared_quotations ") and line.endswith("NO") for line in lines)
