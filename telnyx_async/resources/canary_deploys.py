"""``client.ai.assistants.canary_deploys``: split an assistant's traffic between versions.

The API stores a canary deploy as an ordered list of rules (``rules=``). For
the common case, one weighted split that applies to all traffic, pass
``versions=[VersionConfig("v2", 10), ...]`` (or dicts with ``version_id`` and
``percentage``) instead; it is sent as a single catch-all rule. Whatever share
the listed versions do not take goes to the main version.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from telnyx_async._config import Timeout
from telnyx_async._resource import NOTHING, Resource, options
from telnyx_async._response import ResponseView, to_raw, to_streamed
from telnyx_async._types import UNSET, Unset, UnsetType
from telnyx_async.models.canary_deploys import CanaryDeployRequest, CanaryDeployResponse

if TYPE_CHECKING:
    from telnyx_async.models.canary_deploys import RuleInput

__all__ = [
    "CanaryDeploysResource",
    "CanaryDeploysWithRawResponse",
    "CanaryDeploysWithStreamingResponse",
    "VersionConfig",
]

_Obj = Mapping[str, Any]
_VERSION_KEYS = frozenset({"version_id", "percentage"})


@attrs.frozen
class VersionConfig:
    """One version and the percentage (0-100) of traffic it should receive."""

    version_id: str
    percentage: float


def _slot(index: int, item: VersionConfig | _Obj) -> dict[str, Any]:
    where = f"versions[{index}]"
    if isinstance(item, VersionConfig):
        version_id: Any = item.version_id
        percentage: Any = item.percentage
    elif isinstance(item, Mapping):
        unknown = set(item) - _VERSION_KEYS
        if unknown:
            raise TypeError(f"`{where}` has unexpected keys {sorted(map(str, unknown))}")
        missing = _VERSION_KEYS - set(item)
        if missing:
            raise TypeError(f"`{where}` is missing {sorted(missing)}")
        version_id, percentage = item["version_id"], item["percentage"]
    else:
        raise TypeError(
            f"`{where}` must be a VersionConfig or a mapping with `version_id` and"
            f" `percentage`, got {type(item).__name__}"
        )
    if not isinstance(version_id, str):
        raise TypeError(f"`{where}.version_id` must be a str, got {type(version_id).__name__}")
    if not version_id:
        raise ValueError(f"`{where}.version_id` must be a non-empty string")
    if (
        isinstance(percentage, bool)
        or not isinstance(percentage, (int, float))
        or not math.isfinite(percentage)
        or not 0 <= percentage <= 100
    ):
        raise ValueError(f"`{where}.percentage` must be a number from 0 to 100, got {percentage!r}")
    return {"version_id": version_id, "weight": percentage}


def canary_body(
    rules: Unset[Sequence[RuleInput | _Obj]],
    versions: Unset[Sequence[VersionConfig | _Obj]],
) -> dict[str, Any]:
    """The request body for ``rules=``, for the ``versions=`` shorthand, or for neither.

    Neither gives an empty body, which the API document allows (no rules:
    all traffic to the main version). Raises ``TypeError`` when both are
    given or the shapes are wrong, ``ValueError`` for an empty ``versions``
    list or percentages outside 0-100 (or adding up to more than 100).
    """
    if isinstance(rules, UnsetType) and isinstance(versions, UnsetType):
        return {}
    if not isinstance(rules, UnsetType) and not isinstance(versions, UnsetType):
        raise TypeError("pass `rules=` or `versions=`, not both")
    if not isinstance(rules, UnsetType):
        if isinstance(rules, (str, bytes, Mapping)) or not isinstance(rules, Sequence):
            raise TypeError(f"`rules` must be a list of rules, got {type(rules).__name__}")
        return {"rules": list(rules)}
    assert not isinstance(versions, UnsetType)
    if isinstance(versions, (str, bytes, Mapping)) or not isinstance(versions, Sequence):
        raise TypeError(f"`versions` must be a list, got {type(versions).__name__}")
    if not versions:
        raise ValueError("`versions` must name at least one version")
    rollout = [_slot(i, item) for i, item in enumerate(versions)]
    total = sum(slot["weight"] for slot in rollout)
    if total > 100:
        raise ValueError(f"`versions` percentages add up to {total}, more than 100")
    return {"rules": [{"serve": {"rollout": rollout}}]}


_CANARY = "/ai/assistants/{assistant_id}/canary-deploys"


class CanaryDeploysResource(Resource):
    """The canary deploy of an assistant: which versions get which share of traffic."""

    @functools.cached_property
    def with_raw_response(self) -> CanaryDeploysWithRawResponse:
        """These calls answering with the raw HTTP response: ``await``, then ``parse()``."""
        return CanaryDeploysWithRawResponse(self)

    @functools.cached_property
    def with_streaming_response(self) -> CanaryDeploysWithStreamingResponse:
        """These calls with the body left unread until asked for: ``async with``."""
        return CanaryDeploysWithStreamingResponse(self)

    async def create(
        self,
        assistant_id: str,
        *,
        rules: Unset[Sequence[RuleInput | _Obj]] = UNSET,
        versions: Unset[Sequence[VersionConfig | _Obj]] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> CanaryDeployResponse:
        """Start a canary deploy for an assistant that has none yet.

        Give ``rules`` (the API's full form) or ``versions`` (one weighted
        split for all traffic), or neither. An ``Idempotency-Key`` is sent
        (fresh unless ``idempotency_key`` is given) and reused on retries.
        """
        return await self._call(
            "POST", _CANARY, CanaryDeployResponse, path={"assistant_id": assistant_id},
            body=canary_body(rules, versions), body_model=CanaryDeployRequest,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def retrieve(
        self,
        assistant_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> CanaryDeployResponse:
        """The assistant's current canary rules (404 when it has no canary deploy)."""
        return await self._call(
            "GET", _CANARY, CanaryDeployResponse, path={"assistant_id": assistant_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def update(
        self,
        assistant_id: str,
        *,
        rules: Unset[Sequence[RuleInput | _Obj]] = UNSET,
        versions: Unset[Sequence[VersionConfig | _Obj]] = UNSET,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> CanaryDeployResponse:
        """Replace the rules of an existing canary deploy.

        Give ``rules`` or ``versions`` (or neither), as for :meth:`create`.
        """
        return await self._call(
            "PUT", _CANARY, CanaryDeployResponse, path={"assistant_id": assistant_id},
            body=canary_body(rules, versions), body_model=CanaryDeployRequest,
            idempotency_key=idempotency_key,
            options=options(extra_headers, extra_query, extra_body, timeout),
        )

    async def delete(
        self,
        assistant_id: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        timeout: float | Timeout | UnsetType | None = UNSET,
    ) -> None:
        """Stop the canary: all traffic goes to the main version again. Returns ``None``."""
        await self._call(
            "DELETE", _CANARY, NOTHING, path={"assistant_id": assistant_id},
            options=options(extra_headers, extra_query, extra_body, timeout),
        )


class CanaryDeploysWithRawResponse(ResponseView[CanaryDeploysResource]):
    """``CanaryDeploys`` calls giving the raw response (``await``, then ``parse()``)."""

    create = to_raw(CanaryDeploysResource.create)
    retrieve = to_raw(CanaryDeploysResource.retrieve)
    update = to_raw(CanaryDeploysResource.update)
    delete = to_raw(CanaryDeploysResource.delete)


class CanaryDeploysWithStreamingResponse(ResponseView[CanaryDeploysResource]):
    """``CanaryDeploys`` calls with the body unread until asked for: ``async with``."""

    create = to_streamed(CanaryDeploysResource.create)
    retrieve = to_streamed(CanaryDeploysResource.retrieve)
    update = to_streamed(CanaryDeploysResource.update)
    delete = to_streamed(CanaryDeploysResource.delete)
