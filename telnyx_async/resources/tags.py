"""``client.ai.assistants.tags``: the tags in use, and tagging or untagging an assistant."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._resource import Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, UnsetType
from telnyx_async.models.assistants import AddTagRequest, TagsResponse

__all__ = ["TagsResource", "TagsWithRawResponse", "TagsWithStreamingResponse"]


class TagsResource(Resource):
    """Labels on assistants, for grouping and filtering them."""

    @functools.cached_property
    def with_raw_response(self) -> TagsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return TagsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> TagsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return TagsWithStreamingResponse(self)

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TagsResponse:
        """Every tag used by any assistant of the account (``.tags`` is a list of str)."""
        return await self._call(
            "GET", "/ai/assistants/tags", TagsResponse,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def add(
        self,
        assistant_id: str,
        *,
        tag: str,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TagsResponse:
        """Put ``tag`` on an assistant; the answer lists the assistant's tags afterwards."""
        return await self._call(
            "POST", "/ai/assistants/{assistant_id}/tags", TagsResponse,
            path={"assistant_id": assistant_id}, body={"tag": tag}, body_model=AddTagRequest,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def remove(
        self,
        tag: str,
        *,
        assistant_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TagsResponse:
        """Take ``tag`` off an assistant; the answer lists the tags that remain.

        The tag is sent as one path segment, so tags holding ``/`` or spaces
        are escaped rather than changing the URL.
        """
        return await self._call(
            "DELETE", "/ai/assistants/{assistant_id}/tags/{tag}", TagsResponse,
            path={"assistant_id": assistant_id, "tag": tag},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class TagsWithRawResponse(ResponseView[TagsResource]):
    """``Tags`` calls giving the raw response (``await``, then ``parse()``)."""

    list = to_raw(TagsResource.list)
    add = to_raw(TagsResource.add)
    remove = to_raw(TagsResource.remove)


class TagsWithStreamingResponse(ResponseView[TagsResource]):
    """``Tags`` calls with the body unread until asked for: ``async with``."""

    list = to_streamed(TagsResource.list)
    add = to_streamed(TagsResource.add)
    remove = to_streamed(TagsResource.remove)
