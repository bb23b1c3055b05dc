"""The models against recorded answers: one JSON body per API operation in this folder.

``scripts/record_golden.py`` recorded the files (FakeTelnyx's answers, with the
spec's examples wherever the spec has one). Each body must decode into its
model with nothing left over in ``extra`` — so a field the models do not know
fails here instead of passing silently — and encode back to the same JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from spec_support import load_spec, require_spec

import telnyx_async.models as models
from telnyx_async._converter import unstructure
from telnyx_async._structure import parse_datetime, structure
from telnyx_async.models import Model

GOLDEN = Path(__file__).resolve().parent
FILES = sorted(GOLDEN.glob("*.json"))

KNOWN_LEFTOVERS: dict[str, list[str]] = {
    # The live API pages the assistant list although the spec does not say so
    # (see AssistantsResource.list): its ``meta`` has no field in
    # AssistantsListData, and the pager reads it from the raw answer.
    "get_ai_assistants.json": ["/: ['meta']"],
}
"""Fields known to be missing from the models, by file; anything else left over fails."""


def load(name: str) -> dict[str, Any]:
    """One golden file's content."""
    content: dict[str, Any] = json.loads((GOLDEN / name).read_text(encoding="utf-8"))
    return content


def model_type(name: str) -> Any:
    """``"Assistant"`` -> ``models.Assistant``; ``"list[X]"`` -> ``list[models.X]``."""
    if name.startswith("list[") and name.endswith("]"):
        return list[model_type(name[5:-1])]
    return getattr(models, name)


def decode(name: str) -> Any:
    """The body of golden file ``name`` decoded into its model."""
    content = load(name)
    return structure(content["body"], model_type(content["model"]))


