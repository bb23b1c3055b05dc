"""From a 2xx :class:`~telnyx_async.Response` to what the call returns.

What a call expects is its ``cast``: a model class (or ``list[Model]``, ``str``
for a JSON string...) to structure the JSON into, or one of the markers
:data:`NOTHING` (return ``None``), :data:`TEXT` (the body as text),
:data:`JSON` (the decoded JSON as is) and :data:`OBJECT` (a free-form JSON
object as a ``dict``; an empty body is ``{}``).

Whatever the bytes are, a body that does not fit ends as one
:class:`~telnyx_async.APIResponseValidationError`, built once with the call,
the status, the path of the first fault and the raw body. This is also the one
place that decides about the garbage collector (see :func:`decode`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Generator
from typing import Any, Final

from telnyx_async import _json
from telnyx_async._converter import Misfit, fit
from telnyx_async._wire import Response
from telnyx_async.errors import APIResponseValidationError

__all__ = [
    "JSON",
    "NOTHING",
    "OBJECT",
    "TEXT",
    "Expect",
    "decode",
    "decode_json",
    "gc_paused",
    "misfit_error",
]


class Expect:
    """What a successful body should be turned into, when it is not a model."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<expect {self.name}>"


NOTHING: Final = Expect("nothing")
"""The call answers 204/empty (or a body we ignore): return ``None``."""
TEXT: Final = Expect("text")
"""The call answers text (``text/plain``): return it as ``str``."""
JSON: Final = Expect("json")
"""Return the decoded JSON as is (``None`` for an empty body)."""
OBJECT: Final = Expect("object")
"""A free-form JSON object: return it as a ``dict`` (``{}`` for an empty body or ``null``)."""


def _invalid(
    response: Response, reason: str, *, path: str | None = None
) -> APIResponseValidationError:
    request = response.request
    return APIResponseValidationError(
        f"{request.method} {request.path} answered {response.status} {reason}",
        path=path,
        body=response.body.decode("utf-8", errors="replace"),
        status_code=response.status,
        request=request,
    )


def decode_json(response: Response) -> Any:
    """The response's body as decoded JSON (``None`` when empty); not JSON is a validation error."""
    body = response.body
    if not body.strip():
        return None
    try:
        return _json.loads(body)
    except ValueError as exc:
        kind = response.content_type or "no content type"
        raise _invalid(response, f"with a body that is not JSON ({kind}): {exc}") from None


def misfit_error(
    response: Response, misfit: Misfit, *, where: str = ""
) -> APIResponseValidationError:
    """The validation error for a body that does not fit its model, naming the call."""
    request = response.request
    return APIResponseValidationError(
        f"{request.method} {request.path}{where}: {misfit.describe()}",
        path=misfit.path,
        body=response.body.decode("utf-8", errors="replace"),
        status_code=response.status,
        request=request,
    )


@contextlib.contextmanager
def gc_paused() -> Generator[None, None, None]:
    """The SDK's one decision about the garbage collector: paused while a body is decoded.

    JSON trees and models are thousands of small objects that all stay alive
    while a body is decoded; the cyclic collector would scan them again and
    again for nothing. So it is paused for that synchronous stretch (no other
    coroutine runs meanwhile); callers let the JSON tree go inside the block,
    so the next collection only meets what the caller keeps.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def decode(response: Response, cast: Any) -> Any:
    """Turn a successful ``response`` into what the call returns (see the module's text)."""
    if cast is NOTHING:
        return None
    if cast is TEXT:
        return response.body.decode("utf-8", errors="replace")
    with gc_paused():
        return _structured(response, cast)


def _structured(response: Response, cast: Any) -> Any:
    data = decode_json(response)
    if cast is JSON:
        return data
    if cast is OBJECT:
        if data is None:
            return {}
        document = _json.as_object(data)
        if document is None:
            got = f"{_json.kind_of(data)}: expected a JSON object, got {type(data).__name__}"
            raise _invalid(response, f"with {got}")
        return dict(document)
    if data is None:
        raise _invalid(response, "with an empty body; expected JSON")
    try:
        return fit(data, cast)
    except Misfit as misfit:
        raise misfit_error(response, misfit) from misfit.__cause__
