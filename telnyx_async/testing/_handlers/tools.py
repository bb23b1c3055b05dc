"""Shared tools (``/ai/tools``) and the tools attached to an assistant."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from .._errors import ApiError
from .._exchange import Call, Reply
from .._state import JSON, FakeState, is_object, new_id

__all__ = [
    "add_assistant_tool",
    "create_tool",
    "delete_tool",
    "get_tool",
    "list_tools",
    "new_tool",
    "remove_assistant_tool",
    "test_assistant_tool",
    "update_tool",
]


def new_tool(state: FakeState, fields: Mapping[str, Any]) -> JSON:
    """Create and store a shared tool from request-shaped ``fields``."""
    kind = str(fields["type"])
    definition = fields.get(kind)
    tool: JSON = {
        "id": str(fields.get("id") or new_id()),
        "type": kind,
        "display_name": fields["display_name"],
        "timeout_ms": fields.get("timeout_ms", 5000),
        "tool_definition": copy.deepcopy(definition) if is_object(definition) else {},
        "created_at": state.wall(),
    }
    state.tools[tool["id"]] = tool
    return tool


def list_tools(state: FakeState, call: Call) -> Reply:
    """``GET /ai/tools``, by type and by (part of the) name."""
    kind, name = call.q("filter[type]"), call.q("filter[name]")
    needle = name.lower() if name is not None else None
    items = [
        copy.deepcopy(t)
        for t in state.tools.values()
        if (kind is None or t["type"] == kind)
        and (
            needle is None
            or needle in str(t.get("display_name", "")).lower()
            or needle == str(t["tool_definition"].get("name", "")).lower()
        )
    ]
    page, meta = state.page(call, items, default_size=20, max_size=100)
    return Reply(200, {"data": page, "meta": meta})


def create_tool(state: FakeState, call: Call) -> Reply:
    """``POST /ai/tools``."""
    return Reply(200, copy.deepcopy(new_tool(state, call.body)))


def get_tool(state: FakeState, call: Call) -> Reply:
    """``GET /ai/tools/{tool_id}``."""
    return Reply(200, copy.deepcopy(state.shared_tool(call.params["tool_id"])))


def update_tool(state: FakeState, call: Call) -> Reply:
    """``PATCH /ai/tools/{tool_id}``: change the fields sent."""
    tool = state.shared_tool(call.params["tool_id"])
    body = call.body
    for key in ("display_name", "timeout_ms", "type"):
        if key in body:
            tool[key] = body[key]
    definition = body.get(tool["type"])
    if is_object(definition):
        tool["tool_definition"] = copy.deepcopy(definition)
    return Reply(200, copy.deepcopy(tool))


def delete_tool(state: FakeState, call: Call) -> Reply:
    """``DELETE /ai/tools/{tool_id}``."""
    tool = state.shared_tool(call.params["tool_id"])
    del state.tools[tool["id"]]
    return Reply(200, {})


def add_assistant_tool(state: FakeState, call: Call) -> Reply:
    """``PUT /ai/assistants/{assistant_id}/tools/{tool_id}``: attach a shared tool."""
    assistant = state.assistant(call)
    tool = state.shared_tool(call.params["tool_id"])
    ids: list[str] = assistant.main.config.setdefault("tool_ids", [])
    if tool["id"] not in ids:
        ids.append(tool["id"])
    return Reply(200, {})


def remove_assistant_tool(state: FakeState, call: Call) -> Reply:
    """``DELETE /ai/assistants/{assistant_id}/tools/{tool_id}``: detach it."""
    assistant = state.assistant(call)
    tool_id = call.params["tool_id"]
    ids: list[str] = assistant.main.config.setdefault("tool_ids", [])
    if tool_id not in ids and tool_id not in state.tools:
        raise ApiError.not_found(f"Tool {tool_id} not found.")
    if tool_id in ids:
        ids.remove(tool_id)
    return Reply(200, {})


def test_assistant_tool(state: FakeState, call: Call) -> Reply:
    """``POST .../tools/{tool_id}/test``: what calling the webhook would send and get."""
    state.assistant(call)
    tool = state.shared_tool(call.params["tool_id"])
    body: JSON = call.body or {}
    arguments: JSON = body.get("arguments") or {}
    definition: JSON = tool.get("tool_definition") or {}
    answer = {"ok": True, "tool": tool.get("display_name"), "arguments": arguments}
    return Reply(
        200,
        {
            "data": {
                "success": True,
                "status_code": 200,
                "content_type": "application/json",
                "response": json.dumps(answer),
                "request": {
                    "method": definition.get("method", "POST"),
                    "url": definition.get("url", "https://example.com/webhook"),
                    "body": arguments,
                    "dynamic_variables": body.get("dynamic_variables") or {},
                },
            }
        },
    )
