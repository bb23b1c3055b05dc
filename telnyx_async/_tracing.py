"""OpenTelemetry spans: one CLIENT span per API call, over every retry and wait of it.

Imported only when tracing is switched on (see ``_pipeline.tracing_layer``),
so ``import telnyx_async`` never loads ``opentelemetry``. The layer sits at the
top of a client's send path, above the retry layer: one span covers the whole
call as the caller sees it. What happens below it reaches the span through the
call observer (``_observe``): each retry becomes a ``telnyx.retry`` event
(attempt, reason, wait), each admission the throttle held a
``telnyx.throttle.wait`` event. The span is current while the call runs, so
spans made below it (``opentelemetry-instrumentation-aiohttp-client``'s, one
per attempt) become its children.

Attributes follow the OpenTelemetry HTTP client conventions:
``http.request.method``, ``url.template`` (the route, ``/ai/assistants/{assistant_id}``),
``url.full`` without its query, ``server.address``, ``server.port``,
``http.response.status_code``, ``http.request.resend_count`` (when resent),
``error.type`` (on failure), plus ``telnyx.request_id``. Never recorded: the
API key (requests never hold it), headers, bodies, query strings, exception
messages (a status error's message quotes the response body).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from opentelemetry import context, trace
from opentelemetry.trace import INVALID_SPAN, ProxyTracer, SpanKind, Status, StatusCode

from telnyx_async._observe import CALL_OBSERVER
from telnyx_async._version import __version__
from telnyx_async.errors import APIStatusError

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer, TracerProvider
    from opentelemetry.util.types import AttributeValue

    from telnyx_async._retry import Send
    from telnyx_async._wire import Request, Response

__all__ = ["INSTRUMENTATION_NAME", "MIN_THROTTLE_WAIT", "TracingLayer", "make_tracer"]

INSTRUMENTATION_NAME = "telnyx_async"
"""The instrumentation scope every span of this SDK is made under."""
SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0"
"""The semantic-conventions version the attribute names follow."""
MIN_THROTTLE_WAIT = 0.001
"""Admissions quicker than this (seconds) were not held by the throttle: no event for them."""

_DEFAULT_PORTS = {"https": 443, "http": 80}


def make_tracer(provider: TracerProvider | None) -> Tracer:
    """The tracer the client's spans come from: of ``provider``, else of the global provider.

    With the global provider the tracer follows it: spans start being
    recorded once the application sets one, even after the client was made.
    """
    return trace.get_tracer(
        INSTRUMENTATION_NAME, __version__, tracer_provider=provider, schema_url=SCHEMA_URL
    )


@functools.lru_cache(maxsize=32)
def _origin(scheme: str, netloc: str) -> tuple[str, int | None, str]:
    """``(server.address, server.port, scheme://host[:port])`` of an origin, without userinfo."""
    host_port = netloc.rpartition("@")[2]
    if host_port.startswith("["):  # an IPv6 literal: [::1]:8080
        host, _, rest = host_port[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        shown = f"[{host}]"
    else:
        host, _, port_text = host_port.partition(":")
        shown = host
    port = int(port_text) if port_text.isdigit() else _DEFAULT_PORTS.get(scheme.lower())
    origin = f"{scheme}://{shown}" + (f":{port_text}" if port_text else "")
    return host.lower(), port, origin


def _request_attributes(request: Request) -> dict[str, AttributeValue]:
    """The attributes known before the call is sent (so samplers see them)."""
    attributes: dict[str, AttributeValue] = {
        "http.request.method": request.method,
        "url.template": request.route,
    }
    scheme, sep, rest = request.url.partition("://")
    if sep:  # always, for a client's own requests; a hand-made Request may lack it
        netloc, _, tail = rest.partition("/")
        address, port, origin = _origin(scheme, netloc)
        attributes["url.full"] = origin + "/" + tail.partition("?")[0].partition("#")[0]
        attributes["server.address"] = address
        if port is not None:
            attributes["server.port"] = port
    return attributes


def _error_type(error: BaseException) -> str:
    """``error.type``: the status code of an HTTP answer, else the exception's class name."""
    if isinstance(error, APIStatusError) and error.response is not None:
        return str(error.status_code)
    return type(error).__qualname__


class _SpanObserver:
    """Writes what the layers below report about one call into that call's span."""

    __slots__ = ("resends", "span")

    def __init__(self, span: Span) -> None:
        self.span = span
        self.resends = 0

    def retrying(
        self, attempt: int, wait: float, reason: str, error: BaseException | None
    ) -> None:
        """Record a ``telnyx.retry`` event: which attempt comes next, why, after what wait."""
        attributes: dict[str, AttributeValue] = {
            "telnyx.retry.attempt": attempt,
            "telnyx.retry.reason": reason,
            "telnyx.wait_seconds": float(wait),
        }
        if error is not None:
            attributes["error.type"] = _error_type(error)
            if isinstance(error, APIStatusError) and error.response is not None:
                attributes["http.response.status_code"] = error.status_code
                if error.request_id:
                    attributes["telnyx.request_id"] = error.request_id
        self.span.add_event("telnyx.retry", attributes)

    def resending(self) -> None:
        """Count a resend, for ``http.request.resend_count``."""
        self.resends += 1

    def throttled(self, seconds: float) -> None:
        """Record a ``telnyx.throttle.wait`` event when the throttle really held the attempt."""
        if seconds >= MIN_THROTTLE_WAIT:
            self.span.add_event("telnyx.throttle.wait", {"telnyx.wait_seconds": seconds})

    def answered(self, response: Response) -> None:
        """The call succeeded: record the final answer."""
        span = self.span
        span.set_attribute("http.response.status_code", response.status)
        self._finish(response.request_id)

    def failed(self, error: Exception) -> None:
        """The call failed with ``error``: mark the span as an error, naming its type only."""
        span = self.span
        request_id: str | None = None
        if isinstance(error, APIStatusError) and error.response is not None:
            span.set_attribute("http.response.status_code", error.status_code)
            request_id = error.request_id
        span.set_attribute("error.type", _error_type(error))
        span.set_status(Status(StatusCode.ERROR))
        self._finish(request_id)

    def cancelled(self) -> None:
        """The caller cancelled the call: say so, without marking the span as an error."""
        self.span.set_attribute("telnyx.cancelled", True)
        self._finish(None)

    def _finish(self, request_id: str | None) -> None:
        if request_id:
            self.span.set_attribute("telnyx.request_id", request_id)
        if self.resends:
            self.span.set_attribute("http.request.resend_count", self.resends)


def _follows_global_provider(tracer: Tracer) -> ProxyTracer | None:
    """``tracer`` if it is the API's stand-in for the global provider's tracer, else ``None``.

    Only when the API's internals are where this version of it keeps them
    (``ProxyTracer._real_tracer`` and the module's ``_TRACER_PROVIDER``); else
    every call takes the full path.
    """
    known = hasattr(tracer, "_real_tracer") and hasattr(trace, "_TRACER_PROVIDER")
    return tracer if type(tracer) is ProxyTracer and known else None


class TracingLayer:
    """Run each call of the layer below inside a CLIENT span of its own."""

    def __init__(self, send: Send, tracer: Tracer) -> None:
        self._send = send
        self._tracer = tracer
        self._proxy = _follows_global_provider(tracer)

    def __call__(self, request: Request) -> Awaitable[Response]:
        """Send ``request`` under a span named ``{method} {route}``; record how the call went.

        While the tracer follows a global provider that is still unset (the
        API's no-op tracer answers for it) and no span is current, the no-op
        tracer's span would be ``INVALID_SPAN``, which records nothing and
        passes nothing on: the call then goes straight to the layer below,
        without building the span's name and attributes.
        """
        proxy: Any = self._proxy
        if (
            proxy is not None
            and proxy._real_tracer is None
            and getattr(trace, "_TRACER_PROVIDER", True) is None
            and trace.get_current_span() is INVALID_SPAN
        ):
            return self._send(request)
        return self._traced(request)

    async def _traced(self, request: Request) -> Response:
        span = self._tracer.start_span(
            f"{request.method} {request.route}",
            kind=SpanKind.CLIENT,
            attributes=_request_attributes(request),
            # Exceptions are described by error.type alone: their messages can
            # quote the response body, which must not reach a span.
            record_exception=False,
            set_status_on_exception=False,
        )
        if not span.is_recording() and not span.get_span_context().is_valid:
            # No SDK behind the API (its no-op tracer): nothing to record or pass on.
            return await self._send(request)
        token = context.attach(trace.set_span_in_context(span))
        try:
            if not span.is_recording():  # not sampled: its context still reaches the spans below
                return await self._send(request)
            observer = _SpanObserver(span)
            observed = CALL_OBSERVER.set(observer)
            try:
                response = await self._send(request)
            except Exception as error:
                observer.failed(error)
                raise
            except asyncio.CancelledError:
                # The caller gave up on the call (a pager stopping early does):
                # not a failure of the API, so the span is not an error.
                observer.cancelled()
                raise
            finally:
                CALL_OBSERVER.reset(observed)
            observer.answered(response)
            return response
        finally:
            context.detach(token)
            span.end()
