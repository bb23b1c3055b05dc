"""Putting things into the fake without HTTP: ``FakeTelnyx.add_*`` defaults and the demo world."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ._handlers.assistants import new_assistant, render_assistant
from ._handlers.tests_and_runs import new_test
from ._handlers.tools import new_tool
from ._state import JSON, FakeState, StoredAssistant, TestBehaviour

__all__ = ["run_behaviour", "seed_assistant", "seed_demo", "seed_test", "seed_tool"]

_RUN_ENDS = ("passed", "failed")


def run_behaviour(
    outcome: str, duration: float, start_delay: float, detail: Mapping[str, str] | None
) -> TestBehaviour:
    """A checked :class:`TestBehaviour` (``ValueError`` names the argument at fault)."""
    if not isinstance(outcome, str) or not outcome:
        raise ValueError("outcome must be a non-empty status string")
    for label, value in (("duration", duration), ("start_delay", start_delay)):
        if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{label} must be a finite, non-negative number of seconds")
    items = dict(detail or {})
    for name, status in items.items():
        if status not in _RUN_ENDS:
            raise ValueError(f"detail[{name!r}] must be 'passed' or 'failed', got {status!r}")
    if outcome == "passed" and "failed" in items.values():
        raise ValueError("a passing outcome cannot have failed rubric items")
    return TestBehaviour(
        outcome=outcome, duration=float(duration), start_delay=float(start_delay), detail=items
    )


def seed_assistant(state: FakeState, fields: dict[str, Any]) -> StoredAssistant:
    """Store an assistant; ``name`` and ``instructions`` get defaults when absent."""
    fields.setdefault("name", f"Assistant {len(state.assistants) + 1}")
    fields.setdefault("instructions", "You are a helpful assistant.")
    return new_assistant(state, fields)


def seed_test(
    state: FakeState,
    name: str,
    test_suite: str | None,
    rubric: Sequence[Mapping[str, str]] | None,
    behaviour: TestBehaviour,
    fields: dict[str, Any],
) -> JSON:
    """Store a test; rubric, destination and instructions get defaults when absent."""
    if rubric is None:
        rubric = [{"name": "Helpful", "criteria": "The assistant answers the question asked."}]
    if "destination" not in fields:
        first = next(iter(state.assistants), None)
        fields["destination"] = first if first is not None else "+15550100000"
    fields.setdefault("instructions", f"Act as a customer and check: {name}.")
    body = {"name": name, "rubric": [dict(item) for item in rubric], **fields}
    if test_suite is not None:
        body["test_suite"] = test_suite
    return new_test(state, body, behaviour)


def seed_tool(state: FakeState, display_name: str, kind: str, fields: dict[str, Any]) -> JSON:
    """Store a shared tool; a webhook tool gets a usable definition when given none."""
    if kind == "webhook" and "webhook" not in fields:
        fields["webhook"] = {
            "name": display_name.lower().replace(" ", "_"),
            "description": display_name,
            "url": "https://example.com/webhook",
            "method": "POST",
        }
    return new_tool(state, {"display_name": display_name, "type": kind, **fields})


_DEMO_TESTS: tuple[tuple[str, str, str, float, str | None], ...] = (
    # name, what "Accurate" checks, outcome, duration, the rubric item that fails
    ("Greets the customer", "Says hello and offers help.", "passed", 0.2, None),
    (
        "Looks up an order",
        "Asks for the order number and reports its status.",
        "passed",
        0.6,
        None,
    ),
    ("Explains the return policy", "States the 30-day return window.", "passed", 0.9, None),
    ("Hands over to a human", "Offers a human agent when asked.", "passed", 1.2, None),
    (
        "Handles a refund request",
        "Confirms the refund amount before acting.",
        "failed",
        1.5,
        "Accurate",
    ),
    ("Stays on topic", "Declines unrelated requests politely.", "failed", 0.4, "Polite"),
)


def seed_demo(state: FakeState) -> None:
    """The demo world: an assistant with a webhook tool and a six-test suite ``demo``."""
    tool = seed_tool(
        state,
        "Order lookup",
        "webhook",
        {
            "webhook": {
                "name": "order_lookup",
                "description": "Find an order by its number.",
                "url": "https://example.com/orders/lookup",
                "method": "POST",
            }
        },
    )
    assistant = render_assistant(
        state,
        seed_assistant(
            state,
            {
                "name": "Demo support agent",
                "instructions": (
                    "You are the support agent of an online shop. Help customers with orders, "
                    "returns and delivery questions. Be brief and friendly."
                ),
                "greeting": "Hi! How can I help you with your order today?",
                "tags": ["demo", "support"],
                "tool_ids": [tool["id"]],
                "enabled_features": ["messaging"],
            },
        ),
    )
    polite = {"name": "Polite", "criteria": "The assistant is courteous throughout."}
    for name, criteria, outcome, duration, failing in _DEMO_TESTS:
        seed_test(
            state,
            name,
            "demo",
            [{"name": "Accurate", "criteria": criteria}, polite],
            run_behaviour(outcome, duration, 0.0, {failing: "failed"} if failing else None),
            {
                "destination": assistant["id"],
                "instructions": f"Play a customer. Scenario: {name.lower()}.",
                "max_duration_seconds": 120,
            },
        )
