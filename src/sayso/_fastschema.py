"""A fast yes/no check compiled from SaySo's own JSON Schemas into msgspec types.

jsonschema's validators interpret the schema tree for every instance: about 5 ms for an average
SaySo article, far too slow for a validator and a scorer that check every document. This module
compiles each schema once into msgspec types (Structs with ``forbid_unknown_fields``, ``Literal``
labels, ``Meta`` bounds and patterns) and answers "valid or not" with ``msgspec.convert``, which
walks the parsed document in C.

The compiled check is used as a fast path and never as the judge: when it says "no", the
validator asks jsonschema for the errors (with their paths and best-match ordering), and when
jsonschema finds none the document is valid. So the fast path may be stricter than the schema (a
``dict`` subclass, an integer beyond 64 bits) but must never be looser; ``tests/test_schema.py``
checks that the two agree on thousands of mutated documents.

Only the keywords SaySo's schemas use are supported; any other keyword raises at compile time, so
the schema cannot grow a constraint this module would silently skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union

__all__ = ["compile_schema", "SUPPORTED_KEYWORDS"]

# Annotations that do not constrain instances.
_IGNORED = {"$schema", "$id", "title", "description", "$comment", "$defs"}
SUPPORTED_KEYWORDS = _IGNORED | {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "uniqueItems",
    "minLength",
    "minimum",
    "pattern",
    "enum",
    "$ref",
}


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.defs: dict[str, Any] = {}
        self.counter = 0
        # uniqueItems has no msgspec counterpart: the paths (object keys, "*" for list items) of
        # the lists that must not repeat an item, checked on the document after the conversion.
        self.unique: list[tuple[str, ...]] = []

    def type_of(self, schema: Any, path: tuple[str, ...]) -> Any:
        import msgspec

        if schema is True or schema == {}:
            return Any
        unknown = set(schema) - SUPPORTED_KEYWORDS
        if unknown:
            raise ValueError(f"unsupported JSON Schema keywords: {sorted(unknown)}")
        if "$ref" in schema:
            if set(schema) - _IGNORED - {"$ref"}:
                raise ValueError("a $ref next to other constraints is not supported")
            return self.ref(schema["$ref"], path)
        if "enum" in schema:
            values = schema["enum"]
            if not all(v is None or isinstance(v, str) for v in values):
                raise ValueError("enum values must be strings or null")
            strings = tuple(v for v in values if v is not None)
            labels = Literal[strings] if strings else None  # type: ignore[valid-type]
            if "type" in schema:
                raise ValueError("an enum next to a type is not supported")
            return labels | None if None in values and strings else labels
        types = schema.get("type")
        names = [types] if isinstance(types, str) else list(types or ())
        if not names:
            raise ValueError("every schema needs a type, an enum or a $ref")
        options = [self.one_type(name, schema, path) for name in names if name != "null"]
        result: Any = options[0] if options else None
        for option in options[1:]:
            result = Union[result, option]  # noqa: UP007 - built at run time from a list
        if "null" in names:
            result = None if not options else Union[result, None]  # noqa: UP007
        del msgspec
        return result

    def ref(self, ref: str, path: tuple[str, ...]) -> Any:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r} (only local #/$defs/... references)")
        name = ref[len("#/$defs/") :]
        if name not in self.defs:
            self.defs[name] = None  # definitions do not refer to themselves in SaySo's schemas
            self.defs[name] = self.type_of(self.root["$defs"][name], path)
        if self.defs[name] is None:
            raise ValueError(f"recursive $ref {ref!r} is not supported")
        return self.defs[name]

    def one_type(self, name: str, schema: dict[str, Any], path: tuple[str, ...]) -> Any:
        from msgspec import Meta

        if name == "integer":
            bound = {"ge": schema["minimum"]} if "minimum" in schema else {}
            return Annotated[int, Meta(**bound)] if bound else int
        if name == "number":
            bound = {"ge": schema["minimum"]} if "minimum" in schema else {}
            return Annotated[float, Meta(**bound)] if bound else float
        if name == "boolean":
            return bool
        if name == "string":
            meta = {}
            if "minLength" in schema:
                meta["min_length"] = schema["minLength"]
            if "pattern" in schema:
                re.compile(schema["pattern"])
                meta["pattern"] = schema["pattern"]
            return Annotated[str, Meta(**meta)] if meta else str
        if name == "array":
            item = self.type_of(schema.get("items", True), (*path, "*"))
            if schema.get("uniqueItems"):
                self.unique.append(path)
            if "minItems" in schema:
                return Annotated[list[item], Meta(min_length=schema["minItems"])]  # type: ignore[valid-type]
            return list[item]  # type: ignore[valid-type]
        if name == "object":
            return self.object_type(schema, path)
        raise ValueError(f"unsupported type {name!r}")

    def object_type(self, schema: dict[str, Any], path: tuple[str, ...]) -> Any:
        import msgspec

        properties = schema.get("properties")
        extra = schema.get("additionalProperties", True)
        if properties is None:
            if extra not in (True, {}):
                raise ValueError("an object without properties must allow any property")
            return dict[str, Any]
        if extra is not False:
            raise ValueError("objects with properties must forbid additional properties")
        required = set(schema.get("required", ()))
        fields: list[tuple] = []
        for key, sub in properties.items():
            if not key.isidentifier():
                raise ValueError(f"property {key!r} is not an identifier")
            kind = self.type_of(sub, (*path, key))
            if key in required:
                fields.append((key, kind))
            else:
                fields.append((key, Union[kind, msgspec.UnsetType], msgspec.UNSET))  # noqa: UP007
        missing = required - set(properties)
        if missing:
            raise ValueError(f"required properties without a schema: {sorted(missing)}")
        fields.sort(key=len)  # fields with defaults after those without
        self.counter += 1
        return msgspec.defstruct(f"_Object{self.counter}", fields, forbid_unknown_fields=True)


def _values(doc: Any, path: tuple[str, ...]) -> list[Any]:
    """The values at ``path`` in a document that the typed conversion accepted."""
    found = [doc]
    for part in path:
        if part == "*":
            found = [item for value in found for item in value]
        else:
            found = [value[part] for value in found if type(value) is dict and value.get(part) is not None]
    return found


def compile_schema(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """A function returning True exactly when ``doc`` is valid under ``schema`` (or stricter)."""
    import msgspec

    compiler = _Compiler(schema)
    target = compiler.type_of(schema, ())
    unique = tuple(compiler.unique)
    convert = msgspec.convert
    error = msgspec.ValidationError

    def check(doc: Any) -> bool:
        # Exact dicts only: a subclass would pass for an object, which the schema leaves to
        # jsonschema (stricter, never looser).
        try:
            convert(doc, target, strict=True)
        except error:
            return False
        except RecursionError:
            raise
        except Exception:  # anything msgspec cannot take (an exotic Python value): ask jsonschema
            return False
        for path in unique:
            for value in _values(doc, path):
                if len(value) != len(set(map(_hashable, value))):
                    return False
        return True

    return check


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
