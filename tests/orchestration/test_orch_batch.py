"""``run_and_wait``: many runs at once, the summary, failures, and stopping early."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any

import pytest

from telnyx_async import (
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    PollTimeoutError,
)
from telnyx_async.orchestration import BatchSummary, RunBatch, RunOutcome
from telnyx_async.testing import FakeClock, FakeTelnyx, Fault

RUBRIC = [
    {"name": "Accurate", "criteria": "Gives the right answer."},
    {"name": "Polite", "criteria": "Stays courteous."},
]


def batch_tasks() -> list[asyncio.Task[Any]]:
    """Unfinished tasks that belong to a RunBatch (the fake's own server tasks excluded)."""
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done() and getattr(t.get_coro(), "__qualname__", "").startswith("RunBatch.")
    ]


def add_tests(fake: FakeTelnyx, outcomes: list[str], **behaviour: Any) -> list[str]:
    ids = []
    for i, outcome in enumerate(outcomes):
        detail = {"Polite": "failed"} if outcome == "failed" else None
        test = fake.add_test(
            f"test {i:03d}", rubric=RUBRIC, outcome=outcome, detail=detail,
            duration=behaviour.get("duration", 1 + i % 7), start_delay=i % 3,
        )
        ids.append(test["test_id"])
    return ids


# --------------------------------------------------------------------------- many at once


