"""``client.ai.assistants.tags``: the tags in use, and tagging or untagging an assistant."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._resource import Resource, body_of, options_of
from telnyx_async._types import UNSET, UnsetType
from telnyx_async.models.assistants import TagsResponse

__all__ = ["TagsResource"]


class TagsResource(Resource):
    """Labels on assistants, for grouping and filtering them."""

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TagsResponse:
        """Every tag used by any assistant of the account (``.tags`` is a list of str)."""
        return await self._client._request(
            "GET", "/ai/assistants/tags", cast=TagsResponse, options=options_of(locals()),
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
        args = dict(locals())
        return await self._client._request(
            "POST", encode_path("/ai/assistants/{id}/tags", id=assistant_id),
            body=body_of(args, "assistant_id"), cast=TagsResponse,
            idempotency_key=idempotency_key, options=options_of(args),
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
        return await self._client._request(
            "DELETE",
            encode_path("/ai/assistants/{id}/tags/{tag}", id=assistant_id, tag=tag),
            cast=TagsResponse, options=options_of(locals()),
        )
