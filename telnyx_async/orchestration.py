"""Running assistant-test runs and waiting for them to finish, one or hundreds at a time.

* :func:`is_terminal` / :data:`TERMINAL_STATUSES`: when a run is over.
* ``client.ai.assistants.tests.runs.wait(run_id, test_id=...)``: poll one run
  until it is over (see :func:`wait_for_run`).
* ``client.ai.assistants.tests.run_and_wait([...])`` and
  ``client.ai.assistants.tests.test_suites.run_and_wait("suite")``: trigger
  runs and follow them all; both return a :class:`RunBatch`, which you
  ``await`` for a :class:`BatchSummary` or ``async for`` over for each
  :class:`RunOutcome` as it finishes.

Telnyx has no endpoint to cancel a test run. Cancelling a wait (or a batch)
stops *our* polling at once and sends nothing more; the runs themselves go on
at Telnyx and finish there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import Counter
from collections.abc import AsyncIterator, Generator, Sequence
from types import TracebackType
from typing import Any, Literal, Protocol

import attrs

from telnyx_async._config import Timeout
from telnyx_async._http import encode_path
from telnyx_async._pagination import AsyncPager
from telnyx_async._resource import CallContext
from telnyx_async._retry import Sleep, backoff
from telnyx_async._types import UnsetType
from telnyx_async.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    PollTimeoutError,
    RateLimitError,
    TelnyxError,
)
from telnyx_async.models.tests import AssistantTestResponse, TestRunResponse

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "TERMINAL_STATUSES",
    "BatchSummary",
    "FailedCriterion",
    "RunBatch",
    "RunOutcome",
    "is_terminal",
    "wait_for_run",
]

log = logging.getLogger("telnyx_async.orchestration")

TERMINAL_STATUSES: frozenset[str] = frozenset(
    {"passed", "failed", "error", "completed", "timeout", "canceled", "cancelled"}
)
"""Statuses after which a run never changes again.

The API's status enum has ``passed``, ``failed`` and ``error``; its run-list
filter documents ``completed`` and ``timeout`` too, and both spellings of
``cancelled`` are accepted in case they appear.
"""

_IN_PROGRESS: frozenset[str] = frozenset({"pending", "starting", "running"})

DEFAULT_WAIT_TIMEOUT = 3900.0
"""Default deadline of a wait, in seconds: the longest a test may run (3600 s) plus a buffer."""

_BACKOFF = 1.5
"""Each pause between polls is this much longer than the one before (up to the maximum)."""
_SPREAD = (0.85, 1.15)
"""Poll pauses vary by 15% either way, so runs started together are not polled together."""

Outcome = Literal["passed", "failed", "error"]


class RunsAPI(Protocol):
    """What orchestration calls on ``client.ai.assistants.tests.runs``."""

    async def trigger(
        self, test_id: str, *, destination_version_id: str | UnsetType = ..., timeout: Timeout = ...
    ) -> TestRunResponse:
        """Start a run of one test."""
        ...

    async def retrieve(
        self, run_id: str, *, test_id: str, timeout: Timeout = ...
    ) -> TestRunResponse:
        """The current state of one run."""
        ...


class SuiteRunsAPI(Protocol):
    """What orchestration calls on ``client.ai.assistants.tests.test_suites.runs``."""

    async def trigger(
        self, suite_name: str, *, destination_version_id: str | UnsetType = ...,
        timeout: Timeout = ...,
    ) -> list[TestRunResponse]:
        """Start a run of every test of a suite."""
        ...


class ListTests(Protocol):
    """``client.ai.assistants.tests.list``, as far as orchestration uses it."""

    def __call__(
        self, *, test_suite: str | UnsetType = ..., prefetch: int | UnsetType | None = ...,
        timeout: Timeout = ...,
    ) -> AsyncPager[AssistantTestResponse]:
        """The tests of a suite."""
        ...


def is_terminal(status: str | TestRunResponse) -> bool:
    """Whether a run status (or a run) is final: see :data:`TERMINAL_STATUSES`.

    Statuses this SDK does not know are not final: waiting goes on.
    """
    value = status.status if isinstance(status, TestRunResponse) else status
    return str(value) in TERMINAL_STATUSES


def _check_wait_args(
    timeout: float | None, poll_interval: float, max_poll_interval: float
) -> float:
    for name, value in (("poll_interval", poll_interval), ("max_poll_interval", max_poll_interval)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"`{name}` must be a number of seconds")
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"`{name}` must be a positive, finite number of seconds")
    if max_poll_interval < poll_interval:
        raise ValueError("`max_poll_interval` must not be smaller than `poll_interval`")
    if timeout is None:
        return DEFAULT_WAIT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError("`timeout` must be a number of seconds or None")
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError("`timeout` must be a positive, finite number of seconds")
    return float(timeout)


class _Budget:
    """The time one wait may still spend.

    Time counts as the larger of the wall clock and the total this wait asked
    to sleep, so with a real sleep it is wall time, and a test that injects a
    sleep which does not really sleep still sees the deadline arrive.
    """

    def __init__(self, seconds: float, *, started: float | None = None) -> None:
        self.seconds = seconds
        self.started = time.monotonic() if started is None else started
        self.slept = 0.0

    def left(self) -> float:
        return self.seconds - max(time.monotonic() - self.started, self.slept)

    def call_timeout(self, base: Timeout) -> Timeout:
        """One request's timeout: the per-attempt limits of ``base``, cut to the time left."""
        left = self.left()
        return Timeout(
            total=left if base.total is None else min(base.total, left),
            connect=None if base.connect is None else min(base.connect, left),
            deadline=left,
        )


