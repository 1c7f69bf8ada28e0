"""Read GUM's eRST discourse trees (rstWeb ``.rs4`` XML): nodes, relations and signals.

Segments hold space-separated tokens; numbering them from 1 through the document gives the
token numbers that signals use, and they are the CoNLL-U words in order (checked by the import).
A node's ``parent`` and ``relname`` say how it attaches: a satellite's parent is its nucleus.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Node", "Signal", "RstDocument", "RstError", "read_rs4", "ATTRIBUTION_RELATIONS"]

ATTRIBUTION_RELATIONS = ("attribution-positive", "attribution-negative")


class RstError(ValueError):
    """An ``.rs4`` file that cannot be read."""


@dataclass(slots=True)
class Node:
    id: str
    kind: str  # "segment", "span" or "multinuc"
    parent: str | None
    relname: str | None
    tokens: list[int] = field(default_factory=list)  # document token numbers (segments only)


@dataclass(frozen=True, slots=True)
class Signal:
    source: str  # the node carrying the signalled relation
    type: str
    subtype: str
    tokens: tuple[int, ...]


@dataclass(slots=True)
class RstDocument:
    nodes: dict[str, Node]
    signals: list[Signal]
    token_forms: list[str]  # token number n is token_forms[n - 1]

    def children(self) -> dict[str, list[str]]:
        """Node id -> ids of the nodes whose parent it is, in document order."""
        out: dict[str, list[str]] = {}
        for node in self.nodes.values():
            if node.parent is not None:
                out.setdefault(node.parent, []).append(node.id)
        return out

    def subtree_tokens(self, node_id: str, exclude: set[str] = frozenset()) -> list[int]:
        """Token numbers of ``node_id`` and all its descendants, except the subtrees in ``exclude``."""
        children = self.children()
        out: list[int] = []
        stack = [node_id]
        while stack:
            current = stack.pop()
            if current in exclude:
                continue
            out.extend(self.nodes[current].tokens)
            stack.extend(children.get(current, ()))
        return sorted(out)


def read_rs4(path: str | Path) -> RstDocument:
    """Parse one ``.rs4`` file."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise RstError(f"not readable XML: {exc}") from exc
    body = root.find("body")
    if body is None:
        raise RstError("no <body> element")
    nodes: dict[str, Node] = {}
    forms: list[str] = []
    for element in body.iter():
        if element.tag not in ("segment", "group"):
            continue
        node_id = element.get("id")
        if node_id is None:
            raise RstError(f"a <{element.tag}> without an id")
        node = Node(
            node_id,
            "segment" if element.tag == "segment" else element.get("type", "span"),
            element.get("parent"),
            element.get("relname"),
        )
        if element.tag == "segment":
            words = (element.text or "").split()
            node.tokens = list(range(len(forms) + 1, len(forms) + len(words) + 1))
            forms.extend(words)
        nodes[node_id] = node
    signals = []
    for element in body.iter("signal"):
        tokens = tuple(int(t) for t in (element.get("tokens") or "").split(",") if t.strip())
        get = element.get
        signals.append(Signal(get("source", ""), get("type", ""), get("subtype", ""), tokens))
    return RstDocument(nodes, signals, forms)
