"""``runs.wait``: polling one run to a final status, deadlines, stalls, cancellation."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from telnyx_async import (
    APITimeoutError,
    AsyncTelnyx,
    NotFoundError,
    PollTimeoutError,
    Timeout,
)
from telnyx_async.orchestration import TERMINAL_STATUSES, is_terminal
from telnyx_async.testing import FakeClock, FakeTelnyx, Fault

RUNS = "/ai/assistants/tests/{test_id}/runs"


def run_path(test_id: str, run_id: str) -> str:
    return f"/ai/assistants/tests/{test_id}/runs/{run_id}"


async def start_run(client: AsyncTelnyx, fake: FakeTelnyx, **behaviour: Any) -> tuple[str, str]:
    test = fake.add_test("Checks the greeting", **behaviour)
    run = await client.ai.assistants.tests.runs.trigger(test["test_id"])
    return test["test_id"], run.run_id


def scripted(fake: FakeTelnyx, run_id: str, status: str) -> Fault:
    """A 200 answer showing the run in ``status`` (the fake's own render, status swapped)."""
    body = dict(fake.runs[run_id])
    body["status"] = status
    for key in ("completed_at", "detail_status", "logs", "conversation_insights_id"):
        body.pop(key, None)
    return Fault.status(200, body=body)


def gets(fake: FakeTelnyx, test_id: str, run_id: str) -> int:
    return len(fake.requests.matching(method="GET", path=run_path(test_id, run_id)))


# --------------------------------------------------------------------------- terminal statuses


def test_terminal_statuses_and_helper() -> None:
    assert frozenset(
        {"passed", "failed", "error", "completed", "timeout", "canceled", "cancelled"}
    ) == TERMINAL_STATUSES
    for status in ("pending", "starting", "running", "queued_for_review", ""):
        assert not is_terminal(status)
    for status in TERMINAL_STATUSES:
        assert is_terminal(status)


async def test_status_sequence_pending_starting_running_passed(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any
) -> None:
    test_id, run_id = await start_run(client, fake, outcome="passed", duration=5)
    path = run_path(test_id, run_id)
    fake.enqueue(
        scripted(fake, run_id, "pending"),
        scripted(fake, run_id, "starting"),
        scripted(fake, run_id, "running"),
        path=path,
    )
    vsleep.clock.advance(10)  # the real answer after the scripted ones: passed
    run = await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id)
    assert run.status == "passed"
    assert run.detail_status and all(item.status == "passed" for item in run.detail_status)
    assert gets(fake, test_id, run_id) == 4
    # the first poll is immediate; then pauses of ~1, ~1.5, ~2.25 s (+-15 % jitter)
    assert len(vsleep.delays) == 3
    for delay, expected in zip(vsleep.delays, (1.0, 1.5, 2.25), strict=True):
        assert expected * 0.85 <= delay <= expected * 1.15


@pytest.mark.parametrize("status", sorted(TERMINAL_STATUSES))
async def test_wait_returns_on_each_terminal_status(
    client: AsyncTelnyx, fake: FakeTelnyx, status: str
) -> None:
    test_id, run_id = await start_run(client, fake, outcome=status, duration=4, start_delay=1)
    run = await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id)
    assert run.status == status
    assert gets(fake, test_id, run_id) >= 3  # pending, running, ... then final


async def test_interval_backs_off_up_to_the_maximum(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any
) -> None:
    test_id, run_id = await start_run(client, fake, outcome="passed", duration=60)
    run = await client.ai.assistants.tests.runs.wait(
        run_id, test_id=test_id, poll_interval=2, max_poll_interval=5
    )
    assert run.status == "passed"
    assert max(vsleep.delays) <= 5
    assert vsleep.delays[-1] > 4  # it got to (about) the cap
    assert sum(vsleep.delays) >= 60


async def test_bad_arguments_fail_before_any_request(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    runs = client.ai.assistants.tests.runs
    with pytest.raises(ValueError, match="poll_interval"):
        await runs.wait("r", test_id="t", poll_interval=0)
    with pytest.raises(ValueError, match="max_poll_interval"):
        await runs.wait("r", test_id="t", poll_interval=5, max_poll_interval=1)
    with pytest.raises(ValueError, match="deadline"):
        await runs.wait("r", test_id="t", deadline=-1)
    with pytest.warns(DeprecationWarning, match="deadline"), pytest.raises(ValueError, match="timeout"):
        await runs.wait("r", test_id="t", timeout=-1)  # the old name, in the message too
    with pytest.raises(ValueError, match="test_id"):
        await runs.wait("r", test_id="")
    assert len(fake.requests) == 0


# --------------------------------------------------------------------------- deadlines


async def test_deadline_raises_poll_timeout_with_the_last_run(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any
) -> None:
    test_id, run_id = await start_run(client, fake, outcome="running")  # never finishes
    started = time.monotonic()
    with pytest.raises(PollTimeoutError) as info:
        await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id, deadline=30)
    assert time.monotonic() - started < 5  # fake time, not wall time
    last = info.value.last_run
    assert last is not None
    assert last.run_id == run_id
    assert last.status == "running"
    assert "30s" in str(info.value)
    assert sum(vsleep.delays) == pytest.approx(30)  # the last pause is cut to the deadline


