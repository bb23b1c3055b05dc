"""The call observer: how the lower layers of the send path report what happened inside one call.

A layer that watches whole calls (the tracing layer) puts a
:class:`CallObserver` into :data:`CALL_OBSERVER` for the duration of one call;
the layers below (the retry layer before each wait, the throttle layer around
each admission) read it and, when one is there, tell it what they did. They
know nothing of who listens, and nobody listens unless a watching layer was
composed: then the lookup is one ``ContextVar.get()`` returning ``None``.

A context variable rather than an argument, because the layers share one
shape, ``(Request) -> Response``, and because each call runs in its own task
context: concurrent calls of one client never see each other's observer.

This module imports nothing from ``telnyx_async`` or any tracing library.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Protocol

__all__ = ["CALL_OBSERVER", "CallObserver"]


class CallObserver(Protocol):
    """What a watcher of one call is told by the layers below it. Each method must be cheap."""

    def retrying(
        self, attempt: int, wait: float, reason: str, error: BaseException | None
    ) -> None:
        """The retry layer will wait ``wait`` seconds, then make attempt number ``attempt``.

        ``reason`` says why in a few words (``"status 503"``, ``"timeout"``,
        ``"connection error"``); ``error`` is the failure of the previous attempt.
        """
        ...

    def resending(self) -> None:
        """The retry layer is sending the request again, now (its wait is over)."""
        ...

    def throttled(self, seconds: float) -> None:
        """The throttle took ``seconds`` to admit the attempt that is about to go out."""
        ...


CALL_OBSERVER: ContextVar[CallObserver | None] = ContextVar(
    "telnyx_async_call_observer", default=None
)
"""The observer of the call running in this context, if a watching layer set one."""
