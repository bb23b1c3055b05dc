"""``AsyncTelnyx``: configuration, the resource tree, ``with_options()``, ``async with``.

The client builds its send path once (see ``_pipeline``) and hands resources a
:class:`~telnyx_async._resource.CallContext`; it builds no request and runs no
retry itself.
"""

from __future__ import annotations

import asyncio
import functools
import os
import platform
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
import attrs

from telnyx_async._adaptive import AdaptiveThrottle
from telnyx_async._config import DEFAULT_BASE_URL, ClientConfig, RetryConfig, Timeout
from telnyx_async._http import RequestDefaults, RequestOptions
from telnyx_async._lifecycle import Lifecycle
from telnyx_async._pipeline import compose, compose_shared, tracing_layer
from telnyx_async._resource import CallContext
from telnyx_async._retry import Send, Sleep
from telnyx_async._throttle import Throttle
from telnyx_async._transport import Transport
from telnyx_async._types import UNSET, UnsetType
from telnyx_async._version import __version__
from telnyx_async.errors import ClientClosedError, RateLimitInfo, TelnyxError

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

    from telnyx_async._lowlevel import PathCalls
    from telnyx_async.resources.ai import (
        AIResource,
        ClientWithRawResponse,
        ClientWithStreamingResponse,
    )

__all__ = ["AsyncTelnyx", "RequestOptions"]

_T = TypeVar("_T")

_DEFAULT_THROTTLE: Any = object()
"""``throttle=`` left out: the client makes its own :class:`AdaptiveThrottle`."""


def _user_agent() -> str:
    python = platform.python_version()
    return f"telnyx-async/{__version__} python/{python} aiohttp/{aiohttp.__version__}"


def _retry_config(
    retry: RetryConfig | None, max_retries: int | UnsetType, max_retry_wait: float | UnsetType
) -> RetryConfig:
    """``retry`` (or the default policy) with the ``max_retries``/``max_retry_wait`` given."""
    if retry is None:
        retry = RetryConfig()
    elif not isinstance(retry, RetryConfig):
        raise TypeError(f"`retry` must be a RetryConfig, got {type(retry).__name__}")
    changes: dict[str, Any] = {}
    if not isinstance(max_retries, UnsetType):
        changes["max_retries"] = max_retries
    if not isinstance(max_retry_wait, UnsetType):
        changes["max_retry_wait"] = max_retry_wait
    return attrs.evolve(retry, **changes) if changes else retry


def _overlay(base: Mapping[str, str], headers: Mapping[str, str]) -> dict[str, str]:
    """``base`` with ``headers`` laid over it; a name replaces any other spelling of itself.

    Header names are case-insensitive, so ``accept`` replaces ``Accept``
    rather than going out beside it.
    """
    if not isinstance(headers, Mapping):
        raise TypeError(f"`default_headers` must be a mapping, got {type(headers).__name__}")
    merged = dict(base)
    for name, value in headers.items():
        if isinstance(name, str):
            for spelling in [k for k in merged if k.lower() == name.lower() and k != name]:
                del merged[spelling]
        merged[name] = value
    return merged


class _SharedPath:
    """What a client shares with its ``with_options`` copies: transport, throttle, limit, state.

    ``lifecycle`` is open until the original client is closed; closing it
    closes every copy too. ``trace`` wraps a send path in a span per call.
    Read-only by convention (a plain class: no attrs class to build at import).
    """

    __slots__ = ("lifecycle", "send", "throttle", "trace", "transport")

    def __init__(
        self,
        *,
        transport: Transport,
        throttle: Throttle | None,
        send: Send,
        trace: Callable[[Send], Send] | None = None,
    ) -> None:
        self.transport = transport
        self.throttle = throttle
        self.send = send
        self.lifecycle = Lifecycle()
        self.trace = trace


