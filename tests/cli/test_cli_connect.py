"""``--fake`` mode: the embedded fake, and the one FakeClock its client's sleep moves."""

from __future__ import annotations

import asyncio

from telnyx_async.cli._connect import connect, sped_up_sleep
from telnyx_async.testing import FakeClock


async def test_a_sleep_moves_the_clock_by_the_time_asked_for() -> None:
    clock = FakeClock(100.0)
    sleep = sped_up_sleep(clock, 1000.0)  # 1 s asked: 1 ms of real waiting
    await sleep(1.0)
    assert clock.now() == 101.0
    await sleep(2.5)
    assert clock.now() == 103.5


async def test_overlapping_sleeps_move_the_clock_as_far_as_the_longest() -> None:
    clock = FakeClock()
    sleep = sped_up_sleep(clock, 1000.0)
    await asyncio.gather(sleep(1.0), sleep(3.0), sleep(2.0))
    assert clock.now() == 3.0  # not 6.0: they waited side by side


async def test_a_clock_moved_by_someone_else_is_never_moved_back() -> None:
    clock = FakeClock()
    sleep = sped_up_sleep(clock, 1000.0)

    async def jump() -> None:
        clock.advance(50.0)

    await asyncio.gather(sleep(1.0), jump())
    assert clock.now() == 50.0


async def test_fake_mode_runs_the_seeded_fake_on_a_fake_clock() -> None:
    async with connect(use_fake=True) as connection:
        fake = connection.fake
        assert fake is not None
        assert isinstance(fake.clock, FakeClock)  # the project's one fake clock
        assert {t["test_suite"] for t in fake.tests.values()} == {"demo"}
        start = fake.clock.now()
        tests = await connection.client.ai.assistants.tests.list(test_suite="demo").to_list()
        assert len(tests) == 6
        assert fake.clock.now() == start  # requests take no fake time; only sleeps do
        client = connection.client
        run = await client.ai.assistants.tests.runs.trigger(tests[0].test_id)
        final = await client.ai.assistants.tests.runs.wait(
            run.run_id, test_id=run.test_id, poll_interval=0.1
        )
        assert final.status in ("passed", "failed")
        assert final.completed_at is not None
        # the polls' sleeps moved the fake's clock past the end of the run
        assert fake.clock.now() - start >= (final.completed_at - final.created_at).total_seconds()
