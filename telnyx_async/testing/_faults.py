"""Scripted failures the fake can serve instead of a normal answer."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Fault", "FaultKind"]

FaultKind = Literal[
    "status", "drop", "reset_mid_body", "delay", "slow_response", "malformed", "trickle"
]


def _check_status(status: int) -> int:
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise ValueError(f"an HTTP status must be an int in 100..599, got {status!r}")
    return status


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour, built with the class methods below.

    Queue faults with :meth:`FakeTelnyx.enqueue`; each is used by exactly one
    request (the next one that matches the filters given to ``enqueue``).
    """

    kind: FaultKind
    """Which misbehaviour this is."""
    status_code: int | None = None
    """The HTTP status sent (``status``, ``reset_mid_body`` and ``malformed``)."""
    body: bytes | None = None
    """The body sent by a ``status`` fault; ``None`` means a standard error body."""
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    """Extra response headers sent by a ``status`` fault."""
    content_type: str | None = None
    """The Content-Type of a ``status`` fault's body."""
    seconds: float = 0.0
    """How long a ``delay``, ``slow_response`` or ``trickle`` fault waits (real time)."""
    chunks: int = 0
    """How many pieces a ``trickle`` fault cuts the body into."""
    then: Fault | None = None
    """What a ``delay`` fault does after waiting; ``None`` runs the real handler."""

    @classmethod
    def status(
        cls,
        status: int,
        *,
        body: bytes | str | Mapping[str, Any] | list[Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
    ) -> Fault:
        """Answer with ``status`` instead of running the real handler.

        ``body`` may be bytes (sent as is), a string (UTF-8 encoded,
        ``text/plain`` unless ``content_type`` says otherwise) or a dict/list
        (JSON-encoded, ``application/json``). Without a body, error statuses get
        the Telnyx error document for that status (the FastAPI validation
        document for 422) and other statuses an empty body.
        ``headers`` are added as given, e.g. ``{"Retry-After": "2"}``.
        """
        _check_status(status)
        raw: bytes | None
        ctype = content_type
        if body is None:
            raw = None
        elif isinstance(body, bytes):
            raw = body
            ctype = ctype or "application/octet-stream"
        elif isinstance(body, str):
            raw = body.encode("utf-8")
            ctype = ctype or "text/plain; charset=utf-8"
        else:
            raw = json.dumps(body).encode("utf-8")
            ctype = ctype or "application/json"
        return cls(
            kind="status",
            status_code=status,
            body=raw,
            headers=dict(headers or {}),
            content_type=ctype,
        )

    @classmethod
    def rate_limited(
        cls,
        *,
        retry_after: float | str | None = 1,
        reset: float | str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """A 429 with the Telnyx body; ``Retry-After`` and ``x-ratelimit-reset`` as given.

        ``retry_after`` may be a number of seconds or a ready-made header value
        (for example an HTTP-date); ``None`` leaves the header out.
        """
        extra: dict[str, str] = {}
        if retry_after is not None:
            extra["Retry-After"] = _header_number(retry_after)
        if reset is not None:
            extra["x-ratelimit-reset"] = _header_number(reset)
            extra.setdefault("x-ratelimit-remaining", "0")
        extra.update(headers or {})
        return cls.status(429, headers=extra)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection without sending any response bytes."""
        return cls(kind="drop")

    @classmethod
    def reset_mid_body(cls, status: int = 200) -> Fault:
        """Send the status line, headers and part of the body, then close the connection.

        The headers promise the full ``Content-Length``, so clients see a
        truncated payload.
        """
        return cls(kind="reset_mid_body", status_code=_check_status(status))

    @classmethod
    def delay(cls, seconds: float, *, then: Fault | None = None) -> Fault:
        """Wait ``seconds`` of real time, then run the real handler (or ``then``)."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("delay seconds must be a finite, non-negative number")
        if then is not None and not isinstance(then, Fault):
            raise TypeError("then must be a Fault or None")
        return cls(kind="delay", seconds=float(seconds), then=then)

    @classmethod
    def slow_response(cls, seconds: float) -> Fault:
        """Run the real handler at once, then hold its response for ``seconds`` (real time).

        The work is done (a run is created, an assistant updated, ...) even when
        the client gives up before the answer arrives, which is how a response
        gets lost in practice: use it to test retries with idempotency keys.
        """
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("slow_response seconds must be a finite, non-negative number")
        return cls(kind="slow_response", seconds=float(seconds))

    @classmethod
    def trickle(cls, seconds: float, *, chunks: int = 8) -> Fault:
        """Run the real handler, send the status and headers at once, then dribble the body.

        The body (with its true ``Content-Length``) is cut into ``chunks``
        pieces, each sent after a pause of ``seconds / chunks`` (real time), so
        the whole answer takes ``seconds`` to arrive. A client whose read
        timeout is shorter gives up part-way through; a patient one gets the
        correct answer. Like ``slow_response``, the work is done either way.
        """
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("trickle seconds must be a finite, non-negative number")
        if isinstance(chunks, bool) or not isinstance(chunks, int) or chunks < 1:
            raise ValueError("trickle chunks must be an int >= 1")
        return cls(kind="trickle", seconds=float(seconds), chunks=chunks)

    @classmethod
    def malformed(cls, status: int = 200) -> Fault:
        """Answer ``status`` with ``application/json`` whose body is cut-off JSON."""
        return cls(kind="malformed", status_code=_check_status(status))

    def describe(self) -> str:
        """A short human-readable label, e.g. ``"status(503)"`` or ``"delay(0.5)->drop"``."""
        if self.kind in ("slow_response", "trickle"):
            return f"{self.kind}({self.seconds:g})"
        if self.kind == "delay":
            label = f"delay({self.seconds:g})"
            return f"{label}->{self.then.describe()}" if self.then is not None else label
        if self.status_code is not None:
            return f"{self.kind}({self.status_code})"
        return self.kind


def _header_number(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"
