"""The fake's route table: every operation of the API as (method, path template, handler).

That is every operation of the spec beside the repo, and the newer ones
``scripts/spec_overlay.json`` lists (restore, WhatsApp, the Recently Deleted
list). ``_server.py`` registers each row on aiohttp's router under ``/v2``,
the most specific template first (``/ai/assistants/deleted`` before
``/ai/assistants/{assistant_id}``). Which body an operation takes, and the
rules it must meet, come from the generated ``_body_rules.py``; whether an
operation honours ``Idempotency-Key`` is the fake's own behaviour and is said
here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ._body_rules import OPERATION_BODIES
from ._exchange import Call, Reply
from ._handlers import (
    assistants,
    canary_deploys,
    deleted,
    integrations,
    mcp_servers,
    scheduled_events,
    suites,
    tests_and_runs,
    tools,
    versions,
)
from ._rules import RequestBody
from ._state import FakeState

__all__ = ["ROUTES", "TEMPLATES", "Handler", "Route"]

Handler = Callable[[FakeState, Call], Reply]
"""What serves one operation: it reads and changes the state and returns the answer."""


@dataclass(frozen=True)
class Route:
    """One operation of the API and the handler that serves it."""

    method: str
    """The HTTP method, upper-case."""
    template: str
    """The spec's path template, e.g. ``/ai/assistants/{assistant_id}`` (no ``/v2``)."""
    handler: Handler
    """The function that answers it."""
    idempotent: bool = False
    """Whether a repeated ``Idempotency-Key`` replays the first answer."""

    @property
    def body(self) -> RequestBody | None:
        """The JSON body the operation takes, from the spec; ``None`` if it takes none."""
        return OPERATION_BODIES.get((self.method, self.template))


_A = "/ai/assistants"
_ONE = f"{_A}/{{assistant_id}}"
_TESTS = f"{_A}/tests"
_TEST = f"{_TESTS}/{{test_id}}"
_SUITE_RUNS = f"{_TESTS}/test-suites/{{suite_name}}/runs"
_VERSION = f"{_ONE}/versions/{{version_id}}"
_EVENT = f"{_ONE}/scheduled_events/{{event_id}}"
_CANARY = f"{_ONE}/canary-deploys"
_CONNECTION = "/ai/integrations/connections/{user_connection_id}"
_MCP = "/ai/mcp_servers/{mcp_server_id}"
_TOOL = "/ai/tools/{tool_id}"

