"""Find where a JSON path sits in a document's source text, for ``file:line`` in reports.

Python's ``json`` module keeps no positions, and computing them for every value would slow down
valid input (the validator's common case). So positions are found lazily, only for values an issue
points at, by re-scanning the source: :class:`Locator` walks from the root along the path, skipping
sibling values with the C decoder (``raw_decode``) and caching each container's child offsets, so
reporting many issues in one document costs about one extra parse, not one per issue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from json.decoder import scanstring

__all__ = ["Locator", "format_path", "duplicate_keys"]

Part = str | int

_WS = re.compile(r"[ \t\n\r]*")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DECODER = json.JSONDecoder()


def format_path(parts: Sequence[Part]) -> str:
    """``("mentions", 3, "end")`` -> ``$.mentions[3].end`` (quoted keys when not identifiers).

    >>> format_path(["meta", "a b", 0])
    "$.meta['a b'][0]"
    """
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            out.append("[" + repr(part) + "]")
    return "".join(out)


class Locator:
    """Character offsets of values inside one JSON text (parsed already, so known to be valid)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._children: dict[int, dict[Part, int]] = {}

    def _ws(self, pos: int) -> int:
        return _WS.match(self.raw, pos).end()

    def children(self, pos: int) -> dict[Part, int]:
        """Offsets of the values inside the container starting at ``pos`` (keys or indexes)."""
        cached = self._children.get(pos)
        if cached is not None:
            return cached
        raw = self.raw
        found: dict[Part, int] = {}
        opener = raw[pos]
        closer = "}" if opener == "{" else "]"
        cur = self._ws(pos + 1)
        index = 0
        while cur < len(raw) and raw[cur] != closer:
            if opener == "{":
                key, cur = scanstring(raw, cur + 1)
                cur = self._ws(cur)
                cur = self._ws(cur + 1)  # the colon
                found[key] = cur  # a repeated key: the last one wins, as in json.loads
            else:
                found[index] = cur
                index += 1
            _, cur = _DECODER.raw_decode(raw, cur)
            cur = self._ws(cur)
            if cur < len(raw) and raw[cur] == ",":
                cur = self._ws(cur + 1)
        self._children[pos] = found
        return found

    def offset(self, parts: Sequence[Part]) -> int:
        """Offset of the value at ``parts``, or of the deepest existing ancestor."""
        pos = self._ws(0)
        for part in parts:
            if pos >= len(self.raw) or self.raw[pos] not in "{[":
                break
            child = self.children(pos).get(part)
            if child is None:
                break
            pos = child
        return pos

    def line(self, parts: Sequence[Part]) -> int:
        """1-based line (relative to the text) of the value at ``parts``; 1 when it cannot be found."""
        try:
            return self.raw.count("\n", 0, self.offset(parts)) + 1
        except (ValueError, IndexError, RecursionError):
            return 1


def duplicate_keys(raw: str) -> Iterator[tuple[list[Part], str, int]]:
    """Yield ``(path of the object, repeated key, offset of the repeat)`` for every repeated key.

    Used only after ``json.loads`` has signalled that some object repeats a key.
    """
    raw_len = len(raw)

    def walk(pos: int, path: list[Part]) -> Iterator[tuple[list[Part], str, int]]:
        opener = raw[pos]
        if opener not in "{[":
            return
        closer = "}" if opener == "{" else "]"
        cur = _WS.match(raw, pos + 1).end()
        seen: set[str] = set()
        index = 0
        while cur < raw_len and raw[cur] != closer:
            if opener == "{":
                start = cur
                key, cur = scanstring(raw, cur + 1)
                if key in seen:
                    yield path, key, start
                seen.add(key)
                cur = _WS.match(raw, cur).end()
                cur = _WS.match(raw, cur + 1).end()
                child: Part = key
            else:
                child = index
                index += 1
            yield from walk(cur, [*path, child])
            _, cur = _DECODER.raw_decode(raw, cur)
            cur = _WS.match(raw, cur).end()
            if cur < raw_len and raw[cur] == ",":
                cur = _WS.match(raw, cur + 1).end()

    yield from walk(_WS.match(raw, 0).end(), [])
