"""``client.ai.integrations`` and ``client.ai.integrations.connections``."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError
from telnyx_async.models.integrations import (
    Integration,
    IntegrationConnection,
    IntegrationConnectionResponse,
    IntegrationConnectionsListResponse,
    IntegrationsListResponse,
    IntegrationStatus,
)
from telnyx_async.resources.integrations import ConnectionsResource
from telnyx_async.testing import FakeTelnyx


async def test_list_and_retrieve_integrations(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    custom = fake.add_integration("ticketing", available_tools=["open_ticket"])
    listed = await client.ai.integrations.list()
    assert isinstance(listed, IntegrationsListResponse)
    assert {i.id for i in listed.data} == set(fake.integrations)
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.query) == ("GET", "/ai/integrations", [])

    one = await client.ai.integrations.retrieve(custom["id"])
    assert isinstance(one, Integration)
    assert (one.name, one.available_tools) == ("ticketing", ["open_ticket"])
    assert one.status == IntegrationStatus.DISCONNECTED
    rec = fake.requests.last
    assert (rec.path, rec.route) == (
        f"/ai/integrations/{custom['id']}", "/ai/integrations/{integration_id}",
    )


async def test_connections_list_retrieve_delete(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    integration = fake.add_integration("crm", available_tools=["find", "update"])
    conn = fake.add_connection(integration["id"], allowed_tools=["find"])
    connections = client.ai.integrations.connections

    listed = await connections.list()
    assert isinstance(listed, IntegrationConnectionsListResponse)
    assert conn["id"] in {c.id for c in listed.data}
    assert (fake.requests.last.method, fake.requests.last.path) == (
        "GET", "/ai/integrations/connections",
    )

    got = await connections.retrieve(conn["id"])
    assert isinstance(got, IntegrationConnectionResponse)
    assert got.data == IntegrationConnection(
        allowed_tools=["find"], id=conn["id"], integration_id=integration["id"]
    )
    assert fake.requests.last.route == "/ai/integrations/connections/{user_connection_id}"
    assert (await client.ai.integrations.retrieve(integration["id"])).status == "connected"

    result = await connections.delete(conn["id"])  # type: ignore[func-returns-value]
    assert result is None
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.status) == (
        "DELETE", f"/ai/integrations/connections/{conn['id']}", 204,
    )
    assert conn["id"] not in {c.id for c in (await connections.list()).data}
    assert (await client.ai.integrations.retrieve(integration["id"])).status == "disconnected"
    with pytest.raises(NotFoundError):
        await connections.retrieve(conn["id"])


def test_connections_is_a_cached_sub_resource(client: AsyncTelnyx) -> None:
    first = client.ai.integrations.connections
    assert isinstance(first, ConnectionsResource)
    assert client.ai.integrations.connections is first


@pytest.mark.parametrize(
    ("call", "raw"),
    [
        (lambda c, x: c.ai.integrations.retrieve(x), "/ai/integrations/"),
        (lambda c, x: c.ai.integrations.connections.retrieve(x), "/ai/integrations/connections/"),
        (lambda c, x: c.ai.integrations.connections.delete(x), "/ai/integrations/connections/"),
    ],
    ids=["retrieve", "connection-retrieve", "connection-delete"],
)
async def test_empty_and_slashed_ids(
    call: Any, raw: str, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call(client, "")
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        await call(client, "x/y")
    assert fake.requests.last.raw_path == raw + "x%2Fy"


async def test_unknown_keywords_are_type_errors(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError):
        await client.ai.integrations.list(status="connected")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.integrations.connections.delete("c", force=True)  # type: ignore[call-arg]
    assert fake.requests == []
