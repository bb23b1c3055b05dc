"""Stateful behaviour of FakeTelnyx across operations."""

from __future__ import annotations

import json
import uuid

from spec_support import assert_fake_responses_valid

from telnyx_async.testing import FakeTelnyx

from ._fake_http import Api

A = "/ai/assistants"


def _is_uuid4(value: str) -> bool:
    return uuid.UUID(value).version == 4


async def test_assistant_crud(api: Api, fake: FakeTelnyx) -> None:
    status, created, _ = await api.post(
        A, json={"name": "Bot", "instructions": "Help.", "tags": ["a"]}
    )
    assert status == 200
    aid = created["id"]
    assert _is_uuid4(aid) and created["created_at"].endswith("Z")
    assert created["model"] and created["tags"] == ["a"]
    assert (await api.get(f"{A}/{aid}"))[1] == created
    assert fake.assistants[aid] == created
    status, updated, _ = await api.post(f"{A}/{aid}", json={"name": "Bot 2"})
    assert status == 200 and updated["name"] == "Bot 2" and updated["instructions"] == "Help."
    assert (await api.get(f"{A}/{aid}"))[1]["name"] == "Bot 2"
    status, body, _ = await api.delete(f"{A}/{aid}")
    assert (status, body) == (200, {"id": aid, "object": "assistant", "deleted": True})
    assert (await api.get(f"{A}/{aid}"))[0] == 404
    assert_fake_responses_valid(fake)


