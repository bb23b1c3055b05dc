"""Pure request/response logic: no I/O, no event loop, easy to unit-test.

Building a path, a query string and a body; reading rate-limit headers;
turning an error response into the right typed exception.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import enum
import json
import math
import re
import time
from collections.abc import Mapping, Sequence
from typing import Any, cast
from urllib.parse import quote

from telnyx_async._types import UnsetType
from telnyx_async.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RateLimitInfo,
    UnprocessableEntityError,
)

__all__ = [
    "STATUS_ERRORS",
    "encode_body",
    "encode_path",
    "encode_query",
    "make_status_error",
    "parse_error_details",
    "parse_rate_limit",
    "parse_retry_after",
    "request_id_of",
]

STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}
"""Status -> exception class; other 5xx give InternalServerError, the rest APIStatusError."""

_EPOCH_THRESHOLD = 1e9
"""An ``x-ratelimit-reset`` above this is a Unix timestamp, not a number of seconds."""

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_:-]{1,255}$")


# ------------------------------------------------------------------ requests


def encode_path(template: str, **params: str) -> str:
    """Fill ``{name}`` slots in ``template``, each value percent-encoded as ONE segment.

    ``/`` ``?`` ``#`` ``%`` spaces and non-ASCII are all escaped (``safe=""``),
    so an ID can never change which endpoint is called. An empty or non-string
    value raises ``ValueError``/``TypeError`` naming the parameter, before any I/O.
    (Resource methods also refuse the bare segments ``.`` and ``..`` for their
    path arguments, see ``_resource``: a server or proxy that normalises dot
    segments would resolve them.)
    """
    values: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(value, str):
            raise TypeError(f"`{name}` must be a str, got {type(value).__name__}")
        if not value:
            raise ValueError(f"`{name}` must be a non-empty string")
        if value in (".", ".."):
            # Percent-encoding leaves dots alone, and a proxy that normalises
            # paths would turn ".../tags/.." into a call on the parent resource.
            raise ValueError(f"`{name}` cannot be {value!r}: it is a relative path segment")
        values[name] = quote(value, safe="")
    return template.format(**values)


def _query_value(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum) and isinstance(value.value, str):
        return str(value.value)
    raise TypeError(f"query parameter `{name}` cannot be {type(value).__name__}")


def encode_query(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Turn keyword arguments into query pairs; ``UNSET`` and ``None`` values are left out.

    Booleans become ``true``/``false``, datetimes ISO 8601 with an offset, and a
    list or tuple repeats the key once per element.
    """
    pairs: list[tuple[str, str]] = []
    if not params:
        return pairs
    for name, value in params.items():
        if value is None or isinstance(value, UnsetType):
            continue
        if isinstance(value, (list, tuple)):
            items = cast("Sequence[object]", value)
            pairs.extend((name, _query_value(name, v)) for v in items)
        else:
            pairs.append((name, _query_value(name, value)))
    return pairs


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON as they are: no converter needed


def encode_body(body: Any) -> bytes:
    """Serialise a request body to compact UTF-8 JSON.

    Models and datetimes are converted by the SDK's converter; anything JSON
    cannot hold raises ``TypeError`` naming the offending type.
    """
    try:
        plain: Mapping[str, Any] = body
        if plain.__class__ is not dict or not all(type(v) in _PLAIN for v in plain.values()):
            from telnyx_async._converter import unstructure

            body = unstructure(body)
        return _ENCODER.encode(body).encode()
    except ValueError as exc:
        raise ValueError(f"request body is not valid JSON: {exc}") from None
    except TypeError as exc:
        raise TypeError(f"request body cannot be sent as JSON: {exc}") from None


def check_idempotency_key(key: str) -> str:
    """Validate a caller-supplied ``Idempotency-Key`` (``^[A-Za-z0-9_:-]{1,255}$``)."""
    if not isinstance(key, str) or not _IDEMPOTENCY_KEY.match(key):
        raise ValueError(
            "`idempotency_key` must be 1-255 characters of letters, digits, '_', ':' or '-'"
        )
    return key


# ------------------------------------------------------------------ responses


