"""Shared plumbing of the hardening suite: the reliability report and the soak switch.

Each matrix case, and the load and cancellation runs, add an entry to one
session-wide :class:`ReliabilityReport` (the ``reliability`` fixture). When the
session ends the report is written as JSON to the path given by
``--reliability-report PATH`` (available when pytest is pointed at
``tests/faults``) or by ``$TELNYX_RELIABILITY_REPORT``, for
``scripts/reliability_report.py`` to render as ``docs/reliability.md``.

``--soak`` or ``TELNYX_SOAK=1`` selects the full-size load test.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import pytest

REPORT_ENV = "TELNYX_RELIABILITY_REPORT"
SOAK_ENV = "TELNYX_SOAK"


class ReliabilityReport:
    """Everything the hardening tests measured, grouped by section."""

    def __init__(self) -> None:
        self.matrix: list[dict[str, Any]] = []
        self.figures: dict[str, dict[str, Any]] = {}
        self.started = time.time()

    def add_case(self, **entry: Any) -> None:
        self.matrix.append(entry)

    def add_figures(self, name: str, **figures: Any) -> None:
        self.figures[name] = figures

    def as_json(self, argv: list[str], duration: float) -> dict[str, Any]:
        return {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "command": " ".join(argv),
            "duration_seconds": round(duration, 2),
            "machine": machine(),
            "matrix": self.matrix,
            "figures": self.figures,
        }


def machine() -> dict[str, Any]:
    """Where the numbers came from."""
    import aiohttp

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "aiohttp": aiohttp.__version__,
    }


_REPORT = ReliabilityReport()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("telnyx-async hardening")
    group.addoption(
        "--reliability-report",
        default=None,
        metavar="PATH",
        help=f"write the fault matrix / load / cancellation summary as JSON (or set ${REPORT_ENV})",
    )
    group.addoption(
        "--soak",
        action="store_true",
        default=False,
        help=f"run the load test at full size (or set {SOAK_ENV}=1)",
    )


def _option(config: pytest.Config, name: str) -> Any:
    try:
        return config.getoption(name)
    except ValueError:  # this conftest was not an initial one: the option is unknown
        return None


def report_path(config: pytest.Config) -> str | None:
    return _option(config, "--reliability-report") or os.environ.get(REPORT_ENV) or None


def soak_enabled(config: pytest.Config) -> bool:
    return bool(_option(config, "--soak")) or os.environ.get(SOAK_ENV, "") not in ("", "0")


@pytest.fixture(scope="session")
def reliability() -> ReliabilityReport:
    """The session's report; tests add their cases and figures to it."""
    return _REPORT


@pytest.fixture(scope="session")
def soak(pytestconfig: pytest.Config) -> bool:
    """Whether the full-size load test was asked for."""
    return soak_enabled(pytestconfig)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = report_path(session.config)
    if not path or (not _REPORT.matrix and not _REPORT.figures):
        return
    data = _REPORT.as_json(
        [Path(sys.executable).name, "-m", "pytest", *session.config.invocation_params.args],
        time.time() - _REPORT.started,
    )
    data["exit_status"] = int(exitstatus)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
