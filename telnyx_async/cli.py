"""``telnyx-async``: the command line (also ``python -m telnyx_async``).

::

    telnyx-async demo [--write]
    telnyx-async assistants list [--json]
    telnyx-async tests list [--suite NAME] [--json]
    telnyx-async tests run (--suite NAME | --test ID [--test ID ...]) [--concurrency N]
                           [--version ID] [--timeout S] [--junit FILE] [--json]

``--fake`` (before or after the command) runs against an embedded
:class:`~telnyx_async.testing.FakeTelnyx` seeded with a demo suite, on a clock
running ten times faster than the wall clock. Otherwise the API key comes from
``$TELNYX_API_KEY`` (and the URL from ``$TELNYX_BASE_URL``, if set); the key is
never printed.

Exit status: 0 every run passed (or the command succeeded), 1 some run failed
or errored, 2 usage error, 3 API, connection or authentication error.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as _dt
import importlib.util
import json
import os
import sys
import time
import traceback
import uuid
import xml.etree.ElementTree as ET
from collections.abc import AsyncGenerator, Callable, Generator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs

from telnyx_async._version import __version__
from telnyx_async.errors import APIError, TelnyxError
from telnyx_async.orchestration import BatchSummary, RunBatch, RunOutcome

if TYPE_CHECKING:
    from telnyx_async._client import AsyncTelnyx
    from telnyx_async.models.tests import AssistantTestResponse
    from telnyx_async.testing import FakeTelnyx

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_OK",
    "EXIT_RUNS_FAILED",
    "EXIT_USAGE",
    "junit_report",
    "main",
]

EXIT_OK = 0
"""Every run passed, or the command did what it was asked."""
EXIT_RUNS_FAILED = 1
"""At least one run failed or ended in error."""
EXIT_USAGE = 2
"""The command line was wrong (argparse's own status)."""
EXIT_API_ERROR = 3
"""The API could not be used: authentication, connection, or an API error."""

FAKE_SPEED = 10.0
"""How much faster than the wall clock time runs in ``--fake`` mode."""

_DEBUG_ENV = "TELNYX_ASYNC_DEBUG"


# ---------------------------------------------------------------------- output


def _redactor(secret: str | None) -> Callable[[str], str]:
    if not secret:
        return lambda text: text
    return lambda text: text.replace(secret, "***")


class _UI:
    """Everything the CLI writes goes through here, so the API key can never be printed.

    With ``rich`` installed and stdout a terminal, tables and progress are
    drawn with rich; otherwise the output is plain text, one line per event.
    """

    def __init__(self, *, out: IO[str], err: IO[str], secret: str | None, fancy: bool) -> None:
        self.out = out
        self.err = err
        self.clean = _redactor(secret)
        self.console: Any = None
        if fancy:
            from rich.console import Console

            self.console = Console(file=out, highlight=False)

    @classmethod
    def create(cls, *, secret: str | None, machine: bool) -> _UI:
        out = sys.stdout
        fancy = not machine and out.isatty() and importlib.util.find_spec("rich") is not None
        return cls(out=out, err=sys.stderr, secret=secret, fancy=fancy)

    def say(self, text: str = "", *, style: str | None = None) -> None:
        text = self.clean(text)
        if self.console is not None:
            self.console.print(text, style=style, markup=False)
        else:
            print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        line = " ".join(self.clean(text).split())
        print(f"telnyx-async: error: {line}", file=self.err, flush=True)

    def raw(self, text: str) -> None:
        print(self.clean(text), file=self.out, flush=True)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        styles: Sequence[str | None] | None = None,
    ) -> None:
        rows = [[self.clean(cell) for cell in row] for row in rows]
        if self.console is not None:
            from rich.table import Table
            from rich.text import Text

            table = Table(*columns, show_lines=False)
            for i, row in enumerate(rows):
                style = styles[i] if styles else None
                table.add_row(*(Text(cell) for cell in row), style=style)
            self.console.print(table)
            return
        widths = [
            max([len(col)] + [len(row[i]) for row in rows]) for i, col in enumerate(columns)
        ]

        def join(cells: Sequence[str]) -> str:
            return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True))

        lines = [join(columns), join(["-" * w for w in widths])] + [join(row) for row in rows]
        for line in lines:
            print(line.rstrip(), file=self.out)
        self.out.flush()

    @contextlib.contextmanager
    def progress(self, description: str) -> Generator[_Progress, None, None]:
        if self.console is None:
            yield _Progress(self, None, None)
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        ) as bar:
            task = bar.add_task(self.clean(description), total=None)
            yield _Progress(self, bar, task)


