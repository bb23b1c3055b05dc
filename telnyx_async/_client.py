"""``AsyncTelnyx``: configuration, session ownership, the resource tree, the request pipeline."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import json
import os
import platform
import time
import urllib.request
import uuid
from collections.abc import AsyncGenerator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import aiohttp
import attrs
from yarl import URL

from telnyx_async._config import DEFAULT_BASE_URL, ClientConfig, RetryConfig, Timeout
from telnyx_async._converter import structure
from telnyx_async._gate import RateLimitGate
from telnyx_async._http import check_idempotency_key, encode_body, encode_query, make_status_error
from telnyx_async._retry import Sleep, run_with_retries
from telnyx_async._transport import RawResponse, send
from telnyx_async._types import UNSET, UnsetType
from telnyx_async._version import __version__
from telnyx_async.errors import (
    APIResponseValidationError,
    APITimeoutError,
    RateLimitInfo,
    TelnyxError,
)

if TYPE_CHECKING:
    from telnyx_async.resources.ai import AIResource

__all__ = ["AsyncTelnyx", "RequestOptions"]

_T = TypeVar("_T")


class _Expect:
    """What a successful response body should be turned into, when not a model."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<expect {self.name}>"


NOTHING: Final = _Expect("nothing")
"""The call answers 204/empty (or a body we ignore): return ``None``."""
TEXT: Final = _Expect("text")
"""The call answers text (``text/plain``): return it as ``str``."""
JSON: Final = _Expect("json")
"""Return the decoded JSON as is (for free-form ``{}`` answers)."""


@attrs.frozen
class RequestOptions:
    """Per-call overrides every method accepts as keyword arguments."""

    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, Any] | None = None
    extra_body: Mapping[str, Any] | None = None
    timeout: float | Timeout | UnsetType | None = UNSET


NO_OPTIONS: Final = RequestOptions()
_ACCEPT_TEXT = "text/plain, application/json;q=0.5"


def _user_agent() -> str:
    python = platform.python_version()
    return f"telnyx-async/{__version__} python/{python} aiohttp/{aiohttp.__version__}"


class _Shared:
    """The session, concurrency limit and rate-limit gate shared by a client and its copies.

    The session is created lazily inside the running event loop and recreated
    when the client is used from a new loop (one client across two
    ``asyncio.run()`` calls works). A session passed in by the caller is
    never closed here.
    """

    def __init__(self, config: ClientConfig, session: aiohttp.ClientSession | None) -> None:
        self.config = config
        self.user_session = session
        self.session: aiohttp.ClientSession | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.semaphore: asyncio.Semaphore | None = None
        self.keeper: AsyncGenerator[None, None] | None = None
        self.proxy: str | None = config.proxy
        if self.proxy is None and config.trust_env:
            # Resolved once, not per request: aiohttp's own trust_env lookup
            # costs two thread-pool hops on every call.
            self.proxy = env_proxy_for(config.base_url)
        self.gate = RateLimitGate()

    async def get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self.loop is loop and self.session is not None and not self.session.closed:
            return self.session
        if self.user_session is not None:
            owner = getattr(self.user_session, "_loop", loop)
            if owner is not loop:
                raise RuntimeError(
                    "the aiohttp.ClientSession passed as session= belongs to another event loop; "
                    "create it inside the loop that uses the client"
                )
            if self.user_session.closed:
                raise RuntimeError("the aiohttp.ClientSession passed as session= is closed")
            session = self.user_session
        else:
            self.discard()
            config = self.config
            connector = aiohttp.TCPConnector(
                limit=config.max_connections,
                limit_per_host=0,
                ssl=True if config.ssl is None else config.ssl,
                ttl_dns_cache=300,
            )
            session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,  # the environment's proxy is resolved once, in __init__
                timeout=aiohttp.ClientTimeout(total=None),
            )
        self.session = session
        self.loop = loop
        limit = self.config.max_concurrency or self.config.max_connections
        self.semaphore = asyncio.Semaphore(limit)
        self.gate = RateLimitGate(self.gate.info)
        if session is not self.user_session:
            # The loop finalises live async generators before it closes
            # (asyncio.run and asyncio.Runner do), so this one closes the session
            # while its loop can still await: no socket outlives its loop.
            self.keeper = _close_at_loop_shutdown(session)
            await self.keeper.asend(None)
        return session

    def discard(self) -> None:
        """Drop an owned session whose loop is gone, releasing its sockets without I/O."""
        session, self.session = self.session, None
        self.semaphore = None
        self.keeper = None
        if session is None or session is self.user_session or session.closed:
            return
        connector = session.connector
        session.detach()
        if connector is not None:
            # The loop that owned these sockets is closed or elsewhere: close the
            # transports synchronously; there is no loop left to await on.
            with contextlib.suppress(Exception):
                connector._close()

    async def close(self) -> None:
        session = self.session
        if session is None or session is self.user_session:
            self.session = None
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - close() is a coroutine
            running = None
        if running is not None and running is self.loop and not session.closed:
            keeper = self.keeper
            self.session = None
            self.semaphore = None
            self.keeper = None
            if keeper is not None:
                await keeper.aclose()
            await session.close()
        else:
            self.discard()


