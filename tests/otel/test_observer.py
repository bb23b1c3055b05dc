"""The call-observer seam on its own: what the retry and throttle layers report, and to whom.

No OpenTelemetry here: a recording observer is put in ``CALL_OBSERVER`` by
hand, the layers run over stub sends, and waits go through a recording
``sleep``. This is the contract the tracing layer relies on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async import (
    APIConnectionError,
    InternalServerError,
    Request,
    Response,
    RetryConfig,
    Timeout,
    build_request,
)
from telnyx_async._http import RequestDefaults
from telnyx_async._observe import CALL_OBSERVER, CallObserver
from telnyx_async._pipeline import StatusLayer
from telnyx_async._retry import RetryLayer, Send
from telnyx_async._throttle import ThrottleLayer

from ._spans import WaitLog

DEFAULTS = RequestDefaults(
    base_url="https://api.example.test/v2", headers={"Accept": "application/json"},
    timeout=Timeout(),
)


class Recorder:
    """A :class:`CallObserver` that writes down every report, in order."""

    def __init__(self) -> None:
        self.reports: list[tuple[Any, ...]] = []

    def retrying(
        self, attempt: int, wait: float, reason: str, error: BaseException | None
    ) -> None:
        self.reports.append(("retrying", attempt, wait, reason, type(error).__name__))

    def resending(self) -> None:
        self.reports.append(("resending",))

    def throttled(self, seconds: float) -> None:
        self.reports.append(("throttled", seconds))


def observing(
    observer: CallObserver, send: Send
) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    """``send`` run with ``observer`` in place, as the tracing layer runs the layers below it."""

    async def observed(request: Request) -> Response:
        token = CALL_OBSERVER.set(observer)
        try:
            return await send(request)
        finally:
            CALL_OBSERVER.reset(token)

    return observed


def answer(request: Request, status: int) -> Response:
    return Response(
        status=status, headers=CIMultiDictProxy(CIMultiDict({"x-request-id": "r"})),
        body=b"{}", elapsed=0.0, request=request,
    )


def scripted(*outcomes: int | Exception) -> Send:
    """A transport answering each attempt with the next status (or raising the next error)."""
    queue = list(outcomes)

    async def send(request: Request) -> Response:
        outcome = queue.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return answer(request, outcome)

    return send


async def test_the_retry_layer_reports_each_wait_then_each_resend(sleeps: WaitLog) -> None:
    request = build_request(DEFAULTS, "GET", "/ai/tools")
    lost = APIConnectionError("connection reset", request=request)
    layer = RetryLayer(StatusLayer(scripted(503, lost, 200)), RetryConfig(max_retries=2), sleeps)
    recorder = Recorder()

    response = await observing(recorder, layer)(request)

    assert response.status == 200
    assert recorder.reports == [
        ("retrying", 2, sleeps.waits[0], "status 503", "InternalServerError"),
        ("resending",),
        ("retrying", 3, sleeps.waits[1], "connection error", "APIConnectionError"),
        ("resending",),
    ]


async def test_no_report_for_a_call_that_is_not_retried(sleeps: WaitLog) -> None:
    request = build_request(DEFAULTS, "GET", "/ai/tools")
    recorder = Recorder()
    layer = RetryLayer(StatusLayer(scripted(503)), RetryConfig(max_retries=0), sleeps)
    with pytest.raises(InternalServerError):
        await observing(recorder, layer)(request)
    assert recorder.reports == []
    assert sleeps.waits == []


class GateThrottle:
    """Admits a request only once ``gate`` is set (``reached`` says one waits); counts answers."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.reached = asyncio.Event()
        self.learned = 0

    async def admit(self, request: Request) -> int:
        self.reached.set()
        await self.gate.wait()
        return 1

    async def learn(self, ticket: Any, response: Response | None) -> None:
        self.learned += 1


async def test_the_throttle_layer_reports_how_long_admission_took() -> None:
    request = build_request(DEFAULTS, "GET", "/ai/tools")
    throttle = GateThrottle()
    recorder = Recorder()
    loop = asyncio.get_running_loop()  # its clock is the one the layer measures with
    started = loop.time()
    call = asyncio.create_task(observing(recorder, ThrottleLayer(scripted(200), throttle))(request))
    await throttle.reached.wait()
    assert recorder.reports == []  # nothing said while it waits
    throttle.gate.set()
    await call
    took = loop.time() - started

    ((what, seconds),) = recorder.reports
    assert what == "throttled"
    assert 0.0 <= seconds <= took
    assert throttle.learned == 1


async def test_without_an_observer_the_layers_report_to_no_one(sleeps: WaitLog) -> None:
    request = build_request(DEFAULTS, "GET", "/ai/tools")
    throttle = GateThrottle()
    throttle.gate.set()
    layer = RetryLayer(
        StatusLayer(ThrottleLayer(scripted(503, 200), throttle)), RetryConfig(), sleeps
    )
    assert CALL_OBSERVER.get() is None
    assert (await layer(request)).status == 200
    assert throttle.learned == 2


async def test_each_call_sees_only_its_own_observer(sleeps: WaitLog) -> None:
    # Two concurrent calls, each in its own task: the retry of one is never
    # reported to the other's observer.
    flaky, steady = Recorder(), Recorder()
    request = build_request(DEFAULTS, "GET", "/ai/tools")
    released = asyncio.Event()

    async def slow_ok(r: Request) -> Response:
        await released.wait()
        return answer(r, 200)

    flaky_layer = RetryLayer(StatusLayer(scripted(503, 200)), RetryConfig(), sleeps)
    steady_layer = RetryLayer(StatusLayer(slow_ok), RetryConfig(), sleeps)
    steady_call = asyncio.create_task(observing(steady, steady_layer)(request))
    await observing(flaky, flaky_layer)(request)
    released.set()
    await steady_call

    assert [r[0] for r in flaky.reports] == ["retrying", "resending"]
    assert steady.reports == []
