"""Every example of the Node and Go SDK docs this project answers, in Python form.

The seeds (../shared/seeds/) show each operation once; here each is written as a
user of this SDK would write it and run against FakeTelnyx. Where the seeds use
placeholder IDs ("assistant_id", "550e8400-..."), the fake is seeded with
resources carrying those very IDs when it can, or with real ones otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from telnyx_async import (
    APIConnectionError,
    APIError,
    AsyncTelnyx,
    RateLimitError,
    UnprocessableEntityError,
)
from telnyx_async.testing import FakeTelnyx, Fault

SEED_ASSISTANT = "550e8400-e29b-41d4-a716-446655440000"
Seeded = dict[str, str]


@pytest.fixture
def ids(fake: FakeTelnyx) -> Seeded:
    """The placeholder IDs of the seeds, backed by real resources in the fake."""
    fake.add_assistant(id="assistant_id", name="Seeded", instructions="Be helpful.")
    fake.add_assistant(id=SEED_ASSISTANT, name="Node seed", instructions="Be helpful.")
    test = fake.add_test(name="Seed test", test_id="test_id", test_suite="suite_name")
    tool = fake.add_tool("Order lookup")
    mcp = fake.add_mcp_server("docs", "https://mcp.example.com")
    integration = next(iter(fake.integrations.values()))
    connection = fake.add_connection(integration["id"], allowed_tools=["search"])
    return {
        "assistant_id": "assistant_id",
        "test_id": test["test_id"],
        "tool_id": tool["id"],
        "mcp_server_id": mcp["id"],
        "integration_id": integration["id"],
        "user_connection_id": connection["id"],
    }


SeedCall = Callable[[AsyncTelnyx, Seeded], Awaitable[Any]]


async def _list_assistants(client: AsyncTelnyx, ids: Seeded) -> Any:
    assistants_list = await client.ai.assistants.list()
    return assistants_list.data


async def _create_assistant(client: AsyncTelnyx, ids: Seeded) -> Any:
    assistant = await client.ai.assistants.create(
        instructions="You are a helpful assistant.", model="openai/gpt-4o", name="my-resource"
    )
    return assistant.id


async def _update_version(client: AsyncTelnyx, ids: Seeded) -> Any:
    versions = await client.ai.assistants.versions.list(ids["assistant_id"])
    version_id = versions.data[0].version_id
    assert version_id
    assistant = await client.ai.assistants.versions.update(
        version_id, assistant_id=ids["assistant_id"], greeting="Hi!"
    )
    return assistant.id


async def _version_roundtrip(client: AsyncTelnyx, ids: Seeded) -> Any:
    aid = ids["assistant_id"]
    draft = await client.ai.assistants.update(aid, name="draft", promote_to_main=False)
    assert draft.version_id
    got = await client.ai.assistants.versions.retrieve(draft.version_id, assistant_id=aid)
    promoted = await client.ai.assistants.versions.promote(draft.version_id, assistant_id=aid)
    assert promoted.name == "draft" == got.name
    old = await client.ai.assistants.update(aid, name="newer", promote_to_main=False)
    assert old.version_id
    await client.ai.assistants.versions.delete(old.version_id, assistant_id=aid)
    return promoted.id


async def _canary(client: AsyncTelnyx, ids: Seeded) -> Any:
    aid = ids["assistant_id"]
    draft = await client.ai.assistants.update(aid, name="canary", promote_to_main=False)
    assert draft.version_id
    created = await client.ai.assistants.canary_deploys.create(
        aid, versions=[{"version_id": draft.version_id, "percentage": 1}]
    )
    got = await client.ai.assistants.canary_deploys.retrieve(aid)
    updated = await client.ai.assistants.canary_deploys.update(
        aid, versions=[{"version_id": draft.version_id, "percentage": 1}]
    )
    await client.ai.assistants.canary_deploys.delete(aid)
    assert created.assistant_id == got.assistant_id == updated.assistant_id == aid
    return created.assistant_id


async def _scheduled_events(client: AsyncTelnyx, ids: Seeded) -> Any:
    aid = ids["assistant_id"]
    event = await client.ai.assistants.scheduled_events.create(
        aid,
        scheduled_at_fixed_datetime=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1),
        telnyx_agent_target="telnyx_agent_target",
        telnyx_conversation_channel="phone_call",
        telnyx_end_user_target="telnyx_end_user_target",
    )
    assert event.scheduled_event_id
    page = await client.ai.assistants.scheduled_events.list(aid)
    got = await client.ai.assistants.scheduled_events.retrieve(
        event.scheduled_event_id, assistant_id=aid
    )
    await client.ai.assistants.scheduled_events.delete(event.scheduled_event_id, assistant_id=aid)
    assert got.scheduled_event_id == event.scheduled_event_id
    return page.data


async def _tests_and_runs(client: AsyncTelnyx, ids: Seeded) -> Any:
    assistant_test = await client.ai.assistants.tests.create(
        destination="+15551234567",
        instructions=(
            "Act as a frustrated customer who received a damaged product. Ask for a refund "
            "and escalate if not satisfied with the initial response."
        ),
        name="Customer Support Bot Test",
        rubric=[
            {"criteria": "Assistant responds within 30 seconds", "name": "Response Time"},
            {"criteria": "Provides correct product information", "name": "Accuracy"},
        ],
    )
    tid = assistant_test.test_id
    assert (await client.ai.assistants.tests.retrieve(tid)).test_id == tid
    assert (await client.ai.assistants.tests.update(tid)).test_id == tid
    run = await client.ai.assistants.tests.runs.trigger(tid)
    got = await client.ai.assistants.tests.runs.retrieve(run.run_id, test_id=tid)
    history = [r.run_id async for r in client.ai.assistants.tests.runs.list(tid)]
    await client.ai.assistants.tests.delete(tid)
    assert got.run_id == run.run_id and history == [run.run_id]
    return run.run_id


async def _suites(client: AsyncTelnyx, ids: Seeded) -> Any:
    test_suites = await client.ai.assistants.tests.test_suites.list()
    runs = await client.ai.assistants.tests.test_suites.runs.trigger("suite_name")
    listed = [r.run_id async for r in client.ai.assistants.tests.test_suites.runs.list("suite_name")]
    assert test_suites.data == ["suite_name"]
    assert sorted(listed) == sorted(r.run_id for r in runs)
    return listed


async def _iterate_tests(client: AsyncTelnyx, ids: Seeded) -> Any:
    # Node: for await (const assistantTest of client.ai.assistants.tests.list()) { ... }
    return [t.test_id async for t in client.ai.assistants.tests.list()]


async def _tools(client: AsyncTelnyx, ids: Seeded) -> Any:
    aid, tool = ids["assistant_id"], ids["tool_id"]
    await client.ai.assistants.tools.add(tool, assistant_id=aid)
    response = await client.ai.assistants.tools.test(tool, assistant_id=aid)
    await client.ai.assistants.tools.remove(tool, assistant_id=aid)
    return response.data


async def _integrations(client: AsyncTelnyx, ids: Seeded) -> Any:
    integrations = await client.ai.integrations.list()
    integration = await client.ai.integrations.retrieve(ids["integration_id"])
    connections = await client.ai.integrations.connections.list()
    connection = await client.ai.integrations.connections.retrieve(ids["user_connection_id"])
    await client.ai.integrations.connections.delete(ids["user_connection_id"])
    assert integration.id == ids["integration_id"]
    assert connection.data.id == ids["user_connection_id"]
    return (integrations.data, connections.data)


async def _mcp_servers(client: AsyncTelnyx, ids: Seeded) -> Any:
    page = await client.ai.mcp_servers.list()
    mcp_server = await client.ai.mcp_servers.create(name="name", type="type", url="url")
    got = await client.ai.mcp_servers.retrieve(mcp_server.id)
    updated = await client.ai.mcp_servers.update(mcp_server.id)
    await client.ai.mcp_servers.delete(mcp_server.id)
    assert got.id == updated.id == mcp_server.id
    return page.data


SEEDS: dict[str, SeedCall] = {
    "List assistants": _list_assistants,
    "Create an assistant": _create_assistant,
    "Get an assistant": lambda c, i: c.ai.assistants.retrieve("assistant_id"),
    "Get an assistant (Node, a UUID)": lambda c, i: c.ai.assistants.retrieve(SEED_ASSISTANT),
    "Update an assistant": lambda c, i: c.ai.assistants.update("assistant_id"),
    "Assistant Chat": lambda c, i: c.ai.assistants.chat(
        "assistant_id",
        content="Tell me a joke about cats",
        conversation_id="42b20469-1215-4a9a-8964-c36f66b406f4",
    ),
    "Assistant Sms Chat": lambda c, i: c.ai.assistants.send_sms(
        "assistant_id", from_="from", to="to"
    ),
    "Clone Assistant": lambda c, i: c.ai.assistants.clone("assistant_id"),
    "Import assistants": lambda c, i: c.ai.assistants.imports(
        api_key_ref="api_key_ref", provider="elevenlabs"
    ),
    "List tags": lambda c, i: c.ai.assistants.tags.list(),
    "Scheduled events: create, list, get, delete": _scheduled_events,
    "Tests, runs: create, get, update, trigger, list, delete": _tests_and_runs,
    "Iterate tests (for await)": _iterate_tests,
    "Test suites: list, trigger, runs": _suites,
    "Get all versions": lambda c, i: c.ai.assistants.versions.list("assistant_id"),
    "Update a version": _update_version,
    "Versions: get, promote, delete": _version_roundtrip,
    "Canary deploys": _canary,
    "Get assistant texml": lambda c, i: c.ai.assistants.get_texml("assistant_id"),
    "Assistant tools: add, test, remove": _tools,
    "Integrations and connections": _integrations,
    "MCP servers": _mcp_servers,
    "Delete an assistant": lambda c, i: c.ai.assistants.delete("assistant_id"),
}


@pytest.mark.parametrize("name", list(SEEDS))
async def test_seed_example(name: str, fake: FakeTelnyx, client: AsyncTelnyx, ids: Seeded) -> None:
    result = await SEEDS[name](client, ids)
    assert result is not None
    assert all(r.status is not None and r.status < 400 for r in fake.requests), [
        (r.method, r.path, r.status) for r in fake.requests
    ]


async def test_seed_error_handling_example(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    """The Node seed's try/catch, in Python: connection errors, 429s, other API errors."""
    outcomes: list[str] = []

    async def create() -> None:
        try:
            await client.ai.assistants.create(
                instructions="You are a helpful assistant.", model="openai/gpt-4o",
                name="my-resource",
            )
        except APIConnectionError:
            outcomes.append("network")
        except RateLimitError as err:
            outcomes.append(f"retry in {err.retry_after}")
        except APIError as err:
            if isinstance(err, UnprocessableEntityError):
                outcomes.append("validation")
            else:
                outcomes.append("api")

    fake.enqueue(Fault.drop(), method="POST")
    await create()
    fake.enqueue(Fault.status(422), method="POST")
    await create()
    spent = {"x-ratelimit-remaining": "0"}  # the account's budget is gone
    fake.enqueue(Fault.rate_limited(retry_after=120, headers=spent), method="POST")
    await create()  # 120 s is above max_retry_wait: not retried
    # The client now holds every request for the 120 s the server asked for:
    # the next call is refused at once, without being sent.
    sent = len(fake.requests)
    await create()
    assert outcomes[:3] == ["network", "validation", "retry in 120.0"]
    assert outcomes[3].startswith("retry in 1")
    assert len(fake.requests) == sent
