"""Serving a scripted :class:`~telnyx_async.testing.Fault` instead of (or around) the real answer.

``delay`` faults are waited out by the server before it gets here; this module
serves every other kind.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ._errors import fastapi_error, problem, telnyx_error
from ._exchange import Reply
from ._faults import Fault
from ._records import HeaderDict, RecordedRequest

__all__ = ["FaultServing", "drop"]

Answer = Callable[[], Awaitable[web.Response]]
"""Runs the real answer (recorded on the request's record) and returns it."""
Finish = Callable[[Reply, RecordedRequest], web.Response]
"""Turns a reply into the response sent, and records it."""
Pause = Callable[[float], Awaitable[bool]]
"""Waits some seconds of real time; ``False`` when the fake is stopping meanwhile."""


def drop(request: web.Request) -> web.Response:
    """Close the connection; the returned response is never written."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=503)


def default_error(status: int) -> Any:
    """The body of a ``status`` fault given none: Telnyx's error (FastAPI's for 422)."""
    if status == 422:
        return fastapi_error(
            [problem("value_error", ("body",), "Value error, the request is not valid", None)]
        )
    return telnyx_error(status)


class FaultServing:
    """Serves one request's fault, given how to answer, finish and pause."""

    def __init__(self, answer: Answer, finish: Finish, pause: Pause) -> None:
        """Bind the server's answer, finish and pause steps."""
        self._answer = answer
        self._finish = finish
        self._pause = pause

    async def serve(
        self, fault: Fault, request: web.Request, rec: RecordedRequest
    ) -> web.StreamResponse:
        """Answer ``request`` the way ``fault`` says."""
        if fault.kind == "drop":
            return drop(request)
        if fault.kind == "status":
            return self._finish(_status_reply(fault), rec)
        if fault.kind == "trickle":
            return await self._trickle(fault, request, rec)
        if fault.kind == "slow_response":
            response = await self._answer()
            if not await self._pause(fault.seconds):
                return drop(request)
            return response
        if fault.kind == "malformed":
            status = fault.status_code or 200
            text = (
                b'{"errors": [{"code": "10007", "title": "Unexp'
                if status >= 400
                else b'{"data": {"id": "4f1c'
            )
            response = self._finish(Reply(status, raw=text, content_type="application/json"), rec)
            rec.response_json = None
            return response
        return await _reset_mid_body(fault, request, rec)

    async def _trickle(
        self, fault: Fault, request: web.Request, rec: RecordedRequest
    ) -> web.StreamResponse:
        """The real answer, headers at once, then the body in pieces with pauses between."""
        response = await self._answer()
        raw = rec.response_body
        headers = HeaderDict(rec.response_headers.items())
        headers.pop("content-length", None)
        stream = web.StreamResponse(status=response.status, headers=dict(headers))
        stream.content_length = len(raw)
        pause = fault.seconds / max(fault.chunks, 1)
        step = max(1, -(-len(raw) // max(fault.chunks, 1)))
        try:
            await stream.prepare(request)
            for start in range(0, len(raw), step):
                if not await self._pause(pause):
                    if request.transport is not None:
                        request.transport.close()
                    return stream
                await stream.write(raw[start : start + step])
            await stream.write_eof()
        except ConnectionError:
            # The client gave up part-way through (that is the point of this fault).
            pass
        return stream


def _status_reply(fault: Fault) -> Reply:
    status = fault.status_code or 500
    if fault.body is not None:
        return Reply(
            status, raw=fault.body, content_type=fault.content_type, headers=dict(fault.headers)
        )
    if status >= 400:
        return Reply(
            status,
            default_error(status),
            content_type=fault.content_type or "application/json",
            headers=dict(fault.headers),
        )
    return Reply(status, raw=b"", content_type=fault.content_type, headers=dict(fault.headers))


async def _reset_mid_body(
    fault: Fault, request: web.Request, rec: RecordedRequest
) -> web.StreamResponse:
    """The status line, headers and half of a body, then the connection is closed."""
    status = fault.status_code or 200
    full = json.dumps(
        {"data": [{"id": str(uuid.uuid4()), "note": "x" * 512} for _ in range(4)]}
    ).encode()
    part = full[: len(full) // 2]
    stream = web.StreamResponse(status=status, headers={"x-request-id": str(uuid.uuid4())})
    stream.content_type = "application/json"
    stream.content_length = len(full)
    await stream.prepare(request)
    await stream.write(part)
    rec.status = status
    rec.response_body = part
    rec.response_headers = HeaderDict(stream.headers.items())
    if request.transport is not None:
        request.transport.close()
    return stream
