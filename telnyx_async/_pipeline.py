"""The send path, composed once per client: small layers of one shape, ``(Request) -> Response``.

From the top::

    retry -> status check -> concurrency limit -> throttle -> transport

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

from telnyx_async._config import RetryConfig
from telnyx_async._retry import RetryLayer, Send, Sleep
from telnyx_async._status import status_error
from telnyx_async._throttle import Throttle, ThrottleLayer
from telnyx_async._wire import Request, Response

__all__ = ["ConcurrencyLayer", "StatusLayer", "compose", "compose_shared"]


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
        async with self._semaphore_for_this_loop():
            return await self._send(request)


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
