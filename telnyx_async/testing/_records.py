"""What the fake remembers about each request it received."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

__all__ = ["HeaderDict", "RecordedRequest", "RequestLog", "Traffic"]

_SECRET_HEADERS = frozenset({"authorization", "x-api-key"})


class HeaderDict(dict[str, str]):
    """A plain ``dict`` of headers whose keys are stored lower-cased.

    Look-ups (``[]``, ``get``, ``in``, ``pop``) ignore case, so
    ``headers["Idempotency-Key"]`` and ``headers["idempotency-key"]`` agree.
    A header sent several times is joined with ``", "``.
    """

    def __init__(self, items: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> None:
        """Build from ``(name, value)`` pairs or a mapping."""
        super().__init__()
        # (A mapping given here is a ``Mapping[str, str]``: narrowing the
        # ``Iterable`` member by ``isinstance`` cannot tell the type checker so.)
        pairs: Iterable[tuple[str, str]] = (
            cast("Mapping[str, str]", items).items() if isinstance(items, Mapping) else items
        )
        for name, value in pairs:
            key = name.lower()
            if super().__contains__(key):
                super().__setitem__(key, f"{super().__getitem__(key)}, {value}")
            else:
                super().__setitem__(key, value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value for ``key`` (any case) or ``default``."""
        return super().get(key.lower(), default)

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` (any case) and return its value."""
        return super().pop(key.lower(), *default)

    def redacted(self) -> dict[str, str]:
        """A copy with credential headers replaced by ``"<redacted>"``."""
        return {k: ("<redacted>" if k in _SECRET_HEADERS else v) for k, v in self.items()}


@dataclass
class RecordedRequest:
    """One request the fake received, and what it answered.

    The entry is appended when the request arrives and completed when the
    answer has been written, so ``status`` is ``None`` while the request is
    still being handled, and stays ``None`` when no response was sent (a
    ``drop`` fault, or the client went away first).
    """

    method: str
    """The HTTP method, upper-case."""
    path: str
    """The percent-decoded path after the ``/v2`` prefix, e.g. ``/ai/assistants/abc``."""
    raw_path: str
    """The path after ``/v2`` exactly as sent (percent-encoding kept)."""
    target: str
    """The full raw request target as sent, including ``/v2`` and the query string."""
    route: str | None
    """The spec path template that matched, e.g. ``/ai/assistants/{assistant_id}``."""
    query: list[tuple[str, str]]
    """Query parameters as decoded ``(key, value)`` pairs, in the order sent."""
    headers: HeaderDict
    """Request headers (case-insensitive look-ups)."""
    body: bytes
    """The raw request body."""
    json: Any
    """The body parsed as JSON, or ``None`` when empty or not JSON."""
    received_at: float
    """The fake's clock reading when the request arrived."""
    status: int | None = None
    """The status sent, or ``None`` (still in progress, or no response sent)."""
    response_body: bytes = b""
    """The body bytes sent (for ``reset_mid_body``: only the part that was sent)."""
    response_json: Any = None
    """The response body parsed as JSON, or ``None``."""
    response_headers: HeaderDict = field(default_factory=HeaderDict)
    """Response headers (case-insensitive look-ups)."""
    fault: str | None = None
    """Label of the scripted fault that served this request, if any."""
    replayed: bool = False
    """True when the answer is an idempotency replay of an earlier one."""
    completed: bool = False
    """True once the fake has finished with the request (answered or not)."""

    @property
    def query_dict(self) -> dict[str, str]:
        """The query as a dict (the last value wins for repeated keys)."""
        return dict(self.query)

    def __repr__(self) -> str:
        return (
            f"RecordedRequest(method={self.method!r}, path={self.path!r}, route={self.route!r}, "
            f"query={self.query!r}, headers={self.headers.redacted()!r}, json={self.json!r}, "
            f"status={self.status!r}, fault={self.fault!r}, replayed={self.replayed!r})"
        )


class RequestLog(list[RecordedRequest]):
    """The list of :class:`RecordedRequest`, in arrival order, with a few helpers."""

    def matching(
        self,
        *,
        method: str | None = None,
        route: str | None = None,
        path: str | None = None,
    ) -> list[RecordedRequest]:
        """The requests whose method, route template and path equal those given."""
        wanted = method.upper() if method is not None else None
        return [
            r
            for r in self
            if (wanted is None or r.method == wanted)
            and (route is None or r.route == route)
            and (path is None or r.path == path)
        ]

    @property
    def last(self) -> RecordedRequest:
        """The most recent request (``IndexError`` when there is none)."""
        return self[-1]

    def __repr__(self) -> str:
        return f"RequestLog({super().__repr__()})"


@dataclass
class Traffic:
    """What the fake has received so far: the request log and the counters beside it."""

    requests: RequestLog = field(default_factory=RequestLog)
    """Every request received, in arrival order."""
    rate_limited_count: int = 0
    """How many 429 answers the rate limiter produced."""
    idempotency_replays: int = 0
    """How many answers were replays of a stored idempotent response."""
    in_flight: int = 0
    """How many requests are being handled right now."""
    max_in_flight: int = 0
    """The highest value ``in_flight`` has reached."""
