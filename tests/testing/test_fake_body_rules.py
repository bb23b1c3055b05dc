"""The fake refuses what the spec refuses, for every operation with a request body.

Everything here is driven from the OpenAPI document, with the newer API of
``scripts/spec_overlay.json`` laid over it (the document the rules are generated
from), not from the fake's own rules: for each operation with a JSON body,
the spec's and the newer ones, the test builds a spec-valid body
(checked with a JSON Schema validator), sends it and expects a success, then
sends one broken body per fact the spec states — a missing required key, a
value of the wrong JSON type, a string too short or long, a number out of
bounds, too few items, a value outside an ``enum``, a bad ``date-time``,
repeated items where they must be unique — at the body's own keys and one
level down (the keys of an object field, the items of an array field, the
values of a map field). Each broken body must be one the spec refuses, and the
fake must answer it with a 422 naming the place that is wrong.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from spec_support import load_api, require_api, require_spec

from telnyx_async.testing import FakeTelnyx
from telnyx_async.testing._body_rules import OPERATION_BODIES

from ._fake_http import Api

Schema = dict[str, Any]
Loc = tuple[str | int, ...]

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date-time")(lambda v: not isinstance(v, str) or bool(_RFC3339.match(v)))
_WRONG_TYPES: tuple[Any, ...] = (12345, "text", True, [], {}, None, 1.5)


# ------------------------------------------------------------------------ the spec's view


class SpecBodies:
    """Resolving, checking and making values of the spec's request schemas."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.schemas: dict[str, Schema] = spec["components"]["schemas"]

    def accepts(self, schema: Schema, value: Any) -> bool:
        root = {"components": self.spec["components"], "allOf": [schema]}
        return Draft202012Validator(root, format_checker=_FORMATS).is_valid(value)

    def resolve(self, schema: Schema) -> Schema:
        """``$ref``, one-member ``allOf`` and ``allOf`` of objects folded into one schema."""
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            schema = {**self.schemas[name], **{k: v for k, v in schema.items() if k != "$ref"}}
        members = schema.get("allOf")
        if isinstance(members, list):
            merged: Schema = {k: v for k, v in schema.items() if k != "allOf"}
            for member in members:
                part = self.resolve(member)
                for key, value in part.items():
                    if key == "properties":
                        merged.setdefault("properties", {}).update(value)
                    elif key == "required":
                        merged["required"] = [*merged.get("required", []), *value]
                    else:
                        merged.setdefault(key, value)
            return merged
        return schema

    def solid(self, schema: Schema) -> Schema:
        """A union's first member that is not ``null``; other schemas as they are."""
        schema = self.resolve(schema)
        members = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(members, list):
            for member in members:
                if self.resolve(member).get("type") != "null":
                    return self.resolve(member)
        return schema

    def example(self, schema: Schema, *, full: bool, depth: int = 0) -> Any:
        """A value the schema accepts: required keys only, or (``full``) every key too."""
        schema = self.solid(schema)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list):
            return next(v for v in schema["enum"] if v is not None)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next(k for k in kind if k != "null")
        if kind == "object" or (kind is None and "properties" in schema):
            properties: dict[str, Schema] = schema.get("properties") or {}
            required = schema.get("required") or []
            keys = list(properties) if full and depth < 2 else list(required)
            return {k: self.example(properties[k], full=full, depth=depth + 1) for k in keys}
        if kind == "array":
            count = max(schema.get("minItems", 0), 1 if full else 0)
            items = schema.get("items") or {}
            return [self.example(items, full=full, depth=depth + 1) for _ in range(count)]
        if kind == "string":
            if schema.get("format") == "date-time":
                return "2030-01-15T10:30:00Z"
            length = max(schema.get("minLength", 0), 4)
            return "x" * min(length, schema.get("maxLength", length))
        if kind in ("integer", "number"):
            low = schema.get("minimum", 1)
            return int(low) if kind == "integer" else float(low)
        if kind == "boolean":
            return True
        return "any"

    def wrong_type(self, schema: Schema) -> Any:
        """A value of a JSON type the schema refuses, or ``...`` when it takes any type."""
        for candidate in _WRONG_TYPES:
            if not self.accepts(schema, candidate):
                return candidate
        return ...


@dataclass
class Broken:
    """One body the spec refuses, and the place the fake must name."""

    what: str
    body: Any
    loc: Loc


