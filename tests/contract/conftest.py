"""Stoplight Prism serving ``../shared/spec`` for the contract tests, one server per session.

The ``prism`` fixture finds the spec and ``npm`` (skipping with a reason when
either is missing), installs a pinned ``@stoplight/prism-cli`` into
``.cache/prism/`` unless that exact version is already there, starts
``prism mock <spec> --host 127.0.0.1 --port <free port> --errors`` (request
validation on, static examples: no ``--dynamic``), waits until it answers and
stops it when the session ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from surface import REPO_ROOT, SPEC_PATH

PRISM_VERSION = "5.14.2"
"""Pinned: the newest Prism release that still runs on Node 18/20 (5.15+ need Node >= 24)."""
PRISM_DIR = REPO_ROOT / ".cache" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
_INSTALLED_MARK = PRISM_DIR / f".installed-{PRISM_VERSION}"
_INSTALL_TIMEOUT = 600.0
_START_TIMEOUT = 60.0
_PROBE_PATH = "/ai/assistants/tags"
"""A parameterless GET used to see Prism is up and where it serves the spec's paths."""


@dataclass(frozen=True)
class PrismServer:
    """A running Prism mock server."""

    base_url: str
    """What to pass as the SDK's ``base_url`` (the spec's paths are appended to it)."""
    root: str
    """``http://127.0.0.1:<port>``."""
    version: str
    command: tuple[str, ...]
    log_path: Path

    def log(self) -> str:
        """Everything Prism printed so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _installed_version() -> str | None:
    package = PRISM_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    try:
        version = json.loads(package.read_text(encoding="utf-8")).get("version")
    except (FileNotFoundError, ValueError):
        return None
    return version if isinstance(version, str) else None


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise installs across concurrent pytest sessions sharing ``.cache/`` (POSIX)."""
    PRISM_DIR.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock, installs are rare anyway
        yield
        return
    with open(PRISM_DIR.parent / "prism.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_installed() -> bool:
    return (
        _INSTALLED_MARK.is_file() and PRISM_BIN.exists() and _installed_version() == PRISM_VERSION
    )


def _ensure_prism(npm: str) -> Path:
    """Install the pinned Prism into ``.cache/prism`` unless it is already there."""
    if _is_installed():
        return PRISM_BIN
    with _install_lock():
        if _is_installed():  # another session installed it while we waited
            return PRISM_BIN
        if PRISM_DIR.exists():  # another version, or an interrupted install: start clean
            shutil.rmtree(PRISM_DIR)
        PRISM_DIR.mkdir(parents=True)
        command = [
            npm, "install", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund",
            "--save-exact", f"@stoplight/prism-cli@{PRISM_VERSION}",
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_INSTALL_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"`{' '.join(command)}` took longer than {_INSTALL_TIMEOUT:.0f}s: {exc}")
        if done.returncode != 0 or not PRISM_BIN.exists():
            pytest.fail(
                f"could not install Stoplight Prism (`{' '.join(command)}` exited "
                f"{done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
            )
        _INSTALLED_MARK.write_text(f"{PRISM_VERSION}\n", encoding="utf-8")
    return PRISM_BIN


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""Straight to 127.0.0.1, whatever ``*_proxy`` variables say."""


def _probe(url: str) -> int | None:
    """The HTTP status ``url`` answers with, or ``None`` when nothing answers yet."""
    request = urllib.request.Request(url, headers={"Authorization": "Bearer probe"})
    try:
        with _DIRECT.open(request, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code
    except (OSError, ValueError):
        return None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    else:
        process.wait()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    """A Prism mock of the spec with request validation (``--errors``), for the session."""
    spec = SPEC_PATH.resolve()
    if not spec.is_file():
        pytest.skip(f"OpenAPI spec not found at {spec} (../shared/spec/ beside the repo)")
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("npm not found: contract tests need Node/npm to run Stoplight Prism")
    binary = _ensure_prism(npm)

    port = _free_port()
    root = f"http://127.0.0.1:{port}"
    command = (
        str(binary), "mock", str(spec), "--host", "127.0.0.1", "--port", str(port), "--errors",
    )
    log_path = tmp_path_factory.mktemp("prism") / "prism.log"
    with open(log_path, "wb") as log:  # Prism logs every request: never a pipe that can fill
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
        )
    server = None
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        status = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            status = _probe(root + _PROBE_PATH)
            if status is not None:
                break
            time.sleep(0.25)
        if status is None:
            why = (
                f"exited with code {process.returncode}"
                if process.poll() is not None
                else f"did not answer within {_START_TIMEOUT:.0f}s"
            )
            output = log_path.read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"Prism ({' '.join(command)}) {why}; its output:\n{output[-6000:]}")
        # Prism serves the operation paths with or without the server URL's base path
        # (/v2) depending on its version: use whichever this one answers.
        base_url = None
        for candidate in (root + "/v2", root):
            if _probe(candidate + _PROBE_PATH) == 200:
                base_url = candidate
                break
        if base_url is None:
            pytest.fail(
                f"Prism is up but answers neither {root}/v2{_PROBE_PATH} nor {root}{_PROBE_PATH}"
                f" with 200; its output:\n{log_path.read_text(errors='replace')[-6000:]}"
            )
        server = PrismServer(
            base_url=base_url, root=root, version=PRISM_VERSION, command=command,
            log_path=log_path,
        )
        yield server
    finally:
        with contextlib.suppress(Exception):
            _stop(process)
