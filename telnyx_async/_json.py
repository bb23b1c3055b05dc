"""The SDK's one JSON helper: reading bytes, writing bytes, and telling JSON kinds apart.

Every body the server sends and every body the SDK sends goes through here, so
the rules hold in one place: a document nested deeper than Python can follow
is "not JSON we accept" (a ``ValueError``), never a ``RecursionError``.

Reading uses orjson when it is installed (``pip install telnyx-async[speedups]``;
about twice as fast as the standard library on API bodies) and the standard
library otherwise, with the same results either way: orjson is only asked for
documents it reads exactly as ``json`` does, and anything it refuses is read
again by ``json``, which decides (see :func:`loads`).
"""

from __future__ import annotations

import json
import json.decoder
import json.encoder
import json.scanner
from collections.abc import Callable, Mapping
from typing import Any, Final, cast

__all__ = [
    "SLICE_DEPTH",
    "as_array",
    "as_object",
    "dumps",
    "kind_of",
    "loads",
    "loads_in_slices",
    "orjson_in_use",
]

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# ``_ENCODER.encode`` builds the standard library's C encoder afresh on every
# call; this one is built once, with the same settings. It keeps no table of
# the containers it is inside (that table would be shared by every thread), so
# a value that contains itself ends as a RecursionError, reported as such below.
_stdlib_encoder: Any = json.encoder
_ENCODE_CHUNKS: Callable[[Any, int], list[str]] | None = (
    None
    if _stdlib_encoder.c_make_encoder is None
    else _stdlib_encoder.c_make_encoder(
        None, _ENCODER.default, _stdlib_encoder.encode_basestring, None, ":", ",", False, False,
        False,
    )
)
_DECODE = json.JSONDecoder().decode

# A JSON number with 19 or more digits may lie outside 64 bits, where orjson
# reads an integer as a float (precision lost without a word); the standard
# library reads it exactly. To find one without a parse, every digit becomes
# "0" and every byte that can come before a number (``:``, ``[``, ``,``,
# whitespace, ``-``) becomes ":"; a ":" followed by 19 zeros is then a
# candidate. Digits inside strings can only add false alarms (read by ``json``),
# never hide a real one. A document that is a bare number goes to ``json`` too.
_NUMBER_SHAPE = bytes(
    ord("0") if 48 <= byte <= 57 else ord(":") if byte in b":[, \t\r\n-" else ord("x")
    for byte in range(256)
)
_LONG_NUMBER = b":" + b"0" * 19
_NUMBER_START = frozenset(bytes([byte]) for byte in b"-0123456789")


class _Fast:
    """orjson's ``loads`` when installed, looked up on first use, not at import."""

    loads: Callable[[bytes], Any] | None = None
    looked = False

    @classmethod
    def find(cls) -> Callable[[bytes], Any] | None:
        if not cls.looked:
            cls.looked = True
            try:
                import orjson
            except ImportError:
                return None
            cls.loads = orjson.loads
        return cls.loads


def orjson_in_use() -> bool:
    """Whether :func:`loads` reads with orjson (installed with ``telnyx-async[speedups]``)."""
    return _Fast.find() is not None


