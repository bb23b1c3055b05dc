"""The send path, composed once per client: small layers of one shape, ``(Request) -> Response``.

From the top::

    [tracing ->] retry -> status check -> concurrency limit -> throttle -> transport

* ``telnyx_async._tracing.TracingLayer`` (only when tracing is on, see
  :func:`tracing_layer`) makes one OpenTelemetry span per call; the layers
  below report retries and throttle waits to it through ``_observe``;
* :class:`~telnyx_async._retry.RetryLayer` retries what is safe to retry;
* :class:`StatusLayer` turns a non-2xx answer into its typed error (carrying
  the :class:`~telnyx_async.Response`), which is what the retry layer reads;
* :class:`ConcurrencyLayer` bounds the requests in flight (time queued here
  does not count against an attempt's timeout);
* :class:`~telnyx_async._throttle.ThrottleLayer` asks the throttle before each
  attempt and shows it each answer;
* :class:`~telnyx_async._transport.Transport` sends exactly one attempt.

The throttle sits below the retry layer so that retries are admitted like any
request and every answer, 429s included, reaches it; and below the
concurrency limit, so that a request is admitted only when it can really
leave, with the freshest figures the answers brought.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from telnyx_async._config import RetryConfig
from telnyx_async._retry import RetryLayer, Send, Sleep
from telnyx_async._status import status_error
from telnyx_async._throttle import Throttle, ThrottleLayer
from telnyx_async._wire import Request, Response
from telnyx_async.errors import TelnyxError

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

__all__ = ["ConcurrencyLayer", "StatusLayer", "compose", "compose_shared", "tracing_layer"]


class StatusLayer:
    """Raise the typed error for any answer that is not a 2xx."""

    def __init__(self, send: Send) -> None:
        self._send = send

    async def __call__(self, request: Request) -> Response:
        """Send ``request``; return a 2xx response, raise :func:`status_error` for the rest."""
        response = await self._send(request)
        if response.status >= 300:
            raise status_error(response)
        return response


class ConcurrencyLayer:
    """At most ``limit`` requests in flight below this layer (one semaphore per event loop)."""

    def __init__(self, send: Send, limit: int) -> None:
        self._send = send
        self._limit = limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._semaphore: asyncio.Semaphore | None = None

    def _semaphore_for_this_loop(self) -> asyncio.Semaphore:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # driven by hand, outside any loop (a stub transport in tests)
            loop = None
        semaphore = self._semaphore
        if semaphore is None or self._loop is not loop:
            semaphore = self._semaphore = asyncio.Semaphore(self._limit)
            self._loop = loop
        return semaphore

    async def __call__(self, request: Request) -> Response:
        """Send ``request`` once a slot is free."""
        semaphore = self._semaphore_for_this_loop()
        await semaphore.acquire()  # what ``async with`` does, without its two extra coroutines
        try:
            return await self._send(request)
        finally:
            semaphore.release()


def compose_shared(transport: Send, *, throttle: Throttle | None, max_concurrency: int) -> Send:
    """The lower layers a client shares with its ``with_options`` copies.

    One concurrency limit, one throttle and one transport per client, however
    many copies with other retry settings are made from it.
    """
    send = transport if throttle is None else ThrottleLayer(transport, throttle)
    return ConcurrencyLayer(send, max_concurrency)


def compose(shared: Send, *, retry: RetryConfig, sleep: Sleep) -> Send:
    """The whole send path of one client (or copy): its retry policy over ``shared``."""
    return RetryLayer(StatusLayer(shared), retry, sleep)


def tracing_layer(
    tracing: bool | None, tracer_provider: TracerProvider | None
) -> Callable[[Send], Send] | None:
    """What puts a client's calls in OpenTelemetry spans, or ``None`` when tracing is off.

    ``tracing=None`` (the default) traces when ``opentelemetry-api`` is
    installed, into ``tracer_provider`` or else the global tracer provider;
    ``True`` insists (a :class:`TelnyxError` naming the extra to install if
    it is missing); ``False`` never traces. When tracing is off, or
    OpenTelemetry is absent, nothing is imported and no layer is composed.
    Returns a function that wraps a send path in the tracing layer.
    """
    if tracing is not None and not isinstance(tracing, bool):
        raise TypeError(f"`tracing` must be True, False or None, got {type(tracing).__name__}")
    if tracer_provider is not None and not callable(getattr(tracer_provider, "get_tracer", None)):
        raise TypeError("`tracer_provider` must be an OpenTelemetry TracerProvider")
    if tracing is False:
        if tracer_provider is not None:
            raise ValueError("`tracer_provider` was given with tracing=False")
        return None
    insisted = tracing is True or tracer_provider is not None
    if not insisted and not _opentelemetry_present():
        return None
    try:
        from telnyx_async._tracing import TracingLayer, make_tracer
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("opentelemetry"):
            raise
        if not insisted:  # a namespace package of another OpenTelemetry project, but no API
            return None
        raise TelnyxError(
            "tracing needs the OpenTelemetry API: pip install 'telnyx-async[otel]'"
        ) from None
    tracer = make_tracer(tracer_provider)

    def traced(send: Send) -> Send:
        """``send`` with a span around each call."""
        return TracingLayer(send, tracer)

    return traced


@functools.cache
def _opentelemetry_present() -> bool:
    """Whether ``opentelemetry`` can be imported, without importing it (or anything) if not.

    Looked up once per process: the search of ``sys.path`` costs more than
    making a client does.
    """
    if "opentelemetry.trace" in sys.modules:
        return True
    import importlib.util

    try:
        return importlib.util.find_spec("opentelemetry") is not None
    except (ImportError, ValueError):  # a broken entry in sys.modules or on sys.path
        return False
