"""Every operation of the spec, called once on the fake; each answer checked against the spec.

The newer operations the fake also serves (``scripts/spec_overlay.json``'s
``paths``) are walked the same way and checked against the spec with the
overlay laid over it; the route table must hold exactly the two lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from spec_support import (
    assert_fake_responses_valid,
    load_spec,
    newer_operations,
    require_api,
    require_spec,
    spec_operations,
    validate_response,
)

from telnyx_async.testing import FakeTelnyx
from telnyx_async.testing._routes import ROUTES

from ._fake_http import Api


@dataclass
class World:
    assistant: str
    version: str
    tool: str
    test: str
    run: str
    event: str
    mcp: str
    integration: str
    connection: str


@dataclass
class Req:
    method: str
    path: str
    json: Any = None
    params: dict[str, str] | None = None
    before: list[Req] = field(default_factory=list)


CANARY = {"rules": [{"serve": {"rollout": [{"version_id": "v", "weight": 100}]}}]}
EVENT = {
    "telnyx_conversation_channel": "phone_call",
    "telnyx_end_user_target": "+15550100001",
    "telnyx_agent_target": "+15550100002",
    "scheduled_at_fixed_datetime": "2030-01-15T10:30:00Z",
}
TEST_BODY = {
    "name": "Walk test",
    "destination": "+15550100003",
    "instructions": "Ask about opening hours.",
    "rubric": [{"name": "Correct", "criteria": "States the opening hours."}],
}

A = "/ai/assistants"


def _a(w: World) -> str:
    return f"{A}/{w.assistant}"


SCENARIOS: dict[tuple[str, str], Callable[[World], Req]] = {
    ("GET", A): lambda w: Req("GET", A),
    ("POST", A): lambda w: Req("POST", A, {"name": "New", "instructions": "Be nice."}),
    ("POST", f"{A}/import"): lambda w: Req(
        "POST", f"{A}/import", {"provider": "vapi", "api_key_ref": "vapi_key", "import_ids": ["x1"]}
    ),
    ("GET", f"{A}/tags"): lambda w: Req("GET", f"{A}/tags"),
    ("GET", f"{A}/tests"): lambda w: Req("GET", f"{A}/tests", params={"test_suite": "walk"}),
    ("POST", f"{A}/tests"): lambda w: Req("POST", f"{A}/tests", TEST_BODY),
    ("GET", f"{A}/tests/test-suites"): lambda w: Req("GET", f"{A}/tests/test-suites"),
    ("GET", f"{A}/tests/test-suites/{{suite_name}}/runs"): lambda w: Req(
        "GET", f"{A}/tests/test-suites/walk/runs"
    ),
    ("POST", f"{A}/tests/test-suites/{{suite_name}}/runs"): lambda w: Req(
        "POST", f"{A}/tests/test-suites/walk/runs", {}
    ),
    ("DELETE", f"{A}/tests/{{test_id}}"): lambda w: Req("DELETE", f"{A}/tests/{w.test}"),
    ("GET", f"{A}/tests/{{test_id}}"): lambda w: Req("GET", f"{A}/tests/{w.test}"),
    ("PUT", f"{A}/tests/{{test_id}}"): lambda w: Req(
        "PUT", f"{A}/tests/{w.test}", {"name": "Renamed", "max_duration_seconds": 60}
    ),
    ("GET", f"{A}/tests/{{test_id}}/runs"): lambda w: Req("GET", f"{A}/tests/{w.test}/runs"),
    ("POST", f"{A}/tests/{{test_id}}/runs"): lambda w: Req("POST", f"{A}/tests/{w.test}/runs"),
    ("GET", f"{A}/tests/{{test_id}}/runs/{{run_id}}"): lambda w: Req(
        "GET", f"{A}/tests/{w.test}/runs/{w.run}"
    ),
    ("DELETE", f"{A}/{{assistant_id}}"): lambda w: Req("DELETE", _a(w)),
    ("GET", f"{A}/{{assistant_id}}"): lambda w: Req("GET", _a(w)),
    ("POST", f"{A}/{{assistant_id}}"): lambda w: Req(
        "POST", _a(w), {"greeting": "Hello!", "promote_to_main": True}
    ),
    ("DELETE", f"{A}/{{assistant_id}}/canary-deploys"): lambda w: Req(
        "DELETE", f"{_a(w)}/canary-deploys", before=[Req("POST", f"{_a(w)}/canary-deploys", CANARY)]
    ),
    ("GET", f"{A}/{{assistant_id}}/canary-deploys"): lambda w: Req(
        "GET", f"{_a(w)}/canary-deploys", before=[Req("POST", f"{_a(w)}/canary-deploys", CANARY)]
    ),
    ("POST", f"{A}/{{assistant_id}}/canary-deploys"): lambda w: Req(
        "POST", f"{_a(w)}/canary-deploys", CANARY
    ),
    ("PUT", f"{A}/{{assistant_id}}/canary-deploys"): lambda w: Req(
        "PUT",
        f"{_a(w)}/canary-deploys",
        {"rules": []},
        before=[Req("POST", f"{_a(w)}/canary-deploys", CANARY)],
    ),
    ("POST", f"{A}/{{assistant_id}}/chat"): lambda w: Req(
        "POST", f"{_a(w)}/chat", {"content": "Where is my parcel?", "conversation_id": "c-1"}
    ),
    ("POST", f"{A}/{{assistant_id}}/chat/sms"): lambda w: Req(
        "POST", f"{_a(w)}/chat/sms", {"from": "+15550100004", "to": "+15550100005", "text": "hi"}
    ),
    ("POST", f"{A}/{{assistant_id}}/clone"): lambda w: Req("POST", f"{_a(w)}/clone"),
    ("POST", f"{A}/{{assistant_id}}/instructions/enhance"): lambda w: Req(
        "POST", f"{_a(w)}/instructions/enhance", {"enhancement_prompt": "Be brief."}
    ),
    ("GET", f"{A}/{{assistant_id}}/scheduled_events"): lambda w: Req(
        "GET", f"{_a(w)}/scheduled_events"
    ),
    ("POST", f"{A}/{{assistant_id}}/scheduled_events"): lambda w: Req(
        "POST", f"{_a(w)}/scheduled_events", EVENT
    ),
    ("DELETE", f"{A}/{{assistant_id}}/scheduled_events/{{event_id}}"): lambda w: Req(
        "DELETE", f"{_a(w)}/scheduled_events/{w.event}"
    ),
    ("GET", f"{A}/{{assistant_id}}/scheduled_events/{{event_id}}"): lambda w: Req(
        "GET", f"{_a(w)}/scheduled_events/{w.event}"
    ),
    ("POST", f"{A}/{{assistant_id}}/tags"): lambda w: Req("POST", f"{_a(w)}/tags", {"tag": "vip"}),
    ("DELETE", f"{A}/{{assistant_id}}/tags/{{tag}}"): lambda w: Req("DELETE", f"{_a(w)}/tags/walk"),
    ("GET", f"{A}/{{assistant_id}}/texml"): lambda w: Req("GET", f"{_a(w)}/texml"),
    ("DELETE", f"{A}/{{assistant_id}}/tools/{{tool_id}}"): lambda w: Req(
        "DELETE", f"{_a(w)}/tools/{w.tool}"
    ),
    ("PUT", f"{A}/{{assistant_id}}/tools/{{tool_id}}"): lambda w: Req(
        "PUT", f"{_a(w)}/tools/{w.tool}"
    ),
    ("POST", f"{A}/{{assistant_id}}/tools/{{tool_id}}/test"): lambda w: Req(
        "POST", f"{_a(w)}/tools/{w.tool}/test", {"arguments": {"order": "42"}}
    ),
    ("GET", f"{A}/{{assistant_id}}/versions"): lambda w: Req("GET", f"{_a(w)}/versions"),
    ("DELETE", f"{A}/{{assistant_id}}/versions/{{version_id}}"): lambda w: Req(
        "DELETE", f"{_a(w)}/versions/{w.version}"
    ),
    ("GET", f"{A}/{{assistant_id}}/versions/{{version_id}}"): lambda w: Req(
        "GET", f"{_a(w)}/versions/{w.version}"
    ),
    ("POST", f"{A}/{{assistant_id}}/versions/{{version_id}}"): lambda w: Req(
        "POST", f"{_a(w)}/versions/{w.version}", {"instructions": "Updated.", "version_name": "v2b"}
    ),
    ("POST", f"{A}/{{assistant_id}}/versions/{{version_id}}/promote"): lambda w: Req(
        "POST", f"{_a(w)}/versions/{w.version}/promote"
    ),
    ("GET", "/ai/integrations"): lambda w: Req("GET", "/ai/integrations"),
    ("GET", "/ai/integrations/connections"): lambda w: Req("GET", "/ai/integrations/connections"),
    ("DELETE", "/ai/integrations/connections/{user_connection_id}"): lambda w: Req(
        "DELETE", f"/ai/integrations/connections/{w.connection}"
    ),
    ("GET", "/ai/integrations/connections/{user_connection_id}"): lambda w: Req(
        "GET", f"/ai/integrations/connections/{w.connection}"
    ),
    ("GET", "/ai/integrations/{integration_id}"): lambda w: Req(
        "GET", f"/ai/integrations/{w.integration}"
    ),
    ("GET", "/ai/mcp_servers"): lambda w: Req("GET", "/ai/mcp_servers"),
    ("POST", "/ai/mcp_servers"): lambda w: Req(
        "POST",
        "/ai/mcp_servers",
        {"name": "docs", "type": "sse", "url": "https://mcp.example.com/sse"},
    ),
    ("DELETE", "/ai/mcp_servers/{mcp_server_id}"): lambda w: Req(
        "DELETE", f"/ai/mcp_servers/{w.mcp}"
    ),
    ("GET", "/ai/mcp_servers/{mcp_server_id}"): lambda w: Req("GET", f"/ai/mcp_servers/{w.mcp}"),
    ("PUT", "/ai/mcp_servers/{mcp_server_id}"): lambda w: Req(
        "PUT", f"/ai/mcp_servers/{w.mcp}", {"allowed_tools": ["search"]}
    ),
    ("GET", "/ai/tools"): lambda w: Req("GET", "/ai/tools"),
    ("POST", "/ai/tools"): lambda w: Req(
        "POST",
        "/ai/tools",
        {
            "type": "webhook",
            "display_name": "Weather",
            "webhook": {
                "name": "weather",
                "description": "Weather now",
                "url": "https://example.com/w",
            },
        },
    ),
    ("DELETE", "/ai/tools/{tool_id}"): lambda w: Req("DELETE", f"/ai/tools/{w.tool}"),
    ("GET", "/ai/tools/{tool_id}"): lambda w: Req("GET", f"/ai/tools/{w.tool}"),
    ("PATCH", "/ai/tools/{tool_id}"): lambda w: Req(
        "PATCH", f"/ai/tools/{w.tool}", {"display_name": "Lookup v2", "timeout_ms": 3000}
    ),
}


NEWER_SCENARIOS: dict[tuple[str, str], Callable[[World], Req]] = {
    ("POST", f"{A}/{{assistant_id}}/restore"): lambda w: Req(
        "POST", f"{_a(w)}/restore", before=[Req("DELETE", _a(w))]
    ),
    ("POST", f"{A}/{{assistant_id}}/chat/whatsapp"): lambda w: Req(
        "POST",
        f"{_a(w)}/chat/whatsapp",
        {"content": "Send code 482913.", "from": "+15550100004", "to": "+15550100005"},
    ),
    ("GET", f"{A}/deleted"): lambda w: Req("GET", f"{A}/deleted", before=[Req("DELETE", _a(w))]),
    ("GET", f"{A}/{{assistant_id}}/deleted"): lambda w: Req(
        "GET", f"{_a(w)}/deleted", before=[Req("DELETE", _a(w))]
    ),
}
"""The operations of the newer API, each as the walk calls it."""


def _operations() -> list[Any]:
    spec = load_spec()
    if spec is None:
        return [
            pytest.param(
                "GET", "/", marks=pytest.mark.skip(reason="spec not found beside the repo")
            )
        ]
    return [pytest.param(m, p, id=f"{m} {p}") for m, p in spec_operations(spec)]


def _newer() -> list[Any]:
    spec = load_spec()
    if spec is None:
        return [
            pytest.param(
                "GET", "/", marks=pytest.mark.skip(reason="spec not found beside the repo")
            )
        ]
    return [pytest.param(m, p, id=f"{m} {p}") for m, p in newer_operations(spec)]


async def build_world(fake: FakeTelnyx, api: Api) -> World:
    tool = fake.add_tool("Lookup")
    assistant = fake.add_assistant(name="Walker", instructions="Help people.", tags=["walk"])
    aid = assistant["id"]
    status, _, _ = await api.put(f"{A}/{aid}/tools/{tool['id']}")
    assert status == 200
    test = fake.add_test("Walk", test_suite="walk", destination=aid)
    status, run, _ = await api.post(f"{A}/tests/{test['test_id']}/runs")
    assert status == 201
    status, event, _ = await api.post(f"{A}/{aid}/scheduled_events", json={**EVENT, "text": "x"})
    assert status == 201
    status, version, _ = await api.post(
        f"{A}/{aid}",
        json={"instructions": "Draft.", "promote_to_main": False, "version_name": "draft"},
    )
    assert status == 200
    mcp = fake.add_mcp_server("search", "https://mcp.example.com")
    return World(
        assistant=aid,
        version=version["version_id"],
        tool=tool["id"],
        test=test["test_id"],
        run=run["run_id"],
        event=event["scheduled_event_id"],
        mcp=mcp["id"],
        integration=next(iter(fake.integrations)),
        connection=next(iter(fake.connections)),
    )


def success_status(spec: dict[str, Any], method: str, route: str) -> int:
    codes = [int(c) for c in spec["paths"][route][method.lower()]["responses"] if c.startswith("2")]
    assert len(codes) == 1, codes
    return codes[0]


async def walk(
    fake: FakeTelnyx,
    api: Api,
    spec: dict[str, Any],
    operation: tuple[str, str],
    scenario: Callable[[World], Req] | None,
) -> None:
    """Call one operation as its scenario says; check its answer, and every other, against ``spec``."""
    method, route = operation
    assert scenario is not None, f"no scenario for {method} {route}"
    world = await build_world(fake, api)
    req = scenario(world)
    for pre in req.before:
        status, body, _ = await api.request(pre.method, pre.path, json=pre.json, params=pre.params)
        assert status < 300, (pre, status, body)
    status, body, headers = await api.request(
        req.method, req.path, json=req.json, params=req.params
    )
    assert status == success_status(spec, method, route), body
    assert fake.requests[-1].route == route
    if headers.get("Content-Type", "").startswith("text/plain"):
        assert isinstance(body, str)
    validate_response(spec, method, route, status, body)
    assert assert_fake_responses_valid(fake, spec) >= 5


@pytest.mark.parametrize(("method", "route"), _operations())
async def test_operation_answers_per_spec(
    fake: FakeTelnyx, api: Api, method: str, route: str
) -> None:
    spec = require_spec()
    await walk(fake, api, spec, (method, route), SCENARIOS.get((method, route)))


@pytest.mark.parametrize(("method", "route"), _newer())
async def test_newer_operation_answers_per_the_overlay(
    fake: FakeTelnyx, api: Api, method: str, route: str
) -> None:
    document = require_api()  # the spec with scripts/spec_overlay.json laid over it
    await walk(fake, api, document, (method, route), NEWER_SCENARIOS.get((method, route)))


def test_route_table_covers_the_spec_and_the_newer_operations_exactly() -> None:
    spec = require_spec()
    ours = {(r.method, r.template) for r in ROUTES}
    theirs = set(spec_operations(spec))
    newer = set(newer_operations(spec))
    assert len(theirs) == 56
    assert newer == {
        ("POST", f"{A}/{{assistant_id}}/restore"),
        ("POST", f"{A}/{{assistant_id}}/chat/whatsapp"),
        ("GET", f"{A}/deleted"),
        ("GET", f"{A}/{{assistant_id}}/deleted"),
    }
    assert ours == theirs | newer
    assert set(SCENARIOS) == theirs
    assert set(NEWER_SCENARIOS) == newer


def test_every_newer_operation_declares_one_success_status() -> None:
    document = require_api()
    for method, route in newer_operations(require_spec()):
        success_status(document, method, route)


def test_every_spec_operation_declares_one_success_status() -> None:
    spec = require_spec()
    for method, route in spec_operations(spec):
        success_status(spec, method, route)


async def test_validation_errors_match_the_spec(fake: FakeTelnyx, api: Api) -> None:
    spec = require_spec()
    status, body, _ = await api.post(A, json={"name": 5})
    assert status == 422
    validate_response(spec, "POST", A, status, body)
    status, body, _ = await api.get(f"{A}/nope")
    assert status == 404
    validate_response(spec, "GET", f"{A}/{{assistant_id}}", status, body)
    assert assert_fake_responses_valid(fake, spec) == 2


def test_validate_response_reports_violations_clearly() -> None:
    spec = require_spec()
    with pytest.raises(
        AssertionError, match=r"(?s)GET /ai/assistants/\{assistant_id\} -> 200.*name"
    ):
        validate_response(spec, "GET", f"{A}/{{assistant_id}}", 200, {"id": "x"})
    with pytest.raises(AssertionError, match="not declared"):
        validate_response(spec, "GET", A, 201, {"data": []})
    with pytest.raises(AssertionError, match="no path"):
        validate_response(spec, "GET", "/nope", 200, {})
    with pytest.raises(AssertionError, match="declares no body"):
        validate_response(spec, "DELETE", f"{A}/tests/{{test_id}}", 200, {"x": 1})
    with pytest.raises(AssertionError, match="error body"):
        validate_response(spec, "GET", A, 404, {"message": "nope"})


def test_require_spec_skips_with_a_clear_reason_when_absent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import spec_support

    monkeypatch.setattr(spec_support, "SPEC_PATH", tmp_path / "missing.json")
    assert spec_support.load_spec() is None
    with pytest.raises(pytest.skip.Exception, match=r"\.\./shared/spec/telnyx-ai-assistants"):
        spec_support.require_spec()
    assert spec_support.assert_fake_responses_valid(FakeTelnyx()) == 0
