"""The bottom of the send path (one HTTP attempt over aiohttp) and the client's lifecycle.

:class:`Transport` owns the client's ``aiohttp.ClientSession`` (made lazily
inside the running loop, remade for a new loop, or the caller's own), adds the
``Authorization`` header as a request leaves, reads the whole body and releases
the connection before it returns or raises, so no retry wait ever holds one.
The one exception is a 2xx answer to a streaming request (``Request.stream``
set): its body is left on the wire, in ``Response.stream``, for the caller to
read and release (see :class:`_WireStream`).

Every aiohttp/asyncio failure comes out as our :class:`APITimeoutError` or
:class:`APIConnectionError`; ``CancelledError`` passes untouched. The aiohttp
exception is chained as ``__cause__`` only as a copy without the request data
it carried (:func:`~telnyx_async._scrub.scrub`), so neither the API key nor a
proxy password is reachable from any error. Once the client's
:class:`~telnyx_async._lifecycle.Lifecycle` is closed, nothing is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
import urllib.request
from collections.abc import AsyncGenerator, Awaitable, Mapping
from typing import Any

import aiohttp
from yarl import URL

from telnyx_async._lifecycle import closed_error
from telnyx_async._scrub import scrub
from telnyx_async._wire import Request, Response
from telnyx_async.errors import APIConnectionError, APITimeoutError, ClientClosedError

__all__ = ["Transport", "env_proxy_for"]

_CLOSE_BOUND = 2.0
"""Seconds ``close()`` waits for a socket to finish closing before it aborts it."""

_REDIRECT_ERRORS: tuple[type[BaseException], ...] = tuple(
    cls for cls in (getattr(aiohttp, "RedirectClientError", None),) if cls is not None
)
"""aiohttp's errors for a bad ``Location`` (the server's doing, unlike a bad URL of ours)."""


def env_proxy_for(base_url: str) -> str | None:
    """The proxy ``HTTP(S)_PROXY`` names for ``base_url``, unless ``NO_PROXY`` exempts it."""
    url = URL(base_url)
    if urllib.request.proxy_bypass(url.host or ""):
        return None
    return urllib.request.getproxies().get(url.scheme or "https")


@functools.lru_cache(maxsize=64)
def _client_timeout(total: float | None, connect: float | None) -> aiohttp.ClientTimeout:
    """aiohttp's (immutable) timeout object, made once per distinct pair."""
    return aiohttp.ClientTimeout(total=total, sock_connect=connect)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


