"""``Fault.trickle``: the real answer, its headers at once, its body dribbled out slowly."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from telnyx_async.testing import FakeTelnyx, Fault


def _auth(fake: FakeTelnyx) -> dict[str, str]:
    return {"Authorization": f"Bearer {fake.api_key}"}


async def test_a_patient_client_gets_the_whole_answer_late() -> None:
    async with FakeTelnyx() as fake, aiohttp.ClientSession() as session:
        assistant = fake.add_assistant(name="Trickle")
        fake.enqueue(Fault.trickle(0.4, chunks=4))
        started = time.perf_counter()
        async with session.get(
            f"{fake.url}/ai/assistants/{assistant['id']}", headers=_auth(fake)
        ) as resp:
            headers_after = time.perf_counter() - started
            body = await resp.read()
        total = time.perf_counter() - started
        assert resp.status == 200
        assert int(resp.headers["Content-Length"]) == len(body)
        assert json.loads(body)["id"] == assistant["id"]
        assert headers_after < 0.3 <= total  # status and headers first, the body later
        rec = fake.requests.last
        assert rec.fault == "trickle(0.4)" and rec.status == 200 and rec.response_body == body


async def test_an_impatient_client_gives_up_but_the_work_was_done() -> None:
    async with FakeTelnyx() as fake, aiohttp.ClientSession() as session:
        fake.enqueue(Fault.trickle(5.0))
        with pytest.raises(asyncio.TimeoutError):
            async with session.post(
                f"{fake.url}/ai/assistants",
                json={"name": "Made anyway", "instructions": "Hi."},
                headers=_auth(fake),
                timeout=aiohttp.ClientTimeout(total=0.3),
            ) as resp:
                await resp.read()
        await fake.wait_idle(5)  # the fake stops dribbling once the client is gone
        assert [a["name"] for a in fake.assistants.values()] == ["Made anyway"]
        assert fake.requests.last.completed


async def test_an_empty_answer_has_nothing_to_trickle() -> None:
    async with FakeTelnyx() as fake, aiohttp.ClientSession() as session:
        test = fake.add_test("Gone soon")
        fake.enqueue(Fault.trickle(5.0))
        started = time.perf_counter()
        async with session.delete(
            f"{fake.url}/ai/assistants/tests/{test['test_id']}", headers=_auth(fake)
        ) as resp:
            await resp.read()
        assert resp.status in (200, 204)
        assert time.perf_counter() - started < 2.0


def test_trickle_arguments_are_checked() -> None:
    assert Fault.trickle(1.5).describe() == "trickle(1.5)"
    assert Fault.trickle(1, chunks=3).chunks == 3
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="seconds"):
            Fault.trickle(bad)
    for chunks in (0, -2, True, 1.5):
        with pytest.raises(ValueError, match="chunks"):
            Fault.trickle(1, chunks=chunks)  # type: ignore[arg-type]
