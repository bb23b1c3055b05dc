"""The escape hatch: ``client.get/post/put/patch/delete(path, cast_to=...)``.

For endpoints the SDK does not wrap yet. A call goes down the very same send
path as every resource method (auth, throttle, retries, typed errors); only
the path and what the answer becomes are the caller's. The path is relative to
the client's ``base_url``. An absolute URL is accepted only when it lies under
``base_url`` itself: the API key is never sent to another origin, and any
other URL is refused with ``ValueError`` before anything is sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import parse_qsl, quote

from yarl import URL

from telnyx_async._decode import expect_for
from telnyx_async._http import RequestOptions
from telnyx_async._resource import Resource
from telnyx_async._types import UNSET, UnsetType

__all__ = ["PathCalls", "relative_path"]

_OPTION_KEYS = frozenset({"params", "headers", "extra_json", "timeout", "idempotency_key"})
"""What ``options=`` may hold (the official SDK's names for the per-call options)."""
_UNSAFE = re.compile(r"[\x00-\x20\x7f#]")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def _origin(url: URL) -> tuple[str, str, int | None]:
    return (url.scheme.lower(), (url.host or "").lower(), url.port)


def relative_path(base_url: str, path: str) -> tuple[str, list[tuple[str, str]]]:
    """``path`` as the part after ``base_url``, and the query it carried (as pairs).

    ``"/ai/assistants"`` and ``"ai/assistants"`` are the same path. An absolute
    URL (``https://...`` or ``//host/...``) must lie under ``base_url`` (same
    scheme, host and port, below its path); anything else is a ``ValueError``,
    so the key cannot leave for another origin. Spaces, control characters
    and fragments are refused too; other characters are percent-encoded.
    """
    if not isinstance(path, str):
        raise TypeError(f"`path` must be a str, got {type(path).__name__}")
    if not path:
        raise ValueError("`path` must be a non-empty path relative to base_url, like /ai/tools")
    if _UNSAFE.search(path):
        raise ValueError("`path` holds a space, a control character or a '#' fragment")
    if "://" in path or path.startswith("//"):
        target, base = URL(path if "://" in path else "https:" + path), URL(base_url)
        if _origin(target) != _origin(base) or target.user is not None:
            raise ValueError(
                f"refusing to send the API key to {target.scheme}://{target.host}: an absolute "
                f"URL must lie under base_url ({base.scheme}://{base.host}); pass a path "
                "relative to base_url instead"
            )
        root = base.raw_path.rstrip("/")
        if target.raw_path != root and not target.raw_path.startswith(root + "/"):
            raise ValueError(f"`path` {path!r} is not under base_url {base_url!r}")
        path = target.raw_path[len(root):] + (
            "?" + target.raw_query_string if target.raw_query_string else ""
        )
    route, _, query = path.partition("?")
    if not route.startswith("/"):
        route = "/" + route
    pairs = parse_qsl(query, keep_blank_values=True) if query else []
    return quote(route, safe=_PATH_SAFE), pairs


def _options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise TypeError(f"`options` must be a mapping, got {type(options).__name__}")
    unknown = sorted(set(map(str, options)) - _OPTION_KEYS)
    if unknown:
        raise TypeError(
            f"`options` has unknown keys {unknown}; it takes {sorted(_OPTION_KEYS)}"
        )
    return dict(options)


class PathCalls(Resource):
    """The client's ``get``/``post``/``put``/``patch``/``delete`` by path (see the module)."""

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        params: Mapping[str, Any] | None = None,
        body: Any = UNSET,
        options: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Any = UNSET,
    ) -> Any:
        """Send ``method path`` through the client's send path; decode the answer as ``cast_to``.

        ``params`` is the query (lists repeat the name; ``None`` values are left
        out), ``body`` the JSON body (``None`` or left out: no body).
        ``options`` takes the official SDK's per-call options: ``params``,
        ``headers``, ``extra_json``, ``timeout`` and ``idempotency_key``.
        """
        extra = _options(options)
        route, pairs = relative_path(self._context.defaults.base_url, path)
        query: dict[str, Any] = {}
        for name, value in pairs:
            query.setdefault(name, []).append(value)
        sources: tuple[Any, ...] = (extra.get("params"), params)
        for source in sources:
            if source is None:
                continue
            if not isinstance(source, Mapping):
                raise TypeError(f"`params` must be a mapping, got {type(source).__name__}")
            query.update(cast("Mapping[str, Any]", source))
        given: Mapping[str, str] = extra.get("headers") or {}
        headers: dict[str, str] = {**given, **(extra_headers or {})}
        payload: Any = UNSET if body is None else body
        if not isinstance(timeout, UnsetType):
            chosen_timeout = timeout
        else:
            chosen_timeout = extra.get("timeout", UNSET)
        per_call = RequestOptions(
            extra_headers=headers or None, extra_query=None,
            extra_body=extra.get("extra_json"), timeout=chosen_timeout,
        )
        return await self._call(
            method, route, expect_for(cast_to), query=query, body=payload,
            idempotency_key=idempotency_key or extra.get("idempotency_key"), options=per_call,
        )
