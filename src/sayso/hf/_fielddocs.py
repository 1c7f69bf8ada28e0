"""One-line descriptions of every field of every config, for the card's generated field tables.

Keys are field paths as the tables print them (``mentions[].start``). A test checks that every
field of every config has exactly one description here, so a new field cannot ship undocumented.
"""

from __future__ import annotations

SPAN = {
    "start": "start offset, Unicode code points into `text`, inclusive",
    "end": "end offset, exclusive",
    "text": "`text[start:end]`",
}

CONFIG_SUMMARY = {
    "documents": "One row per article with all four annotation layers nested: the lossless form of the "
    "gold JSON (every row converts back to the schema document it came from).",
    "mentions": "One row per mention (named, nominal and pronominal), with its entity and a short context.",
    "attributions": "One row per attribution record: who (source) says what (content) through which cue, "
    "with its quote style, source identity, source type and channel.",
    "stances": "One row per stance: the holder's position (support, oppose, neutral) toward a target, "
    "with its evidence and the attribution it is reported through.",
    "tokens": "One row per sentence, CoNLL-style: tokens, BIO tags of the named mentions, and each "
    "token's character offsets into the article text.",
}


def _span_docs(prefix: str, what: str) -> dict[str, str]:
    docs = {prefix: what}
    for key, value in SPAN.items():
        docs[f"{prefix}.{key}"] = value
    return docs


def _list_span_docs(prefix: str, what: str) -> dict[str, str]:
    docs = {prefix: what}
    for key, value in SPAN.items():
        docs[f"{prefix}[].{key}"] = value
    return docs


_CONTEXT = {
    "context": "the sentence(s) around the item, copied from the article text",
    "context_start": "offset of `context` in the article text (subtract it from a span offset to index "
    "into `context`)",
}

FIELDS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "document id (`sayso-NNNN`)",
        "schema_version": "SaySo schema version the document follows",
        "meta": "article metadata",
        "meta.title": "headline (the first line of `text`)",
        "meta.outlet": "the (fictional) outlet the article is written for",
        "meta.published": "publication date, `YYYY-MM-DD`",
        "meta.language": "language code (`en`)",
        "meta.url": "URL of the article, null for articles written for the corpus",
        "meta.license": "licence of the text and annotations",
        "meta.beat": "news beat",
        "meta.register": "register of the article (null when not given)",
        "meta.phenomena": "hard cases the article contains, for breakdowns",
        "meta.annotator": "who annotated the document (null when not recorded)",
        "meta.annotation_id": "annotation id in the tool it came from (null when not recorded)",
        "meta.source": "where an imported document came from (null for original articles)",
        "meta.credit": "credit line an imported document requires (null for original articles)",
        "text": "the article: headline, blank line, paragraphs separated by blank lines; every offset "
        "indexes into it",
        "mentions": "mentions of entities; null when the layer is not annotated",
        "mentions[].id": "mention id, unique in the document",
        "mentions[].start": SPAN["start"],
        "mentions[].end": SPAN["end"],
        "mentions[].text": SPAN["text"],
        "mentions[].type": "entity type",
        "mentions[].kind": "how the mention refers: a name, a description or a pronoun",
        "mentions[].entity": "id of the entity (coreference cluster) the mention belongs to",
        "entities": "entities (coreference clusters of mentions)",
        "entities[].id": "entity id, unique in the document",
        "entities[].name": "canonical name",
        "entities[].type": "entity type",
        "entities[].wikidata": "Wikidata id for real-world entities, null otherwise",
        "attributions": "attribution records; null when the layer is not annotated",
        "attributions[].id": "attribution id, unique in the document",
        "attributions[].source": 'mention id of the source; null for agentless attributions ("reportedly")',
        **_span_docs(
            "attributions[].cue",
            'the span signalling the attribution ("said", "according to"); null when there is none',
        ),
        **_list_span_docs("attributions[].content", "what is attributed: one or more spans"),
        "attributions[].quote": "how the content is rendered",
        "attributions[].via": 'id of the attribution that relays this one ("X reported, citing Y"), or null',
        "attributions[].identity": "how identifiable the source is",
        "attributions[].source_type": "who the source is",
        "attributions[].channel": "how the information reached the reporter",
        "stances": "stance records; null when the layer is not annotated",
        "stances[].id": "stance id, unique in the document",
        "stances[].holder": "mention id of the stance holder, or `author`",
        "stances[].target": "mention id of the target",
        "stances[].polarity": "direction of the stance",
        **_list_span_docs("stances[].evidence", "spans that express the stance"),
        "stances[].attribution": "id of the attribution the stance is reported through, or null",
    },
    "mentions": {
        "document_id": "id of the article",
        "mention_id": "mention id, unique in the article",
        "start": SPAN["start"],
        "end": SPAN["end"],
        "text": "the mention's text",
        "type": "entity type",
        "kind": "how the mention refers",
        "entity_id": "entity id (coreference cluster) in the article",
        "entity_name": "canonical name of the entity",
        "wikidata": "Wikidata id of the entity, null for fictional ones",
        **_CONTEXT,
    },
    "attributions": {
        "document_id": "id of the article",
        "attribution_id": "attribution id, unique in the article",
        "source_mention_id": "mention id of the source, null for agentless attributions",
        "source_text": "text of the source mention",
        "source_entity_id": "entity id of the source",
        "source_entity_name": "canonical name of the source entity",
        **_span_docs("cue", "the cue span, or null"),
        **_list_span_docs("content", "content spans"),
        "content_text": "the content spans' text, joined with ` … `",
        "quote": "how the content is rendered",
        "identity": "how identifiable the source is",
        "source_type": "who the source is",
        "channel": "how the information reached the reporter",
        "via": "id of the relaying attribution, or null",
        **_CONTEXT,
    },
    "stances": {
        "document_id": "id of the article",
        "stance_id": "stance id, unique in the article",
        "holder": "mention id of the holder, or `author`",
        "holder_text": "text of the holder mention (null for `author`)",
        "holder_entity_id": "entity id of the holder",
        "holder_entity_name": "canonical name of the holder entity",
        "target": "mention id of the target",
        "target_text": "text of the target mention",
        "target_entity_id": "entity id of the target",
        "target_entity_name": "canonical name of the target entity",
        "polarity": "direction of the stance",
        **_list_span_docs("evidence", "evidence spans"),
        "evidence_text": "the evidence spans' text, joined with ` … `",
        "attribution": "id of the attribution the stance is reported through, or null",
        **_CONTEXT,
    },
    "tokens": {
        "id": "`<document id>-<sentence number>`",
        "document_id": "id of the article",
        "sentence": "sentence number in the article, from 0 (the headline)",
        "tokens": "the sentence's tokens, each exactly as in the text",
        "ner_tags": "BIO tags of the named (NAM) mentions; a named mention nested in another is not tagged",
        "char_starts": "start offset of each token in the article text",
        "char_ends": "end offset (exclusive) of each token",
    },
}
