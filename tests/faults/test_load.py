"""Load and cancellation against FakeTelnyx.

Load: many calls at concurrency 256, with ~1% of them answered 5xx once and
~1% answered 429 (``Retry-After: 0``) once. Every call must come back with
exactly its own answer (nothing lost, nothing swapped, nothing doubled: a
keyed POST creates one run however often it is retried), no connection may
stay acquired, and RSS and open file descriptors must stay flat.

The default size is the full 20,000 calls (about 15 s on a busy 2-core
machine); ``--soak`` or ``TELNYX_SOAK=1`` runs 200,000 (``nox -s soak``).

Cancellation: 1,000 calls cancelled at random moments -- queued for a slot,
waiting on the server, half-way through a body that trickles in -- leave no
connection acquired, no warning or unretrieved task error, and a client that
still works.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import time
import warnings
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from telnyx_async import AsyncTelnyx, RetryConfig, Timeout
from telnyx_async.testing import FakeTelnyx, Fault

pytestmark = pytest.mark.asyncio(loop_scope="module")

DEFAULT_CALLS = 20_000
SOAK_CALLS = 200_000
CONCURRENCY = 256
WAVE = 1_000
"""The fake's request log is tallied and cleared between waves, so it does not grow."""
POST_SHARE = 0.05
FAULT_SHARE = 0.01  # of each kind


