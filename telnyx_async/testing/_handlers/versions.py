"""Assistant versions: list, read, edit, delete and promote to main."""

from __future__ import annotations

import copy

from .._errors import ApiError, problem
from .._exchange import Call, Reply
from .._state import FakeState, StoredVersion
from .assistants import check_tool_ids, merge_settings, render_assistant

__all__ = ["delete_version", "get_version", "list_versions", "promote_version", "update_version"]


def list_versions(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/{assistant_id}/versions``: every version, oldest first."""
    assistant = state.assistant(call)
    versions = [render_assistant(state, assistant, v) for v in assistant.versions.values()]
    return Reply(200, {"data": versions})


def get_version(state: FakeState, call: Call) -> Reply:
    """``GET .../versions/{version_id}`` (``main`` names the main version)."""
    assistant = state.assistant(call)
    version = state.version(assistant, call.params["version_id"])
    return Reply(200, render_assistant(state, assistant, version))


def update_version(state: FakeState, call: Call) -> Reply:
    """``POST .../versions/{version_id}``: edit a version, or make it from main if it is new."""
    assistant = state.assistant(call)
    body = dict(call.body)
    check_tool_ids(state, body)
    vid = call.params["version_id"]
    name = body.pop("version_name", None)
    if vid == "main":
        vid = assistant.main_version_id
    version = assistant.versions.get(vid)
    if version is None:
        config = copy.deepcopy(assistant.main.config)
        version = StoredVersion(
            vid, name or f"Version {len(assistant.versions) + 1}", state.wall(), config
        )
        assistant.versions[vid] = version
    elif name:
        version.version_name = name
    merge_settings(version.config, body)
    return Reply(200, render_assistant(state, assistant, version))


def delete_version(state: FakeState, call: Call) -> Reply:
    """``DELETE .../versions/{version_id}``; the main version cannot go (422)."""
    assistant = state.assistant(call)
    version = state.version(assistant, call.params["version_id"])
    if version.version_id == assistant.main_version_id:
        raise ApiError.invalid(
            problem(
                "value_error",
                ("path", "version_id"),
                "Value error, the main version cannot be deleted; promote another one first",
                call.params["version_id"],
            )
        )
    del assistant.versions[version.version_id]
    return Reply.empty(204)


def promote_version(state: FakeState, call: Call) -> Reply:
    """``POST .../versions/{version_id}/promote``: make it the main version."""
    assistant = state.assistant(call)
    version = state.version(assistant, call.params["version_id"])
    assistant.main_version_id = version.version_id
    return Reply(200, render_assistant(state, assistant))
