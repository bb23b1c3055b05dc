"""Test runs on the FakeClock, test suites and seed_demo."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from spec_support import assert_fake_responses_valid

from telnyx_async.testing import FakeClock, FakeTelnyx

from ._fake_http import Api

A = "/ai/assistants"
RUBRIC = [
    {"name": "Greets", "criteria": "Says hello."},
    {"name": "Accurate", "criteria": "Gives the right answer."},
    {"name": "Polite", "criteria": "Stays polite."},
]


async def _run(api: Api, test_id: str) -> dict[str, object]:
    status, body, _ = await api.post(f"{A}/tests/{test_id}/runs")
    assert status == 201
    return body


async def _get(api: Api, test_id: str, run_id: object) -> dict[str, object]:
    status, body, _ = await api.get(f"{A}/tests/{test_id}/runs/{run_id}")
    assert status == 200
    return body


async def test_default_run_is_final_at_once(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t", rubric=RUBRIC)
    run = await _run(api, test["test_id"])
    assert run["status"] == "passed"
    assert run["completed_at"] == run["updated_at"] == run["created_at"]
    assert run["detail_status"] == [{"name": r["name"], "status": "passed"} for r in RUBRIC]
    assert isinstance(run["logs"], str) and "passed" in run["logs"]
    assert run["triggered_by"] == "api"
    assert_fake_responses_valid(fake)


async def test_pending_running_passed(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    test = fake.add_test("t", rubric=RUBRIC)
    fake.configure_test(test["test_id"], start_delay=1.0, duration=2.0)
    run = await _run(api, test["test_id"])
    assert run["status"] == "pending"
    for key in ("completed_at", "detail_status", "logs", "conversation_id"):
        assert key not in run
    clock.advance(0.999)
    assert (await _get(api, test["test_id"], run["run_id"]))["status"] == "pending"
    clock.advance(0.001)
    running = await _get(api, test["test_id"], run["run_id"])
    assert running["status"] == "running"
    assert "conversation_id" in running and "logs" not in running
    assert running["updated_at"] > run["created_at"]
    clock.advance(1.5)
    assert (await _get(api, test["test_id"], run["run_id"]))["status"] == "running"
    clock.advance(0.5)
    done = await _get(api, test["test_id"], run["run_id"])
    assert done["status"] == "passed"
    assert done["completed_at"] == done["updated_at"] > running["updated_at"]
    assert "logs" in done
    assert_fake_responses_valid(fake)


async def test_completed_at_follows_the_clock(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    test = fake.add_test("t", duration=90.5)
    run = await _run(api, test["test_id"])
    clock.advance(100)
    done = await _get(api, test["test_id"], run["run_id"])
    created = datetime.fromisoformat(str(run["created_at"]).replace("Z", "+00:00"))
    completed = datetime.fromisoformat(str(done["completed_at"]).replace("Z", "+00:00"))
    assert (completed - created).total_seconds() == pytest.approx(90.5)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", str(done["completed_at"]))


async def test_failed_run_has_failed_rubric_items(
    api: Api, fake: FakeTelnyx, clock: FakeClock
) -> None:
    test = fake.add_test(
        "t", rubric=RUBRIC, outcome="failed", duration=1, detail={"Accurate": "failed"}
    )
    run = await _run(api, test["test_id"])
    assert run["status"] == "running"
    clock.advance(1)
    done = await _get(api, test["test_id"], run["run_id"])
    assert done["status"] == "failed"
    assert done["detail_status"] == [
        {"name": "Greets", "status": "passed"},
        {"name": "Accurate", "status": "failed"},
        {"name": "Polite", "status": "passed"},
    ]
    fake.configure_test(test["test_id"], detail={})
    plain = await _run(api, test["test_id"])
    clock.advance(1)
    plain = await _get(api, test["test_id"], plain["run_id"])
    assert plain["status"] == "failed"
    assert [d["status"] for d in plain["detail_status"]].count("failed") == 1


async def test_error_and_custom_outcomes(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    test = fake.add_test("t", rubric=RUBRIC, outcome="error")
    run = await _run(api, test["test_id"])
    assert run["status"] == "error"
    assert {d["status"] for d in run["detail_status"]} == {"error"}
    fake.configure_test(test["test_id"], outcome="running")  # never finishes
    stuck = await _run(api, test["test_id"])
    clock.advance(10_000)
    stuck = await _get(api, test["test_id"], stuck["run_id"])
    assert stuck["status"] == "running" and "completed_at" not in stuck


async def test_configuration_applies_to_future_runs_only(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    first = await _run(api, test["test_id"])
    fake.configure_test(test["test_id"], outcome="failed")
    second = await _run(api, test["test_id"])
    assert (await _get(api, test["test_id"], first["run_id"]))["status"] == "passed"
    assert second["status"] == "failed"


def test_configure_test_validates() -> None:
    fake = FakeTelnyx()
    test = fake.add_test("t")
    with pytest.raises(KeyError):
        fake.configure_test("nope", outcome="failed")
    with pytest.raises(ValueError, match="passing outcome"):
        fake.configure_test(test["test_id"], outcome="passed", detail={"Helpful": "failed"})
    with pytest.raises(ValueError, match="'passed' or 'failed'"):
        fake.configure_test(test["test_id"], outcome="failed", detail={"Helpful": "meh"})
    with pytest.raises(ValueError, match="duration"):
        fake.configure_test(test["test_id"], duration=-1)
    with pytest.raises(ValueError, match="outcome"):
        fake.configure_test(test["test_id"], outcome="")


async def test_run_lists_filter_by_status(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    test = fake.add_test("t", duration=5)
    quick = fake.add_test("q")
    for _ in range(3):
        await _run(api, test["test_id"])
    await _run(api, quick["test_id"])
    _, body, _ = await api.get(f"{A}/tests/{test['test_id']}/runs")
    assert body["meta"]["total_results"] == 3
    _, body, _ = await api.get(f"{A}/tests/{test['test_id']}/runs", params={"status": "passed"})
    assert body["data"] == []
    clock.advance(5)
    _, body, _ = await api.get(f"{A}/tests/{test['test_id']}/runs", params={"status": "passed"})
    assert len(body["data"]) == 3
    status, _, _ = await api.get(f"{A}/tests/{quick['test_id']}/runs/{body['data'][0]['run_id']}")
    assert status == 404  # a run of another test


async def test_suite_trigger_and_listing(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    a = fake.add_test("a", test_suite="nightly", duration=1)
    b = fake.add_test("b", test_suite="nightly", outcome="failed", duration=2)
    fake.add_test("c", test_suite="other")
    status, runs, _ = await api.post(f"{A}/tests/test-suites/nightly/runs", json={})
    assert status == 201
    assert isinstance(runs, list) and [r["test_id"] for r in runs] == [a["test_id"], b["test_id"]]
    batch = {r["test_suite_run_id"] for r in runs}
    assert len(batch) == 1
    status, _, _ = await api.post(f"{A}/tests/test-suites/nightly/runs")
    assert status == 201
    _, body, _ = await api.get(f"{A}/tests/test-suites/nightly/runs")
    assert body["meta"]["total_results"] == 4
    _, body, _ = await api.get(
        f"{A}/tests/test-suites/nightly/runs", params={"test_suite_run_id": batch.pop()}
    )
    assert len(body["data"]) == 2
    clock.advance(2)
    _, body, _ = await api.get(f"{A}/tests/test-suites/nightly/runs", params={"status": "failed"})
    assert [r["test_id"] for r in body["data"]] == [b["test_id"], b["test_id"]]
    _, body, _ = await api.get(f"{A}/tests/test-suites")
    assert body == {"data": ["nightly", "other"]}


async def test_empty_suite_trigger_is_404(api: Api) -> None:
    status, body, _ = await api.post(f"{A}/tests/test-suites/none/runs")
    assert status == 404
    assert body["errors"][0]["code"] == "10005"


async def test_deleting_a_test_removes_its_runs(api: Api, fake: FakeTelnyx) -> None:
    test = fake.add_test("t")
    await _run(api, test["test_id"])
    status, body, _ = await api.delete(f"{A}/tests/{test['test_id']}")
    assert (status, body) == (200, None)
    assert fake.runs == {} and fake.tests == {}
    status, _, _ = await api.get(f"{A}/tests/{test['test_id']}/runs")
    assert status == 404


async def test_seed_demo(api: Api, fake: FakeTelnyx, clock: FakeClock) -> None:
    fake.seed_demo()
    (assistant,) = fake.assistants.values()
    assert assistant["name"] == "Demo support agent"
    assert assistant["tools"][0]["type"] == "webhook"
    tests = list(fake.tests.values())
    assert len(tests) == 6 and {t["test_suite"] for t in tests} == {"demo"}
    assert {t["destination"] for t in tests} == {assistant["id"]}
    assert len(fake.integrations) >= 2 and len(fake.connections) >= 2
    status, runs, _ = await api.post(f"{A}/tests/test-suites/demo/runs")
    assert status == 201 and len(runs) == 6
    assert all(r["status"] in ("pending", "running") for r in runs)
    clock.advance(0.2)
    _, body, _ = await api.get(f"{A}/tests/test-suites/demo/runs")
    statuses = [r["status"] for r in body["data"]]
    assert "passed" in statuses and "running" in statuses
    clock.advance(1.3)
    _, body, _ = await api.get(f"{A}/tests/test-suites/demo/runs")
    finals = list(body["data"])
    assert sorted(r["status"] for r in finals) == ["failed"] * 2 + ["passed"] * 4
    for run in finals:
        failed = [d for d in run["detail_status"] if d["status"] == "failed"]
        assert len(failed) == (1 if run["status"] == "failed" else 0)
    assert_fake_responses_valid(fake)
