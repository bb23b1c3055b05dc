"""The retry policy end to end against FakeTelnyx, with waits recorded instead of slept."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time

import aiohttp
import pytest
from conftest import SleepRecorder

from telnyx_async import (
    APIConnectionError,
    APITimeoutError,
    AsyncTelnyx,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryConfig,
    Timeout,
    UnprocessableEntityError,
)
from telnyx_async.testing import FakeTelnyx, Fault

TESTS = "/ai/assistants/tests"


def _paths(fake: FakeTelnyx) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests]


# ------------------------------------------------------------------ 429 (R1, R2)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0.25"}, 0.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"x-ratelimit-reset": "7", "x-ratelimit-remaining": "0"}, 7.0),
        ({"Retry-After": "-5"}, 0.0),
    ],
)
async def test_429_waits_what_the_server_asks(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder, headers: dict[str, str],
    expected: float,
) -> None:
    fake.enqueue(Fault.status(429, headers=headers), path=TESTS)
    page = await client.ai.assistants.tests.list()
    assert page.data == []
    assert sleeps.waits == [pytest.approx(expected)]
    assert [r.status for r in fake.requests] == [429, 200]


async def test_429_http_date_retry_after(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    fake.enqueue(Fault.status(429, headers={"Retry-After": when}), path=TESTS)
    await client.ai.assistants.tests.list()
    assert len(sleeps.waits) == 1
    assert 17.0 <= sleeps.waits[0] <= 20.5


async def test_429_without_hints_uses_jittered_backoff(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(Fault.status(429), Fault.status(429), path=TESTS)
    await client.ai.assistants.tests.list()
    first, second = sleeps.waits
    assert 0.0 <= first <= 0.5
    assert 0.0 <= second <= 1.0


async def test_429_wait_above_max_retry_wait_raises_at_once(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(Fault.rate_limited(retry_after=None, reset=600), path=TESTS)
    with pytest.raises(RateLimitError) as info:
        await client.ai.assistants.tests.list()
    assert info.value.retry_after == 600.0
    assert info.value.rate_limit.remaining == 0
    assert sleeps.waits == []
    assert len(fake.requests) == 1


async def test_429_is_retried_even_for_post_without_key(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    assistant = fake.add_assistant(name="a", instructions="i")
    fake.enqueue(Fault.rate_limited(retry_after=1), method="POST")
    reply = await client.ai.assistants.chat(
        assistant["id"], content="hi", conversation_id="c-1"
    )
    assert reply.content
    assert sleeps.waits == [1.0]


async def test_429_retries_are_bounded(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(*[Fault.rate_limited(retry_after=1)] * 5, path=TESTS)
    with pytest.raises(RateLimitError):
        await client.ai.assistants.tests.list()
    assert len(fake.requests) == 3  # 1 + max_retries=2
    assert sleeps.waits == [1.0, 1.0]


# ------------------------------------------------------------------ 5xx and friends (R3, R4)


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
async def test_get_is_retried_on_transient_statuses(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder, status: int
) -> None:
    fake.enqueue(Fault.status(status), path=TESTS)
    await client.ai.assistants.tests.list()
    assert [r.status for r in fake.requests] == [status, 200]
    assert len(sleeps.waits) == 1


async def test_503_retry_after_is_honoured(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(Fault.status(503, headers={"Retry-After": "4"}), path=TESTS)
    await client.ai.assistants.tests.list()
    assert sleeps.waits == [4.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_post_without_idempotency_key_is_not_retried_on_5xx(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder, status: int
) -> None:
    fake.enqueue(Fault.status(status), method="POST")
    with pytest.raises(Exception) as info:
        await client.ai.assistants.create(name="x", instructions="y")
    assert getattr(info.value, "status_code", None) == status
    assert len(fake.requests) == 1
    assert sleeps.waits == []


async def test_post_with_caller_key_is_retried_with_the_same_key(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    fake.enqueue(Fault.status(502), method="POST")
    await client.ai.assistants.create(name="x", instructions="y", idempotency_key="create-1")
    keys = [r.headers.get("Idempotency-Key") for r in fake.requests]
    assert keys == ["create-1", "create-1"]
    assert len(fake.assistants) == 1


async def test_trigger_retried_after_a_lost_response_creates_one_run(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    test = fake.add_test(name="t", outcome="passed")
    fake.enqueue(Fault.drop(), method="POST")
    run = await client.ai.assistants.tests.runs.trigger(test["test_id"])
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 2
    key = posts[0].headers["Idempotency-Key"]
    assert key and posts[1].headers["Idempotency-Key"] == key
    assert list(fake.runs) == [run.run_id]


async def test_trigger_key_reused_across_a_timeout(fake: FakeTelnyx, sleeps: SleepRecorder) -> None:
    test = fake.add_test(name="t", outcome="passed")
    fake.enqueue(Fault.slow_response(2.0), method="POST")
    async with fake.client(sleep=sleeps, timeout=Timeout(total=0.3)) as client:
        run = await client.ai.assistants.tests.runs.trigger(test["test_id"])
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 2
    assert posts[0].headers["Idempotency-Key"] == posts[1].headers["Idempotency-Key"]
    assert list(fake.runs) == [run.run_id]
    assert fake.idempotency_replays == 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
    ],
)
async def test_client_errors_are_never_retried(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder, status: int, cls: type
) -> None:
    fake.enqueue(Fault.status(status), path=TESTS)
    with pytest.raises(cls):
        await client.ai.assistants.tests.list()
    assert len(fake.requests) == 1
    assert sleeps.waits == []


async def test_5xx_retries_exhausted_raise_the_last_error(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    fake.enqueue(Fault.status(500), Fault.status(502), Fault.status(503), path=TESTS)
    with pytest.raises(InternalServerError) as info:
        await client.ai.assistants.tests.list()
    assert info.value.status_code == 503


async def test_retry_statuses_are_configurable(fake: FakeTelnyx, sleeps: SleepRecorder) -> None:
    fake.enqueue(Fault.status(500), path=TESTS)
    retry = RetryConfig(retry_statuses={429, 503})
    async with fake.client(sleep=sleeps, retry=retry) as client:
        with pytest.raises(InternalServerError):
            await client.ai.assistants.tests.list()
    assert sleeps.waits == []


def test_retry_config_is_validated() -> None:
    with pytest.raises(ValueError, match="409"):
        RetryConfig(retry_statuses={409})
    with pytest.raises(ValueError, match="invalid HTTP status"):
        RetryConfig(retry_statuses={999})
    with pytest.raises(TypeError, match="max_retries"):
        RetryConfig(max_retries="3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_retries"):
        RetryConfig(max_retries=-1)
    with pytest.raises(ValueError, match="max_delay"):
        RetryConfig(max_delay=float("inf"))


# ------------------------------------------------------------------ transport failures (E4)


async def test_dropped_connection_on_get_is_retried(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(Fault.drop(), Fault.reset_mid_body(), path=TESTS)
    page = await client.ai.assistants.tests.list()
    assert page.data == []
    assert len(fake.requests) == 3
    assert fake.requests[-1].status == 200
    # aiohttp itself resends an idempotent request once when a reused keep-alive
    # connection turns out dead, so the drop may cost no wait of ours.
    assert 1 <= len(sleeps.waits) <= 2


async def test_dropped_connection_on_plain_post_is_not_retried(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(Fault.drop(), method="POST")
    with pytest.raises(APIConnectionError) as info:
        await client.ai.assistants.create(name="x", instructions="y")
    assert isinstance(info.value.__cause__, aiohttp.ClientError)
    assert type(info.value.__cause__).__name__ in str(info.value)
    assert sleeps.waits == []


async def test_connection_refused_names_its_cause_and_is_retried(sleeps: SleepRecorder) -> None:
    async with FakeTelnyx() as fake:
        url = fake.url
    async with AsyncTelnyx("k", base_url=url, sleep=sleeps) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.ai.assistants.create(name="x", instructions="y")
    err = info.value
    assert not isinstance(err, APITimeoutError)
    assert isinstance(err.__cause__, aiohttp.ClientConnectorError)
    assert "ClientConnectorError" in str(err)
    assert err.request_sent is False
    assert len(sleeps.waits) == 2  # nothing was sent, so even a POST is retried


async def test_read_timeout_is_typed_and_chained(fake: FakeTelnyx, sleeps: SleepRecorder) -> None:
    fake.enqueue(Fault.delay(5.0), path=TESTS)
    async with fake.client(sleep=sleeps, timeout=Timeout(total=0.2), max_retries=0) as client:
        with pytest.raises(APITimeoutError) as info:
            await client.ai.assistants.tests.list()
    assert isinstance(info.value.__cause__, (asyncio.TimeoutError, aiohttp.ServerTimeoutError))
    assert "timed out" in str(info.value)


async def test_malformed_json_is_a_validation_error(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    from telnyx_async import APIResponseValidationError

    fake.enqueue(Fault.malformed(), path=TESTS)
    with pytest.raises(APIResponseValidationError) as info:
        await client.ai.assistants.tests.list()
    assert "not JSON" in str(info.value)
    assert info.value.body


# ------------------------------------------------------------------ deadline (T1)


async def test_deadline_bounds_all_attempts_and_waits(fake: FakeTelnyx) -> None:
    fake.enqueue(*[Fault.delay(3.0)] * 5, path=TESTS)
    timeout = Timeout(total=0.3, deadline=0.8)
    async with fake.client(timeout=timeout, max_retries=5) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await client.ai.assistants.tests.list()
        elapsed = time.monotonic() - started
    assert elapsed < 0.8 + 0.4


def test_default_timeouts_are_finite() -> None:
    t = Timeout()
    assert (t.total, t.connect, t.deadline) == (60.0, 10.0, 180.0)
    assert Timeout.coerce(5) == Timeout(total=5.0, connect=5.0, deadline=180.0)
    assert Timeout.coerce(None) == Timeout(total=None, connect=None, deadline=None)
    with pytest.raises(ValueError, match="total"):
        Timeout(total=0)
    with pytest.raises(TypeError, match="timeout"):
        Timeout.coerce("5")  # type: ignore[arg-type]


# ------------------------------------------------------------------ cancellation (T4)


async def test_cancel_during_request_stops_everything(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    fake.hold()
    task = asyncio.create_task(_first_page(client))
    await fake.wait_in_flight(1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    fake.release()
    await fake.wait_idle()
    assert len(fake.requests) == 1
    # The client is still usable afterwards.
    assert (await client.ai.assistants.tests.list()).data == []


async def _first_page(client: AsyncTelnyx) -> object:
    return await client.ai.assistants.tests.list()


async def test_cancel_during_backoff_wait_makes_no_further_attempt(fake: FakeTelnyx) -> None:
    waiting = asyncio.Event()

    async def never_ending_sleep(seconds: float) -> None:
        waiting.set()
        await asyncio.Event().wait()

    fake.enqueue(Fault.status(503), path=TESTS)
    async with fake.client(sleep=never_ending_sleep) as client:
        task = asyncio.create_task(_first_page(client))
        await waiting.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(fake.requests) == 1


# ------------------------------------------------------------------ connection release (R5)


async def test_error_bodies_are_released_before_waiting(fake: FakeTelnyx, sleeps: SleepRecorder) -> None:
    connector = aiohttp.TCPConnector(limit=1)
    async with aiohttp.ClientSession(connector=connector) as session:
        fake.enqueue(Fault.rate_limited(retry_after=1), Fault.status(503), path=TESTS)
        client = fake.client(session=session, sleep=sleeps)
        page = await asyncio.wait_for(_first_page(client), timeout=10)
        assert page is not None
        await client.close()
        assert not session.closed  # a caller's session is never closed by us (S4)
    assert sleeps.waits[0] == 1.0


# ------------------------------------------------------------------ logging (D3)


async def test_each_retry_is_logged_without_the_key(
    fake: FakeTelnyx, client: AsyncTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    fake.enqueue(Fault.status(503, headers={"x-request-id": "req-42"}), path=TESTS)
    with caplog.at_level(logging.DEBUG):
        await client.ai.assistants.tests.list()
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("telnyx_async")]
    assert any(
        "retrying GET /ai/assistants/tests after status 503 (attempt 2 of 3)" in m
        and "req-42" in m
        for m in messages
    ), messages
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert fake.api_key not in everything
