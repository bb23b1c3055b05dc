"""Scripted faults, latency, rate limiting and idempotency of FakeTelnyx."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from spec_support import assert_fake_responses_valid

from telnyx_async.testing import FakeClock, FakeTelnyx, Fault

from ._fake_http import Api

A = "/ai/assistants"


@pytest.fixture
async def fresh() -> AsyncIterator[aiohttp.ClientSession]:
    """A session that opens a new connection per request."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as s:
        yield s


# --------------------------------------------------------------------------- Fault.status


async def test_status_fault_with_default_error_body(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.status(503))
    status, body, headers = await api.get(A)
    assert status == 503
    assert body["errors"][0]["title"] == "Service unavailable"
    assert headers["Content-Type"] == "application/json"
    rec = fake.requests[-1]
    assert rec.fault == "status(503)" and rec.status == 503
    status, _, _ = await api.get(A)  # used up: the next request is normal
    assert status == 200
    assert fake.pending_faults == 0


async def test_status_fault_with_custom_body_headers_and_type(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(
        Fault.status(502, body="<html>bad gateway</html>", content_type="text/html"),
        Fault.status(
            429, body={"errors": []}, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
        ),
        Fault.status(500, body=b"\x00\x01"),
        Fault.status(200),
        Fault.status(422),
    )
    status, body, headers = await api.get(A)
    assert (status, body) == (502, "<html>bad gateway</html>")
    assert headers["Content-Type"].startswith("text/html")
    status, body, headers = await api.get(A)
    assert (status, body) == (429, {"errors": []})
    assert headers["Retry-After"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    status, body, headers = await api.get(A)
    assert status == 500 and headers["Content-Type"] == "application/octet-stream"
    status, body, _ = await api.get(A)
    assert (status, body) == (200, None)
    status, body, _ = await api.get(A)
    assert status == 422 and body["detail"][0]["type"] == "value_error"


async def test_rate_limited_fault(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(
        Fault.rate_limited(retry_after=3, reset=7), Fault.rate_limited(retry_after=None, reset=600)
    )
    status, body, headers = await api.get(A)
    assert status == 429 and body["errors"][0]["code"] == "10011"
    assert headers["Retry-After"] == "3" and headers["x-ratelimit-reset"] == "7"
    status, _, headers = await api.get(A)
    assert "Retry-After" not in headers and headers["x-ratelimit-reset"] == "600"


def test_fault_constructors_validate() -> None:
    with pytest.raises(ValueError, match="HTTP status"):
        Fault.status(99)
    with pytest.raises(ValueError, match="HTTP status"):
        Fault.reset_mid_body(True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-negative"):
        Fault.delay(-1)
    with pytest.raises(TypeError, match="Fault"):
        Fault.delay(1, then="drop")  # type: ignore[arg-type]
    assert Fault.delay(0.5, then=Fault.drop()).describe() == "delay(0.5)->drop"


async def test_enqueue_rejects_non_faults_and_unknown_routes(fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError, match="Fault"):
        fake.enqueue("drop")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not a path template"):
        fake.enqueue(Fault.drop(), route="/ai/assistant/{id}")
    assert fake.pending_faults == 0


async def test_enqueue_path_may_carry_the_v2_prefix(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.status(500), path="/v2/ai/tools")
    assert (await api.get(A))[0] == 200
    assert (await api.get("/ai/tools"))[0] == 500


# --------------------------------------------------------------------------- matching and order


async def test_faults_match_filters_in_fifo_order(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    fake.enqueue(Fault.status(500), Fault.status(502), method="POST")
    fake.enqueue(Fault.status(404), route=f"{A}/{{assistant_id}}")
    fake.enqueue(Fault.status(418), path="/ai/tools")
    assert fake.pending_faults == 4
    assert (await api.get(A))[0] == 200  # matches nothing queued
    assert (await api.get("/ai/tools"))[0] == 418
    assert (await api.get(f"{A}/{aid}"))[0] == 404
    assert (await api.post(A, json={"name": "n", "instructions": "i"}))[0] == 500
    assert (await api.post(A, json={"name": "n", "instructions": "i"}))[0] == 502
    assert (await api.post(A, json={"name": "n", "instructions": "i"}))[0] == 200
    fake.enqueue(Fault.status(500))
    fake.clear_faults()
    assert (await api.get(A))[0] == 200


async def test_faults_come_before_auth(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.status(503))
    status, _, _ = await api.get(A, auth=False)
    assert status == 503


# --------------------------------------------------------------------------- wire-level faults


async def test_drop_closes_without_a_response(
    fake: FakeTelnyx, fresh: aiohttp.ClientSession
) -> None:
    fake.enqueue(Fault.drop())
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with fresh.post(
            fake.url + A,
            json={"name": "n", "instructions": "i"},
            headers={"Authorization": "Bearer test-key"},
        ) as resp:
            await resp.read()
    rec = fake.requests[-1]
    assert rec.fault == "drop" and rec.status is None and rec.completed
    assert fake.assistants == {}


async def test_aiohttp_itself_retries_idempotent_methods_once_after_a_drop(
    fake: FakeTelnyx, fresh: aiohttp.ClientSession
) -> None:
    # aiohttp's client resends GET/PUT/DELETE/HEAD/OPTIONS once on ServerDisconnectedError;
    # one drop is therefore invisible to a GET, two are not.
    headers = {"Authorization": "Bearer test-key"}
    fake.enqueue(Fault.drop())
    async with fresh.get(fake.url + A, headers=headers) as resp:
        assert resp.status == 200
    assert [r.fault for r in fake.requests] == ["drop", None]
    fake.enqueue(Fault.drop(), Fault.drop())
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with fresh.get(fake.url + A, headers=headers) as resp:
            await resp.read()


async def test_reset_mid_body_truncates_the_payload(
    fake: FakeTelnyx, fresh: aiohttp.ClientSession
) -> None:
    fake.enqueue(Fault.reset_mid_body())
    async with fresh.get(fake.url + A, headers={"Authorization": "Bearer test-key"}) as resp:
        assert resp.status == 200
        assert resp.content_type == "application/json"
        with pytest.raises(aiohttp.ClientPayloadError):
            await resp.read()
    rec = fake.requests[-1]
    assert rec.status == 200 and rec.fault == "reset_mid_body(200)"
    assert 0 < len(rec.response_body) < int(rec.response_headers["Content-Length"])


async def test_reset_mid_body_with_an_error_status(
    fake: FakeTelnyx, fresh: aiohttp.ClientSession
) -> None:
    fake.enqueue(Fault.reset_mid_body(500))
    async with fresh.get(fake.url + A, headers={"Authorization": "Bearer test-key"}) as resp:
        assert resp.status == 500
        with pytest.raises(aiohttp.ClientPayloadError):
            await resp.read()


async def test_malformed_json(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.malformed(), Fault.malformed(500))
    async with api.session.get(fake.url + A, headers=api.auth) as resp:
        assert resp.status == 200 and resp.content_type == "application/json"
        with pytest.raises(ValueError):
            await resp.json()
    async with api.session.get(fake.url + A, headers=api.auth) as resp:
        assert resp.status == 500
        with pytest.raises(ValueError):
            await resp.json()
    assert fake.requests[-1].response_json is None


async def test_delay_then_real_handler_or_another_fault(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.delay(0.01), Fault.delay(0.01, then=Fault.status(504)))
    assert (await api.get(A))[0] == 200
    assert (await api.get(A))[0] == 504
    assert [r.fault for r in fake.requests] == ["delay(0.01)", "delay(0.01)->status(504)"]


async def test_delay_past_the_client_timeout(api: Api, fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.delay(30), method="POST")
    with pytest.raises(asyncio.TimeoutError):
        async with api.session.post(
            fake.url + A,
            json={"name": "n", "instructions": "i"},
            headers=api.auth,
            timeout=aiohttp.ClientTimeout(total=0.2),
        ) as resp:
            await resp.read()
    await fake.wait_idle()  # the client hung up, so the handler was cancelled
    assert fake.assistants == {}  # it never ran
    rec = fake.requests[-1]
    assert rec.status is None and rec.completed


async def test_slow_response_does_the_work_but_answers_late(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    fake.enqueue(Fault.slow_response(30))
    with pytest.raises(asyncio.TimeoutError):
        async with api.session.post(
            f"{fake.url}{A}/tests/{test['test_id']}/runs",
            headers=api.auth,
            timeout=aiohttp.ClientTimeout(total=0.2),
        ) as resp:
            await resp.read()
    assert len(fake.runs) == 1  # the run exists although the answer was lost


async def test_latency_is_added_to_every_response(fake: FakeTelnyx, api: Api) -> None:
    fake.latency = 0.05
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert (await api.get(A))[0] == 200
    assert loop.time() - start >= 0.05
    fake.latency = 0
    with pytest.raises(ValueError, match="latency"):
        fake.latency = float("nan")


# --------------------------------------------------------------------------- rate limit


async def test_token_bucket_with_fake_clock(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    fake.set_rate_limit(2.0, burst=3)
    seen = []
    for _ in range(4):
        status, body, headers = await api.get(A)
        seen.append((status, headers["x-ratelimit-remaining"], headers["x-ratelimit-reset"]))
        assert headers["x-ratelimit-limit"] == "3"
    assert seen == [(200, "2", "0"), (200, "1", "0"), (200, "0", "1"), (429, "0", "1")]
    assert body["errors"][0] == {
        "code": "10011",
        "title": "Too many requests",
        "detail": body["errors"][0]["detail"],
    }
    assert headers["Retry-After"] == "1"
    assert fake.rate_limited_count == 1
    clock.advance(0.5)  # one token back
    assert (await api.get(A))[0] == 200
    assert (await api.get(A))[0] == 429
    clock.advance(10)  # refills up to the burst only
    statuses = [(await api.get(A))[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert fake.rate_limited_count == 3
    assert assert_fake_responses_valid(fake) in (0, len(fake.requests))


async def test_rate_limit_reset_rounds_up_and_retry_after_is_optional(
    api: Api, fake: FakeTelnyx, clock: FakeClock
) -> None:
    fake.set_rate_limit(0.25, burst=1, retry_after=False)
    assert (await api.get(A))[0] == 200
    status, _, headers = await api.get(A)
    assert status == 429 and headers["x-ratelimit-reset"] == "4"
    assert "Retry-After" not in headers
    clock.advance(1.5)
    status, _, headers = await api.get(A)
    assert status == 429 and headers["x-ratelimit-reset"] == "3"
    fake.set_rate_limit(None)
    status, _, headers = await api.get(A)
    assert status == 200 and "x-ratelimit-limit" not in headers


def test_set_rate_limit_validates() -> None:
    fake = FakeTelnyx()
    with pytest.raises(ValueError, match="rate_per_second"):
        fake.set_rate_limit(0)
    with pytest.raises(ValueError, match="burst"):
        fake.set_rate_limit(1, burst=0)


# --------------------------------------------------------------------------- idempotency


async def test_same_key_same_body_replays(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    path = f"{A}/tests/{test['test_id']}/runs"
    key = {"Idempotency-Key": "run-1"}
    first = await api.post(path, json={}, headers=key)
    second = await api.post(path, json={}, headers=key)
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert second[2]["Idempotent-Replayed"] == "true"
    assert len(fake.runs) == 1
    assert fake.idempotency_replays == 1
    assert [r.replayed for r in fake.requests] == [False, True]
    third = await api.post(path, json={}, headers={"Idempotency-Key": "run-2"})
    assert third[1]["run_id"] != first[1]["run_id"]
    assert len(fake.runs) == 2


async def test_same_key_different_body_is_422(api: Api, fake: FakeTelnyx) -> None:
    body = {
        "name": "n",
        "destination": "d",
        "instructions": "i",
        "rubric": [{"name": "a", "criteria": "b"}],
    }
    key = {"Idempotency-Key": "create:1"}
    assert (await api.post(f"{A}/tests", json=body, headers=key))[0] == 201
    status, err, _ = await api.post(f"{A}/tests", json={**body, "name": "other"}, headers=key)
    assert status == 422
    assert err["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert len(fake.tests) == 1


async def test_idempotency_on_suite_trigger_and_canary(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    fake.add_test("a", test_suite="s")
    fake.add_test("b", test_suite="s")
    key = {"Idempotency-Key": "suite_1"}
    one = await api.post(f"{A}/tests/test-suites/s/runs", headers=key)
    two = await api.post(f"{A}/tests/test-suites/s/runs", headers=key)
    assert one[1] == two[1] and len(fake.runs) == 2
    canary = {"rules": [{"serve": {"version_id": "x"}}]}
    key = {"Idempotency-Key": "canary_1"}
    assert (await api.post(f"{A}/{aid}/canary-deploys", json=canary, headers=key))[0] == 200
    assert (await api.post(f"{A}/{aid}/canary-deploys", json=canary, headers=key))[0] == 200
    assert (await api.post(f"{A}/{aid}/canary-deploys", json=canary))[0] == 422  # exists already
    assert fake.idempotency_replays == 2


async def test_failures_are_not_stored_and_other_posts_ignore_keys(
    api: Api, fake: FakeTelnyx
) -> None:
    key = {"Idempotency-Key": "k1"}
    assert (await api.post(f"{A}/tests/missing/runs", headers=key))[0] == 404
    test = fake.add_test("t", test_id="missing")
    assert (await api.post(f"{A}/tests/{test['test_id']}/runs", headers=key))[0] == 201
    body = {"name": "n", "instructions": "i"}
    assert (await api.post(A, json=body, headers=key))[0] == 200
    assert (await api.post(A, json=body, headers=key))[0] == 200
    assert len(fake.assistants) == 2
    assert fake.idempotency_replays == 0


async def test_bad_idempotency_key_is_422(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    status, body, _ = await api.post(
        f"{A}/tests/{test['test_id']}/runs", headers={"Idempotency-Key": "not valid!"}
    )
    assert status == 422
    assert body["detail"][0]["type"] == "string_pattern_mismatch"


async def test_retry_after_a_lost_response_is_replayed(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    path = f"{fake.url}{A}/tests/{test['test_id']}/runs"
    headers = {**api.auth, "Idempotency-Key": "lost-1"}
    fake.enqueue(Fault.slow_response(30))
    with pytest.raises(asyncio.TimeoutError):
        async with api.session.post(
            path, headers=headers, timeout=aiohttp.ClientTimeout(total=0.2)
        ) as r:
            await r.read()
    async with api.session.post(path, headers=headers) as resp:
        assert resp.status == 201
        assert resp.headers["Idempotent-Replayed"] == "true"
    assert len(fake.runs) == 1
