"""Every workflow a user or CI runs: ``nox -l`` lists them.

The README's two commands are ``nox -s demo`` (set up, build and validate the corpus, run a
baseline, score it, print the table) and ``nox -s tests`` (the whole suite, which ``.ci/run``
runs too).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

LABEL_STUDIO_VENV = ROOT / ".nox" / "labelstudio-server"


def _install_label_studio(session: nox.Session) -> None:
    """Label Studio pins its own SDK exactly, so the server lives in its own virtual environment."""
    script = ROOT / "tools" / "install-labelstudio.sh"
    if script.exists():
        session.run("bash", str(script), str(LABEL_STUDIO_VENV), external=True)
        session.env["SAYSO_LABEL_STUDIO"] = str(LABEL_STUDIO_VENV / "bin" / "label-studio")


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """The whole test suite, with a real Label Studio server and headless Chromium."""
    session.install("-e", ".[dev,hf,agree,labelstudio,baselines]")
    _install_label_studio(session)
    session.run("bash", str(ROOT / "tools" / "install-chromium.sh"), external=True)
    session.run("pytest", *(session.posargs or ["-q"]))


@nox.session(python="3.11")
def annotate(session: nox.Session) -> None:
    """A local Label Studio on 127.0.0.1:8080 with the SaySo project ready (Ctrl-C stops it).

    ``nox -s annotate -- FILES...`` also pushes documents as tasks (add ``--predictions`` to
    pre-annotate them with their own layers); see annotation/CONTRIBUTING.md.
    """
    session.install("-e", ".[labelstudio]")
    _install_label_studio(session)
    executable = str(LABEL_STUDIO_VENV / "bin" / "label-studio")
    session.run("sayso", "labelstudio", "serve", "--executable", executable, *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff over the code, tests and benchmarks: lint rules and formatting."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "src", "tests", "benchmarks", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "benchmarks", "noxfile.py")


@nox.session(python="3.11")
def validate(session: nox.Session) -> None:
    """Validate the corpus: schema levels 1-4, then the consistency warnings."""
    session.install("-e", ".")
    session.run("sayso", "author", "compile", "--check", "annotation/sources")
    session.run("sayso", "author", "splits", "--check", "annotation/sources")
    session.run("sayso", "validate", "corpus/gold")
    session.run("sayso", "lint", "corpus/gold")


@nox.session(python="3.11")
def build(session: nox.Session) -> None:
    """Build the wheel, install it into a clean environment and validate a fixture with it."""
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.install("build")
    session.run("python", "-m", "build", "--wheel", "--outdir", str(dist))
    wheel = next(dist.glob("sayso-*.whl"))
    tmp = Path(session.create_tmp())
    env_dir = tmp / "clean-env"
    shutil.rmtree(env_dir, ignore_errors=True)
    session.run("python", "-m", "venv", str(env_dir))
    session.run(str(env_dir / "bin" / "pip"), "install", "-q", str(wheel), external=True)
    fixture = next((ROOT / "tests" / "fixtures" / "valid").glob("*.json"))
    with session.chdir(tmp):
        session.run(str(env_dir / "bin" / "sayso"), "validate", str(fixture), external=True)


@nox.session(python="3.11")
def demo(session: nox.Session) -> None:
    """The main job: build and validate the corpus, run the rules baseline, score it, report."""
    session.install("-e", ".[hf,baselines]")
    session.run("sayso", "validate", "corpus/gold")
    session.run("sayso", "build", "--check")
    out = ROOT / "out"  # ignored by git; the report stays where the README says
    out.mkdir(exist_ok=True)
    pred = out / "rules-test.jsonl"
    session.run("sayso", "baseline", "rules", "--split", "test", "--out", str(pred), "--force")
    session.run(
        "sayso",
        "score",
        "--gold",
        "corpus/gold",
        "--split",
        "test",
        "--pred",
        str(pred),
        "--bootstrap",
        "1000",
    )
    report = out / "report.html"
    session.run(
        "sayso",
        "report",
        "--gold",
        "corpus/gold",
        "--split",
        "test",
        "--pred",
        str(pred),
        "--out",
        str(report),
        "--force",
    )
    session.log(f"report written to {os.path.relpath(report, ROOT)}")


@nox.session(python="3.11")
def regenerate(session: nox.Session) -> None:
    """Rebuild every committed artifact derived from the gold, in dependency order.

    Run after any change to the corpus; tests fail while an artifact is stale.
    """
    session.install("-e", ".[hf,baselines,agree]")
    session.run("sayso", "author", "compile", "annotation/sources")
    session.run("sayso", "validate", "corpus/gold")
    session.run("sayso", "lint", "corpus/gold")
    session.run("sayso", "baseline", "train", "--force")
    session.run("sayso", "baseline", "all", "--force")
    gum = ROOT.parent / "shared" / "external" / "gum-news"
    if gum.is_dir():
        session.run("sayso", "import", "gum-eval", str(gum), "--out-dir", "eval/ood", "--force")
    else:
        session.warn("../shared/external/gum-news is absent: eval/ood left as it is")
    session.run("sayso", "leaderboard", "--force")
    session.run("sayso", "build", "--force")
