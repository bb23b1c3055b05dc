"""The deadline of a wait: checking its arguments, and the time it has left."""

from __future__ import annotations

import math
import time
import warnings

from telnyx_async._config import Timeout

__all__ = [
    "DEFAULT_WAIT_DEADLINE",
    "WaitDeadline",
    "check_wait_arguments",
    "deadline_argument",
]

DEFAULT_WAIT_DEADLINE = 3900.0
"""Default deadline of a wait, in seconds: the longest a test may run (3600 s) plus a buffer."""


def deadline_argument(
    deadline: float | None, timeout: float | None, where: str
) -> tuple[float | None, str]:
    """The deadline a wait was given, and the name it was given under.

    ``timeout=`` is the old name of ``deadline=`` for a whole wait (in this SDK
    a timeout limits one attempt): it still works, with a
    :class:`DeprecationWarning` that points at the caller of ``where``.
    Giving both is a ``TypeError``.
    """
    if timeout is None:
        return deadline, "deadline"
    if deadline is not None:
        raise TypeError(f"{where}: give `deadline` only (`timeout` is its deprecated name)")
    warnings.warn(
        f"{where}(timeout=...) is deprecated: the whole wait's limit is now called "
        "`deadline` (`timeout` means one attempt's limit); use deadline=...",
        DeprecationWarning,
        stacklevel=3,
    )
    return timeout, "timeout"


def check_wait_arguments(
    deadline: float | None,
    poll_interval: float,
    max_poll_interval: float,
    *,
    name: str = "deadline",
) -> float:
    """Check the arguments of a wait or batch; return its deadline in seconds.

    Raises ``TypeError`` for a value that is not a number of seconds and
    ``ValueError`` for one that is not positive and finite, or for a
    ``max_poll_interval`` below ``poll_interval``. ``deadline=None`` means
    :data:`DEFAULT_WAIT_DEADLINE`; ``name`` is what the caller called it.
    """
    for label, value in (
        ("poll_interval", poll_interval),
        ("max_poll_interval", max_poll_interval),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"`{label}` must be a number of seconds")
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"`{label}` must be a positive, finite number of seconds")
    if max_poll_interval < poll_interval:
        raise ValueError("`max_poll_interval` must not be smaller than `poll_interval`")
    if deadline is None:
        return DEFAULT_WAIT_DEADLINE
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)):
        raise TypeError(f"`{name}` must be a number of seconds or None")
    if not math.isfinite(deadline) or deadline <= 0:
        raise ValueError(f"`{name}` must be a positive, finite number of seconds")
    return float(deadline)


class WaitDeadline:
    """The time one wait (one run followed to its end) may still spend.

    Time counts as the larger of the wall clock and the total this wait asked
    to sleep, so with a real sleep it is wall time, and a test that injects a
    sleep which does not really sleep still sees the deadline arrive.
    """

    def __init__(self, seconds: float, *, started: float | None = None) -> None:
        """Allow ``seconds`` from ``started`` (a :func:`time.monotonic` reading; default now)."""
        self.seconds = seconds
        self.started = time.monotonic() if started is None else started
        self.slept = 0.0

    def left(self) -> float:
        """Seconds until the deadline; zero or less once it has passed."""
        return self.seconds - max(time.monotonic() - self.started, self.slept)

    def call_timeout(self, base: Timeout) -> Timeout:
        """One request's timeout: the per-attempt limits of ``base``, cut to the time left."""
        left = self.left()
        return Timeout(
            total=left if base.total is None else min(base.total, left),
            connect=None if base.connect is None else min(base.connect, left),
            deadline=left,
        )
