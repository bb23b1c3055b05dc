"""``client.ai.assistants.scheduled_events``: create, retrieve, list, delete."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError, UnprocessableEntityError
from telnyx_async.models.scheduled_events import (
    ConversationChannelType,
    EventStatus,
    ScheduledCallSettings,
    ScheduledPhoneCallEventResponse,
    ScheduledSmsEventResponse,
    SipRegion,
)
from telnyx_async.testing import FakeTelnyx

UTC = datetime.timezone.utc
WHEN = datetime.datetime(2030, 1, 2, 3, 4, 5)  # naive: taken as UTC


async def _call(client: AsyncTelnyx, aid: str, when: datetime.datetime = WHEN, **kw: Any) -> Any:
    return await client.ai.assistants.scheduled_events.create(
        aid,
        scheduled_at_fixed_datetime=when,
        telnyx_agent_target="+15550001111",
        telnyx_conversation_channel="phone_call",
        telnyx_end_user_target="+15550002222",
        **kw,
    )


async def _sms(client: AsyncTelnyx, aid: str, when: datetime.datetime = WHEN, **kw: Any) -> Any:
    return await client.ai.assistants.scheduled_events.create(
        aid,
        scheduled_at_fixed_datetime=when,
        telnyx_agent_target="+15550001111",
        telnyx_conversation_channel=ConversationChannelType.SMS_CHAT,
        telnyx_end_user_target="+15550003333",
        text="Your appointment is tomorrow.",
        **kw,
    )


async def test_create_phone_call_sends_naive_datetime_as_utc_with_offset(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    event = await _call(
        client, a["id"],
        call_settings=ScheduledCallSettings(sip_region=SipRegion.EUROPE),
        dynamic_variables={"name": "Ada"},
        max_retries_client_errors=2,
        retry_interval_secs=300,
    )
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route, rec.status) == (
        "POST", f"/ai/assistants/{a['id']}/scheduled_events",
        "/ai/assistants/{assistant_id}/scheduled_events", 201,
    )
    assert rec.json == {
        "scheduled_at_fixed_datetime": "2030-01-02T03:04:05+00:00",
        "telnyx_agent_target": "+15550001111",
        "telnyx_conversation_channel": "phone_call",
        "telnyx_end_user_target": "+15550002222",
        "call_settings": {"sip_region": "Europe"},
        "dynamic_variables": {"name": "Ada"},
        "max_retries_client_errors": 2,
        "retry_interval_secs": 300,
    }
    assert isinstance(event, ScheduledPhoneCallEventResponse)
    assert event.scheduled_at_fixed_datetime == WHEN.replace(tzinfo=UTC)
    assert event.status == EventStatus.PENDING
    assert event.call_settings == ScheduledCallSettings(sip_region=SipRegion.EUROPE)
    assert event.scheduled_event_id in fake.scheduled_events


async def test_aware_datetimes_keep_their_offset(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    plus_two = datetime.timezone(datetime.timedelta(hours=2))
    event = await _call(client, a["id"], when=datetime.datetime(2030, 6, 1, 12, 0, tzinfo=plus_two))
    assert fake.requests.last.json["scheduled_at_fixed_datetime"] == "2030-06-01T12:00:00+02:00"
    assert event.scheduled_at_fixed_datetime == datetime.datetime(2030, 6, 1, 10, 0, tzinfo=UTC)


async def test_create_sms_comes_back_as_an_sms_event(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    event = await _sms(client, a["id"], conversation_metadata={"source": "crm", "n": 1, "ok": True})
    rec = fake.requests.last
    assert rec.json == {
        "scheduled_at_fixed_datetime": "2030-01-02T03:04:05+00:00",
        "telnyx_agent_target": "+15550001111",
        "telnyx_conversation_channel": "sms_chat",
        "telnyx_end_user_target": "+15550003333",
        "text": "Your appointment is tomorrow.",
        "conversation_metadata": {"source": "crm", "n": 1, "ok": True},
    }
    assert isinstance(event, ScheduledSmsEventResponse)
    assert event.text == "Your appointment is tomorrow."
    assert event.telnyx_conversation_channel == ConversationChannelType.SMS_CHAT


async def test_a_phone_call_with_text_is_still_a_phone_call(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    # the channel decides the class, not which fields happen to be present
    a = fake.add_assistant()
    event = await _call(client, a["id"], text="Opening line")
    assert isinstance(event, ScheduledPhoneCallEventResponse)
    got = await client.ai.assistants.scheduled_events.retrieve(
        event.scheduled_event_id, assistant_id=a["id"]
    )
    assert isinstance(got, ScheduledPhoneCallEventResponse)


async def test_create_passes_an_idempotency_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    await _sms(client, a["id"], idempotency_key="evt-1")
    assert fake.requests.last.headers["Idempotency-Key"] == "evt-1"


async def test_sms_without_text_is_rejected_by_the_api(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    with pytest.raises(UnprocessableEntityError):
        await client.ai.assistants.scheduled_events.create(
            a["id"], scheduled_at_fixed_datetime=WHEN, telnyx_agent_target="+1",
            telnyx_conversation_channel="sms_chat", telnyx_end_user_target="+2",
        )


async def test_retrieve_picks_the_class_by_channel(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    call = await _call(client, a["id"])
    sms = await _sms(client, a["id"])
    events = client.ai.assistants.scheduled_events
    got_call = await events.retrieve(call.scheduled_event_id, assistant_id=a["id"])
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "GET", f"/ai/assistants/{a['id']}/scheduled_events/{call.scheduled_event_id}",
        "/ai/assistants/{assistant_id}/scheduled_events/{event_id}",
    )
    assert isinstance(got_call, ScheduledPhoneCallEventResponse)
    assert got_call == call
    got_sms = await events.retrieve(sms.scheduled_event_id, assistant_id=a["id"])
    assert isinstance(got_sms, ScheduledSmsEventResponse)
    assert got_sms == sms


async def test_list_sends_filters_and_pages_with_async_for(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    for day in (1, 2, 3):
        await _sms(client, a["id"], when=datetime.datetime(2030, 1, day, 9))
    await _call(client, a["id"], when=datetime.datetime(2030, 1, 2, 9))
    fake.reset_requests()

    pager = client.ai.assistants.scheduled_events.list(
        a["id"],
        from_date=datetime.datetime(2030, 1, 1),
        to_date=datetime.datetime(2030, 1, 31, tzinfo=UTC),
        conversation_channel="sms_chat",
        page_size=1,
        prefetch=0,
    )
    assert fake.requests == []  # nothing is sent until the pager is used
    seen = [event async for event in pager]
    assert len(seen) == 3
    assert all(isinstance(e, ScheduledSmsEventResponse) for e in seen)
    assert [r.query for r in fake.requests] == [
        [
            ("from_date", "2030-01-01T00:00:00+00:00"),
            ("to_date", "2030-01-31T00:00:00+00:00"),
            ("conversation_channel", "sms_chat"),
            *([("page[number]", str(n))] if n > 1 else []),  # page 1 is asked for without page[number]: only what the caller passed is sent
            ("page[size]", "1"),
        ]
        for n in (1, 2, 3)
    ]
    assert {r.path for r in fake.requests} == {f"/ai/assistants/{a['id']}/scheduled_events"}


async def test_list_mixes_both_kinds_and_sends_no_filters_by_default(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    await _call(client, a["id"])
    await _sms(client, a["id"])
    page = await client.ai.assistants.scheduled_events.list(a["id"])
    assert fake.requests.last.query == []
    assert sorted(type(e).__name__ for e in page.data) == [
        "ScheduledPhoneCallEventResponse", "ScheduledSmsEventResponse",
    ]
    assert page.meta is not None and page.meta.total_results == 2


async def test_delete_returns_none_and_removes_the_event(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    event = await _sms(client, a["id"])
    events = client.ai.assistants.scheduled_events
    result = await events.delete(event.scheduled_event_id, assistant_id=a["id"])  # type: ignore[func-returns-value]
    assert result is None
    rec = fake.requests.last
    assert (rec.method, rec.status) == ("DELETE", 200)
    assert fake.scheduled_events == {}
    with pytest.raises(NotFoundError):
        await events.retrieve(event.scheduled_event_id, assistant_id=a["id"])


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.assistants.scheduled_events.create(
            "", scheduled_at_fixed_datetime=WHEN, telnyx_agent_target="+1",
            telnyx_conversation_channel="phone_call", telnyx_end_user_target="+2",
        ),
        lambda c: c.ai.assistants.scheduled_events.retrieve("", assistant_id="a"),
        lambda c: c.ai.assistants.scheduled_events.retrieve("e", assistant_id=""),
        lambda c: c.ai.assistants.scheduled_events.list(""),
        lambda c: c.ai.assistants.scheduled_events.delete("", assistant_id="a"),
    ],
    ids=["create", "retrieve-e", "retrieve-a", "list", "delete"],
)
async def test_empty_ids_fail_before_any_request(
    call: Any, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call(client)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call", "raw"),
    [
        (
            lambda c: c.ai.assistants.scheduled_events.retrieve("e/1", assistant_id="a/b"),
            "/ai/assistants/a%2Fb/scheduled_events/e%2F1",
        ),
        (
            lambda c: c.ai.assistants.scheduled_events.delete("e/1", assistant_id="a"),
            "/ai/assistants/a/scheduled_events/e%2F1",
        ),
        (
            lambda c: c.ai.assistants.scheduled_events.list("a/b"),
            "/ai/assistants/a%2Fb/scheduled_events",
        ),
    ],
    ids=["retrieve", "delete", "list"],
)
async def test_slashes_are_escaped(call: Any, raw: str, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(NotFoundError):
        await call(client)
    assert fake.requests.last.raw_path == raw


async def test_unknown_keywords_are_type_errors(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    events = client.ai.assistants.scheduled_events
    with pytest.raises(TypeError):
        await _call(client, "a", scheduled_at="2030-01-01")
    with pytest.raises(TypeError):
        events.list("a", channel="sms_chat")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await events.retrieve("e")  # type: ignore[call-arg]
    assert fake.requests == []


async def test_a_bare_date_is_refused_before_any_request(
    client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    events = client.ai.assistants.scheduled_events
    with pytest.raises(TypeError, match=r"`from_date` must be a datetime\.datetime"):
        events.list("a", from_date=datetime.date(2030, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"`to_date` must be a datetime\.datetime"):
        events.list("a", to_date=datetime.date(2030, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`scheduled_at_fixed_datetime` must be a datetime"):
        await _call(client, "a", when=datetime.date(2030, 1, 1))  # type: ignore[arg-type]
    assert fake.requests == []
