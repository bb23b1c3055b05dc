"""Arguments: hostile IDs stay one path segment; wrong types fail before any I/O.

* Every path parameter of every operation, given an ID holding ``/``, ``..``,
  ``?``, ``#``, ``%``, spaces or non-ASCII, reaches the server as exactly ONE
  percent-encoded segment (checked on the fake's ``raw_path``). The bare
  relative segments ``.`` and ``..`` (and ``""``) are refused before any I/O.
* Every argument of every operation, given a value of the wrong type (an int
  ID, a str where a list is expected, a datetime as a string, ...), raises
  ``TypeError`` (or ``ValueError``) naming the argument, and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import attrs
import pytest
import pytest_asyncio
from surface import IDS, OPERATIONS, Operation, resolve

from telnyx_async import AsyncPager, AsyncTelnyx, TelnyxError
from telnyx_async._http import encode_path
from telnyx_async._types import UnsetType
from telnyx_async.testing import FakeTelnyx

pytestmark = pytest.mark.asyncio(loop_scope="module")

HOSTILE = [
    "a/b",
    "../etc",
    "a..b",
    "x?y=1&z=2",
    "frag#ment",
    "100%",
    "%2F",
    "two words",
    " padded ",
    "ünï-cødé",
    "日本語",
    "semi;colon",
    "back\\slash",
    "plus+sign",
]
NOT_IDS = ["", ".", ".."]

OPS = list(OPERATIONS.items())


def _params(route: str) -> list[str]:
    return [part[1:-1] for part in route.split("/") if part.startswith("{")]


WITH_IDS = [(key, op) for key, op in OPS if _params(key[1])]
"""The operations with at least one path parameter."""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def served() -> AsyncIterator[tuple[FakeTelnyx, AsyncTelnyx]]:
    async with FakeTelnyx() as fake, fake.client(max_retries=0) as client:
        yield fake, client


async def _invoke(op: Operation, client: AsyncTelnyx, ids: Mapping[str, str]) -> None:
    try:
        result = await op.invoke(client, ids)
        if isinstance(result, AsyncPager):
            await result
    except TelnyxError:
        pass  # a 404 for a made-up ID is fine: only the path sent matters here


def _expected_raw_path(route: str, ids: Mapping[str, str]) -> str:
    out = route
    for name in _params(route):
        out = out.replace("{" + name + "}", quote(ids[name], safe=""))
    return out


# ---------------------------------------------------------------- one segment per ID


@pytest.mark.parametrize(("key", "op"), WITH_IDS, ids=[f"{m} {p}" for (m, p), _ in WITH_IDS])
async def test_hostile_ids_stay_one_segment(
    served: tuple[FakeTelnyx, AsyncTelnyx], key: tuple[str, str], op: Operation
) -> None:
    fake, client = served
    method, route = key
    names = _params(route)
    segments = route.count("/")
    for name in names:
        for value in HOSTILE:
            ids = {**IDS, name: value}
            fake.reset_requests()
            if name == "suite_name" and "/" in value:
                # The one documented refusal (C5): a suite name may not hold '/'.
                with pytest.raises(ValueError, match="`suite_name`"):
                    await _invoke(op, client, ids)
                assert len(fake.requests) == 0
                continue
            await _invoke(op, client, ids)
            assert len(fake.requests) == 1, (name, value, fake.requests)
            rec = fake.requests[0]
            assert rec.raw_path == _expected_raw_path(route, ids), (name, value)
            assert rec.raw_path.count("/") == segments, (name, value, rec.raw_path)
            assert rec.route == route, (name, value, rec.route)
            # and the server reads back exactly the value that was given
            position = route.split("/").index("{" + name + "}")
            assert rec.path.split("/")[position] == value or "/" in value
            assert rec.method == method


@pytest.mark.parametrize(("key", "op"), WITH_IDS, ids=[f"{m} {p}" for (m, p), _ in WITH_IDS])
async def test_empty_and_dot_ids_are_refused_before_io(
    served: tuple[FakeTelnyx, AsyncTelnyx], key: tuple[str, str], op: Operation
) -> None:
    fake, client = served
    names = _params(key[1])
    for name in names:
        for value in NOT_IDS:
            fake.reset_requests()
            with pytest.raises(ValueError, match=f"`{name}`"):
                await _invoke(op, client, {**IDS, name: value})
            assert fake.requests == [], (name, value)


async def test_a_dot_id_never_reaches_the_server(
    served: tuple[FakeTelnyx, AsyncTelnyx],
) -> None:
    """``tags.remove("..", assistant_id=X)`` must not become ``DELETE .../assistants/X``."""
    fake, client = served
    fake.reset_requests()
    for bad in (".", ".."):
        with pytest.raises(ValueError, match="`tag`"):
            await client.ai.assistants.tags.remove(bad, assistant_id="a1")
        with pytest.raises(ValueError, match="`assistant_id`"):
            await client.ai.assistants.tags.remove("vip", assistant_id=bad)
    assert fake.requests == []
    assert encode_path("/a/{x}/b", x="a/b?c#d e%") == "/a/a%2Fb%3Fc%23d%20e%25/b"
    assert encode_path("/a/{x}", x="a..b") == "/a/a..b"


# ---------------------------------------------------------------- wrong types


class _Recorder:
    """Stands in for the client: records the method the registry calls and its arguments."""

    def __init__(self, path: tuple[str, ...] = (), log: list[Any] | None = None) -> None:
        self._path = path
        self._log = log if log is not None else []

    def __getattr__(self, name: str) -> _Recorder:
        return _Recorder((*self._path, name), self._log)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self._log.append((".".join(self._path), args, kwargs))


def _registry_call(op: Operation) -> tuple[tuple[Any, ...], dict[str, Any]]:
    recorder = _Recorder()
    op.call(recorder, IDS)  # type: ignore[arg-type]
    ((dotted, args, kwargs),) = recorder._log
    assert dotted == op.method
    return args, kwargs


def _evaluate(func: Any, annotation: Any) -> Any:
    if not isinstance(annotation, str):
        return annotation
    import telnyx_async.models as models

    class Names(dict[str, Any]):
        def __missing__(self, key: str) -> Any:
            try:
                return getattr(models, key)
            except AttributeError:
                raise KeyError(key) from None

    return eval(annotation, func.__globals__, Names())


def _strip(tp: Any) -> list[Any]:
    """The members of ``tp`` other than ``UNSET`` and ``None``."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return [a for arg in typing.get_args(tp) for a in _strip(arg)]
    if tp in (UnsetType, type(None), None):
        return []
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp)


