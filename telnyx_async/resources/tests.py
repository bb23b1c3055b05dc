"""``client.ai.assistants.tests``: assistant tests, their runs, and test suites."""

from __future__ import annotations

import builtins
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from telnyx_async import _checks as check
from telnyx_async._config import Timeout
from telnyx_async._http import sequence_of_str
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.tests import (
    AssistantTestResponse,
    CreateAssistantTestRequest,
    TestRunResponse,
    TestSuitesResponse,
    TriggerTestRunRequest,
    TriggerTestSuiteRunsRequest,
    UpdateAssistantTestRequest,
)
from telnyx_async.orchestration import RunBatch, wait_for_run
from telnyx_async.orchestration._deadline import check_wait_arguments, deadline_argument

if TYPE_CHECKING:
    from telnyx_async.models.tests import (
        CreateAssistantTestRequestRubric,
        TelnyxConversationChannel,
        TestStatus,
        UpdateAssistantTestRequestRubric,
    )

__all__ = [
    "RunsResource",
    "RunsWithRawResponse",
    "RunsWithStreamingResponse",
    "SuiteRunsResource",
    "SuiteRunsWithRawResponse",
    "SuiteRunsWithStreamingResponse",
    "TestSuitesResource",
    "TestSuitesWithRawResponse",
    "TestSuitesWithStreamingResponse",
    "TestsResource",
    "TestsWithRawResponse",
    "TestsWithStreamingResponse",
]

_Obj = Mapping[str, Any]


_TEST = "/ai/assistants/tests/{test_id}"
_RUNS = "/ai/assistants/tests/{test_id}/runs"
_SUITE_RUNS = "/ai/assistants/tests/test-suites/{suite_name}/runs"


def _suite(suite_name: str) -> dict[str, str]:
    """The path parameters for a suite; a name holding ``/`` is refused (C5)."""
    if isinstance(suite_name, str) and "/" in suite_name:
        raise ValueError("`suite_name` must not contain '/'")
    return {"suite_name": suite_name}


