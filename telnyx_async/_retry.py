"""The retry policy, run by tenacity: what is retried, how long to wait, when to stop.

A failed attempt raises a typed error first; the policy then reads that error
(status, ``retry_after``, whether the request may have been sent) to decide.
Only our own error types are ever retried, so ``CancelledError`` (and any bug)
propagates at once.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from telnyx_async._config import RetryConfig
from telnyx_async._http import parse_retry_after
from telnyx_async.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
)

__all__ = ["Sleep", "backoff", "run_with_retries"]

if TYPE_CHECKING:
    import tenacity

_T = TypeVar("_T")
Sleep = Callable[[float], Awaitable[None]]

log = logging.getLogger("telnyx_async")

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def backoff(
    config: RetryConfig, retry_number: int, rand: Callable[[], float] = random.random
) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(max, initial * 2**(n-1))]."""
    cap = min(config.max_delay, config.initial_delay * (2 ** max(retry_number - 1, 0)))
    return float(cap * rand())


class _Policy:
    """Decisions for one logical call; one instance per call, never shared."""

    def __init__(
        self,
        config: RetryConfig,
        *,
        method: str,
        path: str,
        replay_safe: bool,
        deadline_at: float | None,
    ) -> None:
        self.config = config
        self.method = method
        self.path = path
        self.replay_safe = replay_safe
        self.deadline_at = deadline_at
        self.next_wait = 0.0

    def _retryable(self, exc: APIError) -> bool:
        if isinstance(exc, RateLimitError):
            return 429 in self.config.retry_statuses
        if isinstance(exc, APIStatusError):
            return exc.status_code in self.config.retry_statuses and self.replay_safe
        if isinstance(exc, APIConnectionError):  # includes APITimeoutError
            return self.replay_safe or not exc.request_sent
        return False

    def should_retry(self, state: tenacity.RetryCallState) -> bool:
        outcome = state.outcome
        if outcome is None or not outcome.failed:
            return False
        exc = outcome.exception()
        if not isinstance(exc, APIError) or not self._retryable(exc):
            return False
        if state.attempt_number > self.config.max_retries:
            return False
        requested: float | None = None
        if isinstance(exc, RateLimitError):
            requested = exc.retry_after
        elif isinstance(exc, APIStatusError) and "retry-after" in exc.headers:
            requested = parse_retry_after({"retry-after": exc.headers["retry-after"]})
        if requested is not None:
            if requested > self.config.max_retry_wait:
                # Sleeping less than asked would just burn the retry; tell the
                # caller now instead, with retry_after set on the error.
                log.info(
                    "not retrying %s %s: server asked for %.1fs, above max_retry_wait %.1fs",
                    self.method, self.path, requested, self.config.max_retry_wait,
                )
                return False
            wait = requested
        else:
            wait = backoff(self.config, state.attempt_number)
        if self.deadline_at is not None and time.monotonic() + wait >= self.deadline_at:
            log.info(
                "not retrying %s %s: a %.2fs wait would pass the call's deadline",
                self.method, self.path, wait,
            )
            return False
        self.next_wait = wait
        return True

    def wait(self, state: tenacity.RetryCallState) -> float:
        return self.next_wait

    def before_sleep(self, state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, APIStatusError):
            reason = f"status {exc.status_code}"
        elif isinstance(exc, APITimeoutError):
            reason = "timeout"
        else:
            reason = "connection error"
        log.info(
            "retrying %s %s after %s (attempt %d of %d) in %.2fs%s",
            self.method,
            self.path,
            reason,
            state.attempt_number + 1,
            self.config.max_retries + 1,
            self.next_wait,
            f" [request id {exc.request_id}]"
            if isinstance(exc, APIStatusError) and exc.request_id
            else "",
        )


async def run_with_retries(
    attempt: Callable[[], Awaitable[_T]],
    *,
    config: RetryConfig,
    method: str,
    path: str,
    idempotency_key: bool,
    deadline_at: float | None,
    sleep: Sleep,
) -> _T:
    """Run ``attempt`` until it succeeds or the policy says stop; re-raise the last error.

    ``idempotency_key`` tells whether a POST carries an ``Idempotency-Key``
    (then it may be replayed like a GET).
    """
    try:
        # Most calls succeed first time: keep tenacity off that path entirely.
        return await attempt()
    except APIError as exc:
        if config.max_retries == 0:
            raise
        first_failure: APIError | None = exc
    policy = _Policy(
        config,
        method=method,
        path=path,
        replay_safe=method in _SAFE_METHODS or idempotency_key,
        deadline_at=deadline_at,
    )
    import tenacity  # only once a first attempt has failed: most calls never need it

    retrying = tenacity.AsyncRetrying(
        retry=policy.should_retry,
        wait=policy.wait,
        stop=tenacity.stop_never,
        sleep=sleep,
        before_sleep=policy.before_sleep,
        reraise=True,
    )

    async def replay_then_attempt() -> _T:
        # tenacity's first "attempt" re-raises the failure we already have, so
        # the policy sees it as attempt 1 without sending the request again.
        nonlocal first_failure
        if first_failure is not None:
            failure, first_failure = first_failure, None
            raise failure
        return await attempt()

    result: _T = await retrying(replay_then_attempt)
    return result
