"""The one cattrs converter, and every wire rule it applies.

* ``Model`` subclasses: JSON names from ``WIRE`` metadata, unknown keys kept in
  ``extra``, ``None`` fields omitted when unstructuring.
* ``OpenEnum``: unknown values kept (see :class:`~telnyx_async.models._base.OpenEnum`).
* ``datetime``: ISO 8601 with ``Z``, offsets, 0-9 fraction digits, or naive
  (taken as UTC); always aware UTC in, always with an offset out.
* Tagged unions registered with ``register_union``: picked by their tag, unknown
  tags go to the fallback class.
* Unions of plain JSON scalars are checked, not coerced.

Hooks are built once per class and cached by cattrs, never per call.

Generated models bring their own structure functions (written out by
``scripts/gen_models.py``, registered with ``models._base.structures``); they
inline only the plain checks (JSON scalars, required keys, renames, ``extra``)
and reach every other type through :func:`field_hook`, that is through this
converter. On any failure :func:`structure` walks the payload again with the
converter's hooks to name the exact path at fault (:func:`locate_fault`).
"""

from __future__ import annotations

import datetime as _dt
import enum
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, override

from telnyx_async._model_support import (
    as_object,
    extra_of,
    json_object,
    new_instance,
    set_extra,
    slot_setters,
)
from telnyx_async._scalars import (
    SCALAR_CHECKS,
    SCALAR_HOOKS,
    check_bool,
    check_float,
    check_int,
    check_literal,
    check_str,
    format_datetime,
    parse_datetime,
)
from telnyx_async._type_shapes import (
    KIND_OF_VALUE,
    is_kind_union,
    is_list_type,
    is_literal,
    is_model,
    is_optional_tagged_union,
    is_plain_optional,
    is_scalar_union,
    is_tagged_union,
    json_kind,
    strip_none,
)
from telnyx_async._types import UnsetType
from telnyx_async.errors import APIResponseValidationError
from telnyx_async.models._base import (
    STRUCTURERS,
    UNIONS,
    Model,
    OpenEnum,
    UnionSpec,
    install_codec,
    wire_name,
)

__all__ = [
    "Misfit",
    "as_object",
    "check_bool",
    "check_float",
    "check_int",
    "check_literal",
    "check_str",
    "converter",
    "extra_of",
    "field_hook",
    "fit",
    "json_object",
    "locate_fault",
    "new_instance",
    "one_argument_hook",
    "parse_datetime",
    "set_extra",
    "slot_setters",
    "structure",
    "unstructure",
]

_T = TypeVar("_T")

# Paths in validation errors come from ``locate_fault``, not from cattrs' detailed
# validation, which would wrap every list item and field in bookkeeping on the
# success path too.
converter = cattrs.Converter(detailed_validation=False)

converter.register_structure_hook(_dt.datetime, lambda v, _: parse_datetime(v))
converter.register_unstructure_hook(_dt.datetime, format_datetime)
converter.register_unstructure_hook(UnsetType, lambda _: None)

# ---------------------------------------------------------------- Any and scalars


def _structure_any(value: Any, _: Any) -> Any:
    return value


# typing.Any is not a class before Python 3.11, so it cannot go to singledispatch.
converter.register_structure_hook_func(lambda tp: tp is Any, _structure_any)

# cattrs would happily turn 5 into "5" or "x" into an error deep in int(); we
# want the API's JSON types checked, never silently coerced. (str-based enums
# get their own, more specific registration below.)
for _kind, _hook in SCALAR_HOOKS.items():
    converter.register_structure_hook(_kind, _hook)


def _structure_literal(value: Any, tp: Any) -> Any:
    allowed = typing.get_args(tp)
    for expected in allowed:
        if type(value) is type(expected) and value == expected:
            return expected
    if len(allowed) == 1:
        return check_literal(value, allowed[0])
    raise ValueError(f"expected one of {allowed!r}, got {value!r}")


converter.register_structure_hook_func(is_literal, _structure_literal)


def _structure_scalar_union(value: Any, tp: Any) -> Any:
    args = typing.get_args(tp)
    if type(None) in args and value is None:
        return None
    for arg in args:
        if arg is not type(None) and SCALAR_CHECKS[arg](value):
            return float(value) if arg is float else value
    names = " | ".join("null" if a is type(None) else a.__name__ for a in args)
    raise TypeError(f"expected {names}, got {type(value).__name__}")


