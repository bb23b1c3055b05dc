"""What travels between the layers of the send path: a frozen ``Request`` and ``Response``.

Both are plain data. A ``Request`` is what ``_http.build_request`` makes from a
call (no I/O); a ``Response`` is what the transport hands back for one attempt,
body read in full. Neither ever holds the API key: the transport adds the
``Authorization`` header itself, as the request leaves, so nothing an error or a
log record can reach (``err.request``, ``err.response.request``) carries it.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from multidict import CIMultiDictProxy

from telnyx_async._config import Timeout

__all__ = ["Request", "Response"]


@attrs.frozen(kw_only=True, eq=False)
class Request:
    """One API call, ready to send: everything the transport needs but the key.

    ``url`` is absolute and already percent-encoded (query included); ``path``
    is the part after ``base_url`` without the query, as error messages show
    it; ``route`` is the path template the call was made from
    (``/ai/assistants/{assistant_id}``), as tracing and throttling group calls.
    ``replay_safe`` says whether sending it twice cannot do the work twice
    (GET, PUT, DELETE, or a request carrying an ``Idempotency-Key``).
    ``timeout`` holds the per-attempt limits and the call's ``deadline``;
    ``deadline_at`` is that deadline on the ``time.monotonic()`` clock, fixed
    when the call started (``None``: no deadline).
    """

    method: str
    url: str
    path: str
    route: str
    headers: Mapping[str, str]
    body: bytes | None
    replay_safe: bool
    timeout: Timeout
    deadline_at: float | None = None

    @property
    def idempotency_key(self) -> str | None:
        """The ``Idempotency-Key`` this request carries, if any."""
        return self.headers.get("Idempotency-Key")

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.path}>"


@attrs.frozen(kw_only=True, eq=False)
class Response:
    """The answer to one attempt of a :class:`Request`, body read in full.

    ``headers`` is case-insensitive. ``elapsed`` is the seconds from sending
    the request to having read the whole body.
    """

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    elapsed: float
    request: Request

    @property
    def content_type(self) -> str:
        """The media type of the body (``application/json``), without parameters."""
        raw = self.headers.get("Content-Type", "")
        return raw.split(";", 1)[0].strip().lower()

    @property
    def request_id(self) -> str | None:
        """The id the server gave this request (``x-request-id`` or the like), if any."""
        headers = self.headers
        for name in ("x-request-id", "request-id", "x-telnyx-request-id"):
            value = headers.get(name)
            if value:
                return value
        return None

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    def __repr__(self) -> str:
        return f"<Response {self.status} to {self.request.method} {self.request.path}>"
