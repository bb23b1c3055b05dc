"""``err.response`` and ``err.request`` on every ``APIStatusError``, read as users read them.

Code written for the official SDK logs ``err.response.text``, reads
``err.response.status_code`` and ``err.response.headers``, calls
``err.response.json()`` and looks at ``err.request``. Every status error
carries the whole answer (:class:`~telnyx_async.Response`, body read, sync
accessors like ``httpx.Response``) and the request (without the key), whether
it came from a plain, a raw or a streamed call.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from telnyx_async import (
    APIStatusError,
    AsyncTelnyx,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Request,
    Response,
    UnprocessableEntityError,
)
from telnyx_async.testing import FakeTelnyx, Fault

TAGS = "/ai/assistants/tags"
STATUSES = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    418: APIStatusError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    503: InternalServerError,
}


async def _plain(client: AsyncTelnyx) -> Any:
    return await client.ai.assistants.tags.list()


async def _raw(client: AsyncTelnyx) -> Any:
    return await client.ai.assistants.tags.with_raw_response.list()


async def _streamed(client: AsyncTelnyx) -> Any:
    async with client.ai.assistants.tags.with_streaming_response.list() as response:
        return response


@pytest.mark.parametrize("status", sorted(STATUSES))
@pytest.mark.parametrize("how", [_plain, _raw, _streamed], ids=["plain", "raw", "streamed"])
async def test_every_status_error_carries_the_response_and_the_request(
    fake: FakeTelnyx, status: int, how: Any
) -> None:
    fake.enqueue(Fault.status(status), route=TAGS)
    async with fake.client(max_retries=0) as client:
        with pytest.raises(STATUSES[status]) as caught:
            await how(client)
    err = caught.value
    assert type(err) is STATUSES[status]
    response = err.response
    assert isinstance(response, Response)
    assert response.status_code == response.status == err.status_code == status
    assert response.headers["content-type"] == err.headers["Content-Type"]
    assert response.text == err.body == fake.requests.last.response_body.decode()
    assert response.content == fake.requests.last.response_body
    if response.text.strip():
        assert response.json() == json.loads(response.text)
    assert response.url == response.request.url == f"{fake.url}{TAGS}"
    assert response.method == "GET"
    request = err.request
    assert isinstance(request, Request)
    assert request is response.request
    assert (request.method, request.path) == ("GET", TAGS)
    assert "Authorization" not in request.headers
    assert fake.api_key not in repr(err.__dict__)


async def test_an_error_after_retries_carries_the_last_answer(fake: FakeTelnyx) -> None:
    fake.enqueue(Fault.status(502), Fault.status(503), route=TAGS)
    async with fake.client(max_retries=1, sleep=_no_wait) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.ai.assistants.tags.with_raw_response.list()
    assert caught.value.response is not None
    assert caught.value.response.status_code == 503
    assert len(fake.requests) == 2


async def test_a_status_error_from_a_stub_transport_carries_it_too() -> None:
    from multidict import CIMultiDict, CIMultiDictProxy

    async def transport(request: Request) -> Response:
        body = b'{"errors":[{"code":"10007","title":"Unexpected error","detail":"boom"}]}'
        headers = CIMultiDictProxy(CIMultiDict({"Content-Type": "application/json"}))
        return Response(status=500, headers=headers, body=body, elapsed=0.0, request=request)

    async with AsyncTelnyx(api_key="k", transport=transport, max_retries=0, throttle=None) as c:
        with pytest.raises(InternalServerError) as caught:
            await c.get("/ai/something/new", cast_to=dict)
    response = caught.value.response
    assert response is not None
    assert response.json()["errors"][0]["detail"] == "boom"
    assert caught.value.errors[0].detail == "boom"


async def _no_wait(seconds: float) -> None:
    return None
