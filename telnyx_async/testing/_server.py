"""The fake's HTTP side: an aiohttp app whose router holds the route table.

Every route of ``_routes.py`` is registered on aiohttp's own router under
``/v2``. One middleware runs what happens around every request, matched or
not, in this order: record it, hold it (``hold()``), take its fault, add
latency, then check the API key and the rate limit, and only then let the
router's answer through (the route's endpoint, or a Telnyx-style 404/405).
An endpoint checks ``Idempotency-Key``, parses and checks the body against the
generated rules, and calls the handler.
"""

from __future__ import annotations

import asyncio
import hmac
import math
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from ._clock import Clock
from ._errors import ApiError, fastapi_error, telnyx_error
from ._exchange import Call, Reply, json_or_none
from ._fault_replies import FaultServing, drop
from ._faults import Fault
from ._idempotency import IdempotencyStore
from ._rate_limit import TokenBucket
from ._records import HeaderDict, RecordedRequest, Traffic
from ._routes import ROUTES, TEMPLATES, Route, specificity
from ._state import FakeState
from ._validation import check_body, parse_json_body

__all__ = ["PREFIX", "FakeServer", "under_prefix"]

PREFIX = "/v2"
"""The path every operation sits under."""

Endpoint = Callable[[web.Request], Awaitable[web.StreamResponse]]


def under_prefix(raw_path: str) -> bool:
    """Whether ``raw_path`` is ``/v2`` or below it."""
    return raw_path == PREFIX or raw_path.startswith(PREFIX + "/")


def _decoded_path(raw: str) -> str:
    """``/ai/x%2Fy`` -> ``/ai/x/y``: each segment percent-decoded."""
    parts = [unquote(p) for p in raw.strip("/").split("/")] if raw.strip("/") else []
    return "/" + "/".join(parts)


def _maybe_json(raw: bytes, content_type: str | None) -> Any:
    if not raw or content_type is None or "json" not in content_type:
        return None
    return json_or_none(raw)


@dataclass
class _QueuedFault:
    """A fault waiting for the next request that matches its filters."""

    fault: Fault
    method: str | None
    route: str | None
    path: str | None

    def matches(self, rec: RecordedRequest) -> bool:
        """Whether ``rec`` passes every filter this fault was queued with."""
        return (
            (self.method is None or self.method == rec.method)
            and (self.route is None or self.route == rec.route)
            and (self.path is None or self.path == rec.path)
        )


