"""One word, one meaning: a whole wait's limit is its ``deadline``; ``timeout=`` is the old name.

``timeout`` in this SDK limits one attempt (``Timeout``, and ``timeout=`` on
every CRUD call). ``runs.wait``, ``run_and_wait``, ``wait_for_run``,
``RunBatch`` and ``DEFAULT_WAIT_TIMEOUT`` used it for a whole wait; they take
``deadline`` now and keep the old name working with a ``DeprecationWarning``.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import telnyx_async.orchestration as orchestration
from telnyx_async import AsyncTelnyx, PollTimeoutError
from telnyx_async.cli import main
from telnyx_async.orchestration import DEFAULT_WAIT_DEADLINE, wait_for_run
from telnyx_async.testing import FakeTelnyx


async def stuck_run(client: AsyncTelnyx, fake: FakeTelnyx) -> tuple[str, str]:
    test = fake.add_test("Never ends", outcome="running")
    run = await client.ai.assistants.tests.runs.trigger(test["test_id"])
    return test["test_id"], run.run_id


async def test_runs_wait_takes_a_deadline_without_warning(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any
) -> None:
    test_id, run_id = await stuck_run(client, fake)
    with warnings.catch_warnings(), pytest.raises(PollTimeoutError, match="20s"):
        warnings.simplefilter("error", DeprecationWarning)
        await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id, deadline=20)
    assert sum(vsleep.delays) == pytest.approx(20)


async def test_runs_wait_timeout_still_works_and_warns(
    client: AsyncTelnyx, fake: FakeTelnyx, vsleep: Any
) -> None:
    test_id, run_id = await stuck_run(client, fake)
    warned = pytest.warns(DeprecationWarning, match=r"runs\.wait\(timeout=\.\.\.\).*deadline")
    with warned as seen, pytest.raises(PollTimeoutError, match="20s"):
        await client.ai.assistants.tests.runs.wait(run_id, test_id=test_id, timeout=20)
    assert sum(vsleep.delays) == pytest.approx(20)
    assert seen[0].filename == __file__  # the warning points at the caller


async def test_giving_both_names_is_a_type_error(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError, match="deadline"):
        await client.ai.assistants.tests.runs.wait("r", test_id="t", deadline=5, timeout=5)
    with pytest.raises(TypeError, match="deadline"):
        client.ai.assistants.tests.run_and_wait(["t"], deadline=5, timeout=5)
    assert len(fake.requests) == 0


async def test_run_and_wait_takes_a_deadline_and_warns_on_timeout(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    done = fake.add_test("Done", duration=1)["test_id"]
    stuck = fake.add_test("Stuck", outcome="running")["test_id"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        summary = await client.ai.assistants.tests.run_and_wait([done, stuck], deadline=30)
    assert summary.passed == 1 and isinstance(summary.outcomes[1].error, PollTimeoutError)
    with pytest.warns(DeprecationWarning, match=r"tests\.run_and_wait\(timeout="):
        batch = client.ai.assistants.tests.run_and_wait([done, stuck], timeout=30)
    summary = await batch
    assert summary.passed == 1 and isinstance(summary.outcomes[1].error, PollTimeoutError)
    with pytest.warns(DeprecationWarning, match="deadline"), pytest.raises(ValueError, match="timeout"):
        client.ai.assistants.tests.run_and_wait([done], timeout=0)
    with pytest.raises(ValueError, match="deadline"):
        client.ai.assistants.tests.run_and_wait([done], deadline=0)


async def test_suite_run_and_wait_warns_on_timeout(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    fake.add_test("One", test_suite="s", duration=1)
    with pytest.warns(DeprecationWarning, match=r"test_suites\.run_and_wait\(timeout="):
        batch = client.ai.assistants.tests.test_suites.run_and_wait("s", timeout=60)
    assert (await batch).passed == 1
    summary = await client.ai.assistants.tests.test_suites.run_and_wait("s", deadline=60)
    assert summary.passed == 1


async def test_wait_for_run_and_run_batch_take_both_names(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    test_id, run_id = await stuck_run(client, fake)
    runs = client.ai.assistants.tests.runs
    context = runs._context
    with pytest.raises(PollTimeoutError):
        await wait_for_run(runs, context, run_id, test_id=test_id, deadline=10)
    with pytest.warns(DeprecationWarning, match=r"wait_for_run\(timeout="), pytest.raises(
        PollTimeoutError
    ):
        await wait_for_run(runs, context, run_id, test_id=test_id, timeout=10)
    tests = client.ai.assistants.tests
    options: dict[str, Any] = {
        "test_ids": [test_id],
        "destination_version_id": "v",
        "concurrency": 1,
        "poll_interval": 1.0,
        "max_poll_interval": 2.0,
    }
    with pytest.warns(DeprecationWarning, match=r"RunBatch\(timeout="):
        old = orchestration.RunBatch(
            tests.runs, tests.test_suites.runs, tests.list, context, timeout=5, **options
        )
    new = orchestration.RunBatch(
        tests.runs, tests.test_suites.runs, tests.list, context, deadline=5, **options
    )
    assert old._deadline_seconds == new._deadline_seconds == 5.0


def test_default_wait_timeout_is_the_deprecated_name_of_the_default_deadline() -> None:
    assert DEFAULT_WAIT_DEADLINE == 3900.0
    assert "DEFAULT_WAIT_DEADLINE" in orchestration.__all__
    assert "DEFAULT_WAIT_TIMEOUT" not in orchestration.__all__
    with pytest.warns(DeprecationWarning, match="DEFAULT_WAIT_DEADLINE"):
        assert orchestration.DEFAULT_WAIT_TIMEOUT == DEFAULT_WAIT_DEADLINE
    with pytest.raises(AttributeError):
        _ = orchestration.NO_SUCH_NAME


@pytest.mark.parametrize("flag", ["--deadline", "--timeout"])
def test_the_cli_takes_deadline_and_still_timeout(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        status = main(["--fake", "tests", "run", "--suite", "demo", flag, "600", "--json"])
    assert status == 1  # the demo suite has two failing tests
    assert '"total": 6' in capsys.readouterr().out