class _Progress:
    """Live progress of a batch: a rich bar, or one plain line per finished run."""

    def __init__(self, ui: _UI, bar: Any, task: Any) -> None:
        self.ui = ui
        self.bar = bar
        self.task = task
        self.count = 0

    def finished(self, outcome: RunOutcome, name: str, total: int | None) -> None:
        self.count += 1
        label, style = _LABELS[outcome.outcome]
        line = f"{label:<6} {name} ({outcome.duration:.2f}s)"
        detail = _detail(outcome)
        if detail:
            line += f": {detail}"
        if self.bar is None:
            of = f"/{total}" if total is not None else ""
            self.ui.say(f"[{self.count}{of}] {line}")
            return
        self.bar.update(self.task, total=total, completed=self.count)
        self.bar.console.print(self.ui.clean(line), style=style, markup=False, highlight=False)


_LABELS: Mapping[str, tuple[str, str]] = {
    "passed": ("PASS", "green"),
    "failed": ("FAIL", "red"),
    "error": ("ERROR", "yellow"),
}


def _detail(outcome: RunOutcome) -> str:
    if outcome.error is not None:
        return f"{type(outcome.error).__name__}: {outcome.error}"
    if outcome.failed_criteria:
        return "failed: " + ", ".join(outcome.failed_criteria)
    if outcome.outcome == "error":
        return f"run ended with status {outcome.status}"
    return ""


# ---------------------------------------------------------------------- JUnit


def junit_report(
    summary: BatchSummary, *, classname: Callable[[RunOutcome], str] | None = None
) -> ET.ElementTree:
    """Build a JUnit XML report of a batch: one ``<testcase>`` per run.

    ``classname`` is the suite's name (or ``"telnyx"``) unless ``classname``
    says otherwise; ``name`` is the test's name (its ID when unknown) and
    ``time`` the run's duration. A failed run gets a ``<failure>`` listing
    the rubric items it failed; a run that errored, timed out or could not
    be started or polled gets an ``<error>``. Run logs go in ``<system-out>``.
    """

    def class_of(outcome: RunOutcome) -> str:
        if classname is not None:
            return classname(outcome)
        return summary.suite or "telnyx"

    root = ET.Element("testsuites", name="telnyx-async")
    suite = ET.SubElement(
        root,
        "testsuite",
        name=summary.suite or "telnyx",
        tests=str(summary.total),
        failures=str(summary.failed),
        errors=str(summary.errored),
        skipped="0",
        time=f"{summary.wall_time:.3f}",
        timestamp=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
    )
    for key in ("tests", "failures", "errors", "time"):
        root.set(key, suite.get(key, ""))
    for outcome in summary.outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=class_of(outcome),
            name=outcome.test or outcome.test_id,
            time=f"{outcome.duration:.3f}",
        )
        props = ET.SubElement(case, "properties")
        for key, value in (
            ("test_id", outcome.test_id),
            ("run_id", outcome.run_id),
            ("status", outcome.status),
        ):
            if value is not None:
                ET.SubElement(props, "property", name=key, value=value)
        if outcome.outcome == "failed":
            criteria = outcome.failed_criteria
            failure = ET.SubElement(
                case,
                "failure",
                message="failed criteria: " + (", ".join(criteria) or "(none reported)"),
                type="failed",
            )
            failure.text = "\n".join(f"- {name}: failed" for name in criteria)
        elif outcome.outcome == "error":
            error = outcome.error
            kind = type(error).__name__ if error is not None else outcome.status
            error_el = ET.SubElement(
                case,
                "error",
                message=_detail(outcome),
                type=kind,
            )
            error_el.text = _detail(outcome)
        logs = outcome.run.logs if outcome.run is not None else None
        if logs:
            ET.SubElement(case, "system-out").text = logs
    ET.indent(root)
    return ET.ElementTree(root)


