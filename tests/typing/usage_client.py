"""The public API as users write it, checked by mypy --strict and pyright (strict).

Not executed: ``test_typing.py`` type-checks this file. Every ``assert_type``
pins what a checker must infer; nothing here may come out as ``Any``.
"""

from __future__ import annotations

import datetime

from typing_extensions import assert_type

from telnyx_async import (
    UNSET,
    AsyncPager,
    AsyncTelnyx,
    Page,
    PageMeta,
    RateLimitInfo,
    RetryConfig,
    Timeout,
)
from telnyx_async.models import (
    Assistant,
    AssistantChatResponse,
    AssistantsListData,
    AssistantTestResponse,
    CanaryDeployResponse,
    MCPServer,
    ScheduledPhoneCallEventResponse,
    ScheduledSmsEventResponse,
    SharedToolResponse,
    TagsResponse,
    TestRunDetailResult,
    TestRunResponse,
    TestStatus,
    TestSuitesResponse,
    UnknownScheduledEventResponse,
)
from telnyx_async.resources.canary_deploys import VersionConfig


def construct() -> AsyncTelnyx:
    client = AsyncTelnyx(
        api_key="key",
        timeout=Timeout(total=30, connect=5, deadline=120),
        retry=RetryConfig(max_retries=4, max_retry_wait=90),
        max_concurrency=20,
    )
    assert_type(client.with_options(timeout=5, max_retries=0), AsyncTelnyx)
    assert_type(client.rate_limit, RateLimitInfo | None)
    assert_type(client.base_url, str)
    assert_type(Timeout.coerce(3), Timeout)
    return client


async def lists(client: AsyncTelnyx) -> None:
    async for test in client.ai.assistants.tests.list():
        assert_type(test, AssistantTestResponse)
        assert_type(test.test_id, str)
        assert_type(test.test_suite, str | None)
        assert_type(test.created_at, datetime.datetime)

    page = await client.ai.assistants.tests.list()
    assert_type(page, Page[AssistantTestResponse])
    assert_type(page.data, list[AssistantTestResponse])
    assert_type(page.meta, PageMeta | None)
    assert_type(page.total_pages, int | None)
    for item in page:
        assert_type(item, AssistantTestResponse)

    pager = client.ai.assistants.tests.list(test_suite="smoke", page_size=10, prefetch=0)
    assert_type(pager, AsyncPager[AssistantTestResponse])
    assert_type(await pager.to_list(limit=3), list[AssistantTestResponse])
    async for one_page in pager.pages():
        assert_type(one_page, Page[AssistantTestResponse])

    async for assistant in client.ai.assistants.list():
        assert_type(assistant, Assistant)
        assert_type(assistant.name, str)
    async for run in client.ai.assistants.tests.runs.list("test-id", status="failed"):
        assert_type(run, TestRunResponse)
        assert_type(run.status, TestStatus)
        assert_type(run.detail_status, list[TestRunDetailResult] | None)
    async for suite_run in client.ai.assistants.tests.test_suites.runs.list("smoke"):
        assert_type(suite_run, TestRunResponse)
    async for server in client.ai.mcp_servers.list():
        assert_type(server, MCPServer)
    async for tool in client.ai.tools.list():
        assert_type(tool, SharedToolResponse)
    async for event in client.ai.assistants.scheduled_events.list("assistant-id"):
        assert_type(
            event,
            ScheduledPhoneCallEventResponse
            | ScheduledSmsEventResponse
            | UnknownScheduledEventResponse,
        )
        if isinstance(event, ScheduledPhoneCallEventResponse):
            assert_type(event.scheduled_at_fixed_datetime, datetime.datetime)


async def calls(client: AsyncTelnyx) -> None:
    assert_type(await client.ai.assistants.retrieve("a"), Assistant)
    created = await client.ai.assistants.create(name="n", instructions="i")
    assert_type(created, Assistant)
    assert_type(created.version_id, str | None)
    reply = await client.ai.assistants.chat("a", content="hi", conversation_id="c")
    assert_type(reply, AssistantChatResponse)
    assert_type(reply.content, str)
    assert_type(await client.ai.assistants.get_texml("a"), str)
    assert_type(await client.ai.assistants.versions.list("a"), AssistantsListData)
    assert_type(await client.ai.assistants.tags.list(), TagsResponse)
    assert_type(await client.ai.assistants.tests.test_suites.list(), TestSuitesResponse)
    assert_type(await client.ai.assistants.tests.delete("t"), None)

    test = await client.ai.assistants.tests.create(
        name="Refund",
        destination="+15551234567",
        instructions="Ask for a refund.",
        rubric=[{"name": "Polite", "criteria": "Stays polite."}],
        test_suite=UNSET,
    )
    assert_type(test, AssistantTestResponse)
    run = await client.ai.assistants.tests.runs.trigger(test.test_id, idempotency_key="k-1")
    assert_type(run, TestRunResponse)
    final = await client.ai.assistants.tests.runs.wait(run.run_id, test_id=run.test_id)
    assert_type(final, TestRunResponse)
    suite_runs = await client.ai.assistants.tests.test_suites.runs.trigger("smoke")
    assert_type(suite_runs, list[TestRunResponse])

    canary = await client.ai.assistants.canary_deploys.create(
        "a", versions=[VersionConfig("v2", 10), {"version_id": "v3", "percentage": 5}]
    )
    assert_type(canary, CanaryDeployResponse)
    assert_type(canary.updated_at, datetime.datetime)
