"""JSON nested 100,000 levels deep (200 KB), served as ``application/json`` by a real server.

On a 200 (a retrieve, a list page) it is an ``APIResponseValidationError``; as
an error body (404, 500, 429) it is the status error, with no details and the
raw body kept whole. Never a ``RecursionError``, on the first attempt or on a
retry. (The property tests in ``test_properties.py`` push arbitrary bytes and
JSON through every operation offline; this is the same over a socket.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from telnyx_async import (
    APIResponseValidationError,
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    TelnyxError,
)

ARRAY = b"[" * 100_000 + b"]" * 100_000
OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
IN_DATA = b'{"data":' + ARRAY + b',"meta":{"total_pages":1}}'
ERRORS = b'{"errors":' + ARRAY + b"}"


@pytest_asyncio.fixture
async def base_url() -> AsyncIterator[str]:
    async def handle(request: web.Request) -> web.Response:
        status = int(request.query.get("status", "200"))
        body = {"array": ARRAY, "object": OBJECT, "data": IN_DATA, "errors": ERRORS}[
            request.query.get("body", "array")
        ]
        return web.Response(status=status, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/v2"
    finally:
        await runner.cleanup()


class _Waits:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.mark.parametrize("body", ["array", "object", "data", "errors"])
async def test_a_deep_2xx_body_is_a_validation_error(base_url: str, body: str) -> None:
    raw = {"array": ARRAY, "object": OBJECT, "data": IN_DATA, "errors": ERRORS}[body]
    async with AsyncTelnyx("k", base_url=base_url, trust_env=False) as client:
        for call in (
            lambda: client.ai.assistants.retrieve("a1", extra_query={"body": body}),
            lambda: client.ai.assistants.list(extra_query={"body": body}),
            lambda: client.ai.assistants.tests.list(extra_query={"body": body}),
        ):
            with pytest.raises(APIResponseValidationError) as info:
                result: Any = call()
                await result
            assert info.value.status_code == 200
            assert info.value.body == raw.decode()
            assert "deep" in str(info.value) or "nested" in str(info.value), str(info.value)


@pytest.mark.parametrize("body", ["array", "object", "errors"])
@pytest.mark.parametrize(
    ("status", "error"),
    [(404, NotFoundError), (500, InternalServerError), (429, RateLimitError)],
)
async def test_a_deep_error_body_is_the_status_error_with_the_body_kept(
    base_url: str, body: str, status: int, error: type[TelnyxError]
) -> None:
    raw = {"array": ARRAY, "object": OBJECT, "errors": ERRORS}[body]
    waits = _Waits()
    async with AsyncTelnyx(
        "k", base_url=base_url, trust_env=False, max_retries=1, sleep=waits, throttle=None
    ) as client:
        with pytest.raises(TelnyxError) as info:
            await client.ai.assistants.retrieve(
                "a1", extra_query={"status": str(status), "body": body}
            )
    err = info.value
    assert type(err) is error, repr(err)
    assert getattr(err, "status_code", None) == status
    assert getattr(err, "errors", None) == []
    assert getattr(err, "body", None) == raw.decode()
    # The retryable ones were retried once, and the retry's body parsed just as safely.
    assert len(waits.waits) == (0 if status == 404 else 1)
