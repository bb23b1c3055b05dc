"""One measurement, in a process of its own: ``workload.py <client> <scenario> <size>``.

Prints one JSON object on its last line of standard output::

    {"client": "ours", "scenario": "S2", "size": 2000, "wall_s": ..., "cpu_s": ...,
     "peak_rss_mb": ..., "rss_start_mb": ..., "rss_end_mb": ..., "rss_growth_mb": ...,
     "count": ..., ...}

Clients: ``ours`` (telnyx_async.AsyncTelnyx), ``ours-redis`` (the same with a
``RedisThrottle`` on ``$BENCH_REDIS_URL``), ``official`` (telnyx.AsyncTelnyx on
its default httpx transport), ``official-aio`` (telnyx.AsyncTelnyx on
``telnyx.DefaultAioHttpClient``), ``raw`` (aiohttp + ``json.loads``) and, for S5
only, ``aiohttp-import`` (``import aiohttp`` and nothing else).

Every scenario but S5, S6 and S8 makes one untimed warm-up call first, so the
figures are steady-state costs (S9: one small and one ~4 MB retrieve); S5 is the
cold start. S2f is S2 against a server answering the fully populated assistant;
S9 reports event-loop stalls (``stall_ms``, see ``run_stall``). S7 warms up with another
client object and then measures the first burst of a fresh one. S8 starts
``workers`` processes of its own (``S8-worker``), each with its own client,
against one account-wide limit, and reports the slowest worker's wall time. ``wall_s`` and ``cpu_s``
(user + system time of this process, ``time.process_time``) cover the timed
part only; ``peak_rss_mb`` is ``ru_maxrss``; ``rss_growth_mb`` is the resident
set at the end minus at the start of the timed part.

This module imports only the standard library at the top, so that S5 measures
``import aiohttp`` / ``import telnyx_async`` / ``import telnyx`` from scratch.
"""

from __future__ import annotations

import os
import resource
import sys
import time

if False:  # for type checkers only: importing typing here would skew S5's import times
    from typing import Any

_T0 = time.perf_counter()
_C0 = time.process_time()

CLIENTS = ("ours", "ours-redis", "official", "official-aio", "raw", "aiohttp-import")
SCENARIOS = ("S1", "S2", "S2f", "S3", "S4", "S5", "S6", "S6b", "S7", "S8", "S8-worker", "S9")
API_KEY = "KEYbench0000000000000000000000"
ASSISTANT_ID = "assistant-6f0c2a1e-4b7d-4e58-9a3c-0d1e2f3a4b5c"
BIG_ASSISTANT_ID = "assistant-0b16b16b-4b7d-4e58-9a3c-0d1e2f3a4b5c"
TEST_ID = "6a1e0c52-0b1d-4c7e-9f00-0000000000aa"
TERMINAL = frozenset({"passed", "failed", "error"})


def rss_mb() -> float:
    """The current resident set size in MiB (Linux ``/proc``; else the peak)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


class RateLimited(Exception):
    """The raw client's 429, with the server's ``Retry-After``."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("429")
        self.retry_after = retry_after


# ---------------------------------------------------------------- adapters
# Each adapter does the same things the way a user of that client would.


