"""What a handler of the fake takes and gives: a :class:`Call` in, a :class:`Reply` out.

Handlers do no I/O; the server (``_server.py``) turns the HTTP request into a
``Call`` and the ``Reply`` into the HTTP response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ._records import HeaderDict

__all__ = ["Call", "Reply", "json_or_none"]


def json_or_none(raw: bytes) -> Any:
    """``raw`` decoded as JSON, or ``None`` when it is empty, not JSON, or nested too deeply.

    For what the fake records and compares, never for what it validates: a
    request body that must be JSON is parsed by ``_validation.parse_json_body``,
    which answers 422 instead.
    """
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


@dataclass
class Call:
    """One routed request, as handlers see it."""

    method: str
    """The HTTP method, upper-case."""
    route: str
    """The spec path template that matched, e.g. ``/ai/assistants/{assistant_id}``."""
    params: dict[str, str]
    """The decoded path parameters."""
    query: list[tuple[str, str]]
    """Query parameters as decoded ``(key, value)`` pairs, in the order sent."""
    body: Any
    """The checked JSON body (``{}`` when an optional body was not sent; ``None`` when none)."""
    headers: HeaderDict
    """Request headers (case-insensitive look-ups)."""

    def q(self, name: str) -> str | None:
        """The last value of query parameter ``name``, or ``None``."""
        value: str | None = None
        for key, val in self.query:
            if key == name:
                value = val
        return value


@dataclass
class Reply:
    """What a handler answers: a status and a JSON value, raw bytes, or nothing."""

    status: int
    body: Any = None
    raw: bytes | None = None
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict[str, str])

    @classmethod
    def empty(cls, status: int = 200) -> Reply:
        """A reply with no body at all."""
        return cls(status=status, raw=b"", content_type=None)

    def encode(self) -> bytes:
        """The body bytes to send."""
        if self.raw is not None:
            return self.raw
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
