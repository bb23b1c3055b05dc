"""Model classes attrs finishes on first use (``telnyx_async.models._deferred``).

The generated modules declare their classes with ``_deferred.frozen``: at import a
class only gets its slots, and attrs' work (its ``__init__``, ``__attrs_attrs__``)
waits until something asks for it. These tests hold the two halves of that bargain:
reading a response finishes no class (the cold-start saving), and anything a user
can do with an attrs class finishes it and then behaves as ``attrs.frozen`` would,
on the very class object the module bound.
"""

from __future__ import annotations

import copy
import inspect
import json
import pickle
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest

from telnyx_async.models import _deferred
from telnyx_async.models._base import NO_EXTRA, Model

ROOT = Path(__file__).resolve().parents[2]


def declare(name: str = "Thing", module: str = "tests.deferred", **options: Any) -> Any:
    """A fresh pending model class, like the generator writes one."""
    namespace: dict[str, Any] = {"Model": Model, "attrs": attrs, "__name__": module}
    source = (
        f"class {name}(Model):\n"
        "    '''A thing.'''\n"
        "    id: str\n"
        "    size: int | None = None\n"
        "    kind: str = attrs.field(default='plain', metadata={'wire': 'type'})\n"
    )
    exec(source, namespace)
    options = options or {"kw_only": True, "repr": False, "eq": False}
    return _deferred.frozen(**options)(namespace[name])


def filled(cls: Any, **values: Any) -> Any:
    """An instance filled slot by slot, as the generated structure functions do."""
    obj = object.__new__(cls)
    object.__setattr__(obj, "extra", NO_EXTRA)
    for name in ("id", "size", "kind"):
        object.__setattr__(obj, name, values.get(name))
    return obj


def test_a_declared_class_is_slotted_and_pending() -> None:
    cls = declare()
    assert _deferred.is_pending(cls)
    assert cls.__slots__ == ("id", "size", "kind")
    assert cls.__qualname__ == "Thing" and cls.__module__ == "tests.deferred"
    assert cls.__doc__ == "A thing."
    assert not hasattr(filled(cls, id="a"), "__dict__")


@pytest.mark.parametrize(
    "first_use",
    [
        pytest.param(lambda cls: cls(id="a"), id="constructing"),
        pytest.param(attrs.fields, id="attrs.fields"),
        pytest.param(attrs.has, id="attrs.has"),
        pytest.param(inspect.signature, id="inspect.signature"),
        pytest.param(lambda cls: attrs.evolve(filled(cls, id="a"), size=2), id="attrs.evolve"),
        pytest.param(lambda cls: repr(filled(cls, id="a")), id="repr"),
        pytest.param(lambda cls: filled(cls, id="a").__getstate__(), id="pickle"),
    ],
)
def test_first_use_finishes_the_class_in_place(first_use: Any) -> None:
    cls = declare()
    first_use(cls)
    assert not _deferred.is_pending(cls)
    assert [a.name for a in attrs.fields(cls)] == ["extra", "id", "size", "kind"]
    assert attrs.fields(cls).kind.metadata == {"wire": "type"}
    assert attrs.fields(cls).size.type == "int | None"
    parameters = inspect.signature(cls).parameters
    assert [(p.name, p.kind, p.default) for p in parameters.values()] == [
        ("extra", inspect.Parameter.KEYWORD_ONLY, NO_EXTRA),
        ("id", inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.empty),
        ("size", inspect.Parameter.KEYWORD_ONLY, None),
        ("kind", inspect.Parameter.KEYWORD_ONLY, "plain"),
    ]
    made = cls(id="a", size=3)
    assert type(made) is cls
    assert (made.id, made.size, made.kind, made.extra) == ("a", 3, "plain", NO_EXTRA)
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'id'"):
        cls()


def test_finishing_leaves_no_stand_ins_behind() -> None:
    cls = declare()
    _deferred.finish(cls)
    for name in ("__init__", "__attrs_attrs__"):
        assert not isinstance(vars(cls)[name], _deferred._FinishOnAccess)
    assert not any(isinstance(v, _deferred._FinishOnAccess) for v in vars(cls).values())
    _deferred.finish(cls)  # a second time does nothing
    assert cls(id="b").id == "b"


def test_an_unfinished_class_is_already_frozen() -> None:
    cls = declare()
    obj = filled(cls, id="a")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        obj.id = "b"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del obj.id
    assert _deferred.is_pending(cls)  # refusing a write needs no attrs work


def test_equality_is_models_and_finishes_the_class() -> None:
    cls = declare()
    one, two = filled(cls, id="a", size=1), filled(cls, id="a", size=1)
    assert one == two
    assert one != filled(cls, id="a", size=2)
    assert not _deferred.is_pending(cls)


def test_subclasses_finish_their_pending_base() -> None:
    base = declare("Base")

    @attrs.frozen(kw_only=True)
    class Mine(base):  # type: ignore[misc, valid-type]
        colour: str = "red"

    assert not _deferred.is_pending(base)
    made = Mine(id="a")
    assert (made.id, made.kind, made.colour) == ("a", "plain", "red")

    plain_base = declare("PlainBase")

    class Plain(plain_base):  # type: ignore[misc, valid-type]
        pass

    assert Plain(id="z").id == "z"
    assert not _deferred.is_pending(plain_base)


