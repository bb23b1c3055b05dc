"""The wire rules for JSON scalars and datetimes, as plain functions.

The converter registers these as its hooks, and the generated structure
functions call them directly: one rule per type, written once. A value of the
wrong JSON type is a ``TypeError`` (never coerced: cattrs alone would turn
``5`` into ``"5"``); a datetime that is not ISO 8601 is a ``ValueError``.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Callable
from typing import Any

__all__ = [
    "SCALAR_CHECKS",
    "SCALAR_HOOKS",
    "check_bool",
    "check_float",
    "check_int",
    "check_literal",
    "check_str",
    "format_datetime",
    "parse_datetime",
]

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)


_FAST_ISO = sys.version_info >= (3, 11)
_from_iso = _dt.datetime.fromisoformat
_UTC = _dt.timezone.utc


def parse_datetime(value: object) -> _dt.datetime:
    """Parse an ISO 8601 timestamp into an aware UTC ``datetime``.

    Accepts a trailing ``Z``, ``+hh:mm``/``+hhmm``/``+hh`` offsets, 0 to 9
    fraction digits (extra precision is truncated to microseconds), a date
    alone, and naive values, which are taken to be UTC. Raises ``ValueError``
    for anything else. Behaves the same on every supported Python version.
    """
    if type(value) is str and _FAST_ISO and "T" in value:
        # C-speed path for the usual "2024-01-15T10:30:00.123456Z" (3.11+
        # accepts the Z, and gives it the timezone.utc singleton); anything it
        # refuses goes through the regex below.
        try:
            fast = _from_iso(value)
        except ValueError:
            pass
        else:
            zone = fast.tzinfo
            if zone is _UTC:
                return fast
            if zone is None:
                return fast.replace(tzinfo=_UTC)
            return fast.astimezone(_UTC)
    if isinstance(value, _dt.datetime):
        parsed = value
    elif isinstance(value, str):
        m = _ISO.match(value.strip())
        if m is None:
            raise ValueError(f"not an ISO 8601 date-time: {value!r}")
        year, month, day, hh, mm, ss, frac, tz = m.groups()
        micro = int((frac or "0")[:6].ljust(6, "0"))
        tzinfo: _dt.tzinfo = _dt.timezone.utc
        if tz and tz not in ("Z", "z"):
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            tzinfo = _dt.timezone(sign * offset)
        parsed = _dt.datetime(
            int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0),
            micro, tzinfo=tzinfo,
        )
    else:
        raise ValueError(f"expected an ISO 8601 string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=_dt.timezone.utc)
    return parsed.astimezone(_dt.timezone.utc)


def format_datetime(value: _dt.datetime) -> str:
    """Render a datetime for the API: ISO 8601 with an explicit UTC offset (naive = UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return value.isoformat()


SCALAR_CHECKS: dict[type, Callable[[Any], bool]] = {
    str: lambda v: isinstance(v, str),
    bool: lambda v: isinstance(v, bool),
    int: lambda v: isinstance(v, int) and not isinstance(v, bool),
    float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def _strict_scalar(kind: type) -> Callable[[Any, Any], Any]:
    check = SCALAR_CHECKS[kind]

    def hook(value: Any, _: Any) -> Any:
        if type(value) is kind:  # the common case, decided without a call
            return value
        if not check(value):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return float(value) if kind is float else value

    return hook


SCALAR_HOOKS = {kind: _strict_scalar(kind) for kind in SCALAR_CHECKS}
"""The structure hook of each JSON scalar type: the type checked, never coerced."""


def check_str(value: Any) -> str:
    """The converter's rule for a ``str`` field: a JSON string, else ``TypeError``."""
    result: str = SCALAR_HOOKS[str](value, str)
    return result


def check_int(value: Any) -> int:
    """The converter's rule for an ``int`` field: a JSON integer (not a bool)."""
    result: int = SCALAR_HOOKS[int](value, int)
    return result


def check_float(value: Any) -> float:
    """The converter's rule for a ``float`` field: any JSON number, as a float."""
    result: float = SCALAR_HOOKS[float](value, float)
    return result


def check_bool(value: Any) -> bool:
    """The converter's rule for a ``bool`` field: ``true`` or ``false`` only."""
    result: bool = SCALAR_HOOKS[bool](value, bool)
    return result


def check_literal(value: Any, expected: Any) -> Any:
    """The converter's rule for a ``Literal`` field (union tags): exactly that value."""
    if type(value) is type(expected) and value == expected:
        return expected
    raise ValueError(f"expected {expected!r}, got {value!r}")
