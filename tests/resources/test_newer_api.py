"""The calls and arguments of the newer API (``scripts/spec_overlay.json``), over a stub transport.

A ``transport=`` stub records exactly what is sent and answers with bodies
shaped as the newer API answers (tests/testing/test_fake_newer_api.py drives
the same calls against FakeTelnyx, which serves them too): ``assistants.restore``,
``assistants.whatsapp``, ``assistants.deleted.list/get``,
``assistants.delete(hard_delete=...)``, ``assistants.chat(stream=...)``, the
``a2a_agents``/``avatar_settings``/``delegation_settings``/``websocket_settings``
settings, and ``tools.create/update(update_dynamic_variables=..., vision=...)``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async import (
    APIResponseValidationError,
    AsyncTelnyx,
    Page,
    Request,
    Response,
)
from telnyx_async.models import (
    Assistant,
    AssistantA2AAgent,
    AssistantChatResponse,
    AssistantWhatsappResponse,
    AvatarSettings,
    DelegationSettings,
    DeletedAssistant,
    SharedToolResponse,
    UpdateDynamicVariablesToolParams,
    VisionToolParams,
    WebsocketSettings,
)

BASE = "https://api.example.test/v2"
ASSISTANT: dict[str, Any] = {
    "id": "assistant-1",
    "name": "Support",
    "model": "openai/gpt-4o",
    "instructions": "Be brief.",
    "created_at": "2026-01-05T10:00:00Z",
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
DELETED = {
    **ASSISTANT,
    "deleted_at": "2026-02-01T09:00:00Z",
    "permanently_deleted_at": "2026-03-03T09:00:00Z",
}
TOOL = {
    "id": "tool-1",
    "display_name": "Remember",
    "type": "update_dynamic_variables",
    "timeout_ms": 5000,
    "created_at": "2026-01-05T10:00:00Z",
    "tool_definition": {},
}


class Stub:
    """A transport answering canned bodies by ``(method, path)`` and recording what came."""

    def __init__(self, answers: Mapping[tuple[str, str], Any]) -> None:
        self.answers = dict(answers)
        self.sent: list[Request] = []

    async def __call__(self, request: Request) -> Response:
        self.sent.append(request)
        answer = self.answers[(request.method, request.path)]
        content_type, body = "application/json", answer
        if isinstance(answer, tuple):
            content_type, body = answer
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = CIMultiDictProxy(CIMultiDict({"Content-Type": content_type}))
        return Response(status=200, headers=headers, body=data, elapsed=0.0, request=request)

    @property
    def last(self) -> Request:
        return self.sent[-1]

    def body(self) -> Any:
        assert self.last.body is not None
        return json.loads(self.last.body)


def client_for(stub: Stub) -> AsyncTelnyx:
    return AsyncTelnyx(api_key="k", base_url=BASE, transport=stub, throttle=None, max_retries=0)


async def test_restore_brings_an_assistant_back() -> None:
    stub = Stub({("POST", "/ai/assistants/assistant-1/restore"): ASSISTANT})
    async with client_for(stub) as client:
        restored = await client.ai.assistants.restore("assistant-1", idempotency_key="r-1")
        raw = await client.ai.assistants.with_raw_response.restore("assistant-1")
    assert isinstance(restored, Assistant) and restored.id == "assistant-1"
    assert await raw.parse() == restored
    assert stub.last.body is None and stub.sent[0].headers["Idempotency-Key"] == "r-1"
    assert stub.last.route == "/ai/assistants/{assistant_id}/restore"


async def test_whatsapp_sends_from_under_its_api_name() -> None:
    stub = Stub({
        ("POST", "/ai/assistants/assistant-1/chat/whatsapp"): {
            "conversation_id": "conv-1", "message_id": "msg-1",
        },
    })
    async with client_for(stub) as client:
        sent = await client.ai.assistants.whatsapp(
            "assistant-1", content="Send code 482913.", from_="+15550001111", to="+15550002222",
            conversation_metadata={"campaign": "login", "attempt": 1, "vip": False},
        )
    assert sent == AssistantWhatsappResponse(conversation_id="conv-1", message_id="msg-1")
    assert stub.body() == {
        "content": "Send code 482913.", "from": "+15550001111", "to": "+15550002222",
        "conversation_metadata": {"campaign": "login", "attempt": 1, "vip": False},
    }
    async with client_for(stub) as client:
        with pytest.raises(TypeError):
            await client.ai.assistants.whatsapp(
                "assistant-1", content="x", from_="+1", to="+2",
                conversation_metadata={"nested": {"no": 1}},  # type: ignore[dict-item]
            )


async def test_the_recently_deleted_list() -> None:
    stub = Stub({
        ("GET", "/ai/assistants/deleted"): {
            "data": [DELETED], "meta": {"page_number": 1, "page_size": 20, "total_pages": 1},
        },
        ("GET", "/ai/assistants/assistant-1/deleted"): DELETED,
    })
    async with client_for(stub) as client:
        every = [d async for d in client.ai.assistants.deleted.list()]
        one = await client.ai.assistants.deleted.get("assistant-1")
        page = await (await client.ai.assistants.deleted.with_raw_response.list(page_size=20)).parse()
    assert [d.id for d in every] == ["assistant-1"]
    assert isinstance(one, DeletedAssistant)
    assert one.permanently_deleted_at == datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.timezone.utc)
    assert one.name == "Support"  # the whole assistant, as it was
    assert isinstance(page, Page) and page.data == [one]
    assert stub.sent[0].url == f"{BASE}/ai/assistants/deleted"  # no page[...] unless asked
    assert stub.last.url == f"{BASE}/ai/assistants/deleted?page%5Bsize%5D=20"


async def test_delete_can_be_hard() -> None:
    answer = {"id": "assistant-1", "object": "assistant", "deleted": True}
    stub = Stub({("DELETE", "/ai/assistants/assistant-1"): answer})
    async with client_for(stub) as client:
        await client.ai.assistants.delete("assistant-1")
        assert stub.last.url == f"{BASE}/ai/assistants/assistant-1"
        await client.ai.assistants.delete("assistant-1", hard_delete=True)
        assert stub.last.url == f"{BASE}/ai/assistants/assistant-1?hard_delete=true"
        with pytest.raises(TypeError, match="hard_delete"):
            await client.ai.assistants.delete("assistant-1", hard_delete="yes")  # type: ignore[arg-type]


async def test_the_newer_settings_reach_the_body_and_the_model() -> None:
    stub = Stub({
        ("POST", "/ai/assistants"): ASSISTANT,
        ("POST", "/ai/assistants/assistant-1"): ASSISTANT,
        ("POST", "/ai/assistants/assistant-1/versions/v-2"): ASSISTANT,
    })
    settings: dict[str, Any] = {
        "a2a_agents": [
            AssistantA2AAgent(name="billing", url="https://agents.example.com/billing", async_=True)
        ],
        "avatar_settings": {
            "avatar_id": "av-1", "background_id": "office", "model": "foxtrot-1",
            "provider": "telnyx",
        },
        "delegation_settings": DelegationSettings(enabled=True, mode="client"),
        "websocket_settings": {"enabled": True, "url": "wss://hooks.example.com/ws"},
    }
    async with client_for(stub) as client:
        made = await client.ai.assistants.create(name="Support", instructions="i", **settings)
        body = stub.body()
        assert body["a2a_agents"] == [
            {"name": "billing", "url": "https://agents.example.com/billing", "async": True}
        ]
        assert body["delegation_settings"] == {"enabled": True, "mode": "client"}
        assert body["avatar_settings"]["background_id"] == "office"
        assert body["websocket_settings"] == {"enabled": True, "url": "wss://hooks.example.com/ws"}
        await client.ai.assistants.update("assistant-1", avatar_settings=None)
        assert stub.body() == {"avatar_settings": None}  # null removes the avatar
        await client.ai.assistants.versions.update(
            "v-2", assistant_id="assistant-1", websocket_settings=WebsocketSettings(enabled=False)
        )
        assert stub.body() == {"websocket_settings": {"enabled": False}}
        with pytest.raises(TypeError, match="websocket_settings"):
            await client.ai.assistants.update(
                "assistant-1", websocket_settings={"enabled": "yes"}
            )
    agent = made.a2a_agents[0] if made.a2a_agents else None
    assert agent is not None and agent.async_ is True and agent.headers is not None
    assert agent.headers[0].value == "blue"
    assert agent.messages is not None and [m.type for m in agent.messages] == [
        "request_start", "request_response_delayed",
    ]
    assert made.avatar_settings == AvatarSettings(
        avatar_id="av-1", background_id="studio", model="foxtrot-1", provider="telnyx"
    )
    assert made.delegation_settings is not None and made.delegation_settings.mode == "telnyx"
    assert made.websocket_settings == WebsocketSettings(
        enabled=True, url="wss://hooks.example.com/ws"
    )
    assert made.extra == {}  # nothing of the newer API is left unread


async def test_tools_take_the_newer_tool_types() -> None:
    stub = Stub({("POST", "/ai/tools"): TOOL, ("PATCH", "/ai/tools/tool-1"): TOOL})
    async with client_for(stub) as client:
        made = await client.ai.tools.create(
            display_name="Remember", type="update_dynamic_variables",
            update_dynamic_variables=UpdateDynamicVariablesToolParams(
                name="remember", description="Keep what the caller says",
                updatable_variables=[{"name": "order_id", "type": "string"}],  # type: ignore[list-item]
            ),
        )
        assert isinstance(made, SharedToolResponse)
        assert stub.body()["update_dynamic_variables"] == {
            "description": "Keep what the caller says", "name": "remember",
            "updatable_variables": [{"name": "order_id", "type": "string"}],
        }
        await client.ai.tools.update("tool-1", vision={"max_frame_age_secs": 3})
        assert stub.body() == {"vision": {"max_frame_age_secs": 3}}
        await client.ai.tools.update("tool-1", vision=VisionToolParams(max_frame_age_secs=5))
        assert stub.body() == {"vision": {"max_frame_age_secs": 5}}
        with pytest.raises(TypeError, match="vision"):
            await client.ai.tools.create(
                display_name="v", type="vision", vision={"max_frame_age_secs": "soon"}
            )


# ---------------------------------------------------------------- chat(stream=...)

CHAT = "/ai/assistants/assistant-1/chat"
EVENTS = (
    b'event: delta\ndata: {"content": "Hel"}\n\n'
    b'event: delta\ndata: {"content": "lo"}\n\n'
    b'event: done\ndata: {"content": "Hello", "whatsapp_template": null}\n\n'
)


async def test_chat_stream_false_is_sent_and_answers_json() -> None:
    stub = Stub({("POST", CHAT): {"content": "Hi!"}})
    async with client_for(stub) as client:
        reply = await client.ai.assistants.chat(
            "assistant-1", content="hello", conversation_id="c-1", stream=False
        )
    assert reply == AssistantChatResponse(content="Hi!")
    assert stub.body() == {"content": "hello", "conversation_id": "c-1", "stream": False}
    assert stub.last.headers["Accept"] == "application/json"


async def test_chat_streamed_awaited_plainly_gives_the_whole_reply() -> None:
    stub = Stub({("POST", CHAT): ("text/event-stream", EVENTS)})
    async with client_for(stub) as client:
        reply = await client.ai.assistants.chat(
            "assistant-1", content="hello", conversation_id="c-1", stream=True
        )
    assert reply.content == "Hello"
    assert reply.extra == {"whatsapp_template": None}
    assert stub.body()["stream"] is True
    assert stub.last.headers["Accept"].startswith("text/event-stream")


async def test_chat_streamed_read_as_it_comes() -> None:
    stub = Stub({("POST", CHAT): ("text/event-stream", EVENTS)})
    async with (
        client_for(stub) as client,
        client.ai.assistants.with_streaming_response.chat(
            "assistant-1", content="hello", conversation_id="c-1", stream=True,
            extra_headers={"accept": "text/event-stream"},
        ) as response,
    ):
        data = [line async for line in response.iter_lines() if line.startswith("data:")]
    assert [json.loads(d[5:])["content"] for d in data] == ["Hel", "lo", "Hello"]
    assert stub.last.headers["accept"] == "text/event-stream"  # the caller's Accept wins


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'event: delta\ndata: {"content": "Hel"}\n\n', "no `done` event"),
        (b'event: error\ndata: {"message": "model overloaded"}\n\n', "`error` event"),
        (b'data: {"type": "done", "content": 5}\n\n', "the `done` event"),
    ],
)
async def test_a_streamed_chat_without_a_usable_reply_says_how_to_read_it(
    body: bytes, reason: str
) -> None:
    stub = Stub({("POST", CHAT): ("text/event-stream", body)})
    async with client_for(stub) as client:
        with pytest.raises(APIResponseValidationError, match=reason):
            await client.ai.assistants.chat(
                "assistant-1", content="hello", conversation_id="c-1", stream=True
            )


async def test_a_done_event_named_by_its_type_field() -> None:
    stub = Stub({("POST", CHAT): ("text/event-stream", b'data: {"type": "done", "content": "ok"}\n\n')})
    async with client_for(stub) as client:
        reply = await client.ai.assistants.chat(
            "assistant-1", content="hello", conversation_id="c-1", stream=True
        )
    assert reply.content == "ok"


def test_newer_fields_of_the_settings_blocks_are_typed() -> None:
    assistant = Assistant.from_dict({
        **ASSISTANT,
        "telephony_settings": {"disable_dtmf": True, "fallback_destination": "+15550003333"},
        "privacy_settings": {"pii_redaction": "redact", "in_transit_data_locality": True},
        "insight_settings": {"model": "openai/gpt-4o-mini"},
        "interruption_settings": {"interrupt_prediction_threshold": 0.7},
        "transcription": {"settings": {"language_hints": ["en", "es"], "prompt": "Acme"}},
    })
    assert assistant.telephony_settings is not None
    assert assistant.telephony_settings.disable_dtmf is True
    assert assistant.telephony_settings.extra == {}
    assert assistant.privacy_settings is not None
    assert assistant.privacy_settings.pii_redaction == "redact"
    assert assistant.insight_settings is not None
    assert assistant.insight_settings.model == "openai/gpt-4o-mini"
    assert assistant.interruption_settings is not None
    assert assistant.interruption_settings.interrupt_prediction_threshold == 0.7
    settings = assistant.transcription.settings if assistant.transcription else None
    assert settings is not None and settings.language_hints == ["en", "es"]
    assert assistant.extra == {}
