"""The bottom of the send path: exactly one HTTP attempt over aiohttp.

:class:`Transport` owns the client's ``aiohttp.ClientSession`` (made lazily
inside the running loop, remade for a new loop, or the caller's own), adds the
``Authorization`` header as a request leaves, reads the whole body and releases
the connection before it returns or raises, so no retry wait ever holds one.

Every aiohttp/asyncio failure comes out as our :class:`APITimeoutError` or
:class:`APIConnectionError`; ``CancelledError`` passes untouched. The aiohttp
exception is chained as ``__cause__``, but never one that still carries the
request's headers (aiohttp's response errors keep them in ``request_info``):
those are chained as a copy with the headers taken out, so the API key is not
reachable from any error.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
import urllib.request
from collections.abc import AsyncGenerator, Mapping
from typing import Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from telnyx_async._wire import Request, Response
from telnyx_async.errors import APIConnectionError, APITimeoutError, ClientClosedError

__all__ = ["Transport", "env_proxy_for"]

_HIDDEN = "<hidden>"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


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


def _scrubbed_info(info: aiohttp.RequestInfo) -> aiohttp.RequestInfo:
    headers = CIMultiDict(info.headers)
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            headers[name] = _HIDDEN
    return aiohttp.RequestInfo(
        url=info.url.with_user(None), method=info.method,
        headers=CIMultiDictProxy(headers), real_url=info.real_url.with_user(None),
    )


def scrub(exc: BaseException) -> BaseException:
    """``exc``, or a copy of it without the request headers it carries (for chaining).

    aiohttp's ``ClientResponseError`` family keeps the request's
    ``request_info`` (headers included) and a ``history`` of responses that
    keep theirs; the copy has the secret headers hidden and no history.
    """
    if not isinstance(exc, aiohttp.ClientResponseError):
        return exc
    try:
        copy = type(exc)(
            _scrubbed_info(exc.request_info), (), status=exc.status,
            message=exc.message, headers=exc.headers,
        )
    except Exception:  # an aiohttp version with another signature: chain nothing
        return RuntimeError(f"{type(exc).__name__}: {exc.message}")
    return copy


class Transport:
    """One HTTP attempt per :meth:`send`, over a session owned (or lent) per event loop.

    A session passed in as ``session`` is the caller's: used, never closed.
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
        self._authorization = {"Authorization": f"Bearer {api_key}"}
        self._max_connections = max_connections
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
        return f"<Transport session={'open' if self.session else 'none'}>"

    # ------------------------------------------------------------ the session

    async def get_session(self) -> aiohttp.ClientSession:
        """The session for the running loop, made (or checked, if lent) on first use."""
        loop = asyncio.get_running_loop()
        session = self.session
        if self._loop is loop and session is not None and not session.closed:
            return session
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

    async def close(self) -> None:
        """Close the owned session (a lent one is left alone). Safe to call twice."""
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

        Raises :class:`APITimeoutError` or :class:`APIConnectionError` (chained
        from the scrubbed aiohttp/OS error, whose class and text the message
        names); ``ValueError``/``TypeError`` that aiohttp raises for what the
        caller passed propagate as they are: they are not connection failures.
        """
        timeout = self._attempt_timeout(request)
        session = await self.get_session()
        headers = self._wire_headers(request.headers)
        method = request.method
        started = time.monotonic()
        failure: APIConnectionError
        cause: BaseException
        try:
            async with session.request(
                method,
                URL(request.url, encoded=True),
                data=request.body,
                headers=headers,
                timeout=timeout,
                allow_redirects=method == "GET",
                proxy=self.proxy,
            ) as resp:
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
        except (aiohttp.ClientError, OSError) as exc:
            failure, cause = self._connection_error(exc, request, sent=True), exc
        except RuntimeError as exc:
            if self.session is not session or session.closed:
                failure = ClientClosedError(
                    f"{method} {request.path}: the client was closed while the call ran",
                    request=request,
                )
                cause = exc
            else:
                raise
        # Raised outside the except blocks, so the original exception is not
        # also attached as __context__ (it may carry the request's headers).
        raise failure from scrub(cause)

    def _connection_error(
        self, exc: BaseException, request: Request, *, sent: bool
    ) -> APIConnectionError:
        return APIConnectionError(
            f"{request.method} {request.path}: connection failed ({_describe(scrub(exc))})",
            request=request, request_sent=sent,
        )


async def _close_at_loop_shutdown(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    """Parks until closed; closing it (by us, or by the loop's shutdown) closes ``session``."""
    try:
        yield
        await asyncio.Future()  # pragma: no cover - never resumed; only closed
    finally:
        if not session.closed:
            await session.close()
