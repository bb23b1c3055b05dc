"""Fixtures for the command-line tests.

``main()`` runs its own event loop (``asyncio.run``), so a fake it should talk
to over ``TELNYX_BASE_URL`` lives on a loop in a background thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest

from telnyx_async.testing import FakeTelnyx

_T = TypeVar("_T")


class ThreadedFake:
    """A FakeTelnyx serving from its own event loop in a daemon thread."""

    def __init__(self, **kwargs: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake = FakeTelnyx(**kwargs)
        self.run(self.fake.start())

    def run(self, coro: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    def call(self, fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run a plain function of the fake on its loop's thread."""

        async def go() -> _T:
            return fn(*args, **kwargs)

        return self.run(go())

    def close(self) -> None:
        self.run(self.fake.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own key or URL."""
    for name in ("TELNYX_API_KEY", "TELNYX_BASE_URL", "TELNYX_ASYNC_DEBUG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def threaded_fake() -> Iterator[ThreadedFake]:
    served = ThreadedFake(api_key="sk-right-key")
    try:
        yield served
    finally:
        served.close()


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[ThreadedFake, str], None]:
    """Point the CLI at a threaded fake with the given key."""

    def point(served: ThreadedFake, key: str) -> None:
        monkeypatch.setenv("TELNYX_BASE_URL", served.fake.url)
        monkeypatch.setenv("TELNYX_API_KEY", key)

    return point
