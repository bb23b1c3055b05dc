"""What travels between the layers of the send path: a frozen ``Request`` and ``Response``.

Both are plain data. A ``Request`` is what ``_http.build_request`` makes from a
call (no I/O); a ``Response`` is what the transport hands back for one attempt,
body read in full. Neither ever holds the API key: the transport adds the
``Authorization`` header itself, as the request leaves, so nothing an error or a
log record can reach (``err.request``, ``err.response.request``) carries it.

One exception to "body read in full": a request that carries a
:class:`StreamSlot` (``with_streaming_response``) gets its 2xx answer back with
the body still on the wire, as a :class:`BodyStream` in ``Response.stream``;
the transport also puts that stream in the slot, so whoever made the request
can release the connection even if a layer above the transport fails first.
Error answers are always read in full, streamed or not.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

import attrs
from multidict import CIMultiDictProxy

from telnyx_async import _json
from telnyx_async._config import Timeout

__all__ = ["BodyStream", "Request", "Response", "StreamSlot"]


class BodyStream(Protocol):
    """A 2xx body still on the wire, and the connection it holds.

    Made by the transport for a request with a :class:`StreamSlot`. Reading
    it to the end, or :meth:`release`, gives the connection back to the pool.
    """

    @property
    def released(self) -> bool:
        """Whether the connection has been given back (after the end, or :meth:`release`)."""
        ...

    async def read(self) -> bytes:
        """The rest of the body, all at once; the connection is released afterwards."""
        ...

    def chunks(self) -> AsyncIterator[bytes]:
        """The rest of the body piece by piece, as the pieces arrive."""
        ...

    def release(self) -> None:
        """Give the connection back now, whatever is left unread (synchronous, idempotent)."""
        ...


class StreamSlot:
    """Where the transport leaves the :class:`BodyStream` it opened for a request.

    A streaming call puts one on its :class:`Request`; every stream opened for
    that request (one per 2xx attempt) lands in ``opened``, so the call can
    release them all, even when the response never reached it (a layer above
    the transport failed, or the call was cancelled, after the body was opened).
    """

    __slots__ = ("opened",)

    def __init__(self, opened: list[BodyStream] | None = None) -> None:
        self.opened: list[BodyStream] = [] if opened is None else opened

    def __repr__(self) -> str:
        return f"StreamSlot(opened={self.opened!r})"

    def keep(self, stream: BodyStream) -> None:
        """Record a stream the transport opened for this request."""
        self.opened.append(stream)

    def release(self) -> None:
        """Release every stream opened for this request (synchronous, idempotent)."""
        for stream in self.opened:
            stream.release()


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
    stream: StreamSlot | None = None
    """Set for ``with_streaming_response`` calls: leave a 2xx body unread (see the module)."""

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
    the request to having read the whole body (to having the headers, for a
    streamed one). ``attempts`` is how many attempts the call took to get this
    answer (1 unless the retry layer tried again). ``stream`` holds the unread
    body of a streamed 2xx answer (``body`` is then empty); it is ``None``
    otherwise.

    Read like an ``httpx.Response`` too, as code written for the official SDK
    reads ``err.response``: ``status_code``, ``text``, ``content``, ``json()``,
    ``url`` and ``method``.
    """

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    elapsed: float
    request: Request
    attempts: int = 1
    stream: BodyStream | None = None

    @property
    def status_code(self) -> int:
        """The HTTP status (the same as ``status``)."""
        return self.status

    @property
    def content(self) -> bytes:
        """The body as bytes (the same as ``body``)."""
        return self.body

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body decoded as JSON; raises ``ValueError`` when it is not JSON."""
        return _json.loads(self.body)

    @property
    def url(self) -> str:
        """The URL the request was sent to."""
        return self.request.url

    @property
    def method(self) -> str:
        """The HTTP method of the request."""
        return self.request.method

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
