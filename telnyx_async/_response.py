"""Raw and streamed responses: ``with_raw_response`` and ``with_streaming_response``.

Every resource method is written once, as the plain call. Its raw and streamed
variants are made from it by one generic mechanism, not by code per method:

* :func:`to_raw` and :func:`to_streamed` wrap a resource method (declared on a
  :class:`ResponseView`, one line per method) so that calling it gives an
  :class:`APIResponse` (awaited) or an :class:`AsyncResponseContextManager`
  around one (``async with``). They are typed with a ``ParamSpec``: the
  variant takes exactly the method's arguments, and where the plain call gives
  ``T`` (``Assistant``; a list call's first ``Page[T]``) the raw one gives
  ``APIResponse[T]``.
* While the variant runs the method, a context variable holds a
  :class:`Capture`; ``Resource._call`` and ``Resource._pager`` see it, send the
  request down the very same send path as the plain call (throttle, retries,
  typed errors) and, instead of decoding the answer, leave an
  :class:`APIResponse` in the capture with the decoding kept for later
  (:meth:`APIResponse.parse`).
* A streamed call puts a :class:`~telnyx_async._wire.StreamSlot` on its
  request: the transport then hands back a 2xx with the body unread, and the
  slot lets the call release the connection whatever happens.
"""

from __future__ import annotations

import codecs
import contextvars
import datetime
import functools
import inspect
import types
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import attrs
from multidict import CIMultiDict, CIMultiDictProxy

from telnyx_async._decode import decode, expect_for, off_loop
from telnyx_async._wire import BodyStream, Request, Response, StreamSlot
from telnyx_async.errors import StreamConsumedError, TelnyxError

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+; only type checkers read it

    from telnyx_async._retry import Send

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "AsyncResponseContextManager",
    "Capture",
    "HTTPRequest",
    "ResponseView",
    "capture",
    "send_captured",
    "to_raw",
    "to_streamed",
]

_T = TypeVar("_T")
_R = TypeVar("_R")
_S = TypeVar("_S")
_P = ParamSpec("_P")

REDACTED = "<redacted>"
"""What ``http_request.headers['Authorization']`` shows instead of the key."""


# ---------------------------------------------------------------------------- capture


class Capture:
    """What a raw or streamed call is collecting while its method runs.

    ``stream`` says whether the body is to be left unread; ``response`` is the
    :class:`APIResponse` the method's request produced (the last one, if it
    made several).
    """

    __slots__ = ("response", "stream")

    def __init__(self, stream: bool, response: APIResponse[Any] | None = None) -> None:
        self.stream = stream
        self.response = response

    def __repr__(self) -> str:
        return f"Capture(stream={self.stream!r}, response={self.response!r})"


_CAPTURE: contextvars.ContextVar[Capture | None] = contextvars.ContextVar(
    "telnyx_async_response_capture", default=None
)


capture: Callable[[], Capture | None] = _CAPTURE.get
"""The :class:`Capture` of the raw or streamed call running now, if any.

The context variable's own ``get``: every call asks, so no Python function in between.
"""


async def send_captured(
    send: Send, request: Request, parse: Callable[[Response], Any], into: Capture
) -> APIResponse[Any]:
    """Send ``request`` down ``send`` and leave the answer, undecoded, in ``into``.

    ``parse`` is what the plain call would have done with the answer; it runs
    only when :meth:`APIResponse.parse` is awaited. For a streamed capture the
    request gets a :class:`StreamSlot`, and any body opened for it is released
    if the call fails before the response is handed over.
    """
    slot: StreamSlot | None = None
    if into.stream:
        slot = StreamSlot()
        request = attrs.evolve(request, stream=slot)
    # Whatever runs below (a throttle, a transport of the user's) making calls of
    # its own makes plain ones: the capture is for this request only.
    token = _CAPTURE.set(None)
    try:
        response = await send(request)
    except BaseException:
        if slot is not None:
            slot.release()
        raise
    finally:
        _CAPTURE.reset(token)
    result: APIResponse[Any] = APIResponse(response, parse, slot=slot)
    into.response = result
    return result


