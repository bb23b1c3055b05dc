"""Hypothesis strategies from the OpenAPI 3.1 document's JSON Schemas (the subset it uses).

Handles ``$ref`` (local, with recursion cut off by depth), ``type`` (one or a
list, ``null`` included), ``enum``/``const``, ``properties``/``required``/
``additionalProperties``, ``items``/``minItems``/``maxItems``/``uniqueItems``,
``anyOf``/``oneOf`` (with an OpenAPI ``discriminator`` mapping: the tag is set
to match the branch), ``allOf``, string lengths and formats (``date-time``,
``uuid``, ``uri``), number bounds and ``multipleOf``. ``title``,
``description``, ``default`` and ``example`` are ignored.

Objects also get unknown keys now and then (the SDK must keep them in
``extra``). Every generated value is checked with ``jsonschema`` against the
schema it came from, so a gap in this builder shows as a filtered example,
never as an invalid payload passed off as valid.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

__all__ = ["SchemaStrategies"]

JSON = Any
_INF = math.inf

_IDENTIFIER = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=12)
_SCALARS: st.SearchStrategy[JSON] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(max_size=12),
)
ANY_JSON: st.SearchStrategy[JSON] = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_IDENTIFIER, inner, max_size=3)
    ),
    max_leaves=6,
)


def _two(n: int) -> str:
    return f"{n:02d}"


@st.composite
def _datetimes(draw: st.DrawFn) -> str:
    """RFC 3339 date-times: ``Z`` or an offset, 0 to 9 fraction digits."""
    when = draw(
        st.datetimes(
            min_value=__import__("datetime").datetime(1900, 1, 2),
            max_value=__import__("datetime").datetime(2199, 12, 30),
        )
    )
    text = when.strftime("%Y-%m-%dT%H:%M:%S")
    digits = draw(st.integers(0, 9))
    if digits:
        text += "." + draw(st.text(alphabet=string.digits, min_size=digits, max_size=digits))
    zone = draw(
        st.one_of(
            st.just("Z"),
            st.builds(
                lambda sign, h, m: f"{sign}{_two(h)}:{_two(m)}",
                st.sampled_from("+-"),
                st.integers(0, 14),
                st.sampled_from([0, 30, 45]),
            ),
        )
    )
    return text + zone


class SchemaStrategies:
    """Builds strategies for schemas of one OpenAPI document."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        *,
        max_depth: int = 3,
        tags: Mapping[str, tuple[str, frozenset[str]]] | None = None,
    ) -> None:
        """``tags`` maps a schema name to ``(property, values)``: in an ``anyOf``/``oneOf``
        without a discriminator, a value for that branch carries one of those tags.
        (The spec sometimes leaves the tag of a union open where the API pins it.)
        """
        self.spec = spec
        self.schemas: Mapping[str, Any] = spec.get("components", {}).get("schemas", {})
        self.max_depth = max_depth
        self.tags = dict(tags or {})
        self._cost: dict[str, float] = {}

    # ------------------------------------------------------------ public

    def validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        root = {"components": self.spec.get("components", {}), "allOf": [dict(schema)]}
        return Draft202012Validator(root)

    def valid(self, schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
        """Values that validate against ``schema``."""
        check = self.validator(schema)
        return self.build(schema, depth=0).filter(check.is_valid)

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """Follow ``$ref`` until a schema without one (siblings of a ``$ref`` are dropped)."""
        seen = 0
        while "$ref" in schema:
            schema = self.schemas[_ref_name(schema["$ref"])]
            seen += 1
            if seen > 50:  # pragma: no cover - a ref cycle without structure
                raise ValueError("reference cycle")
        return schema

    # ------------------------------------------------------------ building

    def build(self, schema: Mapping[str, Any] | bool, depth: int) -> st.SearchStrategy[JSON]:
        if schema is True or schema == {}:
            return ANY_JSON
        if schema is False:
            return st.nothing()
        assert isinstance(schema, Mapping)
        if "$ref" in schema:
            name = _ref_name(schema["$ref"])
            target = self.schemas[name]
            return st.deferred(lambda: self.build(target, depth + 1))
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(list(schema["enum"]))
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._choice(schema, schema[key], depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            return st.one_of([self.build({**schema, "type": k}, depth) for k in kind])
        if kind is None:
            if "properties" in schema or "required" in schema:
                kind = "object"
            elif "items" in schema:
                kind = "array"
            else:
                return ANY_JSON
        return {
            "null": lambda: st.none(),
            "boolean": st.booleans,
            "integer": lambda: self._integer(schema),
            "number": lambda: self._number(schema),
            "string": lambda: self._string(schema),
            "array": lambda: self._array(schema, depth),
            "object": lambda: self._object(schema, depth),
        }[kind]()

    def _deep(self, depth: int) -> bool:
        return depth >= self.max_depth

    def _choice(
        self, schema: Mapping[str, Any], branches: list[Any], depth: int
    ) -> st.SearchStrategy[JSON]:
        disc = schema.get("discriminator")
        if isinstance(disc, Mapping) and disc.get("mapping"):
            tag = disc["propertyName"]
            options = [
                self.build({"$ref": ref}, depth).map(
                    lambda value, value_tag=value_tag: _with_tag(value, tag, value_tag)
                )
                for value_tag, ref in disc["mapping"].items()
                if not self._deep(depth) or self.cost({"$ref": ref}) < _INF
            ]
            return st.one_of(options)
        if self._deep(depth):
            # Past the depth limit take the cheapest branch, so recursion ends.
            branches = [min(branches, key=self.cost)]
        return st.one_of([self._tagged(b, depth) for b in branches])

    def _tagged(self, branch: Mapping[str, Any], depth: int) -> st.SearchStrategy[JSON]:
        strategy = self.build(branch, depth)
        hint = self.tags.get(_ref_name(branch["$ref"])) if "$ref" in branch else None
        if hint is None:
            return strategy
        prop, values = hint
        return strategy.map(
            lambda v: {**v, prop: sorted(values)[0]}
            if isinstance(v, dict) and v.get(prop) not in values
            else v
        )

    def _all_of(self, schema: Mapping[str, Any], depth: int) -> st.SearchStrategy[JSON]:
        parts = [self.resolve(p) for p in schema["allOf"]]
        if len(parts) == 1:
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            return self.build({**parts[0], **rest}, depth)
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in parts:
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += list(part.get("required", []))
        return self.build(merged, depth)

    @staticmethod
    def _integer(schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
        low = schema.get("minimum")
        high = schema.get("maximum")
        if "exclusiveMinimum" in schema:
            low = math.floor(schema["exclusiveMinimum"]) + 1
        if "exclusiveMaximum" in schema:
            high = math.ceil(schema["exclusiveMaximum"]) - 1
        low = -(2**31) if low is None else math.ceil(low)
        high = 2**31 if high is None else math.floor(high)
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            return st.integers(math.ceil(low / step), high // step).map(lambda n: n * step)
        return st.integers(low, high)

    @staticmethod
    def _number(schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        step = schema.get("multipleOf")
        if step:
            lo = math.ceil((low if low is not None else -1e6) / step)
            hi = math.floor((high if high is not None else 1e6) / step)
            return st.integers(lo, hi).map(lambda n: round(n * step, 10))
        floats = st.floats(
            min_value=low,
            max_value=high,
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
            allow_nan=False,
            allow_infinity=False,
        )
        int_low = math.ceil(low) if low is not None else -(2**31)
        int_high = math.floor(high) if high is not None else 2**31
        if int_low > int_high:  # e.g. 0.3..0.9: no whole number fits
            return floats
        return st.one_of(floats, st.integers(int_low, int_high))

    @staticmethod
    def _string(schema: Mapping[str, Any]) -> st.SearchStrategy[JSON]:
        fmt = schema.get("format")
        if fmt == "date-time":
            return _datetimes()
        if fmt == "uuid":
            return st.uuids().map(str)
        if fmt in ("uri", "url"):
            return st.from_regex(r"https://[a-z]{1,10}\.example\.com/[a-z0-9/]{0,12}", fullmatch=True)
        low = schema.get("minLength", 0)
        high = schema.get("maxLength", max(low, 24))
        return st.text(min_size=low, max_size=min(high, low + 24))

    def _array(self, schema: Mapping[str, Any], depth: int) -> st.SearchStrategy[JSON]:
        items = schema.get("items", {})
        low = schema.get("minItems", 0)
        high = schema.get("maxItems", low + 3)
        if self._deep(depth):
            high = low
        return st.lists(
            self.build(items, depth),
            min_size=low,
            max_size=min(high, low + 3),
            unique_by=(lambda v: repr(v)) if schema.get("uniqueItems") else None,
        )

    def _object(self, schema: Mapping[str, Any], depth: int) -> st.SearchStrategy[JSON]:
        props: Mapping[str, Any] = schema.get("properties", {})
        required = [name for name in schema.get("required", []) if name in props]
        optional = {} if self._deep(depth) else {
            name: self.build(s, depth) for name, s in props.items() if name not in required
        }
        fixed = st.fixed_dictionaries(
            {name: self.build(props[name], depth) for name in required}, optional=optional
        )
        extra = schema.get("additionalProperties", True)
        if extra is False:
            return fixed
        if isinstance(extra, Mapping) and extra:
            values = self.build(extra, depth)
        elif props:
            values = ANY_JSON  # unknown fields a newer API might send
        else:
            values = ANY_JSON
        unknown = st.dictionaries(
            _IDENTIFIER.map(lambda k: "x_" + k).filter(lambda k: k not in props),
            values,
            max_size=0 if self._deep(depth) else 2,
        )
        return st.builds(lambda known, more: {**more, **known}, fixed, unknown)

    # ------------------------------------------------------------ recursion cost

    def cost(self, schema: Mapping[str, Any] | bool, stack: tuple[str, ...] = ()) -> float:
        """Roughly how much structure a minimal value needs (infinite: it cannot end)."""
        if not isinstance(schema, Mapping):
            return 0.0
        if "$ref" in schema:
            name = _ref_name(schema["$ref"])
            if name in stack:
                return _INF
            if name in self._cost:
                return self._cost[name]
            value = self.cost(self.schemas[name], (*stack, name))
            if not stack:
                self._cost[name] = value
            return value
        if "const" in schema or "enum" in schema:
            return 0.0
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return min(self.cost(b, stack) for b in schema[key])
        if "allOf" in schema:
            return sum(self.cost(p, stack) for p in schema["allOf"])
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            return 1.0 + sum(
                self.cost(props[n], stack) for n in schema.get("required", []) if n in props
            )
        if kind == "array":
            return 0.0 if schema.get("minItems", 0) == 0 else self.cost(schema["items"], stack)
        return 0.0


def _ref_name(ref: str) -> str:
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise ValueError(f"unsupported $ref {ref!r}")
    return ref[len(prefix) :]


def _with_tag(value: JSON, tag: str, tag_value: str) -> JSON:
    if isinstance(value, dict):
        return {**value, tag: tag_value}
    return value
