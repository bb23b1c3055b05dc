"""What a request-body rule is: the shapes the generated ``_body_rules`` module is made of.

The rules themselves are not written here: ``scripts/gen_models.py`` derives
them from the request schemas of the OpenAPI document and writes them to
``_body_rules.py``; ``_validation.py`` applies them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["FieldRule", "ObjectRule", "RequestBody", "Scalar"]

Scalar = str | int | float | bool | None
"""A JSON scalar, as an ``enum`` of the spec lists them."""


@dataclass(frozen=True)
class FieldRule:
    """What one JSON value (a body field, an array item, a map value) must look like.

    Every attribute left at its default checks nothing.
    """

    types: tuple[str, ...] = ()
    """The JSON types allowed (``"string"``, ``"integer"``, ``"null"``, ...); empty: any."""
    enum: tuple[Scalar, ...] | None = None
    """The only values allowed, when the spec lists them."""
    min_length: int | None = None
    """Shortest string allowed."""
    max_length: int | None = None
    """Longest string allowed."""
    minimum: float | None = None
    """Smallest number allowed."""
    maximum: float | None = None
    """Largest number allowed."""
    min_items: int | None = None
    """Fewest array items allowed."""
    max_items: int | None = None
    """Most array items allowed."""
    unique_items: bool = False
    """Whether an array's items must differ from each other."""
    fmt: str | None = None
    """A string format the fake checks (only ``"date-time"``)."""
    items: FieldRule | None = None
    """The rule for each item of an array."""
    values: FieldRule | None = None
    """The rule for each value of an object used as a map (keys not in ``shape``)."""
    shape: ObjectRule | None = None
    """Required keys and field rules of an object value."""


@dataclass(frozen=True)
class ObjectRule:
    """Required keys and field rules of one JSON object."""

    required: tuple[str, ...] = ()
    """Keys that must be present, in the spec's order."""
    fields: Mapping[str, FieldRule] = field(default_factory=dict[str, FieldRule])
    """The rule of each known key."""
    closed: bool = False
    """Whether keys outside ``fields`` are refused (``additionalProperties: false``)."""


@dataclass(frozen=True)
class RequestBody:
    """The body one operation takes: its schema's name, whether it must be sent, its rule."""

    schema: str
    """The name of the request schema in the OpenAPI document."""
    required: bool
    """Whether an empty body is refused."""
    rule: ObjectRule
    """What the body must look like."""
