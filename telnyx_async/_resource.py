"""The base every resource class builds on, and the one-line helpers its methods call."""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from telnyx_async._client import JSON, NOTHING, TEXT, RequestOptions, new_idempotency_key
from telnyx_async._converter import structure
from telnyx_async._pagination import AsyncPager, Page, PageMeta
from telnyx_async._types import UnsetType
from telnyx_async.errors import APIResponseValidationError

if TYPE_CHECKING:
    from telnyx_async._client import AsyncTelnyx

__all__ = ["JSON", "NOTHING", "TEXT", "Resource", "body_of", "options_of"]

_T = TypeVar("_T")

_CONTROL = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "idempotency_key",
        "page_size",
        "page_number",
        "prefetch",
    }
)
_RENAMES = {"from_": "from", "async_": "async"}


def options_of(args: Mapping[str, Any]) -> RequestOptions:
    """Pick the per-call overrides (``extra_headers`` ... ``timeout``) out of a method's locals."""
    return RequestOptions(
        extra_headers=args.get("extra_headers"),
        extra_query=args.get("extra_query"),
        extra_body=args.get("extra_body"),
        timeout=args["timeout"],
    )


def body_of(args: Mapping[str, Any], *skip: str) -> dict[str, Any]:
    """Build a JSON body from a method's locals: every argument given, under its API name.

    Control arguments, the names in ``skip`` (path parameters) and ``UNSET``
    values are left out; ``None`` is kept and sent as ``null``.
    """
    return {
        _RENAMES.get(name, name): value
        for name, value in args.items()
        if name not in _CONTROL and name not in skip and not isinstance(value, UnsetType)
    }


# ---------------------------------------------------------------- argument checks
#
# Every public method of every resource checks its arguments against its own
# annotations when called, before any I/O: a wrong type is a TypeError (an
# empty ID a ValueError) naming the argument, not a 422 from the server after a
# round trip -- or, worse, an int ID quietly turned into a path. Only types the
# check fully understands are checked; anything else (callables, type
# variables, names it cannot resolve) is left alone.

_PATH_PARAMETERS = frozenset(
    {
        "assistant_id",
        "event_id",
        "integration_id",
        "mcp_server_id",
        "run_id",
        "suite_name",
        "tag",
        "test_id",
        "tool_id",
        "user_connection_id",
        "version_id",
    }
)
"""Names of the API's path parameters: given as arguments, they must be usable as one."""
_NOT_AN_ID = frozenset({"", ".", ".."})

_Problem = tuple[str, str, Any]
"""Where inside the argument (``""``, ``"[2]"``, ``"['k']"``), what was expected, what came."""
_Rule = Callable[[Any], "_Problem | None"]


def _scalar(kind: type, what: str) -> _Rule:
    if kind is bool:
        return lambda v: None if isinstance(v, bool) else ("", what, v)
    if kind is int:
        return lambda v: None if isinstance(v, int) and not isinstance(v, bool) else ("", what, v)
    if kind is float:
        return lambda v: (
            None if isinstance(v, (int, float)) and not isinstance(v, bool) else ("", what, v)
        )
    return lambda v: None if isinstance(v, kind) else ("", what, v)


_SCALAR_NAMES = {
    str: "a str",
    int: "an int",
    float: "a number",
    bool: "a bool",
    _dt.datetime: "a datetime.datetime",
    _dt.date: "a datetime.date",
}