def rss_bytes() -> int:
    """Resident set size of this process, from /proc (0 where there is no /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:  # pragma: no cover - not Linux
        return -1


def acquired(client: AsyncTelnyx) -> int:
    session = client._shared.transport.session
    if session is None or session.connector is None:
        return 0
    return len(session.connector._acquired)  # type: ignore[attr-defined]


class _NoSleep:
    async def __call__(self, seconds: float) -> None:
        await asyncio.sleep(0)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeTelnyx]:
    async with FakeTelnyx() as server:
        yield server


async def test_load_every_call_gets_its_own_answer(
    fake: FakeTelnyx, reliability: Any, soak: bool
) -> None:
    total = SOAK_CALLS if soak else DEFAULT_CALLS
    rng = random.Random(20_000)
    assistants = [fake.add_assistant(name=f"load-{i}")["id"] for i in range(WAVE)]
    tests = [fake.add_test(f"load-test-{i}")["test_id"] for i in range(20)]
    runs_before = len(fake.runs)

    # The plan: which call does what, and which calls meet a fault once.
    plan: list[tuple[str, str]] = []
    for i in range(total):
        if rng.random() < POST_SHARE:
            plan.append(("trigger", tests[i % len(tests)]))
        else:
            plan.append(("retrieve", assistants[i % WAVE]))
    faulty = rng.sample(range(total), int(total * FAULT_SHARE * 2))
    faults: dict[int, Fault] = {}
    for n, i in enumerate(faulty):
        faults[i] = (
            Fault.status(rng.choice([500, 502, 503, 504]))
            if n % 2 == 0
            else Fault.rate_limited(retry_after=0)
        )

    # One byte per call, allocated up front: the bookkeeping must not be what grows.
    answered = bytearray(total)
    served: Counter[str] = Counter()
    run_ids: list[str] = []
    client = fake.client(
        max_connections=CONCURRENCY,
        retry=RetryConfig(max_retries=3),
        timeout=Timeout(total=30, connect=10, deadline=120),
        sleep=_NoSleep(),
    )
    # A call queues its fault just before it sends: the fake matches faults by
    # path, and only the calls of one wave are in flight together.
    async with client:

        async def one(i: int) -> None:
            kind, target = plan[i]
            fault = faults.get(i)
            if kind == "retrieve":
                if fault is not None:
                    fake.enqueue(fault, method="GET", path=f"/ai/assistants/{target}")
                got = await client.ai.assistants.retrieve(target)
                assert got.id == target, (i, target, got.id)
                answered[i] += 1
            else:
                if fault is not None:
                    fake.enqueue(fault, method="POST", path=f"/ai/assistants/tests/{target}/runs")
                run = await client.ai.assistants.tests.runs.trigger(target)
                assert run.test_id == target, (i, target, run.test_id)
                answered[i] += 1
                run_ids.append(run.run_id)

        async def wave(start: int) -> None:
            queue = iter(range(start, min(start + WAVE, total)))

            async def worker() -> None:
                for i in queue:
                    await one(i)

            # Each assistant is retrieved once per wave, so a retrieve's fault is
            # taken by that very call; a trigger's fault may be taken by another
            # trigger of the same test, which is just as good for the counts.
            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
            for rec in fake.requests:
                served[f"{rec.method} {rec.path} {rec.status}"] += 1
            fake.reset_requests()

        await wave(0)  # warm-up: imports, pools, caches
        gc.collect()
        rss_before, fds_before = rss_bytes(), open_fds()
        started = time.perf_counter()
        for start in range(WAVE, total, WAVE):
            await wave(start)
        wall = time.perf_counter() - started
        gc.collect()
        rss_after, fds_after = rss_bytes(), open_fds()
        left_acquired = acquired(client)
        pool_size = len(client._shared.transport.session.connector._conns)  # type: ignore[union-attr]
    await fake.wait_idle()
    fds_closed = open_fds()

    measured = total - WAVE
    reliability.add_figures(
        "load",
        calls=total,
        measured_calls=measured,
        concurrency=CONCURRENCY,
        faults_5xx=sum(1 for f in faults.values() if f.status_code != 429),
        faults_429=sum(1 for f in faults.values() if f.status_code == 429),
        wall_seconds=round(wall, 2),
        calls_per_second=round(measured / wall, 1),
        rss_mb_before=round(rss_before / 2**20, 1),
        rss_mb_after=round(rss_after / 2**20, 1),
        fds_before=fds_before,
        fds_after=fds_after,
        fds_after_close=fds_closed,
        connections_acquired_after=left_acquired,
        pooled_hosts=pool_size,
        soak=soak,
    )

    # Nothing lost, nothing swapped: every call answered once, each with its own
    # object (checked in the call itself).
    assert answered == bytearray([1]) * total
    # Nothing doubled: one run per trigger call, all distinct, all on the server.
    assert len(run_ids) == len(set(run_ids)) == sum(1 for k, _ in plan if k == "trigger")
    assert len(fake.runs) - runs_before == len(run_ids)
    # Every faulted call was answered by its fault once, then served.
    assert sum(n for key, n in served.items() if key.endswith(" 429")) == sum(
        1 for f in faults.values() if f.status_code == 429
    )
    assert sum(n for key, n in served.items() if key.endswith((" 500", " 502", " 503", " 504"))) == sum(
        1 for f in faults.values() if f.status_code != 429
    )
    assert sum(n for key, n in served.items() if key.endswith((" 200", " 201"))) == total
    # Nothing held, nothing leaked.
    assert left_acquired == 0
    assert fds_after <= fds_before + 16, (fds_before, fds_after)
    assert fds_closed <= fds_before + 16
    # What may grow: the fake's runs and idempotency records (one per trigger).
    assert rss_after - rss_before < (24 + len(run_ids) // 500) * 2**20, (rss_before, rss_after)


async def test_cancelling_calls_in_flight_leaves_nothing_behind(
    fake: FakeTelnyx, reliability: Any
) -> None:
    rng = random.Random(1_000)
    ids = [fake.add_assistant(name=f"cancel-{i}")["id"] for i in range(1_000)]
    loop = asyncio.get_running_loop()
    problems: list[dict[str, Any]] = []
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: problems.append(context))
    fake.latency = 0.05
    fake.reset_requests()
    fds_before = open_fds()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            async with fake.client(max_connections=64, sleep=_NoSleep()) as client:
                # some answers dribble in, so a cancel can land mid-body
                for target in rng.sample(ids, 200):
                    fake.enqueue(Fault.trickle(0.5, chunks=10), path=f"/ai/assistants/{target}")
                tasks = [
                    asyncio.ensure_future(client.ai.assistants.retrieve(target)) for target in ids
                ]
                await fake.wait_in_flight(32)
                started = time.perf_counter()
                moments = sorted((rng.uniform(0, 0.25), n) for n in range(len(tasks)))
                for at, n in moments:
                    delay = at - (time.perf_counter() - started)
                    if delay > 0:
                        await asyncio.sleep(delay)
                    tasks[n].cancel()
                outcomes = await asyncio.gather(*tasks, return_exceptions=True)
                cancelled = sum(isinstance(o, asyncio.CancelledError) for o in outcomes)
                finished = sum(not isinstance(o, BaseException) for o in outcomes)
                errors = [o for o in outcomes if isinstance(o, BaseException)
                          and not isinstance(o, asyncio.CancelledError)]
                await fake.wait_idle(10)
                fake.clear_faults()
                reached = list(fake.requests)
                cut_short = sum(1 for r in reached if r.fault and r.fault.startswith("trickle"))
                unanswered = sum(1 for r in reached if r.status is None)
                left_acquired = acquired(client)
                fake.latency = 0.0
                # the client still works, on the same pool
                again = [await client.ai.assistants.retrieve(target) for target in ids[:50]]
                still_acquired = acquired(client)
            gc.collect()
            await asyncio.sleep(0)
    finally:
        fake.latency = 0.0
        loop.set_exception_handler(previous_handler)
    fds_after = open_fds()
    # The fake server's own keep-alive handlers (aiohttp.web) end when it stops;
    # aiohttp 3.10 takes a loop tick longer than 3.14 to notice closed
    # connections. What must not be left is anything of the client's.
    leftover = [
        t for t in asyncio.all_tasks()
        if t is not asyncio.current_task() and not t.done()
        and not t.get_coro().__qualname__.startswith("RequestHandler.")  # type: ignore[union-attr]
    ]

    reliability.add_figures(
        "cancellation",
        calls=len(ids),
        cancelled=cancelled,
        finished_before_cancel=finished,
        reached_server=len(reached),
        cancelled_before_sending=len(ids) - len(reached),
        cancelled_waiting_for_answer=unanswered,
        cancelled_mid_body=cut_short,
        other_errors=len(errors),
        connections_acquired_after=left_acquired,
        fds_before=fds_before,
        fds_after=fds_after,
        warnings=len(caught),
        loop_errors=len(problems),
    )
    # Cancels landed at every stage: queued for a slot, waiting on the server,
    # half-way through a body.
    assert cancelled >= 700, (cancelled, finished)
    assert len(ids) - len(reached) > 0 and unanswered > 0 and cut_short > 0
    assert errors == []
    assert left_acquired == 0 and still_acquired == 0
    assert [a.id for a in again] == ids[:50]
    assert [str(w.message) for w in caught] == []
    assert problems == []
    assert leftover == []
    assert fds_after <= fds_before + 8, (fds_before, fds_after)
