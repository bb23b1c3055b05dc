"""Fixtures for the FakeTelnyx tests: a fake on a FakeClock and a raw aiohttp session.

This folder is a package (it has ``__init__.py``) so that this file is imported
as ``testing.conftest`` and does not take the name ``conftest`` from the
suite-wide one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from telnyx_async.testing import FakeClock, FakeTelnyx

from ._fake_http import Api


@pytest.fixture
def clock() -> FakeClock:
    """The FakeClock driving the fake's runs and rate limiter."""
    return FakeClock(1000.0)


@pytest.fixture
async def fake(clock: FakeClock) -> AsyncIterator[FakeTelnyx]:
    """A running FakeTelnyx on ``clock`` accepting the key ``test-key``."""
    async with FakeTelnyx(api_key="test-key", clock=clock) as running:
        yield running


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
def api(fake: FakeTelnyx, session: aiohttp.ClientSession) -> Api:
    """Raw HTTP against ``fake`` with its key."""
    return Api(fake, session)
