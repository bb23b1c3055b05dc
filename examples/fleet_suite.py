"""Run every test of a suite across N arq worker processes that share one rate limit.

The coordinator (this script without ``--worker``) lists the suite's tests,
puts them on an arq queue in batches, and starts N worker processes (this
script again, with ``--worker QUEUE``). Each job triggers its batch's runs and
follows them to the end with ``tests.run_and_wait``, through an
``AsyncTelnyx`` whose throttle is a ``RedisThrottle`` on the same Redis as the
queue: every worker of the fleet (and every machine, when the workers run
elsewhere) stays within the one account limit, and a 429's cool-down is
shared. Each job answers with the JUnit report of its batch
(``telnyx_async.cli.junit_report``, what ``telnyx-async tests run --junit``
writes); the coordinator merges them into one report.

    pip install "telnyx-async[fleet]"          # redis-py and arq
    TELNYX_API_KEY=... python examples/fleet_suite.py SUITE --workers 4 \\
        --redis redis://localhost:6379/0 --junit fleet.xml

Workers on other machines: run ``python examples/fleet_suite.py SUITE --worker
QUEUE --redis URL`` there with the same ``TELNYX_API_KEY`` (the coordinator
prints QUEUE), and ``--workers 0`` here.

Exits 0 when every run passed, 1 when some failed or errored.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from arq import create_pool
from arq.connections import RedisSettings
from arq.jobs import Job
from arq.worker import Worker, func

from telnyx_async import AsyncTelnyx, RedisThrottle
from telnyx_async.cli import junit_report

JOB = "run_batch"
SCRIPT = os.path.abspath(__file__)


# ---------------------------------------------------------------- the worker side


async def startup(ctx: dict[str, Any]) -> None:
    """One client per worker process, throttled through the fleet's Redis."""
    throttle = RedisThrottle(ctx["redis_url"])  # namespace: this API key and base URL
    ctx["throttle"] = throttle
    ctx["client"] = AsyncTelnyx(throttle=throttle)


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close the client, then the throttle's Redis connections."""
    await ctx["client"].close()
    await ctx["throttle"].aclose()


async def run_batch(
    ctx: dict[str, Any], suite: str, test_ids: list[str], options: dict[str, Any]
) -> dict[str, Any]:
    """Trigger and follow one batch of tests; answer with its JUnit report."""
    client: AsyncTelnyx = ctx["client"]
    summary = await client.ai.assistants.tests.run_and_wait(
        test_ids,
        concurrency=options["concurrency"],
        timeout=options["timeout"],
        poll_interval=options["poll_interval"],
        max_poll_interval=max(options["poll_interval"], 15.0),
    )
    report = junit_report(summary, classname=lambda outcome: suite)
    return {
        "junit": ET.tostring(report.getroot(), encoding="unicode"),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "total": summary.total,
        "passed": summary.passed,
    }


async def work(args: argparse.Namespace) -> int:
    """Run jobs from the queue until it is empty (arq's burst mode), then exit."""
    worker = Worker(
        functions=[func(run_batch, name=JOB, max_tries=1)],  # a retried job would run tests twice
        queue_name=args.worker,
        redis_settings=RedisSettings.from_dsn(args.redis),
        burst=True,
        max_jobs=args.jobs_per_worker,
        job_timeout=(args.timeout or 3900.0) + 120.0,
        keep_result=3600,
        poll_delay=0.1,
        handle_signals=False,
        on_startup=startup,
        on_shutdown=shutdown,
        ctx={"redis_url": args.redis},
    )
    try:
        await worker.async_run()
    finally:
        await worker.close()
    print(f"worker {os.getpid()}: {worker.jobs_complete} job(s) done, {worker.jobs_failed} failed")
    return 0 if worker.jobs_failed == 0 else 1


# ---------------------------------------------------------------- the coordinator


def merge_reports(
    suite: str, results: list[dict[str, Any]], names: dict[str, str], order: list[str],
    wall_time: float,
) -> ET.ElementTree:
    """One JUnit report from the workers' reports: every ``<testcase>``, counts recomputed."""
    cases: dict[str, ET.Element] = {}
    ran_on: dict[str, int] = {}
    for result in results:
        ran_on[result["worker"]] = ran_on.get(result["worker"], 0) + result["total"]
        for case in ET.fromstring(result["junit"]).iter("testcase"):
            test_id = case.get("name", "")
            case.set("name", names.get(test_id, test_id))  # a batch of IDs knows no names
            cases[test_id] = case
    root = ET.Element("testsuites", name="telnyx-async fleet")
    tree_suite = ET.SubElement(root, "testsuite", name=suite)
    properties = ET.SubElement(tree_suite, "properties")
    ET.SubElement(properties, "property", name="workers", value=str(len(ran_on)))
    for worker, count in sorted(ran_on.items()):
        ET.SubElement(properties, "property", name=f"worker {worker}", value=f"{count} tests")
    failures = errors = 0
    for test_id in order:
        case = cases.get(test_id)
        if case is None:  # its job never answered: say so rather than drop it
            case = ET.Element("testcase", classname=suite, name=names[test_id], time="0.000")
            ET.SubElement(case, "error", message="its job did not finish", type="JobLost")
        failures += case.find("failure") is not None
        errors += case.find("error") is not None
        tree_suite.append(case)
    counts = {"tests": str(len(order)), "failures": str(failures), "errors": str(errors)}
    for element in (root, tree_suite):
        for key, value in counts.items():
            element.set(key, value)
        element.set("time", f"{wall_time:.3f}")
    tree_suite.set("skipped", "0")
    ET.indent(root)
    return ET.ElementTree(root)


