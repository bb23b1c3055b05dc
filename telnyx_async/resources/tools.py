"""``client.ai.tools``: the account's shared tool library.

Tools defined here can be attached to any number of assistants with
``client.ai.assistants.tools.add``. The settings of a tool go under the key
named after its ``type`` (``webhook=``, ``function=``, ``handoff=`` ...).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import OBJECT, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.tools import (
    CreateSharedToolRequest,
    SharedToolResponse,
    UpdateSharedToolRequest,
)

if TYPE_CHECKING:
    from telnyx_async.models.assistant_tools import (
        PayToolParams,
        UpdateDynamicVariablesToolParams,
        VisionToolParams,
    )

__all__ = ["SharedToolsResource", "SharedToolsWithRawResponse", "SharedToolsWithStreamingResponse"]

_Obj = Mapping[str, Any]


_TOOL = "/ai/tools/{tool_id}"


class SharedToolsResource(Resource):
    """Create, change, list and delete tools in the shared library."""

    @functools.cached_property
    def with_raw_response(self) -> SharedToolsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return SharedToolsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> SharedToolsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return SharedToolsWithStreamingResponse(self)

    async def create(
        self,
        *,
        display_name: str,
        type: str,
        client_side_tool: Unset[_Obj] = UNSET,
        function: Unset[_Obj] = UNSET,
        handoff: Unset[_Obj] = UNSET,
        invite: Unset[_Obj] = UNSET,
        pay: Unset[PayToolParams | _Obj] = UNSET,
        retrieval: Unset[_Obj] = UNSET,
        timeout_ms: Unset[int] = UNSET,
        update_dynamic_variables: Unset[UpdateDynamicVariablesToolParams | _Obj] = UNSET,
        vision: Unset[VisionToolParams | _Obj] = UNSET,
        webhook: Unset[_Obj] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> SharedToolResponse:
        """Add a tool of the given ``type`` (e.g. ``"webhook"``) to the library.

        Put its settings under the matching keyword, e.g.
        ``create(display_name="Look up order", type="webhook", webhook={...})``.
        ``timeout_ms`` bounds how long a call to the tool may take.
        ``update_dynamic_variables=`` and ``vision=`` are the settings of the two
        newer tool types of the same names.
        """
        body = {
            "display_name": display_name,
            "type": type,
            "client_side_tool": client_side_tool,
            "function": function,
            "handoff": handoff,
            "invite": invite,
            "pay": pay,
            "retrieval": retrieval,
            "timeout_ms": timeout_ms,
            "update_dynamic_variables": update_dynamic_variables,
            "vision": vision,
            "webhook": webhook,
        }
        return await self._call(
            "POST", "/ai/tools", SharedToolResponse, body=body,
            body_model=CreateSharedToolRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        tool_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> SharedToolResponse:
        """One shared tool by ID, with its full definition."""
        return await self._call(
            "GET", _TOOL, SharedToolResponse, path={"tool_id": tool_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def update(
        self,
        tool_id: str,
        *,
        display_name: Unset[str] = UNSET,
        type: Unset[str] = UNSET,
        client_side_tool: Unset[_Obj] = UNSET,
        function: Unset[_Obj] = UNSET,
        handoff: Unset[_Obj] = UNSET,
        invite: Unset[_Obj] = UNSET,
        pay: Unset[PayToolParams | _Obj] = UNSET,
        retrieval: Unset[_Obj] = UNSET,
        timeout_ms: Unset[int] = UNSET,
        update_dynamic_variables: Unset[UpdateDynamicVariablesToolParams | _Obj] = UNSET,
        vision: Unset[VisionToolParams | _Obj] = UNSET,
        webhook: Unset[_Obj] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> SharedToolResponse:
        """Change a shared tool; only the arguments you pass are sent.

        Assistants using the tool see the change.
        """
        body = {
            "display_name": display_name,
            "type": type,
            "client_side_tool": client_side_tool,
            "function": function,
            "handoff": handoff,
            "invite": invite,
            "pay": pay,
            "retrieval": retrieval,
            "timeout_ms": timeout_ms,
            "update_dynamic_variables": update_dynamic_variables,
            "vision": vision,
            "webhook": webhook,
        }
        return await self._call(
            "PATCH", _TOOL, SharedToolResponse, path={"tool_id": tool_id}, body=body,
            body_model=UpdateSharedToolRequest,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        filter_type: Unset[str] = UNSET,
        filter_name: Unset[str] = UNSET,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[SharedToolResponse]:
        """The library's tools, optionally of one type or matching a name.

        The filters go out as ``filter[type]`` and ``filter[name]``. ``await``
        the result for one page or ``async for`` over it for every tool.
        """
        query = {
            "filter[type]": check.a_str("filter_type", filter_type),
            "filter[name]": check.a_str("filter_name", filter_name),
        }
        return self._pager(
            "/ai/tools", SharedToolResponse, query=query, page_size=page_size,
            page_number=page_number, prefetch=prefetch,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        tool_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> dict[str, Any]:
        """Delete a shared tool (assistants lose it too).

        Returns the API's free-form JSON answer as a dict (``{}`` when empty).
        """
        answer: dict[str, Any] = await self._call(
            "DELETE", _TOOL, OBJECT, path={"tool_id": tool_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return answer


class SharedToolsWithRawResponse(ResponseView[SharedToolsResource]):
    """``SharedTools`` calls giving the raw response (``await``, then ``parse()``)."""

    create = to_raw(SharedToolsResource.create)
    retrieve = to_raw(SharedToolsResource.retrieve)
    update = to_raw(SharedToolsResource.update)
    list = to_raw(SharedToolsResource.list)
    delete = to_raw(SharedToolsResource.delete)


class SharedToolsWithStreamingResponse(ResponseView[SharedToolsResource]):
    """``SharedTools`` calls with the body unread until asked for: ``async with``."""

    create = to_streamed(SharedToolsResource.create)
    retrieve = to_streamed(SharedToolsResource.retrieve)
    update = to_streamed(SharedToolsResource.update)
    list = to_streamed(SharedToolsResource.list)
    delete = to_streamed(SharedToolsResource.delete)
