"""Test suites: their names, and running every test of one at once."""

from __future__ import annotations

from .._errors import ApiError
from .._exchange import Call, Reply
from .._state import FakeState, new_id
from .tests_and_runs import render_run, start_run

__all__ = ["list_suite_runs", "list_suites", "trigger_suite"]


def list_suites(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/tests/test-suites``: every suite name, sorted."""
    suites = sorted({t["test_suite"] for t in state.tests.values() if t.get("test_suite")})
    return Reply(200, {"data": suites})


def trigger_suite(state: FakeState, call: Call) -> Reply:
    """``POST .../test-suites/{suite_name}/runs``: one run per test, sharing a batch id."""
    suite = call.params["suite_name"]
    members = [t for t in state.tests.values() if t.get("test_suite") == suite]
    if not members:
        raise ApiError.not_found(f"Test suite {suite!r} has no tests.")
    batch = new_id()
    runs = [render_run(state, start_run(state, t, suite_run_id=batch)) for t in members]
    return Reply(201, runs)


def list_suite_runs(state: FakeState, call: Call) -> Reply:
    """``GET .../test-suites/{suite_name}/runs``, by status and batch id."""
    suite = call.params["suite_name"]
    status = call.q("status")
    batch = call.q("test_suite_run_id")
    items = [
        render_run(state, r)
        for r in state.runs.values()
        if r.suite == suite and (batch is None or r.test_suite_run_id == batch)
    ]
    if status is not None:
        items = [r for r in items if r["status"] == status]
    page, meta = state.page(call, items, default_size=20, max_size=100)
    return Reply(200, {"data": page, "meta": meta})