def loads(data: bytes | str) -> Any:
    """Decode a JSON document; anything that is not one raises ``ValueError``.

    Bytes that are not UTF-8, a truncated or malformed document, and one
    nested too deeply to decode all end as ``ValueError`` with a short reason.
    The result is the standard library's, value for value, whether or not
    orjson did the reading: a document with a number of 19 or more digits, or
    one orjson refuses (``NaN``, a byte-order mark, a lone surrogate, deep
    nesting...), is read by ``json``, whose answer or error stands.
    """
    fast = _Fast.loads if _Fast.looked else _Fast.find()
    if (
        fast is not None
        and isinstance(data, bytes)
        and data.lstrip()[:1] not in _NUMBER_START
        and _LONG_NUMBER not in data.translate(_NUMBER_SHAPE)
    ):
        try:
            return fast(data)
        except ValueError:
            pass  # json reads it, or says why it cannot
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        return _DECODE(text)
    except RecursionError:
        raise ValueError("the JSON document is nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"the body is not UTF-8 ({exc.reason} at byte {exc.start})") from None


SLICE_DEPTH: Final = 2
""":func:`loads_in_slices` walks this many levels of objects and arrays itself.

Two levels make each item of a top-level list (a page's ``data``, an
assistant's ``tools``) a slice of its own, at about 1.4x the standard
library's time for the whole document; each further level adds about half.
"""

# The standard library's C scanner (value at an index -> value, end) and its
# string scanner; typeshed declares neither usefully, hence the Any.
_stdlib_scanner: Any = json.scanner
_stdlib_decoder: Any = json.decoder
_SCAN_ONCE: Callable[[str, int], tuple[Any, int]] = _stdlib_scanner.make_scanner(json.JSONDecoder())
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = _stdlib_decoder.scanstring
_BLANK = " \t\n\r"


class _NotJSON(Exception):
    """The walk met something that is not JSON; :func:`loads` says what."""


def loads_in_slices(data: bytes) -> Any:
    """:func:`loads` for a large body, in small slices that let other threads run between them.

    A C parser holds the GIL for the whole document (about 25 ms per MB for the
    standard library, half that for orjson), so a thread decoding a large body
    would still stall the event loop that long. This walks the outer
    :data:`SLICE_DEPTH` levels of objects and arrays in Python and hands each
    value below them to the standard library's C scanner: each slice is small,
    and between slices the interpreter lets the loop's thread run. The result
    is the standard library's (same scanner); anything the walk does not
    accept is read again by :func:`loads`, whose answer or error stands.
    """
    value: Any = None
    try:
        text = data.decode("utf-8")
        value, end = _walk(text, _skip_blank(text, 0), 0)
        walked = _skip_blank(text, end) == len(text)
    except (_NotJSON, ValueError, IndexError, StopIteration, RecursionError):
        walked = False
    return value if walked else loads(data)


def _skip_blank(text: str, at: int) -> int:
    while at < len(text) and text[at] in _BLANK:
        at += 1
    return at


def _walk(text: str, at: int, depth: int) -> tuple[Any, int]:
    """The value starting at ``at``, and where it ends."""
    if depth < SLICE_DEPTH:
        first = text[at : at + 1]
        if first == "{":
            return _walk_object(text, at + 1, depth + 1)
        if first == "[":
            return _walk_array(text, at + 1, depth + 1)
    return _SCAN_ONCE(text, at)


def _walk_object(text: str, at: int, depth: int) -> tuple[dict[str, Any], int]:
    found: dict[str, Any] = {}
    at, done = _first_item(text, at, "}")
    while not done:
        if text[at : at + 1] != '"':
            raise _NotJSON
        key, at = _SCAN_STRING(text, at + 1)
        at = _skip_blank(text, at)
        if text[at : at + 1] != ":":
            raise _NotJSON
        found[key], at = _walk(text, _skip_blank(text, at + 1), depth)
        at, done = _next_item(text, at, "}")
    return found, at


def _walk_array(text: str, at: int, depth: int) -> tuple[list[Any], int]:
    found: list[Any] = []
    at, done = _first_item(text, at, "]")
    while not done:
        value, at = _walk(text, at, depth)
        found.append(value)
        at, done = _next_item(text, at, "]")
    return found, at


def _first_item(text: str, at: int, closer: str) -> tuple[int, bool]:
    """Just inside an opening bracket: where the first item starts, or past an empty container."""
    at = _skip_blank(text, at)
    if text[at : at + 1] == closer:
        return at + 1, True
    return at, False


def _next_item(text: str, at: int, closer: str) -> tuple[int, bool]:
    """Just after an item: where the next one starts, or past the container's ``closer``."""
    at = _skip_blank(text, at)
    after = text[at : at + 1]
    if after == closer:
        return at + 1, True
    if after != ",":
        raise _NotJSON
    return _skip_blank(text, at + 1), False


def dumps(value: Any) -> bytes:
    """Encode plain JSON data compactly as UTF-8 (no NaN, no infinities).

    Raises ``TypeError`` for a value JSON cannot hold, ``ValueError`` for NaN,
    infinities and circular or too deeply nested data.
    """
    try:
        if _ENCODE_CHUNKS is None or value.__class__ is str:
            return _ENCODER.encode(value).encode()
        return "".join(_ENCODE_CHUNKS(value, 0)).encode()
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
