"""Sentences and tokens with character offsets, and BIO tags of named mentions.

One tokenisation serves every token-level view of SaySo: the ``tokens`` config of the Hugging
Face dataset and the CoNLL export/import (issues 6 and 8), so a model trained on one is scored
on the other without re-alignment. It is rule based and deterministic, needs nothing beyond the
standard library, and never changes the text: every :class:`Token` is ``text[start:end]``
(Unicode code points, half-open), and whitespace is the only thing between tokens.

Conventions (close to the Penn Treebank / CoNLL-2003 ones):

- words keep inner hyphens, apostrophes, periods and ampersands (``al-Sharaa``, ``AT&T``,
  ``U.S.``); English clitics split off (``Russia's`` -> ``Russia`` ``'s``; ``don't`` -> ``do``
  ``n't``); numbers keep their separators (``1,200``, ``3.5``, ``2026-03-02``);
- titles and initials keep their period (``Dr.``, ``F.``); other punctuation is one token each,
  except ``...`` and runs of dashes;
- a sentence ends after ``.``, ``!``, ``?`` or ``...`` (plus any closing quotes or brackets
  glued to it) when the next token starts with a capital, a digit or an opening quote; a line
  break always ends a sentence (headlines, paragraphs).

``keep`` spans (for example the named mentions of a document) constrain both levels: their
boundaries always fall between tokens, and no sentence boundary falls inside one. That is what
makes :func:`bio_tags` exact for gold mentions.

>>> [[t.text for t in s] for s in sentences("Dr. Okafor said: \\"We won't.\\" Russia's troops left.")]
[['Dr.', 'Okafor', 'said', ':', '"', 'We', 'wo', "n't", '.', '"'], ['Russia', "'s", 'troops', 'left', '.']]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Token",
    "tokens",
    "sentences",
    "bio_labels",
    "bio_tags",
    "bio_spans",
    "tagged_sentences",
    "MisalignedSpan",
]


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text and its half-open code-point offsets into the source text."""

    text: str
    start: int
    end: int


class MisalignedSpan(ValueError):
    """A span boundary falls inside a token, or a span crosses a sentence boundary."""


