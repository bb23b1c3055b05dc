"""``AsyncTelnyx``: configuration, the resource tree, ``with_options()``, ``async with``.

The client builds its send path once (see ``_pipeline``) and hands resources a
:class:`~telnyx_async._resource.CallContext`; it builds no request and runs no
retry itself.
"""

from __future__ import annotations

import asyncio
import functools
import os
import platform
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp
import attrs

from telnyx_async._adaptive import AdaptiveThrottle
from telnyx_async._config import DEFAULT_BASE_URL, ClientConfig, RetryConfig, Timeout
from telnyx_async._http import RequestDefaults, RequestOptions
from telnyx_async._pipeline import compose, compose_shared
from telnyx_async._resource import CallContext
from telnyx_async._retry import Send, Sleep
from telnyx_async._throttle import Throttle
from telnyx_async._transport import Transport
from telnyx_async._types import UNSET, UnsetType
from telnyx_async._version import __version__
from telnyx_async.errors import RateLimitInfo, TelnyxError

if TYPE_CHECKING:
    from telnyx_async.resources.ai import AIResource

__all__ = ["AsyncTelnyx", "RequestOptions"]

_DEFAULT_THROTTLE: Any = object()
"""``throttle=`` left out: the client makes its own :class:`AdaptiveThrottle`."""


def _user_agent() -> str:
    python = platform.python_version()
    return f"telnyx-async/{__version__} python/{python} aiohttp/{aiohttp.__version__}"


@attrs.frozen
class _SharedPath:
    """What a client shares with its ``with_options`` copies: transport, throttle, limit."""

    transport: Transport
    throttle: Throttle | None
    send: Send


