"""``main``: parse the command line, run the command on its own event loop, pick the exit status."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence

from telnyx_async.errors import TelnyxError

from ._commands import assistants_list, tests_list, tests_run
from ._connect import Connection, connect
from ._demo import demo
from ._exit_status import EXIT_API_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ._output import Output
from ._parser import build_parser

__all__ = ["COMMANDS", "DEBUG_ENV", "main"]

DEBUG_ENV = "TELNYX_ASYNC_DEBUG"
"""Set (to anything) to see the traceback of an unexpected failure."""

Command = Callable[[Connection, argparse.Namespace, Output], Awaitable[int]]

COMMANDS: Mapping[tuple[str, str | None], Command] = {
    ("demo", None): demo,
    ("assistants", "list"): assistants_list,
    ("tests", "list"): tests_list,
    ("tests", "run"): tests_run,
}
"""(command, action) as parsed -> the coroutine function that carries it out."""


async def _run_command(args: argparse.Namespace, output: Output) -> int:
    command = COMMANDS[(args.command, getattr(args, "action", None))]
    use_fake = bool(args.fake) or (args.command == "demo" and not os.environ.get("TELNYX_API_KEY"))
    try:
        async with connect(use_fake) as connection:
            return await command(connection, args, output)
    except TelnyxError as exc:
        output.error(str(exc))
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
    output = Output.create(secret=secret, machine=bool(getattr(args, "json", False)))
    try:
        return asyncio.run(_run_command(args, output))
    except KeyboardInterrupt:
        output.error("interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line; the traceback only on request
        if os.environ.get(DEBUG_ENV):
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        output.error(
            f"unexpected {type(exc).__name__}: {exc} (set {DEBUG_ENV}=1 for a traceback)"
        )
        return EXIT_API_ERROR
