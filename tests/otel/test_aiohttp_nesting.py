"""With ``opentelemetry-instrumentation-aiohttp-client`` on, each attempt nests under the call.

The instrumentor adds its trace config to every ``aiohttp.ClientSession``
made while it is on; the client makes its session at its first request, so
the instrumentor is switched on first (as an application does at start-up)
and off again at the end of the test. Real requests over a loopback socket to
FakeTelnyx.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yarl
from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from telnyx_async.testing import FakeTelnyx, Fault

from ._spans import WaitLog, everything_recorded, ours


def without_query(url: yarl.URL) -> str:
    """The instrumentor's ``url_filter``: record the URL without its query string."""
    return str(url.with_query(None))


@pytest.fixture
def instrumented(provider: TracerProvider) -> Iterator[None]:
    """The aiohttp client instrumentation, on for the test, recording into ``provider``."""
    instrumentor = AioHttpClientInstrumentor()
    instrumentor.instrument(tracer_provider=provider, url_filter=without_query)
    yield
    instrumentor.uninstrument()


@pytest.mark.usefixtures("instrumented")
async def test_each_attempt_is_a_child_of_the_call_span(
    fake: FakeTelnyx,
    provider: TracerProvider,
    exporter: InMemorySpanExporter,
    sleeps: WaitLog,
) -> None:
    fake.add_test("Greets", test_suite="q-secret-suite")
    fake.enqueue(Fault.status(503), route="/ai/assistants/tests")
    async with fake.client(tracer_provider=provider, sleep=sleeps) as client:
        with provider.get_tracer("app").start_as_current_span("nightly regression") as job:
            page = await client.ai.assistants.tests.list(test_suite="q-secret-suite")
    assert [t.name for t in page.data] == ["Greets"]

    spans = exporter.get_finished_spans()
    (call,) = ours(exporter)
    attempts = [s for s in spans if s is not call and s.name != "nightly regression"]
    assert len(attempts) == len(fake.requests) == 2
    assert call.context is not None
    job_context = job.get_span_context()

    # nightly regression > GET /ai/assistants/tests > GET (503), GET (200)
    assert call.parent is not None
    assert call.parent.span_id == job_context.span_id
    for attempt in attempts:
        assert attempt.kind is SpanKind.CLIENT
        assert attempt.parent is not None
        assert attempt.parent.span_id == call.context.span_id
        assert attempt.context is not None
        assert attempt.context.trace_id == job_context.trace_id
        assert call.start_time is not None and attempt.start_time is not None
        assert call.end_time is not None and attempt.end_time is not None
        assert call.start_time <= attempt.start_time <= attempt.end_time <= call.end_time
    statuses = [
        (s.attributes or {}).get("http.response.status_code", (s.attributes or {}).get("http.status_code"))
        for s in attempts
    ]
    assert statuses == [503, 200]
    assert attempts[0].status.status_code is StatusCode.ERROR
    assert (call.attributes or {})["http.request.resend_count"] == 1
    assert call.status.status_code is StatusCode.UNSET

    # With the url_filter above, the query values stay out of every span, and
    # the API key (a header, which no one records) too.
    recorded = everything_recorded(spans)
    assert "q-secret-suite" in str(fake.requests[0].query)
    assert "q-secret-suite" not in recorded
    assert fake.api_key not in recorded


@pytest.mark.usefixtures("instrumented")
async def test_without_a_call_span_the_attempts_are_roots(
    fake: FakeTelnyx, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    # The same set-up with telnyx_async's own tracing off: the nesting above
    # is the tracing layer's doing, not the instrumentor's.
    async with fake.client(tracing=False) as client:
        await client.ai.assistants.tags.list()
    (attempt,) = exporter.get_finished_spans()
    assert attempt.parent is None
    assert ours(exporter) == []
