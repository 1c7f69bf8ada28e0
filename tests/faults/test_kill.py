"""Writers killed at random moments leave the whole old output or the whole new one, never a mix.

For each writer: a clean run gives the *new* output; in a fresh copy of the workspace two of its
files (one for single-file writers) are changed, which is the *old* output; the writer is then
started with ``--force`` and killed with SIGKILL after a random delay within the time a full run
takes. Whatever the moment, the output folder (ignoring the writer's own temporary and lock
files) must equal the old or the new output; the next run must finish the job and leave no
temporary file behind. Delays come from a seeded generator; how many kills land before, during
or after the swap varies with the machine, so the test asserts the invariant, not the mix.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random

import pytest

import sayso
from sayso.hf.synthetic import write_synthetic_corpus
from sayso.writing import TEMP_GLOB

ROOT = Path(__file__).resolve().parents[2]
KILLS = 6  # per writer; each costs one start of the interpreter
RUN = [sys.executable, "-c", "from sayso.cli import main; main()"]
# The children import the same sayso as this test (a checkout's src/ or an installed package).
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(sayso.__file__).parents[1]), *sys.path])}

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and renameat2 are POSIX/Linux")


@dataclass(frozen=True)
class Writer:
    name: str
    setup: Callable[[Path], None]  # fills an empty workspace with the writer's inputs
    argv: list[str]  # run in the workspace; --force is added for the runs over an old output
    target: str  # the file or folder written, relative to the workspace


def _synthetic(ws: Path) -> None:
    write_synthetic_corpus(ws / "corpus", 8, seed=5)


def _sources(ws: Path) -> None:
    (ws / "sources").mkdir()
    for name in ("sayso-0001.say", "sayso-0002.say", "sayso-0003.say", "sayso-0007.say"):
        shutil.copy(ROOT / "annotation" / "sources" / name, ws / "sources" / name)


def _leaderboard(ws: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from test_leaderboard import make_tree
    finally:
        sys.path.remove(str(ROOT / "tests"))
    make_tree(ws)


def _gum(ws: Path) -> None:
    gum = ROOT.parent / "shared" / "external" / "gum-news"
    if not (gum / "conllu").is_dir():
        pytest.skip("../shared/external/gum-news is absent (it is only beside a project checkout)")
    os.symlink(gum, ws / "gum")


WRITERS = [
    Writer("build", _synthetic, ["build", "--corpus", "corpus"], "corpus"),
    Writer("author compile", _sources, ["author", "compile", "--gold-dir", "gold", "sources"], "gold"),
    Writer(
        "leaderboard",
        _leaderboard,
        [
            "leaderboard",
            "--submissions",
            "subs",
            "--gold-dir",
            "gold",
            "--out-dir",
            "out",
            "--bootstrap",
            "50",
        ],
        "out",
    ),
    Writer("import gum", _gum, ["import", "gum", "gum", "--out", "out"], "out"),
    Writer(
        "baseline",
        _synthetic,
        [
            "baseline",
            "gold",
            "--split",
            "validation",
            "test",
            "--gold-dir",
            "corpus/gold",
            "--out-dir",
            "preds",
        ],
        "preds",
    ),
    Writer(
        "export",
        _synthetic,
        ["export", "conll", "--split", "train", "--gold-dir", "corpus/gold", "--out", "x.conll"],
        "x.conll",
    ),
    Writer("labelstudio config", lambda ws: None, ["labelstudio", "config", "--out", "ls.xml"], "ls.xml"),
]


def _is_own_temp(path: Path) -> bool:
    return path.match(TEMP_GLOB) or path.name.endswith(".sayso.lock")


def snapshot(ws: Path, target: str) -> dict[str, bytes]:
    """Every file of the output (the writer's temporary and lock files left out)."""
    root = ws / target
    if root.is_file():
        return {target: root.read_bytes()}
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(_is_own_temp(Path(part)) for part in path.relative_to(ws).parts):
            found[path.relative_to(ws).as_posix()] = path.read_bytes()
    return found


def leftovers(ws: Path, target: str) -> list[str]:
    parent = (ws / target).parent
    return sorted(p.name for p in parent.rglob("*") if p.match(TEMP_GLOB))


def _run(ws: Path, argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(RUN + argv, cwd=ws, env=ENV, capture_output=True, text=True, timeout=300)


def _age(ws: Path, new: dict[str, bytes], target: str) -> list[str]:
    """Change up to two output files (never a card: `sayso build` keeps a card's prose)."""
    names = [n for n in new if not n.endswith("README.md")][:2]
    for name in names:
        (ws / name).write_bytes(new[name] + b"\nold\n")
    return names


@pytest.mark.slow
@pytest.mark.parametrize("writer", WRITERS, ids=[w.name for w in WRITERS])
def test_a_killed_writer_leaves_the_old_or_the_new_output(writer: Writer, tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    writer.setup(base)
    first = _run(base, writer.argv)
    assert first.returncode == 0, first.stderr
    new = snapshot(base, writer.target)
    assert new
    rng = Random(f"kill {writer.name}")
    # How long a full run over an old output takes: the window the kills are spread over.
    timing = tmp_path / "timing"
    shutil.copytree(base, timing, symlinks=True)
    aged = _age(timing, new, writer.target)
    started = time.monotonic()
    assert _run(timing, writer.argv + ["--force"]).returncode == 0
    window = time.monotonic() - started
    assert snapshot(timing, writer.target) == new
    seen = {"old": 0, "new": 0}
    for kill in range(KILLS):
        ws = tmp_path / f"kill-{kill}"
        shutil.copytree(base, ws, symlinks=True)
        _age(ws, new, writer.target)
        old = snapshot(ws, writer.target)
        assert old != new and len([n for n in old if old[n] != new.get(n)]) == len(aged)
        process = subprocess.Popen(
            RUN + writer.argv + ["--force"],
            cwd=ws,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, window))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(ws, writer.target)
        assert after in (old, new), (
            f"kill {kill} of {writer.name} left a mix: "
            f"{sorted(n for n in after if after.get(n) != old.get(n))} new, "
            f"{sorted(n for n in after if after.get(n) != new.get(n))} old"
        )
        seen["old" if after == old else "new"] += 1
        # The next run finishes the job and clears what the killed one left.
        again = _run(ws, writer.argv + ["--force"])
        assert again.returncode == 0, again.stderr
        assert snapshot(ws, writer.target) == new
        assert leftovers(ws, writer.target) == []
    assert sum(seen.values()) == KILLS


SETS = [w for w in WRITERS if w.name not in ("export", "labelstudio config")]
# Where the writer kills itself (sayso.writing's SAYSO_FAULT) and which output that must leave.
POINTS = [("file", "old"), ("staged", "old"), ("swap", "old"), ("swapped", "new")]


def _killed_at(writer: Writer, tmp_path: Path, fault: str) -> tuple[Path, dict, dict]:
    ws = tmp_path / "ws"
    ws.mkdir()
    writer.setup(ws)
    assert _run(ws, writer.argv).returncode == 0
    new = snapshot(ws, writer.target)
    _age(ws, new, writer.target)
    old = snapshot(ws, writer.target)
    env = {**ENV, "SAYSO_FAULT": fault}
    killed = subprocess.run(
        RUN + writer.argv + ["--force"], cwd=ws, env=env, capture_output=True, timeout=300
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    return ws, old, new


@pytest.mark.parametrize("point, left", POINTS)
@pytest.mark.parametrize("writer", SETS, ids=[w.name for w in SETS])
def test_a_set_killed_at_each_step_of_its_swap(writer: Writer, point: str, left: str, tmp_path: Path) -> None:
    ws, old, new = _killed_at(writer, tmp_path, point)
    assert snapshot(ws, writer.target) == {"old": old, "new": new}[left]
    assert _run(ws, writer.argv + ["--force"]).returncode == 0
    assert snapshot(ws, writer.target) == new and leftovers(ws, writer.target) == []


@pytest.mark.parametrize("writer", SETS, ids=[w.name for w in SETS])
def test_the_fallback_swap_killed_between_its_renames_is_recovered(writer: Writer, tmp_path: Path) -> None:
    # Without renameat2 the swap is two renames; between them the folder is absent and the old
    # set waits, whole, under a temporary name that the next writer of the folder puts back.
    ws, old, new = _killed_at(writer, tmp_path, "no-exchange,fallback")
    target = ws / writer.target
    assert not target.exists()
    (waiting,) = target.parent.glob(f".{target.name}.sayso-old-*.tmp")
    waiting.rename(tmp_path / "restored")
    moved = {k.replace(writer.target, "restored", 1): v for k, v in old.items()}
    assert snapshot(tmp_path, "restored") == moved
    (tmp_path / "restored").rename(waiting)
    env = {**ENV, "SAYSO_FAULT": "no-exchange"}
    again = subprocess.run(RUN + writer.argv + ["--force"], cwd=ws, env=env, capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert snapshot(ws, writer.target) == new and leftovers(ws, writer.target) == []


@pytest.mark.parametrize("writer", [w for w in WRITERS if w not in SETS], ids=lambda w: w.name)
def test_a_single_file_killed_before_its_rename(writer: Writer, tmp_path: Path) -> None:
    ws, old, new = _killed_at(writer, tmp_path, "file")
    assert snapshot(ws, writer.target) == old
    assert len(leftovers(ws, writer.target)) == 1  # the dead writer's temporary file...
    assert _run(ws, writer.argv + ["--force"]).returncode == 0
    assert snapshot(ws, writer.target) == new and leftovers(ws, writer.target) == []  # ...removed
