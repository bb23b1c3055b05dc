"""FakeTelnyx lifecycle, auth, routing errors, validation and request recording."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from telnyx_async.testing import FakeTelnyx, Fault, RecordedRequest

from ._fake_http import Api

A = "/ai/assistants"


# --------------------------------------------------------------------------- lifecycle


async def test_url_port_and_idempotent_stop() -> None:
    fake = FakeTelnyx(api_key="k-1")
    assert not fake.running
    with pytest.raises(RuntimeError, match="not running"):
        _ = fake.url
    await fake.start()
    try:
        assert fake.running
        assert fake.url == f"http://127.0.0.1:{fake.port}/v2"
        assert fake.api_key == "k-1"
        assert await fake.start() is fake  # starting twice is harmless
    finally:
        await fake.stop()
    await fake.stop()
    assert not fake.running


async def test_binds_loopback_only() -> None:
    async with FakeTelnyx() as fake:
        runner = fake._server.runner
        assert runner is not None
        assert [addr[0] for addr in runner.addresses] == ["127.0.0.1"]


async def test_two_fakes_get_different_ports() -> None:
    async with FakeTelnyx() as one, FakeTelnyx() as two:
        assert one.port != two.port


async def test_stop_with_a_request_in_flight_is_prompt_and_clean() -> None:
    fake = await FakeTelnyx().start()
    fake.enqueue(Fault.delay(30))
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        task = asyncio.ensure_future(
            session.get(fake.url + A, headers={"Authorization": "Bearer test-key"})
        )
        await fake.wait_in_flight(1)
        await asyncio.wait_for(fake.stop(), 2)
        with pytest.raises(aiohttp.ClientError):
            resp = await task
            resp.release()
    assert fake.in_flight == 0


def test_constructor_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="api_key"):
        FakeTelnyx(api_key="")
    with pytest.raises(ValueError, match="latency"):
        FakeTelnyx(latency=-1)


async def test_client_builds_an_sdk_client_pointed_at_the_fake(fake: FakeTelnyx) -> None:
    sdk = pytest.importorskip("telnyx_async")
    if not hasattr(sdk, "AsyncTelnyx"):
        pytest.skip("AsyncTelnyx is not available yet")
    async with fake.client() as client:
        assert type(client).__name__ == "AsyncTelnyx"
        assert str(getattr(client, "base_url", fake.url)).rstrip("/") == fake.url


# --------------------------------------------------------------------------- auth


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-key"},
        {"Authorization": "Basic test-key"},
        {"Authorization": "test-key"},
        {"Authorization": "Bearer "},
    ],
    ids=["missing", "wrong-key", "wrong-scheme", "no-scheme", "empty"],
)
async def test_requests_without_the_right_key_get_401(
    api: Api, fake: FakeTelnyx, headers: dict[str, str]
) -> None:
    status, body, _ = await api.get(A, auth=False, headers=headers)
    assert status == 401
    assert body["errors"][0]["code"] == "10009"
    assert body["errors"][0]["title"] == "Authentication failed"
    assert "wrong-key" not in json.dumps(body)
    assert "test-key" not in fake.requests[-1].response_body.decode()


async def test_bearer_scheme_is_case_insensitive(api: Api) -> None:
    status, _, _ = await api.get(A, auth=False, headers={"Authorization": "bearer test-key"})
    assert status == 200


async def test_recorded_request_repr_redacts_the_key(api: Api, fake: FakeTelnyx) -> None:
    await api.get(A)
    rec = fake.requests[-1]
    assert rec.headers["Authorization"] == "Bearer test-key"  # tests may check what was sent
    assert "test-key" not in repr(rec)
    assert "<redacted>" in repr(rec)


# --------------------------------------------------------------------------- routing errors


async def test_unknown_id_is_404_in_telnyx_format(api: Api) -> None:
    for path in (
        f"{A}/nope",
        f"{A}/tests/nope",
        "/ai/tools/nope",
        "/ai/mcp_servers/nope",
        "/ai/integrations/nope",
        "/ai/integrations/connections/nope",
    ):
        status, body, _ = await api.get(path)
        assert status == 404, path
        assert body["errors"][0]["code"] == "10005"
        assert body["errors"][0]["title"] == "Resource not found"


async def test_unknown_path_is_404_and_wrong_method_is_405(api: Api, fake: FakeTelnyx) -> None:
    status, body, _ = await api.get("/ai/nothing/here")
    assert status == 404
    assert body["errors"][0]["code"] == "10005"
    assert fake.requests[-1].route is None
    status, body, headers = await api.patch(A)
    assert status == 405
    assert set(headers["Allow"].split(", ")) == {"GET", "POST"}
    assert body["errors"][0]["title"] == "Method not allowed"


async def test_path_outside_v2_is_404(api: Api, fake: FakeTelnyx) -> None:
    async with api.session.get(
        f"http://127.0.0.1:{fake.port}/ai/assistants", headers=api.auth
    ) as resp:
        assert resp.status == 404


async def test_literal_segments_win_over_parameters(api: Api, fake: FakeTelnyx) -> None:
    status, body, _ = await api.get(f"{A}/tags")
    assert status == 200 and body == {"tags": []}
    assert fake.requests[-1].route == f"{A}/tags"
    # no DELETE on the literal path, so this reaches the assistant template
    status, _, _ = await api.delete(f"{A}/tests")
    assert status == 404
    assert fake.requests[-1].route == f"{A}/{{assistant_id}}"
    # no template takes PATCH here: the route is the best path match, the answer a 405
    status, _, _ = await api.patch(f"{A}/tests")
    assert status == 405
    assert fake.requests[-1].route == f"{A}/tests"


# --------------------------------------------------------------------------- validation


async def test_missing_required_fields_each_reported(api: Api) -> None:
    status, body, _ = await api.post(A, json={"model": "x"})
    assert status == 422
    locs = [entry["loc"] for entry in body["detail"]]
    assert locs == [["body", "name"], ["body", "instructions"]]
    assert all(e["msg"] == "Field required" and e["type"] == "missing" for e in body["detail"])


async def test_wrong_types_enums_and_bounds(api: Api) -> None:
    status, body, _ = await api.post(
        f"{A}/tests",
        json={
            "name": "",
            "destination": 5,
            "instructions": "x",
            "rubric": [],
            "telnyx_conversation_channel": "pigeon",
            "max_duration_seconds": 0,
        },
    )
    assert status == 422
    by_field = {tuple(e["loc"]): e for e in body["detail"]}
    assert by_field[("body", "name")]["type"] == "string_too_short"
    assert by_field[("body", "destination")]["type"] == "string_type"
    assert by_field[("body", "rubric")]["type"] == "too_short"
    assert by_field[("body", "telnyx_conversation_channel")]["type"] == "enum"
    assert by_field[("body", "max_duration_seconds")]["type"] == "greater_than_equal"


async def test_rubric_items_need_name_and_criteria(api: Api) -> None:
    status, body, _ = await api.post(
        f"{A}/tests",
        json={"name": "n", "destination": "d", "instructions": "i", "rubric": [{"name": "x"}]},
    )
    assert status == 422
    assert body["detail"][0]["loc"] == ["body", "rubric", 0, "criteria"]


@pytest.mark.parametrize(
    ("data", "kind", "loc"),
    [
        (b"{not json", "json_invalid", ["body", 1]),
        (b"[1, 2]", "model_attributes_type", ["body"]),
        (b"", "missing", ["body"]),
    ],
)
async def test_unparseable_or_missing_body(
    api: Api, data: bytes, kind: str, loc: list[object]
) -> None:
    status, body, _ = await api.post(A, data=data, headers={"Content-Type": "application/json"})
    assert status == 422
    assert body["detail"][0]["type"] == kind
    assert body["detail"][0]["loc"] == loc


async def test_optional_body_may_be_empty(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    status, _, _ = await api.post(f"{A}/tests/{test['test_id']}/runs")
    assert status == 201


async def test_scheduled_sms_needs_text_and_a_valid_datetime(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    base = {
        "telnyx_conversation_channel": "sms_chat",
        "telnyx_end_user_target": "+1",
        "telnyx_agent_target": "+2",
        "scheduled_at_fixed_datetime": "2030-01-01T00:00:00Z",
    }
    status, body, _ = await api.post(f"{A}/{aid}/scheduled_events", json=base)
    assert status == 422 and body["detail"][0]["loc"] == ["body", "text"]
    bad = {**base, "text": "hi", "scheduled_at_fixed_datetime": "next tuesday"}
    status, body, _ = await api.post(f"{A}/{aid}/scheduled_events", json=bad)
    assert status == 422 and body["detail"][0]["loc"] == ["body", "scheduled_at_fixed_datetime"]


# --------------------------------------------------------------------------- recording


async def test_records_method_paths_query_headers_and_bodies(api: Api, fake: FakeTelnyx) -> None:
    fake.add_test("t", test_suite="a b")
    status, _, _ = await api.get(
        f"{A}/tests",
        params=[("test_suite", "a b"), ("page[size]", "5"), ("page[number]", "1")],
        headers={"X-Trace": "abc"},
    )
    assert status == 200
    rec = fake.requests[-1]
    assert isinstance(rec, RecordedRequest)
    assert rec.method == "GET"
    assert rec.path == f"{A}/tests"
    assert rec.route == f"{A}/tests"
    assert rec.query == [("test_suite", "a b"), ("page[size]", "5"), ("page[number]", "1")]
    assert rec.query_dict["page[size]"] == "5"
    assert rec.headers["x-trace"] == "abc" and rec.headers["X-TRACE"] == "abc"
    assert "X-Trace" in rec.headers
    assert rec.target.startswith("/v2/ai/assistants/tests?")
    assert rec.status == 200 and rec.completed
    assert rec.response_json["meta"]["page_size"] == 5
    assert rec.response_headers["Content-Type"] == "application/json"
    assert rec.response_headers["x-request-id"]

    status, body, _ = await api.post(A, json={"name": "n", "instructions": "i"})
    rec = fake.requests[-1]
    assert rec.json == {"name": "n", "instructions": "i"}
    assert json.loads(rec.body) == rec.json
    assert rec.response_json == body


async def test_percent_encoded_path_parameters_are_decoded(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant(tags=["a/b c"])["id"]
    async with api.session.delete(f"{fake.url}{A}/{aid}/tags/a%2Fb%20c", headers=api.auth) as resp:
        assert resp.status == 200
        assert await resp.json() == {"tags": []}
    rec = fake.requests[-1]
    assert rec.raw_path == f"{A}/{aid}/tags/a%2Fb%20c"
    assert rec.path == f"{A}/{aid}/tags/a/b c"
    assert rec.route == f"{A}/{{assistant_id}}/tags/{{tag}}"


async def test_matching_and_reset_requests(api: Api, fake: FakeTelnyx) -> None:
    await api.get(A)
    await api.get("/ai/tools")
    await api.post(A, json={"name": "n", "instructions": "i"})
    assert len(fake.requests.matching(method="get")) == 2
    assert len(fake.requests.matching(route=A)) == 2
    assert fake.requests.last.method == "POST"
    fake.reset_requests()
    assert fake.requests == []
    assert fake.max_in_flight == 0
    await api.get(A)
    assert len(fake.requests) == 1
    fake.requests.clear()
    assert len(fake.requests) == 0


async def test_max_in_flight_counts_concurrent_requests(api: Api, fake: FakeTelnyx) -> None:
    fake.hold()
    tasks = [asyncio.ensure_future(api.get(A)) for _ in range(5)]
    await fake.wait_in_flight(5)
    assert fake.in_flight == 5
    assert all(r.status is None and not r.completed for r in fake.requests)
    fake.release()
    results = await asyncio.gather(*tasks)
    assert [status for status, _, _ in results] == [200] * 5
    assert fake.max_in_flight == 5
    assert fake.in_flight == 0


async def test_wait_in_flight_times_out(fake: FakeTelnyx) -> None:
    with pytest.raises(TimeoutError, match="1 request"):
        await fake.wait_in_flight(1, deadline=0.01)


async def test_wait_timeout_is_the_deprecated_name_of_deadline(fake: FakeTelnyx) -> None:
    with pytest.warns(DeprecationWarning, match="deadline"), pytest.raises(TimeoutError):
        await fake.wait_in_flight(1, timeout=0.01)
    with pytest.warns(DeprecationWarning, match="wait_idle"):
        await fake.wait_idle(timeout=1)  # nothing in flight: returns at once
    await fake.wait_idle(deadline=1)
    with pytest.raises(TimeoutError, match="1 request"):
        await fake.wait_in_flight(1, 0.01)  # positionally, as before



async def test_deeply_nested_json_is_answered_not_crashed() -> None:
    """Bodies nested past what Python can decode: a 422 for a request, non-JSON for a reply."""
    deep = b"[" * 100_000 + b"]" * 100_000
    headers = {"Authorization": "Bearer test-key", "Content-Type": "application/json"}
    async with FakeTelnyx() as fake, aiohttp.ClientSession() as session:
        async with session.post(fake.url + A, data=b'{"name": ' + deep + b"}", headers=headers) as resp:
            assert resp.status == 422
        fake.enqueue(Fault.status(200, body=deep, content_type="application/json"))
        async with session.get(fake.url + A, headers=headers) as resp:
            assert resp.status == 200
            assert await resp.read() == deep
        assert fake.requests[-1].status == 200
        assert fake.requests[-1].response_json is None