async def _run_captured(
    method: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], *, stream: bool
) -> APIResponse[Any]:
    """Run a resource method with a :class:`Capture` in place; return what it captured."""
    into = Capture(stream=stream)
    token = _CAPTURE.set(into)
    try:
        result = method(*args, **kwargs)
        if inspect.isawaitable(result):  # a coroutine, or a list call's pager
            await result
    except BaseException:
        if into.response is not None:  # the method failed after its request was answered
            await into.response.close()
        raise
    finally:
        _CAPTURE.reset(token)
    if into.response is None:  # pragma: no cover - every resource method sends a request
        raise TelnyxError(f"{getattr(method, '__qualname__', method)!r} sent no request")
    return into.response


# ---------------------------------------------------------------------------- the response


@attrs.frozen(kw_only=True)
class HTTPRequest:
    """The HTTP request a response answers, as it was sent, without the key.

    ``headers`` is case-insensitive and holds ``Authorization`` as
    ``<redacted>``; ``content`` is the body sent (``b""`` for none).
    """

    method: str
    url: str
    headers: CIMultiDictProxy[str]
    content: bytes

    @classmethod
    def of(cls, request: Request) -> HTTPRequest:
        """The :class:`HTTPRequest` view of one of our frozen requests."""
        headers: CIMultiDict[str] = CIMultiDict(request.headers)
        headers["Authorization"] = REDACTED
        return cls(
            method=request.method, url=request.url, headers=CIMultiDictProxy(headers),
            content=request.body or b"",
        )


