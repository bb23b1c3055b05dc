"""Clean-up without finalizers: batches release everything through ``aclose()``,
``async with`` and ``try/finally``, never through ``__del__``."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import inspect
import pkgutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

import telnyx_async.cli
import telnyx_async.orchestration
from telnyx_async import AsyncTelnyx
from telnyx_async.testing import FakeClock, FakeTelnyx


def add_tests(fake: FakeTelnyx, outcomes: list[str], *, duration: float) -> list[str]:
    return [
        fake.add_test(f"test {i:03d}", outcome=outcome, duration=duration)["test_id"]
        for i, outcome in enumerate(outcomes)
    ]


def batch_tasks() -> list[asyncio.Task[Any]]:
    """Unfinished tasks that belong to a RunBatch (as in test_orch_batch)."""
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done() and getattr(t.get_coro(), "__qualname__", "").startswith("RunBatch.")
    ]


def package_classes(package: object) -> Iterator[type]:
    """Every class defined in a package's modules."""
    path = getattr(package, "__path__", [])
    name = getattr(package, "__name__", "")
    for info in pkgutil.iter_modules(path, prefix=f"{name}."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


def unfinished_tasks_besides_the_server(before: set[asyncio.Task[Any]]) -> list[asyncio.Task[Any]]:
    """Tasks started since ``before`` that have not ended, leaving out the fake's HTTP
    server (aiohttp keeps one handler task per kept-alive connection)."""

    def from_aiohttp(task: asyncio.Task[Any]) -> bool:
        code = getattr(task.get_coro(), "cr_code", None)
        return code is not None and "aiohttp" in Path(code.co_filename).parts

    return [
        t for t in asyncio.all_tasks() - before if not t.done() and not from_aiohttp(t)
    ]


@contextlib.contextmanager
def no_cycle_collector() -> Generator[None, None, None]:
    """Switch off the cycle collector: only reference counting frees objects in the block."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@pytest.mark.parametrize("package", [telnyx_async.orchestration, telnyx_async.cli])
def test_no_class_has_a_finalizer(package: object) -> None:
    classes = list(package_classes(package))
    assert classes  # the walk found the modules
    assert [cls.__qualname__ for cls in classes if "__del__" in vars(cls)] == []


async def test_breaking_out_stops_the_batch_and_leaves_no_task(
    client: AsyncTelnyx, fake: FakeTelnyx, clock: FakeClock
) -> None:
    ids = add_tests(fake, ["passed"] * 12, duration=1)
    fake.configure_test(ids[0], duration=0)  # one finishes at once
    batch = client.ai.assistants.tests.run_and_wait(ids, concurrency=4)
    before = asyncio.all_tasks()
    with no_cycle_collector():
        async for outcome in batch:
            assert outcome.passed
            break
        # Leaving the loop let go of the iterator (an async generator); the event
        # loop closes it, and its `finally` stops the batch. Awaiting the batch
        # waits for that stop and then reports it.
        with pytest.raises(RuntimeError, match="stopped"):
            await batch
    assert batch.done
    assert batch_tasks() == []  # nothing of the batch's own work is left
    # What may be left is the generator's own closing, which ends by itself now
    # that the batch has stopped.
    closing = unfinished_tasks_besides_the_server(before)
    if closing:
        await asyncio.wait_for(asyncio.gather(*closing), 5)
    assert unfinished_tasks_besides_the_server(before) == []
    sent = len(fake.requests)
    clock.advance(30)  # every run would be over: a live poller would go and look
    await client.ai.assistants.tests.list()
    assert len(fake.requests) == sent + 1  # only our own list call went out


async def test_aclosing_the_iterator_stops_everything_before_the_block_ends(
    client: AsyncTelnyx, fake: FakeTelnyx, clock: FakeClock
) -> None:
    ids = add_tests(fake, ["passed"] * 12, duration=1)
    fake.configure_test(ids[0], duration=0)
    batch = client.ai.assistants.tests.run_and_wait(ids, concurrency=4)
    before = asyncio.all_tasks()
    with no_cycle_collector():
        async with contextlib.aclosing(aiter(batch)) as outcomes:
            async for outcome in outcomes:
                assert outcome.passed
                break
        # No waiting here: aclose() returned only once every task had ended.
        assert batch.done
        assert batch_tasks() == []
        assert unfinished_tasks_besides_the_server(before) == []
    sent = len(fake.requests)
    clock.advance(30)
    await client.ai.assistants.tests.list()
    assert len(fake.requests) == sent + 1
    with pytest.raises(RuntimeError, match="stopped"):
        await batch


async def test_an_exception_in_the_loop_body_stops_the_batch(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    ids = add_tests(fake, ["passed"] * 8, duration=1)
    fake.configure_test(ids[0], duration=0)
    before = asyncio.all_tasks()
    async with client.ai.assistants.tests.run_and_wait(ids, concurrency=2) as batch:
        with pytest.raises(LookupError):
            async for _ in batch:
                raise LookupError("the caller's own failure")
    # `async with` awaited aclose(): the batch's tasks are gone on the way out.
    assert batch.done
    assert batch_tasks() == []
    closing = unfinished_tasks_besides_the_server(before)
    if closing:
        await asyncio.wait_for(asyncio.gather(*closing), 5)
    assert unfinished_tasks_besides_the_server(before) == []


async def test_an_iterator_that_runs_to_the_end_leaves_nothing_behind(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    ids = add_tests(fake, ["passed", "failed", "passed"], duration=1)
    batch = client.ai.assistants.tests.run_and_wait(ids, concurrency=2)
    before = asyncio.all_tasks()
    seen = [o.test_id async for o in batch]
    assert sorted(seen) == sorted(ids)
    assert batch.done
    assert batch_tasks() == []
    assert unfinished_tasks_besides_the_server(before) == []
    assert (await batch).total == 3
