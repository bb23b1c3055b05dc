"""Test helpers: :class:`FakeTelnyx`, an in-process fake of the Telnyx AI Assistants API.

Use it to test code that talks to Telnyx without a network or an account::

    from telnyx_async.testing import FakeTelnyx, FakeClock, Fault

    async def test_my_code():
        clock = FakeClock()
        async with FakeTelnyx(clock=clock) as fake:
            fake.seed_demo()
            fake.enqueue(Fault.status(503))          # the next request fails once
            async with fake.client() as client:
                ...                                   # your code under test
            clock.advance(2)                          # demo runs finish
            assert fake.requests[0].status == 503

The fake is a real HTTP server on 127.0.0.1, so any HTTP client works against
``fake.url`` (which ends in ``/v2``); send ``Authorization: Bearer <fake.api_key>``.

What it offers:

* every operation of the API, stateful and in the wire format of the OpenAPI
  document, with Telnyx-style 401/404/405/429 errors and FastAPI-style 422s,
  and the newer ones the document lacks (``scripts/spec_overlay.json``):
  soft delete and restore, the Recently Deleted list, WhatsApp, streamed chat;
* :attr:`FakeTelnyx.requests`: each request and its answer (:class:`RecordedRequest`);
* :meth:`FakeTelnyx.enqueue` with :class:`Fault`: scripted statuses, dropped
  connections, truncated bodies, delays, lost responses and malformed JSON;
* ``latency``, :meth:`~FakeTelnyx.set_rate_limit` (a token bucket),
  ``ignore_page_number`` (a paging bug), :meth:`~FakeTelnyx.hold` /
  :meth:`~FakeTelnyx.release` and ``max_in_flight`` for concurrency tests;
* ``Idempotency-Key`` replay on the endpoints that honour it;
* test runs that move from ``pending`` to ``running`` to their outcome on a
  :class:`FakeClock`, configured per test with :meth:`~FakeTelnyx.configure_test`.
"""

from ._clock import Clock, FakeClock, MonotonicClock
from ._fake import FakeTelnyx
from ._faults import Fault, FaultKind
from ._records import HeaderDict, RecordedRequest, RequestLog

__all__ = [
    "Clock",
    "FakeClock",
    "FakeTelnyx",
    "Fault",
    "FaultKind",
    "HeaderDict",
    "MonotonicClock",
    "RecordedRequest",
    "RequestLog",
]
