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
from telnyx_async._scalars import SCALAR_HOOKS, format_datetime
from telnyx_async._structure import (
    enum_hook,
    generated_model_hook,
    kind_union_hook,
    list_hook,
    literal_hook,
    optional_hook,
    optional_tagged_union_hook,
    scalar_union_hook,
    structure_any,
    structure_datetime,
    tagged_union_hook,
)
from telnyx_async._type_shapes import (
    is_kind_union,
    is_list_type,
    is_literal,
    is_model,
    is_optional_tagged_union,
    is_plain_optional,
    is_scalar_union,
    is_tagged_union,
)
from telnyx_async._types import UnsetType
from telnyx_async.models._base import Model, OpenEnum, wire_name

__all__ = ["converter", "unstructure"]

# Paths in validation errors come from ``_structure.locate_fault``, not from
# cattrs' detailed validation, which would wrap every list item and field in
# bookkeeping on the success path too.
converter = cattrs.Converter(detailed_validation=False)

# ---------------------------------------------------------------- structuring: _structure's rules
# Registered oldest first: cattrs tries the newest predicate first, and classes
# (singledispatch) before any predicate, the priority _structure.hook_for keeps.

converter.register_structure_hook(_dt.datetime, structure_datetime)
# typing.Any is not a class before Python 3.11, so it cannot go to singledispatch.
converter.register_structure_hook_func(lambda tp: tp is Any, structure_any)
# cattrs would happily turn 5 into "5" or "x" into an error deep in int(); we
# want the API's JSON types checked, never silently coerced.
for _kind, _hook in SCALAR_HOOKS.items():
    converter.register_structure_hook(_kind, _hook)
converter.register_structure_hook_func(is_literal, literal_hook)
converter.register_structure_hook_func(is_scalar_union, scalar_union_hook)
converter.register_structure_hook_factory(is_plain_optional, optional_hook)
converter.register_structure_hook_factory(is_list_type, list_hook)
# By class, not predicate: str-based enums would otherwise hit cattrs' own str
# hook (singledispatch wins) and come out as plain strings.
converter.register_structure_hook(OpenEnum, enum_hook)
converter.register_structure_hook(enum.Enum, enum_hook)
converter.register_structure_hook_factory(is_tagged_union, tagged_union_hook)
converter.register_structure_hook_func(is_optional_tagged_union, optional_tagged_union_hook)
converter.register_structure_hook_factory(is_kind_union, kind_union_hook)

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
