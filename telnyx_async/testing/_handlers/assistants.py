"""Assistants: create, read, update, import, clone, chat, instructions, TeXML and tags.

Deleting them, and the Recently Deleted list, is ``deleted.py``'s.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from .._errors import ApiError, Problem, problem
from .._exchange import Call, Reply
from .._state import (
    DEFAULT_MODEL,
    JSON,
    FakeState,
    StoredAssistant,
    StoredVersion,
    new_id,
)

__all__ = [
    "add_tag",
    "chat",
    "chat_sms",
    "chat_whatsapp",
    "check_tool_ids",
    "clone_assistant",
    "create_assistant",
    "enhance_instructions",
    "event_stream",
    "get_assistant",
    "get_texml",
    "import_assistants",
    "list_all_tags",
    "list_assistants",
    "merge_settings",
    "new_assistant",
    "remove_tag",
    "render_assistant",
    "tool_entry",
    "update_assistant",
]


def _slug(text: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "_" for ch in text).strip("_")
    return "_".join(part for part in out.split("_") if part) or "tool"


def tool_entry(tool: JSON) -> JSON:
    """The assistant-tool union member for a shared tool."""
    kind = str(tool.get("type", "webhook"))
    definition: JSON = copy.deepcopy(tool.get("tool_definition") or {})
    if kind in ("webhook", "client_side_tool"):
        display = str(tool.get("display_name") or kind)
        definition.setdefault("name", _slug(display))
        definition.setdefault("description", display)
    if kind == "webhook":
        definition.setdefault("url", "https://example.com/webhook")
    if kind == "client_side_tool":
        definition.setdefault("parameters", {"type": "object", "properties": {}})
    return {"type": kind, kind: definition}


def render_assistant(
    state: FakeState, assistant: StoredAssistant, version: StoredVersion | None = None
) -> JSON:
    """The wire form of one version (default: the main one) of an assistant."""
    v = version or assistant.main
    cfg = copy.deepcopy(v.config)
    tool_ids = cfg.pop("tool_ids", [])
    out: JSON = {"id": assistant.id, "created_at": assistant.created_at}
    out.update(cfg)
    out["tools"] = list(cfg.get("tools", [])) + [
        tool_entry(state.tools[tid]) for tid in tool_ids if tid in state.tools
    ]
    out["version_id"] = v.version_id
    out["version_name"] = v.version_name
    out["version_created_at"] = v.created_at
    if assistant.import_metadata is not None:
        out["import_metadata"] = copy.deepcopy(assistant.import_metadata)
    return out


def check_tool_ids(state: FakeState, body: Mapping[str, Any]) -> None:
    """Refuse (422) ``tool_ids`` that name no shared tool."""
    problems: list[Problem] = []
    for i, tid in enumerate(body.get("tool_ids") or []):
        if not isinstance(tid, str):
            problems.append(
                problem(
                    "string_type", ("body", "tool_ids", i), "Input should be a valid string", tid
                )
            )
        elif tid not in state.tools:
            problems.append(
                problem(
                    "value_error",
                    ("body", "tool_ids", i),
                    f"Value error, unknown tool id {tid}",
                    tid,
                )
            )
    if problems:
        raise ApiError.invalid(*problems)


def merge_settings(config: JSON, fields: Mapping[str, Any]) -> None:
    """Lay request-shaped ``fields`` over a version's ``config``; a ``null`` clears a setting.

    (``avatar_settings: null`` is how the API takes an avatar away.)
    """
    for key, value in fields.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = copy.deepcopy(value)


def new_assistant(
    state: FakeState, fields: Mapping[str, Any], *, import_metadata: JSON | None = None
) -> StoredAssistant:
    """Create and store an assistant from request-shaped ``fields``."""
    now = state.wall()
    config: JSON = {
        "model": DEFAULT_MODEL,
        "tags": [],
        "tools": [],
        "integrations": [],
        "mcp_servers": [],
        "enabled_features": [],
        "dynamic_variables": {},
    }
    merge_settings(config, fields)
    for key in ("id", "created_at", "version_id", "version_name", "version_created_at"):
        config.pop(key, None)
    version = StoredVersion(new_id(), "Initial version", now, config)
    assistant = StoredAssistant(
        id=str(fields.get("id") or new_id()),
        created_at=now,
        main_version_id=version.version_id,
        versions={version.version_id: version},
        import_metadata=import_metadata,
    )
    state.assistants[assistant.id] = assistant
    state.deleted.pop(assistant.id, None)  # a pinned id now names the new assistant
    return assistant


def list_assistants(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants``: one page of assistants, main versions."""
    items = [render_assistant(state, a) for a in state.assistants.values()]
    page, meta = state.page(call, items, default_size=100, max_size=None)
    return Reply(200, {"data": page, "meta": meta})


