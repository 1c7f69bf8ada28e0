"""Scoring hand-built documents through the one pipeline (``sayso.score.evaluate``).

Metric tests build minimal gold documents (id, text, layers); :func:`as_gold` completes them into
valid gold (schema version and meta), since the pipeline checks gold as ``sayso validate`` does.
"""

from __future__ import annotations

from typing import Any

from sayso.score import Options, evaluate

META = {
    "title": "t",
    "outlet": "o",
    "published": "2026-01-01",
    "language": "en",
    "url": None,
    "license": "CC-BY-4.0",
    "beat": None,
    "phenomena": None,
}


_ITEM_DEFAULTS = {
    "mentions": {"kind": "NAM", "entity": None},
    "entities": {"name": "", "type": None, "wikidata": None},
    "attributions": {
        "source": None,
        "cue": None,
        "quote": None,
        "via": None,
        "identity": None,
        "source_type": None,
        "channel": None,
    },
    # Evidence is not scored; a gold stance needs one span.
    "stances": {"evidence": [{"start": 0, "end": 1}], "attribution": None},
}


def as_gold(doc: dict) -> dict:
    """``doc`` with the fields every gold document has, where it lacks them: schema version,
    meta, every layer (null), the fields of each item (null, or an evidence span), and an
    entity for each entity id a mention names."""
    full = {"schema_version": "1.0", **doc, "meta": {**META, **(doc.get("meta") or {})}}
    for layer, defaults in _ITEM_DEFAULTS.items():
        items = full.setdefault(layer, None)
        if items is not None:
            full[layer] = [{**defaults, **item} for item in items]
    known = {e["id"] for e in full["entities"] or ()}
    for m in full["mentions"] or ():
        if m["entity"] is not None and m["entity"] not in known:
            entity = {"id": m["entity"], "name": "", "type": m["type"], "wikidata": None}
            full["entities"] = [*(full["entities"] or []), entity]
            known.add(m["entity"])
    return full


def as_prediction(doc: dict) -> dict:
    """``doc`` without entity ids that name no entity of the prediction (a test's shorthand for
    mentions of a system that does not link): a valid submission."""
    known = {e["id"] for e in doc.get("entities") or ()}
    mentions = doc.get("mentions")
    if not mentions or all(m.get("entity") in known or m.get("entity") is None for m in mentions):
        return doc
    return {**doc, "mentions": [m if m.get("entity") in known else {**m, "entity": None} for m in mentions]}


def score(gold: list[dict], pred: list[dict], **options: Any):
    """The :class:`~sayso.score.Result` of ``pred`` against ``gold`` (completed by :func:`as_gold`)."""
    options.setdefault("per_document", True)
    return evaluate([as_gold(d) for d in gold], [as_prediction(p) for p in pred], Options(**options))


def compare(gold: list[dict], a: list[dict], b: list[dict], trials: int = 1000, **options: Any):
    """The :class:`~sayso.score.Comparison` of two systems on ``gold``."""
    a, b = [as_prediction(p) for p in a], [as_prediction(p) for p in b]
    return evaluate([as_gold(d) for d in gold], a, Options(**options), compare=b, trials=trials)
