"""``client.ai.mcp_servers``: Model Context Protocol servers assistants can take tools from."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import NOTHING, Resource, body_of, options_of
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.mcp_servers import MCPServer

__all__ = ["MCPServersResource"]


def _server_path(mcp_server_id: str) -> str:
    return encode_path("/ai/mcp_servers/{id}", id=mcp_server_id)


class MCPServersResource(Resource):
    """Register, change, list and remove the account's MCP servers."""

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
        args = dict(locals())
        return await self._client._request(
            "POST", "/ai/mcp_servers", body=body_of(args), cast=MCPServer,
            idempotency_key=idempotency_key, options=options_of(args),
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
        return await self._client._request(
            "GET", _server_path(mcp_server_id), cast=MCPServer, options=options_of(locals()),
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
        args = dict(locals())
        return await self._client._request(
            "PUT", _server_path(mcp_server_id), body=body_of(args, "mcp_server_id"),
            cast=MCPServer, options=options_of(args),
        )

    def list(
        self,
        *,
        type: Unset[str] = UNSET,
        url: Unset[str] = UNSET,
        page_size: int | None = None,
        page_number: int = 1,
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
        args = dict(locals())
        return self._pager(
            "/ai/mcp_servers", MCPServer, query=body_of(args), page_size=page_size,
            page_number=page_number, prefetch=prefetch, options=options_of(args), bare=True,
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
        await self._client._request(
            "DELETE", _server_path(mcp_server_id), cast=NOTHING, options=options_of(locals()),
        )