class _Follower:
    """Polls one run until it is final, keeping the last state seen in ``last``."""

    def __init__(
        self,
        runs: RunsAPI,
        context: CallContext,
        run_id: str,
        *,
        test_id: str,
        budget: _Budget,
        poll_interval: float,
        max_poll_interval: float,
        limiter: contextlib.AbstractAsyncContextManager[Any],
        last: TestRunResponse | None = None,
    ) -> None:
        self.runs = runs
        self.sleep: Sleep = context.sleep
        self.base_timeout = context.config.timeout
        self.run_id = run_id
        self.test_id = test_id
        self.budget = budget
        self.interval = poll_interval
        self.max_interval = max_poll_interval
        self.limiter = limiter
        self.last = last
        self._reported: set[str] = set()

    def _final(self, run: TestRunResponse) -> bool:
        status = str(run.status)
        if status in TERMINAL_STATUSES:
            return True
        if status not in _IN_PROGRESS and status not in self._reported:
            self._reported.add(status)
            log.warning(
                "run %s of test %s reports status %r, which this SDK does not know; "
                "treating it as not final and waiting on",
                self.run_id, self.test_id, status,
            )
        return False

    def _timed_out(self, cause: BaseException | None = None) -> PollTimeoutError:
        seen = f"last status {str(self.last.status)!r}" if self.last else "no status seen"
        message = (
            f"run {self.run_id} of test {self.test_id} did not finish within "
            f"{self.budget.seconds:g}s ({seen}); it goes on at Telnyx"
        )
        if cause is not None:
            message += f"; last poll failed: {cause}"
        return PollTimeoutError(message, last_run=self.last)

    async def follow(self, *, sleep_first: bool) -> TestRunResponse:
        """Poll until the run is final; raise ``PollTimeoutError`` at the deadline."""
        if self.last is not None and self._final(self.last):
            return self.last
        runs = self.runs
        sleep = self.sleep
        budget = self.budget
        failure: TelnyxError | None = None
        pause = sleep_first
        polls = 0
        while True:
            if pause:
                left = budget.left()
                if left <= 0:
                    raise self._timed_out(failure) from failure
                polls += 1
                wait = backoff(
                    polls, initial=self.interval, maximum=self.max_interval,
                    factor=_BACKOFF, spread=_SPREAD,
                )
                delay = min(wait, left)
                await sleep(delay)
                budget.slept += delay
            pause = True
            async with self.limiter:
                if budget.left() <= 0:
                    raise self._timed_out(failure) from failure
                try:
                    run = await runs.retrieve(
                        self.run_id, test_id=self.test_id,
                        timeout=budget.call_timeout(self.base_timeout),
                    )
                except (APIConnectionError, InternalServerError, RateLimitError) as exc:
                    # Includes timeouts. The client has retried already; a run may
                    # last an hour, so a passing outage does not end the wait.
                    # The deadline does.
                    failure = exc
                    if not isinstance(exc, APITimeoutError) or budget.left() > 0:
                        log.warning(
                            "polling run %s of test %s failed (%s); trying again",
                            self.run_id, self.test_id, exc,
                        )
                    continue
            failure = None
            self.last = run
            if self._final(run):
                return run


