"""Deleting assistants and the Recently Deleted list: soft and hard delete, list, look, restore.

A plain ``DELETE`` moves an assistant, with its versions, into the Recently
Deleted list: it is gone from the list of assistants and every operation on
it answers 404, but ``GET .../deleted`` shows it as it was and ``POST
.../restore`` brings it back until ``permanently_deleted_at`` (30 days on the
fake's clock). ``?hard_delete=true`` removes it for good at once, and removes
for good an assistant that is already in the list. Either way its canary
deploy and scheduled events go, and a restore does not bring them back.
(Newer API than the spec beside the repo: see ``scripts/spec_overlay.json``.)
"""

from __future__ import annotations

from .._exchange import Call, Reply
from .._state import (
    DELETED_RETENTION,
    JSON,
    DeletedAssistantEntry,
    FakeState,
    StoredAssistant,
    query_bool,
)
from .assistants import render_assistant

__all__ = [
    "delete_assistant",
    "get_deleted",
    "list_deleted",
    "render_deleted",
    "restore_assistant",
]


def render_deleted(state: FakeState, entry: DeletedAssistantEntry) -> JSON:
    """The wire form of a soft-deleted assistant: its main version, and when it was deleted."""
    out = render_assistant(state, entry.assistant)
    out["deleted_at"] = entry.deleted_at
    out["permanently_deleted_at"] = entry.permanently_deleted_at
    return out


def _drop_belongings(state: FakeState, assistant_id: str) -> None:
    """Remove the canary deploy and the scheduled events of an assistant."""
    state.canaries.pop(assistant_id, None)
    for eid in [k for k, e in state.events.items() if e["assistant_id"] == assistant_id]:
        del state.events[eid]


def _soft_delete(state: FakeState, assistant: StoredAssistant) -> None:
    """Move ``assistant`` into the Recently Deleted list."""
    now = state.clock.now()
    state.deleted[assistant.id] = DeletedAssistantEntry(
        assistant=assistant,
        deleted=now,
        deleted_at=state.wall(now),
        permanently_deleted_at=state.wall(now + DELETED_RETENTION),
    )


def delete_assistant(state: FakeState, call: Call) -> Reply:
    """``DELETE /ai/assistants/{assistant_id}``: soft, or for good with ``hard_delete=true``."""
    hard = query_bool(call, "hard_delete") is True
    aid = call.params["assistant_id"]
    assistant = state.assistants.get(aid)
    if assistant is None and hard and aid in state.recently_deleted():
        del state.deleted[aid]  # emptying it from the Recently Deleted list
        return Reply(200, {"id": aid, "object": "assistant", "deleted": True})
    assistant = state.assistant(call)  # 404 for an unknown (or already soft-deleted) id
    del state.assistants[assistant.id]
    _drop_belongings(state, assistant.id)
    if not hard:
        _soft_delete(state, assistant)
    return Reply(200, {"id": assistant.id, "object": "assistant", "deleted": True})


def list_deleted(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/deleted``: one page of the list, the latest deletion first."""
    # Entries are kept in the order of deletion (a restore takes one out).
    items = [render_deleted(state, e) for e in reversed(state.recently_deleted().values())]
    page, meta = state.page(call, items, default_size=20, max_size=None)
    return Reply(200, {"data": page, "meta": meta})


def get_deleted(state: FakeState, call: Call) -> Reply:
    """``GET /ai/assistants/{assistant_id}/deleted``: one assistant of the list."""
    return Reply(200, render_deleted(state, state.deleted_assistant(call)))


def restore_assistant(state: FakeState, call: Call) -> Reply:
    """``POST /ai/assistants/{assistant_id}/restore``: back from the list, with its versions."""
    entry = state.deleted_assistant(call)
    del state.deleted[entry.assistant.id]
    state.assistants[entry.assistant.id] = entry.assistant
    return Reply(200, render_assistant(state, entry.assistant))
