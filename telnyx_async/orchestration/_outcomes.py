"""What a batch comes to: :class:`RunOutcome` per test, :class:`BatchSummary` for all."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

import attrs

from telnyx_async.models.tests import TestRunResponse

__all__ = ["BatchSummary", "FailedCriterion", "Outcome", "RunOutcome", "classify_outcome"]

Outcome = Literal["passed", "failed", "error"]


@attrs.frozen
class FailedCriterion:
    """A rubric item a run failed, and the test it belongs to."""

    test_id: str
    test: str | None
    """The test's name, when known."""
    run_id: str
    name: str
    """The rubric item's name."""


def classify_outcome(run: TestRunResponse | None, error: BaseException | None) -> Outcome:
    """Sort a run (its last state, and the error that stopped it) into an :data:`Outcome`."""
    if error is not None or run is None:
        return "error"
    status = str(run.status)
    if status == "passed":
        return "passed"
    if status == "failed":
        return "failed"
    if status == "completed":
        items = run.detail_status or []
        return "failed" if any(str(item.status) != "passed" for item in items) else "passed"
    return "error"


@attrs.frozen
class RunOutcome:
    """How one test of a batch ended.

    ``run`` is the last state of the run that was seen (final unless
    ``error`` is set; ``None`` when the run could not even be started).
    ``error`` is the exception that stopped this test (a failed trigger, a
    poll that kept failing, :class:`~telnyx_async.PollTimeoutError`), else ``None``.
    ``elapsed`` is the wall time from triggering to the final answer.
    """

    test_id: str
    test: str | None
    run: TestRunResponse | None
    error: Exception | None
    elapsed: float

    @property
    def run_id(self) -> str | None:
        """The run's ID, or ``None`` when it was never started."""
        return self.run.run_id if self.run is not None else None

    @property
    def status(self) -> str:
        """The run's last status (``"passed"``, ``"failed"``, ...), or ``"error"`` without a run."""
        return str(self.run.status) if self.run is not None else "error"

    @property
    def outcome(self) -> Outcome:
        """``"passed"``, ``"failed"`` (a rubric item failed) or ``"error"``.

        ``"error"`` covers runs the API ended with ``error``, ``timeout`` or
        ``cancelled``, and tests whose run could not be started or followed.
        A ``completed`` run counts as passed unless a rubric item did not pass.
        """
        return classify_outcome(self.run, self.error)

    @property
    def passed(self) -> bool:
        """True when the run finished and passed."""
        return self.outcome == "passed"

    @property
    def duration(self) -> float:
        """Seconds the run took: ``completed_at - created_at`` if the API says, else ``elapsed``."""
        run = self.run
        if run is not None and run.completed_at is not None:
            seconds = (run.completed_at - run.created_at).total_seconds()
            if seconds >= 0:
                return seconds
        return self.elapsed

    @property
    def failed_criteria(self) -> list[str]:
        """Names of the rubric items whose ``detail_status`` is ``failed``."""
        if self.run is None:
            return []
        return [
            item.name for item in self.run.detail_status or [] if str(item.status) == "failed"
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description of this outcome."""
        return {
            "test_id": self.test_id,
            "test": self.test,
            "run_id": self.run_id,
            "status": self.status,
            "outcome": self.outcome,
            "duration": round(self.duration, 3),
            "failed_criteria": self.failed_criteria,
            "error": None if self.error is None else f"{type(self.error).__name__}: {self.error}",
        }


@attrs.frozen
class BatchSummary:
    """What a :class:`RunBatch` came to.

    ``outcomes`` are in the order the tests were given (for a suite: the order
    the API returned its runs in); ``wall_time`` is the seconds the whole batch took.
    """

    outcomes: list[RunOutcome]
    wall_time: float
    suite: str | None = None

    @property
    def total(self) -> int:
        """How many tests the batch ran."""
        return len(self.outcomes)

    @property
    def passed(self) -> int:
        """How many runs passed."""
        return sum(1 for o in self.outcomes if o.outcome == "passed")

    @property
    def failed(self) -> int:
        """How many runs finished with a failed rubric item."""
        return sum(1 for o in self.outcomes if o.outcome == "failed")

    @property
    def errored(self) -> int:
        """How many runs ended in error, or could not be started or followed."""
        return sum(1 for o in self.outcomes if o.outcome == "error")

    @property
    def all_passed(self) -> bool:
        """True when every run passed (vacuously true for an empty batch)."""
        return self.passed == self.total

    @property
    def by_status(self) -> dict[str, int]:
        """How many runs ended in each status."""
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def failed_criteria(self) -> list[FailedCriterion]:
        """Every failed rubric item across the batch, with its test."""
        return [
            FailedCriterion(test_id=o.test_id, test=o.test, run_id=o.run_id or "", name=name)
            for o in self.outcomes
            for name in o.failed_criteria
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the counts and one entry per run."""
        return {
            "suite": self.suite,
            "total": self.total,
            "passed": self.passed,
            "failed": self.failed,
            "errored": self.errored,
            "all_passed": self.all_passed,
            "wall_time": round(self.wall_time, 3),
            "runs": [o.to_dict() for o in self.outcomes],
        }
