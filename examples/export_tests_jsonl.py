"""Export every assistant test to a JSON Lines file, one test per line.

Shows ``async for`` over a list: the pager follows the pages by itself
(fetching the next ones ahead while lines are written), so this works the same
for 5 tests or 50 000.

    TELNYX_API_KEY=... python examples/export_tests_jsonl.py tests.jsonl [--suite NAME]

Each line is the test as the API sends it (``test.to_dict()``), so the file can
be loaded back with ``AssistantTestResponse.from_dict(json.loads(line))``.
``TELNYX_BASE_URL`` points the script at another server, e.g. a FakeTelnyx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

from telnyx_async import AsyncTelnyx

BATCH = 500
"""Lines written to the file at a time."""


async def main(argv: Sequence[str] | None = None) -> int:
    """Write the tests to the file named on the command line; return how many."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("output", nargs="?", default="tests.jsonl", help="default: tests.jsonl")
    parser.add_argument("--suite", help="only the tests of this suite")
    args = parser.parse_args(argv)

    count = 0
    path = Path(args.output)
    # File I/O blocks, so it runs in a thread, a batch of lines at a time.
    out = await asyncio.to_thread(path.open, "w", encoding="utf-8")
    try:
        async with AsyncTelnyx() as client:  # TELNYX_API_KEY / TELNYX_BASE_URL from the env
            # The largest page the API allows: fewer requests for a big export.
            pager = (
                client.ai.assistants.tests.list(test_suite=args.suite, page_size=100)
                if args.suite
                else client.ai.assistants.tests.list(page_size=100)
            )
            lines: list[str] = []
            async for test in pager:  # every test, page after page
                lines.append(json.dumps(test.to_dict(), ensure_ascii=False) + "\n")
                count += 1
                if len(lines) >= BATCH:
                    await asyncio.to_thread(out.writelines, lines)
                    lines = []
            await asyncio.to_thread(out.writelines, lines)
    finally:
        await asyncio.to_thread(out.close)
    print(f"wrote {count} test(s) to {path}")
    return count


if __name__ == "__main__":
    asyncio.run(main())