def leftovers(value: Any, where: str = "") -> Iterator[str]:
    """Where in a decoded value a model kept fields it does not know (``extra``)."""
    if isinstance(value, Model):
        if value.extra:
            yield f"{where or '/'}: {sorted(value.extra)}"
        for field in attrs.fields(type(value)):
            if field.name != "extra":
                yield from leftovers(getattr(value, field.name), f"{where}/{field.name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from leftovers(item, f"{where}/{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from leftovers(item, f"{where}/{key}")


def same_json(sent: Any, back: Any, where: str = "") -> Iterator[str]:
    """Where ``back`` differs from ``sent``, reading a null as an absent key and times as times."""
    if isinstance(sent, dict) and isinstance(back, dict):
        for key in sorted(set(sent) | set(back)):
            yield from same_json(sent.get(key), back.get(key), f"{where}/{key}")
    elif isinstance(sent, list) and isinstance(back, list) and len(sent) == len(back):
        for i, (a, b) in enumerate(zip(sent, back, strict=True)):
            yield from same_json(a, b, f"{where}/{i}")
    elif sent != back and not _same_time(sent, back):
        yield f"{where or '/'}: {sent!r} != {back!r}"


def _same_time(a: Any, b: Any) -> bool:
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    try:
        return parse_datetime(a) == parse_datetime(b)
    except ValueError:
        return False


def test_there_are_golden_files() -> None:
    assert len(FILES) >= 40


def test_every_operation_with_a_json_model_answer_has_a_golden_file() -> None:
    spec = require_spec()
    recorded = {load(p.name)["operation"] for p in FILES}
    expected = set()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for code, response in operation.get("responses", {}).items():
                schema = ((response.get("content") or {}).get("application/json") or {}).get(
                    "schema", {}
                )
                if code.startswith("2") and ("$ref" in schema or "$ref" in schema.get("items", {})):
                    expected.add(f"{method.upper()} {path}")
    assert recorded == expected


@pytest.mark.parametrize("name", [p.name for p in FILES])
def test_golden_body_decodes_with_nothing_left_over_and_encodes_back(name: str) -> None:
    content = load(name)
    decoded = decode(name)
    unknown = list(leftovers(decoded))
    assert unknown == KNOWN_LEFTOVERS.get(name, []), f"fields the models do not know: {unknown}"
    back = unstructure(decoded)
    assert not list(same_json(content["body"], back)), list(same_json(content["body"], back))
    assert structure(back, model_type(content["model"])) == decoded


@pytest.mark.parametrize("name", [p.name for p in FILES])
def test_golden_body_fits_the_spec(name: str) -> None:
    spec = load_spec()
    if spec is None:
        pytest.skip("../shared/spec not found beside the repo")
    from spec_support import validate_response

    content = load(name)
    method, path = content["operation"].split(" ", 1)
    validate_response(spec, method, path, content["status"], content["body"])


def test_a_new_api_field_fails_the_golden_check() -> None:
    content = load("get_ai_assistants_tests_test_id_runs_run_id.json")
    body = {**content["body"], "retried_from": "run-0"}
    decoded = structure(body, models.TestRunResponse)
    assert list(leftovers(decoded)) == ["/: ['retried_from']"]


# ------------------------------------------------------------------ a few field values


def test_run_fields() -> None:
    run = decode("get_ai_assistants_tests_test_id_runs_run_id.json")
    assert isinstance(run, models.TestRunResponse)
    assert run.status is models.TestStatus.FAILED
    assert run.triggered_by == "cron"  # the spec's example
    assert [(d.name, d.status) for d in run.detail_status or []] == [
        ("Correct", models.TestStatus.PASSED),
        ("Polite", models.TestStatus.FAILED),
    ]
    assert isinstance(run.completed_at, dt.datetime) and run.completed_at.tzinfo is not None
    assert run.completed_at - run.created_at == dt.timedelta(seconds=2)
    assert "finished with status failed" in (run.logs or "")


def test_assistant_fields() -> None:
    assistant = decode("get_ai_assistants_assistant_id.json")
    assert isinstance(assistant, models.Assistant)
    assert assistant.name == "Front desk"
    assert assistant.tags == ["restaurant"]
    assert assistant.tools is not None
    assert isinstance(assistant.tools[0], models.WebhookTool)
    flow = assistant.conversation_flow
    assert flow is not None and flow.nodes  # from the spec's example flow
    assert flow.edges is not None
    assert {type(e.condition) for e in flow.edges} <= {
        models.LLMCondition,
        models.ExpressionCondition,
        models.DefaultCondition,
    }


def test_list_and_page_fields() -> None:
    page = decode("get_ai_assistants_tests.json")
    assert isinstance(page, models.PaginatedAssistantTestList)
    assert page.meta.total_results == len(page.data) == 1
    assert page.data[0].rubric[0].name  # the spec's example rubric
    runs = decode("post_ai_assistants_tests_test_suites_suite_name_runs.json")
    assert isinstance(runs, list) and all(isinstance(r, models.TestRunResponse) for r in runs)
    assert {r.status for r in runs} == {models.TestStatus.RUNNING}  # started, 2 s to go


def test_scheduled_event_union_member() -> None:
    call = decode("get_ai_assistants_assistant_id_scheduled_events_event_id.json")
    assert isinstance(call, models.ScheduledPhoneCallEventResponse)
    assert call.scheduled_at_fixed_datetime == dt.datetime(2030, 1, 15, 10, 30, tzinfo=dt.timezone.utc)
    sms = decode("post_ai_assistants_assistant_id_scheduled_events.json")
    assert isinstance(sms, models.ScheduledSmsEventResponse)
    assert sms.text == "Your table is ready."


def test_other_resources() -> None:
    canary = decode("get_ai_assistants_assistant_id_canary_deploys.json")
    assert isinstance(canary, models.CanaryDeployResponse)
    assert len(canary.rules) == 1
    server = decode("put_ai_mcp_servers_mcp_server_id.json")
    assert isinstance(server, models.MCPServer)
    assert server.allowed_tools == ["search", "fetch"]
    tool = decode("patch_ai_tools_tool_id.json")
    assert isinstance(tool, models.SharedToolResponse)
    assert tool.display_name == "Order lookup v2" and tool.timeout_ms == 3000
    integration = decode("get_ai_integrations_integration_id.json")
    assert isinstance(integration, models.Integration)
    assert integration.name == "salesforce"
