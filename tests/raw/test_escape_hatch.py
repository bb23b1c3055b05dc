"""``client.get/post/put/patch/delete(path, cast_to=...)``: any endpoint, through the full pipeline.

Paths are relative to ``base_url``; an absolute URL is accepted only under it,
and one to another origin is refused with ``ValueError`` before anything is
sent (the key never leaves). Calls are authenticated, throttled, retried (a
POST only with an idempotency key) and fail with the typed errors, like every
resource method.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SleepRecorder

from telnyx_async import (
    AsyncTelnyx,
    InternalServerError,
    NotFoundError,
    Request,
    Response,
)
from telnyx_async.models import Assistant, AssistantsListData, SharedToolResponse, TagsResponse
from telnyx_async.testing import FakeTelnyx, Fault


async def test_get_with_every_kind_of_cast(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(name="Support", tags=["x"])
    path = f"/ai/assistants/{made['id']}"
    assistant = await client.get(path, cast_to=Assistant)
    assert isinstance(assistant, Assistant) and assistant.name == "Support"
    assert assistant == await client.ai.assistants.retrieve(made["id"])
    as_dict = await client.get(path, cast_to=dict)
    assert as_dict["id"] == made["id"]
    assert await client.get(path, cast_to=object) == as_dict
    text = await client.get(path, cast_to=str)
    assert isinstance(text, str) and made["id"] in text
    assert fake.requests.last.headers["Accept"].startswith("text/plain")
    assert await client.get(path, cast_to=bytes) == fake.requests.last.response_body
    assert await client.get("/ai/assistants/tags", cast_to=TagsResponse) == TagsResponse(
        tags=["x"]
    )
    versions = await client.get(f"{path}/versions", cast_to=AssistantsListData)
    assert isinstance(versions, AssistantsListData)
    servers = await client.get("/ai/mcp_servers", cast_to=list)
    assert servers == []


async def test_params_and_a_query_in_the_path(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    await client.get(
        "ai/tools?filter[type]=webhook", cast_to=dict, params={"page[size]": 5, "x": [1, 2]}
    )
    rec = fake.requests.last
    assert rec.path == "/ai/tools"  # a path without its leading slash is the same path
    assert rec.query == [("filter[type]", "webhook"), ("page[size]", "5"), ("x", "1"), ("x", "2")]


async def test_post_patch_put_delete_with_bodies(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = await client.post(
        "/ai/tools", cast_to=SharedToolResponse,
        body={"display_name": "Lookup", "type": "webhook", "webhook": {"name": "lookup"}},
    )
    assert isinstance(made, SharedToolResponse)
    assert fake.requests.last.json["display_name"] == "Lookup"
    changed = await client.patch(
        f"/ai/tools/{made.id}", cast_to=SharedToolResponse, body={"display_name": "Find"}
    )
    assert changed.display_name == "Find"
    assert fake.requests.last.method == "PATCH"
    server = fake.add_mcp_server("Docs", url="https://mcp.example.com/sse")
    await client.put(
        f"/ai/mcp_servers/{server['id']}", cast_to=dict,
        body={"name": "Docs 2", "type": "sse", "url": "https://mcp.example.com/sse"},
    )
    assert (fake.requests.last.method, fake.requests.last.json["name"]) == ("PUT", "Docs 2")
    await client.delete(f"/ai/tools/{made.id}", cast_to=dict)
    rec = fake.requests.last
    assert (rec.method, rec.body) == ("DELETE", b"")


async def test_an_absolute_url_under_base_url_is_fine(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    await client.get(f"{fake.url}/ai/assistants/tags?x=1", cast_to=dict)
    assert (fake.requests.last.path, fake.requests.last.query) == ("/ai/assistants/tags", [("x", "1")])


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/v2/ai/assistants",
        "//evil.example.com/v2/ai/assistants",
        "http://127.0.0.1:1/v2/ai/assistants",  # same host, another port
        "https://127.0.0.1:{port}/v2/ai/assistants",  # another scheme
        "http://user@127.0.0.1:{port}/v2/ai/assistants",
        "http://127.0.0.1:{port}/other/ai/assistants",  # outside base_url's path
    ],
)
async def test_a_url_elsewhere_is_refused_before_anything_is_sent(
    fake: FakeTelnyx, client: AsyncTelnyx, url: str
) -> None:
    with pytest.raises(ValueError, match="base_url"):
        await client.get(url.format(port=fake.port), cast_to=dict)
    with pytest.raises(ValueError, match="base_url"):
        await client.post(url.format(port=fake.port), cast_to=dict, body={})
    assert len(fake.requests) == 0


@pytest.mark.parametrize(
    "path", ["", "/ai/assistants#frag", "/ai/a b", "/ai/a\r\nX-Injected: 1", "/ai/\x00"]
)
async def test_a_path_that_cannot_be_sent_is_refused(client: AsyncTelnyx, path: str) -> None:
    with pytest.raises(ValueError):
        await client.get(path, cast_to=dict)


async def test_non_ascii_is_percent_encoded(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    with pytest.raises(NotFoundError):
        await client.get("/ai/assistants/tags/é", cast_to=dict)
    assert fake.requests.last.raw_path == "/ai/assistants/tags/%C3%A9"


async def test_typed_errors_and_retries(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    with pytest.raises(NotFoundError):
        await client.get("/ai/assistants/nope", cast_to=Assistant)
    fake.reset_requests()
    fake.enqueue(Fault.status(503), route="/ai/assistants/tags")
    assert await client.get("/ai/assistants/tags", cast_to=dict) == {"tags": []}
    assert [r.status for r in fake.requests] == [503, 200]
    assert len(sleeps.waits) == 1


async def test_a_post_is_replayed_only_with_a_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    body = {"display_name": "T", "type": "webhook"}
    fake.enqueue(Fault.status(503), route="/ai/tools")
    with pytest.raises(InternalServerError):
        await client.post("/ai/tools", cast_to=dict, body=body)
    assert len(fake.requests) == 1
    fake.enqueue(Fault.status(503), route="/ai/tools")
    await client.post("/ai/tools", cast_to=dict, body=body, idempotency_key="tool-1")
    assert [r.headers.get("Idempotency-Key") for r in fake.requests[1:]] == ["tool-1", "tool-1"]


async def test_an_auto_idempotent_route_gets_its_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    test = fake.add_test("Refund")
    await client.post(f"/ai/assistants/tests/{test['test_id']}/runs", cast_to=dict, body={})
    assert fake.requests.last.route == "/ai/assistants/tests/{test_id}/runs"
    # The operation's route is the template; a path is only its own route.
    await client.post("/ai/assistants/tests", cast_to=dict, body={
        "name": "n", "destination": "+15551234567", "instructions": "i",
        "rubric": [{"name": "a", "criteria": "b"}],
    })
    assert "Idempotency-Key" in fake.requests.last.headers


async def test_the_official_options_mapping(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    await client.get(
        "/ai/assistants/tags", cast_to=dict,
        options={"params": {"a": "1"}, "headers": {"X-Trace": "t-1"}, "timeout": 5},
    )
    rec = fake.requests.last
    assert rec.query == [("a", "1")] and rec.headers["X-Trace"] == "t-1"
    await client.post(
        "/ai/tools", cast_to=dict, body={"display_name": "T", "type": "webhook"},
        options={"extra_json": {"timeout_ms": 900}, "idempotency_key": "k-9"},
    )
    rec = fake.requests.last
    assert rec.json["timeout_ms"] == 900 and rec.headers["Idempotency-Key"] == "k-9"
    with pytest.raises(TypeError, match="unknown keys"):
        await client.get("/ai/tools", cast_to=dict, options={"param": {}})


async def test_the_key_goes_with_every_call_and_nowhere_else() -> None:
    seen: list[Request] = []

    async def transport(request: Request) -> Response:
        from multidict import CIMultiDict, CIMultiDictProxy

        seen.append(request)
        return Response(
            status=200, headers=CIMultiDictProxy(CIMultiDict({"Content-Type": "application/json"})),
            body=b"{}", elapsed=0.0, request=request,
        )

    async with AsyncTelnyx(
        api_key="secret-key", base_url="https://api.example.test/v2", transport=transport,
        throttle=None,
    ) as client:
        await client.get("https://api.example.test/v2/ai/x", cast_to=dict)
        with pytest.raises(ValueError, match="refusing to send the API key"):
            await client.get("https://api.example.test.evil.com/v2/ai/x", cast_to=dict)
    assert [r.url for r in seen] == ["https://api.example.test/v2/ai/x"]
    assert all("secret-key" not in repr(r.headers) for r in seen)


def test_the_hatch_methods_are_documented(client: AsyncTelnyx) -> None:
    for name in ("get", "post", "put", "patch", "delete"):
        method: Any = getattr(client, name)
        assert method.__doc__ and "base_url" in (method.__doc__ + client.get.__doc__)
