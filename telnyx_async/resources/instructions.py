"""``client.ai.assistants.instructions``: have the API improve an assistant's instructions."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from telnyx_async._config import Timeout
from telnyx_async._resource import TEXT, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistants import EnhanceInstructionsRequest

__all__ = [
    "InstructionsResource",
    "InstructionsWithRawResponse",
    "InstructionsWithStreamingResponse",
]

class InstructionsResource(Resource):
    """Tools for working on the prompt (instructions) of an assistant."""

    @functools.cached_property
    def with_raw_response(self) -> InstructionsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return InstructionsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> InstructionsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return InstructionsWithStreamingResponse(self)

    async def enhance(
        self,
        assistant_id: str,
        *,
        enhancement_prompt: Unset[str | None] = UNSET,
        instructions: Unset[str | None] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> str:
        """Get a rewritten, tidier version of the instructions, as plain text.

        Without ``instructions`` the assistant's current ones are used;
        ``enhancement_prompt`` says what you want changed. Nothing is saved:
        pass the result to ``assistants.update`` to keep it.
        """
        body = {"enhancement_prompt": enhancement_prompt, "instructions": instructions}
        # The answer is text; errors still come as JSON.
        result: str = await self._call(
            "POST", "/ai/assistants/{assistant_id}/instructions/enhance", TEXT,
            path={"assistant_id": assistant_id}, body=body,
            body_model=EnhanceInstructionsRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return result


class InstructionsWithRawResponse(ResponseView[InstructionsResource]):
    """``Instructions`` calls giving the raw response (``await``, then ``parse()``)."""

    enhance = to_raw(InstructionsResource.enhance)


class InstructionsWithStreamingResponse(ResponseView[InstructionsResource]):
    """``Instructions`` calls with the body unread until asked for: ``async with``."""

    enhance = to_streamed(InstructionsResource.enhance)
