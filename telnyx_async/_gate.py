"""The client-wide rate-limit gate: admission control for every request of a client.

Retrying one request after a 429 is not enough when hundreds of tasks share a
client: by the time the first 429 comes back, the others are already on the
wire, each earning its own. So every request takes a slot at the gate before it
is sent and gives it back when its answer (or its failure, or its cancellation)
comes back; the gate decides when a slot is free:

* **The probe.** Until the client has seen its first answer, only one request
  is out. That answer says whether the server counts (``x-ratelimit-*``) and
  how much budget is left; a server that sends no such headers costs one round
  trip once, and is not throttled afterwards. The others wait for that answer
  at most ``PROBE_PATIENCE`` (1 s): a slow first call (or a test server holding
  it) must not stall the client, so after that they go out unmetered until an
  answer brings figures. A probe that fails without an answer passes the role
  to the next request.
* **The budget.** Once an answer carried ``x-ratelimit-remaining``, a request
  is admitted only while that figure (from the latest answer) is larger than
  the number of requests in flight. When the budget is spent, requests wait for
  the answers still out (they bring fresher figures) or for the reset: the
  latest answer's arrival plus its ``x-ratelimit-reset``. From then on the
  budget is assumed to be ``x-ratelimit-limit`` again, until answers say more.
  ``remaining: 0`` without a reset holds requests for 1 s. Answers may come
  back in another order than the server counted them, so every slot carries a
  ticket (a serial number): an answer to a request admitted before the current
  figures were taken can lower the budget, never raise it.
* **The 429 cooldown.** A 429 closes the gate for its ``Retry-After`` (or
  ``retry-after-ms``), else ``x-ratelimit-reset``, else 1 s, and spends the
  budget until then. Requests already admitted but still queued for a
  concurrency slot check the cooldown again before they are sent
  (:meth:`RateLimitGate.holding`, :meth:`RateLimitGate.wait`).

Requests that cannot go at once queue in arrival order (a deque of futures).
They are admitted by the events that can free a slot: an answer
(:meth:`~RateLimitGate.observe`), a slot given back
(:meth:`~RateLimitGate.release`), and a single timer set for the moment a
cooldown or a reset ends. A request whose known wait is longer than the
client's ``max_retry_wait``, or would pass the call's deadline, is refused at
once with a :class:`~telnyx_async.RateLimitError` (``retry_after`` set, nothing
sent); one still queued when its deadline comes is refused then.

When a slot is free and nobody queues, taking it (:meth:`~RateLimitGate.try_acquire`)
and giving it back are plain attribute updates: no await, no future.

The gate waits on the event loop (timers, futures), never on the client's
injectable ``sleep``: it is about real time at the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping

from telnyx_async._http import _EPOCH_THRESHOLD, parse_rate_limit, parse_retry_after
from telnyx_async.errors import RateLimitError, RateLimitInfo

__all__ = ["RateLimitGate"]

log = logging.getLogger("telnyx_async")

DEFAULT_429_WAIT = 1.0
"""How long the gate closes after a 429 that says nothing about when to come back."""
DEFAULT_RESET = 1.0
"""How long a spent budget is held when the answer gave no ``x-ratelimit-reset``."""
PROBE_PATIENCE = 1.0
"""How long the other requests wait for the probe's answer before going out unmetered."""