converter.register_structure_hook_func(is_scalar_union, _structure_scalar_union)


def _optional_factory(tp: Any) -> Callable[[Any, Any], Any]:
    # cattrs re-dispatches on the inner type for every value; resolve it once.
    (inner,) = (a for a in typing.get_args(tp) if a is not type(None))
    handler = converter.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else handler(value, inner)

    return structure_optional


converter.register_structure_hook_factory(is_plain_optional, _optional_factory)

# ---------------------------------------------------------------- lists


def _strict_list_factory(tp: Any) -> Callable[[Any, Any], Any]:
    # cattrs turns any iterable into a list: "abc" into ["a", "b", "c"] and an
    # object into its keys. A JSON array is the only thing a list field accepts.
    (item,) = typing.get_args(tp) or (Any,)
    scalar: Any = item if item in SCALAR_CHECKS else None
    check = SCALAR_HOOKS[scalar] if scalar is not None else None
    each = None if item is Any or scalar is not None else one_argument_hook(item)

    def structure_items(value: Any) -> list[Any]:
        items: Sequence[Any] = value
        if items.__class__ is not list and not isinstance(value, (list, tuple)):
            raise TypeError(f"expected an array, got {type(value).__name__}")
        if each is not None:
            return [each(element) for element in items]
        if check is not None:
            return [e if type(e) is scalar else check(e, scalar) for e in items]
        return list(items)

    def structure_list(value: Any, _: Any) -> list[Any]:
        return structure_items(value)

    structure_list.one_argument = structure_items  # type: ignore[attr-defined]
    return structure_list


converter.register_structure_hook_factory(is_list_type, _strict_list_factory)


def one_argument_hook(tp: Any) -> Callable[[Any], Any]:
    """The converter's hook for ``tp`` as a one-argument function, without adapters.

    cattrs hooks take ``(value, type)``; the hooks this module builds also carry
    a direct one-argument form (``.one_argument``), which generated code, lists
    and unions call to save a layer of calls per value.
    """
    hook = converter.get_structure_hook(tp)
    direct = getattr(hook, "one_argument", None)
    if direct is not None:
        return cast("Callable[[Any], Any]", direct)
    if hook is _structure_enum:
        return _enum_member_hook(tp)
    return lambda value: hook(value, tp)


# ---------------------------------------------------------------- enums


def _structure_enum(value: Any, tp: type[enum.Enum]) -> enum.Enum:
    member = tp._value2member_map_.get(value) if type(value) is str else None
    if member is not None:
        return member
    if isinstance(value, enum.Enum):
        value = value.value
    return tp(value)


def _enum_member_hook(tp: type[enum.Enum]) -> Callable[[Any], Any]:
    members = tp._value2member_map_

    def structure_member(value: Any) -> Any:
        if type(value) is str:
            member = members.get(value)
            if member is not None:
                return member
        return _structure_enum(value, tp)

    return structure_member


converter.register_structure_hook(OpenEnum, _structure_enum)
converter.register_structure_hook(enum.Enum, _structure_enum)
# By class, not predicate: str-based enums would otherwise hit cattrs' own str hook
# (singledispatch wins) and come out as enum members instead of plain strings.
converter.register_unstructure_hook(OpenEnum, lambda e: e.value)
converter.register_unstructure_hook(enum.Enum, lambda e: e.value)

# ---------------------------------------------------------------- tagged unions


def _tagged_union_factory(tp: Any) -> Callable[[Any, Any], Any]:
    spec = UNIONS[tp]
    tag_key, variants, fallback, guessed = spec.tag, spec.variants, spec.fallback, spec.guessed
    by_tag: dict[str, Callable[[Any], Any]] = {}  # known tags only, filled on first use

    def pick(tag: Any) -> Callable[[Any], Any]:
        cls = variants.get(tag) if isinstance(tag, str) else None  # enum members too
        if cls is None:
            if fallback is None:
                raise ValueError(f"unknown {tag_key} {tag!r}")
            return one_argument_hook(fallback)
        hook = one_argument_hook(cls)  # resolved late: the variants may refer back to tp
        if type(tag) is str:
            by_tag[tag] = hook
        return hook

    def structure_member(value: Any) -> Any:
        data: Mapping[str, Any] = value
        if data.__class__ is not dict and not isinstance(data, Mapping):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        tag: Any = data.get(tag_key)
        hook = by_tag.get(tag) if tag.__class__ is str else None
        if hook is None:
            hook = pick(tag)
        if not guessed:
            return hook(value)
        try:
            return hook(value)
        except Exception:
            found = _other_variant(spec, tag, value)
            if found is None:
                raise
            return found

    def structure_tagged_union(value: Any, _: Any) -> Any:
        return structure_member(value)

    structure_tagged_union.one_argument = structure_member  # type: ignore[attr-defined]
    return structure_tagged_union


