"""What every call puts on the wire, and the pure ``build_request`` rules behind it.

Part one drives all 56 operations through the public methods of a real
``AsyncTelnyx`` whose transport is a stub that records the
:class:`~telnyx_async.Request` and answers a canned, decodable
:class:`~telnyx_async.Response`. Each row of :data:`TABLE` says, from the API
document, what must be sent: method, full URL (query included), which headers,
and the exact body bytes. No session or socket is ever made.

Part two calls :func:`~telnyx_async.build_request` directly, with no client:
automatic idempotency keys, ``replay_safe``, the per-call options, timeouts and
deadlines, path IDs and frozenness.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
import attrs
import pytest
from conftest import SleepRecorder
from multidict import CIMultiDict, CIMultiDictProxy
from surface import OPERATIONS, load_spec, spec_operations

from telnyx_async import (
    AUTO_IDEMPOTENT,
    AsyncTelnyx,
    Page,
    Request,
    RequestOptions,
    Response,
    Timeout,
    build_request,
)
from telnyx_async._http import REPLAY_SAFE_METHODS, RequestDefaults
from telnyx_async.models.assistant_tools import TestWebhookToolResponseData
from telnyx_async.models.assistants import (
    Assistant,
    AssistantChatResponse,
    AssistantDeletedResponse,
    AssistantsListData,
    AssistantSmsChatResponse,
    TagsResponse,
)
from telnyx_async.models.canary_deploys import CanaryDeployResponse
from telnyx_async.models.integrations import (
    Integration,
    IntegrationConnectionResponse,
    IntegrationConnectionsListResponse,
    IntegrationsListResponse,
)
from telnyx_async.models.mcp_servers import MCPServer
from telnyx_async.models.scheduled_events import ScheduledSmsEventResponse
from telnyx_async.models.tests import AssistantTestResponse, TestRunResponse, TestSuitesResponse
from telnyx_async.models.tools import SharedToolResponse
from telnyx_async.resources.canary_deploys import VersionConfig

BASE = "https://api.example.test/v2"
API_KEY = "KEY0123456789abcdefSECRET"
ACCEPT_JSON = "application/json"
ACCEPT_TEXT = "text/plain, application/json;q=0.5"
FRESH_KEY = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as build_request makes them

# Path IDs. Some hold characters that must be escaped into one path segment.
A = "assistant-3f1c2a9e"
TEST = "test_9e2b41"
RUN = "run_0c4f8d"
SUITE = "checkout flows"  # -> checkout%20flows
SUITE_ENC = "checkout%20flows"
TAG = "vip customers/eu"  # -> vip%20customers%2Feu
TAG_ENC = "vip%20customers%2Feu"
EVENT = "evt_5b2d7c"
TOOL = "tool_4d8a6c"
VER = "ver_1b7e55"
INTEGRATION = "int_hubspot"
CONN = "conn:2f6b13"  # -> conn%3A2f6b13
CONN_ENC = "conn%3A2f6b13"
MCP = "mcp_7a1e90"
WHEN = dt.datetime(2030, 4, 15, 13, 7, 28, tzinfo=dt.timezone.utc)
WHEN_Q = "2030-04-15T13%3A07%3A28%2B00%3A00"  # the same instant, percent-encoded

# ------------------------------------------------------------------ canned answers (spec shapes)

STAMP = b'"2030-04-15T13:07:28Z"'
ASSISTANT = (
    b'{"id":"' + A.encode() + b'","name":"Acme support","created_at":' + STAMP
    + b',"model":"openai/gpt-4o","instructions":"Be kind."}'
)
LIST_DATA = b'{"data":[]}'
TAGS = b'{"tags":["vip"]}'
TEST_BODY = (
    b'{"test_id":"test_9e2b41","name":"Refund","telnyx_conversation_channel":"phone_call",'
    b'"rubric":[{"name":"Accuracy","criteria":"Quotes the refund policy"}],"created_at":'
    + STAMP + b"}"
)
PAGE = b'{"data":[],"meta":{"page_number":1,"page_size":20,"total_pages":0,"total_results":0}}'
RUN_BODY = (
    b'{"run_id":"run_0c4f8d","test_id":"test_9e2b41","status":"pending","triggered_by":"api",'
    b'"created_at":' + STAMP + b"}"
)
CANARY = (
    b'{"assistant_id":"' + A.encode() + b'","rules":[],"created_at":' + STAMP
    + b',"updated_at":' + STAMP + b"}"
)
EVENT_BODY = (
    b'{"assistant_id":"' + A.encode() + b'","telnyx_conversation_channel":"sms_chat",'
    b'"telnyx_end_user_target":"+15551234567","telnyx_agent_target":"+15557654321",'
    b'"scheduled_at_fixed_datetime":' + STAMP + b',"text":"Reminder"}'
)
TOOL_TEST = (
    b'{"data":{"success":true,"status_code":200,"content_type":"application/json",'
    b'"response":"{}","request":{}}}'
)
INTEGRATION_BODY = (
    b'{"id":"int_hubspot","name":"hubspot","display_name":"HubSpot","description":"CRM",'
    b'"logo_url":"https://example.com/hubspot.png","status":"connected",'
    b'"available_tools":["create_contact"]}'
)
CONNECTION = b'{"data":{"id":"conn:2f6b13","integration_id":"int_hubspot","allowed_tools":[]}}'
MCP_BODY = (
    b'{"id":"mcp_7a1e90","name":"Order lookup","type":"sse","url":"https://mcp.example.com/sse",'
    b'"created_at":' + STAMP + b"}"
)
SHARED_TOOL = b'{"id":"tool_4d8a6c","type":"webhook","tool_definition":{}}'
WEBHOOK = {
    "name": "lookup_order",
    "description": "Look up an order",
    "url": "https://example.com/hooks/orders",
    "method": "POST",
}


class Call(Protocol):
    """How a row calls its method: ``call(client, **per_call_options)``."""

    def __call__(self, c: AsyncTelnyx, **kw: Any) -> Any: ...


@dataclass(frozen=True)
class Row:
    """One operation: how to call it and what must go out for that call."""

    call: Call
    """``call(client, **per_call_options)``: a coroutine, or a pager for paged lists."""
    url: str
    """Everything after the base URL, query string included, exactly as sent."""
    body: bytes | None
    """The exact request body (``None``: no body, and so no Content-Type)."""
    answer: bytes
    """What the stub transport answers (the spec's success shape)."""
    returns: type
    """The class of what the method hands back for ``answer``."""
    status: int = 200
    auto_key: bool = False
    """The call gets a fresh ``Idempotency-Key`` on its own."""
    text: bool = False
    """The call asks for ``text/plain``."""


TABLE: dict[tuple[str, str], Row] = {
    # ------------------------------------------------------------ assistants
    ("GET", "/ai/assistants"): Row(
        lambda c, **kw: c.ai.assistants.list(page_size=100, **kw),
        "/ai/assistants?page%5Bsize%5D=100", None, LIST_DATA, Page,
    ),
    ("POST", "/ai/assistants"): Row(
        lambda c, **kw: c.ai.assistants.create(
            instructions="Be kind.", name="Acme support", model="openai/gpt-4o",
            tags=["support"], **kw,
        ),
        "/ai/assistants",
        b'{"instructions":"Be kind.","name":"Acme support","model":"openai/gpt-4o",'
        b'"tags":["support"]}',
        ASSISTANT, Assistant,
    ),
    ("POST", "/ai/assistants/import"): Row(
        lambda c, **kw: c.ai.assistants.imports(
            api_key_ref="elevenlabs_api_key", provider="elevenlabs", import_ids=["agent_1"], **kw
        ),
        "/ai/assistants/import",
        b'{"api_key_ref":"elevenlabs_api_key","provider":"elevenlabs","import_ids":["agent_1"]}',
        LIST_DATA, AssistantsListData,
    ),
    ("GET", "/ai/assistants/{assistant_id}"): Row(
        lambda c, **kw: c.ai.assistants.retrieve(
            A, call_control_id="v3:abc", fetch_dynamic_variables_from_webhook=False,
            from_="+15557654321", to="+15551234567", **kw,
        ),
        f"/ai/assistants/{A}?call_control_id=v3%3Aabc&fetch_dynamic_variables_from_webhook=false"
        "&from=%2B15557654321&to=%2B15551234567",
        None, ASSISTANT, Assistant,
    ),
    ("POST", "/ai/assistants/{assistant_id}"): Row(
        lambda c, **kw: c.ai.assistants.update(A, greeting="Hi!", promote_to_main=False, **kw),
        f"/ai/assistants/{A}", b'{"promote_to_main":false,"greeting":"Hi!"}', ASSISTANT, Assistant,
    ),
    ("DELETE", "/ai/assistants/{assistant_id}"): Row(
        lambda c, **kw: c.ai.assistants.delete(A, **kw),
        f"/ai/assistants/{A}", None,
        b'{"id":"' + A.encode() + b'","object":"assistant","deleted":true}',
        AssistantDeletedResponse,
    ),
    ("POST", "/ai/assistants/{assistant_id}/chat"): Row(
        lambda c, **kw: c.ai.assistants.chat(
            A, content="Where is my order #1042?", conversation_id="conv-1", **kw
        ),
        f"/ai/assistants/{A}/chat",
        b'{"content":"Where is my order #1042?","conversation_id":"conv-1"}',
        b'{"content":"It ships today."}', AssistantChatResponse,
    ),
    ("POST", "/ai/assistants/{assistant_id}/chat/sms"): Row(
        lambda c, **kw: c.ai.assistants.send_sms(
            A, from_="+15557654321", to="+15551234567", text="Hello", **kw
        ),
        f"/ai/assistants/{A}/chat/sms",
        b'{"from":"+15557654321","to":"+15551234567","text":"Hello"}',
        b'{"conversation_id":"conv-2"}', AssistantSmsChatResponse,
    ),
    ("POST", "/ai/assistants/{assistant_id}/clone"): Row(
        lambda c, **kw: c.ai.assistants.clone(A, **kw),
        f"/ai/assistants/{A}/clone", None, ASSISTANT, Assistant,
    ),
    ("GET", "/ai/assistants/{assistant_id}/texml"): Row(
        lambda c, **kw: c.ai.assistants.get_texml(A, **kw),
        f"/ai/assistants/{A}/texml", None, b'"<Response><Connect/></Response>"', str,
    ),
    # ------------------------------------------------------------ tags
    ("GET", "/ai/assistants/tags"): Row(
        lambda c, **kw: c.ai.assistants.tags.list(**kw),
        "/ai/assistants/tags", None, TAGS, TagsResponse,
    ),
    ("POST", "/ai/assistants/{assistant_id}/tags"): Row(
        lambda c, **kw: c.ai.assistants.tags.add(A, tag="vip", **kw),
        f"/ai/assistants/{A}/tags", b'{"tag":"vip"}', TAGS, TagsResponse,
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/tags/{tag}"): Row(
        lambda c, **kw: c.ai.assistants.tags.remove(TAG, assistant_id=A, **kw),
        f"/ai/assistants/{A}/tags/{TAG_ENC}", None, TAGS, TagsResponse,
    ),
    # ------------------------------------------------------------ tests
    ("GET", "/ai/assistants/tests"): Row(
        lambda c, **kw: c.ai.assistants.tests.list(
            test_suite=SUITE, telnyx_conversation_channel="phone_call", page_number=2,
            page_size=20, **kw,
        ),
        f"/ai/assistants/tests?test_suite={SUITE_ENC}&telnyx_conversation_channel=phone_call"
        "&page%5Bnumber%5D=2&page%5Bsize%5D=20",
        None, PAGE, Page,
    ),
    ("POST", "/ai/assistants/tests"): Row(
        lambda c, **kw: c.ai.assistants.tests.create(
            destination="+15551234567", instructions="Ask for a refund.", name="Refund",
            rubric=[{"name": "Accuracy", "criteria": "Quotes the refund policy"}],
            max_duration_seconds=300, test_suite=SUITE, **kw,
        ),
        "/ai/assistants/tests",
        b'{"destination":"+15551234567","instructions":"Ask for a refund.","name":"Refund",'
        b'"rubric":[{"name":"Accuracy","criteria":"Quotes the refund policy"}],'
        b'"max_duration_seconds":300,"test_suite":"checkout flows"}',
        TEST_BODY, AssistantTestResponse, status=201, auto_key=True,
    ),
    ("GET", "/ai/assistants/tests/{test_id}"): Row(
        lambda c, **kw: c.ai.assistants.tests.retrieve(TEST, **kw),
        f"/ai/assistants/tests/{TEST}", None, TEST_BODY, AssistantTestResponse,
    ),
    ("PUT", "/ai/assistants/tests/{test_id}"): Row(
        lambda c, **kw: c.ai.assistants.tests.update(
            TEST, name="Refund v2", max_duration_seconds=120, **kw
        ),
        f"/ai/assistants/tests/{TEST}", b'{"max_duration_seconds":120,"name":"Refund v2"}',
        TEST_BODY, AssistantTestResponse,
    ),
    ("DELETE", "/ai/assistants/tests/{test_id}"): Row(
        lambda c, **kw: c.ai.assistants.tests.delete(TEST, **kw),
        f"/ai/assistants/tests/{TEST}", None, b"", type(None),
    ),
    ("GET", "/ai/assistants/tests/test-suites"): Row(
        lambda c, **kw: c.ai.assistants.tests.test_suites.list(**kw),
        "/ai/assistants/tests/test-suites", None, b'{"data":["checkout flows"]}',
        TestSuitesResponse,
    ),
    ("GET", "/ai/assistants/tests/test-suites/{suite_name}/runs"): Row(
        lambda c, **kw: c.ai.assistants.tests.test_suites.runs.list(
            SUITE, status="failed", test_suite_run_id="tsr_1", **kw
        ),
        f"/ai/assistants/tests/test-suites/{SUITE_ENC}/runs?status=failed&test_suite_run_id=tsr_1",
        None, PAGE, Page,
    ),
    ("POST", "/ai/assistants/tests/test-suites/{suite_name}/runs"): Row(
        lambda c, **kw: c.ai.assistants.tests.test_suites.runs.trigger(SUITE, **kw),
        f"/ai/assistants/tests/test-suites/{SUITE_ENC}/runs", b"{}",
        b"[" + RUN_BODY + b"]", list, status=201, auto_key=True,
    ),
    ("GET", "/ai/assistants/tests/{test_id}/runs"): Row(
        lambda c, **kw: c.ai.assistants.tests.runs.list(TEST, status="passed", **kw),
        f"/ai/assistants/tests/{TEST}/runs?status=passed", None, PAGE, Page,
    ),
    ("POST", "/ai/assistants/tests/{test_id}/runs"): Row(
        lambda c, **kw: c.ai.assistants.tests.runs.trigger(
            TEST, destination_version_id=VER, **kw
        ),
        f"/ai/assistants/tests/{TEST}/runs", b'{"destination_version_id":"ver_1b7e55"}',
        RUN_BODY, TestRunResponse, status=201, auto_key=True,
    ),
    ("GET", "/ai/assistants/tests/{test_id}/runs/{run_id}"): Row(
        lambda c, **kw: c.ai.assistants.tests.runs.retrieve(RUN, test_id=TEST, **kw),
        f"/ai/assistants/tests/{TEST}/runs/{RUN}", None, RUN_BODY, TestRunResponse,
    ),
    # ------------------------------------------------------------ canary deploys
    ("GET", "/ai/assistants/{assistant_id}/canary-deploys"): Row(
        lambda c, **kw: c.ai.assistants.canary_deploys.retrieve(A, **kw),
        f"/ai/assistants/{A}/canary-deploys", None, CANARY, CanaryDeployResponse,
    ),
    ("POST", "/ai/assistants/{assistant_id}/canary-deploys"): Row(
        lambda c, **kw: c.ai.assistants.canary_deploys.create(
            A, rules=[{"serve": {"version_id": VER}}], **kw
        ),
        f"/ai/assistants/{A}/canary-deploys", b'{"rules":[{"serve":{"version_id":"ver_1b7e55"}}]}',
        CANARY, CanaryDeployResponse, auto_key=True,
    ),
    ("PUT", "/ai/assistants/{assistant_id}/canary-deploys"): Row(
        lambda c, **kw: c.ai.assistants.canary_deploys.update(
            A, versions=[VersionConfig(VER, 10)], **kw
        ),
        f"/ai/assistants/{A}/canary-deploys",
        b'{"rules":[{"serve":{"rollout":[{"version_id":"ver_1b7e55","weight":10}]}}]}',
        CANARY, CanaryDeployResponse,
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/canary-deploys"): Row(
        lambda c, **kw: c.ai.assistants.canary_deploys.delete(A, **kw),
        f"/ai/assistants/{A}/canary-deploys", None, b"", type(None), status=204,
    ),
    # ------------------------------------------------------------ instructions
    ("POST", "/ai/assistants/{assistant_id}/instructions/enhance"): Row(
        lambda c, **kw: c.ai.assistants.instructions.enhance(A, enhancement_prompt="Shorter.", **kw),
        f"/ai/assistants/{A}/instructions/enhance", b'{"enhancement_prompt":"Shorter."}',
        b"You are a polite support agent.", str, text=True,
    ),
    # ------------------------------------------------------------ scheduled events
    ("GET", "/ai/assistants/{assistant_id}/scheduled_events"): Row(
        lambda c, **kw: c.ai.assistants.scheduled_events.list(
            A, from_date=WHEN, to_date=dt.datetime(2030, 5, 1), conversation_channel="sms_chat",
            **kw,
        ),
        f"/ai/assistants/{A}/scheduled_events?from_date={WHEN_Q}"
        "&to_date=2030-05-01T00%3A00%3A00%2B00%3A00&conversation_channel=sms_chat",
        None, PAGE, Page,
    ),
    ("POST", "/ai/assistants/{assistant_id}/scheduled_events"): Row(
        lambda c, **kw: c.ai.assistants.scheduled_events.create(
            A, scheduled_at_fixed_datetime=WHEN, telnyx_agent_target="+15557654321",
            telnyx_conversation_channel="sms_chat", telnyx_end_user_target="+15551234567",
            text="Reminder", **kw,
        ),
        f"/ai/assistants/{A}/scheduled_events",
        b'{"scheduled_at_fixed_datetime":"2030-04-15T13:07:28+00:00",'
        b'"telnyx_agent_target":"+15557654321","telnyx_conversation_channel":"sms_chat",'
        b'"telnyx_end_user_target":"+15551234567","text":"Reminder"}',
        EVENT_BODY, ScheduledSmsEventResponse, status=201,
    ),
    ("GET", "/ai/assistants/{assistant_id}/scheduled_events/{event_id}"): Row(
        lambda c, **kw: c.ai.assistants.scheduled_events.retrieve(EVENT, assistant_id=A, **kw),
        f"/ai/assistants/{A}/scheduled_events/{EVENT}", None, EVENT_BODY,
        ScheduledSmsEventResponse,
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/scheduled_events/{event_id}"): Row(
        lambda c, **kw: c.ai.assistants.scheduled_events.delete(EVENT, assistant_id=A, **kw),
        f"/ai/assistants/{A}/scheduled_events/{EVENT}", None, b"", type(None),
    ),
    # ------------------------------------------------------------ assistant tools
    ("PUT", "/ai/assistants/{assistant_id}/tools/{tool_id}"): Row(
        lambda c, **kw: c.ai.assistants.tools.add(TOOL, assistant_id=A, **kw),
        f"/ai/assistants/{A}/tools/{TOOL}", None, b"", dict,
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/tools/{tool_id}"): Row(
        lambda c, **kw: c.ai.assistants.tools.remove(TOOL, assistant_id=A, **kw),
        f"/ai/assistants/{A}/tools/{TOOL}", None, b"{}", dict,
    ),
    ("POST", "/ai/assistants/{assistant_id}/tools/{tool_id}/test"): Row(
        lambda c, **kw: c.ai.assistants.tools.test(
            TOOL, assistant_id=A, arguments={"order_number": "1042"}, **kw
        ),
        f"/ai/assistants/{A}/tools/{TOOL}/test", b'{"arguments":{"order_number":"1042"}}',
        TOOL_TEST, TestWebhookToolResponseData,
    ),
    # ------------------------------------------------------------ versions
    ("GET", "/ai/assistants/{assistant_id}/versions"): Row(
        lambda c, **kw: c.ai.assistants.versions.list(A, **kw),
        f"/ai/assistants/{A}/versions", None, LIST_DATA, AssistantsListData,
    ),
    ("GET", "/ai/assistants/{assistant_id}/versions/{version_id}"): Row(
        lambda c, **kw: c.ai.assistants.versions.retrieve(
            VER, assistant_id=A, include_mcp_servers=True, **kw
        ),
        f"/ai/assistants/{A}/versions/{VER}?include_mcp_servers=true", None, ASSISTANT,
        Assistant,
    ),
    ("POST", "/ai/assistants/{assistant_id}/versions/{version_id}"): Row(
        lambda c, **kw: c.ai.assistants.versions.update(
            VER, assistant_id=A, version_name="spring-promo", instructions="Mention the sale.",
            **kw,
        ),
        f"/ai/assistants/{A}/versions/{VER}",
        b'{"instructions":"Mention the sale.","version_name":"spring-promo"}',
        ASSISTANT, Assistant,
    ),
    ("DELETE", "/ai/assistants/{assistant_id}/versions/{version_id}"): Row(
        lambda c, **kw: c.ai.assistants.versions.delete(VER, assistant_id=A, **kw),
        f"/ai/assistants/{A}/versions/{VER}", None, b"", type(None), status=204,
    ),
    ("POST", "/ai/assistants/{assistant_id}/versions/{version_id}/promote"): Row(
        lambda c, **kw: c.ai.assistants.versions.promote(VER, assistant_id=A, **kw),
        f"/ai/assistants/{A}/versions/{VER}/promote", None, ASSISTANT, Assistant,
    ),
    # ------------------------------------------------------------ integrations
    ("GET", "/ai/integrations"): Row(
        lambda c, **kw: c.ai.integrations.list(**kw),
        "/ai/integrations", None, LIST_DATA, IntegrationsListResponse,
    ),
    ("GET", "/ai/integrations/{integration_id}"): Row(
        lambda c, **kw: c.ai.integrations.retrieve(INTEGRATION, **kw),
        f"/ai/integrations/{INTEGRATION}", None, INTEGRATION_BODY, Integration,
    ),
    ("GET", "/ai/integrations/connections"): Row(
        lambda c, **kw: c.ai.integrations.connections.list(**kw),
        "/ai/integrations/connections", None, LIST_DATA, IntegrationConnectionsListResponse,
    ),
    ("GET", "/ai/integrations/connections/{user_connection_id}"): Row(
        lambda c, **kw: c.ai.integrations.connections.retrieve(CONN, **kw),
        f"/ai/integrations/connections/{CONN_ENC}", None, CONNECTION,
        IntegrationConnectionResponse,
    ),
    ("DELETE", "/ai/integrations/connections/{user_connection_id}"): Row(
        lambda c, **kw: c.ai.integrations.connections.delete(CONN, **kw),
        f"/ai/integrations/connections/{CONN_ENC}", None, b"", type(None), status=204,
    ),
    # ------------------------------------------------------------ MCP servers
    ("GET", "/ai/mcp_servers"): Row(
        lambda c, **kw: c.ai.mcp_servers.list(type="sse", page_size=20, **kw),
        "/ai/mcp_servers?type=sse&page%5Bsize%5D=20", None, b"[]", Page,
    ),
    ("POST", "/ai/mcp_servers"): Row(
        lambda c, **kw: c.ai.mcp_servers.create(
            name="Order lookup", type="sse", url="https://mcp.example.com/sse",
            allowed_tools=["lookup_order"], **kw,
        ),
        "/ai/mcp_servers",
        b'{"name":"Order lookup","type":"sse","url":"https://mcp.example.com/sse",'
        b'"allowed_tools":["lookup_order"]}',
        MCP_BODY, MCPServer,
    ),
    ("GET", "/ai/mcp_servers/{mcp_server_id}"): Row(
        lambda c, **kw: c.ai.mcp_servers.retrieve(MCP, **kw),
        f"/ai/mcp_servers/{MCP}", None, MCP_BODY, MCPServer,
    ),
    ("PUT", "/ai/mcp_servers/{mcp_server_id}"): Row(
        lambda c, **kw: c.ai.mcp_servers.update(
            MCP, url="https://mcp.example.com/v2/sse", api_key_ref=None, **kw
        ),
        f"/ai/mcp_servers/{MCP}", b'{"api_key_ref":null,"url":"https://mcp.example.com/v2/sse"}',
        MCP_BODY, MCPServer,
    ),
    ("DELETE", "/ai/mcp_servers/{mcp_server_id}"): Row(
        lambda c, **kw: c.ai.mcp_servers.delete(MCP, **kw),
        f"/ai/mcp_servers/{MCP}", None, b"", type(None),
    ),
    # ------------------------------------------------------------ shared tools
    ("GET", "/ai/tools"): Row(
        lambda c, **kw: c.ai.tools.list(filter_type="webhook", filter_name="order", **kw),
        "/ai/tools?filter%5Btype%5D=webhook&filter%5Bname%5D=order", None, PAGE, Page,
    ),
    ("POST", "/ai/tools"): Row(
        lambda c, **kw: c.ai.tools.create(
            display_name="Look up order", type="webhook", webhook=WEBHOOK, timeout_ms=4000, **kw
        ),
        "/ai/tools",
        b'{"display_name":"Look up order","type":"webhook","timeout_ms":4000,'
        b'"webhook":{"name":"lookup_order","description":"Look up an order",'
        b'"url":"https://example.com/hooks/orders","method":"POST"}}',
        SHARED_TOOL, SharedToolResponse,
    ),
    ("GET", "/ai/tools/{tool_id}"): Row(
        lambda c, **kw: c.ai.tools.retrieve(TOOL, **kw),
        f"/ai/tools/{TOOL}", None, SHARED_TOOL, SharedToolResponse,
    ),
    ("PATCH", "/ai/tools/{tool_id}"): Row(
        lambda c, **kw: c.ai.tools.update(TOOL, display_name="Find order", **kw),
        f"/ai/tools/{TOOL}", b'{"display_name":"Find order"}', SHARED_TOOL, SharedToolResponse,
    ),
    ("DELETE", "/ai/tools/{tool_id}"): Row(
        lambda c, **kw: c.ai.tools.delete(TOOL, **kw),
        f"/ai/tools/{TOOL}", None, b"{}", dict,
    ),
}
KEYS = sorted(TABLE)


class StubTransport:
    """Records every Request and answers the row's canned Response; never touches a socket."""

    def __init__(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.requests: list[Request] = []

    async def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        headers = CIMultiDictProxy(CIMultiDict({"Content-Type": self.content_type}))
        return Response(
            status=self.status, headers=headers, body=self.body, elapsed=0.0, request=request
        )


@pytest.fixture(autouse=True)
def no_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any aiohttp session or connector made in this module fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("an aiohttp session or connector was created")

    monkeypatch.setattr(aiohttp.ClientSession, "__init__", refuse)
    monkeypatch.setattr(aiohttp.TCPConnector, "__init__", refuse)


def stub_client(stub: StubTransport, **settings: Any) -> AsyncTelnyx:
    return AsyncTelnyx(api_key=API_KEY, base_url=BASE, transport=stub, throttle=None, **settings)


async def run(row: Row, client: AsyncTelnyx, **per_call: Any) -> Any:
    """Call the row's method; a pager is awaited for its first page."""
    return await row.call(client, **per_call)


def expected_header_names(method: str, route: str, row: Row) -> set[str]:
    names = {"Accept", "User-Agent"}
    if row.body is not None:
        names.add("Content-Type")
    if row.auto_key:
        names.add("Idempotency-Key")
    return names


def lowered(headers: Mapping[str, str]) -> list[str]:
    return [name.lower() for name in headers]


# ------------------------------------------------------------------ the table covers the API


def test_table_covers_every_operation_once() -> None:
    """The table has one row per operation of the registry (and of the spec)."""
    assert len(TABLE) == 56
    assert set(TABLE) == set(OPERATIONS)
    spec = load_spec()
    if spec is not None:
        assert set(TABLE) == set(spec_operations(spec))


def test_auto_key_rows_are_exactly_auto_idempotent() -> None:
    assert {key for key, row in TABLE.items() if row.auto_key} == AUTO_IDEMPOTENT


# ------------------------------------------------------------------ every operation, on the wire


@pytest.mark.parametrize(("method", "route"), KEYS, ids=[f"{m} {r}" for m, r in KEYS])
async def test_operation_sends_exactly(method: str, route: str) -> None:
    """Method, URL, header names and values, body bytes and route, as the row says."""
    row = TABLE[(method, route)]
    content_type = "text/plain; charset=utf-8" if row.text else "application/json"
    stub = StubTransport(row.status, row.answer, content_type)
    client = stub_client(stub)

    result = await run(row, client)

    assert len(stub.requests) == 1
    request = stub.requests[0]
    assert request.method == method
    assert request.route == route
    assert request.url == BASE + row.url
    assert request.path == row.url.split("?", 1)[0]
    assert request.body == row.body
    headers = dict(request.headers)
    assert set(headers) == expected_header_names(method, route, row)
    assert headers["Accept"] == (ACCEPT_TEXT if row.text else ACCEPT_JSON)
    assert headers["User-Agent"].startswith("telnyx-async/")
    if row.body is not None:
        assert headers["Content-Type"] == "application/json"
    if row.auto_key:
        assert FRESH_KEY.fullmatch(headers["Idempotency-Key"])
        assert request.idempotency_key == headers["Idempotency-Key"]
    assert request.replay_safe is (method in REPLAY_SAFE_METHODS or row.auto_key)
    assert type(result) is row.returns
    # The stub was the only way out: the client's own transport never opened a session.
    assert client._shared.transport.session is None


@pytest.mark.parametrize(("method", "route"), KEYS, ids=[f"{m} {r}" for m, r in KEYS])
async def test_operation_never_carries_the_api_key(method: str, route: str) -> None:
    """The transport adds Authorization; the built Request holds no trace of the key."""
    row = TABLE[(method, route)]
    stub = StubTransport(row.status, row.answer, "text/plain" if row.text else ACCEPT_JSON)
    await run(row, stub_client(stub))
    (request,) = stub.requests
    assert "authorization" not in lowered(request.headers)
    everything = " ".join(
        [request.url, repr(request), *request.headers.keys(), *request.headers.values()]
    )
    assert API_KEY not in everything
    assert API_KEY.encode() not in (request.body or b"")


@pytest.mark.parametrize(("method", "route"), KEYS, ids=[f"{m} {r}" for m, r in KEYS])
async def test_operation_passes_per_call_options(method: str, route: str) -> None:
    """extra_headers, extra_query and timeout reach the Request of every method."""
    row = TABLE[(method, route)]
    stub = StubTransport(row.status, row.answer, "text/plain" if row.text else ACCEPT_JSON)
    await run(
        row, stub_client(stub), extra_headers={"X-Trace-Id": "trace-42"},
        extra_query={"debug": True}, timeout=7,
    )
    (request,) = stub.requests
    joiner = "&" if "?" in row.url else "?"
    assert request.url == BASE + row.url + joiner + "debug=true"
    assert request.headers["X-Trace-Id"] == "trace-42"
    assert set(request.headers) == expected_header_names(method, route, row) | {"X-Trace-Id"}
    assert request.body == row.body
    assert request.timeout == Timeout(total=7.0, connect=7.0, deadline=180.0)


async def test_default_headers_go_on_every_operation() -> None:
    """A client's default_headers are sent with each call, beside the SDK's own."""
    for (method, route), row in TABLE.items():
        stub = StubTransport(row.status, row.answer, "text/plain" if row.text else ACCEPT_JSON)
        client = stub_client(stub, default_headers={"X-Team": "support"})
        await run(row, client)
        (request,) = stub.requests
        assert request.headers["X-Team"] == "support", (method, route)
        assert set(request.headers) == expected_header_names(method, route, row) | {"X-Team"}


async def test_client_never_creates_a_session_for_stub_calls() -> None:
    """Many calls later, the client's aiohttp transport has made no session at all."""
    row = TABLE[("GET", "/ai/assistants/{assistant_id}")]
    stub = StubTransport(200, row.answer)
    client = stub_client(stub)
    for _ in range(3):
        await run(row, client)
    assert len(stub.requests) == 3
    assert client._shared.transport.session is None
    await client.close()  # nothing to close, and nothing is opened by closing
    assert client._shared.transport.session is None


# ------------------------------------------------------------------ the automatic Idempotency-Key


async def test_auto_key_is_fresh_per_call_and_reused_by_its_retry() -> None:
    """Each trigger gets its own key; a retried trigger resends the same one."""
    answers = iter([503, 201, 201])
    sent: list[Request] = []

    async def flaky(request: Request) -> Response:
        sent.append(request)
        return Response(
            status=next(answers), headers=CIMultiDictProxy(CIMultiDict()),
            body=RUN_BODY, elapsed=0.0, request=request,
        )

    sleeps = SleepRecorder()
    client = AsyncTelnyx(
        api_key=API_KEY, base_url=BASE, transport=flaky, throttle=None, sleep=sleeps
    )
    await client.ai.assistants.tests.runs.trigger(TEST)  # 503, then 201
    await client.ai.assistants.tests.runs.trigger(TEST)  # 201
    first, retry, second = (r.idempotency_key for r in sent)
    assert first is not None and FRESH_KEY.fullmatch(first)
    assert retry == first
    assert second is not None and second != first
    assert len(sleeps.waits) == 1


async def test_caller_key_wins_over_the_automatic_one() -> None:
    row = TABLE[("POST", "/ai/assistants/tests/{test_id}/runs")]
    stub = StubTransport(201, row.answer)
    await stub_client(stub).ai.assistants.tests.runs.trigger(TEST, idempotency_key="run:1_a-B")
    assert stub.requests[0].headers["Idempotency-Key"] == "run:1_a-B"


async def test_non_trigger_post_sends_a_key_only_when_given() -> None:
    row = TABLE[("POST", "/ai/assistants/{assistant_id}/chat")]
    stub = StubTransport(200, row.answer)
    client = stub_client(stub)
    await client.ai.assistants.chat(A, content="hi", conversation_id="c")
    await client.ai.assistants.chat(A, content="hi", conversation_id="c", idempotency_key="k-1")
    plain, keyed = stub.requests
    assert "Idempotency-Key" not in plain.headers and plain.replay_safe is False
    assert keyed.headers["Idempotency-Key"] == "k-1" and keyed.replay_safe is True


@pytest.mark.parametrize("bad", ["", "has space", "x" * 256, "é", "a\nb", "a/b"])
async def test_bad_caller_key_fails_before_anything_is_sent(bad: str) -> None:
    stub = StubTransport(201, RUN_BODY)
    with pytest.raises(ValueError, match="idempotency_key"):
        await stub_client(stub).ai.assistants.tests.runs.trigger(TEST, idempotency_key=bad)
    assert stub.requests == []


@pytest.mark.parametrize(("value", "error"), [("", ValueError), (".", ValueError),
                                              ("..", ValueError), (5, TypeError)])
async def test_bad_path_id_fails_before_anything_is_sent(value: Any, error: type) -> None:
    stub = StubTransport(200, ASSISTANT)
    with pytest.raises(error, match="assistant_id"):
        await stub_client(stub).ai.assistants.retrieve(value)
    assert stub.requests == []


# ------------------------------------------------------------------ build_request, no client

DEFAULT_HEADERS = {"Accept": ACCEPT_JSON, "User-Agent": "ua/1"}
DEFAULTS = RequestDefaults(base_url=BASE, headers=DEFAULT_HEADERS, timeout=Timeout())


class KeyMaker:
    """A ``new_key`` that counts its calls and hands out predictable keys."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"auto-{self.calls}"


def fill(route: str) -> dict[str, str]:
    return dict.fromkeys(re.findall(r"{(\w+)}", route), "x1")


def test_auto_idempotent_is_the_four_trigger_like_operations() -> None:
    assert {
        ("POST", "/ai/assistants/tests"),
        ("POST", "/ai/assistants/tests/{test_id}/runs"),
        ("POST", "/ai/assistants/tests/test-suites/{suite_name}/runs"),
        ("POST", "/ai/assistants/{assistant_id}/canary-deploys"),
    } == AUTO_IDEMPOTENT


@pytest.mark.parametrize(("method", "route"), KEYS, ids=[f"{m} {r}" for m, r in KEYS])
def test_auto_key_only_for_listed_routes(method: str, route: str) -> None:
    """Listed routes get one key from new_key; every other route gets none."""
    maker = KeyMaker()
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    kwargs: dict[str, Any] = {"body": body} if body is not None else {}
    request = build_request(
        DEFAULTS, method, route, path_params=fill(route), new_key=maker, **kwargs
    )
    listed = (method, route) in AUTO_IDEMPOTENT
    assert maker.calls == (1 if listed else 0)
    assert request.idempotency_key == ("auto-1" if listed else None)
    assert ("Idempotency-Key" in request.headers) is listed
    assert request.replay_safe is (listed or method in {"GET", "PUT", "DELETE"})


def test_auto_key_lives_in_the_request_so_every_resend_reuses_it() -> None:
    maker = KeyMaker()
    request = build_request(DEFAULTS, "POST", "/ai/assistants/tests", body={}, new_key=maker)
    # The retry layer resends this very object: the key cannot change between attempts.
    assert request.idempotency_key == "auto-1"
    assert request.idempotency_key == request.headers["Idempotency-Key"]
    assert maker.calls == 1


def test_caller_key_wins_and_new_key_is_never_called() -> None:
    maker = KeyMaker()
    request = build_request(
        DEFAULTS, "POST", "/ai/assistants/tests/{test_id}/runs", path_params={"test_id": "t"},
        body={}, idempotency_key="mine:1", new_key=maker,
    )
    assert request.idempotency_key == "mine:1"
    assert maker.calls == 0


def test_key_on_an_unlisted_post_makes_it_replay_safe() -> None:
    request = build_request(DEFAULTS, "POST", "/ai/assistants", body={}, idempotency_key="k")
    assert request.headers["Idempotency-Key"] == "k"
    assert request.replay_safe is True
    plain = build_request(DEFAULTS, "POST", "/ai/assistants", body={})
    assert plain.idempotency_key is None and plain.replay_safe is False


@pytest.mark.parametrize("bad", ["", " ", "tab\tkey", "x" * 256, "ünï", "semi;colon"])
def test_bad_key_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="`idempotency_key` must be 1-255 characters"):
        build_request(DEFAULTS, "POST", "/ai/assistants", body={}, idempotency_key=bad)


def test_longest_allowed_key_passes() -> None:
    key = "K" * 255
    assert build_request(DEFAULTS, "POST", "/x", idempotency_key=key).idempotency_key == key


@pytest.mark.parametrize(
    ("method", "safe"),
    [("GET", True), ("HEAD", True), ("OPTIONS", True), ("PUT", True), ("DELETE", True),
     ("POST", False), ("PATCH", False)],
)
def test_replay_safe_per_method(method: str, safe: bool) -> None:
    assert build_request(DEFAULTS, method, "/ai/tools").replay_safe is safe
    # Any method carrying a key may be replayed.
    assert build_request(DEFAULTS, method, "/ai/tools", idempotency_key="k").replay_safe is True


# ------------------------------------------------------------------ extra_headers


@pytest.mark.parametrize(
    "name",
    ["Authorization", "authorization", "AUTHORIZATION", "Content-Length", "host",
     "Transfer-Encoding"],
)
def test_extra_headers_cannot_set_reserved_names(name: str) -> None:
    options = RequestOptions(extra_headers={name: "Bearer s3cr3t"})
    with pytest.raises(ValueError, match="the SDK sets it itself") as info:
        build_request(DEFAULTS, "GET", "/ai/tools", options=options)
    assert repr(name) in str(info.value)
    assert "s3cr3t" not in str(info.value)  # the value may be a secret: never echoed


def test_extra_headers_replace_defaults_ignoring_case() -> None:
    options = RequestOptions(extra_headers={"accept": "text/csv", "USER-AGENT": "mine/2"})
    request = build_request(DEFAULTS, "GET", "/ai/tools", options=options)
    assert dict(request.headers) == {"accept": "text/csv", "USER-AGENT": "mine/2"}
    assert DEFAULTS.headers == DEFAULT_HEADERS  # the client's own mapping is left alone


def test_extra_headers_are_added_beside_defaults() -> None:
    options = RequestOptions(extra_headers={"X-Trace-Id": "t-1"})
    request = build_request(DEFAULTS, "GET", "/ai/tools", options=options)
    assert dict(request.headers) == {**DEFAULT_HEADERS, "X-Trace-Id": "t-1"}


@pytest.mark.parametrize(
    ("extra", "canonical", "value"),
    [
        ({"content-type": "text/plain"}, "Content-Type", "application/json"),
        ({"CONTENT-TYPE": "text/plain"}, "Content-Type", "application/json"),
        # The caller's key, in any spelling, is the call's key: no automatic one replaces it.
        ({"idempotency-key": "from-header"}, "Idempotency-Key", "from-header"),
    ],
)
def test_sdk_set_headers_are_never_sent_twice(
    extra: dict[str, str], canonical: str, value: str
) -> None:
    """A header the SDK sets itself is sent once, under its canonical spelling."""
    request = build_request(
        DEFAULTS, "POST", "/ai/assistants/tests", body={"a": 1}, new_key=KeyMaker(),
        options=RequestOptions(extra_headers=extra),
    )
    names = lowered(request.headers)
    assert len(names) == len(set(names)), f"duplicate header: {dict(request.headers)}"
    assert request.headers[canonical] == value


@pytest.mark.parametrize(
    ("extra", "error", "text"),
    [
        ({"Bad Name": "v"}, ValueError, "invalid header name"),
        ({"X-Ok": "line\nbreak"}, ValueError, "line break"),
        ({"X-Ok": 5}, TypeError, "must be a str"),
    ],
)
def test_extra_headers_are_checked(extra: dict[str, Any], error: type, text: str) -> None:
    with pytest.raises(error, match=text):
        build_request(DEFAULTS, "GET", "/ai/tools", options=RequestOptions(extra_headers=extra))


def test_extra_headers_must_be_a_mapping() -> None:
    options = RequestOptions(extra_headers=[("X", "y")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`extra_headers` must be a mapping"):
        build_request(DEFAULTS, "GET", "/ai/tools", options=options)


def test_nothing_changed_means_the_default_headers_object_is_shared() -> None:
    """A plain GET reuses the client's mapping (cheap); nothing ever writes into it."""
    plain = build_request(DEFAULTS, "GET", "/ai/tools")
    assert plain.headers is DEFAULTS.headers
    build_request(DEFAULTS, "POST", "/ai/assistants/tests", body={}, text_answer=True)
    assert DEFAULTS.headers == DEFAULT_HEADERS


def test_json_body_headers_are_shared_read_only_and_follow_the_defaults() -> None:
    """Bodies without headers of their own share one read-only mapping per client headers."""
    first = build_request(DEFAULTS, "POST", "/ai/assistants", body={"a": 1})
    second = build_request(DEFAULTS, "PATCH", "/ai/assistants/{assistant_id}",
                           path_params={"assistant_id": "a"}, body={"b": [1]})
    assert dict(first.headers) == {**DEFAULT_HEADERS, "Content-Type": "application/json"}
    assert second.headers is first.headers
    with pytest.raises(TypeError):
        first.headers["X-Poison"] = "v"  # type: ignore[index]
    assert DEFAULTS.headers == DEFAULT_HEADERS
    # Other client headers (another client, a with_options copy) get their own answer,
    # with any other spelling of Content-Type replaced as before.
    other = RequestDefaults(
        base_url=BASE, headers={"Accept": "application/json", "content-type": "text/plain"},
        timeout=Timeout(),
    )
    mine = build_request(other, "POST", "/ai/assistants", body={"a": 1})
    assert dict(mine.headers) == {"Accept": "application/json", "Content-Type": "application/json"}
    assert dict(build_request(DEFAULTS, "POST", "/x", body={}).headers) == dict(first.headers)


# ------------------------------------------------------------------ extra_query, extra_body


def test_extra_query_is_appended_after_the_call_query() -> None:
    options = RequestOptions(extra_query={"flag": True, "skip": None, "n": 3, "many": ["a", "b"]})
    request = build_request(
        DEFAULTS, "GET", "/ai/tools", query={"filter[type]": "webhook"}, options=options
    )
    assert request.url == f"{BASE}/ai/tools?filter%5Btype%5D=webhook&flag=true&n=3&many=a&many=b"
    assert request.path == "/ai/tools"


def test_extra_query_alone_and_its_type() -> None:
    request = build_request(DEFAULTS, "GET", "/ai/tools", options=RequestOptions(extra_query={"q": "a b"}))
    assert request.url == f"{BASE}/ai/tools?q=a%20b"
    bad = RequestOptions(extra_query=[("q", "1")])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`extra_query` must be a mapping"):
        build_request(DEFAULTS, "GET", "/ai/tools", options=bad)


def test_extra_body_adds_and_replaces_object_keys() -> None:
    options = RequestOptions(extra_body={"name": "override", "beta": True})
    request = build_request(
        DEFAULTS, "POST", "/ai/assistants", body={"name": "n", "instructions": "i"},
        options=options,
    )
    assert request.body == b'{"name":"override","instructions":"i","beta":true}'
    assert request.headers["Content-Type"] == "application/json"


def test_extra_body_without_a_body_makes_an_object() -> None:
    request = build_request(
        DEFAULTS, "POST", "/ai/assistants/{assistant_id}/clone", path_params={"assistant_id": "a"},
        options=RequestOptions(extra_body={"name": "copy"}),
    )
    assert request.body == b'{"name":"copy"}'
    assert request.headers["Content-Type"] == "application/json"


def test_extra_body_only_extends_object_bodies() -> None:
    with pytest.raises(TypeError, match="can only extend a JSON object body"):
        build_request(
            DEFAULTS, "POST", "/x", body=["a"], options=RequestOptions(extra_body={"k": 1})
        )
    bad = RequestOptions(extra_body=[("k", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="`extra_body` must be a mapping"):
        build_request(DEFAULTS, "POST", "/x", body={}, options=bad)


def test_no_body_means_no_content_type() -> None:
    request = build_request(DEFAULTS, "POST", "/ai/assistants/{assistant_id}/clone",
                            path_params={"assistant_id": "a"})
    assert request.body is None
    assert "content-type" not in lowered(request.headers)


# ------------------------------------------------------------------ text answers


def test_text_answer_asks_for_text_first() -> None:
    request = build_request(DEFAULTS, "POST", "/x", body={}, text_answer=True)
    assert request.headers["Accept"] == ACCEPT_TEXT
    assert build_request(DEFAULTS, "POST", "/x", body={}).headers["Accept"] == ACCEPT_JSON


def test_callers_accept_beats_text_answer() -> None:
    options = RequestOptions(extra_headers={"accept": "text/markdown"})
    request = build_request(DEFAULTS, "POST", "/x", body={}, text_answer=True, options=options)
    assert dict(request.headers) == {
        "User-Agent": "ua/1", "accept": "text/markdown", "Content-Type": "application/json"
    }


# ------------------------------------------------------------------ timeouts and the deadline


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (5, Timeout(total=5.0, connect=5.0, deadline=180.0)),
        (30.5, Timeout(total=30.5, connect=10.0, deadline=180.0)),
        (600, Timeout(total=600.0, connect=10.0, deadline=600.0)),
        (None, Timeout(total=None, connect=None, deadline=None)),
        (Timeout(total=1, connect=2, deadline=3), Timeout(total=1, connect=2, deadline=3)),
    ],
)
def test_per_call_timeout_replaces_the_default(given: Any, expected: Timeout) -> None:
    request = build_request(DEFAULTS, "GET", "/x", options=RequestOptions(timeout=given))
    assert request.timeout == expected


def test_default_timeout_when_none_given() -> None:
    assert build_request(DEFAULTS, "GET", "/x").timeout is DEFAULTS.timeout


@pytest.mark.parametrize("bad", ["5", True, [1]])
def test_bad_per_call_timeout_is_a_type_error(bad: Any) -> None:
    with pytest.raises(TypeError, match="`timeout` must be a number, a Timeout or None"):
        build_request(DEFAULTS, "GET", "/x", options=RequestOptions(timeout=bad))


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan")])
def test_non_positive_per_call_timeout_is_a_value_error(bad: float) -> None:
    with pytest.raises(ValueError, match="`total` must be a positive, finite number"):
        build_request(DEFAULTS, "GET", "/x", options=RequestOptions(timeout=bad))


def test_deadline_at_is_started_at_plus_the_deadline() -> None:
    request = build_request(DEFAULTS, "GET", "/x", started_at=1000.0)
    assert request.deadline_at == 1180.0
    custom = build_request(
        DEFAULTS, "GET", "/x", started_at=50.0,
        options=RequestOptions(timeout=Timeout(total=1, connect=1, deadline=7.5)),
    )
    assert custom.deadline_at == 57.5


def test_no_deadline_without_a_start_or_a_deadline() -> None:
    assert build_request(DEFAULTS, "GET", "/x").deadline_at is None
    none = build_request(DEFAULTS, "GET", "/x", started_at=10.0,
                         options=RequestOptions(timeout=None))
    assert none.deadline_at is None


async def test_client_fixes_the_deadline_when_the_call_starts() -> None:
    import time

    stub = StubTransport(200, ASSISTANT)
    client = stub_client(stub, timeout=Timeout(total=5, connect=1, deadline=42))
    before = time.monotonic()
    await client.ai.assistants.retrieve(A)
    after = time.monotonic()
    deadline_at = stub.requests[0].deadline_at
    assert deadline_at is not None
    assert before + 42 <= deadline_at <= after + 42


# ------------------------------------------------------------------ path IDs


def test_empty_id_message_matches_the_official_sdk() -> None:
    with pytest.raises(ValueError) as info:
        build_request(DEFAULTS, "GET", "/ai/assistants/{assistant_id}",
                      path_params={"assistant_id": ""})
    assert "Expected a non-empty value for `assistant_id` but received ''" in str(info.value)


@pytest.mark.parametrize("dots", [".", ".."])
def test_dot_ids_are_refused(dots: str) -> None:
    with pytest.raises(ValueError, match=r"`tag` cannot be '\.{1,2}': it is a relative path"):
        build_request(DEFAULTS, "DELETE", "/ai/assistants/{assistant_id}/tags/{tag}",
                      path_params={"assistant_id": "a", "tag": dots})


@pytest.mark.parametrize("value", [5, None, b"abc", 1.5, ["a"]])
def test_non_str_ids_are_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match=f"`test_id` must be a str, got {type(value).__name__}"):
        build_request(DEFAULTS, "GET", "/ai/assistants/tests/{test_id}",
                      path_params={"test_id": value})


def test_ids_are_one_escaped_segment() -> None:
    request = build_request(
        DEFAULTS, "GET", "/ai/assistants/tests/{test_id}/runs/{run_id}",
        path_params={"test_id": "../admin", "run_id": "a?b#c"},
    )
    assert request.path == "/ai/assistants/tests/..%2Fadmin/runs/a%3Fb%23c"
    assert request.url == BASE + request.path
    assert request.route == "/ai/assistants/tests/{test_id}/runs/{run_id}"


@pytest.mark.parametrize(
    "value",
    ["assistant-6f0c2a1e-4b7d-4e58-9a3c-0d1e2f3a4b5c", "A.b_c~d-9", "a b", "a/b", "a%2F",
     "caf\u00e9", "a+b", "a:b", "\u2603", "x..y", "~", "-", "a#"],
)
def test_ids_are_encoded_exactly_as_urllib_quote_does(value: str) -> None:
    """IDs of unreserved characters skip quote(); every ID still reads as quote() makes it."""
    from urllib.parse import quote

    request = build_request(DEFAULTS, "GET", "/t/{x}", path_params={"x": value})
    assert request.path == "/t/" + quote(value, safe="")


# ------------------------------------------------------------------ frozen data


def test_request_is_frozen() -> None:
    request = build_request(DEFAULTS, "POST", "/ai/assistants", body={"a": 1})
    for field in attrs.fields(Request):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(request, field.name, None)
    assert repr(request) == "<Request POST /ai/assistants>"


def test_response_is_frozen() -> None:
    request = build_request(DEFAULTS, "GET", "/x")
    response = Response(status=200, headers=CIMultiDictProxy(CIMultiDict()), body=b"",
                        elapsed=0.0, request=request)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        response.status = 500  # type: ignore[misc]


def _all_requests() -> Iterator[Request]:
    for (method, route) in KEYS:
        yield build_request(DEFAULTS, method, route, path_params=fill(route))


def test_no_request_built_from_defaults_has_authorization() -> None:
    for request in _all_requests():
        assert "authorization" not in lowered(request.headers)


def test_an_idempotency_key_in_extra_headers_is_the_calls_key() -> None:
    """Any spelling of the header counts: the request is replay-safe and no automatic key replaces it."""
    defaults = RequestDefaults(base_url="https://h.test/v2", headers={}, timeout=Timeout())
    plain = build_request(
        defaults, "POST", "/ai/assistants",
        body={"name": "a"}, options=RequestOptions(extra_headers={"idempotency-key": "mine-1"}),
    )
    assert plain.idempotency_key == "mine-1"
    assert plain.replay_safe
    assert [k for k in plain.headers if k.lower() == "idempotency-key"] == ["Idempotency-Key"]
    trigger = build_request(
        defaults, "POST", "/ai/assistants/tests/{test_id}/runs", path_params={"test_id": "t"},
        options=RequestOptions(extra_headers={"IDEMPOTENCY-KEY": "mine-2"}),
        new_key=lambda: "automatic",
    )
    assert trigger.idempotency_key == "mine-2"
