"""The JUnit report, read the way CI reporters read it.

Every report is parsed with a real XML parser, validated against
``junit.xsd`` (the testsuites/testsuite/testcase layout Jenkins, GitLab and
GitHub reporters read; see the comments in that file), and checked for what a
schema cannot say: its counts agree with its test cases.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from telnyx_async.cli import junit_report, main
from telnyx_async.errors import APIConnectionError, PollTimeoutError
from telnyx_async.models.tests import TestRunResponse
from telnyx_async.orchestration import BatchSummary, RunOutcome

SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("junit.xsd"))
RESULTS = ("failure", "error", "skipped")


def to_bytes(report: ET.ElementTree) -> bytes:
    buffer = io.BytesIO()
    report.write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue()


def check_report(document: bytes) -> ET.Element:
    """Validate a JUnit document and check its counts; return its root element."""
    SCHEMA.validate(io.BytesIO(document))  # raises XMLSchemaValidationError, naming the spot
    root = ET.fromstring(document)
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counts = {"tests": len(cases), "failures": 0, "errors": 0, "skipped": 0}
        for case in cases:
            results = [child for child in case if child.tag in RESULTS]
            assert len(results) <= 1, f"{case.get('name')}: more than one result"
            for result in results:
                assert result.get("message"), f"{case.get('name')}: <{result.tag}> has no message"
                key = {"failure": "failures", "error": "errors", "skipped": "skipped"}[result.tag]
                counts[key] += 1
            assert case.get("name") and case.get("classname")
            assert float(case.get("time", "-1")) >= 0
        for key, value in counts.items():
            assert int(suite.get(key, "0")) == value, f"testsuite {key}"
            totals[key] += value
        assert float(suite.get("time", "0")) >= 0
        stamp = suite.get("timestamp")
        assert stamp is not None
        assert dt.datetime.fromisoformat(stamp).tzinfo is not None
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key, "0")) == totals[key], f"testsuites {key}"
    return root


def run(status: str, *, run_id: str, test_id: str, **fields: Any) -> TestRunResponse:
    body: dict[str, Any] = {
        "run_id": run_id,
        "test_id": test_id,
        "status": status,
        "created_at": "2025-01-01T10:00:00Z",
        "triggered_by": "api",
        **fields,
    }
    return TestRunResponse.from_dict(body)


def every_kind_of_outcome() -> BatchSummary:
    done = "2025-01-01T10:00:02.500Z"
    outcomes = [
        RunOutcome(
            test_id="t-pass", test="Greets", elapsed=3.0, error=None,
            run=run("passed", run_id="r-pass", test_id="t-pass", completed_at=done,
                    logs="user: hi\nassistant: hello"),
        ),
        RunOutcome(
            test_id="t-fail", test="Polite", elapsed=3.0, error=None,
            run=run("failed", run_id="r-fail", test_id="t-fail", completed_at=done,
                    detail_status=[{"name": "Polite", "status": "failed"},
                                   {"name": "Accurate", "status": "failed"},
                                   {"name": "Brief", "status": "passed"}]),
        ),
        RunOutcome(  # completed, but a rubric item did not pass: counts as a failure
            test_id="t-done", test="Completed", elapsed=1.0, error=None,
            run=run("completed", run_id="r-done", test_id="t-done",
                    detail_status=[{"name": "Brief", "status": "failed"}]),
        ),
        RunOutcome(  # the API ended the run in error
            test_id="t-err", test="Breaks", elapsed=1.0, error=None,
            run=run("error", run_id="r-err", test_id="t-err", completed_at=done),
        ),
        RunOutcome(  # the API timed the run out
            test_id="t-late", test=None, elapsed=1.0, error=None,
            run=run("timeout", run_id="r-late", test_id="t-late"),
        ),
        RunOutcome(  # our deadline passed while the run was still going
            test_id="t-stuck", test="Never ends", elapsed=60.0,
            run=run("running", run_id="r-stuck", test_id="t-stuck"),
            error=PollTimeoutError("did not finish within 60s", last_run=None),
        ),
        RunOutcome(  # the trigger failed: no run at all
            test_id="t-none", test=None, elapsed=0.5, run=None,
            error=APIConnectionError("connection failed: refused"),
        ),
    ]
    return BatchSummary(outcomes=outcomes, wall_time=61.25, suite="nightly")


# --------------------------------------------------------------------------- valid reports


def test_every_kind_of_outcome_makes_a_valid_report() -> None:
    summary = every_kind_of_outcome()
    root = check_report(to_bytes(junit_report(summary)))

    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "nightly"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        "7", "2", "4", "0"
    )
    assert suite.get("time") == "61.250"
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    # a test without a name is reported under its ID
    assert list(cases) == ["Greets", "Polite", "Completed", "Breaks", "t-late", "Never ends", "t-none"]
    assert {case.get("classname") for case in cases.values()} == {"nightly"}
    assert cases["Greets"].get("time") == "2.500"  # completed_at - created_at
    assert cases["t-none"].get("time") == "0.500"  # no run: the time we spent

    assert [child.tag for child in cases["Greets"]] == ["system-out"]
    out = cases["Greets"].findtext("system-out") or ""
    assert out.splitlines()[:3] == ["test_id: t-pass", "run_id: r-pass", "status: passed"]
    assert out.endswith("user: hi\nassistant: hello")  # the run's logs

    failure = cases["Polite"].find("failure")
    assert failure is not None
    assert failure.get("message") == "failed criteria: Polite, Accurate"
    assert failure.get("type") == "failed"
    assert (failure.text or "").splitlines() == ["- Polite: failed", "- Accurate: failed"]
    completed = cases["Completed"].find("failure")
    assert completed is not None
    assert completed.get("message") == "failed criteria: Brief"

    errors = {name: case.find("error") for name, case in cases.items() if case.find("error") is not None}
    assert set(errors) == {"Breaks", "t-late", "Never ends", "t-none"}
    kinds = {name: (e.get("type"), e.get("message")) for name, e in errors.items() if e is not None}
    assert kinds == {
        "Breaks": ("error", "run ended with status error"),
        "t-late": ("timeout", "run ended with status timeout"),
        "Never ends": ("PollTimeoutError", "PollTimeoutError: did not finish within 60s"),
        "t-none": ("APIConnectionError", "APIConnectionError: connection failed: refused"),
    }
    no_run = cases["t-none"].findtext("system-out") or ""
    assert no_run.splitlines() == ["test_id: t-none", "status: error"]  # no run ID to give


def test_classname_can_be_chosen_per_outcome() -> None:
    summary = every_kind_of_outcome()
    root = check_report(to_bytes(junit_report(summary, classname=lambda o: f"suite-of-{o.test_id}")))
    names = {case.get("classname") for case in root.iter("testcase")}
    assert names == {f"suite-of-{o.test_id}" for o in summary.outcomes}


def test_an_empty_batch_makes_a_valid_report() -> None:
    root = check_report(to_bytes(junit_report(BatchSummary(outcomes=[], wall_time=0.0))))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "telnyx"
    assert suite.findall("testcase") == []
    assert root.get("tests") == "0"


def test_the_report_of_tests_run_is_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.xml"
    assert main(["--fake", "tests", "run", "--suite", "demo", "--junit", str(target)]) == 1
    capsys.readouterr()
    root = check_report(target.read_bytes())
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "0")
    for case in root.iter("testcase"):
        out = case.findtext("system-out") or ""
        assert out.startswith("test_id: ")
        assert "\nrun_id: " in out


# --------------------------------------------------------------------------- the checks bite


def mutated(change: str) -> bytes:
    """A valid report with one thing done wrong."""
    root = ET.fromstring(to_bytes(junit_report(every_kind_of_outcome())))
    suite = root.find("testsuite")
    assert suite is not None
    case = suite.find("testcase")
    assert case is not None
    if change == "properties in a testcase":
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="run_id", value="r-pass")
    elif change == "a failure without a message":
        failed = suite.find("testcase/failure")
        assert failed is not None
        del failed.attrib["message"]
    elif change == "a testcase without time":
        del case.attrib["time"]
    elif change == "an unknown attribute":
        case.set("status", "passed")
    elif change == "a count that is not a number":
        suite.set("errors", "four")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


@pytest.mark.parametrize(
    "change",
    [
        "properties in a testcase",
        "a failure without a message",
        "a testcase without time",
        "an unknown attribute",
        "a count that is not a number",
    ],
)
def test_the_schema_rejects_what_reporters_reject(change: str) -> None:
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        check_report(mutated(change))


@pytest.mark.parametrize("attribute", ["tests", "failures", "errors", "skipped"])
def test_counts_that_disagree_with_the_cases_are_caught(attribute: str) -> None:
    root = ET.fromstring(to_bytes(junit_report(every_kind_of_outcome())))
    suite = root.find("testsuite")
    assert suite is not None
    suite.set(attribute, str(int(suite.get(attribute, "0")) + 1))
    with pytest.raises(AssertionError, match=f"testsuite {attribute}"):
        check_report(ET.tostring(root, encoding="utf-8", xml_declaration=True))
