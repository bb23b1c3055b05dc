"""The error documents the fake answers with, and the exception handlers raise to send one.

Telnyx answers most errors with ``{"errors": [{"code", "title", "detail"}]}``;
request validation (422) is FastAPI's ``{"detail": [{"type", "loc", "msg", ...}]}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["ApiError", "Problem", "fastapi_error", "problem", "telnyx_error"]

Problem = dict[str, Any]
"""One FastAPI-style validation entry: ``{"type", "loc", "msg", "input"?}``."""


# --------------------------------------------------------------------------- error documents

_TELNYX_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("10015", "Bad Request", "The request could not be understood."),
    401: ("10009", "Authentication failed", "The API key is missing, malformed or not valid."),
    403: ("10010", "Authorization failed", "This API key may not perform the operation."),
    404: ("10005", "Resource not found", "The requested resource or URL could not be found."),
    405: ("10405", "Method not allowed", "The HTTP method is not supported on this path."),
    408: ("10408", "Request timeout", "The request took too long to arrive."),
    409: ("10409", "Conflict", "The request conflicts with the current state."),
    429: ("10011", "Too many requests", "Rate limit exceeded; slow down and retry later."),
    500: ("10007", "Unexpected error", "An unexpected error occurred."),
    502: ("10502", "Bad gateway", "An upstream service answered badly."),
    503: ("10503", "Service unavailable", "The service is temporarily unavailable."),
    504: ("10504", "Gateway timeout", "An upstream service did not answer in time."),
}


def telnyx_error(status: int, detail: str | None = None, *, pointer: str | None = None) -> Any:
    """The Telnyx v2 error document for ``status``."""
    code, title, default_detail = _TELNYX_ERRORS.get(
        status,
        (str(10000 + status), "Request failed", f"The request failed with status {status}."),
    )
    err: dict[str, Any] = {"code": code, "title": title, "detail": detail or default_detail}
    if pointer is not None:
        err["source"] = {"pointer": pointer}
    return {"errors": [err]}


def fastapi_error(problems: Sequence[Problem]) -> Any:
    """The FastAPI ``HTTPValidationError`` document for ``problems``."""
    return {"detail": list(problems)}


def problem(
    kind: str, loc: Sequence[str | int], msg: str, value: Any = None, **extra: Any
) -> Problem:
    """Build one validation entry."""
    entry: Problem = {"type": kind, "loc": list(loc), "msg": msg, "input": value}
    entry.update(extra)
    return entry


class ApiError(Exception):
    """Raised by handlers to answer with an error document."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    @classmethod
    def not_found(cls, detail: str) -> ApiError:
        """A 404 in the Telnyx format."""
        return cls(404, telnyx_error(404, detail))

    @classmethod
    def invalid(cls, *problems: Problem) -> ApiError:
        """A 422 in the FastAPI format."""
        return cls(422, fastapi_error(problems))