def _finite_nonneg(text: str) -> float | None:
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        return None
    if not math.isfinite(value):
        return None
    return max(value, 0.0)


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, or ``None`` when it does not say.

    Looks at ``retry-after-ms``, then ``Retry-After`` (seconds or an HTTP-date),
    then ``x-ratelimit-reset`` (seconds, or a Unix time when above 1e9).
    Negative values and dates in the past count as 0; unparseable, NaN or
    infinite values are ignored. Never raises.
    """
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            value = _finite_nonneg(ms)
            if value is not None:
                return value / 1000.0
        ra = headers.get("retry-after")
        if ra is not None:
            value = _finite_nonneg(ra)
            if value is not None:
                return value
            try:
                when = email.utils.parsedate_to_datetime(ra.strip())
            except (TypeError, ValueError, IndexError, OverflowError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=_dt.timezone.utc)
                current = time.time() if now is None else now
                return max(when.timestamp() - current, 0.0)
        reset = headers.get("x-ratelimit-reset")
        if reset is not None:
            value = _finite_nonneg(reset)
            if value is not None:
                if value > _EPOCH_THRESHOLD:
                    current = time.time() if now is None else now
                    return max(value - current, 0.0)
                return value
    except Exception:
        return None
    return None


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    value = _finite_nonneg(raw)
    return None if value is None else int(value)


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimitInfo:
    """Read ``x-ratelimit-limit``/``-remaining``/``-reset``; missing or bad values are ``None``."""
    try:
        reset = headers.get("x-ratelimit-reset")
        return RateLimitInfo(
            limit=_int_header(headers, "x-ratelimit-limit"),
            remaining=_int_header(headers, "x-ratelimit-remaining"),
            reset=None if reset is None else _finite_nonneg(reset),
        )
    except Exception:
        return RateLimitInfo()


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """The request id the server attached, if any."""
    for name in ("x-request-id", "request-id", "x-telnyx-request-id"):
        value = headers.get(name)
        if value:
            return value
    return None


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _mapping(value: object) -> Mapping[str, Any] | None:
    """``value`` as a JSON object, or ``None`` when it is anything else."""
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def _array(value: object) -> list[object] | None:
    """``value`` as a JSON array, or ``None`` when it is anything else."""
    return cast("list[object]", value) if isinstance(value, list) else None


def _pointer(loc: Any) -> str | None:
    if isinstance(loc, (list, tuple)):
        parts = cast("Sequence[object]", loc)
        return "/" + "/".join(str(part) for part in parts)
    if isinstance(loc, str):
        return loc if loc.startswith("/") else "/" + loc
    return None


def _telnyx_entry(value: Any) -> ErrorDetail:
    entry = _mapping(value)
    if entry is None:
        return ErrorDetail(detail=_as_str(value))
    source = _mapping(entry.get("source")) or {}
    meta = _mapping(entry.get("meta"))
    return ErrorDetail(
        code=_as_str(entry.get("code")),
        title=_as_str(entry.get("title")),
        detail=_as_str(entry.get("detail")),
        source_pointer=_as_str(source.get("pointer")),
        source_parameter=_as_str(source.get("parameter")),
        meta=dict(meta) if meta is not None else None,
    )


def _validation_entry(value: Any) -> ErrorDetail:
    entry = _mapping(value)
    if entry is None:
        return ErrorDetail(detail=_as_str(value))
    return ErrorDetail(
        code=_as_str(entry.get("type")),
        title="Validation error",
        detail=_as_str(entry.get("msg")),
        source_pointer=_pointer(entry.get("loc")),
    )


def parse_error_details(body: str | bytes | None) -> list[ErrorDetail]:
    """Normalise any error body into a list of :class:`ErrorDetail`.

    Understands Telnyx's ``{"errors": [...]}``, FastAPI's ``{"detail": [...]}``
    and ``{"detail": "text"}``. Empty, HTML, truncated or otherwise odd bodies
    give an empty list. Never raises.
    """
    try:
        if not body:
            return []
        data = json.loads(body)
    except (ValueError, TypeError, RecursionError):
        return []
    try:
        document = _mapping(data)
        if document is None:
            return []
        errors: Any = document.get("errors")
        if (entries := _array(errors)) is not None:
            return [_telnyx_entry(e) for e in entries]
        if _mapping(errors) is not None:
            return [_telnyx_entry(errors)]
        detail: Any = document.get("detail")
        if (items := _array(detail)) is not None:
            return [_validation_entry(e) for e in items]
        if detail is not None:
            return [ErrorDetail(detail=_as_str(detail))]
        message: Any = document.get("message") or document.get("error")
        if message is not None:
            return [ErrorDetail(detail=_as_str(message))]
    except Exception:
        return []
    return []


def _snippet(body: str, limit: int = 200) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[:limit] + "..."


def make_status_error(
    *,
    method: str,
    url: str,
    path: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> APIStatusError:
    """Build the typed exception for a non-2xx response (by table, not if-chain).

    The message names the method, the path, the status, the API's first error
    and the request id. It never contains request headers, so never the API key.
    """
    text = body.decode("utf-8", errors="replace")
    details = parse_error_details(text)
    cls = STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    request_id = request_id_of(headers)
    message = f"{method} {path} -> {status}"
    if details:
        message += f": {details[0]}"
        if len(details) > 1:
            message += f" (+{len(details) - 1} more)"
    elif text.strip():
        message += f": {_snippet(text)}"
    if request_id:
        message += f" [request id {request_id}]"
    kwargs: dict[str, Any] = {
        "status_code": status,
        "headers": headers,
        "body": text,
        "errors": details,
        "request_id": request_id,
        "method": method,
        "url": url,
        "rate_limit": parse_rate_limit(headers),
    }
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=parse_retry_after(headers), **kwargs)
    return cls(message, **kwargs)


def sequence_of_str(name: str, value: Sequence[str]) -> list[str]:
    """Check that ``value`` is a list/tuple of non-empty strings (not one bare string)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"`{name}` must be a list of strings, got {type(value).__name__}")
    out = list(value)
    for item in out:
        if not isinstance(item, str) or not item:
            raise ValueError(f"`{name}` must hold non-empty strings, got {item!r}")
    return out