class AsyncTelnyx:
    """The async client for the Telnyx AI Assistants API.

    ``api_key`` defaults to ``$TELNYX_API_KEY``; ``base_url`` to
    ``$TELNYX_BASE_URL``, then ``https://api.telnyx.com/v2`` (its path is kept).
    The constructor does no I/O: the aiohttp session is created on the first
    request, inside the running loop (and made again if the client is used
    from a later event loop, e.g. a second ``asyncio.run()``).

    Closing: use ``async with AsyncTelnyx() as client`` or call
    ``await client.close()`` (idempotent) when done. Once ``close()`` returns,
    the client sends nothing more: calls that were in flight (waiting on the
    server, queued for a connection, held by the throttle or waiting to
    retry) have ended with :class:`~telnyx_async.ClientClosedError` (or with
    their result, if it came first), and the sockets of the session it
    created are closed. A closed client stays closed: a later call raises
    ``ClientClosedError`` before anything is sent, and ``async with`` on it
    raises ``ClientClosedError`` too; make a new client instead. Closing a
    ``with_options`` copy does nothing; closing the original closes its
    copies. A ``session`` you pass in is never closed by the client.

    Timeouts: ``timeout`` is a :class:`Timeout` (per-attempt ``total``,
    ``connect``, and a ``deadline`` covering every retry and wait) or a number
    of seconds per attempt. Retries: ``max_retries`` (default 2) and
    ``max_retry_wait`` (default 60 s), which replace those fields of ``retry``
    when both are given, or
    a whole :class:`RetryConfig` as ``retry``. ``max_concurrency`` bounds the
    requests in flight (default: ``max_connections``); time queued for a slot
    does not count against a request's timeout. ``prefetch`` is how many pages
    list iteration fetches ahead; ``max_pages`` caps a single iteration.
    ``throttle`` is the rate limiter every attempt passes (default: an
    :class:`AdaptiveThrottle` of this client's own; ``None``: none; or any
    :class:`Throttle`). ``transport`` replaces the aiohttp transport with
    any ``async (Request) -> Response`` callable (a stub in tests, a transport
    of your own); the client then opens no session. ``sleep`` replaces
    ``asyncio.sleep`` for retry waits (handy in tests).

    Tracing: when ``opentelemetry-api`` is installed (``pip install
    "telnyx-async[otel]"``), each call is an OpenTelemetry CLIENT span, made
    with ``tracer_provider`` or else the global tracer provider (a no-op until
    the application sets one). ``tracing=False`` leaves a client untraced;
    ``tracing=True`` raises if OpenTelemetry is missing. See the
    Observability guide.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeout | None = Timeout(),  # noqa: B008 - immutable
        max_retries: int | UnsetType = UNSET,
        max_retry_wait: float | UnsetType = UNSET,
        retry: RetryConfig | None = None,
        default_headers: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        prefetch: int = 4,
        max_pages: int | None = 100_000,
        max_concurrency: int | None = None,
        max_connections: int = 100,
        trust_env: bool = True,
        proxy: str | None = None,
        ssl: Any = None,
        throttle: Throttle | None = _DEFAULT_THROTTLE,
        transport: Send | None = None,
        sleep: Sleep | None = None,
        tracing: bool | None = None,
        tracer_provider: TracerProvider | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TELNYX_API_KEY")
        if not key:
            raise TelnyxError(
                "no API key: pass api_key=... or set the TELNYX_API_KEY environment variable"
            )
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError("`session` must be an aiohttp.ClientSession")
        config = ClientConfig(
            api_key=key,
            base_url=base_url or os.environ.get("TELNYX_BASE_URL") or DEFAULT_BASE_URL,
            timeout=Timeout.coerce(timeout),
            retry=_retry_config(retry, max_retries, max_retry_wait),
            default_headers=_overlay({}, default_headers or {}),
            prefetch=prefetch,
            max_pages=max_pages,
            max_concurrency=max_concurrency,
            max_connections=max_connections,
            trust_env=trust_env,
            proxy=proxy,
            ssl=ssl,
        )
        if throttle is _DEFAULT_THROTTLE:
            throttle = AdaptiveThrottle(max_wait=config.retry.max_retry_wait)
        elif throttle is not None and not isinstance(throttle, Throttle):
            raise TypeError(
                "`throttle` must implement the Throttle protocol (admit, learn) or be None"
            )
        if sleep is not None and not callable(sleep):
            raise TypeError("`sleep` must be an async callable taking seconds, like asyncio.sleep")
        if transport is not None and not callable(transport):
            raise TypeError("`transport` must be an async callable taking a Request")
        aiohttp_transport = Transport(
            api_key=config.api_key, base_url=config.base_url,
            max_connections=config.max_connections, ssl=config.ssl, proxy=config.proxy,
            trust_env=config.trust_env, session=session,
        )
        shared = _SharedPath(
            transport=aiohttp_transport,
            throttle=throttle,
            send=compose_shared(
                transport or aiohttp_transport.send, throttle=throttle,
                max_concurrency=config.max_concurrency or config.max_connections,
            ),
            trace=tracing_layer(tracing, tracer_provider),
        )
        self._setup(config, shared, owner=True, sleep=sleep or asyncio.sleep)

    def _setup(
        self, config: ClientConfig, shared: _SharedPath, *, owner: bool, sleep: Sleep
    ) -> None:
        self._config = config
        self._shared = shared
        self._owner = owner
        self._sleep = sleep
        defaults = RequestDefaults(
            base_url=config.base_url,
            headers=_overlay(
                {"Accept": "application/json", "User-Agent": _user_agent()},
                config.default_headers,
            ),
            timeout=config.timeout,
        )
        lifecycle = shared.lifecycle
        # Every call and every poll's pause is tracked, so close() can end it.
        send = lifecycle.guard(compose(shared.send, retry=config.retry, sleep=sleep))
        if shared.trace is not None:  # outermost: a span ends as the caller's call does
            send = shared.trace(send)
        self._context = CallContext(
            send=send,
            defaults=defaults,
            config=config,
            sleep=lifecycle.guard_sleep(sleep),
        )

    # ------------------------------------------------------------ public surface

    @functools.cached_property
    def ai(self) -> AIResource:
        """The AI namespace: ``assistants``, ``integrations``, ``mcp_servers`` and ``tools``."""
        from telnyx_async.resources.ai import AIResource

        return AIResource(self._context)

    @property
    def with_raw_response(self) -> ClientWithRawResponse:
        """``client.with_raw_response.ai...``: every call answering with its raw response.

        The official SDK's spelling; ``client.ai.with_raw_response...`` is the same.
        """
        from telnyx_async.resources.ai import ClientWithRawResponse

        return ClientWithRawResponse(self.ai)

    @property
    def with_streaming_response(self) -> ClientWithStreamingResponse:
        """``client.with_streaming_response.ai...``: every call with its body left unread."""
        from telnyx_async.resources.ai import ClientWithStreamingResponse

        return ClientWithStreamingResponse(self.ai)

    # ------------------------------------------------------------ by path (escape hatch)

    @functools.cached_property
    def _path_calls(self) -> PathCalls:
        from telnyx_async._lowlevel import PathCalls

        return PathCalls(self._context)

    async def get(
        self,
        path: str,
        *,
        cast_to: type[_T],
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> _T:
        """``GET path`` (relative to ``base_url``) for an endpoint the SDK does not wrap yet.

        The call takes the same send path as every method: authentication,
        throttle, retries and typed errors. ``cast_to`` says what the answer
        becomes: a model class, ``dict``, ``list``, ``str`` (the body as
        text), ``bytes``, ``object`` (the JSON as decoded) or a type such as
        ``list[Assistant]``. ``params`` is the query. An absolute URL is
        accepted only under ``base_url``; one to another host is a
        ``ValueError`` before anything is sent, so the key never leaves for
        another origin. ``options`` takes the official SDK's per-call options
        (``params``, ``headers``, ``extra_json``, ``timeout``, ``idempotency_key``).
        """
        result: _T = await self._path_calls.request(
            "GET", path, cast_to=cast_to, params=params, options=options,
            extra_headers=extra_headers, timeout=timeout,
        )
        return result

    async def post(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> _T:
        """``POST path`` with the JSON ``body``; see :meth:`get` for the rest.

        As with every POST, a retry after the request may have reached the
        server happens only with an ``idempotency_key`` (or on the operations
        that get one automatically).
        """
        result: _T = await self._path_calls.request(
            "POST", path, cast_to=cast_to, params=params, body=body, options=options,
            idempotency_key=idempotency_key, extra_headers=extra_headers, timeout=timeout,
        )
        return result

    async def put(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> _T:
        """``PUT path`` with the JSON ``body``; see :meth:`get` for the rest."""
        result: _T = await self._path_calls.request(
            "PUT", path, cast_to=cast_to, params=params, body=body, options=options,
            extra_headers=extra_headers, timeout=timeout,
        )
        return result

    async def patch(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> _T:
        """``PATCH path`` with the JSON ``body``; see :meth:`get` for the rest."""
        result: _T = await self._path_calls.request(
            "PATCH", path, cast_to=cast_to, params=params, body=body, options=options,
            idempotency_key=idempotency_key, extra_headers=extra_headers, timeout=timeout,
        )
        return result

    async def delete(
        self,
        path: str,
        *,
        cast_to: type[_T],
        body: Any = None,
        params: Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> _T:
        """``DELETE path`` (a JSON ``body`` only if given); see :meth:`get` for the rest."""
        result: _T = await self._path_calls.request(
            "DELETE", path, cast_to=cast_to, params=params, body=body, options=options,
            extra_headers=extra_headers, timeout=timeout,
        )
        return result

    @property
    def base_url(self) -> str:
        """The API root every path is appended to."""
        return self._config.base_url

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The ``x-ratelimit-*`` headers of the last response that carried them, or ``None``.

        Kept by the default throttle, shared with every ``with_options`` copy;
        ``None`` with ``throttle=None`` or a throttle that keeps no ``info``.
        """
        info = getattr(self._shared.throttle, "info", None)
        return info if isinstance(info, RateLimitInfo) else None

    @property
    def throttle(self) -> Throttle | None:
        """The rate limiter every attempt of this client passes (shared with its copies)."""
        return self._shared.throttle

    @property
    def config(self) -> ClientConfig:
        """The settings this client was built with (the key is hidden from its repr)."""
        return self._config

    def with_options(
        self,
        *,
        timeout: float | Timeout | UnsetType | None = UNSET,
        max_retries: int | UnsetType = UNSET,
        max_retry_wait: float | UnsetType = UNSET,
        retry: RetryConfig | UnsetType = UNSET,
        default_headers: Mapping[str, str] | UnsetType = UNSET,
        prefetch: int | UnsetType = UNSET,
        max_pages: int | UnsetType | None = UNSET,
    ) -> AsyncTelnyx:
        """A copy of this client with other settings that shares its session and connector.

        Cheap to call as often as you like: no new session, connector or socket
        is created, and the copy shares the throttle and the concurrency limit.
        Closing the copy does nothing; close the original.
        """
        config = self._config
        new_retry = _retry_config(
            config.retry if isinstance(retry, UnsetType) else retry, max_retries, max_retry_wait
        )
        changes: dict[str, Any] = {"retry": new_retry}
        if not isinstance(timeout, UnsetType):
            changes["timeout"] = Timeout.coerce(timeout)
        if not isinstance(default_headers, UnsetType):
            changes["default_headers"] = _overlay(config.default_headers, default_headers)
        if not isinstance(prefetch, UnsetType):
            changes["prefetch"] = prefetch
        if not isinstance(max_pages, UnsetType):
            changes["max_pages"] = max_pages
        clone = object.__new__(AsyncTelnyx)
        clone._setup(attrs.evolve(config, **changes), self._shared, owner=False, sleep=self._sleep)
        return clone

    @property
    def closed(self) -> bool:
        """Whether ``close()`` has been called on this client (or on the one it was copied from)."""
        return self._shared.lifecycle.closed

    async def close(self) -> None:
        """Close the client for good: end the calls in flight, then close its own session.

        When this returns, no request will be sent by this client (or its
        copies) any more: each call that was in flight has ended, with its
        result or with :class:`~telnyx_async.ClientClosedError`, and the
        sockets of the session the client created are closed (a session
        passed as ``session=`` is left open). Later calls raise
        ``ClientClosedError`` before sending anything. Safe to call twice; a
        no-op on ``with_options`` copies.
        """
        if not self._owner:
            return
        shared = self._shared
        in_use = shared.transport.mark_closed()
        await shared.lifecycle.close()
        await shared.transport.close(in_use)

    async def __aenter__(self) -> AsyncTelnyx:
        """Enter ``async with``; a closed client raises ``ClientClosedError`` (it cannot reopen)."""
        if self._shared.lifecycle.closed:
            raise ClientClosedError(
                "this AsyncTelnyx is closed and cannot be reopened: make a new client"
            )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Leave ``async with``: close the client (see :meth:`close`)."""
        await self.close()

    def __repr__(self) -> str:
        retry = self._config.retry
        return (
            f"AsyncTelnyx(base_url={self._config.base_url!r}, max_retries={retry.max_retries}, "
            f"timeout={self._config.timeout!r})"
        )
