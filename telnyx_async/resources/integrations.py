"""``client.ai.integrations``: third-party services for assistants, and our connections."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, UnsetType
from telnyx_async.models.integrations import (
    Integration,
    IntegrationConnectionResponse,
    IntegrationConnectionsListResponse,
    IntegrationsListResponse,
)

__all__ = [
    "ConnectionsResource",
    "ConnectionsWithRawResponse",
    "ConnectionsWithStreamingResponse",
    "IntegrationsResource",
    "IntegrationsWithRawResponse",
    "IntegrationsWithStreamingResponse",
]


class IntegrationsResource(Resource):
    """The integration catalogue (CRMs, ticketing, calendars, ...); ``connections`` hangs off it."""

    @functools.cached_property
    def with_raw_response(self) -> IntegrationsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return IntegrationsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> IntegrationsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return IntegrationsWithStreamingResponse(self)

    @functools.cached_property
    def connections(self) -> ConnectionsResource:
        """The integrations this account has connected."""
        return ConnectionsResource(self._context)

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> IntegrationsListResponse:
        """Every integration on offer, each with its tools and connection status (``.data``)."""
        return await self._call(
            "GET", "/ai/integrations", IntegrationsListResponse,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        integration_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Integration:
        """One integration of the catalogue by ID."""
        return await self._call(
            "GET", "/ai/integrations/{integration_id}", Integration,
            path={"integration_id": integration_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class ConnectionsResource(Resource):
    """``client.ai.integrations.connections``: the account's links to integrations."""

    @functools.cached_property
    def with_raw_response(self) -> ConnectionsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return ConnectionsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> ConnectionsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return ConnectionsWithStreamingResponse(self)

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> IntegrationConnectionsListResponse:
        """Every connection of the account, with the tools each one allows (``.data``)."""
        return await self._call(
            "GET", "/ai/integrations/connections", IntegrationConnectionsListResponse,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        user_connection_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> IntegrationConnectionResponse:
        """One connection by ID (the connection itself is in ``.data``)."""
        return await self._call(
            "GET", "/ai/integrations/connections/{user_connection_id}",
            IntegrationConnectionResponse, path={"user_connection_id": user_connection_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        user_connection_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> None:
        """Disconnect an integration from the account. Returns ``None``."""
        await self._call(
            "DELETE", "/ai/integrations/connections/{user_connection_id}", NOTHING,
            path={"user_connection_id": user_connection_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class IntegrationsWithRawResponse(ResponseView[IntegrationsResource]):
    """``Integrations`` calls giving the raw response (``await``, then ``parse()``)."""

    list = to_raw(IntegrationsResource.list)
    retrieve = to_raw(IntegrationsResource.retrieve)

    @property
    def connections(self) -> ConnectionsWithRawResponse:
        """The same for ``connections``."""
        return self._resource.connections.with_raw_response


class IntegrationsWithStreamingResponse(ResponseView[IntegrationsResource]):
    """``Integrations`` calls with the body unread until asked for: ``async with``."""

    list = to_streamed(IntegrationsResource.list)
    retrieve = to_streamed(IntegrationsResource.retrieve)

    @property
    def connections(self) -> ConnectionsWithStreamingResponse:
        """The same for ``connections``."""
        return self._resource.connections.with_streaming_response


class ConnectionsWithRawResponse(ResponseView[ConnectionsResource]):
    """``Connections`` calls giving the raw response (``await``, then ``parse()``)."""

    list = to_raw(ConnectionsResource.list)
    retrieve = to_raw(ConnectionsResource.retrieve)
    delete = to_raw(ConnectionsResource.delete)


class ConnectionsWithStreamingResponse(ResponseView[ConnectionsResource]):
    """``Connections`` calls with the body unread until asked for: ``async with``."""

    list = to_streamed(ConnectionsResource.list)
    retrieve = to_streamed(ConnectionsResource.retrieve)
    delete = to_streamed(ConnectionsResource.delete)
