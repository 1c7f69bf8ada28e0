"""A two-sentence toy document shared by the report and leaderboard tests (all layers, hand-made offsets)."""

from __future__ import annotations

TEXT = "Ann Lee said the plan works. Critics say Kestria lied."


def toy_document(
    doc_id: str, *, source_type: str = "political", polarity: str = "oppose", drop: bool = False
) -> dict:
    def span(s: str) -> tuple[int, int]:
        i = TEXT.index(s)
        return i, i + len(s)

    (a, b), (c, d), (e, f) = span("Ann Lee"), span("Critics"), span("Kestria")
    doc = {
        "id": doc_id,
        "schema_version": "1.0",
        "meta": {
            "title": f"Title {doc_id}",
            "outlet": "o",
            "published": "2026-01-01",
            "language": "en",
            "url": None,
            "license": "CC-BY-4.0",
            "beat": "politics",
            "phenomena": ["generic-source"],
        },
        "text": f"{TEXT} ({doc_id})",  # one text per document: the same text in two splits is a leak
        "mentions": [
            {
                "id": "m1",
                "start": a,
                "end": b,
                "text": "Ann Lee",
                "type": "PER",
                "kind": "NAM",
                "entity": "e1",
            },
            {
                "id": "m2",
                "start": c,
                "end": d,
                "text": "Critics",
                "type": "PER",
                "kind": "NOM",
                "entity": "e2",
            },
            {
                "id": "m3",
                "start": e,
                "end": f,
                "text": "Kestria",
                "type": "GPE",
                "kind": "NAM",
                "entity": "e3",
            },
        ],
        "entities": [
            {"id": "e1", "name": "Ann Lee", "type": "PER", "wikidata": None},
            {"id": "e2", "name": "Critics", "type": "PER", "wikidata": None},
            {"id": "e3", "name": "Kestria", "type": "GPE", "wikidata": None},
        ],
        "attributions": [
            {
                "id": "a1",
                "source": "m1",
                "cue": {"start": 8, "end": 12},
                "content": [{"start": 13, "end": 27}],
                "quote": "indirect",
                "via": None,
                "identity": "named",
                "source_type": source_type,
                "channel": "unspecified",
            },
            {
                "id": "a2",
                "source": "m2",
                "cue": {"start": 37, "end": 40},
                "content": [{"start": 41, "end": 53}],
                "quote": "indirect",
                "via": None,
                "identity": "generic",
                "source_type": "civilian",
                "channel": "unspecified",
            },
        ],
        "stances": [
            {
                "id": "s1",
                "holder": "m2",
                "target": "m3",
                "polarity": polarity,
                "evidence": [{"start": 41, "end": 53}],
                "attribution": "a2",
            }
        ],
    }
    if drop:
        doc["mentions"][2]["type"] = "ORG"  # a type error on Kestria
        doc["entities"][2]["type"] = "ORG"
        doc["attributions"] = doc["attributions"][:1]
        doc["stances"] = []
    return doc
