"""``await client.close()`` while calls are in flight, against a real aiohttp server.

Once ``close()`` returns:

* no request is sent by that client: the server sees none afterwards (checked
  after a barrier request on a connection of its own);
* every call that was in flight has ended -- waiting on the server, queued
  for a concurrency slot, held by the throttle, in a retry wait or in a run
  poll's pause -- with ``ClientClosedError`` (an ``APIConnectionError``,
  never retried) saying the client was closed;
* the client holds no socket to the server (counted from ``/proc``), no
  task of its own is left, and nothing was warned about or logged as an
  unhandled loop error;
* the client stays closed: a later call raises ``ClientClosedError`` before
  anything is sent, and ``async with`` on it raises ``ClientClosedError``.

Events order every step; nothing here sleeps to let something happen.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from telnyx_async import (
    AdaptiveThrottle,
    APIConnectionError,
    AsyncTelnyx,
    ClientClosedError,
    Request,
    Response,
    RetryConfig,
    Timeout,
)
from telnyx_async.testing import FakeTelnyx

KEY = "sk-close-test-7d1f0c9b"
IN_FLIGHT = 20
RETRYING = 3
THROTTLED = 2
QUEUED = 5
LONG_WAIT = 30.0
"""The Retry-After the server asks for: far longer than the test may take."""

_ASSISTANT = {
    "id": "placeholder",
    "name": "Held",
    "model": "openai/gpt-4o",
    "instructions": "Hold the line.",
    "created_at": "2026-01-01T00:00:00Z",
}


# ---------------------------------------------------------------- what the server saw


def client_sockets(port: int) -> int | None:
    """Sockets this process holds that are connected to ``127.0.0.1:port`` (None: no /proc)."""
    inodes: set[str] = set()
    found = False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        found = True
        for line in lines:
            fields = line.split()
            if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[9] != "0":
                inodes.add(fields[9])
    if not found:
        return None
    held = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed while we looked
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            held += 1
    return held


def open_fds() -> int:
    """Open file descriptors of this process (-1 where there is no /proc)."""
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


@dataclass
class Server:
    """A loopback API that holds some requests until released and records every arrival."""

    port: int = 0
    arrivals: list[tuple[str, bool]] = field(default_factory=list)
    """(path, whether client.close() had returned when it arrived)."""
    closed_returned: bool = False
    release: asyncio.Event = field(default_factory=asyncio.Event)
    held: asyncio.Event = field(default_factory=asyncio.Event)
    hold_target: int = IN_FLIGHT
    pings: int = 0

    @property
    def base_url(self) -> str:
        """The API root a client of this server uses."""
        return f"http://127.0.0.1:{self.port}/v2"

    def held_count(self) -> int:
        """How many requests the server is holding (or held) until released."""
        return sum(1 for path, _ in self.arrivals if "/hold-" in path)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer by the last path segment: hold-*, retry-* (503), limited (429), else 200."""
        if request.path == "/ping":
            self.pings += 1
            return web.json_response({"pong": True})
        self.arrivals.append((request.path, self.closed_returned))
        name = request.path.rsplit("/", 1)[-1]
        if name.startswith("retry-"):
            return web.json_response(
                {"errors": [{"code": "50300", "title": "Service unavailable"}]},
                status=503, headers={"Retry-After": str(int(LONG_WAIT))},
            )
        if name == "limited":
            return web.json_response(
                {"errors": [{"code": "10011", "title": "Too many requests"}]},
                status=429,
                headers={"Retry-After": str(int(LONG_WAIT)), "x-ratelimit-limit": "100",
                         "x-ratelimit-remaining": "0"},
            )
        if name.startswith("hold-"):
            if self.held_count() >= self.hold_target:
                self.held.set()
            await self.release.wait()
        return web.json_response({**_ASSISTANT, "id": name})


@pytest_asyncio.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", state.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield state
    finally:
        state.release.set()
        await runner.cleanup()


async def barrier(server: Server) -> None:
    """A full request/answer on a connection of its own, through the server's own loop.

    The server runs on this loop: by the time it has answered the ping it has
    read what was already written to it on other connections.
    """
    before = server.pings
    async with aiohttp.ClientSession() as session, session.get(
        f"http://127.0.0.1:{server.port}/ping"
    ) as resp:
        assert resp.status == 200
    assert server.pings == before + 1


async def next_turn() -> None:
    """Let every task that is ready run one step (the loop runs ready callbacks in order)."""
    loop = asyncio.get_running_loop()
    turn: asyncio.Future[None] = loop.create_future()
    loop.call_soon(turn.set_result, None)
    await turn


