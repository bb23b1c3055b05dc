"""Where the commands send their requests: the API, or an embedded fake (``--fake``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from telnyx_async._client import AsyncTelnyx
    from telnyx_async._retry import Sleep
    from telnyx_async.testing import FakeClock, FakeTelnyx

__all__ = ["FAKE_SPEED", "Connection", "connect", "sped_up_sleep"]

FAKE_SPEED = 10.0
"""How much faster than the wall clock time runs in ``--fake`` mode."""


@attrs.frozen
class Connection:
    """The client the commands use, and the fake behind it in ``--fake`` mode (else ``None``)."""

    client: AsyncTelnyx
    fake: FakeTelnyx | None


def sped_up_sleep(clock: FakeClock, speed: float) -> Sleep:
    """A client ``sleep`` on ``clock`` that takes ``1 / speed`` of the wall time asked for.

    Asked to sleep ``s`` seconds, it waits ``s / speed`` seconds of wall time,
    then makes sure ``clock`` reads at least ``s`` seconds later than when the
    sleep began. The client only waits through its ``sleep`` (between polls,
    before a retry), so each request it sends after a wait finds the fake's
    runs as far along as ``s`` real seconds would have taken them. Sleeps that
    overlap move the clock as far as the longest of them, not by their sum.
    """

    async def sleep(seconds: float) -> None:
        wake_at = clock.now() + seconds
        await asyncio.sleep(seconds / speed)
        if wake_at > clock.now():
            clock.set(wake_at)

    return sleep


@contextlib.asynccontextmanager
async def connect(use_fake: bool) -> AsyncGenerator[Connection, None]:
    """Open a client on the API (key and URL from the environment), or on a seeded fake.

    The fake runs on a :class:`~telnyx_async.testing.FakeClock` that the
    client's sleep moves :data:`FAKE_SPEED` times faster than real time.
    Everything is closed when the block ends.
    """
    if use_fake:
        from telnyx_async.testing import FakeClock, FakeTelnyx

        clock = FakeClock()
        async with FakeTelnyx(clock=clock) as fake:
            fake.seed_demo()
            async with fake.client(sleep=sped_up_sleep(clock, FAKE_SPEED)) as client:
                yield Connection(client, fake)
    else:
        from telnyx_async._client import AsyncTelnyx

        async with AsyncTelnyx() as client:
            yield Connection(client, None)
