"""The tracing layer while the global tracer provider is still unset (the API's no-op tracer).

A client made without ``tracer_provider=`` follows the global provider through
the API's ``ProxyTracer``. Until an SDK provider is set, that tracer's span is
``INVALID_SPAN`` whenever no span is current: nothing is recorded or passed on,
so the layer sends the call straight down without building a span. These tests
pin that the short cut changes nothing a caller or a layer below can see: the
current span below the layer, the answer, and the switch to recording spans as
soon as a provider is set. The global provider is swapped with ``monkeypatch``
(the real one can be set once per process: see ``test_switch``).
"""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import INVALID_SPAN, NonRecordingSpan, SpanContext, TraceFlags

import telnyx_async._tracing as tracing
from telnyx_async import Request, Response, Timeout, build_request
from telnyx_async._http import RequestDefaults
from telnyx_async._tracing import TracingLayer, make_tracer

DEFAULTS = RequestDefaults(
    base_url="https://api.example.test/v2", headers={"Accept": "application/json"},
    timeout=Timeout(),
)
REMOTE = SpanContext(
    trace_id=0x1234, span_id=0x5678, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED)
)


class Below:
    """The layer below: answers 200 and notes the span that was current when it ran."""

    def __init__(self) -> None:
        self.seen: list[trace.Span] = []
        self.recording: list[bool] = []  # whether it was recording then (an ended span is not)

    async def __call__(self, request: Request) -> Response:
        current = trace.get_current_span()
        self.seen.append(current)
        self.recording.append(current.is_recording())
        return Response(
            status=200, headers=CIMultiDictProxy(CIMultiDict()), body=b"{}", elapsed=0.0,
            request=request,
        )


@pytest.fixture
def unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """No global tracer provider (whatever another test of this process did)."""
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", None)
    monkeypatch.delenv("OTEL_PYTHON_TRACER_PROVIDER", raising=False)


def request() -> Request:
    return build_request(DEFAULTS, "GET", "/ai/tools")


@pytest.mark.usefixtures("unset")
async def test_no_provider_and_no_span_goes_straight_down_without_building_a_span(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_attributes(request: Request) -> dict[str, object]:
        raise AssertionError("span attributes built for a call nothing records")

    monkeypatch.setattr(tracing, "_request_attributes", no_attributes)
    below = Below()
    layer = TracingLayer(below, make_tracer(None))
    sent = request()
    response = await layer(sent)
    assert response.request is sent and response.status == 200
    assert below.seen == [INVALID_SPAN]


@pytest.mark.usefixtures("unset")
async def test_no_provider_with_a_remote_parent_still_passes_the_parent_on() -> None:
    below = Below()
    layer = TracingLayer(below, make_tracer(None))
    parent = NonRecordingSpan(REMOTE)
    with trace.use_span(parent):
        await layer(request())
    assert [span.get_span_context() for span in below.seen] == [REMOTE]
    assert below.recording == [False]


@pytest.mark.usefixtures("unset")
async def test_a_provider_set_after_the_layer_was_made_records_from_the_next_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    below = Below()
    layer = TracingLayer(below, make_tracer(None))
    await layer(request())  # nothing set yet: nothing recorded
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(trace, "_TRACER_PROVIDER", provider)  # as set_tracer_provider does
    try:
        await layer(request())
    finally:
        provider.shutdown()
    assert [span.name for span in exporter.get_finished_spans()] == ["GET /ai/tools"]
    assert below.seen[0] is INVALID_SPAN
    assert below.recording == [False, True]


async def test_a_tracer_of_a_provider_given_never_takes_the_short_cut() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    below = Below()
    try:
        await TracingLayer(below, make_tracer(provider))(request())
    finally:
        provider.shutdown()
    assert len(exporter.get_finished_spans()) == 1
    assert below.recording == [True]
