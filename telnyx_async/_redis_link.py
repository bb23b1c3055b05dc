"""Talking to Redis for :class:`~telnyx_async.RedisThrottle`: a small pool, and a time bound.

A throttle must never hold a call up for long because Redis is slow or gone,
so every Redis call is awaited through :func:`bounded`, which gives up after
``timeout`` seconds of *waiting* (time this process spent running its own
code does not count, and the wall-clock wait is capped too).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = [
    "GRACES",
    "GRACE_TURNS",
    "INSTALL_HINT",
    "MAX_CONNECTIONS",
    "bounded",
    "connect",
    "mark_retrieved",
    "settles",
]

INSTALL_HINT = 'RedisThrottle needs redis-py: pip install "telnyx-async[redis]"'
MAX_CONNECTIONS = 8
"""Connections a throttle opens to Redis at most (calls beyond wait for one, within ``timeout``)."""
GRACE_TURNS = 4
"""Turns of the event loop an answer gets after ``timeout`` before Redis is given up on."""
GRACES = 3
"""A Redis call never takes more than ``(GRACES + 1) * timeout`` of wall-clock time."""


def connect(url: str, timeout: float) -> Redis:
    """A new client for ``url`` (no I/O yet: redis-py connects on the first command)."""
    try:
        from redis.asyncio import BlockingConnectionPool, Redis
    except ImportError as exc:  # pragma: no cover - checked by find_spec in __init__
        raise ImportError(INSTALL_HINT) from exc
    # A few connections, waited for when busy: a burst of first calls must
    # not open (and set up) one connection each.
    # redis-py's own timeouts are only a backstop: ``_bounded`` enforces
    # ``timeout``, and tells a slow Redis from a busy event loop, which a
    # plain timer (these included) cannot.
    backstop = max(1.0, 5 * timeout)
    pool = BlockingConnectionPool.from_url(  # pyright: ignore[reportUnknownMemberType]
        url,
        max_connections=MAX_CONNECTIONS,
        timeout=backstop,
        socket_timeout=backstop,
        socket_connect_timeout=backstop,
        retry_on_timeout=False,
        health_check_interval=0,
        lib_name=None,  # no CLIENT SETINFO round trips on every new connection
        lib_version=None,
    )
    return Redis(connection_pool=pool)


async def bounded(call: Awaitable[list[Any]], timeout: float) -> list[Any]:
    """Await ``call`` within ``timeout`` (see :func:`settles`); else ``TimeoutError``."""
    task = asyncio.ensure_future(call)
    try:
        if not await settles(task, timeout):
            raise asyncio.TimeoutError
        return task.result()
    finally:
        if not task.done():
            task.cancel()
            await asyncio.wait((task,))

async def settles(future: asyncio.Future[Any], timeout: float) -> bool:
    """Whether ``future`` is done within ``timeout`` seconds of waiting for Redis.

    The time this process spends running its own code (its CPU time: a
    burst of answers to parse, say) is not time Redis kept it waiting, so
    it does not count: a busy event loop does not mistake a healthy Redis
    for a slow one. The wall-clock wait never exceeds ``GRACES + 1`` times
    ``timeout``; at the end the answer gets a few turns of the loop (it
    may be in the socket already).
    """
    loop = asyncio.get_running_loop()
    started, cpu = loop.time(), time.process_time()
    last_call = started + timeout * (GRACES + 1)
    while not future.done():
        now = loop.time()
        waited = (now - started) - (time.process_time() - cpu)
        left = min(timeout - waited, last_call - now)
        if left <= 0:
            break
        await asyncio.wait((future,), timeout=left)
    for _ in range(GRACE_TURNS):
        if future.done():
            return True
        await asyncio.sleep(0)
    return future.done()


def mark_retrieved(future: asyncio.Future[None]) -> None:
    """Mark a background future's exception as seen (it is acted on where it is awaited)."""
    if not future.cancelled():
        future.exception()
