"""The base every resource class builds on, and the few helpers its methods call.

A resource method says what it sends, explicitly: the path template and its
IDs, the query values, the body as a dict under the API's names, and the
request model the body must fit. :meth:`Resource._call` builds the
:class:`~telnyx_async.Request` (``_http.build_request``, pure), checks the body
against its model before anything is sent, sends it down the client's send
path and decodes the answer. Nothing here knows about aiohttp.
"""

from __future__ import annotations

import functools
import time
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, overload

import attrs

from telnyx_async import _json
from telnyx_async._codec import unstructure
from telnyx_async._config import ClientConfig
from telnyx_async._decode import (
    JSON,
    NOTHING,
    OBJECT,
    TEXT,
    Expect,
    decode,
    decode_json,
    decode_off_loop,
    gc_paused,
    misfit_error,
    off_loop,
)
from telnyx_async._http import (
    NO_OPTIONS,
    RequestDefaults,
    RequestOptions,
    build_request,
    is_plain_object,
)
from telnyx_async._pagination import AsyncPager, Page, PageMeta
from telnyx_async._response import capture, send_captured
from telnyx_async._retry import Send, Sleep
from telnyx_async._structure import Misfit, fit
from telnyx_async._types import UNSET, UnsetType
from telnyx_async._wire import Request, Response

__all__ = [
    "JSON",
    "NOTHING",
    "OBJECT",
    "TEXT",
    "CallContext",
    "Resource",
    "check_body",
    "options",
    "without_unset",
]

_T = TypeVar("_T")


class CallContext:
    """What resources need from their client: how to send, what to send with, settings.

    Made by :class:`~telnyx_async.AsyncTelnyx` (one per client and per
    ``with_options`` copy); resources never see the client itself. Read-only
    by convention (a plain class: no attrs class to build at import).
    """

    __slots__ = ("config", "defaults", "send", "sleep")

    def __init__(
        self, *, send: Send, defaults: RequestDefaults, config: ClientConfig, sleep: Sleep
    ) -> None:
        self.send = send
        self.defaults = defaults
        self.config = config
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"<CallContext {self.defaults.base_url}>"


def options(
    extra_headers: Mapping[str, str] | None,
    extra_query: Mapping[str, Any] | None,
    extra_body: Mapping[str, Any] | None,
    timeout: Any,
) -> RequestOptions:
    """Bundle a method's four per-call override arguments (the shared ``NO_OPTIONS`` if unused)."""
    if extra_headers is None and extra_query is None and extra_body is None and timeout is UNSET:
        return NO_OPTIONS
    return RequestOptions(extra_headers, extra_query, extra_body, timeout)


def check_body(body: Mapping[str, Any], model: type[Any]) -> None:
    """Refuse, before anything is sent, a body that does not fit its request ``model``.

    The body is first put in its wire form (models as dicts, datetimes as
    text), then held against the model with the same rules responses are
    read with (the models are generated from the API document). A misfit is
    a ``TypeError`` naming the argument at fault (``voice_settings.voice``).
    A required field missing inside a nested value is left to the API, whose
    422 points at it: only types are judged here.
    """
    try:
        # A dict of plain JSON scalars is its own wire form (unstructure would copy it as is).
        fit(body if is_plain_object(body) else unstructure(dict(body)), model)
    except Misfit as misfit:
        if misfit.reason.startswith("required field"):
            return
        where = misfit.path if misfit.path and misfit.path != "(root)" else None
        named = f"`{where}`" if where else "the request body"
        raise TypeError(f"{named} does not fit {model.__name__}: {misfit.reason}") from None
    except RecursionError:
        raise ValueError("the request body is nested too deeply (or refers to itself)") from None


def without_unset(body: Mapping[str, Any]) -> dict[str, Any]:
    """``body`` without the entries the caller did not pass (``None`` stays: it is ``null``)."""
    return {k: v for k, v in body.items() if v is not UNSET}


