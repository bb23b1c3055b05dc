"""Many test runs triggered and followed together: :class:`RunBatch`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, Generator, Sequence
from types import TracebackType
from typing import Any

from telnyx_async._resource import CallContext
from telnyx_async._types import UnsetType
from telnyx_async.errors import PollTimeoutError, TelnyxError
from telnyx_async.models.tests import TestRunResponse

from ._deadline import WaitDeadline, check_wait_arguments, deadline_argument
from ._outcomes import BatchSummary, RunOutcome
from ._poller import RunPoller
from ._protocols import ListTests, RunsAPI, SuiteRunsAPI

__all__ = ["RunBatch"]

log = logging.getLogger("telnyx_async.orchestration")

_STOPPED_MESSAGE = (
    "this RunBatch was stopped before all its runs were followed; start a new one"
)


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
        deadline: float | None = None,
        poll_interval: float,
        max_poll_interval: float,
        timeout: float | None = None,
    ) -> None:
        """Set up a batch; nothing is sent until it is awaited or iterated.

        ``deadline`` is the whole batch's limit in seconds (``None``: the
        default); ``timeout=`` is its deprecated name.
        """
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
        self._destination_version_id = destination_version_id
        self._concurrency = concurrency
        given, name = deadline_argument(deadline, timeout, "RunBatch")
        self._deadline_seconds = check_wait_arguments(
            given, poll_interval, max_poll_interval, name=name
        )
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval
        self._driver: asyncio.Task[None] | None = None
        self._started_at = 0.0
        self._outcomes_by_input: list[RunOutcome | None] = [None] * len(self._test_ids or ())
        self._size: int | None = (
            len(self._outcomes_by_input) if self._test_ids is not None else None
        )
        self._outcomes_by_finish: list[RunOutcome] = []
        self._summary: BatchSummary | None = None
        self._progress_event: asyncio.Event | None = None

    def __repr__(self) -> str:
        what = f"suite={self._suite!r}" if self._suite is not None else f"tests={self._test_ids!r}"
        if self._summary is not None:
            state = "done"
        elif self._driver is None:
            state = "not started"
        elif not self._driver.done():
            state = f"{len(self._outcomes_by_finish)} finished so far"
        else:
            state = "stopped"
        return f"<RunBatch {what} concurrency={self._concurrency} {state}>"

    # ------------------------------------------------------------ using it

    def __await__(self) -> Generator[Any, None, BatchSummary]:
        return self._result().__await__()

    def __aiter__(self) -> AsyncGenerator[RunOutcome, None]:
        return self._stream_outcomes()

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
            self._progress_event = asyncio.Event()
            driver = self._driver = asyncio.get_running_loop().create_task(self._drive())
        elif driver.cancelled() and self._summary is None:
            raise RuntimeError(_STOPPED_MESSAGE)
        return driver

    def _summary_or_raise(self) -> BatchSummary:
        """The summary, once the driver is done; else the reason there is none."""
        if self._summary is not None:
            return self._summary
        driver = self._driver
        assert driver is not None
        if not driver.cancelled():
            driver.result()  # a suite trigger that failed raises here
        raise RuntimeError(_STOPPED_MESSAGE)

    async def _result(self) -> BatchSummary:
        driver = self._start()
        try:
            await asyncio.wait([driver])
        except asyncio.CancelledError:
            await self.aclose()
            raise
        return self._summary_or_raise()

    async def _stream_outcomes(self) -> AsyncGenerator[RunOutcome, None]:
        """The outcomes in the order they finished, as ``async for`` sees them.

        Whatever ends the iteration early reaches the ``finally``, which stops
        the batch and waits for its tasks: ``aclose()`` on this generator, a
        cancelled task, or leaving the loop (``break``, an exception). In the
        last case the loop lets go of the generator and asyncio's
        async-generator hooks schedule its ``aclose()`` on the event loop's
        next turn; no finalizer of ours is involved.
        """
        driver = self._start()
        seen = 0
        try:
            while True:
                while seen >= len(self._outcomes_by_finish):
                    if driver.done():
                        self._summary_or_raise()  # raises when there is no summary
                        return
                    await self._wait_for_progress()
                outcome = self._outcomes_by_finish[seen]
                seen += 1
                yield outcome
        finally:
            await self.aclose()

    async def _wait_for_progress(self) -> None:
        """Wait until an outcome comes in, the size becomes known, or the driver ends."""
        assert self._progress_event is not None
        await self._progress_event.wait()

    # ------------------------------------------------------------ the work

    def _record_outcome(self, index: int, outcome: RunOutcome) -> None:
        self._outcomes_by_input[index] = outcome
        self._outcomes_by_finish.append(outcome)
        if len(self._outcomes_by_finish) == self._size:
            self._make_summary()
        self._signal_progress()

    def _make_summary(self) -> None:
        self._summary = BatchSummary(
            outcomes=[o for o in self._outcomes_by_input if o is not None],
            wall_time=time.monotonic() - self._started_at,
            suite=self._suite,
        )

    def _signal_progress(self) -> None:
        if self._progress_event is not None:
            self._progress_event.set()
            self._progress_event = asyncio.Event()

    async def _drive(self) -> None:
        """Trigger and follow every test, one task each; stop them all when stopped."""
        self._started_at = started = time.monotonic()
        limiter = asyncio.Semaphore(self._concurrency)
        tasks: list[asyncio.Task[None]] = []
        loop = asyncio.get_running_loop()
        seconds = self._deadline_seconds
        try:
            if self._test_ids is not None:
                for i, test_id in enumerate(self._test_ids):
                    deadline = WaitDeadline(seconds, started=started)
                    job = self._follow_test(i, test_id, None, None, deadline, limiter)
                    tasks.append(loop.create_task(job))
            else:
                assert self._suite is not None
                deadline = WaitDeadline(seconds, started=started)
                async with limiter:
                    runs = await self._suite_runs.trigger(
                        self._suite, destination_version_id=self._destination_version_id,
                        timeout=deadline.call_timeout(self._base_timeout),
                    )
                self._outcomes_by_input = [None] * len(runs)
                self._size = len(runs)
                self._signal_progress()
                names = await self._test_names(limiter, deadline)
                for i, run in enumerate(runs):
                    deadline = WaitDeadline(seconds, started=started)
                    job = self._follow_test(
                        i, run.test_id, names.get(run.test_id), run, deadline, limiter
                    )
                    tasks.append(loop.create_task(job))
            if tasks:
                await asyncio.wait(tasks)
            if self._summary is None:
                self._make_summary()  # an empty batch
        finally:
            for task in tasks:
                task.cancel()
            pending = [task for task in tasks if not task.done()]
            if pending:
                await asyncio.wait(pending)
            self._signal_progress()

    async def _test_names(
        self, limiter: asyncio.Semaphore, deadline: WaitDeadline
    ) -> dict[str, str]:
        """Test names of the suite, for the outcomes; a failure here only costs the names."""
        names: dict[str, str] = {}
        assert self._suite is not None
        pager = self._list_tests(
            test_suite=self._suite, prefetch=0, timeout=deadline.call_timeout(self._base_timeout)
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

    async def _follow_test(
        self,
        index: int,
        test_id: str,
        name: str | None,
        run: TestRunResponse | None,
        deadline: WaitDeadline,
        limiter: asyncio.Semaphore,
    ) -> None:
        """Trigger (unless ``run`` is given) and follow one test; only cancellation raises."""
        started = time.monotonic()
        poller: RunPoller | None = None
        error: Exception | None = None
        try:
            if run is None:
                async with limiter:
                    if deadline.left() <= 0:
                        raise PollTimeoutError(
                            f"test {test_id} was not triggered: the batch's deadline of "
                            f"{deadline.seconds:g}s passed first"
                        )
                    run = await self._runs.trigger(
                        test_id, destination_version_id=self._destination_version_id,
                        timeout=deadline.call_timeout(self._base_timeout),
                    )
            poller = RunPoller(
                self._runs, self._context, run.run_id, test_id=test_id, deadline=deadline,
                poll_interval=self._poll_interval, max_poll_interval=self._max_poll_interval,
                limiter=limiter, last=run,
            )
            run = await poller.follow(sleep_first=True)
        except Exception as exc:  # recorded in the outcome; the other tests go on
            error = exc
            if poller is not None:
                run = poller.last
        outcome = RunOutcome(
            test_id=test_id, test=name, run=run, error=error, elapsed=time.monotonic() - started
        )
        self._record_outcome(index, outcome)