class FakeServer:
    """Serves a :class:`FakeState` over HTTP on 127.0.0.1, with faults, limits and a log."""

    def __init__(self, *, api_key: str, clock: Clock, state: FakeState, traffic: Traffic) -> None:
        """A stopped server accepting ``api_key``; requests are logged in ``traffic``."""
        self._api_key = api_key
        self._clock = clock
        self._state = state
        self.traffic = traffic
        self.latency = 0.0
        """Seconds of real time added before every response (checked by FakeTelnyx)."""
        self.bucket: TokenBucket | None = None
        """The rate limiter, when one is set."""
        self._faults: list[_QueuedFault] = []
        self._idempotency = IdempotencyStore()
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None
        self._released: asyncio.Event | None = None  # set while requests may go ahead
        self._held = False
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    def _app(self) -> web.Application:
        @web.middleware
        async def around_every_request(
            request: web.Request, handler: Endpoint
        ) -> web.StreamResponse:
            """Everything around a request, matched or not (see the module's docstring)."""
            return await self._serve(request, handler)

        app = web.Application(client_max_size=16 * 1024 * 1024, middlewares=[around_every_request])
        for template in dict.fromkeys(r.template for r in ROUTES):  # one resource per template
            for route in ROUTES:
                if route.template == template:
                    app.router.add_route(route.method, PREFIX + template, self._endpoint(route))
        return app

    async def start(self) -> int:
        """Start serving on 127.0.0.1 at a free port and return the port."""
        if self._runner is not None and self._port is not None:
            return self._port
        runner = web.AppRunner(
            self._app(), access_log=None, handler_cancellation=True, shutdown_timeout=5.0
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._stopping = asyncio.Event()
        self._released = asyncio.Event()
        if not self._held:
            self._released.set()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self._port

    async def stop(self) -> None:
        """Stop serving and close every connection; safe to call more than once."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        if self._stopping is not None:
            self._stopping.set()
        if self._released is not None:
            self._released.set()
        for _, waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()
        self._waiters.clear()
        await runner.cleanup()

    @property
    def runner(self) -> web.AppRunner | None:
        """The aiohttp runner while serving, else ``None``."""
        return self._runner

    @property
    def port(self) -> int | None:
        """The port while serving, else ``None``."""
        return self._port if self._runner is not None else None

    # ------------------------------------------------------------------ knobs

    def set_rate_limit(self, rate: float | None, burst: int | None, retry_after: bool) -> None:
        """Limit requests with a token bucket on the clock; ``rate=None`` removes it."""
        if rate is None:
            self.bucket = None
            return
        if not math.isfinite(rate) or rate <= 0:
            raise ValueError("rate_per_second must be a positive number")
        size = burst if burst is not None else max(1, math.ceil(rate))
        if not isinstance(size, int) or size < 1:
            raise ValueError("burst must be an int >= 1")
        self.bucket = TokenBucket(self._clock, float(rate), size, retry_after)

    def enqueue(
        self, faults: tuple[Fault, ...], method: str | None, route: str | None, path: str | None
    ) -> None:
        """Queue ``faults`` for the next requests matching the filters (see FakeTelnyx)."""
        if route is not None and route not in TEMPLATES:
            raise ValueError(f"{route!r} is not a path template of the API")
        if path is not None and under_prefix(path):
            path = path[len(PREFIX) :] or "/"
        for fault in faults:
            if not isinstance(fault, Fault):
                raise TypeError(f"expected Fault, got {type(fault).__name__}")
            self._faults.append(
                _QueuedFault(fault, method.upper() if method else None, route, path)
            )

    @property
    def pending_faults(self) -> int:
        """How many queued faults have not been used yet."""
        return len(self._faults)

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        self._faults.clear()

    def hold(self) -> None:
        """Keep requests arriving from now on waiting until :meth:`release`."""
        self._held = True
        if self._released is not None:
            self._released.clear()

    def release(self) -> None:
        """Let held requests (and later ones) go ahead."""
        self._held = False
        if self._released is not None:
            self._released.set()

    async def wait_until(self, predicate: Callable[[], bool], deadline: float, what: str) -> None:
        """Return once ``predicate()`` holds; :class:`TimeoutError` after ``deadline`` seconds."""
        if predicate():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (predicate, waiter)
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(waiter, deadline)
        except asyncio.TimeoutError:
            raise TimeoutError(
                f"waited {deadline}s for {what}; {self.traffic.in_flight} in flight"
            ) from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    def _wake_waiters(self) -> None:
        for predicate, waiter in self._waiters:
            if not waiter.done() and predicate():
                waiter.set_result(None)

    # ------------------------------------------------------------------ around every request

    async def _serve(self, request: web.Request, handler: Endpoint) -> web.StreamResponse:
        traffic = self.traffic
        traffic.in_flight += 1
        traffic.max_in_flight = max(traffic.max_in_flight, traffic.in_flight)
        rec: RecordedRequest | None = None
        try:
            route = await self._template_of(request)
            rec = self._record(request, await request.read(), route)
            self._wake_waiters()
            if self._released is not None and not self._released.is_set():
                await self._released.wait()
            fault = self._take_fault(rec)
            if fault is not None:
                rec.fault = fault.describe()
            if self._stopping is None or self._stopping.is_set():
                return drop(request)
            if self.latency > 0 and not await self._pause(self.latency):
                return drop(request)
            while fault is not None and fault.kind == "delay":
                if not await self._pause(fault.seconds):
                    return drop(request)
                fault = fault.then
            answered = rec

            async def answer() -> web.Response:
                """The real answer to this request (faults may call it, or not)."""
                return await self._answer(request, handler, answered)

            if fault is not None:
                serving = FaultServing(answer, self._finish, self._pause)
                return await serving.serve(fault, request, rec)
            return await answer()
        finally:
            traffic.in_flight -= 1
            if rec is not None:
                rec.completed = True
            self._wake_waiters()

    async def _template_of(self, request: web.Request) -> str | None:
        """The template the router matched; for a 405, the most specific one the path fits."""
        if not under_prefix(request.rel_url.raw_path):
            return None
        info = request.match_info
        error = info.http_exception
        if error is None:
            resource = info.route.resource
            return resource.canonical[len(PREFIX) :] if resource is not None else None
        if not isinstance(error, web.HTTPMethodNotAllowed):
            return None
        fitting: list[str] = []
        for method in sorted(error.allowed_methods):
            other = await request.app.router.resolve(request.clone(method=method))
            resource = other.route.resource if other.http_exception is None else None
            if resource is not None:
                fitting.append(resource.canonical[len(PREFIX) :])
        return max(fitting, key=specificity) if fitting else None

    def _record(self, request: web.Request, body: bytes, route: str | None) -> RecordedRequest:
        raw_full = request.rel_url.raw_path
        raw = raw_full[len(PREFIX) :] if under_prefix(raw_full) else raw_full
        parsed = json_or_none(body)
        rec = RecordedRequest(
            method=request.method.upper(),
            path=_decoded_path(raw),
            raw_path=raw,
            target=request.raw_path,
            route=route,
            query=list(request.rel_url.query.items()),
            headers=HeaderDict(request.headers.items()),
            body=body,
            json=parsed,
            received_at=self._clock.now(),
        )
        self.traffic.requests.append(rec)
        return rec

    def _take_fault(self, rec: RecordedRequest) -> Fault | None:
        for i, queued in enumerate(self._faults):
            if queued.matches(rec):
                del self._faults[i]
                return queued.fault
        return None

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

    def _authorized(self, request: web.Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode(), self._api_key.encode())

    async def _answer(
        self, request: web.Request, handler: Endpoint, rec: RecordedRequest
    ) -> web.Response:
        """The real answer: key and rate limit first, then the router's endpoint (or 404/405)."""
        try:
            if not self._authorized(request):
                raise ApiError(401, telnyx_error(401))
            bucket = self.bucket
            if bucket is not None and not bucket.take():
                self.traffic.rate_limited_count += 1
                headers = bucket.headers()
                if bucket.retry_after:
                    headers["Retry-After"] = headers["x-ratelimit-reset"]
                raise ApiError(429, telnyx_error(429), headers)
            response = await handler(request)
        except web.HTTPMethodNotAllowed as exc:
            allowed = ", ".join(sorted(exc.allowed_methods))
            return self._finish(Reply(405, telnyx_error(405), headers={"Allow": allowed}), rec)
        except web.HTTPNotFound:
            return self._finish(Reply(404, telnyx_error(404, "No route matches this path.")), rec)
        except ApiError as err:
            return self._finish(Reply(err.status, err.body, headers=err.headers), rec)
        assert isinstance(response, web.Response)  # every endpoint renders a Reply
        self._note(response, rec)
        rec.replayed = "Idempotent-Replayed" in response.headers
        return response

    # ------------------------------------------------------------------ endpoints and replies

    def _endpoint(self, route: Route) -> Endpoint:
        async def endpoint(request: web.Request) -> web.StreamResponse:
            """What aiohttp's router calls for ``route``."""
            return self._render(await self._dispatch(route, request))

        return endpoint

    async def _dispatch(self, route: Route, request: web.Request) -> Reply:
        """Idempotency, body checks and the handler, for a request the router gave ``route``."""
        raw = await request.read()
        method = request.method.upper()
        headers = HeaderDict(request.headers.items())
        key = IdempotencyStore.key_of(headers) if route.idempotent else None
        fingerprint = None
        if key is not None:
            path = _decoded_path(request.rel_url.raw_path[len(PREFIX) :])
            fingerprint = IdempotencyStore.fingerprint(method, path, raw)
            stored = self._idempotency.replay(key, fingerprint)
            if stored is not None:
                self.traffic.idempotency_replays += 1
                return stored
        call = Call(
            method=method,
            route=route.template,
            params=dict(request.match_info),
            query=list(request.rel_url.query.items()),
            body=_checked_body(route, raw),
            headers=headers,
        )
        reply = route.handler(self._state, call)
        if key is not None and fingerprint is not None:
            self._idempotency.keep(key, fingerprint, reply)
        return reply

    def _render(self, reply: Reply) -> web.Response:
        """The HTTP response for ``reply``, with a request id and the rate-limit headers."""
        headers = HeaderDict({"x-request-id": str(uuid.uuid4())})
        if self.bucket is not None and reply.status != 429:
            headers.update(self.bucket.headers())
        headers.update({k.lower(): v for k, v in reply.headers.items()})
        if reply.content_type is not None and reply.status != 204:
            headers["content-type"] = reply.content_type
        raw = reply.encode()
        return web.Response(
            status=reply.status, body=raw if reply.status != 204 else None, headers=dict(headers)
        )

    def _finish(self, reply: Reply, rec: RecordedRequest) -> web.Response:
        """Render ``reply`` and record it as the answer to ``rec``."""
        response = self._render(reply)
        self._note(response, rec)
        return response

    @staticmethod
    def _note(response: web.Response, rec: RecordedRequest) -> None:
        """Record on ``rec`` what ``response`` sends."""
        body = response.body
        raw = bytes(body) if isinstance(body, bytes | bytearray) else b""
        rec.status = response.status
        rec.response_body = raw
        rec.response_headers = HeaderDict(response.headers.items())
        rec.response_json = _maybe_json(raw, rec.response_headers.get("content-type"))


def _checked_body(route: Route, raw: bytes) -> Any:
    """The JSON body checked against the spec's rules; ``None`` for operations without one."""
    body_spec = route.body
    if body_spec is None:
        return None
    body = parse_json_body(raw, required=body_spec.required)
    if body is None:
        return {}
    problems = check_body(body_spec.rule, body)
    if problems:
        raise ApiError(422, fastapi_error(problems))
    return body
