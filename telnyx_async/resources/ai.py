"""``client.ai``: the root of the AI Assistants API."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from telnyx_async._resource import Resource
from telnyx_async._response import ResponseView

if TYPE_CHECKING:
    from telnyx_async.resources.assistants import (
        AssistantsResource,
        AssistantsWithRawResponse,
        AssistantsWithStreamingResponse,
    )
    from telnyx_async.resources.integrations import (
        IntegrationsResource,
        IntegrationsWithRawResponse,
        IntegrationsWithStreamingResponse,
    )
    from telnyx_async.resources.mcp_servers import (
        MCPServersResource,
        MCPServersWithRawResponse,
        MCPServersWithStreamingResponse,
    )
    from telnyx_async.resources.tools import (
        SharedToolsResource,
        SharedToolsWithRawResponse,
        SharedToolsWithStreamingResponse,
    )

__all__ = [
    "AIResource",
    "AIWithRawResponse",
    "AIWithStreamingResponse",
    "ClientWithRawResponse",
    "ClientWithStreamingResponse",
]


class AIResource(Resource):
    """Groups ``assistants``, ``integrations``, ``mcp_servers`` and shared ``tools``."""

    @functools.cached_property
    def with_raw_response(self) -> AIWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return AIWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> AIWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return AIWithStreamingResponse(self)

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


class AIWithRawResponse(ResponseView[AIResource]):
    """``AI`` calls giving the raw response (``await``, then ``parse()``)."""

    @property
    def assistants(self) -> AssistantsWithRawResponse:
        """The same for ``assistants``."""
        return self._resource.assistants.with_raw_response

    @property
    def integrations(self) -> IntegrationsWithRawResponse:
        """The same for ``integrations``."""
        return self._resource.integrations.with_raw_response

    @property
    def mcp_servers(self) -> MCPServersWithRawResponse:
        """The same for ``mcp_servers``."""
        return self._resource.mcp_servers.with_raw_response

    @property
    def tools(self) -> SharedToolsWithRawResponse:
        """The same for ``tools``."""
        return self._resource.tools.with_raw_response


class AIWithStreamingResponse(ResponseView[AIResource]):
    """``AI`` calls with the body unread until asked for: ``async with``."""

    @property
    def assistants(self) -> AssistantsWithStreamingResponse:
        """The same for ``assistants``."""
        return self._resource.assistants.with_streaming_response

    @property
    def integrations(self) -> IntegrationsWithStreamingResponse:
        """The same for ``integrations``."""
        return self._resource.integrations.with_streaming_response

    @property
    def mcp_servers(self) -> MCPServersWithStreamingResponse:
        """The same for ``mcp_servers``."""
        return self._resource.mcp_servers.with_streaming_response

    @property
    def tools(self) -> SharedToolsWithStreamingResponse:
        """The same for ``tools``."""
        return self._resource.tools.with_streaming_response


class ClientWithRawResponse:
    """``client.with_raw_response``: the official SDK's way in, leading to ``client.ai``'s."""

    def __init__(self, ai: AIResource) -> None:
        self._ai = ai

    @property
    def ai(self) -> AIWithRawResponse:
        """The same as ``client.ai.with_raw_response``."""
        return self._ai.with_raw_response


class ClientWithStreamingResponse:
    """``client.with_streaming_response``, leading to ``client.ai``'s."""

    def __init__(self, ai: AIResource) -> None:
        self._ai = ai

    @property
    def ai(self) -> AIWithStreamingResponse:
        """The same as ``client.ai.with_streaming_response``."""
        return self._ai.with_streaming_response
