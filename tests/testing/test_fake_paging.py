"""Paging, filters and the paging bug mode of FakeTelnyx."""

from __future__ import annotations

import pytest

from telnyx_async.testing import FakeTelnyx

from ._fake_http import Api

A = "/ai/assistants"


async def test_tests_pages_in_creation_order(api: Api, fake: FakeTelnyx) -> None:
    ids = [fake.add_test(f"t{i}")["test_id"] for i in range(45)]
    status, body, _ = await api.get(f"{A}/tests")
    assert status == 200
    assert body["meta"] == {
        "page_number": 1,
        "page_size": 20,
        "total_pages": 3,
        "total_results": 45,
    }
    seen: list[str] = []
    for number in (1, 2, 3, 4):
        status, body, _ = await api.get(f"{A}/tests", params={"page[number]": str(number)})
        assert status == 200
        assert body["meta"]["page_number"] == number
        seen += [t["test_id"] for t in body["data"]]
    assert seen == ids  # page 4 is empty


async def test_assistants_default_to_100_per_page_with_meta(api: Api, fake: FakeTelnyx) -> None:
    ids = [fake.add_assistant(name=f"a{i}")["id"] for i in range(250)]
    status, body, _ = await api.get(A)
    assert status == 200
    assert len(body["data"]) == 100
    assert body["meta"] == {
        "page_number": 1,
        "page_size": 100,
        "total_pages": 3,
        "total_results": 250,
    }
    seen = [a["id"] for a in body["data"]]
    for number in (2, 3):
        _, body, _ = await api.get(A, params={"page[number]": str(number)})
        seen += [a["id"] for a in body["data"]]
    assert seen == ids
    _, body, _ = await api.get(A, params={"page[size]": "7", "page[number]": "2"})
    assert [a["id"] for a in body["data"]] == ids[7:14]


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"page[size]": "0"}, "greater_than_equal"),
        ({"page[size]": "-3"}, "greater_than_equal"),
        ({"page[size]": "101"}, "less_than_equal"),
        ({"page[number]": "0"}, "greater_than_equal"),
        ({"page[number]": "two"}, "int_parsing"),
    ],
)
async def test_bad_page_parameters_are_422(api: Api, params: dict[str, str], kind: str) -> None:
    status, body, _ = await api.get(f"{A}/tests", params=params)
    assert status == 422
    entry = body["detail"][0]
    assert entry["type"] == kind
    assert entry["loc"] == ["query", next(iter(params))]


