"""Synthetic, schema-valid SaySo documents for tests and benchmarks (never for the corpus).

Every offset is computed while the text is assembled, so the documents pass level 3 of the
validator. The names are invented and the sentences templated: they exercise every layer and
edge case the build must carry (agentless and relayed attributions, null cues, author stances,
multi-span content, nested mentions, optional meta keys) at any size, deterministically per seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from ..labels import SCHEMA_VERSION, label_names

__all__ = ["synthetic_document", "synthetic_corpus", "write_synthetic_corpus"]

_PEOPLE = [
    "Lena Okafor",
    "Tomas Verheyen",
    "Aiko Brandt",
    "Ruth Mbeki-Salo",
    "Ivo Castellan",
    "Nadia Ferrante",
]
_ORGS = [
    "the Harbour Daily",
    "Velmora Grid Company",
    "the Tarsk Institute",
    "Northline Rail",
    "the Civic Alliance",
]
_PLACES = ["Velmora", "Tarsk", "Osterhal", "Maribeth"]
_VERBS = ["said", "told reporters", "wrote", "argued", "warned"]
_CLAIMS = [
    "the crossing would reopen within a week",
    "the plan was too expensive for the region",
    "prices had risen for a third month",
    "the talks had stalled over water rights",
]


class _Writer:
    """Appends text and records spans; offsets are code points into the final text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(piece)
        self.length += len(piece)
        return start, self.length

    @property
    def text(self) -> str:
        return "".join(self.parts)


