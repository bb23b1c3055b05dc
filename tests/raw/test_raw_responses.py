"""``with_raw_response``: the HTTP answer of any call, with the plain result one ``parse()`` away.

Against FakeTelnyx: what a raw response exposes (status, case-insensitive
headers, the request as sent without the key, timing, retries), that parsing
gives exactly what the plain call gives, and that a raw call goes through the
same send path: the throttle sees each attempt, retries happen as for the
plain call (and are counted), and failures are the same typed errors.
"""

from __future__ import annotations

import datetime
import inspect
from typing import Any

import pytest
from conftest import SleepRecorder

from telnyx_async import (
    APIResponse,
    APIResponseValidationError,
    AsyncAPIResponse,
    AsyncTelnyx,
    NotFoundError,
    Page,
    RateLimitError,
    Request,
    Response,
    UnprocessableEntityError,
)
from telnyx_async.models import Assistant, AssistantTestResponse, TagsResponse
from telnyx_async.testing import FakeTelnyx, Fault

ASSISTANT = "/ai/assistants/{assistant_id}"


class CountingThrottle:
    """A throttle that admits everything and counts what it was asked and shown."""

    def __init__(self) -> None:
        self.admitted: list[str] = []
        self.learned: list[int | None] = []

    async def admit(self, request: Request) -> object:
        self.admitted.append(f"{request.method} {request.path}")
        return None

    async def learn(self, ticket: object, response: Response | None) -> None:
        self.learned.append(None if response is None else response.status)


