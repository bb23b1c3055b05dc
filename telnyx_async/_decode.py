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
place that decides about the garbage collector (see :func:`decode`), and about
the event loop: a body of :data:`OFF_LOOP_BYTES` or more is decoded in a worker
thread (:func:`decode_off_loop`), so the loop keeps serving other coroutines.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import Any, Final, TypeVar

from telnyx_async import _json
from telnyx_async._structure import Misfit, fit
from telnyx_async._wire import Response
from telnyx_async.errors import APIResponseValidationError

__all__ = [
    "ARRAY",
    "BYTES",
    "JSON",
    "NOTHING",
    "OBJECT",
    "OFF_LOOP_BYTES",
    "TEXT",
    "Expect",
    "Reader",
    "decode",
    "decode_json",
    "decode_off_loop",
    "expect_for",
    "gc_paused",
    "invalid",
    "misfit_error",
    "off_loop",
]

_T = TypeVar("_T")

OFF_LOOP_BYTES: Final = 128 * 1024
"""Bodies this large or larger are decoded in a worker thread, not on the event loop.

Decoding and structuring take roughly 15-25 ms per MB (an 11 KB assistant
~0.2 ms): below this size the hand-off to a thread (~0.1 ms) would cost more
than the stall it saves; above it, the stall would pass a couple of ms.
"""


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
    """The response's body as decoded JSON (``None`` when empty); not JSON is a validation error.

    A body of :data:`OFF_LOOP_BYTES` or more is parsed in slices
    (:func:`~telnyx_async._json.loads_in_slices`), so that, decoded in a worker
    thread, it never holds the event loop's thread for long.
    """
    body = response.body
    if not body.strip():
        return None
    try:
        if len(body) >= OFF_LOOP_BYTES:
            return _json.loads_in_slices(body)
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


class gc_paused:
    """The SDK's one decision about the garbage collector: paused while a body is decoded.

    JSON trees and models are thousands of small objects that all stay alive
    while a body is decoded; the cyclic collector would scan them again and
    again for nothing. So it is paused for that synchronous stretch; callers
    let the JSON tree go inside the block, so the next collection only meets
    what the caller keeps. A large body is decoded in a worker thread (see
    :func:`off_loop`): the pause then also covers what the loop runs meanwhile,
    for as long as that decode lasts. Whoever paused the collector resumes it,
    so overlapping pauses (thread and loop) always end with it running.
    """

    __slots__ = ("_paused",)

    def __enter__(self) -> None:
        self._paused = gc.isenabled()
        if self._paused:
            gc.disable()

    def __exit__(self, *exc_info: object) -> None:
        if self._paused:
            gc.enable()


async def off_loop(response: Response, work: Callable[[], _T]) -> _T:
    """``work()``, run in a worker thread when ``response``'s body is large, else here.

    ``work`` reads ``response``'s body (parses, structures...). For a body of
    :data:`OFF_LOOP_BYTES` or more it runs through :func:`asyncio.to_thread`,
    so the event loop keeps running other coroutines meanwhile: the Python
    part of the work yields the GIL every few milliseconds, and orjson
    (``telnyx-async[speedups]``) parses several MB in one such slice. If the
    awaiting task is cancelled, the thread finishes and its result is dropped.
    """
    if len(response.body) < OFF_LOOP_BYTES:
        return work()
    return await asyncio.to_thread(work)


async def decode_off_loop(response: Response, cast: Any) -> Any:
    """:func:`decode`, in a worker thread for a large JSON body (see :func:`off_loop`).

    Bodies read as text or bytes, and those a :class:`Reader` reads, stay on
    the loop: there is nothing to parse, or the reader is the caller's.
    """
    if cast is NOTHING or cast is TEXT or cast is BYTES or isinstance(cast, Reader):
        return decode(response, cast)
    return await off_loop(response, lambda: decode(response, cast))


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