class AsyncTelnyx:
    """The async client for the Telnyx AI Assistants API.

    ``api_key`` defaults to ``$TELNYX_API_KEY``; ``base_url`` to
    ``$TELNYX_BASE_URL``, then ``https://api.telnyx.com/v2`` (its path is kept).
    The constructor does no I/O: the aiohttp session is created on the first
    request, inside the running loop. Use ``async with AsyncTelnyx() as client``
    or call ``await client.close()`` (idempotent) when done; a closed client
    opens a new session if used again.

    Timeouts: ``timeout`` is a :class:`Timeout` (per-attempt ``total``,
    ``connect``, and a ``deadline`` covering every retry and wait) or a number
    of seconds per attempt. Retries: ``max_retries`` and ``max_retry_wait``, or
    a whole :class:`RetryConfig` as ``retry``. ``max_concurrency`` bounds the
    requests in flight (default: ``max_connections``); time queued for a slot
    does not count against a request's timeout. ``prefetch`` is how many pages
    list iteration fetches ahead; ``max_pages`` caps a single iteration.
    ``throttle`` is the rate limiter every attempt passes (default: an
    :class:`AdaptiveThrottle` of this client's own; ``None``: none; or any
    :class:`Throttle`). ``transport`` replaces the aiohttp transport with
    any ``async (Request) -> Response`` callable (a stub in tests, a transport
    of your own); the client then opens no session. ``sleep`` replaces
    ``asyncio.sleep`` for retry waits (handy in tests).
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeout | None = Timeout(),  # noqa: B008 - immutable
        max_retries: int = 2,
        max_retry_wait: float = 60.0,
        retry: RetryConfig | None = None,
        default_headers: Mapping[str, str] | None = None,
        session: aiohttp.ClientSession | None = None,
        prefetch: int = 4,
        max_pages: int | None = 100_000,
        max_concurrency: int | None = None,
        max_connections: int = 100,
        trust_env: bool = True,
        proxy: str | None = None,
        ssl: Any = None,
        throttle: Throttle | None = _DEFAULT_THROTTLE,
        transport: Send | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TELNYX_API_KEY")
        if not key:
            raise TelnyxError(
                "no API key: pass api_key=... or set the TELNYX_API_KEY environment variable"
            )
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError("`session` must be an aiohttp.ClientSession")
        config = ClientConfig(
            api_key=key,
            base_url=base_url or os.environ.get("TELNYX_BASE_URL") or DEFAULT_BASE_URL,
            timeout=Timeout.coerce(timeout),
            retry=retry or RetryConfig(max_retries=max_retries, max_retry_wait=max_retry_wait),
            default_headers=dict(default_headers or {}),
            prefetch=prefetch,
            max_pages=max_pages,
            max_concurrency=max_concurrency,
            max_connections=max_connections,
            trust_env=trust_env,
            proxy=proxy,
            ssl=ssl,
        )
        if throttle is _DEFAULT_THROTTLE:
            throttle = AdaptiveThrottle(max_wait=config.retry.max_retry_wait)
        elif throttle is not None and not isinstance(throttle, Throttle):
            raise TypeError(
                "`throttle` must implement the Throttle protocol (admit, learn) or be None"
            )
        if transport is not None and not callable(transport):
            raise TypeError("`transport` must be an async callable taking a Request")
        aiohttp_transport = Transport(
            api_key=config.api_key, base_url=config.base_url,
            max_connections=config.max_connections, ssl=config.ssl, proxy=config.proxy,
            trust_env=config.trust_env, session=session,
        )
        shared = _SharedPath(
            transport=aiohttp_transport,
            throttle=throttle,
            send=compose_shared(
                transport or aiohttp_transport.send, throttle=throttle,
                max_concurrency=config.max_concurrency or config.max_connections,
            ),
        )
        self._setup(config, shared, owner=True, sleep=sleep or asyncio.sleep)

    def _setup(
        self, config: ClientConfig, shared: _SharedPath, *, owner: bool, sleep: Sleep
    ) -> None:
        self._config = config
        self._shared = shared
        self._owner = owner
        self._sleep = sleep
        defaults = RequestDefaults(
            base_url=config.base_url,
            headers={
                "Accept": "application/json",
                "User-Agent": _user_agent(),
                **config.default_headers,
            },
            timeout=config.timeout,
        )
        self._context = CallContext(
            send=compose(shared.send, retry=config.retry, sleep=sleep),
            defaults=defaults,
            config=config,
            sleep=sleep,
        )

    # ------------------------------------------------------------ public surface

    @functools.cached_property
    def ai(self) -> AIResource:
        """The AI namespace: ``assistants``, ``integrations``, ``mcp_servers`` and ``tools``."""
        from telnyx_async.resources.ai import AIResource

        return AIResource(self._context)

    @property
    def base_url(self) -> str:
        """The API root every path is appended to."""
        return self._config.base_url

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The ``x-ratelimit-*`` headers of the last response that carried them, or ``None``.

        Kept by the default throttle, shared with every ``with_options`` copy;
        ``None`` with ``throttle=None`` or a throttle that keeps no ``info``.
        """
        info = getattr(self._shared.throttle, "info", None)
        return info if isinstance(info, RateLimitInfo) else None

    @property
    def throttle(self) -> Throttle | None:
        """The rate limiter every attempt of this client passes (shared with its copies)."""
        return self._shared.throttle

    @property
    def config(self) -> ClientConfig:
        """The settings this client was built with (the key is hidden from its repr)."""
        return self._config

    def with_options(
        self,
        *,
        timeout: float | Timeout | UnsetType | None = UNSET,
        max_retries: int | UnsetType = UNSET,
        max_retry_wait: float | UnsetType = UNSET,
        retry: RetryConfig | UnsetType = UNSET,
        default_headers: Mapping[str, str] | UnsetType = UNSET,
        prefetch: int | UnsetType = UNSET,
        max_pages: int | UnsetType | None = UNSET,
    ) -> AsyncTelnyx:
        """A copy of this client with other settings that shares its session and connector.

        Cheap to call as often as you like: no new session, connector or socket
        is created, and the copy shares the throttle and the concurrency limit.
        Closing the copy does nothing; close the original.
        """
        config = self._config
        new_retry = config.retry if isinstance(retry, UnsetType) else retry
        if not isinstance(max_retries, UnsetType):
            new_retry = attrs.evolve(new_retry, max_retries=max_retries)
        if not isinstance(max_retry_wait, UnsetType):
            new_retry = attrs.evolve(new_retry, max_retry_wait=max_retry_wait)
        changes: dict[str, Any] = {"retry": new_retry}
        if not isinstance(timeout, UnsetType):
            changes["timeout"] = Timeout.coerce(timeout)
        if not isinstance(default_headers, UnsetType):
            changes["default_headers"] = {**config.default_headers, **default_headers}
        if not isinstance(prefetch, UnsetType):
            changes["prefetch"] = prefetch
        if not isinstance(max_pages, UnsetType):
            changes["max_pages"] = max_pages
        clone = object.__new__(AsyncTelnyx)
        clone._setup(attrs.evolve(config, **changes), self._shared, owner=False, sleep=self._sleep)
        return clone

    async def close(self) -> None:
        """Close the session this client created. Safe to call twice; a no-op on copies."""
        if self._owner:
            await self._shared.transport.close()

    async def __aenter__(self) -> AsyncTelnyx:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        retry = self._config.retry
        return (
            f"AsyncTelnyx(base_url={self._config.base_url!r}, max_retries={retry.max_retries}, "
            f"timeout={self._config.timeout!r})"
        )