def _other_variant(spec: UnionSpec, tag: Any, value: Any) -> Any:
    """For a guessed tag: the value as the first other variant it fits, else None."""
    for other_tag, cls in spec.variants.items():
        if other_tag == tag:
            continue
        try:
            return one_argument_hook(cls)(value)
        except Exception:
            continue
    return None


def _structure_tagged_union(value: Any, tp: Any) -> Any:
    return converter.get_structure_hook(tp)(value, tp)


def _structure_optional_tagged_union(value: Any, tp: Any) -> Any:
    if value is None:
        return None
    rest = tuple(a for a in typing.get_args(tp) if a is not type(None))
    return _structure_tagged_union(value, typing.Union[rest])  # noqa: UP007


converter.register_structure_hook_factory(is_tagged_union, _tagged_union_factory)
converter.register_structure_hook_func(is_optional_tagged_union, _structure_optional_tagged_union)

# ---------------------------------------------------------------- unions by JSON kind


def _kind_union_factory(tp: Any) -> Callable[[Any, Any], Any]:
    # e.g. ``list[TransferTarget] | str``: the JSON value's own kind picks the member.
    members: dict[str, Any] = {str(json_kind(a)): a for a in typing.get_args(tp)}
    hooks: dict[str, Callable[[Any, Any], Any]] = {}

    def structure_by_kind(value: object, _: Any) -> Any:
        kind = KIND_OF_VALUE.get(type(value), "")
        member = members.get(kind)
        if member is None:
            raise TypeError(f"expected {' | '.join(members)}, got {type(value).__name__}")
        if member is type(None):
            return None
        hook = hooks.get(kind)
        if hook is None:
            hook = hooks[kind] = converter.get_structure_hook(member)
        return hook(value, member)

    return structure_by_kind


converter.register_structure_hook_factory(is_kind_union, _kind_union_factory)

# ---------------------------------------------------------------- models


def field_hook(
    namespace: dict[str, Any], slot: str, annotation: Callable[[], Any]
) -> Callable[[Any], Any]:
    """A stand-in for the converter's hook of one field type, looked up on first use.

    Generated structure functions call ``namespace[slot](value)`` for every field
    that is not a plain JSON scalar. The first call evaluates ``annotation()``
    (which may import the module defining a nested model), asks the converter
    for its hook and rebinds ``namespace[slot]`` to it, so later calls go straight
    to the hook. ``None`` is handled by the caller, so the hook is for the type
    without ``| None``.
    """

    def first_use(value: Any) -> Any:
        hook = one_argument_hook(strip_none(annotation()))
        namespace[slot] = hook
        return hook(value)

    return first_use


def _model_structure_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    generated = STRUCTURERS.get(cls)
    if generated is not None:

        def structure_generated(value: Any, _: Any) -> Model:
            result: Model = generated(value)
            return result

        structure_generated.one_argument = generated  # type: ignore[attr-defined]
        return structure_generated
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

# ---------------------------------------------------------------- finding a fault


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"required field {exc.args[0]!r} missing" if exc.args else "required field missing"
    text = str(exc)
    return text if text else type(exc).__name__


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _fits(value: Any, tp: Any) -> BaseException | None:
    try:
        converter.structure(value, tp)
    except Exception as exc:
        return exc
    return None


