"""From a non-2xx :class:`~telnyx_async.Response` to the typed exception it stands for.

Pure: the error is built once, with its final class and message, from the
response alone. The class comes from one table (:data:`STATUS_ERRORS`); the
message names the method, the path, the status, the API's first error and the
request id, and never any request header (so never the API key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from telnyx_async import _json
from telnyx_async._headers import parse_rate_limit, parse_retry_after
from telnyx_async._wire import Response
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
    UnprocessableEntityError,
)

__all__ = ["STATUS_ERRORS", "error_class_for", "parse_error_details", "status_error"]

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


def error_class_for(status: int) -> type[APIStatusError]:
    """The exception class for an error ``status``."""
    cls = STATUS_ERRORS.get(status)
    if cls is None:
        cls = InternalServerError if status >= 500 else APIStatusError
    return cls


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(value)[:200]


def _pointer(loc: Any) -> str | None:
    if isinstance(loc, (list, tuple)):
        parts = cast("Sequence[object]", loc)
        return "/" + "/".join(str(part) for part in parts)
    if isinstance(loc, str):
        return loc if loc.startswith("/") else "/" + loc
    return None


def _telnyx_entry(value: Any) -> ErrorDetail:
    entry = _json.as_object(value)
    if entry is None:
        return ErrorDetail(detail=_as_str(value))
    source = _json.as_object(entry.get("source")) or {}
    meta = _json.as_object(entry.get("meta"))
    return ErrorDetail(
        code=_as_str(entry.get("code")),
        title=_as_str(entry.get("title")),
        detail=_as_str(entry.get("detail")),
        source_pointer=_as_str(source.get("pointer")),
        source_parameter=_as_str(source.get("parameter")),
        meta=dict(meta) if meta is not None else None,
    )


def _validation_entry(value: Any) -> ErrorDetail:
    entry = _json.as_object(value)
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
    and ``{"detail": "text"}``. Empty, HTML, truncated, too deeply nested or
    otherwise odd bodies give an empty list. Never raises.
    """
    try:
        if not body:
            return []
        document = _json.as_object(_json.loads(body))
        if document is None:
            return []
        errors: Any = document.get("errors")
        if (entries := _json.as_array(errors)) is not None:
            return [_telnyx_entry(e) for e in entries]
        if _json.as_object(errors) is not None:
            return [_telnyx_entry(errors)]
        detail: Any = document.get("detail")
        if (items := _json.as_array(detail)) is not None:
            return [_validation_entry(e) for e in items]
        if detail is not None:
            return [ErrorDetail(detail=_as_str(detail))]
        message: Any = document.get("message") or document.get("error")
        if message is not None:
            return [ErrorDetail(detail=_as_str(message))]
    except Exception:  # odd shapes deep inside: no details, but never a crash
        return []
    return []


def _snippet(body: str, limit: int = 200) -> str:
    text = " ".join(body.split())
    return text if len(text) <= limit else text[:limit] + "..."


def status_error(response: Response) -> APIStatusError:
    """The typed exception for a non-2xx ``response`` (by table, not if-chain).

    The message names the method, the path, the status, the API's first error
    (or a snippet of the body) and the request id. A 429 carries
    ``retry_after``, read from the response's own headers.
    """
    request = response.request
    status = response.status
    headers = response.headers
    text = response.body.decode("utf-8", errors="replace")
    details = parse_error_details(text)
    cls = error_class_for(status)
    request_id = response.request_id
    message = f"{request.method} {request.path} -> {status}"
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
        "rate_limit": parse_rate_limit(headers),
        "response": response,
    }
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=parse_retry_after(headers), **kwargs)
    return cls(message, **kwargs)
