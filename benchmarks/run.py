"""Benchmarks side by side: telnyx_async vs the official ``telnyx`` SDK vs raw aiohttp.

    python benchmarks/run.py                      # every scenario, 3 rounds
    python benchmarks/run.py --smoke              # tiny sizes, one round (CI)
    python benchmarks/run.py --rounds 5 --scenarios S1,S2 --json out.json

(``nox -s bench -- ARGS`` installs the official SDK and runs this.)

One fake API server (``server.py``) runs in its own process on 127.0.0.1 for
the whole run; every measurement is a fresh ``workload.py`` process. Within a
round each client runs once, in an order that rotates from round to round;
ratios are taken within a round (so a slow moment of this shared machine
hits both sides of a ratio), then summarised by their median across rounds.
Figures are reported, never asserted: the target lines at the end say
MET or MISSED for the targets in ``TARGETS`` (listed in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from benchmarks.redis_server import INSTALL_HINT, RedisServer, find_redis_server
except ImportError:  # run as a script: benchmarks/ itself is on sys.path
    from redis_server import (  # type: ignore[no-redef]
        INSTALL_HINT,
        RedisServer,
        find_redis_server,
    )

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.py"
WORKLOAD = HERE / "workload.py"

API_CLIENTS = ("ours", "ours-redis", "official", "official-aio", "raw")
LABELS = {
    "ours": "ours (telnyx_async)",
    "ours-redis": "ours + RedisThrottle",
    "official": "official (httpx)",
    "official-aio": "official (aiohttp)",
    "raw": "raw aiohttp",
    "aiohttp-import": "import aiohttp alone",
}
RATE = 100.0
"""S6 and S8: requests per second the server allows."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    fmt: str = "{:.3f}"
    ratio: bool = True
    worst: bool = False
    """Give the worst (largest) figure over rounds a column of its own (S9's stalls)."""
    short: str = ""
    """The name of its ratio columns (default: the label's first word)."""


WALL = Metric("wall_s", "wall s")
CPU = Metric("cpu_s", "cpu s")
STALL = Metric("stall_ms", "stall ms", "{:.1f}", worst=True)


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    size: int
    smoke_size: int
    metrics: tuple[Metric, ...]
    server: dict[str, float] = field(default_factory=dict)
    workload_opts: dict[str, Any] = field(default_factory=dict)
    smoke_opts: dict[str, Any] = field(default_factory=dict)
    """Overrides of ``workload_opts`` under ``--smoke``."""
    baseline: str = "raw"
    extra_clients: tuple[str, ...] = ()
    timeout: float = 600.0

    def server_settings(self, size: int) -> dict[str, float]:
        settings = dict(self.server)
        if self.key in ("S1", "S4"):
            settings["tests_total"] = size
        return settings

    @property
    def limited(self) -> bool:
        """Whether the server refuses some requests with 429s in this scenario."""
        return self.key in ("S6", "S6b", "S8")


