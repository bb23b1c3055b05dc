"""What shape a type has, as the converter sees it: unions, optionals, lists, models.

Pure questions about type annotations (no values, no converter), asked when
the converter picks a hook for a type and when it locates a fault.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from telnyx_async._scalars import SCALAR_CHECKS
from telnyx_async.models._base import UNIONS, Model
from telnyx_async.models._deferred import is_pending

__all__ = [
    "KIND_OF_VALUE",
    "is_kind_union",
    "is_list_type",
    "is_literal",
    "is_model",
    "is_optional_tagged_union",
    "is_plain_optional",
    "is_scalar_union",
    "is_tagged_union",
    "json_kind",
    "strip_none",
    "union_args",
]


def is_literal(tp: Any) -> bool:
    """Whether ``tp`` is a ``Literal[...]``."""
    origin: object = typing.get_origin(tp)
    return origin is typing.Literal


def union_args(tp: Any) -> tuple[Any, ...] | None:
    """The members of a union (``X | Y`` or ``Union[X, Y]``); ``None`` for any other type."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(tp)
    return None


def is_scalar_union(tp: Any) -> bool:
    """Whether ``tp`` is a union of JSON scalars (and maybe ``None``) only."""
    args = union_args(tp)
    return args is not None and all(a in SCALAR_CHECKS or a is type(None) for a in args)


def is_plain_optional(tp: Any) -> bool:
    """Whether ``tp`` is ``X | None`` with exactly one other member."""
    args = union_args(tp)
    return args is not None and len(args) == 2 and type(None) in args


def is_list_type(tp: Any) -> bool:
    """Whether ``tp`` is ``list[...]``."""
    return typing.get_origin(tp) is list


def is_tagged_union(tp: Any) -> bool:
    """Whether ``tp`` was registered with ``register_union`` (picked by a tag field)."""
    try:
        return tp in UNIONS
    except TypeError:  # unhashable annotations
        return False


def is_optional_tagged_union(tp: Any) -> bool:
    """Whether ``tp`` is a registered tagged union with ``None`` added."""
    args = union_args(tp)
    if args is None or type(None) not in args:
        return False
    rest = tuple(a for a in args if a is not type(None))
    return len(rest) > 1 and is_tagged_union(typing.Union[rest])  # noqa: UP007


def json_kind(tp: Any) -> str | None:
    """Which JSON value kind a member type accepts, for unions told apart by kind."""
    if tp is type(None):
        return "null"
    if tp is str:
        return "string"
    if tp is bool:
        return "bool"
    if tp in (int, float):
        return "number"
    origin = typing.get_origin(tp) or tp
    if origin in (list, tuple):
        return "array"
    if origin is dict or is_model(tp) or is_tagged_union(tp):
        return "object"
    return None


KIND_OF_VALUE: dict[type, str] = {
    type(None): "null", str: "string", bool: "bool", int: "number", float: "number",
    list: "array", dict: "object",
}
"""The JSON kind of a decoded value, by its Python class."""


def is_kind_union(tp: Any) -> bool:
    """Whether ``tp`` is a union whose members each take a different JSON kind."""
    args = union_args(tp)
    if args is None or is_scalar_union(tp) or is_plain_optional(tp):
        return False
    kinds = [json_kind(a) for a in args]
    return None not in kinds and len(set(kinds)) == len(kinds)


def is_model(tp: Any) -> bool:
    """Whether ``tp`` is one of the generated attrs models."""
    return isinstance(tp, type) and issubclass(tp, Model) and (is_pending(tp) or attrs.has(tp))


def strip_none(tp: Any) -> Any:
    """``tp`` without ``None`` among its union members (``tp`` itself if it has none)."""
    args = union_args(tp)
    if args is None or type(None) not in args:
        return tp
    rest = tuple(a for a in args if a is not type(None))
    return rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007