class Ours:
    name = "ours"

    def __init__(
        self, url: str, *, max_retries: int | None = None, redis_url: str | None = None
    ) -> None:
        import telnyx_async

        self.mod = telnyx_async
        kwargs: dict[str, Any] = {} if max_retries is None else {"max_retries": max_retries}
        self.throttle: Any = None
        if redis_url is not None:
            # Every process of the fleet shares one limit through Redis.
            self.name = "ours-redis"
            self.throttle = kwargs["throttle"] = telnyx_async.RedisThrottle(
                redis_url, api_key=API_KEY
            )
        self.client = telnyx_async.AsyncTelnyx(api_key=API_KEY, base_url=url, **kwargs)
        self.rate_limit_error: type[BaseException] = telnyx_async.RateLimitError

    async def retrieve(self, assistant_id: str = ASSISTANT_ID) -> str:
        return (await self.client.ai.assistants.retrieve(assistant_id)).name

    async def chat(self, i: int) -> str:
        reply = await self.client.ai.assistants.chat(
            ASSISTANT_ID, content=f"Can I move my cleaning? ({i})", conversation_id=f"conv-{i}"
        )
        return reply.content

    async def first_page(self) -> int:
        return len((await self.client.ai.assistants.tests.list(page_size=100)).data)

    async def iterate(self, on_item: Any) -> int:
        n = 0
        async for test in self.client.ai.assistants.tests.list(page_size=100):
            on_item(test.test_id)
            n += 1
        return n

    async def run_status(self, run_id: str) -> str:
        run = await self.client.ai.assistants.tests.runs.retrieve(run_id, test_id=TEST_ID)
        return str(run.status)

    def retry_after(self, exc: BaseException) -> float | None:
        value = getattr(exc, "retry_after", None)
        return None if value is None else float(value)

    async def close(self) -> None:
        await self.client.close()
        if self.throttle is not None:
            await self.throttle.aclose()


class Official:
    name = "official"

    def __init__(self, url: str, *, aio: bool = False, max_retries: int | None = None) -> None:
        import telnyx

        kwargs: dict[str, Any] = {} if max_retries is None else {"max_retries": max_retries}
        if aio:
            kwargs["http_client"] = telnyx.DefaultAioHttpClient()
            self.name = "official-aio"
        self.client = telnyx.AsyncTelnyx(api_key=API_KEY, base_url=url, **kwargs)
        self.rate_limit_error = telnyx.RateLimitError

    async def retrieve(self, assistant_id: str = ASSISTANT_ID) -> str:
        return str((await self.client.ai.assistants.retrieve(assistant_id)).name)

    async def chat(self, i: int) -> str:
        reply = await self.client.ai.assistants.chat(
            ASSISTANT_ID, content=f"Can I move my cleaning? ({i})", conversation_id=f"conv-{i}"
        )
        return str(reply.content)

    async def first_page(self) -> int:
        return len((await self.client.ai.assistants.tests.list(page_size=100)).data)

    async def iterate(self, on_item: Any) -> int:
        n = 0
        async for test in self.client.ai.assistants.tests.list(page_size=100):
            on_item(test.test_id)
            n += 1
        return n

    async def run_status(self, run_id: str) -> str:
        run = await self.client.ai.assistants.tests.runs.retrieve(run_id, test_id=TEST_ID)
        return str(run.status)

    def retry_after(self, exc: BaseException) -> float | None:
        response = getattr(exc, "response", None)
        value = response.headers.get("retry-after") if response is not None else None
        try:
            return float(value) if value is not None else None
        except ValueError:
            return None

    async def close(self) -> None:
        await self.client.close()


