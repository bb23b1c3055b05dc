"""``with_streaming_response``: the body stays on the wire until asked for; the connection
always goes back.

Against FakeTelnyx over real sockets, so the aiohttp pool itself is watched:
after every ``async with`` block (body read or not, ended by an exception, by
cancellation, by a failure inside the send path) no connection is held. The
fake's ``trickle`` fault sends the headers at once and the body over many
seconds: a block that is entered long before that proves nothing waited for
the body. Nothing here sleeps to order events; ``asyncio.Event`` does.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import SleepRecorder

from telnyx_async import (
    APIConnectionError,
    AsyncTelnyx,
    ClientClosedError,
    InternalServerError,
    NotFoundError,
    Page,
    Request,
    Response,
    StreamConsumedError,
)
from telnyx_async.models import Assistant, AssistantTestResponse
from telnyx_async.testing import FakeTelnyx, Fault

SLOW = 30.0
"""Seconds a trickled body takes to arrive: far longer than any test here runs."""
ASSISTANT = "/ai/assistants/{assistant_id}"


def in_use(client: AsyncTelnyx) -> int:
    """Connections of the client's pool held by a request or a response right now."""
    session = client._shared.transport.session
    assert session is not None and session.connector is not None
    return len(session.connector._acquired)  # pyright: ignore[reportPrivateUsage]


def idle(client: AsyncTelnyx) -> int:
    """Connections waiting in the pool for reuse."""
    session = client._shared.transport.session
    assert session is not None and session.connector is not None
    return sum(len(c) for c in session.connector._conns.values())  # pyright: ignore