def locate_fault(value: Any, tp: Any, path: str = "") -> tuple[str, str] | None:
    """Where ``value`` stops fitting ``tp``: ``(path, message)``, or None if it fits.

    The path uses Python field names, ``[i]`` for list items and ``['key']`` for
    dict values (``data[3].status``); the root is ``(root)``. It tries the
    converter's own hooks level by level and descends into the first part that
    fails, so the answer always agrees with what structuring does.
    """
    failure = _fits(value, tp)
    if failure is None:
        return None
    here = (path or "(root)", _describe(failure))
    inner = strip_none(tp)
    if value is None or inner is Any:
        return here
    if is_tagged_union(inner):
        if not isinstance(value, Mapping):
            return here
        spec = UNIONS[inner]
        tag = cast("Mapping[str, Any]", value).get(spec.tag)
        cls = spec.variants.get(tag) if isinstance(tag, str) else None
        chosen = cls or spec.fallback
        return (locate_fault(value, chosen, path) if chosen else None) or here
    if is_kind_union(inner):
        for member in typing.get_args(inner):
            if json_kind(member) == KIND_OF_VALUE.get(value.__class__):
                return locate_fault(value, member, path) or here
        return here
    if isinstance(inner, type) and attrs.has(inner):  # models, and plain attrs holders
        if not isinstance(value, Mapping):
            return here
        data = cast("Mapping[str, Any]", value)
        attrs.resolve_types(inner)
        for f in attrs.fields(cast("type[Any]", inner)):
            if f.name == "extra":
                continue
            wire = wire_name(f)
            if wire not in data:
                if f.default is attrs.NOTHING:
                    return _join(path, f.name), "required field missing"
                continue
            found = locate_fault(data[wire], f.type, _join(path, f.name))
            if found is not None:
                return found
        return here
    origin = typing.get_origin(inner)
    elements: Sequence[Any] = value  # declared before narrowing: items stay Any
    entries: Mapping[Any, Any] = value
    if origin is list and isinstance(elements, list):
        (item,) = typing.get_args(inner) or (Any,)
        for i, element in enumerate(elements):
            found = locate_fault(element, item, f"{path}[{i}]")
            if found is not None:
                return found
    elif origin in (dict, Mapping) and isinstance(entries, Mapping):
        _, item = typing.get_args(inner) or (str, Any)
        for key, element in entries.items():
            found = locate_fault(element, item, f"{path}[{key!r}]")
            if found is not None:
                return found
    return here


# ---------------------------------------------------------------- public helpers


class Misfit(Exception):
    """Decoded JSON that does not fit a type: where (``path``) and why (``reason``).

    Internal: :func:`structure` turns it into the public
    :class:`~telnyx_async.APIResponseValidationError`, and the response decoder
    into one that also names the call.
    """

    def __init__(self, path: str | None, reason: str, type_name: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason
        self.type_name = type_name

    def describe(self) -> str:
        """``response does not match Assistant: tools[3].type: ...``."""
        where = f"{self.path}: {self.reason}" if self.path else self.reason
        return f"response does not match {self.type_name}: {where}"


def fit(data: Any, cls: type[_T] | Any) -> _T:
    """Turn decoded JSON into ``cls``, or raise :class:`Misfit` naming the first fault."""
    try:
        result: _T = converter.structure(data, cls)
    except RecursionError:
        raise Misfit(None, "the value is nested too deeply", _type_name(cls)) from None
    except Exception as exc:
        try:
            found = locate_fault(data, cls)
        except Exception:  # never let the diagnosis hide the original error
            found = None
        path, reason = found or (None, _describe(exc))
        raise Misfit(path, reason, _type_name(cls)) from exc
    return result


def _type_name(cls: Any) -> str:
    return str(getattr(cls, "__name__", cls))


def structure(data: Any, cls: type[_T] | Any, *, body: str | None = None) -> _T:
    """Turn decoded JSON into ``cls``; failures become ``APIResponseValidationError``."""
    try:
        result: _T = fit(data, cls)
    except Misfit as misfit:
        raise APIResponseValidationError(
            misfit.describe(), path=misfit.path, body=body
        ) from misfit.__cause__
    return result


def unstructure(obj: Any) -> Any:
    """Turn a model (or a value holding models) into JSON-ready data, API names and all."""
    return converter.unstructure(obj)


class _ConverterCodec:
    """This module as the codec ``Model.to_dict``/``from_dict`` use."""

    def structure(self, data: Any, cls: Any) -> Any:
        return structure(data, cls)

    def unstructure(self, obj: Any) -> Any:
        return unstructure(obj)


install_codec(_ConverterCodec())