class Transport:
    """One HTTP attempt per :meth:`send`, over a session owned (or lent) per event loop.

    A session passed in as ``session`` is the caller's: used, never closed.
    Once :meth:`close` (or :meth:`mark_closed`) has been called, :meth:`send`
    raises :class:`ClientClosedError` and no session is made again.
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        max_connections: int,
        ssl: Any = None,
        proxy: str | None = None,
        trust_env: bool = True,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in base_url):
            # It goes into the request line as it is: a space or a line break
            # there splits or corrupts the request.
            raise ValueError("`base_url` holds a space or a control character")
        self._authorization = {"Authorization": f"Bearer {api_key}"}
        self._max_connections = max_connections
        self.closed = False
        self._ssl = True if ssl is None else ssl
        if proxy is None and trust_env:
            # Resolved once, not per request: aiohttp's own trust_env lookup
            # costs two thread-pool hops on every call.
            proxy = env_proxy_for(base_url)
        self.proxy = proxy
        self._user_session = session
        self.session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closer: AsyncGenerator[None, None] | None = None
        self._headers_seen: Mapping[str, str] | None = None
        self._headers_sent: dict[str, str] = {}

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open" if self.session else "none"
        return f"<Transport session={state}>"

    # ------------------------------------------------------------ the session

    async def get_session(self) -> aiohttp.ClientSession:
        """The session for the running loop, made (or checked, if lent) on first use."""
        loop = asyncio.get_running_loop()
        session = self.session
        if self._loop is loop and session is not None and not session.closed:
            return session
        if self.closed:
            raise closed_error(None, during=False)
        if self._user_session is not None:
            session = self._checked_user_session(loop)
        else:
            self.discard()
            connector = aiohttp.TCPConnector(
                limit=self._max_connections, limit_per_host=0, ssl=self._ssl, ttl_dns_cache=300,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # the environment's proxy is resolved once, in __init__
                timeout=aiohttp.ClientTimeout(total=None),
            )
            # The loop finalises live async generators before it closes
            # (asyncio.run and asyncio.Runner do), so this one closes the session
            # while its loop can still await: no socket outlives its loop.
            self._closer = _close_at_loop_shutdown(session)
            await self._closer.asend(None)
        self.session = session
        self._loop = loop
        return session

    def _checked_user_session(self, loop: asyncio.AbstractEventLoop) -> aiohttp.ClientSession:
        session = self._user_session
        assert session is not None
        if getattr(session, "_loop", loop) is not loop:
            raise RuntimeError(
                "the aiohttp.ClientSession passed as session= belongs to another event loop; "
                "create it inside the loop that uses the client"
            )
        if session.closed:
            raise RuntimeError("the aiohttp.ClientSession passed as session= is closed")
        return session

    def discard(self) -> None:
        """Drop an owned session whose loop is gone, releasing its sockets without I/O."""
        session, self.session = self.session, None
        self._closer = None
        if session is None or session is self._user_session or session.closed:
            return
        connector = session.connector
        session.detach()
        if connector is not None:
            # The loop that owned these sockets is closed or elsewhere: close the
            # transports synchronously; there is no loop left to await on.
            with contextlib.suppress(Exception):
                connector._close()  # pyright: ignore[reportPrivateUsage]

    def mark_closed(self) -> list[Any]:
        """Refuse every later attempt; return the connections requests hold right now.

        Those are the sockets :meth:`close` waits for once the calls using them
        have been ended (a lent session's are the caller's business: none).
        """
        self.closed = True
        session = self.session
        if session is None or session is self._user_session or session.closed:
            return []
        return list(getattr(session.connector, "_acquired", ()))

    async def close(self, in_use: list[Any] | None = None) -> None:
        """Close the owned session (a lent one is left alone) and refuse later attempts.

        Returns once the sockets are closed, including those of ``in_use``
        (from :meth:`mark_closed`). Safe to call twice.
        """
        self.closed = True
        session = self.session
        if session is None or session is self._user_session:
            self.session = None
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - close() is a coroutine
            running = None
        if running is not None and running is self._loop and not session.closed:
            closer, self._closer = self._closer, None
            self.session = None
            if closer is not None:
                await closer.aclose()
            await session.close()
            await _sockets_closed(in_use or [])
        else:
            self.discard()

    # ------------------------------------------------------------ one attempt

    def _wire_headers(self, headers: Mapping[str, str]) -> Mapping[str, str]:
        """``headers`` plus ``Authorization``.

        Most requests share the client's default headers object, so the last
        merge is kept and reused while the same object comes again.
        """
        if headers is not self._headers_seen:
            self._headers_seen = headers
            self._headers_sent = {**headers, **self._authorization}
        return self._headers_sent

    def _attempt_timeout(self, request: Request) -> aiohttp.ClientTimeout:
        timeout = request.timeout
        total = timeout.total
        deadline_at = request.deadline_at
        if deadline_at is not None:
            remaining = deadline_at - time.monotonic()
            if remaining <= 0:
                raise APITimeoutError(
                    f"{request.method} {request.path}: the call's deadline of "
                    f"{timeout.deadline:g}s passed",
                    request=request, request_sent=False,
                )
            total = remaining if total is None else min(total, remaining)
        return _client_timeout(total, timeout.connect)

    async def send(self, request: Request) -> Response:
        """Send ``request`` once and read the whole answer, whatever its status.

        For a streaming request (``request.stream`` set) a 2xx answer comes back
        with its body unread, in ``Response.stream``; any other status is read in
        full as usual.

        Raises :class:`APITimeoutError` or :class:`APIConnectionError` (chained
        from the scrubbed aiohttp/OS error, whose class and text the message
        names), and :class:`ClientClosedError` once the client is closed
        (before anything is sent) or while it closes. ``ValueError`` and
        ``TypeError`` that aiohttp raises for what the caller passed (a header,
        the URL) are raised as such: they are not connection failures, and are
        never retried.
        """
        if self.closed:
            raise closed_error(request, during=False)
        timeout = self._attempt_timeout(request)
        session = await self.get_session()
        headers = self._wire_headers(request.headers)
        method = request.method
        started = time.monotonic()
        failure: APIConnectionError
        cause: BaseException
        try:
            pending = session.request(
                method,
                URL(request.url, encoded=True),
                data=request.body,
                headers=headers,
                timeout=timeout,
                allow_redirects=method == "GET",
                proxy=self.proxy,
                # A lent session may say raise_for_status=True; the status is ours to
                # judge (a 404 is a NotFoundError, not a failed connection).
                raise_for_status=False,
            )
            if request.stream is not None:
                return await self._open_stream(pending, request, started)
            async with pending as resp:
                body = await resp.read()
                return Response(
                    status=resp.status, headers=resp.headers, body=body,
                    elapsed=time.monotonic() - started, request=request,
                )
        except asyncio.CancelledError:
            raise
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            # aiohttp's connect timeouts subclass ServerTimeoutError too; nothing was
            # sent for those, so a retry is safe even for POST.
            sent = not isinstance(exc, getattr(aiohttp, "ConnectionTimeoutError", ()))
            failure = APITimeoutError(
                f"{method} {request.path}: timed out ({_describe(exc)})",
                request=request, request_sent=sent,
            )
            cause = exc
        except aiohttp.ClientConnectorError as exc:
            failure, cause = self._connection_error(exc, request, sent=False), exc
        except aiohttp.InvalidURL as exc:
            if not isinstance(exc, _REDIRECT_ERRORS):
                # The URL we were given cannot be sent: the caller's to fix, at once
                # (a plain ValueError, not aiohttp's, and without the URL in it).
                raise ValueError(
                    f"{method} {request.path}: the request URL cannot be sent "
                    f"({type(exc).__name__}); check base_url"
                ) from None
            failure, cause = self._connection_error(exc, request, sent=True), exc
        except (aiohttp.ClientError, OSError) as exc:
            failure, cause = self._connection_error(exc, request, sent=True), exc
        except RuntimeError as exc:  # aiohttp's "Session is closed" and the like
            if not (self.closed or session.closed):
                raise
            if self.closed or session is not self._user_session:
                failure = closed_error(request, during=True)
            else:
                failure = ClientClosedError(
                    f"{method} {request.path}: the aiohttp.ClientSession passed as session= "
                    "was closed while the call ran",
                    request=request,
                )
            cause = exc
        if self.closed and not isinstance(failure, ClientClosedError):
            # Whatever broke, it broke because the client is closing: never retried.
            failure = closed_error(request, during=True)
        # Raised outside the except blocks, so the original exception is not
        # also attached as __context__ (it may carry the request's headers).
        raise failure from scrub(cause)

    async def _open_stream(
        self, pending: Awaitable[aiohttp.ClientResponse], request: Request, started: float
    ) -> Response:
        """The streaming half of :meth:`send`: a 2xx comes back with its body unread.

        An answer that is not a 2xx is read in full and its connection released
        here, as on the plain path, so the status layer can build its typed
        error and a retry never waits holding a connection. A 2xx keeps its
        connection: the :class:`_WireStream` is handed back in
        ``Response.stream`` and also left in the request's
        :class:`~telnyx_async._wire.StreamSlot`, from which the call releases it
        whatever happens above this layer.
        """
        slot = request.stream
        assert slot is not None
        resp = await pending
        if 200 <= resp.status < 300:
            stream = _WireStream(resp, request, self)
            slot.keep(stream)
            return Response(
                status=resp.status, headers=resp.headers, body=b"",
                elapsed=time.monotonic() - started, request=request, stream=stream,
            )
        try:
            body = await resp.read()
        finally:
            resp.release()
        return Response(
            status=resp.status, headers=resp.headers, body=body,
            elapsed=time.monotonic() - started, request=request,
        )

    def read_failure(self, exc: BaseException, request: Request) -> APIConnectionError:
        """The error for reading a streamed body that broke off (``exc`` from aiohttp)."""
        method = request.method
        if self.closed:
            return closed_error(request, during=True)
        if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
            return APITimeoutError(
                f"{method} {request.path}: timed out reading the body ({_describe(exc)})",
                request=request, request_sent=True,
            )
        return APIConnectionError(
            f"{method} {request.path}: the body broke off ({_describe(scrub(exc))})",
            request=request, request_sent=True,
        )

    def _connection_error(
        self, exc: BaseException, request: Request, *, sent: bool
    ) -> APIConnectionError:
        return APIConnectionError(
            f"{request.method} {request.path}: connection failed ({_describe(scrub(exc))})",
            request=request, request_sent=sent,
        )


_READ_ERRORS = (aiohttp.ClientError, OSError, asyncio.TimeoutError)
"""What reading a streamed body can fail with (all become our connection errors)."""


class _WireStream:
    """A 2xx body still on the wire (``Response.stream``), over aiohttp's response.

    Reading fails only with :class:`APITimeoutError`, :class:`APIConnectionError`
    or (once the client is closed) :class:`ClientClosedError`, chained from the
    scrubbed aiohttp error. Reaching the end of the body, or :meth:`release`,
    gives the connection back to the pool (a connection left half-read is
    closed rather than reused).
    """

    __slots__ = ("_request", "_response", "_transport")

    def __init__(
        self, response: aiohttp.ClientResponse, request: Request, transport: Transport
    ) -> None:
        self._response = response
        self._request = request
        self._transport = transport

    def __repr__(self) -> str:
        state = "released" if self.released else "open"
        return f"<body stream of {self._request.method} {self._request.path}, {state}>"

    @property
    def released(self) -> bool:
        """Whether the connection has gone back (the body ended, or :meth:`release` ran)."""
        return self._response.closed

    async def read(self) -> bytes:
        """The rest of the body at once; the connection is released after it."""
        failure: APIConnectionError
        try:
            return await self._response.read()
        except asyncio.CancelledError:
            raise
        except (*_READ_ERRORS, RuntimeError) as exc:
            self._check_read_error(exc)
            failure, cause = self._transport.read_failure(exc, self._request), exc
        finally:
            self._response.release()
        raise failure from scrub(cause)

    async def chunks(self) -> AsyncGenerator[bytes, None]:
        """The rest of the body in pieces, as they arrive."""
        pieces = self._response.content.iter_any()
        broke: tuple[APIConnectionError, BaseException] | None = None
        try:
            async for piece in pieces:
                yield piece
        except (*_READ_ERRORS, RuntimeError) as exc:
            self._check_read_error(exc)
            broke = self._transport.read_failure(exc, self._request), exc
        self._response.release()
        if broke is not None:  # raised here, so the aiohttp error is not also the __context__
            raise broke[0] from scrub(broke[1])

    def release(self) -> None:
        """Give the connection back now, read or not (safe to call again)."""
        self._response.release()

    def _check_read_error(self, exc: BaseException) -> None:
        """Re-raise a ``RuntimeError`` that is not aiohttp's "Connection closed." (a bug)."""
        if isinstance(exc, RuntimeError) and not (
            self._transport.closed or str(exc).startswith("Connection closed")
        ):
            raise exc