async def _close_at_loop_shutdown(session: aiohttp.ClientSession) -> AsyncGenerator[None, None]:
    """Parks until closed; closing it (by us, or by the loop's shutdown) closes ``session``."""
    try:
        yield
        await asyncio.Future()  # pragma: no cover - never resumed; only closed
    finally:
        if not session.closed:
            await session.close()


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
    ``sleep`` replaces ``asyncio.sleep`` for retry waits (handy in tests).
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
        sleep: Sleep | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TELNYX_API_KEY")
        if not key:
            raise TelnyxError(
                "no API key: pass api_key=... or set the TELNYX_API_KEY environment variable"
            )
        url = base_url or os.environ.get("TELNYX_BASE_URL") or DEFAULT_BASE_URL
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError("`base_url` must be an http:// or https:// URL")
        if retry is None:
            retry = RetryConfig(max_retries=max_retries, max_retry_wait=max_retry_wait)
        limits = (("max_concurrency", max_concurrency), ("max_connections", max_connections))
        for name, value in limits:
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"`{name}` must be a positive int")
        if max_pages is not None and (not isinstance(max_pages, int) or max_pages < 1):
            raise ValueError("`max_pages` must be a positive int or None")
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise TypeError("`session` must be an aiohttp.ClientSession")
        config = ClientConfig(
            api_key=key,
            base_url=url.rstrip("/"),
            timeout=Timeout.coerce(timeout),
            retry=retry,
            default_headers=dict(default_headers or {}),
            prefetch=prefetch,
            max_pages=max_pages,
            max_concurrency=max_concurrency,
            max_connections=max_connections,
            trust_env=trust_env,
            proxy=proxy,
            ssl=ssl,
        )
        self._setup(config, _Shared(config, session), owner=True, sleep=sleep or asyncio.sleep)

    def _setup(self, config: ClientConfig, shared: _Shared, *, owner: bool, sleep: Sleep) -> None:
        self._config = config
        self._shared = shared
        self._owner = owner
        self._sleep = sleep
        self._base_headers = {
            "Accept": "application/json",
            "User-Agent": _user_agent(),
            **config.default_headers,
            "Authorization": f"Bearer {config.api_key}",
        }
        self._base_url = config.base_url

    # ------------------------------------------------------------ public surface

    @functools.cached_property
    def ai(self) -> AIResource:
        """The AI namespace: ``assistants``, ``integrations``, ``mcp_servers`` and ``tools``."""
        from telnyx_async.resources.ai import AIResource

        return AIResource(self)

    @property
    def base_url(self) -> str:
        """The API root every path is appended to."""
        return self._base_url

    @property
    def rate_limit(self) -> RateLimitInfo | None:
        """The ``x-ratelimit-*`` headers of the last response that carried them, or ``None``.

        Shared with every ``with_options`` copy of this client.
        """
        return self._shared.gate.info

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
        is created. Closing the copy does nothing; close the original.
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
            await self._shared.close()

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
            f"AsyncTelnyx(base_url={self._base_url!r}, max_retries={retry.max_retries}, "
            f"timeout={self._config.timeout!r})"
        )

    # ------------------------------------------------------------ the pipeline

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast: type[_T],
        query: Mapping[str, Any] | None = ...,
        body: Any = ...,
        idempotency_key: str | None = ...,
        options: RequestOptions = ...,
    ) -> _T: ...

    @overload
    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast: _Expect | object,
        query: Mapping[str, Any] | None = ...,
        body: Any = ...,
        idempotency_key: str | None = ...,
        options: RequestOptions = ...,
    ) -> Any: ...

    async def _request(
        self,
        method: str,
        path: str,
        *,
        cast: Any,
        query: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        idempotency_key: str | None = None,
        options: RequestOptions = NO_OPTIONS,
    ) -> Any:
        """Send one logical call (with retries) and decode its answer as ``cast``."""
        config = self._config
        timeout = (
            config.timeout
            if isinstance(options.timeout, UnsetType)
            else Timeout.coerce(options.timeout)
        )
        params = encode_query(query)
        if options.extra_query:
            params.extend(encode_query(options.extra_query))
        headers = self._base_headers
        if options.extra_headers or idempotency_key or not isinstance(body, UnsetType):
            headers = dict(headers)
            if options.extra_headers:
                headers.update(options.extra_headers)
                headers["Authorization"] = self._base_headers["Authorization"]
            if idempotency_key:
                headers["Idempotency-Key"] = check_idempotency_key(idempotency_key)
        if cast is TEXT and not any(k.lower() == "accept" for k in options.extra_headers or ()):
            # A text answer (instructions.enhance) must be asked for as text, or a
            # strict server answers 406; JSON stays acceptable for its errors.
            headers = {**headers, "Accept": _ACCEPT_TEXT}
        data: bytes | None = None
        if not isinstance(body, UnsetType) or options.extra_body:
            payload: Any = {} if isinstance(body, UnsetType) else body
            if options.extra_body:
                if not isinstance(payload, Mapping):
                    raise TypeError("`extra_body` can only extend a JSON object body")
                extended: dict[str, Any] = {**payload, **options.extra_body}
                payload = extended
            data = encode_body(payload)
            headers["Content-Type"] = "application/json"
        url = URL(self._base_url + path, encoded=True)
        shared = self._shared
        deadline_at: float | None = None
        if timeout.deadline is not None:
            deadline_at = time.monotonic() + timeout.deadline

        own_429_until: float | None = None

        async def attempt() -> RawResponse:
            nonlocal own_429_until
            session = await shared.get_session()
            semaphore = shared.semaphore
            gate = shared.gate
            assert semaphore is not None
            # Admission control (see _gate): take a slot at the gate before the
            # concurrency slot, give it back whatever happens. Queueing at the gate
            # is not counted against the per-attempt timeout. A cooldown that came
            # back while we queued for the semaphore is honoured before sending.
            # A retry is not held again for the cooldown (or the budget reset) of
            # its own 429: the retry policy has waited that out already.
            ticket = gate.try_acquire(own_429_until)
            if not ticket:
                ticket = await gate.acquire(
                    method=method, path=path, url=str(url), deadline_at=deadline_at,
                    max_wait=config.retry.max_retry_wait, waited_until=own_429_until,
                )
            try:
                async with semaphore:
                    if gate.holding(own_429_until):
                        await gate.wait(
                            method=method, path=path, url=str(url), deadline_at=deadline_at,
                            max_wait=config.retry.max_retry_wait, waited_until=own_429_until,
                        )
                    total = timeout.total
                    if deadline_at is not None:
                        remaining = deadline_at - time.monotonic()
                        if remaining <= 0:
                            raise APITimeoutError(
                                f"{method} {path}: the call's deadline of {timeout.deadline}s "
                                "passed",
                                method=method,
                                url=str(url),
                            )
                        total = remaining if total is None else min(total, remaining)
                    raw = await send(
                        session,
                        method,
                        url,
                        path=path,
                        params=params or None,
                        data=data,
                        headers=headers,
                        timeout=_client_timeout(total, timeout.connect),
                        proxy=shared.proxy,
                    )
                    own_429_until = gate.observe(raw.status, raw.headers, ticket)
            finally:
                gate.release()
            if raw.status >= 300:
                raise make_status_error(
                    method=method,
                    url=str(url),
                    path=path,
                    status=raw.status,
                    headers=raw.headers,
                    body=raw.body,
                )
            return raw

        raw = await run_with_retries(
            attempt,
            config=config.retry,
            method=method,
            path=path,
            idempotency_key=idempotency_key is not None,
            deadline_at=deadline_at,
            sleep=self._sleep,
        )
        return _decode(raw, cast, method=method, url=str(url))


