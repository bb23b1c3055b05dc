"""``client.ai``: the resource tree hanging off it."""

from __future__ import annotations

from telnyx_async import AsyncTelnyx
from telnyx_async.resources.assistants import AssistantsResource
from telnyx_async.resources.integrations import IntegrationsResource
from telnyx_async.resources.mcp_servers import MCPServersResource
from telnyx_async.resources.tools import SharedToolsResource


def test_ai_sub_resources_are_cached_and_typed(client: AsyncTelnyx) -> None:
    ai = client.ai
    for name, cls in (
        ("assistants", AssistantsResource),
        ("integrations", IntegrationsResource),
        ("mcp_servers", MCPServersResource),
        ("tools", SharedToolsResource),
    ):
        first = getattr(ai, name)
        assert isinstance(first, cls)
        assert getattr(ai, name) is first


def test_shared_tools_and_assistant_tools_are_different(client: AsyncTelnyx) -> None:
    assert client.ai.tools is not client.ai.assistants.tools
    assert hasattr(client.ai.tools, "create")
    assert hasattr(client.ai.assistants.tools, "add")
