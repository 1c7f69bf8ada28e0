"""Documents and Label Studio results shared by the tests in this folder (plain helpers, no fixtures)."""

from __future__ import annotations

import copy
import random
import string

from sayso.labels import SCHEMA_VERSION
from sayso.labelstudio import document_to_result


def _span(text: str, needle: str, nth: int = 0, *, with_text: bool = True) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    span = {"start": start, "end": start + len(needle)}
    if with_text:
        span["text"] = needle
    return span


def unicode_document(doc_id: str = "sayso-9101") -> dict:
    """A document whose text has emoji, combining accents, a no-break space, CRLF and tabs.

    Offsets are code points: the flag is two code points, the combining acute one more, so a
    UTF-16 or byte-based converter would shift every span after them.
    """
    text = (
        "Caf\u00e9 talks \U0001f1fa\U0001f1e6 stall\r\n\r\n"
        "Jose\u0301 Mari\u0301n\u00a0Ortega said\tthe deal was \u201cdead\u201d \U0001f480.\r\n"
        "The Li\u0300ge\u0300 Council welcomed the pause, officials said.\r\n"
        "\tOrtega later criticised the Council."
    )
    m = [
        {
            "id": "m1",
            **_span(text, "Jose\u0301 Mari\u0301n\u00a0Ortega"),
            "type": "PER",
            "kind": "NAM",
            "entity": "e1",
        },
        {
            "id": "m2",
            **_span(text, "The Li\u0300ge\u0300 Council"),
            "type": "ORG",
            "kind": "NAM",
            "entity": "e2",
        },
        {"id": "m3", **_span(text, "officials"), "type": "PER", "kind": "NOM", "entity": "e3"},
        {"id": "m4", **_span(text, "Ortega", 1), "type": "PER", "kind": "NAM", "entity": "e1"},
        {"id": "m5", **_span(text, "Council", 1), "type": "ORG", "kind": "NOM", "entity": "e2"},
    ]
    return {
        "id": doc_id,
        "schema_version": SCHEMA_VERSION,
        "meta": {
            "title": "Caf\u00e9 talks \U0001f1fa\U0001f1e6 stall",
            "outlet": "SaySo Test Wire",
            "published": "2026-03-02",
            "language": "en",
            "url": None,
            "license": "CC-BY-4.0",
            "beat": "diplomacy",
            "phenomena": ["interrupted-quote", "stance-by-action"],
            "register": "wire",
        },
        "text": text,
        "mentions": m,
        "entities": [
            {"id": "e1", "name": "Jos\u00e9 Mar\u00edn Ortega", "type": "PER", "wikidata": None},
            {"id": "e2", "name": "The Li\u0300ge\u0300 Council", "type": "ORG", "wikidata": "Q4242"},
            {"id": "e3", "name": "officials | of the council", "type": "PER", "wikidata": None},
        ],
        "attributions": [
            {
                "id": "a1",
                "source": "m1",
                "cue": _span(text, "said"),
                "content": [
                    _span(text, "the deal was \u201cdead\u201d"),
                    _span(text, "\U0001f480", with_text=False),
                ],
                "quote": "mixed",
                "via": None,
                "identity": "named",
                "source_type": "political",
                "channel": "remarks",
            },
            {
                "id": "a2",
                "source": "m3",
                "cue": None,
                "content": [_span(text, "The Li\u0300ge\u0300 Council welcomed the pause")],
                "quote": "indirect",
                "via": "a1",
                "identity": "anonymous",
                "source_type": None,
                "channel": "unspecified",
            },
        ],
        "stances": [
            {
                "id": "s1",
                "holder": "m2",
                "target": "m1",
                "polarity": "support",
                "evidence": [_span(text, "welcomed the pause")],
                "attribution": "a2",
            },
            {
                "id": "s2",
                "holder": "m4",
                "target": "m5",
                "polarity": "oppose",
                "evidence": [_span(text, "criticised"), _span(text, "\tOrtega later", with_text=False)],
                "attribution": None,
            },
            {
                "id": "s3",
                "holder": "author",
                "target": "m2",
                "polarity": "neutral",
                "evidence": [_span(text, "stall")],
                "attribution": None,
            },
        ],
    }


def as_the_editor_submits(result: list) -> list:
    """What the Label Studio 1.23.2 editor sends when a pre-annotation is submitted unchanged
    (observed in Chromium): every item gains ``origin: prediction``; regions and their per-region
    items come first, then document-level items, then relations."""
    items = [
        {**item, "origin": "prediction"} if item.get("type") != "relation" else dict(item) for item in result
    ]
    regions = [i for i in items if i.get("type") != "relation" and "start" in i.get("value", {})]
    document = [i for i in items if i.get("type") != "relation" and "start" not in i.get("value", {})]
    relations = [i for i in items if i.get("type") == "relation"]
    return regions + document + relations


def editor_result(doc: dict, seed: int) -> list:
    """The result the editor writes when an annotator draws ``doc``'s annotations by hand: random
    region ids, ``origin: manual``, ``value.text`` as the browser shows it (whitespace collapsed,
    CRLF as two newlines), per-region items sharing the region id, relations without ``origin``."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "_-"
    ids: dict[str, str] = {}

    def new(rid: str) -> str:
        return ids.setdefault(rid, "".join(rng.choice(alphabet) for _ in range(10)))

    result, _ = document_to_result(doc)
    out = []
    for item in copy.deepcopy(result):
        if item["type"] == "relation":
            item["from_id"], item["to_id"] = new(item["from_id"]), new(item["to_id"])
        else:
            item["id"] = new(item["id"])
            item["origin"] = "manual"
            value = item["value"]
            if "start" in value and item["type"] != "textarea":
                shown = doc["text"][value["start"] : value["end"]].replace("\r\n", "\n\n")
                value["text"] = " ".join(shown.split(" "))  # what the DOM selection gives back
        out.append(item)
    return as_the_editor_submits(out)
