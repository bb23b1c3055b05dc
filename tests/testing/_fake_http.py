"""A thin raw-HTTP helper for the FakeTelnyx tests (deliberately not the SDK)."""

from __future__ import annotations

from typing import Any

import aiohttp

from telnyx_async.testing import FakeTelnyx

__all__ = ["Api"]


class Api:
    """A thin raw-HTTP helper bound to one fake: ``await api.get("/ai/tools")``."""

    def __init__(self, fake: FakeTelnyx, session: aiohttp.ClientSession) -> None:
        self.fake = fake
        self.session = session

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.fake.api_key}"}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        params: Any = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
        """Send one request; return ``(status, parsed JSON or text or None, headers)``."""
        all_headers = dict(self.auth) if auth else {}
        all_headers.update(headers or {})
        kwargs: dict[str, Any] = {"headers": all_headers, "params": params}
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        async with self.session.request(method, self.fake.url + path, **kwargs) as resp:
            raw = await resp.read()
            if not raw:
                body: Any = None
            elif resp.content_type == "application/json":
                body = await resp.json()
            else:
                body = raw.decode()
            return resp.status, body, resp.headers

    async def get(self, path: str, **kw: Any) -> tuple[int, Any, Any]:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, **kw: Any) -> tuple[int, Any, Any]:
        return await self.request("POST", path, **kw)

    async def put(self, path: str, **kw: Any) -> tuple[int, Any, Any]:
        return await self.request("PUT", path, **kw)

    async def patch(self, path: str, **kw: Any) -> tuple[int, Any, Any]:
        return await self.request("PATCH", path, **kw)

    async def delete(self, path: str, **kw: Any) -> tuple[int, Any, Any]:
        return await self.request("DELETE", path, **kw)
