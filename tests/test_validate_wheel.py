"""The wheel carries the schema: an installed `sayso validate` works outside the checkout.

Builds the wheel (`pip wheel . --no-deps`), installs it into a fresh virtual environment with no
index, and validates fixtures copied to a folder outside the checkout. The fresh environment does
not see the checkout: jsonschema and its dependencies come from the test environment through a
`.pth` line, which adds their folder but processes none of its `.pth` files, so the editable
install of sayso there stays invisible. Slow (about 20 s) but run by default and in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def _run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _build_wheel(dist: Path, work: Path) -> Path:
    # Build from a copy of the sources so that no build/ or egg-info folder lands in the checkout
    # (a stale build/lib could leak deleted modules into the wheel).
    source = work / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in ("src", "schema"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, source / name)
    # Without build isolation the build uses this environment's setuptools: no network needed.
    wheel_cmd = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(dist)]
    done = _run(*wheel_cmd, "--no-build-isolation", cwd=work)
    if done.returncode != 0:  # e.g. an environment without setuptools: let pip fetch the build backend
        done = _run(*wheel_cmd, cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    [wheel] = dist.glob("sayso-*.whl")
    return wheel


@pytest.mark.slow
def test_installed_wheel_validates_outside_the_checkout(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    wheel = _build_wheel(tmp_path / "dist", tmp_path)

    env_dir = tmp_path / "env"
    done = _run(sys.executable, "-m", "venv", env_dir, cwd=outside)
    assert done.returncode == 0, done.stderr
    python = env_dir / "bin" / "python"
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=outside
        ).stdout.strip()
    )
    deps = {Path(jsonschema.__file__).resolve().parent.parent, Path(sysconfig.get_path("purelib")).resolve()}
    (purelib / "_sayso_test_deps.pth").write_text("".join(f"{d}\n" for d in sorted(deps)), encoding="utf-8")
    done = _run(python, "-m", "pip", "install", "--no-index", "--no-deps", "-q", wheel, cwd=outside)
    assert done.returncode == 0, done.stdout + done.stderr

    # The package and its schema files are the installed ones, not the checkout's.
    probe = (
        "import json, sayso, sayso.validate\n"
        "from importlib import resources\n"
        "schema = resources.files('sayso.schema').joinpath('document.schema.json')\n"
        "print(json.dumps([sayso.__file__, str(schema)]))"
    )
    done = _run(python, "-c", probe, cwd=outside)
    assert done.returncode == 0, done.stderr
    for location in json.loads(done.stdout):
        assert Path(location).resolve().is_relative_to(env_dir.resolve()), location
        assert not Path(location).resolve().is_relative_to(ROOT)

    for name in ("document.json", "two-documents.jsonl"):
        shutil.copy(FIXTURES / "valid" / name, outside / name)
    shutil.copy(FIXTURES / "invalid" / "unknown-label.json", outside / "bad.json")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    sayso = env_dir / "bin" / "sayso"
    done = _run(sayso, "validate", "document.json", "two-documents.jsonl", cwd=outside, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "3 documents, 0 errors, 0 warnings\n", "")
    done = _run(sayso, "validate", "bad.json", cwd=outside, env=env)
    assert done.returncode == 1
    assert done.stdout == (
        "bad.json:81: [unknown-label] $.mentions[6].type: 'PERSON' is not a mention_type label "
        "(one of PER, ORG, GPE, LOC, FAC, NORP, EVENT, LAW)\n"
        "1 documents, 1 errors, 0 warnings\n"
    )
    done = _run(sayso, "lint", "--no-allow", "document.json", cwd=outside, env=env)
    assert (done.returncode, done.stdout) == (0, "1 documents, 0 errors, 0 warnings\n")
