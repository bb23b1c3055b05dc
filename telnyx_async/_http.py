"""Building requests: from a call's arguments to a frozen :class:`~telnyx_async.Request`.

Pure: no I/O, no event loop, no client. :func:`build_request` takes the
client's defaults (:class:`RequestDefaults`), the operation (method and path
template), its path, query and body values and the caller's per-call options,
and returns everything the transport needs except the API key. Whatever the
caller passed that cannot be sent (an empty ID, a header value with a line
break, a body JSON cannot hold) is a ``ValueError``/``TypeError`` naming the
argument here, before anything is sent.

One rule, in :data:`AUTO_IDEMPOTENT`, says which calls carry an automatic
``Idempotency-Key``: the trigger-like operations the API deduplicates, where
replaying a request would otherwise do the work twice.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, cast
from urllib.parse import quote

import attrs

from telnyx_async import _json
from telnyx_async._checks import check_header
from telnyx_async._config import Timeout
from telnyx_async._types import UnsetType
from telnyx_async._wire import Request

__all__ = [
    "AUTO_IDEMPOTENT",
    "NO_OPTIONS",
    "REPLAY_SAFE_METHODS",
    "RequestDefaults",
    "RequestOptions",
    "build_request",
    "check_header",
    "check_idempotency_key",
    "encode_body",
    "encode_path",
    "encode_query",
    "sequence_of_str",
]

REPLAY_SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods whose requests may be sent twice without doing the work twice."""

AUTO_IDEMPOTENT: Final = frozenset(
    {
        ("POST", "/ai/assistants/tests"),
        ("POST", "/ai/assistants/tests/{test_id}/runs"),
        ("POST", "/ai/assistants/tests/test-suites/{suite_name}/runs"),
        ("POST", "/ai/assistants/{assistant_id}/canary-deploys"),
    }
)
"""The operations that get a fresh ``Idempotency-Key`` when the caller gives none.

These are the calls the API deduplicates by key (for 24 hours) and whose replay
would start work twice: creating a test, triggering a test run or a suite run,
starting a canary deploy. The key is made once per call and reused by all its
retries, so a lost answer or a 5xx can be retried safely. Any other call sends
a key only when the caller passes ``idempotency_key=``.
"""

_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_:-]{1,255}")
_RESERVED_HEADERS = frozenset({"authorization", "content-length", "host", "transfer-encoding"})
_ACCEPT_TEXT = "text/plain, application/json;q=0.5"


@attrs.frozen
class RequestOptions:
    """Per-call overrides every method accepts as keyword arguments.

    ``extra_headers`` are added to (and may replace) the client's headers,
    except ``Authorization`` and the framing headers, which the SDK owns;
    ``extra_query`` adds query parameters; ``extra_body`` adds (or replaces)
    keys of a JSON object body; ``timeout`` replaces the client's timeout for
    this call (a number is the per-attempt limit).
    """

    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, Any] | None = None
    extra_body: Mapping[str, Any] | None = None
    timeout: float | Timeout | UnsetType | None = UnsetType.UNSET


NO_OPTIONS: Final = RequestOptions()


@attrs.frozen
class RequestDefaults:
    """What a client adds to every request: where it goes, its headers, its timeout.

    ``headers`` never holds ``Authorization``: the transport adds the key.
    ``json_headers`` is derived from ``headers``: the same with
    ``Content-Type: application/json``, read-only, shared by every request with
    a JSON body and no headers of its own (as requests without a body share
    ``headers`` itself).
    """

    base_url: str
    headers: Mapping[str, str]
    timeout: Timeout
    json_headers: Mapping[str, str] = attrs.field(
        init=False, repr=False, eq=False,
        default=attrs.Factory(lambda self: _with_json_type(self.headers), takes_self=True),
    )


# ------------------------------------------------------------------ paths

_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
"""What ``quote(value, safe="")`` leaves as it is: an ID made only of these needs no quoting."""


def encode_path(route: str, **params: str) -> str:
    """Fill the ``{name}`` slots of ``route``, each value percent-encoded as ONE segment.

    ``/`` ``?`` ``#`` ``%`` spaces and non-ASCII are all escaped, so an ID can
    never change which endpoint is called. A value that is not a ``str`` is a
    ``TypeError``; an empty one is a ``ValueError`` worded as the official SDK
    words it (users' tests match on it); ``.`` and ``..`` are refused too,
    since a proxy that normalises paths would resolve them.
    """
    values: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(value, str):
            raise TypeError(f"`{name}` must be a str, got {type(value).__name__}")
        if not value:
            raise ValueError(
                f"Expected a non-empty value for `{name}` but received {value!r}: "
                f"`{name}` must be a non-empty string"
            )
        if value in (".", ".."):
            raise ValueError(f"`{name}` cannot be {value!r}: it is a relative path segment")
        # An ID of unreserved characters only (the usual case) is its own encoding:
        # stripping them all leaves nothing, and urllib's quote would return it as is.
        values[name] = value if not value.strip(_UNRESERVED) else quote(value, safe="")
    return route.format_map(values)


