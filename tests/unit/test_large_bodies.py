"""Large bodies: parsed in slices, decoded in a worker thread, same results as small ones.

A body of ``OFF_LOOP_BYTES`` or more is decoded through ``asyncio.to_thread``
and parsed by ``_json.loads_in_slices``, so the event loop keeps serving other
coroutines. These tests check which thread does the work (not timings) and
that the answers, and the errors, are exactly those of the small-body path.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async import (
    APIResponseValidationError,
    AsyncTelnyx,
    Timeout,
    _decode,
    _json,
    _resource,
    _structure,
)
from telnyx_async._http import RequestDefaults, build_request
from telnyx_async._wire import Request, Response

BASE = "https://api.example.test/v2"
ASSISTANT = {
    "id": "assistant-1",
    "name": "Front desk",
    "model": "openai/gpt-4o",
    "instructions": "Help.",
    "created_at": "2025-03-14T09:26:53Z",
}


def _large_assistant(tools: int) -> bytes:
    tool = {"type": "hangup", "hangup": {"description": "Ends the call."}}
    body = json.dumps({**ASSISTANT, "tools": [tool] * tools}).encode()
    assert len(body) >= _decode.OFF_LOOP_BYTES or tools < 100
    return body


def _answer(request: Request, body: bytes) -> Response:
    return Response(
        status=200,
        headers=CIMultiDictProxy(CIMultiDict({"Content-Type": "application/json"})),
        body=body, elapsed=0.0, request=request,
    )


def _client(body: bytes) -> AsyncTelnyx:
    async def transport(request: Request) -> Response:
        return _answer(request, body)

    return AsyncTelnyx(api_key="test-key", base_url=BASE, transport=transport, throttle=None)


class _ThreadLog:
    """Wraps a function and notes which thread each call ran in."""

    def __init__(self, func: Any) -> None:
        self.func = func
        self.threads: list[int] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.get_ident())
        return self.func(*args, **kwargs)


# ------------------------------------------------------------------ the sliced parse

_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(document=_DOCUMENTS, indent=st.sampled_from([None, 0, 2]))
def test_sliced_parse_reads_any_document_as_loads_does(document: Any, indent: int | None) -> None:
    body = json.dumps(document, indent=indent).encode()
    assert json.dumps(_json.loads_in_slices(body)) == json.dumps(_json.loads(body))


@pytest.mark.parametrize(
    "body",
    [
        b"", b"{", b"[1,", b'{"a" 1}', b'{"a":1,}', b"[1 2]", b'{"a":1} x', b"{1:2}",
        b'["\x01"]', b"\xff", b"[" * 100_000 + b"]" * 100_000, b'{"a":[1,{"b":}]}',
    ],
)
def test_what_the_sliced_parse_refuses_is_refused_as_loads_refuses_it(body: bytes) -> None:
    with pytest.raises(ValueError) as direct:
        _json.loads(body)
    with pytest.raises(ValueError) as sliced:
        _json.loads_in_slices(body)
    assert str(sliced.value) == str(direct.value)


def test_sliced_parse_keeps_what_only_the_standard_library_reads() -> None:
    body = b' {"n": [18446744073709551616, NaN], "s": "\\ud800", "a": {"b": [{"c": 1e400}]}} '
    assert repr(_json.loads_in_slices(body)) == repr(_json.loads(body))


# ------------------------------------------------------------------ which thread decodes


async def test_a_large_body_is_decoded_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    body = _large_assistant(3000)
    fit = _ThreadLog(_structure.fit)
    sliced = _ThreadLog(_json.loads_in_slices)
    monkeypatch.setattr(_decode, "fit", fit)
    monkeypatch.setattr(_json, "loads_in_slices", sliced)
    async with _client(body) as client:
        assistant = await client.ai.assistants.retrieve("assistant-1")
    assert assistant.name == "Front desk"
    assert assistant.tools is not None
    assert len(assistant.tools) == 3000
    loop_thread = threading.get_ident()
    assert fit.threads and loop_thread not in fit.threads
    assert sliced.threads and loop_thread not in sliced.threads


async def test_a_small_body_is_decoded_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    fit = _ThreadLog(_structure.fit)
    sliced = _ThreadLog(_json.loads_in_slices)
    monkeypatch.setattr(_decode, "fit", fit)
    monkeypatch.setattr(_json, "loads_in_slices", sliced)
    async with _client(_large_assistant(10)) as client:
        await client.ai.assistants.retrieve("assistant-1")
    assert fit.threads == [threading.get_ident()]
    assert sliced.threads == []


async def test_a_large_page_is_read_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    item = {"id": "t", "type": "webhook", "tool_definition": {"description": "x" * 200}}
    page = {"data": [item] * 1000, "meta": {"page_number": 1, "total_pages": 1}}
    body = json.dumps(page).encode()
    assert len(body) >= _decode.OFF_LOOP_BYTES
    decode_json = _ThreadLog(_decode.decode_json)
    monkeypatch.setattr(_resource, "decode_json", decode_json)
    async with _client(body) as client:
        first = await client.ai.tools.list()
    assert len(first.data) == 1000
    assert decode_json.threads and threading.get_ident() not in decode_json.threads


async def test_a_large_body_that_does_not_fit_is_the_same_validation_error() -> None:
    body = json.dumps({**ASSISTANT, "name": 5, "tools": [{"type": "hangup"}] * 8000}).encode()
    assert len(body) >= _decode.OFF_LOOP_BYTES
    async with _client(body) as client:
        with pytest.raises(APIResponseValidationError, match="name") as caught:
            await client.ai.assistants.retrieve("assistant-1")
    assert caught.value.path == "name"


async def test_a_large_body_that_is_not_json_is_a_validation_error() -> None:
    body = b'{"id": "' + b"x" * _decode.OFF_LOOP_BYTES + b'"'
    async with _client(body) as client:
        with pytest.raises(APIResponseValidationError, match="not JSON"):
            await client.ai.assistants.retrieve("assistant-1")


async def test_bytes_and_reader_answers_stay_on_the_loop() -> None:
    body = b"x" * (_decode.OFF_LOOP_BYTES + 1)
    calls: list[int] = []

    def read(response: Response) -> int:
        calls.append(threading.get_ident())
        return len(response.body)

    defaults = RequestDefaults(base_url=BASE, headers={}, timeout=Timeout())
    response = _answer(build_request(defaults, "GET", "/ai/tools"), body)
    assert await _decode.decode_off_loop(response, _decode.BYTES) is body
    assert await _decode.decode_off_loop(response, _decode.Reader("length", read)) == len(body)
    assert calls == [threading.get_ident()]


async def test_cancelling_a_call_while_its_body_is_decoded_raises_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, release, done = threading.Event(), threading.Event(), threading.Event()
    real_fit = _structure.fit
    finished: list[object] = []

    def slow_fit(data: Any, cls: Any) -> Any:
        started.set()
        release.wait(timeout=30)
        result = real_fit(data, cls)
        finished.append(result)
        done.set()
        return result

    monkeypatch.setattr(_decode, "fit", slow_fit)
    async with _client(_large_assistant(3000)) as client:
        call = asyncio.ensure_future(client.ai.assistants.retrieve("assistant-1"))
        await asyncio.to_thread(started.wait, 30)  # the worker thread is decoding now
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        release.set()  # the thread finishes its work; its result is dropped
        assert await asyncio.to_thread(done.wait, 30)
    assert len(finished) == 1


async def test_a_raw_response_parses_a_large_body_in_a_worker_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fit = _ThreadLog(_structure.fit)
    monkeypatch.setattr(_decode, "fit", fit)
    async with _client(_large_assistant(3000)) as client:
        raw = await client.ai.assistants.with_raw_response.retrieve("assistant-1")
        assistant = await raw.parse()
        as_dict = cast("dict[str, Any]", await raw.parse(to=dict))
    assert assistant.tools is not None
    assert len(assistant.tools) == 3000
    assert len(as_dict["tools"]) == 3000
    assert len(fit.threads) == 1
    assert threading.get_ident() not in fit.threads
