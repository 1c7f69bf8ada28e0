"""The ``learned`` baseline: scikit-learn classifiers trained on the train split, on top of the
rules' candidates. ``sayso baseline train`` fits it; the model is one JSON file.

Components and their features (indicator features; why each one is there):
- **mentions**: a token classifier (BIO over spaCy tokens, the eight types, named mentions only).
  Features: the word, its lower case, shape, 3-letter prefix and suffix, part of speech, spaCy's
  own entity tag (so the classifier learns to correct spaCy's mapping to SaySo's conventions, e.g.
  whether "the" belongs to a name), the same for the previous and next token, and the previous
  token's tag (gold in training, predicted when tagging greedily left to right: it keeps spans
  whole; it raised strict F1 on the validation split from 61.7 to 66.3). Decoding turns the tags
  into spans (an I- without a B- starts a span).
- **attributions**: the rules' candidates (cue, source, content) are kept; ``source_type``,
  ``identity``, ``channel`` and ``quote`` are predicted by four classifiers trained on the gold
  records of the train split. Features: the cue lemma; the source's kind, type, words and last
  word; the words around the source (titles, appositions: "a spokeswoman for the ... Fund"); the
  words of the sentence outside the content (where channel words live: "in a statement", "told
  reporters"); whether the content is inside, or contains, quotation marks.
- **stances**: the rules' candidates are kept; ``polarity`` is predicted from the lemmas of the
  evidence, the stance lexicon's reading of its polar words (counts of support / oppose / neutral
  words, negation flipping support), the holder's and target's kind and type, and whether the
  stance is reported through an attribution.
Every classifier is an L1-regularised logistic regression with a fixed seed (:mod:`._linear`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._candidates import find_quotes
from ._linear import LinearModel, train
from .rules import RulesSystem

__all__ = ["LearnedSystem", "train_model", "MODEL_FORMAT"]

MODEL_FORMAT = "sayso-learned-baseline/1"
ATTRIBUTION_FIELDS = ("source_type", "identity", "channel", "quote")
# L1 strength of the mention tagger: C = 1 beat 0.3, 4 and 10 on the validation split.
MENTION_C = 1.0
_QUOTES = '"\u201c\u201d\u00ab\u00bb'


def _shape(word: str) -> str:
    out = []
    for ch in word[:6]:
        kind = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def token_features(sdoc) -> list[dict[str, float]]:
    """Features of every token of a parsed document (see the module docstring)."""
    rows = []
    n = len(sdoc)
    for i, tok in enumerate(sdoc):
        f = {
            "bias": 1.0,
            f"w={tok.text}": 1.0,
            f"lw={tok.lower_}": 1.0,
            f"sh={_shape(tok.text)}": 1.0,
            f"pre={tok.lower_[:3]}": 1.0,
            f"suf={tok.lower_[-3:]}": 1.0,
            f"pos={tok.pos_}": 1.0,
            f"ent={tok.ent_iob_}-{tok.ent_type_}": 1.0,
        }
        if tok.is_sent_start:
            f["sent_start"] = 1.0
        for off, tag in ((-1, "p"), (1, "n")):
            j = i + off
            if 0 <= j < n:
                other = sdoc[j]
                f[f"{tag}lw={other.lower_}"] = 1.0
                f[f"{tag}pos={other.pos_}"] = 1.0
                f[f"{tag}ent={other.ent_iob_}-{other.ent_type_}"] = 1.0
                f[f"{tag}sh={_shape(other.text)}"] = 1.0
            else:
                f[f"{tag}=edge"] = 1.0
        rows.append(f)
    return rows


def token_tags(sdoc, mentions: Iterable[dict[str, Any]]) -> list[str]:
    """Gold BIO tags of the tokens, from named mentions (a token starting inside a mention is in it)."""
    tags = ["O"] * len(sdoc)
    starts = {tok.idx: tok.i for tok in sdoc}
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if m.get("kind") != "NAM":
            continue
        inside = [t.i for t in sdoc if m["start"] <= t.idx < m["end"] and not t.is_space]
        if not inside or tags[inside[0]] != "O":
            continue
        first = starts.get(inside[0], inside[0])
        tags[first] = f"B-{m['type']}"
        for i in inside[1:]:
            tags[i] = f"I-{m['type']}"
    return tags


def decode(sdoc, tags: list[str]) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, type)`` from per-token tags."""
    spans: list[list] = []
    for tok, tag in zip(sdoc, tags, strict=True):
        if tag == "O" or tok.is_space:
            continue
        kind, type_ = tag.split("-", 1)
        if kind == "I" and spans and spans[-1][2] == type_ and spans[-1][3] == tok.i - 1:
            spans[-1][1] = tok.idx + len(tok)
            spans[-1][3] = tok.i
        else:
            spans.append([tok.idx, tok.idx + len(tok), type_, tok.i])
    return [(s, e, t) for s, e, t, _ in spans]


