"""A real ``redis-server`` for the tests of this folder, on a free loopback port.

``redis_server`` (one per session) and ``own_redis`` (one per test, for tests
that stop, pause or restart it) run ``redis-server --port N --bind 127.0.0.1
--save '' --appendonly no`` in a temporary directory of their own and stop it
by its PID (see ``benchmarks/redis_server.py``, which S8 uses too).

Without the ``redis-server`` binary (or redis-py), the tests here are skipped
with a reason that says how to install it; in CI (``CI=true``) that is a
failure instead: CI must run them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator

import pytest

from benchmarks.redis_server import INSTALL_HINT, RedisServer, find_redis_server

IN_CI = os.environ.get("CI") == "true"
REDIS_PY_HINT = 'redis-py is not installed: pip install -e ".[test]"'


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: these tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def require_redis() -> str:
    """The ``redis-server`` binary; skip (fail in CI) when it or redis-py is missing."""
    binary = find_redis_server()
    if binary is None or shutil.which("redis-cli") is None:
        _missing(INSTALL_HINT)
    if importlib.util.find_spec("redis") is None:
        _missing(REDIS_PY_HINT)
    assert binary is not None
    return binary


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server for the session (tests get it empty through ``redis_url``)."""
    server = RedisServer(require_redis())
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's server, emptied for this test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of this test's own, to stop, pause and restart at will."""
    server = RedisServer(require_redis())
    server.start()
    try:
        yield server
    finally:
        server.close()

