"""``client.ai.mcp_servers``: Model Context Protocol servers assistants can take tools from."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.mcp_servers import (
    CreateMCPServerRequest,
    MCPServer,
    UpdateMCPServerRequest,
)

__all__ = ["MCPServersResource", "MCPServersWithRawResponse", "MCPServersWithStreamingResponse"]


_SERVER = "/ai/mcp_servers/{mcp_server_id}"


class MCPServersResource(Resource):
    """Register, change, list and remove the account's MCP servers."""

    @functools.cached_property
    def with_raw_response(self) -> MCPServersWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return MCPServersWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> MCPServersWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return MCPServersWithStreamingResponse(self)

    async def create(
        self,
        *,
        name: str,
        type: str,
        url: str,
        allowed_tools: Unset[Sequence[str]] = UNSET,
        api_key_ref: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> MCPServer:
        """Register an MCP server by name, transport ``type`` (e.g. ``"sse"``) and ``url``.

        ``allowed_tools`` limits which of its tools assistants may call;
        ``api_key_ref`` names the stored secret used to authenticate.
        """
        body = {
            "name": name,
            "type": type,
            "url": url,
            "allowed_tools": allowed_tools,
            "api_key_ref": api_key_ref,
        }
        return await self._call(
            "POST", "/ai/mcp_servers", MCPServer, body=body, body_model=CreateMCPServerRequest,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        mcp_server_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> MCPServer:
        """One MCP server by ID."""
        return await self._call(
            "GET", _SERVER, MCPServer, path={"mcp_server_id": mcp_server_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def update(
        self,
        mcp_server_id: str,
        *,
        allowed_tools: Unset[Sequence[str] | None] = UNSET,
        api_key_ref: Unset[str | None] = UNSET,
        created_at: Unset[datetime.datetime | None] = UNSET,
        id: Unset[str | None] = UNSET,
        name: Unset[str | None] = UNSET,
        type: Unset[str | None] = UNSET,
        url: Unset[str | None] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> MCPServer:
        """Change an MCP server; only the arguments you pass are sent.

        ``None`` is sent as JSON ``null`` (for example to clear ``api_key_ref``).
        """
        body = {
            "allowed_tools": allowed_tools,
            "api_key_ref": api_key_ref,
            "created_at": check.a_datetime("created_at", created_at, nullable=True),
            "id": id,
            "name": name,
            "type": type,
            "url": url,
        }
        return await self._call(
            "PUT", _SERVER, MCPServer, path={"mcp_server_id": mcp_server_id}, body=body,
            body_model=UpdateMCPServerRequest,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        type: Unset[str] = UNSET,
        url: Unset[str] = UNSET,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[MCPServer]:
        """The account's MCP servers, optionally only those of one ``type`` or ``url``.

        The API answers each page as a bare list without paging facts, so
        ``async for`` keeps asking for the next page until one comes back short
        or empty.
        """
        query = {"type": check.a_str("type", type), "url": check.a_str("url", url)}
        return self._pager(
            "/ai/mcp_servers", MCPServer, query=query, page_size=page_size,
            page_number=page_number, prefetch=prefetch, bare=True,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        mcp_server_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> None:
        """Remove an MCP server from the account. Returns ``None``."""
        await self._call(
            "DELETE", _SERVER, NOTHING, path={"mcp_server_id": mcp_server_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class MCPServersWithRawResponse(ResponseView[MCPServersResource]):
    """``MCPServers`` calls giving the raw response (``await``, then ``parse()``)."""

    create = to_raw(MCPServersResource.create)
    retrieve = to_raw(MCPServersResource.retrieve)
    update = to_raw(MCPServersResource.update)
    list = to_raw(MCPServersResource.list)
    delete = to_raw(MCPServersResource.delete)


class MCPServersWithStreamingResponse(ResponseView[MCPServersResource]):
    """``MCPServers`` calls with the body unread until asked for: ``async with``."""

    create = to_streamed(MCPServersResource.create)
    retrieve = to_streamed(MCPServersResource.retrieve)
    update = to_streamed(MCPServersResource.update)
    list = to_streamed(MCPServersResource.list)
    delete = to_streamed(MCPServersResource.delete)
