"""The ``UNSET`` sentinel and the ``Unset[T]`` alias for arguments that default to it."""

from __future__ import annotations

import enum
from typing import Final, Literal, TypeVar, Union

__all__ = [
    "UNSET",
    "Unset",
    "UnsetType",
]


class UnsetType(enum.Enum):
    """The type of :data:`UNSET`: a value that was not given at all.

    ``None`` is a real value that can be sent to the API as JSON ``null``;
    ``UNSET`` means "leave this field out of the request".
    """

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False


UNSET: Final = UnsetType.UNSET
"""Marks an argument the caller did not pass; such fields are not sent."""

_T = TypeVar("_T")
Unset = Union[_T, UnsetType]  # noqa: UP007 - a generic alias needs Union
"""``Unset[int]`` is ``int | UnsetType``: an optional argument that defaults to ``UNSET``."""
