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


_READ_WITHOUT_CATTRS = """
import asyncio, json, sys
sys.path.insert(0, {root!r})
from multidict import CIMultiDict, CIMultiDictProxy
from benchmarks import payloads
import telnyx_async
from telnyx_async import Response

seen = {{"after import": "cattrs" in sys.modules}}

async def transport(request):
    return Response(status=200, headers=CIMultiDictProxy(CIMultiDict()),
                    body=payloads.full_assistant_bytes(), elapsed=0.0, request=request)

async def main():
    async with telnyx_async.AsyncTelnyx("key", transport=transport) as client:
        assistant = await client.ai.assistants.retrieve("assistant-1")
        seen["after retrieve"] = "cattrs" in sys.modules
        seen["tools"] = len(assistant.tools)
        seen["round trip"] = telnyx_async.models.Assistant.from_dict(assistant.to_dict()) == assistant
        seen["after to_dict"] = "cattrs" in sys.modules

asyncio.run(main())
print(json.dumps(seen))
"""


def test_reading_responses_never_loads_cattrs_writing_models_does() -> None:
    """cattrs is only for unstructuring (and types the generator did not write)."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", _READ_WITHOUT_CATTRS.format(root=root)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen == {
        "after import": False,
        "after retrieve": False,
        "tools": 12,
        "round trip": True,
        "after to_dict": True,
    }
