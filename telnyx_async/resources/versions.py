"""``client.ai.assistants.versions``: the saved versions of an assistant."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistants import Assistant, AssistantsListData, UpdateAssistantRequest
from telnyx_async.resources._assistant_settings import AssistantSettings, settings_body

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; annotations only

__all__ = ["VersionsResource", "VersionsWithRawResponse", "VersionsWithStreamingResponse"]

_VERSION = "/ai/assistants/{assistant_id}/versions/{version_id}"


class VersionsResource(Resource):
    """Every change to an assistant can be kept as a version; one of them is "main"."""

    @functools.cached_property
    def with_raw_response(self) -> VersionsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return VersionsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> VersionsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return VersionsWithStreamingResponse(self)

    async def list(
        self,
        assistant_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantsListData:
        """All versions of an assistant, each as a full :class:`Assistant` in ``.data``."""
        return await self._call(
            "GET", "/ai/assistants/{assistant_id}/versions", AssistantsListData,
            path={"assistant_id": assistant_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        version_id: str,
        *,
        assistant_id: str,
        include_mcp_servers: Unset[bool] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Assistant:
        """One version of an assistant, as the assistant looked in it.

        ``include_mcp_servers=True`` asks the API to fill in the MCP servers
        the version uses.
        """
        return await self._call(
            "GET", _VERSION, Assistant,
            path={"assistant_id": assistant_id, "version_id": version_id},
            query={"include_mcp_servers": check.a_bool("include_mcp_servers", include_mcp_servers)},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def update(
        self,
        version_id: str,
        *,
        assistant_id: str,
        name: Unset[str] = UNSET,
        instructions: Unset[str] = UNSET,
        version_name: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
        **settings: Unpack[AssistantSettings],
    ) -> Assistant:
        """Edit one version in place; only the arguments you pass are sent.

        ``settings`` are those of ``assistants.create``. Unlike
        ``assistants.update`` this never changes which version is main: use
        :meth:`promote` for that.
        """
        body = {
            "name": name,
            "instructions": instructions,
            "version_name": version_name,
            **settings_body("update", settings),
        }
        return await self._call(
            "POST", _VERSION, Assistant,
            path={"assistant_id": assistant_id, "version_id": version_id}, body=body,
            body_model=UpdateAssistantRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        version_id: str,
        *,
        assistant_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> None:
        """Remove a version that is not the main one. Returns ``None``."""
        await self._call(
            "DELETE", _VERSION, NOTHING,
            path={"assistant_id": assistant_id, "version_id": version_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def promote(
        self,
        version_id: str,
        *,
        assistant_id: str,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Assistant:
        """Make a version the main one (what calls and chats use); returns the assistant."""
        return await self._call(
            "POST", _VERSION + "/promote", Assistant,
            path={"assistant_id": assistant_id, "version_id": version_id},
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class VersionsWithRawResponse(ResponseView[VersionsResource]):
    """``Versions`` calls giving the raw response (``await``, then ``parse()``)."""

    list = to_raw(VersionsResource.list)
    retrieve = to_raw(VersionsResource.retrieve)
    update = to_raw(VersionsResource.update)
    delete = to_raw(VersionsResource.delete)
    promote = to_raw(VersionsResource.promote)


class VersionsWithStreamingResponse(ResponseView[VersionsResource]):
    """``Versions`` calls with the body unread until asked for: ``async with``."""

    list = to_streamed(VersionsResource.list)
    retrieve = to_streamed(VersionsResource.retrieve)
    update = to_streamed(VersionsResource.update)
    delete = to_streamed(VersionsResource.delete)
    promote = to_streamed(VersionsResource.promote)
