"""Model classes that attrs finishes on first use instead of at import.

Finishing an attrs class costs about 0.4 ms, most of it attrs compiling the
class's ``__init__``; the generated models are ~200 classes, and a response
uses a few dozen of them, which the generated structure functions fill without
ever calling ``__init__``. So the generated modules declare their classes with
:func:`frozen` (type checkers are shown ``attrs.frozen`` itself), which at
import only gives the class its slots, and leaves the rest of attrs' work to
the first time anything asks for it: constructing the class, reading
``attrs.fields`` (``attrs.has``, ``attrs.evolve``, ``cattrs``), or its
signature. From then on the class is exactly what ``attrs.frozen`` makes,
except that it is finished in place: the class object never changes, so
the name bound at import stays the class.

What the class owes its base until then: ``Model`` supplies ``__setattr__``
and ``__delattr__`` (frozen), ``__repr__``, ``==``, ``hash`` and pickling,
all written against ``attrs.fields(type(self))``, which finishes the class.
"""

from __future__ import annotations

import inspect
import threading
import types
from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs

__all__ = ["finish", "frozen", "is_pending"]

_C = TypeVar("_C", bound=type)

_FIELD: type[object] = type(cast(object, attrs.field()))
"""The class of what ``attrs.field()`` returns (attrs keeps it private)."""

_FINISHED_ON_ACCESS = ("__init__", "__attrs_attrs__", "__attrs_props__")
"""Class attributes attrs adds whose first lookup finishes the class.

``__attrs_props__`` is only set by newer attrs releases; on older ones the
stand-in is simply removed when the class is finished.
"""

_LOCK = threading.RLock()
"""Held while a class is finished: worker threads decode responses too."""

_PENDING: dict[type, tuple[dict[str, Any], dict[str, Any]]] = {}
"""Declared, unfinished class -> (its fields' defaults or ``attrs.field``s, its options)."""

_FINISHING: dict[type, int] = {}
"""Class being finished right now -> the thread finishing it (which holds ``_LOCK``)."""


def frozen(**options: Any) -> Callable[[_C], _C]:
    """Declare a frozen, slotted attrs class whose attrs work waits for first use.

    Takes the keyword options of ``attrs.frozen`` (``kw_only``, ``repr``,
    ``eq``, ...) and applies them when the class is finished. Fields are read
    from the class body the way ``attrs.frozen`` reads them: every annotated
    name, with the assigned value as its default or the ``attrs.field(...)``
    assigned to it.
    """
    if "slots" in options or "these" in options:
        raise TypeError("frozen() decides slots and these itself")

    def declare(cls: _C) -> _C:
        return _declare(cls, options)

    return declare


def finish(cls: type) -> None:
    """Let attrs finish ``cls`` now, if it was declared by :func:`frozen` and is not finished.

    Its bases are finished first (attrs reads their fields). Safe to call from
    any thread, and any number of times.
    """
    with _LOCK:
        pending = _PENDING.pop(cls, None)
        if pending is None:
            return
        declared, options = pending
        fields = {
            name: value if isinstance(value, _FIELD) else attrs.field(default=value)
            for name, value in declared.items()
        }
        _FINISHING[cls] = threading.get_ident()
        try:
            made = attrs.frozen(these=fields, getstate_setstate=False, **options)(_shell_of(cls))
        except BaseException:
            _PENDING[cls] = pending
            raise
        finally:
            del _FINISHING[cls]
        _take_methods(cls, made)


def is_pending(cls: object) -> bool:
    """Whether ``cls`` was declared by :func:`frozen` and attrs has not finished it yet.

    Such a class is an attrs class for every purpose, but ``attrs.has`` would
    finish it to say so; ask this first where that cost matters.
    """
    return isinstance(cls, type) and cls in _PENDING


def _declare(cls: _C, options: dict[str, Any]) -> _C:
    """The slotted class for ``cls``'s body, registered as pending."""
    body = dict(vars(cls))
    annotations = inspect.get_annotations(cls)
    fields = {name: body.pop(name, attrs.NOTHING) for name in annotations}
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    body["__slots__"] = tuple(fields)
    body["__qualname__"] = cls.__qualname__
    slotted: type = type(cls)(cls.__name__, cls.__bases__, body)
    for name in _FINISHED_ON_ACCESS:
        setattr(slotted, name, _FinishOnAccess(slotted, name))
    _PENDING[slotted] = (fields, options)
    return cast("_C", slotted)


def _shell_of(cls: type) -> type:
    """A class like ``cls`` before slots, for attrs to make its own slotted class from.

    attrs' slotted classes are always new class objects; ``cls`` must stay the
    class, so attrs works on this shell and :func:`_take_methods` copies what it
    made back to ``cls``. (A dict-based attrs build in place would not do: its
    ``__init__`` writes ``self.__dict__``, which slotted instances do not have.)
    """
    own = vars(cls)
    body = {
        name: own[name]
        for name in ("__module__", "__doc__", "__annotations__")
        if name in own
    }
    body["__qualname__"] = cls.__qualname__
    shell: type = type(cls)(cls.__name__, cls.__bases__, body)
    return shell


def _take_methods(cls: type, made: type) -> None:
    """Give ``cls`` what attrs added to ``made``, and drop the stand-ins it no longer needs."""
    own = vars(cls)
    for name, value in vars(made).items():
        mine = own.get(name)
        if name in _NOT_TAKEN or isinstance(value, types.MemberDescriptorType):
            continue
        if mine is None or isinstance(mine, _FinishOnAccess):
            setattr(cls, name, value)
    for name in _FINISHED_ON_ACCESS:
        if isinstance(vars(cls).get(name), _FinishOnAccess):
            delattr(cls, name)


_NOT_TAKEN = frozenset(
    {"__module__", "__doc__", "__annotations__", "__qualname__", "__slots__", "__dict__", "__weakref__"}
)


class _FinishOnAccess:
    """Stands in for one attribute attrs will add; looking it up finishes the class."""

    __slots__ = ("cls", "name")

    def __init__(self, cls: type, name: str) -> None:
        self.cls = cls
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if _FINISHING.get(self.cls) == threading.get_ident():
            raise AttributeError(self.name)  # attrs itself looking, mid-finish: not there yet
        finish(self.cls)
        # What the declaring class holds now (else what it inherits), bound as
        # it would have been. Not ``getattr(instance, name)``: reached through
        # ``super()`` from a subclass, that would find the subclass's own again.
        for klass in _mro_from(self.cls, instance, owner):
            if self.name in vars(klass):
                value: object = vars(klass)[self.name]
                bind = getattr(type(value), "__get__", None)
                return value if bind is None else bind(value, instance, owner)
        raise AttributeError(self.name)


def _mro_from(cls: type, instance: object, owner: type | None) -> tuple[type, ...]:
    """The classes a lookup that reached ``cls`` searches next: ``cls`` and what follows it.

    The lookup went through ``owner`` (or ``instance``'s class); Python 3.13's
    ``inspect.signature`` also asks with the class itself as ``instance``.
    """
    for start in (owner, type(instance), instance):
        mro: tuple[type, ...] | None = getattr(start, "__mro__", None)
        if mro is not None and cls in mro:
            return mro[mro.index(cls):]
    return cls.__mro__
