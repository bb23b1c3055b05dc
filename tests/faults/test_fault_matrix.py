"""The fault matrix: every operation of the registry x every way a server or network can fail.

For each case the call must end in a correct result or in a typed SDK error
(a ``TelnyxError`` subclass) -- the one the table below predicts -- and:

* never a raw aiohttp/asyncio/json/cattrs exception;
* never a hang: the call runs under ``asyncio.wait_for`` with a bound past the
  SDK's own deadline, and the SDK's answer must come first;
* never a connection left acquired in the pool, never an unclosed session
  (``ResourceWarning`` is an error in the pytest configuration);
* never a second copy of a request the server may have acted on when that is
  unsafe (a POST/PATCH without ``Idempotency-Key``): such a route sees at most
  one request that was not answered 429;
* never the ``Authorization`` header on another host (a second local server
  is the target of the redirect cases);
* never the key anywhere reachable from the error (its text, repr, traceback,
  chained causes and contexts, their args and attributes: ``_walk.py``).

Dates in ``Retry-After``/``x-ratelimit-reset`` come from servers whose clock
runs an hour ahead or behind ("server clock"). A further table of cases
(``test_bad_header_inputs_...``) passes every operation header-like inputs
that cannot be sent: each must be a ``ValueError`` before anything is sent.

Retry waits go through a recorder instead of being slept; the waits chosen are
checked against what each fault asked for. The timeout cases use a 0.5 s
per-attempt timeout (or deadline) and run for all 56 operations at once, each
with its own client and route, so they cost half a second per fault, not per
case. One FakeTelnyx (plus the redirect target) serves the whole module;
objects that an operation uses up are rebuilt per case.
Each case's outcome goes into the reliability report (see ``conftest.py``).
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import socket
import time
import types
import typing
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio
from surface import OPERATIONS, Operation, resolve, return_type

from telnyx_async import (
    AsyncPager,
    AsyncTelnyx,
    Page,
    TelnyxError,
    Timeout,
)
from telnyx_async.testing import FakeTelnyx, Fault, RecordedRequest

from ._walk import find_secrets
from ._world import DESTRUCTIVE, build_world
from .test_arguments import _registry_call

pytestmark = pytest.mark.asyncio(loop_scope="module")

OpKey = tuple[str, str]

AUTO_KEY = frozenset(
    {
        ("POST", "/ai/assistants/tests"),
        ("POST", "/ai/assistants/tests/{test_id}/runs"),
        ("POST", "/ai/assistants/tests/test-suites/{suite_name}/runs"),
        ("POST", "/ai/assistants/{assistant_id}/canary-deploys"),
    }
)
"""POSTs the SDK sends with a generated ``Idempotency-Key`` (checked in every case)."""

REPLAY_SAFE_METHODS = frozenset({"GET", "PUT", "DELETE"})

TEXT_OPS = frozenset({("POST", "/ai/assistants/{assistant_id}/instructions/enhance")})
"""Operations answering ``text/plain``: the body is returned as it came."""

MAX_RETRIES = 2
BACKOFF_CAP = 0.5 * 2 ** (MAX_RETRIES - 1)  # RetryConfig's initial_delay doubling
NORMAL = Timeout(total=10.0, connect=5.0, deadline=90.0)
"""Per-attempt limits for most cases; the deadline leaves room for a 60 s Retry-After."""
SHORT = Timeout(total=0.5, connect=2.0, deadline=5.0)
"""For the read-timeout cases: an attempt gives up after 500 ms."""
HANG = Timeout(total=None, connect=2.0, deadline=0.5)
"""No per-attempt limit at all: only the call's deadline can end a hung request."""
MARGIN = 5.0
"""How far past the SDK's deadline ``asyncio.wait_for`` waits before calling it a hang."""
MATRIX_KEY = "sk-matrix-5e0b7f3a91c4d268"
"""The key every matrix client sends; nothing reachable from an error may show it."""


# ---------------------------------------------------------------- the operations