async def test_default_deadline_is_an_hour_and_a_bit(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any
) -> None:
    test_id, run_id = await start_run(client, fake, outcome="running")
    with pytest.raises(PollTimeoutError):
        await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id)
    assert sum(vsleep.delays) == pytest.approx(3900)
    assert max(vsleep.delays) <= 15


async def test_a_stalled_poll_ends_at_the_deadline(fake: FakeTelnyx, vsleep: Any) -> None:
    # The per-attempt timeout (60 s) is far longer than the wait's deadline: the
    # poll's own timeout must be cut to the time left.
    async with fake.client(sleep=vsleep, timeout=Timeout(total=60)) as client:
        test_id, run_id = await start_run(client, fake, outcome="running")
        fake.enqueue(Fault.delay(30), path=run_path(test_id, run_id))
        started = time.monotonic()
        with pytest.raises(PollTimeoutError) as info:
            await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id, deadline=0.5)
        elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 2.0
    assert isinstance(info.value.__cause__, APITimeoutError)
    assert info.value.last_run is None  # the only poll never answered


# --------------------------------------------------------------------------- errors while polling


async def test_server_errors_while_polling_are_waited_through(
    client: AsyncTelnyx, fake: FakeTelnyx, caplog: pytest.LogCaptureFixture
) -> None:
    test_id, run_id = await start_run(client, fake, outcome="passed", duration=3)
    # three 503s: the client's two retries are used up, the wait tries again later
    fake.enqueue(*[Fault.status(503)] * 3, path=run_path(test_id, run_id))
    with caplog.at_level(logging.WARNING, logger="telnyx_async"):
        run = await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id)
    assert run.status == "passed"
    assert any("trying again" in r.getMessage() for r in caplog.records)


async def test_a_404_while_polling_is_raised(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    test_id, _ = await start_run(client, fake, outcome="passed")
    with pytest.raises(NotFoundError):
        await client.ai.assistants.tests.runs.wait("no-such-run", test_id=test_id)


# --------------------------------------------------------------------------- unknown statuses


async def test_unknown_status_is_logged_once_per_run_and_status(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any, caplog: pytest.LogCaptureFixture
) -> None:
    test_id, run_id = await start_run(client, fake, outcome="passed", duration=100)
    fake.enqueue(
        scripted(fake, run_id, "queued_for_review"),
        scripted(fake, run_id, "queued_for_review"),
        scripted(fake, run_id, "warming_up"),
        scripted(fake, run_id, "queued_for_review"),
        path=run_path(test_id, run_id),
    )
    vsleep.clock.advance(200)
    with caplog.at_level(logging.WARNING, logger="telnyx_async"):
        run = await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id)
    assert run.status == "passed"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "'queued_for_review'" in warnings[0].getMessage()
    assert "'warming_up'" in warnings[1].getMessage()
    assert run_id in warnings[0].getMessage()


# --------------------------------------------------------------------------- cancellation


async def test_cancelling_wait_sends_nothing_more_and_the_run_goes_on(
    fake: FakeTelnyx, clock: FakeClock
) -> None:
    parked = asyncio.Event()
    pauses = 0

    async def sleep(seconds: float) -> None:
        nonlocal pauses
        pauses += 1
        clock.advance(seconds)
        if pauses == 2:  # park in the second pause, with no request in flight
            parked.set()
            await asyncio.Event().wait()

    async with fake.client(sleep=sleep) as client:
        test_id, run_id = await start_run(client, fake, outcome="passed", duration=50)
        task = asyncio.create_task(client.ai.assistants.tests.runs.wait(run_id, test_id=test_id))
        await parked.wait()
        sent = len(fake.requests)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(fake.requests) == sent
        # The run was not cancelled at Telnyx (there is no such endpoint): it finishes.
        clock.advance(100)
        run = await client.ai.assistants.tests.runs.retrieve(run_id, test_id=test_id)
        assert run.status == "passed"
        assert len(fake.requests) == sent + 1
        assert gets(fake, test_id, run_id) == 3  # two polls by wait(), one by us
