"""``Idempotency-Key`` on the fake: the first answer is stored and replayed for the same request."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ._errors import ApiError, problem
from ._exchange import Reply, json_or_none
from ._records import HeaderDict

__all__ = ["IdempotencyStore", "RequestFingerprint"]

_KEY_PATTERN = "^[A-Za-z0-9_:-]{1,255}$"
_KEY_RE = re.compile(_KEY_PATTERN)

RequestFingerprint = tuple[str, str, str]
"""Method, decoded path and canonical body: what must match for a key to replay."""


@dataclass
class _StoredAnswer:
    fingerprint: RequestFingerprint
    status: int
    body: bytes
    content_type: str | None
    headers: dict[str, str]


class IdempotencyStore:
    """The successful answers given to requests that carried an ``Idempotency-Key``."""

    def __init__(self) -> None:
        """An empty store."""
        self._answers: dict[str, _StoredAnswer] = {}

    @staticmethod
    def key_of(headers: HeaderDict) -> str | None:
        """The request's ``Idempotency-Key``, or ``None``; a malformed one is a 422."""
        key: str | None = headers.get("Idempotency-Key")
        if key is None:
            return None
        if not _KEY_RE.match(key):
            raise ApiError.invalid(
                problem(
                    "string_pattern_mismatch",
                    ("header", "Idempotency-Key"),
                    f"String should match pattern '{_KEY_PATTERN}'",
                    key,
                    ctx={"pattern": _KEY_PATTERN},
                )
            )
        return key

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> RequestFingerprint:
        """What identifies a request for replay: method, path and the body as canonical JSON."""
        parsed = json_or_none(body)
        if parsed is not None:
            canonical = json.dumps(parsed, sort_keys=True, separators=(",", ":"))
        else:
            canonical = body.decode("utf-8", "replace").strip()
        return method, path, canonical

    def replay(self, key: str, fingerprint: RequestFingerprint) -> Reply | None:
        """The stored answer for ``key`` (``None`` if none); a different request is a 422."""
        stored = self._answers.get(key)
        if stored is None:
            return None
        if stored.fingerprint != fingerprint:
            raise ApiError.invalid(
                problem(
                    "idempotency_key_reused",
                    ("header", "Idempotency-Key"),
                    "This Idempotency-Key was already used with a different request",
                    key,
                )
            )
        headers = dict(stored.headers)
        headers["Idempotent-Replayed"] = "true"
        return Reply(
            stored.status, raw=stored.body, content_type=stored.content_type, headers=headers
        )

    def keep(self, key: str, fingerprint: RequestFingerprint, reply: Reply) -> None:
        """Store ``reply`` for ``key`` if it is a success (failures may be retried afresh)."""
        if 200 <= reply.status < 300:
            self._answers[key] = _StoredAnswer(
                fingerprint=fingerprint,
                status=reply.status,
                body=reply.encode(),
                content_type=reply.content_type,
                headers=dict(reply.headers),
            )