async def test_a_raw_response_shows_the_http_answer(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(name="Support")
    raw = await client.ai.assistants.with_raw_response.retrieve(made["id"])
    assert isinstance(raw, APIResponse)
    assert AsyncAPIResponse is APIResponse  # the official SDK's name for it
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.headers["Content-Type"] == raw.headers["CONTENT-TYPE"]  # case-insensitive
    assert raw.method == "GET"
    assert raw.url == f"{fake.url}/ai/assistants/{made['id']}"
    assert isinstance(raw.elapsed, datetime.timedelta)
    assert raw.elapsed >= datetime.timedelta(0)
    assert raw.retries_taken == 0
    assert raw.is_closed  # a raw response's body is read already
    assert repr(raw) == f"<APIResponse [200] GET /ai/assistants/{made['id']}>"


async def test_the_request_is_shown_without_the_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant()
    raw = await client.ai.assistants.tags.with_raw_response.add(made["id"], tag="vip")
    sent = raw.http_request
    assert (sent.method, sent.url) == ("POST", f"{fake.url}/ai/assistants/{made['id']}/tags")
    assert sent.headers["authorization"] == "<redacted>"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.content == b'{"tag":"vip"}'
    assert fake.api_key not in repr(sent)
    assert fake.requests.last.headers["Authorization"] == f"Bearer {fake.api_key}"  # it was sent


async def test_parse_gives_what_the_plain_call_gives(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(name="Support", tags=["a"])
    plain = await client.ai.assistants.retrieve(made["id"])
    raw = await client.ai.assistants.with_raw_response.retrieve(made["id"])
    parsed = await raw.parse()
    assert isinstance(parsed, Assistant)
    assert parsed == plain
    assert await raw.parse() is parsed  # kept, not parsed again
    as_dict = await raw.parse(to=dict)
    assert as_dict["id"] == made["id"] and as_dict["name"] == "Support"
    assert await raw.json() == as_dict
    assert await raw.read() == fake.requests.last.response_body
    assert await raw.text() == fake.requests.last.response_body.decode()
    assert await raw.parse(to=bytes) == await raw.read()
    assert await raw.parse(to=object) == as_dict


async def test_parse_to_a_model_or_a_list(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant(tags=["x", "y"])
    raw = await client.ai.assistants.with_raw_response.retrieve(made["id"])
    assert isinstance(await raw.parse(to=Assistant), Assistant)
    tags = await client.ai.assistants.tags.with_raw_response.list()
    assert await tags.parse() == TagsResponse(tags=["x", "y"])
    with pytest.raises(APIResponseValidationError, match="expected a JSON array"):
        await tags.parse(to=list)


async def test_a_raw_list_call_gives_its_first_page(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    for number in range(3):
        fake.add_test(f"t{number}")
    raw = await client.ai.assistants.tests.with_raw_response.list()
    page = await raw.parse()
    assert isinstance(page, Page)
    assert all(isinstance(t, AssistantTestResponse) for t in page.data)
    assert [t.test_id for t in page.data] == [
        t.test_id for t in (await client.ai.assistants.tests.list()).data
    ]
    assert raw.http_request.url == f"{fake.url}/ai/assistants/tests"  # no page[...] was asked


async def test_a_raw_list_sends_the_page_arguments_given(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    raw = await client.ai.assistants.tests.with_raw_response.list(page_size=2, page_number=3)
    assert fake.requests.last.query == [("page[number]", "3"), ("page[size]", "2")]
    page = await raw.parse()
    assert (page.page_number, page.page_size) == (3, 2)


async def test_a_raw_delete_answers_nothing_to_parse(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    test = fake.add_test("Refund")
    raw = await client.ai.assistants.tests.with_raw_response.delete(test["test_id"])
    assert raw.status_code in (200, 204)
    assert await raw.parse() is None


async def test_retries_are_taken_and_counted(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.status(503), Fault.status(502), route=ASSISTANT)
    raw = await client.ai.assistants.with_raw_response.retrieve(made["id"])
    assert raw.status_code == 200
    assert raw.retries_taken == 2
    assert len(sleeps.waits) == 2
    assert [r.status for r in fake.requests] == [503, 502, 200]


async def test_a_raw_call_waits_as_the_server_asks(
    fake: FakeTelnyx, client: AsyncTelnyx, sleeps: SleepRecorder
) -> None:
    fake.enqueue(Fault.rate_limited(retry_after=7), route="/ai/assistants/tags")
    raw = await client.ai.assistants.tags.with_raw_response.list()
    assert raw.retries_taken == 1
    assert sleeps.waits == [7]


async def test_raw_and_plain_calls_retry_alike(fake: FakeTelnyx, sleeps: SleepRecorder) -> None:
    made = fake.add_assistant()
    outcomes = []
    for raw in (False, True):
        fake.reset_requests()
        sleeps.waits.clear()
        fake.enqueue(Fault.status(503), Fault.status(503), Fault.status(503), route=ASSISTANT)
        async with fake.client(sleep=sleeps, max_retries=2) as client:
            resource = client.ai.assistants
            call = resource.with_raw_response.retrieve if raw else resource.retrieve
            with pytest.raises(Exception) as caught:
                await call(made["id"])
        outcomes.append((type(caught.value), len(fake.requests), len(sleeps.waits)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1:] == (3, 2)


async def test_a_post_without_a_key_is_not_replayed(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant()
    fake.enqueue(Fault.status(503), route="/ai/assistants/{assistant_id}/tags")
    with pytest.raises(Exception, match="503"):
        await client.ai.assistants.tags.with_raw_response.add(made["id"], tag="t")
    assert len(fake.requests) == 1
    fake.enqueue(Fault.status(503), route="/ai/assistants/{assistant_id}/tags")
    raw = await client.ai.assistants.tags.with_raw_response.add(
        made["id"], tag="t", idempotency_key="tag-once"
    )
    assert raw.retries_taken == 1


async def test_the_throttle_sees_every_attempt_of_a_raw_call(fake: FakeTelnyx) -> None:
    made = fake.add_assistant()
    throttle = CountingThrottle()
    fake.enqueue(Fault.status(503), route=ASSISTANT)
    async with fake.client(throttle=throttle, sleep=SleepRecorder()) as client:
        await client.ai.assistants.with_raw_response.retrieve(made["id"])
    path = f"GET /ai/assistants/{made['id']}"
    assert throttle.admitted == [path, path]
    assert throttle.learned == [503, 200]


async def test_errors_are_the_typed_errors_of_the_plain_call(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    with pytest.raises(NotFoundError) as plain:
        await client.ai.assistants.retrieve("missing")
    with pytest.raises(NotFoundError) as raw:
        await client.ai.assistants.with_raw_response.retrieve("missing")
    assert str(raw.value).split(" [request id")[0] == str(plain.value).split(" [request id")[0]
    assert raw.value.response is not None
    assert raw.value.response.status_code == 404
    fake.enqueue(Fault.status(422), route="/ai/assistants/tags")
    with pytest.raises(UnprocessableEntityError) as unprocessable:
        await client.ai.assistants.tags.with_raw_response.list()
    assert unprocessable.value.request is not None
    assert unprocessable.value.request.path == "/ai/assistants/tags"


async def test_a_429_beyond_max_retry_wait_is_raised_at_once(fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.rate_limited(retry_after=600), route="/ai/assistants/tags")
    async with fake.client(max_retry_wait=5) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.ai.assistants.tags.with_raw_response.list()
    assert caught.value.retry_after == 600


async def test_a_body_the_model_does_not_fit_fails_on_parse_only(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    fake.enqueue(Fault.malformed(200), route="/ai/assistants/tags")
    with pytest.raises(APIResponseValidationError):
        await client.ai.assistants.tags.list()
    fake.enqueue(Fault.malformed(200), route="/ai/assistants/tags")
    raw = await client.ai.assistants.tags.with_raw_response.list()
    assert raw.status_code == 200
    assert (await raw.read()).startswith(b"{")  # the raw body is still there to look at
    with pytest.raises(APIResponseValidationError):
        await raw.parse()


async def test_argument_errors_are_raised_before_anything_is_sent(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    with pytest.raises(ValueError, match="page_size"):
        await client.ai.assistants.tests.with_raw_response.list(page_size=0)
    with pytest.raises(TypeError):
        await client.ai.assistants.with_raw_response.create(
            name="n", instructions="i", voice_settings={"voice": 5}
        )
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        await client.ai.assistants.with_raw_response.update("a", colour="red")  # type: ignore[call-arg]
    assert len(fake.requests) == 0


# ---------------------------------------------------------------- the views themselves


def test_views_keep_the_method_signature_and_text(client: AsyncTelnyx) -> None:
    plain = client.ai.assistants.retrieve
    for view in (client.ai.assistants.with_raw_response, client.ai.assistants.with_streaming_response):
        variant = view.retrieve
        assert inspect.signature(variant) == inspect.signature(plain)
        assert variant.__doc__ == plain.__doc__
        assert variant.__name__ == "retrieve"
        assert view.retrieve is variant  # bound once per view


def test_a_view_is_made_once_per_resource(client: AsyncTelnyx) -> None:
    assistants = client.ai.assistants
    assert assistants.with_raw_response is assistants.with_raw_response
    assert assistants.with_raw_response.tests is assistants.tests.with_raw_response
    assert assistants.with_streaming_response.tests.runs is (
        assistants.tests.runs.with_streaming_response
    )
    assert client.ai.with_raw_response.assistants is assistants.with_raw_response
    assert "AssistantsWithRawResponse" in repr(assistants.with_raw_response)


def test_the_plain_call_is_untouched_after_a_raw_one(client: AsyncTelnyx) -> None:
    from telnyx_async._response import capture

    assert capture() is None


async def test_plain_calls_after_raw_ones_are_plain(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant()
    await client.ai.assistants.with_raw_response.retrieve(made["id"])
    assert isinstance(await client.ai.assistants.retrieve(made["id"]), Assistant)
    with pytest.raises(NotFoundError):
        await client.ai.assistants.with_raw_response.retrieve("missing")
    assert isinstance(await client.ai.assistants.retrieve(made["id"]), Assistant)


async def test_with_options_copies_have_their_views(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    made = fake.add_assistant()
    copy = client.with_options(default_headers={"X-Team": "blue"})
    raw = await copy.ai.assistants.with_raw_response.retrieve(made["id"])
    assert raw.http_request.headers["x-team"] == "blue"
    assert fake.requests.last.headers["X-Team"] == "blue"


def _methods(resource: Any, where: str) -> list[tuple[str, Any]]:
    """(dotted name, resource) for every public API method under ``resource``."""
    from telnyx_async._resource import Resource

    found: list[tuple[str, Any]] = []
    for name in sorted(dir(type(resource))):
        if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
            continue
        value = getattr(resource, name)
        if isinstance(value, Resource):
            found += _methods(value, f"{where}.{name}")
        elif callable(value) and name not in ("run_and_wait", "wait"):
            found.append((f"{where}.{name}", resource))
    return found


def test_every_method_has_a_raw_and_a_streamed_variant(client: AsyncTelnyx) -> None:
    methods = _methods(client.ai, "ai")
    assert len(methods) >= 60
    for dotted, resource in methods:
        name = dotted.rsplit(".", 1)[1]
        for view in (resource.with_raw_response, resource.with_streaming_response):
            variant = getattr(view, name, None)
            assert variant is not None, f"{dotted} has no variant on {type(view).__name__}"
            plain = getattr(resource, name)
            assert inspect.signature(variant) == inspect.signature(plain), dotted


async def test_calls_made_below_a_raw_call_are_plain(fake: FakeTelnyx) -> None:
    """A throttle (or transport) of the user's that calls the API itself gets plain results."""
    made = fake.add_assistant(name="Below")
    seen: list[Any] = []

    class Peeking(CountingThrottle):
        async def admit(self, request: Request) -> object:
            if request.path.endswith("/tags") and not seen:
                seen.append(await client.ai.assistants.retrieve(made["id"]))
            return None

    async with fake.client(throttle=Peeking()) as client:
        raw = await client.ai.assistants.tags.with_raw_response.list()
    assert isinstance(await raw.parse(), TagsResponse)
    assert isinstance(seen[0], Assistant)