def _bounds(bodies: SpecBodies, schema: Schema, example: Any) -> Iterator[tuple[str, Any]]:
    """Values breaking each bound, enum, format or uniqueness the schema states."""
    plain = bodies.solid(schema)
    if "minLength" in plain and plain["minLength"] > 0:
        yield "too short", "x" * (plain["minLength"] - 1)
    if "maxLength" in plain:
        yield "too long", "x" * (plain["maxLength"] + 1)
    if "minimum" in plain:
        yield "below minimum", plain["minimum"] - 1
    if "maximum" in plain:
        yield "above maximum", plain["maximum"] + 1
    if plain.get("minItems", 0) > 0:
        yield "too few items", []
    if "maxItems" in plain and isinstance(example, list) and example:
        yield "too many items", [copy.deepcopy(example[0])] * (plain["maxItems"] + 1)
    if isinstance(plain.get("enum"), list):
        yield "not in the enum", "surely-not-a-member"
    if plain.get("format") == "date-time":
        yield "not a date-time", "next tuesday"
    if plain.get("uniqueItems") and isinstance(example, list):
        items = bodies.solid(plain.get("items") or {})
        member = (items.get("enum") or [None])[0] if items.get("enum") else "same"
        yield "repeated items", [member, member]


def _value_breaks(
    bodies: SpecBodies, schema: Schema, value: Any, loc: Loc, level: int
) -> Iterator[tuple[str, Loc, Any]]:
    """(what, where, a replacement for the value at ``loc``) for each way to break it.

    ``where`` is the place the fake must name; ``level`` counts object levels
    (the body is 0): keys at level 2 are broken, nothing below them.
    """
    wrong = bodies.wrong_type(schema)
    if wrong is not ...:
        yield "wrong type", loc, wrong
    for what, broken in _bounds(bodies, schema, value):
        yield what, loc, broken
    if level >= 2:
        return
    plain = bodies.solid(schema)
    union = bodies.resolve(schema).get("anyOf") or bodies.resolve(schema).get("oneOf") or []
    solid = [m for m in union if bodies.resolve(m).get("type") != "null"]
    if isinstance(value, dict) and len(solid) > 1:
        # One of several object shapes: only what every member requires is sure.
        shared = set.intersection(*(set(bodies.resolve(m).get("required") or []) for m in solid))
        for key in sorted(shared):
            yield "missing", (*loc, key), {k: v for k, v in value.items() if k != key}
    elif isinstance(value, dict):
        properties: dict[str, Schema] = plain.get("properties") or {}
        for key in plain.get("required") or []:
            yield "missing", (*loc, key), {k: v for k, v in value.items() if k != key}
        for key, sub in properties.items():
            inner = value.get(key, bodies.example(sub, full=False))
            for what, where, broken in _value_breaks(bodies, sub, inner, (*loc, key), level + 1):
                yield what, where, {**value, key: broken}
        extra = plain.get("additionalProperties")
        if isinstance(extra, dict) and not properties:
            wrong_value = bodies.wrong_type(extra)
            if wrong_value is not ...:
                yield "wrong map value", (*loc, "some_key"), {"some_key": wrong_value}
    if isinstance(value, list) and isinstance(plain.get("items"), dict):
        items = plain["items"]
        item = value[0] if value else bodies.example(items, full=False)
        for what, where, broken in _value_breaks(bodies, items, item, (*loc, 0), level):
            yield f"item {what}", where, [broken]


def broken_bodies(bodies: SpecBodies, schema: Schema, valid: dict[str, Any]) -> Iterator[Broken]:
    """Every broken body for a request schema (the test checks the spec refuses each)."""
    yield Broken("not an object", [valid], ("body",))
    for what, where, body in _value_breaks(bodies, schema, valid, ("body",), 0):
        yield Broken(f"{what} at {'/'.join(map(str, where[1:])) or 'the body'}", body, where)


# ------------------------------------------------------------------------ the fake's side


@dataclass
class World:
    """Path parameters that exist on the fake."""

    params: dict[str, str]

    @classmethod
    def make(cls, fake: FakeTelnyx) -> World:
        tool = fake.add_tool("Lookup")
        assistant = fake.add_assistant(name="Checker", instructions="Help.", tool_ids=[tool["id"]])
        test = fake.add_test("Check", test_suite="checks", destination=assistant["id"])
        mcp = fake.add_mcp_server("docs", "https://mcp.example.com")
        return cls(
            {
                "assistant_id": assistant["id"],
                "version_id": assistant["version_id"],
                "tool_id": tool["id"],
                "test_id": test["test_id"],
                "suite_name": "checks",
                "mcp_server_id": mcp["id"],
            }
        )

    def path(self, template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.params[m.group(1)], template)


