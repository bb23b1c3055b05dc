"""The exceptions ``telnyx_async`` raises.

Every failure that reaches you is a :class:`TelnyxError`; no raw aiohttp,
asyncio (other than ``CancelledError``), json or cattrs exception escapes.

```
TelnyxError
├─ StreamConsumedError
└─ APIError
   ├─ APIConnectionError ── APITimeoutError, ClientClosedError
   ├─ APIResponseValidationError
   ├─ PaginationError
   ├─ PollTimeoutError
   └─ APIStatusError
      ├─ BadRequestError 400 · AuthenticationError 401 · PermissionDeniedError 403
      ├─ NotFoundError 404 · ConflictError 409 · UnprocessableEntityError 422
      ├─ RateLimitError 429
      └─ InternalServerError 5xx
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from telnyx_async._wire import Request, Response

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "ErrorDetail",
    "InternalServerError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "RateLimitInfo",
    "StreamConsumedError",
    "TelnyxError",
    "UnprocessableEntityError",
]


@attrs.frozen
class ErrorDetail:
    """One problem reported by the API, whatever format it came in.

    Telnyx's ``errors[]`` entries, FastAPI validation ``detail[]`` entries and a
    bare ``detail`` string are all normalised to this shape. For validation
    entries ``source_pointer`` is built from ``loc`` (``["body", "rubric", 0]`` ->
    ``/body/rubric/0``) and ``detail`` holds ``msg``.
    """

    code: str | None = None
    title: str | None = None
    detail: str | None = None
    source_pointer: str | None = None
    source_parameter: str | None = None
    meta: Mapping[str, Any] | None = None

    def __str__(self) -> str:
        parts = [p for p in (self.code, self.title, self.detail) if p]
        text = " - ".join(parts) if parts else "unknown error"
        if self.source_pointer:
            text += f" (at {self.source_pointer})"
        elif self.source_parameter:
            text += f" (parameter {self.source_parameter})"
        return text


@attrs.frozen
class RateLimitInfo:
    """The ``x-ratelimit-*`` headers of one response, parsed (``None`` when absent)."""

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None


class TelnyxError(Exception):
    """Base class of every exception raised by this SDK."""


class StreamConsumedError(TelnyxError):
    """The body of a streamed response is no longer there to read.

    Raised by ``read()``, ``parse()`` and the ``iter_*()`` methods of a
    streamed :class:`~telnyx_async.APIResponse` when ``iter_bytes()``,
    ``iter_text()`` or ``iter_lines()`` already went through the body (they do
    not keep it), or when the ``async with`` block ended before it was read.
    """


class APIError(TelnyxError):
    """A request to the API failed. ``method`` and ``url`` say which one.

    ``request`` is the :class:`~telnyx_async.Request` that failed (method, URL,
    headers without the API key), when the failure is tied to one.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        request: Request | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method if method is not None or request is None else request.method
        self.url = url if url is not None or request is None else request.url
        self.request = request

    def __str__(self) -> str:
        return self.message


class APIConnectionError(APIError):
    """No usable HTTP response: DNS, refused or reset connections, TLS, local limits.

    The message names the underlying cause (its class and text); the original
    exception is also chained as ``__cause__`` (with any request headers it
    carried, and so the API key, taken out, and any proxy user name and
    password it named).
    ``request_sent`` is False when the attempt failed before the request could
    have reached the server (then replaying it is always safe).
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        request: Request | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message, method=method, url=url, request=request)
        self.request_sent = request_sent


class ClientClosedError(APIConnectionError):
    """The client was closed before or while this call ran; nothing more is sent for it.

    Raised by a call made after ``await client.close()`` (``request_sent`` is
    False: nothing left), by each call that was in flight when ``close()``
    ran (``request_sent`` is True: the server may have seen it), and by
    ``async with`` on a closed client. Never retried. A closed client cannot
    be reopened: make a new ``AsyncTelnyx`` to go on.
    """


class APITimeoutError(APIConnectionError):
    """An attempt, or the whole call's deadline, ran out of time."""


class PaginationError(APIError):
    """Paging could not go on safely, e.g. more than ``max_pages`` pages."""


class PollTimeoutError(APIError):
    """Waiting for a test run to finish passed its deadline.

    ``last_run`` holds the last state of the run that was seen (or ``None``).
    """

    def __init__(self, message: str, *, last_run: Any = None) -> None:
        super().__init__(message)
        self.last_run = last_run


class APIResponseValidationError(APIError):
    """The API answered 2xx, but the body does not fit the expected shape.

    ``path`` names the first offending field (e.g. ``data[3].status``) and
    ``body`` keeps the raw response text.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        body: str | None = None,
        method: str | None = None,
        url: str | None = None,
        status_code: int | None = None,
        request: Request | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url, request=request)
        self.path = path
        self.body = body
        self.status_code = status_code


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status.

    Attributes: ``status_code``, ``headers`` (case-insensitive mapping),
    ``body`` (the raw text), ``errors`` (normalised :class:`ErrorDetail` list),
    ``request_id`` (from ``x-request-id`` or the like, if sent), ``response``
    (the whole :class:`~telnyx_async.Response`, when the error came from one)
    and ``request`` (what was sent).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        headers: Mapping[str, str],
        body: str,
        errors: list[ErrorDetail],
        request_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        rate_limit: RateLimitInfo | None = None,
        response: Response | None = None,
        request: Request | None = None,
    ) -> None:
        if request is None and response is not None:
            request = response.request
        super().__init__(message, method=method, url=url, request=request)
        self.response = response
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.errors = errors
        self.request_id = request_id
        self.rate_limit = rate_limit or RateLimitInfo()


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource (or path)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state. Never retried."""


class UnprocessableEntityError(APIStatusError):
    """422: the body failed validation (or an idempotency key was reused with another body)."""


class RateLimitError(APIStatusError):
    """429: too many requests.

    ``retry_after`` is the wait in seconds the server asked for (from
    ``Retry-After``, ``retry-after-ms`` or ``x-ratelimit-reset``), or ``None``.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx: the API failed on its side."""
