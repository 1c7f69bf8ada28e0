"""Every invalid fixture triggers exactly its code; every valid fixture triggers nothing.

Also: the code table in schema/README.md, the registry in sayso._codes, the codes the source can
emit and the fixtures are one and the same set.
"""

from __future__ import annotations

import ast
import io as stdio
import json
import re
import sys
from pathlib import Path

import pytest

from sayso import cli
from sayso import io as sayso_io
from sayso._codes import CODES, SCHEMA_KEYWORD_CODES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
LINT_LEVEL = 5


def _code_of(fixture: Path) -> str:
    return fixture.name.split(".")[0]


INVALID_FIXTURES = sorted(INVALID.iterdir(), key=lambda p: p.name)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = stdio.StringIO(), stdio.StringIO()
    code = cli.run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _codes_reported(fixture: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    code = _code_of(fixture)
    if code == "too-large":  # a 16 MiB fixture has no place in the repository: lower the limit
        monkeypatch.setattr(sayso_io, "MAX_DOCUMENT_BYTES", 4096)
    if fixture.suffix == ".tsv":
        argv = ["lint", "--json", "--allow", str(fixture), str(VALID / "document.json")]
    elif CODES[code][0] == LINT_LEVEL:
        argv = ["lint", "--json", "--no-allow", str(fixture)]
    elif CODES[code][1] == "warning":  # a reading-level warning fails only under --strict
        argv = ["validate", "--strict", "--no-allow", "--json", str(fixture)]
    else:
        argv = ["validate", "--json", str(fixture)]
    status, out, err = run(*argv)
    assert err == ""
    assert status == 1
    return [issue["code"] for issue in json.loads(out)["issues"]]


@pytest.mark.parametrize("fixture", INVALID_FIXTURES, ids=[p.name for p in INVALID_FIXTURES])
def test_invalid_fixture_triggers_exactly_its_code(fixture: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _codes_reported(fixture, monkeypatch) == [_code_of(fixture)]


@pytest.mark.parametrize(
    "command", [["validate"], ["validate", "--strict", "--no-allow"], ["lint", "--no-allow"]]
)
def test_valid_fixtures_produce_nothing(command: list[str]) -> None:
    status, out, err = run(*command, str(VALID))
    assert (status, out, err) == (0, "4 documents, 0 errors, 0 warnings\n", "")


def test_valid_submission_produces_nothing() -> None:
    status, out, _ = run("validate", "--kind", "submission", str(FIXTURES / "submissions" / "valid.json"))
    assert (status, out) == (0, "1 documents, 0 errors, 0 warnings\n")


def test_every_code_has_exactly_one_fixture() -> None:
    names = [_code_of(p) for p in INVALID_FIXTURES]
    assert sorted(names) == sorted(CODES)


def _readme_table() -> dict[str, tuple[int, str]]:
    text = (ROOT / "schema" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (\d) \| (error|warning) \| (.+) \|$", text, flags=re.M)
    assert all(meaning.strip() for *_, meaning in rows)
    table = {code: (int(level), severity) for code, level, severity, _ in rows}
    assert len(table) == len(rows), "a code is listed twice"
    return table


def test_readme_table_matches_the_registry() -> None:
    assert _readme_table() == CODES


def _emitted_codes() -> set[str]:
    """Codes passed as literals to Issue(...) or to the reporters, and those yielded by checks."""
    found: set[str] = set(SCHEMA_KEYWORD_CODES.values())
    sources = ["io.py", "validate.py", "lint.py", "_checks.py", "commands/validate.py"]
    for name in sources:
        tree = ast.parse((ROOT / "src" / "sayso" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if (
                    called in {"Issue", "issue", "fail"}
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    found.add(node.args[0].value)
            if isinstance(node, ast.Tuple) and node.elts and isinstance(node.elts[0], ast.Constant):
                value = node.elts[0].value
                if isinstance(value, str) and re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", value):
                    found.add(value)
    return found


def test_codes_used_in_source_are_the_registry() -> None:
    emitted = _emitted_codes()
    assert emitted - set(CODES) == set()
    assert set(CODES) - emitted == set()


def test_committed_fixtures_equal_the_builder(tmp_path: Path) -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        import build_fixtures
    finally:
        sys.path.remove(str(FIXTURES))
    build_fixtures.build(tmp_path)
    for folder in ("valid", "invalid", "submissions"):
        built = sorted(p.relative_to(tmp_path) for p in (tmp_path / folder).rglob("*"))
        committed = sorted(p.relative_to(FIXTURES) for p in (FIXTURES / folder).rglob("*"))
        assert built == committed
        for rel in built:
            a, b = tmp_path / rel, FIXTURES / rel
            if a.is_symlink():
                assert b.is_symlink() and a.readlink() == b.readlink()
            elif a.is_file():
                assert a.read_bytes() == b.read_bytes(), (
                    f"{rel} is stale: run tests/fixtures/build_fixtures.py"
                )


def test_allow_without_strict_is_a_usage_error() -> None:
    allow = str(INVALID / "unused-allow.tsv")
    assert run("validate", "--allow", allow, str(VALID)) == (
        2,
        "",
        "sayso validate: --allow applies to the lint warnings of --strict; add --strict\n",
    )