class SignallingSleep:
    """The client's ``sleep``: really sleeps, and counts who started sleeping."""

    def __init__(self) -> None:
        self.started: list[float] = []
        self.reached = asyncio.Event()
        self.target = 0

    def expect(self, count: int) -> asyncio.Event:
        """An event set once ``count`` sleeps in all have started."""
        self.target = count
        self.reached = asyncio.Event()
        if len(self.started) >= count:
            self.reached.set()
        return self.reached

    async def __call__(self, seconds: float) -> None:
        """Note the sleep, then really sleep ``seconds``."""
        self.started.append(seconds)
        if len(self.started) >= self.target:
            self.reached.set()
        await asyncio.sleep(seconds)


class WatchedThrottle:
    """The default throttle, telling the test which requests it has started to hold."""

    def __init__(self) -> None:
        self.inner = AdaptiveThrottle(max_wait=60.0)
        self.admitting: list[str] = []
        self.waiting = asyncio.Event()

    async def admit(self, request: Request) -> Any:
        """Note who asks, then let the default throttle decide (and hold)."""
        self.admitting.append(request.path)
        if sum(1 for p in self.admitting if "/throttled-" in p) >= THROTTLED:
            self.waiting.set()
        return await self.inner.admit(request)

    async def learn(self, ticket: Any, response: Response | None) -> None:
        """Pass the answer on to the default throttle."""
        await self.inner.learn(ticket, response)


def _leftover_tasks() -> list[asyncio.Task[Any]]:
    """Unfinished tasks that are not this test's or the server's connection handlers."""
    return [
        t for t in asyncio.all_tasks()
        if t is not asyncio.current_task() and not t.done()
        and not t.get_coro().__qualname__.startswith("RequestHandler.")  # type: ignore[union-attr]
    ]


# ---------------------------------------------------------------- the main case


async def test_close_ends_every_call_in_flight_and_sends_nothing_after(
    server: Server, reliability: Any
) -> None:
    loop = asyncio.get_running_loop()
    loop_errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: loop_errors.append(context))
    sleep = SignallingSleep()
    throttle = WatchedThrottle()
    client = AsyncTelnyx(
        KEY, base_url=server.base_url, trust_env=False, sleep=sleep, throttle=throttle,
        max_concurrency=IN_FLIGHT + THROTTLED, timeout=Timeout(total=120, deadline=300),
        retry=RetryConfig(max_retries=2, max_retry_wait=60.0),
    )
    assistants = client.ai.assistants
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # Waiting on the server: 20 requests the server holds until released.
        on_server = [asyncio.ensure_future(assistants.retrieve(f"hold-{i}"))
                     for i in range(IN_FLIGHT)]
        await server.held.wait()
        # In a retry wait: a 503 asking for 30 s.
        retrying = [asyncio.ensure_future(assistants.retrieve(f"retry-{i}"))
                    for i in range(RETRYING)]
        await sleep.expect(RETRYING).wait()
        # A 429 saying the account is spent: its own retry waits, and the
        # throttle now holds every new request for 30 s.
        limited = asyncio.ensure_future(assistants.retrieve("limited"))
        await sleep.expect(RETRYING + 1).wait()
        throttled = [asyncio.ensure_future(assistants.retrieve(f"throttled-{i}"))
                     for i in range(THROTTLED)]
        await throttle.waiting.wait()
        # Queued for a concurrency slot: all 22 are taken.
        queued = [asyncio.ensure_future(assistants.retrieve(f"queued-{i}"))
                  for i in range(QUEUED)]
        await next_turn()  # each has run up to the semaphore

        calls = [*on_server, *retrying, limited, *throttled, *queued]
        assert not any(t.done() for t in calls)
        assert len(server.arrivals) == IN_FLIGHT + RETRYING + 1
        sockets_before = client_sockets(server.port)
        fds_before = open_fds()

        started = time.perf_counter()
        await client.close()
        close_seconds = time.perf_counter() - started
        server.closed_returned = True

        # Every call has already ended, each with the clear error.
        assert all(t.done() for t in calls), [t for t in calls if not t.done()]
        outcomes = [t.exception() for t in calls]
        assert all(isinstance(e, ClientClosedError) for e in outcomes), outcomes
        assert all(isinstance(e, APIConnectionError) for e in outcomes)
        assert all("closed" in str(e) for e in outcomes), outcomes
        paths = sorted(e.request.path for e in outcomes if isinstance(e, ClientClosedError)
                       and e.request is not None)
        assert len(paths) == len(calls)
        # Nothing was retried: the only retry waits are the four from before close().
        assert len(sleep.started) == RETRYING + 1
        # The client holds no socket to the server any more; its session is gone.
        sockets_after = client_sockets(server.port)
        fds_after = open_fds()
        assert client._shared.transport.session is None

        # It stays closed: refused at once, nothing sent.
        with pytest.raises(ClientClosedError, match="closed") as info:
            await assistants.retrieve("after-close")
        assert info.value.request_sent is False
        with pytest.raises(ClientClosedError, match="cannot be reopened"):
            async with client:
                pytest.fail("a closed client was entered")

        # The held requests are answered now, to closed connections.
        server.release.set()
        await barrier(server)
        leftover = _leftover_tasks()

    reliability.add_figures(
        "close",
        calls_in_flight=len(calls),
        on_server=IN_FLIGHT,
        retry_waits=RETRYING + 1,
        held_by_throttle=THROTTLED,
        queued=QUEUED,
        close_ms=round(close_seconds * 1000, 1),
        client_sockets_before=sockets_before,
        client_sockets_after=sockets_after,
        fds_before=fds_before,
        fds_after=fds_after,
        requests_after_close=sum(1 for _, after in server.arrivals if after),
        warnings=len(caught),
        loop_errors=len(loop_errors),
        leftover_tasks=len(leftover),
    )
    # The server saw exactly what was sent before close(), and nothing after.
    assert [p for p, after in server.arrivals if after] == []
    assert len(server.arrivals) == IN_FLIGHT + RETRYING + 1
    if sockets_before is not None:
        assert sockets_before >= IN_FLIGHT
        assert sockets_after == 0, sockets_after
    assert [str(w.message) for w in caught] == []
    assert loop_errors == []
    assert leftover == []


