"""``client.ai.assistants.canary_deploys``: create, retrieve, update, delete, and ``versions=``."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest

from telnyx_async import AsyncTelnyx
from telnyx_async._types import UNSET
from telnyx_async.errors import NotFoundError
from telnyx_async.models.canary_deploys import (
    CanaryDeployResponse,
    Clause,
    Operator,
    RolloutSlot,
    RuleInput,
    Serve,
)
from telnyx_async.resources.canary_deploys import VersionConfig, canary_body
from telnyx_async.testing import FakeTelnyx

ROUTE = "/ai/assistants/{assistant_id}/canary-deploys"


async def test_create_with_versions_sends_one_catch_all_rollout(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    deploy = await client.ai.assistants.canary_deploys.create(
        a["id"],
        versions=[VersionConfig("v2", 10), {"version_id": "v3", "percentage": 5.5}],
    )
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.route) == (
        "POST", f"/ai/assistants/{a['id']}/canary-deploys", ROUTE,
    )
    assert rec.json == {
        "rules": [
            {"serve": {"rollout": [
                {"version_id": "v2", "weight": 10},
                {"version_id": "v3", "weight": 5.5},
            ]}}
        ]
    }
    assert isinstance(deploy, CanaryDeployResponse)
    assert deploy.assistant_id == a["id"]
    assert isinstance(deploy.created_at, datetime.datetime)
    assert deploy.rules[0].match is None
    assert deploy.rules[0].serve.rollout == [
        RolloutSlot(version_id="v2", weight=10.0), RolloutSlot(version_id="v3", weight=5.5),
    ]
    assert fake.canary_deploys[a["id"]]["rules"] == rec.json["rules"]


async def test_create_sends_a_fresh_idempotency_key_each_call(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    one, two = fake.add_assistant(), fake.add_assistant()
    await client.ai.assistants.canary_deploys.create(one["id"], versions=[VersionConfig("v", 1)])
    await client.ai.assistants.canary_deploys.create(two["id"], versions=[VersionConfig("v", 1)])
    keys = [r.headers["Idempotency-Key"] for r in fake.requests]
    assert len(keys) == 2
    assert all(keys) and keys[0] != keys[1]


async def test_create_uses_a_given_idempotency_key_and_replays(
    fake: FakeTelnyx, client: AsyncTelnyx
) -> None:
    a = fake.add_assistant()
    first = await client.ai.assistants.canary_deploys.create(
        a["id"], versions=[VersionConfig("v2", 20)], idempotency_key="canary-1"
    )
    again = await client.ai.assistants.canary_deploys.create(
        a["id"], versions=[VersionConfig("v2", 20)], idempotency_key="canary-1"
    )
    assert [r.headers["Idempotency-Key"] for r in fake.requests] == ["canary-1", "canary-1"]
    assert fake.requests.last.replayed
    assert again == first


async def test_create_with_rules_models_and_dicts(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    deploy = await client.ai.assistants.canary_deploys.create(
        a["id"],
        rules=[
            RuleInput(
                match=[Clause(attribute="to", operator=Operator.STARTS_WITH, values=["+44"])],
                serve=Serve(version_id="uk-version"),
            ),
            {"serve": {"rollout": [{"version_id": "v2", "weight": 50}]}},
        ],
    )
    assert fake.requests.last.json == {
        "rules": [
            {
                "match": [{"attribute": "to", "operator": "starts_with", "values": ["+44"]}],
                "serve": {"version_id": "uk-version"},
            },
            {"serve": {"rollout": [{"version_id": "v2", "weight": 50}]}},
        ]
    }
    assert deploy.rules[0].match == [
        Clause(attribute="to", operator=Operator.STARTS_WITH, values=["+44"])
    ]
    assert deploy.rules[0].serve.version_id == "uk-version"


async def test_retrieve_update_delete_round_trip(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    canary = client.ai.assistants.canary_deploys
    await canary.create(a["id"], versions=[VersionConfig("v2", 10)])

    got = await canary.retrieve(a["id"])
    assert isinstance(got, CanaryDeployResponse)
    assert got.rules[0].serve.rollout == [RolloutSlot(version_id="v2", weight=10.0)]
    rec = fake.requests.last
    assert (rec.method, rec.path, rec.body) == ("GET", f"/ai/assistants/{a['id']}/canary-deploys", b"")

    updated = await canary.update(a["id"], versions=[{"version_id": "v2", "percentage": 50}])
    rec = fake.requests.last
    assert rec.method == "PUT"
    assert rec.json == {"rules": [{"serve": {"rollout": [{"version_id": "v2", "weight": 50}]}}]}
    assert "Idempotency-Key" not in rec.headers
    assert updated.rules[0].serve.rollout == [RolloutSlot(version_id="v2", weight=50.0)]
    assert (await canary.retrieve(a["id"])).rules == updated.rules

    await canary.update(a["id"], rules=[{"serve": {"version_id": "v9"}}])
    assert fake.requests.last.json == {"rules": [{"serve": {"version_id": "v9"}}]}

    result = await canary.delete(a["id"])  # type: ignore[func-returns-value]
    assert result is None
    assert (fake.requests.last.method, fake.requests.last.status) == ("DELETE", 204)
    assert a["id"] not in fake.canary_deploys
    with pytest.raises(NotFoundError):
        await canary.retrieve(a["id"])


async def test_update_passes_a_given_idempotency_key(fake: FakeTelnyx, client: AsyncTelnyx) -> None:
    a = fake.add_assistant()
    await client.ai.assistants.canary_deploys.create(a["id"], versions=[VersionConfig("v", 1)])
    await client.ai.assistants.canary_deploys.update(
        a["id"], versions=[VersionConfig("v", 2)], idempotency_key="upd-1"
    )
    assert fake.requests.last.headers["Idempotency-Key"] == "upd-1"


@pytest.mark.parametrize("method", ["create", "update"])
async def test_rules_and_versions_both_is_a_type_error_and_neither_sends_an_empty_body(
    method: str, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    call = getattr(client.ai.assistants.canary_deploys, method)
    with pytest.raises(TypeError, match="not both"):
        await call("a", rules=[], versions=[VersionConfig("v", 1)])
    assert fake.requests == []
    # The API document makes `rules` optional (no rules: all traffic to main),
    # and so does the official SDK: neither argument sends `{}`.
    with pytest.raises(NotFoundError):  # there is no assistant "a"
        await call("a")
    assert fake.requests.last.json == {}


@pytest.mark.parametrize(
    "percentage", [-1, 100.5, 101, math.nan, math.inf, "10", None, True],
)
async def test_bad_percentages_are_value_errors(
    percentage: Any, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(ValueError, match=r"`versions\[0\]\.percentage` must be a number from 0 to 100"):
        await client.ai.assistants.canary_deploys.create(
            "a", versions=[{"version_id": "v", "percentage": percentage}]
        )
    with pytest.raises(ValueError, match=r"versions\[0\]\.percentage`"):
        await client.ai.assistants.canary_deploys.update(
            "a", versions=[VersionConfig("v", percentage)]
        )
    assert fake.requests == []


@pytest.mark.parametrize("percentage", [0, 0.0, 42, 99.9, 100])
def test_edge_percentages_are_accepted(percentage: float) -> None:
    body = canary_body(UNSET, [VersionConfig("v", percentage)])
    assert body == {"rules": [{"serve": {"rollout": [{"version_id": "v", "weight": percentage}]}}]}


def test_percentages_may_not_add_up_to_more_than_100() -> None:
    with pytest.raises(ValueError, match="more than 100"):
        canary_body(UNSET, [VersionConfig("a", 60), VersionConfig("b", 50)])
    assert canary_body(UNSET, [VersionConfig("a", 60), VersionConfig("b", 40)])["rules"]


@pytest.mark.parametrize(
    ("versions", "error", "match"),
    [
        ([], ValueError, "at least one version"),
        ({"version_id": "v", "percentage": 1}, TypeError, "must be a list"),
        ("v2", TypeError, "must be a list"),
        ([("v", 1)], TypeError, "VersionConfig or a mapping"),
        ([{"version_id": "v"}], TypeError, "missing"),
        ([{"version_id": "v", "percentage": 1, "weight": 2}], TypeError, "unexpected keys"),
        ([{"version_id": "", "percentage": 1}], ValueError, "non-empty"),
        ([{"version_id": 7, "percentage": 1}], TypeError, "must be a str"),
    ],
)
async def test_malformed_versions(
    versions: Any, error: type[Exception], match: str, client: AsyncTelnyx, fake: FakeTelnyx
) -> None:
    with pytest.raises(error, match=match):
        await client.ai.assistants.canary_deploys.create("a", versions=versions)
    assert fake.requests == []


async def test_rules_must_be_a_list(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    with pytest.raises(TypeError, match="`rules` must be a list"):
        await client.ai.assistants.canary_deploys.create("a", rules={"serve": {"version_id": "v"}})  # type: ignore[arg-type]
    assert fake.requests == []


@pytest.mark.parametrize("method", ["create", "update", "retrieve", "delete"])
async def test_empty_and_slashed_ids(method: str, client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    call = getattr(client.ai.assistants.canary_deploys, method)
    kwargs: dict[str, Any] = (
        {"versions": [VersionConfig("v", 1)]} if method in ("create", "update") else {}
    )
    with pytest.raises(ValueError, match="must be a non-empty string"):
        await call("", **kwargs)
    assert fake.requests == []
    with pytest.raises(NotFoundError):
        await call("a/b", **kwargs)
    assert fake.requests.last.raw_path == "/ai/assistants/a%2Fb/canary-deploys"


async def test_unknown_keywords_are_type_errors(client: AsyncTelnyx, fake: FakeTelnyx) -> None:
    canary = client.ai.assistants.canary_deploys
    with pytest.raises(TypeError):
        await canary.create("a", version=[VersionConfig("v", 1)])  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        await canary.retrieve("a", rules=[])  # type: ignore[call-arg]
    assert fake.requests == []