async def test_update_without_promotion_leaves_main_alone(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant(name="Main", instructions="v1")["id"]
    status, draft, _ = await api.post(
        f"{A}/{aid}", json={"instructions": "v2", "promote_to_main": False, "version_name": "draft"}
    )
    assert status == 200 and draft["instructions"] == "v2" and draft["version_name"] == "draft"
    main = (await api.get(f"{A}/{aid}"))[1]
    assert main["instructions"] == "v1" and main["version_id"] != draft["version_id"]
    _, versions, _ = await api.get(f"{A}/{aid}/versions")
    assert [v["version_id"] for v in versions["data"]] == [main["version_id"], draft["version_id"]]
    assert {v["id"] for v in versions["data"]} == {aid}
    # promote makes the draft what retrieve answers
    status, promoted, _ = await api.post(f"{A}/{aid}/versions/{draft['version_id']}/promote")
    assert status == 200 and promoted["version_id"] == draft["version_id"]
    assert (await api.get(f"{A}/{aid}"))[1]["instructions"] == "v2"
    # the old main can now be deleted; the current main cannot
    status, body, _ = await api.delete(f"{A}/{aid}/versions/{main['version_id']}")
    assert (status, body) == (204, None)
    status, body, _ = await api.delete(f"{A}/{aid}/versions/{draft['version_id']}")
    assert status == 422 and body["detail"][0]["loc"] == ["path", "version_id"]
    assert (await api.get(f"{A}/{aid}/versions/{main['version_id']}"))[0] == 404
    assert (await api.get(f"{A}/{aid}/versions/main"))[1]["version_id"] == draft["version_id"]
    assert_fake_responses_valid(fake)


async def test_version_update_edits_or_creates(api: Api, fake: FakeTelnyx) -> None:
    created = fake.add_assistant(instructions="v1")
    aid, vid = created["id"], created["version_id"]
    status, edited, _ = await api.post(f"{A}/{aid}/versions/{vid}", json={"greeting": "Hi"})
    assert status == 200 and edited["version_id"] == vid and edited["greeting"] == "Hi"
    assert (await api.get(f"{A}/{aid}"))[1]["greeting"] == "Hi"
    status, new, _ = await api.post(f"{A}/{aid}/versions/v-next", json={"instructions": "v3"})
    assert status == 200 and new["version_id"] == "v-next"
    assert (await api.get(f"{A}/{aid}"))[1]["instructions"] == "v1"
    assert len((await api.get(f"{A}/{aid}/versions"))[1]["data"]) == 2


async def test_tags(api: Api, fake: FakeTelnyx) -> None:
    one = fake.add_assistant(tags=["sales"])["id"]
    two = fake.add_assistant(tags=["support", "sales"])["id"]
    assert (await api.get(f"{A}/tags"))[1] == {"tags": ["sales", "support"]}
    assert (await api.post(f"{A}/{one}/tags", json={"tag": "vip"}))[1] == {"tags": ["sales", "vip"]}
    assert (await api.post(f"{A}/{one}/tags", json={"tag": "vip"}))[1] == {"tags": ["sales", "vip"]}
    assert fake.assistants[one]["tags"] == ["sales", "vip"]
    assert (await api.delete(f"{A}/{two}/tags/sales"))[1] == {"tags": ["support"]}
    assert (await api.delete(f"{A}/{two}/tags/sales"))[0] == 404
    assert (await api.get(f"{A}/tags"))[1] == {"tags": ["sales", "support", "vip"]}


async def test_assistant_tools_reflect_shared_tools(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    status, tool, _ = await api.post(
        "/ai/tools",
        json={
            "type": "webhook",
            "display_name": "Order status",
            "timeout_ms": 4000,
            "webhook": {
                "name": "order_status",
                "description": "Status of an order",
                "url": "https://shop.example.com/status",
                "method": "GET",
            },
        },
    )
    assert status == 200 and tool["tool_definition"]["url"] == "https://shop.example.com/status"
    assert (await api.put(f"{A}/{aid}/tools/{tool['id']}"))[:2] == (200, {})
    tools = fake.assistants[aid]["tools"]
    assert tools == [{"type": "webhook", "webhook": tool["tool_definition"]}]
    status, result, _ = await api.post(
        f"{A}/{aid}/tools/{tool['id']}/test", json={"arguments": {"id": 7}}
    )
    assert status == 200 and result["data"]["success"] is True
    assert json.loads(result["data"]["response"])["arguments"] == {"id": 7}
    assert result["data"]["request"]["url"] == "https://shop.example.com/status"
    assert (await api.delete(f"{A}/{aid}/tools/{tool['id']}"))[:2] == (200, {})
    assert fake.assistants[aid]["tools"] == []
    assert (await api.put(f"{A}/{aid}/tools/unknown"))[0] == 404
    # tool_ids on create attach tools too; unknown ids are rejected
    status, created, _ = await api.post(
        A, json={"name": "n", "instructions": "i", "tool_ids": [tool["id"]]}
    )
    assert status == 200 and created["tools"][0]["webhook"]["name"] == "order_status"
    status, body, _ = await api.post(
        A, json={"name": "n", "instructions": "i", "tool_ids": ["nope"]}
    )
    assert status == 422 and body["detail"][0]["loc"] == ["body", "tool_ids", 0]
    assert_fake_responses_valid(fake)


async def test_shared_tool_crud(api: Api, fake: FakeTelnyx) -> None:
    status, tool, _ = await api.post("/ai/tools", json={"type": "webhook", "display_name": "W"})
    assert status == 200 and tool["timeout_ms"] == 5000
    status, patched, _ = await api.patch(
        f"/ai/tools/{tool['id']}",
        json={"display_name": "W2", "webhook": {"url": "https://x.example"}},
    )
    assert patched["display_name"] == "W2" and patched["tool_definition"] == {
        "url": "https://x.example"
    }
    assert (await api.get(f"/ai/tools/{tool['id']}"))[1] == patched
    assert (await api.delete(f"/ai/tools/{tool['id']}"))[:2] == (200, {})
    assert (await api.get(f"/ai/tools/{tool['id']}"))[0] == 404


async def test_clone_drops_channel_settings(api: Api, fake: FakeTelnyx) -> None:
    source = fake.add_assistant(
        name="Agent",
        telephony_settings={"time_limit_secs": 600},
        messaging_settings={"conversation_inactivity_minutes": 5},
        tags=["t"],
    )
    status, clone, _ = await api.post(f"{A}/{source['id']}/clone")
    assert status == 200
    assert (
        clone["id"] != source["id"]
        and clone["name"].startswith("Agent")
        and clone["name"] != "Agent"
    )
    assert "telephony_settings" not in clone and "messaging_settings" not in clone
    assert clone["tags"] == ["t"] and clone["instructions"] == source["instructions"]
    assert len(fake.assistants) == 2


async def test_import_creates_assistants_with_metadata(api: Api, fake: FakeTelnyx) -> None:
    body = {"provider": "elevenlabs", "api_key_ref": "el_key", "import_ids": ["agent_1", "agent_2"]}
    status, result, _ = await api.post(f"{A}/import", json=body)
    assert status == 200 and len(result["data"]) == 2
    assert [a["import_metadata"] for a in result["data"]] == [
        {"import_id": "agent_1", "import_provider": "elevenlabs"},
        {"import_id": "agent_2", "import_provider": "elevenlabs"},
    ]
    again = (await api.post(f"{A}/import", json=body))[1]
    assert [a["id"] for a in again["data"]] == [a["id"] for a in result["data"]]
    status, err, _ = await api.post(f"{A}/import", json={**body, "provider": "acme"})
    assert status == 422 and err["detail"][0]["type"] == "enum"


async def test_chat_sms_texml_and_enhance(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant(name="Helper", instructions="Be useful.")["id"]
    status, chat, _ = await api.post(
        f"{A}/{aid}/chat", json={"content": "Where is order 42?", "conversation_id": "c1"}
    )
    assert status == 200 and "Where is order 42?" in chat["content"]
    again = (
        await api.post(
            f"{A}/{aid}/chat", json={"content": "Where is order 42?", "conversation_id": "c1"}
        )
    )[1]
    assert again == chat
    status, sms, _ = await api.post(f"{A}/{aid}/chat/sms", json={"from": "+1", "to": "+2"})
    assert status == 200 and _is_uuid4(sms["conversation_id"])
    async with api.session.get(f"{fake.url}{A}/{aid}/texml", headers=api.auth) as resp:
        assert resp.status == 200 and resp.content_type == "application/json"
        xml = json.loads(await resp.read())
    assert isinstance(xml, str) and xml.startswith("<?xml") and aid in xml
    async with api.session.post(
        f"{fake.url}{A}/{aid}/instructions/enhance",
        headers=api.auth,
        json={"enhancement_prompt": "Be brief"},
    ) as resp:
        assert resp.status == 200 and resp.content_type == "text/plain"
        text = await resp.text()
    assert text.startswith("Be useful.") and "Be brief" in text
    status, text, _ = await api.post(f"{A}/{aid}/instructions/enhance")
    assert status == 200 and text.startswith("Be useful.")
    assert_fake_responses_valid(fake)


async def test_canary_deploy_lifecycle(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    path = f"{A}/{aid}/canary-deploys"
    assert (await api.get(path))[0] == 404
    assert (await api.put(path, json={"rules": []}))[0] == 404
    rules = [
        {
            "match": [{"attribute": "country", "operator": "in", "values": ["US"]}],
            "serve": {
                "rollout": [{"version_id": "a", "weight": 80}, {"version_id": "b", "weight": 20}]
            },
        }
    ]
    status, created, _ = await api.post(path, json={"rules": rules})
    assert status == 200 and created["assistant_id"] == aid and created["rules"] == rules
    status, updated, _ = await api.put(
        path, json={"versions": [{"version_id": "b", "percentage": 100}]}
    )
    assert updated["rules"] == [{"serve": {"rollout": [{"version_id": "b", "weight": 100}]}}]
    assert updated["created_at"] == created["created_at"]
    assert (await api.get(path))[1] == updated
    status, _, _ = await api.post(path, json={"rules": [{"match": []}]})
    assert status == 422
    assert (await api.delete(path))[:2] == (204, None)
    assert (await api.delete(path))[0] == 404
    assert_fake_responses_valid(fake)


async def test_scheduled_event_shapes_by_channel(api: Api, fake: FakeTelnyx) -> None:
    aid = fake.add_assistant()["id"]
    base = {
        "telnyx_end_user_target": "+15550100001",
        "telnyx_agent_target": "+15550100002",
        "scheduled_at_fixed_datetime": "2030-05-01T12:00:00Z",
    }
    status, call, _ = await api.post(
        f"{A}/{aid}/scheduled_events",
        json={**base, "telnyx_conversation_channel": "phone_call", "retry_interval_secs": 120},
    )
    assert status == 201 and call["call_attempts"] == [] and call["retry_interval_secs"] == 120
    assert call["status"] == "pending" and call["assistant_id"] == aid
    status, sms, _ = await api.post(
        f"{A}/{aid}/scheduled_events",
        json={**base, "telnyx_conversation_channel": "sms_chat", "text": "Reminder"},
    )
    assert status == 201 and sms["text"] == "Reminder" and "call_attempts" not in sms
    path = f"{A}/{aid}/scheduled_events/{sms['scheduled_event_id']}"
    assert (await api.get(path))[1] == sms
    assert (await api.delete(path))[:2] == (200, None)
    assert (await api.get(path))[0] == 404
    other = fake.add_assistant()["id"]
    assert (await api.get(f"{A}/{other}/scheduled_events/{call['scheduled_event_id']}"))[0] == 404
    assert_fake_responses_valid(fake)


async def test_integrations_and_connections(api: Api, fake: FakeTelnyx) -> None:
    _, integrations, _ = await api.get("/ai/integrations")
    assert len(integrations["data"]) >= 3
    _, connections, _ = await api.get("/ai/integrations/connections")
    assert len(connections["data"]) >= 2
    conn = connections["data"][0]
    _, one, _ = await api.get(f"/ai/integrations/connections/{conn['id']}")
    assert one == {"data": conn}
    _, integ = (await api.get(f"/ai/integrations/{conn['integration_id']}"))[:2]
    assert integ["status"] == "connected"
    assert (await api.delete(f"/ai/integrations/connections/{conn['id']}"))[:2] == (204, None)
    assert (await api.get(f"/ai/integrations/connections/{conn['id']}"))[0] == 404
    assert (await api.get(f"/ai/integrations/{conn['integration_id']}"))[1][
        "status"
    ] == "disconnected"
    added = fake.add_integration("calendly", available_tools=["book"])
    fake.add_connection(added["id"], allowed_tools=["book"])
    assert fake.integrations[added["id"]]["status"] == "connected"
    assert_fake_responses_valid(fake)


async def test_mcp_server_crud(api: Api, fake: FakeTelnyx) -> None:
    status, server, _ = await api.post(
        "/ai/mcp_servers", json={"name": "docs", "type": "sse", "url": "https://mcp.example.com"}
    )
    assert status == 200 and server["allowed_tools"] is None
    status, updated, _ = await api.put(
        f"/ai/mcp_servers/{server['id']}", json={"allowed_tools": ["search"], "api_key_ref": "k"}
    )
    assert updated["allowed_tools"] == ["search"] and updated["name"] == "docs"
    assert (await api.get(f"/ai/mcp_servers/{server['id']}"))[1] == updated
    assert (await api.delete(f"/ai/mcp_servers/{server['id']}"))[:2] == (200, None)
    assert (await api.get(f"/ai/mcp_servers/{server['id']}"))[0] == 404
    assert_fake_responses_valid(fake)


async def test_test_crud(api: Api, fake: FakeTelnyx) -> None:
    body = {
        "name": "T",
        "destination": "+1",
        "instructions": "Ask.",
        "rubric": [{"name": "R", "criteria": "C"}],
        "test_suite": "s",
    }
    status, test, _ = await api.post(f"{A}/tests", json=body)
    assert status == 201 and _is_uuid4(test["test_id"])
    assert test["telnyx_conversation_channel"] == "web_chat"
    status, updated, _ = await api.put(
        f"{A}/tests/{test['test_id']}", json={"telnyx_conversation_channel": "sms_chat"}
    )
    assert status == 200 and updated["telnyx_conversation_channel"] == "sms_chat"
    assert updated["name"] == "T"
    assert (await api.get(f"{A}/tests/{test['test_id']}"))[1] == updated
    assert_fake_responses_valid(fake)
