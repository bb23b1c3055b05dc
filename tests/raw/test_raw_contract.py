"""Raw and streamed variants of every spec operation against Stoplight Prism serving the spec.

Prism (``--errors``, static examples) refuses any request that breaks the API
document, and answers the same example to the same request; so for every
operation the raw variant's ``parse()`` and the streamed variant's ``parse()``
must equal what the plain call returns, with a 2xx and no retry.

Run: ``python -m pytest -m contract tests/raw``. Needs Node/npm (see
``tests/contract/conftest.py``, whose ``prism`` fixture this uses).
"""

from __future__ import annotations

from typing import Any

import pytest
from contract.conftest import PrismServer, prism
from surface import IDS, OPERATIONS, Operation, resolve

from telnyx_async import APIResponse, AsyncPager, AsyncTelnyx

pytestmark = pytest.mark.contract
__all__ = ["prism"]  # the fixture, shared with tests/contract


class Via:
    """``client`` as seen through one of the two views (``raw`` or ``streamed``)."""

    def __init__(self, target: Any, mode: str) -> None:
        self._target = target
        self._mode = mode

    def __getattr__(self, name: str) -> Any:
        from telnyx_async._resource import Resource

        value = getattr(self._target, name)
        if isinstance(value, Resource):
            return Via(value, self._mode)
        if self._mode == "raw":
            return getattr(self._target.with_raw_response, name)
        streamed = getattr(self._target.with_streaming_response, name)

        def enter(*args: Any, **kwargs: Any) -> Any:
            async def inside() -> tuple[int, int, Any]:
                async with streamed(*args, **kwargs) as response:
                    return response.status_code, response.retries_taken, await response.parse()

            return inside()

        return enter


async def _plain(op: Operation, client: AsyncTelnyx) -> Any:
    result = await op.invoke(client, IDS)
    if isinstance(result, AsyncPager):
        return await result
    return result


@pytest.mark.parametrize(
    "key", sorted(OPERATIONS), ids=[f"{m} {p}" for m, p in sorted(OPERATIONS)]
)
async def test_raw_and_streamed_parse_to_the_plain_result(
    prism: PrismServer, key: tuple[str, str]
) -> None:
    op = OPERATIONS[key]
    async with AsyncTelnyx(api_key="test-key", base_url=prism.base_url, max_retries=0) as client:
        resolve(client, op.method)  # exists
        plain = await _plain(op, client)
        raw = await op.invoke(Via(client, "raw"), IDS)
        assert isinstance(raw, APIResponse)
        assert 200 <= raw.status_code < 300, await raw.text()
        assert "sl-violations" not in raw.headers, raw.headers["sl-violations"]
        assert raw.retries_taken == 0
        assert raw.method == key[0]
        assert raw.http_request.url.startswith(prism.base_url)
        assert await raw.parse() == plain
        status, retries, parsed = await op.invoke(Via(client, "streamed"), IDS)
        assert (200 <= status < 300, retries) == (True, 0)
        assert parsed == plain
