"""FakeTelnyx: the public face of the fake; the state, the server and the handlers do the work."""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._clock import Clock, MonotonicClock
from ._faults import Fault
from ._handlers.assistants import render_assistant
from ._handlers.deleted import render_deleted
from ._handlers.integrations import add_connection, add_integration, seed_integrations
from ._handlers.mcp_servers import new_mcp_server
from ._handlers.tests_and_runs import render_run
from ._records import RequestLog, Traffic
from ._seeding import run_behaviour, seed_assistant, seed_demo, seed_test, seed_tool
from ._server import PREFIX, FakeServer
from ._state import FakeState, TestBehaviour

if TYPE_CHECKING:
    from telnyx_async._client import AsyncTelnyx

__all__ = ["FakeTelnyx"]


def _wait_deadline(deadline: float, timeout: float | None, method: str) -> float:
    """``deadline``, or the deprecated ``timeout=`` given in its place (with a warning)."""
    if timeout is None:
        return deadline
    warnings.warn(
        f"FakeTelnyx.{method}(timeout=...) is deprecated; use deadline=... (the whole wait)",
        DeprecationWarning,
        stacklevel=3,
    )
    return timeout


class FakeTelnyx:
    """A stateful, in-process stand-in for the Telnyx AI Assistants API.

    It serves every operation of the API over real HTTP on ``127.0.0.1`` (a free
    port), keeps what is created in memory, checks the API key, answers errors
    in Telnyx's formats, and can misbehave on request: scripted faults, added
    latency, a token-bucket rate limit and a paging bug mode. Test runs play out
    on a clock you may control with :class:`FakeClock`.

    ::

        async with FakeTelnyx() as fake:
            fake.seed_demo()
            async with fake.client() as client:
                ...
            assert fake.requests[-1].status == 200
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        latency: float = 0.0,
        clock: Clock | None = None,
    ) -> None:
        """Create a stopped fake; ``start()`` it or use ``async with``.

        ``api_key`` is the only key accepted. ``latency`` (seconds, real time)
        is added before every response. ``clock`` drives test runs and the rate
        limiter (default: :func:`time.monotonic`).
        """
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key must be a non-empty string")
        self._api_key = api_key
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._state = FakeState(self._clock)
        seed_integrations(self._state)
        self._traffic = Traffic()
        self._server = FakeServer(
            api_key=api_key, clock=self._clock, state=self._state, traffic=self._traffic
        )
        self.latency = latency

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeTelnyx:
        """Start serving on 127.0.0.1 at a free port; returns ``self``."""
        await self._server.start()
        return self

    async def stop(self) -> None:
        """Stop serving and close every connection. Safe to call more than once."""
        await self._server.stop()

    async def __aenter__(self) -> FakeTelnyx:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``stop()``."""
        return self._server.runner is not None

    @property
    def port(self) -> int:
        """The TCP port the fake listens on."""
        port = self._server.port
        if port is None:
            raise RuntimeError("the fake is not running; call start() or use 'async with'")
        return port

    @property
    def url(self) -> str:
        """The base URL including the ``/v2`` prefix, e.g. ``http://127.0.0.1:PORT/v2``."""
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    @property
    def api_key(self) -> str:
        """The API key the fake accepts."""
        return self._api_key

    @property
    def clock(self) -> Clock:
        """The clock driving test runs and the rate limiter."""
        return self._clock

    def client(self, **kwargs: Any) -> AsyncTelnyx:
        """An ``AsyncTelnyx`` pointed at this fake with its API key.

        Keyword arguments go to the ``AsyncTelnyx`` constructor.
        """
        from telnyx_async import AsyncTelnyx

        kwargs.setdefault("api_key", self._api_key)
        kwargs.setdefault("base_url", self.url)
        return AsyncTelnyx(**kwargs)

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"FakeTelnyx({where}, requests={len(self.requests)})"

    # ------------------------------------------------------------------ traffic

    @property
    def requests(self) -> RequestLog:
        """Every request received, in arrival order (see :class:`RecordedRequest`)."""
        return self._traffic.requests

    @property
    def rate_limited_count(self) -> int:
        """How many 429 answers the rate limiter produced."""
        return self._traffic.rate_limited_count

    @rate_limited_count.setter
    def rate_limited_count(self, value: int) -> None:
        self._traffic.rate_limited_count = value

    @property
    def idempotency_replays(self) -> int:
        """How many answers were replays of a stored idempotent response."""
        return self._traffic.idempotency_replays

    @idempotency_replays.setter
    def idempotency_replays(self, value: int) -> None:
        self._traffic.idempotency_replays = value

    @property
    def in_flight(self) -> int:
        """How many requests are being handled right now."""
        return self._traffic.in_flight

    @property
    def max_in_flight(self) -> int:
        """The highest value :attr:`in_flight` has reached."""
        return self._traffic.max_in_flight

    @max_in_flight.setter
    def max_in_flight(self, value: int) -> None:
        self._traffic.max_in_flight = value

    def reset_requests(self) -> None:
        """Forget recorded requests and zero the traffic counters.

        Clears :attr:`requests` and resets :attr:`rate_limited_count`,
        :attr:`idempotency_replays` and :attr:`max_in_flight` (to the current
        :attr:`in_flight`). State (assistants, tests, ...) is kept.
        """
        traffic = self._traffic
        traffic.requests.clear()
        traffic.rate_limited_count = 0
        traffic.idempotency_replays = 0
        traffic.max_in_flight = traffic.in_flight

    # ------------------------------------------------------------------ knobs

    @property
    def latency(self) -> float:
        """Seconds of real time added before every response (settable at any time)."""
        return self._server.latency

    @latency.setter
    def latency(self, value: float) -> None:
        if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
            raise ValueError("latency must be a finite, non-negative number of seconds")
        self._server.latency = float(value)

    @property
    def ignore_page_number(self) -> bool:
        """Paging bug mode: every list serves page 1 and reports ``page_number`` 1."""
        return self._state.ignore_page_number

    @ignore_page_number.setter
    def ignore_page_number(self, value: bool) -> None:
        self._state.ignore_page_number = bool(value)

    def set_rate_limit(
        self,
        rate_per_second: float | None,
        burst: int | None = None,
        *,
        retry_after: bool = True,
    ) -> None:
        """Limit requests with a token bucket on the fake's clock; ``None`` removes it.

        ``burst`` (default: ``ceil(rate_per_second)``, at least 1) is the bucket
        size. Over the limit the answer is 429 with the Telnyx body,
        ``x-ratelimit-limit``/``-remaining``/``-reset`` (whole seconds until a
        token is free) and, when ``retry_after`` is true, ``Retry-After`` with the
        same number. Other answers carry the ``x-ratelimit-*`` headers too.
        """
        self._server.set_rate_limit(rate_per_second, burst, retry_after)

    def enqueue(
        self,
        *faults: Fault,
        method: str | None = None,
        route: str | None = None,
        path: str | None = None,
    ) -> None:
        """Queue faults for the next requests that match the filters (FIFO).

        ``method`` is an HTTP method, ``route`` a spec template such as
        ``/ai/assistants/{assistant_id}`` (an unknown template is a
        ``ValueError``) and ``path`` a concrete decoded path after ``/v2``
        (a leading ``/v2`` is dropped). Each fault is used by one request;
        requests that match no queued fault are answered normally.
        """
        self._server.enqueue(faults, method, route, path)

    @property
    def pending_faults(self) -> int:
        """How many queued faults have not been used yet."""
        return self._server.pending_faults

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        self._server.clear_faults()

    def hold(self) -> None:
        """Keep every request that arrives from now on waiting until :meth:`release`.

        Held requests are recorded and count in :attr:`in_flight`; with
        :meth:`wait_in_flight` this makes concurrency tests deterministic.
        """
        self._server.hold()

    def release(self) -> None:
        """Let held requests (and later ones) proceed."""
        self._server.release()

    async def wait_in_flight(
        self, count: int, deadline: float = 5.0, *, timeout: float | None = None
    ) -> None:
        """Wait until at least ``count`` requests are being handled at once.

        Raises :class:`TimeoutError` when ``deadline`` seconds (the whole wait)
        pass first. ``timeout=`` is the deprecated name of ``deadline``.
        """
        seconds = _wait_deadline(deadline, timeout, "wait_in_flight")
        await self._server.wait_until(
            lambda: self.in_flight >= count, seconds, f"{count} request(s) in flight"
        )

    async def wait_idle(self, deadline: float = 5.0, *, timeout: float | None = None) -> None:
        """Wait until no request is being handled (e.g. after a client gave up on one).

        Raises :class:`TimeoutError` when ``deadline`` seconds (the whole wait)
        pass first. ``timeout=`` is the deprecated name of ``deadline``.
        """
        seconds = _wait_deadline(deadline, timeout, "wait_idle")
        await self._server.wait_until(lambda: self.in_flight == 0, seconds, "no request in flight")

    # ------------------------------------------------------------------ state: views

    @property
    def assistants(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every assistant (main version, wire format), by id."""
        state = self._state
        return {aid: render_assistant(state, a) for aid, a in state.assistants.items()}

    @property
    def deleted_assistants(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the Recently Deleted list (with ``deleted_at``), by id."""
        state = self._state
        return {aid: render_deleted(state, e) for aid, e in state.recently_deleted().items()}

    @property
    def tests(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every test (wire format), by ``test_id``."""
        return copy.deepcopy(self._state.tests)

    @property
    def runs(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every test run as it looks now on the clock, by ``run_id``."""
        return {rid: render_run(self._state, r) for rid, r in self._state.runs.items()}

    @property
    def tools(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every shared tool (``/ai/tools``), by id."""
        return copy.deepcopy(self._state.tools)

    @property
    def mcp_servers(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every MCP server, by id."""
        return copy.deepcopy(self._state.mcp_servers)

    @property
    def integrations(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the integration catalogue, by id."""
        return copy.deepcopy(self._state.integrations)

    @property
    def connections(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the integration connections, by id."""
        return copy.deepcopy(self._state.connections)

    @property
    def scheduled_events(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every scheduled event, by ``scheduled_event_id``."""
        return copy.deepcopy(self._state.events)

    @property
    def canary_deploys(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the canary deploys, by assistant id."""
        return copy.deepcopy(self._state.canaries)

    # ------------------------------------------------------------------ state: seeding

    def add_assistant(self, **fields: Any) -> dict[str, Any]:
        """Create an assistant directly (no HTTP) and return its wire form.

        ``fields`` are request-shaped (``name``, ``instructions``, ``model``,
        ``tags``, ...); ``name`` and ``instructions`` get defaults. An ``id`` may
        be given to pin the id.
        """
        return render_assistant(self._state, seed_assistant(self._state, fields))

    def add_test(
        self,
        name: str,
        test_suite: str | None = None,
        rubric: Sequence[Mapping[str, str]] | None = None,
        outcome: str = "passed",
        duration: float = 0.0,
        detail: Mapping[str, str] | None = None,
        *,
        start_delay: float = 0.0,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create a test directly (no HTTP) and return its wire form.

        ``outcome``, ``duration``, ``start_delay`` and ``detail`` set how its runs
        play out (see :meth:`configure_test`). ``rubric`` defaults to one item;
        ``destination`` defaults to the first assistant's id; other ``fields``
        (``instructions``, ``telnyx_conversation_channel``, ``test_id``, ...)
        are stored as given.
        """
        behaviour = run_behaviour(outcome, duration, start_delay, detail)
        return copy.deepcopy(seed_test(self._state, name, test_suite, rubric, behaviour, fields))

    def configure_test(
        self,
        test_id: str,
        *,
        outcome: str | None = None,
        duration: float | None = None,
        start_delay: float | None = None,
        detail: Mapping[str, str] | None = None,
    ) -> None:
        """Set how future runs of ``test_id`` play out on the fake's clock.

        A run created at ``t0`` is ``pending`` until ``t0 + start_delay``,
        ``running`` until ``t0 + start_delay + duration``, then ``outcome``
        (``"passed"``, ``"failed"``, ``"error"`` or any other status string; a
        non-final one such as ``"running"`` keeps the run there for good).
        ``detail`` maps rubric item names to ``"passed"``/``"failed"``; a failed
        run always has at least one failed item. Arguments left ``None`` keep
        their current value.
        """
        state = self._state
        if test_id not in state.tests:
            raise KeyError(f"unknown test id {test_id!r}")
        current = state.behaviour.setdefault(test_id, TestBehaviour())
        state.behaviour[test_id] = run_behaviour(
            current.outcome if outcome is None else outcome,
            current.duration if duration is None else duration,
            current.start_delay if start_delay is None else start_delay,
            current.detail if detail is None else detail,
        )

    def add_tool(self, display_name: str, type: str = "webhook", **fields: Any) -> dict[str, Any]:
        """Create a shared tool (``/ai/tools``) directly and return its wire form.

        For a webhook tool, ``webhook={...}`` gives its definition; a usable one
        is filled in when absent.
        """
        return copy.deepcopy(seed_tool(self._state, display_name, type, fields))

    def add_mcp_server(
        self, name: str, url: str, type: str = "http", **fields: Any
    ) -> dict[str, Any]:
        """Create an MCP server directly and return its wire form."""
        server = new_mcp_server(self._state, {"name": name, "url": url, "type": type, **fields})
        return copy.deepcopy(server)

    def add_integration(self, name: str, **fields: Any) -> dict[str, Any]:
        """Add an integration to the catalogue and return it."""
        return copy.deepcopy(add_integration(self._state, name=name, **fields))

    def add_connection(
        self, integration_id: str, *, allowed_tools: Sequence[str] = (), **fields: Any
    ) -> dict[str, Any]:
        """Connect an integration and return the connection."""
        connection = add_connection(
            self._state, integration_id, allowed_tools=allowed_tools, **fields
        )
        return copy.deepcopy(connection)

    def seed_demo(self) -> None:
        """Load a small demo world.

        One assistant ("Demo support agent") with a webhook tool attached, and a
        test suite ``demo`` of six tests against it: four pass and two fail
        (each on one rubric item), all finishing within 0.2-1.5 s of being
        triggered. The integration catalogue and two connections are always
        present.
        """
        seed_demo(self._state)