def _closed_future(protocol: Any) -> asyncio.Future[Any] | None:
    """The future aiohttp resolves once ``protocol``'s socket is closed (recent versions)."""
    closed: object = getattr(protocol, "closed", None)
    if isinstance(closed, asyncio.Future):
        future: asyncio.Future[Any] = closed  # pyright: ignore[reportUnknownVariableType]
        return future
    return None


async def _sockets_closed(protocols: list[Any]) -> None:
    """Wait until the connections of ``protocols`` have really closed their sockets.

    A connection closed by aiohttp lets go of its socket a loop turn later (a
    TLS one after its shutdown exchange); ``close()`` returns only after that,
    aborting any that take longer than :data:`_CLOSE_BOUND` seconds.
    """
    pending = [f for f in map(_closed_future, protocols) if f is not None and not f.done()]
    if not pending:
        await asyncio.sleep(0)  # aiohttp without `closed` futures: one turn closes plain sockets
        return
    _, late = await asyncio.wait(pending, timeout=_CLOSE_BOUND)
    if late:
        for proto in protocols:
            transport = getattr(proto, "transport", None)
            if transport is not None:
                transport.abort()
        await asyncio.wait(late, timeout=_CLOSE_BOUND)


async def _close_at_loop_shutdown(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    """Parks until closed; closing it (by us, or by the loop's shutdown) closes ``session``."""
    try:
        yield
        await asyncio.Future()  # pragma: no cover - never resumed; only closed
    finally:
        if not session.closed:
            await session.close()
