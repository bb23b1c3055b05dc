"""Assistant tests and their runs; a run's status follows the fake's clock."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from .._body_rules import OPERATION_BODIES
from .._errors import ApiError
from .._exchange import Call, Reply
from .._state import (
    JSON,
    UNFINISHED_STATUSES,
    FakeState,
    StoredRun,
    TestBehaviour,
    new_id,
)
from .._validation import check_value

__all__ = [
    "create_test",
    "delete_test",
    "get_run",
    "get_test",
    "list_runs",
    "list_tests",
    "new_test",
    "render_run",
    "run_status",
    "start_run",
    "trigger_run",
    "update_test",
]

_RUBRIC_RULE = OPERATION_BODIES["POST", "/ai/assistants/tests"].rule.fields["rubric"]


def _clean_rubric(rubric: Any) -> list[JSON]:
    """The stored rubric: each item's name and criteria (422 if the spec's rule refuses it)."""
    problems = check_value(_RUBRIC_RULE, ("body", "rubric"), rubric)
    if problems:
        raise ApiError.invalid(*problems)
    return [{"name": item.get("name"), "criteria": item.get("criteria")} for item in rubric]


def new_test(
    state: FakeState, fields: Mapping[str, Any], behaviour: TestBehaviour | None = None
) -> JSON:
    """Create and store a test from request-shaped ``fields``."""
    test: JSON = {
        "test_id": str(fields.get("test_id") or new_id()),
        "name": fields["name"],
        "destination": fields["destination"],
        "instructions": fields["instructions"],
        "rubric": _clean_rubric(fields["rubric"]),
        "telnyx_conversation_channel": fields.get("telnyx_conversation_channel", "web_chat"),
        "created_at": state.wall(),
    }
    for key in ("description", "max_duration_seconds", "test_suite"):
        if fields.get(key) is not None:
            test[key] = fields[key]
    state.tests[test["test_id"]] = test
    state.behaviour[test["test_id"]] = behaviour or TestBehaviour()
    return test


def list_tests(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/tests``, filtered by suite, channel and destination."""
    filters = {
        key: call.q(key)
        for key in ("test_suite", "telnyx_conversation_channel", "destination")
        if call.q(key) is not None
    }
    items = [
        copy.deepcopy(t)
        for t in state.tests.values()
        if all(t.get(k) == v for k, v in filters.items())
    ]
    page, meta = state.page(call, items, default_size=20, max_size=100)
    return Reply(200, {"data": page, "meta": meta})


def create_test(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/tests``."""
    return Reply(201, copy.deepcopy(new_test(state, call.body)))


def get_test(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/tests/{test_id}``."""
    return Reply(200, copy.deepcopy(state.test(call)))


def update_test(state: FakeState, call: Call) -> Reply:
    """``PUT /ai/assistants/tests/{test_id}``: change the fields sent."""
    test = state.test(call)
    body = dict(call.body)
    if "rubric" in body:
        body["rubric"] = _clean_rubric(body["rubric"])
    test.update(copy.deepcopy(body))
    return Reply(200, copy.deepcopy(test))


def delete_test(state: FakeState, call: Call) -> Reply:
    """``DELETE /ai/assistants/tests/{test_id}``, with its runs."""
    test = state.test(call)
    tid = test["test_id"]
    del state.tests[tid]
    state.behaviour.pop(tid, None)
    for rid in [r.run_id for r in state.runs.values() if r.test_id == tid]:
        del state.runs[rid]
    return Reply.empty(200)


def start_run(state: FakeState, test: JSON, *, suite_run_id: str | None = None) -> StoredRun:
    """Create a run of ``test`` starting now on the fake's clock."""
    behaviour = copy.deepcopy(state.behaviour.setdefault(test["test_id"], TestBehaviour()))
    now = state.clock.now()
    run = StoredRun(
        run_id=new_id(),
        test_id=test["test_id"],
        suite=test.get("test_suite"),
        test_suite_run_id=suite_run_id,
        created=now,
        created_at=state.wall(now),
        behaviour=behaviour,
        rubric_names=[str(item["name"]) for item in test.get("rubric", [])],
        conversation_id=new_id(),
    )
    state.runs[run.run_id] = run
    return run


def run_status(state: FakeState, run: StoredRun) -> str:
    """The status of ``run`` at the clock's current reading."""
    b = run.behaviour
    now = state.clock.now()
    if now < run.created + b.start_delay:
        return "pending"
    if now < run.created + b.start_delay + b.duration:
        return "running"
    return b.outcome


def _detail(run: StoredRun) -> list[JSON]:
    b = run.behaviour
    names = run.rubric_names or ["overall"]
    if b.outcome == "passed":
        return [{"name": n, "status": "passed"} for n in names]
    if b.outcome != "failed":
        return [{"name": n, "status": "error"} for n in names]
    statuses = {n: b.detail.get(n, "passed") for n in names}
    if "failed" not in statuses.values():
        statuses[names[-1]] = "failed"
    return [{"name": n, "status": s} for n, s in statuses.items()]


def _logs(state: FakeState, run: StoredRun, detail: Iterable[JSON], elapsed: float) -> str:
    lines = [
        f"[{run.created_at}] run {run.run_id} queued",
        f"[{state.wall(run.created + run.behaviour.start_delay)}] "
        f"conversation {run.conversation_id} started",
    ]
    lines += [f"  rubric {item['name']!r}: {item['status']}" for item in detail]
    lines.append(f"finished with status {run.behaviour.outcome} after {elapsed:.3f}s")
    return "\n".join(lines)


def render_run(state: FakeState, run: StoredRun) -> JSON:
    """The wire form of a run at the clock's current reading."""
    b = run.behaviour
    status = run_status(state, run)
    started = run.created + b.start_delay
    finished = started + b.duration
    out: JSON = {
        "run_id": run.run_id,
        "test_id": run.test_id,
        "status": status,
        "triggered_by": run.triggered_by,
        "created_at": run.created_at,
        "updated_at": run.created_at,
    }
    if run.test_suite_run_id is not None:
        out["test_suite_run_id"] = run.test_suite_run_id
    if status != "pending":
        out["conversation_id"] = run.conversation_id
        out["updated_at"] = state.wall(started)
    if status == b.outcome and status not in UNFINISHED_STATUSES:
        out["updated_at"] = out["completed_at"] = state.wall(finished)
        out["detail_status"] = _detail(run)
        out["conversation_insights_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, run.run_id))
        out["logs"] = _logs(state, run, out["detail_status"], finished - run.created)
    return out


def trigger_run(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/tests/{test_id}/runs``: a run starting now."""
    test = state.test(call)
    return Reply(201, render_run(state, start_run(state, test)))


def get_run(state: FakeState, call: Call) -> Reply:
    """``GET .../runs/{run_id}`` as it looks now on the clock."""
    test = state.test(call)
    rid = call.params["run_id"]
    run = state.runs.get(rid)
    if run is None or run.test_id != test["test_id"]:
        raise ApiError.not_found(f"Run {rid} of test {test['test_id']} not found.")
    return Reply(200, render_run(state, run))


def list_runs(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/tests/{test_id}/runs``, optionally by status."""
    test = state.test(call)
    status = call.q("status")
    items = [render_run(state, r) for r in state.runs.values() if r.test_id == test["test_id"]]
    if status is not None:
        items = [r for r in items if r["status"] == status]
    page, meta = state.page(call, items, default_size=20, max_size=100)
    return Reply(200, {"data": page, "meta": meta})
