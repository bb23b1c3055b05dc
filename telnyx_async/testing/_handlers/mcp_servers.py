"""MCP servers an assistant may call tools on."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .._errors import ApiError
from .._exchange import Call, Reply
from .._state import JSON, FakeState, new_id

__all__ = ["create_mcp", "delete_mcp", "get_mcp", "list_mcp", "new_mcp_server", "update_mcp"]


def new_mcp_server(state: FakeState, fields: Mapping[str, Any]) -> JSON:
    """Create and store an MCP server from request-shaped ``fields``."""
    server: JSON = {
        "id": str(fields.get("id") or new_id()),
        "name": fields["name"],
        "type": fields["type"],
        "url": fields["url"],
        "api_key_ref": fields.get("api_key_ref"),
        "allowed_tools": copy.deepcopy(fields.get("allowed_tools")),
        "created_at": state.wall(),
    }
    state.mcp_servers[server["id"]] = server
    return server


def _mcp(state: FakeState, call: Call) -> JSON:
    mid = call.params["mcp_server_id"]
    found = state.mcp_servers.get(mid)
    if found is None:
        raise ApiError.not_found(f"MCP server {mid} not found.")
    return found


def list_mcp(state: FakeState, call: Call) -> Reply:
    """``GET /ai/mcp_servers``, by type and URL; a bare array, as the API pages it."""
    kind, url = call.q("type"), call.q("url")
    items = [
        copy.deepcopy(s)
        for s in state.mcp_servers.values()
        if (kind is None or s["type"] == kind) and (url is None or s["url"] == url)
    ]
    page, _ = state.page(call, items, default_size=20, max_size=100)
    return Reply(200, page)


def create_mcp(state: FakeState, call: Call) -> Reply:
    """``POST /ai/mcp_servers``."""
    return Reply(200, copy.deepcopy(new_mcp_server(state, call.body)))


def get_mcp(state: FakeState, call: Call) -> Reply:
    """``GET /ai/mcp_servers/{mcp_server_id}``."""
    return Reply(200, copy.deepcopy(_mcp(state, call)))


def update_mcp(state: FakeState, call: Call) -> Reply:
    """``PUT /ai/mcp_servers/{mcp_server_id}``: change the fields sent."""
    server = _mcp(state, call)
    for key in ("name", "type", "url", "api_key_ref", "allowed_tools"):
        if key in call.body:
            server[key] = copy.deepcopy(call.body[key])
    return Reply(200, copy.deepcopy(server))


def delete_mcp(state: FakeState, call: Call) -> Reply:
    """``DELETE /ai/mcp_servers/{mcp_server_id}``."""
    server = _mcp(state, call)
    del state.mcp_servers[server["id"]]
    return Reply.empty(200)
