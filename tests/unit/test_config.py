"""Every setting's validator: ``ClientConfig``, ``Timeout`` and ``RetryConfig``.

Each field is tried directly, through ``AsyncTelnyx(...)`` and, where the option
exists, through ``client.with_options(...)``. A wrong value is refused when the
client (or copy) is made, with an error naming the setting, and no error for a
bad setting ever shows the API key.
"""

from __future__ import annotations

import math
import ssl
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from telnyx_async import AsyncTelnyx, Request, Response, RetryConfig, TelnyxError, Timeout
from telnyx_async._config import DEFAULT_BASE_URL, ClientConfig

KEY = "KEY-5ecret-0f-a11-keys-7c1e"
BASE = "https://api.example.test/v2"


async def never_called(request: Request) -> Response:
    raise AssertionError("no request is sent by these tests")


def make_client(**settings: Any) -> AsyncTelnyx:
    settings.setdefault("api_key", KEY)
    settings.setdefault("base_url", BASE)
    return AsyncTelnyx(transport=never_called, throttle=None, **settings)


@pytest.fixture
def client() -> AsyncTelnyx:
    return make_client()


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests decide every setting: nothing comes from the environment."""
    for name in ("TELNYX_API_KEY", "TELNYX_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------ the required cases


REQUIRED: list[tuple[Callable[[AsyncTelnyx], Any], str]] = [
    (lambda c: c.with_options(max_pages=0), "max_pages"),
    (lambda c: c.with_options(max_pages=-5), "max_pages"),
    (lambda c: make_client(max_pages=-5), "max_pages"),
    (lambda c: make_client(max_concurrency=0), "max_concurrency"),
    (lambda c: make_client(max_connections=0), "max_connections"),
    (lambda c: make_client(prefetch=-1), "prefetch"),
    (lambda c: c.with_options(prefetch=-1), "prefetch"),
]


@pytest.mark.parametrize(
    ("build", "field"),
    REQUIRED,
    ids=[
        "with_options(max_pages=0)", "with_options(max_pages=-5)", "AsyncTelnyx(max_pages=-5)",
        "AsyncTelnyx(max_concurrency=0)", "AsyncTelnyx(max_connections=0)",
        "AsyncTelnyx(prefetch=-1)", "with_options(prefetch=-1)",
    ],
)
def test_out_of_range_counts_are_value_errors_naming_the_field(
    client: AsyncTelnyx, build: Callable[[AsyncTelnyx], Any], field: str
) -> None:
    with pytest.raises(ValueError, match=f"`{field}`"):
        build(client)


# ------------------------------------------------------------------ int settings

WRONG_TYPES: list[Any] = ["3", True, False, 1.5, 2.0, b"3", [3]]

# field -> (error for a wrong type, error for an out-of-range int, smallest good, None allowed)
INT_FIELDS: dict[str, tuple[type[Exception], list[int], int, bool]] = {
    "prefetch": (TypeError, [-1, -5], 0, False),
    "max_retries": (TypeError, [-1, -5], 0, False),
    # These three always said ValueError, for a wrong type too.
    "max_pages": (ValueError, [0, -5], 1, True),
    "max_concurrency": (ValueError, [0, -5], 1, True),
    "max_connections": (ValueError, [0, -5], 1, False),
}
WITH_OPTIONS_INTS = ("prefetch", "max_retries", "max_pages")


def _int_cases(where: str) -> list[Any]:
    cases: list[Any] = []
    for field, (type_error, out_of_range, _, none_ok) in INT_FIELDS.items():
        if where == "with_options" and field not in WITH_OPTIONS_INTS:
            continue
        for value in WRONG_TYPES:
            cases.append(pytest.param(field, value, type_error, id=f"{field}={value!r}"))
        for value in out_of_range:
            cases.append(pytest.param(field, value, ValueError, id=f"{field}={value!r}"))
        if not none_ok:
            cases.append(pytest.param(field, None, type_error, id=f"{field}=None"))
    return cases


@pytest.mark.parametrize(("field", "value", "error"), _int_cases("client"))
def test_int_settings_on_the_client(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"`{field}`"):
        make_client(**{field: value})


@pytest.mark.parametrize(("field", "value", "error"), _int_cases("with_options"))
def test_int_settings_on_with_options(
    client: AsyncTelnyx, field: str, value: Any, error: type[Exception]
) -> None:
    before = client.config
    with pytest.raises(error, match=f"`{field}`"):
        client.with_options(**{field: value})
    assert client.config is before  # a refused copy leaves the original as it was


@pytest.mark.parametrize("field", list(INT_FIELDS))
def test_int_settings_accept_their_smallest_good_value(field: str) -> None:
    smallest = INT_FIELDS[field][2]
    config = make_client(**{field: smallest}).config
    held = config.retry.max_retries if field == "max_retries" else getattr(config, field)
    assert held == smallest


@pytest.mark.parametrize("field", [f for f, spec in INT_FIELDS.items() if spec[3]])
def test_none_means_no_limit_where_allowed(field: str) -> None:
    assert getattr(make_client(**{field: None}).config, field) is None


def test_with_options_int_settings_land_in_the_copy(client: AsyncTelnyx) -> None:
    copy = client.with_options(prefetch=0, max_pages=None, max_retries=7)
    assert (copy.config.prefetch, copy.config.max_pages, copy.config.retry.max_retries) == (
        0, None, 7
    )
    assert (client.config.prefetch, client.config.max_pages, client.config.retry.max_retries) == (
        4, 100_000, 2
    )


# ------------------------------------------------------------------ Timeout

TIMEOUT_FIELDS = ("total", "connect", "deadline")


@pytest.mark.parametrize("field", TIMEOUT_FIELDS)
@pytest.mark.parametrize(
    ("value", "error"),
    [("1", TypeError), (True, TypeError), ([1], TypeError), (0, ValueError), (-1, ValueError),
     (-0.5, ValueError), (math.inf, ValueError), (math.nan, ValueError)],
)
def test_timeout_fields(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"`{field}`"):
        Timeout(**{field: value})


@pytest.mark.parametrize("field", TIMEOUT_FIELDS)
def test_timeout_fields_take_positive_numbers_or_none(field: str) -> None:
    assert getattr(Timeout(**{field: 0.01}), field) == 0.01
    assert getattr(Timeout(**{field: 3}), field) == 3
    assert getattr(Timeout(**{field: None}), field) is None


def test_timeout_defaults_are_all_finite() -> None:
    assert Timeout() == Timeout(total=60.0, connect=10.0, deadline=180.0)


@pytest.mark.parametrize("where", ["client", "with_options"])
@pytest.mark.parametrize(
    ("value", "error", "field"),
    [("5", TypeError, "timeout"), (True, TypeError, "timeout"), ([1], TypeError, "timeout"),
     (0, ValueError, "total"), (-1, ValueError, "total"), (math.nan, ValueError, "total"),
     (math.inf, ValueError, "total")],
)
def test_timeout_setting(
    client: AsyncTelnyx, where: str, value: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=f"`{field}`"):
        if where == "client":
            make_client(timeout=value)
        else:
            client.with_options(timeout=value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, Timeout(total=5.0, connect=5.0, deadline=180.0)),
        (240, Timeout(total=240.0, connect=10.0, deadline=240.0)),
        (None, Timeout(total=None, connect=None, deadline=None)),
        (Timeout(total=1, connect=2, deadline=3), Timeout(total=1, connect=2, deadline=3)),
    ],
)
def test_timeout_setting_accepts(client: AsyncTelnyx, value: Any, expected: Timeout) -> None:
    assert make_client(timeout=value).config.timeout == expected
    assert client.with_options(timeout=value).config.timeout == expected


def test_client_config_timeout_must_be_a_timeout() -> None:
    with pytest.raises(TypeError, match="`timeout` must be a Timeout, got float"):
        ClientConfig(api_key=KEY, base_url=BASE, timeout=5.0)  # type: ignore[arg-type]


# ------------------------------------------------------------------ RetryConfig


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "max_retry_wait"])
@pytest.mark.parametrize(
    ("value", "error"),
    [("1", TypeError), (True, TypeError), (None, TypeError), ([1], TypeError),
     (-1, ValueError), (-0.1, ValueError), (math.inf, ValueError), (math.nan, ValueError)],
)
def test_retry_delays(field: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=f"`{field}`"):
        RetryConfig(**{field: value})


@pytest.mark.parametrize("field", ["initial_delay", "max_delay", "max_retry_wait"])
def test_retry_delays_accept_zero_and_fractions(field: str) -> None:
    zero: dict[str, Any] = {field: 0}
    fraction: dict[str, Any] = {field: 2.5}
    assert getattr(RetryConfig(**zero), field) == 0
    assert getattr(RetryConfig(**fraction), field) == 2.5


@pytest.mark.parametrize(
    ("value", "error"),
    [("3", TypeError), (True, TypeError), (None, TypeError), (-1, ValueError),
     (math.inf, ValueError), (math.nan, ValueError)],
)
def test_max_retry_wait_setting(
    client: AsyncTelnyx, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="`max_retry_wait`"):
        make_client(max_retry_wait=value)
    with pytest.raises(error, match="`max_retry_wait`"):
        client.with_options(max_retry_wait=value)


def test_max_retries_and_wait_go_into_the_retry_config(client: AsyncTelnyx) -> None:
    retry = make_client(max_retries=5, max_retry_wait=1.5).config.retry
    assert (retry.max_retries, retry.max_retry_wait) == (5, 1.5)
    copy = client.with_options(max_retry_wait=0)
    assert copy.config.retry == RetryConfig(max_retry_wait=0)


@pytest.mark.parametrize(
    ("value", "error", "text"),
    [
        (500, TypeError, "`retry_statuses` must be a collection of HTTP statuses, got int"),
        ("500", TypeError, "`retry_statuses` must be a collection of HTTP statuses, got str"),
        (None, TypeError, "`retry_statuses` must be a collection"),
        ([409], ValueError, "409 Conflict is never safe to retry"),
        ([99], ValueError, "`retry_statuses` holds an invalid HTTP status: 99"),
        ([600], ValueError, "`retry_statuses` holds an invalid HTTP status: 600"),
        ([True], ValueError, "`retry_statuses` holds an invalid HTTP status: True"),
        ([429.0], ValueError, "`retry_statuses` holds an invalid HTTP status: 429.0"),
        (["503"], ValueError, "`retry_statuses` holds an invalid HTTP status: '503'"),
    ],
)
def test_retry_statuses(value: Any, error: type[Exception], text: str) -> None:
    with pytest.raises(error) as info:
        RetryConfig(retry_statuses=value)
    assert text in str(info.value)


def test_retry_statuses_take_any_collection() -> None:
    assert RetryConfig(retry_statuses=[503, 503, 429]).retry_statuses == frozenset({429, 503})
    assert RetryConfig(retry_statuses=(500,)).retry_statuses == frozenset({500})
    assert RetryConfig(retry_statuses=[]).retry_statuses == frozenset()


@pytest.mark.parametrize("value", ["x", 5, {"max_retries": 1}])
def test_retry_setting_must_be_a_retry_config(client: AsyncTelnyx, value: Any) -> None:
    kind = type(value).__name__
    with pytest.raises(TypeError, match=f"`retry` must be a RetryConfig, got {kind}"):
        make_client(retry=value)
    with pytest.raises(TypeError, match=f"`retry` must be a RetryConfig, got {kind}"):
        client.with_options(retry=value)


def test_retry_setting_replaces_the_policy(client: AsyncTelnyx) -> None:
    policy = RetryConfig(max_retries=1, initial_delay=0.1)
    assert make_client(retry=policy).config.retry is policy
    assert client.with_options(retry=policy).config.retry is policy
    # with_options applies max_retries on top of a given policy.
    assert client.with_options(retry=policy, max_retries=4).config.retry == RetryConfig(
        max_retries=4, initial_delay=0.1
    )


# ------------------------------------------------------------------ the API key


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (f" {KEY}", "leading or trailing whitespace"),
        (f"{KEY}\n", "leading or trailing whitespace"),
        (f"{KEY[:6]} {KEY[6:]}", "a space, a control or a non-ASCII character"),
        (f"{KEY}\x00x", "a space, a control or a non-ASCII character"),
        (f"{KEY}é", "a space, a control or a non-ASCII character"),
        (5, "must be a non-empty string"),
        (b"bytes-key", "must be a non-empty string"),
    ],
)
def test_bad_api_keys_are_refused_without_echoing_them(key: Any, text: str) -> None:
    with pytest.raises(ValueError) as info:
        make_client(api_key=key)
    message = str(info.value)
    assert text in message
    assert KEY not in message and KEY[:6] not in message and "bytes-key" not in message


@pytest.mark.parametrize("key", ["", None])
def test_missing_api_key(key: Any) -> None:
    with pytest.raises(TelnyxError, match="no API key"):
        make_client(api_key=key)


def test_api_key_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELNYX_API_KEY", KEY)
    assert make_client(api_key=None).config.api_key == KEY


def test_api_key_is_hidden_from_reprs(client: AsyncTelnyx) -> None:
    assert KEY not in repr(client.config)
    assert KEY not in repr(client)
    assert KEY not in repr(client.with_options(max_retries=0).config)


# ------------------------------------------------------------------ base_url


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("ftp://api.example.test", "`base_url` must be an http:// or https:// URL"),
        ("api.example.test/v2", "`base_url` must be an http:// or https:// URL"),
        (5, "`base_url` must be an http:// or https:// URL"),
        ("https://", "`base_url` must be an http:// or https:// URL"),
        ("https://:443/v2", "`base_url` must name a host"),
        ("https://api.example.test:port/v2", "`base_url` is not a valid URL"),
        ("https://user:pw@api.example.test/v2", "`base_url` must not contain a user name"),
        ("https://api.example.test/v2?x=1", "`base_url` must not have a query or a fragment"),
        ("https://api.example.test/v2#top", "`base_url` must not have a query or a fragment"),
        ("https://api.example.test/v2\n", "`base_url` holds a space or a control character"),
        ("https://api.exa mple.test/v2", "`base_url` holds a space or a control character"),
        ("https://api.example.test/my v2", "`base_url` holds a space or a control character"),
        ("https://api.example.test/v2\t", "`base_url` holds a space or a control character"),
    ],
)
def test_bad_base_urls(value: Any, text: str) -> None:
    with pytest.raises(ValueError) as info:
        make_client(base_url=value)
    assert text in str(info.value)


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://api.example.test/v2/", "https://api.example.test/v2"),
        ("http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/v2"),
        ("https://api.example.test", "https://api.example.test"),
        ("https://[::1]:9000/base///", "https://[::1]:9000/base"),
    ],
)
def test_good_base_urls_keep_their_path(value: str, kept: str) -> None:
    assert make_client(base_url=value).base_url == kept


def test_base_url_default_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert make_client(base_url=None).base_url == DEFAULT_BASE_URL
    monkeypatch.setenv("TELNYX_BASE_URL", "http://127.0.0.1:4010/")
    assert make_client(base_url=None).base_url == "http://127.0.0.1:4010"
    monkeypatch.setenv("TELNYX_BASE_URL", "http://127.0.0.1:4010/v2\n")
    with pytest.raises(ValueError, match="`base_url` holds a space or a control character"):
        make_client(base_url=None)


# ------------------------------------------------------------------ default_headers


@pytest.mark.parametrize("where", ["client", "with_options"])
@pytest.mark.parametrize(
    ("headers", "error", "text"),
    [
        ({"Authorization": "Bearer x"}, ValueError, "`default_headers` cannot set 'Authorization'"),
        ({"host": "evil"}, ValueError, "`default_headers` cannot set 'host'"),
        ({"Content-Length": "1"}, ValueError, "`default_headers` cannot set 'Content-Length'"),
        ({"transfer-encoding": "x"}, ValueError, "`default_headers` cannot set 'transfer-encoding'"),
        ({"Idempotency-Key": "k"}, ValueError, "`default_headers` cannot set 'Idempotency-Key'"),
        ({"idempotency-key": "k"}, ValueError, "`default_headers` cannot set 'idempotency-key'"),
        ({"Bad Name": "v"}, ValueError, "`default_headers` has an invalid header name"),
        ({"": "v"}, ValueError, "`default_headers` has an invalid header name"),
        ({"X-A": "one\ntwo"}, ValueError, "`default_headers['X-A']` holds a line break"),
        ({"X-A": "x\r"}, ValueError, "`default_headers['X-A']` holds a line break"),
        ({"X-A": 5}, TypeError, "`default_headers['X-A']` must be a str, got int"),
        ({"X-A": None}, TypeError, "`default_headers['X-A']` must be a str, got NoneType"),
    ],
)
def test_bad_default_headers(
    client: AsyncTelnyx, where: str, headers: dict[str, Any], error: type[Exception], text: str
) -> None:
    with pytest.raises(error) as info:
        if where == "client":
            make_client(default_headers=headers)
        else:
            client.with_options(default_headers=headers)
    assert text in str(info.value)


@pytest.mark.parametrize("value", ["X-A: b", [("X-A", "b")], 5])
def test_client_config_default_headers_must_be_a_mapping(value: Any) -> None:
    kind = type(value).__name__
    with pytest.raises(TypeError, match=f"`default_headers` must be a mapping, got {kind}"):
        ClientConfig(api_key=KEY, base_url=BASE, default_headers=value)


def test_with_options_adds_to_the_default_headers(client: AsyncTelnyx) -> None:
    base = make_client(default_headers={"X-Team": "support", "X-Env": "prod"})
    copy = base.with_options(default_headers={"X-Env": "staging", "X-New": "1"})
    assert copy.config.default_headers == {"X-Team": "support", "X-Env": "staging", "X-New": "1"}
    assert base.config.default_headers == {"X-Team": "support", "X-Env": "prod"}


# ------------------------------------------------------------------ trust_env, proxy, ssl


@pytest.mark.parametrize("value", ["yes", 1, 0, None])
def test_trust_env_must_be_a_bool(value: Any) -> None:
    with pytest.raises(TypeError, match=f"`trust_env` must be a bool, got {type(value).__name__}"):
        make_client(trust_env=value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("ftp://proxy:21", "`proxy` must be an http:// or https:// URL, or None"),
        ("proxy.example.test:3128", "`proxy` must be an http:// or https:// URL, or None"),
        (3128, "`proxy` must be an http:// or https:// URL, or None"),
        ("http://", "`proxy` must name a host"),
        ("https://:3128", "`proxy` must name a host"),
        ("http://proxy:port", "`proxy` is not a valid URL"),
        ("http://proxy:99999", "`proxy` is not a valid URL"),
        ("http://pro xy:3128", "`proxy` holds a space or a control character"),
        ("http://proxy:3128\n", "`proxy` holds a space or a control character"),
    ],
)
def test_bad_proxies(value: Any, text: str) -> None:
    with pytest.raises(ValueError) as info:
        make_client(proxy=value)
    assert text in str(info.value)


@pytest.mark.parametrize(
    "value", [None, "http://127.0.0.1:3128", "https://proxy.example.test", "http://u:p@proxy:8080"]
)
def test_good_proxies(value: str | None) -> None:
    assert make_client(proxy=value).config.proxy == value


@pytest.mark.parametrize("value", ["yes", 1, 0.5, object(), b"pin"])
def test_bad_ssl_settings(value: Any) -> None:
    with pytest.raises(TypeError, match=f"`ssl` must be None, a bool, .*got {type(value).__name__}"):
        make_client(ssl=value)


def test_good_ssl_settings() -> None:
    context = ssl.create_default_context()
    fingerprint = aiohttp.Fingerprint(bytes(32))
    for value in (None, True, False, context, fingerprint):
        assert make_client(ssl=value).config.ssl is value


# ------------------------------------------------------------------ the rest of AsyncTelnyx(...)


@pytest.mark.parametrize(
    ("settings", "text"),
    [
        ({"session": "not a session"}, "`session` must be an aiohttp.ClientSession"),
        ({"throttle": object()}, "`throttle` must implement the Throttle protocol"),
        ({"transport": "not callable"}, "`transport` must be an async callable"),
    ],
)
def test_other_client_arguments(settings: dict[str, Any], text: str) -> None:
    with pytest.raises(TypeError, match=text):
        AsyncTelnyx(api_key=KEY, base_url=BASE, **settings)


def test_client_config_checks_every_field_when_built_directly() -> None:
    good = ClientConfig(api_key=KEY, base_url=BASE + "/")
    assert good.base_url == BASE
    assert (good.prefetch, good.max_pages, good.max_concurrency, good.max_connections) == (
        4, 100_000, None, 100
    )
    with pytest.raises(ValueError, match="`prefetch` must be >= 0"):
        ClientConfig(api_key=KEY, base_url=BASE, prefetch=-1)
    with pytest.raises(TypeError, match="`retry` must be a RetryConfig"):
        ClientConfig(api_key=KEY, base_url=BASE, retry=None)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the key never leaks

BAD_SETTINGS: list[dict[str, Any]] = [
    {"base_url": "ftp://x"},
    {"base_url": f"https://{KEY}:pw@api.example.test"},
    {"base_url": "https://api.example.test/v2\n"},
    {"timeout": 0},
    {"timeout": "5"},
    {"max_retries": -1},
    {"max_retry_wait": math.inf},
    {"retry": "x"},
    {"default_headers": {"Authorization": f"Bearer {KEY}"}},
    {"default_headers": {"X-Key": f"{KEY}\n"}},
    {"default_headers": {"Idempotency-Key": "k"}},
    {"prefetch": -1},
    {"max_pages": 0},
    {"max_concurrency": 0},
    {"max_connections": "3"},
    {"trust_env": "yes"},
    {"proxy": "http://"},
    {"ssl": "yes"},
    {"session": "x"},
    {"throttle": object()},
    {"transport": 5},
]


def _chain(error: BaseException) -> str:
    """The text of an error and of everything chained to it."""
    parts: list[str] = []
    seen: BaseException | None = error
    while seen is not None:
        parts += [str(seen), repr(seen)]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


@pytest.mark.parametrize("settings", BAD_SETTINGS, ids=lambda s: ",".join(s))
def test_bad_settings_never_show_the_key(settings: dict[str, Any]) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        everything: dict[str, Any] = {"base_url": BASE, "throttle": None, **settings}
        AsyncTelnyx(api_key=KEY, **everything)
    assert KEY not in _chain(info.value)


@pytest.mark.parametrize(
    "options",
    [{"max_pages": 0}, {"prefetch": -1}, {"timeout": -1}, {"max_retries": "2"},
     {"retry": 5}, {"default_headers": {"Host": KEY}}, {"max_retry_wait": -1}],
    ids=lambda s: ",".join(s),
)
def test_bad_with_options_never_show_the_key(client: AsyncTelnyx, options: dict[str, Any]) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        client.with_options(**options)
    assert KEY not in _chain(info.value)


# ---------------------------------------------------------------- client-level arguments


def test_retry_with_max_retries_puts_the_count_into_that_policy() -> None:
    policy = RetryConfig(max_retries=7, initial_delay=0.25)
    client = make_client(retry=policy, max_retries=3, max_retry_wait=5.0)
    assert client.config.retry == RetryConfig(max_retries=3, initial_delay=0.25, max_retry_wait=5.0)
    assert make_client(retry=policy).config.retry == policy
    assert make_client().config.retry == RetryConfig()


def test_with_options_retry_of_the_wrong_type_names_it(client: AsyncTelnyx) -> None:
    with pytest.raises(TypeError, match="`retry` must be a RetryConfig"):
        client.with_options(retry="x", max_retries=1)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["x", [("X-Team", "a")], 5])
def test_default_headers_that_are_not_a_mapping_name_the_field(value: Any) -> None:
    with pytest.raises(TypeError, match="`default_headers` must be a mapping"):
        make_client(default_headers=value)
    with pytest.raises(TypeError, match="`default_headers` must be a mapping"):
        make_client().with_options(default_headers=value)


def test_default_headers_replace_the_sdk_headers_whatever_their_case() -> None:
    client = make_client(default_headers={"accept": "text/csv", "x-team": "a"})
    copy = client.with_options(default_headers={"X-Team": "b"})
    for made, team in ((client, "a"), (copy, "b")):
        headers = made._context.defaults.headers
        names = [name.lower() for name in headers]
        assert len(names) == len(set(names)), dict(headers)
        assert {k.lower(): v for k, v in headers.items()}["accept"] == "text/csv"
        assert {k.lower(): v for k, v in headers.items()}["x-team"] == team


def test_sleep_must_be_callable() -> None:
    with pytest.raises(TypeError, match="`sleep` must be an async callable"):
        make_client(sleep="x")


def test_config_repr_hides_proxy_credentials_and_header_values() -> None:
    client = make_client(
        proxy="http://user:s3cr3t@proxy.test:3128", default_headers={"X-Token": "t0k3n"}
    )
    shown = repr(client.config)
    assert "s3cr3t" not in shown and "user" not in shown and "t0k3n" not in shown
    assert "proxy.test:3128" in shown and "X-Token" in shown
    assert "proxy='http://proxy.test:3128'" in repr(make_client(proxy="http://proxy.test:3128").config)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:pw@h:6379/0?password=x", "redis://h:6379/0"),
        ("http://u:p@[::1]:3128", "http://[::1]:3128"),
        ("unix:///tmp/r.sock", "unix:///tmp/r.sock"),
        ("http://proxy.test:3128", "http://proxy.test:3128"),
        ("http://h:notaport", "<unparseable URL>"),
    ],
)
def test_urls_are_shown_without_anything_that_may_be_a_credential(url: str, shown: str) -> None:
    from telnyx_async._config import url_for_display

    assert url_for_display(url) == shown
