"""``client.ai.tools``: the account's shared tool library.

Tools defined here can be attached to any number of assistants with
``client.ai.assistants.tools.add``. The settings of a tool go under the key
named after its ``type`` (``webhook=``, ``function=``, ``handoff=`` ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import JSON, Resource, body_of, options_of
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.tools import SharedToolResponse
from telnyx_async.resources.assistant_tools import json_object

if TYPE_CHECKING:
    from telnyx_async.models.assistant_tools import PayToolParams

__all__ = ["SharedToolsResource"]

_Obj = Mapping[str, Any]


def _tool_path(tool_id: str) -> str:
    return encode_path("/ai/tools/{id}", id=tool_id)


class SharedToolsResource(Resource):
    """Create, change, list and delete tools in the shared library."""

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
        """
        args = dict(locals())
        return await self._client._request(
            "POST", "/ai/tools", body=body_of(args), cast=SharedToolResponse,
            idempotency_key=idempotency_key, options=options_of(args),
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
        return await self._client._request(
            "GET", _tool_path(tool_id), cast=SharedToolResponse, options=options_of(locals()),
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
        webhook: Unset[_Obj] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> SharedToolResponse:
        """Change a shared tool; only the arguments you pass are sent.

        Assistants using the tool see the change.
        """
        args = dict(locals())
        return await self._client._request(
            "PATCH", _tool_path(tool_id), body=body_of(args, "tool_id"),
            cast=SharedToolResponse, options=options_of(args),
        )

    def list(
        self,
        *,
        filter_type: Unset[str] = UNSET,
        filter_name: Unset[str] = UNSET,
        page_size: int | None = None,
        page_number: int = 1,
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
        return self._pager(
            "/ai/tools", SharedToolResponse,
            query={"filter[type]": filter_type, "filter[name]": filter_name},
            page_size=page_size, page_number=page_number, prefetch=prefetch,
            options=options_of(locals()),
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
        path = _tool_path(tool_id)
        raw = await self._client._request("DELETE", path, cast=JSON, options=options_of(locals()))
        return json_object(raw, f"DELETE {path}")
