"""Decoded JSON into models and field types: the structuring rules, without cattrs.

* ``Model`` subclasses the generator wrote: their generated structure
  functions (``models._base.STRUCTURERS``), which keep unknown keys in ``extra``.
* ``OpenEnum`` (and other enums): unknown values kept (see
  :class:`~telnyx_async.models._base.OpenEnum`).
* ``datetime``: ISO 8601 with ``Z``, offsets, 0-9 fraction digits, or naive
  (taken as UTC); always aware UTC.
* JSON scalars checked, never coerced; unions of them checked member by member.
* ``list[X]``: a JSON array only (never a string or an object's keys).
* Tagged unions registered with ``register_union``: picked by their tag, unknown
  tags go to the fallback class; unions of different JSON kinds
  (``list[X] | str``) picked by the value's kind.

:func:`hook_for` picks the rule for a type in the order the cattrs converter
(:mod:`telnyx_async._converter`) is told to, and the converter registers these
same rules, so both always agree. What no rule here covers (models the
generator did not write, such as ``PageMeta``; ``dict[str, X]`` fields) is
asked of the converter (:func:`install_fallback`), which is imported then:
reading a response whose types are all covered here never loads cattrs, which
was a third of what ``import telnyx_async`` added to ``import aiohttp``.

On any failure :func:`fit` walks the payload again with the same hooks to name
the exact path at fault (:func:`locate_fault`).
"""

from __future__ import annotations

import datetime as _dt
import enum
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

import attrs

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
from telnyx_async.errors import APIResponseValidationError
from telnyx_async.models._base import STRUCTURERS, UNIONS, OpenEnum, UnionSpec, wire_name

__all__ = [
    "CLASS_RULES",
    "SHAPE_RULES",
    "Hook",
    "Misfit",
    "as_object",
    "check_bool",
    "check_float",
    "check_int",
    "check_literal",
    "check_str",
    "enum_hook",
    "extra_of",
    "field_hook",
    "fit",
    "generated_model_hook",
    "hook_for",
    "install_fallback",
    "json_object",
    "kind_union_hook",
    "list_hook",
    "literal_hook",
    "locate_fault",
    "new_instance",
    "one_argument_hook",
    "optional_hook",
    "optional_tagged_union_hook",
    "parse_datetime",
    "scalar_union_hook",
    "set_extra",
    "slot_setters",
    "structure",
    "structure_any",
    "structure_datetime",
    "tagged_union_hook",
]

_T = TypeVar("_T")

Hook = Callable[[Any, Any], Any]
"""A structure hook in cattrs' shape: ``hook(value, type)``."""

# ---------------------------------------------------------------- scalars, Any, literals


def structure_any(value: Any, _: Any) -> Any:
    """``Any``: the value as it is."""
    return value


def structure_datetime(value: Any, _: Any) -> _dt.datetime:
    """A ``datetime`` field: ISO 8601 text to an aware UTC datetime."""
    return parse_datetime(value)


def literal_hook(value: Any, tp: Any) -> Any:
    """A ``Literal[...]``: one of its values, of the very same type (``1`` is not ``True``)."""
    allowed = typing.get_args(tp)
    for expected in allowed:
        if type(value) is type(expected) and value == expected:
            return expected
    if len(allowed) == 1:
        return check_literal(value, allowed[0])
    raise ValueError(f"expected one of {allowed!r}, got {value!r}")


def scalar_union_hook(value: Any, tp: Any) -> Any:
    """A union of JSON scalars (``str | int``): the first member the value is, unconverted."""
    args = typing.get_args(tp)
    if type(None) in args and value is None:
        return None
    for arg in args:
        if arg is not type(None) and SCALAR_CHECKS[arg](value):
            return float(value) if arg is float else value
    names = " | ".join("null" if a is type(None) else a.__name__ for a in args)
    raise TypeError(f"expected {names}, got {type(value).__name__}")


def optional_hook(tp: Any) -> Hook:
    """The hook of ``X | None``: ``None``, or the value through ``X``'s hook (found once)."""
    (inner,) = (a for a in typing.get_args(tp) if a is not type(None))
    handler = hook_for(inner)

    def structure_optional(value: Any, _: Any) -> Any:
        return None if value is None else handler(value, inner)

    return structure_optional


# ---------------------------------------------------------------- lists


def list_hook(tp: Any) -> Hook:
    """The hook of ``list[X]``: a JSON array only, each item through ``X``'s hook.

    cattrs alone would turn any iterable into a list: ``"abc"`` into three
    letters and an object into its keys.
    """
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


# ---------------------------------------------------------------- enums


def enum_hook(value: Any, tp: type[enum.Enum]) -> enum.Enum:
    """An enum: its member for ``value`` (an ``OpenEnum`` keeps values it does not know)."""
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
        return enum_hook(value, tp)

    return structure_member


# ---------------------------------------------------------------- tagged unions


def tagged_union_hook(tp: Any) -> Hook:
    """The hook of a union registered with ``register_union``: the variant its tag names."""
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


def optional_tagged_union_hook(value: Any, tp: Any) -> Any:
    """A registered tagged union with ``None`` added: ``None``, or the union's variant."""
    if value is None:
        return None
    members = tuple(a for a in typing.get_args(tp) if a is not type(None))
    union: Any = typing.Union[members]  # noqa: UP007
    return hook_for(union)(value, union)


# ---------------------------------------------------------------- unions by JSON kind


