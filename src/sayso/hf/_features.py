"""The features of every dataset config, generated from ``schema/labels.json``.

A small spec (``Value``, ``Label``, ``ListOf`` and plain dicts for structs) is rendered three
ways, all without importing ``datasets``: the pyarrow schema the Parquet files are written with,
the card's YAML ``dataset_info.features``, and the ``huggingface`` schema metadata that makes a
single Parquet file self-describing (so ``load_dataset("parquet", data_files=...)``, which skips
the card's YAML, still gets typed features). Owning the YAML keeps the committed card stable
across ``datasets`` releases; tests check that ``datasets`` reads all three as the same Features.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..labels import label_names
from ..tokenize import bio_labels

__all__ = [
    "Value",
    "Label",
    "ListOf",
    "CONFIGS",
    "DEFAULT_CONFIG",
    "features",
    "yaml_features",
    "hf_metadata",
    "arrow_schema",
    "describe",
]


@dataclass(frozen=True, slots=True)
class Value:
    dtype: str  # a datasets Value dtype that is also a pyarrow type name: string, int32, int64


@dataclass(frozen=True, slots=True)
class Label:
    """A ``ClassLabel``: stored as its index (int64), null when not annotated."""

    names: tuple[str, ...]
    layer: str  # the labels.json layer it comes from, for the card's field descriptions


@dataclass(frozen=True, slots=True)
class ListOf:
    item: Any


STRING, INT32 = Value("string"), Value("int32")


def _label(layer: str) -> Label:
    return Label(label_names(layer), layer)


def _span() -> dict:
    return {"start": INT32, "end": INT32, "text": STRING}


def _documents() -> dict:
    return {
        "id": STRING,
        "schema_version": STRING,
        "meta": {
            "title": STRING,
            "outlet": STRING,
            "published": STRING,
            "language": STRING,
            "url": STRING,
            "license": STRING,
            "beat": _label("beat"),
            "register": _label("register"),
            "phenomena": ListOf(_label("phenomena")),
            # Provenance keys the schema allows (Label Studio pulls, imports); null when absent.
            "annotator": STRING,
            "annotation_id": STRING,
            "source": STRING,
            "credit": STRING,
        },
        "text": STRING,
        "mentions": ListOf(
            {
                "id": STRING,
                "start": INT32,
                "end": INT32,
                "text": STRING,
                "type": _label("mention_type"),
                "kind": _label("mention_kind"),
                "entity": STRING,
            }
        ),
        "entities": ListOf(
            {"id": STRING, "name": STRING, "type": _label("mention_type"), "wikidata": STRING}
        ),
        "attributions": ListOf(
            {
                "id": STRING,
                "source": STRING,
                "cue": _span(),
                "content": ListOf(_span()),
                "quote": _label("quote"),
                "via": STRING,
                "identity": _label("identity"),
                "source_type": _label("source_type"),
                "channel": _label("channel"),
            }
        ),
        "stances": ListOf(
            {
                "id": STRING,
                "holder": STRING,
                "target": STRING,
                "polarity": _label("polarity"),
                "evidence": ListOf(_span()),
                "attribution": STRING,
            }
        ),
    }


def _context() -> dict:
    return {"context": STRING, "context_start": INT32}


def _mentions() -> dict:
    return {
        "document_id": STRING,
        "mention_id": STRING,
        "start": INT32,
        "end": INT32,
        "text": STRING,
        "type": _label("mention_type"),
        "kind": _label("mention_kind"),
        "entity_id": STRING,
        "entity_name": STRING,
        "wikidata": STRING,
        **_context(),
    }


def _attributions() -> dict:
    return {
        "document_id": STRING,
        "attribution_id": STRING,
        "source_mention_id": STRING,
        "source_text": STRING,
        "source_entity_id": STRING,
        "source_entity_name": STRING,
        "cue": _span(),
        "content": ListOf(_span()),
        "content_text": STRING,
        "quote": _label("quote"),
        "identity": _label("identity"),
        "source_type": _label("source_type"),
        "channel": _label("channel"),
        "via": STRING,
        **_context(),
    }


def _stances() -> dict:
    return {
        "document_id": STRING,
        "stance_id": STRING,
        "holder": STRING,
        "holder_text": STRING,
        "holder_entity_id": STRING,
        "holder_entity_name": STRING,
        "target": STRING,
        "target_text": STRING,
        "target_entity_id": STRING,
        "target_entity_name": STRING,
        "polarity": _label("polarity"),
        "evidence": ListOf(_span()),
        "evidence_text": STRING,
        "attribution": STRING,
        **_context(),
    }


def _tokens() -> dict:
    return {
        "id": STRING,
        "document_id": STRING,
        "sentence": INT32,
        "tokens": ListOf(STRING),
        "ner_tags": ListOf(Label(bio_labels(label_names("mention_type")), "bio")),
        "char_starts": ListOf(INT32),
        "char_ends": ListOf(INT32),
    }


_BUILDERS = {
    "documents": _documents,
    "mentions": _mentions,
    "attributions": _attributions,
    "stances": _stances,
    "tokens": _tokens,
}
CONFIGS: tuple[str, ...] = tuple(_BUILDERS)
DEFAULT_CONFIG = "documents"


def features(config: str) -> dict:
    """The feature spec (an ordered dict of field -> spec) of ``config``."""
    return _BUILDERS[config]()


# --- pyarrow ------------------------------------------------------------------------------------


def _arrow_type(spec: Any):
    import pyarrow as pa

    if isinstance(spec, Value):
        return pa.type_for_alias(spec.dtype)
    if isinstance(spec, Label):
        return pa.int64()
    if isinstance(spec, ListOf):
        return pa.list_(_arrow_type(spec.item))
    return pa.struct([pa.field(name, _arrow_type(sub)) for name, sub in spec.items()])


def arrow_schema(config: str):
    """The pyarrow schema of ``config``, carrying the ``huggingface`` features metadata."""
    import pyarrow as pa

    spec = features(config)
    fields = [pa.field(name, _arrow_type(sub)) for name, sub in spec.items()]
    return pa.schema(fields, metadata={"huggingface": hf_metadata(config)})


# --- datasets' own serialisations -------------------------------------------------------------


def _hf_dict(spec: Any) -> dict:
    if isinstance(spec, Value):
        return {"dtype": spec.dtype, "_type": "Value"}
    if isinstance(spec, Label):
        return {"names": list(spec.names), "_type": "ClassLabel"}
    if isinstance(spec, ListOf):
        return {"feature": _hf_dict(spec.item), "_type": "List"}
    return {name: _hf_dict(sub) for name, sub in spec.items()}


def hf_metadata(config: str) -> str:
    """The JSON that ``datasets`` stores under the ``huggingface`` key of a Parquet schema."""
    return json.dumps({"info": {"features": _hf_dict(features(config))}}, separators=(",", ":"))


def _yaml_type(spec: Any) -> Any:
    """The value under ``dtype:``/``list:`` in the card's YAML for a non-struct spec."""
    if isinstance(spec, Value):
        return spec.dtype
    if isinstance(spec, Label):
        return {"class_label": {"names": {str(i): name for i, name in enumerate(spec.names)}}}
    if isinstance(spec, ListOf):
        return {"list": _yaml_inner(spec.item)}
    raise TypeError(spec)


def _yaml_inner(spec: Any) -> Any:
    if isinstance(spec, dict):
        return yaml_features(spec)
    if isinstance(spec, ListOf):
        return {"list": _yaml_inner(spec.item)}
    return _yaml_type(spec)


def yaml_features(spec: dict) -> list[dict]:
    """The card YAML (``dataset_info.features``) of a struct spec, in ``datasets``' own layout."""
    out = []
    for name, sub in spec.items():
        if isinstance(sub, dict):
            out.append({"name": name, "struct": yaml_features(sub)})
        elif isinstance(sub, ListOf):
            out.append({"name": name, "list": _yaml_inner(sub.item)})
        else:
            out.append({"name": name, "dtype": _yaml_type(sub)})
    return out


def describe(spec: Any) -> str:
    """A short human type name for the card's field tables: ``list<struct>``, ``ClassLabel(quote)``."""
    if isinstance(spec, Value):
        return spec.dtype
    if isinstance(spec, Label):
        return f"ClassLabel({spec.layer})"
    if isinstance(spec, ListOf):
        return f"list<{describe(spec.item)}>"
    return "struct"
