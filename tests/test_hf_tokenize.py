"""The tokeniser behind the `tokens` config and the CoNLL export (sayso.tokenize)."""

from __future__ import annotations

import pytest

from sayso.io import load_documents
from sayso.labels import label_names
from sayso.tokenize import (
    MisalignedSpan,
    Token,
    bio_labels,
    bio_spans,
    bio_tags,
    sentences,
    tagged_sentences,
    tokens,
)


def texts(sents):
    return [[t.text for t in s] for s in sents]


def test_every_token_is_its_slice_of_the_text():
    text = "Café e\u0301té – “Quoted,” she said… (AT&T’s U.S. unit) 1,200.5 km; don't!\r\nNext line."
    for sent in sentences(text):
        for tok in sent:
            assert text[tok.start : tok.end] == tok.text
            assert tok.text.strip() == tok.text and tok.text


def test_sentence_rules():
    text = (
        "Velmora to reopen border\n\n"
        "VELMORA, March 2 (SaySo Wire) – Dr. Lena Okafor met Gen. J. R. Tarsk at 3 p.m. on Monday. "
        '"We welcome this step," she said. "It is late. But good." The U.S. Army agreed! 3 more came?'
    )
    assert texts(sentences(text)) == [
        ["Velmora", "to", "reopen", "border"],
        ["VELMORA", ",", "March", "2", "(", "SaySo", "Wire", ")", "–", "Dr.", "Lena", "Okafor", "met",
         "Gen.", "J.", "R.", "Tarsk", "at", "3", "p.m.", "on", "Monday", "."],
        ['"', "We", "welcome", "this", "step", ",", '"', "she", "said", "."],
        ['"', "It", "is", "late", "."],
        ["But", "good", ".", '"'],
        ["The", "U.S.", "Army", "agreed", "!"],
        ["3", "more", "came", "?"],
    ]  # fmt: skip


def test_clitics_split_and_names_with_apostrophes_do_not():
    assert [t.text for t in tokens("Russia's O'Brien won't they're Sharaa’s")] == [
        "Russia", "'s", "O'Brien", "wo", "n't", "they", "'re", "Sharaa", "’s",
    ]  # fmt: skip


def test_keep_spans_cut_tokens_and_block_sentence_breaks():
    text = "the non-Velmoran side. Mr. Smith Jr. Holdings said no."
    assert [t.text for t in tokens(text, keep=[(8, 16)])] == [
        "the", "non-", "Velmoran", "side", ".", "Mr.", "Smith", "Jr.", "Holdings", "said", "no", ".",
    ]  # fmt: skip
    # Without a keep span the period after "side" ends a sentence; a kept span across it forbids that.
    assert len(sentences(text)) == 2
    assert len(sentences(text, keep=[(12, 27)])) == 1


def test_bio_tags_and_inverse():
    toks = tokens("Lena Okafor of the Harbour Daily left Velmora .")
    mentions = [
        {"start": 0, "end": 11, "type": "PER"},
        {"start": 15, "end": 32, "type": "ORG"},
        {"start": 19, "end": 26, "type": "GPE"},  # nested in the ORG: dropped
        {"start": 38, "end": 45, "type": "GPE"},
    ]
    tags = bio_tags(toks, mentions)
    assert tags == ["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "I-ORG", "O", "B-GPE", "O"]
    assert bio_spans(toks, tags) == [(0, 11, "PER"), (15, 32, "ORG"), (38, 45, "GPE")]


def test_bio_tags_refuses_misaligned_spans():
    toks = tokens("non-Velmoran side")
    with pytest.raises(MisalignedSpan, match=r"span \[4, 12\) starts inside a token"):
        bio_tags(toks, [{"start": 4, "end": 12, "type": "NORP"}])
    with pytest.raises(MisalignedSpan, match=r"runs past the tokens"):
        bio_tags(toks[:1], [{"start": 0, "end": 17, "type": "NORP"}])


def test_bio_labels_come_from_labels_json():
    names = bio_labels(label_names("mention_type"))
    assert names[0] == "O" and len(names) == 1 + 2 * len(label_names("mention_type"))
    assert names[1:3] == ("B-PER", "I-PER")


def test_bio_spans_conlleval_convention():
    toks = [Token("a", 0, 1), Token("b", 2, 3), Token("c", 4, 5)]
    assert bio_spans(toks, ["I-ORG", "I-PER", "I-PER"]) == [(0, 1, "ORG"), (2, 5, "PER")]
    with pytest.raises(ValueError, match="3 tokens but 2 tags"):
        bio_spans(toks, ["O", "O"])


def _outermost(named):
    kept, until = [], -1
    for m in sorted(named, key=lambda m: (m["start"], -m["end"])):
        if m["start"] >= until:
            kept.append((m["start"], m["end"], m["type"]))
            until = m["end"]
    return kept


def test_gold_named_mentions_survive_the_tokens_view(repo_root):
    """Every outermost named mention of every gold document comes back from its BIO tags exactly."""
    loaded = [item for item in load_documents([repo_root / "corpus" / "gold"]) if item.doc is not None]
    if not loaded:
        pytest.skip("no gold documents yet")
    for item in loaded:
        doc = item.doc
        recovered = []
        for sent, tags in tagged_sentences(doc):
            recovered += bio_spans(sent, tags)
        named = [m for m in doc["mentions"] if m["kind"] == "NAM"]
        assert recovered == _outermost(named), item.path
