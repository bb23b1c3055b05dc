"""aiohttp's exceptions without the request data they carry: headers, proxy credentials.

aiohttp's response errors keep the request's headers (``Authorization``
included) in ``request_info`` and in their ``history``, and its connector
errors keep the proxy URL (with any user name and password) in their
connection key. The transport chains such an exception under our own error
only as a copy made by :func:`scrub`, so neither the API key nor a proxy
password is reachable from any error the SDK raises.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

__all__ = ["scrub"]


_HIDDEN = "<hidden>"


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})


_CHAIN_DEPTH = 8
"""How many links of a ``__cause__``/``__context__`` chain :func:`scrub` looks after."""


def _scrubbed_info(info: aiohttp.RequestInfo) -> aiohttp.RequestInfo:
    headers = CIMultiDict(info.headers)
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            headers[name] = _HIDDEN
    return aiohttp.RequestInfo(
        url=info.url.with_user(None), method=info.method,
        headers=CIMultiDictProxy(headers), real_url=info.real_url.with_user(None),
    )


def _scrubbed_key(key: Any) -> Any:
    """A connection key without the proxy's user name, password or auth object."""
    proxy = getattr(key, "proxy", None)
    if proxy is None and getattr(key, "proxy_auth", None) is None:
        return key
    clean_proxy = proxy.with_user(None) if isinstance(proxy, URL) else None
    replace = getattr(key, "_replace", None)
    if callable(replace):  # a NamedTuple (aiohttp >= 3.10)
        return replace(proxy=clean_proxy, proxy_auth=None)
    import dataclasses

    if dataclasses.is_dataclass(key) and not isinstance(key, type):
        return dataclasses.replace(key, proxy=clean_proxy, proxy_auth=None)
    return None


def _scrub_one(exc: BaseException) -> BaseException:
    """``exc`` itself when it holds nothing to hide, else a copy without it."""
    if isinstance(exc, aiohttp.ClientResponseError):
        # The request's headers live in request_info, and again in every
        # response of `history`; the copy hides the first and drops the second.
        try:
            return type(exc)(
                _scrubbed_info(exc.request_info), (), status=exc.status,
                message=exc.message, headers=exc.headers,
            )
        except Exception:  # an aiohttp version with another signature: chain nothing
            return RuntimeError(f"{type(exc).__name__}: {exc.message}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        # The connection key names the proxy, user name and password included.
        key = getattr(exc, "_conn_key", None)
        clean = _scrubbed_key(key)
        if clean is key:
            return exc
        if clean is None:
            return RuntimeError(f"{type(exc).__name__}: {exc}")
        copy = type(exc).__new__(type(exc))
        copy.__dict__.update(exc.__dict__)
        copy._conn_key = clean  # pyright: ignore[reportAttributeAccessIssue]
        copy.args = tuple(clean if arg is key else arg for arg in exc.args)
        return copy
    return exc


def scrub(exc: BaseException) -> BaseException:
    """``exc`` fit to be chained under one of our errors: nothing in it shows a secret.

    aiohttp's ``ClientResponseError`` family keeps the request's
    ``request_info`` (headers included) and a ``history`` of responses that
    keep theirs: the copy has the secret headers hidden and no history. Its
    ``ClientConnectorError`` family keeps the connection key, which names the
    proxy with its user name and password: the copy's key has neither. The
    ``__cause__``/``__context__`` chain below ``exc`` is looked after the same
    way, link by link (a few links deep).
    """
    return _scrub_chain(exc, {}, _CHAIN_DEPTH)


def _scrub_chain(exc: BaseException, done: dict[int, BaseException], depth: int) -> BaseException:
    known = done.get(id(exc))
    if known is not None:
        return known
    clean = _scrub_one(exc)
    done[id(exc)] = clean
    copied = clean is not exc
    if depth <= 0:
        if copied:  # too deep to look after: a copy keeps no chain at all
            clean.__cause__ = clean.__context__ = None
        return clean
    cause, context = exc.__cause__, exc.__context__
    clean_cause = _scrub_chain(cause, done, depth - 1) if cause is not None else None
    clean_context = _scrub_chain(context, done, depth - 1) if context is not None else None
    suppress = exc.__suppress_context__
    if copied or clean_cause is not cause:
        clean.__cause__ = clean_cause
    if copied or clean_context is not context:
        clean.__context__ = clean_context
    clean.__suppress_context__ = suppress  # setting __cause__ sets it: put it back
    return clean
