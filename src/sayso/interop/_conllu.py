"""Read GUM's CoNLL-U: words with character offsets into the rebuilt text, and entity mentions.

Only what the GUM import needs is parsed: comments (``# newdoc id``, ``# meta::key = value``,
``# newpar``, ``# text``), the word lines (ID, FORM, UPOS, HEAD, MISC) and multi-word token
lines (``3-4 can't``), whose surface form is what the text shows. Empty nodes (``3.1``) carry no
text and are skipped.

The text is rebuilt exactly as GUM's ``# text`` lines show it: tokens joined by a space unless
``SpaceAfter=No``; sentences of one paragraph joined the same way (a space unless the previous
sentence's last token says ``SpaceAfter=No``); paragraphs (``# newpar``) joined by a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Word", "Sentence", "Mention", "ConlluDocument", "ConlluError", "read_conllu"]


class ConlluError(ValueError):
    """A CoNLL-U file that cannot be read; ``line`` is 1-based."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(slots=True)
class Word:
    """A syntactic word; ``index`` counts the words of the document from 1 (eRST token numbers)."""

    index: int
    sent_index: int  # ID within its sentence
    form: str
    upos: str
    xpos: str
    deprel: str
    head: int  # sentence-local ID of the head, 0 for the root
    sentence: int  # 0-based number of its sentence in the document
    start: int = 0  # character offsets of the word (of its whole multi-word token when the
    end: int = 0  # word forms do not spell the surface form)


@dataclass(slots=True)
class Sentence:
    words: list[Word]
    text: str  # the ``# text`` comment
    start: int = 0
    end: int = 0
    newpar: bool = False


@dataclass(slots=True)
class Mention:
    """A GUM entity mention: words ``first..last`` (document indices, inclusive)."""

    cluster: str
    etype: str
    first: int
    last: int
    minspan: tuple[int, ...]  # 1-based positions inside the mention (GUM's minimal span)
    identity: str | None  # percent-encoded Wikipedia title


@dataclass(slots=True)
class ConlluDocument:
    id: str
    meta: dict[str, str]
    text: str
    sentences: list[Sentence]
    words: list[Word]  # words[i].index == i + 1
    mentions: list[Mention] = field(default_factory=list)


_ENTITY_PART = re.compile(r"\(([^()]+)(\))?|([^()]+)\)")


def _misc(value: str) -> dict[str, str]:
    if value == "_":
        return {}
    out = {}
    for item in value.split("|"):
        key, _, val = item.partition("=")
        out[key] = val
    return out


