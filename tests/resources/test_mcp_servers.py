"""``client.ai.mcp_servers``: create, retrieve, update, list (bare-array pages), delete."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError
from telnyx_async.models.mcp_servers import MCPServer
from telnyx_async.testing import FakeTelnyx


async def test_create_sends_the_body_and_returns_a_server(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    server = await client.ai.mcp_servers.create(
        name="Docs", type="sse", url="https://mcp.example.com/sse", allowed_tools=["search"]
    )
    rec = fake.requests.last
    assert (rec.method, rec.path) == ("POST", "/ai/mcp_servers")
    assert rec.json == {
        "name": "Docs", "type": "sse", "url": "https://mcp.example.com/sse",
        "allowed_tools": ["search"],
    }
    assert isinstance(server, MCPServer)
    assert (server.name, server.allowed_tools, server.api_key_ref) == ("Docs", ["search"], None)
    assert isinstance(server.created_at, datetime.datetime)
    assert server.id in fake.mcp_servers


async def test_create_with_key_ref_and_idempotency_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    await client.ai.mcp_servers.create(
        name="N", type="http", url="https://x", api_key_ref="mcp_key", idempotency_key="m-1"
    )
    rec = fake.requests.last
    assert rec.json == {"name": "N", "type": "http", "url": "https://x", "api_key_ref": "mcp_key"}
    assert rec.headers["Idempotency-Key"] == "m-1"


async def test_retrieve_and_update(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    stored = fake.add_mcp_server("Old", "https://old.example.com", api_key_ref="k1")
    got = await client.ai.mcp_servers.retrieve(stored["id"])
    assert isinstance(got, MCPServer)
    assert (got.id, got.name) == (stored["id"], "Old")
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "GET", f"/ai/mcp_servers/{stored['id']}", "/ai/mcp_servers/{mcp_server_id}",
    )

    updated = await client.ai.mcp_servers.update(
        stored["id"], name="New", api_key_ref=None, allowed_tools=["a", "b"]
    )
    rec = fake.requests.last
    assert rec.method == "PUT"
    assert rec.json == {"name": "New", "api_key_ref": None, "allowed_tools": ["a", "b"]}
    assert (updated.name, updated.api_key_ref, updated.allowed_tools) == ("New", None, ["a", "b"])
    assert updated.url == "https://old.example.com"
    assert (await client.ai.mcp_servers.retrieve(stored["id"])).name == "New"


async def test_update_with_nothing_sends_an_empty_object(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    stored = fake.add_mcp_server("S", "https://s")
    await client.ai.mcp_servers.update(stored["id"])
    assert fake.requests.last.body == b"{}"


async def test_list_pages_over_bare_arrays_with_async_for(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    ids = [fake.add_mcp_server(f"S{i}", f"https://s{i}.example.com", type="sse")["id"] for i in range(5)]
    fake.add_mcp_server("Other", "https://other.example.com", type="http")

    seen = [s async for s in client.ai.mcp_servers.list(type="sse", page_size=2, prefetch=0)]
    assert [s.id for s in seen] == ids
    assert all(isinstance(s, MCPServer) for s in seen)
    assert all(r.path == "/ai/mcp_servers" for r in fake.requests)
    assert [r.query for r in fake.requests] == [
        [("type", "sse"), ("page[size]", "2")],  # page 1 is asked for without page[number]: only what the caller passed is sent
        *([("type", "sse"), ("page[number]", str(n)), ("page[size]", "2")] for n in (2, 3)),
    ]


async def test_list_stops_on_an_empty_page(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    for i in range(4):
        fake.add_mcp_server(f"S{i}", f"https://s{i}")
    seen = [s async for s in client.ai.mcp_servers.list(page_size=2, prefetch=0)]
    assert len(seen) == 4
    numbers = [dict(r.query).get("page[number]", "first") for r in fake.requests]
    assert numbers in (["first", "2"], ["first", "2", "3"])  # a full last page may need one more look


async def test_list_first_page_and_url_filter(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    wanted = fake.add_mcp_server("A", "https://a.example.com")
    fake.add_mcp_server("B", "https://b.example.com")
    page = await client.ai.mcp_servers.list(url="https://a.example.com")
    assert [s.id for s in page.data] == [wanted["id"]]
    assert page.meta is None
    assert fake.requests.last.query == [("url", "https://a.example.com")]


async def test_delete_returns_none(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    stored = fake.add_mcp_server("S", "https://s")
    result = await client.ai.mcp_servers.delete(stored["id"])  # type: ignore[func-returns-value]
    assert result is None
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.status) == ("DELETE", f"/ai/mcp_servers/{stored['id']}", 200)
    assert fake.mcp_servers == {}
    with pytest.raises(NotFoundError):
        await client.ai.mcp_servers.retrieve(stored["id"])


@pytest.mark.parametrize("method", ["retrieve", "update", "delete"])
async def test_empty_and_slashed_ids(method: str, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    call = getattr(client.ai.mcp_servers, method)
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call("")
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        await call("m/1")
    assert fake.requests.last.raw_path == "/ai/mcp_servers/m%2F1"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.mcp_servers.create(name="n", type="sse"),
        lambda c: c.ai.mcp_servers.create(name="n", type="sse", url="u", tools=["x"]),
        lambda c: c.ai.mcp_servers.update("m", description="x"),
        lambda c: c.ai.mcp_servers.list(name="x"),
    ],
    ids=["missing-url", "create-unknown", "update-unknown", "list-unknown"],
)
async def test_bad_keywords_are_type_errors(call: Any, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError):
        await call(client)
    assert fake.requests == []


async def test_bad_paging_arguments(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(ValueError, match="page_size"):
        client.ai.mcp_servers.list(page_size=0)
    with pytest.raises(ValueError, match="page_number"):
        client.ai.mcp_servers.list(page_number=0)
    assert fake.requests == []