@dataclass(frozen=True)
class Op:
    key: OpKey
    op: Operation

    @property
    def method(self) -> str:
        return self.key[0]

    @property
    def route(self) -> str:
        return self.key[1]

    @property
    def keyed(self) -> bool:
        return self.key in AUTO_KEY

    @property
    def replay_safe(self) -> bool:
        return self.method in REPLAY_SAFE_METHODS or self.keyed

    @property
    def decode(self) -> str:
        """How a 2xx body is read: model, pager, json (free-form dict), text or none."""
        if self.key in TEXT_OPS:
            return "text"
        if self.op.returns == "None":
            return "none"
        if self.op.returns.startswith("AsyncPager["):
            return "pager"
        if self.op.returns == "dict[str, Any]":
            return "json"
        return "model"

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"


OPS = [Op(key, op) for key, op in OPERATIONS.items()]


# ---------------------------------------------------------------- what each fault should do


@dataclass(frozen=True)
class Expect:
    outcome: str
    """``"ok"`` or the name of the SDK error class."""
    requests: int | None
    """Requests the fake must have received for the operation (``None``: at least one)."""
    waits: Callable[[list[float]], bool] = lambda waits: waits == []
    """A check of the retry waits that were chosen."""
    waits_text: str = "no wait"


def _approx(value: float, tol: float = 0.01) -> Callable[[list[float]], bool]:
    return lambda waits: len(waits) == 1 and abs(waits[0] - value) <= tol


def _between(low: float, high: float, count: int = 1) -> Callable[[list[float]], bool]:
    return lambda waits: len(waits) == count and all(low <= w <= high for w in waits)


def retried_after(wait: Callable[[list[float]], bool], text: str) -> Callable[[Op], Expect]:
    """429: every method is retried (the server did nothing), after the wait it asked for."""
    return lambda op: Expect("ok", 2, wait, text)


def replayed_if_safe(error: str) -> Callable[[Op], Expect]:
    """Retried (and then fine) when a replay is safe; else the error, after exactly one request."""

    def expect(op: Op) -> Expect:
        if op.replay_safe:
            return Expect("ok", 2, _between(0.0, 0.5), "backoff <= 0.5s")
        return Expect(error, 1)

    return expect


def dropped(op: Op) -> Expect:
    """A connection closed before any response byte.

    aiohttp itself resends GET/PUT/DELETE once, at once, on a server
    disconnect (RFC 9112 section 9.3.1.1), before our retry policy sees
    anything: so those succeed on the second request with no wait recorded.
    A keyed POST is retried by our policy (after a backoff); an unkeyed one
    is not retried at all.
    """
    if op.method in REPLAY_SAFE_METHODS:
        return Expect("ok", 2)
    if op.keyed:
        return Expect("ok", 2, _between(0.0, 0.5), "backoff <= 0.5s")
    return Expect("APIConnectionError", 1)


GONE_ON_REPEAT = DESTRUCTIVE - {
    ("POST", "/ai/assistants/{assistant_id}/canary-deploys"),  # keyed: the retry is a replay
    ("DELETE", "/ai/assistants/{assistant_id}/tools/{tool_id}"),  # detaching twice is fine
}
"""Deletes whose second copy finds nothing left to delete (404)."""


def timed_out_if_unsafe(op: Op) -> Expect:
    # A retry after a short timeout may itself time out on a busy machine; allow
    # for that (at most max_retries + 1 attempts) instead of flaking.
    if op.replay_safe:
        return Expect(
            "ok", None, lambda w: 1 <= len(w) <= MAX_RETRIES and all(x <= BACKOFF_CAP for x in w),
            "1-2 backoffs",
        )
    return Expect("APITimeoutError", 1)


def lost_answer(op: Op) -> Expect:
    """The server did the work but the answer trickled in too slowly.

    A safe method is retried: a DELETE's retry then finds the object gone and
    raises ``NotFoundError`` -- the truthful answer to the request sent, which
    the SDK does not second-guess into a success. A 204 has no body to
    trickle: it arrives at once.
    """
    if op.decode == "none":
        return Expect("ok", 1)
    if op.key in GONE_ON_REPEAT:
        return Expect("NotFoundError", None, _between(0.0, 0.5), "backoff <= 0.5s")
    return timed_out_if_unsafe(op)


