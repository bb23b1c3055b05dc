"""The SDK's one JSON helper: reading bytes, writing bytes, and telling JSON kinds apart.

Every body the server sends and every body the SDK sends goes through here, so
the rules hold in one place: a document nested deeper than Python can follow
is "not JSON we accept" (a ``ValueError``), never a ``RecursionError``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

__all__ = ["as_array", "as_object", "dumps", "kind_of", "loads"]

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_DECODE = json.JSONDecoder().decode


def loads(data: bytes | str) -> Any:
    """Decode a JSON document; anything that is not one raises ``ValueError``.

    Bytes that are not UTF-8, a truncated or malformed document, and one
    nested too deeply to decode all end as ``ValueError`` with a short reason.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        return _DECODE(text)
    except RecursionError:
        raise ValueError("the JSON document is nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"the body is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def dumps(value: Any) -> bytes:
    """Encode plain JSON data compactly as UTF-8 (no NaN, no infinities).

    Raises ``TypeError`` for a value JSON cannot hold, ``ValueError`` for NaN,
    infinities and circular or too deeply nested data.
    """
    try:
        return _ENCODER.encode(value).encode()
    except RecursionError:
        raise ValueError("the value is nested too deeply (or refers to itself)") from None


def as_object(value: object) -> Mapping[str, Any] | None:
    """``value`` as a JSON object, or ``None`` when it is anything else."""
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def as_array(value: object) -> list[object] | None:
    """``value`` as a JSON array, or ``None`` when it is anything else."""
    return cast("list[object]", value) if isinstance(value, list) else None


_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    (dict, "an object"),
    (list, "an array"),
    (str, "a string"),
    ((int, float), "a number"),
)


def kind_of(value: object) -> str:
    """How a decoded JSON value reads in an error message (``"an array"``)."""
    if value is None:
        return "null"
    for kind, name in _KINDS:
        if isinstance(value, kind):
            return name
    return type(value).__name__
