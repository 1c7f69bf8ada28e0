"""The labeling config: generated from labels.json, committed, accepted by label_studio_sdk."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sayso import cli
from sayso.labels import label_names, labels
from sayso.labelstudio import render_config

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "annotation" / "labelstudio.xml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return cli.run(list(argv), out, err), out.getvalue(), err.getvalue()


def test_committed_config_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_config(), (
        "annotation/labelstudio.xml is stale: run "
        "`sayso labelstudio config --out annotation/labelstudio.xml --force`"
    )


def _choices(root: ET.Element, tag: str, name: str) -> list[str]:
    control = root.find(f".//{tag}[@name='{name}']")
    assert control is not None, name
    return [child.get("value") for child in control]


def test_every_label_comes_from_labels_json_in_order() -> None:
    root = ET.fromstring(render_config())
    assert _choices(root, "Labels", "mention") == list(label_names("mention_type"))
    assert _choices(root, "Labels", "span") == ["content", "cue", "evidence"]
    for control, layer in [
        ("kind", "mention_kind"),
        ("quote", "quote"),
        ("identity", "identity"),
        ("source_type", "source_type"),
        ("channel", "channel"),
        ("polarity", "polarity"),
        ("phenomena", "phenomena"),
    ]:
        assert _choices(root, "Choices", control) == list(label_names(layer)), control
    assert [r.get("value") for r in root.iter("Relation")] == [
        "source",
        "cue",
        "via",
        "holder",
        "target",
        "attribution",
        "part-of",
    ]
    hints = {c.get("value"): c.get("hint") for c in root.find(".//Choices[@name='channel']")}
    assert hints["interview"] == next(
        e["definition"] for e in labels()["layers"]["channel"]["labels"] if e["label"] == "interview"
    )


def test_per_region_controls_and_the_text_tag() -> None:
    root = ET.fromstring(render_config())
    per_region = sorted(c.get("name") for c in root.iter() if c.get("perRegion") == "true")
    assert per_region == [
        "channel",
        "entity",
        "holder",
        "identity",
        "kind",
        "polarity",
        "quote",
        "source_type",
    ]
    # <Text>, never <HyperText>: HyperText stores XPath offsets, not code points
    assert [t.get("name") for t in root.iter("Text")] == ["text"]
    assert not list(root.iter("HyperText"))


def test_the_sdk_parses_the_config() -> None:
    sdk = pytest.importorskip("label_studio_sdk.label_interface")
    interface = sdk.LabelInterface(render_config())
    assert sorted(interface.controls, key=lambda c: c.name)[0].name == "channel"
    assert {c.name for c in interface.controls} == {
        "mention",
        "span",
        "kind",
        "entity",
        "quote",
        "identity",
        "source_type",
        "channel",
        "polarity",
        "holder",
        "entities",
        "phenomena",
    }


def test_config_command_prints_writes_and_checks(tmp_path: Path) -> None:
    status, out, err = run("labelstudio", "config")
    assert (status, out, err) == (0, render_config(), "")
    target = tmp_path / "labelstudio.xml"
    assert run("labelstudio", "config", "--out", str(target)) == (0, f"written {target}\n", "")
    assert run("labelstudio", "config", "--out", str(target)) == (0, f"unchanged {target}\n", "")
    assert run("labelstudio", "config", "--check", str(target)) == (0, f"{target} is up to date\n", "")
    stale = render_config().replace('value="PER"', 'value="PERSON"')
    target.write_text(stale, encoding="utf-8")
    assert run("labelstudio", "config", "--check", str(target)) == (
        1,
        "",
        f"{target} is stale: regenerate it with `sayso labelstudio config --out {target} --force`\n",
    )
    assert run("labelstudio", "config", "--out", str(target)) == (
        1,
        "",
        f"sayso labelstudio: {target}: exists; pass --force to overwrite it\n",
    )
    assert target.read_text(encoding="utf-8") == stale  # refused: the file is untouched
    assert run("labelstudio", "config", "--out", str(target), "--force") == (0, f"written {target}\n", "")
    assert target.read_text(encoding="utf-8") == render_config()


def test_every_conversion_code_is_documented_and_used() -> None:
    """The ``ls-*`` codes: one registry (LS_CODES), one table (CONTRIBUTING.md), and the source agree."""
    import re

    from sayso.labelstudio import LS_CODES

    guide = (ROOT / "annotation" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `(ls-[a-z-]+)` \|", guide, flags=re.M)
    assert documented == list(LS_CODES)
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "sayso").rglob("*.py"))
    used = set(re.findall(r"\"(ls-[a-z-]+)\"", source)) - {"ls-"}
    assert used == set(LS_CODES)