def undecodable(op: Op) -> Expect:
    """A 2xx whose body is not what the operation reads: a validation error, never retried."""
    if op.decode in ("none", "text"):
        return Expect("ok", 1)
    return Expect("APIResponseValidationError", 1)


def empty_body(op: Op) -> Expect:
    if op.decode in ("none", "text", "json"):
        return Expect("ok", 1)
    return Expect("APIResponseValidationError", 1)


def redirect(op: Op) -> Expect:
    # GET follows the redirect (without the key: the target answers 401); no
    # other method follows one: the 3xx itself is the answer.
    if op.method == "GET":
        return Expect("AuthenticationError", 1)
    return Expect("APIStatusError", 1)


def refused(op: Op) -> Expect:
    # Nothing was sent, so every method is retried; every attempt is refused.
    return Expect(
        "APIConnectionError", 0, _between(0.0, BACKOFF_CAP, MAX_RETRIES), "2 backoffs"
    )


@dataclass(frozen=True)
class Ctx:
    """What a fault may need to know when it is built."""

    other_url: str


@dataclass(frozen=True)
class FaultCase:
    name: str
    group: str
    build: Callable[[Ctx], list[Fault]]
    expect: Callable[[Op], Expect]
    timeout: Timeout = NORMAL
    refused: bool = False
    batch: bool = False
    """Run this fault for every operation at once (the slow, timeout-bound ones)."""
    note: str = ""


def _429(**headers: str) -> Callable[[Ctx], list[Fault]]:
    return lambda ctx: [Fault.status(429, headers=headers)]


def _http_date(offset: float) -> str:
    return email.utils.formatdate(time.time() + offset, usegmt=True)


HOUR = 3600.0


def _skewed(
    status: int, skew: float, *, retry_after: float | None = None,
    reset_epoch: float | None = None, reset_date: float | None = None,
) -> Callable[[Ctx], list[Fault]]:
    """An answer from a server whose clock is ``skew`` seconds off ours.

    It sends its own ``Date``; ``Retry-After`` and ``x-ratelimit-reset`` are
    that many seconds after it (as an HTTP-date, or a Unix time). Read against
    our clock they would mean an hour's wait (or none at all).
    """

    def build(ctx: Ctx) -> list[Fault]:
        server_now = float(int(time.time() + skew))
        headers = {"Date": email.utils.formatdate(server_now, usegmt=True)}
        if retry_after is not None:
            headers["Retry-After"] = email.utils.formatdate(server_now + retry_after, usegmt=True)
        if reset_epoch is not None:
            headers["x-ratelimit-reset"] = str(int(server_now + reset_epoch))
            headers["x-ratelimit-remaining"] = "0"
        if reset_date is not None:
            headers["x-ratelimit-reset"] = email.utils.formatdate(
                server_now + reset_date, usegmt=True
            )
            headers["x-ratelimit-remaining"] = "0"
        return [Fault.status(status, headers=headers)]

    return build


def replayed_after(wait: float, error: str) -> Callable[[Op], Expect]:
    """Retried after exactly the wait the server asked for, when a replay is safe."""

    def expect(op: Op) -> Expect:
        if op.replay_safe:
            return Expect("ok", 2, _approx(wait), f"{wait:g}s")
        return Expect(error, 1)

    return expect


DEEP = b"[" * 100_000 + b"]" * 100_000
"""200 KB of JSON nested 100,000 levels deep (served as octet-stream: FakeTelnyx
itself parses bodies labelled JSON; test_hostile_bodies.py sends it as JSON)."""