def synthetic_document(number: int, seed: int = 0, paragraphs: int = 6) -> dict:
    """One valid document ``synth-<number>``; ``paragraphs`` sets its size (about 45 words each)."""
    rng = random.Random(seed * 1_000_003 + number)
    w = _Writer()
    mentions: list[dict] = []
    entity_of: dict[str, str] = {}
    entities: list[dict] = []
    attributions: list[dict] = []
    stances: list[dict] = []

    def mention(name: str, type_: str, kind: str = "NAM", entity_name: str | None = None) -> str:
        start, end = w.add(name)
        key = entity_name or name
        if key not in entity_of:
            entity_of[key] = f"e{len(entities) + 1}"
            wikidata = "Q1" + str(len(entities)) if type_ == "GPE" and rng.random() < 0.3 else None
            entities.append({"id": entity_of[key], "name": key, "type": type_, "wikidata": wikidata})
        mid = f"m{len(mentions) + 1}"
        mentions.append(
            {
                "id": mid,
                "start": start,
                "end": end,
                "text": name,
                "type": type_,
                "kind": kind,
                "entity": entity_of[key],
            }
        )
        return mid

    def span(piece: str) -> dict:
        start, end = w.add(piece)
        return {"start": start, "end": end, "text": piece}

    place = rng.choice(_PLACES)
    mention(place, "GPE")
    w.add(f" weighs new rules after talks\n\n{place.upper()}, March {1 + number % 28} (SaySo Wire) - ")
    for p in range(paragraphs):
        person, org = rng.choice(_PEOPLE), rng.choice(_ORGS)
        aid = f"a{len(attributions) + 1}"
        choice = p % 4
        if choice == 0:  # named direct quote with a stance
            w.add('"')
            content = span(f"We will not accept that {rng.choice(_CLAIMS)}")
            w.add(',"')
            w.add(" ")
            src = mention(person, "PER")
            w.add(" ")
            cue = span(rng.choice(_VERBS))
            w.add(". ")
            target = mention(place, "GPE")
            w.add(" has not answered.")
            attributions.append(
                {
                    "id": aid,
                    "source": src,
                    "cue": cue,
                    "content": [content],
                    "quote": "direct",
                    "via": None,
                    "identity": "named",
                    "source_type": "political",
                    "channel": "remarks",
                }
            )
            stances.append(
                {
                    "id": f"s{len(stances) + 1}",
                    "holder": src,
                    "target": target,
                    "polarity": "oppose",
                    "evidence": [content],
                    "attribution": aid,
                }
            )
        elif choice == 1:  # an outlet relaying anonymous officials (via)
            outlet = mention(org[0].upper() + org[1:], "ORG")
            w.add(" ")
            cue = span("reported")
            w.add(", ")
            cue2 = span("citing")
            w.add(" ")
            officials = mention("two officials", "PER", "NOM", f"officials {p}")
            w.add(", that ")
            content = span(rng.choice(_CLAIMS))
            w.add(".")
            attributions.append(
                {
                    "id": aid,
                    "source": outlet,
                    "cue": cue,
                    "content": [content],
                    "quote": "indirect",
                    "via": None,
                    "identity": "named",
                    "source_type": "media",
                    "channel": "media_report",
                }
            )
            attributions.append(
                {
                    "id": f"a{len(attributions) + 1}",
                    "source": officials,
                    "cue": cue2,
                    "content": [content],
                    "quote": "indirect",
                    "via": aid,
                    "identity": "anonymous",
                    "source_type": "government",
                    "channel": "unspecified",
                }
            )
        elif choice == 2:  # agentless, no cue span, two content spans
            first = span(f"The vote in {place} was delayed")
            w.add(" and, reportedly, ")
            second = span("a new date is unlikely before June")
            w.add(".")
            attributions.append(
                {
                    "id": aid,
                    "source": None,
                    "cue": None,
                    "content": [first, second],
                    "quote": "indirect",
                    "via": None,
                    "identity": "generic",
                    "source_type": "unknown",
                    "channel": "unspecified",
                }
            )
        else:  # an author stance and a nested mention
            w.add("The decision by the ")
            target = mention(f"{place} Transport Board", "ORG")
            w.add(" ")
            ev = span("looks hasty")
            w.add(", and the émigré group Pasé ")
            w.add("said nothing.")
            stances.append(
                {
                    "id": f"s{len(stances) + 1}",
                    "holder": "author",
                    "target": target,
                    "polarity": rng.choice(label_names("polarity")),
                    "evidence": [ev],
                    "attribution": None,
                }
            )
        w.add("\n\n" if p % 2 else " ")
    text = w.text.rstrip()
    meta = {
        "title": text.split("\n", 1)[0],
        "outlet": "SaySo Wire",
        "published": f"2026-03-{1 + number % 28:02d}",
        "language": "en",
        "url": None,
        "license": "CC-BY-4.0",
        "beat": rng.choice(label_names("beat")),
        "phenomena": ["nested-attribution", "agentless-attribution"] if paragraphs > 2 else [],
    }
    if number % 2:
        meta["register"] = "wire"
    nested = [m for m in mentions if m["text"].endswith("Transport Board")]
    for outer in nested:  # the place name inside "<place> Transport Board" is a mention too
        inner_end = outer["start"] + len(place)
        entity = next(e["id"] for e in entities if e["name"] == place)
        mentions.append(
            {
                "id": "",
                "start": outer["start"],
                "end": inner_end,
                "text": place,
                "type": "GPE",
                "kind": "NAM",
                "entity": entity,
            }
        )
    order = sorted(mentions, key=lambda m: (m["start"], -m["end"]))
    rename = {id(m): f"m{i + 1}" for i, m in enumerate(order)}
    old_to_new = {m["id"]: rename[id(m)] for m in mentions if m["id"]}
    for m in order:
        m["id"] = rename[id(m)]
    for a in attributions:
        a["source"] = old_to_new.get(a["source"]) if a["source"] else None
    for s in stances:
        s["target"] = old_to_new[s["target"]]
        if s["holder"] != "author":
            s["holder"] = old_to_new[s["holder"]]
    return {
        "id": f"synth-{number:05d}",
        "schema_version": SCHEMA_VERSION,
        "meta": meta,
        "text": text,
        "mentions": order,
        "entities": entities,
        "attributions": attributions,
        "stances": stances,
    }


def synthetic_corpus(count: int, seed: int = 0, paragraphs: int = 6) -> Iterator[tuple[str, dict]]:
    """``(split, document)`` pairs: about half train, a sixth validation, a third test."""
    splits = ("train", "train", "train", "validation", "test", "test")
    for number in range(count):
        yield splits[number % len(splits)], synthetic_document(number, seed, paragraphs)


def write_synthetic_corpus(folder, count: int, seed: int = 0, paragraphs: int = 6) -> list[tuple[str, dict]]:
    """Write ``count`` synthetic documents as ``folder/gold/<split>/<id>.json``; return them."""
    from pathlib import Path

    from ..io import write_json_atomic

    docs = list(synthetic_corpus(count, seed, paragraphs))
    for split, doc in docs:
        write_json_atomic(Path(folder) / "gold" / split / f"{doc['id']}.json", doc)
    return docs
