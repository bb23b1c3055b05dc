"""Fixtures for the span tests: a tracer provider of their own, exporting into memory.

Each test gets a fresh ``TracerProvider`` passed to the client as
``tracer_provider=`` (the global provider can be set only once per process,
so the tests that need it run in a subprocess). Spans are exported as they
end (``SimpleSpanProcessor``), so a test reads them right after its call.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from telnyx_async import AsyncTelnyx
from telnyx_async.testing import FakeTelnyx

from ._spans import WaitLog


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    """Where the spans of ``provider`` end up, in the order they ended."""
    return InMemorySpanExporter()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> Iterator[TracerProvider]:
    """A tracer provider that exports each span into ``exporter`` as it ends."""
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield tracer_provider
    tracer_provider.shutdown()


@pytest.fixture
async def traced(
    fake: FakeTelnyx, provider: TracerProvider, sleeps: WaitLog
) -> AsyncIterator[AsyncTelnyx]:
    """A client of ``fake`` tracing into ``provider``; retry waits recorded, not slept."""
    async with fake.client(tracer_provider=provider, sleep=sleeps) as client:
        yield client

