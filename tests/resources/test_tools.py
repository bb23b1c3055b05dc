"""``client.ai.tools``: the shared tool library."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError
from telnyx_async.models.assistant_tools import PayToolParams
from telnyx_async.models.tools import SharedToolResponse
from telnyx_async.testing import FakeTelnyx, Fault

WEBHOOK = {
    "name": "order_lookup",
    "description": "Find an order by its number.",
    "url": "https://example.com/orders",
    "method": "POST",
}


async def test_create_sends_the_body_and_returns_the_tool(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    tool = await client.ai.tools.create(
        display_name="Order lookup", type="webhook", webhook=WEBHOOK, timeout_ms=3000
    )
    rec = fake.requests.last
    assert (rec.method, rec.path) == ("POST", "/ai/tools")
    assert rec.json == {
        "display_name": "Order lookup", "type": "webhook", "webhook": WEBHOOK, "timeout_ms": 3000,
    }
    assert "Idempotency-Key" not in rec.headers
    assert isinstance(tool, SharedToolResponse)
    assert (tool.display_name, tool.type, tool.timeout_ms) == ("Order lookup", "webhook", 3000)
    assert tool.tool_definition == WEBHOOK
    assert tool.id in fake.tools


async def test_create_accepts_models_for_pay(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    await client.ai.tools.create(
        display_name="Pay", type="pay", pay=PayToolParams(connector_name="stripe", currency="USD"),
        idempotency_key="tool-1",
    )
    rec = fake.requests.last
    assert rec.json == {"display_name": "Pay", "type": "pay", "pay": {"connector_name": "stripe", "currency": "USD"}}
    assert rec.headers["Idempotency-Key"] == "tool-1"


async def test_retrieve_update_delete(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    stored = fake.add_tool("Order lookup")
    got = await client.ai.tools.retrieve(stored["id"])
    assert isinstance(got, SharedToolResponse)
    assert got.id == stored["id"]
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == ("GET", f"/ai/tools/{stored['id']}", "/ai/tools/{tool_id}")

    updated = await client.ai.tools.update(stored["id"], display_name="Find order", timeout_ms=9000)
    rec = fake.requests.last
    assert rec.method == "PATCH"
    assert rec.json == {"display_name": "Find order", "timeout_ms": 9000}
    assert (updated.display_name, updated.timeout_ms) == ("Find order", 9000)
    assert (await client.ai.tools.retrieve(stored["id"])).display_name == "Find order"

    deleted = await client.ai.tools.delete(stored["id"])
    assert deleted == {}
    assert (fake.requests.last.method, fake.requests.last.status) == ("DELETE", 200)
    assert fake.tools == {}
    with pytest.raises(NotFoundError):
        await client.ai.tools.retrieve(stored["id"])


async def test_deleting_a_tool_takes_it_off_assistants(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    stored = fake.add_tool("Lookup")
    a = fake.add_assistant(tool_ids=[stored["id"]])
    assert len((await client.ai.assistants.retrieve(a["id"])).tools or []) == 1
    await client.ai.tools.delete(stored["id"])
    assert (await client.ai.assistants.retrieve(a["id"])).tools == []


async def test_list_sends_filters_and_pages_with_async_for(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    wanted = [fake.add_tool(f"Order tool {i}")["id"] for i in range(5)]
    fake.add_tool("Unrelated")
    fake.add_tool("Order client tool", type="client_side_tool")
    seen = [
        t async for t in client.ai.tools.list(
            filter_type="webhook", filter_name="order", page_size=2, prefetch=0
        )
    ]
    assert [t.id for t in seen] == wanted
    assert all(isinstance(t, SharedToolResponse) for t in seen)
    assert [r.query for r in fake.requests] == [
        [("filter[type]", "webhook"), ("filter[name]", "order"),
         *([("page[number]", str(n))] if n > 1 else []),  # page 1 is asked for without page[number]: only what the caller passed is sent
         ("page[size]", "2")]
        for n in (1, 2, 3)
    ]


async def test_list_first_page_without_filters(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    for i in range(3):
        fake.add_tool(f"T{i}")
    page = await client.ai.tools.list()
    assert len(page.data) == 3
    assert page.meta is not None and page.meta.total_results == 3
    assert fake.requests.last.query == []


@pytest.mark.parametrize("method", ["retrieve", "update", "delete"])
async def test_empty_and_slashed_ids(method: str, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    call = getattr(client.ai.tools, method)
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call("")
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        await call("t/1")
    assert fake.requests.last.raw_path == "/ai/tools/t%2F1"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.tools.create(display_name="x"),
        lambda c: c.ai.tools.create(display_name="x", type="webhook", name="y"),
        lambda c: c.ai.tools.update("t", description="x"),
        lambda c: c.ai.tools.list(type="webhook"),
    ],
    ids=["missing-type", "create-unknown", "update-unknown", "list-unknown"],
)
async def test_bad_keywords_are_type_errors(call: Any, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError):
        await call(client)
    assert fake.requests == []


async def test_delete_with_an_empty_answer_gives_an_empty_dict(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    stored = fake.add_tool("T")
    fake.enqueue(Fault.status(200))
    assert await client.ai.tools.delete(stored["id"]) == {}
