"""How close structuring is to the cost of building the objects at all.

For S2's and S2f's assistants and a page of S4's tests, prints (microseconds,
median of ``--repeat`` timings, garbage collector paused as the SDK pauses it):

* our structuring (``_converter.fit``) of the decoded JSON;
* the floor: making the same tree of model objects with ``object.__new__`` and
  each slot's setter, reading nothing and checking nothing;
* ``json.loads`` and the SDK's ``_json.loads`` (orjson when installed) of the
  same bytes.

Usage: ``python benchmarks/structuring_floor.py [--repeat 2000]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.payloads import (
    assistant_bytes,
    full_assistant_bytes,
    test_page_bytes,
)
from telnyx_async import _json
from telnyx_async._model_support import set_extra, slot_setters
from telnyx_async._structure import fit
from telnyx_async.models._base import NO_EXTRA, Model
from telnyx_async.models.assistants import Assistant
from telnyx_async.models.tests import AssistantTestResponse

_Plan = list[tuple[type[Model], tuple[Callable[[Any, Any], None], ...]]]


def plan_of(value: Any, plan: _Plan) -> _Plan:
    """Every model object in ``value``'s tree, with the setters of its fields."""
    if isinstance(value, list):
        for item in value:
            plan_of(item, plan)
    elif isinstance(value, Model):
        cls = type(value)
        names = [f.name for f in attrs.fields(cls) if f.name != "extra"]
        plan.append((cls, slot_setters(cls, *names)))
        for name in names:
            plan_of(getattr(value, name), plan)
    return plan


def build_only(plan: _Plan) -> None:
    """Make the objects of ``plan`` and fill every slot, as structuring must at the least."""
    new = object.__new__
    for cls, setters in plan:
        obj = new(cls)
        for setter in setters:
            setter(obj, None)
        set_extra(obj, NO_EXTRA)


def median_us(work: Callable[[], object], repeat: int) -> float:
    """The median time of ``work()`` in microseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args(argv)
    cases: list[tuple[str, bytes, Any, Callable[[Any], Any]]] = [
        ("S2 assistant", assistant_bytes(), Assistant, lambda doc: doc),
        ("S2f assistant", full_assistant_bytes(), Assistant, lambda doc: doc),
        ("S4 page of 100 tests", test_page_bytes(100_000, 1, 100),
         list[AssistantTestResponse], lambda doc: doc["data"]),
    ]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _print_rows(cases, args.repeat)
    finally:
        if was_enabled:
            gc.enable()
    print(f"(_json.loads reads with orjson: {_json.orjson_in_use()})")
    return 0


def _print_rows(cases: list[tuple[str, bytes, Any, Callable[[Any], Any]]], repeat: int) -> None:
    print(f"{'body':22} {'bytes':>7} {'models':>6} {'fields':>6} {'fit us':>8} "
          f"{'floor us':>8} {'json.loads us':>13} {'_json.loads us':>14}")
    for label, body, cls, part in cases:
        data = part(json.loads(body))
        plan = plan_of(fit(data, cls), [])
        fields = sum(len(setters) for _, setters in plan)
        structure = median_us(lambda: fit(data, cls), repeat)  # noqa: B023
        floor = median_us(lambda: build_only(plan), repeat)  # noqa: B023
        stdlib = median_us(lambda: json.loads(body), repeat)  # noqa: B023
        ours = median_us(lambda: _json.loads(body), repeat)  # noqa: B023
        print(f"{label:22} {len(body):7,} {len(plan):6} {fields:6} {structure:8.0f} "
              f"{floor:8.0f} {stdlib:13.0f} {ours:14.0f}")


if __name__ == "__main__":
    sys.exit(main())
