"""The client-wide rate-limit gate (R6) and ``client.rate_limit``.

These fakes run on the real monotonic clock (the gate waits real time), so
``RecordedRequest.received_at`` and the gate share one time line. Cooldowns are
a few tenths of a second.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from telnyx_async import RateLimitError, RateLimitInfo, Timeout
from telnyx_async.testing import FakeTelnyx, Fault

TESTS = "/ai/assistants/tests"
COOLDOWN = 0.3
SLACK = 0.02  # clock granularity between the throttle and the fake's record
SPENT = {"x-ratelimit-remaining": "0"}
"""What makes a 429 evidence of a spent account, rather than of one refused request."""


@pytest.fixture
async def live_fake() -> AsyncIterator[FakeTelnyx]:
    async with FakeTelnyx() as fake:
        fake.add_test("One")
        yield fake


async def test_after_a_429_no_request_leaves_the_client_until_the_cooldown_passed(
    live_fake: FakeTelnyx,
) -> None:
    fake = live_fake
    # One slot: 19 calls queue behind the first, which gets a 429 saying the
    # account is spent. Those that were queued must not go out when the slot
    # frees up, but after the cooldown.
    fake.enqueue(Fault.rate_limited(retry_after=COOLDOWN, headers=SPENT))
    async with fake.client(max_concurrency=1) as client:
        pages = await asyncio.gather(*(client.ai.assistants.tests.list() for _ in range(20)))
    assert all(len(page.data) == 1 for page in pages)
    first, *rest = fake.requests
    assert first.status == 429
    assert len(rest) == 20  # the 429'd call retried once; 19 others
    for rec in rest:
        assert rec.received_at >= first.received_at + COOLDOWN - SLACK, rec


async def test_concurrent_callers_back_off_together(live_fake: FakeTelnyx) -> None:
    fake = live_fake
    fake.enqueue(Fault.rate_limited(retry_after=COOLDOWN, headers=SPENT))
    async with fake.client(max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.ai.assistants.tests.list()
        limited = fake.requests.last
        await asyncio.gather(*(client.ai.assistants.tests.list() for _ in range(20)))
    later = fake.requests[1:]
    assert len(later) == 20
    assert min(r.received_at for r in later) >= limited.received_at + COOLDOWN - SLACK


async def test_remaining_zero_closes_the_gate_and_rate_limit_is_exposed(
    live_fake: FakeTelnyx,
) -> None:
    fake = live_fake
    headers = {
        "x-ratelimit-limit": "10",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(COOLDOWN),
    }
    fake.enqueue(
        Fault.status(200, body={"data": [], "meta": {"total_pages": 1}}, headers=headers)
    )
    async with fake.client() as client:
        assert client.rate_limit is None
        await client.ai.assistants.tests.list()
        assert client.rate_limit == RateLimitInfo(limit=10, remaining=0, reset=COOLDOWN)
        assert client.with_options(max_retries=0).rate_limit is client.rate_limit
        await client.ai.assistants.tests.list()
    first, second = fake.requests
    assert second.received_at >= first.received_at + COOLDOWN - SLACK


async def test_rate_limit_follows_the_latest_headers(fake: FakeTelnyx) -> None:
    fake.set_rate_limit(rate_per_second=100, burst=50)
    async with fake.client() as client:
        await client.ai.assistants.tests.list()
        info = client.rate_limit
        assert info is not None
        assert (info.limit, info.remaining) == (50, 49)
        await client.ai.assistants.tests.list()
        assert client.rate_limit is not None
        assert client.rate_limit.remaining == 48


async def test_a_cooldown_longer_than_max_retry_wait_fails_fast_without_sending(
    live_fake: FakeTelnyx,
) -> None:
    fake = live_fake
    fake.enqueue(Fault.rate_limited(retry_after=600, headers=SPENT))
    async with fake.client(max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.ai.assistants.tests.list()
        started = time.monotonic()
        with pytest.raises(RateLimitError) as info:
            await client.with_options(max_retries=2).ai.assistants.tests.list()
    assert time.monotonic() - started < 0.5
    assert len(fake.requests) == 1  # the second call was never sent
    assert info.value.retry_after is not None and info.value.retry_after > 590
    assert "not sent" in str(info.value)


async def test_a_retry_does_not_wait_again_for_its_own_429(live_fake: FakeTelnyx) -> None:
    # The retry policy waited Retry-After through the injected sleep; the gate
    # must not hold the same call again for that cooldown in real time.
    fake = live_fake
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    fake.enqueue(Fault.rate_limited(retry_after=30))
    started = time.monotonic()
    async with fake.client(sleep=sleep) as client:
        page = await client.ai.assistants.tests.list()
    assert len(page.data) == 1
    assert waits == [30]
    assert time.monotonic() - started < 2


async def test_time_at_the_gate_does_not_count_against_the_attempt_timeout(
    live_fake: FakeTelnyx,
) -> None:
    fake = live_fake
    fake.enqueue(Fault.rate_limited(retry_after=0.5, headers=SPENT))
    async with fake.client(timeout=Timeout(total=0.2), max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.ai.assistants.tests.list()
        page = await client.ai.assistants.tests.list()  # 0.5 s at the gate, then 0.2 s to answer
    assert len(page.data) == 1


async def test_a_stray_429_holds_only_the_request_that_got_it(live_fake: FakeTelnyx) -> None:
    # A 429 that does not say the account is spent (no x-ratelimit-remaining: 0):
    # the others go on at once; only the refused call waits for its retry.
    fake = live_fake
    fake.enqueue(Fault.rate_limited(retry_after=COOLDOWN))
    async with fake.client(max_retries=0) as client:
        with pytest.raises(RateLimitError):
            await client.ai.assistants.tests.list()
        limited = fake.requests.last
        await asyncio.gather(*(client.ai.assistants.tests.list() for _ in range(20)))
    later = fake.requests[1:]
    assert len(later) == 20
    assert max(r.received_at for r in later) < limited.received_at + COOLDOWN


async def test_a_retry_is_not_held_again_by_the_spent_account_its_own_429_reported(
    live_fake: FakeTelnyx,
) -> None:
    # The 429 says the account is spent, so the throttle holds every request for
    # 30 s; the refused call's retry policy waited those 30 s (through the
    # injected sleep), so its retry is not held a second time in real time.
    fake = live_fake
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    fake.enqueue(Fault.rate_limited(retry_after=30, headers=SPENT))
    started = time.monotonic()
    async with fake.client(sleep=sleep) as client:
        page = await client.ai.assistants.tests.list()
    assert len(page.data) == 1
    assert waits == [30]
    assert time.monotonic() - started < 2
