"""Fixtures for the orchestration tests: a FakeTelnyx on a FakeClock and a client whose
sleep moves that clock instead of waiting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.testing import FakeClock, FakeTelnyx


class VirtualSleep:
    """An injectable ``sleep`` that advances a FakeClock and records what it was asked."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


@pytest.fixture
async def fake(clock: FakeClock) -> AsyncIterator[FakeTelnyx]:
    async with FakeTelnyx(clock=clock) as running:
        yield running


@pytest.fixture
def vsleep(clock: FakeClock) -> VirtualSleep:
    return VirtualSleep(clock)


@pytest.fixture
async def client(fake: FakeTelnyx, vsleep: VirtualSleep) -> AsyncIterator[AsyncTelnyx]:
    async with fake.client(sleep=vsleep) as c:
        yield c
