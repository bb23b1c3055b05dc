"""AsyncPager against FakeTelnyx: await, async for, pages(), prefetch, and the stop guards."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from telnyx_async import AsyncTelnyx, Page, PaginationError
from telnyx_async.testing import FakeTelnyx, Fault

TESTS = "/ai/assistants/tests"


def _seed_tests(fake: FakeTelnyx, n: int, suite: str | None = None) -> list[str]:
    return [fake.add_test(name=f"test {i:04d}", test_suite=suite)["test_id"] for i in range(n)]


def _pages_requested(fake: FakeTelnyx, path: str = TESTS) -> list[int]:
    """The page each request asked for; page 1 goes out without ``page[number]``."""
    return [int(dict(r.query).get("page[number]", "1")) for r in fake.requests if r.path == path]


async def test_await_gives_the_first_page(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    _seed_tests(fake, 30)
    page = await client.ai.assistants.tests.list(page_size=10)
    assert isinstance(page, Page)
    assert len(page.data) == 10
    assert page.meta is not None and page.meta.total_pages == 3
    assert page.meta.total_results == 30
    assert len(fake.requests) == 1


async def test_async_for_yields_every_item_in_order(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    ids = _seed_tests(fake, 250)
    got = [t.test_id async for t in client.ai.assistants.tests.list(page_size=100)]
    assert got == ids
    assert sorted(_pages_requested(fake)) == [1, 2, 3]


async def test_assistants_page_beyond_100(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    for i in range(250):
        fake.add_assistant(name=f"a{i}", instructions="x")
    names = [a.name async for a in client.ai.assistants.list(page_size=100)]
    assert len(names) == 250 and len(set(names)) == 250
    assert len(fake.requests) == 3


async def test_assistants_list_without_meta_stops(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    assistant = fake.add_assistant(name="only", instructions="x")
    fake.enqueue(Fault.status(200, body={"data": [assistant]}), path="/ai/assistants")
    got = [a.id async for a in client.ai.assistants.list()]
    assert got == [assistant["id"]]
    assert len(fake.requests) == 1


async def test_page_params_are_sent_on_every_page(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    _seed_tests(fake, 5, suite="smoke")
    pager = client.ai.assistants.tests.list(test_suite="smoke", page_size=2, prefetch=0)
    assert len([t async for t in pager]) == 5
    queries = [r.query for r in fake.requests]
    assert queries == [
        [("test_suite", "smoke"), ("page[size]", "2")],  # page 1 is asked for without page[number]: only what the caller passed is sent
        *([("test_suite", "smoke"), ("page[number]", str(n)), ("page[size]", "2")] for n in (2, 3)),
    ]


async def test_no_page_argument_is_sent_unless_given(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    await client.ai.assistants.tests.list()
    assert fake.requests[0].query == []
    await client.ai.assistants.tests.list(page_number=1)
    assert fake.requests[1].query == [("page[number]", "1")]


async def test_server_ignoring_page_number_cannot_loop(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    ids = _seed_tests(fake, 30)
    fake.ignore_page_number = True
    got = [t.test_id async for t in client.ai.assistants.tests.list(page_size=10, prefetch=0)]
    assert got == ids[:10]  # page 1 once; the repeat is recognised and dropped
    assert len(fake.requests) == 2


async def test_repeated_bare_pages_stop(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    page = [{"id": "m1", "name": "n", "type": "t", "url": "u", "created_at": "2026-01-01T00:00:00Z"}]
    fake.enqueue(*[Fault.status(200, body=page)] * 3, path="/ai/mcp_servers")
    from telnyx_async._resource import Resource
    from telnyx_async.models.mcp_servers import MCPServer

    pager = Resource(client._context)._pager(
        "/ai/mcp_servers", MCPServer, query={}, page_size=1, page_number=1,
        prefetch=0, options=_no_options(), bare=True,
    )
    assert [m.id async for m in pager] == ["m1"]
    assert len(fake.requests) == 2


def _no_options() -> Any:
    from telnyx_async._http import NO_OPTIONS

    return NO_OPTIONS


async def test_max_pages_raises(fake: FakeTelnyx) -> None:
    _seed_tests(fake, 50)
    async with fake.client(max_pages=2) as client:
        pager = client.ai.assistants.tests.list(page_size=10, prefetch=0)
        with pytest.raises(PaginationError, match="max_pages"):
            [t async for t in pager]


async def test_break_after_first_item_costs_one_request(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    _seed_tests(fake, 50)
    async with contextlib.aclosing(client.ai.assistants.tests.list(page_size=10).__aiter__()) as it:
        async for _ in it:
            break
    assert len(fake.requests) == 1


async def test_iterating_again_starts_over(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    _seed_tests(fake, 15)
    pager = client.ai.assistants.tests.list(page_size=10, prefetch=0)
    first = [t.test_id async for t in pager]
    second = [t.test_id async for t in pager]
    assert first == second and len(first) == 15
    assert _pages_requested(fake) == [1, 2, 1, 2]


async def test_pages_and_to_list(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    ids = _seed_tests(fake, 25)
    pager = client.ai.assistants.tests.list(page_size=10)
    pages = [p async for p in pager.pages()]
    assert [len(p.data) for p in pages] == [10, 10, 5]
    assert [p.page_number for p in pages] == [1, 2, 3]
    assert [t.test_id for t in await pager.to_list()] == ids
    fake.reset_requests()
    assert len(await pager.to_list(limit=3)) == 3
    assert len(fake.requests) == 1
    assert await pager.to_list(limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        await pager.to_list(limit=-1)


async def test_empty_list(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    assert [t async for t in client.ai.assistants.tests.list()] == []
    assert len(fake.requests) == 1


async def test_prefetch_fetches_concurrently_in_order_and_bounded(fake: FakeTelnyx) -> None:
    ids = _seed_tests(fake, 120)
    fake.latency = 0.05
    async with fake.client(prefetch=3) as client:
        got = [t.test_id async for t in client.ai.assistants.tests.list(page_size=10)]
    assert got == ids
    assert fake.max_in_flight == 3
    assert sorted(_pages_requested(fake)) == list(range(1, 13))


async def test_prefetch_zero_is_sequential(fake: FakeTelnyx) -> None:
    _seed_tests(fake, 40)
    fake.latency = 0.02
    async with fake.client(prefetch=0) as client:
        assert len([t async for t in client.ai.assistants.tests.list(page_size=10)]) == 40
    assert fake.max_in_flight == 1
    assert _pages_requested(fake) == [1, 2, 3, 4]


async def test_leaving_early_cancels_prefetches_quietly(fake: FakeTelnyx) -> None:
    _seed_tests(fake, 100)
    async with fake.client(prefetch=4) as client:
        pager = client.ai.assistants.tests.list(page_size=10)
        seen = 0
        async with contextlib.aclosing(pager.__aiter__()) as it:
            async for _ in it:
                seen += 1
                if seen == 1:
                    fake.hold()  # every later page request hangs in the fake
                if seen == 2:
                    await fake.wait_in_flight(4)  # pages 2-5 are in flight now
                    break
        fake.release()
        await fake.wait_idle()
        assert sorted(_pages_requested(fake)) == [1, 2, 3, 4, 5]
        # The abandoned fetches left nothing behind: the client still works.
        assert (await client.ai.assistants.tests.list(page_size=1)).data


async def test_pager_validation_errors_name_the_item(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    from telnyx_async import APIResponseValidationError

    good = fake.add_test(name="ok")
    bad = {**good, "created_at": "not a date"}
    body = {
        "data": [good, good, good, bad],
        "meta": {"page_number": 1, "page_size": 4, "total_pages": 1, "total_results": 4},
    }
    fake.enqueue(Fault.status(200, body=body), path=TESTS)
    with pytest.raises(APIResponseValidationError) as info:
        await client.ai.assistants.tests.list()
    assert info.value.path == "data[3].created_at"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"page_size": 0}, "page_size"), ({"page_number": 0}, "page_number"), ({"prefetch": -2}, "prefetch")],
)
async def test_bad_paging_arguments(client: AsyncTelnyx, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        client.ai.assistants.tests.list(**kwargs)


async def test_prefetch_never_fetches_past_max_pages(fake: FakeTelnyx) -> None:
    _seed_tests(fake, 10)
    async with fake.client(max_pages=3, prefetch=4) as client:
        pager = client.ai.assistants.tests.list(page_size=2)
        got: list[str] = []
        with pytest.raises(PaginationError, match="max_pages"):
            async for t in pager:
                got.append(t.test_id)
    assert len(got) == 6  # three whole pages were yielded before the error
    assert sorted(_pages_requested(fake)) == [1, 2, 3]


# ---------------------------------------------------------------- the official page API


async def test_a_page_fetches_the_next_one_with_the_same_filters(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    ids = _seed_tests(fake, 25, suite="nightly")
    first = await client.ai.assistants.tests.list(page_size=10, test_suite="nightly")
    assert first.items == first.data and first.has_next_page()
    second = await first.get_next_page()
    third = await second.get_next_page()
    assert [t.test_id for t in (*first.items, *second.items, *third.items)] == ids
    assert not third.has_next_page()
    with pytest.raises(PaginationError, match="no next page"):
        await third.get_next_page()
    sent = [dict(r.query) for r in fake.requests if r.path == TESTS]
    assert [q.get("page[number]", "1") for q in sent] == ["1", "2", "3"]
    assert {q["test_suite"] for q in sent} == {"nightly"}
    assert {q["page[size]"] for q in sent} == {"10"}


async def test_async_for_over_a_page_goes_on_through_the_following_pages(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    ids = _seed_tests(fake, 25)
    second = await client.ai.assistants.tests.list(page_size=10, page_number=2)
    assert [t.test_id async for t in second] == ids[10:]
    assert _pages_requested(fake) == [2, 3]


async def test_async_for_over_a_page_stops_at_max_pages(fake: FakeTelnyx) -> None:
    _seed_tests(fake, 50)
    async with fake.client(max_pages=2) as client:
        first = await client.ai.assistants.tests.list(page_size=10)
        with pytest.raises(PaginationError, match="max_pages"):
            [t async for t in first]


async def test_pages_from_pages_can_fetch_their_next(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    _seed_tests(fake, 15)
    async for page in client.ai.assistants.tests.list(page_size=10, prefetch=0).pages():
        assert page.has_next_page() is (page.page_number == 1)
        if page.has_next_page():
            assert len((await page.get_next_page()).data) == 5


async def test_a_page_built_by_hand_cannot_fetch() -> None:
    page: Page[int] = Page(data=[1, 2], page_size=2)
    assert page.has_next_page()
    with pytest.raises(TypeError, match="not fetched by a list call"):
        await page.get_next_page()
    assert [x async for x in page] == [1, 2]
