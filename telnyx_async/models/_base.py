"""Building blocks every generated model uses: ``Model``, ``OpenEnum`` and tagged unions.

The wire rules (renames, datetimes, unions, omissions) live in
:mod:`telnyx_async._converter`; this module only declares the shapes.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

__all__ = [
    "UNIONS",
    "WIRE",
    "Model",
    "OpenEnum",
    "UnionSpec",
    "register_union",
    "wire_name",
]

WIRE = "telnyx_wire_name"
"""attrs metadata key holding a field's JSON name when it differs from the Python name."""

_M = TypeVar("_M", bound="Model")


class OpenEnum(str, enum.Enum):
    """A string enum that accepts values it does not know.

    The API adds enum values over time (test run statuses are the classic case).
    Structuring an unknown value never fails: it becomes a member of the enum
    that holds the raw string, compares equal to it, and has ``is_known`` false.
    """

    @classmethod
    def _missing_(cls, value: object) -> OpenEnum | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """True when this value is one the SDK was generated with."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str.__eq__(self, other)
        return NotImplemented

    def __hash__(self) -> int:
        return str.__hash__(self)


_NO_EXTRA: Mapping[str, Any] = MappingProxyType({})
"""The shared, read-only ``extra`` of every object the API sent nothing unknown for."""


@attrs.frozen(kw_only=True)
class Model:
    """Base class of every API object: a frozen attrs class.

    Fields the API sent that this version of the SDK does not know are kept,
    untouched, in ``extra`` (and sent back by :meth:`to_dict`), so nothing the
    server says is silently dropped.
    """

    extra: Mapping[str, Any] = attrs.field(default=_NO_EXTRA, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready dict for this object, with the API's field names.

        Fields that are ``None`` are left out; ``extra`` is merged back in.
        """
        from telnyx_async._converter import unstructure

        result: dict[str, Any] = unstructure(self)
        return result

    @classmethod
    def from_dict(cls: type[_M], data: Mapping[str, Any]) -> _M:
        """Build this model from a decoded JSON object.

        Raises :class:`telnyx_async.APIResponseValidationError` naming the path of
        the first field that does not fit.
        """
        from telnyx_async._converter import structure

        return structure(data, cls)


def wire_name(field: attrs.Attribute[Any]) -> str:
    """The JSON name of an attrs field: its ``WIRE`` metadata, else its Python name."""
    name: str = field.metadata.get(WIRE, field.name)
    return name


@attrs.frozen
class UnionSpec:
    """How to pick the class of a tagged-union member from its tag field."""

    tag: str
    variants: Mapping[str, type[Model]]
    fallback: type[Model] | None


UNIONS: dict[object, UnionSpec] = {}
"""Every tagged union type, registered by the generated modules at import."""


def register_union(
    union_type: object,
    *,
    tag: str,
    variants: Mapping[str, type[Model]],
    fallback: type[Model] | None = None,
) -> None:
    """Declare ``union_type`` (a ``Union[...]``) as tagged by the JSON key ``tag``.

    A payload whose tag is not in ``variants`` is structured as ``fallback``
    (which keeps every field), or fails validation when there is none.
    """
    UNIONS[union_type] = UnionSpec(tag=tag, variants=dict(variants), fallback=fallback)
