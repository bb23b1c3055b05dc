"""The pure request/response helpers: paths, queries, bodies, headers, error bodies.

``_http`` builds requests, ``_headers`` reads waits and budgets off a response,
``_status`` turns an error response into its typed exception.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
from collections.abc import Mapping
from typing import cast

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Response,
    Timeout,
    UnprocessableEntityError,
    build_request,
)
from telnyx_async._headers import parse_rate_limit, parse_retry_after
from telnyx_async._http import (
    RequestDefaults,
    check_idempotency_key,
    encode_body,
    encode_path,
    encode_query,
    sequence_of_str,
)
from telnyx_async._resource import without_unset
from telnyx_async._status import parse_error_details, status_error
from telnyx_async._types import UNSET
from telnyx_async.models.tests import TestStatus

# ------------------------------------------------------------------ paths


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("abc", "abc"),
        ("a/b", "a%2Fb"),
        ("../x", "..%2Fx"),
        ("a?b", "a%3Fb"),
        ("a#b", "a%23b"),
        ("50%", "50%25"),
        ("smoke tests", "smoke%20tests"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
def test_encode_path_makes_one_segment(value: str, encoded: str) -> None:
    assert encode_path("/ai/assistants/{id}/x", id=value) == f"/ai/assistants/{encoded}/x"


@pytest.mark.parametrize("dots", [".", ".."])
def test_encode_path_rejects_relative_segments(dots: str) -> None:
    with pytest.raises(ValueError, match="relative path segment"):
        encode_path("/ai/assistants/{assistant_id}/tags/{tag}", assistant_id="a", tag=dots)


def test_encode_path_rejects_empty_and_non_str() -> None:
    with pytest.raises(ValueError, match="`assistant_id` must be a non-empty string"):
        encode_path("/ai/assistants/{assistant_id}", assistant_id="")
    with pytest.raises(TypeError, match="`test_id` must be a str, got int"):
        encode_path("/t/{test_id}", test_id=5)  # type: ignore[arg-type]


# ------------------------------------------------------------------ queries and bodies


def test_encode_query_rules() -> None:
    when = dt.datetime(2026, 1, 2, 3, 4, 5)
    pairs = encode_query(
        {
            "a": "x",
            "skip_unset": UNSET,
            "skip_none": None,
            "flag": True,
            "off": False,
            "n": 3,
            "when": when,
            "status": TestStatus.PASSED,
            "many": ["p", "q"],
        }
    )
    assert pairs == [
        ("a", "x"),
        ("flag", "true"),
        ("off", "false"),
        ("n", "3"),
        ("when", "2026-01-02T03:04:05+00:00"),
        ("status", "passed"),
        ("many", "p"),
        ("many", "q"),
    ]
    assert encode_query(None) == []


def test_encode_query_rejects_odd_types() -> None:
    with pytest.raises(TypeError, match="query parameter `x` cannot be dict"):
        encode_query({"x": {"a": 1}})


def test_without_unset_drops_unset_keeps_none() -> None:
    assert without_unset({"a": UNSET, "b": None, "c": 1}) == {"b": None, "c": 1}


def test_encode_body_is_compact_json_with_offsets() -> None:
    body = encode_body({"at": dt.datetime(2026, 5, 1, 12, 0), "s": TestStatus.FAILED, "n": None})
    assert body == b'{"at":"2026-05-01T12:00:00+00:00","s":"failed","n":null}'


def test_encode_body_errors_are_typed_and_named() -> None:
    with pytest.raises(TypeError, match="cannot be sent as JSON"):
        encode_body({"x": object()})
    with pytest.raises(ValueError, match="not valid JSON"):
        encode_body({"x": math.nan})


def test_idempotency_key_validation() -> None:
    assert check_idempotency_key("run:abc_1-2") == "run:abc_1-2"
    for bad in ("", "has space", "x" * 256, "é"):
        with pytest.raises(ValueError, match="idempotency_key"):
            check_idempotency_key(bad)


def test_sequence_of_str() -> None:
    assert sequence_of_str("ids", ("a", "b")) == ["a", "b"]
    with pytest.raises(TypeError, match="`ids` must be a list of strings"):
        sequence_of_str("ids", "abc")
    with pytest.raises(ValueError, match="non-empty strings"):
        sequence_of_str("ids", ["a", ""])


# ------------------------------------------------------------------ Retry-After (R1)

NOW = 1_800_000_000.0


def _date(offset: float) -> str:
    return email.utils.formatdate(NOW + offset, usegmt=True)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "2.5"}, 2.5),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "-4"}, 0.0),
        ({"Retry-After": _date(30)}, 30.0),
        ({"Retry-After": _date(-30)}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({"Retry-After": "inf"}, None),
        ({"Retry-After": "Mon, 99 Foo 2026 99:99:99 GMT"}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "1500", "Retry-After": "9"}, 1.5),
        ({"retry-after-ms": "junk", "Retry-After": "9"}, 9.0),
        ({"x-ratelimit-reset": "7"}, 7.0),
        ({"x-ratelimit-reset": str(NOW + 12)}, 12.0),
        ({"x-ratelimit-reset": str(NOW - 12)}, 0.0),
        ({"x-ratelimit-reset": "600"}, 600.0),
        ({"Retry-After": "4", "x-ratelimit-reset": "60"}, 4.0),
    ],
)
def test_parse_retry_after_table(headers: dict[str, str], expected: float | None) -> None:
    got = parse_retry_after(CIMultiDict(headers), now=NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1.0 if "GMT" in str(headers) else 1e-9)


def test_parse_rate_limit() -> None:
    info = parse_rate_limit(
        CIMultiDict({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "2"})
    )
    assert (info.limit, info.remaining, info.reset) == (100, 0, 2.0)
    odd = parse_rate_limit(CIMultiDict({"x-ratelimit-limit": "many"}))
    assert (odd.limit, odd.remaining, odd.reset) == (None, None, None)


class _Broken(dict[str, str]):
    """A header mapping that fails when asked anything."""

    def __contains__(self, key: object) -> bool:
        raise RuntimeError("broken")

    def get(self, key: str, default: object = None) -> str:
        raise RuntimeError("broken")


@pytest.mark.parametrize(
    ("headers", "carries"),
    [
        (CIMultiDict({"Content-Type": "application/json"}), False),
        (CIMultiDict[str](), False),
        (CIMultiDict({"X-RateLimit-Limit": "100"}), True),
        (CIMultiDict({"x-ratelimit-remaining": "0"}), True),
        (CIMultiDict({"X-RATELIMIT-RESET": "2"}), True),
        (CIMultiDict({"x-ratelimit-limit": "many"}), True),  # there, even if unusable
        (_Broken(), True),  # cannot tell: parse_rate_limit decides (and gives all None)
    ],
)
def test_carries_rate_limit_is_false_only_when_parse_rate_limit_finds_nothing(
    headers: Mapping[str, str], carries: bool
) -> None:
    from telnyx_async._headers import carries_rate_limit

    assert carries_rate_limit(headers) is carries
    if not carries:
        info = parse_rate_limit(headers)
        assert (info.limit, info.remaining, info.reset) == (None, None, None)


def _response(
    status: int, headers: CIMultiDict[str], body: bytes, *, method: str = "GET", path: str = "/x"
) -> Response:
    defaults = RequestDefaults(base_url="https://api/v2", headers={}, timeout=Timeout())
    request = build_request(defaults, method, path)
    return Response(
        status=status, headers=CIMultiDictProxy(headers), body=body, elapsed=0.0, request=request
    )


def test_request_id_of() -> None:
    assert _response(200, CIMultiDict({"X-Request-Id": "r-1"}), b"").request_id == "r-1"
    assert _response(200, CIMultiDict({}), b"").request_id is None


# ------------------------------------------------------------------ error bodies (E1-E3)


def test_telnyx_errors_format() -> None:
    body = (
        b'{"errors":[{"code":10005,"title":"Resource not found","detail":"No test",'
        b'"source":{"pointer":"/test_id"},"meta":{"url":"https://x"}},{"code":"2","detail":"again"}]}'
    )
    first, second = parse_error_details(body)
    assert first.code == "10005"  # int codes are normalised to str
    assert first.title == "Resource not found"
    assert first.detail == "No test"
    assert first.source_pointer == "/test_id"
    assert first.meta == {"url": "https://x"}
    assert second.code == "2" and second.title is None


def test_fastapi_validation_format() -> None:
    body = b'{"detail":[{"loc":["body","rubric",0,"name"],"msg":"Field required","type":"missing"}]}'
    (only,) = parse_error_details(body)
    assert only.source_pointer == "/body/rubric/0/name"
    assert only.detail == "Field required"
    assert only.code == "missing"


def test_plain_detail_string() -> None:
    (only,) = parse_error_details(b'{"detail":"Resource not found"}')
    assert only.detail == "Resource not found" and only.code is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"<html><body>502 Bad Gateway</body></html>",
        b'{"errors":[{"code":',
        b"null",
        b"[1,2,3]",
        b'"just a string"',
        b'{"errors":"oops"}',
        b'{"errors":[1,null,"x",[]]}',
        b'{"errors":[{"source":"nope","meta":[1]}]}',
        b'{"detail":[{"loc":5,"msg":null}]}',
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,
    ],
)
def test_error_parsing_never_raises(body: bytes) -> None:
    details = parse_error_details(body)
    assert isinstance(details, list)
    err = status_error(_response(500, CIMultiDict(), body))
    assert isinstance(err, InternalServerError)
    assert err.body == body.decode("utf-8", errors="replace")


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
        (302, APIStatusError),
    ],
)
def test_status_to_class_table(status: int, cls: type[APIStatusError]) -> None:
    headers = CIMultiDict({"x-request-id": "req-9", "Retry-After": "3"})
    err = status_error(
        _response(
            status, headers, b'{"errors":[{"code":"10001","title":"Bad","detail":"it broke"}]}',
            method="POST", path="/ai/assistants",
        )
    )
    assert type(err) is cls
    assert err.status_code == status
    assert err.request_id == "req-9"
    assert err.errors[0].code == "10001"
    assert err.headers["x-request-id"] == "req-9"
    text = str(err)
    assert text.startswith(f"POST /ai/assistants -> {status}: 10001 - Bad - it broke")
    assert "req-9" in text
    if cls is RateLimitError:
        assert isinstance(err, RateLimitError) and err.retry_after == 3.0


def test_error_message_falls_back_to_a_body_snippet() -> None:
    err = status_error(
        _response(502, CIMultiDict(), b"<html>\n  upstream   down</html>", path="/p")
    )
    assert str(err) == "GET /p -> 502: <html> upstream down</html>"


def test_encode_body_plain_and_converted_paths_agree() -> None:
    plain = {"content": "héllo", "n": 1, "x": 1.5, "ok": True, "none": None}
    assert encode_body(plain) == b'{"content":"h\xc3\xa9llo","n":1,"x":1.5,"ok":true,"none":null}'
    # A nested value or an enum member goes through the converter; same JSON rules.
    assert encode_body({"s": TestStatus.FAILED, "tags": ["a"]}) == b'{"s":"failed","tags":["a"]}'
    with pytest.raises(ValueError, match="not valid JSON"):
        encode_body({"x": float("nan")})


# ------------------------------------------------------------------ plain bodies skip the converter


class _Str(str):
    """A str subclass: not a plain JSON scalar by exact type."""


@pytest.mark.parametrize(
    ("body", "plain"),
    [
        ({}, True),
        ({"content": "héllo", "n": 1, "x": 1.5, "ok": True, "none": None}, True),
        ({"s": TestStatus.FAILED}, False),  # an enum member: the converter's
        ({"tags": ["a"]}, False),
        ({"nested": {"a": 1}}, False),
        ({"at": dt.datetime(2026, 5, 1)}, False),
        ({"s": _Str("x")}, False),
        (CIMultiDict({"a": "b"}), False),  # not a dict
        ([("a", 1)], False),
    ],
)
def test_is_plain_object(body: object, plain: bool) -> None:
    from telnyx_async._converter import unstructure
    from telnyx_async._http import is_plain_object

    assert is_plain_object(body) is plain
    if plain:  # what makes skipping the converter safe: it would hand back an equal dict
        assert isinstance(body, dict)
        assert unstructure(dict(cast("dict[str, object]", body))) == body


@pytest.mark.parametrize(
    "body",
    [
        {"content": "hi", "conversation_id": "c"},
        {"content": "hi", "conversation_id": "c", "stream": True, "name": None},
        {"content": 5, "conversation_id": "c"},
        {"content": "hi", "conversation_id": "c", "stream": "yes"},
        {"content": "hi", "conversation_id": 1.5},
        {"content": "hi", "conversation_id": _Str("c")},
        {"content": "hi", "conversation_id": ["c"]},
        {"content": "hi"},  # a required field missing: left to the API
        {"content": "hi", "conversation_id": "c", "unknown": {"x": 1}},
    ],
)
def test_check_body_judges_plain_bodies_as_the_converter_path_does(body: dict[str, object]) -> None:
    """check_body on a plain dict gives the same verdict as unstructure-then-fit always did."""
    from telnyx_async._converter import unstructure
    from telnyx_async._resource import check_body
    from telnyx_async._structure import Misfit, fit
    from telnyx_async.models.assistants import AssistantChatReq

    def verdict(run: object) -> str | None:
        try:
            run()  # type: ignore[operator]
        except TypeError as exc:
            return str(exc)
        return None

    def reference() -> None:
        try:
            fit(unstructure(dict(body)), AssistantChatReq)
        except Misfit as misfit:
            if misfit.reason.startswith("required field"):
                return
            where = misfit.path if misfit.path and misfit.path != "(root)" else None
            named = f"`{where}`" if where else "the request body"
            raise TypeError(f"{named} does not fit AssistantChatReq: {misfit.reason}") from None

    assert verdict(lambda: check_body(body, AssistantChatReq)) == verdict(reference)
