"""The JUnit XML report of a batch, as CI systems read it (``tests run --junit FILE``).

The layout is the one Jenkins (its JUnit and xUnit plugins), GitLab, GitHub
reporters and pytest's ``xunit2`` flavour share: ``<testsuites>`` holding one
``<testsuite>`` with its counts, and one ``<testcase>`` per run whose only
children are ``<failure>``, ``<error>`` and ``<system-out>``.
"""

from __future__ import annotations

import datetime as _dt
import xml.etree.ElementTree as ET
from collections.abc import Callable

from telnyx_async.orchestration import BatchSummary, RunOutcome

from ._outcome_text import outcome_problem

__all__ = ["junit_report", "write_junit_report"]


def _case_output(outcome: RunOutcome) -> str:
    """The ``<system-out>`` of a run: its IDs and status, then its logs (if any)."""
    lines = [f"test_id: {outcome.test_id}"]
    if outcome.run_id is not None:
        lines.append(f"run_id: {outcome.run_id}")
    lines.append(f"status: {outcome.status}")
    logs = outcome.run.logs if outcome.run is not None else None
    if logs:
        lines += ["", logs]
    return "\n".join(lines)


def junit_report(
    summary: BatchSummary, *, classname: Callable[[RunOutcome], str] | None = None
) -> ET.ElementTree:
    """Build a JUnit XML report of a batch: one ``<testcase>`` per run.

    ``classname`` is the suite's name (or ``"telnyx"``) unless ``classname``
    says otherwise; ``name`` is the test's name (its ID when unknown) and
    ``time`` the run's duration. A failed run gets a ``<failure>`` listing
    the rubric items it failed; a run that errored, timed out or could not
    be started or polled gets an ``<error>``. Each ``<system-out>`` holds the
    test's and the run's IDs, the run's last status, and the run's logs.
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
            problem = outcome_problem(outcome)
            ET.SubElement(case, "error", message=problem, type=kind).text = problem
        ET.SubElement(case, "system-out").text = _case_output(outcome)
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit_report(
    report: ET.ElementTree, path: str, *, redact: Callable[[str], str]
) -> None:
    """Pass every attribute and text of ``report`` through ``redact``, then write it to ``path``.

    Raises ``OSError`` when the file cannot be written.
    """
    for element in report.iter():
        for key, value in element.attrib.items():
            element.set(key, redact(value))
        if element.text:
            element.text = redact(element.text)
    report.write(path, encoding="utf-8", xml_declaration=True)
