"""From a 2xx :class:`~telnyx_async.Response` to what the call returns.

What a call expects is its ``cast``: a model class (or ``list[Model]``, ``str``
for a JSON string...) to structure the JSON into, or one of the markers
:data:`NOTHING` (return ``None``), :data:`TEXT` (the body as text),
:data:`BYTES` (the body as is), :data:`JSON` (the decoded JSON as is),
:data:`OBJECT` (a free-form JSON object as a ``dict``; an empty body is
``{}``) and :data:`ARRAY` (a JSON array as a ``list``), or a :class:`Reader`
for a body that needs its own reading. :func:`expect_for` turns the type a user
names (``parse(to=dict)``, ``client.get(..., cast_to=str)``) into one of these.

Whatever the bytes are, a body that does not fit ends as one
:class:`~telnyx_async.APIResponseValidationError`, built once with the call,
the status, the path of the first fault and the raw body. This is also the one
place that decides about the garbage collector (see :func:`decode`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Generator
from typing import Any, Final

from telnyx_async import _json
from telnyx_async._converter import Misfit, fit
from telnyx_async._wire import Response
from telnyx_async.errors import APIResponseValidationError

__all__ = [
    "ARRAY",
    "BYTES",
    "JSON",
    "NOTHING",
    "OBJECT",
    "TEXT",
    "Expect",
    "Reader",
    "decode",
    "decode_json",
    "expect_for",
    "gc_paused",
    "invalid",
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
ARRAY: Final = Expect("array")
"""A JSON array: return it as a ``list`` (an empty body is a validation error)."""
BYTES: Final = Expect("bytes")
"""Return the body as it came, as ``bytes``."""


class Reader(Expect):
    """A body with its own way of being read: ``read(response)`` gives the result.

    For the odd answer no type describes (``chat(stream=True)`` answers
    Server-Sent Events); ``read`` raises :class:`APIResponseValidationError`
    (see :func:`invalid`) for a body it cannot use.
    """

    def __init__(self, name: str, read: Callable[[Response], Any]) -> None:
        super().__init__(name)
        self.read = read


def expect_for(to: Any) -> Any:
    """What decoding into the type a user names means (``parse(to=...)``, ``cast_to=``).

    ``dict`` is a JSON object, ``list`` a JSON array, ``str`` the body as text,
    ``bytes`` the body as is, ``object`` (or ``typing.Any``) the decoded JSON as
    it is, ``None``/``NoneType`` nothing at all; anything else (a model class,
    ``list[Assistant]``, ``dict[str, int]``, ``int``...) is structured as that
    type. A marker (``JSON``, ``OBJECT``...) passes through.
    """
    if to is dict:
        return OBJECT
    if to is list:
        return ARRAY
    if to is str:
        return TEXT
    if to is bytes:
        return BYTES
    if to is object or to is Any:
        return JSON
    if to is None or to is type(None):
        return NOTHING
    return to


def invalid(response: Response, reason: str) -> APIResponseValidationError:
    """The validation error for a 2xx ``response`` whose body cannot be used (``reason``)."""
    return _invalid(response, reason)


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
    if cast is BYTES:
        return response.body
    if isinstance(cast, Reader):
        return cast.read(response)
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
    if cast is ARRAY:
        items = _json.as_array(data)
        if items is None:
            raise _invalid(response, f"with {_json.kind_of(data)}: expected a JSON array")
        return items
    if data is None:
        raise _invalid(response, "with an empty body; expected JSON")
    try:
        return fit(data, cast)
    except Misfit as misfit:
        raise misfit_error(response, misfit) from misfit.__cause__
