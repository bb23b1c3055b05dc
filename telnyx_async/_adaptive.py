"""``AdaptiveThrottle``: the default rate limiter, which reacts in proportion to the evidence.

One refused request is evidence, not proof, of an exhausted account. So the
throttle scopes what it does to what the answers say:

* **The budget the server states.** Once an answer carried
  ``x-ratelimit-remaining``, a request is admitted only while that figure
  (from the latest answer) is larger than the requests in flight; a spent
  budget waits for the answers still out, or for ``x-ratelimit-reset``, after
  which ``x-ratelimit-limit`` is assumed again. Answers can come back out of
  order, so each admission carries a ticket (a serial number): an answer to a
  request admitted before the current figures were taken may lower the
  budget, never raise it. Nothing is metered before the first answer: a fresh
  client's first burst goes out at once, as a plain HTTP client's would.
* **A 429 that says the account is spent** (it carries
  ``x-ratelimit-remaining: 0``): every request of the client waits out its
  ``Retry-After`` (or ``retry-after-ms``, else ``x-ratelimit-reset``, else 1 s),
  but for the retries of the requests that got it: their retry policy has
  waited it out already (with the client's ``sleep``, which tests replace).
* **A 429 that says nothing more**: only that request waits (its retry
  honours ``Retry-After``). Only when refusals become a real share of the
  recent answers (``refused_share``, 10% by default, of at least
  ``min_answers`` answers in the last second) does the throttle start pacing
  the whole client: the rate is cut to 95% (``CUT_TO``) of what the server let
  through in the last second, then raised again by a fifth of that every second without
  a new cut (additive increase, multiplicative decrease, as TCP does). A new
  cut needs new evidence: only answers to requests sent after the last cut
  count, and what got through is measured over the time since it. After
  ``PROBE_AFTER`` seconds without a cut the pace grows by half of itself per
  second (other processes sharing the account may have gone quiet: the room
  is found in seconds, not minutes), and it is dropped after
  ``forget_after`` seconds without a 429. A handful of 429s among hundreds of
  answers (one busy backend node, one limited route) never slows the other
  calls.

Requests that cannot go at once queue in arrival order. A request whose known
wait is longer than ``max_wait``, or would pass the call's deadline, is refused
at once with a :class:`~telnyx_async.RateLimitError` (``retry_after`` set,
nothing sent). The throttle waits on the event loop's clock, never on the
client's injectable ``sleep``: it is about real time at the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import weakref
from collections import deque
from collections.abc import Callable, Mapping

from telnyx_async._headers import carries_rate_limit, parse_rate_limit, parse_retry_after
from telnyx_async._throttle import refusal
from telnyx_async._wire import Request, Response
from telnyx_async.errors import RateLimitError, RateLimitInfo

__all__ = ["AdaptiveThrottle"]

log = logging.getLogger("telnyx_async")

DEFAULT_429_WAIT = 1.0
"""How long a 429 that names no wait is taken to ask for."""
DEFAULT_RESET = 1.0
"""How long a spent budget is held when the answer gave no ``x-ratelimit-reset``."""
WINDOW = 1.0
"""The span of recent answers the refused share and the delivered rate are measured over."""
CUT_TO = 0.95
"""A cut sets the pace to this share of what got through (multiplicative decrease)."""
INCREASE = 0.2
"""Between cuts the pace grows by this share of the cut's rate per second (additive increase)."""
PROBE_AFTER = 1.0
"""Seconds without a cut after which a pace grows by half of itself per second."""
MIN_SPAN = 0.25
"""The shortest span a delivered rate is measured over (a first burst answers in milliseconds)."""


