"""Record one golden response body per API operation into ``tests/golden/``.

Usage::

    python scripts/record_golden.py [SPEC_PATH] [--out DIR]

Each operation of the OpenAPI document whose success answer is a JSON body
with a model is called once on a fresh :class:`~telnyx_async.testing.FakeTelnyx`
(a world of an assistant with a conversation flow, a finished test run, a
scheduled event, a shared tool, an MCP server and a canary deploy is set up
first). Wherever the spec gives an ``example`` for a part of the answer, that
example replaces the fake's value, as long as the body still fits the
response schema; the file's ``source`` lists those places. Ids and times are
renumbered so that recording twice gives the same files.

The files are facts about the API for ``tests/golden/test_golden.py``, which
decodes each body into its model and back. The spec itself is never copied.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import aiohttp
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telnyx_async.testing import FakeClock, FakeTelnyx  # noqa: E402

DEFAULT_SPEC = ROOT.parent / "shared" / "spec" / "telnyx-ai-assistants.openapi.json"
DEFAULT_OUT = ROOT / "tests" / "golden"
FIXED_ORIGIN = datetime(2025, 1, 15, 9, 0, tzinfo=timezone.utc)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_A = "/ai/assistants"

Schema = dict[str, Any]


@dataclass
class World:
    """What exists on the fake before the operation is called."""

    ids: dict[str, str]

    def path(self, template: str) -> str:
        """``template`` with the world's ids in place of its parameters."""
        return re.sub(r"\{(\w+)\}", lambda m: self.ids[m.group(1)], template)