# ------------------------------------------------------------------ queries


def _query_value(name: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum) and isinstance(value.value, str):
        return value.value
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"query parameter `{name}` cannot be {type(value).__name__}")


def encode_query(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Turn query values into ``(name, text)`` pairs; ``UNSET`` and ``None`` are left out.

    Booleans become ``true``/``false``, datetimes ISO 8601 with an offset
    (naive means UTC), and a list or tuple repeats the name once per element.
    """
    pairs: list[tuple[str, str]] = []
    if not params:
        return pairs
    for name, value in params.items():
        if value is None or value is UnsetType.UNSET:
            continue
        if isinstance(value, (list, tuple)):
            items = cast("Sequence[object]", value)
            pairs.extend((name, _query_value(name, v)) for v in items)
        else:
            pairs.append((name, _query_value(name, value)))
    return pairs


def _query_string(pairs: Sequence[tuple[str, str]]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


# ------------------------------------------------------------------ bodies

_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON as they are: no converter needed


def is_plain_object(body: object) -> bool:
    """Whether ``body`` is a ``dict`` whose values are all plain JSON scalars (exact types).

    Such a body is already its own wire form: the converter's ``unstructure``
    would return an equal dict, so it can be skipped.
    """
    return body.__class__ is dict and _PLAIN.issuperset(
        map(type, cast("dict[str, Any]", body).values())
    )


def encode_body(body: Any) -> bytes:
    """Serialise a request body to compact UTF-8 JSON.

    Models, enums and datetimes are converted by the SDK's converter; a value
    JSON cannot hold is a ``TypeError``, NaN or infinity a ``ValueError``.
    """
    if not is_plain_object(body):
        from telnyx_async._codec import unstructure  # the models' wire rules

        try:
            body = unstructure(body)
        except RecursionError:
            raise ValueError("request body is nested too deeply (or refers to itself)") from None
    try:
        return _json.dumps(body)
    except ValueError as exc:
        raise ValueError(f"request body is not valid JSON: {exc}") from None
    except TypeError as exc:
        raise TypeError(f"request body cannot be sent as JSON: {exc}") from None


def _with_extra_body(body: Any, extra: Mapping[str, Any] | None) -> Any:
    if not extra:
        return body
    if not isinstance(extra, Mapping):
        raise TypeError(f"`extra_body` must be a mapping, got {type(extra).__name__}")
    payload: Any = {} if isinstance(body, UnsetType) else body
    if not isinstance(payload, Mapping):
        raise TypeError("`extra_body` can only extend a JSON object body")
    return {**cast("Mapping[str, Any]", payload), **extra}


# ------------------------------------------------------------------ headers


def check_idempotency_key(key: object) -> str:
    """Validate a caller-supplied ``Idempotency-Key`` (``^[A-Za-z0-9_:-]{1,255}$``)."""
    if not isinstance(key, str) or not _IDEMPOTENCY_KEY.fullmatch(key):
        raise ValueError(
            "`idempotency_key` must be 1-255 characters of letters, digits, '_', ':' or '-'"
        )
    return key


def _merge_headers(base: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(extra, Mapping):
        raise TypeError(f"`extra_headers` must be a mapping, got {type(extra).__name__}")
    headers = dict(base)
    lowered = {k.lower(): k for k in headers}
    for name, value in extra.items():
        check_header(name, value)
        if name.lower() in _RESERVED_HEADERS:
            raise ValueError(
                f"`extra_headers` cannot set {name!r}: the SDK sets it itself"
            )
        previous = lowered.pop(name.lower(), None)
        if previous is not None:
            del headers[previous]
        headers[name] = value
        lowered[name.lower()] = name
    return headers


def _put(headers: dict[str, str], name: str, value: str) -> None:
    """Set a header the SDK owns, dropping any other spelling of it from ``extra_headers``.

    Headers are sent as given, so ``content-type`` and ``Content-Type`` would
    both go out: one request, two conflicting values.
    """
    lower = name.lower()
    for other in [k for k in headers if k.lower() == lower and k != name]:
        del headers[other]
    headers[name] = value


def _with_json_type(base: Mapping[str, str]) -> Mapping[str, str]:
    """``base`` with ``Content-Type: application/json`` put in (as :func:`_put` does), read-only."""
    headers = dict(base)
    _put(headers, "Content-Type", "application/json")
    return MappingProxyType(headers)


def _key_in(extra_headers: Mapping[str, str] | None) -> str | None:
    """An ``Idempotency-Key`` the caller put in ``extra_headers`` (any spelling), if any.

    It counts as the call's key: it makes the request safe to replay, and no
    automatic key replaces it.
    """
    if not extra_headers or not isinstance(extra_headers, Mapping):
        return None
    for name, value in extra_headers.items():
        if isinstance(name, str) and name.lower() == "idempotency-key":
            return value
    return None


# ------------------------------------------------------------------ the request


def build_request(
    defaults: RequestDefaults,
    method: str,
    route: str,
    *,
    path_params: Mapping[str, str] | None = None,
    query: Mapping[str, Any] | None = None,
    body: Any = UnsetType.UNSET,
    idempotency_key: str | None = None,
    options: RequestOptions = NO_OPTIONS,
    text_answer: bool = False,
    started_at: float | None = None,
    new_key: Callable[[], str] = lambda: uuid.uuid4().hex,
) -> Request:
    """Make the :class:`~telnyx_async.Request` for one call; no I/O.

    ``route`` is the path template (``/ai/assistants/{assistant_id}``),
    filled from ``path_params``. ``query`` and ``body`` are sent as given,
    ``UNSET`` values left out (``None`` in a body is sent as ``null``);
    ``body=UNSET`` sends no body at all. ``options`` are the caller's per-call
    overrides. A call listed in :data:`AUTO_IDEMPOTENT` gets a key from
    ``new_key`` unless ``idempotency_key`` is given. ``text_answer`` asks for
    ``text/plain`` (JSON stays acceptable for errors). ``started_at`` (on the
    ``time.monotonic()`` clock) fixes the call's deadline.
    """
    # Most calls pass no per-call options (the shared NO_OPTIONS): nothing to merge.
    no_options = options is NO_OPTIONS
    path = encode_path(route, **path_params) if path_params else route
    pairs = encode_query(query)
    if not no_options and options.extra_query:
        if not isinstance(options.extra_query, Mapping):
            kind = type(options.extra_query).__name__
            raise TypeError(f"`extra_query` must be a mapping, got {kind}")
        pairs += encode_query(options.extra_query)
    url = defaults.base_url + path
    if pairs:
        url += "?" + _query_string(pairs)

    headers: Mapping[str, str] = defaults.headers
    payload = body if no_options else _with_extra_body(body, options.extra_body)
    if idempotency_key is None and not no_options:
        idempotency_key = _key_in(options.extra_headers)
    if idempotency_key is None and (method, route) in AUTO_IDEMPOTENT:
        idempotency_key = new_key()
    has_body = payload is not UnsetType.UNSET
    data: bytes | None = None
    if (not no_options and options.extra_headers) or idempotency_key is not None or text_answer:
        merged = _merge_headers(headers, options.extra_headers or {})
        if idempotency_key is not None:
            _put(merged, "Idempotency-Key", check_idempotency_key(idempotency_key))
        if text_answer and not any(k.lower() == "accept" for k in options.extra_headers or ()):
            merged["Accept"] = _ACCEPT_TEXT
        if has_body:
            data = encode_body(payload)
            _put(merged, "Content-Type", "application/json")
        headers = merged
    elif has_body:
        data = encode_body(payload)
        headers = defaults.json_headers

    timeout = (
        defaults.timeout
        if no_options or isinstance(options.timeout, UnsetType)
        else Timeout.coerce(options.timeout)
    )
    deadline_at = None
    if started_at is not None and timeout.deadline is not None:
        deadline_at = started_at + timeout.deadline
    return Request(
        method=method,
        url=url,
        path=path,
        route=route,
        headers=headers,
        body=data,
        replay_safe=method in REPLAY_SAFE_METHODS or idempotency_key is not None,
        timeout=timeout,
        deadline_at=deadline_at,
    )


def sequence_of_str(name: str, value: Sequence[str]) -> list[str]:
    """Check that ``value`` is a list/tuple of non-empty strings (not one bare string)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise TypeError(f"`{name}` must be a list of strings, got {type(value).__name__}")
    out = list(value)
    for item in out:
        if not isinstance(item, str) or not item:
            raise ValueError(f"`{name}` must hold non-empty strings, got {item!r}")
    return out