class _Pacer:
    """A rate in requests per second, enforced as a virtual schedule (GCRA, no burst).

    Each admission takes the next slot, ``1/rate`` after the last one (or now,
    if that is later); a request may go once its slot has come. The rate is
    cut by :meth:`cut` and grows by :meth:`grow` between cuts.
    """

    def __init__(self, rate: float, now: float) -> None:
        self.rate = rate
        self.base = rate  # the rate of the last cut; additive increases are a share of it
        self.next_slot = now
        self.grown_at = now
        self.cut_at = now

    def opens_at(self) -> float:
        """When the next request may go."""
        return self.next_slot

    def take(self, now: float) -> None:
        self.next_slot = max(self.next_slot, now) + 1.0 / self.rate

    def cut(self, rate: float, now: float) -> None:
        """Multiplicative decrease: go down to ``rate`` (never up)."""
        self.rate = self.base = min(rate, self.rate)
        self.grown_at = self.cut_at = now

    def grow(self, now: float) -> None:
        """Increase the rate for the time since the last growth.

        For the first ``PROBE_AFTER`` seconds after a cut, additively: ``INCREASE``
        of the cut's rate per second. Past that without a new cut, the room the
        pace left is evidently there (other clients of the account went quiet,
        or the cut was too deep), so it grows by half of itself per second
        until a 429 says where the limit is now.
        """
        elapsed = now - self.grown_at
        if elapsed <= 0:
            return
        if now - self.cut_at < PROBE_AFTER:
            self.rate += self.base * INCREASE * elapsed
        else:
            self.rate *= 1.5**elapsed
        self.grown_at = now