async def _send(session: aiohttp.ClientSession, fake: FakeTelnyx, method: str, path: str,
                body: Any = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {fake.api_key}"}
    async with session.request(method, fake.url + path, json=body, headers=headers) as resp:
        raw = await resp.read()
        parsed = json.loads(raw) if raw and resp.content_type.endswith("json") else None
        return resp.status, parsed


async def build_world(
    fake: FakeTelnyx, clock: FakeClock, session: aiohttp.ClientSession, flow: Any
) -> World:
    """An assistant (with ``flow``), a draft version, a finished run, an event, a canary."""
    tool = fake.add_tool("Order lookup")
    assistant = fake.add_assistant(
        name="Front desk",
        instructions="Greet callers and book tables.",
        tags=["restaurant"],
        tool_ids=[tool["id"]],
        **({"conversation_flow": flow} if flow is not None else {}),
    )
    aid = assistant["id"]
    test = fake.add_test(
        "Books a table",
        test_suite="smoke",
        destination=aid,
        rubric=[
            {"name": "Correct", "criteria": "Confirms the date and the party size."},
            {"name": "Polite", "criteria": "Thanks the caller."},
        ],
        outcome="failed",
        duration=2.0,
        detail={"Polite": "failed"},
        description="A caller books a table for four.",
        max_duration_seconds=300,
    )
    status, run = await _send(session, fake, "POST", f"{_A}/tests/{test['test_id']}/runs")
    assert status == 201, run
    status, version = await _send(
        session, fake, "POST", f"{_A}/{aid}",
        {"greeting": "Hello!", "promote_to_main": False, "version_name": "draft"},
    )
    assert status == 200, version
    event_body = {
        "telnyx_conversation_channel": "phone_call",
        "telnyx_end_user_target": "+15550100001",
        "telnyx_agent_target": "+15550100002",
        "scheduled_at_fixed_datetime": "2030-01-15T10:30:00Z",
        "conversation_metadata": {"customer": "c-42"},
    }
    status, event = await _send(session, fake, "POST", f"{_A}/{aid}/scheduled_events", event_body)
    assert status == 201, event
    rollout = [
        {"version_id": version["version_id"], "weight": 10},
        {"version_id": assistant["version_id"], "weight": 90},
    ]
    canary = {"rules": [{"serve": {"rollout": rollout}}]}
    status, deploy = await _send(session, fake, "POST", f"{_A}/{aid}/canary-deploys", canary)
    assert status == 200, deploy
    mcp = fake.add_mcp_server("docs", "https://mcp.example.com/sse", type="sse",
                              allowed_tools=["search"])
    clock.advance(5.0)  # the run is over: its answer has every field
    return World(
        {
            "assistant_id": aid,
            "version_id": version["version_id"],
            "tool_id": tool["id"],
            "test_id": test["test_id"],
            "run_id": run["run_id"],
            "suite_name": "smoke",
            "event_id": event["scheduled_event_id"],
            "mcp_server_id": mcp["id"],
            "integration_id": next(iter(fake.integrations)),
            "user_connection_id": next(iter(fake.connections)),
            "tag": "restaurant",
        }
    )


def _bodies(world: World) -> dict[tuple[str, str], Any]:
    """The request body of each operation that takes one."""
    return {
        ("POST", _A): {"name": "Concierge", "instructions": "Answer questions about the hotel."},
        ("POST", f"{_A}/import"): {"provider": "vapi", "api_key_ref": "vapi_key",
                                   "import_ids": ["agent-7"]},
        ("POST", f"{_A}/tests"): {
            "name": "Asks for opening hours",
            "destination": world.ids["assistant_id"],
            "instructions": "Ask when the restaurant opens on Sunday.",
            "rubric": [{"name": "Correct", "criteria": "Says 11:00."}],
            "test_suite": "smoke",
        },
        ("POST", f"{_A}/tests/test-suites/{{suite_name}}/runs"): {},
        ("PUT", f"{_A}/tests/{{test_id}}"): {"max_duration_seconds": 120},
        ("POST", f"{_A}/{{assistant_id}}"): {"greeting": "Good evening!"},
        ("POST", f"{_A}/{{assistant_id}}/canary-deploys"): {"rules": []},
        ("PUT", f"{_A}/{{assistant_id}}/canary-deploys"): {"rules": []},
        ("POST", f"{_A}/{{assistant_id}}/chat"): {"content": "Table for two?",
                                                  "conversation_id": "c-1"},
        ("POST", f"{_A}/{{assistant_id}}/chat/sms"): {"from": "+15550100004",
                                                      "to": "+15550100005", "text": "Hi"},
        ("POST", f"{_A}/{{assistant_id}}/scheduled_events"): {
            "telnyx_conversation_channel": "sms_chat",
            "telnyx_end_user_target": "+15550100006",
            "telnyx_agent_target": "+15550100007",
            "scheduled_at_fixed_datetime": "2030-02-01T12:00:00Z",
            "text": "Your table is ready.",
        },
        ("POST", f"{_A}/{{assistant_id}}/tags"): {"tag": "vip"},
        ("POST", f"{_A}/{{assistant_id}}/tools/{{tool_id}}/test"): {"arguments": {"order": "42"}},
        ("POST", f"{_A}/{{assistant_id}}/versions/{{version_id}}"): {"instructions": "Be brief."},
        ("POST", "/ai/mcp_servers"): {"name": "search", "type": "http",
                                      "url": "https://mcp.example.com/http"},
        ("PUT", "/ai/mcp_servers/{mcp_server_id}"): {"allowed_tools": ["search", "fetch"]},
        ("POST", "/ai/tools"): {
            "type": "webhook",
            "display_name": "Weather",
            "webhook": {"name": "weather", "description": "The weather now",
                        "url": "https://example.com/weather", "method": "GET"},
        },
        ("PATCH", "/ai/tools/{tool_id}"): {"display_name": "Order lookup v2", "timeout_ms": 3000},
    }


_BEFORE: dict[tuple[str, str], tuple[str, str]] = {
    # a second canary deploy is refused: make room for the one the operation creates
    ("POST", f"{_A}/{{assistant_id}}/canary-deploys"): (
        "DELETE",
        f"{_A}/{{assistant_id}}/canary-deploys",
    ),
}


class SpecExamples:
    """The spec's schemas: which model an answer decodes into, and the examples to use."""

    def __init__(self, spec: dict[str, Any]) -> None:
        """Read the schemas of ``spec``."""
        self.spec = spec
        self.schemas: dict[str, Schema] = spec["components"]["schemas"]

    def fits(self, schema: Schema, value: Any) -> bool:
        """Whether ``value`` is valid under ``schema`` (references resolved in the spec)."""
        root = {"components": self.spec["components"], "allOf": [schema]}
        return Draft202012Validator(root).is_valid(value)

    def resolve(self, schema: Schema) -> Schema:
        """``schema`` with its ``$ref`` followed."""
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def model_of(self, schema: Schema) -> str | None:
        """The ``telnyx_async.models`` name an answer of ``schema`` decodes into."""
        if "$ref" in schema:
            raw = schema["$ref"].rsplit("/", 1)[1]
            return raw.removeprefix("inference-embedding_").replace("-", "")
        if schema.get("type") == "array" and "$ref" in (schema.get("items") or {}):
            inner = self.model_of(schema["items"])
            return f"list[{inner}]" if inner else None
        return None

    def overlay(self, schema: Schema, value: Any, where: str, used: list[str]) -> Any:
        """``value`` with the spec's examples in place wherever they fit."""
        schema = self.resolve(schema)
        example = schema.get("example")
        if example is not None and example != value and self.fits(schema, example):
            used.append(where or "/")
            return example
        members = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
        if isinstance(members, list):
            for member in members:
                if self.fits(member, value):
                    return self.overlay(member, value, where, used)
            return value
        if isinstance(value, dict):
            properties: dict[str, Schema] = schema.get("properties") or {}
            return {
                k: self.overlay(properties[k], v, f"{where}/{k}", used)
                if _describes(k, properties)
                else v
                for k, v in value.items()
            }
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [self.overlay(schema["items"], v, f"{where}/{i}", used)
                    for i, v in enumerate(value)]
        return value


def _describes(key: str, properties: dict[str, Schema]) -> bool:
    """Whether an example may replace the fake's value of ``key``: not an id nor a time.

    The fake's ids and times agree with each other (a run names its test, it
    ends after it starts); the spec's examples of them would not.
    """
    return key in properties and key != "id" and not key.endswith(("_id", "_at"))


def renumber(text: str, origin: datetime) -> str:
    """Ids renumbered in the order seen; the fake's own times moved to a fixed origin."""
    ids: dict[str, str] = {}

    def new_id(m: re.Match[str]) -> str:
        return ids.setdefault(m.group(0), f"00000000-0000-4000-8000-{len(ids) + 1:012d}")

    def new_time(m: re.Match[str]) -> str:
        moment = datetime.strptime(m.group(0), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        since = (moment - origin).total_seconds()
        if not 0 <= since < 86400:
            return m.group(0)  # a time the request gave, not one the fake's clock made
        shifted = FIXED_ORIGIN + timedelta(seconds=round(since, 3))
        return shifted.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    return _STAMP.sub(new_time, _UUID.sub(new_id, text))


async def record_one(
    spec: SpecExamples, method: str, path: str, status_code: int, schema: Schema, flow: Any
) -> dict[str, Any]:
    """Call one operation on a fresh fake and return its golden file's content."""
    clock = FakeClock()
    async with FakeTelnyx(clock=clock) as fake, aiohttp.ClientSession() as session:
        world = await build_world(fake, clock, session, flow)
        before = _BEFORE.get((method, path))
        if before is not None:
            await _send(session, fake, before[0], world.path(before[1]))
        body = _bodies(world).get((method, path))
        status, answer = await _send(session, fake, method, world.path(path), body)
        if status != status_code:
            raise SystemExit(f"{method} {path}: the fake answered {status}: {answer}")
        origin: datetime = fake._state._wall_origin  # the fake's time zero, for renumbering
    used: list[str] = []
    answer = spec.overlay(schema, answer, "", used)
    if not spec.fits(schema, answer):
        raise SystemExit(f"{method} {path}: the recorded body does not fit the response schema")
    source = "FakeTelnyx's answer"
    if used:
        source += "; the spec's examples at " + ", ".join(used)
    content = {
        "operation": f"{method} {path}",
        "status": status,
        "model": spec.model_of(schema),
        "source": source,
        "body": answer,
    }
    return json.loads(renumber(json.dumps(content), origin.replace(tzinfo=timezone.utc)))


def file_name(method: str, path: str) -> str:
    """``GET /ai/assistants/{assistant_id}`` -> ``get_ai_assistants_assistant_id.json``."""
    words = re.sub(r"[^0-9a-z]+", "_", f"{method} {path}".lower()).strip("_")
    return f"{words}.json"


def operations(spec: dict[str, Any]) -> list[tuple[str, str, int, Schema]]:
    """Every operation whose success answer is JSON with a model: (method, path, status, schema)."""
    found: list[tuple[str, str, int, Schema]] = []
    examples = SpecExamples(spec)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                media = (response.get("content") or {}).get("application/json")
                if code.startswith("2") and media and examples.model_of(media.get("schema", {})):
                    found.append((method.upper(), path, int(code), media["schema"]))
    return found


async def record(spec: dict[str, Any], out: Path, only: Callable[[str], bool]) -> int:
    """Write every golden file; return how many."""
    examples = SpecExamples(spec)
    flow_schema = examples.resolve({"$ref": "#/components/schemas/ConversationFlowReq"})
    flow = flow_schema.get("example")
    count = 0
    for method, path, status, schema in operations(spec):
        if not only(f"{method} {path}"):
            continue
        content = await record_one(examples, method, path, status, schema, flow)
        text = json.dumps(content, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        (out / file_name(method, path)).write_text(text, encoding="utf-8", newline="\n")
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", default="", help="record only operations containing this")
    args = parser.parse_args(argv)
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    count = asyncio.run(record(spec, args.out, lambda op: args.only in op))
    print(f"record_golden: wrote {count} files to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
