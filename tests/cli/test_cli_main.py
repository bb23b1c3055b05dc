"""``telnyx-async``: commands, output formats, JUnit, exit statuses, and the key never shown."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from telnyx_async.cli import main

WRONG_KEY = "sk-wrong-SECRET-0123456789"


def demo_ids(served: Any) -> dict[str, str]:
    """Test name -> test id of the seeded demo suite on a threaded fake."""
    return {t["name"]: tid for tid, t in served.fake.tests.items()}


# --------------------------------------------------------------------------- tests run --fake


def test_suite_run_with_junit_exits_1_and_reports_the_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.xml"
    code = main(["--fake", "tests", "run", "--suite", "demo", "--junit", str(report)])
    out, err = capsys.readouterr()
    assert code == 1  # the demo suite has two failing tests
    assert err == ""
    assert "6 run(s): 4 passed, 2 failed, 0 error(s)" in out
    assert out.count("[") >= 6  # one progress line per finished run
    assert "FAIL   Stays on topic" in out

    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "demo"
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "2", "0")
    cases = suite.findall("testcase")
    assert len(cases) == 6
    assert {c.get("classname") for c in cases} == {"demo"}
    assert all(float(c.get("time", "-1")) > 0 for c in cases)
    failures = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failures) == {"Handles a refund request", "Stays on topic"}
    refund = failures["Handles a refund request"]
    assert refund is not None
    assert refund.get("message") == "failed criteria: Accurate"
    assert "Accurate" in (refund.text or "")
    assert not [c for c in cases if c.find("error") is not None]


def test_suite_run_json_is_the_only_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--fake", "tests", "run", "--suite", "demo", "--json", "--concurrency", "2"])
    out, _ = capsys.readouterr()
    assert code == 1
    data = json.loads(out)
    assert (data["total"], data["passed"], data["failed"], data["errored"]) == (6, 4, 2, 0)
    assert data["suite"] == "demo"
    assert data["all_passed"] is False
    by_name = {run["test"]: run for run in data["runs"]}
    assert by_name["Stays on topic"]["failed_criteria"] == ["Polite"]
    assert by_name["Greets the customer"]["outcome"] == "passed"


def test_fake_flag_works_after_the_command_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests", "list", "--suite", "demo", "--fake"]) == 0
    out, _ = capsys.readouterr()
    assert "Greets the customer" in out
    assert "6 test(s)" in out


def test_assistants_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--fake", "assistants", "list"]) == 0
    assert "Demo support agent" in capsys.readouterr().out
    assert main(["--fake", "assistants", "list", "--json"]) == 0
    (assistant,) = json.loads(capsys.readouterr().out)
    assert assistant["name"] == "Demo support agent"


def test_demo_without_a_key_uses_the_fake_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "FakeTelnyx" in out
    assert "created assistant" in out
    assert "the assistant says:" in out
    assert "Greets the customer" in out
    assert "4 passed, 2 failed" in out
    assert "rubric item 'Polite' failed" in out


# --------------------------------------------------------------------------- against a fake over HTTP


def test_demo_with_a_key_is_read_only(
    threaded_fake: Any, point_at: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    threaded_fake.call(threaded_fake.fake.seed_demo)
    point_at(threaded_fake, "sk-right-key")
    assert main(["demo"]) == 0
    out, _ = capsys.readouterr()
    assert "read-only" in out
    assert "Demo support agent" in out
    assert "suites: demo" in out
    assert {r.method for r in threaded_fake.fake.requests} == {"GET"}

    assert main(["demo", "--write"]) == 0
    out, _ = capsys.readouterr()
    assert "created" in out and "deleted" in out
    assert len(threaded_fake.fake.assistants) == 1  # the demo assistant is gone again


def test_run_given_tests_by_id(
    threaded_fake: Any,
    point_at: Callable[..., None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = threaded_fake.fake
    threaded_fake.call(fake.seed_demo)
    ids = demo_ids(threaded_fake)
    for tid in ids.values():
        threaded_fake.call(fake.configure_test, tid, duration=0)  # final when triggered
    point_at(threaded_fake, "sk-right-key")
    wanted = [ids["Greets the customer"], ids["Looks up an order"]]
    report = tmp_path / "ids.xml"
    argv = ["tests", "run", "--junit", str(report)]
    for tid in wanted:
        argv += ["--test", tid]
    assert main(argv) == 0
    out, _ = capsys.readouterr()
    assert "2 run(s): 2 passed, 0 failed" in out
    cases = ET.parse(report).getroot().findall("testsuite/testcase")
    assert {c.get("name") for c in cases} == {"Greets the customer", "Looks up an order"}
    assert {c.get("classname") for c in cases} == {"demo"}  # the tests' own suite


def test_errors_and_timeouts_become_junit_errors(
    threaded_fake: Any,
    point_at: Callable[..., None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = threaded_fake.fake
    broken = threaded_fake.call(fake.add_test, "Breaks", outcome="error")["test_id"]
    stuck = threaded_fake.call(fake.add_test, "Never ends", outcome="running")["test_id"]
    point_at(threaded_fake, "sk-right-key")
    report = tmp_path / "errors.xml"
    code = main([
        "tests", "run", "--test", broken, "--test", stuck, "--test", "no-such-test",
        "--timeout", "0.6", "--poll-interval", "0.1", "--junit", str(report), "--json",
    ])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errored"] == 3
    cases = {c.get("name"): c for c in ET.parse(report).getroot().iter("testcase")}
    assert set(cases) == {"Breaks", "Never ends", "no-such-test"}
    errors = {name: case.find("error") for name, case in cases.items()}
    assert all(e is not None for e in errors.values())
    assert errors["Breaks"].get("type") == "error"  # type: ignore[union-attr]
    assert errors["Never ends"].get("type") == "PollTimeoutError"  # type: ignore[union-attr]
    assert errors["no-such-test"].get("type") == "NotFoundError"  # type: ignore[union-attr]
    assert {c.get("classname") for c in cases.values()} == {"telnyx"}


def test_wrong_key_exits_3_without_showing_the_key(
    threaded_fake: Any, point_at: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    threaded_fake.call(threaded_fake.fake.seed_demo)
    point_at(threaded_fake, WRONG_KEY)
    commands = [
        ["tests", "list"],
        ["assistants", "list", "--json"],
        ["tests", "run", "--suite", "demo"],
        ["tests", "run", "--test", "abc", "--json"],
        ["demo"],
    ]
    for argv in commands:
        assert main(argv) == 3, argv
        out, err = capsys.readouterr()
        assert WRONG_KEY not in out + err
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("telnyx-async: error:")
        assert "401" in lines[0]
        assert "Traceback" not in err


def test_the_key_never_appears_even_when_the_api_echoes_it(
    threaded_fake: Any,
    point_at: Callable[..., None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A test whose name contains the key: everything printed or written is redacted.
    secret = "sk-right-key"
    fake = threaded_fake.fake
    threaded_fake.call(fake.add_test, f"leaks {secret}", test_suite="s", outcome="failed")
    point_at(threaded_fake, secret)
    report = tmp_path / "r.xml"
    assert main(["tests", "run", "--suite", "s", "--poll-interval", "0.1", "--junit", str(report)]) == 1
    out, err = capsys.readouterr()
    assert secret not in out + err
    assert "leaks ***" in out
    assert secret not in report.read_text()
    assert main(["tests", "list", "--json"]) == 0
    assert secret not in capsys.readouterr().out


# --------------------------------------------------------------------------- exit status 2 and 3


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["tests"],
        ["tests", "run"],
        ["tests", "run", "--suite", "a", "--test", "b"],
        ["tests", "run", "--suite", "a", "--concurrency", "0"],
        ["tests", "run", "--suite", "a", "--timeout", "soon"],
        ["bogus"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "exit status" in capsys.readouterr().out


def test_no_key_exits_3_with_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests", "list"]) == 3
    err = capsys.readouterr().err
    assert "TELNYX_API_KEY" in err
    assert len(err.strip().splitlines()) == 1


def test_connection_refused_exits_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("TELNYX_BASE_URL", f"http://127.0.0.1:{port}/v2")
    monkeypatch.setenv("TELNYX_API_KEY", WRONG_KEY)
    assert main(["assistants", "list"]) == 3
    out, err = capsys.readouterr()
    assert "connection failed" in err
    assert WRONG_KEY not in out + err
    assert len(err.strip().splitlines()) == 1


def test_an_unwritable_junit_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-dir" / "r.xml"
    assert main(["--fake", "tests", "run", "--suite", "demo", "--junit", str(target)]) == 2
    assert "cannot write the JUnit report" in capsys.readouterr().err


# --------------------------------------------------------------------------- python -m


def test_python_dash_m_runs_the_cli() -> None:
    # No key or URL of ours; no asyncio debug mode (its slow-callback notes go to stderr).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TELNYX_") and k != "PYTHONASYNCIODEBUG"
    }
    done = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-m", "telnyx_async",
         "--fake", "tests", "list"],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Greets the customer" in done.stdout
    assert done.stderr == ""