class Raw:
    """aiohttp and ``json.loads``: what any client has to do at the very least."""

    name = "raw"

    def __init__(self, url: str, *, max_retries: int | None = None) -> None:
        import json

        import aiohttp

        self.json = json
        self.url = url
        self.session = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
        )
        self.rate_limit_error = RateLimited

    async def _get(self, path: str, params: dict[str, str] | None = None) -> Any:
        async with self.session.get(self.url + path, params=params) as resp:
            body = await resp.read()
            if resp.status == 429:
                ra = resp.headers.get("Retry-After")
                raise RateLimited(float(ra) if ra else None)
            resp.raise_for_status()
            return self.json.loads(body)

    async def retrieve(self, assistant_id: str = ASSISTANT_ID) -> str:
        data = await self._get(f"/ai/assistants/{assistant_id}")
        return data["name"]  # type: ignore[no-any-return]

    async def chat(self, i: int) -> str:
        body = self.json.dumps(
            {"content": f"Can I move my cleaning? ({i})", "conversation_id": f"conv-{i}"}
        ).encode()
        async with self.session.post(
            f"{self.url}/ai/assistants/{ASSISTANT_ID}/chat",
            data=body,
            headers={"Content-Type": "application/json"},
        ) as resp:
            raw = await resp.read()
            resp.raise_for_status()
            return self.json.loads(raw)["content"]  # type: ignore[no-any-return]

    def _page(self, number: int) -> Any:
        return self._get(
            "/ai/assistants/tests", {"page[number]": str(number), "page[size]": "100"}
        )

    async def first_page(self) -> int:
        return len((await self._page(1))["data"])

    async def iterate(self, on_item: Any) -> int:
        n = 0
        number = 1
        while True:
            page = await self._page(number)
            for test in page["data"]:
                on_item(test["test_id"])
                n += 1
            meta = page.get("meta") or {}
            if not page["data"] or number >= (meta.get("total_pages") or 0):
                return n
            number += 1

    async def run_status(self, run_id: str) -> str:
        run = await self._get(f"/ai/assistants/tests/{TEST_ID}/runs/{run_id}")
        return run["status"]  # type: ignore[no-any-return]

    def retry_after(self, exc: BaseException) -> float | None:
        value = getattr(exc, "retry_after", None)
        return None if value is None else float(value)

    async def close(self) -> None:
        await self.session.close()


def make_client(name: str, url: str, *, max_retries: int | None = None) -> Any:
    if name == "ours":
        return Ours(url, max_retries=max_retries)
    if name == "ours-redis":
        redis_url = os.environ.get("BENCH_REDIS_URL")
        if not redis_url:
            raise SystemExit("ours-redis needs BENCH_REDIS_URL (run.py starts a redis-server)")
        return Ours(url, max_retries=max_retries, redis_url=redis_url)
    if name == "official":
        return Official(url, max_retries=max_retries)
    if name == "official-aio":
        return Official(url, aio=True, max_retries=max_retries)
    if name == "raw":
        return Raw(url)
    raise SystemExit(f"unknown client {name!r} (expected one of {', '.join(CLIENTS[:5])})")


# ---------------------------------------------------------------- scenarios


PROFILE: dict[str, Any] = {}
"""``--profile=PATH``: the profiler running during the timed part, and where it writes."""


class Meter:
    """Wall, CPU and memory of the timed part of a run (profiled, with ``--profile``)."""

    def __enter__(self) -> Meter:
        self.rss_start = rss_mb()
        _profile_start()
        self.t0 = time.perf_counter()
        self.c0 = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0
        _profile_stop()
        self.rss_end = rss_mb()

    def result(self) -> dict[str, float]:
        return {
            "wall_s": self.wall,
            "cpu_s": self.cpu,
            "peak_rss_mb": peak_rss_mb(),
            "rss_start_mb": self.rss_start,
            "rss_end_mb": self.rss_end,
            "rss_growth_mb": self.rss_end - self.rss_start,
        }


