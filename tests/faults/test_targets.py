"""Every writer: an unwritable target is one line and exit 1, an existing one is never touched.

Tests run as root in CI, where permission bits stop nothing, so "unwritable" is made the two ways
that stop root too: a parent of the target is a regular file, and the target is a folder where a
file is expected. Each writer is run in this process through ``sayso.cli.run``.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sayso.cli import run
from sayso.hf.synthetic import write_synthetic_corpus

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from test_gum_rules import _write as write_toy_gum  # noqa: E402
from test_leaderboard import make_tree  # noqa: E402

sys.path.remove(str(ROOT / "tests"))


def _corpus(ws: Path) -> None:
    write_synthetic_corpus(ws / "corpus", 6, seed=3)
    test = sorted((ws / "corpus" / "gold" / "test").glob("*.json"))
    (ws / "pred.jsonl").write_text(
        "".join(json.dumps(json.loads(p.read_text(encoding="utf-8"))) + "\n" for p in test), encoding="utf-8"
    )


def _sources(ws: Path) -> None:
    (ws / "sources").mkdir()
    name = "sayso-0001.say"
    (ws / "sources" / name).write_bytes((ROOT / "annotation" / "sources" / name).read_bytes())


def _bio(ws: Path) -> None:
    _corpus(ws)
    code = run(["export", "conll", "--split", "test", "--gold-dir", "corpus/gold", "--out", "t.conll"])
    assert code == 0


@dataclass(frozen=True)
class Writer:
    name: str
    setup: Callable[[Path], None]
    argv: Callable[[str], list[str]]  # the command line, given the target
    folder: bool = False  # the target is a folder (a set of files)


WRITERS = [
    Writer("score --per-doc", _corpus, lambda t: ["score", "--gold", "corpus/gold", "--split", "test",
                                                   "--pred", "pred.jsonl", "--per-doc", t]),
    Writer("report", _corpus, lambda t: ["report", "--gold", "corpus/gold", "--split", "test",
                                         "--pred", "pred.jsonl", "--out", t]),
    Writer("export conll", _corpus, lambda t: ["export", "conll", "--split", "test", "--gold-dir",
                                               "corpus/gold", "--out", t]),
    Writer("import bio", _bio, lambda t: ["import", "bio", "t.conll", "--gold", "corpus/gold/test",
                                          "--out", t]),
    Writer("import gum (file)", lambda ws: write_toy_gum(ws / "gum"),
           lambda t: ["import", "gum", "gum", "--out", t + ".jsonl"]),
    Writer("import gum", lambda ws: write_toy_gum(ws / "gum"), lambda t: ["import", "gum", "gum", "--out", t],
           folder=True),
    Writer("baseline --out", _corpus, lambda t: ["baseline", "gold", "--split", "test", "--gold-dir",
                                                 "corpus/gold", "--out", t]),
    Writer("baseline --out-dir", _corpus, lambda t: ["baseline", "empty", "--split", "validation", "test",
                                                     "--gold-dir", "corpus/gold", "--out-dir", t],
           folder=True),
    Writer("build --out", _corpus, lambda t: ["build", "--corpus", "corpus", "--out", t], folder=True),
    Writer("leaderboard", make_tree, lambda t: ["leaderboard", "--submissions", "subs", "--gold-dir", "gold",
                                                "--out-dir", t, "--bootstrap", "20"], folder=True),
    Writer("author compile", _sources, lambda t: ["author", "compile", "--gold-dir", t, "sources"],
           folder=True),
    Writer("labelstudio config", lambda ws: None, lambda t: ["labelstudio", "config", "--out", t]),
]  # fmt: skip
IDS = [w.name for w in WRITERS]


def _sayso(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def _files(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {".": root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _command(writer: Writer) -> str:
    return writer.name.split(" ")[0]


@pytest.mark.parametrize("writer", WRITERS, ids=IDS)
def test_a_parent_that_is_a_file(writer: Writer, ws: Path) -> None:
    writer.setup(ws)
    Path("blocker").write_text("a file, not a folder\n", encoding="utf-8")
    code, _, err = _sayso(writer.argv("blocker/out"))
    assert code == 1
    shown = err.splitlines()[-1]
    assert shown.startswith(f"sayso {_command(writer)}: blocker/out")
    assert shown.endswith(": cannot be written: a parent of it is a file, not a folder"), err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert Path("blocker").read_text(encoding="utf-8") == "a file, not a folder\n"


@pytest.mark.parametrize("writer", [w for w in WRITERS if not w.folder], ids=lambda w: w.name)
def test_a_folder_where_the_file_goes(writer: Writer, ws: Path) -> None:
    writer.setup(ws)
    target = "taken.jsonl" if writer.name == "import gum (file)" else "taken"
    Path(target).mkdir()
    (Path(target) / "kept.txt").write_text("mine\n", encoding="utf-8")
    code, _, err = _sayso(writer.argv("taken"))
    assert (code, err) == (1, f"sayso {_command(writer)}: {target}: cannot be written: it is a folder\n")
    assert (Path(target) / "kept.txt").read_text(encoding="utf-8") == "mine\n"


@pytest.mark.parametrize("writer", WRITERS, ids=IDS)
def test_an_existing_target_is_untouched_without_force(writer: Writer, ws: Path) -> None:
    writer.setup(ws)
    code, _, err = _sayso(writer.argv("out"))
    assert code == 0, err
    target = Path("out.jsonl" if writer.name == "import gum (file)" else "out")
    written = _files(target)
    assert _sayso(writer.argv("out"))[0] == 0  # the same bytes again: nothing is overwritten
    assert _files(target) == written
    # Another hand changed one file: refused, and nothing in the target moves.
    first = target if target.is_file() else target / sorted(written)[0]
    first.write_bytes(b"changed by hand\n")
    before = _files(target)
    code, _, err = _sayso(writer.argv("out"))
    assert code == 1 and "Traceback" not in err
    assert f"{first}" in err and "--force" in err
    assert _files(target) == before
    assert _sayso(writer.argv("out") + ["--force"])[0] == 0
    assert _files(target) == written
