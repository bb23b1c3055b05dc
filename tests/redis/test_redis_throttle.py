"""``RedisThrottle`` against a real redis-server (started by this folder's conftest).

What is checked: admission is atomic across clients and processes (no ticket
twice, no slot twice); a 429 that says the account is spent holds every client
of the namespace; the budget in ``x-ratelimit-*`` is shared; ``rate=``/``per=``
(and ``burst=``) pace the fleet; without headers or a user rate the fleet
learns one pace from 429s; the namespace is a hash and the API key is nowhere
(keys, values, logs, errors, repr); Redis stopped, paused and restarted in the
middle of a run never fails or holds up a call; and every ticket is learned
exactly once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from benchmarks import payloads
from benchmarks.redis_server import RedisServer
from telnyx_async import (
    AsyncTelnyx,
    RateLimitError,
    RedisThrottle,
    Request,
    RequestDefaults,
    Response,
    Throttle,
    Timeout,
    build_request,
)
from telnyx_async.testing import FakeTelnyx, Fault

HERE = Path(__file__).resolve().parent
SECRET_KEY = "KEY0123456789abcdefSECRETdoNotLeak42"
LOGGER = "telnyx_async"


def a_request(path: str = "/ai/assistants", base_url: str = "http://127.0.0.1:9/v2") -> Request:
    defaults = RequestDefaults(base_url=base_url, headers={}, timeout=Timeout())
    return build_request(defaults, "GET", path)


def redis_cli(server: RedisServer, *args: str) -> str:
    result = subprocess.run(
        ["redis-cli", "-p", str(server.port), *args],
        capture_output=True, text=True, timeout=10, check=True,
    )
    return result.stdout


def keys_and_values(server: RedisServer) -> tuple[list[str], list[str]]:
    """Every key (``redis-cli --scan``) and every field and value of every hash in it."""
    keys = redis_cli(server, "--scan").split()
    values: list[str] = []
    for key in keys:
        values += redis_cli(server, "HGETALL", key).split()
    return keys, values


def state(server: RedisServer, key: str) -> dict[str, str]:
    flat = redis_cli(server, "HGETALL", key).split()
    return dict(zip(flat[::2], flat[1::2], strict=True))


def expected_key(api_key: str, base_url: str) -> str:
    """The namespace's key, computed the way the docs describe it."""
    inner = hashlib.sha256(b"telnyx_async/RedisThrottle/v1\0" + api_key.encode()).digest()
    digest = hashlib.sha256(inner + b"\0" + base_url.rstrip("/").encode()).hexdigest()
    return f"telnyx_async:throttle:{{{digest[:32]}}}"


