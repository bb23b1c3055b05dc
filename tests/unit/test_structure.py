"""``_structure.hook_for`` picks the same rule the cattrs converter does, for every field type.

Reading responses goes through ``_structure`` alone (no cattrs); the converter
registers the same rules for what is structured through it. These tests hold
the two dispatchers together: for every type a generated model's field is
declared with, both give the same answer (or the same kind of error) on a set
of probe values, and for classes they hand out the very same hook.
"""

from __future__ import annotations

import datetime
import enum
import typing
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from telnyx_async import _structure, models
from telnyx_async._converter import converter
from telnyx_async.models._base import Model, OpenEnum

PROBES: list[Any] = [
    None, "x", "", 0, 7, 1.5, True, [], ["x"], [1, "a"], [{}], {}, {"a": 1},
    {"type": "webhook"}, {"type": "nope"}, "2025-01-02T03:04:05Z", [["x"]],
]


def _field_types() -> Iterator[Any]:
    seen: set[str] = set()
    for name in models.__all__:
        cls = getattr(models, name)
        if not (isinstance(cls, type) and issubclass(cls, Model)):
            continue
        for field in attrs.fields(attrs.resolve_types(cls)):
            key = repr(field.type)
            if field.name != "extra" and key not in seen:
                seen.add(key)
                yield field.type


FIELD_TYPES = list(_field_types())


def _outcome(hook: Any, value: Any, tp: Any) -> tuple[str, Any]:
    try:
        return "value", hook(value, tp)
    except Exception as exc:
        return "error", type(exc)


@pytest.mark.parametrize("tp", FIELD_TYPES, ids=repr)
def test_every_field_type_is_structured_as_the_converter_structures_it(tp: Any) -> None:
    ours = _structure.hook_for(tp)
    theirs = converter.get_structure_hook(tp)
    for value in PROBES:
        assert _outcome(ours, value, tp) == _outcome(theirs, value, tp), value


class Colour(OpenEnum):
    RED = "red"


class Plain(enum.Enum):
    ONE = "one"


@pytest.mark.parametrize(
    "tp", [datetime.datetime, str, int, float, bool, Colour, Plain], ids=repr
)
def test_classes_get_the_very_hook_the_converter_has(tp: type) -> None:
    assert _structure.hook_for(tp) is converter.get_structure_hook(tp)


def test_there_are_field_types_of_every_shape() -> None:
    """The probe above covers lists, unions, enums, models and scalars, not just a few."""
    origins = {typing.get_origin(tp) for tp in FIELD_TYPES}
    assert list in origins
    assert any(isinstance(tp, type) and issubclass(tp, Model) for tp in FIELD_TYPES)
    assert any(isinstance(tp, type) and issubclass(tp, OpenEnum) for tp in FIELD_TYPES)
    assert len(FIELD_TYPES) > 100


def test_a_type_no_rule_covers_is_asked_of_the_converter() -> None:
    hook = _structure.hook_for(dict[str, int])
    assert hook is converter.get_structure_hook(dict[str, int])
    assert hook({"a": 1}, dict[str, int]) == {"a": 1}


def test_models_the_generator_did_not_write_go_to_the_converter() -> None:
    from telnyx_async import PageMeta

    meta = _structure.fit({"total_pages": 3, "surprise": True}, PageMeta)
    assert meta.total_pages == 3
    assert meta.extra == {"surprise": True}


def test_fit_names_the_path_at_fault_through_rules_and_converter_alike() -> None:
    assistant = {
        "id": "a", "name": 5, "model": "m", "instructions": "i",
        "created_at": "2025-01-01T00:00:00Z",
    }
    with pytest.raises(_structure.Misfit) as in_a_list:
        _structure.fit([assistant], list[models.Assistant])
    assert (in_a_list.value.path, in_a_list.value.reason) == ("[0].name", "expected str, got int")
    with pytest.raises(_structure.Misfit) as in_a_dict:  # dict[...]: the converter's hook
        _structure.fit({"data": [{"name": "n"}]}, dict[str, list[models.Assistant]])
    assert in_a_dict.value.path == "['data'][0].created_at"
    assert in_a_dict.value.reason == "required field missing"