async def run_iterate(client: Any, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    await client.first_page()
    seen = 0

    def on_item(test_id: str) -> None:
        nonlocal seen
        seen += 1

    with Meter() as m:
        count = await client.iterate(on_item)
    if count != size or seen != size:
        raise SystemExit(f"{client.name}: iterated {count} tests, expected {size}")
    return {**m.result(), "count": count}


async def run_concurrent(client: Any, size: int, opts: dict[str, Any], op: str) -> dict[str, Any]:
    import asyncio

    call = client.retrieve if op == "retrieve" else client.chat
    await (client.retrieve() if op == "retrieve" else client.chat(-1))
    semaphore = asyncio.Semaphore(opts["concurrency"])

    async def one(i: int) -> None:
        async with semaphore:
            await (call() if op == "retrieve" else call(i))

    with Meter() as m:
        await asyncio.gather(*(one(i) for i in range(size)))
    return {**m.result(), "count": size, "concurrency": opts["concurrency"]}


async def call_until_answered(client: Any, call: Any) -> tuple[Any, int]:
    """``await call()``; a 429 the client gave up on is waited out and tried again.

    That is all the raw client does about 429s (it retries only the refused
    request, after its ``Retry-After``); the SDKs have retried on their own
    before it comes to this. Returns the answer and how many 429s surfaced.
    """
    import asyncio

    surfaced = 0
    while True:
        try:
            return await call(), surfaced
        except client.rate_limit_error as exc:
            surfaced += 1
            await asyncio.sleep(client.retry_after(exc) or 1.0)


async def run_sporadic(client: Any, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    """S6b: retrieves against a server that refuses every 50th request (no real limit)."""
    import asyncio

    await client.retrieve()
    semaphore = asyncio.Semaphore(opts["concurrency"])
    surfaced = 0

    async def one() -> None:
        nonlocal surfaced
        async with semaphore:
            _, refused = await call_until_answered(client, client.retrieve)
            surfaced += refused

    with Meter() as m:
        await asyncio.gather(*(one() for _ in range(size)))
    return {**m.result(), "count": size, "surfaced_429": surfaced}


async def run_first_burst(name: str, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    """S7: the first ``size`` concurrent calls of a fresh client (another one warmed up)."""
    import asyncio

    warm = make_client(name, opts["url"])
    try:
        await warm.retrieve()  # imports, converter hooks, the OS's caches: not measured
    finally:
        await warm.close()
    client = make_client(name, opts["url"])
    try:
        with Meter() as m:
            await asyncio.gather(*(client.retrieve() for _ in range(size)))
    finally:
        await client.close()
    return {**m.result(), "count": size}


async def run_fleet_worker(client: Any, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    """One S8 worker: ``size`` retrieves at ``concurrency``; count the calls that failed."""
    import asyncio

    semaphore = asyncio.Semaphore(opts["concurrency"])
    failed = 0

    async def one() -> None:
        nonlocal failed
        async with semaphore:
            try:
                await client.retrieve()
            except Exception:
                failed += 1

    with Meter() as m:
        await asyncio.gather(*(one() for _ in range(size)))
    return {**m.result(), "count": size, "failed": failed}


def run_fleet(name: str, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    """S8: ``workers`` processes share one account limit; started together, timed as one."""
    import json
    import subprocess

    workers = int(opts["workers"])
    each = size // workers
    cmd = [sys.executable, __file__, name, "S8-worker", str(each),
           f"--concurrency={opts['concurrency']}", f"--max_retries={opts['max_retries']}"]
    env = {**os.environ, "BENCH_URL": opts["url"]}
    t0 = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
             for _ in range(workers)]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=opts["deadline"])
        if proc.returncode != 0:
            raise SystemExit(f"an S8 worker failed ({proc.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = time.perf_counter() - t0
    return {
        "wall_s": wall,
        "worker_wall_s": max(r["wall_s"] for r in results),
        "cpu_s": sum(r["cpu_s"] for r in results),
        "failed": sum(r["failed"] for r in results),
        "count": each * workers,
        "workers": workers,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
    }


async def run_pollers(client: Any, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    import asyncio

    interval = opts["poll_interval"]
    surfaced = 0
    polls = 0

    async def poller(i: int) -> None:
        nonlocal surfaced, polls
        run_id = f"9b7e3c10-5d2a-4f6b-8c1d-{i:012d}"
        while True:
            try:
                status = await client.run_status(run_id)
            except client.rate_limit_error as exc:
                # The client gave up on a 429: do what an application would, wait and go on.
                surfaced += 1
                await asyncio.sleep(client.retry_after(exc) or 1.0)
                continue
            polls += 1
            if status in TERMINAL:
                return
            await asyncio.sleep(interval)

    with Meter() as m:
        await asyncio.wait_for(
            asyncio.gather(*(poller(i) for i in range(size))), timeout=opts["deadline"]
        )
    return {**m.result(), "count": size, "successful_polls": polls, "surfaced_429": surfaced}


async def run_stall(client: Any, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    """S9: ``size`` retrieves of the ~4 MB assistant, one after another, with a ticker running.

    The ticker, a coroutine in the same loop, sleeps 1 ms at a time and keeps
    the longest gap between two of its wake-ups: the longest time the loop
    could run nothing else. ``stall_ms`` is the worst gap of the run,
    ``stall_median_ms`` the median over the retrieves of each one's worst gap.
    (``json_loads_reference`` adds, after the loop has ended, a bare
    ``json.loads`` of the same body in this process.)
    """
    import asyncio
    import statistics

    await client.retrieve()  # imports, converter hooks, a connection: not measured
    await client.retrieve(BIG_ASSISTANT_ID)  # whatever a first big body costs once
    worst = 0.0
    ticks = 0
    running = True
    ticked = asyncio.Event()

    async def ticker() -> None:
        nonlocal worst, ticks
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            worst = max(worst, now - last)
            last = now
            ticks += 1
            ticked.set()

    async def next_tick() -> None:
        """Let the ticker wake once: a stall that ends as a retrieve returns shows only then."""
        ticked.clear()
        await ticked.wait()

    stalls: list[float] = []
    task = asyncio.create_task(ticker())
    try:
        await next_tick()
        with Meter() as m:
            for _ in range(size):
                worst = 0.0
                await client.retrieve(BIG_ASSISTANT_ID)
                await next_tick()
                stalls.append(worst)
    finally:
        running = False
        await task
    return {
        **m.result(),
        "count": size,
        "stall_ms": max(stalls) * 1000,
        "stall_median_ms": statistics.median(stalls) * 1000,
        "stalls_ms": [round(s * 1000, 3) for s in stalls],
        "ticks": ticks,
    }


def json_loads_reference(url: str, repeat: int = 5) -> dict[str, Any]:
    """S9's reference: a bare ``json.loads`` of the big assistant's body, median of ``repeat``.

    The body is fetched from the server (the very bytes the clients got) and
    decoded in this process, with no event loop running.
    """
    import json
    import statistics
    import urllib.request

    request = urllib.request.Request(f"{url}/ai/assistants/{BIG_ASSISTANT_ID}",
                                     headers={"Authorization": f"Bearer {API_KEY}"})
    with urllib.request.urlopen(request, timeout=60) as resp:
        body = resp.read()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        json.loads(body)
        times.append(time.perf_counter() - t0)
    return {"json_loads_ms": statistics.median(times) * 1000, "body_bytes": len(body)}


async def first_request(name: str, url: str) -> None:
    client = make_client(name, url)
    try:
        await client.retrieve()
    finally:
        await client.close()


def run_s5(name: str, url: str) -> dict[str, Any]:
    """Cold start: import the client, then (except aiohttp-import) make one request."""
    t0, c0 = time.perf_counter(), time.process_time()
    if name == "aiohttp-import":
        import aiohttp

        t1, c1 = time.perf_counter(), time.process_time()
        t2, c2 = t1, c1
    else:
        if name in ("ours", "ours-redis"):
            import telnyx_async  # noqa: F401
        elif name.startswith("official"):
            import telnyx  # noqa: F401

            if name == "official-aio":
                import httpx_aiohttp  # noqa: F401
        else:
            import aiohttp  # noqa: F401
        t1, c1 = time.perf_counter(), time.process_time()
        import asyncio

        asyncio.run(first_request(name, url))
        t2, c2 = time.perf_counter(), time.process_time()
    return {
        "wall_s": t2 - t0,
        "cpu_s": c2 - c0,
        "import_s": t1 - t0,
        "first_request_s": t2 - t1,
        "process_to_start_s": t0 - _T0,
        "peak_rss_mb": peak_rss_mb(),
        "modules": len(sys.modules),
        "count": 1,
    }


async def run_async(name: str, scenario: str, size: int, opts: dict[str, Any]) -> dict[str, Any]:
    if scenario == "S7":
        return await run_first_burst(name, size, opts)
    retries = opts["max_retries"] if opts["max_retries"] >= 0 else None
    client = make_client(name, opts["url"], max_retries=retries)
    try:
        if scenario in ("S1", "S4"):
            return await run_iterate(client, size, opts)
        if scenario in ("S2", "S2f"):  # the server picks S2f's fully populated assistant
            return await run_concurrent(client, size, opts, "retrieve")
        if scenario == "S3":
            return await run_concurrent(client, size, opts, "chat")
        if scenario == "S6":
            return await run_pollers(client, size, opts)
        if scenario == "S6b":
            return await run_sporadic(client, size, opts)
        if scenario == "S8-worker":
            return await run_fleet_worker(client, size, opts)
        if scenario == "S9":
            return await run_stall(client, size, opts)
        raise SystemExit(f"unknown scenario {scenario!r}")
    finally:
        await client.close()


def versions() -> dict[str, str]:
    import contextlib
    from importlib import metadata

    out = {"python": sys.version.split()[0]}
    for dist in ("telnyx-async", "telnyx", "aiohttp", "httpx", "httpx-aiohttp", "pydantic",
                 "cattrs", "attrs", "tenacity", "redis"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[dist] = metadata.version(dist)
    return out


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    name, scenario, size_text, *rest = args
    opts: dict[str, Any] = {
        "url": os.environ.get("BENCH_URL", "http://127.0.0.1:8799/v2"),
        "concurrency": 64,
        "poll_interval": 0.5,
        "deadline": 600.0,
        "profile": None,
        "workers": 4,
        "max_retries": -1,
    }
    for flag in rest:
        key, _, value = flag.removeprefix("--").partition("=")
        if key not in opts:
            raise SystemExit(f"unknown option --{key}")
        opts[key] = type(opts[key])(value) if opts[key] is not None else value
    if scenario not in SCENARIOS:
        raise SystemExit(f"unknown scenario {scenario!r} (expected one of {', '.join(SCENARIOS)})")
    if name == "aiohttp-import" and scenario != "S5":
        raise SystemExit("aiohttp-import only makes sense for S5")
    size = int(size_text)

    if scenario == "S5":
        result = run_s5(name, opts["url"])
    elif scenario == "S8":
        result = run_fleet(name, size, opts)
    else:
        import asyncio

        if opts["profile"]:
            PROFILE["path"] = opts["profile"]
        result = asyncio.run(run_async(name, scenario, size, opts))
        if scenario == "S9":
            result.update(json_loads_reference(opts["url"]))

    import json

    result.update(client=name, scenario=scenario, size=size, versions=versions())
    print(json.dumps(result), flush=True)
    return 0


def _profile_start() -> None:
    """Start pyinstrument (for ``*.html``/``*.txt``) or cProfile (anything else)."""
    path = PROFILE.get("path")
    if not path:
        return
    if path.endswith((".html", ".txt")):
        from pyinstrument import Profiler

        profiler: Any = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
    else:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    PROFILE["profiler"] = profiler


def _profile_stop() -> None:
    profiler = PROFILE.pop("profiler", None)
    if profiler is None:
        return
    path = PROFILE["path"]
    if path.endswith((".html", ".txt")):
        profiler.stop()
        with open(path, "w") as fh:
            if path.endswith(".html"):
                fh.write(profiler.output_html())
            else:
                fh.write(profiler.output_text(unicode=False, color=False))
    else:
        profiler.disable()
        profiler.dump_stats(path)


if __name__ == "__main__":
    sys.exit(main())