async def test_200_runs_with_mixed_outcomes_stay_within_the_concurrency(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    cycle = itertools.cycle(["passed", "passed", "failed", "error", "timeout"])
    outcomes = [next(cycle) for _ in range(200)]
    ids = add_tests(fake, outcomes)
    summary = await client.ai.assistants.tests.run_and_wait(ids, concurrency=10)

    assert fake.max_in_flight <= 10
    assert summary.total == 200
    assert (summary.passed, summary.failed, summary.errored) == (80, 40, 80)
    assert not summary.all_passed
    assert summary.by_status == {"passed": 80, "failed": 40, "error": 40, "timeout": 40}
    assert [o.test_id for o in summary.outcomes] == ids  # input order
    assert all(o.error is None and o.run is not None for o in summary.outcomes)
    assert len(summary.failed_criteria) == 40
    assert {c.name for c in summary.failed_criteria} == {"Polite"}
    triggers = fake.requests.matching(method="POST", route="/ai/assistants/tests/{test_id}/runs")
    assert len(triggers) == 200
    assert len({r.headers["Idempotency-Key"] for r in triggers}) == 200


async def test_outcomes_stream_as_they_finish_and_the_summary_is_shared(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    slow = fake.add_test("slow", outcome="passed", duration=30)["test_id"]
    fast = fake.add_test("fast", outcome="failed", duration=1)["test_id"]
    batch = client.ai.assistants.tests.run_and_wait([slow, fast], concurrency=2)
    assert isinstance(batch, RunBatch)
    assert len(fake.requests) == 0  # nothing happens until it is used
    streamed = [o async for o in batch]
    assert [o.test_id for o in streamed] == [fast, slow]  # finish order
    summary = await batch
    assert summary is await batch
    assert [o.test_id for o in summary.outcomes] == [slow, fast]  # input order
    replay = [o async for o in batch]
    assert replay == streamed
    sent = len(fake.requests)
    await batch
    assert len(fake.requests) == sent  # the work ran once
    assert summary.wall_time >= 0
    fast_outcome = summary.outcomes[1]
    assert fast_outcome.outcome == "failed"
    assert fast_outcome.duration == pytest.approx(1.0)  # completed_at - created_at
    json.dumps(summary.to_dict())  # JSON-ready


async def test_one_failing_trigger_does_not_stop_the_others(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    ids = add_tests(fake, ["passed"] * 5)
    broken = ids[2]
    # three 500s: the first attempt and both retries fail
    fake.enqueue(*[Fault.status(500)] * 3, method="POST", path=f"/ai/assistants/tests/{broken}/runs")
    summary = await client.ai.assistants.tests.run_and_wait(ids, concurrency=3)
    assert summary.total == 5
    assert summary.passed == 4
    assert summary.errored == 1
    bad = summary.outcomes[2]
    assert bad.test_id == broken
    assert bad.run is None and bad.status == "error" and bad.outcome == "error"
    assert isinstance(bad.error, InternalServerError)
    assert all(o.error is None for i, o in enumerate(summary.outcomes) if i != 2)


async def test_one_failing_poll_is_recorded_with_the_last_run_seen(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    ids = add_tests(fake, ["passed"] * 3, duration=5)
    fake.enqueue(Fault.status(404), method="GET", route="/ai/assistants/tests/{test_id}/runs/{run_id}")
    summary = await client.ai.assistants.tests.run_and_wait(ids)
    assert summary.passed == 2 and summary.errored == 1
    bad = next(o for o in summary.outcomes if o.error is not None)
    assert isinstance(bad.error, NotFoundError)
    assert bad.run is not None and bad.run.status in ("pending", "running")  # as triggered


async def test_the_batch_deadline_ends_runs_that_never_finish(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    done, stuck = add_tests(fake, ["passed", "running"], duration=2)
    summary = await client.ai.assistants.tests.run_and_wait([done, stuck], deadline=60)
    assert summary.outcomes[0].passed
    late = summary.outcomes[1]
    assert isinstance(late.error, PollTimeoutError)
    assert late.run is not None and late.status == "running"
    assert late.outcome == "error"


async def test_arguments_are_checked_before_any_request(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    tests = client.ai.assistants.tests
    with pytest.raises(ValueError, match="concurrency"):
        tests.run_and_wait(["a"], concurrency=0)
    with pytest.raises(TypeError, match="test_ids"):
        tests.run_and_wait("abc")
    with pytest.raises(ValueError, match="suite_name"):
        tests.test_suites.run_and_wait("a/b")
    with pytest.raises(ValueError, match="poll_interval"):
        tests.test_suites.run_and_wait("demo", poll_interval=-1)
    assert len(fake.requests) == 0


# --------------------------------------------------------------------------- suites


async def test_suite_run_and_wait_names_each_outcome(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    fake.seed_demo()
    batch = client.ai.assistants.tests.test_suites.run_and_wait("demo", concurrency=4)
    assert batch.size is None
    seen: list[RunOutcome] = []
    async for outcome in batch:
        assert batch.size == 6
        seen.append(outcome)
    summary = await batch
    assert len(seen) == 6
    assert summary.suite == "demo"
    assert (summary.passed, summary.failed, summary.errored) == (4, 2, 0)
    assert {o.test for o in summary.outcomes} == {
        t["name"] for t in fake.tests.values() if t.get("test_suite") == "demo"
    }
    failed = {(c.test, c.name) for c in summary.failed_criteria}
    assert failed == {("Handles a refund request", "Accurate"), ("Stays on topic", "Polite")}
    assert len(fake.requests.matching(method="POST")) == 1  # one suite trigger
    assert fake.max_in_flight <= 4
    runs = {o.run.test_suite_run_id for o in summary.outcomes if o.run is not None}
    assert len(runs) == 1


async def test_a_failed_suite_trigger_is_raised(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    batch = client.ai.assistants.tests.test_suites.run_and_wait("no-such-suite")
    with pytest.raises(NotFoundError):
        await batch
    with pytest.raises(NotFoundError):
        async for _ in batch:
            pass


# --------------------------------------------------------------------------- stopping early


async def test_breaking_out_of_the_loop_stops_the_batch(
    client: AsyncTelnyx, fake: FakeTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    ids = add_tests(fake, ["passed"] * 20, duration=1)
    fake.configure_test(ids[0], duration=0)  # one finishes at once
    batch = client.ai.assistants.tests.run_and_wait(ids, concurrency=5)
    with caplog.at_level(logging.WARNING):
        async for outcome in batch:
            assert outcome.passed
            break
        with pytest.raises(RuntimeError, match="stopped"):
            await batch
    assert batch.done
    assert batch_tasks() == []
    assert not [r for r in caplog.records if r.name == "asyncio"]


async def test_async_with_stops_the_batch_on_exit(
    client: AsyncTelnyx, fake: FakeTelnyx, clock: FakeClock
) -> None:
    ids = add_tests(fake, ["passed"] * 10, duration=1)
    fake.configure_test(ids[0], duration=0)
    async with client.ai.assistants.tests.run_and_wait(ids, concurrency=3) as batch:
        async for _ in batch:
            break
    assert batch_tasks() == []
    sent = len(fake.requests)
    clock.advance(10)
    await client.ai.assistants.tests.list()
    assert len(fake.requests) == sent + 1  # nothing of the batch went out after it stopped
    with pytest.raises(RuntimeError):
        async for _ in batch:
            pass


async def test_cancelling_the_await_cancels_every_task(fake: FakeTelnyx, clock: FakeClock) -> None:
    parked = asyncio.Event()
    pauses = 0

    async def sleep(seconds: float) -> None:
        nonlocal pauses
        pauses += 1
        clock.advance(seconds)
        if pauses >= 5:
            parked.set()
            await asyncio.Event().wait()

    ids = add_tests(fake, ["passed"] * 8, duration=100)
    async with fake.client(sleep=sleep) as client:
        batch = client.ai.assistants.tests.run_and_wait(ids, concurrency=4)

        async def consume() -> BatchSummary:
            return await batch

        task = asyncio.create_task(consume())
        await parked.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert batch_tasks() == []
        assert batch.done
        sent = len(fake.requests)
        await client.ai.assistants.tests.list()
        assert len(fake.requests) == sent + 1


async def test_cancelling_the_iterating_task_cancels_every_task(
    fake: FakeTelnyx, clock: FakeClock
) -> None:
    ids = add_tests(fake, ["passed"] * 6, duration=100)
    fake.configure_test(ids[0], duration=0)
    got_one = asyncio.Event()

    async def sleep(seconds: float) -> None:  # the fake's time stands still
        await asyncio.sleep(0)

    async with fake.client(sleep=sleep) as client:
        batch = client.ai.assistants.tests.run_and_wait(ids, concurrency=3, poll_interval=0.01)

        async def consume() -> None:
            async for _ in batch:
                got_one.set()

        task = asyncio.create_task(consume())
        await got_one.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert batch_tasks() == []  # already gone when the cancelled task ends
        with pytest.raises(RuntimeError, match="stopped"):
            await batch