def _words(text: str) -> list[str]:
    return [w.strip(".,;:!?\"'()\u201c\u201d\u2019").lower() for w in text.split()]


def attribution_features(
    text: str,
    sdoc,
    quotes,
    cue: tuple[int, int] | None,
    source: dict | None,
    content: list[tuple[int, int]],
    sentence: tuple[int, int],
) -> dict[str, float]:
    """Features of one attribution, from spans only (the same for gold records and candidates)."""
    f = {"bias": 1.0}
    if cue is not None:
        tok = sdoc.char_span(cue[0], cue[1], alignment_mode="expand")
        lemma = tok[0].lemma_.lower() if tok is not None and len(tok) else text[cue[0] : cue[1]].lower()
        f[f"cue={lemma}"] = 1.0
    else:
        f["cue=none"] = 1.0
    if source is None:
        f["src=none"] = 1.0
    else:
        f[f"src.kind={source['kind']}"] = 1.0
        f[f"src.type={source['type']}"] = 1.0
        words = _words(text[source["start"] : source["end"]])
        for w in words:
            f[f"src.w={w}"] = 1.0
        if words:
            f[f"src.last={words[-1]}"] = 1.0
        lo = max(sentence[0], source["start"] - 80)
        hi = min(sentence[1], source["end"] + 80)
        for w in _words(text[lo : source["start"]] + " " + text[source["end"] : hi]):
            f[f"ctx.w={w}"] = 1.0
    chars = list(text[sentence[0] : sentence[1]])
    for s, e in content:
        for i in range(max(s, sentence[0]), min(e, sentence[1])):
            chars[i - sentence[0]] = " "
    for w in _words("".join(chars)):
        f[f"out.w={w}"] = 1.0
    inside = all(any(qs - 1 <= s and e <= qe + 1 for qs, qe in quotes) for s, e in content)
    f["content.in_quote" if inside else "content.not_in_quote"] = 1.0
    if any(ch in _QUOTES for s, e in content for ch in text[s:e]):
        f["content.has_quote_mark"] = 1.0
    return f


def polar_votes(sdoc, spans: list[tuple[int, int]]) -> list[str]:
    """The stance lexicon's reading of each polar word in ``spans`` (negated support reads oppose)."""
    from ._resources import lexicon

    lex = lexicon("stances")
    polar = {w: "support" for w in lex["support"] + lex["evaluative"]["support"] if " " not in w}
    polar.update({w: "oppose" for w in lex["oppose"] + lex["evaluative"]["oppose"] if " " not in w})
    polar.update({w: "neutral" for w in lex["evaluative"]["neutral"]})
    votes = []
    for s, e in spans:
        span = sdoc.char_span(s, e, alignment_mode="expand")
        for tok in span if span is not None else []:
            label = polar.get(tok.lemma_.lower())
            if label == "support" and any(c.dep_ == "neg" for c in tok.head.children):
                label = "oppose"
            if label is not None:
                votes.append(label)
    return votes


def stance_features(
    text: str, sdoc, evidence: list[tuple[int, int]], holder: dict | None, target: dict | None, reported: bool
) -> dict[str, float]:
    """Features of one stance (see the module docstring)."""
    f = {"bias": 1.0, "reported" if reported else "direct": 1.0}
    for s, e in evidence:
        span = sdoc.char_span(s, e, alignment_mode="expand")
        for tok in span if span is not None else []:
            f[f"ev.l={tok.lemma_.lower()}"] = 1.0
            if tok.dep_ == "neg":
                f["ev.neg"] = 1.0
    for label in polar_votes(sdoc, evidence):
        f[f"lex={label}"] = f.get(f"lex={label}", 0.0) + 1.0
    f["holder=author" if holder is None else f"holder={holder['kind']}-{holder['type']}"] = 1.0
    if target is not None:
        f[f"target={target['kind']}-{target['type']}"] = 1.0
    return f


def _sentence_of(sdoc, pos: int) -> tuple[int, int]:
    for sent in sdoc.sents:
        if sent.start_char <= pos < sent.end_char:
            return sent.start_char, sent.end_char
    return 0, len(sdoc.text)


def _mention_dict(m) -> dict[str, Any]:
    return {"start": m.start, "end": m.end, "type": m.type, "kind": m.kind}


