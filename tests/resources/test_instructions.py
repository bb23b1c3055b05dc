"""``client.ai.assistants.instructions.enhance``."""

from __future__ import annotations

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError
from telnyx_async.testing import FakeTelnyx


async def test_enhance_with_nothing_sends_an_empty_object_and_returns_text(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant(instructions="Answer billing questions.")
    text = await client.ai.assistants.instructions.enhance(a["id"])
    assert isinstance(text, str)
    assert text.startswith("Answer billing questions.")
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "POST", f"/ai/assistants/{a['id']}/instructions/enhance",
        "/ai/assistants/{assistant_id}/instructions/enhance",
    )
    assert rec.body == b"{}"
    assert rec.headers["content-type"] == "application/json"
    assert rec.response_headers["content-type"].startswith("text/plain")
    assert rec.headers["Accept"].startswith("text/plain")


async def test_enhance_accept_header_can_be_overridden(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    await client.ai.assistants.instructions.enhance(
        a["id"], extra_headers={"Accept": "*/*", "X-Trace": "1"}
    )
    rec = fake.requests.last
    assert (rec.headers["Accept"], rec.headers["X-Trace"]) == ("*/*", "1")


async def test_enhance_sends_prompt_and_instructions(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant(instructions="Old text.")
    text = await client.ai.assistants.instructions.enhance(
        a["id"], instructions="Draft text.", enhancement_prompt="Be formal", idempotency_key="e-1"
    )
    rec = fake.requests.last
    assert rec.json == {"instructions": "Draft text.", "enhancement_prompt": "Be formal"}
    assert rec.headers["Idempotency-Key"] == "e-1"
    assert text.startswith("Draft text.")
    assert "Be formal" in text
    # nothing is saved
    assert (await client.ai.assistants.retrieve(a["id"])).instructions == "Old text."


async def test_enhance_sends_null_when_asked(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    await client.ai.assistants.instructions.enhance(a["id"], instructions=None)
    assert fake.requests.last.json == {"instructions": None}


async def test_errors(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await client.ai.assistants.instructions.enhance("")
    with pytest.raises(TypeError):
        await client.ai.assistants.instructions.enhance("a", prompt="x")  # type: ignore[call-arg]
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        await client.ai.assistants.instructions.enhance("a/b")
    assert fake.requests.last.raw_path == "/ai/assistants/a%2Fb/instructions/enhance"