# ---------------------------------------------------------------------- connecting


@attrs.frozen
class _Env:
    client: AsyncTelnyx
    fake: FakeTelnyx | None


class _FastClock:
    """Fake time that runs ``speed`` times faster than the wall clock (``--fake`` mode)."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.origin = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self.origin) * self.speed

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.speed)


@contextlib.asynccontextmanager
async def _connect(use_fake: bool) -> AsyncGenerator[_Env, None]:
    if use_fake:
        from telnyx_async.testing import FakeTelnyx

        clock = _FastClock(FAKE_SPEED)
        async with FakeTelnyx(clock=clock) as fake:
            fake.seed_demo()
            async with fake.client(sleep=clock.sleep) as client:
                yield _Env(client, fake)
    else:
        from telnyx_async._client import AsyncTelnyx

        async with AsyncTelnyx() as client:
            yield _Env(client, None)


# ---------------------------------------------------------------------- commands


async def _cmd_assistants_list(env: _Env, args: argparse.Namespace, ui: _UI) -> int:
    assistants = await env.client.ai.assistants.list().to_list()
    if args.json:
        ui.raw(json.dumps([
            {"id": a.id, "name": a.name, "model": a.model} for a in assistants
        ], indent=2))
        return EXIT_OK
    ui.table(
        ["ID", "Name", "Model"],
        [[a.id, a.name, a.model or ""] for a in assistants],
    )
    ui.say(f"{len(assistants)} assistant(s)")
    return EXIT_OK


async def _cmd_tests_list(env: _Env, args: argparse.Namespace, ui: _UI) -> int:
    tests_api = env.client.ai.assistants.tests
    pager = tests_api.list(test_suite=args.suite) if args.suite else tests_api.list()
    tests = await pager.to_list()
    if args.json:
        ui.raw(json.dumps([
            {
                "test_id": t.test_id,
                "name": t.name,
                "test_suite": t.test_suite,
                "telnyx_conversation_channel": str(t.telnyx_conversation_channel),
            }
            for t in tests
        ], indent=2))
        return EXIT_OK
    ui.table(
        ["Test ID", "Name", "Suite", "Channel"],
        [
            [t.test_id, t.name, t.test_suite or "", str(t.telnyx_conversation_channel)]
            for t in tests
        ],
    )
    ui.say(f"{len(tests)} test(s)")
    return EXIT_OK


async def _test_details(
    env: _Env, test_ids: Sequence[str], concurrency: int
) -> dict[str, AssistantTestResponse]:
    """The tests behind ``--test`` IDs (for names and suites). Unknown IDs are left out."""
    from telnyx_async.errors import NotFoundError

    limit = asyncio.Semaphore(concurrency)
    found: dict[str, AssistantTestResponse] = {}

    async def one(test_id: str) -> None:
        async with limit:
            with contextlib.suppress(NotFoundError):
                found[test_id] = await env.client.ai.assistants.tests.retrieve(test_id)

    await asyncio.gather(*(one(t) for t in dict.fromkeys(test_ids)))
    return found


async def _follow(batch: RunBatch, ui: _UI, *, quiet: bool, describe: str) -> BatchSummary:
    """Show each run as it finishes (unless ``quiet``), then return the summary."""
    if quiet:
        return await batch
    with ui.progress(describe) as progress:
        async for outcome in batch:
            progress.finished(outcome, outcome.test or outcome.test_id, batch.size)
    return await batch


def _results(ui: _UI, summary: BatchSummary) -> None:
    rows: list[list[str]] = []
    styles: list[str | None] = []
    for outcome in summary.outcomes:
        label, style = _LABELS[outcome.outcome]
        rows.append([
            label,
            outcome.test or outcome.test_id,
            outcome.status,
            f"{outcome.duration:.2f}s",
            _detail(outcome),
        ])
        styles.append(style)
    ui.say()
    ui.table(["Result", "Test", "Status", "Time", "Details"], rows, styles=styles)
    ui.say(
        f"{summary.total} run(s): {summary.passed} passed, {summary.failed} failed, "
        f"{summary.errored} error(s) in {summary.wall_time:.1f}s",
        style="bold green" if summary.all_passed else "bold red",
    )


def _nothing_started(summary: BatchSummary) -> APIError | None:
    """The first error when no run of the batch could even be started because of the API."""
    if not summary.outcomes or any(o.run is not None for o in summary.outcomes):
        return None
    errors = [o.error for o in summary.outcomes]
    if all(isinstance(e, APIError) for e in errors):
        first = errors[0]
        assert isinstance(first, APIError)
        return first
    return None


async def _cmd_tests_run(env: _Env, args: argparse.Namespace, ui: _UI) -> int:
    tests_api = env.client.ai.assistants.tests
    options: dict[str, Any] = {
        "concurrency": args.concurrency,
        "timeout": args.timeout,
        "poll_interval": args.poll_interval,
        "max_poll_interval": max(args.poll_interval, 15.0),
    }
    if args.destination_version_id:
        options["destination_version_id"] = args.destination_version_id
    details: dict[str, AssistantTestResponse] = {}
    if args.suite:
        batch = tests_api.test_suites.run_and_wait(args.suite, **options)
        describe = f"suite {args.suite}"
    else:
        details = await _test_details(env, args.tests, args.concurrency)
        batch = tests_api.run_and_wait(args.tests, **options)
        describe = f"{len(args.tests)} test(s)"
    summary = await _follow(batch, ui, quiet=args.json, describe=describe)
    if details:
        summary = attrs.evolve(summary, outcomes=[
            attrs.evolve(o, test=details[o.test_id].name) if o.test_id in details else o
            for o in summary.outcomes
        ])
    if args.junit:
        def classname(outcome: RunOutcome) -> str:
            if args.suite:
                return str(args.suite)
            test = details.get(outcome.test_id)
            return (test.test_suite if test is not None else None) or "telnyx"

        report = junit_report(summary, classname=classname)
        for element in report.iter():
            for key, value in element.attrib.items():
                element.set(key, ui.clean(value))
            if element.text:
                element.text = ui.clean(element.text)
        try:
            report.write(args.junit, encoding="utf-8", xml_declaration=True)
        except OSError as exc:
            ui.error(f"cannot write the JUnit report to {args.junit}: {exc.strerror or exc}")
            return EXIT_USAGE
    blocked = _nothing_started(summary)
    if args.json:
        ui.raw(json.dumps(summary.to_dict(), indent=2))
    else:
        _results(ui, summary)
        if args.junit:
            ui.say(f"JUnit report written to {args.junit}")
    if blocked is not None:
        ui.error(f"no run could be started: {blocked}")
        return EXIT_API_ERROR
    return EXIT_OK if summary.all_passed else EXIT_RUNS_FAILED


async def _cmd_demo(env: _Env, args: argparse.Namespace, ui: _UI) -> int:
    if env.fake is not None:
        return await _demo_fake(env.client, env.fake, ui)
    return await _demo_live(env.client, ui, write=args.write)


async def _demo_fake(client: AsyncTelnyx, fake: FakeTelnyx, ui: _UI) -> int:
    ui.say("telnyx-async demo, against FakeTelnyx: an in-process fake of the Telnyx AI API",
           style="bold")
    ui.say(f"(its test runs play out {FAKE_SPEED:g}x faster than real time; "
           "set TELNYX_API_KEY to look at your own account instead)")
    ui.say()
    ui.say(">>> assistant = await client.ai.assistants.create(name=..., instructions=...)",
           style="cyan")
    assistant = await client.ai.assistants.create(
        name="Pizza helper",
        instructions="You take pizza orders. Ask for the size and the toppings.",
        greeting="Hi! Which pizza would you like?",
    )
    ui.say(f"    created assistant {assistant.id} ({assistant.name!r}, model {assistant.model})")
    ui.say()
    ui.say(">>> reply = await client.ai.assistants.chat(assistant.id, content=..., "
           "conversation_id=...)", style="cyan")
    reply = await client.ai.assistants.chat(
        assistant.id, content="A large margherita, please.", conversation_id=str(uuid.uuid4())
    )
    ui.say(f"    the assistant says: {reply.content}")
    ui.say()
    ui.say('>>> async for test in client.ai.assistants.tests.list(test_suite="demo"):',
           style="cyan")
    async for test in client.ai.assistants.tests.list(test_suite="demo"):
        ui.say(f"    - {test.name}  [{test.telnyx_conversation_channel}]")
    ui.say()
    ui.say(">>> suites = await client.ai.assistants.tests.test_suites.list()", style="cyan")
    suites = await client.ai.assistants.tests.test_suites.list()
    ui.say(f"    suites: {', '.join(suites.data)}")
    ui.say()
    ui.say('>>> batch = client.ai.assistants.tests.test_suites.run_and_wait("demo", '
           "concurrency=4)", style="cyan")
    ui.say(">>> async for outcome in batch: ...", style="cyan")
    batch = client.ai.assistants.tests.test_suites.run_and_wait("demo", concurrency=4)
    summary = await _follow(batch, ui, quiet=False, describe="suite demo")
    _results(ui, summary)
    if summary.failed_criteria:
        ui.say()
        ui.say(">>> summary.failed_criteria", style="cyan")
        for item in summary.failed_criteria:
            ui.say(f"    {item.test}: rubric item {item.name!r} failed")
    ui.say()
    ui.say(
        f"The fake answered {len(fake.requests)} requests, at most {fake.max_in_flight} at once. "
        "Two demo tests fail on purpose; the demo itself succeeded."
    )
    return EXIT_OK


async def _demo_live(client: AsyncTelnyx, ui: _UI, *, write: bool) -> int:
    ui.say(f"telnyx-async demo, against {client.base_url}", style="bold")
    if not write:
        ui.say("(read-only; pass --write to also create, chat with and delete an assistant)")
    ui.say()
    ui.say(">>> await client.ai.assistants.list().to_list(limit=10)", style="cyan")
    assistants = await client.ai.assistants.list().to_list(limit=10)
    for a in assistants:
        ui.say(f"    - {a.name}  ({a.id})")
    if not assistants:
        ui.say("    (no assistants)")
    ui.say()
    ui.say(">>> await client.ai.assistants.tests.list().to_list(limit=10)", style="cyan")
    tests = await client.ai.assistants.tests.list().to_list(limit=10)
    for t in tests:
        ui.say(f"    - {t.name}  (suite {t.test_suite or '-'}, {t.test_id})")
    if not tests:
        ui.say("    (no tests)")
    ui.say()
    ui.say(">>> await client.ai.assistants.tests.test_suites.list()", style="cyan")
    suites = await client.ai.assistants.tests.test_suites.list()
    ui.say(f"    suites: {', '.join(suites.data) or '(none)'}")
    if write:
        ui.say()
        ui.say(">>> await client.ai.assistants.create(...)", style="cyan")
        assistant = await client.ai.assistants.create(
            name="telnyx-async demo (safe to delete)",
            instructions="You are a short-lived demo assistant. Answer in one sentence.",
        )
        ui.say(f"    created {assistant.id}")
        try:
            reply = await client.ai.assistants.chat(
                assistant.id, content="Say hello.", conversation_id=str(uuid.uuid4())
            )
            ui.say(f"    the assistant says: {reply.content}")
        finally:
            await client.ai.assistants.delete(assistant.id)
            ui.say(f"    deleted {assistant.id}")
    if rate := client.rate_limit:
        ui.say()
        ui.say(f"rate limit: {rate.remaining} of {rate.limit} left, resets in {rate.reset}s")
    return EXIT_OK


# ---------------------------------------------------------------------- parsing


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``telnyx-async``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--fake", action="store_true", default=argparse.SUPPRESS,
        help="use an embedded FakeTelnyx with a demo suite instead of the API",
    )
    parser = argparse.ArgumentParser(
        prog="telnyx-async",
        description="Work with Telnyx AI assistants and run their tests. "
        "The API key is read from TELNYX_API_KEY.",
        epilog="exit status: 0 all passed, 1 some run failed, 2 usage error, 3 API error",
    )
    parser.add_argument(
        "--fake", action="store_true",
        help="use an embedded FakeTelnyx with a demo suite instead of the API (no key needed)",
    )
    parser.add_argument("--version", action="version", version=f"telnyx-async {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser(
        "demo", parents=[common], help="a short tour of the SDK",
        description="A short tour of the SDK. Without TELNYX_API_KEY it runs against FakeTelnyx; "
        "with it, it only reads your account unless --write is given.",
    )
    demo.add_argument(
        "--write", action="store_true",
        help="with a real key: also create, chat with and delete a demo assistant",
    )

    assistants = commands.add_parser("assistants", help="AI assistants")
    assistant_cmds = assistants.add_subparsers(dest="action", metavar="ACTION", required=True)
    alist = assistant_cmds.add_parser("list", parents=[common], help="list assistants")
    alist.add_argument("--json", action="store_true", help="print JSON")

    tests = commands.add_parser("tests", help="assistant tests and their runs")
    test_cmds = tests.add_subparsers(dest="action", metavar="ACTION", required=True)
    tlist = test_cmds.add_parser("list", parents=[common], help="list tests")
    tlist.add_argument("--suite", help="only the tests of this suite")
    tlist.add_argument("--json", action="store_true", help="print JSON")

    run = test_cmds.add_parser(
        "run", parents=[common], help="run tests and wait for the results",
        description="Trigger runs of a suite or of given tests, follow them to the end and "
        "report. Exit status 0 only when every run passed.",
    )
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--suite", help="run every test of this suite")
    which.add_argument(
        "--test", dest="tests", action="append", metavar="ID", help="run this test (repeatable)"
    )
    run.add_argument(
        "--concurrency", type=_positive_int, default=10,
        help="requests in flight at most (default 10)",
    )
    run.add_argument(
        "--version", dest="destination_version_id", metavar="ID",
        help="run against this assistant version",
    )
    run.add_argument(
        "--timeout", type=_positive_float, metavar="S",
        help="give up waiting after S seconds (default 3900)",
    )
    run.add_argument(
        "--poll-interval", type=_positive_float, default=1.0, metavar="S",
        help="first pause between polls (default 1)",
    )
    run.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    run.add_argument("--json", action="store_true", help="print a JSON summary instead")
    return parser


_HANDLERS: Mapping[tuple[str, str | None], Callable[..., Any]] = {
    ("demo", None): _cmd_demo,
    ("assistants", "list"): _cmd_assistants_list,
    ("tests", "list"): _cmd_tests_list,
    ("tests", "run"): _cmd_tests_run,
}


async def _run(args: argparse.Namespace, ui: _UI) -> int:
    handler = _HANDLERS[(args.command, getattr(args, "action", None))]
    use_fake = bool(args.fake) or (args.command == "demo" and not os.environ.get("TELNYX_API_KEY"))
    try:
        async with _connect(use_fake) as env:
            code: int = await handler(env, args, ui)
            return code
    except TelnyxError as exc:
        ui.error(str(exc))
        return EXIT_API_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse prints it)
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_USAGE)
    secret = os.environ.get("TELNYX_API_KEY") or None
    ui = _UI.create(secret=secret, machine=bool(getattr(args, "json", False)))
    try:
        return asyncio.run(_run(args, ui))
    except KeyboardInterrupt:
        ui.error("interrupted")
        return 130
    except Exception as exc:  # a bug: say so in one line; the traceback only on request
        if os.environ.get(_DEBUG_ENV):
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        ui.error(
            f"unexpected {type(exc).__name__}: {exc} (set {_DEBUG_ENV}=1 for a traceback)"
        )
        return EXIT_API_ERROR