class RateLimitGate:
    """Admission control shared by every request of a client and its copies.

    A request takes a slot with :meth:`try_acquire` (or, when that says no,
    :meth:`acquire`), shows its answer to :meth:`observe`, and gives the slot
    back with :meth:`release` whatever happened. ``info`` is the last
    :class:`~telnyx_async.RateLimitInfo` seen (``None`` until an answer carried
    ``x-ratelimit-*`` headers). One gate belongs to one event loop.
    """

    def __init__(
        self,
        info: RateLimitInfo | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        probe_patience: float | None = None,
    ) -> None:
        self.info = info
        self._clock = clock
        self._patience = PROBE_PATIENCE if probe_patience is None else probe_patience
        self._probe_at = 0.0  # when the probe was sent
        self._until = 0.0  # end of the 429 cooldown (0: none)
        self._reason = ""
        self._in_flight = 0
        self._answered = False  # False while the probe is out
        self._remaining: int | None = None  # None: the server does not count
        self._limit: int | None = None
        self._reset_at = 0.0  # when a spent budget is whole again (0: not known)
        self._admitted = 0  # slots granted so far: the last one's ticket
        self._figures_at = 0  # self._admitted when the budget figures were last taken
        self._waiters: deque[asyncio.Future[int]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0

    # ------------------------------------------------------------------ state

    @property
    def in_flight(self) -> int:
        """Slots taken and not given back yet."""
        return self._in_flight

    @property
    def queued(self) -> int:
        """Requests waiting for a slot."""
        return len(self._waiters)

    @property
    def closed_for(self) -> float:
        """Seconds until a known hold ends: a 429 cooldown, or a spent budget's reset.

        0 when the gate is open, and also when it only waits for answers in
        flight (the probe, or requests that will bring a fresher budget).
        """
        now = self._clock()
        opens = self._opens_at(now, None)
        return 0.0 if opens is None else max(opens - now, 0.0)

    # ------------------------------------------------------------------ admission

    def try_acquire(self, waited_until: float | None = None) -> int:
        """Take a slot if one is free now and nobody queues for it; never waits.

        Returns the slot's ticket (a positive serial number, to pass to
        :meth:`observe`), or 0 when no slot was taken. ``waited_until`` is what
        :meth:`observe` returned for this call's own 429 (see :meth:`acquire`);
        such a retry does not queue behind requests waiting for that cooldown.
        """
        if self._waiters and waited_until is None:
            return 0
        if not self._may_send(waited_until):
            return 0
        self._in_flight += 1
        self._admitted += 1
        return self._admitted

    async def acquire(
        self,
        *,
        method: str,
        path: str,
        url: str,
        deadline_at: float | None,
        max_wait: float,
        waited_until: float | None = None,
    ) -> int:
        """Take a slot, queueing (first come, first served) until one is free; return its ticket.

        ``waited_until`` is what :meth:`observe` returned for this call's own
        429: a cooldown (or budget reset) that ends no later than that has been
        waited out by the call's retry policy already (through the client's
        ``sleep``), so it does not hold the call again. A longer one, set by
        another answer since, does.

        A request that would have to wait longer than ``max_wait`` (the
        client's ``max_retry_wait``) or past ``deadline_at`` for a known
        cooldown or reset is not queued: a :class:`~telnyx_async.RateLimitError`
        with ``retry_after`` set is raised at once, the way a long
        ``Retry-After`` is handled. One still queued at ``deadline_at`` gets
        the same error then. Cancelled while queued, the request leaves the
        queue; cancelled just after a slot was granted, it hands the slot on.
        """
        ticket = self.try_acquire(waited_until)
        if ticket:
            return ticket
        now = self._clock()
        opens = self._opens_at(now, waited_until)
        if opens is not None:
            left = opens - now
            if left > max_wait or (deadline_at is not None and opens >= deadline_at):
                raise self._refusal(method, path, url, left, max_wait)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[int] = loop.create_future()
        self._waiters.append(waiter)
        self._arm()
        expiry = None
        if deadline_at is not None:
            expiry = loop.call_later(
                max(deadline_at - now, 0.0), self._expire, waiter, method, path, url
            )
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self.release()  # granted, then cancelled before it could run: pass it on
            else:
                with contextlib.suppress(ValueError):  # else _admit or _expire dropped it
                    self._waiters.remove(waiter)
            raise
        finally:
            if expiry is not None:
                expiry.cancel()

    def release(self) -> None:
        """Give a slot back: the answer is in, or the attempt failed or was cancelled."""
        self._in_flight -= 1
        if self._waiters:
            self._admit()

    def observe(
        self, status: int, headers: Mapping[str, str], ticket: int | None = None
    ) -> float | None:
        """Take note of one answer: its budget figures, and a cooldown if it is a 429.

        ``ticket`` is the slot's, from :meth:`try_acquire`/:meth:`acquire`. Answers
        can come back in another order than the server counted them; an answer
        to a request admitted before the current figures were taken may be
        older than they are, so it may lower the budget but not raise it.
        Without a ticket, the answer counts as the newest.

        For a 429, returns the time the gate now stays closed until. The call
        that got the 429 passes it back to :meth:`acquire` as ``waited_until``
        on its retry: its retry policy has already waited that cooldown out.
        """
        self._answered = True
        info = parse_rate_limit(headers)
        remaining = info.remaining
        now: float | None = None
        if info.limit is not None or remaining is not None or info.reset is not None:
            self.info = info
            if info.limit is not None:
                self._limit = info.limit
            if remaining is not None and (
                ticket is None
                or ticket > self._figures_at
                or self._remaining is None
                or remaining <= self._remaining
            ):
                now = self._clock()
                self._figures_at = self._admitted
                self._remaining = remaining
                reset = info.reset
                if reset is not None and reset > _EPOCH_THRESHOLD:
                    reset = max(reset - time.time(), 0.0)  # a Unix time, not seconds
                if reset:
                    self._reset_at = now + reset
                elif remaining <= 0:
                    self._reset_at = now + DEFAULT_RESET
                else:
                    self._reset_at = 0.0  # budget left, no reset pending
        if status == 429:
            if now is None:
                now = self._clock()
            self._close_after_429(headers, now)
        if self._waiters:
            self._admit()
        return self._until if status == 429 else None

    def holding(self, waited_until: float | None = None) -> bool:
        """Whether a 429 cooldown (other than this call's own) is on right now."""
        until = self._until
        return (
            until > 0.0
            and (waited_until is None or until > waited_until)
            and self._clock() < until
        )

    async def wait(
        self,
        *,
        method: str,
        path: str,
        url: str,
        deadline_at: float | None,
        max_wait: float,
        waited_until: float | None = None,
    ) -> None:
        """Sleep out a 429 cooldown (for a request that already holds a slot).

        A request admitted before a 429 came back, and still queued for a
        concurrency slot, calls this before it is sent. ``waited_until``,
        ``max_wait`` and ``deadline_at`` work as in :meth:`acquire`.
        """
        while True:
            now = self._clock()
            left = self._until - now
            if left <= 0 or (waited_until is not None and self._until <= waited_until):
                return
            if left > max_wait or (deadline_at is not None and now + left >= deadline_at):
                raise self._refusal(method, path, url, left, max_wait)
            await asyncio.sleep(left)

    # ------------------------------------------------------------------ internals

    def _close_after_429(self, headers: Mapping[str, str], now: float) -> None:
        wait = parse_retry_after(headers)
        if wait is None:
            wait = DEFAULT_429_WAIT
        if wait > 0 and now + wait > self._until:
            if self._until <= now:  # log when the gate closes, not on every extension
                log.info(
                    "rate limit: holding every request of this client for %.2fs (a 429 answer)",
                    wait,
                )
            self._until = now + wait
            self._reason = "a 429 answer"
        if self._remaining is not None:
            # Nothing is left until the cooldown ends, whatever the headers said;
            # Retry-After wins over x-ratelimit-reset, as for the retry itself.
            self._remaining = 0
            self._reset_at = max(now + wait, now)
            self._figures_at = self._admitted

    def _may_send(self, waited_until: float | None) -> bool:
        """Whether one more request may go now; renews a spent budget once its reset passed."""
        until = self._until
        if until:
            now = self._clock()
            if now >= until:
                self._until = 0.0
            elif waited_until is None or until > waited_until:
                return False
        if not self._answered:
            now = self._clock()
            if self._in_flight == 0:
                self._probe_at = now  # this one is the probe (again, if the last one failed)
                return True
            if now - self._probe_at < self._patience:
                return False
            # The probe is slow (or held): stop waiting for it, meter from its answer on.
            log.debug("rate limit: first request unanswered after %.2fs", now - self._probe_at)
            self._answered = True
        remaining = self._remaining
        if remaining is None or remaining > self._in_flight:
            return True
        reset_at = self._reset_at
        if not reset_at:
            return False  # the answers still out will bring fresher figures
        if self._clock() >= reset_at:
            limit = self._limit
            self._remaining = remaining = limit if limit is not None and limit > 0 else None
            self._reset_at = 0.0
            self._figures_at = self._admitted
            return remaining is None or remaining > self._in_flight
        return waited_until is not None and reset_at <= waited_until

    def _opens_at(self, now: float, waited_until: float | None) -> float | None:
        """When a known hold (cooldown, spent budget) ends; None if none is known."""
        opens = 0.0
        until = self._until
        if until > now and (waited_until is None or until > waited_until):
            opens = until
        remaining = self._remaining
        reset_at = self._reset_at
        if (
            self._answered
            and remaining is not None
            and remaining <= self._in_flight
            and reset_at > now
            and (waited_until is None or reset_at > waited_until)
        ):
            opens = max(opens, reset_at)
        return opens or None

    def _admit(self) -> None:
        """Grant slots to the queue's head while slots are free; set the timer if time will."""
        waiters = self._waiters
        while waiters:
            waiter = waiters[0]
            if waiter.done():  # cancelled or expired; its owner has not run yet
                waiters.popleft()
                continue
            if not self._may_send(None):
                self._arm()
                return
            waiters.popleft()
            self._in_flight += 1
            self._admitted += 1
            waiter.set_result(self._admitted)

    def _arm(self) -> None:
        """Make sure the timer fires by the time a known hold ends (one timer per gate)."""
        now = self._clock()
        at = self._opens_at(now, None)
        if at is None:
            if self._answered or not self._in_flight:
                return  # an answer in flight will call release()/observe()
            at = self._probe_at + self._patience
        timer = self._timer
        if timer is not None:
            if self._timer_at <= at:
                return  # fires earlier; it re-arms for the rest
            timer.cancel()
        self._timer_at = at
        self._timer = asyncio.get_running_loop().call_later(at - now, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._waiters:
            self._admit()

    def _expire(
        self, waiter: asyncio.Future[int], method: str, path: str, url: str
    ) -> None:
        """The call's deadline came while it queued: refuse it."""
        if waiter.done():
            return
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)
        now = self._clock()
        opens = self._opens_at(now, None)
        left = None if opens is None else opens - now
        waiter.set_exception(self._refusal(method, path, url, left, None))

    def _refusal(
        self,
        method: str,
        path: str,
        url: str,
        retry_after: float | None,
        max_wait: float | None,
    ) -> RateLimitError:
        """The error for a request the gate will not send: a known wait too long
        (``max_wait`` given), or a deadline that came while it queued (``None``)."""
        if self._until > self._clock():
            why = self._reason
        elif not self._answered:
            why = "its first request (waiting for the probe's answer)"
        else:
            why = "x-ratelimit-remaining ran out"
        if max_wait is None:
            what = f"the call's deadline passed while it queued for the rate limit ({why})"
        else:
            left = retry_after or 0.0
            past = (
                f"max_retry_wait of {max_wait:g}s" if left > max_wait else "the call's deadline"
            )
            what = (
                f"the client is holding requests for another {left:.1f}s after {why}, past {past}"
            )
        return RateLimitError(
            f"{method} {path}: not sent: {what}",
            retry_after=retry_after,
            status_code=429,
            headers={},
            body="",
            errors=[],
            method=method,
            url=url,
            rate_limit=self.info,
        )
