"""Polling one run until its status is final: :class:`RunPoller` and :func:`wait_for_run`."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telnyx_async._http import encode_path
from telnyx_async._resource import CallContext
from telnyx_async._retry import Sleep, backoff
from telnyx_async.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    PollTimeoutError,
    RateLimitError,
    TelnyxError,
)
from telnyx_async.models.tests import TestRunResponse

from ._deadline import WaitDeadline, check_wait_arguments, deadline_argument
from ._protocols import RunsAPI
from ._statuses import IN_PROGRESS_STATUSES, TERMINAL_STATUSES

__all__ = ["POLL_BACKOFF_FACTOR", "POLL_JITTER", "RunPoller", "wait_for_run"]

log = logging.getLogger("telnyx_async.orchestration")

POLL_BACKOFF_FACTOR = 1.5
"""Each pause between polls is this much longer than the one before (up to the maximum)."""
POLL_JITTER = (0.85, 1.15)
"""Poll pauses vary by 15% either way, so runs started together are not polled together."""


class RunPoller:
    """Polls one run until it is final, keeping the last state seen in ``last``."""

    def __init__(
        self,
        runs: RunsAPI,
        context: CallContext,
        run_id: str,
        *,
        test_id: str,
        deadline: WaitDeadline,
        poll_interval: float,
        max_poll_interval: float,
        limiter: contextlib.AbstractAsyncContextManager[Any],
        last: TestRunResponse | None = None,
    ) -> None:
        """Poll ``run_id`` of ``test_id`` through ``runs``, each poll inside ``limiter``.

        Pauses use the client's ``sleep`` (from ``context``) and grow from
        ``poll_interval`` to ``max_poll_interval``; ``last`` is the state the
        run is already known to be in (the trigger's answer), if any.
        """
        self.runs = runs
        self.sleep: Sleep = context.sleep
        self.base_timeout = context.config.timeout
        self.run_id = run_id
        self.test_id = test_id
        self.deadline = deadline
        self.interval = poll_interval
        self.max_interval = max_poll_interval
        self.limiter = limiter
        self.last = last
        self._unknown_statuses_logged: set[str] = set()

    def _final(self, run: TestRunResponse) -> bool:
        status = str(run.status)
        if status in TERMINAL_STATUSES:
            return True
        if status not in IN_PROGRESS_STATUSES and status not in self._unknown_statuses_logged:
            self._unknown_statuses_logged.add(status)
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
            f"{self.deadline.seconds:g}s ({seen}); it goes on at Telnyx"
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
        deadline = self.deadline
        failure: TelnyxError | None = None
        pause = sleep_first
        polls = 0
        while True:
            if pause:
                left = deadline.left()
                if left <= 0:
                    raise self._timed_out(failure) from failure
                polls += 1
                wait = backoff(
                    polls, initial=self.interval, maximum=self.max_interval,
                    factor=POLL_BACKOFF_FACTOR, spread=POLL_JITTER,
                )
                delay = min(wait, left)
                await sleep(delay)
                deadline.slept += delay
            pause = True
            async with self.limiter:
                if deadline.left() <= 0:
                    raise self._timed_out(failure) from failure
                try:
                    run = await runs.retrieve(
                        self.run_id, test_id=self.test_id,
                        timeout=deadline.call_timeout(self.base_timeout),
                    )
                except (APIConnectionError, InternalServerError, RateLimitError) as exc:
                    # Includes timeouts. The client has retried already; a run may
                    # last an hour, so a passing outage does not end the wait.
                    # The deadline does.
                    failure = exc
                    if not isinstance(exc, APITimeoutError) or deadline.left() > 0:
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
    deadline: float | None = None,
    poll_interval: float = 1.0,
    max_poll_interval: float = 15.0,
    timeout: float | None = None,
) -> TestRunResponse:
    """Poll one run until its status is final and return that last state.

    This is what ``client.ai.assistants.tests.runs.wait`` does; see there.
    ``deadline`` is the whole wait's limit in seconds; ``timeout=`` is its
    deprecated name.
    """
    given, name = deadline_argument(deadline, timeout, "wait_for_run")
    seconds = check_wait_arguments(given, poll_interval, max_poll_interval, name=name)
    encode_path("{run_id}/{test_id}", run_id=run_id, test_id=test_id)  # checks both, no I/O
    poller = RunPoller(
        runs, context, run_id, test_id=test_id, deadline=WaitDeadline(seconds),
        poll_interval=poll_interval,
        max_poll_interval=max_poll_interval, limiter=contextlib.nullcontext(),
    )
    return await poller.follow(sleep_first=False)
