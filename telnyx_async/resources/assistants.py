"""``client.ai.assistants``: create, read, change and talk to AI assistants."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._decode import Reader
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.assistants import (
    Assistant,
    AssistantChatReq,
    AssistantChatResponse,
    AssistantDeletedResponse,
    AssistantsListData,
    AssistantSmsChatReq,
    AssistantSmsChatResponse,
    AssistantWhatsappReq,
    AssistantWhatsappResponse,
    CreateAssistantRequest,
    ImportAssistantsRequest,
    UpdateAssistantRequestWithPromotion,
)
from telnyx_async.resources._chat_events import chat_reply_from_events

if TYPE_CHECKING:
    from typing_extensions import Unpack  # typing.Unpack is 3.11+; annotations only

    from telnyx_async.models.assistants import ImportAssistantsRequestProvider
    from telnyx_async.resources._assistant_settings import AssistantSettings
    from telnyx_async.resources.assistant_tools import (
        AssistantToolsResource,
        AssistantToolsWithRawResponse,
        AssistantToolsWithStreamingResponse,
    )
    from telnyx_async.resources.canary_deploys import (
        CanaryDeploysResource,
        CanaryDeploysWithRawResponse,
        CanaryDeploysWithStreamingResponse,
    )
    from telnyx_async.resources.deleted import (
        DeletedAssistantsResource,
        DeletedAssistantsWithRawResponse,
        DeletedAssistantsWithStreamingResponse,
    )
    from telnyx_async.resources.instructions import (
        InstructionsResource,
        InstructionsWithRawResponse,
        InstructionsWithStreamingResponse,
    )
    from telnyx_async.resources.scheduled_events import (
        ScheduledEventsResource,
        ScheduledEventsWithRawResponse,
        ScheduledEventsWithStreamingResponse,
    )
    from telnyx_async.resources.tags import (
        TagsResource,
        TagsWithRawResponse,
        TagsWithStreamingResponse,
    )
    from telnyx_async.resources.tests import (
        TestsResource,
        TestsWithRawResponse,
        TestsWithStreamingResponse,
    )
    from telnyx_async.resources.versions import (
        VersionsResource,
        VersionsWithRawResponse,
        VersionsWithStreamingResponse,
    )

__all__ = ["AssistantsResource", "AssistantsWithRawResponse", "AssistantsWithStreamingResponse"]

_ONE = "/ai/assistants/{assistant_id}"
_EVENT_STREAM = "text/event-stream, application/json;q=0.9"


_CHAT_EVENTS = Reader("chat events", chat_reply_from_events)


class AssistantsResource(Resource):
    """Everything under ``/ai/assistants``."""

    @functools.cached_property
    def with_raw_response(self) -> AssistantsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return AssistantsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> AssistantsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return AssistantsWithStreamingResponse(self)

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

    @functools.cached_property
    def deleted(self) -> DeletedAssistantsResource:
        """The Recently Deleted list: soft-deleted assistants that can still be restored."""
        from telnyx_async.resources.deleted import DeletedAssistantsResource

        return DeletedAssistantsResource(self._context)

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
        # Imported here, not with the module: the first retrieve need not build its TypedDict.
        from telnyx_async.resources._assistant_settings import settings_body

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
        from telnyx_async.resources._assistant_settings import settings_body

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
        hard_delete: Unset[bool] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantDeletedResponse:
        """Delete an assistant; the answer confirms the ID that was removed.

        The API keeps a deleted assistant in its Recently Deleted list for a
        while (see :attr:`deleted` and :meth:`restore`); ``hard_delete=True``
        removes it for good at once.
        """
        return await self._call(
            "DELETE", _ONE, AssistantDeletedResponse, path={"assistant_id": assistant_id},
            query={"hard_delete": check.a_bool("hard_delete", hard_delete)},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def restore(
        self,
        assistant_id: str,
        *,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> Assistant:
        """Bring back an assistant from the Recently Deleted list; returns it, active again.

        Its versions come back with it; numbers or connections released after
        the deletion do not.
        """
        return await self._call(
            "POST", _ONE + "/restore", Assistant, path={"assistant_id": assistant_id},
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def chat(
        self,
        assistant_id: str,
        *,
        content: str,
        conversation_id: str,
        name: Unset[str] = UNSET,
        stream: Unset[bool] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantChatResponse:
        """Send one chat message to an assistant and get its reply (``.content``).

        ``conversation_id`` threads messages together; ``name`` is the optional
        display name of the sender. With ``stream=True`` the API answers as
        Server-Sent Events, fragment by fragment: read them as they come with
        ``async with client.ai.assistants.with_streaming_response.chat(...,
        stream=True) as response`` and ``response.iter_lines()``. Awaited
        plainly, a streamed answer is read to its ``done`` event, whose full
        reply is returned.
        """
        body = {
            "content": content, "conversation_id": conversation_id, "name": name,
            "stream": check.a_bool("stream", stream),
        }
        cast: Any = AssistantChatResponse
        if stream is True:
            cast = _CHAT_EVENTS
            extra_headers = {"Accept": _EVENT_STREAM, **(extra_headers or {})}
        reply: AssistantChatResponse = await self._call(
            "POST", "/ai/assistants/{assistant_id}/chat", cast,
            path={"assistant_id": assistant_id}, body=body, body_model=AssistantChatReq,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return reply

    async def whatsapp(
        self,
        assistant_id: str,
        *,
        content: str,
        from_: str,
        to: str,
        conversation_metadata: Unset[Mapping[str, str | int | bool]] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantWhatsappResponse:
        """Have the assistant start a WhatsApp conversation with ``to`` from the number ``from_``.

        ``content`` tells the assistant what to say (it fills one of its
        approved WhatsApp templates from it); ``from_`` is sent as ``from``.
        The answer names the new conversation and the message sent.
        """
        body = {
            "content": content,
            "from": from_,
            "to": to,
            "conversation_metadata": conversation_metadata,
        }
        return await self._call(
            "POST", "/ai/assistants/{assistant_id}/chat/whatsapp", AssistantWhatsappResponse,
            path={"assistant_id": assistant_id}, body=body, body_model=AssistantWhatsappReq,
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


class AssistantsWithRawResponse(ResponseView[AssistantsResource]):
    """``Assistants`` calls giving the raw response (``await``, then ``parse()``)."""

    create = to_raw(AssistantsResource.create)
    retrieve = to_raw(AssistantsResource.retrieve)
    update = to_raw(AssistantsResource.update)
    list = to_raw(AssistantsResource.list)
    delete = to_raw(AssistantsResource.delete)
    restore = to_raw(AssistantsResource.restore)
    chat = to_raw(AssistantsResource.chat)
    whatsapp = to_raw(AssistantsResource.whatsapp)
    send_sms = to_raw(AssistantsResource.send_sms)
    clone = to_raw(AssistantsResource.clone)
    imports = to_raw(AssistantsResource.imports)
    get_texml = to_raw(AssistantsResource.get_texml)

    @property
    def tests(self) -> TestsWithRawResponse:
        """The same for ``tests``."""
        return self._resource.tests.with_raw_response

    @property
    def tags(self) -> TagsWithRawResponse:
        """The same for ``tags``."""
        return self._resource.tags.with_raw_response

    @property
    def versions(self) -> VersionsWithRawResponse:
        """The same for ``versions``."""
        return self._resource.versions.with_raw_response

    @property
    def canary_deploys(self) -> CanaryDeploysWithRawResponse:
        """The same for ``canary_deploys``."""
        return self._resource.canary_deploys.with_raw_response

    @property
    def scheduled_events(self) -> ScheduledEventsWithRawResponse:
        """The same for ``scheduled_events``."""
        return self._resource.scheduled_events.with_raw_response

    @property
    def tools(self) -> AssistantToolsWithRawResponse:
        """The same for ``tools``."""
        return self._resource.tools.with_raw_response

    @property
    def instructions(self) -> InstructionsWithRawResponse:
        """The same for ``instructions``."""
        return self._resource.instructions.with_raw_response

    @property
    def deleted(self) -> DeletedAssistantsWithRawResponse:
        """The same for ``deleted``."""
        return self._resource.deleted.with_raw_response


class AssistantsWithStreamingResponse(ResponseView[AssistantsResource]):
    """``Assistants`` calls with the body unread until asked for: ``async with``."""

    create = to_streamed(AssistantsResource.create)
    retrieve = to_streamed(AssistantsResource.retrieve)
    update = to_streamed(AssistantsResource.update)
    list = to_streamed(AssistantsResource.list)
    delete = to_streamed(AssistantsResource.delete)
    restore = to_streamed(AssistantsResource.restore)
    chat = to_streamed(AssistantsResource.chat)
    whatsapp = to_streamed(AssistantsResource.whatsapp)
    send_sms = to_streamed(AssistantsResource.send_sms)
    clone = to_streamed(AssistantsResource.clone)
    imports = to_streamed(AssistantsResource.imports)
    get_texml = to_streamed(AssistantsResource.get_texml)

    @property
    def tests(self) -> TestsWithStreamingResponse:
        """The same for ``tests``."""
        return self._resource.tests.with_streaming_response

    @property
    def tags(self) -> TagsWithStreamingResponse:
        """The same for ``tags``."""
        return self._resource.tags.with_streaming_response

    @property
    def versions(self) -> VersionsWithStreamingResponse:
        """The same for ``versions``."""
        return self._resource.versions.with_streaming_response

    @property
    def canary_deploys(self) -> CanaryDeploysWithStreamingResponse:
        """The same for ``canary_deploys``."""
        return self._resource.canary_deploys.with_streaming_response

    @property
    def scheduled_events(self) -> ScheduledEventsWithStreamingResponse:
        """The same for ``scheduled_events``."""
        return self._resource.scheduled_events.with_streaming_response

    @property
    def tools(self) -> AssistantToolsWithStreamingResponse:
        """The same for ``tools``."""
        return self._resource.tools.with_streaming_response

    @property
    def instructions(self) -> InstructionsWithStreamingResponse:
        """The same for ``instructions``."""
        return self._resource.instructions.with_streaming_response

    @property
    def deleted(self) -> DeletedAssistantsWithStreamingResponse:
        """The same for ``deleted``."""
        return self._resource.deleted.with_streaming_response
