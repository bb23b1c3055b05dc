"""The send path one layer at a time, each over a stub ``send``; then composed.

StatusLayer (2xx passes, the rest becomes its typed error), ConcurrencyLayer
(never more than ``limit`` in flight, one semaphore per loop), ThrottleLayer
(admit before, learn exactly once after, whatever happened) and RetryLayer
(what is retried, how long it waits, when it stops). Waits are recorded through
the client's injectable ``sleep``; nothing here sleeps for real or opens a socket.
"""

from __future__ import annotations

import asyncio
import math
import random
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
from conftest import SleepRecorder
from hypothesis import given
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncTelnyx,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    Request,
    Response,
    RetryConfig,
    Throttle,
    Timeout,
    UnprocessableEntityError,
    build_request,
)
from telnyx_async._http import RequestDefaults
from telnyx_async._pipeline import ConcurrencyLayer, StatusLayer, compose, compose_shared
from telnyx_async._retry import RetryLayer, Send, backoff, is_retryable, requested_wait
from telnyx_async._status import status_error
from telnyx_async._throttle import ThrottleLayer, refusal
from telnyx_async._types import UNSET

BASE = "https://api.example.test/v2"
DEFAULTS = RequestDefaults(base_url=BASE, headers={"Accept": "application/json"}, timeout=Timeout())
TOOLS = "/ai/tools"


def make_request(
    method: str = "GET", *, key: str | None = None, deadline_at: float | None = None
) -> Request:
    body: Any = {} if method in ("POST", "PATCH") else UNSET
    request = build_request(DEFAULTS, method, TOOLS, body=body, idempotency_key=key)
    return attrs.evolve(request, deadline_at=deadline_at)


def answer(
    request: Request, status: int = 200, headers: dict[str, str] | None = None,
    body: bytes = b"{}",
) -> Response:
    return Response(
        status=status, headers=CIMultiDictProxy(CIMultiDict(headers or {})), body=body,
        elapsed=0.0, request=request,
    )


async def through(send: Send, request: Request) -> Response:
    """Await a layer's answer (so it can run as a task)."""
    return await send(request)


def failure(status: int, request: Request, headers: dict[str, str] | None = None) -> APIError:
    """The typed error a ``status`` answer to ``request`` becomes."""
    return status_error(answer(request, status, headers, body=b""))


# ------------------------------------------------------------------ StatusLayer


@pytest.mark.parametrize("status", [200, 201, 202, 204, 299])
async def test_status_layer_passes_2xx_untouched(status: int) -> None:
    request = make_request()
    response = answer(request, status)

    async def send(r: Request) -> Response:
        return response

    assert await StatusLayer(send)(request) is response


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (300, APIStatusError),
        (302, APIStatusError),
        (304, APIStatusError),
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (418, APIStatusError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (599, InternalServerError),
    ],
)
async def test_status_layer_raises_the_typed_error(status: int, cls: type[APIStatusError]) -> None:
    request = make_request("POST")
    response = answer(request, status, {"x-request-id": "req-7"}, b'{"errors":[{"detail":"no"}]}')

    async def send(r: Request) -> Response:
        return response

    with pytest.raises(APIStatusError) as info:
        await StatusLayer(send)(request)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.response is response
    assert err.request is request
    assert err.request_id == "req-7"
    assert str(err).startswith(f"POST {TOOLS} -> {status}: no")


async def test_status_layer_lets_send_errors_through() -> None:
    request = make_request()
    boom = APIConnectionError("down", request=request)

    async def send(r: Request) -> Response:
        raise boom

    with pytest.raises(APIConnectionError) as info:
        await StatusLayer(send)(request)
    assert info.value is boom


# ------------------------------------------------------------------ ConcurrencyLayer


