"""Documented label heuristics of the rules baseline: identity, source type and channel.

Each function takes plain strings and lists (no spaCy objects), reads its word lists from
``lexicons/sources.json`` and ``lexicons/channels.json``, and is deterministic.
"""

from __future__ import annotations

import re
from functools import cache

from ._resources import lexicon

__all__ = ["identity", "source_type", "channel", "contains_phrase"]

_WORD = re.compile(r"[\w'\u2019.-]+")


def _words(text: str) -> list[str]:
    return [w.strip(".").lower() for w in _WORD.findall(text)]


@cache
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(phrase) + r"(?![\w])")


def contains_phrase(text_lower: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text_lower`` on word boundaries."""
    return _phrase_pattern(phrase).search(text_lower) is not None


def identity(kind: str | None, source_text: str, head_tag: str | None, determiner: str | None) -> str:
    """``named`` for names and pronouns; for descriptions, ``generic`` or ``anonymous``.

    A plural description without a number or a specific determiner ("experts", "residents",
    "many analysts") is generic; "a senior official", "five Syrian sources", "a source familiar
    with the talks" are anonymous; a definite singular description ("the spokeswoman") usually
    points back to a named person, so it is named.
    """
    lex = lexicon("sources")
    if kind is None:
        return lex["agentless"]["identity"]
    if kind in ("NAM", "PRO"):
        return "named"
    words = _words(source_text)
    specific = any(w in lex["anonymous_markers"] for w in words)
    if head_tag == "NNS" and not specific:
        return "generic"
    if words and words[-1] in lex["generic_heads"] and not specific:
        return "generic"
    if determiner in ("the", "this", "that") and head_tag != "NNS":
        return "named"
    return "anonymous"


def source_type(
    mention_type: str | None, source_text: str, named_context: list[str], role_context: str, cue_lemma: str
) -> str:
    """Score each source type by its keywords; the highest wins, ties by the lexicon's order.

    Keywords found in names of organisations linked to the source (``named_context``: "the Red
    Lantern Fund" in "a spokeswoman for the Red Lantern Fund") weigh 2, keywords in the source's
    own words and role description (``role_context``) weigh 1, because an organisation's name says
    more about whom a person speaks for than a job title does. Without any keyword: the source of
    "reported" is media; otherwise ``fallback_by_type`` in the lexicon decides by mention type.
    """
    lex = lexicon("sources")
    if mention_type is None:
        return lex["agentless"]["source_type"]
    own = " ".join(_words(source_text + " " + role_context))
    names = [" ".join(_words(n)) for n in named_context]
    best, best_score = None, 0
    for label, keywords in lex["source_type_keywords"]:
        score = 0
        for kw in keywords:
            if contains_phrase(own, kw):
                score += 1
            score += 2 * sum(contains_phrase(n, kw) for n in names)
        if score > best_score:
            best, best_score = label, score
    if best is not None:
        return best
    if cue_lemma == "report":
        return "media"
    return lex["fallback_by_type"].get(mention_type, "unknown")


def channel(sentence_outside_content: str, cue_lemma: str, source_type_label: str) -> str:
    """The first channel whose phrases occur in the sentence outside the content, else by cue."""
    lex = lexicon("channels")
    low = " ".join(sentence_outside_content.lower().split())
    for label, phrases in lex["phrases"]:
        if any(contains_phrase(low, p) for p in phrases):
            return label
    if cue_lemma in lex["cue_channels"]:
        return lex["cue_channels"][cue_lemma]
    if source_type_label == "media":
        return "media_report"
    return "unspecified"