# Letters including combining marks, so decomposed accents stay inside their word.
_L = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_TITLES = (
    "Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Maj|Adm|Cmdr|Rep|Sen|Gov|Pres|Rev|Hon|St|Mt|Ft|Jr|Sr|"
    "Inc|Ltd|Corp|Co|Bros|No|Nos|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Order matters: the first alternative that matches at a position wins.
_TOKEN = re.compile(
    rf"""
    (?:[A-Za-z]\.){{2,}}(?![A-Za-z])             # acronyms with periods: U.S. U.N.
  | (?:{_TITLES})\.(?!{_L})                      # titles and common abbreviations: Dr. Inc.
  | [A-Z]\.(?=\s+[A-Z])                          # an initial inside a name: John F. Kennedy
  | \d+(?:[.,:/-]\d+)*                            # numbers, dates, times, ratios
  | {_L}+(?:[-'’.&]{_L}+)*                        # words with inner hyphens, apostrophes, periods
  | \.\.\.|…|-{{2,}}|[–—]+                        # ellipses and dash runs
  | \S                                            # any other single character
    """,
    re.VERBOSE,
)
_CLITIC = re.compile(r"(?i)^(.+?)(n['’]t|['’](?:s|re|ve|ll|d|m))$")
_ENDERS = {".", "!", "?", "...", "…"}
_CLOSERS = set("\"'”’)]}»")
_OPENERS = set("\"'“‘([{«")


def _raw_tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        word = match.group()
        clitic = _CLITIC.match(word) if len(word) > 2 else None
        if clitic and clitic.group(1)[-1:].isalpha():
            cut = start + len(clitic.group(1))
            out.append(Token(text[start:cut], start, cut))
            out.append(Token(text[cut:end], cut, end))
        else:
            out.append(Token(word, start, end))
    return out


def _cut(text: str, toks: list[Token], cuts: set[int]) -> list[Token]:
    """Split every token that a ``cuts`` offset falls strictly inside."""
    if not cuts:
        return toks
    ordered = sorted(cuts)
    out: list[Token] = []
    for tok in toks:
        inner = ordered[bisect_right(ordered, tok.start) : bisect_left(ordered, tok.end)]
        if not inner:
            out.append(tok)
            continue
        edges = [tok.start, *inner, tok.end]
        out.extend(Token(text[a:b], a, b) for a, b in zip(edges, edges[1:], strict=False))
    return out


def tokens(text: str, keep: Iterable[tuple[int, int]] = ()) -> list[Token]:
    """All tokens of ``text``; the boundaries of ``keep`` spans are always token boundaries.

    >>> [t.text for t in tokens("non-Velmoran", keep=[(4, 12)])]
    ['non-', 'Velmoran']
    """
    cuts = {offset for span in keep for offset in span}
    return _cut(text, _raw_tokens(text), cuts)


def _starts_sentence(tok: Token) -> bool:
    first = tok.text[0]
    return first.isupper() or first.isdigit() or first in _OPENERS


def sentences(text: str, keep: Iterable[tuple[int, int]] = ()) -> list[list[Token]]:
    """Split ``text`` into sentences of tokens (see the module docstring for the rules).

    ``keep`` spans are never split across sentences and their boundaries are token boundaries.

    >>> [[t.text for t in s] for s in sentences("Border reopens\\n\\nThe U.S. agreed. It said so.")]
    [['Border', 'reopens'], ['The', 'U.S.', 'agreed', '.'], ['It', 'said', 'so', '.']]
    """
    keep = [(int(a), int(b)) for a, b in keep]
    toks = tokens(text, keep)
    inside = _covered(keep)
    result: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(toks):
        if current and _boundary_before(text, toks, i) and not inside(tok.start):
            result.append(current)
            current = []
        current.append(tok)
    if current:
        result.append(current)
    return result


def _boundary_before(text: str, toks: Sequence[Token], i: int) -> bool:
    prev, tok = toks[i - 1], toks[i]
    gap = text[prev.end : tok.start]
    if "\n" in gap or "\r" in gap or "\u2028" in gap or "\u2029" in gap:
        return True
    if not gap:  # glued tokens (closing quote after a period) stay together
        return False
    # Walk back over closing quotes/brackets glued to the sentence-final mark.
    j = i - 1
    while j > 0 and toks[j].text in _CLOSERS and toks[j - 1].end == toks[j].start:
        j -= 1
    return toks[j].text in _ENDERS and _starts_sentence(tok)


def _covered(spans: list[tuple[int, int]]):
    """A predicate: is ``offset`` strictly inside one of ``spans`` (start < offset < end)?"""
    merged: list[list[int]] = []  # disjoint open intervals, so one bisect answers
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [a for a, _ in merged]

    def inside(offset: int) -> bool:
        i = bisect_left(starts, offset) - 1
        return i >= 0 and merged[i][0] < offset < merged[i][1]

    return inside


def bio_labels(types: Sequence[str]) -> tuple[str, ...]:
    """The BIO tag set over ``types``, ``O`` first, then ``B-X``, ``I-X`` per type in order.

    >>> bio_labels(["PER", "ORG"])
    ('O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG')
    """
    return ("O", *(f"{p}-{t}" for t in types for p in ("B", "I")))


def _field(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def bio_tags(toks: Sequence[Token], mentions: Iterable[Any]) -> list[str]:
    """BIO tags of ``toks`` (one sentence, or a whole text) for ``mentions``.

    ``mentions`` are dicts or objects with ``start``, ``end`` and ``type``; pass only the ones to
    tag (SaySo tags named mentions, ``kind == "NAM"``). Mentions that do not overlap ``toks`` are
    ignored. Nested or overlapping mentions cannot both be BIO-tagged: the one starting first
    (the longer one on a tie) is kept and the ones overlapping it are dropped. A mention whose
    boundary falls inside a token, or that runs past the first or last token, raises
    :class:`MisalignedSpan` (tokenise with ``keep=`` the mention spans to avoid it).

    >>> toks = tokens("Lena Okafor left Velmora")
    >>> bio_tags(toks, [{"start": 0, "end": 11, "type": "PER"}, {"start": 17, "end": 24, "type": "GPE"}])
    ['B-PER', 'I-PER', 'O', 'B-GPE']
    """
    tags = ["O"] * len(toks)
    if not toks:
        return tags
    lo, hi = toks[0].start, toks[-1].end
    starts = {t.start: i for i, t in enumerate(toks)}
    ends = {t.end: i for i, t in enumerate(toks)}
    spans = sorted(
        ((int(_field(m, "start")), int(_field(m, "end")), str(_field(m, "type"))) for m in mentions),
        key=lambda s: (s[0], -s[1]),
    )
    taken_until = -1
    for start, end, type_ in spans:
        if end <= lo or start >= hi:
            continue
        if start < lo or end > hi:
            raise MisalignedSpan(f"span [{start}, {end}) runs past the tokens [{lo}, {hi})")
        if start not in starts and not _between(toks, start):
            raise MisalignedSpan(f"span [{start}, {end}) starts inside a token")
        if end not in ends and not _between(toks, end):
            raise MisalignedSpan(f"span [{start}, {end}) ends inside a token")
        if start < taken_until:
            continue  # nested in or overlapping a span already tagged
        inside = [i for i, t in enumerate(toks) if t.start >= start and t.end <= end]
        if not inside:
            continue  # a span of whitespace only: nothing to tag
        tags[inside[0]] = f"B-{type_}"
        for i in inside[1:]:
            tags[i] = f"I-{type_}"
        taken_until = end
    return tags


def _between(toks: Sequence[Token], offset: int) -> bool:
    """Whether ``offset`` falls in whitespace between tokens (not inside any token)."""
    return not any(t.start < offset < t.end for t in toks)


def bio_spans(
    toks: Sequence[Token], tags: Sequence[str], sentence_starts: Collection[int] = ()
) -> list[tuple[int, int, str]]:
    """The ``(start, end, type)`` spans that BIO ``tags`` mark on ``toks``; the inverse of :func:`bio_tags`.

    An ``I-X`` tag that does not continue an ``X`` span starts one, and a span never runs on
    into the next sentence (``sentence_starts``: indexes of the tokens that begin one): the
    conlleval conventions.

    >>> toks = tokens("Lena Okafor left Velmora")
    >>> bio_spans(toks, ["B-PER", "I-PER", "O", "I-GPE"])
    [(0, 11, 'PER'), (17, 24, 'GPE')]
    >>> bio_spans(toks, ["B-PER", "I-PER", "I-PER", "O"], sentence_starts={2})
    [(0, 11, 'PER'), (12, 16, 'PER')]
    """
    if len(toks) != len(tags):
        raise ValueError(f"{len(toks)} tokens but {len(tags)} tags")
    out: list[tuple[int, int, str]] = []
    current: list[Any] | None = None
    for i, (tok, tag) in enumerate(zip(toks, tags, strict=True)):
        if i in sentence_starts:
            current = None
        prefix, _, type_ = tag.partition("-")
        if tag == "O" or prefix not in ("B", "I") or not type_:
            current = None
            continue
        if prefix == "I" and current is not None and current[2] == type_:
            current[1] = tok.end
            continue
        current = [tok.start, tok.end, type_]
        out.append(current)  # type: ignore[arg-type]
    return [(s, e, t) for s, e, t in out]


def tagged_sentences(doc: dict) -> list[tuple[list[Token], list[str]]]:
    """The sentences of a SaySo document with the BIO tags of its named (``NAM``) mentions.

    This is the exact view used by the ``tokens`` dataset config and the CoNLL export: named
    mentions are kept whole (never split by a sentence or token boundary). A document whose
    ``mentions`` layer is null (not annotated) gets all-``O`` tags.
    """
    named = sorted(
        (m for m in (doc.get("mentions") or []) if m.get("kind") == "NAM"), key=lambda m: m["start"]
    )
    spans = [(m["start"], m["end"]) for m in named]
    starts = [m["start"] for m in named]
    out = []
    previous_end = 0
    for sent in sentences(doc["text"], keep=spans):
        # Only mentions starting after the previous sentence can be in this one (kept spans
        # never cross a sentence boundary); the slice keeps tagging linear in the document.
        lo, hi = bisect_left(starts, previous_end), bisect_left(starts, sent[-1].end)
        out.append((sent, bio_tags(sent, named[lo:hi])))
        previous_end = sent[-1].end
    return out
