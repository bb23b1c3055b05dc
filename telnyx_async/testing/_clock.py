"""Clocks the fake reads its notion of "now" from."""

from __future__ import annotations

import math
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "MonotonicClock"]


@runtime_checkable
class Clock(Protocol):
    """Anything with a ``now()`` returning seconds as a float.

    Only differences between two readings matter, so the origin is arbitrary.
    """

    def now(self) -> float:
        """Return the current reading in seconds."""
        ...


class MonotonicClock:
    """The default clock: :func:`time.monotonic`."""

    def now(self) -> float:
        """Return :func:`time.monotonic`."""
        return time.monotonic()

    def __repr__(self) -> str:
        return "MonotonicClock()"


class FakeClock:
    """A clock that only moves when told to.

    Hand one to :class:`~telnyx_async.testing.FakeTelnyx` to make test runs and
    the rate limiter deterministic::

        clock = FakeClock()
        fake = FakeTelnyx(clock=clock)
        ...
        clock.advance(2.5)   # every run started 2.5 s "ago" moves on
    """

    def __init__(self, start: float = 0.0) -> None:
        """Create a clock reading ``start`` seconds."""
        if not math.isfinite(start):
            raise ValueError("start must be a finite number")
        self._now = float(start)

    def now(self) -> float:
        """Return the current reading."""
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (>= 0) and return the new reading."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("a FakeClock only moves forward by a finite, non-negative amount")
        self._now += float(seconds)
        return self._now

    def set(self, value: float) -> None:
        """Jump to an absolute reading that is not earlier than the current one."""
        if not math.isfinite(value) or value < self._now:
            raise ValueError("a FakeClock cannot move backwards")
        self._now = float(value)

    def __repr__(self) -> str:
        return f"FakeClock(now={self._now!r})"
