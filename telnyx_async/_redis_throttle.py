"""``RedisThrottle``: one rate limit for every process that shares an API key.

Telnyx limits requests per account, but :class:`~telnyx_async.AdaptiveThrottle`
learns the limit per process: N workers probe, overshoot and collect 429s N
times over, and the cool-down one of them learned is news to the others. A
``RedisThrottle`` keeps what is learned in Redis, under one key per
namespace, so that every client using the same namespace (by default: the
same API key and base URL) works from the same figures.

What the fleet shares, and how the two Lua scripts that alone change it keep
it (the schedule, the stated budget, the cool-down, the pace learned from
429s, the gentle start), is told in :mod:`telnyx_async._redis_scripts`.

When Redis does not answer within ``timeout`` (down, unreachable, slow), no call
waits for it longer. A request whose Redis call failed goes through a local
:class:`~telnyx_async.AdaptiveThrottle` (the default throttle's behaviour, per
process); after ``FAILURES_TO_FALL_BACK`` failures in a row (calls under way
together count once) every request does, and the throttle logs one warning. It
tries Redis again every ``retry_every`` seconds (on a call that goes through the
local throttle anyway, bounded by the same ``timeout``) and logs once more, at
INFO, when it is back. Each ticket is learned by the throttle that admitted it;
the answers to requests the local throttle admitted while Redis was answering
the others are told to the fleet as well. The timeout counts the time this
process waited, not the time it spent running its own code (a burst of answers
to parse must not make a healthy Redis look slow), and the answer gets a few
turns of the event loop before it is given up on.

The namespace is a SHA-256 digest of the API key and the base URL; neither is
ever written to Redis, a log record, an error or a ``repr``. ``redis`` (redis-py)
is imported when the first Redis client is made, never by ``import
telnyx_async``.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import logging
import math
import os
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

import attrs

from telnyx_async._adaptive import AdaptiveThrottle
from telnyx_async._config import url_for_display
from telnyx_async._headers import parse_rate_limit, parse_retry_after
from telnyx_async._redis_link import (
    INSTALL_HINT,
    bounded,
    connect,
    mark_retrieved,
    settles,
)
from telnyx_async._redis_scripts import (
    ADMIT_LUA,
    ADMITTED,
    CEILING,
    CUT,
    CUT_TO,
    DECAY,
    HELD,
    HORIZON,
    INCREASE,
    LEARN_LUA,
    PROBE_AFTER,
    PROBE_GROWTH,
    REFUSED,
    WHY,
    script_arg,
)
from telnyx_async._throttle import refusal
from telnyx_async._wire import Request, Response
from telnyx_async.errors import RateLimitError, RateLimitInfo, TelnyxError

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.commands.core import AsyncScript

__all__ = ["RedisThrottle"]

log = logging.getLogger("telnyx_async")

FAILURES_TO_FALL_BACK = 3
"""Redis failures in a row after which every request goes through the fallback.

A lone failure (answers slower than ``timeout`` for a moment) sends only its
own requests through the local throttle; calls under way together count as
one failure. A Redis that is down fails the next calls too, so a fleet falls
back within a few calls.
"""
DEFAULT_PREFIX = "telnyx_async:throttle:"
"""What the namespace's key starts with (``key_prefix=``)."""
@attrs.frozen(slots=True)
class _Ticket:
    """What :meth:`RedisThrottle.admit` hands out: who admitted the request, and its number."""

    key: str | None
    """The namespace's Redis key (``None`` when Redis was away and the key was not needed)."""
    seq: int = 0
    """The admission's number in the namespace; 0 when the local throttle admitted it."""
    local: Any = None
    """The local throttle's ticket, when it admitted the request (``None``: Redis did)."""
    by_redis: bool = True
    """Whether Redis admitted the request (else ``fallback`` did, and learns it)."""