class Gate:
    """A stub ``send`` that holds every request until released, counting those inside.

    ``full`` is set the moment ``limit`` requests are inside at once.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.inside = 0
        self.most = 0
        self.done = 0
        self.full = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, request: Request) -> Response:
        self.inside += 1
        self.most = max(self.most, self.inside)
        if self.inside >= self.limit:
            self.full.set()
        try:
            await self.release.wait()
        finally:
            self.inside -= 1
            self.done += 1
        return answer(request)


@pytest.mark.parametrize(("limit", "requests"), [(1, 4), (2, 5), (3, 9)])
async def test_concurrency_never_passes_the_limit(limit: int, requests: int) -> None:
    gate = Gate(limit)
    layer = ConcurrencyLayer(gate, limit)
    tasks = [asyncio.create_task(layer(make_request())) for _ in range(requests)]
    await gate.full.wait()
    # Every task has had its turn by now; without the limit all would be inside.
    assert gate.inside == limit
    gate.release.set()
    responses = await asyncio.gather(*tasks)
    assert len(responses) == requests
    assert gate.most == limit
    assert gate.done == requests


async def test_concurrency_slot_is_freed_when_send_fails() -> None:
    calls = 0

    async def send(request: Request) -> Response:
        nonlocal calls
        calls += 1
        raise APIConnectionError("refused", request=request, request_sent=False)

    layer = ConcurrencyLayer(send, 1)
    for _ in range(3):  # a leaked slot would hang the second call
        with pytest.raises(APIConnectionError):
            await asyncio.wait_for(layer(make_request()), timeout=5)
    assert calls == 3


def test_concurrency_makes_a_semaphore_per_event_loop() -> None:
    """Two asyncio.run calls: the second loop gets its own semaphore and still limits."""
    gates: list[Gate] = []

    async def send(request: Request) -> Response:
        return await gates[-1](request)

    layer = ConcurrencyLayer(send, 1)
    semaphores: list[object] = []

    async def contend() -> None:
        gate = Gate(1)
        gates.append(gate)
        # Two at once: the second waits on the semaphore, which binds it to this loop.
        tasks = [asyncio.create_task(layer(make_request())) for _ in range(2)]
        await gate.full.wait()
        semaphores.append(layer._semaphore)
        gate.release.set()
        await asyncio.gather(*tasks)
        assert gate.most == 1

    asyncio.run(contend())
    asyncio.run(contend())
    assert len(semaphores) == 2
    assert semaphores[0] is not semaphores[1]
    assert [gate.done for gate in gates] == [2, 2]


# ------------------------------------------------------------------ ThrottleLayer


class RecordingThrottle:
    """A Throttle that admits at once and writes down what it is told, in order."""

    def __init__(self, events: list[Any], refuse: BaseException | None = None) -> None:
        self.events = events
        self.refuse = refuse
        self.learned: list[tuple[object, Response | None]] = []
        self.admitted = 0

    async def admit(self, request: Request) -> object:
        self.events.append("admit")
        if self.refuse is not None:
            raise self.refuse
        self.admitted += 1
        return ("ticket", self.admitted)

    async def learn(self, ticket: Any, response: Response | None) -> None:
        self.events.append("learn")
        self.learned.append((ticket, response))


def test_recording_throttle_is_a_throttle() -> None:
    assert isinstance(RecordingThrottle([]), Throttle)
    assert not isinstance(object(), Throttle)


@pytest.mark.parametrize("status", [200, 429, 503])
async def test_throttle_admits_first_and_learns_the_response(status: int) -> None:
    events: list[Any] = []
    throttle = RecordingThrottle(events)
    request = make_request()
    response = answer(request, status)

    async def send(r: Request) -> Response:
        events.append("send")
        return response

    got = await ThrottleLayer(send, throttle)(request)
    assert got is response  # any status: the status check sits above this layer
    assert events == ["admit", "send", "learn"]
    assert throttle.learned == [(("ticket", 1), response)]


@pytest.mark.parametrize(
    "error",
    [
        APIConnectionError("reset", request_sent=True),
        APIConnectionError("refused", request_sent=False),
        APITimeoutError("slow"),
    ],
)
async def test_throttle_learns_none_when_send_fails(error: APIConnectionError) -> None:
    events: list[Any] = []
    throttle = RecordingThrottle(events)

    async def send(r: Request) -> Response:
        events.append("send")
        raise error

    with pytest.raises(APIConnectionError) as info:
        await ThrottleLayer(send, throttle)(make_request())
    assert info.value is error
    assert events == ["admit", "send", "learn"]
    assert throttle.learned == [(("ticket", 1), None)]


async def test_throttle_learns_none_when_the_task_is_cancelled() -> None:
    events: list[Any] = []
    throttle = RecordingThrottle(events)
    inside = asyncio.Event()

    async def send(r: Request) -> Response:
        events.append("send")
        inside.set()
        await asyncio.Event().wait()  # an answer that never comes
        raise AssertionError("unreachable")

    task = asyncio.create_task(ThrottleLayer(send, throttle)(make_request()))
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert events == ["admit", "send", "learn"]
    assert throttle.learned == [(("ticket", 1), None)]


async def test_throttle_refusal_sends_nothing_and_learns_nothing() -> None:
    events: list[Any] = []
    request = make_request()
    refusal = failure(429, request)
    throttle = RecordingThrottle(events, refuse=refusal)

    async def send(r: Request) -> Response:
        events.append("send")
        return answer(r)

    with pytest.raises(RateLimitError) as info:
        await ThrottleLayer(send, throttle)(request)
    assert info.value is refusal
    assert events == ["admit"]
    assert throttle.learned == []


async def test_throttle_is_asked_only_once_a_concurrency_slot_is_free() -> None:
    """compose_shared puts the throttle under the limit: a queued request is not yet admitted."""
    events: list[Any] = []
    throttle = RecordingThrottle(events)
    gate = Gate(1)
    shared = compose_shared(gate, throttle=throttle, max_concurrency=1)
    tasks = [asyncio.create_task(through(shared, make_request())) for _ in range(2)]
    await gate.full.wait()
    assert throttle.admitted == 1  # the second request waits for the slot, unadmitted
    gate.release.set()
    await asyncio.gather(*tasks)
    assert throttle.admitted == 2
    assert events == ["admit", "learn", "admit", "learn"]


async def test_compose_shared_without_throttle_still_limits() -> None:
    gate = Gate(2)
    shared = compose_shared(gate, throttle=None, max_concurrency=2)
    tasks = [asyncio.create_task(through(shared, make_request())) for _ in range(4)]
    await gate.full.wait()
    assert gate.inside == 2
    gate.release.set()
    await asyncio.gather(*tasks)
    assert gate.most == 2


async def test_throttle_sees_every_attempt_of_a_retried_call() -> None:
    """Retries pass the throttle too, and the 429 itself reaches learn() as a Response."""
    events: list[Any] = []
    throttle = RecordingThrottle(events)
    statuses = iter([429, 200])

    async def transport(request: Request) -> Response:
        return answer(request, next(statuses), {"Retry-After": "2"})

    sleeps = SleepRecorder()
    send = compose(compose_shared(transport, throttle=throttle, max_concurrency=4),
                   retry=RetryConfig(), sleep=sleeps)
    response = await send(make_request("POST"))
    assert response.status == 200
    assert [r.status if r else None for _, r in throttle.learned] == [429, 200]
    assert events == ["admit", "learn", "admit", "learn"]
    assert sleeps.waits == [2.0]


# ------------------------------------------------------------------ is_retryable, table-driven

GET, PUT, DELETE = make_request("GET"), make_request("PUT"), make_request("DELETE")
POST, PATCH = make_request("POST"), make_request("PATCH")
KEYED_POST = make_request("POST", key="k-1")
CONFIG = RetryConfig()  # retry_statuses 408, 429, 500, 502, 503, 504; max_retry_wait 60


def _status(status: int, headers: dict[str, str] | None = None) -> Callable[[Request], APIError]:
    return lambda request: failure(status, request, headers)


def _conn(cls: type[APIConnectionError], sent: bool) -> Callable[[Request], APIError]:
    return lambda request: cls("x", request=request, request_sent=sent)


RETRYABLE: list[tuple[str, Callable[[Request], BaseException], Request, bool]] = [
    # 429: always, even for a POST without a key
    ("429 GET", _status(429), GET, True),
    ("429 POST", _status(429), POST, True),
    ("429 PATCH", _status(429), PATCH, True),
    ("429 asks 60s (= max)", _status(429, {"Retry-After": "60"}), POST, True),
    ("429 asks 61s (> max)", _status(429, {"Retry-After": "61"}), GET, False),
    ("429 asks via reset", _status(429, {"x-ratelimit-reset": "600"}), GET, False),
    # 5xx and 408: only when replay-safe
    *[(f"{s} GET", _status(s), GET, True) for s in (408, 500, 502, 503, 504)],
    *[(f"{s} PUT", _status(s), PUT, True) for s in (408, 500, 503)],
    *[(f"{s} DELETE", _status(s), DELETE, True) for s in (408, 502, 504)],
    *[(f"{s} POST", _status(s), POST, False) for s in (408, 500, 502, 503, 504)],
    *[(f"{s} PATCH", _status(s), PATCH, False) for s in (408, 500, 503)],
    *[(f"{s} keyed POST", _status(s), KEYED_POST, True) for s in (408, 500, 503)],
    ("503 asks 120s", _status(503, {"Retry-After": "120"}), GET, False),
    ("503 asks 5s", _status(503, {"Retry-After": "5"}), GET, True),
    # statuses outside retry_statuses: never
    *[(f"{s} GET", _status(s), GET, False) for s in (400, 401, 403, 404, 409, 422, 501, 505)],
    *[(f"{s} keyed POST", _status(s), KEYED_POST, False) for s in (400, 409, 422)],
    # connection errors and timeouts
    ("conn GET sent", _conn(APIConnectionError, True), GET, True),
    ("conn POST sent", _conn(APIConnectionError, True), POST, False),
    ("conn POST unsent", _conn(APIConnectionError, False), POST, True),
    ("conn keyed POST sent", _conn(APIConnectionError, True), KEYED_POST, True),
    ("timeout GET sent", _conn(APITimeoutError, True), GET, True),
    ("timeout POST sent", _conn(APITimeoutError, True), POST, False),
    ("timeout POST unsent", _conn(APITimeoutError, False), POST, True),
    # a closed client: never
    ("closed GET", _conn(ClientClosedError, True), GET, False),
    ("closed GET unsent", _conn(ClientClosedError, False), GET, False),
    ("closed keyed POST", _conn(ClientClosedError, False), KEYED_POST, False),
    # not ours, or not a failed attempt
    ("validation", lambda r: APIResponseValidationError("bad", request=r), GET, False),
    ("pagination", lambda r: PaginationError("too many"), GET, False),
    ("ValueError", lambda r: ValueError("bug"), GET, False),
    ("CancelledError", lambda r: asyncio.CancelledError(), GET, False),
]


@pytest.mark.parametrize(
    ("make", "request_", "expected"),
    [row[1:] for row in RETRYABLE],
    ids=[row[0] for row in RETRYABLE],
)
def test_is_retryable(
    make: Callable[[Request], BaseException], request_: Request, expected: bool
) -> None:
    assert is_retryable(make(request_), request_, CONFIG) is expected


def test_429_is_not_retried_when_left_out_of_retry_statuses() -> None:
    config = RetryConfig(retry_statuses=frozenset({503}))
    assert is_retryable(failure(429, GET), GET, config) is False
    assert is_retryable(failure(503, GET), GET, config) is True


def test_max_retry_wait_bounds_what_is_waited_for() -> None:
    config = RetryConfig(max_retry_wait=5)
    assert is_retryable(failure(429, GET, {"Retry-After": "5"}), GET, config) is True
    assert is_retryable(failure(429, GET, {"Retry-After": "5.5"}), GET, config) is False
    assert is_retryable(failure(429, GET), GET, config) is True  # no ask: backoff applies


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (failure(429, GET, {"Retry-After": "3"}), 3.0),
        (failure(429, GET, {"retry-after-ms": "1500"}), 1.5),
        (failure(429, GET), None),
        (failure(503, GET, {"Retry-After": "7"}), 7.0),
        (failure(503, GET, {"retry-after": "0"}), 0.0),
        (failure(503, GET), None),
        (APIConnectionError("x", request=GET), None),
    ],
)
def test_requested_wait(error: APIError, expected: float | None) -> None:
    assert requested_wait(error) == expected


# ------------------------------------------------------------------ RetryLayer through a client


class Script:
    """A stub transport answering from a script: a status (with headers) or an error maker."""

    def __init__(
        self, *steps: int | tuple[int, dict[str, str]] | type[BaseException],
        ok_body: bytes = b'{"data":[]}',
    ) -> None:
        self.steps = list(steps)
        self.ok_body = ok_body
        self.requests: list[Request] = []

    async def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, type):
            if issubclass(step, APIConnectionError):
                raise step("scripted", request=request, request_sent=True)
            raise step()
        status, headers = step if isinstance(step, tuple) else (step, {})
        return answer(request, status, headers, self.ok_body if status < 300 else b"")


def client_for(
    script: Script, sleeps: SleepRecorder, **settings: Any
) -> AsyncTelnyx:
    return AsyncTelnyx(
        api_key="test-key", base_url=BASE, transport=script, throttle=None, sleep=sleeps,
        **settings,
    )


async def test_first_success_is_not_retried() -> None:
    script, sleeps = Script(200), SleepRecorder()
    await client_for(script, sleeps).ai.integrations.list()
    assert len(script.requests) == 1
    assert sleeps.waits == []


@pytest.mark.parametrize(
    ("step", "wait"),
    [
        ((429, {"Retry-After": "3"}), 3.0),
        ((429, {"Retry-After": "0.25"}), 0.25),
        ((429, {"retry-after-ms": "1500"}), 1.5),
        ((429, {"x-ratelimit-reset": "7"}), 7.0),
        ((503, {"Retry-After": "2.5"}), 2.5),
        ((408, {"Retry-After": "4"}), 4.0),
    ],
)
async def test_wait_is_exactly_what_the_server_asked(
    step: tuple[int, dict[str, str]], wait: float
) -> None:
    script, sleeps = Script(step, 200), SleepRecorder()
    await client_for(script, sleeps).ai.integrations.list()
    assert sleeps.waits == [wait]
    assert len(script.requests) == 2
    assert script.requests[0] is script.requests[1]  # the very same Request is resent


@pytest.fixture
def seeded() -> Iterator[None]:
    """Make the global random stream repeatable for one test, then put it back."""
    state = random.getstate()
    try:
        yield
    finally:
        random.setstate(state)


@pytest.mark.usefixtures("seeded")
async def test_without_an_ask_the_wait_is_backoff() -> None:
    """The waits are backoff(1), backoff(2), ... drawn from the same random stream."""
    config = RetryConfig(max_retries=5, initial_delay=0.5, max_delay=3.0)
    script, sleeps = Script(503, 503, 503, 503, 503, 200), SleepRecorder()
    client = client_for(script, sleeps, retry=config)
    random.seed(20240601)
    await client.ai.integrations.list()
    random.seed(20240601)
    expected = [backoff(n, initial=0.5, maximum=3.0) for n in range(1, 6)]
    assert sleeps.waits == expected
    for n, wait in enumerate(sleeps.waits, start=1):
        assert 0.0 <= wait <= min(3.0, 0.5 * 2 ** (n - 1))
    assert len(script.requests) == 6


@pytest.mark.usefixtures("seeded")
async def test_server_ask_and_backoff_mix_per_attempt() -> None:
    script, sleeps = Script((503, {"Retry-After": "1"}), 503, 200), SleepRecorder()
    client = client_for(script, sleeps, retry=RetryConfig(initial_delay=0.4, max_delay=8))
    random.seed(7)
    await client.ai.integrations.list()
    random.seed(7)
    assert sleeps.waits == [1.0, backoff(2, initial=0.4, maximum=8)]


@pytest.mark.parametrize("max_retries", [0, 1, 3])
async def test_stops_after_max_retries(max_retries: int) -> None:
    script, sleeps = Script(503), SleepRecorder()
    client = client_for(script, sleeps, max_retries=max_retries)
    with pytest.raises(InternalServerError) as info:
        await client.ai.integrations.list()
    assert len(script.requests) == max_retries + 1
    assert len(sleeps.waits) == max_retries
    assert info.value.response is not None and info.value.response.status == 503


async def test_last_error_is_the_one_raised() -> None:
    script, sleeps = Script(503, 502, 504), SleepRecorder()
    with pytest.raises(InternalServerError) as info:
        await client_for(script, sleeps, max_retries=2).ai.integrations.list()
    assert info.value.status_code == 504


async def test_post_without_key_is_not_retried_on_5xx() -> None:
    script, sleeps = Script(503, 503, 200, ok_body=b'{"content":"hello"}'), SleepRecorder()
    client = client_for(script, sleeps)
    with pytest.raises(InternalServerError):
        await client.ai.assistants.chat("a1", content="hi", conversation_id="c")
    assert len(script.requests) == 1
    # The same call with a key may be replayed.
    reply = await client.ai.assistants.chat(
        "a1", content="hi", conversation_id="c", idempotency_key="chat-1"
    )
    assert reply.content == "hello"
    assert len(script.requests) == 3
    assert script.requests[1] is script.requests[2]


async def test_connection_errors_follow_replay_safety() -> None:
    script, sleeps = Script(APIConnectionError, 200), SleepRecorder()
    await client_for(script, sleeps).ai.integrations.list()
    assert len(script.requests) == 2
    post, post_sleeps = Script(APIConnectionError, 200), SleepRecorder()
    with pytest.raises(APIConnectionError):
        await client_for(post, post_sleeps).ai.assistants.clone("a1")
    assert len(post.requests) == 1 and post_sleeps.waits == []


async def test_closed_client_error_is_never_retried() -> None:
    script, sleeps = Script(ClientClosedError, 200), SleepRecorder()
    with pytest.raises(ClientClosedError):
        await client_for(script, sleeps).ai.integrations.list()
    assert len(script.requests) == 1
    assert sleeps.waits == []


async def test_wait_above_max_retry_wait_is_not_slept() -> None:
    script, sleeps = Script((429, {"Retry-After": "90"}), 200), SleepRecorder()
    with pytest.raises(RateLimitError) as info:
        await client_for(script, sleeps, max_retry_wait=60).ai.integrations.list()
    assert info.value.retry_after == 90.0
    assert len(script.requests) == 1
    assert sleeps.waits == []


@pytest.mark.parametrize(("ask", "sent"), [("10", 1), ("4", 2)])
async def test_stops_before_a_wait_that_would_pass_the_deadline(ask: str, sent: int) -> None:
    script, sleeps = Script((429, {"Retry-After": ask}), 200), SleepRecorder()
    client = client_for(script, sleeps, timeout=Timeout(total=1, connect=1, deadline=8))
    if sent == 1:
        with pytest.raises(RateLimitError):
            await client.ai.integrations.list()
    else:
        await client.ai.integrations.list()
    assert len(script.requests) == sent
    assert sleeps.waits == ([] if sent == 1 else [4.0])


async def test_deadline_already_passed_stops_even_a_zero_wait() -> None:
    calls = 0

    async def send(request: Request) -> Response:
        nonlocal calls
        calls += 1
        raise failure(503, request, {"Retry-After": "0"})

    sleeps = SleepRecorder()
    layer = RetryLayer(send, RetryConfig(max_retries=5), sleeps)
    with pytest.raises(InternalServerError):
        await layer(make_request(deadline_at=time.monotonic() - 1))
    assert calls == 1 and sleeps.waits == []
    # Without a deadline the same failures are retried to the count.
    calls = 0
    with pytest.raises(InternalServerError):
        await layer(make_request())
    assert calls == 6 and sleeps.waits == [0.0] * 5


async def test_cancelled_error_from_send_propagates_at_once() -> None:
    script, sleeps = Script(asyncio.CancelledError, 200), SleepRecorder()
    with pytest.raises(asyncio.CancelledError):
        await client_for(script, sleeps).ai.integrations.list()
    assert len(script.requests) == 1
    assert sleeps.waits == []


async def test_cancelled_error_on_a_retry_propagates_at_once() -> None:
    script, sleeps = Script(503, asyncio.CancelledError, 200), SleepRecorder()
    with pytest.raises(asyncio.CancelledError):
        await client_for(script, sleeps, max_retries=5).ai.integrations.list()
    assert len(script.requests) == 2
    assert len(sleeps.waits) == 1


async def test_cancelling_during_the_wait_sends_nothing_more() -> None:
    waiting = asyncio.Event()
    waits: list[float] = []

    async def sleep_forever(seconds: float) -> None:
        waits.append(seconds)
        waiting.set()
        await asyncio.Event().wait()

    script = Script((503, {"Retry-After": "30"}), 200)
    client = AsyncTelnyx(api_key="test-key", base_url=BASE, transport=script, throttle=None,
                         sleep=sleep_forever)
    task = asyncio.create_task(client.ai.integrations.list())
    await waiting.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert waits == [30.0]
    assert len(script.requests) == 1


async def test_bugs_are_not_retried() -> None:
    script, sleeps = Script(ValueError, 200), SleepRecorder()
    with pytest.raises(ValueError):
        await client_for(script, sleeps).ai.integrations.list()
    assert len(script.requests) == 1


def test_first_success_never_imports_tenacity() -> None:
    """tenacity is loaded only once an attempt has failed (checked in a fresh interpreter)."""
    code = textwrap.dedent(
        """
        import asyncio, sys
        from multidict import CIMultiDict, CIMultiDictProxy
        from telnyx_async import AsyncTelnyx, Response

        async def ok(request):
            return Response(status=200, headers=CIMultiDictProxy(CIMultiDict()),
                            body=b'{"data":[]}', elapsed=0.0, request=request)

        async def main():
            client = AsyncTelnyx(api_key="k", base_url="https://x.test/v2", transport=ok,
                                 throttle=None)
            await client.ai.integrations.list()
            print("tenacity" in sys.modules)

        asyncio.run(main())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"