class LearnedSystem(RulesSystem):
    """The rules pipeline with learned mentions and learned labels."""

    name = "learned"

    def __init__(self, models: dict[str, LinearModel]):
        self.models = models

    @classmethod
    def load(cls, path: str | Path) -> LearnedSystem:
        """Read a model written by :func:`train_model`."""
        p = Path(path)
        if not p.is_file():
            raise FileNotFoundError(f"{path}: no learned model; run `sayso baseline train` first")
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
                raise ValueError("wrong format")
            models = {name: LinearModel.from_json(m) for name, m in data["models"].items()}
            missing = {"mentions", "polarity", *ATTRIBUTION_FIELDS} - set(models)
            if missing:
                raise ValueError(f"no {', '.join(sorted(missing))} model")
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: not a usable {MODEL_FORMAT} model ({exc})") from None
        return cls(models)

    def named_mentions(self, sdoc) -> list[tuple[int, int, str]]:
        model = self.models["mentions"]
        tags: list[str] = []
        for f in token_features(sdoc):  # greedy left to right: each tag sees the one before it
            f[f"prev_tag={tags[-1] if tags else 'START'}"] = 1.0
            tags.append(model.predict(f))
        return decode(sdoc, tags)

    def label_attributions(self, an) -> None:
        for cand in an.attributions:
            x = attribution_features(
                an.text,
                an.sdoc,
                an.quotes,
                cand.cue,
                _mention_dict(cand.source) if cand.source else None,
                cand.content,
                cand.sentence,
            )
            cand.labels = {field: self.models[field].predict(x) for field in ATTRIBUTION_FIELDS}

    def label_stances(self, an) -> None:
        model = self.models["polarity"]
        for cand in an.stances:
            x = stance_features(
                an.text,
                an.sdoc,
                cand.evidence,
                _mention_dict(cand.holder),
                _mention_dict(cand.target),
                cand.attribution is not None,
            )
            cand.polarity = model.predict(x)


def train_model(gold_docs: list[dict[str, Any]], *, seed: int) -> dict[str, Any]:
    """Fit every component on gold documents; return the JSON-ready model (deterministic in ``seed``)."""
    from ._resources import pipeline

    nlp = pipeline()
    token_x, token_y = [], []
    attr_x: list[dict] = []
    attr_y: dict[str, list[str]] = {f: [] for f in ATTRIBUTION_FIELDS}
    attr_rows: dict[str, list[dict]] = {f: [] for f in ATTRIBUTION_FIELDS}
    pol_x, pol_y = [], []
    docs = sorted(gold_docs, key=lambda d: d["id"])
    for doc, sdoc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
        text = doc["text"]
        mentions = {m["id"]: m for m in doc.get("mentions") or []}
        tags = token_tags(sdoc, mentions.values())
        for i, f in enumerate(token_features(sdoc)):
            f[f"prev_tag={tags[i - 1] if i else 'START'}"] = 1.0
            token_x.append(f)
        token_y += tags
        quotes = find_quotes(text)
        for a in doc.get("attributions") or []:
            content = [(c["start"], c["end"]) for c in a.get("content") or []]
            if not content:
                continue
            cue = (a["cue"]["start"], a["cue"]["end"]) if a.get("cue") else None
            sentence = _sentence_of(sdoc, cue[0] if cue else content[0][0])
            source = mentions.get(a.get("source"))
            x = attribution_features(text, sdoc, quotes, cue, source, content, sentence)
            attr_x.append(x)
            for field in ATTRIBUTION_FIELDS:
                if a.get(field) is not None:  # null = not annotated: not a training label
                    attr_rows[field].append(x)
                    attr_y[field].append(a[field])
        for s in doc.get("stances") or []:
            if s.get("polarity") is None:
                continue
            evidence = [(e["start"], e["end"]) for e in s.get("evidence") or []]
            holder = None if s["holder"] == "author" else mentions.get(s["holder"])
            pol_x.append(
                stance_features(
                    text, sdoc, evidence, holder, mentions.get(s["target"]), s.get("attribution") is not None
                )
            )
            pol_y.append(s["polarity"])
    models = {"mentions": train(token_x, token_y, seed=seed, c=MENTION_C)}
    for field in ATTRIBUTION_FIELDS:
        models[field] = train(attr_rows[field], attr_y[field], seed=seed)
    models["polarity"] = train(pol_x, pol_y, seed=seed)
    return {
        "format": MODEL_FORMAT,
        "seed": seed,
        "trained_on": [d["id"] for d in docs],
        "counts": {"tokens": len(token_y), "attributions": len(attr_x), "stances": len(pol_y)},
        "models": {name: m.to_json() for name, m in models.items()},
    }
