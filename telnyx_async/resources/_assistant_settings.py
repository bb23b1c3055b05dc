"""The settings an assistant is made of, declared once for ``create``, ``update`` and versions.

``assistants.create``, ``assistants.update`` and ``assistants.versions.update``
all take these as keyword arguments (``**settings``). Nested settings accept
the model classes or plain dicts; what is sent is checked against the
method's request model before anything leaves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from telnyx_async.models.assistant_settings import (
        AssistantA2AAgent,
        AvatarSettings,
        DelegationSettings,
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
        WebsocketSettings,
        WidgetSettings,
    )
    from telnyx_async.models.assistant_tools import AssistantTool
    from telnyx_async.models.assistants import AssistantIntegration, AssistantMCPServer
    from telnyx_async.models.conversation_flow import ConversationFlowReq

__all__ = ["AssistantSettings", "settings_body"]

_Obj = Mapping[str, Any]


class AssistantSettings(TypedDict, total=False):
    """Every optional setting of an assistant, as keyword arguments.

    ``a2a_agents``, ``avatar_settings``, ``delegation_settings`` and
    ``websocket_settings`` belong to a newer version of the API than the
    OpenAPI document this SDK was generated from (``scripts/spec_overlay.json``).
    ``avatar_settings=None`` is sent as ``null`` (it removes the avatar).
    """

    model: str
    a2a_agents: Sequence[AssistantA2AAgent | _Obj]
    avatar_settings: AvatarSettings | _Obj | None
    delegation_settings: DelegationSettings | _Obj
    description: str
    greeting: str
    conversation_flow: ConversationFlowReq | _Obj
    dynamic_variables: Mapping[str, Any]
    dynamic_variables_webhook_timeout_ms: int
    dynamic_variables_webhook_url: str
    enabled_features: Sequence[EnabledFeatures | str]
    external_llm: ExternalLLMReq | _Obj
    fallback_config: FallbackConfigReq | _Obj
    insight_settings: InsightSettings | _Obj
    integrations: Sequence[AssistantIntegration | _Obj]
    interruption_settings: InterruptionSettings | _Obj
    llm_api_key_ref: str
    mcp_servers: Sequence[AssistantMCPServer | _Obj]
    messaging_settings: MessagingSettings | _Obj
    observability_settings: ObservabilityReq | _Obj
    post_conversation_settings: PostConversationSettingsReq | _Obj
    privacy_settings: PrivacySettings | _Obj
    tags: Sequence[str]
    telephony_settings: TelephonySettings | _Obj
    tool_ids: Sequence[str]
    tools: Sequence[AssistantTool | _Obj]
    transcription: TranscriptionSettings | _Obj
    voice_settings: VoiceSettings | _Obj
    websocket_settings: WebsocketSettings | _Obj
    widget_settings: WidgetSettings | _Obj


SETTING_NAMES: frozenset[str] = AssistantSettings.__optional_keys__
"""The keyword arguments ``**settings`` accepts."""


def settings_body(method: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` as body fields; a keyword that is not a setting is a ``TypeError`` now."""
    unknown = sorted(set(settings) - SETTING_NAMES)
    if unknown:
        raise TypeError(f"{method}() got an unexpected keyword argument {unknown[0]!r}")
    return dict(settings)
