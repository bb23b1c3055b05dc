"""The benchmark's bigger bodies: the fully populated assistant (S2f) and the ~4 MB one (S9).

``full_assistant()`` is meant to set every field our ``Assistant`` model has, at
every depth, so that S2f measures structuring all of it. These tests hold it to
that: structured with ``telnyx_async._converter.fit``, no attribute anywhere in
the tree is ``None``, no ``extra`` holds an unknown key, and every model class
reachable from ``Assistant`` (every variant of every union but the fallbacks for
unknown tags) is built at least once. When the models gain a field, the first
test names it, and the payload should gain it too.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from benchmarks import payloads, workload
from telnyx_async._structure import fit
from telnyx_async.models._base import UNIONS
from telnyx_async.models.assistant_tools import AssistantTool
from telnyx_async.models.assistants import Assistant


def fallbacks() -> set[type]:
    """The ``Unknown...`` classes unions fall back to for a tag they do not know.

    Model modules register their unions when they are first imported (lazily),
    so ask only after the models concerned are loaded.
    """
    return {spec.fallback for spec in UNIONS.values() if spec.fallback is not None}


def _classes_in(annotation: Any) -> Iterator[type]:
    """The attrs classes named anywhere in a type annotation (unions, lists, dicts)."""
    if isinstance(annotation, type) and attrs.has(annotation):
        yield annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType or origin in (list, dict, tuple):
        for arg in typing.get_args(annotation):
            yield from _classes_in(arg)


def reachable_classes(root: type) -> set[type]:
    """Every attrs class a ``root`` can contain, at any depth, following the type hints."""
    found: set[type] = set()
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in found:
            continue
        found.add(cls)
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            if field.name != "extra":
                todo.extend(_classes_in(hints[field.name]))
    return found


def walk(value: Any, path: str, built: set[type], faults: list[str]) -> None:
    """Record in ``faults`` every ``None`` attribute and non-empty ``extra`` under ``value``."""
    cls = type(value)
    if attrs.has(cls):
        built.add(cls)
        for field in attrs.fields(cls):
            item = getattr(value, field.name)
            where = f"{path}.{field.name}"
            if field.name == "extra":
                if item:
                    faults.append(f"{where} = {dict(item)!r}")
            elif item is None:
                faults.append(f"{where} is None")
            else:
                walk(item, where, built, faults)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            walk(item, f"{path}[{i}]", built, faults)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if item is None:
                faults.append(f"{path}[{key!r}] is None")
            else:
                walk(item, f"{path}[{key!r}]", built, faults)


def test_the_full_assistant_sets_every_field_of_every_model_and_nothing_unknown() -> None:
    parsed: Assistant = fit(json.loads(payloads.full_assistant_bytes()), Assistant)
    built: set[type] = set()
    faults: list[str] = []
    walk(parsed, "assistant", built, faults)
    assert faults == []
    reachable = reachable_classes(Assistant)
    assert not built & fallbacks(), "a union fell back to its Unknown... class"
    missing = reachable - fallbacks() - built
    assert sorted(c.__qualname__ for c in missing) == []


def test_the_full_assistant_has_twelve_tools_one_of_each_kind() -> None:
    parsed: Assistant = fit(json.loads(payloads.full_assistant_bytes()), Assistant)
    kinds = set(UNIONS[AssistantTool].variants.values())
    assert parsed.tools is not None
    assert len(parsed.tools) == 12 == len(kinds)
    assert {type(tool) for tool in parsed.tools} == kinds


def test_the_full_assistant_is_plain_json_without_nulls_and_matches_the_api() -> None:
    from spec_support import require_api, validate_response

    body = payloads.full_assistant()
    assert payloads.full_assistant_bytes() == json.dumps(body, separators=(",", ":")).encode()
    assert "null" not in json.dumps(body)
    assert 15_000 <= len(payloads.full_assistant_bytes()) <= 30_000
    validate_response(require_api(), "get", "/ai/assistants/{assistant_id}", 200, body)


def test_the_big_assistant_is_about_4_mb_of_distinct_tools_and_parses() -> None:
    body = payloads.big_assistant_bytes()
    assert 3_800_000 <= len(body) <= 4_200_000
    decoded = json.loads(body)
    assert decoded["id"] == payloads.BIG_ASSISTANT_ID == workload.BIG_ASSISTANT_ID
    tools = decoded["tools"]
    assert len(tools) >= 2_000
    names = [t[t["type"]]["name"] for t in tools if "name" in t[t["type"]]]
    assert len(names) == len(set(names)) > 1_000
    parsed: Assistant = fit(decoded, Assistant)
    assert parsed.tools is not None and len(parsed.tools) == len(tools)
    assert parsed.extra == {}
    small = payloads.big_assistant_bytes(target_bytes=50_000)
    assert 45_000 <= len(small) <= 55_000
