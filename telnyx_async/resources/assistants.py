"""``client.ai.assistants``: create, read, change and talk to AI assistants."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import Resource, options
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistants import (
    Assistant,
    AssistantChatReq,
    AssistantChatResponse,
    AssistantDeletedResponse,
    AssistantsListData,
    AssistantSmsChatReq,
    AssistantSmsChatResponse,
    CreateAssistantRequest,
    ImportAssistantsRequest,
    UpdateAssistantRequestWithPromotion,
)
from telnyx_async.resources._assistant_settings import AssistantSettings, settings_body

if TYPE_CHECKING:
    from telnyx_async.models.assistants import ImportAssistantsRequestProvider
    from telnyx_async.resources.assistant_tools import AssistantToolsResource
    from telnyx_async.resources.canary_deploys import CanaryDeploysResource
    from telnyx_async.resources.instructions import InstructionsResource
    from telnyx_async.resources.scheduled_events import ScheduledEventsResource
    from telnyx_async.resources.tags import TagsResource
    from telnyx_async.resources.tests import TestsResource
    from telnyx_async.resources.versions import VersionsResource

__all__ = ["AssistantsResource"]

_ONE = "/ai/assistants/{assistant_id}"


class AssistantsResource(Resource):
    """Everything under ``/ai/assistants``."""

    @functools.cached_property
    def tests(self) -> TestsResource:
        """Assistant tests, their runs and test suites."""
        from telnyx_async.resources.tests import TestsResource

        return TestsResource(self._context)

    @functools.cached_property
    def tags(self) -> TagsResource:
        """Tags: the account-wide list, and adding or removing one on an assistant."""
        from telnyx_async.resources.tags import TagsResource

        return TagsResource(self._context)

    @functools.cached_property
    def versions(self) -> VersionsResource:
        """Saved versions of an assistant: read, edit, delete, promote to main."""
        from telnyx_async.resources.versions import VersionsResource

        return VersionsResource(self._context)

    @functools.cached_property
    def canary_deploys(self) -> CanaryDeploysResource:
        """Traffic splits between versions of an assistant."""
        from telnyx_async.resources.canary_deploys import CanaryDeploysResource

        return CanaryDeploysResource(self._context)

    @functools.cached_property
    def scheduled_events(self) -> ScheduledEventsResource:
        """Calls and texts an assistant will place at a set time."""
        from telnyx_async.resources.scheduled_events import ScheduledEventsResource

        return ScheduledEventsResource(self._context)

    @functools.cached_property
    def tools(self) -> AssistantToolsResource:
        """Attaching shared tools to an assistant, detaching them, and dry-running them."""
        from telnyx_async.resources.assistant_tools import AssistantToolsResource

        return AssistantToolsResource(self._context)

    @functools.cached_property
    def instructions(self) -> InstructionsResource:
        """AI help with rewriting an assistant's instructions."""
        from telnyx_async.resources.instructions import InstructionsResource

        return InstructionsResource(self._context)

    async def create(
        self,
        *,
        instructions: str,
        name: str,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
        **settings: Unpack[AssistantSettings],
    ) -> Assistant:
        """Create an assistant from its instructions and name, plus any settings given.

        ``settings`` are the keyword arguments of
        :class:`~telnyx_async.resources.AssistantSettings` (``model=``,
        ``voice_settings=``, ``tools=`` ...); nested settings accept the model
        classes or plain dicts. Returns the new :class:`~telnyx_async.models.Assistant`.
        """
        body = {"instructions": instructions, "name": name, **settings_body("create", settings)}
        return await self._call(
            "POST", "/ai/assistants", Assistant, body=body, body_model=CreateAssistantRequest,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
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
        query = {
            "call_control_id": check.a_str("call_control_id", call_control_id),
            "fetch_dynamic_variables_from_webhook": check.a_bool(
                "fetch_dynamic_variables_from_webhook", fetch_dynamic_variables_from_webhook
            ),
            "from": check.a_str("from_", from_),
            "to": check.a_str("to", to),
        }
        return await self._call(
            "GET", _ONE, Assistant, path={"assistant_id": assistant_id}, query=query,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def update(
        self,
        assistant_id: str,
        *,
        name: Unset[str] = UNSET,
        instructions: Unset[str] = UNSET,
        promote_to_main: Unset[bool] = UNSET,
        version_name: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
        **settings: Unpack[AssistantSettings],
    ) -> Assistant:
        """Change an assistant; only the arguments you pass are sent.

        ``settings`` are as for :meth:`create`. By default the API saves the
        change as the new main version (``promote_to_main``); pass
        ``promote_to_main=False`` to keep it as a separate version.
        """
        body = {
            "name": name,
            "instructions": instructions,
            "promote_to_main": promote_to_main,
            "version_name": version_name,
            **settings_body("update", settings),
        }
        return await self._call(
            "POST", _ONE, Assistant, path={"assistant_id": assistant_id}, body=body,
            body_model=UpdateAssistantRequestWithPromotion, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

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
    ) -> AsyncPager[Assistant]:
        """List assistants: ``await`` it for the first page, ``async for`` it for all.

        The live API pages this list (100 per page by default) although the
        spec does not say so; the pager follows ``meta`` when it is present
        and stops after one page when it is not.
        """
        return self._pager(
            "/ai/assistants", Assistant, page_size=page_size, page_number=page_number,
            prefetch=prefetch, options=options(extra_headers, extra_query, extra_body, timeout),
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
        return await self._call(
            "DELETE", _ONE, AssistantDeletedResponse, path={"assistant_id": assistant_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
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
        body = {"content": content, "conversation_id": conversation_id, "name": name}
        return await self._call(
            "POST", "/ai/assistants/{assistant_id}/chat", AssistantChatResponse,
            path={"assistant_id": assistant_id}, body=body, body_model=AssistantChatReq,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
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
        body = {
            "from": from_,
            "to": to,
            "conversation_metadata": conversation_metadata,
            "should_create_conversation": should_create_conversation,
            "text": text,
        }
        return await self._call(
            "POST", "/ai/assistants/{assistant_id}/chat/sms", AssistantSmsChatResponse,
            path={"assistant_id": assistant_id}, body=body, body_model=AssistantSmsChatReq,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
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
        return await self._call(
            "POST", "/ai/assistants/{assistant_id}/clone", Assistant,
            path={"assistant_id": assistant_id}, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
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
        body = {"api_key_ref": api_key_ref, "provider": provider, "import_ids": import_ids}
        return await self._call(
            "POST", "/ai/assistants/import", AssistantsListData, body=body,
            body_model=ImportAssistantsRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
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
        texml: str = await self._call(
            "GET", "/ai/assistants/{assistant_id}/texml", str,
            path={"assistant_id": assistant_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return texml