async def test_every_paged_list_rejects_size_zero(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    tid = fake.add_test("t", test_suite="s")["test_id"]
    for path in (
        A,
        f"{A}/tests",
        f"{A}/tests/{tid}/runs",
        f"{A}/tests/test-suites/s/runs",
        f"{A}/{aid}/scheduled_events",
        "/ai/tools",
        "/ai/mcp_servers",
    ):
        status, _, _ = await api.get(path, params={"page[size]": "0"})
        assert status == 422, path


async def test_mcp_servers_page_as_a_bare_array(api: Api, fake: FakeTelnyx) -> None:
    ids = [fake.add_mcp_server(f"m{i}", f"https://m{i}.example.com")["id"] for i in range(45)]
    status, body, _ = await api.get("/ai/mcp_servers")
    assert status == 200
    assert isinstance(body, list) and len(body) == 20
    seen: list[str] = []
    number = 1
    while True:
        _, page, _ = await api.get("/ai/mcp_servers", params={"page[number]": str(number)})
        seen += [m["id"] for m in page]
        if len(page) < 20:
            break
        number += 1
    assert seen == ids and number == 3
    _, page, _ = await api.get("/ai/mcp_servers", params={"page[number]": "9"})
    assert page == []


async def test_mcp_filters(api: Api, fake: FakeTelnyx) -> None:
    fake.add_mcp_server("a", "https://a.example.com", type="sse")
    fake.add_mcp_server("b", "https://b.example.com", type="http")
    _, page, _ = await api.get("/ai/mcp_servers", params={"type": "sse"})
    assert [m["name"] for m in page] == ["a"]
    _, page, _ = await api.get("/ai/mcp_servers", params={"url": "https://b.example.com"})
    assert [m["name"] for m in page] == ["b"]


async def test_ignore_page_number_serves_page_one_forever(api: Api, fake: FakeTelnyx) -> None:
    for i in range(30):
        fake.add_test(f"t{i}")
        fake.add_mcp_server(f"m{i}", "https://m.example.com")
    fake.ignore_page_number = True
    assert fake.ignore_page_number
    _, first, _ = await api.get(f"{A}/tests")
    _, second, _ = await api.get(f"{A}/tests", params={"page[number]": "2"})
    assert second["data"] == first["data"]
    assert second["meta"]["page_number"] == 1
    assert second["meta"]["total_pages"] == 2
    _, one, _ = await api.get("/ai/mcp_servers")
    _, two, _ = await api.get("/ai/mcp_servers", params={"page[number]": "2"})
    assert one == two and len(two) == 20
    fake.ignore_page_number = False
    _, second, _ = await api.get(f"{A}/tests", params={"page[number]": "2"})
    assert second["meta"]["page_number"] == 2 and len(second["data"]) == 10


async def test_test_filters(api: Api, fake: FakeTelnyx) -> None:
    fake.add_test("a", test_suite="s1", destination="d1", telnyx_conversation_channel="sms_chat")
    fake.add_test("b", test_suite="s1", destination="d2")
    fake.add_test("c", test_suite="s2", destination="d1")
    names = {}
    for params in (
        {"test_suite": "s1"},
        {"destination": "d1"},
        {"telnyx_conversation_channel": "sms_chat"},
        {"test_suite": "s1", "destination": "d1"},
    ):
        _, body, _ = await api.get(f"{A}/tests", params=params)
        names[tuple(params.items())] = [t["name"] for t in body["data"]]
        assert body["meta"]["total_results"] == len(body["data"])
    assert list(names.values()) == [["a", "b"], ["a", "c"], ["a"], ["a"]]


async def test_tool_filters(api: Api, fake: FakeTelnyx) -> None:
    fake.add_tool("Weather lookup")
    fake.add_tool("Order lookup")
    fake.add_tool("Hand off", type="handoff", handoff={"ai_assistants": []})
    _, body, _ = await api.get("/ai/tools", params={"filter[type]": "webhook"})
    assert [t["display_name"] for t in body["data"]] == ["Weather lookup", "Order lookup"]
    _, body, _ = await api.get("/ai/tools", params={"filter[name]": "order"})
    assert [t["display_name"] for t in body["data"]] == ["Order lookup"]
    assert body["meta"]["total_results"] == 1


async def test_scheduled_event_filters(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    other = fake.add_assistant()["id"]
    base = {"telnyx_end_user_target": "+1", "telnyx_agent_target": "+2"}
    plan = [
        ("phone_call", "2030-01-01T09:00:00Z", aid),
        ("sms_chat", "2030-01-02T09:00:00Z", aid),
        ("phone_call", "2030-01-03T09:00:00+02:00", aid),
        ("phone_call", "2030-01-02T12:00:00Z", other),
    ]
    for channel, when, owner in plan:
        status, _, _ = await api.post(
            f"{A}/{owner}/scheduled_events",
            json={
                **base,
                "telnyx_conversation_channel": channel,
                "scheduled_at_fixed_datetime": when,
                "text": "hello",
            },
        )
        assert status == 201
    _, body, _ = await api.get(f"{A}/{aid}/scheduled_events")
    assert body["meta"]["total_results"] == 3
    _, body, _ = await api.get(
        f"{A}/{aid}/scheduled_events",
        params={"from_date": "2030-01-01T12:00:00Z", "to_date": "2030-01-03T08:00:00Z"},
    )
    assert [e["scheduled_at_fixed_datetime"] for e in body["data"]] == [
        "2030-01-02T09:00:00.000000Z",
        "2030-01-03T07:00:00.000000Z",
    ]
    _, body, _ = await api.get(
        f"{A}/{aid}/scheduled_events", params={"conversation_channel": "sms_chat"}
    )
    assert [e["telnyx_conversation_channel"] for e in body["data"]] == ["sms_chat"]
    assert "text" in body["data"][0]
    status, body, _ = await api.get(
        f"{A}/{aid}/scheduled_events", params={"conversation_channel": "fax"}
    )
    assert status == 422
    status, body, _ = await api.get(f"{A}/{aid}/scheduled_events", params={"from_date": "soon"})
    assert status == 422 and body["detail"][0]["loc"] == ["query", "from_date"]
