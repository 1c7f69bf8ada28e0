"""Argument types and the progress display shared by the commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

__all__ = ["bounded_int", "non_negative_int", "seed", "resamples", "port", "http_url", "progress_callback"]


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer in ``[low, high]`` (a usage error, exit 2, otherwise)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not between {low:,} and {high:,}")
        return number

    parse.__name__ = "integer"
    return parse


def non_negative_int(value: str) -> int:
    """An argparse type: an integer >= 0."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative")
    return number


def seed(value: str) -> int:
    """An argparse type: a random seed, 0 to 2**32 - 1 (what NumPy's generators accept)."""
    return bounded_int(0, 2**32 - 1)(value)


#: Bootstrap resamples and permutation trials: bounded, so a typo cannot run for days.
resamples = bounded_int(0, 100_000)
#: A TCP port.
port = bounded_int(1, 65_535)


def http_url(value: str) -> str:
    """An argparse type: an ``http://`` or ``https://`` address with a host (and a valid port)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises ValueError on a port out of range or not a number)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid address: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http:// or https:// address with a host")
    return value


def progress_callback(err: TextIO, forced: bool, verb: str, unit: str, every: int = 1000):
    """A callback writing ``<verb>: N <unit>`` to stderr every ``every`` items, when stderr is a
    terminal or ``forced``; None otherwise (the caller ends the line when done)."""
    if not (forced or (hasattr(err, "isatty") and err.isatty())):
        return None

    def show(done: int) -> None:
        if done % every == 0:
            err.write(f"\r{verb}: {done:,} {unit}")
            err.flush()

    return show
