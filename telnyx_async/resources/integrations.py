"""``client.ai.integrations``: third-party services for assistants, and our connections."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._types import UNSET, UnsetType
from telnyx_async.models.integrations import (
    Integration,
    IntegrationConnectionResponse,
    IntegrationConnectionsListResponse,
    IntegrationsListResponse,
)

__all__ = ["ConnectionsResource", "IntegrationsResource"]


class IntegrationsResource(Resource):
    """The integration catalogue (CRMs, ticketing, calendars, ...); ``connections`` hangs off it."""

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
