"""``client.ai.assistants.versions``: the saved versions of an assistant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._resource import NOTHING, Resource, body_of, options_of
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistants import Assistant, AssistantsListData

if TYPE_CHECKING:
    from telnyx_async.models.assistant_settings import (
        EnabledFeatures,
        ExternalLLMReq,
        FallbackConfigReq,
        InsightSettings,
        InterruptionSettings,
        MessagingSettings,
        ObservabilityReq,
        PostConversationSettingsReq,
        PrivacySettings,
        TelephonySettings,
        TranscriptionSettings,
        VoiceSettings,
        WidgetSettings,
    )
    from telnyx_async.models.assistant_tools import AssistantTool
    from telnyx_async.models.assistants import AssistantIntegration, AssistantMCPServer
    from telnyx_async.models.conversation_flow import ConversationFlowReq

__all__ = ["VersionsResource"]

_Obj = Mapping[str, Any]


def _version_path(assistant_id: str, version_id: str, tail: str = "") -> str:
    return encode_path(
        "/ai/assistants/{assistant}/versions/{version}" + tail,
        assistant=assistant_id, version=version_id,
    )


class VersionsResource(Resource):
    """Every change to an assistant can be kept as a version; one of them is "main"."""

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
        return await self._client._request(
            "GET", encode_path("/ai/assistants/{id}/versions", id=assistant_id),
            cast=AssistantsListData, options=options_of(locals()),
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
        args = dict(locals())
        return await self._client._request(
            "GET", _version_path(assistant_id, version_id),
            query=body_of(args, "version_id", "assistant_id"), cast=Assistant,
            options=options_of(args),
        )

    async def update(
        self,
        version_id: str,
        *,
        assistant_id: str,
        name: Unset[str] = UNSET,
        instructions: Unset[str] = UNSET,
        model: Unset[str] = UNSET,
        description: Unset[str] = UNSET,
        greeting: Unset[str] = UNSET,
        version_name: Unset[str] = UNSET,
        conversation_flow: Unset[ConversationFlowReq | _Obj] = UNSET,
        dynamic_variables: Unset[Mapping[str, Any]] = UNSET,
        dynamic_variables_webhook_timeout_ms: Unset[int] = UNSET,
        dynamic_variables_webhook_url: Unset[str] = UNSET,
        enabled_features: Unset[Sequence[EnabledFeatures | str]] = UNSET,
        external_llm: Unset[ExternalLLMReq | _Obj] = UNSET,
        fallback_config: Unset[FallbackConfigReq | _Obj] = UNSET,
        insight_settings: Unset[InsightSettings | _Obj] = UNSET,
        integrations: Unset[Sequence[AssistantIntegration | _Obj]] = UNSET,
        interruption_settings: Unset[InterruptionSettings | _Obj] = UNSET,
        llm_api_key_ref: Unset[str] = UNSET,
        mcp_servers: Unset[Sequence[AssistantMCPServer | _Obj]] = UNSET,
        messaging_settings: Unset[MessagingSettings | _Obj] = UNSET,
        observability_settings: Unset[ObservabilityReq | _Obj] = UNSET,
        post_conversation_settings: Unset[PostConversationSettingsReq | _Obj] = UNSET,
        privacy_settings: Unset[PrivacySettings | _Obj] = UNSET,
        tags: Unset[Sequence[str]] = UNSET,
        telephony_settings: Unset[TelephonySettings | _Obj] = UNSET,
        tool_ids: Unset[Sequence[str]] = UNSET,
        tools: Unset[Sequence[AssistantTool | _Obj]] = UNSET,
        transcription: Unset[TranscriptionSettings | _Obj] = UNSET,
        voice_settings: Unset[VoiceSettings | _Obj] = UNSET,
        widget_settings: Unset[WidgetSettings | _Obj] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Assistant:
        """Edit one version in place; only the arguments you pass are sent.

        Unlike ``assistants.update`` this never changes which version is main:
        use :meth:`promote` for that.
        """
        args = dict(locals())
        return await self._client._request(
            "POST", _version_path(assistant_id, version_id),
            body=body_of(args, "version_id", "assistant_id"), cast=Assistant,
            idempotency_key=idempotency_key, options=options_of(args),
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
        await self._client._request(
            "DELETE", _version_path(assistant_id, version_id),
            cast=NOTHING, options=options_of(locals()),
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
        return await self._client._request(
            "POST", _version_path(assistant_id, version_id, "/promote"),
            cast=Assistant, idempotency_key=idempotency_key, options=options_of(locals()),
        )
