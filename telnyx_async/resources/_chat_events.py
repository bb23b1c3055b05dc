"""Reading ``assistants.chat(stream=True)``: the reply, out of its Server-Sent Events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telnyx_async import _json
from telnyx_async._decode import decode, invalid, misfit_error
from telnyx_async._structure import Misfit, fit
from telnyx_async._wire import Response
from telnyx_async.models.assistants import AssistantChatResponse

__all__ = ["chat_reply_from_events", "sse_events"]


def chat_reply_from_events(response: Response) -> AssistantChatResponse:
    """The reply of ``chat(stream=True)``, read from its Server-Sent Events.

    The ``done`` event carries the whole reply; an ``error`` event, or a
    stream without ``done``, is a validation error naming the streamed way to
    read it. A plain JSON answer (a server that did not stream) is read as is.
    """
    if response.content_type != "text/event-stream":
        reply: AssistantChatResponse = decode(response, AssistantChatResponse)
        return reply
    done: Mapping[str, Any] | None = None
    for event, data in sse_events(response.body.decode("utf-8", errors="replace")):
        try:
            payload = _json.as_object(_json.loads(data)) if data else None
        except ValueError:
            payload = None
        kind = event or (payload.get("type") if payload is not None else None)
        if kind == "error":
            raise invalid(response, f"with an `error` event in the reply stream: {data[:200]}")
        if kind == "done":
            done = payload
    if done is None:
        raise invalid(
            response,
            "with an event stream that has no `done` event; read it as it comes with "
            "`async with client.ai.assistants.with_streaming_response.chat(..., stream=True)`",
        )
    try:
        return fit(done, AssistantChatResponse)
    except Misfit as misfit:
        raise misfit_error(response, misfit, where=" (the `done` event)") from None


def sse_events(text: str) -> list[tuple[str | None, str]]:
    """``(event name or None, data)`` of each event of a Server-Sent Events body."""
    events: list[tuple[str | None, str]] = []
    name: str | None = None
    data: list[str] = []
    for line in [*text.splitlines(), ""]:
        if not line:
            if data or name:
                events.append((name, "\n".join(data)))
            name, data = None, []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
    return events
