"""Client configuration: frozen attrs classes, validated when built."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["DEFAULT_BASE_URL", "ClientConfig", "RetryConfig", "Timeout"]

DEFAULT_BASE_URL = "https://api.telnyx.com/v2"


def _positive_or_none(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"`{attribute.name}` must be a number of seconds or None")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"`{attribute.name}` must be a positive, finite number of seconds")


def _non_negative_number(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"`{attribute.name}` must be a number")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"`{attribute.name}` must be a finite number >= 0")


def _non_negative_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"`{attribute.name}` must be an int")
    if value < 0:
        raise ValueError(f"`{attribute.name}` must be >= 0")


def _check_statuses(inst: Any, attribute: attrs.Attribute[Any], value: frozenset[int]) -> None:
    for status in value:
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise ValueError(f"`retry_statuses` holds an invalid HTTP status: {status!r}")
        if status == 409:
            raise ValueError("409 Conflict is never safe to retry")


def _no_headers() -> dict[str, str]:
    return {}


@attrs.frozen
class Timeout:
    """How long requests may take, in seconds. Every default is finite.

    * ``total``: one attempt, from sending the request to reading the whole
      response (aiohttp's ``total``; time queued behind ``max_concurrency`` is
      not counted).
    * ``connect``: opening a connection (``sock_connect``).
    * ``deadline``: the whole call, all retries and the waits between them.
      A retry that could not finish before it is not attempted.

    ``None`` switches a limit off; you must ask for that explicitly.
    """

    total: float | None = attrs.field(default=60.0, validator=_positive_or_none)
    connect: float | None = attrs.field(default=10.0, validator=_positive_or_none)
    deadline: float | None = attrs.field(default=180.0, validator=_positive_or_none)

    @classmethod
    def coerce(cls, value: float | Timeout | None) -> Timeout:
        """Accept a ``Timeout``, a number (the per-attempt ``total``) or ``None`` (no limits)."""
        if isinstance(value, Timeout):
            return value
        if value is None:
            return cls(total=None, connect=None, deadline=None)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = type(value).__name__
            raise TypeError(f"`timeout` must be a number, a Timeout or None, not {kind}")
        total = float(value)
        return cls(total=total, connect=min(10.0, total), deadline=max(180.0, total))


@attrs.frozen
class RetryConfig:
    """Which failures are retried, and how long to wait between attempts.

    * 429 is retried for every method.
    * ``retry_statuses`` other than 429 (408, 5xx), timeouts and connection
      errors are retried only when repeating the request is safe: GET, PUT,
      DELETE, or a POST that carries an ``Idempotency-Key``. A connection
      refused before anything was sent is always safe to retry.
    * The wait is the server's ``Retry-After``/``retry-after-ms``/
      ``x-ratelimit-reset`` when given, else exponential backoff with full
      jitter from ``initial_delay`` doubling up to ``max_delay``.
    * A server-requested wait above ``max_retry_wait`` is not slept: the
      ``RateLimitError`` is raised at once with ``retry_after`` set.
    """

    max_retries: int = attrs.field(default=2, validator=_non_negative_int)
    initial_delay: float = attrs.field(default=0.5, validator=_non_negative_number)
    max_delay: float = attrs.field(default=8.0, validator=_non_negative_number)
    max_retry_wait: float = attrs.field(default=60.0, validator=_non_negative_number)
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({408, 429, 500, 502, 503, 504}),
        converter=frozenset,
        validator=_check_statuses,
    )


def _check_api_key(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the API key must be a non-empty string")


@attrs.frozen
class ClientConfig:
    """Everything a client was built with. ``api_key`` is kept out of ``repr``."""

    api_key: str = attrs.field(repr=False, validator=_check_api_key)
    base_url: str
    timeout: Timeout = attrs.field(factory=Timeout)
    retry: RetryConfig = attrs.field(factory=RetryConfig)
    default_headers: Mapping[str, str] = attrs.field(factory=_no_headers)
    prefetch: int = attrs.field(default=4, validator=_non_negative_int)
    max_pages: int | None = 100_000
    max_concurrency: int | None = None
    max_connections: int = 100
    trust_env: bool = True
    proxy: str | None = None
    ssl: Any = None
