"""``Page`` and ``AsyncPager``: lazy, bounded, in-order paging over ``page[number]``.

A pager does no I/O until it is used:

* ``await pager`` gives the first :class:`Page`;
* ``async for item in pager`` yields every item of every page;
* ``pager.pages()`` yields the pages themselves;
* ``await pager.to_list(limit=None)`` collects items.

Each use starts again from the first page. Once the first page says how many
pages there are, the following ones are fetched ``prefetch`` at a time,
concurrently, and handed out strictly in order; leaving the loop early cancels
whatever is still in flight. Paging stops at ``total_pages``, on an empty page,
on a short page when the endpoint has no ``meta``, when the server answers a
page other than the one asked for (it ignores ``page[number]``), when a page
repeats the previous one, or after ``max_pages`` (raising ``PaginationError``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

import attrs

from telnyx_async.errors import PaginationError
from telnyx_async.models._base import Model

__all__ = ["AsyncPager", "Page", "PageMeta"]

_T = TypeVar("_T")


@attrs.frozen(kw_only=True)
class PageMeta(Model):
    """Paging facts the API sent with a page (any of them may be missing)."""

    page_number: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    total_results: int | None = None


@attrs.frozen(kw_only=True)
class Page(Generic[_T]):
    """One page of a list: its items and, when the endpoint sends it, ``meta``."""

    data: list[_T]
    meta: PageMeta | None = None
    page_number: int = 1
    """The page number that was requested."""
    page_size: int | None = None
    """The page size that was requested."""
    raw: Any = attrs.field(default=None, repr=False, eq=False)
    _pager: AsyncPager[_T] | None = attrs.field(default=None, repr=False, eq=False, alias="pager")

    @property
    def items(self) -> list[_T]:
        """This page's items (``data``), under the name the official SDK's pages use."""
        return self.data

    @property
    def total_pages(self) -> int | None:
        """``meta.total_pages``, when the server sent it."""
        return self.meta.total_pages if self.meta else None

    def __iter__(self) -> Iterator[_T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def is_last(self) -> bool:
        """Whether no page can follow this one."""
        if not self.data:
            return True
        if self.meta is not None and self.meta.total_pages is not None:
            return self.page_number >= self.meta.total_pages
        if self.page_size is not None:
            return len(self.data) < self.page_size
        return self.meta is None

    def has_next_page(self) -> bool:
        """Whether another page may follow this one (``not is_last()``, the official name)."""
        return not self.is_last()

    async def get_next_page(self) -> Page[_T]:
        """Fetch the page after this one, with the same filters and page size.

        Raises :class:`~telnyx_async.PaginationError` when there is none
        (check :meth:`has_next_page` first), and ``TypeError`` for a page that
        was not fetched through a list call (one you built yourself).
        """
        pager = self._pager
        if pager is None:
            raise TypeError("this page was not fetched by a list call, so it cannot fetch the next")
        if self.is_last():
            raise PaginationError(f"page {self.page_number} is the last one: no next page")
        return await pager.page_at(self.page_number + 1)

    async def __aiter__(self) -> AsyncGenerator[_T, None]:
        """Every item from this page on, fetching the following pages one at a time.

        The official SDK's ``async for item in page``; ``async for`` over the
        list call itself does the same with pages fetched ahead. The same
        guards apply: it stops at the last page, on a page the server did not
        mean (a repeat, another number), and after the client's ``max_pages``.
        """
        for item in self.data:
            yield item
        if self._pager is None:
            return
        walk = _Walk(self._pager, after=self)
        try:
            while (page := await walk.next_page()) is not None:
                for item in page.data:
                    yield item
        finally:
            await walk.close()


FetchPage = Callable[[int], Awaitable["Page[_T]"]]


class _Walk(Generic[_T]):
    """The state of one pass over the pages of a pager."""

    def __init__(self, pager: AsyncPager[_T], *, after: Page[_T] | None = None) -> None:
        """A pass from the pager's first page, or from the page after ``after`` (already read)."""
        self._pager = pager
        self._next_number = pager.page_number
        self._previous: Page[_T] | None = None
        self._pending: deque[asyncio.Future[Page[_T]]] = deque()
        self._total: int | None = None
        self._fetched = 0
        self._done = False
        self.prefetch_enabled = False
        if after is not None:
            self._next_number = after.page_number + 1
            self._previous = after
            self._total = after.total_pages
            self._fetched = 1
            self._done = after.is_last()

    def _budget_left(self) -> bool:
        limit = self._pager.max_pages
        return limit is None or self._fetched < limit

    def _check_budget(self) -> None:
        if not self._budget_left():
            raise PaginationError(
                f"stopped after {self._pager.max_pages} pages (max_pages); "
                "the server kept offering more"
            )
        self._fetched += 1

    def _schedule(self) -> None:
        total = self._total
        if total is None or not self.prefetch_enabled:
            return
        # Fetching ahead never spends more than max_pages: the error is raised
        # only when the caller actually asks for a page beyond it.
        while (
            len(self._pending) < self._pager.prefetch
            and self._next_number <= total
            and self._budget_left()
        ):
            self._fetched += 1
            self._pending.append(asyncio.ensure_future(self._pager._fetch(self._next_number)))
            self._next_number += 1

    def _accept(self, page: Page[_T], expected: int) -> bool:
        """Whether ``page`` is genuinely page ``expected`` (not a repeat)."""
        meta = page.meta
        if meta is not None and meta.page_number is not None and meta.page_number != expected:
            return False
        prev = self._previous
        repeated = prev is not None and prev.raw is not None and prev.raw == page.raw
        return not (page.data and repeated)

    async def next_page(self) -> Page[_T] | None:
        if self._done:
            return None
        expected = self._next_number - len(self._pending)
        if self._pending:
            page = await self._pending.popleft()
        else:
            if self._total is not None and self._next_number > self._total:
                self._done = True
                return None
            self._check_budget()
            self._next_number += 1
            page = await self._pager._fetch(expected)
        if self._previous is not None and not self._accept(page, expected):
            self._done = True
            return None
        if self._previous is None and page.meta is not None:
            self._total = page.meta.total_pages
        self._previous = page
        if page.is_last():
            self._done = True
        else:
            self._schedule()
        return page

    def enable_prefetch(self) -> None:
        if not self.prefetch_enabled and self._pager.prefetch > 0:
            self.prefetch_enabled = True
            if not self._done:
                self._schedule()

    async def close(self) -> None:
        pending, self._pending = self._pending, deque()
        for fut in pending:
            fut.cancel()
        if pending:
            # Collect the results so no "exception was never retrieved" is logged.
            await asyncio.gather(*pending, return_exceptions=True)


