"""The command tree of ``telnyx-async`` and its arguments (argparse)."""

from __future__ import annotations

import argparse

from telnyx_async._version import __version__

__all__ = ["build_parser", "positive_float", "positive_int"]


def positive_int(text: str) -> int:
    """Parse an argument that must be a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def positive_float(text: str) -> float:
    """Parse an argument that must be a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``telnyx-async``.

    The parsed namespace has ``command`` (``demo``, ``assistants``, ``tests``),
    ``action`` for the last two (``list``, ``run``), ``fake``, and the options
    of the command.
    """
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
        "--concurrency", type=positive_int, default=10,
        help="requests in flight at most (default 10)",
    )
    run.add_argument(
        "--version", dest="destination_version_id", metavar="ID",
        help="run against this assistant version",
    )
    run.add_argument(
        "--deadline", "--timeout", dest="deadline", type=positive_float, metavar="S",
        help="give up waiting after S seconds (default 3900); --timeout is its old name",
    )
    run.add_argument(
        "--poll-interval", type=positive_float, default=1.0, metavar="S",
        help="first pause between polls (default 1)",
    )
    run.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    run.add_argument("--json", action="store_true", help="print a JSON summary instead")
    return parser
