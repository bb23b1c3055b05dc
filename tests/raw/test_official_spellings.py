"""The official SDK's spellings that lead to the same things here."""

from __future__ import annotations

import json

from telnyx_async import AsyncTelnyx
from telnyx_async.models import Assistant
from telnyx_async.testing import FakeTelnyx


async def test_client_with_raw_response_leads_to_the_ai_namespace(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = fake.add_assistant(name="Support", instructions="Help.")
    raw = await client.with_raw_response.ai.assistants.retrieve(made["id"])
    assert raw.status_code == 200
    assert (await raw.parse()).name == "Support"
    async with client.with_streaming_response.ai.assistants.retrieve(made["id"]) as streamed:
        assert (await streamed.parse()).id == made["id"]


async def test_models_answer_to_pydantic_names(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(name="Support", instructions="Help.")
    assistant = await client.ai.assistants.retrieve(made["id"])
    assert assistant.model_dump() == assistant.to_dict()
    assert json.loads(assistant.model_dump_json()) == assistant.to_dict()
    assert assistant.to_json() == assistant.model_dump_json()
    assert Assistant.model_validate(assistant.to_dict()) == assistant
