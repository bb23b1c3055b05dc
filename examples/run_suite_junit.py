"""Run every test of a suite, wait for all the runs, and write a JUnit XML report.

Shows ``test_suites.run_and_wait``: one trigger starts a run of each test of the
suite; the runs are then followed to the end with bounded concurrency, backing
off between polls, each outcome printed as it arrives. The report comes from
``telnyx_async.cli.junit_report`` (what ``telnyx-async tests run --junit`` writes),
so CI systems show one test case per run, failed rubric items as failures.

    TELNYX_API_KEY=... python examples/run_suite_junit.py SUITE [--junit report.xml]

Exits 0 when every run passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from telnyx_async import AsyncTelnyx
from telnyx_async.cli import junit_report


async def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite named on the command line; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("suite", nargs="?", default="demo", help="default: demo")
    parser.add_argument("--junit", default="junit.xml", help="default: junit.xml")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument(
        "--deadline", type=float, default=None, help="seconds for the whole suite; default 3900"
    )
    parser.add_argument("--poll-interval", type=float, default=1.0)
    args = parser.parse_args(argv)

    async with AsyncTelnyx() as client:
        batch = client.ai.assistants.tests.test_suites.run_and_wait(
            args.suite,
            concurrency=args.concurrency,
            deadline=args.deadline,
            poll_interval=args.poll_interval,
            max_poll_interval=max(args.poll_interval, 15.0),
        )
        async for outcome in batch:  # as each run finishes
            failed = ", ".join(outcome.failed_criteria)
            extra = f" (failed: {failed})" if failed else ""
            print(f"{outcome.outcome.upper():6} {outcome.test or outcome.test_id}{extra}")
        summary = await batch  # the same batch: no second run

    junit_report(summary).write(args.junit, encoding="utf-8", xml_declaration=True)
    print(
        f"{summary.passed}/{summary.total} passed, {summary.failed} failed, "
        f"{summary.errored} error(s); JUnit report in {args.junit}"
    )
    return 0 if summary.all_passed else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
