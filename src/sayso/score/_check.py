"""The one check of a predicted document: the validator's submission checks against its gold.

A prediction is checked once, here: JSON Schema and level-3 checks of ``sayso validate
--kind submission`` (:func:`sayso.validate.validate_document`), with spans checked against the
text of the gold document of the same id, after a look at the document's own ``text``. Codes are
the validator's (``schema/README.md``) plus the ``score-*`` codes of :data:`CHECK_CODES`
(``eval/METRICS.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..issues import Issue

__all__ = ["CHECK_CODES", "check_prediction", "schema_view"]

CHECK_CODES = {
    "score-unknown-id": "a predicted document id that is not the id of any gold document read",
    "score-duplicate-id": "a predicted document id given twice",
    "score-text-mismatch": "a predicted document's text differs from the gold text",
    "score-split-mismatch": "no prediction is for a gold document of the split scored",
    "score-missing-documents": "(warning) gold documents without a prediction, scored as empty",
    "score-type-map": "a type map file that is unreadable or malformed",
}


def check_prediction(
    doc: Any,
    gold_text: str | None,
    *,
    path: str = "<memory>",
    line: int = 1,
    raw: str | None = None,
    pred_types: Mapping | None = None,
) -> list[Issue]:
    """Every error of one predicted document whose gold document has ``gold_text``.

    ``gold_text`` None: the document's id names no gold document; the submission checks run on
    the document alone and, if it passes them, the unknown id is the error.
    """
    from ..validate import validate_document

    if gold_text is not None and type(doc) is dict:
        own = doc.get("text")
        if type(own) is str and own != gold_text:
            return [
                Issue(
                    "score-text-mismatch",
                    "error",
                    path,
                    line,
                    "$.text",
                    "differs from the gold text" + _first_difference(own, gold_text),
                )
            ]
    view = schema_view(doc, pred_types)
    found = validate_document(view, path=path, line=line, kind="submission", raw=raw, text=gold_text)
    errors = [issue for issue in found if issue.is_error]
    if gold_text is None and not errors:
        errors.append(
            Issue("score-unknown-id", "error", path, line, "$.id", f"{doc['id']!r} is not a gold document id")
        )
    return errors


def schema_view(doc: Any, pred_types: Mapping | None) -> Any:
    """The submission as the validator should see it under a type map (issue 8).

    The validator knows only labels.json types: mapped types replace the system's own, and a
    mention mapped out of scoring (null) takes its entity's type, or else the first type that
    no other mention has on the same span (so that no check fires on a type nobody scores).
    """
    if not pred_types or not isinstance(doc, dict):
        return doc
    from ..labels import label_names

    view = dict(doc)
    entity_type: dict[str, Any] = {}
    if isinstance(doc.get("entities"), list):
        entities = []
        for e in doc["entities"]:
            if isinstance(e, dict) and isinstance(e.get("type"), str) and e["type"] in pred_types:
                e = {**e, "type": pred_types[e["type"]]}
            if isinstance(e, dict) and isinstance(e.get("id"), str):
                entity_type[e["id"]] = e.get("type")
            entities.append(e)
        view["entities"] = entities
    if not isinstance(doc.get("mentions"), list):
        return view
    mapped, dropped = [], []
    for m in doc["mentions"]:
        if isinstance(m, dict) and isinstance(m.get("type"), str) and m["type"] in pred_types:
            m = {**m, "type": pred_types[m["type"]]}
            if m["type"] is None:
                dropped.append(len(mapped))
        mapped.append(m)
    taken = {(m.get("start"), m.get("end"), m.get("type")) for m in mapped if isinstance(m, dict)}
    for k in dropped:
        m = mapped[k]
        candidates = [entity_type.get(m.get("entity"))] + list(label_names("mention_type"))
        free = next(t for t in candidates if t and (m.get("start"), m.get("end"), t) not in taken)
        taken.add((m.get("start"), m.get("end"), free))
        mapped[k] = {**m, "type": free}
    view["mentions"] = mapped
    return view


def _first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return f" at offset {i} ({a[i : i + 12]!r} instead of {b[i : i + 12]!r})"
    return f" in length ({len(a)} instead of {len(b)} characters)"
