"""What ``assistants list``, ``tests list`` and ``tests run`` do."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from telnyx_async.errors import APIError
from telnyx_async.orchestration import BatchSummary, RunOutcome

from ._connect import Connection
from ._exit_status import EXIT_API_ERROR, EXIT_OK, EXIT_RUNS_FAILED, EXIT_USAGE
from ._junit import junit_report, write_junit_report
from ._output import Output, follow_batch, print_results

if TYPE_CHECKING:
    from telnyx_async.models.tests import AssistantTestResponse

__all__ = ["assistants_list", "tests_list", "tests_run"]


async def assistants_list(connection: Connection, args: argparse.Namespace, output: Output) -> int:
    """``assistants list [--json]``: a table (or JSON) of the account's assistants."""
    assistants = await connection.client.ai.assistants.list().to_list()
    if args.json:
        output.raw(json.dumps([
            {"id": a.id, "name": a.name, "model": a.model} for a in assistants
        ], indent=2))
        return EXIT_OK
    output.table(
        ["ID", "Name", "Model"],
        [[a.id, a.name, a.model or ""] for a in assistants],
    )
    output.say(f"{len(assistants)} assistant(s)")
    return EXIT_OK


async def tests_list(connection: Connection, args: argparse.Namespace, output: Output) -> int:
    """``tests list [--suite NAME] [--json]``: a table (or JSON) of the tests."""
    tests_api = connection.client.ai.assistants.tests
    pager = tests_api.list(test_suite=args.suite) if args.suite else tests_api.list()
    tests = await pager.to_list()
    if args.json:
        output.raw(json.dumps([
            {
                "test_id": t.test_id,
                "name": t.name,
                "test_suite": t.test_suite,
                "telnyx_conversation_channel": str(t.telnyx_conversation_channel),
            }
            for t in tests
        ], indent=2))
        return EXIT_OK
    output.table(
        ["Test ID", "Name", "Suite", "Channel"],
        [
            [t.test_id, t.name, t.test_suite or "", str(t.telnyx_conversation_channel)]
            for t in tests
        ],
    )
    output.say(f"{len(tests)} test(s)")
    return EXIT_OK


async def _test_details(
    connection: Connection, test_ids: Sequence[str], concurrency: int
) -> dict[str, AssistantTestResponse]:
    """The tests behind ``--test`` IDs (for names and suites). Unknown IDs are left out."""
    from telnyx_async.errors import NotFoundError

    limiter = asyncio.Semaphore(concurrency)
    found: dict[str, AssistantTestResponse] = {}

    async def fetch(test_id: str) -> None:
        async with limiter:
            with contextlib.suppress(NotFoundError):
                found[test_id] = await connection.client.ai.assistants.tests.retrieve(test_id)

    await asyncio.gather(*(fetch(t) for t in dict.fromkeys(test_ids)))
    return found


def _nothing_started(summary: BatchSummary) -> APIError | None:
    """The first error when no run of the batch could even be started because of the API."""
    if not summary.outcomes or any(o.run is not None for o in summary.outcomes):
        return None
    errors = [o.error for o in summary.outcomes]
    if all(isinstance(e, APIError) for e in errors):
        first = errors[0]
        assert isinstance(first, APIError)
        return first
    return None


async def tests_run(connection: Connection, args: argparse.Namespace, output: Output) -> int:
    """``tests run``: trigger the runs, follow them, report; exit 0 only if every run passed."""
    tests_api = connection.client.ai.assistants.tests
    options: dict[str, Any] = {
        "concurrency": args.concurrency,
        "deadline": args.deadline,
        "poll_interval": args.poll_interval,
        "max_poll_interval": max(args.poll_interval, 15.0),
    }
    if args.destination_version_id:
        options["destination_version_id"] = args.destination_version_id
    details: dict[str, AssistantTestResponse] = {}
    if args.suite:
        batch = tests_api.test_suites.run_and_wait(args.suite, **options)
        describe = f"suite {args.suite}"
    else:
        details = await _test_details(connection, args.tests, args.concurrency)
        batch = tests_api.run_and_wait(args.tests, **options)
        describe = f"{len(args.tests)} test(s)"
    summary = await follow_batch(batch, output, quiet=args.json, describe=describe)
    if details:
        summary = attrs.evolve(summary, outcomes=[
            attrs.evolve(o, test=details[o.test_id].name) if o.test_id in details else o
            for o in summary.outcomes
        ])
    if args.junit:
        def classname(outcome: RunOutcome) -> str:
            if args.suite:
                return str(args.suite)
            test = details.get(outcome.test_id)
            return (test.test_suite if test is not None else None) or "telnyx"

        report = junit_report(summary, classname=classname)
        try:
            write_junit_report(report, args.junit, redact=output.redact)
        except OSError as exc:
            output.error(f"cannot write the JUnit report to {args.junit}: {exc.strerror or exc}")
            return EXIT_USAGE
    blocked = _nothing_started(summary)
    if args.json:
        output.raw(json.dumps(summary.to_dict(), indent=2))
    else:
        print_results(output, summary)
        if args.junit:
            output.say(f"JUnit report written to {args.junit}")
    if blocked is not None:
        output.error(f"no run could be started: {blocked}")
        return EXIT_API_ERROR
    return EXIT_OK if summary.all_passed else EXIT_RUNS_FAILED