def env_proxy_for(base_url: str) -> str | None:
    """The proxy ``HTTP(S)_PROXY`` names for ``base_url``, unless ``NO_PROXY`` exempts it."""
    url = URL(base_url)
    if urllib.request.proxy_bypass(url.host or ""):
        return None
    return urllib.request.getproxies().get(url.scheme or "https")


def new_idempotency_key() -> str:
    """A fresh random key for one logical call (reused by all of its retries)."""
    return uuid.uuid4().hex


def _decode(raw: RawResponse, cast: Any, *, method: str, url: str) -> Any:
    if cast is NOTHING:
        return None
    body = raw.body
    if cast is TEXT:
        return body.decode("utf-8", errors="replace")
    text: str | None = None
    if not body.strip():
        if cast is JSON:
            return None
        raise APIResponseValidationError(
            f"{method} {_path_of(url)} answered {raw.status} with an empty body; expected JSON",
            body="", method=method, url=url, status_code=raw.status,
        )
    # JSON trees and models are thousands of small objects that all stay alive
    # while this runs; the cyclic GC would scan them again and again for nothing.
    # Pause it, and let the JSON tree go (``_load``'s frame) before resuming, so
    # the next collection only meets what the caller keeps.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _load(body, cast)
    except ValueError as exc:
        text = body.decode("utf-8", errors="replace")
        raise APIResponseValidationError(
            f"{method} {_path_of(url)} answered {raw.status} with a body that is not JSON "
            f"({raw.content_type or 'no content type'}): {exc}",
            body=text, method=method, url=url, status_code=raw.status,
        ) from exc
    except APIResponseValidationError as exc:
        exc.body = body.decode("utf-8", errors="replace")
        exc.method, exc.url, exc.status_code = method, url, raw.status
        exc.message = f"{method} {_path_of(url)}: {exc.message}"  # say which call it was
        exc.args = (exc.message,)
        raise
    finally:
        if paused:
            gc.enable()


@functools.lru_cache(maxsize=64)
def _client_timeout(total: float | None, connect: float | None) -> aiohttp.ClientTimeout:
    """aiohttp's timeout object, made once per distinct pair (it is immutable).

    Building one per attempt cost about a microsecond; the pair only varies when
    a call gets close to its deadline.
    """
    return aiohttp.ClientTimeout(total=total, sock_connect=connect)


def _load(body: bytes, cast: Any) -> Any:
    data = json.loads(body)  # ValueError: not JSON
    return data if cast is JSON else structure(data, cast)


def _path_of(url: str) -> str:
    return URL(url).path
