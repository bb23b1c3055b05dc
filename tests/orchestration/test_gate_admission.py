"""Admission control at the rate-limit gate: the probe, the budget, FIFO, cancellation.

Most tests drive a FakeTelnyx whose rate limiter runs on a FakeClock (the
``fake`` fixture), so its bucket only refills when told to, and use
``fake.hold()`` to freeze requests at the server. The gate itself runs on real
time; only ``test_real_time_the_queue_goes_out_after_the_reset`` waits for a
reset (about 1 s), and the whole file waits well under 2 s in total.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from telnyx_async import AsyncTelnyx, RateLimitError, _gate
from telnyx_async._gate import RateLimitGate
from telnyx_async.testing import FakeClock, FakeTelnyx

ARGS: dict[str, Any] = {
    "method": "GET",
    "path": "/x",
    "url": "http://test/x",
    "deadline_at": None,
    "max_wait": 60.0,
}


def limits(remaining: int, reset: float = 0, limit: int = 10) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
    }


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Yield to the loop until ``predicate()`` holds (fails after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.001)


async def list_tests(client: AsyncTelnyx) -> Any:
    return await client.ai.assistants.tests.list()


def gate_of(client: AsyncTelnyx) -> RateLimitGate:
    return client._shared.gate


@pytest.fixture
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the gate wait for the probe's answer as long as the test needs."""
    monkeypatch.setattr(_gate, "PROBE_PATIENCE", 30.0)


# ------------------------------------------------------------------ through the client


@pytest.mark.usefixtures("patient")
async def test_only_the_probe_goes_out_until_the_first_answer(fake: FakeTelnyx) -> None:
    fake.add_test("One")
    fake.set_rate_limit(rate_per_second=100, burst=100)
    async with fake.client() as client:
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(50)]
        await fake.wait_in_flight(1)
        gate = gate_of(client)
        await until(lambda: gate.queued == 49)
        assert (fake.in_flight, len(fake.requests), gate.in_flight) == (1, 1, 1)
        fake.release()  # the probe answers (remaining 99) ...
        fake.hold()  # ... and whatever it lets through is held again
        await fake.wait_in_flight(49)
        assert gate.queued == 0
        fake.release()
        pages = await asyncio.gather(*calls)
    assert all(len(page.data) == 1 for page in pages)
    assert fake.max_in_flight == 49
    assert fake.rate_limited_count == 0


async def test_the_budget_caps_what_goes_out_before_the_reset(
    fake: FakeTelnyx, clock: FakeClock
) -> None:
    # The fake's bucket runs on a clock that does not move: 10 tokens, no refill.
    fake.set_rate_limit(rate_per_second=10, burst=10)
    async with fake.client() as client:
        calls = [asyncio.create_task(list_tests(client)) for _ in range(50)]
        await until(lambda: len(fake.requests) == 10 and gate_of(client).in_flight == 0)
        gate = gate_of(client)  # the client's gate for this loop exists once a call ran
        await asyncio.sleep(0.05)  # nothing else may leave while the budget is spent
        assert len(fake.requests) == 10
        assert all(rec.status == 200 for rec in fake.requests)
        assert fake.rate_limited_count == 0
        assert gate.queued == 40
        assert 0.5 < gate.closed_for <= 1.0  # x-ratelimit-reset: 1
        assert client.rate_limit is not None and client.rate_limit.remaining == 0
        assert sum(call.done() for call in calls) == 10
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        assert (gate.queued, gate.in_flight) == (0, 0)
    assert clock.now() == 1000.0


@pytest.mark.usefixtures("patient")
async def test_a_server_without_rate_limit_headers_is_not_throttled_after_the_probe(
    fake: FakeTelnyx,
) -> None:
    async with fake.client() as client:
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(20)]
        await fake.wait_in_flight(1)
        gate = gate_of(client)
        await until(lambda: gate.queued == 19)
        assert fake.in_flight == 1
        fake.release()
        fake.hold()
        await fake.wait_in_flight(19)  # all the others at once
        fake.release()
        await asyncio.gather(*calls)
        assert client.rate_limit is None
        # From now on nothing queues: 30 more at once, no waiting at the gate.
        fake.hold()
        more = [asyncio.create_task(list_tests(client)) for _ in range(30)]
        await fake.wait_in_flight(30)
        assert gate.queued == 0
        fake.release()
        await asyncio.gather(*more)
    assert fake.max_in_flight == 30


@pytest.mark.usefixtures("patient")
async def test_cancelled_requests_leak_no_slot(fake: FakeTelnyx) -> None:
    async with fake.client() as client:
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(10)]
        await fake.wait_in_flight(1)
        gate = gate_of(client)
        await until(lambda: gate.queued == 9)
        probe, queued = calls[0], calls[1:]
        for call in queued[:4]:  # cancelled while queued at the gate
            call.cancel()
        probe.cancel()  # cancelled while on the wire: its slot passes to the next in line
        await asyncio.gather(probe, *queued[:4], return_exceptions=True)
        assert all(call.cancelled() for call in calls[:5])
        await until(lambda: len(fake.requests) == 2)  # the next in line is the new probe
        assert (gate.in_flight, gate.queued) == (1, 4)
        fake.release()
        await asyncio.gather(*queued[4:])
        assert (gate.in_flight, gate.queued) == (0, 0)
        page = await client.ai.assistants.tests.list()  # later calls still go
        assert page.data == []
        assert gate.in_flight == 0