_SETUP: dict[tuple[str, str], tuple[str, str, Any]] = {
    # what must exist before the operation can succeed
    ("PUT", "/ai/assistants/{assistant_id}/canary-deploys"): (
        "POST",
        "/ai/assistants/{assistant_id}/canary-deploys",
        {"rules": []},
    ),
}


async def _ready_world(fake: FakeTelnyx, api: Api, method: str, path: str) -> World:
    world = World.make(fake)
    setup = _SETUP.get((method, path))
    if setup is not None:
        status, answer, _ = await api.request(setup[0], world.path(setup[1]), json=setup[2])
        assert status < 300, answer
    return world


def _with_world(body: Any, world: World) -> Any:
    """``body`` with ids the fake knows where a field must name one (``tool_ids``)."""
    if isinstance(body, dict) and isinstance(body.get("tool_ids"), list):
        return {**body, "tool_ids": [world.params["tool_id"]]}
    return body


def _operations() -> list[Any]:
    document = load_api()
    if document is None:
        return [pytest.param("POST", "/", marks=pytest.mark.skip(reason="spec not found"))]
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                found.append(pytest.param(method.upper(), path, id=f"{method.upper()} {path}"))
    return found


def _request_schema(spec: dict[str, Any], method: str, path: str) -> tuple[Schema, bool]:
    body = spec["paths"][path][method.lower()]["requestBody"]
    return body["content"]["application/json"]["schema"], body.get("required") is True


def test_every_operation_with_a_body_has_generated_rules() -> None:
    spec = require_spec()
    document = require_api()
    ours = set(OPERATION_BODIES)
    theirs = {(p.values[0], p.values[1]) for p in _operations()}
    in_spec = {(m, p) for m, p in theirs if m.lower() in spec["paths"].get(p, {})}
    assert len(in_spec) == 20
    assert theirs - in_spec == {("POST", "/ai/assistants/{assistant_id}/chat/whatsapp")}
    assert ours == theirs
    for method, path in theirs:
        _, required = _request_schema(document, method, path)
        assert OPERATION_BODIES[method, path].required is required, (method, path)


@pytest.mark.parametrize(("method", "path"), _operations())
async def test_the_fake_accepts_spec_valid_bodies(
    fake: FakeTelnyx, api: Api, method: str, path: str
) -> None:
    document = require_api()
    bodies = SpecBodies(document)
    schema, required = _request_schema(document, method, path)
    for full in (False, True):
        world = await _ready_world(fake, api, method, path)
        body = _with_world(bodies.example(schema, full=full), world)
        assert bodies.accepts(schema, body), body
        status, answer, _ = await api.request(method, world.path(path), json=body)
        assert 200 <= status < 300, (full, body, answer)
    if not required:
        world = await _ready_world(fake, api, method, path)
        status, answer, _ = await api.request(method, world.path(path))
        assert 200 <= status < 300, answer


@pytest.mark.parametrize(("method", "path"), _operations())
async def test_the_fake_refuses_what_the_spec_refuses(
    fake: FakeTelnyx, api: Api, method: str, path: str
) -> None:
    document = require_api()
    bodies = SpecBodies(document)
    schema, required = _request_schema(document, method, path)
    world = World.make(fake)
    valid = _with_world(bodies.example(schema, full=True), world)
    checked: list[str] = []
    for broken in broken_bodies(bodies, schema, valid):
        assert not bodies.accepts(schema, broken.body), f"the spec takes {broken.what}"
        status, answer, _ = await api.request(method, world.path(path), json=broken.body)
        assert status == 422, (broken.what, broken.body, answer)
        locs = [tuple(entry["loc"]) for entry in answer["detail"]]
        assert broken.loc in locs, (broken.what, broken.loc, locs)
        checked.append(broken.what)
    if required:
        status, answer, _ = await api.request(
            method, world.path(path), data=b"", headers={"Content-Type": "application/json"}
        )
        assert status == 422 and answer["detail"][0]["loc"] == ["body"]
    properties = bodies.resolve(schema).get("properties") or {}
    assert len(checked) > len(properties), checked  # every field was broken at least once
