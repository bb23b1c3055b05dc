"""An empty path ID is a ``ValueError`` worded as the official SDK words it, before anything is sent.

Users' own tests match ``Expected a non-empty value for `assistant_id` but
received ''``. Every path parameter of every operation (those of the spec and
those of the newer API) is tried empty, through the plain method, its raw
variant and its streamed variant; the transport must never be reached.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from surface import IDS, NEWER_OPERATIONS, OPERATIONS, Operation

from telnyx_async import AsyncTelnyx, Request, Response
from telnyx_async._resource import Resource

ALL_OPERATIONS = {**OPERATIONS, **NEWER_OPERATIONS}
CASES = [
    (key, name)
    for key in sorted(ALL_OPERATIONS)
    for name in re.findall(r"\{(\w+)\}", key[1])
]


class Via:
    """``client`` as seen through ``with_raw_response`` or ``with_streaming_response``."""

    def __init__(self, target: Any, mode: str) -> None:
        self._target = target
        self._mode = mode

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, Resource):
            return Via(value, self._mode)
        if self._mode == "raw":
            return getattr(self._target.with_raw_response, name)
        streamed = getattr(self._target.with_streaming_response, name)

        def enter(*args: Any, **kwargs: Any) -> Any:
            async def inside() -> Any:
                async with streamed(*args, **kwargs) as response:
                    return response

            return inside()

        return enter


async def _never(request: Request) -> Response:
    raise AssertionError(f"{request.method} {request.path} was sent")


@pytest.mark.parametrize("mode", ["plain", "raw", "streamed"])
@pytest.mark.parametrize(
    ("key", "name"), CASES, ids=[f"{m} {p} {n}" for (m, p), n in CASES]
)
async def test_an_empty_path_id_is_refused_with_the_official_message(
    key: tuple[str, str], name: str, mode: str
) -> None:
    op: Operation = ALL_OPERATIONS[key]
    async with AsyncTelnyx(api_key="k", transport=_never, throttle=None) as client:
        target: Any = client if mode == "plain" else Via(client, mode)
        expected = f"Expected a non-empty value for `{name}` but received ''"
        with pytest.raises(ValueError, match=re.escape(expected)):
            await op.invoke(target, {**IDS, name: ""})


def test_every_path_parameter_is_covered() -> None:
    names = {name for _, name in CASES}
    assert names == {
        "assistant_id", "event_id", "integration_id", "mcp_server_id", "run_id", "suite_name",
        "tag", "test_id", "tool_id", "user_connection_id", "version_id",
    }
    assert len(CASES) >= 57