SCENARIOS: dict[str, Scenario] = {
    s.key: s
    for s in (
        Scenario(
            "S1", "iterate {size:,} tests with async for (page size 100, 20 ms latency)",
            10_000, 300, (WALL, CPU), server={"latency": 0.02},
        ),
        Scenario(
            "S2", "{size:,} assistants.retrieve of a ~11 KB assistant, concurrency 64",
            2_000, 100, (WALL, CPU),
        ),
        Scenario(
            "S2f", "{size:,} assistants.retrieve of the fully populated ~21 KB assistant "
            "(every field set, 12 tools of 12 kinds), concurrency 64",
            2_000, 100, (WALL, CPU), server={"full_assistant": 1},
        ),
        Scenario(
            "S3", "{size:,} assistants.chat calls, concurrency 64",
            2_000, 100, (WALL, CPU),
        ),
        Scenario(
            "S4", "iterate {size:,} tests, no latency: time and memory",
            100_000, 2_000,
            (WALL, CPU, Metric("peak_rss_mb", "peak RSS MB", "{:.1f}", ratio=False),
             Metric("rss_growth_mb", "RSS growth MB", "{:.1f}", ratio=False)),
        ),
        Scenario(
            "S5", "cold start: fresh interpreter, import + first assistants.retrieve",
            1, 1,
            (WALL, CPU, Metric("import_s", "import s", ratio=False),
             Metric("first_request_s", "1st request s", ratio=False)),
            baseline="aiohttp-import", extra_clients=("aiohttp-import",),
        ),
        Scenario(
            "S6", "{size:,} concurrent test-run pollers vs a 100 req/s token bucket",
            500, 50,
            (WALL, Metric("n429", "429s", "{:.0f}", ratio=False),
             Metric("ok", "200s", "{:.0f}", ratio=False),
             Metric("min_wall_s", "min wall s", "{:.2f}", ratio=False),
             Metric("wall_vs_min", "wall/min", "{:.2f}", ratio=False),
             Metric("surfaced_429", "429 errors raised", "{:.0f}", ratio=False)),
            server={"rate": RATE, "burst": RATE, "finish_polls": 3, "finish_seconds": 30.0},
            workload_opts={"poll_interval": 0.5, "deadline": 300.0},
            smoke_opts={"poll_interval": 0.1, "deadline": 60.0},
        ),
        Scenario(
            "S6b", "{size:,} assistants.retrieve at concurrency 16; every 50th answered 429 "
            "Retry-After: 1, no real limit",
            1_000, 100,
            (WALL, CPU, Metric("n429", "429s", "{:.0f}", ratio=False),
             Metric("surfaced_429", "429 errors raised", "{:.0f}", ratio=False)),
            server={"refuse_every": 50},
            workload_opts={"concurrency": 16},
        ),
        Scenario(
            "S7", "first burst of a fresh client: {size} concurrent retrieves, 200 ms latency",
            20, 20, (WALL, CPU), server={"latency": 0.2},
        ),
        Scenario(
            "S8", "4 processes x {each:,} retrieves at concurrency 32 (max_retries=10) vs one "
            "100 req/s account limit (429 Retry-After: 1, no x-ratelimit-*)",
            1_000, 200,
            (WALL, Metric("n429", "429s", "{:.0f}", ratio=False),
             Metric("failed", "failed calls", "{:.0f}", ratio=False),
             Metric("min_wall_s", "min wall s", "{:.2f}", ratio=False),
             Metric("wall_vs_min", "wall/min", "{:.2f}", ratio=False)),
            server={"rate": RATE, "burst": RATE, "limit_retrieve": 1, "limit_headers": 0},
            workload_opts={"concurrency": 32, "workers": 4, "max_retries": 10, "deadline": 300.0},
            extra_clients=("ours-redis",), timeout=900.0,
        ),
        Scenario(
            "S9", "event-loop stall: {size} sequential assistants.retrieve of a ~4 MB assistant "
            "(its tools repeated: ~13,500), a 1 ms ticker in the same loop",
            5, 2,
            (STALL, Metric("stall_median_ms", "median stall ms", "{:.1f}", short="med-stall"),
             Metric("json_loads_ms", "json.loads ms", "{:.1f}", ratio=False),
             dataclasses.replace(WALL, ratio=False), dataclasses.replace(CPU, ratio=False)),
        ),
    )
}


@dataclass(frozen=True)
class Target:
    scenario: str
    text: str
    metric: str
    versus: str  # a client name, or "abs" for an absolute bound
    limit: float
    client: str = "ours"  # whose figure is judged


