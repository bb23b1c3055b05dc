"""Errors, orchestration and the testing helpers, as users write them (type-checked only).

Not executed: ``test_typing.py`` runs mypy --strict and pyright (strict) on it.
"""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import assert_type

from telnyx_async import (
    APIConnectionError,
    APIStatusError,
    AsyncTelnyx,
    ErrorDetail,
    NotFoundError,
    PollTimeoutError,
    RateLimitError,
    RateLimitInfo,
    TelnyxError,
)
from telnyx_async.cli import junit_report
from telnyx_async.orchestration import BatchSummary, RunBatch, RunOutcome, is_terminal
from telnyx_async.testing import FakeClock, FakeTelnyx, Fault, RecordedRequest, RequestLog


async def errors(client: AsyncTelnyx) -> None:
    try:
        await client.ai.assistants.retrieve("nope")
    except NotFoundError as err:
        assert_type(err.status_code, int)
        assert_type(err.request_id, str | None)
        assert_type(err.errors, list[ErrorDetail])
        assert_type(err.errors[0].source_pointer, str | None)
        assert_type(err.headers, Mapping[str, str])
        assert_type(err.body, str)
        assert_type(err.rate_limit, RateLimitInfo)
    except RateLimitError as err:
        assert_type(err.retry_after, float | None)
    except APIStatusError as err:
        assert_type(err.method, str | None)
    except APIConnectionError as err:
        assert_type(err.request_sent, bool)
    except TelnyxError:
        pass


async def orchestration(client: AsyncTelnyx) -> None:
    batch = client.ai.assistants.tests.test_suites.run_and_wait("smoke", concurrency=4)
    assert_type(batch, RunBatch)
    async for outcome in batch:
        assert_type(outcome, RunOutcome)
        assert_type(outcome.passed, bool)
        assert_type(outcome.failed_criteria, list[str])
    summary = await batch
    assert_type(summary, BatchSummary)
    assert_type(summary.by_status, dict[str, int])
    junit_report(summary).write("junit.xml")
    assert_type(await client.ai.assistants.tests.run_and_wait(["t1", "t2"]), BatchSummary)
    assert_type(is_terminal("passed"), bool)
    try:
        await client.ai.assistants.tests.runs.wait("r", test_id="t", deadline=60)
    except PollTimeoutError as err:
        print(err.last_run)


async def testing() -> None:
    clock = FakeClock()
    async with FakeTelnyx(clock=clock) as fake:
        assert_type(fake, FakeTelnyx)
        assert_type(fake.url, str)
        fake.enqueue(Fault.status(503), Fault.rate_limited(retry_after=2), method="GET")
        fake.add_test("Greets", test_suite="smoke", outcome="failed")
        async with fake.client(max_retries=0) as client:
            assert_type(client, AsyncTelnyx)
        assert_type(fake.requests, RequestLog)
        assert_type(fake.requests.last, RecordedRequest)
        assert_type(fake.requests.last.status, int | None)
        assert_type(clock.advance(5), float)
