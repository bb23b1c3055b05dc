"""Checking request bodies against the rules generated from the OpenAPI document.

The rules live in ``_body_rules.py``, written by ``scripts/gen_models.py``;
nothing here knows a field of the API by name. Problems are reported the way
FastAPI (pydantic) reports them: missing keys first, then one entry per bad
value, each with its ``loc`` path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, cast

from ._errors import ApiError, Problem, problem
from ._rules import FieldRule, ObjectRule

__all__ = ["check_body", "parse_datetime", "parse_json_body"]

Loc = tuple[str | int, ...]

_TYPE_ERRORS: dict[str, tuple[str, str]] = {
    "string": ("string_type", "Input should be a valid string"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "array": ("list_type", "Input should be a valid list"),
    "object": ("dict_type", "Input should be a valid dictionary"),
    "null": ("none_required", "Input should be None"),
}


def _has_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


def _plural(n: float, word: str) -> str:
    count = int(n)
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _listed(values: Sequence[object]) -> str:
    """``'a', 'b' or 'c'``, the way pydantic lists the members of an enum."""
    options = [f"'{v}'" for v in values]
    return ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else options[0]


def _type_problem(rule: FieldRule, loc: Loc, value: Any) -> Problem | None:
    if not rule.types or any(_has_type(value, t) for t in rule.types):
        return None
    first = next((t for t in rule.types if t != "null"), rule.types[0])
    kind, msg = _TYPE_ERRORS.get(first, ("type_error", f"Input should be of type {first}"))
    return problem(kind, loc, msg, value)


def _string_problem(rule: FieldRule, loc: Loc, value: str) -> Problem | None:
    if rule.min_length is not None and len(value) < rule.min_length:
        return problem(
            "string_too_short",
            loc,
            f"String should have at least {_plural(rule.min_length, 'character')}",
            value,
            ctx={"min_length": rule.min_length},
        )
    if rule.max_length is not None and len(value) > rule.max_length:
        return problem(
            "string_too_long",
            loc,
            f"String should have at most {_plural(rule.max_length, 'character')}",
            value,
            ctx={"max_length": rule.max_length},
        )
    if rule.fmt == "date-time" and parse_datetime(value) is None:
        return problem("datetime_from_date_parsing", loc, "Input should be a valid datetime", value)
    return None


def _number_problem(rule: FieldRule, loc: Loc, value: float) -> Problem | None:
    if rule.minimum is not None and value < rule.minimum:
        return problem(
            "greater_than_equal",
            loc,
            f"Input should be greater than or equal to {_num(rule.minimum)}",
            value,
            ctx={"ge": rule.minimum},
        )
    if rule.maximum is not None and value > rule.maximum:
        return problem(
            "less_than_equal",
            loc,
            f"Input should be less than or equal to {_num(rule.maximum)}",
            value,
            ctx={"le": rule.maximum},
        )
    return None


def _array_problem(rule: FieldRule, loc: Loc, items: list[object]) -> Problem | None:
    count = len(items)
    if rule.min_items is not None and count < rule.min_items:
        return problem(
            "too_short",
            loc,
            f"List should have at least {_plural(rule.min_items, 'item')} after validation, "
            f"not {count}",
            items,
            ctx={"field_type": "List", "min_length": rule.min_items, "actual_length": count},
        )
    if rule.max_items is not None and count > rule.max_items:
        return problem(
            "too_long",
            loc,
            f"List should have at most {_plural(rule.max_items, 'item')} after validation, "
            f"not {count}",
            items,
            ctx={"field_type": "List", "max_length": rule.max_items, "actual_length": count},
        )
    if rule.unique_items:
        seen: list[str] = []
        for item in items:
            key = json.dumps(item, sort_keys=True)
            if key in seen:
                return problem("value_error", loc, "Value error, list items must be unique", items)
            seen.append(key)
    return None


def check_value(rule: FieldRule, loc: Loc, value: Any) -> list[Problem]:
    """Every problem with one value under ``rule``; ``loc`` is where it sits in the body."""
    found = _type_problem(rule, loc, value)
    if found is not None:
        return [found]
    if value is None:
        return []
    if rule.enum is not None and value not in rule.enum:
        listed = _listed(rule.enum)
        return [problem("enum", loc, f"Input should be {listed}", value, ctx={"expected": listed})]
    if isinstance(value, str):
        found = _string_problem(rule, loc, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = _number_problem(rule, loc, value)
    elif isinstance(value, list):
        found = _array_problem(rule, loc, cast("list[object]", value))
    if found is not None:
        return [found]
    problems: list[Problem] = []
    if isinstance(value, list) and rule.items is not None:
        for index, item in enumerate(cast("list[object]", value)):
            problems += check_value(rule.items, (*loc, index), item)
    if isinstance(value, dict):
        mapping = cast("dict[str, object]", value)  # a JSON object: its keys are strings
        if rule.shape is not None:
            problems += check_object(rule.shape, loc, mapping)
        if rule.values is not None:
            known: Mapping[str, FieldRule] = rule.shape.fields if rule.shape is not None else {}
            for key, item in mapping.items():
                if key not in known:
                    problems += check_value(rule.values, (*loc, key), item)
    return problems


def check_object(rule: ObjectRule, loc: Loc, obj: Mapping[str, Any]) -> list[Problem]:
    """Every problem with one JSON object under ``rule`` (missing keys first)."""
    problems: list[Problem] = [
        problem("missing", (*loc, key), "Field required", dict(obj))
        for key in rule.required
        if key not in obj
    ]
    for name, value in obj.items():
        field_rule = rule.fields.get(name)
        if field_rule is not None:
            problems += check_value(field_rule, (*loc, name), value)
        elif rule.closed:
            problems.append(
                problem("extra_forbidden", (*loc, name), "Extra inputs are not permitted", value)
            )
    return problems


def check_body(rule: ObjectRule, body: Mapping[str, Any]) -> list[Problem]:
    """Every problem with a request ``body`` under ``rule``, located under ``"body"``."""
    return check_object(rule, ("body",), body)


def parse_json_body(raw: bytes, *, required: bool) -> dict[str, Any] | None:
    """Parse a JSON request body the way FastAPI does, or raise a 422 :class:`ApiError`.

    Returns ``None`` for an empty optional body.
    """
    if not raw.strip():
        if required:
            raise ApiError.invalid(problem("missing", ("body",), "Field required", None))
        return None
    try:
        text = raw.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise ApiError.invalid(
            problem(
                "json_invalid", ("body", 0), "JSON decode error", {}, ctx={"error": "bad UTF-8"}
            )
        ) from None
    except json.JSONDecodeError as exc:
        raise ApiError.invalid(
            problem(
                "json_invalid", ("body", exc.pos), "JSON decode error", {}, ctx={"error": exc.msg}
            )
        ) from None
    except RecursionError:
        raise ApiError.invalid(
            problem("json_invalid", ("body", 0), "JSON decode error", {}, ctx={"error": "too deep"})
        ) from None
    if not isinstance(value, dict):
        raise ApiError.invalid(
            problem(
                "model_attributes_type",
                ("body",),
                "Input should be a valid dictionary or object to extract fields from",
                value,
            )
        )
    return cast("dict[str, Any]", value)  # a JSON object: its keys are strings


_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$"
)


def parse_datetime(value: str) -> datetime | None:
    """Parse an ISO-8601 date or datetime (``Z`` allowed); naive values are taken as UTC."""
    if not isinstance(value, str):
        return None
    m = _DATETIME_RE.match(value.strip())
    if m is None:
        return None
    year, month, day, hh, mm, ss, frac, _zulu, sign, oh, om = m.groups()
    tz = timezone.utc
    if sign is not None:
        offset = timedelta(hours=int(oh), minutes=int(om))
        tz = timezone(offset if sign == "+" else -offset)
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hh or 0),
            int(mm or 0),
            int(ss or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None