# ------------------------------------------------------------------ backoff properties

numbers = st.integers(min_value=-3, max_value=5000)
delays = st.floats(min_value=0.0, max_value=100.0)
draws = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)


@given(number=numbers, initial=delays, maximum=delays, draw=draws,
       factor=st.floats(min_value=1.0, max_value=4.0))
def test_backoff_is_bounded_by_maximum(
    number: int, initial: float, maximum: float, draw: float, factor: float
) -> None:
    wait = backoff(number, initial=initial, maximum=maximum, factor=factor, rand=lambda: draw)
    assert 0.0 <= wait <= maximum


@given(number=st.integers(min_value=1, max_value=5000), initial=delays, maximum=delays,
       draw=draws)
def test_backoff_grows_with_the_attempt(
    number: int, initial: float, maximum: float, draw: float
) -> None:
    now = backoff(number, initial=initial, maximum=maximum, rand=lambda: draw)
    after = backoff(number + 1, initial=initial, maximum=maximum, rand=lambda: draw)
    assert after >= now


@given(number=st.integers(min_value=1, max_value=30), initial=st.floats(0.01, 10.0),
       maximum=st.floats(0.01, 100.0), draw=draws,
       low=st.floats(0.0, 1.0), width=st.floats(0.0, 1.0))
def test_backoff_stays_within_its_spread(
    number: int, initial: float, maximum: float, draw: float, low: float, width: float
) -> None:
    high = low + width
    pause = min(maximum, initial * 2.0 ** (number - 1))
    wait = backoff(number, initial=initial, maximum=maximum, spread=(low, high), rand=lambda: draw)
    assert min(maximum, pause * low) - 1e-9 <= wait <= min(maximum, pause * high) + 1e-9


