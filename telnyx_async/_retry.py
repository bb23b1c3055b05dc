"""The retry layer: tenacity, along its grain.

A failed attempt has already become a typed error below this layer. Whether to
try again is one pure function of that error and the request
(:func:`is_retryable`); how long to wait is read from the error
(:func:`requested_wait`: the server's ``Retry-After``), else jittered
exponential :func:`backoff`; tenacity stops on the attempt count and before a
wait that would pass the call's deadline. Only our own error types are ever
retried, so ``CancelledError`` (and any bug) propagates at once.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import attrs

from telnyx_async._config import RetryConfig
from telnyx_async._headers import parse_retry_after
from telnyx_async._observe import CALL_OBSERVER
from telnyx_async._wire import Request, Response
from telnyx_async.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    RateLimitError,
)

if TYPE_CHECKING:
    import tenacity

__all__ = ["RetryLayer", "Send", "Sleep", "backoff", "is_retryable", "requested_wait"]

Send = Callable[[Request], Awaitable[Response]]
"""The shape of every layer of the send path: one request in, its response out."""
Sleep = Callable[[float], Awaitable[None]]

log = logging.getLogger("telnyx_async")


def backoff(
    number: int,
    *,
    initial: float,
    maximum: float,
    factor: float = 2.0,
    spread: tuple[float, float] = (0.0, 1.0),
    rand: Callable[[], float] = random.random,
) -> float:
    """The pause before retry (or poll) number ``number`` (1 for the first), in seconds.

    Exponential: ``initial * factor**(number-1)``, times a random multiplier
    drawn uniformly from ``spread``, never above ``maximum``. Retries use the
    default ``(0.0, 1.0)`` ("full jitter": callers who failed together do not
    come back together); run polling uses ``factor=1.5, spread=(0.85, 1.15)``.
    """
    try:
        pause = min(maximum, initial * factor ** max(number - 1, 0))
    except OverflowError:  # thousands of attempts in: long past the cap
        pause = maximum if initial > 0 else 0.0
    low, high = spread
    return float(min(maximum, pause * (low + (high - low) * rand())))


def requested_wait(error: APIError) -> float | None:
    """The wait the server asked for with this error (``Retry-After`` and kin), if any."""
    if isinstance(error, RateLimitError):
        return error.retry_after
    if isinstance(error, APIStatusError) and "retry-after" in error.headers:
        # Only Retry-After is advice on a status other than 429; its Date comes
        # along so an HTTP-date is read against the server's clock, not ours.
        headers = error.headers
        advice = {"retry-after": headers["retry-after"]}
        if "date" in headers:
            advice["date"] = headers["date"]
        return parse_retry_after(advice)
    return None


def is_retryable(error: BaseException, request: Request, config: RetryConfig) -> bool:
    """Whether ``error`` may be retried for ``request`` under ``config``.

    429 is retried for every request (the server did nothing); other
    ``retry_statuses``, timeouts and connection errors only when replaying
    the request is safe (``request.replay_safe``) or it was never sent. A
    server that asks for a wait above ``max_retry_wait`` is not waited for.
    """
    if not isinstance(error, APIError):
        return False
    if isinstance(error, RateLimitError):
        allowed = 429 in config.retry_statuses
    elif isinstance(error, APIStatusError):
        allowed = error.status_code in config.retry_statuses and request.replay_safe
    elif isinstance(error, APIConnectionError):  # includes timeouts
        allowed = (request.replay_safe or not error.request_sent) and not isinstance(
            error, ClientClosedError
        )
    else:
        return False
    if not allowed:
        return False
    wait = requested_wait(error)
    return wait is None or wait <= config.max_retry_wait


class RetryLayer:
    """Run the next layer until it answers, the policy says stop, or the deadline nears.

    The response it returns carries the number of attempts made in
    ``Response.attempts`` (1 when the first one answered).
    """

    def __init__(self, send: Send, config: RetryConfig, sleep: Sleep) -> None:
        self._send = send
        self._config = config
        self._sleep = sleep

    async def __call__(self, request: Request) -> Response:
        """Send ``request``, retrying as :func:`is_retryable` allows; re-raise the last error."""
        config = self._config
        try:
            # Most calls succeed first time: keep tenacity off that path entirely.
            return await self._send(request)
        except APIError as exc:
            if config.max_retries == 0 or not is_retryable(exc, request, config):
                _explain_refusal(exc, request, config)
                raise
            first_failure: APIError | None = exc

        import tenacity  # only once a first attempt has failed: most calls never need it

        def wait(state: tenacity.RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome is not None else None
            asked = requested_wait(error) if isinstance(error, APIError) else None
            if asked is not None:
                return asked
            return backoff(
                state.attempt_number, initial=config.initial_delay, maximum=config.max_delay
            )

        retrying = tenacity.AsyncRetrying(
            retry=tenacity.retry_if_exception(lambda e: is_retryable(e, request, config)),
            wait=wait,
            stop=tenacity.stop_after_attempt(config.max_retries + 1) | _stop_at_deadline(request),
            sleep=self._sleep,
            before_sleep=lambda state: _log_retry(state, request, config),
            reraise=True,
        )

        attempts = 1  # the one that failed above

        async def replay_then_send() -> Response:
            # tenacity's first "attempt" re-raises the failure we already have, so
            # it counts as attempt 1 without sending the request again.
            nonlocal first_failure, attempts
            if first_failure is not None:
                failure, first_failure = first_failure, None
                raise failure
            attempts += 1
            observer = CALL_OBSERVER.get()
            if observer is not None:
                observer.resending()
            return await self._send(request)

        try:
            response: Response = await retrying(replay_then_send)
        except APIError as exc:
            _explain_refusal(exc, request, config)
            raise
        # The answer says how many attempts it took (``retries_taken`` of a raw response).
        return attrs.evolve(response, attempts=attempts)


@functools.cache
def _deadline_stop() -> type[tenacity.stop.stop_base]:
    """tenacity's stop condition for a call's deadline (made once, when tenacity is loaded)."""
    import tenacity

    class StopAtDeadline(tenacity.stop.stop_base):
        """Stop before a wait that would end past the request's deadline."""

        def __init__(self, request: Request) -> None:
            self.request = request

        def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
            request = self.request
            deadline_at = request.deadline_at
            wait = retry_state.upcoming_sleep
            if deadline_at is None or time.monotonic() + wait < deadline_at:
                return False
            log.info(
                "not retrying %s %s: a %.2fs wait would pass the call's deadline",
                request.method, request.path, wait,
            )
            return True

    return StopAtDeadline


