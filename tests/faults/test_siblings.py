"""Siblings of the reliability round-2 problems: the same class of fault, found elsewhere.

* A caller-supplied value that reaches the request line as it is: a
  ``base_url`` holding a space, a tab, a line break or a NUL used to be
  accepted and sent, splitting or corrupting the request. It is a
  ``ValueError`` when the client is made.
* aiohttp's ``InvalidURL`` (a ``ValueError``) about a URL of ours is the
  caller's to fix: a plain ``ValueError``, raised once, instead of a
  connection failure that is retried. (A bad ``Location`` from the server
  stays a connection error.)
* A lent ``aiohttp.ClientSession(raise_for_status=True)`` made every 4xx/5xx
  an ``APIConnectionError`` (its ``ClientResponseError``, request headers and
  all, chained under it) and retried it as a connection failure; the status is
  the SDK's to judge, whatever the session says.

(Secrets in aiohttp's connector errors -- a proxy's password in the connection
key -- are in ``test_secrets.py``.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio

from telnyx_async import (
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    Request,
    Timeout,
)
from telnyx_async._transport import Transport
from telnyx_async.testing import FakeTelnyx, Fault


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeTelnyx]:
    async with FakeTelnyx() as served:
        yield served


class _Waits:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.mark.parametrize("bad", [" x", "\tx", "\r\nX-Injected: 1", "\nx", "\x00", "\x7f"])
async def test_a_base_url_that_would_break_the_request_line_is_refused(
    fake: FakeTelnyx, bad: str
) -> None:
    with pytest.raises(ValueError, match="`base_url` holds a space or a control character"):
        AsyncTelnyx("k", base_url=fake.url + bad)
    assert fake.requests == []


async def test_an_invalid_url_of_ours_is_a_value_error_not_a_connection_failure() -> None:
    transport = Transport(api_key="k", base_url="http://127.0.0.1:9/v2", max_connections=4,
                          trust_env=False)
    request = Request(
        method="GET", url="http:///v2/ai/assistants", path="/ai/assistants",
        route="/ai/assistants", headers={}, body=None, replay_safe=True, timeout=Timeout(),
    )
    try:
        with pytest.raises(ValueError, match="the request URL cannot be sent") as info:
            await transport.send(request)
        assert type(info.value) is ValueError  # not aiohttp's, not a connection error
        assert info.value.__cause__ is None and info.value.__suppress_context__
    finally:
        await transport.close()


async def test_a_lent_session_that_raises_for_status_still_gets_status_errors(
    fake: FakeTelnyx,
) -> None:
    waits = _Waits()
    async with aiohttp.ClientSession(raise_for_status=True) as session:
        async with fake.client(session=session, sleep=waits) as client:
            with pytest.raises(NotFoundError) as missing:
                await client.ai.assistants.retrieve("no-such-assistant")
            assert missing.value.status_code == 404 and missing.value.__cause__ is None
            assert waits.waits == []  # a 404 is not a connection failure: not retried
            fake.enqueue(*[Fault.status(503)] * 3, method="GET")
            with pytest.raises(InternalServerError):
                await client.ai.assistants.list()
            assert len(waits.waits) == 2  # retried as a 503, by the status policy
        assert not session.closed