async def spawn_worker(args: argparse.Namespace, queue: str) -> asyncio.subprocess.Process:
    """This script again, as a worker of ``queue`` (it inherits TELNYX_API_KEY and the URL)."""
    return await asyncio.create_subprocess_exec(
        sys.executable, SCRIPT, args.suite, "--worker", queue,
        "--redis", args.redis, "--jobs-per-worker", str(args.jobs_per_worker),
        *(["--timeout", str(args.timeout)] if args.timeout else []),
    )


async def coordinate(args: argparse.Namespace) -> int:
    """List the suite, queue its batches, run the workers, merge their reports."""
    started = time.monotonic()
    async with RedisThrottle(args.redis) as throttle, AsyncTelnyx(throttle=throttle) as client:
        tests = await client.ai.assistants.tests.list(test_suite=args.suite).to_list()
    if not tests:
        print(f"suite {args.suite!r} has no tests")
        return 1
    names = {t.test_id: t.name for t in tests}
    order = [t.test_id for t in tests]
    queue = f"telnyx-fleet:{uuid.uuid4().hex[:12]}"
    options = {
        "concurrency": args.concurrency,
        "timeout": args.timeout,
        "poll_interval": args.poll_interval,
    }
    pool = await create_pool(RedisSettings.from_dsn(args.redis), default_queue_name=queue)
    workers: list[asyncio.subprocess.Process] = []
    try:
        jobs: list[Job] = []
        for i in range(0, len(order), args.batch_size):
            job = await pool.enqueue_job(JOB, args.suite, order[i : i + args.batch_size], options)
            assert job is not None  # a fresh job id each time, so never a duplicate
            jobs.append(job)
        print(f"{len(order)} tests of {args.suite!r} in {len(jobs)} jobs on queue {queue}")
        workers += [await spawn_worker(args, queue) for _ in range(args.workers)]
        await asyncio.gather(*(w.wait() for w in workers))  # burst mode: they exit when done
        results = []
        for job in jobs:
            try:
                results.append(await job.result(timeout=5, poll_delay=0.1))
            except Exception as exc:  # a job that failed or never ran: its tests become errors
                print(f"job {job.job_id} did not finish: {type(exc).__name__}: {exc}")
    finally:
        await pool.aclose(close_connection_pool=True)
    report = merge_reports(args.suite, results, names, order, time.monotonic() - started)
    report.write(args.junit, encoding="utf-8", xml_declaration=True)
    suite = report.getroot()[0]
    total, failures, errors = (int(suite.get(k, "0")) for k in ("tests", "failures", "errors"))
    print(
        f"{total - failures - errors}/{total} passed, {failures} failed, {errors} error(s) "
        f"across {len(workers)} worker(s); JUnit report in {args.junit}"
    )
    return 0 if failures == errors == 0 else 1


async def main(argv: Sequence[str] | None = None) -> int:
    """Coordinate a fleet run (or, with ``--worker QUEUE``, be one of its workers)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("suite", nargs="?", default="demo", help="default: demo")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://localhost:6379/0"),
                        help="the fleet's Redis (default $REDIS_URL or redis://localhost:6379/0)")
    parser.add_argument("--junit", default="fleet-junit.xml", help="default: fleet-junit.xml")
    parser.add_argument("--batch-size", type=int, default=5, help="tests per job (default 5)")
    parser.add_argument("--jobs-per-worker", type=int, default=4,
                        help="jobs a worker runs at once (default 4)")
    parser.add_argument("--concurrency", type=int, default=5,
                        help="requests in flight per job (default 5)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per job's runs")
    parser.add_argument("--poll-interval", type=float, default=1.0)
    parser.add_argument("--worker", metavar="QUEUE", default=None,
                        help="run as a worker of QUEUE (the coordinator starts these)")
    args = parser.parse_args(argv)
    if args.worker is not None:
        return await work(args)
    return await coordinate(args)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
