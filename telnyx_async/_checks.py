"""Checks for the arguments a request model cannot check: query values and datetimes.

A resource method passes each such argument through one of these as it
builds its request, so its type is checked where it is used, visibly, and a
wrong one is a ``TypeError`` naming the argument before anything is sent.
``UNSET`` always passes (it is not sent); so does ``None`` where the
argument allows it. Body fields are checked against their request model
instead (``_resource.check_body``).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from telnyx_async._types import UnsetType

__all__ = [
    "a_bool",
    "a_datetime",
    "a_str",
    "an_int",
    "check_header",
    "got",
    "mapping_of",
    "strings",
]

_T = TypeVar("_T")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_BAD_HEADER_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def got(value: object) -> str:
    """How a wrong value reads in an error: its type, and the value itself when short."""
    kind = type(value).__name__
    if isinstance(value, (str, int, float, bool)) and len(repr(value)) <= 40:
        return f"{kind} {value!r}"
    return kind


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    """``isinstance`` without narrowing, so a value checked item by item stays ``Any``."""
    return isinstance(value, kind)


def _refuse(name: str, what: str, value: object) -> TypeError:
    return TypeError(f"`{name}` must be {what}, got {got(value)}")


def a_str(name: str, value: _T, *, nullable: bool = False) -> _T:
    """``value`` if it is a ``str`` (or ``UNSET``, or ``None`` when ``nullable``)."""
    if isinstance(value, (str, UnsetType)) or (nullable and value is None):
        return value
    raise _refuse(name, "a str", value)


def a_bool(name: str, value: _T) -> _T:
    """``value`` if it is a ``bool`` (or ``UNSET``)."""
    if isinstance(value, (bool, UnsetType)):
        return value
    raise _refuse(name, "a bool", value)


def an_int(name: str, value: _T) -> _T:
    """``value`` if it is an ``int`` that is not a ``bool`` (or ``UNSET``)."""
    if isinstance(value, UnsetType) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _refuse(name, "an int", value)


def a_datetime(name: str, value: _T, *, nullable: bool = False) -> _T:
    """``value`` if it is a ``datetime.datetime`` (``UNSET``, ``None`` if ``nullable``); not text.

    A date-time given as text is ambiguous (which zone? which format?);
    asking for the object keeps what is sent exactly what was meant.
    """
    if isinstance(value, (_dt.datetime, UnsetType)) or (nullable and value is None):
        return value
    raise _refuse(name, "a datetime.datetime", value)


def strings(name: str, value: _T) -> _T:
    """``value`` if it is a list or tuple of ``str`` (not one bare string), or ``UNSET``."""
    candidate: Any = value  # checked as Any: the items' types are what is being checked
    if isinstance(candidate, UnsetType):
        return value
    if _is(candidate, (str, bytes)) or not _is(candidate, Sequence):
        raise _refuse(name, "a list of str", value)
    items: Sequence[Any] = candidate
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise _refuse(f"{name}[{index}]", "a str", item)
    return value


def mapping_of(name: str, value: _T) -> _T:
    """``value`` if it is a mapping with ``str`` keys (or ``UNSET``)."""
    candidate: Any = value  # checked as Any: the keys' types are what is being checked
    if isinstance(candidate, UnsetType):
        return value
    if not _is(candidate, Mapping):
        raise _refuse(name, "a mapping", value)
    entries: Mapping[Any, Any] = candidate
    for key in entries:
        if not isinstance(key, str):
            raise _refuse(f"{name} key", "a str", key)
    return value


def check_header(name: object, value: object, *, argument: str = "extra_headers") -> None:
    """Refuse a header that cannot be sent as is: odd names, non-str values, line breaks.

    The error names ``argument`` and the header (never its value, which may be
    a secret), so it is clear what to fix, and nothing is sent.
    """
    if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"`{argument}` has an invalid header name {name!r}")
    if not isinstance(value, str):
        raise TypeError(f"`{argument}[{name!r}]` must be a str, got {type(value).__name__}")
    if _BAD_HEADER_VALUE.search(value):
        raise ValueError(
            f"`{argument}[{name!r}]` holds a line break or control character; "
            "a header value must be one line"
        )
