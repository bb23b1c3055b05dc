"""The fake's rate limiter: a token bucket on the fake's clock."""

from __future__ import annotations

import math

from ._clock import Clock

__all__ = ["TokenBucket"]


class TokenBucket:
    """``burst`` tokens, refilled at ``rate`` per second of the clock; one per request."""

    def __init__(self, clock: Clock, rate: float, burst: int, retry_after: bool) -> None:
        """A full bucket; ``retry_after`` says whether 429s carry ``Retry-After``."""
        self.clock = clock
        self.rate = rate
        self.burst = burst
        self.retry_after = retry_after
        self.tokens = float(burst)
        self.refilled_at = clock.now()

    def _refill(self) -> None:
        now = self.clock.now()
        if now > self.refilled_at:
            self.tokens = min(float(self.burst), self.tokens + (now - self.refilled_at) * self.rate)
        self.refilled_at = max(self.refilled_at, now)

    def _seconds_to_next_token(self) -> int:
        if self.tokens >= 1:
            return 0
        return max(1, math.ceil((1.0 - self.tokens) / self.rate - 1e-9))

    def take(self) -> bool:
        """Take a token if there is one; ``False`` means the request is over the limit."""
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def headers(self) -> dict[str, str]:
        """The ``x-ratelimit-*`` headers as the bucket stands now."""
        self._refill()
        return {
            "x-ratelimit-limit": str(self.burst),
            "x-ratelimit-remaining": str(max(0, math.floor(self.tokens))),
            "x-ratelimit-reset": str(self._seconds_to_next_token()),
        }
