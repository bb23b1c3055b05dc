"""``client.ai.assistants.scheduled_events``: calls and texts an assistant places later.

Events come back as :class:`ScheduledPhoneCallEventResponse` or
:class:`ScheduledSmsEventResponse` depending on their channel.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import NOTHING, Resource, body_of, options_of
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.scheduled_events import ScheduledEventResponse

if TYPE_CHECKING:
    from telnyx_async.models.scheduled_events import (
        ConversationChannelType,
        ScheduledCallSettings,
    )

__all__ = ["ScheduledEventsResource"]

_Obj = Mapping[str, Any]

def _events_path(assistant_id: str) -> str:
    return encode_path("/ai/assistants/{id}/scheduled_events", id=assistant_id)


def _event_path(assistant_id: str, event_id: str) -> str:
    return encode_path(
        "/ai/assistants/{assistant}/scheduled_events/{event}",
        assistant=assistant_id, event=event_id,
    )


class ScheduledEventsResource(Resource):
    """Schedule, inspect, list and cancel an assistant's future calls and text messages."""

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
        args = dict(locals())
        event: ScheduledEventResponse = await self._client._request(
            "POST", _events_path(assistant_id), body=body_of(args, "assistant_id"),
            cast=ScheduledEventResponse,
            idempotency_key=idempotency_key, options=options_of(args),
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
        event: ScheduledEventResponse = await self._client._request(
            "GET", _event_path(assistant_id, event_id), cast=ScheduledEventResponse,
            options=options_of(locals()),
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
        page_number: int = 1,
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
        args = dict(locals())
        return self._pager(
            _events_path(assistant_id), cast(Any, ScheduledEventResponse),
            query=body_of(args, "assistant_id"),
            page_size=page_size, page_number=page_number, prefetch=prefetch,
            options=options_of(args),
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
        await self._client._request(
            "DELETE", _event_path(assistant_id, event_id), cast=NOTHING,
            options=options_of(locals()),
        )
