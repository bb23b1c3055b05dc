"""Instruction counts per call, from valgrind's callgrind: the figures noise does not move.

Wall and CPU seconds on a shared 2-core machine move by tens of percent from
run to run; the number of instructions the interpreter executes for the same
work does not. This script measures, against the benchmark server
(``benchmarks/server.py``, in its own process, not counted):

* per call: (a run making ``--calls`` calls at concurrency 16) minus (the same
  run making none), divided by ``--calls``, for ``assistants.retrieve`` and
  ``assistants.chat``, with telnyx_async and with raw aiohttp + ``json.loads``;
* cold start: ``import`` + one retrieve in a fresh interpreter, minus
  ``python -c pass``.

Usage: ``python benchmarks/callgrind.py [--calls 200] [--json FILE]``
(needs ``valgrind``; about two minutes). The workload code is
``benchmarks/workload.py``'s adapters, so the figures match what the timed
scenarios do.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.run import Server  # noqa: E402 - after the path is set

_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")

# Run in the measured interpreter: N calls at concurrency 16 through one adapter.
_CALLS = """
import asyncio, sys
sys.path.insert(0, {root!r})
from benchmarks.workload import make_client

async def main():
    client = make_client({client!r}, {url!r})
    try:
        await client.retrieve()  # warm-up: session, classes, hooks
        semaphore = asyncio.Semaphore(16)
        async def one(i):
            async with semaphore:
                if {op!r} == "chat":
                    await client.chat(i)
                else:
                    await client.retrieve()
        await asyncio.gather(*(one(i) for i in range({n})))
    finally:
        await client.close()

asyncio.run(main())
"""

_COLD = """
import asyncio, sys
sys.path.insert(0, {root!r})
from benchmarks.workload import first_request  # stdlib only: the same cost for every client
if {client!r} == "aiohttp-import":
    import aiohttp
else:
    asyncio.run(first_request({client!r}, {url!r}))
"""


def instructions(code: str) -> int:
    """The instructions callgrind counts for ``python -c code``."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
             sys.executable, "-c", code],
            capture_output=True, text=True, check=False, timeout=900,
        )
    found = _COLLECTED.findall(proc.stderr)
    if proc.returncode != 0 or not found:
        raise RuntimeError(f"callgrind run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return int(found[-1])


def per_call(client: str, op: str, url: str, calls: int) -> float:
    """Instructions one call costs, steady state: (N calls - 0 calls) / N."""
    root = str(HERE.parent)
    many = instructions(_CALLS.format(root=root, client=client, url=url, op=op, n=calls))
    none = instructions(_CALLS.format(root=root, client=client, url=url, op=op, n=0))
    return (many - none) / calls


def cold_start(client: str, url: str, interpreter: int) -> int:
    """Instructions for import + one retrieve in a fresh interpreter, its own start left out."""
    root = str(HERE.parent)
    return instructions(_COLD.format(root=root, client=client, url=url)) - interpreter


_MEASURED_PACKAGES = (
    "telnyx_async", "aiohttp", "aiosignal", "aiohappyeyeballs", "attr", "attrs", "cattrs",
    "certifi", "frozenlist", "multidict", "propcache", "tenacity", "typing_extensions", "yarl",
)


def _package_dirs() -> list[str]:
    """Where the packages a cold start loads live (files, for single-module ones)."""
    found: list[str] = []
    for name in _MEASURED_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        found.append(str(origin.parent if origin.name == "__init__.py" else origin))
    return found


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table (and write it as JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (apt-get install valgrind)")
    # Measure the interpreter loading bytecode, as a user's installed package does:
    # with PYTHONDONTWRITEBYTECODE set (as on the machines here) nothing else would
    # write it, and every cold start would time compiling our sources.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *_package_dirs(), str(HERE)], check=True
    )
    results: dict[str, Any] = {"calls": args.calls, "python": sys.version.split()[0]}
    with Server(sys.executable) as server:
        server.configure({})
        for op in ("retrieve", "chat"):
            for client in ("raw", "ours"):
                results[f"{op} {client}"] = per_call(client, op, server.url, args.calls)
        interpreter = instructions("pass")
        results["interpreter start"] = interpreter
        for client in ("aiohttp-import", "raw", "ours"):
            results[f"cold {client}"] = cold_start(client, server.url, interpreter)
    for op in ("retrieve", "chat"):
        raw, ours = results[f"{op} raw"], results[f"{op} ours"]
        ratio = ours / raw
        print(f"{op:9s} per call: raw {raw / 1e6:.2f} M, ours {ours / 1e6:.2f} M ({ratio:.2f}x)")
    base = results["cold aiohttp-import"]
    for client in ("raw", "ours"):
        cold = results[f"cold {client}"]
        print(f"cold start {client:4s}: {cold / 1e6:,.0f} M ({cold / base:.2f}x import aiohttp)")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