class Resource:
    """A group of API calls hanging off the client (``client.ai.assistants`` and so on)."""

    def __init__(self, context: CallContext) -> None:
        self._context = context

    # ------------------------------------------------------------ one call

    def _request(
        self,
        method: str,
        route: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        body_model: type[Any] | None = None,
        idempotency_key: str | None = None,
        options: RequestOptions = NO_OPTIONS,
        text_answer: bool = False,
    ) -> Request:
        """Check what the method passed and build its request (no I/O)."""
        sent: Any = body
        if body is not UNSET and isinstance(body, Mapping):  # JSON object: drop what's not passed
            sent = without_unset(typing.cast("Mapping[str, Any]", body))
            if body_model is not None:
                check_body(sent, body_model)
        return build_request(
            self._context.defaults, method, route, path_params=path, query=query, body=sent,
            idempotency_key=idempotency_key, options=options, text_answer=text_answer,
            started_at=time.monotonic(),
        )

    @overload
    async def _call(
        self,
        method: str,
        route: str,
        cast: type[_T],
        *,
        path: Mapping[str, str] | None = ...,
        query: Mapping[str, Any] | None = ...,
        body: Any = ...,
        body_model: type[Any] | None = ...,
        idempotency_key: str | None = ...,
        options: RequestOptions = ...,
    ) -> _T: ...

    @overload
    async def _call(
        self,
        method: str,
        route: str,
        cast: Expect | object,
        *,
        path: Mapping[str, str] | None = ...,
        query: Mapping[str, Any] | None = ...,
        body: Any = ...,
        body_model: type[Any] | None = ...,
        idempotency_key: str | None = ...,
        options: RequestOptions = ...,
    ) -> Any: ...

    async def _call(
        self,
        method: str,
        route: str,
        cast: Any,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        body_model: type[Any] | None = None,
        idempotency_key: str | None = None,
        options: RequestOptions = NO_OPTIONS,
    ) -> Any:
        """Build, send and decode one call; ``cast`` says what the answer becomes.

        Run from a raw or streamed variant (``with_raw_response``...), the answer
        is not decoded: an :class:`~telnyx_async.APIResponse` that decodes it on
        ``parse()`` is returned, and left in the variant's capture.
        """
        request = self._request(
            method, route, path=path, query=query, body=body, body_model=body_model,
            idempotency_key=idempotency_key, options=options, text_answer=cast is TEXT,
        )
        into = capture()
        if into is not None:
            return await send_captured(
                self._context.send, request, functools.partial(_decode_as, cast), into
            )
        response = await self._context.send(request)
        return await decode_off_loop(response, cast)

    # ------------------------------------------------------------ lists

    def _pager(
        self,
        route: str,
        item_type: Any,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        page_size: int | None,
        page_number: int | None,
        prefetch: int | UnsetType | None,
        options: RequestOptions,
        bare: bool = False,
    ) -> AsyncPager[Any]:
        """A lazy pager over ``route``; page arguments are sent only when given or needed.

        The first page carries ``page[number]`` only if the caller gave
        ``page_number``; later pages always say which one they want.
        ``page[size]`` goes out only when ``page_size`` is given. ``bare`` is for
        endpoints that answer a plain JSON array (no ``meta``).
        """
        if page_size is not None and (
            isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1
        ):
            raise ValueError("`page_size` must be a positive int")
        if page_number is not None and (
            isinstance(page_number, bool) or not isinstance(page_number, int) or page_number < 1
        ):
            raise ValueError("`page_number` must be an int >= 1")
        config = self._context.config
        chosen = config.prefetch if isinstance(prefetch, UnsetType) else prefetch
        if chosen is None:
            chosen = 0
        if isinstance(chosen, bool) or not isinstance(chosen, int) or chosen < 0:
            raise ValueError("`prefetch` must be an int >= 0")
        first = 1 if page_number is None else page_number
        base_query = dict(query or {})
        self._request("GET", route, path=path, query=base_query, options=options)  # checks now
        reader = _PageReader(item_type, bare=bare)
        into = capture()  # a raw or streamed variant: the first page's answer, undecoded

        def page_request(number: int) -> Request:
            params = dict(base_query)
            if page_number is not None or number != first:
                params["page[number]"] = number
            if page_size is not None:
                params["page[size]"] = page_size
            return self._request("GET", route, path=path, query=params, options=options)

        async def fetch(number: int) -> Page[Any]:
            response = await self._context.send(page_request(number))

            def read() -> Page[Any]:
                with gc_paused():
                    return reader.read(response, number, page_size)

            return await off_loop(response, read)

        if into is None:
            return AsyncPager(
                fetch, page_number=first, prefetch=chosen, max_pages=config.max_pages
            )

        async def fetch_captured(number: int) -> Page[Any]:
            read = functools.partial(_read_page, reader, number=number, page_size=page_size)
            raw: Any = await send_captured(self._context.send, page_request(number), read, into)
            return typing.cast("Page[Any]", raw)  # the captured response: see _response

        return AsyncPager(fetch_captured, page_number=first, prefetch=0, max_pages=1)