def redirect_loop(op: Op) -> Expect:
    # GET follows same-host redirects until aiohttp gives up (TooManyRedirects
    # after 10, 11 requests), then the retry gets the real answer; no other
    # method follows a redirect: the 3xx is the answer.
    if op.method == "GET":
        return Expect("ok", 12, _between(0.0, 0.5), "backoff <= 0.5s")
    return Expect("APIStatusError", 1)


BACKOFF = (_between(0.0, 0.5), "backoff <= 0.5s")

FAULTS: list[FaultCase] = [
    # ------------------------------------------------------------ 429 and its hints
    FaultCase("429 Retry-After: 2", "429", _429(**{"Retry-After": "2"}),
              retried_after(_approx(2.0), "2s")),
    FaultCase("429 Retry-After: 0.25", "429", _429(**{"Retry-After": "0.25"}),
              retried_after(_approx(0.25), "0.25s")),
    FaultCase("429 Retry-After: HTTP-date +20s", "429",
              lambda ctx: [Fault.status(429, headers={"Retry-After": _http_date(20)})],
              retried_after(_between(17.5, 21.0), "~20s")),
    FaultCase("429 Retry-After: HTTP-date in the past", "429",
              lambda ctx: [Fault.status(429, headers={"Retry-After": _http_date(-3600)})],
              retried_after(_approx(0.0), "0s")),
    FaultCase("429 without hints", "429", _429(), retried_after(*BACKOFF)),
    FaultCase("429 Retry-After: 1e9 (absurd)", "429", _429(**{"Retry-After": "1000000000"}),
              lambda op: Expect("RateLimitError", 1),
              note="above max_retry_wait: raised at once with retry_after set"),
    FaultCase("429 Retry-After: soon", "429", _429(**{"Retry-After": "soon"}),
              retried_after(*BACKOFF)),
    FaultCase("429 Retry-After: -5", "429", _429(**{"Retry-After": "-5"}),
              retried_after(_approx(0.0), "0s")),
    FaultCase("429 Retry-After: nan", "429", _429(**{"Retry-After": "nan"}),
              retried_after(*BACKOFF)),
    FaultCase("429 Retry-After: inf", "429", _429(**{"Retry-After": "inf"}),
              retried_after(*BACKOFF)),
    FaultCase("429 retry-after-ms: 1500", "429", _429(**{"retry-after-ms": "1500"}),
              retried_after(_approx(1.5), "1.5s")),
    FaultCase("429 x-ratelimit-reset: 3", "429",
              _429(**{"x-ratelimit-reset": "3", "x-ratelimit-remaining": "0"}),
              retried_after(_approx(3.0), "3s")),
    FaultCase("429 x-ratelimit-reset: epoch +5s", "429",
              lambda ctx: [Fault.status(429, headers={
                  "x-ratelimit-reset": str(int(time.time()) + 5),
                  "x-ratelimit-remaining": "0"})],
              retried_after(_between(3.5, 6.0), "~5s")),
    FaultCase("429 x-ratelimit-reset: 600", "429",
              _429(**{"x-ratelimit-reset": "600", "x-ratelimit-remaining": "0"}),
              lambda op: Expect("RateLimitError", 1),
              note="above max_retry_wait: raised at once with retry_after set"),
    # ------------------------------------------------------------ dates on the server's clock
    FaultCase("429 Retry-After: HTTP-date +2s, server clock 1 h ahead", "server clock",
              _skewed(429, HOUR, retry_after=2), retried_after(_approx(2.0), "2s"),
              note="measured from the response's Date, not our clock"),
    FaultCase("429 Retry-After: HTTP-date +2s, server clock 1 h behind", "server clock",
              _skewed(429, -HOUR, retry_after=2), retried_after(_approx(2.0), "2s")),
    FaultCase("429 x-ratelimit-reset: epoch +5s, server clock 1 h ahead", "server clock",
              _skewed(429, HOUR, reset_epoch=5), retried_after(_approx(5.0), "5s")),
    FaultCase("429 x-ratelimit-reset: HTTP-date +3s, server clock 1 h ahead", "server clock",
              _skewed(429, HOUR, reset_date=3), retried_after(_approx(3.0), "3s")),
    FaultCase("503 Retry-After: HTTP-date +1s, server clock 1 h ahead", "server clock",
              _skewed(503, HOUR, retry_after=1), replayed_after(1.0, "InternalServerError"),
              note="measured from the response's Date, as for a 429"),
    # ------------------------------------------------------------ transient statuses
    FaultCase("408", "status", lambda ctx: [Fault.status(408)], replayed_if_safe("APIStatusError")),
    *[
        FaultCase(str(s), "status", lambda ctx, s=s: [Fault.status(s)],
                  replayed_if_safe("InternalServerError"))
        for s in (500, 502, 503, 504)
    ],
    FaultCase("502 HTML error page", "status",
              lambda ctx: [Fault.status(
                  502, body="<html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
                  content_type="text/html")],
              replayed_if_safe("InternalServerError")),
    # ------------------------------------------------------------ connections
    FaultCase("connection refused", "connection", lambda ctx: [], refused, refused=True),
    FaultCase("reset before the response", "connection", lambda ctx: [Fault.drop()], dropped,
              note="aiohttp resends GET/PUT/DELETE once by itself"),
    FaultCase("reset in the middle of the body", "connection",
              lambda ctx: [Fault.reset_mid_body()], replayed_if_safe("APIConnectionError")),
    # ------------------------------------------------------------ time
    FaultCase("read timeout", "timeout", lambda ctx: [Fault.delay(3.0)],
              timed_out_if_unsafe, timeout=SHORT, batch=True),
    FaultCase("body trickles past the timeout", "timeout", lambda ctx: [Fault.trickle(3.0)],
              lost_answer, timeout=SHORT, batch=True,
              note="the work is done; a retried DELETE then gets 404"),
    FaultCase("hang past the call's deadline", "timeout", lambda ctx: [Fault.delay(3.0)],
              lambda op: Expect("APITimeoutError", 1), timeout=HANG, batch=True,
              note="no per-attempt limit; the 0.5 s deadline ends the call"),
    # ------------------------------------------------------------ bodies
    FaultCase("200 truncated JSON", "body", lambda ctx: [Fault.malformed(200)], undecodable),
    FaultCase("200 empty body", "body", lambda ctx: [Fault.status(200)], empty_body),
    FaultCase("200 text/html page", "body",
              lambda ctx: [Fault.status(200, body="<html><body>Sign in to continue</body></html>",
                                        content_type="text/html")],
              undecodable),
    FaultCase("200 JSON nested 100,000 deep", "body",
              lambda ctx: [Fault.status(200, body=DEEP)], undecodable,
              note="a validation error with the raw body, never a RecursionError"),
    FaultCase("500 error body nested 100,000 deep", "status",
              lambda ctx: [Fault.status(500, body=DEEP)],
              replayed_if_safe("InternalServerError")),
    FaultCase("429 error body nested 100,000 deep", "429",
              lambda ctx: [Fault.status(429, body=DEEP)], retried_after(*BACKOFF)),
    FaultCase("oversized response header (20 KB)", "connection",
              lambda ctx: [Fault.status(200, headers={"X-Huge": "h" * 20_000})],
              replayed_if_safe("APIConnectionError"),
              note="aiohttp's error keeps the request headers: chained scrubbed"),
    # ------------------------------------------------------------ redirects
    *[
        FaultCase(f"{s} redirect to another host", "redirect",
                  lambda ctx, s=s: [Fault.status(
                      s, headers={"Location": ctx.other_url + "/ai/assistants"})],
                  redirect)
        for s in (302, 307)
    ],
    FaultCase("302 redirect loop on the same host", "redirect loop",
              lambda ctx: [Fault.status(302, headers={"Location": "?again=1"})] * 11,
              redirect_loop,
              note="GET: TooManyRedirects (it keeps every request's headers), then a retry"),
]

