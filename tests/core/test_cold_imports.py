"""What a cold start loads: only what the first call needs.

Checked in a fresh interpreter each time (an import is only visible there).
The first ``assistants.retrieve`` must not build what only other calls use:
the settings ``TypedDict`` of ``create``/``update`` is imported by those
methods, when they are first called.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

_STUB = """
import asyncio, json, sys
from multidict import CIMultiDict, CIMultiDictProxy
import telnyx_async
from telnyx_async import Response

SETTINGS = "telnyx_async.resources._assistant_settings"
ASSISTANT = {"id": "assistant-1", "name": "Support", "model": "m", "instructions": "Be kind.",
             "created_at": "2026-01-01T00:00:00Z"}

async def transport(request):
    body = json.dumps(ASSISTANT).encode()
    return Response(status=200, headers=CIMultiDictProxy(CIMultiDict()), body=body,
                    elapsed=0.0, request=request)

async def main():
    async with telnyx_async.AsyncTelnyx("key", transport=transport) as client:
        assert (await client.ai.assistants.retrieve("assistant-1")).name == "Support"
        after_retrieve = SETTINGS in sys.modules
        created = await client.ai.assistants.create(instructions="Be kind.", name="Support",
                                                    greeting="Hello")
        updated = await client.ai.assistants.update("assistant-1", greeting="Hi")
        return after_retrieve, created.name, updated.name, SETTINGS in sys.modules

print(json.dumps(asyncio.run(main())))
"""


def test_the_first_retrieve_does_not_build_the_settings_of_create_and_update() -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_STUB)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    after_retrieve, created, updated, after_update = json.loads(result.stdout.splitlines()[-1])
    assert after_retrieve is False
    assert (created, updated) == ("Support", "Support")
    assert after_update is True
