"""Scheduled events: calls and text messages an assistant makes at a set time."""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from .._errors import ApiError, problem
from .._exchange import Call, Reply
from .._state import JSON, FakeState, new_id
from .._validation import parse_datetime

__all__ = ["create_event", "delete_event", "get_event", "list_events"]

_CHANNELS = ("phone_call", "sms_chat")


def create_event(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}/scheduled_events``; a text message needs ``text``."""
    assistant = state.assistant(call)
    body = call.body
    channel = body["telnyx_conversation_channel"]
    if channel == "sms_chat" and "text" not in body:
        raise ApiError.invalid(problem("missing", ("body", "text"), "Field required", dict(body)))
    when = parse_datetime(body["scheduled_at_fixed_datetime"])
    assert when is not None  # checked by the body rule
    event: JSON = {
        "scheduled_event_id": new_id(),
        "assistant_id": assistant.id,
        "telnyx_conversation_channel": channel,
        "telnyx_end_user_target": body["telnyx_end_user_target"],
        "telnyx_agent_target": body["telnyx_agent_target"],
        "scheduled_at_fixed_datetime": when.astimezone(timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        ),
        "status": "pending",
        "retry_count": 0,
        "created_at": state.wall(),
        "errors": [],
    }
    for key in ("conversation_metadata", "dynamic_variables"):
        if key in body:
            event[key] = copy.deepcopy(body[key])
    if channel == "sms_chat":
        event["text"] = body["text"]
    else:
        event["call_attempts"] = []
        event["max_retries_client_errors"] = body.get("max_retries_client_errors", 0)
        event["retry_attempts"] = 0
        for key in ("retry_interval_secs", "call_settings", "text"):
            if key in body:
                event[key] = copy.deepcopy(body[key])
    state.events[event["scheduled_event_id"]] = event
    return Reply(201, copy.deepcopy(event))


def _event(state: FakeState, call: Call) -> JSON:
    assistant = state.assistant(call)
    eid = call.params["event_id"]
    found = state.events.get(eid)
    if found is None or found["assistant_id"] != assistant.id:
        raise ApiError.not_found(f"Scheduled event {eid} not found.")
    return found


def get_event(state: FakeState, call: Call) -> Reply:
    """``GET .../scheduled_events/{event_id}``."""
    return Reply(200, copy.deepcopy(_event(state, call)))


def delete_event(state: FakeState, call: Call) -> Reply:
    """``DELETE .../scheduled_events/{event_id}``."""
    event = _event(state, call)
    del state.events[event["scheduled_event_id"]]
    return Reply.empty(200)


def _query_datetime(call: Call, name: str) -> datetime | None:
    raw = call.q(name)
    if raw is None:
        return None
    parsed = parse_datetime(raw)
    if parsed is None:
        raise ApiError.invalid(
            problem(
                "datetime_from_date_parsing",
                ("query", name),
                "Input should be a valid datetime",
                raw,
            )
        )
    return parsed


def list_events(state: FakeState, call: Call) -> Reply:
    """``GET .../scheduled_events``, filtered by time window and channel."""
    assistant = state.assistant(call)
    start = _query_datetime(call, "from_date")
    end = _query_datetime(call, "to_date")
    channel = call.q("conversation_channel")
    if channel is not None and channel not in _CHANNELS:
        raise ApiError.invalid(
            problem(
                "enum",
                ("query", "conversation_channel"),
                "Input should be 'phone_call' or 'sms_chat'",
                channel,
            )
        )
    items: list[JSON] = []
    for event in state.events.values():
        if event["assistant_id"] != assistant.id:
            continue
        when = parse_datetime(event["scheduled_at_fixed_datetime"])
        assert when is not None
        if start is not None and when < start:
            continue
        if end is not None and when > end:
            continue
        if channel is not None and event["telnyx_conversation_channel"] != channel:
            continue
        items.append(copy.deepcopy(event))
    page, meta = state.page(call, items, default_size=20, max_size=100)
    return Reply(200, {"data": page, "meta": meta})