def create_assistant(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants``."""
    check_tool_ids(state, call.body)
    return Reply(200, render_assistant(state, new_assistant(state, call.body)))


def import_assistants(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/import``: one assistant per import id, made once."""
    provider = call.body["provider"]
    ids = call.body.get("import_ids") or [f"{provider}-agent-1", f"{provider}-agent-2"]
    created: list[JSON] = []
    for import_id in ids:
        meta = {"import_id": str(import_id), "import_provider": provider}
        existing = next((a for a in state.assistants.values() if a.import_metadata == meta), None)
        assistant = existing or new_assistant(
            state,
            {
                "name": f"Imported {provider} assistant {import_id}",
                "instructions": f"Imported from {provider}; review before going live.",
            },
            import_metadata=meta,
        )
        created.append(render_assistant(state, assistant))
    return Reply(200, {"data": created})


def get_assistant(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/{assistant_id}``."""
    return Reply(200, render_assistant(state, state.assistant(call)))


def update_assistant(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}``: a new version, promoted unless told not to."""
    assistant = state.assistant(call)
    body = dict(call.body)
    check_tool_ids(state, body)
    promote = body.pop("promote_to_main", True)
    name = body.pop("version_name", None) or f"Version {len(assistant.versions) + 1}"
    config = copy.deepcopy(assistant.main.config)
    merge_settings(config, body)
    version = StoredVersion(new_id(), name, state.wall(), config)
    assistant.versions[version.version_id] = version
    if promote:
        assistant.main_version_id = version.version_id
    return Reply(200, render_assistant(state, assistant, version))


def event_stream(content: str) -> bytes:
    """``content`` as Server-Sent Events: a ``delta`` per word, then ``done`` with the whole.

    The deltas joined give ``content`` back exactly; the ``done`` event's data
    is the reply as the JSON answer would be.
    """
    pieces = [p for p in re.split(r"(?<=\s)(?=\S)", content) if p]
    events = [("delta", {"content": piece}) for piece in pieces]
    events.append(("done", {"content": content}))
    text = "".join(
        f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n" for name, data in events
    )
    return text.encode("utf-8")


def chat(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}/chat``: an echo in the assistant's name.

    With ``"stream": true`` the same reply comes as Server-Sent Events.
    """
    assistant = state.assistant(call)
    name = assistant.main.config.get("name", "Assistant")
    content = f"{name} here. You said: {call.body['content']}"
    if call.body.get("stream") is True:
        return Reply(
            200,
            raw=event_stream(content),
            content_type="text/event-stream; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )
    return Reply(200, {"content": content})


def chat_sms(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}/chat/sms``: a new conversation id."""
    state.assistant(call)
    return Reply(200, {"conversation_id": new_id()})


def chat_whatsapp(state: FakeState, call: Call) -> Reply:
    """``POST .../chat/whatsapp``: the new conversation's id and the sent message's id."""
    state.assistant(call)
    return Reply(200, {"conversation_id": new_id(), "message_id": new_id()})


def clone_assistant(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}/clone``: a copy without phone or SMS settings."""
    source = state.assistant(call)
    config = copy.deepcopy(source.main.config)
    config.pop("telephony_settings", None)
    config.pop("messaging_settings", None)
    config["name"] = f"{config.get('name', 'Assistant')} (copy)"
    return Reply(200, render_assistant(state, new_assistant(state, config)))


def enhance_instructions(state: FakeState, call: Call) -> Reply:
    """``POST .../instructions/enhance``: the instructions plus some guidelines, as text."""
    assistant = state.assistant(call)
    body: JSON = call.body or {}
    base = body.get("instructions") or assistant.main.config.get("instructions", "")
    prompt = body.get("enhancement_prompt")
    lines = [
        str(base).strip(),
        "",
        "Guidelines:",
        "- Greet the user and confirm what they need before acting.",
        "- Keep answers short and specific; ask one question at a time.",
        "- Say plainly when you cannot help, and offer a next step.",
    ]
    if prompt:
        lines.append(f"- Also: {prompt}")
    return Reply(
        200, raw="\n".join(lines).encode("utf-8"), content_type="text/plain; charset=utf-8"
    )


def get_texml(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/{assistant_id}/texml``: TeXML connecting a call to the assistant."""
    assistant = state.assistant(call)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<Response><Connect>"
        f'<AIAssistant id="{assistant.id}" version="{assistant.main_version_id}"/>'
        "</Connect></Response>"
    )
    return Reply(200, xml)


def list_all_tags(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/tags``: every tag on any assistant's main version, sorted."""
    tags: set[str] = set()
    for assistant in state.assistants.values():
        tags.update(str(t) for t in assistant.main.config.get("tags", []))
    return Reply(200, {"tags": sorted(tags)})


def add_tag(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}/tags``."""
    assistant = state.assistant(call)
    tags: list[str] = assistant.main.config.setdefault("tags", [])
    if call.body["tag"] not in tags:
        tags.append(call.body["tag"])
    return Reply(200, {"tags": list(tags)})


def remove_tag(state: FakeState, call: Call) -> Reply:
    """``DELETE /ai/assistants/{assistant_id}/tags/{tag}``."""
    assistant = state.assistant(call)
    tags: list[str] = assistant.main.config.setdefault("tags", [])
    tag = call.params["tag"]
    if tag not in tags:
        raise ApiError.not_found(f"Tag {tag!r} is not set on assistant {assistant.id}.")
    tags.remove(tag)
    return Reply(200, {"tags": list(tags)})
