"""Fixtures shared by the whole suite: a running FakeTelnyx and a client bound to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.testing import FakeTelnyx


class SleepRecorder:
    """A stand-in for ``asyncio.sleep`` in retry waits: records each wait, sleeps none.

    Lets tests assert the exact waits the retry policy chose without spending them.
    """

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> SleepRecorder:
    """The recorder clients built by the ``client`` fixture use for retry waits."""
    return SleepRecorder()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelnyx]:
    """A running FakeTelnyx; every JSON answer it gave is checked against the spec afterwards."""
    async with FakeTelnyx() as server:
        yield server
        try:
            from spec_support import assert_fake_responses_valid, load_spec
        except ImportError:  # pragma: no cover - the helper module ships with the tests
            return
        if load_spec() is not None:
            assert_fake_responses_valid(server)


@pytest.fixture
async def client(fake: FakeTelnyx, sleeps: SleepRecorder) -> AsyncIterator[AsyncTelnyx]:
    """A client for ``fake`` whose retry waits are recorded, not slept."""
    async with fake.client(sleep=sleeps) as c:
        yield c