# ---------------------------------------------------------------- the other paths


async def test_copies_share_the_state_and_a_copy_cannot_close_it(server: Server) -> None:
    server.hold_target = 1
    client = AsyncTelnyx(KEY, base_url=server.base_url, trust_env=False)
    copy = client.with_options(max_retries=0)
    task = asyncio.ensure_future(copy.ai.assistants.retrieve("hold-copy"))
    await server.held.wait()
    await copy.close()  # a no-op: the call goes on
    assert not task.done() and not copy.closed
    await client.close()  # closing the original ends the copy's call too
    assert task.done() and isinstance(task.exception(), ClientClosedError)
    assert copy.closed
    with pytest.raises(ClientClosedError):
        await copy.ai.assistants.retrieve("after")
    server.closed_returned = True
    server.release.set()
    await barrier(server)
    assert [p for p, after in server.arrivals if after] == []


async def test_a_lent_session_is_left_open_and_still_works(server: Server) -> None:
    server.hold_target = 2
    async with aiohttp.ClientSession() as session:
        client = AsyncTelnyx(KEY, base_url=server.base_url, session=session)
        tasks = [asyncio.ensure_future(client.ai.assistants.retrieve(f"hold-lent-{i}"))
                 for i in range(2)]
        await server.held.wait()
        await client.close()
        assert all(isinstance(t.exception(), ClientClosedError) for t in tasks)
        assert not session.closed
        server.release.set()
        async with session.get(f"http://127.0.0.1:{server.port}/ping") as resp:
            assert resp.status == 200  # the caller's session is theirs, and fine


async def test_the_callers_own_cancel_is_kept(server: Server) -> None:
    # A call its caller cancels at the moment the client closes ends as the
    # caller asked: CancelledError, not swallowed into ClientClosedError.
    server.hold_target = 1
    client = AsyncTelnyx(KEY, base_url=server.base_url, trust_env=False)
    task = asyncio.ensure_future(client.ai.assistants.retrieve("hold-cancel"))
    await server.held.wait()
    task.cancel()
    await client.close()
    if sys.version_info >= (3, 11):
        assert task.cancelled()
    else:  # 3.10 cannot tell two cancellations apart (documented)
        assert task.cancelled() or isinstance(task.exception(), ClientClosedError)


async def test_close_ends_a_run_wait_in_its_poll_pause() -> None:
    # runs.wait() retries failed polls until its deadline; a closed client must
    # end it at once instead of polling a closed client for an hour.
    sleep = SignallingSleep()
    async with FakeTelnyx(api_key=KEY) as fake:
        test = fake.add_test("slow", duration=3600.0)
        client = fake.client(sleep=sleep)
        run = await client.ai.assistants.tests.runs.trigger(test["test_id"])
        waiter = asyncio.ensure_future(client.ai.assistants.tests.runs.wait(
            run.run_id, test_id=test["test_id"], poll_interval=LONG_WAIT,
            max_poll_interval=LONG_WAIT,
        ))
        await sleep.expect(1).wait()  # polled once, now in its pause
        polls = len(fake.requests)
        await client.close()
        assert waiter.done()
        assert isinstance(waiter.exception(), ClientClosedError)
        await fake.wait_idle()
        assert len(fake.requests) == polls
