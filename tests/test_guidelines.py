"""annotation/GUIDELINES.md: its label tables are checked against schema/labels.json."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sayso.authoring import _parse_body, _State
from sayso.labels import labels

GUIDELINES = Path(__file__).resolve().parent.parent / "annotation" / "GUIDELINES.md"
TABLE = re.compile(r"<!-- table:(\w+) -->\n(.*?)<!-- /table -->", re.S)


def tables() -> dict[str, list[list[str]]]:
    found = {}
    for layer, body in TABLE.findall(GUIDELINES.read_text(encoding="utf-8")):
        rows = [line for line in body.strip().split("\n")[2:]]
        found[layer] = [[cell.strip() for cell in row.strip().strip("|").split(" | ")] for row in rows]
    return found


def test_every_layer_has_exactly_one_table():
    assert sorted(tables()) == sorted(labels()["layers"])
    assert len(TABLE.findall(GUIDELINES.read_text(encoding="utf-8"))) == len(labels()["layers"])


@pytest.mark.parametrize("layer", sorted(labels()["layers"]))
def test_table_rows_equal_labels_json(layer):
    rows = tables()[layer]
    expected = [(e["label"], e["definition"]) for e in labels()["layers"][layer]["labels"]]
    assert [(row[0], row[1]) for row in rows] == expected
    for row in rows:
        assert len(row) == 5, row
        assert all(row[2:]), f"{layer}/{row[0]}: 'use when', 'not when' and 'example' must be filled"


def test_markup_examples_in_tables_parse():
    for layer, rows in tables().items():
        for row in rows:
            st = _State("GUIDELINES.md")
            _parse_body(row[4], 1, st)
            assert st.issues == [], (layer, row[0], st.issues)


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_](?:[\w'’-]*[^\W_])?", text)]


def test_no_guideline_text_repeats_a_validation_or_test_article():
    """A system prompted with the guidelines must not see test answers: no run of 8 or more words
    of a validation or test article appears in annotation/*.md (markup tags removed)."""
    import json

    root = GUIDELINES.parent.parent
    runs: dict[tuple, str] = {}
    for split in ("validation", "test"):
        for path in sorted((root / "corpus" / "gold" / split).glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            words = _words(doc["text"])
            for i in range(len(words) - 7):
                runs.setdefault(tuple(words[i : i + 8]), doc["id"])
    assert len(runs) > 1000  # the corpus was read
    found = []
    for page in sorted((root / "annotation").glob("*.md")):
        plain = re.sub(r"\{[^}]*\}", "", page.read_text(encoding="utf-8")).replace("[", "").replace("]", "")
        words = _words(plain)
        for i in range(len(words) - 7):
            run = tuple(words[i : i + 8])
            if run in runs:
                found.append(f"{page.name}: {' '.join(run)!r} ({runs[run]})")
    assert found == []
