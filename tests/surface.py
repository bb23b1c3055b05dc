"""The API surface as data: every operation of the spec, the SDK method it maps to, a real call.

``OPERATIONS`` is keyed by ``(HTTP method, spec path)``. Each :class:`Operation`
names its method by dotted path from the client (``"ai.assistants.tests.runs.trigger"``),
the return type the method declares (as written in ``docs/reference/operations.md``)
and ``call``: a small function that invokes the method with realistic,
spec-valid arguments, taking path IDs from ``ids`` (see :data:`IDS`).

``call(client, ids)`` returns what the method returns: a coroutine for most
methods, an :class:`~telnyx_async.AsyncPager` (itself awaitable, for the first
page) for paged lists. :meth:`Operation.invoke` awaits the coroutine and hands
back the pager as is.

Not a test module: ``tests/test_surface.py`` and ``tests/contract/`` import it.
"""

from __future__ import annotations

import datetime
import inspect
import json
import re
import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from telnyx_async import AsyncTelnyx

__all__ = [
    "API_SURFACE_PATH",
    "DOCS_TABLE_PATH",
    "HTTP_METHODS",
    "IDS",
    "NEWER_OPERATIONS",
    "OFFICIAL_ASYNC_METHODS",
    "OFFICIAL_PAGINATED",
    "OFFICIAL_SDK_VERSION",
    "OPERATIONS",
    "OVERLAY_PATH",
    "REPO_ROOT",
    "SPEC_PATH",
    "Operation",
    "annotation_name",
    "load_spec",
    "overlay_operations",
    "parse_markdown_table",
    "resolve",
    "return_annotation",
    "return_type",
    "signature_text",
    "spec_operations",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT / ".." / "shared"
SPEC_PATH = SHARED_DIR / "spec" / "telnyx-ai-assistants.openapi.json"
"""The OpenAPI document, beside the repo (never copied into it)."""
API_SURFACE_PATH = SHARED_DIR / "API-SURFACE.md"
"""The agreed operation -> method table, beside the repo."""
DOCS_TABLE_PATH = REPO_ROOT / "docs" / "reference" / "operations.md"
"""Our own reference table, kept honest by ``tests/test_surface.py``."""

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

IDS: Mapping[str, str] = {
    "assistant_id": "assistant-3f1c2a9e",
    "event_id": "evt_5b2d7c",
    "integration_id": "int_hubspot",
    "mcp_server_id": "mcp_7a1e90",
    "run_id": "run_0c4f8d",
    "suite_name": "checkout-flows",
    "tag": "production",
    "test_id": "test_9e2b41",
    "tool_id": "tool_4d8a6c",
    "user_connection_id": "conn_2f6b13",
    "version_id": "ver_1b7e55",
}
"""Placeholder path IDs, one per path parameter name in the spec."""

Ids = Mapping[str, str]
Call = Callable[["AsyncTelnyx", Ids], Awaitable[Any]]


@dataclass(frozen=True)
class Operation:
    """One API operation as the SDK exposes it."""

    method: str
    """Dotted path from the client: ``"ai.assistants.tests.runs.trigger"``."""
    call: Call
    """``call(client, ids)``: invoke the method with realistic arguments."""
    returns: str
    """The declared return type, spelled as in the docs table (``"AsyncPager[Assistant]"``)."""

    async def invoke(self, client: AsyncTelnyx, ids: Ids = IDS) -> Any:
        """Run ``call``: the awaited result, or the (unawaited) pager for paged lists."""
        result = self.call(client, ids)
        if inspect.iscoroutine(result):
            return await result
        return result


# ---------------------------------------------------------------- realistic arguments

_RUBRIC = [
    {"name": "Accuracy", "criteria": "Quotes the correct refund policy"},
    {"name": "Empathy", "criteria": "Acknowledges the customer's frustration"},
]
_WHEN = datetime.datetime(2030, 4, 15, 13, 7, 28, tzinfo=datetime.timezone.utc)
_WEBHOOK = {
    "name": "lookup_order",
    "description": "Look up an order by its number",
    "url": "https://example.com/hooks/orders",
    "method": "POST",
}

OPERATIONS: dict[tuple[str, str], Operation] = {
    # ------------------------------------------------------------ assistants
    ("GET", "/ai/assistants"): Operation(
        "ai.assistants.list",
        lambda c, ids: c.ai.assistants.list(),
        "AsyncPager[Assistant]",
    ),
    ("POST", "/ai/assistants"): Operation(
        "ai.assistants.create",
        lambda c, ids: c.ai.assistants.create(
            instructions="You are a friendly support agent for Acme Shoes.",
            name="Acme support",
            model="openai/gpt-4o",
            tags=["support"],
        ),
        "Assistant",
    ),
    ("POST", "/ai/assistants/import"): Operation(
        "ai.assistants.imports",
        lambda c, ids: c.ai.assistants.imports(
            api_key_ref="elevenlabs_api_key", provider="elevenlabs"
        ),
        "AssistantsListData",
    ),
    ("GET", "/ai/assistants/{assistant_id}"): Operation(
        "ai.assistants.retrieve",
        lambda c, ids: c.ai.assistants.retrieve(ids["assistant_id"]),
        "Assistant",
    ),
    ("POST", "/ai/assistants/{assistant_id}"): Operation(
        "ai.assistants.update",
        lambda c, ids: c.ai.assistants.update(
            ids["assistant_id"],
            greeting="Hi! How can I help with your order today?",
            promote_to_main=False,
        ),
        "Assistant",
    ),
    ("DELETE", "/ai/assistants/{assistant_id}"): Operation(
        "ai.assistants.delete",
        lambda c, ids: c.ai.assistants.delete(ids["assistant_id"]),
        "AssistantDeletedResponse",
    ),
    ("POST", "/ai/assistants/{assistant_id}/chat"): Operation(
        "ai.assistants.chat",
        lambda c, ids: c.ai.assistants.chat(
            ids["assistant_id"],
            content="Where is my order #1042?",
            conversation_id="42b20469-1215-4a9a-8964-c36f66b406f4",
        ),
        "AssistantChatResponse",
    ),
    ("POST", "/ai/assistants/{assistant_id}/chat/sms"): Operation(
        "ai.assistants.send_sms",
        lambda c, ids: c.ai.assistants.send_sms(
            ids["assistant_id"],
            from_="+15557654321",
            to="+15551234567",
            text="Hi, this is Acme following up on your order.",
        ),
        "AssistantSmsChatResponse",
    ),
    ("POST", "/ai/assistants/{assistant_id}/clone"): Operation(
        "ai.assistants.clone",
        lambda c, ids: c.ai.assistants.clone(ids["assistant_id"]),
        "Assistant",
    ),
    ("GET", "/ai/assistants/{assistant_id}/texml"): Operation(
        "ai.assistants.get_texml",
        lambda c, ids: c.ai.assistants.get_texml(ids["assistant_id"]),
        "str",
    ),
    # ------------------------------------------------------------ tags
    ("GET", "/ai/assistants/tags"): Operation(
        "ai.assistants.tags.list",
        lambda c, ids: c.ai.assistants.tags.list(),
        "TagsResponse",
    ),
    ("POST", "/ai/assistants/{assistant_id}/tags"): Operation(
        "ai.assistants.tags.add",
        lambda c, ids: c.ai.assistants.tags.add(ids["assistant_id"], tag=ids["tag"]),
        "TagsResponse",
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/tags/{tag}"): Operation(
        "ai.assistants.tags.remove",
        lambda c, ids: c.ai.assistants.tags.remove(ids["tag"], assistant_id=ids["assistant_id"]),
        "TagsResponse",
    ),
    # ------------------------------------------------------------ tests
    ("GET", "/ai/assistants/tests"): Operation(
        "ai.assistants.tests.list",
        lambda c, ids: c.ai.assistants.tests.list(test_suite=ids["suite_name"]),
        "AsyncPager[AssistantTestResponse]",
    ),
    ("POST", "/ai/assistants/tests"): Operation(
        "ai.assistants.tests.create",
        lambda c, ids: c.ai.assistants.tests.create(
            destination="+15551234567",
            instructions="Act as a customer whose shoes arrived damaged; ask for a refund.",
            name="Damaged delivery refund",
            rubric=_RUBRIC,
            max_duration_seconds=300,
            test_suite=ids["suite_name"],
        ),
        "AssistantTestResponse",
    ),
    ("GET", "/ai/assistants/tests/{test_id}"): Operation(
        "ai.assistants.tests.retrieve",
        lambda c, ids: c.ai.assistants.tests.retrieve(ids["test_id"]),
        "AssistantTestResponse",
    ),
    ("PUT", "/ai/assistants/tests/{test_id}"): Operation(
        "ai.assistants.tests.update",
        lambda c, ids: c.ai.assistants.tests.update(
            ids["test_id"], name="Damaged delivery refund (v2)", rubric=_RUBRIC[:1]
        ),
        "AssistantTestResponse",
    ),
    ("DELETE", "/ai/assistants/tests/{test_id}"): Operation(
        "ai.assistants.tests.delete",
        lambda c, ids: c.ai.assistants.tests.delete(ids["test_id"]),
        "None",
    ),
    ("GET", "/ai/assistants/tests/test-suites"): Operation(
        "ai.assistants.tests.test_suites.list",
        lambda c, ids: c.ai.assistants.tests.test_suites.list(),
        "TestSuitesResponse",
    ),
    ("GET", "/ai/assistants/tests/test-suites/{suite_name}/runs"): Operation(
        "ai.assistants.tests.test_suites.runs.list",
        lambda c, ids: c.ai.assistants.tests.test_suites.runs.list(ids["suite_name"]),
        "AsyncPager[TestRunResponse]",
    ),
    ("POST", "/ai/assistants/tests/test-suites/{suite_name}/runs"): Operation(
        "ai.assistants.tests.test_suites.runs.trigger",
        lambda c, ids: c.ai.assistants.tests.test_suites.runs.trigger(ids["suite_name"]),
        "list[TestRunResponse]",
    ),
    ("GET", "/ai/assistants/tests/{test_id}/runs"): Operation(
        "ai.assistants.tests.runs.list",
        lambda c, ids: c.ai.assistants.tests.runs.list(ids["test_id"], status="completed"),
        "AsyncPager[TestRunResponse]",
    ),
    ("POST", "/ai/assistants/tests/{test_id}/runs"): Operation(
        "ai.assistants.tests.runs.trigger",
        lambda c, ids: c.ai.assistants.tests.runs.trigger(
            ids["test_id"], destination_version_id=ids["version_id"]
        ),
        "TestRunResponse",
    ),
    ("GET", "/ai/assistants/tests/{test_id}/runs/{run_id}"): Operation(
        "ai.assistants.tests.runs.retrieve",
        lambda c, ids: c.ai.assistants.tests.runs.retrieve(ids["run_id"], test_id=ids["test_id"]),
        "TestRunResponse",
    ),
    # ------------------------------------------------------------ canary deploys
    ("GET", "/ai/assistants/{assistant_id}/canary-deploys"): Operation(
        "ai.assistants.canary_deploys.retrieve",
        lambda c, ids: c.ai.assistants.canary_deploys.retrieve(ids["assistant_id"]),
        "CanaryDeployResponse",
    ),
    ("POST", "/ai/assistants/{assistant_id}/canary-deploys"): Operation(
        "ai.assistants.canary_deploys.create",
        lambda c, ids: c.ai.assistants.canary_deploys.create(
            ids["assistant_id"], rules=[{"serve": {"version_id": ids["version_id"]}}]
        ),
        "CanaryDeployResponse",
    ),
    ("PUT", "/ai/assistants/{assistant_id}/canary-deploys"): Operation(
        "ai.assistants.canary_deploys.update",
        lambda c, ids: c.ai.assistants.canary_deploys.update(
            ids["assistant_id"],
            rules=[{"serve": {"rollout": [{"version_id": ids["version_id"], "weight": 10}]}}],
        ),
        "CanaryDeployResponse",
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/canary-deploys"): Operation(
        "ai.assistants.canary_deploys.delete",
        lambda c, ids: c.ai.assistants.canary_deploys.delete(ids["assistant_id"]),
        "None",
    ),
    # ------------------------------------------------------------ instructions
    ("POST", "/ai/assistants/{assistant_id}/instructions/enhance"): Operation(
        "ai.assistants.instructions.enhance",
        lambda c, ids: c.ai.assistants.instructions.enhance(
            ids["assistant_id"], enhancement_prompt="Make it shorter and more polite."
        ),
        "str",
    ),
    # ------------------------------------------------------------ scheduled events
    ("GET", "/ai/assistants/{assistant_id}/scheduled_events"): Operation(
        "ai.assistants.scheduled_events.list",
        lambda c, ids: c.ai.assistants.scheduled_events.list(
            ids["assistant_id"], from_date=_WHEN, conversation_channel="phone_call"
        ),
        "AsyncPager[ScheduledEventResponse]",
    ),
    ("POST", "/ai/assistants/{assistant_id}/scheduled_events"): Operation(
        "ai.assistants.scheduled_events.create",
        lambda c, ids: c.ai.assistants.scheduled_events.create(
            ids["assistant_id"],
            scheduled_at_fixed_datetime=_WHEN,
            telnyx_agent_target="+15557654321",
            telnyx_conversation_channel="sms_chat",
            telnyx_end_user_target="+15551234567",
            text="Reminder: your appointment is tomorrow at 10am.",
        ),
        "ScheduledEventResponse",
    ),
    ("GET", "/ai/assistants/{assistant_id}/scheduled_events/{event_id}"): Operation(
        "ai.assistants.scheduled_events.retrieve",
        lambda c, ids: c.ai.assistants.scheduled_events.retrieve(
            ids["event_id"], assistant_id=ids["assistant_id"]
        ),
        "ScheduledEventResponse",
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/scheduled_events/{event_id}"): Operation(
        "ai.assistants.scheduled_events.delete",
        lambda c, ids: c.ai.assistants.scheduled_events.delete(
            ids["event_id"], assistant_id=ids["assistant_id"]
        ),
        "None",
    ),
    # ------------------------------------------------------------ assistant tools
    ("PUT", "/ai/assistants/{assistant_id}/tools/{tool_id}"): Operation(
        "ai.assistants.tools.add",
        lambda c, ids: c.ai.assistants.tools.add(ids["tool_id"], assistant_id=ids["assistant_id"]),
        "dict[str, Any]",
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/tools/{tool_id}"): Operation(
        "ai.assistants.tools.remove",
        lambda c, ids: c.ai.assistants.tools.remove(
            ids["tool_id"], assistant_id=ids["assistant_id"]
        ),
        "dict[str, Any]",
    ),
    ("POST", "/ai/assistants/{assistant_id}/tools/{tool_id}/test"): Operation(
        "ai.assistants.tools.test",
        lambda c, ids: c.ai.assistants.tools.test(
            ids["tool_id"],
            assistant_id=ids["assistant_id"],
            arguments={"order_number": "1042"},
            dynamic_variables={"customer_name": "Ada"},
        ),
        "TestWebhookToolResponseData",
    ),
    # ------------------------------------------------------------ versions
    ("GET", "/ai/assistants/{assistant_id}/versions"): Operation(
        "ai.assistants.versions.list",
        lambda c, ids: c.ai.assistants.versions.list(ids["assistant_id"]),
        "AssistantsListData",
    ),
    ("GET", "/ai/assistants/{assistant_id}/versions/{version_id}"): Operation(
        "ai.assistants.versions.retrieve",
        lambda c, ids: c.ai.assistants.versions.retrieve(
            ids["version_id"], assistant_id=ids["assistant_id"], include_mcp_servers=True
        ),
        "Assistant",
    ),
    ("POST", "/ai/assistants/{assistant_id}/versions/{version_id}"): Operation(
        "ai.assistants.versions.update",
        lambda c, ids: c.ai.assistants.versions.update(
            ids["version_id"],
            assistant_id=ids["assistant_id"],
            version_name="spring-promo",
            instructions="You are a friendly support agent. Mention the spring sale.",
        ),
        "Assistant",
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/versions/{version_id}"): Operation(
        "ai.assistants.versions.delete",
        lambda c, ids: c.ai.assistants.versions.delete(
            ids["version_id"], assistant_id=ids["assistant_id"]
        ),
        "None",
    ),
    ("POST", "/ai/assistants/{assistant_id}/versions/{version_id}/promote"): Operation(
        "ai.assistants.versions.promote",
        lambda c, ids: c.ai.assistants.versions.promote(
            ids["version_id"], assistant_id=ids["assistant_id"]
        ),
        "Assistant",
    ),
    # ------------------------------------------------------------ integrations
    ("GET", "/ai/integrations"): Operation(
        "ai.integrations.list",
        lambda c, ids: c.ai.integrations.list(),
        "IntegrationsListResponse",
    ),
    ("GET", "/ai/integrations/{integration_id}"): Operation(
        "ai.integrations.retrieve",
        lambda c, ids: c.ai.integrations.retrieve(ids["integration_id"]),
        "Integration",
    ),
    ("GET", "/ai/integrations/connections"): Operation(
        "ai.integrations.connections.list",
        lambda c, ids: c.ai.integrations.connections.list(),
        "IntegrationConnectionsListResponse",
    ),
    ("GET", "/ai/integrations/connections/{user_connection_id}"): Operation(
        "ai.integrations.connections.retrieve",
        lambda c, ids: c.ai.integrations.connections.retrieve(ids["user_connection_id"]),
        "IntegrationConnectionResponse",
    ),
    ("DELETE", "/ai/integrations/connections/{user_connection_id}"): Operation(
        "ai.integrations.connections.delete",
        lambda c, ids: c.ai.integrations.connections.delete(ids["user_connection_id"]),
        "None",
    ),
    # ------------------------------------------------------------ MCP servers
    ("GET", "/ai/mcp_servers"): Operation(
        "ai.mcp_servers.list",
        lambda c, ids: c.ai.mcp_servers.list(type="sse", page_size=20),
        "AsyncPager[MCPServer]",
    ),
    ("POST", "/ai/mcp_servers"): Operation(
        "ai.mcp_servers.create",
        lambda c, ids: c.ai.mcp_servers.create(
            name="Order lookup",
            type="sse",
            url="https://mcp.example.com/sse",
            allowed_tools=["lookup_order"],
        ),
        "MCPServer",
    ),
    ("GET", "/ai/mcp_servers/{mcp_server_id}"): Operation(
        "ai.mcp_servers.retrieve",
        lambda c, ids: c.ai.mcp_servers.retrieve(ids["mcp_server_id"]),
        "MCPServer",
    ),
    ("PUT", "/ai/mcp_servers/{mcp_server_id}"): Operation(
        "ai.mcp_servers.update",
        lambda c, ids: c.ai.mcp_servers.update(
            ids["mcp_server_id"], url="https://mcp.example.com/v2/sse", api_key_ref=None
        ),
        "MCPServer",
    ),
    ("DELETE", "/ai/mcp_servers/{mcp_server_id}"): Operation(
        "ai.mcp_servers.delete",
        lambda c, ids: c.ai.mcp_servers.delete(ids["mcp_server_id"]),
        "None",
    ),
    # ------------------------------------------------------------ shared tools
    ("GET", "/ai/tools"): Operation(
        "ai.tools.list",
        lambda c, ids: c.ai.tools.list(filter_type="webhook", page_size=50),
        "AsyncPager[SharedToolResponse]",
    ),
    ("POST", "/ai/tools"): Operation(
        "ai.tools.create",
        lambda c, ids: c.ai.tools.create(
            display_name="Look up order", type="webhook", webhook=_WEBHOOK, timeout_ms=4000
        ),
        "SharedToolResponse",
    ),
    ("GET", "/ai/tools/{tool_id}"): Operation(
        "ai.tools.retrieve",
        lambda c, ids: c.ai.tools.retrieve(ids["tool_id"]),
        "SharedToolResponse",
    ),
    ("PATCH", "/ai/tools/{tool_id}"): Operation(
        "ai.tools.update",
        lambda c, ids: c.ai.tools.update(ids["tool_id"], display_name="Find order"),
        "SharedToolResponse",
    ),
    ("DELETE", "/ai/tools/{tool_id}"): Operation(
        "ai.tools.delete",
        lambda c, ids: c.ai.tools.delete(ids["tool_id"]),
        "dict[str, Any]",
    ),
}


# ---------------------------------------------------------------- the newer API

OVERLAY_PATH = REPO_ROOT / "scripts" / "spec_overlay.json"
"""What the newer API has that the spec lacks (the generator lays it over the spec)."""

NEWER_OPERATIONS: dict[tuple[str, str], Operation] = {
    ("POST", "/ai/assistants/{assistant_id}/restore"): Operation(
        "ai.assistants.restore",
        lambda c, ids: c.ai.assistants.restore(ids["assistant_id"]),
        "Assistant",
    ),
    ("POST", "/ai/assistants/{assistant_id}/chat/whatsapp"): Operation(
        "ai.assistants.whatsapp",
        lambda c, ids: c.ai.assistants.whatsapp(
            ids["assistant_id"], content="Send the login code 482913.",
            from_="+15550001111", to="+15550002222",
        ),
        "AssistantWhatsappResponse",
    ),
    ("GET", "/ai/assistants/deleted"): Operation(
        "ai.assistants.deleted.list",
        lambda c, ids: c.ai.assistants.deleted.list(),
        "AsyncPager[DeletedAssistant]",
    ),
    ("GET", "/ai/assistants/{assistant_id}/deleted"): Operation(
        "ai.assistants.deleted.get",
        lambda c, ids: c.ai.assistants.deleted.get(ids["assistant_id"]),
        "DeletedAssistant",
    ),
}
"""The operations of the newer API (``scripts/spec_overlay.json``), registered as OPERATIONS is.

Kept apart because the spec beside the repo does not have them (the spec
checks of ``tests/test_surface.py`` hold OPERATIONS to the spec one to one);
once a newer spec has them, they move into OPERATIONS.
"""


def overlay_operations() -> list[tuple[str, str]]:
    """Every ``(HTTP method, path)`` the overlay's ``paths`` names, in file order."""
    overlay = json.loads(OVERLAY_PATH.read_text(encoding="utf-8"))
    return [
        (method.upper(), path)
        for path, item in overlay.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS
    ]


# ---------------------------------------------------------------- the official SDK

OFFICIAL_SDK_VERSION = "4.189.0"
OFFICIAL_ASYNC_METHODS: dict[str, tuple[str, ...]] = {
    "ai.assistants.canary_deploys.create": ("assistant_id", "*", "rules=", "idempotency_key="),
    "ai.assistants.canary_deploys.delete": ("assistant_id",),
    "ai.assistants.canary_deploys.retrieve": ("assistant_id",),
    "ai.assistants.canary_deploys.update": ("assistant_id", "*", "rules="),
    "ai.assistants.chat": ("assistant_id", "*", "content", "conversation_id", "name=", "stream="),
    "ai.assistants.clone": ("assistant_id", "*", "idempotency_key="),
    "ai.assistants.create": (
        "*", "instructions", "name", "a2a_agents=", "avatar_settings=", "conversation_flow=",
        "delegation_settings=", "description=", "dynamic_variables=",
        "dynamic_variables_webhook_timeout_ms=", "dynamic_variables_webhook_url=",
        "enabled_features=", "external_llm=", "fallback_config=", "greeting=", "insight_settings=",
        "integrations=", "interruption_settings=", "llm_api_key_ref=", "mcp_servers=",
        "messaging_settings=", "model=", "observability_settings=", "post_conversation_settings=",
        "privacy_settings=", "tags=", "telephony_settings=", "tool_ids=", "tools=",
        "transcription=", "voice_settings=", "websocket_settings=", "widget_settings=",
        "idempotency_key=",
    ),
    "ai.assistants.delete": ("assistant_id", "*", "hard_delete="),
    "ai.assistants.deleted.get": ("assistant_id",),
    "ai.assistants.deleted.list": ("*", "page_number=", "page_size="),
    "ai.assistants.get_texml": ("assistant_id",),
    "ai.assistants.imports": ("*", "api_key_ref", "provider", "import_ids=", "idempotency_key="),
    "ai.assistants.instructions.enhance": (
        "assistant_id", "*", "enhancement_prompt=", "instructions=",
    ),
    "ai.assistants.list": (),
    "ai.assistants.restore": ("assistant_id",),
    "ai.assistants.retrieve": (
        "assistant_id", "*", "call_control_id=", "fetch_dynamic_variables_from_webhook=", "from_=",
        "to=",
    ),
    "ai.assistants.scheduled_events.create": (
        "assistant_id", "*", "scheduled_at_fixed_datetime", "telnyx_agent_target",
        "telnyx_conversation_channel", "telnyx_end_user_target", "call_settings=",
        "conversation_metadata=", "dynamic_variables=", "max_retries_client_errors=",
        "retry_interval_secs=", "text=", "idempotency_key=",
    ),
    "ai.assistants.scheduled_events.delete": ("event_id", "*", "assistant_id"),
    "ai.assistants.scheduled_events.list": (
        "assistant_id", "*", "conversation_channel=", "from_date=", "page_number=", "page_size=",
        "to_date=",
    ),
    "ai.assistants.scheduled_events.retrieve": ("event_id", "*", "assistant_id"),
    "ai.assistants.send_sms": (
        "assistant_id", "*", "from_", "to", "conversation_metadata=", "should_create_conversation=",
        "text=", "idempotency_key=",
    ),
    "ai.assistants.tags.add": ("assistant_id", "*", "tag"),
    "ai.assistants.tags.list": (),
    "ai.assistants.tags.remove": ("tag", "*", "assistant_id"),
    "ai.assistants.tests.create": (
        "*", "destination", "instructions", "name", "rubric", "description=",
        "max_duration_seconds=", "telnyx_conversation_channel=", "test_suite=", "idempotency_key=",
    ),
    "ai.assistants.tests.delete": ("test_id",),
    "ai.assistants.tests.list": (
        "*", "destination=", "page_number=", "page_size=", "telnyx_conversation_channel=",
        "test_suite=",
    ),
    "ai.assistants.tests.retrieve": ("test_id",),
    "ai.assistants.tests.runs.list": ("test_id", "*", "page_number=", "page_size=", "status="),
    "ai.assistants.tests.runs.retrieve": ("run_id", "*", "test_id"),
    "ai.assistants.tests.runs.trigger": (
        "test_id", "*", "destination_version_id=", "idempotency_key=",
    ),
    "ai.assistants.tests.test_suites.list": (),
    "ai.assistants.tests.test_suites.runs.list": (
        "suite_name", "*", "page_number=", "page_size=", "status=", "test_suite_run_id=",
    ),
    "ai.assistants.tests.test_suites.runs.trigger": (
        "suite_name", "*", "destination_version_id=", "idempotency_key=",
    ),
    "ai.assistants.tests.update": (
        "test_id", "*", "description=", "destination=", "instructions=", "max_duration_seconds=",
        "name=", "rubric=", "telnyx_conversation_channel=", "test_suite=",
    ),
    "ai.assistants.tools.add": ("tool_id", "*", "assistant_id"),
    "ai.assistants.tools.remove": ("tool_id", "*", "assistant_id"),
    "ai.assistants.tools.test": (
        "tool_id", "*", "assistant_id", "arguments=", "dynamic_variables=",
    ),
    "ai.assistants.update": (
        "assistant_id", "*", "a2a_agents=", "avatar_settings=", "conversation_flow=",
        "delegation_settings=", "description=", "dynamic_variables=",
        "dynamic_variables_webhook_timeout_ms=", "dynamic_variables_webhook_url=",
        "enabled_features=", "external_llm=", "fallback_config=", "greeting=", "insight_settings=",
        "instructions=", "integrations=", "interruption_settings=", "llm_api_key_ref=",
        "mcp_servers=", "messaging_settings=", "model=", "name=", "observability_settings=",
        "post_conversation_settings=", "privacy_settings=", "promote_to_main=", "tags=",
        "telephony_settings=", "tool_ids=", "tools=", "transcription=", "version_name=",
        "voice_settings=", "websocket_settings=", "widget_settings=",
    ),
    "ai.assistants.versions.delete": ("version_id", "*", "assistant_id"),
    "ai.assistants.versions.list": ("assistant_id",),
    "ai.assistants.versions.promote": ("version_id", "*", "assistant_id"),
    "ai.assistants.versions.retrieve": ("version_id", "*", "assistant_id", "include_mcp_servers="),
    "ai.assistants.versions.update": (
        "version_id", "*", "assistant_id", "a2a_agents=", "avatar_settings=", "conversation_flow=",
        "delegation_settings=", "description=", "dynamic_variables=",
        "dynamic_variables_webhook_timeout_ms=", "dynamic_variables_webhook_url=",
        "enabled_features=", "external_llm=", "fallback_config=", "greeting=", "insight_settings=",
        "instructions=", "integrations=", "interruption_settings=", "llm_api_key_ref=",
        "mcp_servers=", "messaging_settings=", "model=", "name=", "observability_settings=",
        "post_conversation_settings=", "privacy_settings=", "tags=", "telephony_settings=",
        "tool_ids=", "tools=", "transcription=", "version_name=", "voice_settings=",
        "websocket_settings=", "widget_settings=",
    ),
    "ai.assistants.whatsapp": (
        "assistant_id", "*", "content", "from_", "to", "conversation_metadata=", "idempotency_key=",
    ),
    "ai.integrations.connections.delete": ("user_connection_id",),
    "ai.integrations.connections.list": (),
    "ai.integrations.connections.retrieve": ("user_connection_id",),
    "ai.integrations.list": (),
    "ai.integrations.retrieve": ("integration_id",),
    "ai.mcp_servers.create": (
        "*", "name", "type", "url", "allowed_tools=", "api_key_ref=", "idempotency_key=",
    ),
    "ai.mcp_servers.delete": ("mcp_server_id",),
    "ai.mcp_servers.list": ("*", "page_number=", "page_size=", "type=", "url="),
    "ai.mcp_servers.retrieve": ("mcp_server_id",),
    "ai.mcp_servers.update": (
        "mcp_server_id", "*", "id=", "allowed_tools=", "api_key_ref=", "created_at=", "name=",
        "type=", "url=",
    ),
    "ai.tools.create": (
        "*", "display_name", "type", "client_side_tool=", "function=", "handoff=", "invite=",
        "pay=", "retrieval=", "timeout_ms=", "update_dynamic_variables=", "vision=", "webhook=",
        "idempotency_key=",
    ),
    "ai.tools.delete": ("tool_id",),
    "ai.tools.list": ("*", "filter_name=", "filter_type=", "page_number=", "page_size="),
    "ai.tools.retrieve": ("tool_id",),
    "ai.tools.update": (
        "tool_id", "*", "client_side_tool=", "display_name=", "function=", "handoff=", "invite=",
        "pay=", "retrieval=", "timeout_ms=", "type=", "update_dynamic_variables=", "vision=",
        "webhook=",
    ),
}
"""Every method of the official ``telnyx`` SDK's async AI Assistants surface and its arguments.

Facts of the public API, read from ``telnyx`` 4.189.0 (``client.ai.assistants``
and everything under it, ``client.ai.integrations``, ``client.ai.mcp_servers``
and ``client.ai.tools``), as ``(argument, ...)``: the positional ones, then
``"*"`` and the keyword-only ones; a trailing ``=`` marks an optional
argument. ``extra_headers``, ``extra_query``, ``extra_body`` and ``timeout``,
which every method takes, are left out. ``tests/resources/test_parity.py``
holds our methods to it (and, where the official SDK is installed, holds it to
the official SDK).
"""

OFFICIAL_PAGINATED = frozenset(
    {
        "ai.assistants.deleted.list",
        "ai.assistants.scheduled_events.list",
        "ai.assistants.tests.list",
        "ai.assistants.tests.runs.list",
        "ai.assistants.tests.test_suites.runs.list",
        "ai.mcp_servers.list",
        "ai.tools.list",
    }
)
"""The official methods that return a paginator (``async for`` over every item)."""


# ---------------------------------------------------------------- helpers for the tests


def load_spec() -> dict[str, Any] | None:
    """The parsed OpenAPI document, or ``None`` when ``../shared/spec`` is absent."""
    try:
        text = SPEC_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    spec: dict[str, Any] = json.loads(text)
    return spec


def spec_operations(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every ``(HTTP method, path)`` of the spec, in document order."""
    return [
        (method.upper(), path)
        for path, item in spec.get("paths", {}).items()
        for method in item
        if method in HTTP_METHODS
    ]


def resolve(client: Any, dotted: str) -> Any:
    """Follow ``"ai.assistants.tests.create"`` from ``client``; ``AttributeError`` if it breaks."""
    target = client
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def return_annotation(method: Any) -> str:
    """The return annotation of a bound method as written, normalised for comparison.

    ``builtins.list[X]`` and ``typing.Any`` lose their module prefix and
    whitespace is tidied, so the result reads like the docs table.
    """
    annotation = inspect.signature(method).return_annotation
    if annotation is inspect.Signature.empty:
        return "<none>"
    if not isinstance(annotation, str):
        annotation = annotation_name(annotation)
    return _tidy(annotation)


def _tidy(text: str) -> str:
    text = re.sub(r"\b(?:builtins|typing|collections\.abc)\.", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*,\s*", ", ", text)


def annotation_name(tp: Any) -> str:
    """A readable name for an evaluated annotation (``list[TestRunResponse]``, ``None`` ...)."""
    if tp is None or tp is type(None):
        return "None"
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return " | ".join(annotation_name(arg) for arg in typing.get_args(tp))
    if origin is not None:
        args = ", ".join(annotation_name(arg) for arg in typing.get_args(tp))
        return f"{getattr(origin, '__name__', repr(origin))}[{args}]"
    if tp is Any:
        return "Any"
    return getattr(tp, "__name__", repr(tp))


def return_type(method: Any) -> Any:
    """The evaluated return annotation of a bound method (only the return, not the arguments).

    Evaluated in the namespace of the method's module, so names imported there
    at run time resolve; raises ``NameError`` for names only imported under
    ``TYPE_CHECKING``.
    """
    func = inspect.unwrap(getattr(method, "__func__", method))
    annotation = func.__annotations__.get("return", inspect.Signature.empty)
    if not isinstance(annotation, str):
        return annotation
    namespace = {"builtins": __import__("builtins"), "typing": typing, **func.__globals__}
    return eval(annotation, namespace)


def signature_text(dotted: str, method: Any) -> str:
    """How the docs show a call: positional path ID, then required keyword arguments.

    ``client.ai.assistants.versions.retrieve(version_id, assistant_id=...)``.
    """
    parts: list[str] = []
    for param in inspect.signature(method).parameters.values():
        if param.default is not inspect.Parameter.empty:
            continue
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            parts.append(param.name)
        elif param.kind is param.KEYWORD_ONLY:
            parts.append(f"{param.name}=...")
    return f"client.{dotted}({', '.join(parts)})"


def parse_markdown_table(text: str, first_header: str) -> list[dict[str, str]]:
    """The rows of the first markdown table whose first header cell is ``first_header``.

    Cells are stripped of surrounding whitespace and backticks; keys are the
    lower-cased header cells.
    """
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            if header is not None and rows:
                break
            continue
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        if header is None:
            if cells and cells[0].lower() == first_header.lower():
                header = [cell.lower() for cell in cells]
            continue
        if all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
            continue
        cells = [cell.strip("`").strip() for cell in cells]
        rows.append(dict(zip(header, cells, strict=False)))
    return rows