def test_backoff_exact_values() -> None:
    assert backoff(1, initial=0.5, maximum=8, rand=lambda: 0.5) == 0.25
    assert backoff(3, initial=0.5, maximum=8, rand=lambda: 0.5) == 1.0
    assert math.isclose(backoff(10, initial=0.5, maximum=8, rand=lambda: 0.999), 7.992)
    assert backoff(0, initial=1, maximum=8, rand=lambda: 1.0) == 1.0  # number < 1 counts as 1
    assert backoff(2, initial=1, maximum=8, factor=1.5, spread=(0.85, 1.15), rand=lambda: 0.0) == 1.275


def test_backoff_survives_a_very_late_attempt() -> None:
    """Thousands of retries or polls in, the pause is the cap, not an OverflowError."""
    assert backoff(5000, initial=0.5, maximum=8, rand=lambda: 1.0) == 8.0
    late_poll = backoff(5000, initial=1.0, maximum=15, factor=1.5, spread=(0.85, 1.15),
                        rand=lambda: 0.0)
    assert math.isclose(late_poll, 12.75)
    assert backoff(5000, initial=0.0, maximum=8, rand=lambda: 1.0) == 0.0


def test_a_throttle_refusal_says_why_and_how_long() -> None:
    request = build_request(DEFAULTS, "GET", "/ai/assistants")
    waited_too_long = refusal(
        request, "the account's rate limit is spent", retry_after=90.0, max_wait=60.0,
        queued=False, rate_limit=None,
    )
    assert isinstance(waited_too_long, RateLimitError)
    assert waited_too_long.retry_after == 90.0 and waited_too_long.status_code == 429
    assert str(waited_too_long) == (
        "GET /ai/assistants: not sent: the account's rate limit is spent; "
        "the next request may go in 90.0s, past max_wait of 60s"
    )
    in_line = refusal(
        request, "a pace", retry_after=None, max_wait=60.0, queued=True, rate_limit=None,
        limit="the fleet's rate limit",
    )
    assert "deadline passed while it queued for the fleet's rate limit (a pace)" in str(in_line)
