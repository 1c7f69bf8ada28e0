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
