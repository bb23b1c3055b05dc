"""``demo``: a short tour of the SDK, against the embedded fake or (read-only) the API."""

from __future__ import annotations

import argparse
import uuid
from typing import TYPE_CHECKING

from ._connect import FAKE_SPEED, Connection
from ._exit_status import EXIT_OK
from ._output import Output, follow_batch, print_results

if TYPE_CHECKING:
    from telnyx_async._client import AsyncTelnyx
    from telnyx_async.testing import FakeTelnyx

__all__ = ["demo", "demo_against_api", "demo_against_fake"]


async def demo(connection: Connection, args: argparse.Namespace, output: Output) -> int:
    """``demo [--write]``: the tour against the fake when there is one, else the API."""
    if connection.fake is not None:
        return await demo_against_fake(connection.client, connection.fake, output)
    return await demo_against_api(connection.client, output, write=args.write)


async def demo_against_fake(client: AsyncTelnyx, fake: FakeTelnyx, output: Output) -> int:
    """Create and chat with an assistant, list and run the demo suite; show each call."""
    say = output.say
    say("telnyx-async demo, against FakeTelnyx: an in-process fake of the Telnyx AI API",
        style="bold")
    say(f"(its test runs play out {FAKE_SPEED:g}x faster than real time; "
        "set TELNYX_API_KEY to look at your own account instead)")
    say()
    say(">>> assistant = await client.ai.assistants.create(name=..., instructions=...)",
        style="cyan")
    assistant = await client.ai.assistants.create(
        name="Pizza helper",
        instructions="You take pizza orders. Ask for the size and the toppings.",
        greeting="Hi! Which pizza would you like?",
    )
    say(f"    created assistant {assistant.id} ({assistant.name!r}, model {assistant.model})")
    say()
    say(">>> reply = await client.ai.assistants.chat(assistant.id, content=..., "
        "conversation_id=...)", style="cyan")
    reply = await client.ai.assistants.chat(
        assistant.id, content="A large margherita, please.", conversation_id=str(uuid.uuid4())
    )
    say(f"    the assistant says: {reply.content}")
    say()
    say('>>> async for test in client.ai.assistants.tests.list(test_suite="demo"):',
        style="cyan")
    async for test in client.ai.assistants.tests.list(test_suite="demo"):
        say(f"    - {test.name}  [{test.telnyx_conversation_channel}]")
    say()
    say(">>> suites = await client.ai.assistants.tests.test_suites.list()", style="cyan")
    suites = await client.ai.assistants.tests.test_suites.list()
    say(f"    suites: {', '.join(suites.data)}")
    say()
    say('>>> batch = client.ai.assistants.tests.test_suites.run_and_wait("demo", '
        "concurrency=4)", style="cyan")
    say(">>> async for outcome in batch: ...", style="cyan")
    batch = client.ai.assistants.tests.test_suites.run_and_wait("demo", concurrency=4)
    summary = await follow_batch(batch, output, quiet=False, describe="suite demo")
    print_results(output, summary)
    if summary.failed_criteria:
        say()
        say(">>> summary.failed_criteria", style="cyan")
        for item in summary.failed_criteria:
            say(f"    {item.test}: rubric item {item.name!r} failed")
    say()
    say(
        f"The fake answered {len(fake.requests)} requests, at most {fake.max_in_flight} at once. "
        "Two demo tests fail on purpose; the demo itself succeeded."
    )
    return EXIT_OK


async def demo_against_api(client: AsyncTelnyx, output: Output, *, write: bool) -> int:
    """List assistants, tests and suites; with ``write``, also create, chat with, delete one."""
    say = output.say
    say(f"telnyx-async demo, against {client.base_url}", style="bold")
    if not write:
        say("(read-only; pass --write to also create, chat with and delete an assistant)")
    say()
    say(">>> await client.ai.assistants.list().to_list(limit=10)", style="cyan")
    assistants = await client.ai.assistants.list().to_list(limit=10)
    for a in assistants:
        say(f"    - {a.name}  ({a.id})")
    if not assistants:
        say("    (no assistants)")
    say()
    say(">>> await client.ai.assistants.tests.list().to_list(limit=10)", style="cyan")
    tests = await client.ai.assistants.tests.list().to_list(limit=10)
    for t in tests:
        say(f"    - {t.name}  (suite {t.test_suite or '-'}, {t.test_id})")
    if not tests:
        say("    (no tests)")
    say()
    say(">>> await client.ai.assistants.tests.test_suites.list()", style="cyan")
    suites = await client.ai.assistants.tests.test_suites.list()
    say(f"    suites: {', '.join(suites.data) or '(none)'}")
    if write:
        say()
        say(">>> await client.ai.assistants.create(...)", style="cyan")
        assistant = await client.ai.assistants.create(
            name="telnyx-async demo (safe to delete)",
            instructions="You are a short-lived demo assistant. Answer in one sentence.",
        )
        say(f"    created {assistant.id}")
        try:
            reply = await client.ai.assistants.chat(
                assistant.id, content="Say hello.", conversation_id=str(uuid.uuid4())
            )
            say(f"    the assistant says: {reply.content}")
        finally:
            await client.ai.assistants.delete(assistant.id)
            say(f"    deleted {assistant.id}")
    if rate := client.rate_limit:
        say()
        say(f"rate limit: {rate.remaining} of {rate.limit} left, resets in {rate.reset}s")
    return EXIT_OK
