"""FakeTelnyx: the in-process HTTP server around :class:`~._api.FakeAPI`."""

from __future__ import annotations

import asyncio
import copy
import hmac
import json
import math
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import web

from ._api import Call, FakeAPI, Reply, Route, TestBehaviour
from ._clock import Clock, MonotonicClock
from ._faults import Fault
from ._records import HeaderDict, RecordedRequest, RequestLog
from ._validation import (
    BODY_RULES,
    ApiError,
    check_body,
    fastapi_error,
    parse_json_body,
    problem,
    telnyx_error,
)

if TYPE_CHECKING:
    from telnyx_async._client import AsyncTelnyx

__all__ = ["FakeTelnyx"]

_PREFIX = "/v2"
_IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_:-]{1,255}$")
_TERMINAL = ("passed", "failed")


@dataclass
class _QueuedFault:
    fault: Fault
    method: str | None
    route: str | None
    path: str | None

    def matches(self, rec: RecordedRequest) -> bool:
        return (
            (self.method is None or self.method == rec.method)
            and (self.route is None or self.route == rec.route)
            and (self.path is None or self.path == rec.path)
        )


@dataclass
class _Stored:
    fingerprint: tuple[str, str, str]
    status: int
    body: bytes
    content_type: str | None
    headers: dict[str, str]