class APIResponse(Generic[_T]):
    """The HTTP answer to a call, with what the call would have returned one ``await`` away.

    Given by ``client.<resource>.with_raw_response.<method>(...)`` (body read
    already) and, inside ``async with``, by
    ``client.<resource>.with_streaming_response.<method>(...)`` (body unread
    until asked for). ``await parse()`` gives exactly what the plain call
    gives (``Assistant``; for a list call, its first ``Page``); ``parse(to=X)``
    reads the body as ``X`` instead (``dict``, ``list``, ``str``, ``bytes``,
    ``object`` or a model class).

    The body can be read once as a whole (:meth:`read`, :meth:`text`,
    :meth:`json`, :meth:`parse`, as often as you like afterwards) or walked
    through once (:meth:`iter_bytes`, :meth:`iter_text`, :meth:`iter_lines`),
    which does not keep it.
    """

    __slots__ = ("_body", "_closed", "_consumed", "_parse", "_parsed", "_response", "_slot")

    def __init__(
        self,
        response: Response,
        parse: Callable[[Response], _T],
        *,
        slot: StreamSlot | None = None,
    ) -> None:
        self._response = response
        self._parse = parse
        self._slot = slot
        self._body: bytes | None = response.body if response.stream is None else None
        self._consumed = False
        self._closed = False
        self._parsed: dict[Any, Any] = {}

    def __repr__(self) -> str:
        request = self._response.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.path}>"

    # ------------------------------------------------------------ what came back

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer."""
        return self._response.status

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The answer's headers (case-insensitive: ``headers["x-request-id"]``)."""
        return self._response.headers

    @property
    def request_id(self) -> str | None:
        """The id the server gave this request (``x-request-id`` or the like), if any."""
        return self._response.request_id

    @property
    def content_type(self) -> str:
        """The media type of the body (``application/json``), without parameters."""
        return self._response.content_type

    @property
    def http_request(self) -> HTTPRequest:
        """The request as sent: method, URL, headers (the key shown as ``<redacted>``), body."""
        return HTTPRequest.of(self._response.request)

    @property
    def url(self) -> str:
        """The URL the request went to."""
        return self._response.request.url

    @property
    def method(self) -> str:
        """The HTTP method of the request."""
        return self._response.request.method

    @property
    def elapsed(self) -> datetime.timedelta:
        """How long the answering attempt took (to the whole body; for a stream, the headers)."""
        return datetime.timedelta(seconds=self._response.elapsed)

    @property
    def retries_taken(self) -> int:
        """How many times the call was retried before this answer (0: the first attempt)."""
        return self._response.attempts - 1

    @property
    def is_closed(self) -> bool:
        """Whether the connection is released (always, once the body is read or for raw calls)."""
        stream = self._response.stream
        return stream is None or stream.released

    # ------------------------------------------------------------ the body

    async def read(self) -> bytes:
        """The whole body, read now if it is still on the wire, and kept."""
        body = self._body
        if body is not None:
            return body
        stream = self._open_stream("read()")
        body = self._body = await stream.read()
        return body

    async def text(self) -> str:
        """The whole body as text, decoded with the charset the answer names (UTF-8 if none)."""
        return (await self.read()).decode(self._charset(), errors="replace")

    async def json(self) -> Any:
        """The whole body decoded as JSON (raises ``ValueError`` when it is not JSON)."""
        from telnyx_async import _json

        return _json.loads(await self.read())

    @overload
    async def parse(self) -> _T: ...

    @overload
    async def parse(self, *, to: type[_R]) -> _R: ...

    async def parse(self, *, to: Any = None) -> Any:
        """What the plain call returns, made from this body; ``to=X`` reads it as ``X``.

        ``to`` may be ``dict`` (a JSON object), ``list`` (a JSON array), ``str``,
        ``bytes``, ``object`` (the JSON as decoded) or a type to structure the
        JSON into (``Assistant``, ``list[Assistant]``). A body that does not fit
        raises :class:`~telnyx_async.APIResponseValidationError`, as the plain
        call would. Results are kept: parsing twice costs nothing. A large
        body is decoded in a worker thread, as the plain call does it.
        """
        if to in self._parsed:
            return self._parsed[to]
        body = await self.read()
        response = self._response
        if response.stream is not None:
            response = attrs.evolve(response, body=body, stream=None)
        if to is None:
            value = await off_loop(response, functools.partial(self._parse, response))
        else:
            value = await off_loop(response, functools.partial(decode, response, expect_for(to)))
        self._parsed[to] = value
        return value

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in pieces of ``chunk_size`` bytes (the last may be shorter), or as they come.

        On a streamed response this reads from the wire without keeping the
        body (a later :meth:`read` raises :class:`StreamConsumedError`).
        """
        if chunk_size is not None and (
            isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
        ):
            raise ValueError("`chunk_size` must be a positive int or None")
        body = self._body
        if body is not None:
            step = chunk_size or len(body) or 1
            for start in range(0, len(body), step):
                yield body[start : start + step]
            return
        stream = self._open_stream("iter_bytes()")
        self._consumed = True
        if chunk_size is None:
            async for piece in stream.chunks():
                if piece:
                    yield piece
            return
        pending = b""
        async for piece in stream.chunks():
            pending += piece
            while len(pending) >= chunk_size:
                yield pending[:chunk_size]
                pending = pending[chunk_size:]
        if pending:
            yield pending

    async def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        """The body as text, decoded piece by piece (see :meth:`iter_bytes`)."""
        decoder = codecs.getincrementaldecoder(self._charset())(errors="replace")
        async for piece in self.iter_bytes(chunk_size):
            text = decoder.decode(piece)
            if text:
                yield text
        rest = decoder.decode(b"", final=True)
        if rest:
            yield rest

    async def iter_lines(self) -> AsyncIterator[str]:
        """The body as text, line by line, each without its line ending (``\\n``, ``\\r``...)."""
        pending = ""
        async for text in self.iter_text():
            pending += text
            lines = pending.splitlines(keepends=True)
            # The last piece may be a line still arriving, or a "\r" whose "\n" is next.
            pending = lines.pop() if lines and not lines[-1].endswith("\n") else ""
            for line in lines:
                yield line.rstrip("\r\n")
        if pending:
            for line in pending.splitlines():
                yield line

    async def close(self) -> None:
        """Release the connection now, read or not (nothing to do for a raw response)."""
        self._closed = True
        stream = self._response.stream
        if stream is not None:
            stream.release()
        if self._slot is not None:
            self._slot.release()

    # ------------------------------------------------------------ helpers

    def _open_stream(self, what: str) -> BodyStream:
        stream = self._response.stream
        assert stream is not None
        if self._consumed:
            raise StreamConsumedError(
                f"{what}: the body was already read by iter_bytes()/iter_text()/iter_lines(), "
                "which do not keep it; call read() first to keep it"
            )
        if self._closed:
            raise StreamConsumedError(
                f"{what}: the response was closed before its body was read; read it inside "
                "the `async with ...with_streaming_response...` block"
            )
        return stream

    def _charset(self) -> str:
        raw = self._response.headers.get("Content-Type", "")
        for part in raw.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip().strip('"')
                try:
                    return codecs.lookup(charset).name
                except LookupError:
                    break
        return "utf-8"


AsyncAPIResponse = APIResponse
"""The official SDK's name for :class:`APIResponse` (annotations written for it keep working)."""


