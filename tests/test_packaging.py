"""The wheel ships every subpackage of src/sayso (pyproject lists them by hand, beside the schema mapping)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {
        ".".join(("sayso", *init.parent.relative_to(ROOT / "src" / "sayso").parts))
        for init in (ROOT / "src" / "sayso").rglob("__init__.py")
    }
    assert set(config["packages"]) == found | {"sayso.schema"}
    assert config["package-dir"] == {"sayso": "src/sayso", "sayso.schema": "schema"}
