"""Admission control by the default throttle: the budget, FIFO, cancellation, deadlines.

Most tests drive a FakeTelnyx whose rate limiter runs on a FakeClock (the
``fake`` fixture), so its bucket only refills when told to, and use
``fake.hold()`` to freeze requests at the server. The throttle itself runs on
real time; only ``test_real_time_the_queue_goes_out_after_the_reset`` waits
for a reset (about 1 s), and the whole file waits well under 2 s in total.

The throttle is driven through its protocol (``admit``/``learn``) with
hand-made answers in the tests of the throttle alone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async import (
    AdaptiveThrottle,
    AsyncTelnyx,
    RateLimitError,
    Response,
    Timeout,
    build_request,
)
from telnyx_async._adaptive import CUT_TO, INCREASE
from telnyx_async._http import RequestDefaults
from telnyx_async.testing import FakeClock, FakeTelnyx

DEFAULTS = RequestDefaults(base_url="http://test", headers={}, timeout=Timeout())
REQUEST = build_request(DEFAULTS, "GET", "/x")


def limits(remaining: int, reset: float = 0, limit: int = 10) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
    }


def answer(status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        status=status, headers=CIMultiDictProxy(CIMultiDict(headers or {})), body=b"{}",
        elapsed=0.0, request=REQUEST,
    )


def admit_now(throttle: AdaptiveThrottle) -> int:
    """The ticket of an admission that must not wait (0 when it would)."""
    return throttle._try_admit()


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Yield to the loop until ``predicate()`` holds (fails after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.001)


async def list_tests(client: AsyncTelnyx) -> Any:
    return await client.ai.assistants.tests.list()


def throttle_of(client: AsyncTelnyx) -> AdaptiveThrottle:
    throttle = client.throttle
    assert isinstance(throttle, AdaptiveThrottle)
    return throttle


# ------------------------------------------------------------------ through the client


async def test_a_fresh_client_sends_its_first_burst_at_once(fake: FakeTelnyx) -> None:
    # No probe: before any answer there is nothing to meter by, so the first
    # burst goes out together, as a plain HTTP client's would (S7).
    fake.add_test("One")
    fake.set_rate_limit(rate_per_second=100, burst=100)
    async with fake.client() as client:
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(50)]
        await fake.wait_in_flight(50)
        throttle = throttle_of(client)
        assert (throttle.in_flight, throttle.queued) == (50, 0)
        fake.release()
        pages = await asyncio.gather(*calls)
    assert all(len(page.data) == 1 for page in pages)
    assert fake.max_in_flight == 50
    assert fake.rate_limited_count == 0


async def test_the_budget_caps_what_goes_out_before_the_reset(
    fake: FakeTelnyx, clock: FakeClock
) -> None:
    # The fake's bucket runs on a clock that does not move: 10 tokens, no refill.
    # A first call teaches the client the budget (9 left); then 50 at once.
    fake.set_rate_limit(rate_per_second=10, burst=10)
    async with fake.client() as client:
        await list_tests(client)
        calls = [asyncio.create_task(list_tests(client)) for _ in range(50)]
        await until(lambda: len(fake.requests) == 10 and throttle_of(client).in_flight == 0)
        throttle = throttle_of(client)
        await asyncio.sleep(0.05)  # nothing else may leave while the budget is spent
        assert len(fake.requests) == 10
        assert all(rec.status == 200 for rec in fake.requests)
        assert fake.rate_limited_count == 0
        assert throttle.queued == 41
        assert 0.5 < throttle.closed_for <= 1.0  # x-ratelimit-reset: 1
        assert client.rate_limit is not None and client.rate_limit.remaining == 0
        assert sum(call.done() for call in calls) == 9
        for call in calls:
            call.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        assert (throttle.queued, throttle.in_flight) == (0, 0)
    assert clock.now() == 1000.0


async def test_a_server_without_rate_limit_headers_is_never_throttled(
    fake: FakeTelnyx,
) -> None:
    async with fake.client() as client:
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(20)]
        await fake.wait_in_flight(20)  # all at once
        fake.release()
        await asyncio.gather(*calls)
        assert client.rate_limit is None
        fake.hold()
        more = [asyncio.create_task(list_tests(client)) for _ in range(30)]
        await fake.wait_in_flight(30)
        assert throttle_of(client).queued == 0
        fake.release()
        await asyncio.gather(*more)
    assert fake.max_in_flight == 30


async def test_cancelled_requests_leak_no_slot(fake: FakeTelnyx) -> None:
    # A budget of 1: one request on the wire, the rest queued at the throttle.
    fake.set_rate_limit(rate_per_second=1000, burst=1000)
    async with fake.client() as client:
        await list_tests(client)  # learns the budget: 999 left
        throttle = throttle_of(client)
        throttle._remaining = 1  # as if the account had one request left
        fake.hold()
        calls = [asyncio.create_task(list_tests(client)) for _ in range(10)]
        await fake.wait_in_flight(1)
        await until(lambda: throttle.queued == 9)
        first, queued = calls[0], calls[1:]
        for call in queued[:4]:  # cancelled while queued at the throttle
            call.cancel()
        first.cancel()  # cancelled while on the wire: its slot passes to the next in line
        await asyncio.gather(first, *queued[:4], return_exceptions=True)
        assert all(call.cancelled() for call in calls[:5])
        await until(lambda: len(fake.requests) == 3)  # the next in line went out
        assert (throttle.in_flight, throttle.queued) == (1, 4)
        fake.release()
        await asyncio.gather(*queued[4:])
        assert (throttle.in_flight, throttle.queued) == (0, 0)
        page = await client.ai.assistants.tests.list()  # later calls still go
        assert page.data == []
        assert throttle.in_flight == 0


async def test_real_time_the_queue_goes_out_after_the_reset() -> None:
    # No FakeClock anywhere: the bucket refills in real time and the gate's
    # timer fires at the reset (x-ratelimit-reset: 1).
    async with FakeTelnyx() as fake:
        fake.set_rate_limit(rate_per_second=20, burst=5)
        async with fake.client() as client:
            # The first answer brings the budget (4 left); 9 more at once then wait for it.
            pages = [await client.ai.assistants.tests.list()]
            pages += await asyncio.gather(
                *(client.ai.assistants.tests.list() for _ in range(9))
            )
            assert (throttle_of(client).in_flight, throttle_of(client).queued) == (0, 0)
    assert len(pages) == 10
    assert fake.rate_limited_count == 0
    assert len(fake.requests) == 10
    arrivals = sorted(rec.received_at for rec in fake.requests)
    assert arrivals[-1] - arrivals[0] >= 0.9  # the later ones waited for the reset


# ------------------------------------------------------------------ the throttle alone


async def test_a_slot_granted_to_a_cancelled_waiter_is_handed_on() -> None:
    throttle = AdaptiveThrottle()
    first_ticket = await throttle.admit(REQUEST)
    await throttle.learn(first_ticket, answer(headers=limits(remaining=1)))
    held = await throttle.admit(REQUEST)  # 1 left, now 1 in flight: the rest queue
    first = asyncio.create_task(throttle.admit(REQUEST))
    second = asyncio.create_task(throttle.admit(REQUEST))
    await until(lambda: throttle.queued == 2)
    await throttle.learn(held, answer(headers=limits(remaining=1)))  # room for one: `first`
    assert (throttle.in_flight, throttle.queued) == (1, 1)  # granted to `first`, not run yet
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert second.done() and second.result() == 4
    assert (throttle.in_flight, throttle.queued) == (1, 0)
    await throttle.learn(second.result(), None)
    assert throttle.in_flight == 0


async def test_a_failed_request_gives_its_slot_back_and_teaches_nothing() -> None:
    throttle = AdaptiveThrottle()
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, None)  # a connection error: no answer, nothing learnt
    assert throttle.in_flight == 0 and throttle.info is None
    tickets = [await throttle.admit(REQUEST) for _ in range(100)]
    assert tickets == list(range(2, 102))  # no figures: no limit


async def test_a_call_queued_past_its_deadline_is_refused_unsent() -> None:
    throttle = AdaptiveThrottle()
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, answer(headers=limits(remaining=1)))
    await throttle.admit(REQUEST)  # the one request the budget allows, still out
    timed = build_request(DEFAULTS, "GET", "/x", started_at=time.monotonic() - 180 + 0.05)
    with pytest.raises(RateLimitError, match="not sent: the call's deadline passed"):
        await throttle.admit(timed)
    assert (throttle.in_flight, throttle.queued) == (1, 0)


async def test_a_known_hold_past_max_wait_is_refused_at_once() -> None:
    throttle = AdaptiveThrottle()
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, answer(headers=limits(remaining=0, reset=600)))
    with pytest.raises(RateLimitError, match="not sent") as info:
        await throttle.admit(REQUEST)
    assert info.value.retry_after is not None and info.value.retry_after > 590
    assert throttle.queued == 0


async def test_the_budget_counts_requests_in_flight_and_renews_at_the_reset() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, answer(headers=limits(remaining=5, reset=2)))
    tickets = [admit_now(throttle) for _ in range(7)]
    assert tickets == [2, 3, 4, 5, 6, 0, 0]  # 5 left, 5 in flight
    assert throttle.closed_for == pytest.approx(2.0)
    now[0] += 2.0  # the reset: the budget is x-ratelimit-limit (10) again
    assert [admit_now(throttle) for _ in range(6)] == [7, 8, 9, 10, 11, 0]  # 10 in flight


async def test_an_answer_older_than_the_figures_cannot_raise_the_budget() -> None:
    throttle = AdaptiveThrottle(clock=lambda: 100.0)
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, answer(headers=limits(remaining=5)))
    assert [admit_now(throttle) for _ in range(6)] == [2, 3, 4, 5, 6, 0]
    # Ticket 3 was counted after ticket 2 but its answer comes back first.
    await throttle.learn(3, answer(headers=limits(remaining=3)))
    await throttle.learn(2, answer(headers=limits(remaining=4)))  # older figures: ignored
    assert admit_now(throttle) == 0  # 3 left, 3 in flight
    await throttle.learn(4, answer(headers=limits(remaining=2)))  # lower figures are taken
    assert admit_now(throttle) == 0  # 2 left, 2 in flight
    assert throttle.info is not None and throttle.info.remaining == 2


async def test_a_429_that_says_the_account_is_spent_holds_everyone() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, answer(headers=limits(remaining=50)))
    ticket = admit_now(throttle)
    await throttle.learn(ticket, answer(429, {"retry-after": "3", **limits(remaining=0)}))
    assert admit_now(throttle) == 0
    assert throttle.closed_for == pytest.approx(3.0)
    now[0] = 103.0
    assert admit_now(throttle) == 3  # cooldown over, budget back to the limit (10)


async def test_a_429_without_figures_holds_nobody_else() -> None:
    # One refused request among answers that had budget left: evidence of a
    # briefly limited route or node, not of a spent account (S6b).
    throttle = AdaptiveThrottle(clock=lambda: 100.0)
    ticket = await throttle.admit(REQUEST)
    await throttle.learn(ticket, answer(headers=limits(remaining=50)))
    ticket = admit_now(throttle)
    await throttle.learn(ticket, answer(429, {"retry-after": "3"}))
    assert admit_now(throttle) == 3
    assert throttle.closed_for == 0.0 and throttle.rate is None


async def _answers(throttle: AdaptiveThrottle, statuses: list[int]) -> None:
    for status in statuses:
        ticket = await throttle.admit(REQUEST)
        await throttle.learn(ticket, answer(status, {"retry-after": "1"} if status == 429 else {}))


async def test_sporadic_429s_never_pace_the_client() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    for _ in range(5):  # one 429 in every 50 answers, five times over
        await _answers(throttle, [200] * 49 + [429])
        now[0] += 0.1
    assert throttle.rate is None
    assert admit_now(throttle) > 0


async def test_a_real_share_of_429s_paces_at_most_what_the_server_let_through() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    # A burst against a limit: the third 429 makes refusals 10% of the answers.
    await _answers(throttle, [200] * 25 + [429] * 3)
    # 25 answered within the last second: the pace is CUT_TO (95%) of that.
    pace = CUT_TO * 25
    assert throttle.rate == pytest.approx(pace)
    # Requests are now spaced 1/pace s apart, one slot of burst.
    assert admit_now(throttle) > 0
    assert admit_now(throttle) == 0
    assert throttle.closed_for == pytest.approx(1 / pace)


async def test_the_pace_grows_by_a_share_of_the_cut_per_second_then_probes_and_is_forgotten() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0], forget_after=30.0)
    await _answers(throttle, [200] * 20 + [429] * 3)
    cut = CUT_TO * 20
    assert throttle.rate == pytest.approx(cut)
    # Within PROBE_AFTER of the cut: additive, INCREASE of the cut's rate per second.
    now[0] += 0.5
    await _answers(throttle, [200])
    grown = cut + 0.5 * INCREASE * cut
    assert throttle.rate == pytest.approx(grown)
    # Past it with no new cut: half of itself per second (the room is evidently there).
    now[0] += 1.5
    await _answers(throttle, [200])
    assert throttle.rate == pytest.approx(grown * 1.5**1.5)
    now[0] += 31.0  # no 429 for longer than forget_after
    assert admit_now(throttle) > 0
    assert throttle.rate is None


async def test_answers_to_requests_sent_before_a_cut_do_not_cut_again() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    early = [await throttle.admit(REQUEST) for _ in range(10)]  # in flight before the cut
    await _answers(throttle, [200] * 20 + [429] * 3)
    first = throttle.rate
    assert first is not None
    # The ten requests sent before the cut come back refused: the same excess
    # the cut already answered, so the pace stays.
    for ticket in early:
        await throttle.learn(ticket, answer(429, {"retry-after": "1"}))
    assert throttle.rate == first


async def test_a_second_cut_measures_over_the_time_since_the_first() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    await _answers(throttle, [200] * 20 + [429] * 3)
    assert throttle.rate == pytest.approx(CUT_TO * 20)
    # Requests go out at the pace (one every 0.06 s); 8 get through, then the
    # 9th is refused: 1 of 9 answers, all sent after the cut, cuts again, to
    # CUT_TO of what got through over the 0.54 s since the cut (not over a
    # whole second, which would read 8/s and cut far too deep).
    for status in [200] * 8 + [429]:
        now[0] += 0.06
        ticket = admit_now(throttle)
        assert ticket > 0
        await throttle.learn(ticket, answer(status, {"retry-after": "1"} if status == 429 else {}))
    assert throttle.rate == pytest.approx(CUT_TO * 8 / 0.54)


async def test_a_second_cut_needs_new_evidence() -> None:
    now = [100.0]
    throttle = AdaptiveThrottle(clock=lambda: now[0])
    await _answers(throttle, [200] * 20 + [429] * 3)
    first = throttle.rate
    now[0] += 0.5
    await _answers(throttle, [429])  # one refusal right after the cut: not enough answers
    assert throttle.rate == first