class AsyncResponseContextManager(Generic[_T]):
    """``async with`` around a streamed call: the response inside, its connection released after.

    Nothing is sent until the block is entered. The connection goes back to
    the pool when the block ends, whether the body was read or not, and
    whether the block ended normally, by an exception or by cancellation.
    """

    __slots__ = ("_open", "_response")

    def __init__(self, open_response: Callable[[], Awaitable[APIResponse[_T]]]) -> None:
        self._open = open_response
        self._response: APIResponse[_T] | None = None

    async def __aenter__(self) -> APIResponse[_T]:
        """Send the call; give its response with the body still unread."""
        if self._response is not None:
            raise RuntimeError("this streamed call was entered already; make the call again")
        self._response = await self._open()
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Release the connection (read or not); exceptions from the block propagate."""
        if self._response is not None:
            await self._response.close()


# ---------------------------------------------------------------------------- views


class ResponseView(Generic[_S]):
    """The raw or streamed face of one resource: ``resource.with_raw_response`` and kin.

    Subclasses declare, one line per method, ``create = to_raw(XResource.create)``
    (or :func:`to_streamed`); sub-resources are properties giving their own view.
    """

    def __init__(self, resource: _S) -> None:
        self._resource = resource

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._resource).__name__}>"


class _Variant(Generic[_S, _P, _T]):
    """A descriptor made by :func:`to_raw`/:func:`to_streamed` (shared machinery)."""

    def __init__(self, method: Callable[Concatenate[_S, _P], Awaitable[_T]]) -> None:
        self._method = method
        self._name = getattr(method, "__name__", "method")

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def _bind(self, view: ResponseView[_S], call: Callable[..., Any]) -> Any:
        # help() and inspect.signature() show the method's own text and arguments.
        functools.update_wrapper(call, types.MethodType(self._method, view._resource))
        call.__qualname__ = f"{type(view).__qualname__}.{self._name}"
        view.__dict__[self._name] = call  # later lookups skip the descriptor
        return call


class _RawMethod(_Variant[_S, _P, _T]):
    @overload
    def __get__(self, view: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, view: ResponseView[_S], owner: type[Any]
    ) -> Callable[_P, Awaitable[APIResponse[_T]]]: ...

    def __get__(self, view: ResponseView[_S] | None, owner: type[Any]) -> Any:
        if view is None:
            return self
        method, resource = self._method, view._resource

        async def raw(*args: Any, **kwargs: Any) -> APIResponse[Any]:
            return await _run_captured(method, (resource, *args), kwargs, stream=False)

        return self._bind(view, raw)


class _StreamedMethod(_Variant[_S, _P, _T]):
    @overload
    def __get__(self, view: None, owner: type[Any]) -> Self: ...

    @overload
    def __get__(
        self, view: ResponseView[_S], owner: type[Any]
    ) -> Callable[_P, AsyncResponseContextManager[_T]]: ...

    def __get__(self, view: ResponseView[_S] | None, owner: type[Any]) -> Any:
        if view is None:
            return self
        method, resource = self._method, view._resource

        def streamed(*args: Any, **kwargs: Any) -> AsyncResponseContextManager[Any]:
            def start() -> Awaitable[APIResponse[Any]]:
                return _run_captured(method, (resource, *args), kwargs, stream=True)

            return AsyncResponseContextManager(start)

        return self._bind(view, streamed)


def to_raw(method: Callable[Concatenate[_S, _P], Awaitable[_T]]) -> _RawMethod[_S, _P, _T]:
    """Declare the raw variant of a resource method on a :class:`ResponseView`.

    ``retrieve = to_raw(AssistantsResource.retrieve)``: on the view, calling
    ``retrieve(...)`` with the method's own arguments and awaiting it gives an
    :class:`APIResponse` whose ``parse()`` is what the method returns (a list
    method's first page, for list methods).
    """
    return _RawMethod(method)


def to_streamed(
    method: Callable[Concatenate[_S, _P], Awaitable[_T]],
) -> _StreamedMethod[_S, _P, _T]:
    """Declare the streamed variant of a resource method on a :class:`ResponseView`.

    ``list = to_streamed(TestsResource.list)``: on the view, ``async with
    list(...) as response`` gives an :class:`APIResponse` whose body is read
    only when asked for, and releases the connection when the block ends.
    """
    return _StreamedMethod(method)
