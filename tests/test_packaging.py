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


def test_a_missing_optional_dependency_is_a_clear_error(monkeypatch, tmp_path):
    import io
    import sys

    from sayso.cli import run

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` raise ModuleNotFoundError
    err = io.StringIO()
    code = run(["build", "--out", str(tmp_path / "b")], io.StringIO(), err)
    assert code == 1
    assert err.getvalue().endswith(
        "sayso build: needs the optional dependency 'pyarrow'; install it with: pip install 'sayso[hf]'\n"
    )
