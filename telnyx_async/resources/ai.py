"""``client.ai``: the root of the AI Assistants API."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from telnyx_async._resource import Resource

if TYPE_CHECKING:
    from telnyx_async.resources.assistants import AssistantsResource
    from telnyx_async.resources.integrations import IntegrationsResource
    from telnyx_async.resources.mcp_servers import MCPServersResource
    from telnyx_async.resources.tools import SharedToolsResource

__all__ = ["AIResource"]


class AIResource(Resource):
    """Groups ``assistants``, ``integrations``, ``mcp_servers`` and shared ``tools``."""

    @functools.cached_property
    def assistants(self) -> AssistantsResource:
        """AI assistants and everything attached to them (tests, versions, tags, ...)."""
        from telnyx_async.resources.assistants import AssistantsResource

        return AssistantsResource(self._context)

    @functools.cached_property
    def integrations(self) -> IntegrationsResource:
        """The integration catalogue and the account's connections to it."""
        from telnyx_async.resources.integrations import IntegrationsResource

        return IntegrationsResource(self._context)

    @functools.cached_property
    def mcp_servers(self) -> MCPServersResource:
        """MCP servers assistants can draw tools from."""
        from telnyx_async.resources.mcp_servers import MCPServersResource

        return MCPServersResource(self._context)

    @functools.cached_property
    def tools(self) -> SharedToolsResource:
        """The shared tool library (attach tools with ``assistants.tools.add``)."""
        from telnyx_async.resources.tools import SharedToolsResource

        return SharedToolsResource(self._context)
