"""``client.ai.assistants``: create, read, change and talk to AI assistants."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import Resource, body_of, options_of
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistants import (
    Assistant,
    AssistantChatResponse,
    AssistantDeletedResponse,
    AssistantsListData,
    AssistantSmsChatResponse,
)

if TYPE_CHECKING:
    from telnyx_async.models import (
        AssistantIntegration,
        AssistantMCPServer,
        AssistantTool,
        ConversationFlowReq,
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
    from telnyx_async.models.assistants import ImportAssistantsRequestProvider
    from telnyx_async.resources.assistant_tools import AssistantToolsResource
    from telnyx_async.resources.canary_deploys import CanaryDeploysResource
    from telnyx_async.resources.instructions import InstructionsResource
    from telnyx_async.resources.scheduled_events import ScheduledEventsResource
    from telnyx_async.resources.tags import TagsResource
    from telnyx_async.resources.tests import TestsResource
    from telnyx_async.resources.versions import VersionsResource

__all__ = ["AssistantsResource"]

_Obj = Mapping[str, Any]


class AssistantsResource(Resource):
    """Everything under ``/ai/assistants``."""

    @functools.cached_property
    def tests(self) -> TestsResource:
        """Assistant tests, their runs and test suites."""
        from telnyx_async.resources.tests import TestsResource

        return TestsResource(self._client)

    @functools.cached_property
    def tags(self) -> TagsResource:
        """Tags: the account-wide list, and adding or removing one on an assistant."""
        from telnyx_async.resources.tags import TagsResource

        return TagsResource(self._client)

    @functools.cached_property
    def versions(self) -> VersionsResource:
        """Saved versions of an assistant: read, edit, delete, promote to main."""
        from telnyx_async.resources.versions import VersionsResource

        return VersionsResource(self._client)

    @functools.cached_property
    def canary_deploys(self) -> CanaryDeploysResource:
        """Traffic splits between versions of an assistant."""
        from telnyx_async.resources.canary_deploys import CanaryDeploysResource

        return CanaryDeploysResource(self._client)

    @functools.cached_property
    def scheduled_events(self) -> ScheduledEventsResource:
        """Calls and texts an assistant will place at a set time."""
        from telnyx_async.resources.scheduled_events import ScheduledEventsResource

        return ScheduledEventsResource(self._client)

    @functools.cached_property
    def tools(self) -> AssistantToolsResource:
        """Attaching shared tools to an assistant, detaching them, and dry-running them."""
        from telnyx_async.resources.assistant_tools import AssistantToolsResource

        return AssistantToolsResource(self._client)

    @functools.cached_property
    def instructions(self) -> InstructionsResource:
        """AI help with rewriting an assistant's instructions."""
        from telnyx_async.resources.instructions import InstructionsResource

        return InstructionsResource(self._client)

    async def create(
        self,
        *,
        instructions: str,
        name: str,
        model: Unset[str] = UNSET,
        description: Unset[str] = UNSET,
        greeting: Unset[str] = UNSET,
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
        """Create an assistant from its instructions and name (plus any settings given).

        Nested settings accept the model classes or plain dicts. Returns the new
        :class:`~telnyx_async.models.Assistant`.
        """
        args = dict(locals())
        return await self._client._request(
            "POST", "/ai/assistants", body=body_of(args), cast=Assistant,
            idempotency_key=idempotency_key, options=options_of(args),
        )

    async def retrieve(
        self,
        assistant_id: str,
        *,
        call_control_id: Unset[str] = UNSET,
        fetch_dynamic_variables_from_webhook: Unset[bool] = UNSET,
        from_: Unset[str] = UNSET,
        to: Unset[str] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Assistant:
        """Fetch one assistant by ID.

        The optional query arguments let the API resolve dynamic variables the
        way it would for a given call (``from_`` is sent as ``from``).
        """
        args = dict(locals())
        return await self._client._request(
            "GET", encode_path("/ai/assistants/{id}", id=assistant_id),
            query=body_of(args, "assistant_id"), cast=Assistant, options=options_of(args),
        )

    async def update(
        self,
        assistant_id: str,
        *,
        name: Unset[str] = UNSET,
        instructions: Unset[str] = UNSET,
        model: Unset[str] = UNSET,
        description: Unset[str] = UNSET,
        greeting: Unset[str] = UNSET,
        promote_to_main: Unset[bool] = UNSET,
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
        """Change an assistant; only the arguments you pass are sent.

        By default the API saves the change as the new main version
        (``promote_to_main``); pass ``promote_to_main=False`` to keep it as a
        separate version.
        """
        args = dict(locals())
        return await self._client._request(
            "POST", encode_path("/ai/assistants/{id}", id=assistant_id),
            body=body_of(args, "assistant_id"), cast=Assistant,
            idempotency_key=idempotency_key, options=options_of(args),
        )

    def list(
        self,
        *,
        page_size: int | None = None,
        page_number: int = 1,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[Assistant]:
        """List assistants: ``await`` it for the first page, ``async for`` it for all.

        The live API pages this list (100 per page by default) although the
        spec does not say so; the pager follows ``meta`` when it is present
        and stops after one page when it is not.
        """
        return self._pager(
            "/ai/assistants", Assistant, query={}, page_size=page_size,
            page_number=page_number, prefetch=prefetch, options=options_of(locals()),
        )

    async def delete(
        self,
        assistant_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantDeletedResponse:
        """Delete an assistant; the answer confirms the ID that was removed."""
        return await self._client._request(
            "DELETE", encode_path("/ai/assistants/{id}", id=assistant_id),
            cast=AssistantDeletedResponse, options=options_of(locals()),
        )

    async def chat(
        self,
        assistant_id: str,
        *,
        content: str,
        conversation_id: str,
        name: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantChatResponse:
        """Send one chat message to an assistant and get its reply (``.content``).

        ``conversation_id`` threads messages together; ``name`` is the optional
        display name of the sender.
        """
        args = dict(locals())
        return await self._client._request(
            "POST", encode_path("/ai/assistants/{id}/chat", id=assistant_id),
            body=body_of(args, "assistant_id"), cast=AssistantChatResponse,
            idempotency_key=idempotency_key, options=options_of(args),
        )

    async def send_sms(
        self,
        assistant_id: str,
        *,
        from_: str,
        to: str,
        conversation_metadata: Unset[Mapping[str, str | int | bool]] = UNSET,
        should_create_conversation: Unset[bool] = UNSET,
        text: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantSmsChatResponse:
        """Have the assistant text ``to`` from the number ``from_`` (sent as ``from``).

        ``text`` is the opening message; ``should_create_conversation`` and
        ``conversation_metadata`` control the conversation record the API keeps.
        The answer carries the ``conversation_id``.
        """
        args = dict(locals())
        return await self._client._request(
            "POST", encode_path("/ai/assistants/{id}/chat/sms", id=assistant_id),
            body=body_of(args, "assistant_id"), cast=AssistantSmsChatResponse,
            idempotency_key=idempotency_key, options=options_of(args),
        )

    async def clone(
        self,
        assistant_id: str,
        *,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Assistant:
        """Copy an assistant into a new one with its own ID; returns the copy.

        Nothing is sent in the body. Phone-number and messaging bindings are not
        carried over by the API.
        """
        return await self._client._request(
            "POST", encode_path("/ai/assistants/{id}/clone", id=assistant_id),
            cast=Assistant, idempotency_key=idempotency_key, options=options_of(locals()),
        )

    async def imports(
        self,
        *,
        api_key_ref: str,
        provider: ImportAssistantsRequestProvider | str,
        import_ids: Unset[Sequence[str]] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantsListData:
        """Bring assistants over from another platform (``"elevenlabs"``, ``"vapi"``, ``"retell"``).

        ``api_key_ref`` names the stored secret holding that platform's API key;
        ``import_ids`` narrows the import to some of its assistants. Returns the
        imported assistants in ``.data``.
        """
        args = dict(locals())
        return await self._client._request(
            "POST", "/ai/assistants/import", body=body_of(args), cast=AssistantsListData,
            idempotency_key=idempotency_key, options=options_of(args),
        )

    async def get_texml(
        self,
        assistant_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> str:
        """The TeXML document that connects a call to this assistant, as a string."""
        return await self._client._request(
            "GET", encode_path("/ai/assistants/{id}/texml", id=assistant_id),
            cast=str, options=options_of(locals()),
        )