_TABLE: tuple[Route, ...] = (
    # assistants
    Route("GET", _A, assistants.list_assistants),
    Route("POST", _A, assistants.create_assistant),
    Route("POST", f"{_A}/import", assistants.import_assistants),
    Route("GET", f"{_A}/tags", assistants.list_all_tags),
    Route("GET", _ONE, assistants.get_assistant),
    Route("POST", _ONE, assistants.update_assistant),
    Route("POST", f"{_ONE}/chat", assistants.chat),
    Route("POST", f"{_ONE}/chat/sms", assistants.chat_sms),
    Route("POST", f"{_ONE}/chat/whatsapp", assistants.chat_whatsapp, idempotent=True),
    Route("POST", f"{_ONE}/clone", assistants.clone_assistant),
    Route("POST", f"{_ONE}/instructions/enhance", assistants.enhance_instructions),
    Route("GET", f"{_ONE}/texml", assistants.get_texml),
    Route("POST", f"{_ONE}/tags", assistants.add_tag),
    Route("DELETE", f"{_ONE}/tags/{{tag}}", assistants.remove_tag),
    # deleting, and the Recently Deleted list
    Route("DELETE", _ONE, deleted.delete_assistant),
    Route("GET", f"{_A}/deleted", deleted.list_deleted),
    Route("GET", f"{_ONE}/deleted", deleted.get_deleted),
    Route("POST", f"{_ONE}/restore", deleted.restore_assistant, idempotent=True),
    # tests and runs
    Route("GET", _TESTS, tests_and_runs.list_tests),
    Route("POST", _TESTS, tests_and_runs.create_test, idempotent=True),
    Route("DELETE", _TEST, tests_and_runs.delete_test),
    Route("GET", _TEST, tests_and_runs.get_test),
    Route("PUT", _TEST, tests_and_runs.update_test),
    Route("GET", f"{_TEST}/runs", tests_and_runs.list_runs),
    Route("POST", f"{_TEST}/runs", tests_and_runs.trigger_run, idempotent=True),
    Route("GET", f"{_TEST}/runs/{{run_id}}", tests_and_runs.get_run),
    # suites
    Route("GET", f"{_TESTS}/test-suites", suites.list_suites),
    Route("GET", _SUITE_RUNS, suites.list_suite_runs),
    Route("POST", _SUITE_RUNS, suites.trigger_suite, idempotent=True),
    # versions
    Route("GET", f"{_ONE}/versions", versions.list_versions),
    Route("DELETE", _VERSION, versions.delete_version),
    Route("GET", _VERSION, versions.get_version),
    Route("POST", _VERSION, versions.update_version),
    Route("POST", f"{_VERSION}/promote", versions.promote_version),
    # canary deploys
    Route("DELETE", _CANARY, canary_deploys.delete_canary),
    Route("GET", _CANARY, canary_deploys.get_canary),
    Route("POST", _CANARY, canary_deploys.create_canary, idempotent=True),
    Route("PUT", _CANARY, canary_deploys.update_canary),
    # scheduled events
    Route("GET", f"{_ONE}/scheduled_events", scheduled_events.list_events),
    Route("POST", f"{_ONE}/scheduled_events", scheduled_events.create_event),
    Route("DELETE", _EVENT, scheduled_events.delete_event),
    Route("GET", _EVENT, scheduled_events.get_event),
    # tools: the shared library and an assistant's own
    Route("GET", "/ai/tools", tools.list_tools),
    Route("POST", "/ai/tools", tools.create_tool),
    Route("DELETE", _TOOL, tools.delete_tool),
    Route("GET", _TOOL, tools.get_tool),
    Route("PATCH", _TOOL, tools.update_tool),
    Route("DELETE", f"{_ONE}/tools/{{tool_id}}", tools.remove_assistant_tool),
    Route("PUT", f"{_ONE}/tools/{{tool_id}}", tools.add_assistant_tool),
    Route("POST", f"{_ONE}/tools/{{tool_id}}/test", tools.test_assistant_tool),
    # integrations
    Route("GET", "/ai/integrations", integrations.list_integrations),
    Route("GET", "/ai/integrations/connections", integrations.list_connections),
    Route("DELETE", _CONNECTION, integrations.delete_connection),
    Route("GET", _CONNECTION, integrations.get_connection),
    Route("GET", "/ai/integrations/{integration_id}", integrations.get_integration),
    # MCP servers
    Route("GET", "/ai/mcp_servers", mcp_servers.list_mcp),
    Route("POST", "/ai/mcp_servers", mcp_servers.create_mcp),
    Route("DELETE", _MCP, mcp_servers.delete_mcp),
    Route("GET", _MCP, mcp_servers.get_mcp),
    Route("PUT", _MCP, mcp_servers.update_mcp),
)


def specificity(template: str) -> tuple[int, ...]:
    """How specific a template is: literal segments rank before parameters, left to right."""
    return tuple(0 if part.startswith("{") else 1 for part in template.strip("/").split("/"))


ROUTES: tuple[Route, ...] = tuple(
    sorted(_TABLE, key=lambda r: specificity(r.template), reverse=True)
)
"""Every route, most specific template first (the order they are registered in)."""

TEMPLATES: frozenset[str] = frozenset(r.template for r in ROUTES)
"""Every path template of the API (the spec's and the newer ones)."""
