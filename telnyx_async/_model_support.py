"""What the generated structure functions build models with, besides the converter.

``scripts/gen_models.py`` writes one structure function per model; these are
the small, converter-free steps they share: take a JSON object, make an empty
instance, fill its slots, keep the unknown keys in ``extra``.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from typing import Any, cast

from telnyx_async.models._base import Model

__all__ = [
    "as_object",
    "extra_of",
    "json_object",
    "new_instance",
    "set_extra",
    "slot_setters",
]

def as_object(value: Any) -> Mapping[str, Any]:
    """A JSON object (any mapping) as is; anything else is a ``TypeError``."""
    result: Mapping[str, Any] = value
    if value.__class__ is not dict and not isinstance(result, Mapping):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    return result


def extra_of(data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The entries of ``data`` whose keys are not in ``known`` (what ``extra`` keeps)."""
    return {k: v for k, v in data.items() if k not in known}


def json_object(value: Any) -> dict[str, Any]:
    """The converter's rule for a free-form ``dict[str, Any]`` field: a copy of an object."""
    return dict(as_object(value))


new_instance = object.__new__
"""An empty instance, for generated code that fills its slots itself."""

_Setter = Callable[[Any, Any], None]

set_extra: _Setter = cast("_Setter", vars(Model)["extra"].__set__)
"""Sets ``extra`` on a model made by ``new_instance``."""


def slot_setters(cls: type[Model], *names: str) -> tuple[_Setter, ...]:
    """The ``__set__`` of each named slot of ``cls``, for generated structure functions.

    Filling slots through their descriptors skips attrs' keyword ``__init__``
    (which also only fills the slots, for these classes) at half the cost.
    Raises ``TypeError`` if a name is not a slot of ``cls`` itself.
    """
    setters: list[_Setter] = []
    for name in names:
        slot = vars(cls).get(name)
        if not isinstance(slot, types.MemberDescriptorType):
            raise TypeError(f"{cls.__name__}.{name} is not a slot")
        setters.append(slot.__set__)
    return tuple(setters)
