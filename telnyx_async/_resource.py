"""The base every resource class builds on, and the one-line helpers its methods call."""

from __future__ import annotations

from collections.abc import Mapping
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


class Resource:
    """A group of API calls hanging off the client (``client.ai.assistants`` and so on)."""

    def __init__(self, client: AsyncTelnyx) -> None:
        self._client = client

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
            raw = await client._request("GET", path, query=params, cast=JSON, options=options)
            if bare:
                items: list[_T] = structure(raw, list_type)
                meta = None
                data = raw
            else:
                if not isinstance(raw, dict) or "data" not in raw:
                    raise APIResponseValidationError(
                        f"GET {path}: expected an object with `data`, got {type(raw).__name__}",
                        path="data",
                    )
                data = raw["data"]
                items = structure(raw, _items_holder(item_type)).data
                meta_raw = raw.get("meta")
                meta = None if meta_raw is None else structure(meta_raw, PageMeta)
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
