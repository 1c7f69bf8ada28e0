"""Every issue code the validator and the linter can emit, with its level and severity.

The one-line explanations live in ``schema/README.md``; ``tests/test_validate_codes.py`` checks
that the README's table, this registry, the codes used in the source and the fixtures under
``tests/fixtures/invalid/`` are the same set.

Levels: 1 reading (files, encoding, JSON syntax), 2 JSON Schema, 3 within a document,
4 across the corpus, 5 consistency warnings (``sayso lint`` and ``sayso validate --strict``).
"""

from __future__ import annotations

__all__ = ["CODES", "level_of", "SCHEMA_KEYWORD_CODES"]

CODES: dict[str, tuple[int, str]] = {
    # level 1: reading
    "unreadable": (1, "error"),
    "not-a-file": (1, "error"),
    "too-large": (1, "error"),
    "no-documents": (1, "error"),
    "skipped-file": (1, "warning"),
    "empty-file": (1, "error"),
    "bom": (1, "error"),
    "not-utf8": (1, "error"),
    "json-syntax": (1, "error"),
    "json-too-deep": (1, "error"),
    "json-constant": (1, "error"),
    "duplicate-key": (1, "error"),
    "lone-surrogate": (1, "error"),
    # level 2: JSON Schema
    "wrong-type": (2, "error"),
    "missing-field": (2, "error"),
    "unknown-field": (2, "error"),
    "unknown-label": (2, "error"),
    "bad-format": (2, "error"),
    "bad-value": (2, "error"),
    "schema-version": (2, "error"),
    # level 3: within a document
    "span-out-of-range": (3, "error"),
    "span-reversed": (3, "error"),
    "empty-span": (3, "error"),
    "span-text-mismatch": (3, "error"),
    "duplicate-id": (3, "error"),
    "dangling-reference": (3, "error"),
    "entity-type-mismatch": (3, "error"),
    "via-cycle": (3, "error"),
    "duplicate-mention": (3, "error"),
    # level 4: across the corpus
    "duplicate-document-id": (4, "error"),
    "split-leak": (4, "error"),
    "mixed-schema-version": (4, "error"),
    "file-name-mismatch": (4, "error"),
    # level 5: consistency warnings (sayso lint) and the allow-list
    "unannotated-name": (5, "warning"),
    "quote-outside-content": (5, "warning"),
    "cue-outside-span": (5, "warning"),
    "entity-type-conflict": (5, "warning"),
    "phenomenon-mismatch": (5, "warning"),
    "wikidata-unlisted": (5, "warning"),
    "unlinked-place": (5, "warning"),
    "unused-allow": (5, "warning"),
    "bad-allow-entry": (5, "error"),
}

# JSON Schema keyword of a jsonschema error -> code. The schema uses no other keyword
# (tests/test_schema.py checks that every keyword in the generated schemas is covered).
SCHEMA_KEYWORD_CODES: dict[str, str] = {
    "type": "wrong-type",
    "required": "missing-field",
    "additionalProperties": "unknown-field",
    "enum": "unknown-label",
    "pattern": "bad-format",
    "minimum": "bad-value",
    "minLength": "bad-value",
    "minItems": "bad-value",
    "uniqueItems": "bad-value",
}


def level_of(code: str) -> int:
    """The level of ``code`` (1-5)."""
    return CODES[code][0]
