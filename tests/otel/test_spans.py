"""The spans a traced client exports: one CLIENT span per call, over every retry and wait.

Every test drives a real client over a socket to FakeTelnyx, with a tracer
provider of its own exporting into memory (see ``conftest``). Retry waits go
through the client's ``sleep`` (recorded, not slept); the only real waits are
the throttle's own (``test_a_throttle_hold_is_an_event``) and a timeout.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import SpanKind, StatusCode

import telnyx_async
from telnyx_async import (
    APIConnectionError,
    APITimeoutError,
    AsyncTelnyx,
    BadRequestError,
    ClientClosedError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from telnyx_async._tracing import TracingLayer
from telnyx_async.testing import FakeTelnyx, Fault

from ._spans import WaitLog, events, everything_recorded, only_span, ours

ASSISTANT = "/ai/assistants/{assistant_id}"


def request_ids(fake: FakeTelnyx) -> list[str | None]:
    """The ``x-request-id`` the fake gave each request it answered, in order."""
    return [r.response_headers.get("x-request-id") for r in fake.requests]


# ---------------------------------------------------------------- a call that goes well


async def test_a_call_is_one_client_span_named_after_its_route(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    assistant = fake.add_assistant(name="Support")
    await traced.ai.assistants.retrieve(assistant["id"])

    span = only_span(exporter)
    assert span.name == f"GET {ASSISTANT}"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    assert span.parent is None
    assert dict(span.attributes or {}) == {
        "http.request.method": "GET",
        "url.template": ASSISTANT,
        "url.full": f"{fake.url}/ai/assistants/{assistant['id']}",
        "server.address": "127.0.0.1",
        "server.port": urlsplit(fake.url).port,
        "http.response.status_code": 200,
        "telnyx.request_id": request_ids(fake)[0],
    }
    assert events(span) == []
    scope = span.instrumentation_scope
    assert scope is not None
    assert (scope.name, scope.version) == ("telnyx_async", telnyx_async.__version__)


async def test_the_span_is_a_child_of_the_callers_span(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter, provider: TracerProvider
) -> None:
    assistant = fake.add_assistant(name="Support")
    with provider.get_tracer("app").start_as_current_span("nightly regression") as job:
        await traced.ai.assistants.retrieve(assistant["id"])
        await traced.ai.assistants.tags.list()

    calls = ours(exporter)
    assert [s.name for s in calls] == [f"GET {ASSISTANT}", "GET /ai/assistants/tags"]
    for span in calls:
        assert span.parent is not None
        assert span.parent.span_id == job.get_span_context().span_id
        assert span.context is not None
        assert span.context.trace_id == job.get_span_context().trace_id


async def test_each_page_of_a_list_is_a_call_of_its_own(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    for n in range(5):
        fake.add_test(f"test {n}", test_suite="smoke")
    tests = await traced.ai.assistants.tests.list(test_suite="smoke", page_size=2).to_list()

    assert len(tests) == 5
    spans = ours(exporter)
    assert len(spans) == len(fake.requests) == 3
    assert {s.name for s in spans} == {"GET /ai/assistants/tests"}
    assert all((s.attributes or {})["url.full"] == f"{fake.url}/ai/assistants/tests" for s in spans)


# ---------------------------------------------------------------- retries


async def test_a_retried_call_is_one_span_with_an_event_per_retry(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter, sleeps: WaitLog
) -> None:
    assistant = fake.add_assistant(name="Support")
    fake.enqueue(Fault.status(503), Fault.rate_limited(retry_after=2), route=ASSISTANT)
    await traced.ai.assistants.retrieve(assistant["id"])

    span = only_span(exporter)
    first, second, third = request_ids(fake)
    assert [r.status for r in fake.requests] == [503, 429, 200]
    assert span.status.status_code is StatusCode.UNSET
    attributes = dict(span.attributes or {})
    assert attributes["http.request.resend_count"] == 2
    assert attributes["http.response.status_code"] == 200
    assert attributes["telnyx.request_id"] == third
    assert sleeps.waits[1] == 2.0  # the server's Retry-After
    assert events(span) == [
        (
            "telnyx.retry",
            {
                "telnyx.retry.attempt": 2,
                "telnyx.retry.reason": "status 503",
                "telnyx.wait_seconds": sleeps.waits[0],
                "error.type": "503",
                "http.response.status_code": 503,
                "telnyx.request_id": first,
            },
        ),
        (
            "telnyx.retry",
            {
                "telnyx.retry.attempt": 3,
                "telnyx.retry.reason": "status 429",
                "telnyx.wait_seconds": 2.0,
                "error.type": "429",
                "http.response.status_code": 429,
                "telnyx.request_id": second,
            },
        ),
    ]


async def test_a_retry_after_a_broken_connection_names_the_error_class(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter, sleeps: WaitLog
) -> None:
    assistant = fake.add_assistant(name="Support")
    # Half a body, then the connection closes (aiohttp itself re-sends a GET
    # whose connection dropped before any answer: Fault.drop() never reaches us).
    fake.enqueue(Fault.reset_mid_body(200), route=ASSISTANT)
    await traced.ai.assistants.retrieve(assistant["id"])

    span = only_span(exporter)
    assert (span.attributes or {})["http.request.resend_count"] == 1
    assert events(span) == [
        (
            "telnyx.retry",
            {
                "telnyx.retry.attempt": 2,
                "telnyx.retry.reason": "connection error",
                "telnyx.wait_seconds": sleeps.waits[0],
                "error.type": "APIConnectionError",
            },
        )
    ]


async def test_a_call_that_runs_out_of_retries_is_an_error_span(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    assistant = fake.add_assistant(name="Support")
    fake.enqueue(Fault.status(503), Fault.status(503), Fault.status(503), route=ASSISTANT)
    with pytest.raises(InternalServerError):
        await traced.ai.assistants.retrieve(assistant["id"])

    span = only_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "503"
    assert attributes["http.response.status_code"] == 503
    assert attributes["http.request.resend_count"] == 2
    assert attributes["telnyx.request_id"] == request_ids(fake)[-1]
    assert [name for name, _ in events(span)] == ["telnyx.retry", "telnyx.retry"]


async def test_concurrent_calls_keep_their_events_apart(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    flaky = fake.add_assistant(name="Flaky")
    steady = fake.add_assistant(name="Steady")
    fake.enqueue(Fault.status(503), path=f"/ai/assistants/{flaky['id']}")
    await asyncio.gather(
        traced.ai.assistants.retrieve(flaky["id"]),
        *(traced.ai.assistants.retrieve(steady["id"]) for _ in range(8)),
    )

    spans = ours(exporter)
    assert len(spans) == 9
    by_url = {
        s.context.span_id: (str((s.attributes or {})["url.full"]), len(s.events))
        for s in spans
        if s.context is not None
    }
    retried = [url for url, n in by_url.values() if n]
    assert retried == [f"{fake.url}/ai/assistants/{flaky['id']}"]
    assert sum(1 for s in spans if "http.request.resend_count" in (s.attributes or {})) == 1


# ---------------------------------------------------------------- failures


async def test_an_http_error_is_an_error_span_typed_by_its_status(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(NotFoundError):
        await traced.ai.assistants.retrieve("no-such-assistant")

    span = only_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description is None  # the message quotes the body: never recorded
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "404"
    assert attributes["http.response.status_code"] == 404
    assert attributes["telnyx.request_id"] == request_ids(fake)[0]
    assert "http.request.resend_count" not in attributes
    assert events(span) == []  # no exception event either


async def test_a_broken_connection_is_typed_by_its_exception_class(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    assistant = fake.add_assistant(name="Support")
    fake.enqueue(Fault.reset_mid_body(200), route=ASSISTANT)
    with pytest.raises(APIConnectionError):
        await traced.with_options(max_retries=0).ai.assistants.retrieve(assistant["id"])

    span = only_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "APIConnectionError"
    assert "http.response.status_code" not in attributes
    assert "telnyx.request_id" not in attributes


async def test_a_timeout_is_typed_by_its_exception_class(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    fake.hold()  # the request waits at the server until released: the attempt times out
    with pytest.raises(APITimeoutError):
        await traced.with_options(max_retries=0, timeout=0.1).ai.assistants.tags.list()
    fake.release()
    await fake.wait_idle()

    span = only_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    attributes = dict(span.attributes or {})
    assert attributes["error.type"] == "APITimeoutError"
    assert "http.response.status_code" not in attributes


async def test_a_request_the_throttle_refuses_unsent_has_no_status_code(
    fake: FakeTelnyx, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    assistant = fake.add_assistant(name="Support")
    # The account is spent for 30 s: more than this client will wait.
    fake.enqueue(Fault.rate_limited(retry_after=30, reset=30), route=ASSISTANT)
    async with fake.client(tracer_provider=provider, max_retry_wait=1) as client:
        with pytest.raises(RateLimitError):
            await client.ai.assistants.retrieve(assistant["id"])  # the 429 itself
        with pytest.raises(RateLimitError) as refused:
            await client.ai.assistants.retrieve(assistant["id"])  # held back: never sent
    assert refused.value.response is None
    assert len(fake.requests) == 1

    answered, unsent = ours(exporter)
    assert (answered.attributes or {})["error.type"] == "429"
    assert (answered.attributes or {})["http.response.status_code"] == 429
    assert unsent.status.status_code is StatusCode.ERROR
    assert (unsent.attributes or {})["error.type"] == "RateLimitError"
    assert "http.response.status_code" not in (unsent.attributes or {})


async def test_a_call_ended_by_close_ends_its_span_with_client_closed(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    fake.hold()
    call = asyncio.create_task(traced.ai.assistants.tags.list())
    await fake.wait_in_flight(1)
    await traced.close()
    with pytest.raises(ClientClosedError):
        await call
    fake.release()
    await fake.wait_idle()

    span = only_span(exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert (span.attributes or {})["error.type"] == "ClientClosedError"


async def test_a_call_the_caller_cancels_is_not_an_error(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    fake.hold()
    call = asyncio.create_task(traced.ai.assistants.tags.list())
    await fake.wait_in_flight(1)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    fake.release()
    await fake.wait_idle()

    span = only_span(exporter)
    assert span.status.status_code is StatusCode.UNSET
    attributes = dict(span.attributes or {})
    assert attributes["telnyx.cancelled"] is True
    assert "error.type" not in attributes


# ---------------------------------------------------------------- the throttle


async def test_a_throttle_hold_is_an_event_with_its_seconds(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    assistant = fake.add_assistant(name="Support")
    # A 429 that says the account is spent for 0.4 s: the default throttle
    # holds every later request of the client until then (real time), but
    # not the retry of the refused request (its retry policy waited already).
    spent = {"retry-after-ms": "400", "x-ratelimit-remaining": "0", "x-ratelimit-limit": "100"}
    fake.enqueue(Fault.status(429, headers=spent), route=ASSISTANT)
    loop = asyncio.get_running_loop()
    await traced.ai.assistants.retrieve(assistant["id"])
    started = loop.time()
    await traced.ai.assistants.retrieve(assistant["id"])
    took = loop.time() - started

    refused, held = ours(exporter)
    assert [name for name, _ in events(refused)] == ["telnyx.retry"]
    ((name, attributes),) = events(held)
    assert name == "telnyx.throttle.wait"
    waited = attributes["telnyx.wait_seconds"]
    assert isinstance(waited, float)
    assert 0.0 < waited <= 0.4 + 0.05
    assert waited <= took


async def test_a_throttle_that_does_not_hold_adds_no_event(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    assert traced.throttle is not None  # the default AdaptiveThrottle: admits at once here
    for _ in range(3):
        await traced.ai.assistants.tags.list()
    assert [events(s) for s in ours(exporter)] == [[], [], []]


# ---------------------------------------------------------------- copies, sampling, no SDK


async def test_with_options_copies_are_traced_with_their_own_retry_policy(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    assistant = fake.add_assistant(name="Support")
    impatient = traced.with_options(max_retries=0)
    fake.enqueue(Fault.status(503), Fault.status(503), route=ASSISTANT)
    with pytest.raises(InternalServerError):
        await impatient.ai.assistants.retrieve(assistant["id"])
    await traced.ai.assistants.retrieve(assistant["id"])  # the second 503, then a retry

    copy_span, original_span = ours(exporter)
    assert copy_span.name == original_span.name == f"GET {ASSISTANT}"
    assert (copy_span.attributes or {})["error.type"] == "503"
    assert "http.request.resend_count" not in (copy_span.attributes or {})
    assert events(copy_span) == []
    assert (original_span.attributes or {})["http.request.resend_count"] == 1
    assert original_span.status.status_code is StatusCode.UNSET


async def test_an_unsampled_call_records_nothing_and_still_retries(
    fake: FakeTelnyx, sleeps: WaitLog
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=ALWAYS_OFF)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    fake.enqueue(Fault.status(503), route="/ai/assistants/tags")
    async with fake.client(tracer_provider=provider, sleep=sleeps) as client:
        assert await client.ai.assistants.tags.list() is not None
    provider.shutdown()
    assert [r.status for r in fake.requests] == [503, 200]
    assert exporter.get_finished_spans() == ()


async def test_the_api_alone_records_nothing(fake: FakeTelnyx) -> None:
    async with fake.client(tracer_provider=trace.NoOpTracerProvider()) as client:
        assert isinstance(client._context.send, TracingLayer)  # composed, and a no-op
        await client.ai.assistants.tags.list()
    assert len(fake.requests) == 1


# ---------------------------------------------------------------- never recorded


async def test_no_key_body_query_value_or_error_text_reaches_a_span(
    fake: FakeTelnyx, traced: AsyncTelnyx, exporter: InMemorySpanExporter
) -> None:
    secrets = {
        "api key": fake.api_key,
        "query value": "q-secret-suite",
        "extra query value": "q-secret-signature",
        "body value": "b-secret-instructions",
        "error body": "e-secret-detail",
    }
    fake.add_test("Greets", test_suite=secrets["query value"])
    fake.enqueue(Fault.status(503), route="/ai/assistants/tests")  # a retry event too
    await traced.ai.assistants.tests.list(
        test_suite=secrets["query value"], extra_query={"sig": secrets["extra query value"]}
    ).to_list()
    await traced.ai.assistants.create(name="Support", instructions=secrets["body value"])
    bad = {"errors": [{"code": "10015", "title": "Bad", "detail": secrets["error body"]}]}
    fake.enqueue(Fault.status(400, body=bad), route=ASSISTANT)
    with pytest.raises(BadRequestError) as error:
        await traced.ai.assistants.retrieve("some-assistant")

    # Each secret really went over the wire (or came back in the error) ...
    wire = "\n".join(
        f"{r.headers.get('Authorization')} {r.query} {r.body!r} {r.response_body!r}"
        for r in fake.requests
    )
    assert all(value in wire for value in secrets.values())
    assert secrets["error body"] in str(error.value)
    # ... and none of it reached a span.
    spans = ours(exporter)
    assert len(spans) == 3
    assert [n for s in spans for n, _ in events(s)] == ["telnyx.retry"]
    recorded = everything_recorded(spans)
    leaked = [what for what, value in secrets.items() if value in recorded]
    assert leaked == []
    assert all("?" not in str((s.attributes or {})["url.full"]) for s in spans)