FAULTS_BY_NAME = {f.name: f for f in FAULTS}


# ---------------------------------------------------------------- running one case


@dataclass
class Servers:
    fake: FakeTelnyx
    other: FakeTelnyx
    world: dict[str, str]
    closed_url: str
    worlds: int = 0
    batches: dict[str, dict[OpKey, Outcome]] = field(default_factory=dict)

    async def ids_for(self, op: Op) -> dict[str, str]:
        """The shared world, or a fresh one for an operation that uses its objects up."""
        if op.key not in DESTRUCTIVE:
            return self.world
        self.worlds += 1
        return await build_world(
            self.fake,
            canary=op.key != ("POST", "/ai/assistants/{assistant_id}/canary-deploys"),
            suite=f"fresh-{self.worlds}",
        )


@dataclass
class Outcome:
    """What one case did."""

    kind: str
    """``"ok"`` or the SDK error class name."""
    error: TelnyxError | None
    elapsed: float
    acquired: int
    waits: list[float]
    mine: list[RecordedRequest]
    """The requests the fake received for this operation during the case."""
    other: list[RecordedRequest]
    """The requests the redirect target received during the case."""


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def servers() -> AsyncIterator[Servers]:
    async with FakeTelnyx(api_key=MATRIX_KEY) as fake, FakeTelnyx(api_key="other-host-key") as other:
        world = await build_world(fake)
        yield Servers(fake, other, world, f"http://127.0.0.1:{_closed_port()}/v2")