TARGETS = (
    Target("S1", "wall <= 0.25x official (httpx)", "wall_s", "official", 0.25),
    Target("S1", "wall <= 0.25x official (aiohttp)", "wall_s", "official-aio", 0.25),
    Target("S1", "CPU <= 3x raw", "cpu_s", "raw", 3.0),
    Target("S2", "wall <= 2x raw", "wall_s", "raw", 2.0),
    Target("S2", "CPU <= 1.4x raw", "cpu_s", "raw", 1.4),
    Target("S2f", "CPU <= 1.4x raw", "cpu_s", "raw", 1.4),
    Target("S3", "wall <= 1.5x raw", "wall_s", "raw", 1.5),
    Target("S3", "CPU <= 1.2x raw", "cpu_s", "raw", 1.2),
    Target("S4", "CPU <= 1.4x raw", "cpu_s", "raw", 1.4),
    Target("S4", "RSS growth <= 2 MB", "rss_growth_mb", "abs", 2.0),
    Target("S5", "import + first request <= 1.25x import aiohttp", "wall_s", "aiohttp-import",
           1.25),
    Target("S6", "429s <= 1/5 of official (httpx)", "n429", "official", 0.2),
    Target("S6", "429s <= 1/5 of official (aiohttp)", "n429", "official-aio", 0.2),
    Target("S6", "wall <= 1.15x the minimum the limit allows", "wall_vs_min", "abs", 1.15),
    Target("S6b", "wall <= 1.3x raw", "wall_s", "raw", 1.3),
    Target("S6b", "429s <= raw's", "n429", "raw", 1.0),
    Target("S7", "wall <= 1.1x raw", "wall_s", "raw", 1.1),
    Target("S8", "no failed call", "failed", "abs", 0.0),
    Target("S8", "429s <= official (httpx)'s", "n429", "official", 1.0),
    Target("S8", "wall <= official (httpx)'s", "wall_s", "official", 1.0),
    Target("S8", "no failed call", "failed", "abs", 0.0, client="ours-redis"),
    Target("S8", "429s <= 1/5 of ours (default throttle)", "n429", "ours", 0.2,
           client="ours-redis"),
    Target("S8", "wall <= 1.15x the minimum the limit allows", "wall_vs_min", "abs", 1.15,
           client="ours-redis"),
    Target("S9", "worst loop stall <= 0.5x raw (json.loads on the loop)", "stall_ms", "raw", 0.5),
)


# ---------------------------------------------------------------- the server


