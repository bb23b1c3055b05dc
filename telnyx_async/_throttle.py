"""The throttle seam: what a rate limiter must do, and the layer that asks it.

A throttle sits between the retry layer and the transport, so every attempt
(retries included) is admitted by it and every answer is shown to it:

* ``await throttle.admit(request)`` waits until ``request`` may go out and
  returns a ticket (anything the throttle likes), or raises
  :class:`~telnyx_async.RateLimitError` (nothing sent) when the wait it knows
  of is too long for the request;
* ``await throttle.learn(ticket, response)`` is called exactly once per
  admitted request: with its :class:`~telnyx_async.Response` (any status), or
  with ``None`` when no answer came (a connection failure, a timeout, a
  cancellation).

``AsyncTelnyx(throttle=...)`` takes any object with these two methods;
``throttle=None`` switches throttling off. The default is
:class:`~telnyx_async.AdaptiveThrottle`.
"""

from __future__ import annotations

import time
from typing import Any, Protocol, runtime_checkable

from telnyx_async._observe import CALL_OBSERVER
from telnyx_async._retry import Send
from telnyx_async._wire import Request, Response
from telnyx_async.errors import RateLimitError, RateLimitInfo

__all__ = ["Throttle", "ThrottleLayer", "refusal"]


@runtime_checkable
class Throttle(Protocol):
    """What a rate limiter plugged into ``AsyncTelnyx(throttle=...)`` implements."""

    async def admit(self, request: Request) -> Any:
        """Wait until ``request`` may be sent; return a ticket for :meth:`learn`.

        May raise :class:`~telnyx_async.RateLimitError` to refuse the request
        unsent (for example when the wait would pass its deadline).
        """
        ...

    async def learn(self, ticket: Any, response: Response | None) -> None:
        """Take note of the answer to an admitted request (``None``: no answer came)."""
        ...


class ThrottleLayer:
    """Ask ``throttle`` before each attempt and show it what came back."""

    def __init__(self, send: Send, throttle: Throttle) -> None:
        self._send = send
        self._throttle = throttle

    async def __call__(self, request: Request) -> Response:
        """Send ``request`` once it is admitted; the throttle learns the outcome, whatever it is."""
        throttle = self._throttle
        observer = CALL_OBSERVER.get()
        if observer is None:
            ticket = await throttle.admit(request)
        else:  # a tracing layer watches this call: tell it how long admission took
            asked_at = time.monotonic()
            ticket = await throttle.admit(request)
            observer.throttled(time.monotonic() - asked_at)
        response: Response | None = None
        try:
            response = await self._send(request)
            return response
        finally:
            await throttle.learn(ticket, response)


def refusal(
    request: Request,
    reason: str,
    *,
    retry_after: float | None,
    max_wait: float,
    queued: bool,
    rate_limit: RateLimitInfo | None,
    limit: str = "the rate limit",
) -> RateLimitError:
    """The :class:`~telnyx_async.RateLimitError` a throttle raises to refuse ``request`` unsent.

    ``reason`` says what holds requests back (a spent account, a pace, ...);
    ``queued`` means the call's deadline passed while it waited in line,
    otherwise the known wait (``retry_after``) is longer than ``max_wait``
    or than the time left before the call's deadline.
    """
    if queued:
        what = f"the call's deadline passed while it queued for {limit} ({reason})"
    else:
        left = retry_after or 0.0
        past = f"max_wait of {max_wait:g}s" if left > max_wait else "the call's deadline"
        what = f"{reason}; the next request may go in {left:.1f}s, past {past}"
    return RateLimitError(
        f"{request.method} {request.path}: not sent: {what}",
        retry_after=retry_after,
        status_code=429,
        headers={},
        body="",
        errors=[],
        request=request,
        rate_limit=rate_limit,
    )