class _Waits:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


def _acquired(client: AsyncTelnyx) -> int:
    session = client._shared.transport.session
    if session is None or session.connector is None:
        return 0
    return len(session.connector._acquired)  # type: ignore[attr-defined]


def _check_result(client: AsyncTelnyx, op: Op, result: Any) -> None:
    """A success must be of the type the method promises."""
    if op.decode == "pager":
        assert isinstance(result, Page), result
        return
    expected = return_type(resolve(client, op.op.method))
    if expected is None:
        assert result is None, result
        return
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        assert isinstance(result, typing.get_args(expected)), result
    elif origin is not None:
        assert isinstance(result, origin), result
    elif expected is not Any:
        assert isinstance(result, expected), result


async def _run(
    servers: Servers, op: Op, case: FaultCase, ids: dict[str, str], since: int, since_other: int
) -> Outcome:
    """Queue the fault for ``op``, make the call through a new client, note what happened."""
    fake, other = servers.fake, servers.other
    for fault in case.build(Ctx(other_url=other.url)):
        fake.enqueue(fault, method=op.method, route=op.route)
    waits = _Waits()
    kwargs: dict[str, Any] = {"sleep": waits, "timeout": case.timeout, "max_retries": MAX_RETRIES}
    if case.refused:
        kwargs["base_url"] = servers.closed_url
    bound = (case.timeout.deadline or 10.0) + MARGIN
    error: TelnyxError | None = None
    kind = "?"
    started = time.perf_counter()
    async with fake.client(**kwargs) as client:

        async def call() -> Any:
            result = await op.op.invoke(client, ids)
            if isinstance(result, AsyncPager):
                result = await result
            return result

        try:
            result = await asyncio.wait_for(call(), bound)
        except TelnyxError as exc:
            error, kind = exc, type(exc).__name__
        except asyncio.TimeoutError:
            pytest.fail(f"{op.label} under {case.name!r}: no answer from the SDK within {bound}s")
        else:
            kind = "ok"
            _check_result(client, op, result)
        elapsed = time.perf_counter() - started
        acquired = _acquired(client)
    return Outcome(
        kind=kind,
        error=error,
        elapsed=elapsed,
        acquired=acquired,
        waits=waits.waits,
        mine=[r for r in fake.requests[since:] if (r.method, r.route) == op.key],
        other=list(other.requests[since_other:]),
    )


