"""Everything reachable from an exception that a person, a logger or an error tracker could see.

:func:`reachable_texts` walks the object graph from an error: its ``str``,
``repr`` and formatted traceback; its ``args``; its ``__cause__`` and
``__context__`` chain; the attributes of every object met on the way (instance
``__dict__``/``__slots__``, attrs and dataclass fields, named tuples, mappings
and sequences), a few levels deep. It yields ``(where, text)`` pairs, where
``where`` is the path that led there (``.__cause__.args[0].headers['X']``).

Frames (``__traceback__``) are not walked: their local variables are the
program's working state, not something an error shows; the formatted
traceback text is.
"""

from __future__ import annotations

import dataclasses
import traceback
import types
from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

__all__ = ["find_secrets", "reachable_texts"]

_SKIP = (
    types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
    types.CodeType, types.FrameType, types.TracebackType, type,
)
_SCALARS = (int, float, complex, bool, type(None))


def _safe(render: Any, obj: object) -> str:
    try:
        return str(render(obj))
    except Exception as exc:  # a repr that fails is not a leak, but say so
        return f"<{render.__name__} failed: {type(exc).__name__}>"


def _children(obj: object) -> Iterator[tuple[str, object]]:
    if isinstance(obj, BaseException):
        yield ".args", obj.args
        yield ".__cause__", obj.__cause__
        yield ".__context__", obj.__context__
        yield ".__notes__", getattr(obj, "__notes__", None)
    if isinstance(obj, Mapping):
        try:
            items = list(obj.items())
        except Exception:
            items = []
        for key, value in items:
            yield f"[{key!r}].key", key
            yield f"[{key!r}]", value
        return
    if isinstance(obj, (list, tuple, set, frozenset)):
        for index, value in enumerate(obj):
            yield f"[{index}]", value
        fields = getattr(obj, "_fields", None)  # a named tuple: its fields by name too
        if isinstance(fields, tuple):
            for name in fields:
                yield f".{name}", getattr(obj, name, None)
        return
    if attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            yield f".{field.name}", getattr(obj, field.name, None)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for dc_field in dataclasses.fields(obj):
            yield f".{dc_field.name}", getattr(obj, dc_field.name, None)
    for name, value in getattr(obj, "__dict__", {}).items():
        if name != "__traceback__":
            yield f".{name}", value
    for cls in type(obj).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if isinstance(name, str) and hasattr(obj, name):
                yield f".{name}", getattr(obj, name, None)


def reachable_texts(root: object, *, depth: int = 6) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for every rendering of every object within ``depth`` steps of ``root``."""
    seen: set[int] = set()
    queue: deque[tuple[str, object, int]] = deque([("error", root, 0)])
    while queue:  # breadth first: each object is met by its shortest path
        where, obj, level = queue.popleft()
        if obj is None or isinstance(obj, _SKIP) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            yield where, obj
            continue
        if isinstance(obj, (bytes, bytearray, memoryview)):
            yield where, bytes(obj).decode("latin-1")
            continue
        if isinstance(obj, _SCALARS):
            continue
        yield f"str({where})", _safe(str, obj)
        yield f"repr({where})", _safe(repr, obj)
        if isinstance(obj, BaseException):
            yield f"traceback({where})", "".join(traceback.format_exception(obj))
        if level >= depth:
            continue
        for step, child in _children(obj):
            queue.append((where + step, child, level + 1))


def find_secrets(root: object, secrets: list[str], *, depth: int = 6) -> list[str]:
    """Where any of ``secrets`` shows in what is reachable from ``root`` (empty: nowhere)."""
    found = []
    for where, text in reachable_texts(root, depth=depth):
        for secret in secrets:
            if secret and secret in text:
                found.append(f"{where}: {secret[:4]}... in {text[:160]!r}")
    return found
