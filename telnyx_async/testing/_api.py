"""The fake's state and the handler for every operation.

Nothing in this module does I/O: handlers take a :class:`Call` and return a
:class:`Reply` (or raise :class:`ApiError`); the server in ``_fake.py`` does the
HTTP around them.
"""

from __future__ import annotations

import copy
import json
import math
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, TypeGuard

from ._clock import Clock
from ._records import HeaderDict
from ._validation import (
    ApiError,
    Problem,
    parse_datetime,
    problem,
    telnyx_error,
)

__all__ = ["Call", "FakeAPI", "Reply", "Route", "TestBehaviour"]

JSON = dict[str, Any]

FINAL_STATUSES = frozenset({"passed", "failed", "error"})
_UNFINISHED = frozenset({"pending", "starting", "running"})
DEFAULT_MODEL = "openai/gpt-4o"


def _is_object(value: object) -> TypeGuard[JSON]:
    """Whether ``value`` is a JSON object (a ``dict``: its keys are strings)."""
    return isinstance(value, dict)


def new_id() -> str:
    """A fresh uuid4 string."""
    return str(uuid.uuid4())


@dataclass
class Call:
    """One routed request, as handlers see it."""

    method: str
    route: str
    params: dict[str, str]
    query: list[tuple[str, str]]
    body: Any
    headers: HeaderDict

    def q(self, name: str) -> str | None:
        """The last value of query parameter ``name``, or ``None``."""
        value: str | None = None
        for key, val in self.query:
            if key == name:
                value = val
        return value


@dataclass
class Reply:
    """What a handler answers: a status and a JSON value, raw bytes, or nothing."""

    status: int
    body: Any = None
    raw: bytes | None = None
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict[str, str])

    @classmethod
    def empty(cls, status: int = 200) -> Reply:
        """A reply with no body at all."""
        return cls(status=status, raw=b"", content_type=None)

    def encode(self) -> bytes:
        """The body bytes to send."""
        if self.raw is not None:
            return self.raw
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Route:
    """One operation: method, spec path template, handler and body facts."""

    method: str
    template: str
    handler: Handler
    body_schema: str | None = None
    body_required: bool = False
    idempotent: bool = False
    segments: tuple[str, ...] = ()

    @property
    def specificity(self) -> tuple[int, ...]:
        """Literal segments rank before parameters, left to right."""
        return tuple(0 if s.startswith("{") else 1 for s in self.segments)

    def match(self, parts: Sequence[str]) -> dict[str, str] | None:
        """Path parameters when ``parts`` (decoded segments) fit this template."""
        if len(parts) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for want, got in zip(self.segments, parts, strict=True):
            if want.startswith("{"):
                if got == "":
                    return None
                params[want[1:-1]] = got
            elif want != got:
                return None
        return params


@dataclass
class TestBehaviour:
    """How runs of one test play out on the fake's clock."""

    outcome: str = "passed"
    duration: float = 0.0
    start_delay: float = 0.0
    detail: dict[str, str] = field(default_factory=dict[str, str])


@dataclass
class _Version:
    version_id: str
    version_name: str
    created_at: str
    config: JSON


@dataclass
class _Assistant:
    id: str
    created_at: str
    main_version_id: str
    versions: dict[str, _Version]
    import_metadata: JSON | None = None

    @property
    def main(self) -> _Version:
        return self.versions[self.main_version_id]


@dataclass
class _Run:
    run_id: str
    test_id: str
    suite: str | None
    test_suite_run_id: str | None
    created: float
    created_at: str
    behaviour: TestBehaviour
    rubric_names: list[str]
    conversation_id: str
    triggered_by: str = "api"


def _page_int(call: Call, name: str, default: int, maximum: int | None) -> int:
    raw = call.q(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ApiError.invalid(
            problem(
                "int_parsing",
                ("query", name),
                "Input should be a valid integer, unable to parse string as an integer",
                raw,
            )
        ) from None
    if value < 1:
        raise ApiError.invalid(
            problem(
                "greater_than_equal",
                ("query", name),
                "Input should be greater than or equal to 1",
                raw,
                ctx={"ge": 1},
            )
        )
    if maximum is not None and value > maximum:
        raise ApiError.invalid(
            problem(
                "less_than_equal",
                ("query", name),
                f"Input should be less than or equal to {maximum}",
                raw,
                ctx={"le": maximum},
            )
        )
    return value


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text).strip("_")
    return "_".join(part for part in out.split("_") if part) or "tool"