async def test_the_body_is_not_read_until_asked(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(name="Slow")
    fake.enqueue(Fault.trickle(SLOW, chunks=2), route=ASSISTANT)
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert not response.is_closed
        assert fake.requests.last.completed is False  # the fake is still sending the body
        assert in_use(client) == 1
    assert response.is_closed
    assert in_use(client) == 0


async def test_reading_the_body_inside_the_block(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(name="Support")
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        parsed = await response.parse()
        assert isinstance(parsed, Assistant) and parsed.name == "Support"
        assert parsed == await client.ai.assistants.retrieve(made["id"])
        assert (await response.json())["id"] == made["id"]  # the body was kept by parse()
        assert await response.text() == (await response.read()).decode()
    assert in_use(client) == 0
    assert idle(client) == 1  # read to the end: the connection is kept for reuse


async def test_iterating_a_streamed_list(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    for name in ("a", "b", "c"):
        fake.add_test(name)
    async with client.ai.assistants.tests.with_streaming_response.list() as response:
        lines = [line async for line in response.iter_lines()]
    assert len(lines) == 1  # the fake answers compact JSON
    assert lines[0].startswith('{"data":')
    async with client.ai.assistants.tests.with_streaming_response.list() as response:
        chunks = [chunk async for chunk in response.iter_bytes(7)]
        assert all(len(chunk) == 7 for chunk in chunks[:-1]) and 0 < len(chunks[-1]) <= 7
    body = b"".join(chunks)
    async with client.ai.assistants.tests.with_streaming_response.list() as response:
        text = "".join([piece async for piece in response.iter_text()])
    assert text.encode() == body == fake.requests.last.response_body
    async with client.ai.assistants.tests.with_streaming_response.list() as response:
        page = await response.parse()
    assert isinstance(page, Page)
    assert sorted(t.name for t in page.data if isinstance(t, AssistantTestResponse)) == [
        "a", "b", "c",
    ]
    assert in_use(client) == 0


async def test_an_exception_in_the_block_releases_the_connection(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.trickle(SLOW, chunks=2), route=ASSISTANT)
    with pytest.raises(KeyError):
        async with client.ai.assistants.with_streaming_response.retrieve(made["id"]):
            assert in_use(client) == 1
            raise KeyError("the caller's own bug")
    assert in_use(client) == 0


async def test_cancelling_a_read_releases_the_connection(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.trickle(SLOW, chunks=2), route=ASSISTANT)
    entered = asyncio.Event()

    async def reader() -> bytes:
        async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
            entered.set()
            return await response.read()  # waits for a body that takes SLOW seconds

    task = asyncio.create_task(reader())
    await entered.wait()
    assert in_use(client) == 1
    task.cancel()
    (outcome,) = await asyncio.gather(task, return_exceptions=True)
    assert isinstance(outcome, asyncio.CancelledError)
    assert in_use(client) == 0


async def test_an_error_status_is_read_and_raised_on_entry(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    with pytest.raises(NotFoundError) as caught:
        async with client.ai.assistants.with_streaming_response.retrieve("missing"):
            pytest.fail("a 404 never enters the block")
    assert caught.value.status_code == 404
    assert caught.value.body  # the error body was read, to build the typed error
    assert caught.value.response is not None and caught.value.response.text
    assert in_use(client) == 0


async def test_a_streamed_call_is_retried_like_any_other(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.status(503), Fault.status(500), route=ASSISTANT)
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        assert response.retries_taken == 2
        assert (await response.parse()).id == made["id"]
    assert len(sleeps.waits) == 2
    assert in_use(client) == 0
    fake.enqueue(*[Fault.status(503)] * 3, route=ASSISTANT)
    with pytest.raises(InternalServerError):
        async with client.ai.assistants.with_streaming_response.retrieve(made["id"]):
            pass
    assert in_use(client) == 0


async def test_a_body_that_breaks_off_is_a_connection_error(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.reset_mid_body(), route=ASSISTANT)
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        with pytest.raises(APIConnectionError) as caught:
            async for _ in response.iter_bytes():
                pass
    assert caught.value.request is not None
    assert "broke off" in str(caught.value)
    assert in_use(client) == 0


async def test_closing_the_client_ends_an_open_stream(fake: FakeTelnyx) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.trickle(SLOW, chunks=2), route=ASSISTANT)
    client = fake.client()
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        await client.close()
        with pytest.raises(ClientClosedError):
            await response.read()


async def test_the_body_is_gone_once_the_block_ends(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant()
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        pass
    with pytest.raises(StreamConsumedError, match="closed before its body was read"):
        await response.read()
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        async for _ in response.iter_bytes():
            pass
        with pytest.raises(StreamConsumedError, match="already read by iter_bytes"):
            await response.parse()
        with pytest.raises(StreamConsumedError):
            async for _ in response.iter_lines():
                pass
    async with client.ai.assistants.with_streaming_response.retrieve(made["id"]) as response:
        kept = await response.read()
        again = b"".join([chunk async for chunk in response.iter_bytes()])  # from memory now
    assert kept == again
    assert (await response.parse()).id == made["id"]  # a body read in the block stays usable


async def test_entering_twice_is_refused(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant()
    call = client.ai.assistants.with_streaming_response.retrieve(made["id"])
    async with call:
        pass
    with pytest.raises(RuntimeError, match="entered already"):
        async with call:
            pass


async def test_nothing_is_sent_until_the_block_is_entered(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    client.ai.assistants.with_streaming_response.retrieve("never-entered")
    client.ai.assistants.tests.with_streaming_response.list(page_size=3)
    assert len(fake.requests) == 0


# ---------------------------------------------------------------- failures above the transport


class FailingLearner:
    """A throttle that fails (or hangs) while it learns from a 2xx, after the body was opened."""

    def __init__(self, *, hang: bool = False) -> None:
        self.hang = hang
        self.learning = asyncio.Event()

    async def admit(self, request: Request) -> object:
        return None

    async def learn(self, ticket: object, response: Response | None) -> None:
        if response is not None and response.status == 200:
            self.learning.set()
            if self.hang:
                await asyncio.Event().wait()  # until cancelled
            raise RuntimeError("the throttle broke")


async def test_a_failure_above_the_transport_releases_the_opened_body(fake: FakeTelnyx) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.trickle(SLOW, chunks=2), route=ASSISTANT)
    async with fake.client(throttle=FailingLearner()) as client:
        with pytest.raises(RuntimeError, match="the throttle broke"):
            async with client.ai.assistants.with_streaming_response.retrieve(made["id"]):
                pytest.fail("never entered")
        assert in_use(client) == 0


async def test_cancelling_the_call_after_the_body_was_opened_releases_it(
    fake: FakeTelnyx,
) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.trickle(SLOW, chunks=2), route=ASSISTANT)
    throttle = FailingLearner(hang=True)
    async with fake.client(throttle=throttle) as client:

        async def call() -> None:
            async with client.ai.assistants.with_streaming_response.retrieve(made["id"]):
                pytest.fail("never entered")

        task = asyncio.create_task(call())
        await throttle.learning.wait()  # the transport has handed back the open body
        assert in_use(client) == 1
        task.cancel()
        (outcome,) = await asyncio.gather(task, return_exceptions=True)
        assert isinstance(outcome, asyncio.CancelledError)
        assert in_use(client) == 0


# ---------------------------------------------------------------- over a stub transport


class Pieces:
    """A body stream of fixed pieces, as a stub transport hands one back."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = list(pieces)
        self.released = False

    async def read(self) -> bytes:
        body = b"".join(self.pieces)
        self.pieces.clear()
        self.released = True
        return body

    async def chunks(self) -> Any:
        while self.pieces:
            yield self.pieces.pop(0)
        self.released = True

    def release(self) -> None:
        self.released = True


def streaming_stub(pieces: list[bytes], content_type: str = "text/plain; charset=utf-8") -> Any:
    from multidict import CIMultiDict, CIMultiDictProxy

    opened: list[Pieces] = []

    async def transport(request: Request) -> Response:
        headers = CIMultiDictProxy(CIMultiDict({"Content-Type": content_type}))
        if request.stream is None:
            return Response(
                status=200, headers=headers, body=b"".join(pieces), elapsed=0.0, request=request
            )
        stream = Pieces(pieces)
        opened.append(stream)
        request.stream.keep(stream)
        return Response(
            status=200, headers=headers, body=b"", elapsed=0.0, request=request, stream=stream
        )

    transport.opened = opened  # type: ignore[attr-defined]
    return transport


async def test_lines_split_across_pieces() -> None:
    transport = streaming_stub(
        [b"event: delta\r", b'\ndata: {"a"', b": 1}\n\nevent: done\r\n", b"data: x"]
    )
    async with (
        AsyncTelnyx(api_key="k", transport=transport, throttle=None) as client,
        client.ai.assistants.with_streaming_response.get_texml("a") as response,
    ):
        lines = [line async for line in response.iter_lines()]
    assert lines == ["event: delta", 'data: {"a": 1}', "", "event: done", "data: x"]
    assert all(stream.released for stream in transport.opened)


async def test_text_is_decoded_across_pieces_with_the_named_charset() -> None:
    word = "héllo wörld".encode("latin-1")
    transport = streaming_stub([word[:2], word[2:5], word[5:]], "text/plain; charset=ISO-8859-1")
    async with (
        AsyncTelnyx(api_key="k", transport=transport, throttle=None) as client,
        client.ai.assistants.with_streaming_response.get_texml("a") as response,
    ):
        text = "".join([piece async for piece in response.iter_text()])
    assert text == "héllo wörld"
    utf8 = "héllo".encode()
    transport = streaming_stub([utf8[:2], utf8[2:]])  # a character split in two
    async with (
        AsyncTelnyx(api_key="k", transport=transport, throttle=None) as client,
        client.ai.assistants.with_streaming_response.get_texml("a") as response,
    ):
        assert [piece async for piece in response.iter_text()] == ["h", "éllo"]


async def test_a_transport_that_does_not_stream_still_works() -> None:
    async def plain(request: Request) -> Response:
        from multidict import CIMultiDict, CIMultiDictProxy

        return Response(
            status=200, headers=CIMultiDictProxy(CIMultiDict({"Content-Type": "text/plain"})),
            body=b'"<Response/>"', elapsed=0.0, request=request,
        )

    async with (
        AsyncTelnyx(api_key="k", transport=plain, throttle=None) as client,
        client.ai.assistants.with_streaming_response.get_texml("a") as response,
    ):
        assert response.is_closed
        assert [chunk async for chunk in response.iter_bytes(5)] == [
            b'"<Res', b"ponse", b'/>"',
        ]
        assert await response.parse() == "<Response/>"


async def test_iter_bytes_refuses_a_bad_chunk_size(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    raw = await client.ai.assistants.tags.with_raw_response.list()
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ValueError, match="chunk_size"):
            async for _ in raw.iter_bytes(bad):  # type: ignore[arg-type]
                pass