async def until(predicate: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    """Poll ``predicate`` (it makes a call each time) for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds}s: {what}")


# ---------------------------------------------------------------- importing


def test_importing_telnyx_async_never_imports_redis() -> None:
    code = (
        "import sys, telnyx_async\n"
        "assert 'redis' not in sys.modules, 'import telnyx_async imported redis'\n"
        "from telnyx_async import RedisThrottle\n"
        "assert 'redis' not in sys.modules, 'naming RedisThrottle imported redis'\n"
        "RedisThrottle('redis://127.0.0.1:9/0', api_key='k')\n"
        "assert 'redis.asyncio' in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_it_is_a_throttle_and_checks_its_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    throttle = RedisThrottle("redis://127.0.0.1:9/0", api_key=SECRET_KEY)
    assert isinstance(throttle, Throttle)
    AsyncTelnyx(api_key=SECRET_KEY, throttle=throttle)  # accepted by the client
    with pytest.raises(TypeError, match="exactly one"):
        RedisThrottle(api_key="k")
    with pytest.raises(ValueError, match="rate"):
        RedisThrottle("redis://127.0.0.1:9/0", api_key="k", rate=0)
    with pytest.raises(ValueError, match="burst"):
        RedisThrottle("redis://127.0.0.1:9/0", api_key="k", rate=1, burst=0)
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    with pytest.raises(Exception, match="namespace"):
        RedisThrottle("redis://127.0.0.1:9/0")
    RedisThrottle("redis://127.0.0.1:9/0", namespace="team-a")  # no key needed then


# ---------------------------------------------------------------- atomic admission


async def test_admission_is_atomic_across_clients(redis_url: str) -> None:
    throttles = [RedisThrottle(redis_url, namespace="atomic", rate=40.0) for _ in range(4)]
    request = a_request()
    admitted: list[tuple[int, float]] = []

    async def admit(throttle: RedisThrottle) -> None:
        ticket = await throttle.admit(request)
        admitted.append((ticket.seq, time.monotonic()))
        await throttle.learn(ticket, None)

    try:
        await asyncio.gather(*(admit(t) for t in throttles for _ in range(10)))
    finally:
        for throttle in throttles:
            await throttle.aclose()
    assert sorted(seq for seq, _ in admitted) == list(range(1, 41))  # no ticket twice
    times = sorted(at for _, at in admitted)
    # 40 per second, no burst: any 11 consecutive admissions span 10 intervals.
    spans = [times[i + 10] - times[i] for i in range(len(times) - 10)]
    assert min(spans) >= 10 / 40 - 0.03, spans


async def test_admission_is_atomic_across_processes(redis_url: str) -> None:
    count, rate, workers = 15, 30.0, 3
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, str(HERE / "_admit_worker.py"), redis_url, "atomic-procs",
            str(count), str(rate),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(workers)
    ]
    try:
        for proc in procs:  # every process is ready before any admits
            assert proc.stdout is not None
            assert (await asyncio.wait_for(proc.stdout.readline(), 60)).strip() == b"ready"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(b"go\n")
            await proc.stdin.drain()
        outputs = [await asyncio.wait_for(proc.communicate(), 60) for proc in procs]
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    assert all(proc.returncode == 0 for proc in procs)
    admitted = [tuple(item) for out, _ in outputs for item in json.loads(out)]
    assert sorted(int(seq) for seq, _ in admitted) == list(range(1, count * workers + 1))
    times = sorted(at for _, at in admitted)
    spans = [times[i + 10] - times[i] for i in range(len(times) - 10)]
    assert min(spans) >= 10 / rate - 0.03, spans


# ---------------------------------------------------------------- what the fleet shares


async def test_a_spent_account_holds_every_client_of_the_namespace(
    redis_url: str, fake: FakeTelnyx
) -> None:
    fake.enqueue(
        Fault.rate_limited(retry_after=0.6, headers={"x-ratelimit-remaining": "0"}),
        method="GET", route="/ai/assistants",
    )
    key = fake.api_key
    mine = RedisThrottle(redis_url, api_key=key)
    theirs = RedisThrottle(redis_url, api_key=key)
    unrelated = RedisThrottle(redis_url, namespace="elsewhere")
    async with (
        mine, theirs, unrelated,
        fake.client(throttle=mine, max_retries=0) as a,
        fake.client(throttle=theirs) as b,
        fake.client(throttle=unrelated) as c,
    ):
        with pytest.raises(RateLimitError):
            await a.ai.assistants.list()
        refused_at = fake.requests[-1].received_at
        await c.ai.assistants.list()  # another namespace: not held
        elsewhere_at = fake.requests[-1].received_at
        await b.ai.assistants.list()  # same key and URL: held for the Retry-After
        held_at = fake.requests[-1].received_at
    assert elsewhere_at - refused_at < 0.4
    assert held_at - refused_at >= 0.5
    assert fake.rate_limited_count == 0  # the only 429 was the scripted one


async def test_the_budget_in_the_headers_is_shared(redis_url: str, fake: FakeTelnyx) -> None:
    # 3 requests banked, 3 more per second: the answers carry x-ratelimit-*.
    fake.set_rate_limit(3, burst=3)
    key = fake.api_key
    throttles = [RedisThrottle(redis_url, api_key=key) for _ in range(3)]
    try:
        clients = [fake.client(throttle=t) for t in throttles]
        started = time.monotonic()
        await asyncio.gather(*(c.ai.assistants.list() for c in clients for _ in range(3)))
        elapsed = time.monotonic() - started
        for client in clients:
            await client.close()
    finally:
        for throttle in throttles:
            await throttle.aclose()
    # The fleet spends one budget, not three: at most the first contact (requests
    # sent before the first answer told the budget) can be refused.
    assert fake.rate_limited_count <= 3
    assert elapsed >= 1.5  # 9 calls at 3 per second, 3 banked
    assert throttles[0].info is not None and throttles[0].info.limit == 3


async def test_a_user_rate_paces_the_whole_fleet(redis_url: str, fake: FakeTelnyx) -> None:
    throttles = [
        RedisThrottle(redis_url, api_key=fake.api_key, rate=20, per=1.0) for _ in range(3)
    ]
    try:
        clients = [fake.client(throttle=t) for t in throttles]
        await asyncio.gather(*(c.ai.assistants.list() for c in clients for _ in range(7)))
        for client in clients:
            await client.close()
    finally:
        for throttle in throttles:
            await throttle.aclose()
    arrivals = sorted(r.received_at for r in fake.requests)
    assert len(arrivals) == 21
    assert arrivals[-1] - arrivals[0] >= 20 / 20 - 0.05  # 20 intervals of 50 ms


async def test_per_and_burst(redis_url: str, fake: FakeTelnyx) -> None:
    # 10 requests per 2 s, 5 at once: a burst of 5, then one every 200 ms.
    async with RedisThrottle(
        redis_url, api_key=fake.api_key, rate=10, per=2.0, burst=5
    ) as throttle, fake.client(throttle=throttle) as client:
        await asyncio.gather(*(client.ai.assistants.list() for _ in range(8)))
    arrivals = sorted(r.received_at for r in fake.requests)
    assert arrivals[4] - arrivals[0] < 0.15  # the burst
    assert arrivals[7] - arrivals[4] >= 3 * 0.2 - 0.05


class BucketServer:
    """An API that allows ``rate`` requests per second (``rate`` banked) and says nothing else.

    Over the limit it answers 429 ``Retry-After: 1`` without any
    ``x-ratelimit-*`` header, as S8's server does: the fleet must learn the
    pace from the refusals alone.
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.stamp = time.monotonic()
        self.ok = 0
        self.refused = 0
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            self.refused += 1
            return web.json_response({"errors": [{"code": "10011"}]}, status=429,
                                     headers={"Retry-After": "1"})
        self.tokens -= 1
        self.ok += 1
        return web.Response(body=payloads.assistant_bytes(), content_type="application/json")

    async def __aenter__(self) -> BucketServer:
        app = web.Application()
        app.router.add_get("/v2/ai/assistants/{assistant_id}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/v2"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


async def test_without_headers_the_fleet_learns_one_pace_from_429s(
    redis_url: str, redis_server: RedisServer
) -> None:
    async with BucketServer(rate=50) as api:
        throttles = [RedisThrottle(redis_url, api_key=SECRET_KEY) for _ in range(3)]
        clients = [
            AsyncTelnyx(api_key=SECRET_KEY, base_url=api.url, throttle=t, max_retries=10)
            for t in throttles
        ]
        semaphore = asyncio.Semaphore(24)

        async def one(client: AsyncTelnyx) -> None:
            async with semaphore:
                await client.ai.assistants.retrieve(payloads.ASSISTANT_ID)

        try:
            await asyncio.gather(*(one(c) for c in clients for _ in range(60)))
            learned = state(redis_server, throttles[0].key_for(api.url))
        finally:
            for client in clients:
                await client.close()
            for throttle in throttles:
                await throttle.aclose()
    assert api.ok == 180
    assert 25 <= float(learned["rate"]) <= 75, learned  # about the server's 50 per second
    assert api.refused <= 20, api.refused  # three clients, one discovery


# ---------------------------------------------------------------- the namespace and the key


async def test_the_namespace_is_a_hash_and_the_key_is_nowhere(
    redis_server: RedisServer, redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    async with FakeTelnyx(api_key=SECRET_KEY) as api:
        api.set_rate_limit(5, burst=2)  # a budget in the headers, so that more gets logged
        async with RedisThrottle(redis_url, api_key=SECRET_KEY) as throttle, api.client(
            throttle=throttle, max_retries=0
        ) as client:
            results = await asyncio.gather(
                *(client.ai.assistants.list() for _ in range(6)), return_exceptions=True
            )
            api.set_rate_limit(None)
            named = RedisThrottle(redis_url, namespace="team-a", rate=1, per=60, max_wait=1)
            async with named, api.client(throttle=named, max_retries=0) as other:
                await other.ai.assistants.list()
                with pytest.raises(RateLimitError) as refused:
                    await other.ai.assistants.list()  # the next slot is a minute away
            keys, values = keys_and_values(redis_server)
            assert sorted(keys) == sorted(
                [expected_key(SECRET_KEY, api.url), "telnyx_async:throttle:{team-a}"]
            )
            assert throttle.namespace_key == expected_key(SECRET_KEY, api.url)
            texts = [*keys, *values, repr(throttle), repr(named), str(refused.value),
                     *(str(r) for r in results), *(r.getMessage() for r in caplog.records)]
    assert refused.value.request is not None
    for text in texts:
        assert SECRET_KEY not in text
        assert SECRET_KEY[3:20] not in text


def test_each_base_url_gets_its_own_namespace() -> None:
    throttle = RedisThrottle("redis://127.0.0.1:9/0", api_key=SECRET_KEY)
    prod = throttle.key_for("https://api.telnyx.com/v2")
    staging = throttle.key_for("https://staging.example/v2/")
    assert prod == expected_key(SECRET_KEY, "https://api.telnyx.com/v2")
    assert prod != staging
    other_key = RedisThrottle("redis://127.0.0.1:9/0", api_key="KEYanother")
    assert other_key.key_for("https://api.telnyx.com/v2") != prod
    assert SECRET_KEY not in repr(throttle)
    fixed = RedisThrottle("redis://:hunter2@127.0.0.1:9/0", namespace="ns", rate=5)
    assert fixed.key_for("https://anything") == "telnyx_async:throttle:{ns}"
    assert "hunter2" not in repr(fixed)


# ---------------------------------------------------------------- Redis down, slow, back


async def test_redis_stopped_and_restarted_mid_run(
    own_redis: RedisServer, fake: FakeTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    timeout = 0.1
    throttle = RedisThrottle(
        own_redis.url, api_key=fake.api_key, timeout=timeout, retry_every=0.2
    )
    key = throttle.key_for(fake.url)
    durations: list[float] = []

    async def call() -> None:
        started = time.monotonic()
        await client.ai.assistants.list()
        durations.append(time.monotonic() - started)

    async with throttle, fake.client(throttle=throttle) as client:
        for _ in range(5):
            await call()
        assert throttle.on_redis
        assert state(own_redis, key)["seq"] == "5"

        own_redis.stop()  # by its PID
        durations.clear()
        for _ in range(20):
            await call()
        assert not throttle.on_redis
        assert max(durations) < timeout + 0.5, durations  # never held up by the dead Redis
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert throttle.fallback.in_flight == 0

        own_redis.start()  # the same port

        async def back_on_redis() -> bool:
            await call()
            return throttle.on_redis

        await until(back_on_redis, 10.0, "the throttle went back to Redis")
        for _ in range(3):
            await call()
        assert int(state(own_redis, key)["seq"]) >= 3  # the new server holds the state now
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert any("answers again" in r.getMessage() for r in caplog.records)
    assert all(r.status == 200 for r in fake.requests)


async def test_a_redis_that_does_not_answer_holds_no_call_up(
    own_redis: RedisServer, fake: FakeTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    timeout = 0.1
    async with RedisThrottle(
        own_redis.url, api_key=fake.api_key, timeout=timeout, retry_every=0.2
    ) as throttle, fake.client(throttle=throttle) as client:
        await asyncio.gather(*(client.ai.assistants.list() for _ in range(5)))
        own_redis.pause()  # SIGSTOP: connections stay open, nothing answers
        rounds: list[float] = []
        try:
            for _ in range(5):  # calls made together fail together: it takes a few rounds
                started = time.monotonic()
                await asyncio.gather(*(client.ai.assistants.list() for _ in range(5)))
                rounds.append(time.monotonic() - started)
            assert not throttle.on_redis
        finally:
            own_redis.resume()
        # At most one timed-out admission and one timed-out learn per call.
        assert max(rounds) < 2 * timeout + 0.5, rounds

        async def back_on_redis() -> bool:
            await client.ai.assistants.list()
            return throttle.on_redis

        await until(back_on_redis, 10.0, "the throttle went back to Redis")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


# ---------------------------------------------------------------- the Throttle contract


class Spy:
    """A throttle that hands every call to ``inner`` and counts tickets in and out."""

    def __init__(self, inner: RedisThrottle) -> None:
        self.inner = inner
        self.admitted: dict[int, Any] = {}
        self.learned: dict[int, int] = {}
        self.serial = 0

    async def admit(self, request: Request) -> int:
        ticket = await self.inner.admit(request)
        self.serial += 1
        self.admitted[self.serial] = ticket
        return self.serial

    async def learn(self, ticket: int, response: Response | None) -> None:
        self.learned[ticket] = self.learned.get(ticket, 0) + 1
        await self.inner.learn(self.admitted[ticket], response)


async def test_every_ticket_is_learned_exactly_once(
    own_redis: RedisServer, fake: FakeTelnyx
) -> None:
    async with RedisThrottle(
        own_redis.url, api_key=fake.api_key, timeout=0.1, retry_every=0.1
    ) as throttle:
        spy = Spy(throttle)
        async with fake.client(throttle=spy, max_retries=2, sleep=_no_sleep) as client:
            fake.enqueue(
                Fault.status(503), Fault.drop(), Fault.rate_limited(retry_after=0),
                route="/ai/assistants",
            )
            results = await asyncio.gather(
                *(client.ai.assistants.list() for _ in range(5)), return_exceptions=True
            )
            fake.enqueue(Fault.delay(5.0), route="/ai/assistants")
            stuck = asyncio.create_task(_list(client))
            await fake.wait_in_flight(1)  # at the server, waiting: cancel it there
            stuck.cancel()
            with pytest.raises(asyncio.CancelledError):
                await stuck
            own_redis.stop()  # tickets admitted on Redis, learned without it, and back
            await asyncio.gather(*(client.ai.assistants.list() for _ in range(4)))
            own_redis.start()

            async def back_on_redis() -> bool:
                await client.ai.assistants.list()
                return throttle.on_redis

            await until(back_on_redis, 10.0, "the throttle went back to Redis")
    assert spy.admitted, "nothing was admitted"
    assert set(spy.learned) == set(spy.admitted)
    assert set(spy.learned.values()) == {1}
    assert throttle.fallback.in_flight == 0
    assert not any(isinstance(r, BaseException) for r in results), results


async def _list(client: AsyncTelnyx) -> None:
    await client.ai.assistants.list()


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)

