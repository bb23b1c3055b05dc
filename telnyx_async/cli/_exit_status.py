"""The exit statuses of ``telnyx-async`` (docs/cli.md lists them)."""

from __future__ import annotations

__all__ = ["EXIT_API_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_RUNS_FAILED", "EXIT_USAGE"]

EXIT_OK = 0
"""Every run passed, or the command did what it was asked."""
EXIT_RUNS_FAILED = 1
"""At least one run failed or ended in error."""
EXIT_USAGE = 2
"""The command line was wrong (argparse's own status)."""
EXIT_API_ERROR = 3
"""The API could not be used: authentication, connection, or an API error."""
EXIT_INTERRUPTED = 130
"""Stopped with Ctrl-C (SIGINT), as shells report it."""
