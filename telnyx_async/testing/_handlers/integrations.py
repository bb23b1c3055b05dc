"""Integrations: the catalogue of third-party services and the account's connections to them."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from .._errors import ApiError
from .._exchange import Call, Reply
from .._state import JSON, FakeState, new_id

__all__ = [
    "add_connection",
    "add_integration",
    "delete_connection",
    "get_connection",
    "get_integration",
    "list_connections",
    "list_integrations",
    "seed_integrations",
]

_CATALOGUE: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "salesforce",
        "Salesforce",
        "CRM records: look up and update contacts and cases.",
        ("search_contacts", "create_case", "update_case"),
    ),
    (
        "hubspot",
        "HubSpot",
        "Marketing and sales CRM: contacts, deals and notes.",
        ("search_contacts", "create_note"),
    ),
    (
        "zendesk",
        "Zendesk",
        "Support tickets: open, read and comment on tickets.",
        ("create_ticket", "get_ticket", "add_comment"),
    ),
    (
        "google_calendar",
        "Google Calendar",
        "Check availability and book appointments.",
        ("list_free_slots", "create_event"),
    ),
)


def seed_integrations(state: FakeState) -> None:
    """Fill the catalogue (four integrations) and connect two of them."""
    for name, display, text, tools in _CATALOGUE:
        add_integration(
            state, name=name, display_name=display, description=text, available_tools=list(tools)
        )
    for name in ("salesforce", "zendesk"):
        integration = next(i for i in state.integrations.values() if i["name"] == name)
        add_connection(state, integration["id"], allowed_tools=integration["available_tools"][:2])


def add_integration(state: FakeState, **fields: Any) -> JSON:
    """Add an integration to the catalogue and return it."""
    name = str(fields.get("name", "custom"))
    integration: JSON = {
        "id": str(fields.get("id") or new_id()),
        "name": name,
        "display_name": fields.get("display_name", name.replace("_", " ").title()),
        "description": fields.get("description", f"The {name} integration."),
        "logo_url": fields.get("logo_url", f"https://logos.example.com/{name}.svg"),
        "status": fields.get("status", "disconnected"),
        "available_tools": list(fields.get("available_tools", [])),
    }
    for key, value in fields.items():
        integration.setdefault(key, value)
    state.integrations[integration["id"]] = integration
    return integration


def add_connection(
    state: FakeState, integration_id: str, *, allowed_tools: Sequence[str] = (), **fields: Any
) -> JSON:
    """Connect an integration (marks it ``connected``) and return the connection."""
    if integration_id not in state.integrations:
        raise KeyError(f"unknown integration id {integration_id!r}")
    connection: JSON = {
        "id": str(fields.pop("id", None) or new_id()),
        "integration_id": integration_id,
        "allowed_tools": list(allowed_tools),
    }
    connection.update(fields)
    state.connections[connection["id"]] = connection
    state.integrations[integration_id]["status"] = "connected"
    return connection


def list_integrations(state: FakeState, call: Call) -> Reply:
    """``GET /ai/integrations``: the whole catalogue."""
    return Reply(200, {"data": copy.deepcopy(list(state.integrations.values()))})


def get_integration(state: FakeState, call: Call) -> Reply:
    """``GET /ai/integrations/{integration_id}``."""
    iid = call.params["integration_id"]
    found = state.integrations.get(iid)
    if found is None:
        raise ApiError.not_found(f"Integration {iid} not found.")
    return Reply(200, copy.deepcopy(found))


def list_connections(state: FakeState, call: Call) -> Reply:
    """``GET /ai/integrations/connections``."""
    return Reply(200, {"data": copy.deepcopy(list(state.connections.values()))})


def _connection(state: FakeState, call: Call) -> JSON:
    cid = call.params["user_connection_id"]
    found = state.connections.get(cid)
    if found is None:
        raise ApiError.not_found(f"Integration connection {cid} not found.")
    return found


def get_connection(state: FakeState, call: Call) -> Reply:
    """``GET /ai/integrations/connections/{user_connection_id}``."""
    return Reply(200, {"data": copy.deepcopy(_connection(state, call))})


def delete_connection(state: FakeState, call: Call) -> Reply:
    """``DELETE .../connections/{user_connection_id}``; the last one disconnects the service."""
    connection = _connection(state, call)
    del state.connections[connection["id"]]
    iid = connection["integration_id"]
    if iid in state.integrations and not any(
        c["integration_id"] == iid for c in state.connections.values()
    ):
        state.integrations[iid]["status"] = "disconnected"
    return Reply.empty(204)
