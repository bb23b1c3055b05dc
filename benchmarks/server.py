"""A small, fast fake of the four AI Assistants endpoints the benchmarks call.

Run it as its own process (``python benchmarks/server.py``); it prints
``READY http://127.0.0.1:PORT/v2`` once it listens. Every answer is
spec-shaped JSON from :mod:`payloads`; bodies are built once and cached, so
the server spends as little CPU per request as aiohttp allows.

API routes (under ``/v2``):

* ``GET  /ai/assistants/tests`` -- ``page[number]``/``page[size]`` pages over
  ``tests_total`` tests, with ``meta``;
* ``GET  /ai/assistants/{id}`` -- the ~11 KB assistant, or with
  ``full_assistant`` 1 the ~21 KB one with every field set (S2f), or for
  ``BIG_ASSISTANT_ID`` the ~4 MB one (S9), whatever the settings; with
  ``refuse_every`` N, every Nth of these is answered 429 ``Retry-After: 1``
  (no rate limit behind it: S6b), and with ``limit_retrieve`` the token
  bucket applies to it (the account-wide limit of S8);
* ``POST /ai/assistants/{id}/chat`` -- a chat reply;
* ``GET  /ai/assistants/tests/{test_id}/runs/{run_id}`` -- a run that turns
  ``passed`` on its ``finish_polls``-th successful poll or ``finish_seconds``
  after its first, behind a token bucket (``rate`` per second, ``burst``
  deep) that answers 429 with ``Retry-After`` and, unless ``limit_headers``
  is 0, ``x-ratelimit-*`` headers.

Control routes (never used by the clients being measured):

* ``POST /__bench/reset`` -- JSON with any of ``latency`` (seconds added to
  every API answer), ``tests_total``, ``rate`` (0 = no limit), ``burst``,
  ``limit_headers``, ``limit_retrieve``, ``refuse_every``, ``finish_polls``,
  ``finish_seconds``, ``full_assistant``; clears the counters, the runs and the bucket (which
  starts full);
* ``GET  /__bench/stats`` -- request counts by route and status.

The process exits when its standard input closes (the parent went away), on
SIGTERM/SIGINT, or after ``--max-lifetime`` seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import signal
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import web

try:
    from benchmarks import payloads
except ImportError:  # run as a script: benchmarks/ itself is on sys.path
    import payloads  # type: ignore[no-redef]

__all__ = ["BenchServer", "Settings", "TokenBucket", "main"]

JSON_TYPE = "application/json"
_DEFAULTS: dict[str, float] = {
    "latency": 0.0,
    "tests_total": 10_000,
    "rate": 0.0,
    "burst": 100.0,
    "finish_polls": 3,
    "finish_seconds": 30.0,
    "limit_headers": 1.0,
    "limit_retrieve": 0.0,
    "refuse_every": 0.0,
    "full_assistant": 0.0,
}


class Settings:
    """What the current measurement asked for (see ``POST /__bench/reset``)."""

    def __init__(self, **values: float) -> None:
        merged = {**_DEFAULTS, **values}
        unknown = set(merged) - set(_DEFAULTS)
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        self.latency = float(merged["latency"])
        self.tests_total = int(merged["tests_total"])
        self.rate = float(merged["rate"])
        self.burst = float(merged["burst"])
        self.finish_polls = int(merged["finish_polls"])
        self.finish_seconds = float(merged["finish_seconds"])
        self.limit_headers = bool(merged["limit_headers"])
        self.limit_retrieve = bool(merged["limit_retrieve"])
        self.refuse_every = int(merged["refuse_every"])
        self.full_assistant = bool(merged["full_assistant"])

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in _DEFAULTS}


class TokenBucket:
    """``rate`` tokens per second, at most ``capacity`` banked; starts full."""

    def __init__(self, rate: float, capacity: float, clock: Any = time.monotonic) -> None:
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.tokens = self.capacity
        self._clock = clock
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self.tokens = min(self.capacity, self.tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def take(self) -> bool:
        """Spend one token if there is one."""
        self._refill()
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def headers(self, *, limited: bool, figures: bool = True) -> dict[str, str]:
        """``x-ratelimit-*`` (with ``figures``), plus ``Retry-After`` (whole seconds) on a 429."""
        out: dict[str, str] = {}
        if figures:
            remaining = math.floor(self.tokens)
            until_full = (self.capacity - self.tokens) / self.rate
            out = {
                "x-ratelimit-limit": str(int(self.rate)),
                "x-ratelimit-remaining": str(remaining),
                "x-ratelimit-reset": str(max(math.ceil(until_full), 1 if remaining == 0 else 0)),
            }
        if limited:
            out["Retry-After"] = str(max(math.ceil((1.0 - self.tokens) / self.rate), 1))
        return out


_RATE_LIMITED_BODY = json.dumps(
    {
        "errors": [
            {
                "code": "10011",
                "title": "Too many requests",
                "detail": "You have exceeded the allowed request rate; retry later.",
            }
        ]
    }
).encode()


class BenchServer:
    """The aiohttp application and the state one measurement sees."""

    def __init__(self, *, union_tools: bool = True) -> None:
        self.settings = Settings()
        self.stats: Counter[str] = Counter()
        self.runs: dict[str, list[float]] = {}
        self.bucket: TokenBucket | None = None
        # Every body is encoded here, once: no measurement pays for encoding.
        self._assistant = payloads.assistant_bytes(union_tools=union_tools)
        self._full_assistant = payloads.full_assistant_bytes()
        self._big_assistant = payloads.big_assistant_bytes(union_tools=union_tools)
        self._pages: dict[tuple[int, int, int], bytes] = {}
        self.app = self._build()

    def _build(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/__bench/reset", self.reset)
        app.router.add_get("/__bench/stats", self.get_stats)
        app.router.add_get("/v2/ai/assistants/tests", self.list_tests)
        app.router.add_get("/v2/ai/assistants/tests/{test_id}/runs/{run_id}", self.get_run)
        app.router.add_get("/v2/ai/assistants/{assistant_id}", self.get_assistant)
        app.router.add_post("/v2/ai/assistants/{assistant_id}/chat", self.chat)
        return app

    # ------------------------------------------------------------ control

    async def reset(self, request: web.Request) -> web.Response:
        body = await request.read()
        values = json.loads(body) if body else {}
        try:
            self.settings = Settings(**values)
        except (TypeError, ValueError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        self.stats = Counter()
        self.runs = {}
        s = self.settings
        self.bucket = TokenBucket(s.rate, s.burst) if s.rate > 0 else None
        return web.json_response({"settings": s.as_dict()})

    async def get_stats(self, request: web.Request) -> web.Response:
        return web.json_response({"counts": dict(self.stats), "settings": self.settings.as_dict()})

    # ------------------------------------------------------------ API

    async def _delay(self, route: str) -> None:
        self.stats["requests"] += 1
        self.stats[f"{route}"] += 1
        if self.settings.latency > 0:
            await asyncio.sleep(self.settings.latency)

    def _ok(self, route: str, body: bytes, headers: dict[str, str] | None = None) -> web.Response:
        self.stats[f"{route} 200"] += 1
        return web.Response(body=body, content_type=JSON_TYPE, headers=headers)

    async def list_tests(self, request: web.Request) -> web.Response:
        await self._delay("tests.list")
        query = request.query
        try:
            number = max(int(query.get("page[number]", "1")), 1)
            size = min(max(int(query.get("page[size]", "20")), 1), 250)
        except ValueError:
            return web.json_response({"errors": [{"code": "10015", "title": "Bad page",
                                                  "detail": "page must be an integer"}]},
                                     status=400)
        key = (self.settings.tests_total, number, size)
        body = self._pages.get(key)
        if body is None:
            if len(self._pages) > 4096:
                self._pages.clear()
            body = self._pages[key] = payloads.test_page_bytes(*key)
        return self._ok("tests.list", body)

    def _refused(self, route: str) -> web.Response | None:
        """The 429 for this request, if the bucket or ``refuse_every`` says so."""
        s = self.settings
        if s.refuse_every and self.stats[route] % s.refuse_every == 0:
            self.stats[f"{route} 429"] += 1
            return web.Response(status=429, body=_RATE_LIMITED_BODY, content_type=JSON_TYPE,
                                headers={"Retry-After": "1"})
        bucket = self.bucket if s.limit_retrieve else None
        if bucket is not None and not bucket.take():
            self.stats[f"{route} 429"] += 1
            headers = bucket.headers(limited=True, figures=s.limit_headers)
            return web.Response(status=429, body=_RATE_LIMITED_BODY, content_type=JSON_TYPE,
                                headers=headers)
        return None

    async def get_assistant(self, request: web.Request) -> web.Response:
        await self._delay("assistants.retrieve")
        if self.settings.refuse_every or (self.bucket is not None and self.settings.limit_retrieve):
            refused = self._refused("assistants.retrieve")
            if refused is not None:
                return refused
        if request.match_info["assistant_id"] == payloads.BIG_ASSISTANT_ID:
            body = self._big_assistant
        elif self.settings.full_assistant:
            body = self._full_assistant
        else:
            body = self._assistant
        return self._ok("assistants.retrieve", body)

    async def chat(self, request: web.Request) -> web.Response:
        await self._delay("assistants.chat")
        try:
            sent = json.loads(await request.read())
            conversation = sent["conversation_id"]
            if not isinstance(sent["content"], str):
                raise TypeError("content")
        except (ValueError, KeyError, TypeError):
            return web.json_response({"errors": [{"code": "10015", "title": "Invalid body",
                                                  "detail": "content and conversation_id"}]},
                                     status=422)
        return self._ok("assistants.chat", payloads.chat_bytes(conversation))

    async def get_run(self, request: web.Request) -> web.Response:
        await self._delay("runs.retrieve")
        headers: dict[str, str] | None = None
        bucket = self.bucket
        if bucket is not None and not self.settings.limit_retrieve:
            allowed = bucket.take()
            headers = bucket.headers(limited=not allowed, figures=self.settings.limit_headers)
            if not allowed:
                self.stats["runs.retrieve 429"] += 1
                return web.Response(status=429, body=_RATE_LIMITED_BODY,
                                    content_type=JSON_TYPE, headers=headers)
        test_id = request.match_info["test_id"]
        run_id = request.match_info["run_id"]
        now = time.monotonic()
        state = self.runs.get(run_id)
        if state is None:
            state = self.runs[run_id] = [0, now]
        state[0] += 1
        polls = int(state[0])
        s = self.settings
        if polls >= s.finish_polls or now - state[1] >= s.finish_seconds:
            status = "passed"
        else:
            status = "pending" if polls == 1 else "running"
        body = json.dumps(payloads.test_run(test_id, run_id, status, polls)).encode()
        return self._ok("runs.retrieve", body, headers)


async def serve(host: str, port: int, *, union_tools: bool, max_lifetime: float) -> None:
    server = BenchServer(union_tools=union_tools)
    runner = web.AppRunner(server.app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=1024)
    await site.start()
    bound = runner.addresses[0]
    print(f"READY http://{host}:{bound[1]}/v2", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    def on_stdin() -> None:
        if not os.read(sys.stdin.fileno(), 4096):  # EOF: whoever started us is gone
            loop.remove_reader(sys.stdin.fileno())
            stop.set()

    with contextlib.suppress(Exception):
        if not sys.stdin.isatty():
            loop.add_reader(sys.stdin.fileno(), on_stdin)
    try:
        await asyncio.wait_for(stop.wait(), timeout=max_lifetime)
    except asyncio.TimeoutError:
        pass
    finally:
        await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback only; default 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--union-tools", action=argparse.BooleanOptionalAction, default=True,
        help="include the transfer/invite tools in the assistant (default: yes)",
    )
    parser.add_argument("--max-lifetime", type=float, default=3600.0, help="seconds")
    args = parser.parse_args(argv)
    if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
        parser.error("the benchmark server only listens on loopback addresses")
    asyncio.run(serve(args.host, args.port, union_tools=args.union_tools,
                      max_lifetime=args.max_lifetime))


if __name__ == "__main__":
    main()