def _decode_as(cast: Any, response: Response) -> Any:
    """``decode`` with the arguments the other way round, for ``functools.partial``."""
    return decode(response, cast)


def _read_page(
    reader: _PageReader, response: Response, *, number: int, page_size: int | None
) -> Page[Any]:
    """One page from a captured answer, decoded when ``parse()`` asks for it."""
    with gc_paused():
        return reader.read(response, number, page_size)


class _PageReader:
    """Turns one list answer into a :class:`Page` of ``item_type``."""

    def __init__(self, item_type: Any, *, bare: bool) -> None:
        self._bare = bare
        self._list_type: Any = list[item_type]
        self._holder: Any = None if bare else _items_holder(item_type)

    def read(self, response: Response, number: int, page_size: int | None) -> Page[Any]:
        """Page ``number`` of the list, from ``response``."""
        where = f" (page {number})"
        raw = decode_json(response)
        try:
            if self._bare:
                if not isinstance(raw, list):
                    raise Misfit("(root)", f"expected a JSON array, got {_kind(raw)}", "a list")
                items: list[Any] = fit(raw, self._list_type)
                return Page(data=items, meta=None, page_number=number, page_size=page_size,
                            raw=raw)
            if not isinstance(raw, dict) or "data" not in raw:
                raise Misfit("data", f"expected an object with `data`, got {_kind(raw)}", "a page")
            document = typing.cast("dict[str, Any]", raw)
            holder = fit(document, self._holder)
            meta = _page_meta(document.get("meta"))
        except Misfit as misfit:
            raise misfit_error(response, misfit, where=where) from misfit.__cause__
        return Page(data=holder.data, meta=meta, page_number=number, page_size=page_size,
                    raw=document["data"])


def _kind(value: Any) -> str:
    return "null or an empty body" if value is None else _json.kind_of(value)


def _page_meta(raw: Any) -> PageMeta | None:
    """The page's ``meta``; a bad one is reported at ``meta.<field>``, not at the root."""
    if raw is None:
        return None
    try:
        return fit(raw, PageMeta)
    except Misfit as misfit:
        inner = misfit.path if misfit.path and misfit.path != "(root)" else ""
        path = f"meta.{inner}" if inner and not inner.startswith("[") else f"meta{inner}"
        raise Misfit(path, misfit.reason, "PageMeta") from misfit.__cause__


_HOLDERS: dict[Any, type] = {}


def _items_holder(item_type: Any) -> type:
    """An attrs class ``{data: list[item_type]}`` so validation paths read ``data[3].status``."""
    holder = _HOLDERS.get(item_type)
    if holder is None:
        name = getattr(item_type, "__name__", None) or "Union"  # X | Y unions have no name
        holder = attrs.make_class(
            f"{name}Items",
            {"data": attrs.field(type=list[item_type])},
            frozen=True,
        )
        _HOLDERS[item_type] = holder
    return holder

