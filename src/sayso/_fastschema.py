"""A fast yes/no check compiled from SaySo's own JSON Schemas.

jsonschema's validators interpret the schema tree for every instance: about 5 ms for an average
SaySo article, which is ten times too slow for the validator's target of 2,000 documents per
second (issue 2). This module compiles the schema once into plain Python source (the approach of
fastjsonschema, which does not support draft 2020-12) and answers only "valid or not".

The compiled check is used as a fast path and never as the judge: when it says "no", the
validator asks jsonschema for the errors (with their paths and best-match ordering), and when
jsonschema finds none the document is valid. So the fast path may be stricter than the schema
(it uses exact ``type(x) is dict`` tests, so a ``dict`` subclass falls through to jsonschema) but
must never be looser; ``tests/test_schema.py`` checks that on thousands of mutated documents.

Only the keywords SaySo's schemas use are supported; any other keyword raises at compile time, so
the schema cannot grow a constraint this module would silently skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

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

# Exact type tests: json.loads only ever produces these types. Booleans are not integers and
# floats are not integers (SaySo's validator uses a strict integer type; see sayso.validate).
_TYPE_TESTS = {
    "object": "type({v}) is dict",
    "array": "type({v}) is list",
    "string": "type({v}) is str",
    "integer": "type({v}) is int",
    "number": "(type({v}) is int or type({v}) is float)",
    "boolean": "type({v}) is bool",
    "null": "{v} is None",
}


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.constants: dict[str, Any] = {}
        self.functions: dict[str, list[str]] = {}
        self.counter = 0

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def constant(self, value: Any) -> str:
        name = self.fresh("_c")
        self.constants[name] = value
        return name

    def ref_function(self, ref: str) -> str:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r} (only local #/$defs/... references)")
        name = "_def_" + re.sub(r"\W", "_", ref[len("#/$defs/") :])
        if name not in self.functions:
            self.functions[name] = []  # reserve first: definitions may refer to themselves
            body = self.emit(self.root["$defs"][ref[len("#/$defs/") :]], "x", 1)
            self.functions[name] = [f"def {name}(x):", *body, "    return True"]
        return name

    def emit(self, schema: Any, v: str, depth: int) -> list[str]:
        """Lines (indented at ``depth``) that ``return False`` when ``v`` fails ``schema``."""
        pad = "    " * depth
        if schema is True or schema == {}:
            return []
        if schema is False:
            return [f"{pad}return False"]
        unknown = set(schema) - SUPPORTED_KEYWORDS
        if unknown:
            raise ValueError(f"unsupported JSON Schema keywords: {sorted(unknown)}")
        lines: list[str] = []
        if "$ref" in schema:
            lines.append(f"{pad}if not {self.ref_function(schema['$ref'])}({v}): return False")
        if "enum" in schema:
            lines += self.emit_enum(schema["enum"], v, pad)
        types = schema.get("type")
        if types is None:
            types_list = ["object", "array", "string", "integer", "number", "boolean", "null"]
            lines_guard = False
        else:
            types_list = [types] if isinstance(types, str) else list(types)
            lines_guard = True
        if lines_guard:
            test = " or ".join(_TYPE_TESTS[t].format(v=v) for t in types_list)
            lines.append(f"{pad}if not ({test}): return False")
        by_type = {
            "object": self.emit_object(schema, v, depth + 1),
            "array": self.emit_array(schema, v, depth + 1),
            "string": self.emit_string(schema, v, depth + 1),
            "integer": self.emit_number(schema, v, depth + 1),
        }
        for type_name, body in by_type.items():
            if body and (type_name in types_list or not lines_guard):
                test = _TYPE_TESTS[type_name].format(v=v)
                if type_name == "integer" and "number" in types_list:
                    test = _TYPE_TESTS["number"].format(v=v)
                lines.append(f"{pad}if {test}:")
                lines += body
        return lines

    def emit_enum(self, values: list[Any], v: str, pad: str) -> list[str]:
        if not all(value is None or isinstance(value, str) for value in values):
            raise ValueError("enum values must be strings or null")
        strings = self.constant(frozenset(value for value in values if isinstance(value, str)))
        allow_null = " or " + f"{v} is None" if None in values else ""
        return [f"{pad}if not ((type({v}) is str and {v} in {strings}){allow_null}): return False"]

    def emit_object(self, schema: dict[str, Any], v: str, depth: int) -> list[str]:
        pad = "    " * depth
        lines: list[str] = []
        required = schema.get("required", [])
        for key in required:
            lines.append(f"{pad}if {key!r} not in {v}: return False")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        if extra is False:
            allowed = self.constant(frozenset(properties))
            lines.append(f"{pad}if not {v}.keys() <= {allowed}: return False")
        elif extra is not True:
            raise ValueError("additionalProperties must be true or false")
        for key, subschema in properties.items():
            item = self.fresh("v")
            body = self.emit(subschema, item, depth + 1)
            if not body:
                continue
            if key in required:
                lines.append(f"{pad}{item} = {v}[{key!r}]")
                lines += [line[4:] for line in body]
            else:
                lines.append(f"{pad}if {key!r} in {v}:")
                lines.append(f"{pad}    {item} = {v}[{key!r}]")
                lines += body
        return lines

    def emit_array(self, schema: dict[str, Any], v: str, depth: int) -> list[str]:
        pad = "    " * depth
        lines: list[str] = []
        if "minItems" in schema:
            lines.append(f"{pad}if len({v}) < {int(schema['minItems'])}: return False")
        if "items" in schema:
            item = self.fresh("v")
            body = self.emit(schema["items"], item, depth + 1)
            if body:
                lines.append(f"{pad}for {item} in {v}:")
                lines += body
        if schema.get("uniqueItems"):
            # Reached only when every item passed `items`; SaySo's unique arrays hold strings.
            lines.append(f"{pad}try:")
            lines.append(f"{pad}    if len(set({v})) != len({v}): return False")
            lines.append(f"{pad}except TypeError:")
            lines.append(f"{pad}    return False")
        return lines

    def emit_string(self, schema: dict[str, Any], v: str, depth: int) -> list[str]:
        pad = "    " * depth
        lines: list[str] = []
        if "minLength" in schema:
            lines.append(f"{pad}if len({v}) < {int(schema['minLength'])}: return False")
        if "pattern" in schema:
            regex = self.constant(re.compile(schema["pattern"]))
            lines.append(f"{pad}if {regex}.search({v}) is None: return False")
        return lines

    def emit_number(self, schema: dict[str, Any], v: str, depth: int) -> list[str]:
        pad = "    " * depth
        if "minimum" in schema:
            return [f"{pad}if {v} < {schema['minimum']!r}: return False"]
        return []


def compile_schema(schema: dict[str, Any]) -> Callable[[Any], bool]:
    """Compile ``schema`` into a function ``check(instance) -> bool`` (True only if valid)."""
    compiler = _Compiler(schema)
    body = compiler.emit(schema, "x", 1)
    functions = [lines for lines in compiler.functions.values()]
    source = "\n".join(
        ["\n".join(lines) for lines in functions] + ["def check(x):", *body, "    return True"]
    )
    namespace: dict[str, Any] = dict(compiler.constants)
    exec(compile(source, "<sayso-compiled-schema>", "exec"), namespace)  # noqa: S102 - our own schema
    check = namespace["check"]
    check.source = source  # kept for debugging: print(check.source)
    return check
