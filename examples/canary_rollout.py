"""Roll out a change to an assistant gradually: new version, 10 % canary, then promote.

Shows versions and canary deploys working together:

1. ``assistants.update(..., promote_to_main=False)`` saves the change as a new
   version without touching the one callers get;
2. ``canary_deploys.create(assistant_id, versions=[VersionConfig(version, 10)])``
   sends 10 % of the traffic to it (the rest stays on the main version);
3. after a soak period, ``versions.promote`` makes it the main version and
   ``canary_deploys.delete`` ends the split: everyone gets the new version.

    TELNYX_API_KEY=... python examples/canary_rollout.py ASSISTANT_ID \\
        --instructions "New instructions..." [--percent 10] [--soak 600]

Without ASSISTANT_ID the first assistant of the account is used. Watch your
metrics during the soak; Ctrl-C leaves the canary in place for you to inspect.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from telnyx_async import AsyncTelnyx
from telnyx_async.resources.canary_deploys import VersionConfig


async def main(argv: Sequence[str] | None = None) -> str:
    """Roll the change out; return the ID of the version that is now main."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("assistant_id", nargs="?", help="default: the first assistant")
    parser.add_argument(
        "--instructions",
        default="You help customers with their orders. Answer in at most two sentences.",
    )
    parser.add_argument("--percent", type=float, default=10.0, help="canary share, default 10")
    parser.add_argument("--soak", type=float, default=600.0, help="seconds before promoting")
    args = parser.parse_args(argv)

    async with AsyncTelnyx() as client:
        assistant_id = args.assistant_id
        if assistant_id is None:
            first = await client.ai.assistants.list().to_list(limit=1)
            if not first:
                raise SystemExit("the account has no assistants")
            assistant_id = first[0].id
        current = await client.ai.assistants.retrieve(assistant_id)
        print(f"assistant {current.name!r}: main version {current.version_id}")

        # 1. The change, saved as a version of its own; callers still get the main one.
        candidate = await client.ai.assistants.update(
            assistant_id,
            instructions=args.instructions,
            version_name="canary candidate",
            promote_to_main=False,
        )
        version_id = candidate.version_id
        assert version_id is not None, "the API always names the version it saved"
        print(f"saved version {version_id}")

        # 2. A share of the traffic goes to it (idempotent: safe to retry).
        canary = await client.ai.assistants.canary_deploys.create(
            assistant_id, versions=[VersionConfig(version_id, args.percent)]
        )
        for rule in canary.rules:
            for slot in rule.serve.rollout or []:
                print(f"canary: {slot.weight:g}% of calls to version {slot.version_id}")

        # 3. Soak, then everyone gets the new version and the split ends.
        await asyncio.sleep(args.soak)
        promoted = await client.ai.assistants.versions.promote(
            version_id, assistant_id=assistant_id
        )
        await client.ai.assistants.canary_deploys.delete(assistant_id)
        print(f"promoted: main version is now {promoted.version_id}; canary removed")
        return version_id


if __name__ == "__main__":
    asyncio.run(main())
