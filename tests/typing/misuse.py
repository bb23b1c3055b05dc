"""Mistakes a type checker must catch in code using telnyx_async (type-checked only).

A comment ``# expect: mypy[CODE] pyright[RULE]`` says that the line after it
must get that error from mypy --strict and from pyright in strict mode; no
other line may get any (``test_typing.py`` checks both). There is no
type-ignore comment anywhere, so the errors are real.
"""

from __future__ import annotations

from telnyx_async import AsyncTelnyx, RetryConfig, Timeout
from telnyx_async.models import Assistant, AssistantTestResponse


async def misuse(client: AsyncTelnyx) -> None:
    # expect: mypy[call-arg] pyright[reportCallIssue]
    await client.ai.assistants.retrieve()
    # expect: mypy[arg-type] pyright[reportArgumentType]
    await client.ai.assistants.retrieve(42)
    # expect: mypy[call-arg] pyright[reportCallIssue]
    await client.ai.assistants.tests.runs.retrieve("run")
    # expect: mypy[call-arg] pyright[reportCallIssue]
    await client.ai.assistants.tests.create(name="x")
    # expect: mypy[call-arg] pyright[reportCallIssue]
    client.ai.assistants.tests.list(suite="smoke")
    # expect: mypy[arg-type] pyright[reportArgumentType]
    client.ai.assistants.tests.list(page_size="10")
    # expect: mypy[arg-type] pyright[reportArgumentType]
    await client.ai.assistants.tests.runs.trigger("t", idempotency_key=5)

    page = await client.ai.assistants.tests.list()
    # expect: mypy[attr-defined] pyright[reportAttributeAccessIssue]
    print(page.data[0].no_such_field)
    async for test in client.ai.assistants.tests.list():
        # expect: mypy[attr-defined] pyright[reportAttributeAccessIssue]
        print(test.no_such_field)
        # expect: mypy[assignment] pyright[reportAssignmentType]
        count: int = test.name
        print(count)
    # expect: mypy[attr-defined] pyright[reportGeneralTypeIssues]
    for _ in client.ai.assistants.tests.list():
        pass

    # expect: mypy[assignment] pyright[reportAssignmentType]
    wrong: AssistantTestResponse = await client.ai.assistants.retrieve("a")
    print(wrong)
    # expect: mypy[assignment] pyright[reportAssignmentType]
    others: list[Assistant] = await client.ai.assistants.tests.list().to_list()
    print(others)
    not_awaited = client.ai.assistants.retrieve("a")
    # expect: mypy[attr-defined] pyright[reportAttributeAccessIssue]
    print(not_awaited.name)
    # expect: mypy[unused-coroutine] pyright[reportUnusedCoroutine]
    client.ai.assistants.delete("a")


def misconfigure() -> None:
    # expect: mypy[arg-type] pyright[reportArgumentType]
    AsyncTelnyx(max_retries="3")
    # expect: mypy[arg-type] pyright[reportArgumentType]
    AsyncTelnyx(timeout="30s")
    # expect: mypy[arg-type] pyright[reportArgumentType]
    Timeout(total="5")
    # expect: mypy[arg-type] pyright[reportArgumentType]
    RetryConfig(max_retries=2.5)
    # expect: mypy[call-arg] pyright[reportCallIssue]
    AsyncTelnyx(retries=3)


async def misuse_raw(client: AsyncTelnyx) -> None:
    # expect: mypy[arg-type] pyright[reportArgumentType]
    await client.ai.assistants.with_raw_response.retrieve(42)
    # expect: mypy[call-arg] pyright[reportCallIssue]
    await client.ai.assistants.tests.with_raw_response.create(name="x")
    # expect: mypy[call-arg] pyright[reportCallIssue]
    await client.ai.assistants.with_raw_response.delete("a", hard=True)
    raw = await client.ai.assistants.with_raw_response.retrieve("a")
    # expect: mypy[assignment] pyright[reportAssignmentType]
    wrong: AssistantTestResponse = await raw.parse()
    print(wrong)
    # expect: mypy[attr-defined] pyright[reportAttributeAccessIssue]
    print(raw.status)
    # expect: mypy[attr-defined] pyright[reportAttributeAccessIssue]
    print((await raw.parse()).no_such_field)
    # expect: mypy[misc] pyright[reportGeneralTypeIssues]
    await client.ai.assistants.with_streaming_response.retrieve("a")
    # expect: mypy[call-arg] pyright[reportCallIssue]
    await client.get("/ai/assistants")
    # expect: mypy[arg-type] pyright[reportAssignmentType]
    text: int = await client.get("/ai/assistants/a/texml", cast_to=str)
    print(text)
