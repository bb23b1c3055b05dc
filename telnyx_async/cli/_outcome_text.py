"""How an outcome is named in words: its label and what went wrong.

Shared by the live view, the results table and the JUnit report, so all three
say the same thing about a run.
"""

from __future__ import annotations

from collections.abc import Mapping

from telnyx_async.orchestration import RunOutcome

__all__ = ["OUTCOME_LABELS", "outcome_problem"]

OUTCOME_LABELS: Mapping[str, tuple[str, str]] = {
    "passed": ("PASS", "green"),
    "failed": ("FAIL", "red"),
    "error": ("ERROR", "yellow"),
}
"""Outcome -> (the label printed for it, the rich style it is printed in)."""


def outcome_problem(outcome: RunOutcome) -> str:
    """What went wrong with a run, in one line: its error or failed rubric items (else ``""``)."""
    if outcome.error is not None:
        return f"{type(outcome.error).__name__}: {outcome.error}"
    if outcome.failed_criteria:
        return "failed: " + ", ".join(outcome.failed_criteria)
    if outcome.outcome == "error":
        return f"run ended with status {outcome.status}"
    return ""
