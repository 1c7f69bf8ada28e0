"""Mentions and entities shared by the rules and learned baselines.

A :class:`MentionTable` collects the mentions a system proposes (named mentions from a tagger,
plus the descriptive and pronoun mentions that attribution and stance rules create for their
sources, holders and targets), clusters them into entities with documented heuristics, and
renders schema v1 ``mentions`` and ``entities`` with ids in text order.

Clustering (why: cheap, predictable, and right for news style, where a person is introduced by
full name and then referred to by surname or pronoun):
- named mentions with the same normalised string and type are one entity;
- a one-word PER mention equal to the last word of an earlier PER entity's name joins it;
- a PER pronoun joins the nearest preceding PER entity that has a named mention;
- every other mention is its own entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._resources import lexicon

__all__ = ["Mention", "MentionTable", "SPACY_TO_SAYSO"]

# OntoNotes labels of spaCy's English models -> SaySo mention types; the rest are not mentions.
SPACY_TO_SAYSO = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "FAC",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "LAW": "LAW",
}

_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


@dataclass(eq=False)
class Mention:
    """A proposed mention; ``id`` and ``entity`` are assigned by :meth:`MentionTable.render`."""

    start: int
    end: int
    type: str
    kind: str  # NAM, NOM or PRO
    id: str | None = None
    entity: str | None = None
    # (organisation names, role words) seen around this mention as a source; see _candidates._context
    roles: list[tuple[list[str], str]] = field(default_factory=list)


def _norm(text: str) -> str:
    text = _POSSESSIVE.sub("", text.strip())
    if text.lower().startswith("the "):
        text = text[4:]
    return " ".join(text.split()).lower()


class MentionTable:
    """The mentions of one document, deduplicated by (start, end, type)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._by_key: dict[tuple[int, int, str], Mention] = {}

    def add(self, start: int, end: int, type_: str, kind: str) -> Mention:
        """Add a mention, or return the existing one with the same span and type."""
        key = (start, end, type_)
        found = self._by_key.get(key)
        if found is None:
            found = self._by_key[key] = Mention(start, end, type_, kind)
        return found

    def covering(self, start: int, end: int) -> Mention | None:
        """The shortest mention whose span contains [start, end), if any."""
        best = None
        for m in self._by_key.values():
            if m.start <= start and end <= m.end:
                if best is None or m.end - m.start < best.end - best.start:
                    best = m
        return best

    def inside(self, start: int, end: int) -> list[Mention]:
        """Named mentions inside [start, end), in text order."""
        found = [m for m in self._by_key.values() if start <= m.start and m.end <= end and m.kind == "NAM"]
        return sorted(found, key=lambda m: (m.start, -m.end))

    def mentions(self) -> list[Mention]:
        return sorted(self._by_key.values(), key=lambda m: (m.start, -m.end, m.type))

    def render(self, used: set[int] | None = None) -> tuple[list[dict], list[dict]]:
        """Assign ids and entities; return schema v1 ``(mentions, entities)``.

        ``used`` holds ``id()`` of NOM/PRO mentions that some record refers to; other NOM/PRO
        mentions are dropped, since the schema annotates them only in those roles.
        """
        keep = [m for m in self.mentions() if m.kind == "NAM" or (used is not None and id(m) in used)]
        gazetteer = lexicon("wikidata")
        entities: list[dict] = []
        by_name: dict[tuple[str, str], dict] = {}
        last_person: dict | None = None
        out: list[dict] = []
        for number, m in enumerate(keep, start=1):
            m.id = f"m{number}"
            surface = self.text[m.start : m.end]
            entity = None
            if m.kind == "NAM":
                key = (_norm(surface), m.type)
                entity = by_name.get(key)
                if entity is None and m.type == "PER" and " " not in key[0]:
                    entity = next(
                        (
                            e
                            for e in reversed(entities)
                            if e["type"] == "PER" and _norm(e["name"]).split()[-1:] == [key[0]]
                        ),
                        None,
                    )
                if entity is not None:
                    by_name.setdefault(key, entity)
            elif m.kind == "PRO" and m.type == "PER":
                entity = last_person
            if entity is None:
                qid = gazetteer.get(m.type, {}).get(surface) if m.kind == "NAM" else None
                entity = {"id": f"e{len(entities) + 1}", "name": surface, "type": m.type, "wikidata": qid}
                entities.append(entity)
                if m.kind == "NAM":
                    by_name[(_norm(surface), m.type)] = entity
            if m.type == "PER" and m.kind == "NAM":
                last_person = entity
            m.entity = entity["id"]
            out.append(
                {
                    "id": m.id,
                    "start": m.start,
                    "end": m.end,
                    "text": surface,
                    "type": m.type,
                    "kind": m.kind,
                    "entity": m.entity,
                }
            )
        return out, entities
