"""Exactly one HTTP attempt over aiohttp, with every aiohttp/asyncio error re-typed.

The response body is always read in full and the connection released before
this function returns or raises, so no retry wait ever holds a connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

import aiohttp
import attrs
from multidict import CIMultiDictProxy
from yarl import URL

from telnyx_async.errors import APIConnectionError, APITimeoutError

__all__ = ["RawResponse", "send"]


@attrs.frozen
class RawResponse:
    """A fully read HTTP response."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    content_type: str


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def _connection_error(
    exc: BaseException, method: str, path: str, url: str | URL, *, sent: bool
) -> APIConnectionError:
    err = APIConnectionError(
        f"{method} {path}: connection failed ({_describe(exc)})", method=method, url=str(url)
    )
    err.request_sent = sent
    return err


async def send(
    session: aiohttp.ClientSession,
    method: str,
    url: str | URL,
    *,
    path: str,
    params: Sequence[tuple[str, str]] | None,
    data: bytes | None,
    headers: Mapping[str, str],
    timeout: aiohttp.ClientTimeout,
    proxy: str | None = None,
) -> RawResponse:
    """Send one request and read the whole response.

    Raises :class:`APITimeoutError` or :class:`APIConnectionError` (chained from
    the aiohttp/OS error, whose class and text the message names); never an
    aiohttp or asyncio exception. ``CancelledError`` propagates untouched.
    ``path`` (without host or query) is what error messages show.
    """
    try:
        async with session.request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            timeout=timeout,
            allow_redirects=method == "GET",
            proxy=proxy,
        ) as resp:
            body = await resp.read()
            return RawResponse(
                status=resp.status,
                headers=resp.headers,
                body=body,
                content_type=resp.content_type,
            )
    except asyncio.CancelledError:
        raise
    except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
        # aiohttp's connect timeouts subclass ServerTimeoutError too; nothing was
        # sent for those, so a retry is safe even for POST.
        sent = not isinstance(exc, getattr(aiohttp, "ConnectionTimeoutError", ()))
        err = APITimeoutError(
            f"{method} {path}: timed out ({_describe(exc)})", method=method, url=str(url)
        )
        err.request_sent = sent
        raise err from exc
    except aiohttp.ClientConnectorError as exc:
        raise _connection_error(exc, method, path, url, sent=False) from exc
    except (aiohttp.ClientError, OSError, ValueError, RuntimeError) as exc:
        # ValueError/RuntimeError: aiohttp raises these for bad URLs/headers and a
        # session closed under our feet.
        raise _connection_error(exc, method, path, url, sent=True) from exc
