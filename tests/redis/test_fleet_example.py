"""``examples/fleet_suite.py`` end to end: arq workers, one RedisThrottle, a merged JUnit report.

FakeTelnyx serves a 40-test suite on a real loopback port (in this process),
the session's redis-server holds both the arq queue and the throttle's state,
and the example runs as a user runs it, ``python examples/fleet_suite.py``,
with two worker processes.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from benchmarks.redis_server import RedisServer
from telnyx_async import RedisThrottle
from telnyx_async.testing import FakeTelnyx

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "fleet_suite.py"
SCHEMA = ROOT / "tests" / "cli" / "junit.xsd"
TESTS = 40
FAILING = {i for i in range(TESTS) if i % 8 == 3}  # 5 tests fail one rubric item


def seed(fake: FakeTelnyx) -> list[str]:
    names = []
    for i in range(TESTS):
        name = f"fleet case {i:02d}"
        fake.add_test(
            name,
            test_suite="fleet",
            outcome="failed" if i in FAILING else "passed",
            duration=0.05 * (i % 4),
            detail={"Helpful": "failed"} if i in FAILING else None,
        )
        names.append(name)
    return names


async def test_fleet_suite_runs_on_two_arq_workers_and_merges_their_junit(
    fake: FakeTelnyx, redis_url: str, redis_server: RedisServer, tmp_path: Path
) -> None:
    names = seed(fake)
    report = tmp_path / "fleet.xml"
    env = {
        **os.environ,
        "TELNYX_API_KEY": fake.api_key,
        "TELNYX_BASE_URL": fake.url,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(SCRIPT), "fleet", "--workers", "2", "--redis", redis_url,
        "--junit", str(report), "--batch-size", "4", "--poll-interval", "0.05",
        cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 180)
    text = (out + err).decode()
    assert process.returncode == 1, text  # five tests fail
    assert "Traceback" not in text

    root = ET.parse(report).getroot()
    xmlschema.XMLSchema(SCHEMA).validate(str(report))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("name") == "fleet"
    assert [c.get("name") for c in cases] == names  # every test once, in the suite's order
    assert {c.get("classname") for c in cases} == {"fleet"}
    failed = {c.get("name") for c in cases if c.find("failure") is not None}
    assert failed == {names[i] for i in FAILING}
    assert not [c for c in cases if c.find("error") is not None]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("40", "5", "0")
    assert (root.get("tests"), root.get("failures")) == ("40", "5")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["workers"] == "2"  # both workers ran jobs
    ran = [v for k, v in properties.items() if k and k.startswith("worker ")]
    assert sum(int(v.split()[0]) for v in ran) == TESTS

    # Each test was triggered once, and the whole fleet kept one throttle state.
    triggers = fake.requests.matching(method="POST", route="/ai/assistants/tests/{test_id}/runs")
    assert len(triggers) == TESTS
    key = RedisThrottle(redis_url, api_key=fake.api_key).key_for(fake.url)
    assert redis_cli(redis_server, "--scan", "--pattern", "telnyx_async:*").split() == [key]
    seq = redis_cli(redis_server, "HGET", key, "seq").strip()
    assert int(seq) >= TESTS + 1  # the listing, every trigger and every poll


def redis_cli(server: RedisServer, *args: str) -> str:
    return subprocess.run(
        ["redis-cli", "-p", str(server.port), *args],
        capture_output=True, text=True, timeout=10, check=True,
    ).stdout


@pytest.mark.parametrize("argv", [["--help"]])
def test_fleet_suite_has_a_usage_line(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *argv], capture_output=True, text=True, timeout=60,
        check=False, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert result.returncode == 0
    assert "--workers" in result.stdout and "--redis" in result.stdout
