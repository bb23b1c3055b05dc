"""The scripts in examples/ run against FakeTelnyx and do what their docstrings say.

Each is imported and its ``main()`` awaited with ``TELNYX_API_KEY`` and
``TELNYX_BASE_URL`` pointing at a seeded fake; the test then checks the effect
on the fake (or the file written). ``test_runs_as_a_script`` also runs each one
the way a user does, ``python examples/NAME.py``, in a subprocess.
"""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import json
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from telnyx_async.models import AssistantTestResponse
from telnyx_async.testing import FakeTelnyx

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py"))


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def env(fake: FakeTelnyx, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeTelnyx:
    """The fake, seeded with the demo world (runs end at once), and the environment at it."""
    fake.seed_demo()
    for test_id in fake.tests:
        fake.configure_test(test_id, duration=0)
    monkeypatch.setenv("TELNYX_API_KEY", fake.api_key)
    monkeypatch.setenv("TELNYX_BASE_URL", fake.url)
    monkeypatch.chdir(tmp_path)
    return fake


def test_the_expected_examples_exist() -> None:
    assert {
        "export_tests_jsonl.py",
        "run_suite_junit.py",
        "canary_rollout.py",
        "schedule_calls.py",
    } <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_is_a_runnable_script_with_a_docstring(script: str) -> None:
    tree = ast.parse((EXAMPLES / script).read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and len(doc.splitlines()) >= 3, f"{script} should say what it shows"
    mains = [n for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name == "main"]
    assert mains, f"{script} has no `async def main()`"
    guard = tree.body[-1]
    assert isinstance(guard, ast.If) and "__main__" in ast.unparse(guard.test)
    assert "asyncio.run(main())" in ast.unparse(guard)


async def test_export_tests_jsonl(env: FakeTelnyx, tmp_path: Path) -> None:
    count = await load("export_tests_jsonl").main(["out.jsonl"])
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert count == len(lines) == len(env.tests) == 6
    exported = [AssistantTestResponse.from_dict(json.loads(line)) for line in lines]
    assert {t.test_id for t in exported} == set(env.tests)


async def test_export_follows_every_page(env: FakeTelnyx, tmp_path: Path) -> None:
    for i in range(230):
        env.add_test(f"bulk {i}", test_suite="bulk")
    count = await load("export_tests_jsonl").main(["bulk.jsonl", "--suite", "bulk"])
    assert count == 230
    pages = [r for r in env.requests if r.path == "/ai/assistants/tests"]
    assert [r.query_dict.get("page[number]") for r in pages] == [None, "2", "3"]


async def test_run_suite_junit(env: FakeTelnyx, tmp_path: Path) -> None:
    code = await load("run_suite_junit").main(
        ["demo", "--junit", "r.xml", "--poll-interval", "0.05"]
    )
    assert code == 1  # the demo suite has two failing tests
    root = ET.parse(tmp_path / "r.xml").getroot()
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 6
    assert len(root.findall("testsuite/testcase/failure")) == 2
    assert root.find("testsuite").get("name") == "demo"  # type: ignore[union-attr]
    triggers = env.requests.matching(method="POST")
    assert [r.path for r in triggers] == ["/ai/assistants/tests/test-suites/demo/runs"]


async def test_canary_rollout(env: FakeTelnyx) -> None:
    (assistant_id,) = env.assistants
    before = env.assistants[assistant_id]["version_id"]
    version_id = await load("canary_rollout").main([assistant_id, "--soak", "0"])
    assert version_id != before
    created = env.requests.matching(
        method="POST", route="/ai/assistants/{assistant_id}/canary-deploys"
    )
    assert len(created) == 1 and created[0].status == 200
    assert created[0].json == {
        "rules": [{"serve": {"rollout": [{"version_id": version_id, "weight": 10.0}]}}]
    }
    assert "Idempotency-Key" in created[0].headers
    assert env.assistants[assistant_id]["version_id"] == version_id  # promoted
    assert env.canary_deploys == {}  # and the split ended


async def test_canary_stays_when_stopped_during_the_soak(env: FakeTelnyx) -> None:
    (assistant_id,) = env.assistants
    before = env.assistants[assistant_id]["version_id"]
    task = asyncio.create_task(load("canary_rollout").main([assistant_id, "--soak", "60"]))
    for _ in range(200):
        if env.canary_deploys:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    stored = env.canary_deploys[assistant_id]
    assert stored["rules"][0]["serve"]["rollout"][0]["weight"] == 10.0
    assert env.assistants[assistant_id]["version_id"] == before  # not promoted


async def test_schedule_calls(env: FakeTelnyx) -> None:
    targets = ["+15551230001", "+15551230002", "+15551230003"]
    listed = await load("schedule_calls").main([*targets, "--start", "2030-01-01T09:00:00+00:00"])
    events = env.scheduled_events
    assert sorted(e["telnyx_end_user_target"] for e in events.values()) == targets
    assert sorted(listed) == sorted(events)
    listing = env.requests.matching(
        method="GET", route="/ai/assistants/{assistant_id}/scheduled_events"
    )
    assert listing[0].query_dict["from_date"].startswith("2030-01-01T09:00:00")
    assert listing[0].query_dict["to_date"].startswith("2030-01-01T09:15:00")


async def test_schedule_calls_lists_only_the_window(env: FakeTelnyx) -> None:
    module = load("schedule_calls")
    await module.main(["+15551230009", "--start", "2030-01-02T09:00:00+00:00"])
    listed = await module.main(["+15551230001", "--start", "2030-01-01T09:00:00+00:00"])
    assert len(listed) == 1 and len(env.scheduled_events) == 2


ARGS: dict[str, list[str]] = {
    "export_tests_jsonl.py": ["tests.jsonl"],
    "run_suite_junit.py": ["demo", "--poll-interval", "0.05"],
    "canary_rollout.py": ["--soak", "0"],
    "schedule_calls.py": ["+15551230001"],
}


@pytest.mark.parametrize("script", sorted(ARGS))
async def test_runs_as_a_script(env: FakeTelnyx, tmp_path: Path, script: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLES / script),
        *ARGS[script],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    expected: Any = 1 if script == "run_suite_junit.py" else 0
    assert process.returncode == expected, (out + err).decode()
    assert out.strip(), "a script should say what it did"
    assert b"Traceback" not in err
