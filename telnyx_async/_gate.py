"""The client-wide rate-limit gate: after a 429, every task on the client backs off together.

Retrying one request after a 429 is not enough when a hundred tasks share a
client: the other ninety-nine would keep hitting the limit, each earning its
own 429. The gate is a single "closed until" time per client. Every response
is shown to it; a 429 (wait: ``Retry-After``/``retry-after-ms``, else
``x-ratelimit-reset``, else 1 s) or a response saying
``x-ratelimit-remaining: 0`` with a reset closes it until the reset. Every
request waits at the gate before it is sent, so nothing leaves the client
while it is closed.

The gate waits on the event loop (``asyncio.sleep``), never on the client's
injectable ``sleep``: it is about real time at the server.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping

from telnyx_async._http import parse_rate_limit, parse_retry_after
from telnyx_async.errors import RateLimitError, RateLimitInfo

__all__ = ["RateLimitGate"]

log = logging.getLogger("telnyx_async")

DEFAULT_429_WAIT = 1.0
"""How long the gate closes after a 429 that says nothing about when to come back."""


class RateLimitGate:
    """A per-client cooldown shared by every request of the client and its copies.

    ``observe`` reads each response's status and headers; ``wait`` holds a
    request until the cooldown has passed. ``info`` is the last
    :class:`~telnyx_async.RateLimitInfo` seen (``None`` until a response
    carried ``x-ratelimit-*`` headers).
    """

    def __init__(
        self,
        info: RateLimitInfo | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.info = info
        self._clock = clock
        self._until = 0.0
        self._reason = ""

    @property
    def closed_for(self) -> float:
        """Seconds until the gate opens again (0 when it is open)."""
        return max(self._until - self._clock(), 0.0)

    def observe(self, status: int, headers: Mapping[str, str]) -> float | None:
        """Take note of one response: remember its rate-limit headers, close the gate if asked.

        For a 429, returns the time the gate now stays closed until. The call
        that got the 429 passes it back to :meth:`wait` as ``waited_until`` on
        its retry: its retry policy has already waited that cooldown out.
        """
        info = parse_rate_limit(headers)
        if info.limit is not None or info.remaining is not None or info.reset is not None:
            self.info = info
        wait: float | None = None
        if status == 429:
            wait = parse_retry_after(headers)
            if wait is None:
                wait = DEFAULT_429_WAIT
            reason = "a 429 answer"
        elif info.remaining == 0 and "x-ratelimit-reset" in headers:
            wait = parse_retry_after({"x-ratelimit-reset": headers["x-ratelimit-reset"]})
            reason = "x-ratelimit-remaining: 0"
        if wait is not None and wait > 0:
            now = self._clock()
            if now + wait > self._until:
                if self._until <= now:  # log when the gate closes, not on every extension
                    log.info(
                        "rate limit: holding every request of this client for %.2fs (%s)",
                        wait, reason,
                    )
                self._until = now + wait
                self._reason = reason
        return self._until if status == 429 else None

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
        """Return once the gate is open; sleeps on the event loop while it is closed.

        ``waited_until`` is what :meth:`observe` returned for this call's own
        429: a cooldown that ends no later than that has been waited out by
        the call's retry policy already (through the client's ``sleep``), so it
        does not hold the call again. A longer one, set by another request's
        429 since, does.

        A request that would have to wait longer than ``max_wait`` (the
        client's ``max_retry_wait``) or past its own deadline is not held: a
        :class:`~telnyx_async.RateLimitError` with ``retry_after`` set is raised
        at once, the way a long ``Retry-After`` is handled.
        """
        while True:
            now = self._clock()
            left = self._until - now
            if left <= 0 or (waited_until is not None and self._until <= waited_until):
                return
            if left > max_wait or (deadline_at is not None and now + left >= deadline_at):
                limit = (
                    f"max_retry_wait of {max_wait:g}s"
                    if left > max_wait
                    else "the call's deadline"
                )
                raise RateLimitError(
                    f"{method} {path}: not sent: the client is holding requests for another "
                    f"{left:.1f}s after {self._reason}, past {limit}",
                    retry_after=left,
                    status_code=429,
                    headers={},
                    body="",
                    errors=[],
                    method=method,
                    url=url,
                    rate_limit=self.info,
                )
            await asyncio.sleep(left)
