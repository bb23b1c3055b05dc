"""One process of ``test_admission_is_atomic_across_processes``.

    python tests/redis/_admit_worker.py REDIS_URL NAMESPACE COUNT RATE

Prints ``ready``, waits for a line on standard input (so that every process
starts admitting at once), admits COUNT requests concurrently through one
``RedisThrottle(rate=RATE)`` and prints them as JSON: ``[[ticket, time], ...]``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from telnyx_async import RedisThrottle, RequestDefaults, Timeout, build_request


async def admit_all(url: str, namespace: str, count: int, rate: float) -> list[list[float]]:
    defaults = RequestDefaults(base_url="http://127.0.0.1:9/v2", headers={}, timeout=Timeout())
    request = build_request(defaults, "GET", "/ai/assistants")
    admitted: list[list[float]] = []
    async with RedisThrottle(url, namespace=namespace, rate=rate) as throttle:

        async def one() -> None:
            ticket = await throttle.admit(request)
            admitted.append([ticket.seq, time.time()])
            await throttle.learn(ticket, None)

        await asyncio.gather(*(one() for _ in range(count)))
        assert throttle.on_redis
    return admitted


def main() -> None:
    url, namespace, count, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    print(json.dumps(asyncio.run(admit_all(url, namespace, count, rate))), flush=True)


if __name__ == "__main__":
    main()
