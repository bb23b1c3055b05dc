"""A small world of real objects on a FakeTelnyx, so every registry operation can succeed.

``build_world`` creates one of everything a path parameter can name (assistant,
saved version, shared tool attached to it, test in a suite, run, scheduled
event, canary deploy, MCP server; integrations and connections are built in)
and returns the ``ids`` mapping ``surface.Operation.call`` takes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from surface import IDS

from telnyx_async.testing import FakeTelnyx

__all__ = ["DESTRUCTIVE", "build_world"]

DESTRUCTIVE = frozenset(
    {
        ("DELETE", "/ai/assistants/{assistant_id}"),
        ("DELETE", "/ai/assistants/tests/{test_id}"),
        ("DELETE", "/ai/assistants/{assistant_id}/canary-deploys"),
        ("POST", "/ai/assistants/{assistant_id}/canary-deploys"),
        ("DELETE", "/ai/assistants/{assistant_id}/scheduled_events/{event_id}"),
        ("DELETE", "/ai/assistants/{assistant_id}/tags/{tag}"),
        ("DELETE", "/ai/assistants/{assistant_id}/tools/{tool_id}"),
        ("DELETE", "/ai/assistants/{assistant_id}/versions/{version_id}"),
        ("DELETE", "/ai/integrations/connections/{user_connection_id}"),
        ("DELETE", "/ai/mcp_servers/{mcp_server_id}"),
        ("DELETE", "/ai/tools/{tool_id}"),
    }
)
"""Operations that use up what they act on: each call of one needs a fresh world."""

_WHEN = dt.datetime(2031, 1, 15, 10, 30, tzinfo=dt.timezone.utc)


async def build_world(
    fake: FakeTelnyx, *, canary: bool = True, suite: str = IDS["suite_name"]
) -> dict[str, str]:
    """Create one object of every kind on ``fake``; return ids keyed like ``surface.IDS``.

    ``canary=False`` leaves the assistant without a canary deploy (so one can
    be created); ``suite`` names the test suite the test is put in.
    """
    tool = fake.add_tool("Lookup order")
    assistant = fake.add_assistant(
        name="Matrix", instructions="Help people.", tags=[IDS["tag"], "other"]
    )
    aid = assistant["id"]
    test = fake.add_test("Matrix test", test_suite=suite, destination=aid)
    mcp = fake.add_mcp_server("search", "https://mcp.example.com/sse", type="sse")
    integration = next(iter(fake.integrations))
    connection = fake.add_connection(integration)
    async with fake.client(max_retries=0) as client:
        await client.ai.assistants.tools.add(tool["id"], assistant_id=aid)
        run = await client.ai.assistants.tests.runs.trigger(test["test_id"])
        event = await client.ai.assistants.scheduled_events.create(
            aid,
            scheduled_at_fixed_datetime=_WHEN,
            telnyx_agent_target="+15557654321",
            telnyx_conversation_channel="sms_chat",
            telnyx_end_user_target="+15551234567",
            text="Reminder",
        )
        version = await client.ai.assistants.update(
            aid, instructions="Draft.", promote_to_main=False, version_name="draft"
        )
        version_id = _version_id(version)
        if canary:
            await client.ai.assistants.canary_deploys.create(
                aid, rules=[{"serve": {"version_id": version_id}}]
            )
    return {
        "assistant_id": aid,
        "event_id": _attr(event, "scheduled_event_id"),
        "integration_id": integration,
        "mcp_server_id": mcp["id"],
        "run_id": run.run_id,
        "suite_name": suite,
        "tag": IDS["tag"],
        "test_id": test["test_id"],
        "tool_id": tool["id"],
        "user_connection_id": connection["id"],
        "version_id": version_id,
    }


def _attr(obj: Any, name: str) -> str:
    value = getattr(obj, name)
    assert isinstance(value, str), (name, value)
    return value


def _version_id(assistant: Any) -> str:
    value = getattr(assistant, "version_id", None) or assistant.extra.get("version_id")
    assert isinstance(value, str), assistant
    return value