def _rule_for(tp: Any) -> tuple[_Rule, str] | None:
    """A check for values of annotation ``tp`` and how to name it, or ``None`` (unchecked)."""
    if tp is Any or tp is object:
        return None
    if tp is None or tp is type(None):
        return (lambda v: None if v is None else ("", "None", v)), "None"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        parts = [_rule_for(a) for a in args]
        if any(part is None for part in parts):
            return None
        rules = [part[0] for part in parts if part is not None]
        names = [part[1] for part in parts if part is not None and part[1] != "UNSET"]
        what = " or ".join(dict.fromkeys(names))

        def union(v: Any) -> _Problem | None:
            for rule in rules:
                if rule(v) is None:
                    return None
            return ("", what, v)

        return union, what
    if origin is typing.Literal:
        allowed = args
        what = "one of " + ", ".join(repr(a) for a in allowed)
        return (lambda v: None if v in allowed else ("", what, v)), what
    if origin in (list, tuple, Sequence):
        inner = _rule_for(args[0]) if args else None
        what = f"a list of {_plural(inner[1])}" if inner else "a list"

        def sequence(v: Any) -> _Problem | None:
            if _is(v, (str, bytes, bytearray)) or not _is(v, Sequence):
                return ("", what, v)
            if inner is not None:
                for i, item in enumerate(v):
                    problem = inner[0](item)
                    if problem is not None:
                        return (f"[{i}]{problem[0]}", problem[1], problem[2])
            return None

        return sequence, what
    if origin in (dict, Mapping):
        inner = _rule_for(args[1]) if len(args) == 2 else None
        what = "a mapping"

        def mapping(v: Any) -> _Problem | None:
            if not _is(v, Mapping):
                return ("", what, v)
            if inner is not None:
                for key, item in v.items():
                    problem = inner[0](item)
                    if problem is not None:
                        return (f"[{key!r}]{problem[0]}", problem[1], problem[2])
            return None

        return mapping, what
    if origin is not None or not isinstance(tp, type):
        return None  # Callable, Iterable, TypeVar, ...: not ours to judge
    if tp is UnsetType:
        return (lambda v: None if isinstance(v, UnsetType) else ("", "UNSET", v)), "UNSET"
    if tp in _SCALAR_NAMES:
        what = _SCALAR_NAMES[tp]
        return _scalar(tp, what), what
    what = f"a {tp.__name__}"
    return _scalar(tp, what), what


def _plural(what: str) -> str:
    return what.removeprefix("a ").removeprefix("an ")


def _got(value: Any) -> str:
    kind = type(value).__name__
    if isinstance(value, (str, int, float, bool)) and len(repr(value)) <= 40:
        return f"{kind} {value!r}"
    return kind


