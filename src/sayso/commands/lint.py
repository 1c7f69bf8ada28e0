"""``sayso lint PATH...``: validation plus the consistency warnings, with the allow-list applied."""

from __future__ import annotations

import argparse
from typing import TextIO

from .validate import add_common, run_checks

HELP = "consistency warnings for gold annotations"


def configure(parser: argparse.ArgumentParser) -> None:
    add_common(parser)


def main(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    # Same as `sayso validate --strict`: warnings need documents that pass levels 1-3 first.
    return run_checks(args, out, err, kind="document", strict=True)
