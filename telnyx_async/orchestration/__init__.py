"""Running assistant-test runs and waiting for them to finish, one or hundreds at a time.

* :func:`is_terminal` / :data:`TERMINAL_STATUSES`: when a run is over.
* ``client.ai.assistants.tests.runs.wait(run_id, test_id=...)``: poll one run
  until it is over (see :func:`wait_for_run`).
* ``client.ai.assistants.tests.run_and_wait([...])`` and
  ``client.ai.assistants.tests.test_suites.run_and_wait("suite")``: trigger
  runs and follow them all; both return a :class:`RunBatch`, which you
  ``await`` for a :class:`BatchSummary` or ``async for`` over for each
  :class:`RunOutcome` as it finishes.

Telnyx has no endpoint to cancel a test run. Cancelling a wait (or a batch)
stops *our* polling at once and sends nothing more; the runs themselves go on
at Telnyx and finish there.

Import everything from ``telnyx_async.orchestration``. The package keeps one
job per module (which statuses are final, the deadline of a wait, polling one
run, outcomes and summaries, batches); those modules are private.
"""

# ``Outcome`` (the type of ``RunOutcome.outcome``) and the protocols of the
# resource methods orchestration calls stay importable from here, as before,
# without being part of ``__all__``.
import warnings
from typing import Any

from ._batch import RunBatch
from ._deadline import DEFAULT_WAIT_DEADLINE
from ._outcomes import BatchSummary, FailedCriterion, RunOutcome
from ._outcomes import Outcome as Outcome
from ._poller import wait_for_run
from ._protocols import ListTests as ListTests
from ._protocols import RunsAPI as RunsAPI
from ._protocols import SuiteRunsAPI as SuiteRunsAPI
from ._statuses import TERMINAL_STATUSES, is_terminal

__all__ = [
    "DEFAULT_WAIT_DEADLINE",
    "TERMINAL_STATUSES",
    "BatchSummary",
    "FailedCriterion",
    "RunBatch",
    "RunOutcome",
    "is_terminal",
    "wait_for_run",
]



def __getattr__(name: str) -> Any:
    """``DEFAULT_WAIT_TIMEOUT``: the deprecated name of :data:`DEFAULT_WAIT_DEADLINE`."""
    if name == "DEFAULT_WAIT_TIMEOUT":
        warnings.warn(
            "telnyx_async.orchestration.DEFAULT_WAIT_TIMEOUT is deprecated; "
            "use DEFAULT_WAIT_DEADLINE (a whole wait's limit is its deadline)",
            DeprecationWarning,
            stacklevel=2,
        )
        return DEFAULT_WAIT_DEADLINE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
