"""``telnyx-async``: the command line (also ``python -m telnyx_async``).

::

    telnyx-async demo [--write]
    telnyx-async assistants list [--json]
    telnyx-async tests list [--suite NAME] [--json]
    telnyx-async tests run (--suite NAME | --test ID [--test ID ...]) [--concurrency N]
                           [--version ID] [--timeout S] [--junit FILE] [--json]

``--fake`` (before or after the command) runs against an embedded
:class:`~telnyx_async.testing.FakeTelnyx` seeded with a demo suite, on a
:class:`~telnyx_async.testing.FakeClock` moved ten times faster than the wall
clock. Otherwise the API key comes from ``$TELNYX_API_KEY`` (and the URL from
``$TELNYX_BASE_URL``, if set); the key is never printed.

Exit status: 0 every run passed (or the command succeeded), 1 some run failed
or errored, 2 usage error, 3 API, connection or authentication error.

One module per job: ``_parser`` (the command tree and its arguments),
``_commands`` (``assistants list``, ``tests list``, ``tests run``), ``_demo``,
``_output`` (the live view and tables), ``_junit`` (the JUnit XML report),
``_connect`` (the API or the fake) and ``_main`` (:func:`main`).
"""

# ``FAKE_SPEED`` and ``build_parser`` stay importable from here, as before,
# without being part of ``__all__``.
from ._connect import FAKE_SPEED as FAKE_SPEED
from ._exit_status import EXIT_API_ERROR, EXIT_OK, EXIT_RUNS_FAILED, EXIT_USAGE
from ._junit import junit_report
from ._main import main
from ._parser import build_parser as build_parser

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_OK",
    "EXIT_RUNS_FAILED",
    "EXIT_USAGE",
    "junit_report",
    "main",
]