class _TokenBucket:
    def __init__(self, clock: Clock, rate: float, burst: int, retry_after: bool) -> None:
        self.clock = clock
        self.rate = rate
        self.burst = burst
        self.retry_after = retry_after
        self.tokens = float(burst)
        self.stamp = clock.now()

    def _refill(self) -> None:
        now = self.clock.now()
        if now > self.stamp:
            self.tokens = min(float(self.burst), self.tokens + (now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)

    def _reset(self) -> int:
        if self.tokens >= 1:
            return 0
        return max(1, math.ceil((1.0 - self.tokens) / self.rate - 1e-9))

    def take(self) -> bool:
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def headers(self) -> dict[str, str]:
        self._refill()
        return {
            "x-ratelimit-limit": str(self.burst),
            "x-ratelimit-remaining": str(max(0, math.floor(self.tokens))),
            "x-ratelimit-reset": str(self._reset()),
        }


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
        self._api = FakeAPI(self._clock)
        self.latency = latency
        self.requests: RequestLog = RequestLog()
        """Every request received, in arrival order (see :class:`RecordedRequest`)."""
        self.rate_limited_count = 0
        """How many 429 answers the rate limiter produced."""
        self.idempotency_replays = 0
        """How many answers were replays of a stored idempotent response."""
        self.in_flight = 0
        """How many requests are being handled right now."""
        self.max_in_flight = 0
        """The highest value :attr:`in_flight` has reached."""
        self._faults: list[_QueuedFault] = []
        self._bucket: _TokenBucket | None = None
        self._idempotency: dict[str, _Stored] = {}
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._gate: asyncio.Event | None = None
        self._held = False
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeTelnyx:
        """Start serving on 127.0.0.1 at a free port; returns ``self``."""
        if self._runner is not None:
            return self
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=5.0
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._stopping = asyncio.Event()
        self._gate = asyncio.Event()
        if not self._held:
            self._gate.set()
        self._runner = runner
        address = runner.addresses[0]
        self._port = int(address[1])
        return self

    async def stop(self) -> None:
        """Stop serving and close every connection. Safe to call more than once."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        if self._stopping is not None:
            self._stopping.set()
        if self._gate is not None:
            self._gate.set()
        for _, waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()
        self._waiters.clear()
        await runner.cleanup()

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
        return self._runner is not None

    @property
    def port(self) -> int:
        """The TCP port the fake listens on."""
        if self._port is None or self._runner is None:
            raise RuntimeError("the fake is not running; call start() or use 'async with'")
        return self._port

    @property
    def url(self) -> str:
        """The base URL including the ``/v2`` prefix, e.g. ``http://127.0.0.1:PORT/v2``."""
        return f"http://127.0.0.1:{self.port}{_PREFIX}"

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

    # ------------------------------------------------------------------ knobs

    @property
    def latency(self) -> float:
        """Seconds of real time added before every response (settable at any time)."""
        return self._latency

    @latency.setter
    def latency(self, value: float) -> None:
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError("latency must be a finite, non-negative number of seconds")
        self._latency = float(value)

    @property
    def ignore_page_number(self) -> bool:
        """Paging bug mode: every list serves page 1 and reports ``page_number`` 1."""
        return self._api.ignore_page_number

    @ignore_page_number.setter
    def ignore_page_number(self, value: bool) -> None:
        self._api.ignore_page_number = bool(value)

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
        if rate_per_second is None:
            self._bucket = None
            return
        if not math.isfinite(rate_per_second) or rate_per_second <= 0:
            raise ValueError("rate_per_second must be a positive number")
        size = burst if burst is not None else max(1, math.ceil(rate_per_second))
        if not isinstance(size, int) or size < 1:
            raise ValueError("burst must be an int >= 1")
        self._bucket = _TokenBucket(self._clock, float(rate_per_second), size, retry_after)

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
        if route is not None and route not in {r.template for r in self._api.routes}:
            raise ValueError(f"{route!r} is not a path template of the API")
        if path is not None and _under_prefix(path):
            path = path[len(_PREFIX) :] or "/"
        for fault in faults:
            if not isinstance(fault, Fault):
                raise TypeError(f"expected Fault, got {type(fault).__name__}")
            self._faults.append(
                _QueuedFault(fault, method.upper() if method else None, route, path)
            )

    def hold(self) -> None:
        """Keep every request that arrives from now on waiting until :meth:`release`.

        Held requests are recorded and count in :attr:`in_flight`; with
        :meth:`wait_in_flight` this makes concurrency tests deterministic.
        """
        self._held = True
        if self._gate is not None:
            self._gate.clear()

    def release(self) -> None:
        """Let held requests (and later ones) proceed."""
        self._held = False
        if self._gate is not None:
            self._gate.set()

    async def wait_in_flight(self, count: int, timeout: float = 5.0) -> None:
        """Wait until at least ``count`` requests are being handled at once.

        Raises :class:`TimeoutError` after ``timeout`` seconds.
        """
        await self._wait_until(
            lambda: self.in_flight >= count, timeout, f"{count} request(s) in flight"
        )

    async def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until no request is being handled (e.g. after a client gave up on one).

        Raises :class:`TimeoutError` after ``timeout`` seconds.
        """
        await self._wait_until(lambda: self.in_flight == 0, timeout, "no request in flight")

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        if predicate():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (predicate, waiter)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(waiter, timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(
                f"waited {timeout}s for {what}; {self.in_flight} in flight"
            ) from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    def _wake_waiters(self) -> None:
        for predicate, waiter in self._waiters:
            if not waiter.done() and predicate():
                waiter.set_result(None)

    @property
    def pending_faults(self) -> int:
        """How many queued faults have not been used yet."""
        return len(self._faults)

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        self._faults.clear()

    def reset_requests(self) -> None:
        """Forget recorded requests and zero the traffic counters.

        Clears :attr:`requests` and resets :attr:`rate_limited_count`,
        :attr:`idempotency_replays` and :attr:`max_in_flight` (to the current
        :attr:`in_flight`). State (assistants, tests, ...) is kept.
        """
        self.requests.clear()
        self.rate_limited_count = 0
        self.idempotency_replays = 0
        self.max_in_flight = self.in_flight

    # ------------------------------------------------------------------ state: seeding and views

    @property
    def assistants(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every assistant (main version, wire format), by id."""
        return {aid: self._api.render_assistant(a) for aid, a in self._api.assistants.items()}

    @property
    def tests(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every test (wire format), by ``test_id``."""
        return copy.deepcopy(self._api.tests)

    @property
    def runs(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every test run as it looks now on the clock, by ``run_id``."""
        return {rid: self._api.render_run(r) for rid, r in self._api.runs.items()}

    @property
    def tools(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every shared tool (``/ai/tools``), by id."""
        return copy.deepcopy(self._api.tools)

    @property
    def mcp_servers(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every MCP server, by id."""
        return copy.deepcopy(self._api.mcp_servers)

    @property
    def integrations(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the integration catalogue, by id."""
        return copy.deepcopy(self._api.integrations)

    @property
    def connections(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the integration connections, by id."""
        return copy.deepcopy(self._api.connections)

    @property
    def scheduled_events(self) -> dict[str, dict[str, Any]]:
        """Snapshot of every scheduled event, by ``scheduled_event_id``."""
        return copy.deepcopy(self._api.events)

    @property
    def canary_deploys(self) -> dict[str, dict[str, Any]]:
        """Snapshot of the canary deploys, by assistant id."""
        return copy.deepcopy(self._api.canaries)

    def add_assistant(self, **fields: Any) -> dict[str, Any]:
        """Create an assistant directly (no HTTP) and return its wire form.

        ``fields`` are request-shaped (``name``, ``instructions``, ``model``,
        ``tags``, ...); ``name`` and ``instructions`` get defaults. An ``id`` may
        be given to pin the id.
        """
        fields.setdefault("name", f"Assistant {len(self._api.assistants) + 1}")
        fields.setdefault("instructions", "You are a helpful assistant.")
        return self._api.render_assistant(self._api.new_assistant(fields))

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
        if rubric is None:
            rubric = [{"name": "Helpful", "criteria": "The assistant answers the question asked."}]
        if "destination" not in fields:
            first = next(iter(self._api.assistants), None)
            fields["destination"] = first if first is not None else "+15550100000"
        fields.setdefault("instructions", f"Act as a customer and check: {name}.")
        body = {"name": name, "rubric": [dict(item) for item in rubric], **fields}
        if test_suite is not None:
            body["test_suite"] = test_suite
        behaviour = _behaviour(outcome, duration, start_delay, detail)
        return copy.deepcopy(self._api.new_test(body, behaviour))

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
        if test_id not in self._api.tests:
            raise KeyError(f"unknown test id {test_id!r}")
        current = self._api.behaviour.setdefault(test_id, TestBehaviour())
        self._api.behaviour[test_id] = _behaviour(
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
        if type == "webhook" and "webhook" not in fields:
            fields["webhook"] = {
                "name": display_name.lower().replace(" ", "_"),
                "description": display_name,
                "url": "https://example.com/webhook",
                "method": "POST",
            }
        return copy.deepcopy(
            self._api.new_tool({"display_name": display_name, "type": type, **fields})
        )

    def add_mcp_server(
        self, name: str, url: str, type: str = "http", **fields: Any
    ) -> dict[str, Any]:
        """Create an MCP server directly and return its wire form."""
        return copy.deepcopy(
            self._api.new_mcp_server({"name": name, "url": url, "type": type, **fields})
        )

    def add_integration(self, name: str, **fields: Any) -> dict[str, Any]:
        """Add an integration to the catalogue and return it."""
        return copy.deepcopy(self._api.add_integration(name=name, **fields))

    def add_connection(
        self, integration_id: str, *, allowed_tools: Sequence[str] = (), **fields: Any
    ) -> dict[str, Any]:
        """Connect an integration and return the connection."""
        return copy.deepcopy(
            self._api.add_connection(integration_id, allowed_tools=allowed_tools, **fields)
        )

    def seed_demo(self) -> None:
        """Load a small demo world.

        One assistant ("Demo support agent") with a webhook tool attached, and a
        test suite ``demo`` of six tests against it: four pass and two fail
        (each on one rubric item), all finishing within 0.2-1.5 s of being
        triggered. The integration catalogue and two connections are always
        present.
        """
        tool = self.add_tool(
            "Order lookup",
            webhook={
                "name": "order_lookup",
                "description": "Find an order by its number.",
                "url": "https://example.com/orders/lookup",
                "method": "POST",
            },
        )
        assistant = self.add_assistant(
            name="Demo support agent",
            instructions=(
                "You are the support agent of an online shop. Help customers with orders, "
                "returns and delivery questions. Be brief and friendly."
            ),
            greeting="Hi! How can I help you with your order today?",
            tags=["demo", "support"],
            tool_ids=[tool["id"]],
            enabled_features=["messaging"],
        )
        polite = {"name": "Polite", "criteria": "The assistant is courteous throughout."}
        cases: list[tuple[str, str, str, float, str | None]] = [
            ("Greets the customer", "Says hello and offers help.", "passed", 0.2, None),
            (
                "Looks up an order",
                "Asks for the order number and reports its status.",
                "passed",
                0.6,
                None,
            ),
            ("Explains the return policy", "States the 30-day return window.", "passed", 0.9, None),
            ("Hands over to a human", "Offers a human agent when asked.", "passed", 1.2, None),
            (
                "Handles a refund request",
                "Confirms the refund amount before acting.",
                "failed",
                1.5,
                "Accurate",
            ),
            ("Stays on topic", "Declines unrelated requests politely.", "failed", 0.4, "Polite"),
        ]
        for name, criteria, outcome, duration, failing in cases:
            rubric = [{"name": "Accurate", "criteria": criteria}, polite]
            self.add_test(
                name,
                test_suite="demo",
                rubric=rubric,
                outcome=outcome,
                duration=duration,
                detail={failing: "failed"} if failing else None,
                destination=assistant["id"],
                instructions=f"Play a customer. Scenario: {name.lower()}.",
                max_duration_seconds=120,
            )

    # ------------------------------------------------------------------ HTTP plumbing

    async def _pause(self, seconds: float) -> bool:
        """Wait ``seconds`` of real time; False when the fake is stopping."""
        stopping = self._stopping
        if stopping is None or stopping.is_set():
            return False
        if seconds <= 0:
            return True
        try:
            await asyncio.wait_for(stopping.wait(), seconds)
        except asyncio.TimeoutError:
            return True
        return False

    def _take_fault(self, rec: RecordedRequest) -> Fault | None:
        for i, queued in enumerate(self._faults):
            if queued.matches(rec):
                del self._faults[i]
                return queued.fault
        return None

    def _record(self, request: web.Request, body: bytes) -> tuple[RecordedRequest, list[str]]:
        raw_full = request.rel_url.raw_path
        raw = raw_full[len(_PREFIX) :] if _under_prefix(raw_full) else raw_full
        parts = [unquote(p) for p in raw.strip("/").split("/")] if raw.strip("/") else []
        try:
            parsed: Any = json.loads(body) if body.strip() else None
        except ValueError:
            parsed = None
        rec = RecordedRequest(
            method=request.method.upper(),
            path="/" + "/".join(parts),
            raw_path=raw,
            target=request.raw_path,
            route=self._route_template(request.method.upper(), parts)
            if _under_prefix(raw_full)
            else None,
            query=[(k, v) for k, v in request.rel_url.query.items()],
            headers=HeaderDict(request.headers.items()),
            body=body,
            json=parsed,
            received_at=self._clock.now(),
        )
        self.requests.append(rec)
        return rec, parts if _under_prefix(raw_full) else []

    def _route_template(self, method: str, parts: list[str]) -> str | None:
        route, _, _ = self._api.resolve(method, parts)
        return route.template if route is not None else self._api.template_for(parts)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        rec: RecordedRequest | None = None
        try:
            body = await request.read()
            rec, parts = self._record(request, body)
            self._wake_waiters()
            if self._gate is not None and not self._gate.is_set():
                await self._gate.wait()
            fault = self._take_fault(rec)
            if fault is not None:
                rec.fault = fault.describe()
            if self._stopping is None or self._stopping.is_set():
                return _drop(request)
            if self._latency > 0 and not await self._pause(self._latency):
                return _drop(request)
            while fault is not None and fault.kind == "delay":
                if not await self._pause(fault.seconds):
                    return _drop(request)
                fault = fault.then
            if fault is not None:
                return await self._serve_fault(fault, request, rec, parts)
            reply = self._answer(request, rec, parts)
            return self._finish(reply, rec)
        finally:
            self.in_flight -= 1
            if rec is not None:
                rec.completed = True
            self._wake_waiters()

    def _finish(self, reply: Reply, rec: RecordedRequest) -> web.Response:
        raw, headers = self._record_reply(reply, rec)
        return web.Response(
            status=reply.status, body=raw if reply.status != 204 else None, headers=dict(headers)
        )

    def _record_reply(self, reply: Reply, rec: RecordedRequest) -> tuple[bytes, HeaderDict]:
        """Encode ``reply``, work out its headers and note both on ``rec``."""
        raw = reply.encode()
        headers = HeaderDict({"x-request-id": str(uuid.uuid4())})
        if self._bucket is not None and reply.status != 429:
            headers.update(self._bucket.headers())
        headers.update({k.lower(): v for k, v in reply.headers.items()})
        if reply.content_type is not None and reply.status != 204:
            headers["content-type"] = reply.content_type
        rec.status = reply.status
        rec.response_body = raw
        rec.response_headers = headers
        rec.response_json = _maybe_json(raw, reply.content_type)
        return raw, headers

    async def _trickle(
        self, fault: Fault, request: web.Request, rec: RecordedRequest, parts: list[str]
    ) -> web.StreamResponse:
        """The real answer, headers at once, then the body in pieces with pauses between."""
        reply = self._answer(request, rec, parts)
        raw, headers = self._record_reply(reply, rec)
        headers.pop("content-length", None)
        stream = web.StreamResponse(status=reply.status, headers=dict(headers))
        stream.content_length = len(raw)
        pause = fault.seconds / max(fault.chunks, 1)
        step = max(1, -(-len(raw) // max(fault.chunks, 1)))
        try:
            await stream.prepare(request)
            for start in range(0, len(raw), step):
                if not await self._pause(pause):
                    if request.transport is not None:
                        request.transport.close()
                    return stream
                await stream.write(raw[start : start + step])
            await stream.write_eof()
        except ConnectionError:
            # The client gave up part-way through (that is the point of this fault).
            pass
        return stream

    async def _serve_fault(
        self, fault: Fault, request: web.Request, rec: RecordedRequest, parts: list[str]
    ) -> web.StreamResponse:
        if fault.kind == "drop":
            return _drop(request)
        if fault.kind == "status":
            status = fault.status_code or 500
            if fault.body is not None:
                reply = Reply(
                    status,
                    raw=fault.body,
                    content_type=fault.content_type,
                    headers=dict(fault.headers),
                )
            elif status >= 400:
                reply = Reply(
                    status,
                    _default_error(status),
                    content_type=fault.content_type or "application/json",
                    headers=dict(fault.headers),
                )
            else:
                reply = Reply(
                    status, raw=b"", content_type=fault.content_type, headers=dict(fault.headers)
                )
            return self._finish(reply, rec)
        if fault.kind == "trickle":
            return await self._trickle(fault, request, rec, parts)
        if fault.kind == "slow_response":
            reply = self._answer(request, rec, parts)
            if not await self._pause(fault.seconds):
                return _drop(request)
            return self._finish(reply, rec)
        if fault.kind == "malformed":
            status = fault.status_code or 200
            text = (
                b'{"errors": [{"code": "10007", "title": "Unexp'
                if status >= 400
                else b'{"data": {"id": "4f1c'
            )
            reply = Reply(status, raw=text, content_type="application/json")
            answer = self._finish(reply, rec)
            rec.response_json = None
            return answer
        # reset_mid_body: the status line, headers and half of a body, then the connection is closed
        status = fault.status_code or 200
        full = json.dumps(
            {"data": [{"id": str(uuid.uuid4()), "note": "x" * 512} for _ in range(4)]}
        ).encode()
        part = full[: len(full) // 2]
        stream = web.StreamResponse(status=status, headers={"x-request-id": str(uuid.uuid4())})
        stream.content_type = "application/json"
        stream.content_length = len(full)
        await stream.prepare(request)
        await stream.write(part)
        rec.status = status
        rec.response_body = part
        rec.response_headers = HeaderDict(stream.headers.items())
        if request.transport is not None:
            request.transport.close()
        return stream

    def _authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode(), self._api_key.encode())

    def _answer(self, request: web.Request, rec: RecordedRequest, parts: list[str]) -> Reply:
        try:
            if not self._authorized(request):
                raise ApiError(401, telnyx_error(401))
            if self._bucket is not None and not self._bucket.take():
                self.rate_limited_count += 1
                headers = self._bucket.headers()
                if self._bucket.retry_after:
                    headers["Retry-After"] = headers["x-ratelimit-reset"]
                raise ApiError(429, telnyx_error(429), headers)
            if rec.route is None:
                raise FakeAPI.unknown_path()
            route, params, allowed = self._api.resolve(rec.method, parts)
            if route is None:
                raise ApiError(405, telnyx_error(405), {"Allow": ", ".join(allowed)})
            stored_key = self._idempotency_key(route, rec)
            if stored_key is not None:
                stored = self._idempotency.get(stored_key[0])
                if stored is not None:
                    return self._replay(stored, stored_key[1], rec)
            call = Call(
                method=rec.method,
                route=route.template,
                params=params,
                query=rec.query,
                body=self._parse_body(route, rec.body),
                headers=rec.headers,
            )
            reply = route.handler(call)
            if stored_key is not None and 200 <= reply.status < 300:
                self._idempotency[stored_key[0]] = _Stored(
                    fingerprint=stored_key[1],
                    status=reply.status,
                    body=reply.encode(),
                    content_type=reply.content_type,
                    headers=dict(reply.headers),
                )
            return reply
        except ApiError as err:
            return Reply(err.status, err.body, headers=err.headers)

    def _idempotency_key(
        self, route: Route, rec: RecordedRequest
    ) -> tuple[str, tuple[str, str, str]] | None:
        if not route.idempotent:
            return None
        key = rec.headers.get("Idempotency-Key")
        if key is None:
            return None
        if not _IDEMPOTENCY_KEY_RE.match(key):
            raise ApiError.invalid(
                problem(
                    "string_pattern_mismatch",
                    ("header", "Idempotency-Key"),
                    "String should match pattern '^[A-Za-z0-9_:-]{1,255}$'",
                    key,
                    ctx={"pattern": "^[A-Za-z0-9_:-]{1,255}$"},
                )
            )
        if rec.json is not None:
            canonical = json.dumps(rec.json, sort_keys=True, separators=(",", ":"))
        else:
            canonical = rec.body.decode("utf-8", "replace").strip()
        return key, (rec.method, rec.path, canonical)

    def _replay(
        self, stored: _Stored, fingerprint: tuple[str, str, str], rec: RecordedRequest
    ) -> Reply:
        if stored.fingerprint != fingerprint:
            raise ApiError.invalid(
                problem(
                    "idempotency_key_reused",
                    ("header", "Idempotency-Key"),
                    "This Idempotency-Key was already used with a different request",
                    rec.headers.get("Idempotency-Key"),
                )
            )
        self.idempotency_replays += 1
        rec.replayed = True
        headers = dict(stored.headers)
        headers["Idempotent-Replayed"] = "true"
        return Reply(
            stored.status, raw=stored.body, content_type=stored.content_type, headers=headers
        )

    @staticmethod
    def _parse_body(route: Route, raw: bytes) -> Any:
        if route.body_schema is None:
            return None
        body = parse_json_body(raw, required=route.body_required)
        if body is None:
            return {}
        problems = check_body(BODY_RULES[route.body_schema], body)
        if problems:
            raise ApiError(422, fastapi_error(problems))
        return body


def _under_prefix(raw_path: str) -> bool:
    return raw_path == _PREFIX or raw_path.startswith(_PREFIX + "/")


def _drop(request: web.Request) -> web.Response:
    """Close the connection; the returned response is never written."""
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=503)


def _maybe_json(raw: bytes, content_type: str | None) -> Any:
    if not raw or content_type is None or "json" not in content_type:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _default_error(status: int) -> Any:
    if status == 422:
        return fastapi_error(
            [problem("value_error", ("body",), "Value error, the request is not valid", None)]
        )
    return telnyx_error(status)


def _behaviour(
    outcome: str, duration: float, start_delay: float, detail: Mapping[str, str] | None
) -> TestBehaviour:
    if not isinstance(outcome, str) or not outcome:
        raise ValueError("outcome must be a non-empty status string")
    for label, value in (("duration", duration), ("start_delay", start_delay)):
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{label} must be a finite, non-negative number of seconds")
    items = dict(detail or {})
    for name, status in items.items():
        if status not in _TERMINAL:
            raise ValueError(f"detail[{name!r}] must be 'passed' or 'failed', got {status!r}")
    if outcome == "passed" and "failed" in items.values():
        raise ValueError("a passing outcome cannot have failed rubric items")
    return TestBehaviour(
        outcome=outcome, duration=float(duration), start_delay=float(start_delay), detail=items
    )
