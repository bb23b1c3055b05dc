"""``client.ai.assistants.tools``: attach shared tools to an assistant and dry-run them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._resource import JSON, Resource, body_of, options_of
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.errors import APIResponseValidationError
from telnyx_async.models.assistant_tools import TestWebhookToolResponseData

__all__ = ["AssistantToolsResource", "json_object"]


def json_object(value: Any, what: str) -> dict[str, Any]:
    """A free-form answer as a dict: an empty body (or ``null``) gives ``{}``.

    Any other non-object JSON raises :class:`APIResponseValidationError`.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise APIResponseValidationError(
            f"{what}: expected a JSON object, got {type(value).__name__}", body=json.dumps(value)
        )
    return cast("dict[str, Any]", value)


def _tool_path(assistant_id: str, tool_id: str, tail: str = "") -> str:
    return encode_path(
        "/ai/assistants/{assistant}/tools/{tool}" + tail, assistant=assistant_id, tool=tool_id,
    )


class AssistantToolsResource(Resource):
    """Tools from the shared library (``client.ai.tools``) as used by one assistant."""

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
        path = _tool_path(assistant_id, tool_id)
        raw = await self._client._request("PUT", path, cast=JSON, options=options_of(locals()))
        return json_object(raw, f"PUT {path}")

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
        path = _tool_path(assistant_id, tool_id)
        raw = await self._client._request("DELETE", path, cast=JSON, options=options_of(locals()))
        return json_object(raw, f"DELETE {path}")

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
        args = dict(locals())
        return await self._client._request(
            "POST", _tool_path(assistant_id, tool_id, "/test"),
            body=body_of(args, "tool_id", "assistant_id"), cast=TestWebhookToolResponseData,
            idempotency_key=idempotency_key, options=options_of(args),
        )