def _wrong_value(tp: Any) -> Any:
    """A value of the wrong type for annotation ``tp`` (``NotImplemented``: no clear one)."""
    members = _strip(tp)
    if not members:
        return NotImplemented
    origins = {typing.get_origin(m) or m for m in members}
    if origins & {list, tuple, Sequence}:
        return "not-a-list"  # a str where a list is expected
    if origins & {dict, Mapping} and not any(m is str for m in members):
        return ["not", "a", "mapping"]
    if dt.datetime in members:
        return "2030-01-01T00:00:00Z"  # a datetime given as a string
    if bool in members:
        return "yes"
    if int in members or float in members:
        return "5"
    if str in members or any(
        isinstance(m, type) and (issubclass(m, enum.Enum) or _is_model(m)) for m in members
    ):
        return 12345  # e.g. an int ID
    return NotImplemented


_CASES: list[Any] = []
for _key, _op in OPS:
    _CASES.append(pytest.param(_key, _op, id=f"{_key[0]} {_key[1]}"))


@pytest.mark.parametrize(("key", "op"), _CASES)
async def test_wrong_argument_types_are_refused_before_io(
    served: tuple[FakeTelnyx, AsyncTelnyx], key: tuple[str, str], op: Operation, reliability: Any
) -> None:
    fake, client = served
    method = resolve(client, op.method)
    func = inspect.unwrap(method.__func__)
    args, kwargs = _registry_call(op)
    signature = inspect.signature(func)
    positional = [
        p.name for p in list(signature.parameters.values())[1:]
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    checked: list[str] = []
    unchecked: list[str] = []
    for param in list(signature.parameters.values())[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        bad = _wrong_value(_evaluate(func, param.annotation))
        if bad is NotImplemented:
            unchecked.append(param.name)
            continue
        call_args = list(args)
        call_kwargs = dict(kwargs)
        if param.name in positional and positional.index(param.name) < len(call_args):
            call_args[positional.index(param.name)] = bad
        else:
            call_kwargs[param.name] = bad
        fake.reset_requests()
        with pytest.raises((TypeError, ValueError)) as info:
            result = method(*call_args, **call_kwargs)
            if inspect.isawaitable(result):
                result = await result
            if isinstance(result, AsyncPager):
                await result
        assert f"`{param.name}" in str(info.value), (param.name, bad, str(info.value))
        assert fake.requests == [], f"{op.method}({param.name}={bad!r}) sent a request"
        checked.append(param.name)
    assert checked, f"{op.method}: no argument could be checked"
    reliability.add_figures(
        f"arguments:{op.method}", checked=checked, unchecked=unchecked
    )