class Server:
    """The fake API in its own process; ``configure`` before, ``stats`` after each run."""

    def __init__(self, python: str, *, union_tools: bool = True) -> None:
        args = [python, str(SERVER), "--port", "0", "--max-lifetime", "7200"]
        if not union_tools:
            args.append("--no-union-tools")
        self.proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if not line.startswith("READY "):
            self.close()
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        self.url = line.split(" ", 1)[1]
        self.root = self.url.rsplit("/v2", 1)[0]

    def _call(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.root + path, data=data, method="POST" if data else "GET")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def configure(self, settings: dict[str, float]) -> None:
        self._call("/__bench/reset", settings)

    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = self._call("/__bench/stats")["counts"]
        return counts

    def close(self) -> None:
        if self.proc.poll() is None:
            if self.proc.stdin is not None:
                with contextlib.suppress(OSError):
                    self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                self.proc.wait(timeout=5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- one measurement


def run_workload(
    python: str, server: Server, client: str, scenario: Scenario, size: int,
    *, extra: Sequence[str] = (), redis: RedisServer | None = None,
) -> dict[str, Any]:
    """Configure the server, run one workload process, return its JSON plus server counts.

    ``ours-redis`` gets ``redis`` emptied first (every measurement starts
    from a fleet that knows nothing) and its URL as ``BENCH_REDIS_URL``.
    """
    server.configure(scenario.server_settings(size))
    opts = [f"--{k}={v}" for k, v in scenario.workload_opts.items()]
    cmd = [python, str(WORKLOAD), client, scenario.key, str(size), *opts, *extra]
    env = {**os.environ, "BENCH_URL": server.url}
    if redis is not None and client == "ours-redis":
        redis.flush()
        env["BENCH_REDIS_URL"] = redis.url
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=scenario.timeout, env=env, check=False
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
        detail = "\n".join(tail)
        raise RuntimeError(f"{client} {scenario.key} failed ({proc.returncode}): {detail}")
    result: dict[str, Any] = json.loads(lines[-1])
    counts = server.stats()
    result["server"] = counts
    if scenario.key == "S6":
        ok = counts.get("runs.retrieve 200", 0)
        result["n429"] = counts.get("runs.retrieve 429", 0)
        result["ok"] = ok
        rate = scenario.server.get("rate", RATE)
        result["min_wall_s"] = ok / rate
        result["wall_vs_min"] = result["wall_s"] / result["min_wall_s"] if ok else float("nan")
    elif scenario.key in ("S6b", "S8"):
        result["n429"] = counts.get("assistants.retrieve 429", 0)
        if scenario.key == "S8":
            # The bucket starts full (100 tokens), so the floor is a second under this.
            result["min_wall_s"] = size / scenario.server.get("rate", RATE)
            result["wall_vs_min"] = result["wall_s"] / result["min_wall_s"]
    return result


# ---------------------------------------------------------------- summaries


def _median_min_max(values: Sequence[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def ratio(a: float, b: float) -> float:
    if b == 0:
        return 0.0 if a == 0 else float("inf")
    return a / b


def per_round_ratios(
    rounds: dict[str, list[dict[str, Any] | None]], client: str, other: str, metric: str
) -> list[float]:
    mine, theirs = rounds.get(client, []), rounds.get(other, [])
    out = []
    for a, b in zip(mine, theirs, strict=False):
        if a is not None and b is not None and metric in a and metric in b:
            out.append(ratio(a[metric], b[metric]))
    return out


def summarise(
    scenario: Scenario, rounds: dict[str, list[dict[str, Any] | None]]
) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for client, results in rounds.items():
        ok = [r for r in results if r is not None]
        entry: dict[str, Any] = {"runs": len(ok), "failed": len(results) - len(ok)}
        for metric in scenario.metrics:
            values = [r[metric.key] for r in ok if metric.key in r]
            if values:
                med, lo, hi = _median_min_max(values)
                entry[metric.key] = {"median": med, "min": lo, "max": hi}
        ratios: dict[str, dict[str, float]] = {}
        for other in (scenario.baseline, "official", "official-aio", "ours"):
            if other == client or other not in rounds:
                continue
            for metric in scenario.metrics:
                if not metric.ratio:
                    continue
                values = per_round_ratios(rounds, client, other, metric.key)
                if values:
                    med, lo, hi = _median_min_max(values)
                    ratios[f"{metric.key}/{other}"] = {"median": med, "min": lo, "max": hi}
        if scenario.limited:
            for other in (scenario.baseline, "official", "official-aio", "ours"):
                if other != client and other in rounds:
                    values = per_round_ratios(rounds, client, other, "n429")
                    if values:
                        med, lo, hi = _median_min_max(values)
                        ratios[f"n429/{other}"] = {"median": med, "min": lo, "max": hi}
        entry["ratios"] = ratios
        summary[client] = entry
    return summary


def _fmt_cell(entry: dict[str, Any], metric: Metric) -> str:
    stats = entry.get(metric.key)
    if not stats:
        return "-"
    med, lo, hi = stats["median"], stats["min"], stats["max"]
    if lo == hi:
        return metric.fmt.format(med)
    return f"{metric.fmt.format(med)} ({metric.fmt.format(lo)}-{metric.fmt.format(hi)})"


def _fmt_worst(entry: dict[str, Any], metric: Metric) -> str:
    """The largest figure over rounds (for a stall, the worst any round saw)."""
    stats = entry.get(metric.key)
    return metric.fmt.format(stats["max"]) if stats else "-"


def _fmt_ratio(entry: dict[str, Any], key: str) -> str:
    stats = entry.get("ratios", {}).get(key)
    if not stats:
        return "-"
    value = stats["median"]
    return "inf" if value == float("inf") else f"{value:.2f}x"


def render_table(scenario: Scenario, size: int, n_rounds: int, summary: dict[str, Any]) -> str:
    title = f"{scenario.key}  " + scenario.title.format(size=size, each=size // 4)
    base = "aiohttp" if scenario.baseline == "aiohttp-import" else "raw"
    ratio_cols: list[tuple[str, str]] = []
    ratio_metrics = [m for m in scenario.metrics if m.ratio]
    if scenario.limited:
        ratio_metrics = [WALL, Metric("n429", "429s")]
    for m in ratio_metrics:
        short = m.short or m.label.split()[0]
        if scenario.key != "S6" or m.key != "n429":
            ratio_cols.append((f"{short} x{base}", f"{m.key}/{scenario.baseline}"))
        ratio_cols.append((f"{short} xoff", f"{m.key}/official"))
        ratio_cols.append((f"{short} xoff-aio", f"{m.key}/official-aio"))
        if "ours-redis" in summary:  # RedisThrottle against our default throttle
            ratio_cols.append((f"{short} xours", f"{m.key}/ours"))
    # A ratio against a client that did not run is "-" all the way down: leave it out.
    ratio_cols = [
        (name, key) for name, key in ratio_cols
        if any(key in entry.get("ratios", {}) for entry in summary.values())
    ]
    figure_cols: list[tuple[str, Metric, Callable[[dict[str, Any], Metric], str]]] = []
    for m in scenario.metrics:
        figure_cols.append((m.label, m, _fmt_cell))
        if m.worst:
            figure_cols.append((f"worst {m.label}", m, _fmt_worst))
    headers = ["client", *(c for c, _, _ in figure_cols), *(c for c, _ in ratio_cols)]
    rows = []
    for client, entry in summary.items():
        rows.append([
            LABELS.get(client, client),
            *(cell(entry, m) for _, m, cell in figure_cols),
            *(_fmt_ratio(entry, key) for _, key in ratio_cols),
        ])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    worst = [m.label for m in scenario.metrics if m.worst]
    lines = [title, f"({n_rounds} round{'s' if n_rounds != 1 else ''}; median (min-max); "
             f"ratios are medians of per-round ratios"
             + "".join(f"; worst {w}: the largest over rounds" for w in worst) + ")"]
    lines.append(_row(headers, widths))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(_row(row, widths) for row in rows)
    return "\n".join(lines)


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    """The first column left-aligned, the figures right-aligned."""
    return "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def evaluate_targets(summaries: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for target in TARGETS:
        ours = summaries.get(target.scenario, {}).get(target.client)
        if ours is None:
            continue
        if target.versus == "abs":
            stats = ours.get(target.metric)
            value = stats["median"] if stats else None
        else:
            stats = ours.get("ratios", {}).get(f"{target.metric}/{target.versus}")
            value = stats["median"] if stats else None
        status = "n/a" if value is None else ("MET" if value <= target.limit else "MISSED")
        out.append({"scenario": target.scenario, "client": target.client,
                    "target": target.text, "value": value,
                    "limit": target.limit, "status": status,
                    "unit": "" if target.versus == "abs" else "x"})
    return out


def render_targets(results: list[dict[str, Any]]) -> str:
    lines = ["Targets (ours unless named; median of per-round ratios)"]
    texts = [t["target"] if t.get("client", "ours") == "ours" else (
        f"{LABELS.get(t['client'], t['client'])}: {t['target']}"
    ) for t in results]
    width = max((len(text) for text in texts), default=0)
    for t, text in zip(results, texts, strict=True):
        value = "n/a" if t["value"] is None else (
            "inf" if t["value"] == float("inf") else f"{t['value']:.2f}{t['unit']}"
        )
        lines.append(f"  {t['scenario']:<4} {text:<{width}} {value:>8}  {t['status']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the run


def machine_info() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "loadavg_at_start": load,
    }


def available_clients() -> list[str]:
    clients = []
    if importlib.util.find_spec("telnyx_async") is not None:
        clients.append("ours")
        if importlib.util.find_spec("redis") is not None:
            clients.append("ours-redis")
    if importlib.util.find_spec("telnyx") is not None:
        clients.append("official")
        if importlib.util.find_spec("httpx_aiohttp") is not None:
            clients.append("official-aio")
    clients.append("raw")
    return clients


_COMPILE_SCRIPT = """
import compileall, importlib.util, os, sys, sysconfig
dirs = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
for name in ("telnyx_async", "telnyx", "aiohttp"):
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.submodule_search_locations:
        dirs.update(spec.submodule_search_locations)
ok = all(compileall.compile_dir(d, quiet=1, workers=0) for d in sorted(dirs) if os.path.isdir(d))
sys.exit(0 if ok else 1)
"""


def precompile(python: str) -> dict[str, Any]:
    """Write the bytecode of every installed package (and of telnyx_async, wherever it is).

    pip writes ``.pyc`` files when it installs a wheel, but not for an editable
    install, and nothing is written at import time under PYTHONDONTWRITEBYTECODE
    (set on some CI machines, this one included). Without this step S5 would time
    compiling our sources from scratch in every run while the official SDK loads
    its bytecode: a cost users of an installed package never pay.
    """
    t0 = time.monotonic()
    proc = subprocess.run(
        [python, "-c", _COMPILE_SCRIPT], capture_output=True, text=True, check=False
    )
    return {
        "ok": proc.returncode == 0,
        "seconds": round(time.monotonic() - t0, 2),
        "dont_write_bytecode_env": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
    }


def rotations(clients: Sequence[str], n_rounds: int) -> Iterator[tuple[int, list[str]]]:
    """Round r runs the clients starting from the r-th one, so each goes first in turn."""
    for r in range(n_rounds):
        k = r % len(clients)
        yield r, [*clients[k:], *clients[:k]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="telnyx_async vs the official telnyx SDK vs raw aiohttp, on a local fake API.",
    )
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes and one round (about 90 s); what CI runs")
    parser.add_argument("--rounds", type=int, default=None,
                        help="rounds (default 3; 1 with --smoke)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated subset of {','.join(SCENARIOS)}")
    parser.add_argument("--clients", default=None,
                        help="comma-separated subset of ours,official,official-aio,raw "
                             "(default: all that are installed; --smoke leaves out official-aio)")
    parser.add_argument("--size", action="append", default=[], metavar="S=N",
                        help="override a scenario's size, e.g. --size S4=20000")
    parser.add_argument("--json", dest="json_out", default=None, help="write every figure here")
    parser.add_argument("--union-tools", action=argparse.BooleanOptionalAction, default=True,
                        help="serve the assistant with its transfer/invite tools (default: yes)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the unmeasured warm-up process per client")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    n_rounds = args.rounds if args.rounds is not None else (1 if args.smoke else 3)
    if n_rounds < 1:
        parser.error("--rounds must be >= 1")
    by_name = {k.upper(): k for k in SCENARIOS}
    names = [k.strip() for k in args.scenarios.split(",") if k.strip()]
    keys = [by_name.get(k.upper(), k) for k in names]
    unknown = [k for k in keys if k not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(unknown)}")
    installed = available_clients()
    if args.clients:
        wanted = [c.strip() for c in args.clients.split(",") if c.strip()]
        bad = [c for c in wanted if c not in API_CLIENTS]
        if bad:
            parser.error(f"unknown clients: {', '.join(bad)}")
        missing = [c for c in wanted if c not in installed]
        if missing:
            parser.error(f"not installed here: {', '.join(missing)} (try `nox -s bench`)")
        clients = wanted
    else:
        # ours-redis is S8's extra client (below), not one of every scenario.
        clients = [
            c for c in installed
            if not (args.smoke and c == "official-aio") and c != "ours-redis"
        ]
    sizes: dict[str, int] = {}
    for item in args.size:
        key, _, value = item.partition("=")
        if key.upper() not in by_name or not value.isdigit():
            parser.error(f"bad --size {item!r} (expected like S4=20000)")
        sizes[by_name[key.upper()]] = int(value)

    log: Callable[[str], None] = (lambda _msg: None) if args.quiet else (
        lambda msg: print(msg, file=sys.stderr, flush=True)
    )
    python = sys.executable
    started = time.monotonic()
    machine = machine_info()
    log(f"clients: {', '.join(clients)}; scenarios: {', '.join(keys)}; rounds: {n_rounds}")
    if "official" not in clients:
        log("note: the official SDK is not installed here; run `nox -s bench` to include it")

    def extras(scenario: Scenario) -> list[str]:
        """The scenario's extra clients that run here (ours-redis: unless --clients omits it)."""
        out = []
        for extra in scenario.extra_clients:
            if extra in clients or (extra == "ours-redis" and args.clients):
                continue
            out.append(extra)
        return out

    wants_redis = "ours-redis" in clients or any(
        "ours-redis" in extras(SCENARIOS[k]) for k in keys
    )
    redis: RedisServer | None = None
    if wants_redis:
        if "ours-redis" not in installed:
            log("note: ours-redis left out: redis-py is not installed here "
                "(`nox -s bench` installs it)")
        elif find_redis_server() is None:
            log(f"note: ours-redis left out: {INSTALL_HINT}")
        else:
            redis = RedisServer()
            redis.start()
            log(f"redis-server for ours-redis on {redis.url} (pid {redis.pid})")
    if redis is None:
        clients = [c for c in clients if c != "ours-redis"]
    bytecode = precompile(python)
    log(f"bytecode written for the installed packages in {bytecode['seconds']}s"
        + ("" if bytecode["ok"] else " (some files failed to compile)"))

    report: dict[str, Any] = {
        "command": " ".join([Path(python).name, "benchmarks/run.py", *(argv or sys.argv[1:])]),
        "machine": machine,
        "bytecode": bytecode,
        "rounds": n_rounds,
        "clients": clients,
        "scenarios": {},
    }
    summaries: dict[str, dict[str, Any]] = {}
    tables: list[str] = []
    with contextlib.ExitStack() as stack, Server(python, union_tools=args.union_tools) as server:
        if redis is not None:
            stack.callback(redis.close)
        if not args.no_warmup and not args.smoke:
            # Fill OS caches and settle the server: none of it should land in round 1.
            for client in clients:
                log(f"warm-up {client}")
                run_workload(python, server, client, SCENARIOS["S2"], 5, redis=redis)
            log("warm-up aiohttp-import")
            run_workload(python, server, "aiohttp-import", SCENARIOS["S5"], 1)
        for key in keys:
            scenario = SCENARIOS[key]
            if args.smoke and scenario.smoke_opts:
                scenario = dataclasses.replace(
                    scenario, workload_opts={**scenario.workload_opts, **scenario.smoke_opts}
                )
            size = sizes.get(key, scenario.smoke_size if args.smoke else scenario.size)
            scenario_clients = [
                *clients,
                *(c for c in extras(scenario) if c != "ours-redis" or redis is not None),
            ]
            rounds: dict[str, list[dict[str, Any] | None]] = {c: [] for c in scenario_clients}
            for r, order in rotations(scenario_clients, n_rounds):
                for client in order:
                    t0 = time.monotonic()
                    try:
                        result = run_workload(python, server, client, scenario, size,
                                              redis=redis)
                    except (RuntimeError, subprocess.TimeoutExpired) as exc:
                        log(f"  {key} round {r + 1} {client}: FAILED: {exc}")
                        rounds[client].append(None)
                        continue
                    result["round"] = r + 1
                    result["loadavg"] = os.getloadavg() if hasattr(os, "getloadavg") else None
                    rounds[client].append(result)
                    stall = (f" stall {result['stall_ms']:.1f}ms" if "stall_ms" in result else "")
                    log(f"  {key} round {r + 1} {client:<14} wall {result['wall_s']:.3f}s "
                        f"cpu {result['cpu_s']:.3f}s{stall} ({time.monotonic() - t0:.1f}s)")
            summary = summarise(scenario, rounds)
            summaries[key] = summary
            table = render_table(scenario, size, n_rounds, summary)
            tables.append(table)
            print(table + "\n", flush=True)
            report["scenarios"][key] = {
                "title": scenario.title.format(size=size, each=size // 4), "size": size,
                "server": scenario.server_settings(size), "workload": scenario.workload_opts,
                "rounds": rounds, "summary": summary,
            }
    targets = evaluate_targets(summaries)
    if targets:
        print(render_targets(targets), flush=True)
        if args.smoke:
            print("  (--smoke sizes only show the harness works; judge targets on a full run)")
    elapsed = time.monotonic() - started
    machine["loadavg_at_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    versions: dict[str, str] = next(
        (r["versions"] for s in report["scenarios"].values() for rs in s["rounds"].values()
         for r in rs if r is not None and "versions" in r),
        {},
    )
    report.update(targets=targets, elapsed_s=elapsed, versions=versions)
    print(f"\n{len(keys)} scenario(s), {n_rounds} round(s) in {elapsed:.0f}s on "
          f"{machine['nproc']} CPU(s), Python {machine['python']}; load average "
          f"{_load(machine['loadavg_at_start'])} at start, {_load(machine['loadavg_at_end'])} "
          "at end", flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(report, indent=2, default=str) + "\n")
        log(f"wrote {args.json_out}")
    failed = sum(
        1 for s in report["scenarios"].values() for rs in s["rounds"].values()
        for r in rs if r is None
    )
    return 1 if failed else 0


def _load(load: Any) -> str:
    return "/".join(f"{x:.1f}" for x in load) if load else "?"


if __name__ == "__main__":
    sys.exit(main())