def kind_union_hook(tp: Any) -> Hook:
    """The hook of a union whose members take different JSON kinds (``list[X] | str``)."""
    members: dict[str, Any] = {str(json_kind(a)): a for a in typing.get_args(tp)}
    hooks: dict[str, Hook] = {}

    def structure_by_kind(value: object, _: Any) -> Any:
        kind = KIND_OF_VALUE.get(type(value), "")
        member = members.get(kind)
        if member is None:
            raise TypeError(f"expected {' | '.join(members)}, got {type(value).__name__}")
        if member is type(None):
            return None
        hook = hooks.get(kind)
        if hook is None:
            hook = hooks[kind] = hook_for(member)
        return hook(value, member)

    return structure_by_kind


# ---------------------------------------------------------------- models


def generated_model_hook(cls: type[Any]) -> Hook | None:
    """The hook of a model the generator wrote (its structure function), else ``None``."""
    generated = STRUCTURERS.get(cls)
    if generated is None:
        return None

    def structure_generated(value: Any, _: Any) -> Any:
        return generated(value)

    structure_generated.one_argument = generated  # type: ignore[attr-defined]
    return structure_generated


def field_hook(
    namespace: dict[str, Any], slot: str, annotation: Callable[[], Any]
) -> Callable[[Any], Any]:
    """A stand-in for the hook of one field type, looked up on first use.

    Generated structure functions call ``namespace[slot](value)`` for every field
    that is not a plain JSON scalar. The first call evaluates ``annotation()``
    (which may import the module defining a nested model), finds its hook and
    rebinds ``namespace[slot]`` to it, so later calls go straight to the hook.
    ``None`` is handled by the caller, so the hook is for the type without
    ``| None``.
    """

    def first_use(value: Any) -> Any:
        hook = one_argument_hook(strip_none(annotation()))
        namespace[slot] = hook
        return hook(value)

    return first_use


# ---------------------------------------------------------------- picking a hook

CLASS_RULES: dict[type, Hook] = {
    _dt.datetime: structure_datetime,
    **SCALAR_HOOKS,
    OpenEnum: enum_hook,
    enum.Enum: enum_hook,
}
"""Rules for classes, found along a class's MRO (cattrs' singledispatch does the same).

The converter registers these same pairs, so both pick the same hook."""

SHAPE_RULES: tuple[tuple[Callable[[Any], bool], Callable[[Any], Hook]], ...] = (
    (is_kind_union, kind_union_hook),
    (is_optional_tagged_union, lambda _: optional_tagged_union_hook),
    (is_tagged_union, tagged_union_hook),
    (is_list_type, list_hook),
    (is_plain_optional, optional_hook),
    (is_scalar_union, lambda _: scalar_union_hook),
    (is_literal, lambda _: literal_hook),
    (lambda tp: tp is Any, lambda _: structure_any),
)
"""Rules for type shapes, first match wins; the converter registers them in this priority.

Models come before all of these (:func:`hook_for`; in the converter, its own
model factory, registered last)."""

_HOOKS: dict[Any, Hook] = {}
"""Type -> its hook, found once."""


def hook_for(tp: Any) -> Hook:
    """The structure hook of ``tp``, ``hook(value, tp)``: a rule above, else the converter's."""
    try:
        return _HOOKS[tp]
    except KeyError:
        pass
    except TypeError:  # an unhashable annotation: nothing to cache it under
        return _find_hook(tp)
    hook = _HOOKS[tp] = _find_hook(tp)
    return hook


def _find_hook(tp: Any) -> Hook:
    if isinstance(tp, type):
        for klass in tp.__mro__:
            by_class = CLASS_RULES.get(klass)
            if by_class is not None:
                return by_class
        if is_model(tp):
            generated = generated_model_hook(tp)
            if generated is not None:
                return generated
    for applies, make in SHAPE_RULES:
        if applies(tp):
            return make(tp)
    if not _FALLBACK:
        raise RuntimeError("no converter for the types structuring leaves: import telnyx_async")
    return _FALLBACK[0](tp)


_FALLBACK: list[Callable[[Any], Hook]] = []
"""Where :func:`hook_for` gets the hook of a type no rule here covers (the cattrs converter)."""


def install_fallback(find: Callable[[Any], Hook]) -> None:
    """Ask ``find`` (the cattrs converter's hook lookup) for the types no rule here covers.

    Installed by :mod:`telnyx_async._codec`, which imports the converter only
    when ``find`` is first called.
    """
    _FALLBACK[:] = [find]


def one_argument_hook(tp: Any) -> Callable[[Any], Any]:
    """The hook for ``tp`` as a one-argument function, without adapters.

    Hooks take ``(value, type)``; the ones this module builds also carry a
    direct one-argument form (``.one_argument``), which generated code, lists
    and unions call to save a layer of calls per value.
    """
    hook = hook_for(tp)
    direct = getattr(hook, "one_argument", None)
    if direct is not None:
        return cast("Callable[[Any], Any]", direct)
    if hook is enum_hook:
        return _enum_member_hook(tp)
    return lambda value: hook(value, tp)


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
        hook_for(tp)(value, tp)
    except Exception as exc:
        return exc
    return None


def locate_fault(value: Any, tp: Any, path: str = "") -> tuple[str, str] | None:
    """Where ``value`` stops fitting ``tp``: ``(path, message)``, or None if it fits.

    The path uses Python field names, ``[i]`` for list items and ``['key']`` for
    dict values (``data[3].status``); the root is ``(root)``. It tries the
    hooks level by level and descends into the first part that fails, so the
    answer always agrees with what structuring does.
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


# ---------------------------------------------------------------- entry points


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
        result: _T = hook_for(cls)(data, cls)
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
