"""``client.ai.assistants.versions``: list, retrieve, update, delete, promote."""

from __future__ import annotations

from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async.errors import NotFoundError, UnprocessableEntityError
from telnyx_async.models.assistant_settings import EnabledFeatures, InsightSettings
from telnyx_async.models.assistants import Assistant, AssistantsListData
from telnyx_async.testing import FakeTelnyx

V = "/ai/assistants/{assistant_id}/versions/{version_id}"


async def _two_versions(fake: FakeTelnyx, client: AsyncTelnyx) -> tuple[str, str, str]:
    """An assistant with its first version as main and a second, unpromoted one."""
    a = fake.add_assistant(name="Agent", instructions="v1 text")
    second = await client.ai.assistants.update(
        a["id"], instructions="v2 text", promote_to_main=False, version_name="Draft"
    )
    assert second.version_id is not None and a["version_id"] is not None
    fake.reset_requests()
    return a["id"], a["version_id"], second.version_id


async def test_list_returns_every_version(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid, v1, v2 = await _two_versions(fake, client)
    result = await client.ai.assistants.versions.list(aid)
    assert isinstance(result, AssistantsListData)
    assert {v.version_id for v in result.data} == {v1, v2}
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.query) == ("GET", f"/ai/assistants/{aid}/versions", [])


async def test_retrieve_one_version_with_the_query_flag(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    aid, _, v2 = await _two_versions(fake, client)
    version = await client.ai.assistants.versions.retrieve(
        v2, assistant_id=aid, include_mcp_servers=True
    )
    assert isinstance(version, Assistant)
    assert (version.version_id, version.instructions) == (v2, "v2 text")
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == ("GET", f"/ai/assistants/{aid}/versions/{v2}", V)
    assert rec.query == [("include_mcp_servers", "true")]


async def test_retrieve_without_flags_sends_no_query(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid, v1, _ = await _two_versions(fake, client)
    version = await client.ai.assistants.versions.retrieve(v1, assistant_id=aid)
    assert version.instructions == "v1 text"
    assert fake.requests.last.query == []


async def test_update_sends_exactly_what_was_passed(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid, v1, v2 = await _two_versions(fake, client)
    updated = await client.ai.assistants.versions.update(
        v2,
        assistant_id=aid,
        greeting="Hello!",
        version_name="Beta",
        enabled_features=[EnabledFeatures.TELEPHONY],
        insight_settings=InsightSettings(insight_group_id="grp-1"),
        dynamic_variables={"tier": "gold"},
    )
    assert isinstance(updated, Assistant)
    assert (updated.version_id, updated.greeting, updated.version_name) == (v2, "Hello!", "Beta")
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == ("POST", f"/ai/assistants/{aid}/versions/{v2}", V)
    assert rec.json == {
        "greeting": "Hello!",
        "version_name": "Beta",
        "enabled_features": ["telephony"],
        "insight_settings": {"insight_group_id": "grp-1"},
        "dynamic_variables": {"tier": "gold"},
    }
    # editing a version never changes which one is main
    main = await client.ai.assistants.retrieve(aid)
    assert main.version_id == v1


async def test_update_with_nothing_sends_an_empty_object(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    aid, _, v2 = await _two_versions(fake, client)
    await client.ai.assistants.versions.update(v2, assistant_id=aid)
    rec = fake.requests.last
    assert rec.json == {}
    assert rec.headers["content-type"] == "application/json"


def test_update_takes_no_promote_to_main() -> None:
    import inspect

    from telnyx_async.resources.assistants import AssistantsResource
    from telnyx_async.resources.versions import VersionsResource

    mine = set(inspect.signature(VersionsResource.update).parameters)
    theirs = set(inspect.signature(AssistantsResource.update).parameters)
    assert "promote_to_main" not in mine
    assert theirs - mine == {"promote_to_main"}
    assert mine - theirs == {"version_id"}


async def test_promote_changes_the_main_version(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid, v1, v2 = await _two_versions(fake, client)
    assert (await client.ai.assistants.retrieve(aid)).version_id == v1
    promoted = await client.ai.assistants.versions.promote(v2, assistant_id=aid)
    assert isinstance(promoted, Assistant)
    rec = fake.requests.last
    assert (rec.method, rec.path) == ("POST", f"/ai/assistants/{aid}/versions/{v2}/promote")
    assert rec.body == b""
    assert "Idempotency-Key" not in rec.headers
    main = await client.ai.assistants.retrieve(aid)
    assert (main.version_id, main.instructions) == (v2, "v2 text")


async def test_promote_passes_a_given_idempotency_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid, _, v2 = await _two_versions(fake, client)
    await client.ai.assistants.versions.promote(v2, assistant_id=aid, idempotency_key="p-1")
    assert fake.requests.last.headers["Idempotency-Key"] == "p-1"


async def test_delete_returns_none_and_removes_the_version(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    aid, v1, v2 = await _two_versions(fake, client)
    result = await client.ai.assistants.versions.delete(v2, assistant_id=aid)  # type: ignore[func-returns-value]
    assert result is None
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.status) == ("DELETE", f"/ai/assistants/{aid}/versions/{v2}", 204)
    listed = await client.ai.assistants.versions.list(aid)
    assert [v.version_id for v in listed.data] == [v1]
    with pytest.raises(NotFoundError):
        await client.ai.assistants.versions.retrieve(v2, assistant_id=aid)


async def test_deleting_the_main_version_is_refused(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    aid, v1, _ = await _two_versions(fake, client)
    with pytest.raises(UnprocessableEntityError):
        await client.ai.assistants.versions.delete(v1, assistant_id=aid)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.ai.assistants.versions.list(""),
        lambda c: c.ai.assistants.versions.retrieve("", assistant_id="a"),
        lambda c: c.ai.assistants.versions.retrieve("v", assistant_id=""),
        lambda c: c.ai.assistants.versions.update("", assistant_id="a", name="x"),
        lambda c: c.ai.assistants.versions.delete("v", assistant_id=""),
        lambda c: c.ai.assistants.versions.promote("", assistant_id="a"),
    ],
    ids=["list", "retrieve-v", "retrieve-a", "update", "delete", "promote"],
)
async def test_empty_ids_fail_before_any_request(
    call: Any, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call(client)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("call", "raw"),
    [
        (lambda c: c.ai.assistants.versions.list("a/b"), "/ai/assistants/a%2Fb/versions"),
        (
            lambda c: c.ai.assistants.versions.retrieve("v/1", assistant_id="a/b"),
            "/ai/assistants/a%2Fb/versions/v%2F1",
        ),
        (
            lambda c: c.ai.assistants.versions.promote("v/1", assistant_id="a"),
            "/ai/assistants/a/versions/v%2F1/promote",
        ),
        (
            lambda c: c.ai.assistants.versions.delete("v?x=1", assistant_id="a"),
            "/ai/assistants/a/versions/v%3Fx%3D1",
        ),
    ],
    ids=["list", "retrieve", "promote", "delete"],
)
async def test_reserved_characters_stay_in_their_segment(
    call: Any, raw: str, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(NotFoundError):
        await call(client)
    assert fake.requests.last.raw_path == raw
    assert fake.requests.last.query == []


async def test_unknown_keywords_are_type_errors(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    versions = client.ai.assistants.versions
    with pytest.raises(TypeError):
        await versions.update("v", assistant_id="a", promote_to_main=True)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await versions.retrieve("v")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await versions.promote("v", "a")  # type: ignore[misc]
    assert fake.requests == []
