"""A throwaway ``redis-server`` on a free loopback port: for S8's ``ours-redis`` and tests/redis.

    with RedisServer() as server:       # or server.start() ... server.stop()
        url = server.url                  # redis://127.0.0.1:PORT/0

It runs ``redis-server --port N --bind 127.0.0.1 --save '' --appendonly no``
in a temporary directory of its own, logs to its standard output (read until
"Ready to accept connections", then drained by a thread), and is stopped by
its PID (SIGTERM, then SIGKILL if it lingers). :meth:`stop` keeps the port, so
:meth:`start` brings the server back where clients expect it; :meth:`pause`
and :meth:`resume` (SIGSTOP/SIGCONT) make it a server that does not answer.
Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from pathlib import Path
from types import TracebackType

__all__ = ["INSTALL_HINT", "RedisServer", "RedisServerError", "find_redis_server"]

INSTALL_HINT = "redis-server is not installed: apt-get install redis-server"
READY = "Ready to accept connections"


class RedisServerError(RuntimeError):
    """``redis-server`` could not be started."""


def find_redis_server() -> str | None:
    """The path of the ``redis-server`` binary, or ``None`` when it is not installed."""
    return shutil.which("redis-server")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One ``redis-server`` process on 127.0.0.1, in a temporary directory of its own."""

    def __init__(self, binary: str | None = None, *, startup_timeout: float = 15.0) -> None:
        found = binary or find_redis_server()
        if found is None:
            raise RedisServerError(INSTALL_HINT)
        self.binary = found
        self.port = 0
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[str] | None = None
        self.log: list[str] = []
        self._dir = tempfile.TemporaryDirectory(prefix="telnyx-redis-")
        self._drain: threading.Thread | None = None

    @property
    def pid(self) -> int:
        """The server's process id (it must be running)."""
        if self.proc is None:
            raise RedisServerError("redis-server is not running")
        return self.proc.pid

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        """Whether the process is alive (paused counts as alive)."""
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> RedisServer:
        """Start the server (on its old port after :meth:`stop`) and wait until it is ready."""
        if self.running:
            return self
        attempts = 1 if self.port else 3  # a fresh port may be taken between the probe and bind
        for attempt in range(attempts):
            if not self.port or attempt:
                self.port = free_port()
            if self._spawn():
                return self
        raise RedisServerError("redis-server did not start:\n" + "\n".join(self.log[-10:]))

    def _spawn(self) -> bool:
        args = [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", self._dir.name,
            "--logfile", "", "--daemonize", "no",
        ]
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, cwd=self._dir.name,
        )
        settled = threading.Event()  # set at "Ready to accept connections", or when it exits
        ready: list[bool] = []
        drain = threading.Thread(target=self._read, args=(proc, settled, ready), daemon=True)
        drain.start()
        if not settled.wait(self.startup_timeout):
            self.log.append("(no 'Ready to accept connections' in time)")
        if not ready:
            proc.kill()
            proc.wait()
            drain.join(timeout=5)
            if proc.stdout is not None:
                proc.stdout.close()
            return False
        self.proc = proc
        self._drain = drain
        return True

    def _read(
        self, proc: subprocess.Popen[str], settled: threading.Event, ready: list[bool]
    ) -> None:
        """Keep the log (and the pipe empty); say when the server is ready, or gone."""
        assert proc.stdout is not None
        for line in proc.stdout:
            self.log.append(line.rstrip())
            if not ready and READY in line:
                ready.append(True)
                settled.set()
        settled.set()

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM; SIGKILL after 10 s). The port is kept."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGCONT)  # a paused server cannot act on SIGTERM
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._drain is not None:
            self._drain.join(timeout=5)
            self._drain = None
        if proc.stdout is not None:
            proc.stdout.close()

    def pause(self) -> None:
        """SIGSTOP: the server keeps its connections but answers nothing."""
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT after :meth:`pause`."""
        os.kill(self.pid, signal.SIGCONT)

    def close(self) -> None:
        """Stop the server and remove its directory."""
        self.stop()
        self._dir.cleanup()

    def flush(self) -> None:
        """``FLUSHALL`` over a plain socket (no client library needed)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"*1\r\n$8\r\nFLUSHALL\r\n")
            reply = sock.recv(64)
        if not reply.startswith(b"+OK"):
            raise RedisServerError(f"FLUSHALL failed: {reply!r}")

    @property
    def directory(self) -> Path:
        """The server's own temporary directory."""
        return Path(self._dir.name)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
