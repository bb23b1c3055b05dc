"""Reading what a response's headers say about waiting and about the rate limit.

Pure functions; none of them raises, whatever the server sent. Dates are read
against the server's own clock: an HTTP-date in ``Retry-After`` means "wait
until then", and RFC 9110 (section 10.2.3) measures that from the response's
``Date`` header, so a server whose clock runs ahead of ours is not mistaken
for one asking for an hour's wait. Only a response without a usable ``Date``
falls back to the local clock.
"""

from __future__ import annotations

import datetime as _dt
import email.utils
import math
import time
from collections.abc import Mapping

from telnyx_async.errors import RateLimitInfo

__all__ = [
    "EPOCH_THRESHOLD",
    "RATE_LIMIT_HEADERS",
    "carries_rate_limit",
    "parse_rate_limit",
    "parse_retry_after",
    "seconds_until_reset",
]

EPOCH_THRESHOLD = 1e9
"""An ``x-ratelimit-reset`` above this is a Unix time, not a number of seconds."""


def _finite_nonneg(text: str) -> float | None:
    """``text`` as a number of seconds >= 0, or ``None`` when it is not a finite number."""
    try:
        value = float(text.strip())
    except (ValueError, AttributeError, TypeError):
        return None
    if not math.isfinite(value):
        return None
    return max(value, 0.0)


def _http_date(text: str) -> float | None:
    """An HTTP-date as a Unix time, or ``None`` when it is not one."""
    try:
        when = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    try:
        return when.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def _server_now(headers: Mapping[str, str], now: float | None) -> float:
    """The response's time on the server's clock: its ``Date``, else our own clock."""
    date = headers.get("date")
    if date is not None:
        at = _http_date(date)
        if at is not None:
            return at
    return time.time() if now is None else now


def seconds_until_reset(
    headers: Mapping[str, str], *, now: float | None = None
) -> float | None:
    """``x-ratelimit-reset`` as seconds from the response: a count, or a Unix time.

    A value above :data:`EPOCH_THRESHOLD` is a Unix time and is measured from
    the response's ``Date`` (else the local clock). ``None`` when absent or
    not a number.
    """
    raw = headers.get("x-ratelimit-reset")
    if raw is None:
        return None
    value = _finite_nonneg(raw)
    if value is None:
        at = _http_date(raw)
        return None if at is None else max(at - _server_now(headers, now), 0.0)
    if value > EPOCH_THRESHOLD:
        return max(value - _server_now(headers, now), 0.0)
    return value


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, or ``None`` when it does not say.

    Looks at ``retry-after-ms``, then ``Retry-After`` (seconds or an
    HTTP-date), then ``x-ratelimit-reset`` (seconds, or a Unix time). Dates
    are measured from the response's ``Date`` header when it has one, else
    from ``now`` (default: the local clock). Negative values and dates in the
    past count as 0; unparseable, NaN or infinite values are ignored.
    """
    try:
        ms = headers.get("retry-after-ms")
        if ms is not None:
            value = _finite_nonneg(ms)
            if value is not None:
                return value / 1000.0
        retry_after = headers.get("retry-after")
        if retry_after is not None:
            value = _finite_nonneg(retry_after)
            if value is not None:
                return value
            at = _http_date(retry_after)
            if at is not None:
                return max(at - _server_now(headers, now), 0.0)
        return seconds_until_reset(headers, now=now)
    except Exception:  # a header mapping that misbehaves: no advice, not a crash
        return None


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    value = _finite_nonneg(raw)
    return None if value is None else int(value)


RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
"""The headers :func:`parse_rate_limit` reads."""


def carries_rate_limit(headers: Mapping[str, str]) -> bool:
    """Whether :func:`parse_rate_limit` could find anything in ``headers``.

    ``False`` only when none of :data:`RATE_LIMIT_HEADERS` is there (most
    answers): their :class:`RateLimitInfo` would be all ``None``. A mapping
    that fails to say gives ``True``, so :func:`parse_rate_limit` decides.
    """
    try:
        return (
            "x-ratelimit-remaining" in headers
            or "x-ratelimit-limit" in headers
            or "x-ratelimit-reset" in headers
        )
    except Exception:
        return True


def parse_rate_limit(headers: Mapping[str, str]) -> RateLimitInfo:
    """Read ``x-ratelimit-limit``/``-remaining``/``-reset``; missing or bad values are ``None``.

    ``reset`` is in seconds from the response (a Unix time or a date is
    converted, measured from the response's ``Date``).
    """
    try:
        return RateLimitInfo(
            limit=_int_header(headers, "x-ratelimit-limit"),
            remaining=_int_header(headers, "x-ratelimit-remaining"),
            reset=seconds_until_reset(headers),
        )
    except Exception:
        return RateLimitInfo()