async def _outcome(servers: Servers, op: Op, case: FaultCase) -> Outcome:
    fake, other = servers.fake, servers.other
    if not case.batch:
        ids = await servers.ids_for(op)
        fake.clear_faults()
        fake.reset_requests()
        other.reset_requests()
        outcome = await _run(servers, op, case, ids, 0, 0)
        await fake.wait_idle()
        fake.clear_faults()  # faults a case did not use up (a redirect loop's) go with it
        return outcome
    batch = servers.batches.get(case.name)
    if batch is None:
        # Slow faults (timeouts) run for every operation at once: each operation
        # has its own route and its own client, so the cases cannot meet.
        worlds = [await servers.ids_for(o) for o in OPS]
        fake.clear_faults()
        since, since_other = len(fake.requests), len(other.requests)
        outcomes = await asyncio.gather(
            *(_run(servers, o, case, ids, since, since_other) for o, ids in zip(OPS, worlds, strict=True))
        )
        await fake.wait_idle()
        batch = servers.batches[case.name] = {o.key: out for o, out in zip(OPS, outcomes, strict=True)}
    return batch[op.key]


# ---------------------------------------------------------------- the matrix


@pytest.mark.parametrize("fault_name", [f.name for f in FAULTS])
@pytest.mark.parametrize("op", OPS, ids=[o.label for o in OPS])
async def test_fault_matrix(
    servers: Servers, reliability: Any, op: Op, fault_name: str
) -> None:
    case = FAULTS_BY_NAME[fault_name]
    expect = case.expect(op)
    got = await _outcome(servers, op, case)
    mine = got.mine
    reliability.add_case(
        operation=op.label,
        method_name=op.op.method,
        fault=case.name,
        group=case.group,
        outcome=got.kind,
        expected=expect.outcome,
        requests=len(mine),
        waits=[round(w, 3) for w in got.waits],
        seconds=round(got.elapsed, 4),
        note=case.note,
    )

    where = f"{op.label} ({op.op.method}) under {case.name!r}"
    assert got.kind == expect.outcome, (
        f"{where}: got {got.kind} ({got.error}), expected {expect.outcome}"
    )
    assert got.acquired == 0, f"{where}: {got.acquired} connection(s) still acquired"
    if expect.requests is None:
        assert 2 <= len(mine) <= MAX_RETRIES + 1, f"{where}: {len(mine)} requests"
    else:
        assert len(mine) == expect.requests, (
            f"{where}: {len(mine)} requests reached the server, expected {expect.requests}: "
            f"{[(r.status, r.fault) for r in mine]}"
        )
    assert expect.waits(got.waits), f"{where}: waits {got.waits}, expected {expect.waits_text}"
    # A request the server may have acted on is never sent twice unless that is safe.
    if not op.replay_safe:
        acted = [r for r in mine if r.status != 429]
        assert len(acted) <= 1, f"{where}: {len(acted)} copies of a non-idempotent request"
    # The generated Idempotency-Key is there exactly for the operations that need it,
    # and every retry carries the same one.
    keys = {r.headers.get("Idempotency-Key") for r in mine}
    if mine:
        if op.keyed:
            assert len(keys) == 1 and None not in keys, f"{where}: idempotency keys {keys}"
        else:
            assert keys == {None}, f"{where}: unexpected Idempotency-Key {keys}"
    # The key never travels to another host, and only GET follows a redirect.
    assert all("authorization" not in r.headers for r in got.other), where
    if case.group == "redirect":
        assert len(got.other) == (1 if op.method == "GET" else 0), where
    else:
        assert got.other == [], where
    if got.error is not None:
        _check_error(got.error, op, case, expect)


def _check_error(error: TelnyxError, op: Op, case: FaultCase, expect: Expect) -> None:
    """The error says what happened and keeps the evidence; it never shows the key."""
    text = str(error)
    # Nothing reachable from the error shows the key: text, repr, traceback,
    # causes and contexts, their args and attributes (see _walk.py).
    found = find_secrets(error, [MATRIX_KEY, MATRIX_KEY[3:15]])
    assert found == [], "\n".join(found)
    assert op.method in text, text
    status = getattr(error, "status_code", None)
    if status is not None and case.group != "body":
        assert str(status) in text, text
    if expect.outcome == "RateLimitError":
        retry_after = getattr(error, "retry_after", None)
        assert retry_after is not None and retry_after > 60, retry_after
    if expect.outcome in ("APIConnectionError", "APITimeoutError"):
        assert error.__cause__ is not None or "deadline" in text, (text, error.__cause__)
    if case.name == "502 HTML error page":
        assert "502 Bad Gateway" in text, text
    if "nested 100,000 deep" in case.name:
        # The raw body is kept, whole, whatever it was.
        assert getattr(error, "body", None) == DEEP.decode(), (type(error), len(text))


