"""A real Label Studio for the tests in this folder, and documents that stress offsets.

The server is installed by ``bash tools/install-labelstudio.sh`` (or the nox test session) into
``.nox/labelstudio-server``; ``SAYSO_LABEL_STUDIO`` may point at another ``label-studio``
executable. This fixture installs nothing: it starts the server headless on a free loopback
port with a temporary data dir and stops it at the end of the session. Without a server the
tests skip, except under ``CI=true``, where a missing server is a failure.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from sayso.labels import SCHEMA_VERSION
from sayso.labelstudio.server import ENV_EXECUTABLE, find_executable, start

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "5a7e0c1d9b3f4e2a8c6d0b1f3e5a7c9d1b3f5e7a"  # a throwaway key for the throwaway server


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    """The running server (:class:`sayso.labelstudio.server.LocalServer`)."""
    executable = find_executable(ROOT)
    if executable is None:
        reason = (
            "Label Studio is not installed: run `bash tools/install-labelstudio.sh` "
            f"(or set {ENV_EXECUTABLE} "
            "to a label-studio executable)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the Label Studio tests", pytrace=False)
        pytest.skip(reason)
    server = start(executable, tmp_path_factory.mktemp("label-studio-data"), token=API_KEY)
    yield server
    server.stop()


_names = (f"sayso test {n}" for n in itertools.count(1))


@pytest.fixture
def project_name() -> str:
    """A project title no other test uses (the server lives for the whole session)."""
    return next(_names)


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


@pytest.fixture
def unicode_doc() -> dict:
    return unicode_document()
