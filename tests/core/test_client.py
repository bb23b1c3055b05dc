"""AsyncTelnyx: configuration, session lifecycle, with_options, per-call options, secrets."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from telnyx_async import (
    AsyncTelnyx,
    AuthenticationError,
    ClientClosedError,
    TelnyxError,
    Timeout,
)
from telnyx_async.testing import FakeTelnyx, Fault

SECRET = "KEY-sup3r-s3cret-value"


# ------------------------------------------------------------------ configuration


def test_api_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELNYX_API_KEY", "from-env")
    monkeypatch.setenv("TELNYX_BASE_URL", "http://127.0.0.1:9/custom/v9/")
    client = AsyncTelnyx()
    assert client.config.api_key == "from-env"
    assert client.base_url == "http://127.0.0.1:9/custom/v9"
    assert AsyncTelnyx("explicit", base_url="https://x.test/v2").config.api_key == "explicit"


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELNYX_BASE_URL", raising=False)
    assert AsyncTelnyx("k").base_url == "https://api.telnyx.com/v2"


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    with pytest.raises(TelnyxError, match="TELNYX_API_KEY"):
        AsyncTelnyx()


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"base_url": "ftp://x"}, ValueError, "base_url"),
        ({"max_concurrency": 0}, ValueError, "max_concurrency"),
        ({"max_connections": True}, ValueError, "max_connections"),
        ({"max_pages": 0}, ValueError, "max_pages"),
        ({"prefetch": -1}, ValueError, "prefetch"),
        ({"max_retries": -1}, ValueError, "max_retries"),
        ({"timeout": "soon"}, TypeError, "timeout"),
        ({"session": object()}, TypeError, "session"),
    ],
)
def test_bad_configuration_is_rejected_up_front(kwargs: dict, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        AsyncTelnyx("k", **kwargs)


def test_constructor_does_no_io_and_makes_no_session() -> None:
    client = AsyncTelnyx("k")  # no running loop here: would fail if it touched aiohttp
    assert client._shared.transport.session is None


def test_key_is_never_in_repr() -> None:
    client = AsyncTelnyx(SECRET, base_url="https://x.test/v2")
    assert SECRET not in repr(client)
    assert SECRET not in repr(client.config)
    assert SECRET not in repr(client.with_options(max_retries=5))


# ------------------------------------------------------------------ lifecycle (S1, S2, S4)


async def test_async_with_closes_the_session_and_close_is_idempotent(fake: FakeTelnyx) -> None:
    async with fake.client() as client:
        await client.ai.assistants.tests.list()
        session = client._shared.transport.session
        assert session is not None and not session.closed
    assert session.closed
    await client.close()
    await client.close()


async def test_closed_client_stays_closed(fake: FakeTelnyx) -> None:
    # A closed client is closed for good: a later call raises ClientClosedError
    # before anything is sent, and no new session is opened behind the user's back.
    client = fake.client()
    await client.ai.assistants.tests.list()
    await client.close()
    assert client.closed
    with pytest.raises(ClientClosedError, match="closed") as info:
        await client.ai.assistants.tests.list()
    assert info.value.request_sent is False
    assert len(fake.requests) == 1
    assert client._shared.transport.session is None
    await client.close()


async def test_async_with_on_a_closed_client_is_a_clear_error(fake: FakeTelnyx) -> None:
    async with fake.client() as client:
        await client.ai.assistants.tests.list()
    with pytest.raises(ClientClosedError, match="cannot be reopened"):
        async with client:
            pytest.fail("entered a closed client")
    copy = client.with_options(max_retries=0)
    assert copy.closed  # copies share their original's state
    with pytest.raises(ClientClosedError):
        await copy.ai.assistants.tests.list()
    assert len(fake.requests) == 1


async def test_exception_inside_block_still_closes(fake: FakeTelnyx) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with fake.client() as client:
            await client.ai.assistants.tests.list()
            raise RuntimeError("boom")
    assert client._shared.transport.session is None


async def test_caller_session_is_used_and_never_closed(fake: FakeTelnyx) -> None:
    async with aiohttp.ClientSession() as session:
        async with fake.client(session=session) as client:
            await client.ai.assistants.tests.list()
            assert client._shared.transport.session is session
        assert not session.closed


async def test_caller_session_from_another_loop_is_a_clear_error(fake: FakeTelnyx) -> None:
    other = asyncio.new_event_loop()

    async def make() -> aiohttp.ClientSession:
        return aiohttp.ClientSession()

    def in_thread(coro_factory: Any) -> Any:
        result: list[Any] = []
        thread = threading.Thread(target=lambda: result.append(other.run_until_complete(coro_factory())))
        thread.start()
        thread.join(10)
        return result[0]

    session = in_thread(make)
    try:
        client = fake.client(session=session)
        with pytest.raises(RuntimeError, match="another event loop"):
            await client.ai.assistants.tests.list()
    finally:
        in_thread(session.close)
        other.close()


@pytest.fixture
def threaded_fake() -> Iterator[FakeTelnyx]:
    """A FakeTelnyx serving from its own thread and loop, so tests can run asyncio.run()."""
    loop = asyncio.new_event_loop()
    fake = FakeTelnyx()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(fake.start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_one_client_across_two_asyncio_runs(threaded_fake: FakeTelnyx) -> None:
    client = threaded_fake.client()

    async def use() -> int:
        page = await client.ai.assistants.tests.list()
        return len(page.data)

    assert asyncio.run(use()) == 0
    first = client._shared.transport.session
    assert asyncio.run(use()) == 0  # the first loop is closed: a new session is made
    assert client._shared.transport.session is not first
    assert first is not None and first.closed
    asyncio.run(client.close())
    gc.collect()  # nothing left to warn about (ResourceWarning is an error here)


# ------------------------------------------------------------------ with_options (F2)


async def test_with_options_shares_one_session(fake: FakeTelnyx) -> None:
    async with fake.client() as client:
        await client.ai.assistants.tests.list()
        session = client._shared.transport.session
        for i in range(200):
            derived = client.with_options(max_retries=i % 3, timeout=5.0)
            await derived.ai.assistants.tests.list(page_size=1)
            assert derived._shared.transport.session is session
        await derived.close()  # a copy's close() leaves the shared session alone
        assert not session.closed
        assert derived.config.retry.max_retries == 199 % 3
        assert derived.config.timeout.total == 5.0
        assert client.config.retry.max_retries == 2
    assert session.closed


async def test_with_options_headers_merge(fake: FakeTelnyx) -> None:
    async with fake.client(default_headers={"X-A": "1"}) as client:
        await client.with_options(default_headers={"X-B": "2"}).ai.assistants.tests.list()
    headers = fake.requests[0].headers
    assert headers["X-A"] == "1" and headers["X-B"] == "2"


# ------------------------------------------------------------------ per-call options


async def test_extra_headers_query_body_and_timeout_reach_the_wire(fake: FakeTelnyx) -> None:
    async with fake.client() as client:
        await client.ai.assistants.create(
            name="n",
            instructions="i",
            extra_headers={"X-Trace": "t-1"},
            extra_query={"dry": True},
            extra_body={"description": "from extra"},
            timeout=Timeout(total=5),
        )
    sent = fake.requests[0]
    assert sent.headers["X-Trace"] == "t-1"
    assert sent.headers["Authorization"] == f"Bearer {fake.api_key}"
    assert ("dry", "true") in sent.query
    assert sent.json == {"name": "n", "instructions": "i", "description": "from extra"}


async def test_extra_headers_cannot_replace_the_key_or_break_a_line(fake: FakeTelnyx) -> None:
    # The client's key is the only one sent; asking for another is an error,
    # not a header silently dropped. A value with a line break is refused before
    # anything is sent (it would split the request).
    async with fake.client() as client:
        with pytest.raises(ValueError, match="cannot set 'Authorization'"):
            await client.ai.assistants.list(extra_headers={"Authorization": "Bearer hijack"})
        with pytest.raises(ValueError, match=r"`extra_headers\['X-Trace'\]` holds a line break"):
            await client.ai.assistants.list(extra_headers={"X-Trace": "a\r\nX-Evil: 1"})
    assert fake.requests == []


async def test_unknown_keyword_is_a_type_error(client: AsyncTelnyx) -> None:
    with pytest.raises(TypeError):
        await client.ai.assistants.create(name="n", instructions="i", nmae="typo")  # type: ignore[call-arg]


async def test_user_agent_and_accept(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    await client.ai.assistants.tests.list()
    headers = fake.requests[0].headers
    assert headers["User-Agent"].startswith("telnyx-async/")
    assert headers["Accept"] == "application/json"


# ------------------------------------------------------------------ secrets


async def test_key_never_in_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    async with FakeTelnyx(api_key="the-right-key") as fake:
        fake.enqueue(Fault.status(503))
        with caplog.at_level(logging.DEBUG):
            async with AsyncTelnyx(SECRET, base_url=fake.url) as client:
                with pytest.raises(AuthenticationError) as info:
                    await client.ai.assistants.tests.list()
    err = info.value
    for text in (str(err), repr(err), err.body, repr(err.errors), repr(dict(err.headers))):
        assert SECRET not in text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert SECRET not in logged
    assert err.status_code == 401
    assert err.errors and err.errors[0].code == "10009"


# ------------------------------------------------------------------ proxies (S5)


async def test_environment_proxy_is_used_and_no_proxy_respected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aiohttp import web

    seen: list[str] = []

    async def forward(request: web.Request) -> web.Response:
        seen.append(f"{request.method} {request.host}{request.path}")
        return web.json_response({"data": []})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        async with AsyncTelnyx("k", base_url="http://api.example.test/v2") as client:
            await client.ai.assistants.tests.test_suites.list()
        assert seen == ["GET api.example.test/v2/ai/assistants/tests/test-suites"]

        monkeypatch.setenv("NO_PROXY", "api.example.test")
        client = AsyncTelnyx("k", base_url="http://api.example.test/v2")
        assert client._shared.transport.proxy is None
        explicit = AsyncTelnyx("k", base_url="http://x.test/v2", proxy="http://127.0.0.1:1")
        assert explicit._shared.transport.proxy == "http://127.0.0.1:1"
        off = AsyncTelnyx("k", base_url="http://x.test/v2", trust_env=False)
        assert off._shared.transport.proxy is None
    finally:
        await runner.cleanup()
