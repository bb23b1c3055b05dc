"""What ``await client.close()`` acts on: whether a client is open, and its calls in flight.

Once closed, a client sends nothing more, and the calls it had in flight end
at once with :class:`~telnyx_async.ClientClosedError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telnyx_async._wire import Request, Response
from telnyx_async.errors import ClientClosedError

__all__ = ["Lifecycle", "closed_error"]


_A = TypeVar("_A")


_R = TypeVar("_R")


def closed_error(request: Request | None, *, during: bool) -> ClientClosedError:
    """The error for a call on a closed client (``during``: one that close() ended)."""
    where = f"{request.method} {request.path}: " if request is not None else ""
    if during:
        return ClientClosedError(
            f"{where}the client was closed while the call was in flight "
            "(await client.close() ended it; nothing more is sent)",
            request=request, request_sent=True,
        )
    return ClientClosedError(
        f"{where}the client is closed (await client.close() was called); nothing was sent. "
        "A closed AsyncTelnyx cannot be reopened: make a new one",
        request=request, request_sent=False,
    )


class Lifecycle:
    """Whether a client is open, and which of its calls are in flight.

    Every call of a client, and of its ``with_options`` copies, runs through
    :meth:`call`. :meth:`close` closes the client for good: a call made later
    raises :class:`ClientClosedError` before anything is sent, and every call
    in flight (queued for a slot, held by the throttle, waiting to retry or
    waiting on the server) is cancelled and ends with :class:`ClientClosedError`
    instead. ``close`` returns once all of them have left the send path, so
    nothing is sent by the client afterwards.

    A caller's own cancellation is never swallowed: when the caller cancelled
    too, the call ends with ``CancelledError`` (on Python 3.10, which cannot
    tell two cancellations apart, a cancel that lands at the very moment of
    ``close()`` may end as ``ClientClosedError`` instead).
    """

    def __init__(self) -> None:
        self.closed = False
        self._depth: dict[asyncio.Task[Any], int] = {}
        self._ending: set[asyncio.Task[Any]] = set()
        self._waiters: list[tuple[set[asyncio.Task[Any]], asyncio.Future[None]]] = []

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<Lifecycle {state}, {len(self._depth)} call(s) in flight>"

    def guard(self, send: Callable[[Request], Awaitable[Response]]) -> Callable[
        [Request], Awaitable[Response]
    ]:
        """``send`` as a call of this client: refused once closed, ended by :meth:`close`."""

        async def guarded(request: Request) -> Response:
            return await self.call(send, request, request)

        return guarded

    def guard_sleep(self, sleep: Callable[[float], Awaitable[None]]) -> Callable[
        [float], Awaitable[None]
    ]:
        """``sleep`` (a poll's pause) that refuses to start, and ends, once the client closes."""

        async def guarded(seconds: float) -> None:
            await self.call(sleep, seconds, None)

        return guarded

    async def call(
        self, func: Callable[[_A], Awaitable[_R]], arg: _A, request: Request | None
    ) -> _R:
        """``await func(arg)`` unless the client is closed; :meth:`close` ends it early.

        Raises :class:`ClientClosedError` (naming ``request`` when given) if
        the client is closed already, or closes while this runs.
        """
        if self.closed:
            raise closed_error(request, during=False)
        task = self._enter()
        try:
            return await func(arg)
        except asyncio.CancelledError:
            if task is not None and self._withdraw_cancel(task):
                raise closed_error(request, during=True) from None
            raise
        finally:
            if task is not None:
                self._leave(task)

    def _enter(self) -> asyncio.Task[Any] | None:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # driven by hand, outside any loop: nothing to cancel
            return None
        if task is not None:
            depth = self._depth
            depth[task] = depth.get(task, 0) + 1
        return task

    def _withdraw_cancel(self, task: asyncio.Task[Any]) -> bool:
        """Take back the cancellation :meth:`close` sent ``task``; True if no other is pending."""
        if task not in self._ending:
            return False
        self._ending.discard(task)
        uncancel = getattr(task, "uncancel", None)  # Python 3.11+
        if uncancel is None:
            return True
        remaining: int = uncancel()
        return remaining == 0

    def _leave(self, task: asyncio.Task[Any]) -> None:
        depth = self._depth[task] - 1
        if depth:
            self._depth[task] = depth
            return
        del self._depth[task]
        if task in self._ending:
            # The cancellation was swallowed below us and the call ended anyway
            # (with its result): take it back, so it does not hit the caller later.
            self._withdraw_cancel(task)
        if self._waiters:
            for waiting, done in self._waiters:
                waiting.discard(task)
                if not waiting and not done.done():
                    done.set_result(None)
            self._waiters = [(w, d) for w, d in self._waiters if not d.done()]

    async def close(self) -> None:
        """Refuse new calls; cancel those in flight and wait until each has ended.

        Safe to call twice, and from several tasks at once (each waits).
        """
        self.closed = True
        loop = asyncio.get_running_loop()
        current = asyncio.current_task()
        waiting: set[asyncio.Task[Any]] = set()
        for task in list(self._depth):
            if task is current or task.done():
                continue
            own_loop = task.get_loop() is loop
            if task not in self._ending:
                self._ending.add(task)
                if own_loop:
                    task.cancel()
                else:  # a call running on another thread's loop: cancel it there
                    task.get_loop().call_soon_threadsafe(task.cancel)
            if own_loop:
                waiting.add(task)
        if not waiting:
            return
        done: asyncio.Future[None] = loop.create_future()
        self._waiters.append((waiting, done))
        try:
            await done
        finally:
            self._waiters = [(w, d) for w, d in self._waiters if d is not done]
