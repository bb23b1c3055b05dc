"""The one cattrs converter: unstructuring, and what structuring leaves to cattrs.

Structuring decoded JSON follows the rules of :mod:`telnyx_async._structure`,
which needs no cattrs; this converter registers those same rules, in the same
priority, so anything structured through it (models the generator did not
write, such as ``PageMeta``, and users' own subclasses; ``dict[str, X]``
fields) follows them too. Its own work:

* ``Model`` subclasses out: JSON names from ``WIRE`` metadata, ``None`` fields
  omitted, ``extra`` merged back in.
* ``OpenEnum`` and enums out as their values; ``datetime`` as ISO 8601 with an
  offset; ``UNSET`` as nothing.
* Models the generator did not write, in: a cattrs-generated function with the
  same renames and ``extra`` rule.

Hooks are built once per class and cached by cattrs, never per call. Nothing
imports this module at ``import telnyx_async``: :mod:`telnyx_async._codec`
loads it the first time a body is unstructured or a type needs it.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from telnyx_async._model_support import as_object, extra_of, set_extra
from telnyx_async._scalars import format_datetime
from telnyx_async._structure import CLASS_RULES, SHAPE_RULES, generated_model_hook
from telnyx_async._type_shapes import is_model
from telnyx_async._types import UnsetType
from telnyx_async.models._base import Model, OpenEnum, wire_name

__all__ = ["converter", "unstructure"]

# Paths in validation errors come from ``_structure.locate_fault``, not from
# cattrs' detailed validation, which would wrap every list item and field in
# bookkeeping on the success path too.
converter = cattrs.Converter(detailed_validation=False)

# ---------------------------------------------------------------- structuring: _structure's rules
# The same rule table _structure.hook_for reads, so both pick the same hook.
# Classes go to singledispatch (which cattrs asks before any predicate; by
# class, str-based enums do not fall to cattrs' own str hook), type shapes to
# predicates, registered lowest priority first: cattrs tries the newest first.

for _cls, _hook in CLASS_RULES.items():
    converter.register_structure_hook(_cls, _hook)
for _applies, _make in reversed(SHAPE_RULES):
    converter.register_structure_hook_factory(_applies, _make)

# ---------------------------------------------------------------- unstructuring

converter.register_unstructure_hook(_dt.datetime, format_datetime)
converter.register_unstructure_hook(UnsetType, lambda _: None)
converter.register_unstructure_hook(OpenEnum, lambda e: e.value)
converter.register_unstructure_hook(enum.Enum, lambda e: e.value)

# ---------------------------------------------------------------- models


def _model_structure_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    generated = generated_model_hook(cls)
    if generated is not None:
        return generated
    # A model the generator did not write (PageMeta, users' own subclasses): let
    # cattrs generate the function, with the same renames and ``extra`` rule.
    attrs.resolve_types(cls)
    fields = [f for f in attrs.fields(cls) if f.name != "extra"]
    overrides = {f.name: override(rename=wire_name(f)) for f in fields if wire_name(f) != f.name}
    base = make_dict_structure_fn(
        cls, converter, _cattrs_forbid_extra_keys=False, **overrides  # type: ignore[arg-type]
    )
    known = frozenset(wire_name(f) for f in fields)

    def structure_model(value: Any, _: Any) -> Model:
        data = as_object(value)
        obj = base(data, cls)
        if not known.issuperset(data):
            set_extra(obj, extra_of(data, known))
        return obj

    return structure_model


def _model_unstructure_factory(cls: type[Model]) -> Callable[[Model], dict[str, Any]]:
    # Dispatches on each value, so the field annotations are never evaluated here
    # (which would import every model they name).
    plan = [(f.name, wire_name(f)) for f in attrs.fields(cls) if f.name != "extra"]
    unstructure_ = converter.unstructure

    def unstructure_model(obj: Model) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, wire in plan:
            value = getattr(obj, name)
            if value is None or isinstance(value, UnsetType):
                continue
            out[wire] = unstructure_(value)
        if obj.extra:
            for key, value in obj.extra.items():
                out.setdefault(key, unstructure_(value))
        return out

    return unstructure_model


converter.register_structure_hook_factory(is_model, _model_structure_factory)
converter.register_unstructure_hook_factory(is_model, _model_unstructure_factory)


def unstructure(obj: Any) -> Any:
    """Turn a model (or a value holding models) into JSON-ready data, API names and all."""
    return converter.unstructure(obj)