def _stop_at_deadline(request: Request) -> tenacity.stop.stop_base:
    stop: tenacity.stop.stop_base = _deadline_stop()(request)  # type: ignore[call-arg]
    return stop


def _explain_refusal(error: APIError, request: Request, config: RetryConfig) -> None:
    wait = requested_wait(error)
    if wait is not None and wait > config.max_retry_wait:
        # Sleeping less than asked would just burn the retry; the caller gets
        # the error now, with retry_after set.
        log.info(
            "not retrying %s %s: server asked for %.1fs, above max_retry_wait %.1fs",
            request.method, request.path, wait, config.max_retry_wait,
        )


def _log_retry(state: tenacity.RetryCallState, request: Request, config: RetryConfig) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    if isinstance(error, APIStatusError):
        reason = f"status {error.status_code}"
    elif isinstance(error, APITimeoutError):
        reason = "timeout"
    else:
        reason = "connection error"
    request_id = error.request_id if isinstance(error, APIStatusError) else None
    log.info(
        "retrying %s %s after %s (attempt %d of %d) in %.2fs%s",
        request.method,
        request.path,
        reason,
        state.attempt_number + 1,
        config.max_retries + 1,
        state.upcoming_sleep,
        f" [request id {request_id}]" if request_id else "",
    )
    observer = CALL_OBSERVER.get()
    if observer is not None:  # a tracing layer watches this call
        observer.retrying(state.attempt_number + 1, state.upcoming_sleep, reason, error)
