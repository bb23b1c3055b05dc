"""Raw and streamed responses as users write them, checked by mypy --strict and pyright.

Not executed: ``test_typing.py`` type-checks this file. A raw call gives
``APIResponse[T]`` where the plain call gives ``T`` (a list call: its first
``Page[T]``); a streamed call is an ``async with`` around the same.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from multidict import CIMultiDictProxy
from typing_extensions import assert_type

from telnyx_async import (
    APIResponse,
    APIStatusError,
    AsyncAPIResponse,
    AsyncResponseContextManager,
    AsyncTelnyx,
    HTTPRequest,
    NotFoundError,
    Page,
    Response,
)
from telnyx_async.models import (
    Assistant,
    AssistantDeletedResponse,
    AssistantsListData,
    AssistantTestResponse,
    MCPServer,
    TagsResponse,
    TestRunResponse,
)

log = logging.getLogger(__name__)


async def raw_calls(client: AsyncTelnyx) -> None:
    raw = await client.ai.assistants.with_raw_response.retrieve("assistant-id")
    assert_type(raw, APIResponse[Assistant])
    assert_type(raw.status_code, int)
    assert_type(raw.headers, CIMultiDictProxy[str])
    assert_type(raw.headers.get("x-request-id"), str | None)
    assert_type(raw.http_request, HTTPRequest)
    assert_type(raw.http_request.headers["Authorization"], str)
    assert_type(raw.url, str)
    assert_type(raw.method, str)
    assert_type(raw.elapsed, datetime.timedelta)
    assert_type(raw.retries_taken, int)
    assert_type(await raw.parse(), Assistant)
    assert_type(await raw.parse(to=dict), dict[Any, Any])
    assert_type(await raw.read(), bytes)
    assert_type(await raw.text(), str)
    assert_type(await raw.json(), Any)

    created = await client.ai.assistants.with_raw_response.create(
        name="Support", instructions="Be brief.", model="openai/gpt-4o", tags=["support"]
    )
    assert_type(created, APIResponse[Assistant])
    deleted = await client.ai.assistants.with_raw_response.delete("assistant-id")
    assert_type(await deleted.parse(), AssistantDeletedResponse)
    texml = await client.ai.assistants.with_raw_response.get_texml("assistant-id")
    assert_type(await texml.parse(), str)
    gone = await client.ai.assistants.tests.with_raw_response.delete("test-id")
    assert_type(gone, APIResponse[None])

    first = await client.ai.assistants.tests.with_raw_response.list(test_suite="smoke")
    assert_type(first, APIResponse[Page[AssistantTestResponse]])
    page = await first.parse()
    assert_type(page.data, list[AssistantTestResponse])

    runs = await client.ai.assistants.tests.runs.with_raw_response.retrieve("r", test_id="t")
    assert_type(runs, APIResponse[TestRunResponse])
    suite = await client.ai.assistants.tests.test_suites.runs.with_raw_response.trigger("s")
    assert_type(await suite.parse(), list[TestRunResponse])
    versions = await client.ai.assistants.versions.with_raw_response.list("assistant-id")
    assert_type(versions, APIResponse[AssistantsListData])
    tags = await client.ai.assistants.with_raw_response.tags.list()  # the view's sub-resources
    assert_type(tags, APIResponse[TagsResponse])
    servers = await client.ai.mcp_servers.with_raw_response.list()
    assert_type(servers, APIResponse[Page[MCPServer]])

    # The official SDK's name for the same class.
    same: AsyncAPIResponse[Assistant] = raw
    print(same.request_id, raw.http_request.method, raw.is_closed)


async def streamed_calls(client: AsyncTelnyx) -> None:
    call = client.ai.assistants.tests.with_streaming_response.list()
    assert_type(call, AsyncResponseContextManager[Page[AssistantTestResponse]])
    async with call as response:
        assert_type(response, APIResponse[Page[AssistantTestResponse]])
        async for line in response.iter_lines():
            assert_type(line, str)
    async with client.ai.assistants.with_streaming_response.retrieve("a") as streamed:
        assert_type(await streamed.parse(), Assistant)
        async for chunk in streamed.iter_bytes(4096):
            assert_type(chunk, bytes)
    async with client.ai.integrations.connections.with_streaming_response.list() as conn:
        async for text in conn.iter_text():
            assert_type(text, str)


async def errors(client: AsyncTelnyx) -> None:
    try:
        await client.ai.assistants.retrieve("missing")
    except NotFoundError as err:
        assert_type(err.response, Response | None)
        if err.response is not None:
            log.warning("%s %s", err.response.status_code, err.response.text)
            assert_type(err.response.json(), Any)
    except APIStatusError as err:
        assert_type(err.status_code, int)


async def escape_hatch(client: AsyncTelnyx) -> None:
    assistant = await client.get("/ai/assistants/a", cast_to=Assistant)
    assert_type(assistant, Assistant)
    anything = await client.get("/ai/assistants", cast_to=dict[str, Any], params={"page[size]": 5})
    assert_type(anything, dict[str, Any])
    listed = await client.get("/ai/assistants/a/versions", cast_to=AssistantsListData)
    assert_type(listed.data, list[Assistant])
    many = await client.post("/ai/assistants/tests/test-suites/s/runs", cast_to=list[TestRunResponse])
    assert_type(many, list[TestRunResponse])
    text = await client.get("/ai/assistants/a/texml", cast_to=str)
    assert_type(text, str)
    made = await client.post("/ai/assistants", cast_to=Assistant, body={"name": "n"})
    assert_type(made, Assistant)
    assert_type(await client.delete("/ai/assistants/a", cast_to=dict), dict[Any, Any])
    assert_type(await client.put("/ai/mcp_servers/m", cast_to=MCPServer, body={}), MCPServer)
    assert_type(await client.patch("/ai/tools/t", cast_to=object, body={}), object)
