"""The ``rules`` baseline: spaCy's English small model plus documented lexicons and heuristics.

Mentions are spaCy's named entities mapped to the eight SaySo types (PERSON -> PER; DATE, MONEY,
PRODUCT and the other OntoNotes types are dropped), minus a leading "the" (the corpus
convention: "the [Interior Ministry]") and never across a line break. Attribution and stance
candidates come from :mod:`._candidates`; labels from :mod:`._heuristics`; entities from :mod:`._mentions`.
The system reads only ``id`` and ``text`` of its inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ._candidates import Analysis, analyse
from ._heuristics import channel, identity, source_type
from ._mentions import SPACY_TO_SAYSO
from ._resources import pipeline

__all__ = ["RulesSystem"]


class RulesSystem:
    """Rules over a spaCy parse. Subclasses replace :meth:`named_mentions` and the labellers."""

    name = "rules"

    def named_mentions(self, sdoc) -> list[tuple[int, int, str]]:
        """Named mentions ``(start, end, type)`` for one parsed document."""
        out = []
        text = sdoc.text
        for ent in sdoc.ents:
            type_ = SPACY_TO_SAYSO.get(ent.label_)
            if type_ is None:
                continue
            # spaCy's NER ignores sentence boundaries; a name never spans a line break.
            start = ent.start_char
            for piece in text[ent.start_char : ent.end_char].split("\n"):
                s, e = start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())
                if text[s : s + 4].lower() == "the " and e - s > 4:  # the corpus leaves "the" out of names
                    s += 4
                if e > s:
                    out.append((s, e, type_))
                start += len(piece) + 1
        return out

    def label_attributions(self, an: Analysis) -> None:
        """Set ``identity``, ``source_type`` and ``channel`` on every attribution candidate."""
        for cand in an.attributions:
            src = cand.source
            text = an.text[src.start : src.end] if src is not None else ""
            st = source_type(
                src.type if src else None, text, cand.named_context, cand.role_context, cand.cue_lemma
            )
            cand.labels = {
                "identity": identity(src.kind if src else None, text, cand.head_tag, cand.determiner),
                "source_type": st,
                "channel": channel(outside_content(an, cand), cand.cue_lemma, st),
            }

    def label_stances(self, an: Analysis) -> None:
        """Stance polarity comes from the lexicon that proposed the candidate; nothing to do."""

    def predict(self, docs: Iterable[dict[str, Any]], batch_size: int = 8) -> Iterator[dict[str, Any]]:
        """Predict one schema v1 submission document per input (only ``id`` and ``text`` are read)."""
        nlp = pipeline()
        docs = list(docs)
        texts = (d["text"] for d in docs)
        for doc, sdoc in zip(docs, nlp.pipe(texts, batch_size=batch_size), strict=True):
            yield self.predict_parsed(doc["id"], doc["text"], sdoc)

    def predict_parsed(self, doc_id: str, text: str, sdoc) -> dict[str, Any]:
        an = analyse(text, sdoc, self.named_mentions(sdoc))
        self.label_attributions(an)
        self.label_stances(an)
        return render(doc_id, an)


def outside_content(an: Analysis, cand) -> str:
    """The attribution's sentence with its content spans blanked out (where channel words live)."""
    s, e = cand.sentence
    chars = list(an.text[s:e])
    for cs, ce in cand.content:
        for i in range(max(cs, s), min(ce, e)):
            chars[i - s] = " "
    return "".join(chars)


def _link_relays(an: Analysis) -> None:
    """An attribution whose cue sits in the content of a media report is relayed by it (``via``)."""
    for inner in an.attributions:
        if inner.via is not None or inner.cue is None:
            continue
        for outer in an.attributions:
            if outer is inner or outer.labels.get("channel") != "media_report":
                continue
            if any(s <= inner.cue[0] < e for s, e in outer.content):
                inner.via = outer
                break


def render(doc_id: str, an: Analysis) -> dict[str, Any]:
    """A schema v1 submission document from labelled candidates."""
    _link_relays(an)
    used = set()
    for a in an.attributions:
        if a.source is not None:
            used.add(id(a.source))
    for s in an.stances:
        used.update((id(s.holder), id(s.target)))
    mentions, entities = an.table.render(used)
    attributions = []
    for number, a in enumerate(an.attributions, start=1):
        a.id = f"a{number}"
    for a in an.attributions:
        attributions.append(
            {
                "id": a.id,
                "source": a.source.id if a.source is not None else None,
                "cue": {"start": a.cue[0], "end": a.cue[1]} if a.cue else None,
                "content": [{"start": s, "end": e} for s, e in a.content],
                "quote": a.labels.get("quote", a.quote),
                "via": a.via.id if a.via is not None else None,
                "identity": a.labels["identity"],
                "source_type": a.labels["source_type"],
                "channel": a.labels["channel"],
            }
        )
    stances = []
    for number, s in enumerate(an.stances, start=1):
        stances.append(
            {
                "id": f"s{number}",
                "holder": s.holder.id,
                "target": s.target.id,
                "polarity": s.polarity,
                "evidence": [{"start": a, "end": b} for a, b in s.evidence],
                "attribution": s.attribution.id if s.attribution is not None else None,
            }
        )
    return {
        "id": doc_id,
        "mentions": mentions,
        "entities": entities,
        "attributions": attributions,
        "stances": stances,
    }
