"""``client.ai.assistants.scheduled_events``: calls and texts an assistant places later.

Events come back as :class:`ScheduledPhoneCallEventResponse` or
:class:`ScheduledSmsEventResponse` depending on their channel.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.scheduled_events import (
    CreateScheduledEventRequest,
    ScheduledEventResponse,
)

if TYPE_CHECKING:
    from telnyx_async.models.scheduled_events import (
        ConversationChannelType,
        ScheduledCallSettings,
    )

__all__ = [
    "ScheduledEventsResource",
    "ScheduledEventsWithRawResponse",
    "ScheduledEventsWithStreamingResponse",
]

_Obj = Mapping[str, Any]

_EVENTS = "/ai/assistants/{assistant_id}/scheduled_events"
_EVENT = "/ai/assistants/{assistant_id}/scheduled_events/{event_id}"


class ScheduledEventsResource(Resource):
    """Schedule, inspect, list and cancel an assistant's future calls and text messages."""

    @functools.cached_property
    def with_raw_response(self) -> ScheduledEventsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return ScheduledEventsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> ScheduledEventsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return ScheduledEventsWithStreamingResponse(self)

    async def create(
        self,
        assistant_id: str,
        *,
        scheduled_at_fixed_datetime: datetime.datetime,
        telnyx_agent_target: str,
        telnyx_conversation_channel: ConversationChannelType | str,
        telnyx_end_user_target: str,
        call_settings: Unset[ScheduledCallSettings | _Obj] = UNSET,
        conversation_metadata: Unset[Mapping[str, str | int | bool]] = UNSET,
        dynamic_variables: Unset[Mapping[str, str]] = UNSET,
        max_retries_client_errors: Unset[int] = UNSET,
        retry_interval_secs: Unset[int] = UNSET,
        text: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> ScheduledEventResponse:
        """Schedule a call (``"phone_call"``) or a text (``"sms_chat"``, needs ``text``).

        The assistant reaches ``telnyx_end_user_target`` from
        ``telnyx_agent_target`` at ``scheduled_at_fixed_datetime``; a naive
        datetime is taken as UTC and sent with an explicit offset.
        """
        body = {
            "scheduled_at_fixed_datetime": check.a_datetime(
                "scheduled_at_fixed_datetime", scheduled_at_fixed_datetime
            ),
            "telnyx_agent_target": telnyx_agent_target,
            "telnyx_conversation_channel": telnyx_conversation_channel,
            "telnyx_end_user_target": telnyx_end_user_target,
            "call_settings": call_settings,
            "conversation_metadata": conversation_metadata,
            "dynamic_variables": dynamic_variables,
            "max_retries_client_errors": max_retries_client_errors,
            "retry_interval_secs": retry_interval_secs,
            "text": text,
        }
        event: ScheduledEventResponse = await self._call(
            "POST", _EVENTS, ScheduledEventResponse, path={"assistant_id": assistant_id},
            body=body, body_model=CreateScheduledEventRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return event

    async def retrieve(
        self,
        event_id: str,
        *,
        assistant_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> ScheduledEventResponse:
        """One scheduled event of an assistant, with its status and attempts so far."""
        event: ScheduledEventResponse = await self._call(
            "GET", _EVENT, ScheduledEventResponse,
            path={"assistant_id": assistant_id, "event_id": event_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )
        return event

    def list(
        self,
        assistant_id: str,
        *,
        from_date: Unset[datetime.datetime] = UNSET,
        to_date: Unset[datetime.datetime] = UNSET,
        conversation_channel: Unset[ConversationChannelType | str] = UNSET,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[ScheduledEventResponse]:
        """An assistant's scheduled events, optionally in a time window or on one channel.

        ``from_date``/``to_date`` go out as ISO 8601 with an offset (naive means
        UTC). ``await`` the result for one page, ``async for`` over it for all.
        """
        query = {
            "from_date": check.a_datetime("from_date", from_date),
            "to_date": check.a_datetime("to_date", to_date),
            "conversation_channel": check.a_str("conversation_channel", conversation_channel),
        }
        return self._pager(
            _EVENTS, cast(Any, ScheduledEventResponse), path={"assistant_id": assistant_id},
            query=query, page_size=page_size, page_number=page_number, prefetch=prefetch,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        event_id: str,
        *,
        assistant_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> None:
        """Cancel a scheduled event. Returns ``None``."""
        await self._call(
            "DELETE", _EVENT, NOTHING, path={"assistant_id": assistant_id, "event_id": event_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class ScheduledEventsWithRawResponse(ResponseView[ScheduledEventsResource]):
    """``ScheduledEvents`` calls giving the raw response (``await``, then ``parse()``)."""

    create = to_raw(ScheduledEventsResource.create)
    retrieve = to_raw(ScheduledEventsResource.retrieve)
    list = to_raw(ScheduledEventsResource.list)
    delete = to_raw(ScheduledEventsResource.delete)


class ScheduledEventsWithStreamingResponse(ResponseView[ScheduledEventsResource]):
    """``ScheduledEvents`` calls with the body unread until asked for: ``async with``."""

    create = to_streamed(ScheduledEventsResource.create)
    retrieve = to_streamed(ScheduledEventsResource.retrieve)
    list = to_streamed(ScheduledEventsResource.list)
    delete = to_streamed(ScheduledEventsResource.delete)