class AdaptiveThrottle:
    """The default throttle of :class:`~telnyx_async.AsyncTelnyx` (see this module's text).

    ``info`` is the last :class:`~telnyx_async.RateLimitInfo` an answer
    carried (``None`` until one did). One throttle serves one event loop at a
    time; used from another loop, it starts over.
    """

    def __init__(
        self,
        *,
        max_wait: float = 60.0,
        refused_share: float = 0.1,
        min_answers: int = 8,
        forget_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < refused_share <= 1:
            raise ValueError("`refused_share` must be in (0, 1]")
        self.info: RateLimitInfo | None = None
        self._max_wait = max_wait
        self._refused_share = refused_share
        self._min_answers = min_answers
        self._forget_after = forget_after
        self._clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._in_flight = 0
        self._admitted = 0  # tickets handed out so far
        # the budget the server states
        self._remaining: int | None = None
        self._limit: int | None = None
        self._reset_at = 0.0
        self._figures_at = 0  # self._admitted when the figures were last taken
        # a 429 that said the account is spent, and the requests it refused
        self._hold_until = 0.0
        self._waited: weakref.WeakKeyDictionary[Request, float] = weakref.WeakKeyDictionary()
        self._any_waited = False  # whether _waited was ever filled (saves its len() per call)
        # pacing, once refusals are a real share of the answers
        self._answers: deque[tuple[float, bool]] = deque()  # (when, refused) in WINDOW
        self._refused = 0
        self._counting_since: float | None = None  # the last cut, when the answers counted began
        self._pacer: _Pacer | None = None
        self._last_429 = -math.inf
        self._cut_after = 0  # the last ticket admitted before the pace was last cut
        # requests waiting to be admitted
        self._waiters: deque[asyncio.Future[int]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0

    # ------------------------------------------------------------------ state

    @property
    def in_flight(self) -> int:
        """Requests admitted whose answer has not been learned yet."""
        return self._in_flight

    @property
    def queued(self) -> int:
        """Requests waiting to be admitted."""
        return len(self._waiters)

    @property
    def rate(self) -> float | None:
        """The pace (requests per second) the throttle keeps, or ``None`` when it does not pace."""
        return None if self._pacer is None else self._pacer.rate

    @property
    def closed_for(self) -> float:
        """Seconds until a known wait ends (spent account, budget reset, pace); 0 if none."""
        now = self._clock()
        opens = self._opens_at(now)
        return 0.0 if opens is None else max(opens - now, 0.0)

    # ------------------------------------------------------------------ the protocol

    async def admit(self, request: Request) -> int:
        """Wait until ``request`` may go; return its ticket. See the module's text."""
        self._bind()
        if (
            self._remaining is None
            and self._pacer is None
            and not self._hold_until
            and not self._waiters
            and not self._any_waited
        ):
            # Nothing known to wait for (no budget stated, no pace, no hold, no
            # queue): granted without asking _try_admit.
            return self._grant()
        waited = self._waited.pop(request, 0.0) if self._any_waited else 0.0
        if waited and waited >= self._hold_until and self._spent_only_until(waited):
            # A retry of a request refused by this very hold: it has waited already.
            return self._grant()
        ticket = self._try_admit()
        if ticket:
            return ticket
        now = self._clock()
        opens = self._opens_at(now)
        deadline_at = request.deadline_at
        if opens is not None:
            left = opens - now
            if left > self._max_wait or (deadline_at is not None and opens >= deadline_at):
                raise self._refusal(request, left, queued=False)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[int] = loop.create_future()
        self._waiters.append(waiter)
        self._arm()
        expiry = None
        if deadline_at is not None:
            expiry = loop.call_later(max(deadline_at - now, 0.0), self._expire, waiter, request)
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._release()  # granted, then cancelled before it could run: pass it on
            else:
                with contextlib.suppress(ValueError):  # else _admit_waiters or _expire took it
                    self._waiters.remove(waiter)
            raise
        finally:
            if expiry is not None:
                expiry.cancel()

    async def learn(self, ticket: int, response: Response | None) -> None:
        """Give the request's slot back and take note of its answer, if one came."""
        if response is not None:
            self._observe(response.status, response.headers, ticket)
            if response.status == 429 and self._hold_until:
                self._waited[response.request] = self._hold_until
                self._any_waited = True
        self._release()

    # ------------------------------------------------------------------ admission

    def _bind(self) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            # A new loop (one client across two asyncio.run() calls): what was
            # queued or in flight belonged to the old one.
            self._loop = loop
            self._waiters.clear()
            self._timer = None
            self._in_flight = 0

    def _try_admit(self) -> int:
        if self._waiters or not self._may_send(self._clock()):
            return 0
        return self._grant()

    def _grant(self) -> int:
        self._in_flight += 1
        self._admitted += 1
        pacer = self._pacer
        if pacer is not None:
            pacer.take(self._clock())
        return self._admitted

    def _release(self) -> None:
        self._in_flight = max(self._in_flight - 1, 0)
        if self._waiters:
            self._admit_waiters()

    def _may_send(self, now: float) -> bool:
        """Whether one more request may go now; renews a spent budget once its reset passed."""
        if self._hold_until:
            if now < self._hold_until:
                return False
            self._hold_until = 0.0
        return self._budget_allows(now) and self._pace_allows(now)

    def _budget_allows(self, now: float) -> bool:
        remaining = self._remaining
        if remaining is not None and remaining <= self._in_flight:
            if not self._reset_at or now < self._reset_at:
                return False  # wait for the reset, or for the answers still out
            limit = self._limit
            self._remaining = limit if limit is not None and limit > 0 else None
            self._reset_at = 0.0
            self._figures_at = self._admitted
            if self._remaining is not None and self._remaining <= self._in_flight:
                return False
        return True

    def _spent_only_until(self, waited: float) -> bool:
        """Whether the budget has room, or is spent only by the hold a retry waited out."""
        remaining = self._remaining
        return remaining is None or remaining > self._in_flight or 0.0 < self._reset_at <= waited

    def _pace_allows(self, now: float) -> bool:
        pacer = self._pacer
        if pacer is not None:
            if now - self._last_429 > self._forget_after:
                self._pacer = None
                quiet = now - self._last_429
                log.info("rate limit: no 429 for %.0fs, no longer pacing requests", quiet)
            elif now < pacer.opens_at():
                return False
        return True

    def _opens_at(self, now: float) -> float | None:
        """When a known wait ends; ``None`` when none is known (or only answers are awaited)."""
        opens = self._hold_until if self._hold_until > now else 0.0
        remaining = self._remaining
        if remaining is not None and remaining <= self._in_flight and self._reset_at > now:
            opens = max(opens, self._reset_at)
        pacer = self._pacer
        if pacer is not None:
            opens = max(opens, pacer.opens_at())
        return opens if opens > now else None

    def _admit_waiters(self) -> None:
        """Grant slots to the queue's head while slots are free; set the timer if time will."""
        waiters = self._waiters
        while waiters:
            waiter = waiters[0]
            if waiter.done():  # cancelled or expired; its owner has not run yet
                waiters.popleft()
                continue
            if not self._may_send(self._clock()):
                self._arm()
                return
            waiters.popleft()
            waiter.set_result(self._grant())

    def _arm(self) -> None:
        """Make sure the one timer fires when the earliest known wait ends."""
        now = self._clock()
        at = self._opens_at(now)
        if at is None:
            return  # an answer in flight will call learn()
        timer = self._timer
        if timer is not None:
            if self._timer_at <= at:
                return  # fires earlier; it re-arms for the rest
            timer.cancel()
        self._timer_at = at
        loop = self._loop or asyncio.get_running_loop()
        self._timer = loop.call_later(max(at - now, 0.0), self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        if self._waiters:
            self._admit_waiters()

    def _expire(self, waiter: asyncio.Future[int], request: Request) -> None:
        """The call's deadline came while it queued: refuse it."""
        if waiter.done():
            return
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)
        now = self._clock()
        opens = self._opens_at(now)
        waiter.set_exception(
            self._refusal(request, None if opens is None else opens - now, queued=True)
        )

    # ------------------------------------------------------------------ learning

    def _observe(self, status: int, headers: Mapping[str, str], ticket: int) -> None:
        now = self._clock()
        info: RateLimitInfo | None = None
        if carries_rate_limit(headers):  # most answers carry none: no RateLimitInfo for them
            info = parse_rate_limit(headers)
            if info.limit is not None or info.remaining is not None or info.reset is not None:
                self.info = info
                self._take_figures(info, ticket, now)
        refused = status == 429
        # An answer to a request sent before the last cut says nothing about the
        # pace set by that cut: counting it would cut again for the same excess.
        current = ticket > self._cut_after
        if current:
            self._count_answer(now, refused)
        if refused:
            self._after_429(headers, info, now, current=current)
        elif self._pacer is not None:
            self._pacer.grow(now)

    def _take_figures(self, info: RateLimitInfo, ticket: int, now: float) -> None:
        if info.limit is not None:
            self._limit = info.limit
        remaining = info.remaining
        if remaining is None:
            return
        held = self._remaining
        if ticket <= self._figures_at and held is not None and remaining > held:
            return  # an older answer than the figures we hold: it may not raise them
        self._figures_at = self._admitted
        self._remaining = remaining
        if info.reset:
            self._reset_at = now + info.reset
        elif remaining <= 0:
            self._reset_at = now + DEFAULT_RESET
        else:
            self._reset_at = 0.0

    def _count_answer(self, now: float, refused: bool) -> None:
        answers = self._answers
        answers.append((now, refused))
        self._refused += refused
        horizon = now - WINDOW
        while answers and answers[0][0] < horizon:
            _, old = answers.popleft()
            self._refused -= old

    def _after_429(
        self, headers: Mapping[str, str], info: RateLimitInfo | None, now: float, *, current: bool
    ) -> None:
        self._last_429 = now
        wait = parse_retry_after(headers)
        if wait is None:
            wait = DEFAULT_429_WAIT
        if info is not None and info.remaining is not None and info.remaining <= 0:
            # The server says the account's budget is spent: nobody gets through
            # until the wait is over, so nobody is sent.
            if now + wait > self._hold_until:
                if self._hold_until <= now:
                    log.info(
                        "rate limit: the account is spent; holding every request for %.2fs", wait
                    )
                self._hold_until = now + wait
            self._remaining = 0
            self._reset_at = now + wait
            self._figures_at = self._admitted
            return
        answers = len(self._answers)
        sporadic = answers < self._min_answers or self._refused < self._refused_share * answers
        if not current or sporadic:
            return  # only that request waits (its retry does)
        # What got through, per second. Before any cut, over a whole WINDOW: a
        # first burst may have been served from the server's burst allowance,
        # which says nothing of the rate it sustains. After a cut, over the time
        # since it: dividing those few answers by a whole WINDOW would read a
        # fraction of the real rate and cut the pace again and again.
        since = self._counting_since
        span = WINDOW if since is None else min(max(now - since, MIN_SPAN), WINDOW)
        delivered = (answers - self._refused) / span
        rate = max(delivered * CUT_TO, 1.0)
        pacer = self._pacer
        if pacer is None:
            log.info(
                "rate limit: %d of the last %d answers were 429s; pacing requests at %.1f/s",
                self._refused, answers, rate,
            )
            pacer = self._pacer = _Pacer(rate, now)
        else:
            pacer.cut(rate, now)
        # Start the measurement over: the next cut must be earned by new answers.
        self._answers.clear()
        self._refused = 0
        self._counting_since = now
        self._cut_after = self._admitted

    def _refusal(
        self, request: Request, retry_after: float | None, *, queued: bool
    ) -> RateLimitError:
        if self._hold_until > self._clock():
            why = "the account's rate limit is spent"
        elif self._pacer is not None:
            why = f"the client is pacing requests at {self._pacer.rate:.1f}/s after 429s"
        else:
            why = "x-ratelimit-remaining ran out"
        return refusal(
            request, why, retry_after=retry_after, max_wait=self._max_wait, queued=queued,
            rate_limit=self.info,
        )
