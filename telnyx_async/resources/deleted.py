"""``client.ai.assistants.deleted``: the Recently Deleted list.

A deleted assistant stays here, read-only, until its
``permanently_deleted_at``; ``client.ai.assistants.restore(assistant_id)``
brings it back before then. (Newer API than the OpenAPI document this SDK was
generated from: see ``scripts/spec_overlay.json``.)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, UnsetType
from telnyx_async.models.assistants import DeletedAssistant

__all__ = [
    "DeletedAssistantsResource",
    "DeletedAssistantsWithRawResponse",
    "DeletedAssistantsWithStreamingResponse",
]


class DeletedAssistantsResource(Resource):
    """Soft-deleted assistants: list them, or look at one, before they go for good."""

    @functools.cached_property
    def with_raw_response(self) -> DeletedAssistantsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return DeletedAssistantsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> DeletedAssistantsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return DeletedAssistantsWithStreamingResponse(self)

    def list(
        self,
        *,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[DeletedAssistant]:
        """The account's deleted assistants, with ``deleted_at`` and ``permanently_deleted_at``.

        ``await`` the result for one page or ``async for`` over it for all;
        page arguments are sent only when given.
        """
        return self._pager(
            "/ai/assistants/deleted", DeletedAssistant, page_size=page_size,
            page_number=page_number, prefetch=prefetch,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def get(
        self,
        assistant_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> DeletedAssistant:
        """One deleted assistant, as it was when deleted (it cannot be changed while deleted)."""
        return await self._call(
            "GET", "/ai/assistants/{assistant_id}/deleted", DeletedAssistant,
            path={"assistant_id": assistant_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class DeletedAssistantsWithRawResponse(ResponseView[DeletedAssistantsResource]):
    """``DeletedAssistants`` calls giving the raw response (``await``, then ``parse()``)."""

    list = to_raw(DeletedAssistantsResource.list)
    get = to_raw(DeletedAssistantsResource.get)


class DeletedAssistantsWithStreamingResponse(ResponseView[DeletedAssistantsResource]):
    """``DeletedAssistants`` calls with the body unread until asked for: ``async with``."""

    list = to_streamed(DeletedAssistantsResource.list)
    get = to_streamed(DeletedAssistantsResource.get)
