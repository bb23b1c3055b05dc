"""Reading exported spans in the span tests."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import Any, Protocol

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


class WaitLog(Protocol):
    """The suite's ``sleeps`` fixture (``SleepRecorder``): a ``sleep`` that records its waits."""

    waits: list[float]

    def __call__(self, seconds: float) -> Awaitable[None]: ...


def ours(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    """The spans telnyx_async made (not those of other instrumentations)."""
    return [
        span
        for span in exporter.get_finished_spans()
        if span.instrumentation_scope is not None
        and span.instrumentation_scope.name == "telnyx_async"
    ]


def only_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    """The one span telnyx_async made; fails if there are more or none."""
    spans = ours(exporter)
    assert len(spans) == 1, [s.name for s in spans]
    return spans[0]


def events(span: ReadableSpan) -> list[tuple[str, dict[str, Any]]]:
    """``(name, attributes)`` of each event of ``span``, in order."""
    return [(event.name, dict(event.attributes or {})) for event in span.events]


def everything_recorded(spans: Sequence[ReadableSpan]) -> str:
    """All that the spans carry (names, attributes, events, status, links) as one text."""
    return "\n".join(span.to_json(indent=None) for span in spans)