def _positive(name: str, value: float) -> float:
    """``value`` as a float, or the error that says ``name`` must be a positive number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"`{name}` must be a number")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"`{name}` must be a positive number")
    return float(value)


class RedisThrottle:
    """A :class:`~telnyx_async.Throttle` whose limit is shared through Redis by a whole fleet.

    ::

        async with RedisThrottle("redis://redis:6379/0") as throttle:
            async with AsyncTelnyx(throttle=throttle) as client:
                ...

    Every client whose throttle points at the same Redis with the same
    namespace shares one schedule, one budget, one cool-down and one learned
    pace (see :mod:`telnyx_async._redis_throttle` for how). The namespace is
    derived from ``api_key`` (default: ``$TELNYX_API_KEY``) and the base URL
    of each request (or ``base_url``, when given); ``namespace=`` sets it
    instead. ``rate`` requests per ``per`` seconds (``burst`` of them at once,
    default 1) caps the fleet's pace when you know the limit.

    ``url`` is a redis-py URL (``redis://``, ``rediss://``, ``unix://``); or
    pass a ``redis.asyncio.Redis`` as ``redis=`` (it is yours to close).
    ``timeout`` bounds every Redis call; past it, or on any Redis error, the
    throttle works through ``fallback`` (default: an
    :class:`~telnyx_async.AdaptiveThrottle`) and asks Redis again every
    ``retry_every`` seconds. ``max_wait`` is the longest a request waits for
    its slot before it is refused with :class:`~telnyx_async.RateLimitError`
    (nothing sent), as is a request whose wait would pass its deadline.

    The throttle does no I/O until the first request. Close it with
    ``await throttle.aclose()`` (or ``async with``) when done; closing the
    client does not close its throttle, which other clients may share. One
    ``RedisThrottle`` serves one event loop at a time.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        redis: Redis | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        namespace: str | None = None,
        rate: float | None = None,
        per: float = 1.0,
        burst: int = 1,
        timeout: float = 0.25,
        retry_every: float = 1.0,
        max_wait: float = 60.0,
        initial_rate: float | None = 100.0,
        ramp: float = 0.5,
        refused_share: float = 0.1,
        min_answers: int = 8,
        forget_after: float = 30.0,
        key_prefix: str = DEFAULT_PREFIX,
        fallback: AdaptiveThrottle | None = None,
    ) -> None:
        if (url is None) == (redis is None):
            raise TypeError("give exactly one of `url` and `redis`")
        if url is not None:
            if not isinstance(url, str) or not url:
                raise TypeError("`url` must be a redis:// URL")
            if importlib.util.find_spec("redis") is None:
                raise ImportError(INSTALL_HINT)
        if rate is not None:
            _positive("rate", rate)
        _positive("per", per)
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            raise ValueError("`burst` must be an int >= 1")
        if initial_rate is not None:
            _positive("initial_rate", initial_rate)
        if not 0 < refused_share <= 1:
            raise ValueError("`refused_share` must be in (0, 1]")
        if isinstance(min_answers, bool) or not isinstance(min_answers, int) or min_answers < 1:
            raise ValueError("`min_answers` must be an int >= 1")
        if namespace is not None and (not isinstance(namespace, str) or not namespace):
            raise ValueError("`namespace` must be a non-empty string")
        key = api_key if api_key is not None else os.environ.get("TELNYX_API_KEY")
        if namespace is None and not key:
            raise TelnyxError(
                "RedisThrottle derives its namespace from the API key: pass api_key=..., "
                "set TELNYX_API_KEY, or pass namespace=..."
            )
        self._url = url
        self._redis: Redis | None = redis
        self._own_redis = redis is None
        self._prefix = key_prefix
        self._base_url = base_url.rstrip("/") if base_url else None
        # Only a digest of the key is kept; the base URL joins it per request.
        self._key_digest = hashlib.sha256(
            b"telnyx_async/RedisThrottle/v1\0" + (key or "").encode("utf-8")
        ).digest()
        self._keys: dict[str, str] = {}
        self._fixed_key = f"{key_prefix}{{{namespace}}}" if namespace is not None else None
        self._rate = rate
        self._per = float(per)
        self._burst = burst
        self._timeout = _positive("timeout", timeout)
        self._retry_every = _positive("retry_every", retry_every)
        self._max_wait = _positive("max_wait", max_wait)
        self._initial_rate = initial_rate
        self._ramp = _positive("ramp", ramp)
        self._refused_share = float(refused_share)
        self._min_answers = min_answers
        self._forget_after = _positive("forget_after", forget_after)
        self.fallback = fallback if fallback is not None else AdaptiveThrottle(max_wait=max_wait)
        """The local throttle used while Redis does not answer."""
        self.info: RateLimitInfo | None = None
        """The last ``x-ratelimit-*`` figures an answer carried (``None`` until one did)."""
        self._on_redis = True
        self._failures = 0  # Redis calls failed in a row (calls made together count once)
        self._episode = 0  # bumped by each failure counted
        self._retry_at = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock: asyncio.Lock | None = None
        self._admit_script: AsyncScript | None = None
        self._learn_script: AsyncScript | None = None
        self._warm: asyncio.Future[None] | None = None
        if url is not None:
            # A URL redis-py cannot use fails here, not in a call.
            self._redis = connect(url, self._timeout)

    # ------------------------------------------------------------------ state

    @property
    def on_redis(self) -> bool:
        """Whether requests are admitted through Redis (``False``: through ``fallback``)."""
        return self._on_redis

    @property
    def namespace_key(self) -> str | None:
        """The namespace's Redis key: the fixed one, else the last one derived (or ``None``)."""
        if self._fixed_key is not None:
            return self._fixed_key
        return next(reversed(self._keys.values()), None)

    def key_for(self, base_url: str) -> str:
        """The Redis key the namespace of ``base_url`` (with this throttle's API key) lives in."""
        if self._fixed_key is not None:
            return self._fixed_key
        base = base_url.rstrip("/")
        key = self._keys.get(base)
        if key is None:
            digest = hashlib.sha256(self._key_digest + b"\0" + base.encode("utf-8"))
            key = self._keys[base] = f"{self._prefix}{{{digest.hexdigest()[:32]}}}"
        return key

    def __repr__(self) -> str:
        """Where Redis is (no password), the rate, and which throttle admits: never the key."""
        where = url_for_display(self._url) if self._url is not None else "redis=<client>"
        limit = "learned" if self._rate is None else f"{self._rate:g}/{self._per:g}s"
        state = "on Redis" if self._on_redis else "local fallback"
        return f"<RedisThrottle {where} rate={limit} {state}>"

    # ------------------------------------------------------------------ lifecycle

    async def aclose(self) -> None:
        """Close the Redis connections this throttle opened (a ``redis=`` client is left open).

        Safe to call twice; a later request opens a new connection pool.
        """
        client, self._redis = self._redis, None
        self._admit_script = self._learn_script = None
        warm, self._warm = self._warm, None
        if warm is not None and not warm.done():
            warm.cancel()
            await asyncio.wait((warm,))
        if client is not None:
            if self._own_redis:
                await client.aclose(close_connection_pool=True)
            else:
                self._redis = client

    async def __aenter__(self) -> RedisThrottle:
        """Enter ``async with``: nothing to open yet (the first request connects)."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Leave ``async with``: :meth:`aclose`."""
        await self.aclose()

    # ------------------------------------------------------------------ the protocol

    async def admit(self, request: Request) -> _Ticket:
        """Wait until ``request`` may go under the fleet's limit; return its ticket.

        Raises :class:`~telnyx_async.RateLimitError` (nothing sent) when the
        known wait is longer than ``max_wait`` or would pass the call's deadline.
        """
        self._bind()
        if not self._on_redis and not self._probe_due():
            return await self._admit_locally(request)
        key = self._key_of(request)
        lock = self._lock
        assert lock is not None
        if not lock.locked():
            answer = await self._ask(request, key)
            if answer is None:
                return await self._admit_locally(request, key)
            code, wait, seq = answer
            if code == ADMITTED:
                if wait > 0:
                    await asyncio.sleep(wait)
                return _Ticket(key, seq)
        return await self._admit_queued(request, key)

    async def learn(self, ticket: _Ticket, response: Response | None) -> None:
        """Tell the fleet what the answer to an admitted request said (nothing when none came)."""
        if not ticket.by_redis:
            await self.fallback.learn(ticket.local, response)
        if response is None or ticket.key is None:
            return  # no answer: nothing the fleet can learn, and no slot to give back
        headers = response.headers
        info = parse_rate_limit(headers)
        figures = info.limit is not None or info.remaining is not None or info.reset is not None
        if figures:
            self.info = info
        if not self._on_redis:
            return  # Redis is away; the local throttle learns from what it admits itself
        # A request the local throttle admitted while Redis answered the others
        # (one slow answer) is told to the fleet too, as ticket 0: it counts in
        # what got through, it can hold the fleet, but it is no evidence for a cut.
        asked = parse_retry_after(headers) if response.status == 429 else None
        args = (
            ticket.seq,
            response.status,
            -1 if asked is None else asked,
            -1 if info.limit is None else info.limit,
            -1 if info.remaining is None else info.remaining,
            -1 if info.reset is None else info.reset,
            self._refused_share,
            self._min_answers,
            DECAY,
            self._ttl_ms(),
            CUT_TO,
            INCREASE,
            PROBE_AFTER,
            CEILING,
            PROBE_GROWTH,
        )
        reply = await self._call("learn", ticket.key, args)
        if reply is None:
            return
        try:
            code, figure = int(reply[0]), float(reply[1])
        except (IndexError, TypeError, ValueError) as exc:
            self._lost(exc, self._episode)  # not what the script answers: a Redis failure
            return
        if code == HELD:
            log.info(
                "rate limit: the account is spent; every client of the namespace holds "
                "requests for %.2fs", asked if asked is not None else 1.0,
            )
        elif code == CUT:
            log.info(
                "rate limit: 429s are a real share of the answers; the fleet now paces "
                "requests at %.1f/s", figure,
            )

    # ------------------------------------------------------------------ admission

    def _bind(self) -> None:
        """Follow the running event loop: a new loop gets a new lock and connection pool."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            if self._loop is not None and self._own_redis and self._redis is not None:
                log.debug("RedisThrottle used from a new event loop: opening a new connection pool")
                self._redis = None
                self._admit_script = self._learn_script = None
            self._warm = None
            self._loop = loop
            self._lock = asyncio.Lock()

    def _key_of(self, request: Request) -> str:
        """The namespace's key for ``request``: its base URL is its URL without path and query."""
        if self._fixed_key is not None:
            return self._fixed_key
        base = self._base_url
        if base is None:
            base = request.url.partition("?")[0]
            path = request.path
            if path and base.endswith(path):
                base = base[: -len(path)]
        return self.key_for(base)

    async def _admit_queued(self, request: Request, key: str) -> _Ticket:
        """Queue behind this process's other waiters; the head asks Redis until admitted."""
        lock = self._lock
        assert lock is not None
        local = False
        wait = 0.0
        seq = 0

        async def take_turn() -> None:
            nonlocal local, wait, seq
            async with lock:
                while True:
                    if not self._on_redis:
                        local = True  # Redis failed while this request queued
                        return
                    answer = await self._ask(request, key)
                    if answer is None:
                        local = True
                        return
                    code, wait, seq = answer
                    if code == ADMITTED:
                        return
                    await asyncio.sleep(wait)

        deadline_at = request.deadline_at
        if deadline_at is None:
            await take_turn()
        else:
            try:
                await asyncio.wait_for(take_turn(), max(deadline_at - time.monotonic(), 0.0))
            except asyncio.TimeoutError:
                raise self._refusal(request, None, 0, queued=True) from None
        if local:
            return await self._admit_locally(request, key)
        if wait > 0:
            await asyncio.sleep(wait)
        return _Ticket(key, seq)

    async def _ask(
        self, request: Request, key: str
    ) -> tuple[int, float, int] | None:
        """One admission script call: ``(code, seconds, ticket)``, or ``None`` if Redis failed.

        Raises the refusal when the script says the wait is too long.
        """
        limit = self._max_wait
        deadline_at = request.deadline_at
        if deadline_at is not None:
            limit = min(limit, deadline_at - time.monotonic())
        user_interval = self._per / self._rate if self._rate is not None else 0.0
        args = (
            max(limit, 0.0),
            user_interval,
            self._burst,
            self._initial_rate if self._initial_rate is not None else 0,
            self._ramp,
            HORIZON,
            self._ttl_ms(),
            self._forget_after,
        )
        reply = await self._call("admit", key, args)
        if reply is None:
            return None
        try:
            code, seconds, why, seq = int(reply[0]), float(reply[1]), int(reply[2]), int(reply[3])
        except (IndexError, TypeError, ValueError) as exc:
            self._lost(exc, self._episode)  # not what the script answers: a Redis failure
            return None
        if code == REFUSED:
            raise self._refusal(request, seconds, why, queued=False)
        return code, seconds, seq

    async def _admit_locally(self, request: Request, key: str | None = None) -> _Ticket:
        """Admit through ``fallback``; ``key`` is the namespace to report the answer to, if any."""
        return _Ticket(key, 0, await self.fallback.admit(request), by_redis=False)

    def _ttl_ms(self) -> int:
        """How long the namespace's key outlives its last call, in milliseconds."""
        return math.ceil(self._forget_after * 1000)

    # ------------------------------------------------------------------ Redis, and when it fails

    async def _warm_up(self) -> None:
        """Connect and load both scripts (bounded by the client's socket timeouts)."""
        client = self._redis
        assert client is not None
        await client.script_load(ADMIT_LUA)
        await client.script_load(LEARN_LUA)

    def _scripts(self) -> None:
        """Register the two scripts with the Redis client (made first, if the throttle owns it)."""
        client = self._redis
        if client is None:
            assert self._url is not None  # without a URL the caller lent the client
            client = self._redis = connect(self._url, self._timeout)
        self._admit_script = client.register_script(ADMIT_LUA)
        self._learn_script = client.register_script(LEARN_LUA)

    async def _call(
        self, which: str, key: str, args: tuple[float | int, ...]
    ) -> list[Any] | None:
        """Run the ``which`` script within ``timeout``; ``None`` (and the fallback) on failure."""
        if self._admit_script is None or self._learn_script is None:
            self._scripts()
        script = self._admit_script if which == "admit" else self._learn_script
        assert script is not None
        run = cast("Callable[..., Awaitable[list[Any]]]", script)
        episode = self._episode
        warm = self._warm
        if warm is None or (warm.done() and (warm.cancelled() or warm.exception())):
            # The first call of a process (or the first after a failed start)
            # connects and loads the scripts once, instead of every caller of
            # a first burst opening a connection and loading them itself.
            warm = self._warm = asyncio.ensure_future(self._warm_up())
            warm.add_done_callback(mark_retrieved)
        if not warm.done() and not await settles(warm, self._timeout):
            self._lost(asyncio.TimeoutError(), episode)
            return None
        if warm.cancelled() or warm.exception() is not None:
            self._lost(warm.exception() or asyncio.CancelledError(), episode)
            return None
        try:
            sent = run(keys=[key], args=[script_arg(a) for a in args])
            reply = await bounded(sent, self._timeout)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any Redis failure: never the call's problem
            self._lost(exc, episode)
            return None
        self._found()
        return list(reply)

    def _probe_due(self) -> bool:
        """Whether this request should try Redis again (one request every ``retry_every``)."""
        now = time.monotonic()
        if now < self._retry_at:
            return False
        self._retry_at = now + self._retry_every
        return True

    def _lost(self, exc: BaseException, episode: int) -> None:
        """A Redis call failed: its request goes through the local throttle; maybe all do now.

        Calls that were under way together fail together (one slow moment of
        Redis, or of this process): only the first of them counts.
        """
        self._retry_at = time.monotonic() + self._retry_every
        if episode == self._episode:
            self._episode += 1
            self._failures += 1
        if self._on_redis and self._failures >= FAILURES_TO_FALL_BACK:
            self._on_redis = False
            url = self._url
            where = url_for_display(url) if url is not None else "the given Redis client"
            reason = "no answer in time" if isinstance(exc, asyncio.TimeoutError) else (
                type(exc).__name__
            )
            log.warning(
                "RedisThrottle: %s failed (%s, timeout %.3fs); admitting requests through "
                "the local throttle until it answers again",
                where, reason, self._timeout,
            )

    def _found(self) -> None:
        """A Redis call succeeded: the failures in a row start over; back on Redis if away."""
        self._failures = 0
        if not self._on_redis:
            self._on_redis = True
            log.info("RedisThrottle: Redis answers again; the fleet's limit applies once more")

    def _refusal(
        self, request: Request, retry_after: float | None, why: int, *, queued: bool
    ) -> RateLimitError:
        reason = WHY.get(why, "the fleet's shared pace")
        return refusal(
            request, reason, retry_after=retry_after, max_wait=self._max_wait, queued=queued,
            rate_limit=self.info, limit="the fleet's rate limit",
        )
