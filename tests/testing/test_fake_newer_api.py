"""The newer API (``scripts/spec_overlay.json``) through the SDK, against FakeTelnyx.

``tests/resources/test_newer_api.py`` checks what the SDK sends for these calls
over a stub transport; here the same calls meet the fake, which keeps state:
soft delete, the Recently Deleted list, restore and hard delete, WhatsApp,
chat answered as Server-Sent Events, the newer assistant settings and the
newer shared tool types. Each call is made plainly and ``with_raw_response``
(chat streaming ``with_streaming_response`` too); every answer the fake gave
is checked against the spec with the overlay laid over it, and every model
decoded from one must have nothing left in ``extra``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from spec_support import assert_fake_responses_valid, sse_events

from telnyx_async import (
    AsyncTelnyx,
    NotFoundError,
    Page,
    UnprocessableEntityError,
)
from telnyx_async.models import (
    Assistant,
    AssistantChatResponse,
    AssistantDeletedResponse,
    AssistantWhatsappResponse,
    AvatarSettings,
    DelegationSettings,
    DeletedAssistant,
    SharedToolResponse,
    UpdateDynamicVariablesToolParams,
    VisionToolParams,
    WebsocketSettings,
)
from telnyx_async.testing import FakeClock, FakeTelnyx, Fault

from ._fake_http import Api

A = "/ai/assistants"
DAY = 24 * 3600.0
SETTINGS: dict[str, Any] = {
    "a2a_agents": [
        {
            "name": "billing",
            "url": "https://agents.example.com/billing",
            "async": True,
            "headers": [{"name": "X-Team", "value": "blue"}],
            "messages": [
                {"type": "request_start", "content": "One moment."},
                {"type": "request_response_delayed", "content": "Still on it.", "timing_ms": 4000},
            ],
        }
    ],
    "avatar_settings": {
        "avatar_id": "av-1", "background_id": "studio", "model": "foxtrot-1", "provider": "telnyx",
    },
    "delegation_settings": {"enabled": True, "mode": "telnyx", "speak_results": False},
    "websocket_settings": {"enabled": True, "url": "wss://hooks.example.com/ws"},
}


@pytest.fixture(autouse=True)
async def _answers_match_the_api(fake: FakeTelnyx) -> AsyncIterator[None]:
    """After each test: every answer the fake gave is what the (newer) API declares."""
    yield
    assert_fake_responses_valid(fake)


def when(stamp: str) -> datetime.datetime:
    """A wire timestamp as an aware datetime."""
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


async def soft_deleted(fake: FakeTelnyx, client: AsyncTelnyx, name: str = "Support") -> str:
    """The id of an assistant made and then deleted (softly) through the SDK."""
    aid = fake.add_assistant(name=name)["id"]
    await client.ai.assistants.delete(aid)
    return aid


# ---------------------------------------------------------------- delete, the list, restore


async def test_a_soft_deleted_assistant_leaves_the_list_for_recently_deleted(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = await client.ai.assistants.create(name="Support", instructions="Help.", tags=["vip"])
    gone = await client.ai.assistants.delete(made.id)
    assert gone == AssistantDeletedResponse(id=made.id, object="assistant", deleted=True)

    assert [a.id async for a in client.ai.assistants.list()] == []
    with pytest.raises(NotFoundError):
        await client.ai.assistants.retrieve(made.id)
    with pytest.raises(NotFoundError):
        await client.ai.assistants.versions.list(made.id)
    with pytest.raises(NotFoundError):  # deleting it again: it is not an assistant any more
        await client.ai.assistants.delete(made.id)
    assert made.id not in fake.assistants and made.id in fake.deleted_assistants

    listed = [d async for d in client.ai.assistants.deleted.list()]
    one = await client.ai.assistants.deleted.get(made.id)
    assert listed == [one]
    assert isinstance(one, DeletedAssistant) and one.extra == {}
    assert (one.id, one.name, one.tags, one.version_id) == (made.id, "Support", ["vip"], made.version_id)
    assert one.permanently_deleted_at - one.deleted_at == datetime.timedelta(days=30)
    assert when(fake.deleted_assistants[made.id]["deleted_at"]) == one.deleted_at


async def test_restore_brings_it_back_with_its_versions(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = await client.ai.assistants.create(name="Support", instructions="v1")
    draft = await client.ai.assistants.update(made.id, instructions="v2", promote_to_main=False)
    await client.ai.assistants.delete(made.id)

    restored = await client.ai.assistants.restore(made.id)
    assert isinstance(restored, Assistant) and restored.extra == {}
    assert (restored.id, restored.instructions, restored.version_id) == (made.id, "v1", made.version_id)
    assert [a.id async for a in client.ai.assistants.list()] == [made.id]
    versions = await client.ai.assistants.versions.list(made.id)
    assert [v.version_id for v in versions.data] == [made.version_id, draft.version_id]
    assert [d async for d in client.ai.assistants.deleted.list()] == []
    with pytest.raises(NotFoundError):
        await client.ai.assistants.deleted.get(made.id)
    with pytest.raises(NotFoundError, match="Recently Deleted"):  # nothing left to restore
        await client.ai.assistants.restore(made.id)


async def test_restore_with_a_key_replays_its_first_answer(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    aid = await soft_deleted(fake, client)
    first = await client.ai.assistants.restore(aid, idempotency_key="restore-1")
    again = await client.ai.assistants.restore(aid, idempotency_key="restore-1")
    assert again == first and fake.idempotency_replays == 1
    assert list(fake.assistants) == [aid]


async def test_hard_delete_removes_for_good(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Temp")["id"]
    await client.ai.assistants.delete(aid, hard_delete=True)
    assert fake.assistants == {} and fake.deleted_assistants == {}
    assert fake.requests.last.query == [("hard_delete", "true")]
    with pytest.raises(NotFoundError):
        await client.ai.assistants.deleted.get(aid)
    with pytest.raises(NotFoundError):
        await client.ai.assistants.restore(aid)

    kept = fake.add_assistant(name="Kept")["id"]
    await client.ai.assistants.delete(kept, hard_delete=False)  # said out loud: soft
    assert list(fake.deleted_assistants) == [kept]
    gone = await client.ai.assistants.delete(kept, hard_delete=True)  # empties it from the list
    assert gone.id == kept and fake.deleted_assistants == {}
    with pytest.raises(NotFoundError):
        await client.ai.assistants.delete(kept, hard_delete=True)


async def test_hard_delete_must_be_a_boolean(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    with pytest.raises(UnprocessableEntityError, match="hard_delete"):
        await client.ai.assistants.delete(aid, extra_query={"hard_delete": "maybe"})
    await client.ai.assistants.delete(aid, extra_query={"hard_delete": "1"})  # FastAPI's spellings
    assert fake.assistants == {} and fake.deleted_assistants == {}


async def test_deletion_takes_the_canary_and_the_scheduled_events(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = await client.ai.assistants.create(name="Caller", instructions="Call.")
    await client.ai.assistants.canary_deploys.create(
        made.id, rules=[{"serve": {"rollout": [{"version_id": made.version_id, "weight": 100}]}}]
    )
    assert made.id in fake.canary_deploys
    await client.ai.assistants.delete(made.id)
    await client.ai.assistants.restore(made.id)
    assert fake.canary_deploys == {} and fake.scheduled_events == {}


async def test_the_list_ends_after_thirty_days(
    fake: FakeTelnyx, client: AsyncTelnyx, clock: FakeClock
) -> None:
    aid = await soft_deleted(fake, client)
    clock.advance(30 * DAY - 1)
    assert (await client.ai.assistants.deleted.get(aid)).id == aid
    clock.advance(1)
    assert [d async for d in client.ai.assistants.deleted.list()] == []
    with pytest.raises(NotFoundError):
        await client.ai.assistants.deleted.get(aid)
    with pytest.raises(NotFoundError):
        await client.ai.assistants.restore(aid)


async def test_the_list_pages_latest_deletion_first(
    fake: FakeTelnyx, client: AsyncTelnyx, clock: FakeClock
) -> None:
    ids = []
    for name in ("first", "second", "third"):
        ids.append(await soft_deleted(fake, client, name))
        clock.advance(60)
    page = await client.ai.assistants.deleted.list(page_size=2)
    assert [d.name for d in page.data] == ["third", "second"]
    assert page.meta is not None and page.meta.total_results == 3
    assert [d.id async for d in client.ai.assistants.deleted.list(page_size=2)] == ids[::-1]


async def test_a_pinned_id_reused_drops_the_deleted_one(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    await client.ai.assistants.delete(fake.add_assistant(id="front-desk", name="Old")["id"])
    fake.add_assistant(id="front-desk", name="New")
    assert fake.deleted_assistants == {}
    assert (await client.ai.assistants.retrieve("front-desk")).name == "New"


async def test_raw_responses_of_the_deleted_calls(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Raw")["id"]
    deleting = await client.ai.assistants.with_raw_response.delete(aid)
    assert deleting.status_code == 200
    assert await deleting.parse() == AssistantDeletedResponse(id=aid, object="assistant", deleted=True)

    listing = await client.ai.assistants.deleted.with_raw_response.list(page_size=5)
    page = await listing.parse()
    assert listing.url.endswith("/ai/assistants/deleted?page%5Bsize%5D=5")
    assert isinstance(page, Page) and [d.id for d in page.data] == [aid]
    looking = await client.ai.assistants.deleted.with_raw_response.get(aid)
    one = await looking.parse()
    assert (await looking.json())["deleted_at"] and one == page.data[0] and one.extra == {}

    restoring = await client.ai.assistants.with_raw_response.restore(aid)
    assert restoring.status_code == 200 and restoring.method == "POST"
    restored = await restoring.parse()
    assert isinstance(restored, Assistant) and restored.id == aid and restored.extra == {}


async def test_streamed_responses_of_the_deleted_calls(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    aid = await soft_deleted(fake, client)
    async with client.ai.assistants.deleted.with_streaming_response.get(aid) as response:
        one = await response.parse()
    assert isinstance(one, DeletedAssistant) and one.extra == {}
    async with client.ai.assistants.with_streaming_response.restore(aid) as response:
        assert response.status_code == 200
        assert (await response.parse()).id == aid


# ---------------------------------------------------------------- WhatsApp


async def test_whatsapp_starts_a_conversation(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Notifier")["id"]
    sent = await client.ai.assistants.whatsapp(
        aid, content="Send code 482913.", from_="+15550001111", to="+15550002222",
        conversation_metadata={"campaign": "login", "attempt": 1, "vip": False},
    )
    assert isinstance(sent, AssistantWhatsappResponse) and sent.extra == {}
    assert sent.conversation_id and sent.message_id and sent.conversation_id != sent.message_id
    assert fake.requests.last.json == {
        "content": "Send code 482913.", "from": "+15550001111", "to": "+15550002222",
        "conversation_metadata": {"campaign": "login", "attempt": 1, "vip": False},
    }
    again = await client.ai.assistants.whatsapp(aid, content="x", from_="+1555", to="+1556")
    assert again.message_id != sent.message_id

    raw = await client.ai.assistants.with_raw_response.whatsapp(
        aid, content="x", from_="+1555", to="+1556", idempotency_key="wa-1"
    )
    replayed = await client.ai.assistants.with_raw_response.whatsapp(
        aid, content="x", from_="+1555", to="+1556", idempotency_key="wa-1"
    )
    assert await replayed.parse() == await raw.parse()
    assert fake.idempotency_replays == 1 and fake.requests.last.replayed

    with pytest.raises(NotFoundError):
        await client.ai.assistants.whatsapp("no-such-assistant", content="x", from_="+1", to="+2")


async def test_whatsapp_bodies_are_checked_like_the_api(fake: FakeTelnyx, api: Api) -> None:
    aid = fake.add_assistant()["id"]
    status, body, _ = await api.post(f"{A}/{aid}/chat/whatsapp", json={"content": "x", "from": "+1"})
    assert status == 422 and [e["loc"] for e in body["detail"]] == [["body", "to"]]
    status, body, _ = await api.post(
        f"{A}/{aid}/chat/whatsapp",
        json={"content": "x", "from": "+1", "to": "+2", "conversation_metadata": {"tags": ["a"]}},
    )
    assert status == 422 and body["detail"][0]["loc"] == ["body", "conversation_metadata", "tags"]
    status, body, _ = await api.post(f"{A}/{aid}/chat/whatsapp")
    assert status == 422 and body["detail"][0]["loc"] == ["body"]


# ---------------------------------------------------------------- chat(stream=...)


async def test_chat_streamed_awaited_plainly(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Echo")["id"]
    reply = await client.ai.assistants.chat(
        aid, content="where is my parcel", conversation_id="c-1", stream=True
    )
    assert reply == AssistantChatResponse(content="Echo here. You said: where is my parcel")
    assert reply.extra == {}
    answer = fake.requests.last
    assert answer.json == {"content": "where is my parcel", "conversation_id": "c-1", "stream": True}
    assert answer.response_headers["Content-Type"].startswith("text/event-stream")
    events = sse_events(answer.response_body.decode())
    assert {name for name, _ in events[:-1]} == {"delta"} and events[-1][0] == "done"
    deltas = "".join(json.loads(data)["content"] for _, data in events[:-1])
    assert deltas == json.loads(events[-1][1])["content"] == reply.content


async def test_chat_without_stream_answers_json(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Echo")["id"]
    for stream in (False, None):
        kwargs: dict[str, Any] = {} if stream is None else {"stream": stream}
        reply = await client.ai.assistants.chat(aid, content="hi", conversation_id="c", **kwargs)
        assert reply == AssistantChatResponse(content="Echo here. You said: hi")
        assert fake.requests.last.response_json == {"content": "Echo here. You said: hi"}


async def test_chat_streamed_read_as_it_comes(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Echo")["id"]
    async with client.ai.assistants.with_streaming_response.chat(
        aid, content="one two three", conversation_id="c-1", stream=True
    ) as response:
        assert response.status_code == 200 and response.content_type == "text/event-stream"
        lines = [line async for line in response.iter_lines()]
    data = [json.loads(line[len("data: "):]) for line in lines if line.startswith("data: ")]
    assert [line for line in lines if line.startswith("event: ")][-1] == "event: done"
    assert "".join(d["content"] for d in data[:-1]) == data[-1]["content"]
    assert data[-1] == {"content": "Echo here. You said: one two three"}


async def test_chat_streamed_arriving_in_pieces(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Echo")["id"]
    fake.enqueue(Fault.trickle(0.05, chunks=6), route=f"{A}/{{assistant_id}}/chat")
    async with client.ai.assistants.with_streaming_response.chat(
        aid, content="slowly please", conversation_id="c-1", stream=True
    ) as response:
        chunks = [chunk async for chunk in response.iter_bytes()]
    assert len(chunks) > 1
    assert sse_events(b"".join(chunks).decode())[-1] == (
        "done", '{"content": "Echo here. You said: slowly please"}'
    )


async def test_chat_streamed_raw_and_parsed(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid = fake.add_assistant(name="Echo")["id"]
    raw = await client.ai.assistants.with_raw_response.chat(
        aid, content="hi", conversation_id="c", stream=True
    )
    assert raw.content_type == "text/event-stream"
    assert (await raw.text()).endswith('event: done\ndata: {"content": "Echo here. You said: hi"}\n\n')
    parsed = await raw.parse()
    assert parsed == AssistantChatResponse(content="Echo here. You said: hi") and parsed.extra == {}
    async with client.ai.assistants.with_streaming_response.chat(
        aid, content="hi", conversation_id="c", stream=True
    ) as response:
        assert await response.parse() == parsed


async def test_chat_stream_must_be_a_boolean(fake: FakeTelnyx, api: Api) -> None:
    aid = fake.add_assistant()["id"]
    status, body, _ = await api.post(
        f"{A}/{aid}/chat", json={"content": "hi", "conversation_id": "c", "stream": "yes"}
    )
    assert status == 422 and body["detail"][0]["loc"] == ["body", "stream"]


# ---------------------------------------------------------------- the newer settings


async def test_newer_settings_are_stored_and_returned(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = await client.ai.assistants.create(name="Support", instructions="Help.", **SETTINGS)
    fetched = await client.ai.assistants.retrieve(made.id)
    assert fetched == made and fetched.extra == {}
    assert fake.assistants[made.id]["a2a_agents"] == SETTINGS["a2a_agents"]
    agent = fetched.a2a_agents[0] if fetched.a2a_agents else None
    assert agent is not None and agent.async_ is True and agent.extra == {}
    assert agent.messages is not None and [m.type for m in agent.messages] == [
        "request_start", "request_response_delayed",
    ]
    assert fetched.avatar_settings == AvatarSettings(
        avatar_id="av-1", background_id="studio", model="foxtrot-1", provider="telnyx"
    )
    assert fetched.delegation_settings == DelegationSettings(
        enabled=True, mode="telnyx", speak_results=False
    )
    assert fetched.websocket_settings == WebsocketSettings(
        enabled=True, url="wss://hooks.example.com/ws"
    )

    updated = await client.ai.assistants.update(
        made.id, avatar_settings=None, delegation_settings=DelegationSettings(enabled=False)
    )
    assert updated.avatar_settings is None and updated.extra == {}
    assert updated.delegation_settings == DelegationSettings(enabled=False)
    assert updated.websocket_settings == fetched.websocket_settings  # kept from before
    version = await client.ai.assistants.versions.update(
        "v-ws", assistant_id=made.id, websocket_settings=WebsocketSettings(enabled=False)
    )
    assert version.websocket_settings == WebsocketSettings(enabled=False)
    assert (await client.ai.assistants.clone(made.id)).a2a_agents == fetched.a2a_agents

    aid = made.id
    await client.ai.assistants.delete(aid)
    deleted = await client.ai.assistants.deleted.get(aid)
    assert deleted.a2a_agents == fetched.a2a_agents and deleted.extra == {}


@pytest.mark.parametrize(
    ("settings", "loc"),
    [
        ({"avatar_settings": {**SETTINGS["avatar_settings"], "background_id": "beach"}},
         ["body", "avatar_settings", "background_id"]),
        ({"a2a_agents": [{"name": "no url"}]}, ["body", "a2a_agents", 0, "url"]),
        ({"delegation_settings": {"mode": "somebody"}}, ["body", "delegation_settings", "mode"]),
        ({"websocket_settings": {"enabled": "yes"}}, ["body", "websocket_settings", "enabled"]),
    ],
)
async def test_newer_settings_are_checked_like_the_api(
    api: Api, settings: dict[str, Any], loc: list[Any]
) -> None:
    status, body, _ = await api.post(A, json={"name": "n", "instructions": "i", **settings})
    assert status == 422 and [e["loc"] for e in body["detail"]] == [loc]


# ---------------------------------------------------------------- the newer tool types


async def test_newer_tool_types_are_accepted(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    remember = await client.ai.tools.create(
        display_name="Remember", type="update_dynamic_variables",
        update_dynamic_variables=UpdateDynamicVariablesToolParams(
            name="remember", description="Keep what the caller says",
            updatable_variables=[{"name": "order_id", "type": "string"}],  # type: ignore[list-item]
        ),
    )
    eyes = await client.ai.tools.create(
        display_name="Eyes", type="vision", vision=VisionToolParams(max_frame_age_secs=3)
    )
    for tool in (remember, eyes):
        assert isinstance(tool, SharedToolResponse) and tool.extra == {}
    assert remember.tool_definition == {
        "name": "remember", "description": "Keep what the caller says",
        "updatable_variables": [{"name": "order_id", "type": "string"}],
    }
    assert eyes.tool_definition == {"max_frame_age_secs": 3}
    assert [t.id async for t in client.ai.tools.list(filter_type="vision")] == [eyes.id]

    changed = await client.ai.tools.update(eyes.id, vision={"max_frame_age_secs": 5})
    assert changed.tool_definition == {"max_frame_age_secs": 5}
    raw = await client.ai.tools.with_raw_response.retrieve(remember.id)
    assert (await raw.parse()).type == "update_dynamic_variables"

    aid = fake.add_assistant(tool_ids=[eyes.id])["id"]
    assert fake.assistants[aid]["tools"] == [{"type": "vision", "vision": {"max_frame_age_secs": 5}}]


async def test_newer_tool_bodies_are_checked_like_the_api(api: Api) -> None:
    status, body, _ = await api.post(
        "/ai/tools",
        json={"display_name": "R", "type": "update_dynamic_variables",
              "update_dynamic_variables": {"name": "remember"}},
    )
    assert status == 422
    assert [e["loc"] for e in body["detail"]] == [
        ["body", "update_dynamic_variables", "description"],
        ["body", "update_dynamic_variables", "updatable_variables"],
    ]
    status, body, _ = await api.post(
        "/ai/tools",
        json={"display_name": "E", "type": "vision", "vision": {"max_frame_age_secs": "soon"}},
    )
    assert status == 422 and body["detail"][0]["loc"] == ["body", "vision", "max_frame_age_secs"]