class FakeAPI:
    """All state of the fake plus one handler per operation."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._origin = clock.now()
        self._wall_origin = datetime.now(timezone.utc)
        self.ignore_page_number = False
        self.assistants: dict[str, _Assistant] = {}
        self.tests: dict[str, JSON] = {}
        self.behaviour: dict[str, TestBehaviour] = {}
        self.runs: dict[str, _Run] = {}
        self.canaries: dict[str, JSON] = {}
        self.events: dict[str, JSON] = {}
        self.tools: dict[str, JSON] = {}
        self.mcp_servers: dict[str, JSON] = {}
        self.integrations: dict[str, JSON] = {}
        self.connections: dict[str, JSON] = {}
        self.routes: list[Route] = self._build_routes()
        self._seed_integrations()

    # ------------------------------------------------------------------ time

    def wall(self, reading: float | None = None) -> str:
        """The wall-clock timestamp for a clock reading (default: now), ISO-8601 with ``Z``."""
        t = self.clock.now() if reading is None else reading
        moment = self._wall_origin + timedelta(seconds=t - self._origin)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    # ------------------------------------------------------------------ routing

    def _build_routes(self) -> list[Route]:
        routes: list[Route] = []

        def add(
            method: str,
            template: str,
            handler: Handler,
            body: str | None = None,
            *,
            required: bool = True,
            idempotent: bool = False,
        ) -> None:
            routes.append(
                Route(
                    method=method,
                    template=template,
                    handler=handler,
                    body_schema=body,
                    body_required=body is not None and required,
                    idempotent=idempotent,
                    segments=tuple(template.strip("/").split("/")),
                )
            )

        a = "/ai/assistants"
        one = f"{a}/{{assistant_id}}"
        tests = f"{a}/tests"
        suite_runs = f"{tests}/test-suites/{{suite_name}}/runs"
        test = f"{tests}/{{test_id}}"
        version = f"{one}/versions/{{version_id}}"
        event = f"{one}/scheduled_events/{{event_id}}"
        canary = f"{one}/canary-deploys"
        conn = "/ai/integrations/connections/{user_connection_id}"
        mcp = "/ai/mcp_servers/{mcp_server_id}"
        tool = "/ai/tools/{tool_id}"

        add("GET", a, self.list_assistants)
        add("POST", a, self.create_assistant, "CreateAssistantRequest")
        add("POST", f"{a}/import", self.import_assistants, "ImportAssistantsRequest")
        add("GET", f"{a}/tags", self.list_all_tags)
        add("GET", tests, self.list_tests)
        add("POST", tests, self.create_test, "CreateAssistantTestRequest", idempotent=True)
        add("GET", f"{tests}/test-suites", self.list_suites)
        add("GET", suite_runs, self.list_suite_runs)
        add(
            "POST",
            suite_runs,
            self.trigger_suite,
            "TriggerTestSuiteRunsRequest",
            required=False,
            idempotent=True,
        )
        add("DELETE", test, self.delete_test)
        add("GET", test, self.get_test)
        add("PUT", test, self.update_test, "UpdateAssistantTestRequest")
        add("GET", f"{test}/runs", self.list_runs)
        add(
            "POST",
            f"{test}/runs",
            self.trigger_run,
            "TriggerTestRunRequest",
            required=False,
            idempotent=True,
        )
        add("GET", f"{test}/runs/{{run_id}}", self.get_run)
        add("DELETE", one, self.delete_assistant)
        add("GET", one, self.get_assistant)
        add("POST", one, self.update_assistant, "UpdateAssistantRequestWithPromotion")
        add("DELETE", canary, self.delete_canary)
        add("GET", canary, self.get_canary)
        add("POST", canary, self.create_canary, "CanaryDeployRequest", idempotent=True)
        add("PUT", canary, self.update_canary, "CanaryDeployRequest")
        add("POST", f"{one}/chat", self.chat, "AssistantChatReq")
        add("POST", f"{one}/chat/sms", self.chat_sms, "AssistantSmsChatReq")
        add("POST", f"{one}/clone", self.clone_assistant)
        add(
            "POST",
            f"{one}/instructions/enhance",
            self.enhance_instructions,
            "EnhanceInstructionsRequest",
            required=False,
        )
        add("GET", f"{one}/scheduled_events", self.list_events)
        add("POST", f"{one}/scheduled_events", self.create_event, "CreateScheduledEventRequest")
        add("DELETE", event, self.delete_event)
        add("GET", event, self.get_event)
        add("POST", f"{one}/tags", self.add_tag, "AddTagRequest")
        add("DELETE", f"{one}/tags/{{tag}}", self.remove_tag)
        add("GET", f"{one}/texml", self.get_texml)
        add("DELETE", f"{one}/tools/{{tool_id}}", self.remove_assistant_tool)
        add("PUT", f"{one}/tools/{{tool_id}}", self.add_assistant_tool)
        add(
            "POST",
            f"{one}/tools/{{tool_id}}/test",
            self.test_assistant_tool,
            "TestWebhookToolRequest",
            required=False,
        )
        add("GET", f"{one}/versions", self.list_versions)
        add("DELETE", version, self.delete_version)
        add("GET", version, self.get_version)
        add("POST", version, self.update_version, "UpdateAssistantRequest")
        add("POST", f"{version}/promote", self.promote_version)
        add("GET", "/ai/integrations", self.list_integrations)
        add("GET", "/ai/integrations/connections", self.list_connections)
        add("DELETE", conn, self.delete_connection)
        add("GET", conn, self.get_connection)
        add("GET", "/ai/integrations/{integration_id}", self.get_integration)
        add("GET", "/ai/mcp_servers", self.list_mcp)
        add("POST", "/ai/mcp_servers", self.create_mcp, "CreateMCPServerRequest")
        add("DELETE", mcp, self.delete_mcp)
        add("GET", mcp, self.get_mcp)
        add("PUT", mcp, self.update_mcp, "UpdateMCPServerRequest")
        add("GET", "/ai/tools", self.list_tools)
        add("POST", "/ai/tools", self.create_tool, "CreateSharedToolRequest")
        add("DELETE", tool, self.delete_tool)
        add("GET", tool, self.get_tool)
        add("PATCH", tool, self.update_tool, "UpdateSharedToolRequest")
        routes.sort(key=lambda r: r.specificity, reverse=True)
        return routes

    def resolve(
        self, method: str, parts: Sequence[str]
    ) -> tuple[Route | None, dict[str, str], list[str]]:
        """Find the route for ``method`` and decoded path ``parts``.

        Returns ``(route, params, allowed)``: ``route`` is ``None`` when no
        template fits (``allowed`` empty: 404) or when templates fit but none
        for this method (``allowed`` lists their methods: 405).
        """
        allowed: list[str] = []
        for route in self.routes:
            params = route.match(parts)
            if params is None:
                continue
            if route.method == method:
                return route, params, allowed
            if route.method not in allowed:
                allowed.append(route.method)
        return None, {}, allowed

    def template_for(self, parts: Sequence[str]) -> str | None:
        """The most specific template fitting ``parts`` regardless of method."""
        for route in self.routes:
            if route.match(parts) is not None:
                return route.template
        return None

    # ------------------------------------------------------------------ paging

    def _page(
        self,
        call: Call,
        items: Sequence[JSON],
        *,
        default_size: int,
        max_size: int | None,
    ) -> tuple[list[JSON], JSON]:
        number = _page_int(call, "page[number]", 1, None)
        size = _page_int(call, "page[size]", default_size, max_size)
        if self.ignore_page_number:
            number = 1
        start = (number - 1) * size
        page = list(items[start : start + size])
        total = len(items)
        meta = {
            "page_number": number,
            "page_size": size,
            "total_pages": math.ceil(total / size) if total else 0,
            "total_results": total,
        }
        return page, meta

    # ------------------------------------------------------------------ helpers

    def _assistant(self, call: Call) -> _Assistant:
        aid = call.params["assistant_id"]
        found = self.assistants.get(aid)
        if found is None:
            raise ApiError.not_found(f"Assistant {aid} not found.")
        return found

    def _version(self, assistant: _Assistant, version_id: str) -> _Version:
        if version_id == "main":
            return assistant.main
        found = assistant.versions.get(version_id)
        if found is None:
            raise ApiError.not_found(f"Version {version_id} of assistant {assistant.id} not found.")
        return found

    def tool_entry(self, tool: JSON) -> JSON:
        """The assistant-tool union member for a shared tool."""
        kind = str(tool.get("type", "webhook"))
        definition: JSON = copy.deepcopy(tool.get("tool_definition") or {})
        if kind in ("webhook", "client_side_tool"):
            display = str(tool.get("display_name") or kind)
            definition.setdefault("name", _slug(display))
            definition.setdefault("description", display)
        if kind == "webhook":
            definition.setdefault("url", "https://example.com/webhook")
        if kind == "client_side_tool":
            definition.setdefault("parameters", {"type": "object", "properties": {}})
        return {"type": kind, kind: definition}

    def render_assistant(self, assistant: _Assistant, version: _Version | None = None) -> JSON:
        """The wire form of one version (default: the main one) of an assistant."""
        v = version or assistant.main
        cfg = copy.deepcopy(v.config)
        tool_ids = cfg.pop("tool_ids", [])
        out: JSON = {"id": assistant.id, "created_at": assistant.created_at}
        out.update(cfg)
        out["tools"] = list(cfg.get("tools", [])) + [
            self.tool_entry(self.tools[tid]) for tid in tool_ids if tid in self.tools
        ]
        out["version_id"] = v.version_id
        out["version_name"] = v.version_name
        out["version_created_at"] = v.created_at
        if assistant.import_metadata is not None:
            out["import_metadata"] = copy.deepcopy(assistant.import_metadata)
        return out

    def _check_tool_ids(self, body: Mapping[str, Any]) -> None:
        problems: list[Problem] = []
        for i, tid in enumerate(body.get("tool_ids") or []):
            if not isinstance(tid, str):
                problems.append(
                    problem(
                        "string_type",
                        ("body", "tool_ids", i),
                        "Input should be a valid string",
                        tid,
                    )
                )
            elif tid not in self.tools:
                problems.append(
                    problem(
                        "value_error",
                        ("body", "tool_ids", i),
                        f"Value error, unknown tool id {tid}",
                        tid,
                    )
                )
        if problems:
            raise ApiError.invalid(*problems)

    def new_assistant(
        self, fields: Mapping[str, Any], *, import_metadata: JSON | None = None
    ) -> _Assistant:
        """Create and store an assistant from request-shaped ``fields``."""
        now = self.wall()
        config: JSON = {
            "model": DEFAULT_MODEL,
            "tags": [],
            "tools": [],
            "integrations": [],
            "mcp_servers": [],
            "enabled_features": [],
            "dynamic_variables": {},
        }
        config.update(copy.deepcopy(dict(fields)))
        for key in ("id", "created_at", "version_id", "version_name", "version_created_at"):
            config.pop(key, None)
        version = _Version(new_id(), "Initial version", now, config)
        assistant = _Assistant(
            id=str(fields.get("id") or new_id()),
            created_at=now,
            main_version_id=version.version_id,
            versions={version.version_id: version},
            import_metadata=import_metadata,
        )
        self.assistants[assistant.id] = assistant
        return assistant

    # ------------------------------------------------------------------ assistants

    def list_assistants(self, call: Call) -> Reply:
        items = [self.render_assistant(a) for a in self.assistants.values()]
        page, meta = self._page(call, items, default_size=100, max_size=None)
        return Reply(200, {"data": page, "meta": meta})

    def create_assistant(self, call: Call) -> Reply:
        self._check_tool_ids(call.body)
        assistant = self.new_assistant(call.body)
        return Reply(200, self.render_assistant(assistant))

    def import_assistants(self, call: Call) -> Reply:
        provider = call.body["provider"]
        ids = call.body.get("import_ids") or [f"{provider}-agent-1", f"{provider}-agent-2"]
        created: list[JSON] = []
        for import_id in ids:
            meta = {"import_id": str(import_id), "import_provider": provider}
            existing = next(
                (a for a in self.assistants.values() if a.import_metadata == meta), None
            )
            assistant = existing or self.new_assistant(
                {
                    "name": f"Imported {provider} assistant {import_id}",
                    "instructions": f"Imported from {provider}; review before going live.",
                },
                import_metadata=meta,
            )
            created.append(self.render_assistant(assistant))
        return Reply(200, {"data": created})

    def get_assistant(self, call: Call) -> Reply:
        return Reply(200, self.render_assistant(self._assistant(call)))

    def update_assistant(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        body = dict(call.body)
        self._check_tool_ids(body)
        promote = body.pop("promote_to_main", True)
        name = body.pop("version_name", None) or f"Version {len(assistant.versions) + 1}"
        config = copy.deepcopy(assistant.main.config)
        config.update(copy.deepcopy(body))
        version = _Version(new_id(), name, self.wall(), config)
        assistant.versions[version.version_id] = version
        if promote:
            assistant.main_version_id = version.version_id
        return Reply(200, self.render_assistant(assistant, version))

    def delete_assistant(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        del self.assistants[assistant.id]
        self.canaries.pop(assistant.id, None)
        for eid in [k for k, e in self.events.items() if e["assistant_id"] == assistant.id]:
            del self.events[eid]
        return Reply(200, {"id": assistant.id, "object": "assistant", "deleted": True})

    def chat(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        name = assistant.main.config.get("name", "Assistant")
        content = call.body["content"]
        return Reply(200, {"content": f"{name} here. You said: {content}"})

    def chat_sms(self, call: Call) -> Reply:
        self._assistant(call)
        return Reply(200, {"conversation_id": new_id()})

    def clone_assistant(self, call: Call) -> Reply:
        source = self._assistant(call)
        config = copy.deepcopy(source.main.config)
        config.pop("telephony_settings", None)
        config.pop("messaging_settings", None)
        config["name"] = f"{config.get('name', 'Assistant')} (copy)"
        clone = self.new_assistant(config)
        return Reply(200, self.render_assistant(clone))

    def enhance_instructions(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        body: JSON = call.body or {}
        base = body.get("instructions") or assistant.main.config.get("instructions", "")
        prompt = body.get("enhancement_prompt")
        lines = [
            str(base).strip(),
            "",
            "Guidelines:",
            "- Greet the user and confirm what they need before acting.",
            "- Keep answers short and specific; ask one question at a time.",
            "- Say plainly when you cannot help, and offer a next step.",
        ]
        if prompt:
            lines.append(f"- Also: {prompt}")
        return Reply(
            200, raw="\n".join(lines).encode("utf-8"), content_type="text/plain; charset=utf-8"
        )

    def get_texml(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            "<Response><Connect>"
            f'<AIAssistant id="{assistant.id}" version="{assistant.main_version_id}"/>'
            "</Connect></Response>"
        )
        return Reply(200, xml)

    # ------------------------------------------------------------------ tags

    def list_all_tags(self, call: Call) -> Reply:
        tags: set[str] = set()
        for assistant in self.assistants.values():
            tags.update(str(t) for t in assistant.main.config.get("tags", []))
        return Reply(200, {"tags": sorted(tags)})

    def add_tag(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        tags: list[str] = assistant.main.config.setdefault("tags", [])
        if call.body["tag"] not in tags:
            tags.append(call.body["tag"])
        return Reply(200, {"tags": list(tags)})

    def remove_tag(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        tags: list[str] = assistant.main.config.setdefault("tags", [])
        tag = call.params["tag"]
        if tag not in tags:
            raise ApiError.not_found(f"Tag {tag!r} is not set on assistant {assistant.id}.")
        tags.remove(tag)
        return Reply(200, {"tags": list(tags)})

    # ------------------------------------------------------------------ assistant tools

    def _shared_tool(self, tool_id: str) -> JSON:
        found = self.tools.get(tool_id)
        if found is None:
            raise ApiError.not_found(f"Tool {tool_id} not found.")
        return found

    def add_assistant_tool(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        tool = self._shared_tool(call.params["tool_id"])
        ids: list[str] = assistant.main.config.setdefault("tool_ids", [])
        if tool["id"] not in ids:
            ids.append(tool["id"])
        return Reply(200, {})

    def remove_assistant_tool(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        tool_id = call.params["tool_id"]
        ids: list[str] = assistant.main.config.setdefault("tool_ids", [])
        if tool_id not in ids and tool_id not in self.tools:
            raise ApiError.not_found(f"Tool {tool_id} not found.")
        if tool_id in ids:
            ids.remove(tool_id)
        return Reply(200, {})

    def test_assistant_tool(self, call: Call) -> Reply:
        self._assistant(call)
        tool = self._shared_tool(call.params["tool_id"])
        body: JSON = call.body or {}
        arguments: JSON = body.get("arguments") or {}
        definition: JSON = tool.get("tool_definition") or {}
        answer = {"ok": True, "tool": tool.get("display_name"), "arguments": arguments}
        return Reply(
            200,
            {
                "data": {
                    "success": True,
                    "status_code": 200,
                    "content_type": "application/json",
                    "response": json.dumps(answer),
                    "request": {
                        "method": definition.get("method", "POST"),
                        "url": definition.get("url", "https://example.com/webhook"),
                        "body": arguments,
                        "dynamic_variables": body.get("dynamic_variables") or {},
                    },
                }
            },
        )

    # ------------------------------------------------------------------ versions

    def list_versions(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        return Reply(
            200,
            {"data": [self.render_assistant(assistant, v) for v in assistant.versions.values()]},
        )

    def get_version(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        version = self._version(assistant, call.params["version_id"])
        return Reply(200, self.render_assistant(assistant, version))

    def update_version(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        body = dict(call.body)
        self._check_tool_ids(body)
        vid = call.params["version_id"]
        name = body.pop("version_name", None)
        if vid == "main":
            vid = assistant.main_version_id
        version = assistant.versions.get(vid)
        if version is None:
            config = copy.deepcopy(assistant.main.config)
            version = _Version(
                vid, name or f"Version {len(assistant.versions) + 1}", self.wall(), config
            )
            assistant.versions[vid] = version
        elif name:
            version.version_name = name
        version.config.update(copy.deepcopy(body))
        return Reply(200, self.render_assistant(assistant, version))

    def delete_version(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        version = self._version(assistant, call.params["version_id"])
        if version.version_id == assistant.main_version_id:
            raise ApiError.invalid(
                problem(
                    "value_error",
                    ("path", "version_id"),
                    "Value error, the main version cannot be deleted; promote another one first",
                    call.params["version_id"],
                )
            )
        del assistant.versions[version.version_id]
        return Reply.empty(204)

    def promote_version(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        version = self._version(assistant, call.params["version_id"])
        assistant.main_version_id = version.version_id
        return Reply(200, self.render_assistant(assistant))

    # ------------------------------------------------------------------ canary deploys

    def _rules(self, body: Mapping[str, Any]) -> list[JSON]:
        raw = body.get("rules")
        if raw is None and isinstance(body.get("versions"), list):
            # the older wire shape: {"versions": [{"version_id", "percentage"}]}
            slots = [
                {"version_id": str(v.get("version_id")), "weight": v.get("percentage", 0)}
                for v in body["versions"]
                if _is_object(v)
            ]
            return [{"serve": {"rollout": slots}}]
        problems: list[Problem] = []
        rules: list[JSON] = []
        for i, rule in enumerate(raw or []):
            if not _is_object(rule):
                problems.append(
                    problem(
                        "dict_type",
                        ("body", "rules", i),
                        "Input should be a valid dictionary",
                        rule,
                    )
                )
            elif "serve" not in rule:
                problems.append(
                    problem("missing", ("body", "rules", i, "serve"), "Field required", rule)
                )
            else:
                rules.append(copy.deepcopy(rule))
        if problems:
            raise ApiError.invalid(*problems)
        return rules

    def _canary(self, call: Call) -> tuple[_Assistant, JSON]:
        assistant = self._assistant(call)
        found = self.canaries.get(assistant.id)
        if found is None:
            raise ApiError.not_found(f"Assistant {assistant.id} has no canary deploy.")
        return assistant, found

    def get_canary(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self._canary(call)[1]))

    def create_canary(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        if assistant.id in self.canaries:
            raise ApiError.invalid(
                problem(
                    "value_error",
                    ("path", "assistant_id"),
                    "Value error, this assistant already has a canary deploy; update it instead",
                    assistant.id,
                )
            )
        now = self.wall()
        deploy = {
            "assistant_id": assistant.id,
            "rules": self._rules(call.body),
            "created_at": now,
            "updated_at": now,
        }
        self.canaries[assistant.id] = deploy
        return Reply(200, copy.deepcopy(deploy))

    def update_canary(self, call: Call) -> Reply:
        _, deploy = self._canary(call)
        deploy["rules"] = self._rules(call.body)
        deploy["updated_at"] = self.wall()
        return Reply(200, copy.deepcopy(deploy))

    def delete_canary(self, call: Call) -> Reply:
        assistant, _ = self._canary(call)
        del self.canaries[assistant.id]
        return Reply.empty(204)

    # ------------------------------------------------------------------ scheduled events

    def create_event(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        body = call.body
        channel = body["telnyx_conversation_channel"]
        if channel == "sms_chat" and "text" not in body:
            raise ApiError.invalid(
                problem("missing", ("body", "text"), "Field required", dict(body))
            )
        when = parse_datetime(body["scheduled_at_fixed_datetime"])
        assert when is not None  # checked by the body rule
        event: JSON = {
            "scheduled_event_id": new_id(),
            "assistant_id": assistant.id,
            "telnyx_conversation_channel": channel,
            "telnyx_end_user_target": body["telnyx_end_user_target"],
            "telnyx_agent_target": body["telnyx_agent_target"],
            "scheduled_at_fixed_datetime": when.astimezone(timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            ),
            "status": "pending",
            "retry_count": 0,
            "created_at": self.wall(),
            "errors": [],
        }
        for key in ("conversation_metadata", "dynamic_variables"):
            if key in body:
                event[key] = copy.deepcopy(body[key])
        if channel == "sms_chat":
            event["text"] = body["text"]
        else:
            event["call_attempts"] = []
            event["max_retries_client_errors"] = body.get("max_retries_client_errors", 0)
            event["retry_attempts"] = 0
            for key in ("retry_interval_secs", "call_settings", "text"):
                if key in body:
                    event[key] = copy.deepcopy(body[key])
        self.events[event["scheduled_event_id"]] = event
        return Reply(201, copy.deepcopy(event))

    def _event(self, call: Call) -> JSON:
        assistant = self._assistant(call)
        eid = call.params["event_id"]
        found = self.events.get(eid)
        if found is None or found["assistant_id"] != assistant.id:
            raise ApiError.not_found(f"Scheduled event {eid} not found.")
        return found

    def get_event(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self._event(call)))

    def delete_event(self, call: Call) -> Reply:
        event = self._event(call)
        del self.events[event["scheduled_event_id"]]
        return Reply.empty(200)

    def _query_datetime(self, call: Call, name: str) -> datetime | None:
        raw = call.q(name)
        if raw is None:
            return None
        parsed = parse_datetime(raw)
        if parsed is None:
            raise ApiError.invalid(
                problem(
                    "datetime_from_date_parsing",
                    ("query", name),
                    "Input should be a valid datetime",
                    raw,
                )
            )
        return parsed

    def list_events(self, call: Call) -> Reply:
        assistant = self._assistant(call)
        start = self._query_datetime(call, "from_date")
        end = self._query_datetime(call, "to_date")
        channel = call.q("conversation_channel")
        if channel is not None and channel not in ("phone_call", "sms_chat"):
            raise ApiError.invalid(
                problem(
                    "enum",
                    ("query", "conversation_channel"),
                    "Input should be 'phone_call' or 'sms_chat'",
                    channel,
                )
            )
        items: list[JSON] = []
        for event in self.events.values():
            if event["assistant_id"] != assistant.id:
                continue
            when = parse_datetime(event["scheduled_at_fixed_datetime"])
            assert when is not None
            if start is not None and when < start:
                continue
            if end is not None and when > end:
                continue
            if channel is not None and event["telnyx_conversation_channel"] != channel:
                continue
            items.append(copy.deepcopy(event))
        page, meta = self._page(call, items, default_size=20, max_size=100)
        return Reply(200, {"data": page, "meta": meta})

    # ------------------------------------------------------------------ tests

    def _clean_rubric(self, rubric: Any) -> list[JSON]:
        problems: list[Problem] = []
        cleaned: list[JSON] = []
        for i, item in enumerate(rubric):
            if not _is_object(item):
                problems.append(
                    problem(
                        "dict_type",
                        ("body", "rubric", i),
                        "Input should be a valid dictionary",
                        item,
                    )
                )
                continue
            for key in ("name", "criteria"):
                if key not in item:
                    problems.append(
                        problem("missing", ("body", "rubric", i, key), "Field required", item)
                    )
                elif not isinstance(item[key], str):
                    problems.append(
                        problem(
                            "string_type",
                            ("body", "rubric", i, key),
                            "Input should be a valid string",
                            item[key],
                        )
                    )
            cleaned.append({"name": item.get("name"), "criteria": item.get("criteria")})
        if problems:
            raise ApiError.invalid(*problems)
        return cleaned

    def new_test(self, fields: Mapping[str, Any], behaviour: TestBehaviour | None = None) -> JSON:
        """Create and store a test from request-shaped ``fields``."""
        test: JSON = {
            "test_id": str(fields.get("test_id") or new_id()),
            "name": fields["name"],
            "destination": fields["destination"],
            "instructions": fields["instructions"],
            "rubric": self._clean_rubric(fields["rubric"]),
            "telnyx_conversation_channel": fields.get("telnyx_conversation_channel", "web_chat"),
            "created_at": self.wall(),
        }
        for key in ("description", "max_duration_seconds", "test_suite"):
            if fields.get(key) is not None:
                test[key] = fields[key]
        self.tests[test["test_id"]] = test
        self.behaviour[test["test_id"]] = behaviour or TestBehaviour()
        return test

    def _test(self, call: Call) -> JSON:
        tid = call.params["test_id"]
        found = self.tests.get(tid)
        if found is None:
            raise ApiError.not_found(f"Test {tid} not found.")
        return found

    def list_tests(self, call: Call) -> Reply:
        filters = {
            key: call.q(key)
            for key in ("test_suite", "telnyx_conversation_channel", "destination")
            if call.q(key) is not None
        }
        items = [
            copy.deepcopy(t)
            for t in self.tests.values()
            if all(t.get(k) == v for k, v in filters.items())
        ]
        page, meta = self._page(call, items, default_size=20, max_size=100)
        return Reply(200, {"data": page, "meta": meta})

    def create_test(self, call: Call) -> Reply:
        return Reply(201, copy.deepcopy(self.new_test(call.body)))

    def get_test(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self._test(call)))

    def update_test(self, call: Call) -> Reply:
        test = self._test(call)
        body = dict(call.body)
        if "rubric" in body:
            body["rubric"] = self._clean_rubric(body["rubric"])
        test.update(copy.deepcopy(body))
        return Reply(200, copy.deepcopy(test))

    def delete_test(self, call: Call) -> Reply:
        test = self._test(call)
        tid = test["test_id"]
        del self.tests[tid]
        self.behaviour.pop(tid, None)
        for rid in [r.run_id for r in self.runs.values() if r.test_id == tid]:
            del self.runs[rid]
        return Reply.empty(200)

    def list_suites(self, call: Call) -> Reply:
        suites = sorted({t["test_suite"] for t in self.tests.values() if t.get("test_suite")})
        return Reply(200, {"data": suites})

    # ------------------------------------------------------------------ runs

    def start_run(self, test: JSON, *, suite_run_id: str | None = None) -> _Run:
        """Create a run of ``test`` starting now on the fake's clock."""
        behaviour = copy.deepcopy(self.behaviour.setdefault(test["test_id"], TestBehaviour()))
        now = self.clock.now()
        run = _Run(
            run_id=new_id(),
            test_id=test["test_id"],
            suite=test.get("test_suite"),
            test_suite_run_id=suite_run_id,
            created=now,
            created_at=self.wall(now),
            behaviour=behaviour,
            rubric_names=[str(item["name"]) for item in test.get("rubric", [])],
            conversation_id=new_id(),
        )
        self.runs[run.run_id] = run
        return run

    def run_status(self, run: _Run) -> str:
        """The status of ``run`` at the clock's current reading."""
        b = run.behaviour
        now = self.clock.now()
        if now < run.created + b.start_delay:
            return "pending"
        if now < run.created + b.start_delay + b.duration:
            return "running"
        return b.outcome

    def _detail(self, run: _Run) -> list[JSON]:
        b = run.behaviour
        names = run.rubric_names or ["overall"]
        if b.outcome == "passed":
            return [{"name": n, "status": "passed"} for n in names]
        if b.outcome != "failed":
            return [{"name": n, "status": "error"} for n in names]
        statuses = {n: b.detail.get(n, "passed") for n in names}
        if "failed" not in statuses.values():
            statuses[names[-1]] = "failed"
        return [{"name": n, "status": s} for n, s in statuses.items()]

    def render_run(self, run: _Run) -> JSON:
        """The wire form of a run at the clock's current reading."""
        b = run.behaviour
        status = self.run_status(run)
        started = run.created + b.start_delay
        finished = started + b.duration
        out: JSON = {
            "run_id": run.run_id,
            "test_id": run.test_id,
            "status": status,
            "triggered_by": run.triggered_by,
            "created_at": run.created_at,
            "updated_at": run.created_at,
        }
        if run.test_suite_run_id is not None:
            out["test_suite_run_id"] = run.test_suite_run_id
        if status != "pending":
            out["conversation_id"] = run.conversation_id
            out["updated_at"] = self.wall(started)
        if status == b.outcome and status not in _UNFINISHED:
            out["updated_at"] = out["completed_at"] = self.wall(finished)
            out["detail_status"] = self._detail(run)
            out["conversation_insights_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, run.run_id))
            out["logs"] = self._logs(run, out["detail_status"], finished - run.created)
        return out

    def _logs(self, run: _Run, detail: Iterable[JSON], elapsed: float) -> str:
        lines = [
            f"[{run.created_at}] run {run.run_id} queued",
            f"[{self.wall(run.created + run.behaviour.start_delay)}] "
            f"conversation {run.conversation_id} started",
        ]
        lines += [f"  rubric {item['name']!r}: {item['status']}" for item in detail]
        lines.append(f"finished with status {run.behaviour.outcome} after {elapsed:.3f}s")
        return "\n".join(lines)

    def trigger_run(self, call: Call) -> Reply:
        test = self._test(call)
        return Reply(201, self.render_run(self.start_run(test)))

    def get_run(self, call: Call) -> Reply:
        test = self._test(call)
        rid = call.params["run_id"]
        run = self.runs.get(rid)
        if run is None or run.test_id != test["test_id"]:
            raise ApiError.not_found(f"Run {rid} of test {test['test_id']} not found.")
        return Reply(200, self.render_run(run))

    def list_runs(self, call: Call) -> Reply:
        test = self._test(call)
        status = call.q("status")
        items = [self.render_run(r) for r in self.runs.values() if r.test_id == test["test_id"]]
        if status is not None:
            items = [r for r in items if r["status"] == status]
        page, meta = self._page(call, items, default_size=20, max_size=100)
        return Reply(200, {"data": page, "meta": meta})

    def trigger_suite(self, call: Call) -> Reply:
        suite = call.params["suite_name"]
        members = [t for t in self.tests.values() if t.get("test_suite") == suite]
        if not members:
            raise ApiError.not_found(f"Test suite {suite!r} has no tests.")
        batch = new_id()
        runs = [self.render_run(self.start_run(t, suite_run_id=batch)) for t in members]
        return Reply(201, runs)

    def list_suite_runs(self, call: Call) -> Reply:
        suite = call.params["suite_name"]
        status = call.q("status")
        batch = call.q("test_suite_run_id")
        items = [
            self.render_run(r)
            for r in self.runs.values()
            if r.suite == suite and (batch is None or r.test_suite_run_id == batch)
        ]
        if status is not None:
            items = [r for r in items if r["status"] == status]
        page, meta = self._page(call, items, default_size=20, max_size=100)
        return Reply(200, {"data": page, "meta": meta})

    # ------------------------------------------------------------------ integrations

    def _seed_integrations(self) -> None:
        catalog = [
            (
                "salesforce",
                "Salesforce",
                "CRM records: look up and update contacts and cases.",
                ["search_contacts", "create_case", "update_case"],
            ),
            (
                "hubspot",
                "HubSpot",
                "Marketing and sales CRM: contacts, deals and notes.",
                ["search_contacts", "create_note"],
            ),
            (
                "zendesk",
                "Zendesk",
                "Support tickets: open, read and comment on tickets.",
                ["create_ticket", "get_ticket", "add_comment"],
            ),
            (
                "google_calendar",
                "Google Calendar",
                "Check availability and book appointments.",
                ["list_free_slots", "create_event"],
            ),
        ]
        for name, display, text, tools in catalog:
            self.add_integration(
                name=name, display_name=display, description=text, available_tools=tools
            )
        for name in ("salesforce", "zendesk"):
            integration = next(i for i in self.integrations.values() if i["name"] == name)
            self.add_connection(integration["id"], allowed_tools=integration["available_tools"][:2])

    def add_integration(self, **fields: Any) -> JSON:
        """Add an integration to the catalogue and return it."""
        name = str(fields.get("name", "custom"))
        integration: JSON = {
            "id": str(fields.get("id") or new_id()),
            "name": name,
            "display_name": fields.get("display_name", name.replace("_", " ").title()),
            "description": fields.get("description", f"The {name} integration."),
            "logo_url": fields.get("logo_url", f"https://logos.example.com/{name}.svg"),
            "status": fields.get("status", "disconnected"),
            "available_tools": list(fields.get("available_tools", [])),
        }
        for key, value in fields.items():
            integration.setdefault(key, value)
        self.integrations[integration["id"]] = integration
        return integration

    def add_connection(
        self, integration_id: str, *, allowed_tools: Sequence[str] = (), **fields: Any
    ) -> JSON:
        """Connect an integration (marks it ``connected``) and return the connection."""
        if integration_id not in self.integrations:
            raise KeyError(f"unknown integration id {integration_id!r}")
        connection: JSON = {
            "id": str(fields.pop("id", None) or new_id()),
            "integration_id": integration_id,
            "allowed_tools": list(allowed_tools),
        }
        connection.update(fields)
        self.connections[connection["id"]] = connection
        self.integrations[integration_id]["status"] = "connected"
        return connection

    def list_integrations(self, call: Call) -> Reply:
        return Reply(200, {"data": copy.deepcopy(list(self.integrations.values()))})

    def get_integration(self, call: Call) -> Reply:
        iid = call.params["integration_id"]
        found = self.integrations.get(iid)
        if found is None:
            raise ApiError.not_found(f"Integration {iid} not found.")
        return Reply(200, copy.deepcopy(found))

    def list_connections(self, call: Call) -> Reply:
        return Reply(200, {"data": copy.deepcopy(list(self.connections.values()))})

    def _connection(self, call: Call) -> JSON:
        cid = call.params["user_connection_id"]
        found = self.connections.get(cid)
        if found is None:
            raise ApiError.not_found(f"Integration connection {cid} not found.")
        return found

    def get_connection(self, call: Call) -> Reply:
        return Reply(200, {"data": copy.deepcopy(self._connection(call))})

    def delete_connection(self, call: Call) -> Reply:
        connection = self._connection(call)
        del self.connections[connection["id"]]
        iid = connection["integration_id"]
        if iid in self.integrations and not any(
            c["integration_id"] == iid for c in self.connections.values()
        ):
            self.integrations[iid]["status"] = "disconnected"
        return Reply.empty(204)

    # ------------------------------------------------------------------ MCP servers

    def new_mcp_server(self, fields: Mapping[str, Any]) -> JSON:
        """Create and store an MCP server from request-shaped ``fields``."""
        server: JSON = {
            "id": str(fields.get("id") or new_id()),
            "name": fields["name"],
            "type": fields["type"],
            "url": fields["url"],
            "api_key_ref": fields.get("api_key_ref"),
            "allowed_tools": copy.deepcopy(fields.get("allowed_tools")),
            "created_at": self.wall(),
        }
        self.mcp_servers[server["id"]] = server
        return server

    def _mcp(self, call: Call) -> JSON:
        mid = call.params["mcp_server_id"]
        found = self.mcp_servers.get(mid)
        if found is None:
            raise ApiError.not_found(f"MCP server {mid} not found.")
        return found

    def list_mcp(self, call: Call) -> Reply:
        kind, url = call.q("type"), call.q("url")
        items = [
            copy.deepcopy(s)
            for s in self.mcp_servers.values()
            if (kind is None or s["type"] == kind) and (url is None or s["url"] == url)
        ]
        page, _ = self._page(call, items, default_size=20, max_size=100)
        return Reply(200, page)

    def create_mcp(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self.new_mcp_server(call.body)))

    def get_mcp(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self._mcp(call)))

    def update_mcp(self, call: Call) -> Reply:
        server = self._mcp(call)
        for key in ("name", "type", "url", "api_key_ref", "allowed_tools"):
            if key in call.body:
                server[key] = copy.deepcopy(call.body[key])
        return Reply(200, copy.deepcopy(server))

    def delete_mcp(self, call: Call) -> Reply:
        server = self._mcp(call)
        del self.mcp_servers[server["id"]]
        return Reply.empty(200)

    # ------------------------------------------------------------------ shared tools

    def new_tool(self, fields: Mapping[str, Any]) -> JSON:
        """Create and store a shared tool from request-shaped ``fields``."""
        kind = str(fields["type"])
        definition = fields.get(kind)
        tool: JSON = {
            "id": str(fields.get("id") or new_id()),
            "type": kind,
            "display_name": fields["display_name"],
            "timeout_ms": fields.get("timeout_ms", 5000),
            "tool_definition": copy.deepcopy(definition) if _is_object(definition) else {},
            "created_at": self.wall(),
        }
        self.tools[tool["id"]] = tool
        return tool

    def list_tools(self, call: Call) -> Reply:
        kind, name = call.q("filter[type]"), call.q("filter[name]")
        needle = name.lower() if name is not None else None
        items = [
            copy.deepcopy(t)
            for t in self.tools.values()
            if (kind is None or t["type"] == kind)
            and (
                needle is None
                or needle in str(t.get("display_name", "")).lower()
                or needle == str(t["tool_definition"].get("name", "")).lower()
            )
        ]
        page, meta = self._page(call, items, default_size=20, max_size=100)
        return Reply(200, {"data": page, "meta": meta})

    def create_tool(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self.new_tool(call.body)))

    def get_tool(self, call: Call) -> Reply:
        return Reply(200, copy.deepcopy(self._shared_tool(call.params["tool_id"])))

    def update_tool(self, call: Call) -> Reply:
        tool = self._shared_tool(call.params["tool_id"])
        body = call.body
        for key in ("display_name", "timeout_ms", "type"):
            if key in body:
                tool[key] = body[key]
        definition = body.get(tool["type"])
        if _is_object(definition):
            tool["tool_definition"] = copy.deepcopy(definition)
        return Reply(200, copy.deepcopy(tool))

    def delete_tool(self, call: Call) -> Reply:
        tool = self._shared_tool(call.params["tool_id"])
        del self.tools[tool["id"]]
        return Reply(200, {})

    # ------------------------------------------------------------------ errors

    @staticmethod
    def unknown_path() -> ApiError:
        """The 404 for a path that is not part of the API."""
        return ApiError(404, telnyx_error(404, "No route matches this path."))