async def wait_for_run(
    runs: RunsAPI,
    context: CallContext,
    run_id: str,
    *,
    test_id: str,
    timeout: float | None = None,
    poll_interval: float = 1.0,
    max_poll_interval: float = 15.0,
) -> TestRunResponse:
    """Poll one run until its status is final and return that last state.

    This is what ``client.ai.assistants.tests.runs.wait`` does; see there.
    """
    seconds = _check_wait_args(timeout, poll_interval, max_poll_interval)
    encode_path("{run_id}/{test_id}", run_id=run_id, test_id=test_id)  # checks both, no I/O
    follower = _Follower(
        runs, context, run_id, test_id=test_id, budget=_Budget(seconds),
        poll_interval=poll_interval,
        max_poll_interval=max_poll_interval, limiter=contextlib.nullcontext(),
    )
    return await follower.follow(sleep_first=False)


# ---------------------------------------------------------------------- results


@attrs.frozen
class FailedCriterion:
    """A rubric item a run failed, and the test it belongs to."""

    test_id: str
    test: str | None
    """The test's name, when known."""
    run_id: str
    name: str
    """The rubric item's name."""


def _classify(run: TestRunResponse | None, error: BaseException | None) -> Outcome:
    if error is not None or run is None:
        return "error"
    status = str(run.status)
    if status == "passed":
        return "passed"
    if status == "failed":
        return "failed"
    if status == "completed":
        items = run.detail_status or []
        return "failed" if any(str(item.status) != "passed" for item in items) else "passed"
    return "error"


