"""The scorer's clean check on a raw line of a submission, decoded by msgspec into typed records.

The parallel paths (``_parallel``) read a prediction line by parsing it (``io.parse_clean``) and
checking the parsed dict (:func:`~sayso.score._check.clean_mention_spans`). Most of that time goes
to building dicts and testing each field's type in Python. Here msgspec decodes the line straight
into records whose field types, labels and allowed fields come from the same sources as that check
(:func:`~sayso.score._check._clean_rules`: the submission schema and labels.json) and tests them in
C; what is left (offsets within the text, span texts, repeated ids, spans and keys) is tested
below. It is never looser than the ordinary reading and check: None means "read and check this
line the ordinary way", which then accepts it, or reports or rejects it as before
(``tests/test_score_fast_check.py`` fuzzes the two against each other).

Repeated keys, which msgspec (like json) silently drops, are ruled out by counting: every key of
the source has its own ``:``, so when the line holds exactly as many colons as the keys the
records received, no key was repeated. A colon anywhere else (inside a string) makes it unsure,
and the ordinary path decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal

from ._check import _clean_rules

__all__ = ["clean_line"]

Span = tuple[int, int, str]


@cache
def _decoder() -> Any:
    """A decoder of a prediction of the mentions layer alone, or None without msgspec."""
    try:
        import msgspec
        from msgspec import UNSET, Meta, UnsetType
    except ImportError:  # pragma: no cover - msgspec is a dependency
        return None
    _, fields, types, kinds = _clean_rules()
    kind_type: Any = Literal[tuple(sorted(k for k in kinds if k is not None))]
    if None in kinds:
        kind_type = kind_type | None
    declared = [
        ("id", Annotated[str, Meta(min_length=1)]),
        ("start", int),
        ("end", int),
        ("type", Literal[tuple(sorted(types))]),
        ("kind", kind_type | UnsetType, UNSET),
        ("text", str | UnsetType, UNSET),
        ("entity", None | UnsetType, UNSET),  # no entities layer: any entity would dangle
    ]
    # Only fields the schema allows: a field the schema has and this list lacks is refused here
    # (the ordinary check decides), never accepted unchecked.
    declared = [d for d in declared if d[0] in fields]
    mention = msgspec.defstruct("CleanMention", declared, forbid_unknown_fields=True)
    document = msgspec.defstruct(
        "CleanPrediction",
        [("id", str), ("mentions", list[mention] | None | UnsetType, UNSET)],
        forbid_unknown_fields=True,
    )
    return msgspec.json.Decoder(document).decode, msgspec.MsgspecError, UNSET


def clean_line(
    line: str, gold: Mapping[str, Mapping[str, Any]], all_kinds: bool
) -> tuple[str, list[Span], bool] | None:
    """``(id, scored spans, whether it has a list of mentions)`` of a prediction line when it
    is certainly a clean prediction of a gold document of ``gold`` (what reading it with
    ``io.parse_clean`` and checking it with ``clean_mention_spans`` against that document's
    text would accept, with the same spans), else None: decide the ordinary way."""
    decoder = _decoder()
    if decoder is None:  # pragma: no cover - msgspec is a dependency
        return None
    decode, error, unset = decoder
    try:
        doc = decode(line)
    except (error, RecursionError):
        return None
    id_pattern = _clean_rules()[0]
    gold_doc = gold.get(doc.id)
    if gold_doc is None or id_pattern.search(doc.id) is None:
        return None
    mentions = doc.mentions
    if mentions is unset or mentions is None:
        keys = 1 if mentions is unset else 2
        return (doc.id, [], False) if line.count(":") == keys else None
    text = gold_doc["text"]
    length = len(text)
    keys = 2 + 4 * len(mentions)
    ids: set[str] = set()
    spans: set[Span] = set()
    scored: list[Span] = []
    for m in mentions:
        start, end = m.start, m.end
        if not 0 <= start < end <= length:
            return None
        kind = m.kind
        if kind is unset:
            kind = None
        else:
            keys += 1
        if m.text is not unset:
            keys += 1
            if m.text != text[start:end]:
                return None
        if m.entity is not unset:
            keys += 1
        key = (start, end, m.type)
        spans.add(key)
        ids.add(m.id)
        if all_kinds or kind is None or kind == "NAM":  # a missing or null kind counts as a name
            scored.append(key)
    if len(ids) != len(mentions) or len(spans) != len(mentions) or line.count(":") != keys:
        return None  # a repeated id or span (reported the ordinary way), or maybe a repeated key
    return doc.id, scored, True
