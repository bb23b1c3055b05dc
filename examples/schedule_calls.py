"""Schedule an assistant to call a few people, then list what is scheduled in a time window.

Shows ``scheduled_events.create`` (one call per target, spaced a few minutes
apart) and ``scheduled_events.list`` filtered by ``from_date``/``to_date``,
iterated with ``async for``. Datetimes are timezone-aware; a naive one would be
taken as UTC.

    TELNYX_API_KEY=... python examples/schedule_calls.py +15551230001 +15551230002 \\
        --assistant ASSISTANT_ID --from-number +15550100000 [--start 2030-01-01T09:00:00+00:00]

Without ``--assistant`` the first assistant of the account is used; without
``--start``, calls begin an hour from now.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from collections.abc import Sequence

from telnyx_async import AsyncTelnyx
from telnyx_async.models import ScheduledPhoneCallEventResponse

SPACING = dt.timedelta(minutes=5)


async def main(argv: Sequence[str] | None = None) -> list[str]:
    """Schedule the calls; return the IDs of the scheduled events listed in the window."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("targets", nargs="*", default=["+15551230001", "+15551230002"])
    parser.add_argument("--assistant", help="default: the first assistant")
    parser.add_argument("--from-number", default="+15550100000", help="the number calling out")
    parser.add_argument("--start", type=dt.datetime.fromisoformat, help="ISO 8601; default +1h")
    args = parser.parse_args(argv)

    start: dt.datetime = args.start or dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.timezone.utc)

    async with AsyncTelnyx() as client:
        assistant_id = args.assistant
        if assistant_id is None:
            first = await client.ai.assistants.list().to_list(limit=1)
            if not first:
                raise SystemExit("the account has no assistants")
            assistant_id = first[0].id
        events = client.ai.assistants.scheduled_events

        for i, target in enumerate(args.targets):
            event = await events.create(
                assistant_id,
                scheduled_at_fixed_datetime=start + i * SPACING,
                telnyx_agent_target=args.from_number,
                telnyx_conversation_channel="phone_call",
                telnyx_end_user_target=target,
                conversation_metadata={"campaign": "example"},
            )
            when = event.scheduled_at_fixed_datetime
            print(f"scheduled {event.scheduled_event_id}: call {target} at {when:%Y-%m-%d %H:%M}")

        window_end = start + len(args.targets) * SPACING
        listed: list[str] = []
        async for item in events.list(assistant_id, from_date=start, to_date=window_end):
            if isinstance(item, ScheduledPhoneCallEventResponse):  # calls, not texts
                when = item.scheduled_at_fixed_datetime
                print(f"{when:%Y-%m-%d %H:%M} {item.telnyx_end_user_target} {item.status}")
                listed.append(item.scheduled_event_id or "")
        print(f"{len(listed)} call(s) scheduled between {start:%H:%M} and {window_end:%H:%M} UTC")
        return listed


if __name__ == "__main__":
    asyncio.run(main())
