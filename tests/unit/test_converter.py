"""The converter: datetimes, open enums, extras, unions, validation paths (M1-M5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from telnyx_async import APIResponseValidationError
from telnyx_async._converter import unstructure
from telnyx_async._structure import parse_datetime, structure
from telnyx_async.models.assistants import Assistant
from telnyx_async.models.tests import PaginatedTestRunList, TestRunResponse, TestStatus

UTC = dt.timezone.utc

RUN: dict[str, Any] = {
    "run_id": "0b7f2d7e-1a51-4c1e-9d59-3c0c1a6f1d11",
    "test_id": "7d0c2c3a-9c59-4d4b-8e0b-4c0f8a2a1b22",
    "status": "passed",
    "triggered_by": "api",
    "created_at": "2024-01-15T10:30:00Z",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-15T10:30:00Z", dt.datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00z", dt.datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00+02:00", dt.datetime(2024, 1, 15, 8, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00-0130", dt.datetime(2024, 1, 15, 12, 0, tzinfo=UTC)),
        ("2024-01-15T10:30:00+05", dt.datetime(2024, 1, 15, 5, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00.1Z", dt.datetime(2024, 1, 15, 10, 30, 0, 100000, tzinfo=UTC)),
        ("2024-01-15T10:30:00.123456789Z", dt.datetime(2024, 1, 15, 10, 30, 0, 123456, tzinfo=UTC)),
        ("2024-01-15T10:30:00", dt.datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15 10:30", dt.datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15", dt.datetime(2024, 1, 15, tzinfo=UTC)),
    ],
)
def test_datetimes_always_aware_utc(text: str, expected: dt.datetime) -> None:
    got = parse_datetime(text)
    assert got == expected
    assert got.tzinfo is UTC


@pytest.mark.parametrize("bad", ["", "yesterday", "2024-13-01T00:00:00Z", "2024-01-15T25:00:00Z", 5])
def test_bad_datetimes_raise_value_error(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_datetime(bad)


def test_datetime_round_trip_has_offset() -> None:
    run = structure(RUN, TestRunResponse)
    assert unstructure(run)["created_at"] == "2024-01-15T10:30:00+00:00"


def test_open_enum_keeps_unknown_status() -> None:
    run = structure({**RUN, "status": "timeout"}, TestRunResponse)
    assert run.status == "timeout"
    assert isinstance(run.status, TestStatus)
    assert run.status.is_known is False
    assert TestStatus.PASSED.is_known is True
    assert unstructure(run)["status"] == "timeout"


def test_unknown_fields_kept_in_extra_and_sent_back() -> None:
    run = structure({**RUN, "brand_new": {"x": 1}}, TestRunResponse)
    assert run.extra == {"brand_new": {"x": 1}}
    assert unstructure(run)["brand_new"] == {"x": 1}
    assert structure(RUN, TestRunResponse).extra == {}


def test_optional_fields_default_to_none_and_are_omitted() -> None:
    run = structure(RUN, TestRunResponse)
    assert run.completed_at is None and run.logs is None and run.detail_status is None
    assert set(unstructure(run)) == set(RUN)


def test_validation_error_names_the_path() -> None:
    page = {
        "data": [RUN, RUN, RUN, {**RUN, "status": 7}],
        "meta": {"page_number": 1, "page_size": 4, "total_pages": 1, "total_results": 4},
    }
    with pytest.raises(APIResponseValidationError) as info:
        structure(page, PaginatedTestRunList)
    assert info.value.path == "data[3].status"
    assert "data[3].status" in str(info.value)


@pytest.mark.parametrize(
    ("payload", "path"),
    [
        ({**RUN, "created_at": "not a date"}, "created_at"),
        ({k: v for k, v in RUN.items() if k != "run_id"}, "run_id"),
        ({**RUN, "run_id": 5}, "run_id"),
        ({**RUN, "detail_status": [{"name": "x"}]}, "detail_status[0].status"),
    ],
)
def test_validation_paths(payload: dict[str, Any], path: str) -> None:
    with pytest.raises(APIResponseValidationError) as info:
        structure(payload, TestRunResponse)
    assert info.value.path == path


def test_non_object_is_a_validation_error() -> None:
    with pytest.raises(APIResponseValidationError):
        structure([1, 2], TestRunResponse)


ASSISTANT: dict[str, Any] = {
    "id": "assistant-1",
    "name": "Support",
    "created_at": "2026-01-01T00:00:00Z",
    "model": "openai/gpt-4o",
    "instructions": "Be helpful.",
    "tools": [
        {"type": "webhook", "webhook": {"name": "lookup", "description": "d", "url": "https://x"}},
        {"type": "hangup", "hangup": {"description": "bye"}},
        {"type": "teleport", "teleport": {"where": "mars"}},
    ],
}


def test_tool_union_picks_by_type_with_fallback() -> None:
    assistant = structure(ASSISTANT, Assistant)
    assert assistant.tools is not None
    kinds = [type(t).__name__ for t in assistant.tools]
    assert kinds[0] == "WebhookTool"
    assert kinds[1] == "HangupTool"
    assert kinds[2] == "UnknownAssistantTool"
    unknown = assistant.tools[2]
    assert unknown.extra == {"teleport": {"where": "mars"}}
    assert unstructure(assistant)["tools"][2] == {"type": "teleport", "teleport": {"where": "mars"}}


def test_model_round_trip_through_helpers() -> None:
    assistant = Assistant.from_dict(ASSISTANT)
    again = Assistant.from_dict(assistant.to_dict())
    assert again == assistant


def test_parse_matches_fromisoformat_where_both_work() -> None:
    text = "2024-01-15T10:30:00.250000+00:00"
    assert parse_datetime(text) == dt.datetime.fromisoformat(text)


def test_unions_told_apart_by_json_kind() -> None:
    from telnyx_async.models.assistant_tools import InviteToolConfig

    as_text = structure({"from": "+1", "targets": "+15550001111"}, InviteToolConfig)
    assert as_text.targets == "+15550001111"
    as_list = structure({"from": "+1", "targets": [{"name": "a", "to": "+2"}]}, InviteToolConfig)
    assert isinstance(as_list.targets, list)
    assert type(as_list.targets[0]).__name__ == "InviteToolConfigTarget"
    assert structure({"from": "+1", "targets": None}, InviteToolConfig).targets is None
    assert unstructure(as_list)["targets"] == [{"name": "a", "to": "+2"}]
    with pytest.raises(APIResponseValidationError) as info:
        structure({"from": "+1", "targets": 5}, InviteToolConfig)
    assert info.value.path == "targets"


def test_assistant_with_transfer_and_invite_tools() -> None:
    payload = {
        **ASSISTANT,
        "tools": [
            {"type": "transfer", "transfer": {"from": "+1", "targets": [{"name": "desk", "to": "+2"}]}},
            {"type": "invite", "invite": {"from": "+1", "targets": "+3"}},
        ],
    }
    assistant = structure(payload, Assistant)
    assert [type(t).__name__ for t in assistant.tools or []] == ["TransferTool", "InviteTool"]


def test_extra_is_shared_and_read_only_when_empty() -> None:
    first = structure(RUN, TestRunResponse)
    second = structure(RUN, TestRunResponse)
    assert first.extra is second.extra
    with pytest.raises(TypeError):
        first.extra["x"] = 1  # type: ignore[index]


@pytest.mark.parametrize("bad", ["abc", {"k": 1}, 5])
def test_lists_accept_only_json_arrays(bad: object) -> None:
    from telnyx_async.models.tests import TestSuitesResponse

    with pytest.raises(APIResponseValidationError) as info:
        structure({"data": bad}, TestSuitesResponse)
    assert info.value.path == "data"


def test_tagged_union_round_trips_through_its_own_enum_tag() -> None:
    from telnyx_async.models.scheduled_events import (
        ScheduledEventResponse,
        ScheduledPhoneCallEventResponse,
    )

    payload = {
        "telnyx_conversation_channel": "phone_call", "telnyx_end_user_target": "",
        "telnyx_agent_target": "", "scheduled_at_fixed_datetime": "2000-01-01T00:00:00Z",
        "assistant_id": "",
    }
    event = structure(payload, ScheduledEventResponse)
    assert isinstance(event, ScheduledPhoneCallEventResponse)
    wire = event.to_dict()
    assert type(wire["telnyx_conversation_channel"]) is str  # plain JSON, not the enum member
    assert isinstance(structure(wire, ScheduledEventResponse), ScheduledPhoneCallEventResponse)
    # and a dict still holding the enum member (built by hand) is picked the same way
    held = {**wire, "telnyx_conversation_channel": event.telnyx_conversation_channel}
    assert isinstance(structure(held, ScheduledEventResponse), ScheduledPhoneCallEventResponse)


# ---------------------------------------------------------------- generated-code support


def test_model_repr_is_attrs_style_without_extra() -> None:
    run = structure({**RUN, "surprise": 1}, TestRunResponse)
    text = repr(run)
    assert text.startswith("TestRunResponse(")
    assert "run_id='0b7f2d7e-1a51-4c1e-9d59-3c0c1a6f1d11'" in text
    assert "completed_at=None" in text
    assert "surprise" not in text and "extra" not in text


def test_model_equality_covers_fields_extra_and_class() -> None:
    a = structure(RUN, TestRunResponse)
    assert a == structure(dict(RUN), TestRunResponse)
    assert a != structure({**RUN, "status": "failed"}, TestRunResponse)
    assert a != structure({**RUN, "surprise": 1}, TestRunResponse)
    assert a != "not a model"
    assert (a == object()) is False


def test_models_are_unhashable_because_extra_is_a_mapping() -> None:
    with pytest.raises(TypeError):
        hash(structure(RUN, TestRunResponse))


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        ("check_str", "x", 5),
        ("check_int", 5, True),
        ("check_float", 5, "5"),
        ("check_bool", False, 0),
    ],
)
def test_scalar_checks_accept_json_types_only(check: str, good: Any, bad: Any) -> None:
    from telnyx_async import _structure

    func = getattr(_structure, check)
    assert func(good) == good
    with pytest.raises(TypeError, match="expected"):
        func(bad)


def test_check_float_turns_integers_into_floats() -> None:
    from telnyx_async._structure import check_float

    assert type(check_float(5)) is float


def test_check_literal_wants_the_exact_value() -> None:
    from telnyx_async._structure import check_literal

    assert check_literal("webhook", "webhook") == "webhook"
    with pytest.raises(ValueError, match="expected 'webhook', got 'hangup'"):
        check_literal("hangup", "webhook")
    with pytest.raises(ValueError):
        check_literal(1, True)


def test_as_object_accepts_mappings_only() -> None:
    import types

    from telnyx_async._structure import as_object

    proxy = types.MappingProxyType({"a": 1})
    assert as_object(proxy) is proxy
    with pytest.raises(TypeError, match="expected an object, got list"):
        as_object([1])


def test_extra_of_and_set_extra_store_only_unknown_keys() -> None:
    from telnyx_async._structure import extra_of, set_extra

    run = structure(RUN, TestRunResponse)
    set_extra(run, extra_of({**RUN, "new": [1]}, frozenset(RUN)))
    assert run.extra == {"new": [1]}


def test_field_hook_rebinds_itself_to_the_converters_hook() -> None:
    from telnyx_async._structure import field_hook

    namespace: dict[str, Any] = {}
    namespace["slot"] = field_hook(namespace, "slot", lambda: list[TestStatus] | None)
    stub = namespace["slot"]
    assert stub(["passed"]) == [TestStatus.PASSED]
    assert namespace["slot"] is not stub  # the second call goes straight to the hook
    assert namespace["slot"](["failed"]) == [TestStatus.FAILED]
    with pytest.raises(TypeError, match="expected an array"):
        namespace["slot"]("passed")


def test_one_argument_hooks_follow_the_converter_rules() -> None:
    from telnyx_async._structure import one_argument_hook
    from telnyx_async.models._base import STRUCTURERS

    status = one_argument_hook(TestStatus)
    assert status("passed") is TestStatus.PASSED
    assert status("brand_new").is_known is False
    assert one_argument_hook(TestRunResponse) is STRUCTURERS[TestRunResponse]
    assert one_argument_hook(list[int])([1, 2]) == [1, 2]
    with pytest.raises(TypeError):
        one_argument_hook(list[int])([1, "2"])
    assert one_argument_hook(int | str)("x") == "x"


def test_locate_fault_names_the_first_bad_place() -> None:
    from telnyx_async._structure import locate_fault

    assert locate_fault(RUN, TestRunResponse) is None
    assert locate_fault([], TestRunResponse) == ("(root)", "expected an object, got list")
    path, message = locate_fault({**RUN, "status": 7}, TestRunResponse) or ("", "")
    assert path == "status" and "7" in message
    assert locate_fault({"a": 1, "b": "x"}, dict[str, int]) == ("['b']", "expected int, got str")
    assert locate_fault([RUN, {**RUN, "run_id": 1}], list[TestRunResponse]) == (
        "[1].run_id", "expected str, got int",
    )


def test_every_generated_model_has_a_registered_structure_function() -> None:
    import attrs

    import telnyx_async.models as models
    from telnyx_async.models._base import STRUCTURERS, Model

    classes = [getattr(models, name) for name in models.__all__]
    generated = [
        c for c in classes
        if isinstance(c, type) and issubclass(c, Model) and c is not Model and attrs.has(c)
    ]
    assert len(generated) > 150
    missing = [c.__name__ for c in generated if c not in STRUCTURERS]
    assert not missing


def test_a_guessed_union_tag_falls_back_to_a_variant_that_fits() -> None:
    import telnyx_async.models as models

    base = {
        "telnyx_end_user_target": "+15551230000",
        "telnyx_agent_target": "+15551239999",
        "scheduled_at_fixed_datetime": "2026-01-01T00:00:00Z",
        "assistant_id": "assistant-1",
    }
    sms = structure({**base, "telnyx_conversation_channel": "sms_chat", "text": "hi"},
                    models.ScheduledEventResponse)
    assert type(sms).__name__ == "ScheduledSmsEventResponse"
    # The spec also lets the phone-call variant say sms_chat; without `text` that is
    # the only variant it fits, so that is what it becomes instead of an error.
    odd = structure({**base, "telnyx_conversation_channel": "sms_chat"},
                    models.ScheduledEventResponse)
    assert type(odd).__name__ == "ScheduledPhoneCallEventResponse"
    with pytest.raises(APIResponseValidationError) as info:
        structure({**base, "telnyx_conversation_channel": "sms_chat", "assistant_id": 5},
                  models.ScheduledEventResponse)
    assert info.value.path == "assistant_id"


def test_a_declared_union_tag_is_not_second_guessed() -> None:
    with pytest.raises(APIResponseValidationError) as info:
        structure({**ASSISTANT, "tools": [{"type": "webhook", "hangup": {}}]}, Assistant)
    assert info.value.path == "tools[0].webhook"
