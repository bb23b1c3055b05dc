"""``client.ai.assistants.tags``: list, add, remove."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError
from telnyx_async.models.assistants import TagsResponse
from telnyx_async.testing import FakeTelnyx


async def test_list_returns_every_tag_in_use(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    fake.add_assistant(tags=["support", "demo"])
    fake.add_assistant(tags=["sales", "demo"])
    result = await client.ai.assistants.tags.list()
    assert isinstance(result, TagsResponse)
    assert sorted(result.tags) == ["demo", "sales", "support"]
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route, rec.query) == (
        "GET", "/ai/assistants/tags", "/ai/assistants/tags", [],
    )


async def test_add_and_remove_show_up_on_the_assistant(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant(tags=["old"])
    added = await client.ai.assistants.tags.add(a["id"], tag="vip")
    assert isinstance(added, TagsResponse)
    assert added.tags == ["old", "vip"]
    rec = fake.requests.last
    assert (rec.method, rec.path) == ("POST", f"/ai/assistants/{a['id']}/tags")
    assert rec.json == {"tag": "vip"}
    assert (await client.ai.assistants.retrieve(a["id"])).tags == ["old", "vip"]

    left = await client.ai.assistants.tags.remove("old", assistant_id=a["id"])
    assert left.tags == ["vip"]
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "DELETE", f"/ai/assistants/{a['id']}/tags/old", "/ai/assistants/{assistant_id}/tags/{tag}",
    )
    assert rec.body == b""
    assert (await client.ai.assistants.retrieve(a["id"])).tags == ["vip"]
    assert (await client.ai.assistants.tags.list()).tags == ["vip"]


async def test_add_passes_an_idempotency_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    await client.ai.assistants.tags.add(a["id"], tag="t", idempotency_key="tag-1")
    assert fake.requests.last.headers["Idempotency-Key"] == "tag-1"


async def test_a_tag_with_a_slash_is_one_segment(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    await client.ai.assistants.tags.add(a["id"], tag="team/blue")
    result = await client.ai.assistants.tags.remove("team/blue", assistant_id=a["id"])
    assert result.tags == []
    rec = fake.requests.last
    assert rec.raw_path == f"/ai/assistants/{a['id']}/tags/team%2Fblue"
    assert rec.path == f"/ai/assistants/{a['id']}/tags/team/blue"


async def test_removing_a_tag_that_is_not_set_is_404(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    with pytest.raises(NotFoundError):
        await client.ai.assistants.tags.remove("nope", assistant_id=a["id"])


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.assistants.tags.add("", tag="x"),
        lambda c: c.ai.assistants.tags.remove("", assistant_id="a"),
        lambda c: c.ai.assistants.tags.remove("x", assistant_id=""),
    ],
    ids=["add", "remove-tag", "remove-assistant"],
)
async def test_empty_ids_fail_before_any_request(
    call: Any, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call(client)
    assert fake.requests == []


async def test_slash_in_assistant_id_is_escaped(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(NotFoundError):
        await client.ai.assistants.tags.add("a/b", tag="x")
    assert fake.requests.last.raw_path == "/ai/assistants/a%2Fb/tags"


async def test_unknown_keywords_and_missing_tag(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError):
        await client.ai.assistants.tags.add("a", tag="x", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.assistants.tags.add("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.assistants.tags.remove("x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await client.ai.assistants.tags.list(assistant_id="a")  # type: ignore[call-arg]
    assert fake.requests == []