class _Builder:
    """Accumulates one document; text offsets are assigned as sentences arrive."""

    def __init__(self, path: str, doc_id: str, line: int) -> None:
        self.path, self.id, self.line = path, doc_id, line
        self.meta: dict[str, str] = {}
        self.pieces: list[str] = []
        self.length = 0
        self.sentences: list[Sentence] = []
        self.words: list[Word] = []
        self.mentions: list[Mention] = []
        self.open: dict[str, list[tuple[str, int, tuple[int, ...], str | None, int]]] = {}
        self.space_after_last = True

    def emit(self, piece: str) -> None:
        self.pieces.append(piece)
        self.length += len(piece)

    def add_sentence(self, rows: list[tuple[int, list[str]]], text: str, newpar: bool) -> None:
        if self.sentences:
            self.emit("\n\n" if newpar else (" " if self.space_after_last else ""))
        sent = Sentence([], text, self.length, self.length, newpar or not self.sentences)
        mwt_end, mwt_words, mwt_form, mwt_misc, mwt_line = 0, [], "", {}, 0
        for n, (line, cols) in enumerate(rows):
            ident = cols[0]
            if "." in ident:
                continue
            if "-" in ident:
                a, b = ident.split("-")
                mwt_end, mwt_words, mwt_form, mwt_misc, mwt_line = int(b), [], cols[1], _misc(cols[9]), line
                continue
            misc = _misc(cols[9])
            head = int(cols[6]) if cols[6].isdigit() else 0
            word = Word(
                len(self.words) + 1, int(ident), cols[1], cols[3], cols[4], cols[7], head, len(self.sentences)
            )
            self.words.append(word)
            sent.words.append(word)
            self._entities(misc.get("Entity"), word.index, line)
            if mwt_end and word.sent_index <= mwt_end:
                mwt_words.append(word)
                if word.sent_index == mwt_end:
                    self._place_mwt(mwt_words, mwt_form, mwt_misc, n == len(rows) - 1, mwt_line)
                    mwt_end = 0
                continue
            word.start = self.length
            self.emit(word.form)
            word.end = self.length
            self._space(misc, last=n == len(rows) - 1)
        sent.end = self.length
        rebuilt = "".join(self.pieces)[sent.start : sent.end]
        if rebuilt != text:
            raise ConlluError(self.path, rows[0][0], f"tokens and SpaceAfter spell {rebuilt!r}, not # text")
        self.sentences.append(sent)

    def _place_mwt(self, words: list[Word], form: str, misc: dict, last: bool, line: int) -> None:
        start = self.length
        self.emit(form)
        if "".join(w.form for w in words) == form:  # can't -> ca + n't: each word its own piece
            pos = start
            for w in words:
                w.start, w.end = pos, pos + len(w.form)
                pos = w.end
        else:  # forms that do not spell the surface (du -> de le): every word gets all of it
            for w in words:
                w.start, w.end = start, self.length
        self._space(misc, last)

    def _space(self, misc: dict, last: bool) -> None:
        glued = misc.get("SpaceAfter") == "No"
        if last:
            self.space_after_last = not glued
        elif not glued:
            self.emit(" ")

    def _entities(self, value: str | None, index: int, line: int) -> None:
        if not value:
            return
        for match in _ENTITY_PART.finditer(value):
            opening, closes_too, closing = match.groups()
            if opening is not None:
                fields = opening.split("-")
                if len(fields) < 7:
                    raise ConlluError(self.path, line, f"entity {opening!r}: {len(fields)} fields, not 7-8")
                cluster, etype, minspan = fields[0], fields[1], fields[5]
                identity = "-".join(fields[7:]) or None
                positions = tuple(int(p) for p in minspan.split(",") if p.isdigit())
                entry = (etype, index, positions, identity, line)
                if closes_too:
                    self._close(cluster, index, entry)
                else:
                    self.open.setdefault(cluster, []).append(entry)
            else:
                stack = self.open.get(closing)
                if not stack:
                    raise ConlluError(self.path, line, f"entity {closing!r} closes but was never opened")
                self._close(closing, index, stack.pop())

    def _close(self, cluster: str, index: int, entry: tuple) -> None:
        etype, first, positions, identity, _ = entry
        self.mentions.append(Mention(cluster, etype, first, index, positions, identity))

    def finish(self) -> ConlluDocument:
        for cluster, stack in self.open.items():
            if stack:
                raise ConlluError(self.path, stack[-1][4], f"entity {cluster!r} is never closed")
        self.mentions.sort(key=lambda m: (m.first, -m.last))
        text = "".join(self.pieces)
        return ConlluDocument(self.id, self.meta, text, self.sentences, self.words, self.mentions)


def read_conllu(path: str | Path) -> list[ConlluDocument]:
    """The documents of a CoNLL-U file; raises :class:`ConlluError` with the line of a problem."""
    path = str(path)
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    docs: list[ConlluDocument] = []
    builder: _Builder | None = None
    rows: list[tuple[int, list[str]]] = []
    text, newpar = "", False
    for number, raw in enumerate(lines + [""], start=1):
        line = raw.rstrip("\r")
        if not line:
            if rows:
                if builder is None:
                    raise ConlluError(path, rows[0][0], "a sentence before any # newdoc id")
                builder.add_sentence(rows, text, newpar)
                rows, text, newpar = [], "", False
            continue
        if line.startswith("#"):
            key, _, value = line[1:].strip().partition("=")
            key, value = key.strip(), value.strip()
            if key == "newdoc id":
                if builder is not None:
                    docs.append(builder.finish())
                builder = _Builder(path, value, number)
            elif key == "newpar" or key.startswith("newpar "):
                newpar = True
            elif key == "text":
                text = value
            elif key.startswith("meta::") and builder is not None:
                builder.meta[key[6:]] = value
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ConlluError(path, number, f"{len(cols)} columns, CoNLL-U has 10")
        rows.append((number, cols))
    if builder is not None:
        docs.append(builder.finish())
    return docs