class _ModelNames(Mapping[str, Any]):
    """Names the resource modules import only for type checkers (the models), on demand."""

    def __getitem__(self, name: str) -> Any:
        import telnyx_async.models as models

        try:
            return getattr(models, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> typing.Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _annotation(func: Callable[..., Any], param: inspect.Parameter) -> Any:
    annotation = param.annotation
    if isinstance(annotation, str):
        try:
            return eval(annotation, func.__globals__, _ModelNames())  # our own annotations
        except Exception:
            return Any
    return annotation


def _argument_rules(func: Callable[..., Any]) -> dict[str, tuple[_Rule, bool]]:
    rules: dict[str, tuple[_Rule, bool]] = {}
    for param in list(inspect.signature(func).parameters.values())[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.annotation is inspect.Parameter.empty:
            continue
        found = _rule_for(_annotation(func, param))
        if found is not None:
            rules[param.name] = (found[0], param.name in _PATH_PARAMETERS)
    return rules


def _checked(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a resource method so its arguments are checked when it is called."""
    names = [
        p.name
        for p in list(inspect.signature(func).parameters.values())[1:]
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    rules: dict[str, tuple[_Rule, bool]] | None = None

    def check(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        nonlocal rules
        if rules is None:
            rules = _argument_rules(func)
        for name, value in (*zip(names, args, strict=False), *kwargs.items()):
            found = rules.get(name)
            if found is None:
                continue
            rule, is_path = found
            problem = rule(value)
            if problem is not None:
                where, what, got = problem
                raise TypeError(f"`{name}{where}` must be {what}, got {_got(got)}")
            if is_path and value in _NOT_AN_ID:
                raise ValueError(
                    f"`{name}` must be a non-empty string"
                    if value == ""
                    else f"`{name}` cannot be {value!r}: it is a relative path segment"
                )

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def checked_coroutine(self: Any, *args: Any, **kwargs: Any) -> Any:
            check(args, kwargs)
            return await func(self, *args, **kwargs)

        wrapper: Callable[..., Any] = checked_coroutine
    else:

        @functools.wraps(func)
        def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
            check(args, kwargs)
            return func(self, *args, **kwargs)

        wrapper = checked
    wrapper.__telnyx_checked__ = True  # type: ignore[attr-defined]
    return wrapper


class Resource:
    """A group of API calls hanging off the client (``client.ai.assistants`` and so on).

    Every public method a subclass defines checks its arguments against its
    annotations when called (see ``_checked``), before any I/O.
    """

    def __init__(self, client: AsyncTelnyx) -> None:
        self._client = client

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if getattr(value, "__telnyx_checked__", False):
                continue
            setattr(cls, name, _checked(value))

    def _key(self, given: str | None) -> str:
        return given if given is not None else new_idempotency_key()

    def _pager(
        self,
        path: str,
        item_type: type[_T],
        *,
        query: Mapping[str, Any],
        page_size: int | None,
        page_number: int,
        prefetch: int | UnsetType | None,
        options: RequestOptions,
        bare: bool = False,
    ) -> AsyncPager[_T]:
        """A lazy pager over ``path`` sending ``page[number]``/``page[size]`` on every page.

        ``bare`` is for endpoints that answer a plain JSON array (no ``meta``).
        """
        if page_size is not None and (
            isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1
        ):
            raise ValueError("`page_size` must be a positive int")
        if isinstance(page_number, bool) or not isinstance(page_number, int) or page_number < 1:
            raise ValueError("`page_number` must be an int >= 1")
        client = self._client
        list_type: Any = list[item_type]  # type: ignore[valid-type]

        async def fetch(number: int) -> Page[_T]:
            params = dict(query)
            params["page[number]"] = number
            if page_size is not None:
                params["page[size]"] = page_size
            raw: Any = await client._request(
                "GET", path, query=params, cast=JSON, options=options
            )
            data: Any
            try:
                if bare:
                    if not _is(raw, list):
                        raise APIResponseValidationError(
                            f"expected a JSON array, got {_json_kind(raw)}", path="(root)"
                        )
                    items: list[_T] = structure(raw, list_type)
                    meta = None
                    data = raw
                else:
                    if not _is(raw, dict) or "data" not in raw:
                        raise APIResponseValidationError(
                            f"expected an object with `data`, got {_json_kind(raw)}", path="data"
                        )
                    data = raw["data"]
                    holder = typing.cast(Any, structure(raw, _items_holder(item_type)))
                    items = typing.cast("list[_T]", holder.data)
                    meta = _page_meta(raw.get("meta"))
            except APIResponseValidationError as exc:
                # Say which call and page it was, like every other error the SDK raises.
                exc.message = f"GET {path} (page {number}): {exc.message}"
                exc.args = (exc.message,)
                exc.method = exc.method or "GET"
                raise
            return Page(data=items, meta=meta, page_number=number, page_size=page_size, raw=data)

        eff_prefetch = client.config.prefetch if isinstance(prefetch, UnsetType) else prefetch
        if eff_prefetch is None:
            eff_prefetch = 0
        if isinstance(eff_prefetch, bool) or not isinstance(eff_prefetch, int) or eff_prefetch < 0:
            raise ValueError("`prefetch` must be an int >= 0")
        return AsyncPager(
            fetch,
            page_number=page_number,
            prefetch=eff_prefetch,
            max_pages=client.config.max_pages,
        )


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    """``isinstance`` without narrowing: decoded JSON stays ``Any`` to the type checkers."""
    return isinstance(value, kind)


def _page_meta(raw: Any) -> PageMeta | None:
    """The page's ``meta``; a bad one is reported at ``meta.<field>``, not at the root."""
    if raw is None:
        return None
    try:
        return structure(raw, PageMeta)
    except APIResponseValidationError as exc:
        inner = exc.path if exc.path and exc.path != "(root)" else ""
        exc.path = f"meta.{inner}" if inner and not inner.startswith("[") else f"meta{inner}"
        exc.message = f"at {exc.path}: {exc.message}"
        exc.args = (exc.message,)
        raise


def _json_kind(value: Any) -> str:
    """How a decoded JSON value reads in an error message."""
    if value is None:
        return "null or an empty body"
    for kind, name in ((bool, "a boolean"), (dict, "an object"), (list, "an array"),
                       (str, "a string"), ((int, float), "a number")):
        if isinstance(value, kind):
            return name
    return "a value"


_HOLDERS: dict[type, type] = {}


def _items_holder(item_type: type) -> type:
    """An attrs class ``{data: list[item_type]}`` so validation paths read ``data[3].status``."""
    holder = _HOLDERS.get(item_type)
    if holder is None:
        name = getattr(item_type, "__name__", None) or "Union"  # X | Y unions have no name
        holder = attrs.make_class(
            f"{name}Items",
            {"data": attrs.field(type=list[item_type])},  # type: ignore[valid-type]
            frozen=True,
        )
        _HOLDERS[item_type] = holder
    return holder