async def test_a_slow_probe_does_not_stall_the_client(
    fake: FakeTelnyx, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After PROBE_PATIENCE without an answer, the rest go out unmetered.
    monkeypatch.setattr(_gate, "PROBE_PATIENCE", 0.1)
    async with fake.client() as client:
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(5)]
        started = time.monotonic()
        await fake.wait_in_flight(5)
        assert time.monotonic() - started >= 0.09
        fake.release()
        await asyncio.gather(*calls)


async def test_real_time_the_queue_goes_out_after_the_reset() -> None:
    # No FakeClock anywhere: the bucket refills in real time and the gate's
    # timer fires at the reset (x-ratelimit-reset: 1).
    async with FakeTelnyx() as fake:
        fake.set_rate_limit(rate_per_second=20, burst=5)
        async with fake.client() as client:
            pages = await asyncio.gather(
                *(client.ai.assistants.tests.list() for _ in range(10))
            )
            assert (gate_of(client).in_flight, gate_of(client).queued) == (0, 0)
    assert len(pages) == 10
    assert fake.rate_limited_count == 0
    assert len(fake.requests) == 10
    arrivals = sorted(rec.received_at for rec in fake.requests)
    assert arrivals[-1] - arrivals[0] >= 0.9  # the later ones waited for the reset


# ------------------------------------------------------------------ the gate alone


async def test_a_slot_granted_to_a_cancelled_waiter_is_handed_on() -> None:
    gate = RateLimitGate()
    assert gate.try_acquire() == 1  # the probe
    first = asyncio.create_task(gate.acquire(**ARGS))
    second = asyncio.create_task(gate.acquire(**ARGS))
    await until(lambda: gate.queued == 2)
    gate.observe(200, limits(remaining=2), 1)  # room for one more besides the probe
    assert (gate.in_flight, gate.queued) == (2, 1)  # granted to `first`, which has not run yet
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert second.done() and second.result() == 3
    assert (gate.in_flight, gate.queued) == (2, 0)
    gate.release()
    gate.release()
    assert gate.in_flight == 0


async def test_a_failed_probe_passes_the_role_on() -> None:
    gate = RateLimitGate()
    assert gate.try_acquire() == 1
    assert gate.try_acquire() == 0
    gate.release()  # a connection error: no answer, nothing learnt
    assert gate.try_acquire() == 2  # the next request is the probe
    assert gate.try_acquire() == 0
    gate.observe(200, {}, 2)
    gate.release()
    assert all(gate.try_acquire() for _ in range(100))  # no headers: no limit


async def test_a_call_queued_past_its_deadline_is_refused_unsent() -> None:
    gate = RateLimitGate(probe_patience=30)
    assert gate.try_acquire()
    args = {**ARGS, "deadline_at": time.monotonic() + 0.05}
    with pytest.raises(RateLimitError, match="not sent: the call's deadline passed"):
        await gate.acquire(**args)
    assert (gate.in_flight, gate.queued) == (1, 0)


async def test_a_known_hold_past_max_wait_is_refused_at_once() -> None:
    gate = RateLimitGate()
    assert gate.try_acquire()
    gate.observe(200, limits(remaining=0, reset=600), 1)
    gate.release()
    with pytest.raises(RateLimitError, match="not sent") as info:
        await gate.acquire(**ARGS)
    assert info.value.retry_after is not None and info.value.retry_after > 590
    assert gate.queued == 0


def test_the_budget_counts_requests_in_flight_and_renews_at_the_reset() -> None:
    now = [100.0]
    gate = RateLimitGate(clock=lambda: now[0])
    assert gate.try_acquire() == 1
    gate.observe(200, limits(remaining=5, reset=2), 1)
    gate.release()
    tickets = [gate.try_acquire() for _ in range(7)]
    assert tickets == [2, 3, 4, 5, 6, 0, 0]  # 5 left, 5 in flight
    assert gate.closed_for == pytest.approx(2.0)
    now[0] += 2.0  # the reset: the budget is x-ratelimit-limit (10) again
    assert [gate.try_acquire() for _ in range(6)] == [7, 8, 9, 10, 11, 0]  # 10 in flight


def test_an_answer_older_than_the_figures_cannot_raise_the_budget() -> None:
    gate = RateLimitGate(clock=lambda: 100.0)
    assert gate.try_acquire() == 1
    gate.observe(200, limits(remaining=5), 1)
    gate.release()
    assert [gate.try_acquire() for _ in range(6)] == [2, 3, 4, 5, 6, 0]
    # Ticket 3 was counted after ticket 2 but its answer comes back first.
    gate.observe(200, limits(remaining=3), 3)
    gate.release()
    gate.observe(200, limits(remaining=4), 2)  # older figures: ignored
    gate.release()
    assert gate.try_acquire() == 0  # 3 left, 3 in flight
    gate.observe(200, limits(remaining=2), 4)  # lower figures are always taken
    gate.release()
    assert gate.try_acquire() == 0  # 2 left, 2 in flight
    assert gate.info is not None and gate.info.remaining == 2


def test_a_429_spends_the_budget_until_its_cooldown_ends() -> None:
    now = [100.0]
    gate = RateLimitGate(clock=lambda: now[0])
    assert gate.try_acquire() == 1
    gate.observe(200, limits(remaining=50), 1)
    gate.release()
    assert gate.try_acquire() == 2
    until_at = gate.observe(429, {"retry-after": "3"}, 2)  # no x-ratelimit-* on this one
    gate.release()
    assert until_at == 103.0
    assert gate.try_acquire() == 0
    assert gate.try_acquire(waited_until=until_at) == 3  # the 429'd call's own retry
    gate.release()
    now[0] = 103.0
    assert gate.try_acquire() == 4  # cooldown over, budget back to the limit (10)
