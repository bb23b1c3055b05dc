"""Canary deploys: one traffic split between versions per assistant."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .._errors import ApiError, problem
from .._exchange import Call, Reply
from .._state import JSON, FakeState, StoredAssistant, is_object

__all__ = ["create_canary", "delete_canary", "get_canary", "update_canary"]


def _rules(body: Mapping[str, Any]) -> list[JSON]:
    """The deploy's rules from a request body (already checked against the spec's rules)."""
    raw = body.get("rules")
    if raw is None and isinstance(body.get("versions"), list):
        # the older wire shape: {"versions": [{"version_id", "percentage"}]}
        slots = [
            {"version_id": str(v.get("version_id")), "weight": v.get("percentage", 0)}
            for v in body["versions"]
            if is_object(v)
        ]
        return [{"serve": {"rollout": slots}}]
    rules: list[Any] = list(raw or [])
    return [copy.deepcopy(rule) for rule in rules if is_object(rule)]


def _canary(state: FakeState, call: Call) -> tuple[StoredAssistant, JSON]:
    assistant = state.assistant(call)
    found = state.canaries.get(assistant.id)
    if found is None:
        raise ApiError.not_found(f"Assistant {assistant.id} has no canary deploy.")
    return assistant, found


def get_canary(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/{assistant_id}/canary-deploys``."""
    return Reply(200, copy.deepcopy(_canary(state, call)[1]))


def create_canary(state: FakeState, call: Call) -> Reply:
    """``POST .../canary-deploys``; a second one is refused (422): update it instead."""
    assistant = state.assistant(call)
    if assistant.id in state.canaries:
        raise ApiError.invalid(
            problem(
                "value_error",
                ("path", "assistant_id"),
                "Value error, this assistant already has a canary deploy; update it instead",
                assistant.id,
            )
        )
    now = state.wall()
    deploy = {
        "assistant_id": assistant.id,
        "rules": _rules(call.body),
        "created_at": now,
        "updated_at": now,
    }
    state.canaries[assistant.id] = deploy
    return Reply(200, copy.deepcopy(deploy))


def update_canary(state: FakeState, call: Call) -> Reply:
    """``PUT .../canary-deploys``: replace the rules."""
    _, deploy = _canary(state, call)
    deploy["rules"] = _rules(call.body)
    deploy["updated_at"] = state.wall()
    return Reply(200, copy.deepcopy(deploy))


def delete_canary(state: FakeState, call: Call) -> Reply:
    """``DELETE .../canary-deploys``."""
    assistant, _ = _canary(state, call)
    del state.canaries[assistant.id]
    return Reply.empty(204)
