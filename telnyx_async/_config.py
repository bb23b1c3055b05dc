"""Client configuration: frozen attrs classes, validated when built."""

from __future__ import annotations

import math
import ssl as _ssl
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit

import attrs

from telnyx_async._checks import check_header

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


def _status_set(value: Any) -> frozenset[Any]:
    statuses: Iterable[Any] = value  # declared first: the items stay Any when narrowed
    if isinstance(value, (str, bytes)) or not isinstance(statuses, Iterable):
        kind = type(value).__name__
        raise TypeError(f"`retry_statuses` must be a collection of HTTP statuses, got {kind}")
    return frozenset(statuses)


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
        converter=_status_set,
        validator=_check_statuses,
    )


def _check_api_key(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # The messages never echo the key: it is a secret, even when it is wrong.
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the API key must be a non-empty string")
    if value != value.strip():
        raise ValueError(
            "the API key has leading or trailing whitespace (a newline read from a file?); "
            "strip it before passing it"
        )
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F or ord(ch) > 0x7E for ch in value):
        raise ValueError(
            "the API key holds a space, a control or a non-ASCII character; "
            "it cannot be sent in a header"
        )


def _clean_base_url(value: Any) -> Any:
    return value.rstrip("/") if isinstance(value, str) else value


def _url_parts(name: str, value: str) -> SplitResult:
    """``value`` split, once it is known to have a host, a numeric port and no blanks."""
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in value):
        raise ValueError(f"`{name}` holds a space or a control character (a newline from a file?)")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"`{name}` is not a valid URL") from None
    if not parts.hostname:
        raise ValueError(f"`{name}` must name a host")
    return parts


def _check_base_url(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError("`base_url` must be an http:// or https:// URL")
    parts = _url_parts("base_url", value)
    if parts.username is not None or parts.password is not None:
        # aiohttp cannot send both these credentials and the API key, and the
        # URL shows up in error messages: refuse it rather than leak it.
        raise ValueError("`base_url` must not contain a user name or password")
    if parts.query or parts.fragment:
        raise ValueError("`base_url` must not have a query or a fragment")


def _check_headers(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    headers: Mapping[Any, Any] = value  # declared first: the entries stay Any when narrowed
    if not isinstance(headers, Mapping):
        raise TypeError(f"`default_headers` must be a mapping, got {type(value).__name__}")
    for name, header in headers.items():
        check_header(name, header, argument="default_headers")
        if str(name).lower() in {"authorization", "content-length", "host", "transfer-encoding"}:
            raise ValueError(f"`default_headers` cannot set {name!r}: the SDK sets it itself")
        if str(name).lower() == "idempotency-key":
            # One key on every call would make the API replay one answer for all of them.
            raise ValueError(
                f"`default_headers` cannot set {name!r}: a key is per call (idempotency_key=)"
            )


def _positive_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # ValueError for a wrong type too, as these settings always said.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"`{attribute.name}` must be a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"`{attribute.name}` must be a positive int, got {value}")


def _positive_int_or_none(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _positive_int(inst, attribute, value)


def _a_bool(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"`{attribute.name}` must be a bool, got {type(value).__name__}")


def _proxy_url(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueError("`proxy` must be an http:// or https:// URL, or None")
    _url_parts("proxy", value)


def _ssl_setting(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    import aiohttp  # the types aiohttp itself accepts for ssl=

    if value is None or isinstance(value, (bool, _ssl.SSLContext, aiohttp.Fingerprint)):
        return
    raise TypeError(
        "`ssl` must be None, a bool, an ssl.SSLContext or an aiohttp.Fingerprint, "
        f"got {type(value).__name__}"
    )


def _of_type(kind: type) -> Any:
    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            raise TypeError(
                f"`{attribute.name}` must be a {kind.__name__}, got {type(value).__name__}"
            )

    return check


def _header_names(headers: Mapping[str, str]) -> str:
    """``repr`` of ``default_headers``: the names only (a value may be a credential)."""
    return "{" + ", ".join(f"{name!r}: '***'" for name in headers) + "}"


def url_for_display(url: str) -> str:
    """``url`` as logs and reprs may show it: scheme, host, port and path only.

    User name, password, query and fragment are left out, since any of them
    may hold a credential (redis-py URLs take ``?password=``).
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparseable URL>"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _proxy_for_display(proxy: str | None) -> str:
    """``repr`` of the proxy setting, credentials left out."""
    return "None" if proxy is None else repr(url_for_display(proxy))


@attrs.frozen
class ClientConfig:
    """Everything a client was built with, each field checked where it is declared.

    ``api_key`` is kept out of ``repr``. ``with_options`` makes a new one,
    so its arguments are checked by the same rules.
    """

    api_key: str = attrs.field(repr=False, validator=_check_api_key)
    base_url: str = attrs.field(converter=_clean_base_url, validator=_check_base_url)
    timeout: Timeout = attrs.field(factory=Timeout, validator=_of_type(Timeout))
    retry: RetryConfig = attrs.field(factory=RetryConfig, validator=_of_type(RetryConfig))
    default_headers: Mapping[str, str] = attrs.field(
        factory=_no_headers, validator=_check_headers, repr=_header_names
    )
    prefetch: int = attrs.field(default=4, validator=_non_negative_int)
    max_pages: int | None = attrs.field(default=100_000, validator=_positive_int_or_none)
    max_concurrency: int | None = attrs.field(default=None, validator=_positive_int_or_none)
    max_connections: int = attrs.field(default=100, validator=_positive_int)
    trust_env: bool = attrs.field(default=True, validator=_a_bool)
    proxy: str | None = attrs.field(default=None, validator=_proxy_url, repr=_proxy_for_display)
    ssl: Any = attrs.field(default=None, validator=_ssl_setting)
