"""``client.ai.assistants.tools``: add, remove, test."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import APIResponseValidationError, NotFoundError
from telnyx_async.models.assistant_tools import TestWebhookToolResponseData, WebhookTool
from telnyx_async.testing import FakeTelnyx, Fault

ROUTE = "/ai/assistants/{assistant_id}/tools/{tool_id}"


async def test_add_and_remove_change_the_assistants_tools(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    tool = fake.add_tool("Order lookup")
    a = fake.add_assistant()
    assert (await client.ai.assistants.retrieve(a["id"])).tools == []

    added = await client.ai.assistants.tools.add(tool["id"], assistant_id=a["id"])
    assert added == {}
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "PUT", f"/ai/assistants/{a['id']}/tools/{tool['id']}", ROUTE,
    )
    assert rec.body == b""
    tools = (await client.ai.assistants.retrieve(a["id"])).tools
    assert tools is not None and len(tools) == 1
    assert isinstance(tools[0], WebhookTool)

    removed = await client.ai.assistants.tools.remove(tool["id"], assistant_id=a["id"])
    assert removed == {}
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "DELETE", f"/ai/assistants/{a['id']}/tools/{tool['id']}", ROUTE,
    )
    assert (await client.ai.assistants.retrieve(a["id"])).tools == []
    assert tool["id"] in fake.tools  # the shared tool itself stays


async def test_adding_an_unknown_tool_is_404(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    with pytest.raises(NotFoundError):
        await client.ai.assistants.tools.add("no-such-tool", assistant_id=a["id"])


async def test_test_sends_arguments_and_returns_the_outcome(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    tool = fake.add_tool("Order lookup")
    a = fake.add_assistant(tool_ids=[tool["id"]])
    result = await client.ai.assistants.tools.test(
        tool["id"], assistant_id=a["id"],
        arguments={"order": "42"}, dynamic_variables={"customer": "Ada"},
    )
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "POST", f"/ai/assistants/{a['id']}/tools/{tool['id']}/test", ROUTE + "/test",
    )
    assert rec.json == {"arguments": {"order": "42"}, "dynamic_variables": {"customer": "Ada"}}
    assert "Idempotency-Key" not in rec.headers
    assert isinstance(result, TestWebhookToolResponseData)
    assert result.data.success is True
    assert result.data.status_code == 200
    assert result.data.request["body"] == {"order": "42"}


async def test_test_without_arguments_still_sends_an_object(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    tool = fake.add_tool("Ping")
    a = fake.add_assistant()
    await client.ai.assistants.tools.test(tool["id"], assistant_id=a["id"], idempotency_key="t-1")
    rec = fake.requests.last
    assert rec.body == b"{}"
    assert rec.headers["content-type"] == "application/json"
    assert rec.headers["Idempotency-Key"] == "t-1"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.assistants.tools.add("", assistant_id="a"),
        lambda c: c.ai.assistants.tools.add("t", assistant_id=""),
        lambda c: c.ai.assistants.tools.remove("", assistant_id="a"),
        lambda c: c.ai.assistants.tools.test("t", assistant_id=""),
    ],
    ids=["add-t", "add-a", "remove", "test"],
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
        (lambda c: c.ai.assistants.tools.add("t/1", assistant_id="a"), "/ai/assistants/a/tools/t%2F1"),
        (
            lambda c: c.ai.assistants.tools.remove("t", assistant_id="a/b"),
            "/ai/assistants/a%2Fb/tools/t",
        ),
        (
            lambda c: c.ai.assistants.tools.test("t/1", assistant_id="a"),
            "/ai/assistants/a/tools/t%2F1/test",
        ),
    ],
    ids=["add", "remove", "test"],
)
async def test_slashes_are_escaped(call: Any, raw: str, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(NotFoundError):
        await call(client)
    assert fake.requests.last.raw_path == raw


async def test_unknown_keywords_are_type_errors(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    tools = client.ai.assistants.tools
    with pytest.raises(TypeError):
        await tools.add("t", assistant_id="a", idempotency_key="k")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await tools.test("t", assistant_id="a", args={})  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await tools.remove("t")  # type: ignore[call-arg]
    assert fake.requests == []


async def test_an_empty_answer_becomes_an_empty_dict(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    tool = fake.add_tool("Lookup")
    a = fake.add_assistant()
    fake.enqueue(Fault.status(200), Fault.status(200, body=b"null", content_type="application/json"))
    assert await client.ai.assistants.tools.add(tool["id"], assistant_id=a["id"]) == {}
    assert await client.ai.assistants.tools.remove(tool["id"], assistant_id=a["id"]) == {}


async def test_a_non_object_answer_is_a_validation_error(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    tool = fake.add_tool("Lookup")
    a = fake.add_assistant()
    fake.enqueue(Fault.status(200, body=[1, 2]))
    with pytest.raises(APIResponseValidationError, match="expected a JSON object, got list"):
        await client.ai.assistants.tools.add(tool["id"], assistant_id=a["id"])
