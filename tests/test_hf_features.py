"""The features of every config: generated from labels.json, read identically from all three renderings."""

from __future__ import annotations

import json

import pytest

datasets = pytest.importorskip("datasets")
pytest.importorskip("pyarrow")

from datasets import ClassLabel, Features, List, Value  # noqa: E402

from sayso.hf import CONFIGS, DEFAULT_CONFIG  # noqa: E402
from sayso.hf import _features as F  # noqa: E402
from sayso.hf._fielddocs import CONFIG_SUMMARY, FIELDS  # noqa: E402
from sayso.labels import label_names  # noqa: E402


def cl(layer: str) -> ClassLabel:
    return ClassLabel(names=list(label_names(layer)))


S, I32 = Value("string"), Value("int32")
SPAN = {"start": I32, "end": I32, "text": S}
CONTEXT = {"context": S, "context_start": I32}
BIO = ClassLabel(names=["O"] + [f"{p}-{t}" for t in label_names("mention_type") for p in "BI"])

# The contract, written out independently of the code that generates it.
EXPECTED = {
    "documents": Features({
        "id": S, "schema_version": S,
        "meta": {"title": S, "outlet": S, "published": S, "language": S, "url": S, "license": S,
                 "beat": cl("beat"), "register": cl("register"), "phenomena": List(cl("phenomena")),
                 "annotator": S, "annotation_id": S, "source": S, "credit": S},
        "text": S,
        "mentions": List({"id": S, "start": I32, "end": I32, "text": S, "type": cl("mention_type"),
                          "kind": cl("mention_kind"), "entity": S}),
        "entities": List({"id": S, "name": S, "type": cl("mention_type"), "wikidata": S}),
        "attributions": List({"id": S, "source": S, "cue": SPAN, "content": List(SPAN), "quote": cl("quote"),
                              "via": S, "identity": cl("identity"), "source_type": cl("source_type"),
                              "channel": cl("channel")}),
        "stances": List({"id": S, "holder": S, "target": S, "polarity": cl("polarity"),
                         "evidence": List(SPAN), "attribution": S}),
    }),
    "mentions": Features({
        "document_id": S, "mention_id": S, "start": I32, "end": I32, "text": S, "type": cl("mention_type"),
        "kind": cl("mention_kind"), "entity_id": S, "entity_name": S, "wikidata": S, **CONTEXT,
    }),
    "attributions": Features({
        "document_id": S, "attribution_id": S, "source_mention_id": S, "source_text": S,
        "source_entity_id": S, "source_entity_name": S, "cue": SPAN, "content": List(SPAN), "content_text": S,
        "quote": cl("quote"),
        "identity": cl("identity"), "source_type": cl("source_type"), "channel": cl("channel"), "via": S,
        **CONTEXT,
    }),
    "stances": Features({
        "document_id": S, "stance_id": S, "holder": S, "holder_text": S, "holder_entity_id": S,
        "holder_entity_name": S, "target": S, "target_text": S, "target_entity_id": S,
        "target_entity_name": S,
        "polarity": cl("polarity"), "evidence": List(SPAN), "evidence_text": S, "attribution": S, **CONTEXT,
    }),
    "tokens": Features({
        "id": S, "document_id": S, "sentence": I32, "tokens": List(S), "ner_tags": List(BIO),
        "char_starts": List(I32), "char_ends": List(I32),
    }),
}  # fmt: skip


def test_configs():
    assert CONFIGS == ("documents", "mentions", "attributions", "stances", "tokens")
    assert DEFAULT_CONFIG == "documents"
    assert set(EXPECTED) == set(CONFIGS)


@pytest.mark.parametrize("config", CONFIGS)
def test_yaml_metadata_and_arrow_schema_agree_with_the_contract(config):
    from_yaml = Features._from_yaml_list(F.yaml_features(F.features(config)))
    from_meta = Features.from_dict(json.loads(F.hf_metadata(config))["info"]["features"])
    from_arrow = Features.from_arrow_schema(F.arrow_schema(config))
    assert from_yaml == EXPECTED[config]
    assert from_meta == EXPECTED[config]
    assert from_arrow == EXPECTED[config]
    assert F.arrow_schema(config).remove_metadata() == EXPECTED[config].arrow_schema.remove_metadata()
    # The YAML is exactly what datasets itself would write for these features.
    assert F.yaml_features(F.features(config)) == EXPECTED[config]._to_yaml_list()


def _paths(spec, prefix=""):
    for name, sub in spec.items():
        path = f"{prefix}{name}"
        yield path
        if isinstance(sub, dict):
            yield from _paths(sub, f"{path}.")
        elif isinstance(sub, F.ListOf) and isinstance(sub.item, dict):
            yield from _paths(sub.item, f"{path}[].")


@pytest.mark.parametrize("config", CONFIGS)
def test_every_field_is_documented_once(config):
    assert list(_paths(F.features(config))) == list(FIELDS[config])
    assert CONFIG_SUMMARY[config]