class AsyncPager(Generic[_T]):
    """A list call: awaitable for its first page, async-iterable over every item."""

    def __init__(
        self,
        fetch: FetchPage[_T],
        *,
        page_number: int = 1,
        prefetch: int = 4,
        max_pages: int | None = None,
    ) -> None:
        self._fetch_page = fetch
        self.page_number = page_number
        self.prefetch = prefetch
        self.max_pages = max_pages

    async def _fetch(self, number: int) -> Page[_T]:
        return await self._fetch_page(number)

    def __await__(self) -> Generator[Any, None, Page[_T]]:
        return self.page_at(self.page_number).__await__()

    async def page_at(self, number: int) -> Page[_T]:
        """Fetch page ``number`` alone; it can fetch the ones after it (``get_next_page``)."""
        page = await self._fetch(number)
        # A raw-response call (with_raw_response) gets its APIResponse back as is.
        return attrs.evolve(page, pager=self) if isinstance(page, Page) else page

    async def pages(self) -> AsyncGenerator[Page[_T], None]:
        """Yield each page in order, starting from the first one requested."""
        walk = _Walk(self)
        walk.enable_prefetch()
        try:
            while (page := await walk.next_page()) is not None:
                yield attrs.evolve(page, pager=self)
        finally:
            await walk.close()

    async def __aiter__(self) -> AsyncGenerator[_T, None]:
        walk = _Walk(self)
        try:
            while (page := await walk.next_page()) is not None:
                for item in page.data:
                    yield item
                    # Only once the caller asks for a second item do we start
                    # fetching ahead: `break` after the first costs one request.
                    walk.enable_prefetch()
        finally:
            await walk.close()

    async def to_list(self, limit: int | None = None) -> list[_T]:
        """Collect the items into a list, stopping after ``limit`` items when given."""
        if limit is not None and limit < 0:
            raise ValueError("`limit` must be >= 0")
        items: list[_T] = []
        if limit == 0:
            return items
        async with contextlib.aclosing(self.__aiter__()) as iterator:
            async for item in iterator:
                items.append(item)
                if limit is not None and len(items) >= limit:
                    break
        return items