def test_a_subclass_init_calling_super_runs_once() -> None:
    base = declare("Base")
    calls: list[str] = []

    class Mine(base):  # type: ignore[misc, valid-type]
        def __init__(self, **values: Any) -> None:
            calls.append("Mine")
            super().__init__(**values)

    assert Mine(id="a").id == "a"
    assert calls == ["Mine"]
    assert Mine(id="b").id == "b"
    assert calls == ["Mine", "Mine"]


def test_a_stand_in_asked_with_the_class_as_instance_binds_like_a_method() -> None:
    """Python 3.13's ``inspect.signature`` asks ``__get__(cls, type(cls))``."""
    cls = declare()
    bound = _deferred._FinishOnAccess(cls, "__init__").__get__(cls, type)
    assert bound.__self__ is cls
    assert bound.__func__ is vars(cls)["__init__"]


def test_an_attribute_attrs_does_not_add_is_inherited_once_finished() -> None:
    cls = declare()
    stand_in = _deferred._FinishOnAccess(cls, "__not_added_by_attrs__")
    type.__setattr__(Model, "__not_added_by_attrs__", "from Model")
    try:
        assert stand_in.__get__(None, cls) == "from Model"
    finally:
        type.__delattr__(Model, "__not_added_by_attrs__")


def test_options_attrs_would_apply_are_applied() -> None:
    cls = declare(kw_only=False, repr=False, eq=False)
    assert cls("a", 2).size == 2  # Model's own ``extra`` stays keyword-only


@pytest.mark.parametrize("option", ["slots", "these"])
def test_options_frozen_decides_itself_are_refused(option: str) -> None:
    with pytest.raises(TypeError, match="decides slots and these itself"):
        _deferred.frozen(**{option: None})


def test_a_class_attrs_refuses_stays_pending_and_refuses_again() -> None:
    cls = declare(kw_only=True, repr=False, eq=False, init=False, cache_hash=True)
    with pytest.raises(TypeError, match="cache_hash"):
        _deferred.finish(cls)
    assert _deferred.is_pending(cls)
    with pytest.raises(TypeError, match="cache_hash"):
        _deferred.finish(cls)


def test_threads_racing_to_finish_a_class_all_get_a_working_class() -> None:
    cls = declare()
    start = threading.Barrier(8)
    results: list[Any] = []
    errors: list[BaseException] = []

    def construct(index: int) -> None:
        start.wait()
        try:
            results.append(cls(id=str(index)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=construct, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.id for r in results) == [str(i) for i in range(8)]
    assert all(type(r) is cls for r in results)


Pickled = declare("Pickled", __name__)
"""Pending until a test uses it; bound here so that ``pickle`` finds it by name."""


def test_pickle_and_copies_keep_every_field_and_extra() -> None:
    cls = Pickled
    plain = filled(cls, id="a", size=1, kind="x")
    with_extra = attrs.evolve(plain, extra={"new_field": [1, 2]})
    for obj in (plain, with_extra):
        for twin in (pickle.loads(pickle.dumps(obj)), copy.deepcopy(obj), copy.copy(obj)):
            assert twin == obj and type(twin) is cls
    assert pickle.loads(pickle.dumps(plain)).extra is NO_EXTRA


def test_a_generated_model_pickles_and_deep_copies() -> None:
    from telnyx_async.models import Assistant

    data = {
        "id": "assistant-1", "name": "n", "model": "m", "instructions": "i",
        "created_at": "2025-01-02T03:04:05Z", "tools": [], "surprise": {"a": 1},
    }
    assistant = Assistant.from_dict(data)
    assert pickle.loads(pickle.dumps(assistant)) == assistant
    assert copy.deepcopy(assistant) == assistant
    assert pickle.loads(pickle.dumps(assistant)).extra == {"surprise": {"a": 1}}


_FIRST_READ = """
import json, sys
sys.path.insert(0, {root!r})
from benchmarks import payloads
from telnyx_async.models import _deferred
from telnyx_async.models.assistants import Assistant
from telnyx_async._structure import fit
pending_before = {{c.__qualname__ for c in _deferred._PENDING}}
assistant = fit(payloads.full_assistant(), Assistant)
import telnyx_async.models.assistant_settings, telnyx_async.models.assistant_tools
import telnyx_async.models.conversation_flow
declared = {{c.__qualname__ for c in _deferred._PENDING}}
print(json.dumps({{"declared": len(declared), "pending_before": len(pending_before),
                   "finished": sorted(n for n in pending_before if n not in declared)}}))
"""


def test_reading_a_response_finishes_no_model_class() -> None:
    """The cold-start saving: a fully populated assistant is read without attrs' work."""
    code = _FIRST_READ.format(root=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    report = json.loads(result.stdout)
    assert report["finished"] == []
    assert report["declared"] > 100  # every class of the modules that were read