# ---------------------------------------------------------------- header-like inputs that cannot be sent
#
# A value the caller passes for a header -- an Idempotency-Key, an extra
# header's name or value -- that cannot go out as it is (a line break, a
# control character, a space in a name, a key outside ^[A-Za-z0-9_:-]{1,255}$)
# is a programming error: a ValueError naming the argument, raised before
# anything is sent, never wrapped as a connection error and never retried.
# Every operation takes extra_headers; every POST takes idempotency_key.

BAD_IDEMPOTENCY_KEYS = {
    "idempotency_key with a trailing newline": "run-42\n",
    "idempotency_key with CR/LF": "run-42\r\nX-Injected: 1",
    "idempotency_key with a space": "run 42",
    "idempotency_key of 256 characters": "k" * 256,
}
BAD_EXTRA_HEADERS = {
    "extra_headers value with CR/LF": {"X-Trace": "t-1\r\nX-Injected: 1"},
    "extra_headers value with a trailing newline": {"X-Trace": "t-1\n"},
    "extra_headers value with a NUL": {"X-Trace": "t\x001"},
    "extra_headers name with a space": {"X Trace": "t-1"},
}


def _takes(op: Op, name: str) -> bool:
    client = AsyncTelnyx("k", base_url="http://127.0.0.1:9/v2")
    return name in inspect.signature(resolve(client, op.op.method)).parameters


INPUT_CASES = [
    pytest.param(op, name, id=f"{op.label}-{name}")
    for op in OPS
    for name in [
        *BAD_EXTRA_HEADERS,
        *(BAD_IDEMPOTENCY_KEYS if _takes(op, "idempotency_key") else ()),
    ]
]


@pytest.mark.parametrize(("op", "name"), INPUT_CASES)
async def test_bad_header_inputs_are_value_errors_before_anything_is_sent(
    servers: Servers, reliability: Any, op: Op, name: str
) -> None:
    fake = servers.fake
    fake.clear_faults()
    fake.reset_requests()
    args, kwargs = _registry_call(op.op)
    if name in BAD_IDEMPOTENCY_KEYS:
        kwargs["idempotency_key"] = BAD_IDEMPOTENCY_KEYS[name]
        argument = "`idempotency_key`"
    else:
        kwargs["extra_headers"] = BAD_EXTRA_HEADERS[name]
        argument = "`extra_headers"
    waits = _Waits()
    started = time.perf_counter()
    kind = "ok"
    error: Exception | None = None
    async with fake.client(sleep=waits, max_retries=MAX_RETRIES) as client:
        method = resolve(client, op.op.method)
        try:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            if isinstance(result, AsyncPager):
                await result
        except Exception as exc:
            kind, error = type(exc).__name__, exc
    elapsed = time.perf_counter() - started
    await fake.wait_idle()
    reliability.add_case(
        operation=op.label, method_name=op.op.method, fault=name, group="caller input",
        outcome=kind, expected="ValueError", requests=len(fake.requests),
        waits=[round(w, 3) for w in waits.waits], seconds=round(elapsed, 4),
        note="refused before sending, never retried",
    )
    assert kind == "ValueError", f"{op.label} with {name}: got {kind} ({error})"
    assert argument in str(error), str(error)
    assert "X-Injected" not in str(error) and "t-1" not in str(error)  # the value is not echoed
    assert fake.requests == [], f"{op.label} with {name}: {len(fake.requests)} request(s) sent"
    assert waits.waits == [], "a refused argument was retried"
