"""BIO token files: export gold named mentions, import a token-classification model's tags.

Two formats, both read and written here (``eval/INTEROP.md`` defines them):

CoNLL (any name but ``.jsonl``)::

    -DOCSTART-	sayso-0005
    <blank line>
    Russia	B-GPE
    begins	O
    ...
    <blank line between sentences>

One token per line: the token, then the tag in the last column (tab- or space-separated, so
CoNLL-2003's four columns also work). ``-DOCSTART-`` lines name the document of the sentences
that follow; lines starting with ``# `` (hash, space) and holding no tab are comments, so a
``#`` token is written ``#<TAB>O``.

JSONL: one object per line, ``{"id": "sayso-0005", "tokens": [...], "tags": [...]}``: a
sentence or a whole document; lines with the same id are joined in order.

Tokens are aligned to the gold text in order, skipping only whitespace; a token that is not the
next non-space text of the gold document is an error with its file and line (code
``bio-misaligned``), never guessed around.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..issues import Issue
from ..tokenize import Token, bio_spans, tagged_sentences

__all__ = [
    "BIO_CODES",
    "TokenDocument",
    "export_conll",
    "export_jsonl",
    "read_bio",
    "align_document",
]

BIO_CODES = {
    "bio-format": "A line or JSON object that is not in the format (columns, keys, types).",
    "bio-missing-id": "Tokens before any -DOCSTART- line, or a -DOCSTART- line without a document id.",
    "bio-bad-tag": "A tag that is not O, B-TYPE or I-TYPE.",
    "bio-unknown-type": "A tag whose TYPE is not a mention_type label of labels.json.",
    "bio-unknown-document": "A document id that is not in the gold documents.",
    "bio-misaligned": "A token that is not the next non-space text of the gold document.",
    "bio-incomplete": "The tokens end before the gold text does (non-space text left over).",
}


@dataclass
class TokenDocument:
    """Tokens and tags of one document, with the line each token came from (for errors)."""

    id: str
    path: str
    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    # Indexes of the tokens that begin a sentence (after a blank line, a -DOCSTART- line, or a
    # JSONL record): no mention runs across one, as in conlleval.
    sentence_starts: set[int] = field(default_factory=set)


def _sentence_lines(doc: dict) -> Iterator[list[tuple[str, str]]]:
    for toks, tags in tagged_sentences(doc):
        yield [(t.text, tag) for t, tag in zip(toks, tags, strict=True)]


def export_conll(docs: Iterable[dict]) -> str:
    """The CoNLL text of ``docs``: the ``tokens`` dataset view, one token and tag per line."""
    parts: list[str] = []
    for doc in docs:
        parts.append(f"-DOCSTART-\t{doc['id']}\n\n")
        for sent in _sentence_lines(doc):
            parts.append("".join(f"{tok}\t{tag}\n" for tok, tag in sent) + "\n")
    return "".join(parts)


def export_jsonl(docs: Iterable[dict]) -> str:
    """The JSONL text of ``docs``: one ``{"id", "tokens", "tags"}`` object per sentence."""
    lines = []
    for doc in docs:
        for sent in _sentence_lines(doc):
            record = {"id": doc["id"], "tokens": [t for t, _ in sent], "tags": [g for _, g in sent]}
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def _issue(code: str, path: str, line: int | None, message: str, where: str = "$") -> Issue:
    return Issue(code, "error", path, line, where, message)


def _document(docs: dict[str, TokenDocument], order: list[str], doc_id: str, path: str) -> TokenDocument:
    if doc_id not in docs:
        docs[doc_id] = TokenDocument(doc_id, path)
        order.append(doc_id)
    return docs[doc_id]


def read_bio(path: str | Path) -> tuple[list[TokenDocument], list[Issue]]:
    """Read a CoNLL or JSONL token file (by its suffix); format problems come back as issues."""
    path = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [_issue("unreadable", path, None, f"cannot read the file: {exc}")]
    docs: dict[str, TokenDocument] = {}
    order: list[str] = []
    issues: list[Issue] = []
    reader = _read_jsonl if path.endswith(".jsonl") else _read_conll
    reader(text, path, docs, order, issues)
    return [docs[i] for i in order], issues


def _read_conll(text: str, path: str, docs: dict, order: list, issues: list) -> None:
    current: TokenDocument | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:  # a sentence boundary
            if current is not None:
                current.sentence_starts.add(len(current.tokens))
            continue
        # "#<TAB>O" is the token "#" (hashtags, "#2"); a comment is "# ..." without a tab.
        if stripped.startswith("# ") and "\t" not in stripped:
            continue
        cols = stripped.split("\t") if "\t" in stripped else stripped.split()
        if cols[0] == "-DOCSTART-":
            doc_id = cols[1].strip() if len(cols) > 1 else ""
            if not doc_id or doc_id == "-X-":
                issues.append(
                    _issue(
                        "bio-missing-id",
                        path,
                        number,
                        "-DOCSTART- needs the document id in its second column (-DOCSTART-<TAB>ID)",
                    )
                )
                current = None
                continue
            current = _document(docs, order, doc_id, path)
            current.sentence_starts.add(len(current.tokens))
            continue
        if len(cols) < 2:
            issues.append(_issue("bio-format", path, number, f"{len(cols)} column: expected TOKEN and TAG"))
            continue
        if current is None:
            issues.append(_issue("bio-missing-id", path, number, "a token before any -DOCSTART- line"))
            continue
        current.tokens.append(cols[0])
        current.tags.append(cols[-1])
        current.lines.append(number)


def _read_jsonl(text: str, path: str, docs: dict, order: list, issues: list) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON: {exc.msg} (column {exc.colno})"
            issues.append(_issue("bio-format", path, number, message))
            continue
        if not isinstance(record, dict):
            issues.append(_issue("bio-format", path, number, "expected an object with id, tokens, tags"))
            continue
        doc_id, toks, tags = record.get("id"), record.get("tokens"), record.get("tags")
        if not isinstance(doc_id, str) or not doc_id:
            issues.append(_issue("bio-missing-id", path, number, "the object has no string id", "$.id"))
            continue
        if not (
            isinstance(toks, list) and isinstance(tags, list) and all(isinstance(x, str) for x in toks + tags)
        ):
            issues.append(_issue("bio-format", path, number, "tokens and tags must be lists of strings"))
            continue
        if len(toks) != len(tags):
            message = f"{len(toks)} tokens but {len(tags)} tags"
            issues.append(_issue("bio-format", path, number, message, "$.tags"))
            continue
        doc = _document(docs, order, doc_id, path)
        doc.sentence_starts.add(len(doc.tokens))
        doc.tokens.extend(toks)
        doc.tags.extend(tags)
        doc.lines.extend([number] * len(toks))


def _context(text: str, offset: int) -> str:
    return text[offset : offset + 20]  # shown with repr(), which escapes line breaks


def align_document(tdoc: TokenDocument, gold: dict, types: set[str]) -> tuple[dict | None, list[Issue]]:
    """A submission document (named mentions only) from ``tdoc``'s tags on ``gold``'s text.

    Returns ``(None, issues)`` when a tag is malformed or the tokens do not align.
    """
    text = gold["text"]
    issues: list[Issue] = []
    for i, tag in enumerate(tdoc.tags):
        prefix, _, type_ = tag.partition("-")
        if tag != "O" and (prefix not in ("B", "I") or not type_):
            issues.append(
                _issue("bio-bad-tag", tdoc.path, tdoc.lines[i], f"tag {tag!r} is not O, B-TYPE or I-TYPE")
            )
        elif tag != "O" and type_ not in types:
            issues.append(
                _issue(
                    "bio-unknown-type",
                    tdoc.path,
                    tdoc.lines[i],
                    f"type {type_!r} of tag {tag!r} is not one of {', '.join(sorted(types))}",
                )
            )
    if issues:
        return None, issues
    toks: list[Token] = []
    pos = 0
    for i, form in enumerate(tdoc.tokens):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if not form or not text.startswith(form, pos):
            found = "the end of the text" if pos >= len(text) else repr(_context(text, pos))
            return None, [
                _issue(
                    "bio-misaligned",
                    tdoc.path,
                    tdoc.lines[i],
                    f"document {tdoc.id!r}: token {i + 1} {form!r} does not match the gold "
                    f"text at offset {pos}: {found}",
                )
            ]
        toks.append(Token(form, pos, pos + len(form)))
        pos += len(form)
    rest = text[pos:]
    if rest.strip():
        offset = pos + len(rest) - len(rest.lstrip())
        line = tdoc.lines[-1] if tdoc.lines else None
        return None, [
            _issue(
                "bio-incomplete",
                tdoc.path,
                line,
                f"document {tdoc.id!r}: the tokens end at offset {pos} but the gold text "
                f"continues at {offset}: {_context(text, offset)!r}",
            )
        ]
    mentions = [
        {"id": f"m{n}", "start": s, "end": e, "text": text[s:e], "type": t, "kind": "NAM", "entity": None}
        for n, (s, e, t) in enumerate(bio_spans(toks, tdoc.tags, tdoc.sentence_starts), start=1)
    ]
    return {"id": tdoc.id, "mentions": mentions}, []