class TestsResource(Resource):
    """Create and manage assistant tests; ``runs`` and ``test_suites`` hang off it."""

    __test__ = False  # not a pytest class, whatever its name says

    @functools.cached_property
    def with_raw_response(self) -> TestsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return TestsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> TestsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return TestsWithStreamingResponse(self)

    @functools.cached_property
    def runs(self) -> RunsResource:
        """Runs of one test: trigger, inspect, list."""
        return RunsResource(self._context)

    @functools.cached_property
    def test_suites(self) -> TestSuitesResource:
        """Test suites (groups of tests sharing a ``test_suite`` name) and their runs."""
        return TestSuitesResource(self._context)

    async def create(
        self,
        *,
        destination: str,
        instructions: str,
        name: str,
        rubric: Sequence[CreateAssistantTestRequestRubric | _Obj],
        description: Unset[str] = UNSET,
        max_duration_seconds: Unset[int] = UNSET,
        telnyx_conversation_channel: Unset[TelnyxConversationChannel | str] = UNSET,
        test_suite: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantTestResponse:
        """Create a test: who to call (``destination``), how to behave, how to grade.

        ``rubric`` is a list of ``{"name": ..., "criteria": ...}`` items. An
        ``Idempotency-Key`` is sent (a fresh one unless you pass
        ``idempotency_key``) and reused on retries, so a retried create never
        makes two tests.
        """
        body = {
            "destination": destination,
            "instructions": instructions,
            "name": name,
            "rubric": rubric,
            "description": description,
            "max_duration_seconds": max_duration_seconds,
            "telnyx_conversation_channel": telnyx_conversation_channel,
            "test_suite": test_suite,
        }
        return await self._call(
            "POST", "/ai/assistants/tests", AssistantTestResponse, body=body,
            body_model=CreateAssistantTestRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        test_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantTestResponse:
        """Fetch one test by ID."""
        return await self._call(
            "GET", _TEST, AssistantTestResponse, path={"test_id": test_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def update(
        self,
        test_id: str,
        *,
        description: Unset[str] = UNSET,
        destination: Unset[str] = UNSET,
        instructions: Unset[str] = UNSET,
        max_duration_seconds: Unset[int] = UNSET,
        name: Unset[str] = UNSET,
        rubric: Unset[Sequence[UpdateAssistantTestRequestRubric | _Obj]] = UNSET,
        telnyx_conversation_channel: Unset[TelnyxConversationChannel | str] = UNSET,
        test_suite: Unset[str] = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AssistantTestResponse:
        """Change a test; only the arguments you pass are sent."""
        body = {
            "description": description,
            "destination": destination,
            "instructions": instructions,
            "max_duration_seconds": max_duration_seconds,
            "name": name,
            "rubric": rubric,
            "telnyx_conversation_channel": telnyx_conversation_channel,
            "test_suite": test_suite,
        }
        return await self._call(
            "PUT", _TEST, AssistantTestResponse, path={"test_id": test_id}, body=body,
            body_model=UpdateAssistantTestRequest,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    def list(
        self,
        *,
        test_suite: Unset[str] = UNSET,
        telnyx_conversation_channel: Unset[TelnyxConversationChannel | str] = UNSET,
        destination: Unset[str] = UNSET,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[AssistantTestResponse]:
        """List tests, optionally filtered by suite, channel or destination.

        ``await`` the result for one page or ``async for`` over it for every
        test. ``page_size`` (at most 100) is sent only when given; the API's
        default applies otherwise.
        """
        query = {
            "test_suite": check.a_str("test_suite", test_suite),
            "telnyx_conversation_channel": check.a_str(
                "telnyx_conversation_channel", telnyx_conversation_channel
            ),
            "destination": check.a_str("destination", destination),
        }
        return self._pager(
            "/ai/assistants/tests", AssistantTestResponse, query=query, page_size=page_size,
            page_number=page_number, prefetch=prefetch,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        test_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> None:
        """Delete a test and its history. Returns ``None``."""
        await self._call(
            "DELETE", _TEST, NOTHING, path={"test_id": test_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    def run_and_wait(
        self,
        test_ids: Sequence[str],
        *,
        concurrency: int = 10,
        destination_version_id: Unset[str] = UNSET,
        deadline: float | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: float | None = None,
    ) -> RunBatch:
        """Trigger one run of each test and follow them all to the end.

        Returns a :class:`~telnyx_async.orchestration.RunBatch` (nothing is sent
        until it is used): ``await`` it for a
        :class:`~telnyx_async.orchestration.BatchSummary`, or ``async for`` over
        it for each :class:`~telnyx_async.orchestration.RunOutcome` as it
        finishes. Each trigger carries its own ``Idempotency-Key``. At most
        ``concurrency`` triggers and polls are in flight at once; a test whose
        trigger or polls fail has the error in its outcome and the others go on.
        ``deadline`` is the limit of the whole batch in seconds (default 3900);
        polls back off from ``poll_interval`` to ``max_poll_interval``.
        ``timeout=`` is the deprecated name of ``deadline`` (it warns).
        """
        seconds, name = deadline_argument(deadline, timeout, "tests.run_and_wait")
        check_wait_arguments(seconds, poll_interval, max_poll_interval, name=name)
        return RunBatch(
            self.runs, self.test_suites.runs, self.list, self._context,
            test_ids=sequence_of_str("test_ids", test_ids),
            destination_version_id=check.a_str("destination_version_id", destination_version_id),
            concurrency=concurrency, deadline=seconds, poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )


class RunsResource(Resource):
    """``client.ai.assistants.tests.runs``: the runs of one test."""

    @functools.cached_property
    def with_raw_response(self) -> RunsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return RunsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> RunsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return RunsWithStreamingResponse(self)

    async def trigger(
        self,
        test_id: str,
        *,
        destination_version_id: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TestRunResponse:
        """Start a run of a test now, optionally against a given assistant version.

        Sends an ``Idempotency-Key`` (fresh unless given) and reuses it on every
        retry, so a timeout or 5xx never starts the run twice.
        """
        return await self._call(
            "POST", _RUNS, TestRunResponse, path={"test_id": test_id},
            body={"destination_version_id": destination_version_id},
            body_model=TriggerTestRunRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        run_id: str,
        *,
        test_id: str,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TestRunResponse:
        """Fetch the current state of one run of ``test_id``."""
        return await self._call(
            "GET", "/ai/assistants/tests/{test_id}/runs/{run_id}", TestRunResponse,
            path={"test_id": test_id, "run_id": run_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def wait(
        self,
        run_id: str,
        *,
        test_id: str,
        deadline: float | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: float | None = None,
    ) -> TestRunResponse:
        """Poll a run until its status is final and return that last state.

        Final statuses are :data:`~telnyx_async.orchestration.TERMINAL_STATUSES`
        (``passed``, ``failed``, ``error``, ``completed``, ``timeout``,
        ``canceled``/``cancelled``); a status this SDK does not know is logged
        once and waited through. The pause between polls starts at
        ``poll_interval`` and grows by half each time, with jitter, up to
        ``max_poll_interval``; pauses use the client's ``sleep``.

        ``deadline`` is the limit of the whole wait in seconds (default 3900:
        the longest a test may run plus a buffer); ``timeout=`` is its
        deprecated name (it warns). Each poll's own timeout is cut to the time
        left, so a poll the server never answers cannot outlast it. At the
        deadline :class:`~telnyx_async.PollTimeoutError` is raised, with the
        last state seen as ``last_run``. A poll that fails with a
        connection error, a timeout, a 5xx or a 429 (after the client's own
        retries) is tried again at the next interval; other errors are raised.

        Cancelling the wait stops polling at once, with no further request.
        The run itself goes on at Telnyx: there is no way to cancel it.
        """
        seconds, name = deadline_argument(deadline, timeout, "runs.wait")
        check_wait_arguments(seconds, poll_interval, max_poll_interval, name=name)
        return await wait_for_run(
            self, self._context, run_id, test_id=test_id, deadline=seconds,
            poll_interval=poll_interval, max_poll_interval=max_poll_interval,
        )

    def list(
        self,
        test_id: str,
        *,
        status: Unset[TestStatus | str] = UNSET,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[TestRunResponse]:
        """The run history of a test, newest pages first as the API orders them."""
        return self._pager(
            _RUNS, TestRunResponse, path={"test_id": test_id},
            query={"status": check.a_str("status", status)}, page_size=page_size,
            page_number=page_number, prefetch=prefetch,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class TestSuitesResource(Resource):
    """``client.ai.assistants.tests.test_suites``: suite names and suite runs."""

    __test__ = False

    @functools.cached_property
    def with_raw_response(self) -> TestSuitesWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return TestSuitesWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> TestSuitesWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return TestSuitesWithStreamingResponse(self)

    @functools.cached_property
    def runs(self) -> SuiteRunsResource:
        """Runs of whole suites."""
        return SuiteRunsResource(self._context)

    async def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> TestSuitesResponse:
        """Every distinct suite name in the account (``.data`` is a list of str)."""
        return await self._call(
            "GET", "/ai/assistants/tests/test-suites", TestSuitesResponse,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    def run_and_wait(
        self,
        suite_name: str,
        *,
        concurrency: int = 10,
        destination_version_id: Unset[str] = UNSET,
        deadline: float | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: float | None = None,
    ) -> RunBatch:
        """Run every test of a suite (one trigger) and follow all its runs to the end.

        Returns a :class:`~telnyx_async.orchestration.RunBatch`, used like the
        one from ``tests.run_and_wait``; outcomes carry the tests' names (one
        listing of the suite's tests). If the suite trigger itself fails,
        nothing ran and awaiting or iterating the batch raises that error.
        ``deadline`` limits the whole batch; ``timeout=`` is its deprecated name.
        """
        seconds, name = deadline_argument(deadline, timeout, "test_suites.run_and_wait")
        self._request("POST", _SUITE_RUNS, path=_suite(suite_name))  # checked now, before any I/O
        check_wait_arguments(seconds, poll_interval, max_poll_interval, name=name)
        tests = TestsResource(self._context)
        return RunBatch(
            tests.runs, self.runs, tests.list, self._context, suite=suite_name,
            destination_version_id=check.a_str("destination_version_id", destination_version_id),
            concurrency=concurrency, deadline=seconds, poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
        )


class SuiteRunsResource(Resource):
    """``client.ai.assistants.tests.test_suites.runs``."""

    @functools.cached_property
    def with_raw_response(self) -> SuiteRunsWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return SuiteRunsWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> SuiteRunsWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return SuiteRunsWithStreamingResponse(self)

    def list(
        self,
        suite_name: str,
        *,
        status: Unset[TestStatus | str] = UNSET,
        test_suite_run_id: Unset[str] = UNSET,
        page_size: int | None = None,
        page_number: int | None = None,
        prefetch: int | UnsetType | None = UNSET,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> AsyncPager[TestRunResponse]:
        """The runs of a suite, optionally only one batch (``test_suite_run_id``) or status."""
        query = {
            "status": check.a_str("status", status),
            "test_suite_run_id": check.a_str("test_suite_run_id", test_suite_run_id),
        }
        return self._pager(
            _SUITE_RUNS, TestRunResponse, path=_suite(suite_name), query=query,
            page_size=page_size, page_number=page_number, prefetch=prefetch,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def trigger(
        self,
        suite_name: str,
        *,
        destination_version_id: Unset[str] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> builtins.list[TestRunResponse]:
        """Run every test of a suite; returns one run per test (sharing ``test_suite_run_id``).

        Sends an ``Idempotency-Key`` (fresh unless given), reused on retries.
        """
        return await self._call(
            "POST", _SUITE_RUNS, list[TestRunResponse], path=_suite(suite_name),
            body={"destination_version_id": destination_version_id},
            body_model=TriggerTestSuiteRunsRequest, idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class TestsWithRawResponse(ResponseView[TestsResource]):
    """``Tests`` calls giving the raw response (``await``, then ``parse()``)."""

    __test__ = False

    create = to_raw(TestsResource.create)
    retrieve = to_raw(TestsResource.retrieve)
    update = to_raw(TestsResource.update)
    list = to_raw(TestsResource.list)
    delete = to_raw(TestsResource.delete)

    @property
    def runs(self) -> RunsWithRawResponse:
        """The same for ``runs``."""
        return self._resource.runs.with_raw_response

    @property
    def test_suites(self) -> TestSuitesWithRawResponse:
        """The same for ``test_suites``."""
        return self._resource.test_suites.with_raw_response


class TestsWithStreamingResponse(ResponseView[TestsResource]):
    """``Tests`` calls with the body unread until asked for: ``async with``."""

    __test__ = False

    create = to_streamed(TestsResource.create)
    retrieve = to_streamed(TestsResource.retrieve)
    update = to_streamed(TestsResource.update)
    list = to_streamed(TestsResource.list)
    delete = to_streamed(TestsResource.delete)

    @property
    def runs(self) -> RunsWithStreamingResponse:
        """The same for ``runs``."""
        return self._resource.runs.with_streaming_response

    @property
    def test_suites(self) -> TestSuitesWithStreamingResponse:
        """The same for ``test_suites``."""
        return self._resource.test_suites.with_streaming_response


class RunsWithRawResponse(ResponseView[RunsResource]):
    """``Runs`` calls giving the raw response (``await``, then ``parse()``)."""

    trigger = to_raw(RunsResource.trigger)
    retrieve = to_raw(RunsResource.retrieve)
    list = to_raw(RunsResource.list)


class RunsWithStreamingResponse(ResponseView[RunsResource]):
    """``Runs`` calls with the body unread until asked for: ``async with``."""

    trigger = to_streamed(RunsResource.trigger)
    retrieve = to_streamed(RunsResource.retrieve)
    list = to_streamed(RunsResource.list)


class TestSuitesWithRawResponse(ResponseView[TestSuitesResource]):
    """``TestSuites`` calls giving the raw response (``await``, then ``parse()``)."""

    __test__ = False

    list = to_raw(TestSuitesResource.list)

    @property
    def runs(self) -> SuiteRunsWithRawResponse:
        """The same for ``runs``."""
        return self._resource.runs.with_raw_response


class TestSuitesWithStreamingResponse(ResponseView[TestSuitesResource]):
    """``TestSuites`` calls with the body unread until asked for: ``async with``."""

    __test__ = False

    list = to_streamed(TestSuitesResource.list)

    @property
    def runs(self) -> SuiteRunsWithStreamingResponse:
        """The same for ``runs``."""
        return self._resource.runs.with_streaming_response


class SuiteRunsWithRawResponse(ResponseView[SuiteRunsResource]):
    """``SuiteRuns`` calls giving the raw response (``await``, then ``parse()``)."""

    list = to_raw(SuiteRunsResource.list)
    trigger = to_raw(SuiteRunsResource.trigger)


class SuiteRunsWithStreamingResponse(ResponseView[SuiteRunsResource]):
    """``SuiteRuns`` calls with the body unread until asked for: ``async with``."""

    list = to_streamed(SuiteRunsResource.list)
    trigger = to_streamed(SuiteRunsResource.trigger)
