"""``assistants.send_sms``, ``clone``, ``imports``, ``get_texml`` and the sub-resource tree."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError
from telnyx_async.models.assistants import (
    Assistant,
    AssistantsListData,
    AssistantSmsChatResponse,
    ImportAssistantsRequestProvider,
)
from telnyx_async.resources.assistant_tools import AssistantToolsResource
from telnyx_async.resources.canary_deploys import CanaryDeploysResource
from telnyx_async.resources.instructions import InstructionsResource
from telnyx_async.resources.scheduled_events import ScheduledEventsResource
from telnyx_async.resources.tags import TagsResource
from telnyx_async.resources.versions import VersionsResource
from telnyx_async.testing import FakeTelnyx


async def test_send_sms_sends_from_under_its_api_name(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant(name="Texter")
    result = await client.ai.assistants.send_sms(
        a["id"], from_="+15550001111", to="+15550002222", text="Hi there"
    )
    assert isinstance(result, AssistantSmsChatResponse)
    assert isinstance(result.conversation_id, str)
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "POST", f"/ai/assistants/{a['id']}/chat/sms", "/ai/assistants/{assistant_id}/chat/sms",
    )
    assert rec.json == {"from": "+15550001111", "to": "+15550002222", "text": "Hi there"}
    assert "Idempotency-Key" not in rec.headers


async def test_send_sms_optional_fields_and_idempotency_key(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    await client.ai.assistants.send_sms(
        a["id"], from_="+1", to="+2", should_create_conversation=False,
        conversation_metadata={"campaign": "spring", "attempt": 2, "vip": True},
        idempotency_key="sms-1",
    )
    rec = fake.requests.last
    assert rec.json == {
        "from": "+1", "to": "+2", "should_create_conversation": False,
        "conversation_metadata": {"campaign": "spring", "attempt": 2, "vip": True},
    }
    assert rec.headers["Idempotency-Key"] == "sms-1"


async def test_send_sms_requires_from_and_to(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError):
        await client.ai.assistants.send_sms("a", to="+2")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.assistants.send_sms("a", from_="+1", to="+2", sender="x")  # type: ignore[call-arg]
    assert fake.requests == []


async def test_clone_sends_no_body_and_creates_a_copy(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant(name="Original", instructions="Be kind.", tags=["x"])
    copy = await client.ai.assistants.clone(a["id"])
    assert isinstance(copy, Assistant)
    assert copy.id != a["id"]
    assert copy.instructions == "Be kind."
    rec = fake.requests.last
    assert (rec.method, rec.path) == ("POST", f"/ai/assistants/{a['id']}/clone")
    assert rec.body == b""
    assert rec.headers.get("content-type") != "application/json"
    assert set(fake.assistants) == {a["id"], copy.id}
    again = await client.ai.assistants.retrieve(copy.id)
    assert again.name == copy.name


async def test_clone_unknown_assistant_is_404(client: AsyncTelnyx) -> None:
    with pytest.raises(NotFoundError):
        await client.ai.assistants.clone("missing")


async def test_imports_sends_the_request_and_returns_the_assistants(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    result = await client.ai.assistants.imports(
        api_key_ref="vapi_key", provider="vapi", import_ids=["agent-7"]
    )
    assert isinstance(result, AssistantsListData)
    assert len(result.data) == 1
    meta = result.data[0].import_metadata
    assert meta is not None
    assert meta.import_id == "agent-7"
    assert meta.import_provider == "vapi"
    rec = fake.requests.last
    assert (rec.method, rec.path) == ("POST", "/ai/assistants/import")
    assert rec.json == {"api_key_ref": "vapi_key", "provider": "vapi", "import_ids": ["agent-7"]}
    assert result.data[0].id in fake.assistants


async def test_imports_accepts_the_enum_and_leaves_out_import_ids(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    result = await client.ai.assistants.imports(
        api_key_ref="ref", provider=ImportAssistantsRequestProvider.ELEVENLABS
    )
    assert len(result.data) == 2  # the fake imports two agents when no ids are given
    assert fake.requests.last.json == {"api_key_ref": "ref", "provider": "elevenlabs"}


async def test_get_texml_returns_a_str(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    texml = await client.ai.assistants.get_texml(a["id"])
    assert isinstance(texml, str)
    assert texml.startswith("<?xml")
    assert a["id"] in texml
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.query) == ("GET", f"/ai/assistants/{a['id']}/texml", [])


def test_sub_resources_are_cached_and_typed(client: AsyncTelnyx) -> None:
    assistants = client.ai.assistants
    expected: dict[str, type[Any]] = {
        "tags": TagsResource,
        "versions": VersionsResource,
        "canary_deploys": CanaryDeploysResource,
        "scheduled_events": ScheduledEventsResource,
        "tools": AssistantToolsResource,
        "instructions": InstructionsResource,
    }
    for name, cls in expected.items():
        first = getattr(assistants, name)
        assert isinstance(first, cls)
        assert getattr(assistants, name) is first


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.assistants.send_sms("", from_="+1", to="+2"),
        lambda c: c.ai.assistants.clone(""),
        lambda c: c.ai.assistants.get_texml(""),
    ],
    ids=["send_sms", "clone", "get_texml"],
)
async def test_empty_id_fails_before_any_request(
    call: Any, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call(client)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call", "tail"),
    [
        (lambda c: c.ai.assistants.send_sms("a/b", from_="+1", to="+2"), "/chat/sms"),
        (lambda c: c.ai.assistants.clone("a/b"), "/clone"),
        (lambda c: c.ai.assistants.get_texml("a/b"), "/texml"),
    ],
    ids=["send_sms", "clone", "get_texml"],
)
async def test_slash_in_id_stays_one_segment(
    call: Any, tail: str, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(NotFoundError):
        await call(client)
    assert fake.requests.last.raw_path == f"/ai/assistants/a%2Fb{tail}"


async def test_unknown_keyword_is_a_type_error(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError):
        await client.ai.assistants.clone("a", body={})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.assistants.imports(api_key_ref="r", provider="vapi", ids=["x"])  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.assistants.get_texml("a", version="1")  # type: ignore[call-arg]
    assert fake.requests == []
