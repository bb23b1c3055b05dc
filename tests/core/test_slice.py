"""The assistants + tests slice on the wire: paths, queries, bodies, headers, return types."""

from __future__ import annotations

import pytest

from telnyx_async import AsyncTelnyx, NotFoundError, UnprocessableEntityError
from telnyx_async.models.assistants import Assistant, AssistantDeletedResponse
from telnyx_async.models.tests import (
    AssistantTestResponse,
    CreateAssistantTestRequestRubric,
    TelnyxConversationChannel,
    TestRunResponse,
    TestStatus,
)
from telnyx_async.testing import FakeClock, FakeTelnyx

RUBRIC = [{"name": "Polite", "criteria": "Stays polite"}]


async def test_assistant_crud_and_chat(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    created = await client.ai.assistants.create(
        name="Support", instructions="Help.", model="openai/gpt-4o", tags=["a"],
        dynamic_variables={"tier": "gold"},
    )
    assert isinstance(created, Assistant)
    assert fake.requests[-1].json == {
        "name": "Support", "instructions": "Help.", "model": "openai/gpt-4o", "tags": ["a"],
        "dynamic_variables": {"tier": "gold"},
    }
    got = await client.ai.assistants.retrieve(created.id, from_="+15550001111", to="+15550002222")
    assert got.id == created.id
    assert fake.requests[-1].query == [("from", "+15550001111"), ("to", "+15550002222")]

    updated = await client.ai.assistants.update(created.id, greeting="Hello!", promote_to_main=True)
    assert fake.requests[-1].method == "POST"
    assert fake.requests[-1].json == {"greeting": "Hello!", "promote_to_main": True}
    assert updated.greeting == "Hello!"

    reply = await client.ai.assistants.chat(created.id, content="Hi", conversation_id="c-1")
    assert reply.content
    assert fake.requests[-1].json == {"content": "Hi", "conversation_id": "c-1"}
    assert "Idempotency-Key" not in fake.requests[-1].headers

    deleted = await client.ai.assistants.delete(created.id)
    assert isinstance(deleted, AssistantDeletedResponse)
    assert deleted.deleted is True and deleted.id == created.id
    with pytest.raises(NotFoundError):
        await client.ai.assistants.retrieve(created.id)


async def test_nested_models_and_dicts_are_both_accepted(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    from telnyx_async.models import VoiceSettings

    await client.ai.assistants.create(
        name="n", instructions="i", voice_settings=VoiceSettings(voice="Telnyx.NaturalHD.astra"),
        transcription={"model": "deepgram/nova-3"},
    )
    body = fake.requests[-1].json
    assert body["voice_settings"] == {"voice": "Telnyx.NaturalHD.astra"}
    assert body["transcription"] == {"model": "deepgram/nova-3"}


async def test_tests_crud_with_idempotent_create(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    test = await client.ai.assistants.tests.create(
        name="Refund", destination="+15551234567", instructions="Ask for a refund.",
        rubric=[CreateAssistantTestRequestRubric(name="Polite", criteria="Stays polite")],
        telnyx_conversation_channel=TelnyxConversationChannel.WEB_CHAT, test_suite="smoke",
    )
    assert isinstance(test, AssistantTestResponse)
    sent = fake.requests[-1]
    assert sent.json == {
        "name": "Refund", "destination": "+15551234567", "instructions": "Ask for a refund.",
        "rubric": RUBRIC, "telnyx_conversation_channel": "web_chat", "test_suite": "smoke",
    }
    assert sent.headers["Idempotency-Key"]

    await client.ai.assistants.tests.create(
        name="Again", destination="+1", instructions="x", rubric=RUBRIC, idempotency_key="mine-1"
    )
    assert fake.requests[-1].headers["Idempotency-Key"] == "mine-1"

    got = await client.ai.assistants.tests.retrieve(test.test_id)
    assert got.name == "Refund"
    changed = await client.ai.assistants.tests.update(test.test_id, max_duration_seconds=120)
    assert fake.requests[-1].method == "PUT"
    assert fake.requests[-1].json == {"max_duration_seconds": 120}
    assert changed.max_duration_seconds == 120

    listed = await client.ai.assistants.tests.list(test_suite="smoke", destination="+15551234567")
    assert [t.test_id for t in listed.data] == [test.test_id]
    assert await client.ai.assistants.tests.delete(test.test_id) is None
    with pytest.raises(NotFoundError):
        await client.ai.assistants.tests.retrieve(test.test_id)


async def test_missing_required_field_is_a_422_with_the_field(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    with pytest.raises(UnprocessableEntityError) as info:
        await client.ai.assistants.create(name="n", instructions="i", extra_body={"name": None})
    assert info.value.errors
    assert "name" in (info.value.errors[0].source_pointer or "")


async def test_runs_trigger_retrieve_list_on_a_clock() -> None:
    clock = FakeClock()
    async with FakeTelnyx(clock=clock) as fake:
        test = fake.add_test(name="t", rubric=RUBRIC)
        fake.configure_test(test["test_id"], outcome="failed", duration=10, start_delay=1,
                            detail={"Polite": "failed"})
        async with fake.client() as client:
            runs = client.ai.assistants.tests.runs
            run = await runs.trigger(test["test_id"], destination_version_id="v-2")
            assert isinstance(run, TestRunResponse)
            assert fake.requests[-1].json == {"destination_version_id": "v-2"}
            assert run.status == TestStatus.PENDING
            clock.advance(2)
            assert (await runs.retrieve(run.run_id, test_id=test["test_id"])).status == "running"
            clock.advance(10)
            final = await runs.retrieve(run.run_id, test_id=test["test_id"])
            assert final.status == TestStatus.FAILED
            assert final.detail_status and final.detail_status[0].status == "failed"
            history = [r.run_id async for r in runs.list(test["test_id"], status="failed")]
            assert history == [run.run_id]
            assert ("status", "failed") in fake.requests[-1].query


async def test_trigger_sends_an_empty_object_when_nothing_is_set(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    test = fake.add_test(name="t")
    await client.ai.assistants.tests.runs.trigger(test["test_id"])
    assert fake.requests[-1].json == {}


async def test_suites_list_runs_and_trigger(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    for i in range(3):
        fake.add_test(name=f"t{i}", test_suite="smoke tests")
    suites = await client.ai.assistants.tests.test_suites.list()
    assert suites.data == ["smoke tests"]
    runs = await client.ai.assistants.tests.test_suites.runs.trigger("smoke tests")
    assert len(runs) == 3 and all(isinstance(r, TestRunResponse) for r in runs)
    assert fake.requests[-1].raw_path == "/ai/assistants/tests/test-suites/smoke%20tests/runs"
    assert fake.requests[-1].headers["Idempotency-Key"]
    batch = runs[0].test_suite_run_id
    assert batch and {r.test_suite_run_id for r in runs} == {batch}
    listed = [r async for r in client.ai.assistants.tests.test_suites.runs.list(
        "smoke tests", test_suite_run_id=batch)]
    assert len(listed) == 3


@pytest.mark.parametrize("bad", ["", "a/b"])
async def test_bad_suite_names_fail_before_io(fake: FakeTelnyx, client: AsyncTelnyx, bad: str) -> None:
    with pytest.raises(ValueError, match="suite"):
        await client.ai.assistants.tests.test_suites.runs.trigger(bad)
    with pytest.raises(ValueError, match="suite"):
        client.ai.assistants.tests.test_suites.runs.list(bad)
    assert fake.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.assistants.retrieve(""),
        lambda c: c.ai.assistants.delete(""),
        lambda c: c.ai.assistants.tests.retrieve(""),
        lambda c: c.ai.assistants.tests.runs.trigger(""),
        lambda c: c.ai.assistants.tests.runs.retrieve("", test_id="t"),
        lambda c: c.ai.assistants.tests.runs.retrieve("r", test_id=""),
    ],
)
async def test_empty_ids_fail_before_io(fake: FakeTelnyx, client: AsyncTelnyx, call: object) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        await call(client)  # type: ignore[operator]
    assert fake.requests == []


async def test_ids_are_one_encoded_segment(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    with pytest.raises(NotFoundError):
        await client.ai.assistants.retrieve("../tests?x=1#frag")
    assert fake.requests[-1].raw_path == "/ai/assistants/..%2Ftests%3Fx%3D1%23frag"
    assert fake.requests[-1].query == []


async def test_calls_work_under_a_profiler_reading_f_locals(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    import sys
    from types import FrameType
    from typing import Any

    assistant = fake.add_assistant(name="n", instructions="i")

    def touch_locals(frame: FrameType | None, event: str, arg: Any) -> None:
        while frame is not None:  # sampling profilers and debuggers walk the stack
            _ = frame.f_locals
            frame = frame.f_back

    sys.setprofile(touch_locals)
    try:
        got = await client.ai.assistants.retrieve(assistant["id"], to="+1")
        reply = await client.ai.assistants.chat(assistant["id"], content="x", conversation_id="c")
    finally:
        sys.setprofile(None)
    assert got.id == assistant["id"]
    assert reply.content
    assert fake.requests[-2].query == [("to", "+1")]