@attrs.frozen
class RunOutcome:
    """How one test of a batch ended.

    ``run`` is the last state of the run that was seen (final unless
    ``error`` is set; ``None`` when the run could not even be started).
    ``error`` is the exception that stopped this test (a failed trigger, a
    poll that kept failing, :class:`~telnyx_async.PollTimeoutError`), else ``None``.
    ``elapsed`` is the wall time from triggering to the final answer.
    """

    test_id: str
    test: str | None
    run: TestRunResponse | None
    error: Exception | None
    elapsed: float

    @property
    def run_id(self) -> str | None:
        """The run's ID, or ``None`` when it was never started."""
        return self.run.run_id if self.run is not None else None

    @property
    def status(self) -> str:
        """The run's last status (``"passed"``, ``"failed"``, ...), or ``"error"`` without a run."""
        return str(self.run.status) if self.run is not None else "error"

    @property
    def outcome(self) -> Outcome:
        """``"passed"``, ``"failed"`` (a rubric item failed) or ``"error"``.

        ``"error"`` covers runs the API ended with ``error``, ``timeout`` or
        ``cancelled``, and tests whose run could not be started or followed.
        A ``completed`` run counts as passed unless a rubric item did not pass.
        """
        return _classify(self.run, self.error)

    @property
    def passed(self) -> bool:
        """True when the run finished and passed."""
        return self.outcome == "passed"

    @property
    def duration(self) -> float:
        """Seconds the run took: ``completed_at - created_at`` if the API says, else ``elapsed``."""
        run = self.run
        if run is not None and run.completed_at is not None:
            seconds = (run.completed_at - run.created_at).total_seconds()
            if seconds >= 0:
                return seconds
        return self.elapsed

    @property
    def failed_criteria(self) -> list[str]:
        """Names of the rubric items whose ``detail_status`` is ``failed``."""
        if self.run is None:
            return []
        return [
            item.name for item in self.run.detail_status or [] if str(item.status) == "failed"
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description of this outcome."""
        return {
            "test_id": self.test_id,
            "test": self.test,
            "run_id": self.run_id,
            "status": self.status,
            "outcome": self.outcome,
            "duration": round(self.duration, 3),
            "failed_criteria": self.failed_criteria,
            "error": None if self.error is None else f"{type(self.error).__name__}: {self.error}",
        }


@attrs.frozen
class BatchSummary:
    """What a :class:`RunBatch` came to.

    ``outcomes`` are in the order the tests were given (for a suite: the order
    the API returned its runs in); ``wall_time`` is the seconds the whole batch took.
    """

    outcomes: list[RunOutcome]
    wall_time: float
    suite: str | None = None

    @property
    def total(self) -> int:
        """How many tests the batch ran."""
        return len(self.outcomes)

    @property
    def passed(self) -> int:
        """How many runs passed."""
        return sum(1 for o in self.outcomes if o.outcome == "passed")

    @property
    def failed(self) -> int:
        """How many runs finished with a failed rubric item."""
        return sum(1 for o in self.outcomes if o.outcome == "failed")

    @property
    def errored(self) -> int:
        """How many runs ended in error, or could not be started or followed."""
        return sum(1 for o in self.outcomes if o.outcome == "error")

    @property
    def all_passed(self) -> bool:
        """True when every run passed (vacuously true for an empty batch)."""
        return self.passed == self.total

    @property
    def by_status(self) -> dict[str, int]:
        """How many runs ended in each status."""
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def failed_criteria(self) -> list[FailedCriterion]:
        """Every failed rubric item across the batch, with its test."""
        return [
            FailedCriterion(test_id=o.test_id, test=o.test, run_id=o.run_id or "", name=name)
            for o in self.outcomes
            for name in o.failed_criteria
        ]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the counts and one entry per run."""
        return {
            "suite": self.suite,
            "total": self.total,
            "passed": self.passed,
            "failed": self.failed,
            "errored": self.errored,
            "all_passed": self.all_passed,
            "wall_time": round(self.wall_time, 3),
            "runs": [o.to_dict() for o in self.outcomes],
        }


# ---------------------------------------------------------------------- batches


class RunBatch:
    """Test runs being triggered and followed together.

    Made by ``tests.run_and_wait(...)`` and ``test_suites.run_and_wait(...)``;
    nothing is sent until you use it:

    * ``summary = await batch`` runs everything and returns a :class:`BatchSummary`;
    * ``async for outcome in batch`` yields a :class:`RunOutcome` per test as
      each finishes.

    The work happens once: awaiting after iterating returns the same summary,
    and iterating again replays the outcomes in the order they finished. At
    most ``concurrency`` of the batch's requests are in flight at a time. A
    test whose trigger or polls fail gets the error in its outcome; the others
    go on. For a suite, a failed trigger means nothing ran: awaiting or
    iterating raises that error.

    Leaving an ``async for`` early, cancelling the task that awaits, or
    :meth:`aclose` (also run by ``async with batch:``) stops every request of
    the batch; the runs go on at Telnyx, which has no way to cancel them.
    Using a batch that was stopped before all its outcomes were in raises
    ``RuntimeError``.
    """

    def __init__(
        self,
        runs: RunsAPI,
        suite_runs: SuiteRunsAPI,
        list_tests: ListTests,
        context: CallContext,
        *,
        test_ids: Sequence[str] | None = None,
        suite: str | None = None,
        destination_version_id: str | UnsetType,
        concurrency: int,
        timeout: float | None,
        poll_interval: float,
        max_poll_interval: float,
    ) -> None:
        if (test_ids is None) == (suite is None):
            raise TypeError("give exactly one of `test_ids` and `suite`")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError("`concurrency` must be a positive int")
        self._runs = runs
        self._suite_runs = suite_runs
        self._list_tests = list_tests
        self._context = context
        self._base_timeout = context.config.timeout
        self._test_ids = list(test_ids) if test_ids is not None else None
        self._suite = suite
        self._version = destination_version_id
        self._concurrency = concurrency
        self._seconds = _check_wait_args(timeout, poll_interval, max_poll_interval)
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval
        self._driver: asyncio.Task[None] | None = None
        self._started_at = 0.0
        self._slots: list[RunOutcome | None] = [None] * len(self._test_ids or ())
        self._size: int | None = len(self._slots) if self._test_ids is not None else None
        self._finished: list[RunOutcome] = []
        self._summary: BatchSummary | None = None
        self._pulse: asyncio.Event | None = None

    def __repr__(self) -> str:
        what = f"suite={self._suite!r}" if self._suite is not None else f"tests={self._test_ids!r}"
        if self._summary is not None:
            state = "done"
        elif self._driver is None:
            state = "not started"
        elif not self._driver.done():
            state = f"{len(self._finished)} finished so far"
        else:
            state = "stopped"
        return f"<RunBatch {what} concurrency={self._concurrency} {state}>"

    # ------------------------------------------------------------ using it

    def __await__(self) -> Generator[Any, None, BatchSummary]:
        return self._result().__await__()

    def __aiter__(self) -> AsyncIterator[RunOutcome]:
        return _OutcomeStream(self)

    async def __aenter__(self) -> RunBatch:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop the batch if it is still going, and wait until all its tasks have ended."""
        driver = self._driver
        if driver is not None and not driver.done():
            driver.cancel()
            await asyncio.wait([driver])

    @property
    def size(self) -> int | None:
        """How many runs the batch follows (for a suite: ``None`` until it is triggered)."""
        return self._size

    @property
    def done(self) -> bool:
        """True once the batch has finished (or was stopped)."""
        return self._driver is not None and self._driver.done()

    def _start(self) -> asyncio.Task[None]:
        driver = self._driver
        if driver is None:
            self._pulse = asyncio.Event()
            driver = self._driver = asyncio.get_running_loop().create_task(self._drive())
        elif driver.cancelled() and self._summary is None:
            raise RuntimeError(_STOPPED)
        return driver

    def _settled(self) -> BatchSummary:
        """The summary, once the driver is done; else why there is none."""
        if self._summary is not None:
            return self._summary
        driver = self._driver
        assert driver is not None
        if not driver.cancelled():
            driver.result()  # a suite trigger that failed raises here
        raise RuntimeError(_STOPPED)

    def _abandon(self) -> None:
        """Ask the batch to stop, from code that cannot wait (a dropped iterator)."""
        driver = self._driver
        if driver is not None and not driver.done():
            with contextlib.suppress(RuntimeError):  # the loop is closed already
                driver.cancel()

    async def _result(self) -> BatchSummary:
        driver = self._start()
        try:
            await asyncio.wait([driver])
        except asyncio.CancelledError:
            await self.aclose()
            raise
        return self._settled()

    async def _news(self) -> None:
        assert self._pulse is not None
        await self._pulse.wait()

    # ------------------------------------------------------------ the work

    def _record(self, index: int, outcome: RunOutcome) -> None:
        self._slots[index] = outcome
        self._finished.append(outcome)
        if len(self._finished) == self._size:
            self._complete()
        self._wake()

    def _complete(self) -> None:
        self._summary = BatchSummary(
            outcomes=[o for o in self._slots if o is not None],
            wall_time=time.monotonic() - self._started_at,
            suite=self._suite,
        )

    def _wake(self) -> None:
        if self._pulse is not None:
            self._pulse.set()
            self._pulse = asyncio.Event()

    async def _drive(self) -> None:
        self._started_at = started = time.monotonic()
        limiter = asyncio.Semaphore(self._concurrency)
        tasks: list[asyncio.Task[None]] = []
        loop = asyncio.get_running_loop()
        try:
            if self._test_ids is not None:
                for i, test_id in enumerate(self._test_ids):
                    budget = _Budget(self._seconds, started=started)
                    job = self._one(i, test_id, None, None, budget, limiter)
                    tasks.append(loop.create_task(job))
            else:
                assert self._suite is not None
                budget = _Budget(self._seconds, started=started)
                async with limiter:
                    runs = await self._suite_runs.trigger(
                        self._suite, destination_version_id=self._version,
                        timeout=budget.call_timeout(self._base_timeout),
                    )
                self._slots = [None] * len(runs)
                self._size = len(runs)
                self._wake()
                names = await self._names(limiter, budget)
                for i, run in enumerate(runs):
                    budget = _Budget(self._seconds, started=started)
                    tasks.append(
                        loop.create_task(
                            self._one(i, run.test_id, names.get(run.test_id), run, budget, limiter)
                        )
                    )
            if tasks:
                await asyncio.wait(tasks)
            if self._summary is None:
                self._complete()  # an empty batch
        finally:
            for task in tasks:
                task.cancel()
            pending = [task for task in tasks if not task.done()]
            if pending:
                await asyncio.wait(pending)
            self._wake()

    async def _names(self, limiter: asyncio.Semaphore, budget: _Budget) -> dict[str, str]:
        """Test names of the suite, for the outcomes; a failure here only costs the names."""
        names: dict[str, str] = {}
        assert self._suite is not None
        pager = self._list_tests(
            test_suite=self._suite, prefetch=0, timeout=budget.call_timeout(self._base_timeout)
        )
        pages = pager.pages()
        try:
            while True:
                async with limiter:
                    try:
                        page = await pages.__anext__()
                    except StopAsyncIteration:
                        break
                for test in page:
                    names[test.test_id] = test.name
        except TelnyxError as exc:
            log.info("could not list the tests of suite %r for their names: %s", self._suite, exc)
        finally:
            await pages.aclose()
        return names

    async def _one(
        self,
        index: int,
        test_id: str,
        name: str | None,
        run: TestRunResponse | None,
        budget: _Budget,
        limiter: asyncio.Semaphore,
    ) -> None:
        """Trigger (unless ``run`` is given) and follow one test; only cancellation raises."""
        started = time.monotonic()
        follower: _Follower | None = None
        error: Exception | None = None
        try:
            if run is None:
                async with limiter:
                    if budget.left() <= 0:
                        raise PollTimeoutError(
                            f"test {test_id} was not triggered: the batch's deadline of "
                            f"{budget.seconds:g}s passed first"
                        )
                    run = await self._runs.trigger(
                        test_id, destination_version_id=self._version,
                        timeout=budget.call_timeout(self._base_timeout),
                    )
            follower = _Follower(
                self._runs, self._context, run.run_id, test_id=test_id, budget=budget,
                poll_interval=self._poll_interval, max_poll_interval=self._max_poll_interval,
                limiter=limiter, last=run,
            )
            run = await follower.follow(sleep_first=True)
        except Exception as exc:  # recorded in the outcome; the other tests go on
            error = exc
            if follower is not None:
                run = follower.last
        outcome = RunOutcome(
            test_id=test_id, test=name, run=run, error=error, elapsed=time.monotonic() - started
        )
        self._record(index, outcome)


_STOPPED = "this RunBatch was stopped before all its runs were followed; start a new one"


class _OutcomeStream:
    """What ``async for outcome in batch`` iterates: the outcomes in the order they finished.

    Dropping it before the end (``break``) stops the batch at once; so does
    cancelling the task that iterates, which also waits for the batch's
    tasks to end.
    """

    def __init__(self, batch: RunBatch) -> None:
        self._batch = batch
        self._seen = 0
        self._driver: asyncio.Task[None] | None = None
        self._over = False

    def __aiter__(self) -> _OutcomeStream:
        return self

    async def __anext__(self) -> RunOutcome:
        batch = self._batch
        if self._driver is None:
            self._driver = batch._start()
        try:
            while self._seen >= len(batch._finished):
                if self._driver.done():
                    self._over = True
                    batch._settled()  # raises when there is no summary
                    raise StopAsyncIteration
                await batch._news()
        except asyncio.CancelledError:
            self._over = True
            await batch.aclose()
            raise
        outcome = batch._finished[self._seen]
        self._seen += 1
        return outcome

    async def aclose(self) -> None:
        """Stop the batch if this iteration has not reached its end."""
        if not self._over:
            self._over = True
            await self._batch.aclose()

    def __del__(self) -> None:
        if not self._over:
            self._batch._abandon()

