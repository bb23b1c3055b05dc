"""``client.ai.assistants.tools``: attach shared tools to an assistant and dry-run them."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._resource import OBJECT, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistant_tools import TestWebhookToolRequest, TestWebhookToolResponseData

__all__ = [
    "AssistantToolsResource",
    "AssistantToolsWithRawResponse",
    "AssistantToolsWithStreamingResponse",
]

_TOOL = "/ai/assistants/{assistant_id}/tools/{tool_id}"


class AssistantToolsResource(Resource):
    """Tools from the shared library (``client.ai.tools``) as used by one assistant."""

    @functools.cached_property
    def with_raw_response(self) -> AssistantToolsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return AssistantToolsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> AssistantToolsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return AssistantToolsWithStreamingResponse(self)

    async def add(
        self,
        tool_id: str,
        *,
        assistant_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> dict[str, Any]:
        """Give an assistant a shared tool; adding it twice is harmless.

        The API answers a free-form JSON object (usually empty), returned as a
        dict (``{}`` when the body is empty).
        """
        answer: dict[str, Any] = await self._call(
            "PUT", _TOOL, OBJECT, path={"assistant_id": assistant_id, "tool_id": tool_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return answer

    async def remove(
        self,
        tool_id: str,
        *,
        assistant_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> dict[str, Any]:
        """Take a shared tool away from an assistant (the tool itself stays in the library).

        Returns the API's free-form JSON answer as a dict (``{}`` when empty).
        """
        answer: dict[str, Any] = await self._call(
            "DELETE", _TOOL, OBJECT, path={"assistant_id": assistant_id, "tool_id": tool_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return answer

    async def test(
        self,
        tool_id: str,
        *,
        assistant_id: str,
        arguments: Unset[Mapping[str, Any]] = UNSET,
        dynamic_variables: Unset[Mapping[str, Any]] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TestWebhookToolResponseData:
        """Call a webhook tool once with sample ``arguments`` and see what came back.

        ``.data`` holds the status code, the response text and the request that
        was made. A JSON object is always sent (``{}`` when nothing is given).
        """
        return await self._call(
            "POST", _TOOL + "/test", TestWebhookToolResponseData,
            path={"assistant_id": assistant_id, "tool_id": tool_id},
            body={"arguments": arguments, "dynamic_variables": dynamic_variables},
            body_model=TestWebhookToolRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class AssistantToolsWithRawResponse(ResponseView[AssistantToolsResource]):
    """``AssistantTools`` calls giving the raw response (``await``, then ``parse()``)."""

    add = to_raw(AssistantToolsResource.add)
    remove = to_raw(AssistantToolsResource.remove)
    test = to_raw(AssistantToolsResource.test)


class AssistantToolsWithStreamingResponse(ResponseView[AssistantToolsResource]):
    """``AssistantTools`` calls with the body unread until asked for: ``async with``."""

    add = to_streamed(AssistantToolsResource.add)
    remove = to_streamed(AssistantToolsResource.remove)
    test = to_streamed(AssistantToolsResource.test)
