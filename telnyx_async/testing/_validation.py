"""Error documents and the light request checks the fake performs.

The rules below are facts taken from the request schemas of the OpenAPI
document (required keys, top-level JSON types, enums and simple bounds). Only
top-level fields are checked; the fake is not a JSON Schema validator.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, cast

__all__ = [
    "BODY_RULES",
    "ApiError",
    "BodyRule",
    "F",
    "Problem",
    "check_body",
    "fastapi_error",
    "parse_datetime",
    "parse_json_body",
    "telnyx_error",
]

Problem = dict[str, Any]
"""One FastAPI-style validation entry: ``{"type", "loc", "msg", "input"?}``."""


# --------------------------------------------------------------------------- error documents

_TELNYX_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("10015", "Bad Request", "The request could not be understood."),
    401: ("10009", "Authentication failed", "The API key is missing, malformed or not valid."),
    403: ("10010", "Authorization failed", "This API key may not perform the operation."),
    404: ("10005", "Resource not found", "The requested resource or URL could not be found."),
    405: ("10405", "Method not allowed", "The HTTP method is not supported on this path."),
    408: ("10408", "Request timeout", "The request took too long to arrive."),
    409: ("10409", "Conflict", "The request conflicts with the current state."),
    429: ("10011", "Too many requests", "Rate limit exceeded; slow down and retry later."),
    500: ("10007", "Unexpected error", "An unexpected error occurred."),
    502: ("10502", "Bad gateway", "An upstream service answered badly."),
    503: ("10503", "Service unavailable", "The service is temporarily unavailable."),
    504: ("10504", "Gateway timeout", "An upstream service did not answer in time."),
}


def telnyx_error(status: int, detail: str | None = None, *, pointer: str | None = None) -> Any:
    """The Telnyx v2 error document for ``status``."""
    code, title, default_detail = _TELNYX_ERRORS.get(
        status,
        (str(10000 + status), "Request failed", f"The request failed with status {status}."),
    )
    err: dict[str, Any] = {"code": code, "title": title, "detail": detail or default_detail}
    if pointer is not None:
        err["source"] = {"pointer": pointer}
    return {"errors": [err]}


def fastapi_error(problems: Sequence[Problem]) -> Any:
    """The FastAPI ``HTTPValidationError`` document for ``problems``."""
    return {"detail": list(problems)}


def problem(
    kind: str, loc: Sequence[str | int], msg: str, value: Any = None, **extra: Any
) -> Problem:
    """Build one validation entry."""
    entry: Problem = {"type": kind, "loc": list(loc), "msg": msg, "input": value}
    entry.update(extra)
    return entry


class ApiError(Exception):
    """Raised by handlers to answer with an error document."""

    def __init__(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    @classmethod
    def not_found(cls, detail: str) -> ApiError:
        """A 404 in the Telnyx format."""
        return cls(404, telnyx_error(404, detail))

    @classmethod
    def invalid(cls, *problems: Problem) -> ApiError:
        """A 422 in the FastAPI format."""
        return cls(422, fastapi_error(problems))


# --------------------------------------------------------------------------- body rules


@dataclass(frozen=True)
class F:
    """The rule for one top-level body field."""

    types: tuple[str, ...]
    enum: tuple[str, ...] | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    fmt: str | None = None


@dataclass(frozen=True)
class BodyRule:
    """Required keys and field rules of one request body schema."""

    required: tuple[str, ...]
    fields: Mapping[str, F] = field(default_factory=dict[str, F])


_S = F(("string",))
_O = F(("object",))
_A = F(("array",))
_CHANNELS = ("phone_call", "web_call", "sms_chat", "web_chat")

_ASSISTANT_FIELDS: dict[str, F] = {
    "conversation_flow": _O,
    "description": _S,
    "dynamic_variables": _O,
    "dynamic_variables_webhook_timeout_ms": F(("integer",), minimum=1, maximum=10000),
    "dynamic_variables_webhook_url": _S,
    "enabled_features": _A,
    "external_llm": _O,
    "fallback_config": _O,
    "greeting": _S,
    "insight_settings": _O,
    "instructions": _S,
    "integrations": _A,
    "interruption_settings": _O,
    "llm_api_key_ref": _S,
    "mcp_servers": _A,
    "messaging_settings": _O,
    "model": _S,
    "name": _S,
    "observability_settings": _O,
    "post_conversation_settings": _O,
    "privacy_settings": _O,
    "tags": _A,
    "telephony_settings": _O,
    "tool_ids": _A,
    "tools": _A,
    "transcription": _O,
    "voice_settings": _O,
    "widget_settings": _O,
}
_UPDATE_ASSISTANT_FIELDS = {**_ASSISTANT_FIELDS, "version_name": F(("string",), max_length=50)}
_TEST_FIELDS: dict[str, F] = {
    "description": F(("string",), max_length=1000),
    "destination": F(("string",), min_length=1),
    "instructions": F(("string",), min_length=1, max_length=5000),
    "max_duration_seconds": F(("integer",), minimum=1, maximum=3600),
    "name": F(("string",), min_length=1, max_length=255),
    "rubric": F(("array",), min_items=1),
    "telnyx_conversation_channel": F(("string",), enum=_CHANNELS),
    "test_suite": F(("string",), max_length=100),
}
_SHARED_TOOL_FIELDS: dict[str, F] = {
    "client_side_tool": _O,
    "display_name": _S,
    "function": _O,
    "handoff": _O,
    "invite": _O,
    "pay": _O,
    "retrieval": _O,
    "timeout_ms": F(("integer",)),
    "type": _S,
    "webhook": _O,
}
_MCP_FIELDS: dict[str, F] = {
    "allowed_tools": F(("array", "null")),
    "api_key_ref": F(("string", "null")),
    "name": _S,
    "type": _S,
    "url": _S,
}

BODY_RULES: dict[str, BodyRule] = {
    "AddTagRequest": BodyRule(("tag",), {"tag": _S}),
    "AssistantChatReq": BodyRule(
        ("content", "conversation_id"), {"content": _S, "conversation_id": _S, "name": _S}
    ),
    "AssistantSmsChatReq": BodyRule(
        ("from", "to"),
        {
            "conversation_metadata": _O,
            "from": _S,
            "should_create_conversation": F(("boolean",)),
            "text": _S,
            "to": _S,
        },
    ),
    "CanaryDeployRequest": BodyRule((), {"rules": _A}),
    "CreateAssistantRequest": BodyRule(("name", "instructions"), _ASSISTANT_FIELDS),
    "CreateAssistantTestRequest": BodyRule(
        ("name", "destination", "instructions", "rubric"), _TEST_FIELDS
    ),
    "CreateMCPServerRequest": BodyRule(("name", "type", "url"), _MCP_FIELDS),
    "CreateScheduledEventRequest": BodyRule(
        (
            "telnyx_conversation_channel",
            "telnyx_end_user_target",
            "telnyx_agent_target",
            "scheduled_at_fixed_datetime",
        ),
        {
            "call_settings": _O,
            "conversation_metadata": _O,
            "dynamic_variables": _O,
            "max_retries_client_errors": F(("integer",), minimum=0, maximum=10),
            "retry_interval_secs": F(("integer",), minimum=60, maximum=86400),
            "scheduled_at_fixed_datetime": F(("string",), fmt="date-time"),
            "telnyx_agent_target": _S,
            "telnyx_conversation_channel": F(("string",), enum=("phone_call", "sms_chat")),
            "telnyx_end_user_target": _S,
            "text": _S,
        },
    ),
    "CreateSharedToolRequest": BodyRule(("type", "display_name"), _SHARED_TOOL_FIELDS),
    "EnhanceInstructionsRequest": BodyRule(
        (), {"enhancement_prompt": F(("string", "null")), "instructions": F(("string", "null"))}
    ),
    "ImportAssistantsRequest": BodyRule(
        ("provider", "api_key_ref"),
        {
            "api_key_ref": _S,
            "import_ids": _A,
            "provider": F(("string",), enum=("elevenlabs", "vapi", "retell")),
        },
    ),
    "TestWebhookToolRequest": BodyRule((), {"arguments": _O, "dynamic_variables": _O}),
    "TriggerTestRunRequest": BodyRule((), {"destination_version_id": _S}),
    "TriggerTestSuiteRunsRequest": BodyRule((), {"destination_version_id": _S}),
    "UpdateAssistantRequest": BodyRule((), _UPDATE_ASSISTANT_FIELDS),
    "UpdateAssistantRequestWithPromotion": BodyRule(
        (), {**_UPDATE_ASSISTANT_FIELDS, "promote_to_main": F(("boolean",))}
    ),
    "UpdateAssistantTestRequest": BodyRule((), _TEST_FIELDS),
    "UpdateMCPServerRequest": BodyRule(
        (), {**_MCP_FIELDS, "created_at": F(("string",), fmt="date-time"), "id": _S}
    ),
    "UpdateSharedToolRequest": BodyRule((), _SHARED_TOOL_FIELDS),
}

_TYPE_ERRORS: dict[str, tuple[str, str]] = {
    "string": ("string_type", "Input should be a valid string"),
    "integer": ("int_type", "Input should be a valid integer"),
    "number": ("float_type", "Input should be a valid number"),
    "boolean": ("bool_type", "Input should be a valid boolean"),
    "array": ("list_type", "Input should be a valid list"),
    "object": ("dict_type", "Input should be a valid dictionary"),
}


def _has_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


def _plural(n: float, word: str) -> str:
    count = int(n)
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _check_field(name: str, rule: F, value: Any) -> Problem | None:
    loc = ("body", name)
    if not any(_has_type(value, t) for t in rule.types):
        first = next(t for t in rule.types if t != "null")
        kind, msg = _TYPE_ERRORS[first]
        return problem(kind, loc, msg, value)
    if value is None:
        return None
    if rule.enum is not None and value not in rule.enum:
        options = [f"'{e}'" for e in rule.enum]
        listed = ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else options[0]
        return problem("enum", loc, f"Input should be {listed}", value, ctx={"expected": listed})
    if isinstance(value, str):
        if rule.min_length is not None and len(value) < rule.min_length:
            return problem(
                "string_too_short",
                loc,
                f"String should have at least {_plural(rule.min_length, 'character')}",
                value,
                ctx={"min_length": rule.min_length},
            )
        if rule.max_length is not None and len(value) > rule.max_length:
            return problem(
                "string_too_long",
                loc,
                f"String should have at most {_plural(rule.max_length, 'character')}",
                value,
                ctx={"max_length": rule.max_length},
            )
        if rule.fmt == "date-time" and parse_datetime(value) is None:
            return problem(
                "datetime_from_date_parsing", loc, "Input should be a valid datetime", value
            )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if rule.minimum is not None and value < rule.minimum:
            return problem(
                "greater_than_equal",
                loc,
                f"Input should be greater than or equal to {_num(rule.minimum)}",
                value,
                ctx={"ge": rule.minimum},
            )
        if rule.maximum is not None and value > rule.maximum:
            return problem(
                "less_than_equal",
                loc,
                f"Input should be less than or equal to {_num(rule.maximum)}",
                value,
                ctx={"le": rule.maximum},
            )
    if isinstance(value, list) and rule.min_items is not None:
        items = cast("list[object]", value)  # a JSON array
        if len(items) < rule.min_items:
            return problem(
                "too_short",
                loc,
                f"List should have at least {_plural(rule.min_items, 'item')} after validation, "
                f"not {len(items)}",
                items,
                ctx={
                    "field_type": "List",
                    "min_length": rule.min_items,
                    "actual_length": len(items),
                },
            )
    return None


def check_body(rule: BodyRule, body: Mapping[str, Any]) -> list[Problem]:
    """Every problem with ``body`` under ``rule`` (missing keys first)."""
    problems: list[Problem] = [
        problem("missing", ("body", key), "Field required", dict(body))
        for key in rule.required
        if key not in body
    ]
    for name, value in body.items():
        field_rule = rule.fields.get(name)
        if field_rule is not None:
            found = _check_field(name, field_rule, value)
            if found is not None:
                problems.append(found)
    return problems


def parse_json_body(raw: bytes, *, required: bool) -> dict[str, Any] | None:
    """Parse a JSON request body the way FastAPI does, or raise a 422 :class:`ApiError`.

    Returns ``None`` for an empty optional body.
    """
    if not raw.strip():
        if required:
            raise ApiError.invalid(problem("missing", ("body",), "Field required", None))
        return None
    try:
        text = raw.decode("utf-8")
        value = json.loads(text)
    except UnicodeDecodeError:
        raise ApiError.invalid(
            problem(
                "json_invalid", ("body", 0), "JSON decode error", {}, ctx={"error": "bad UTF-8"}
            )
        ) from None
    except json.JSONDecodeError as exc:
        raise ApiError.invalid(
            problem(
                "json_invalid", ("body", exc.pos), "JSON decode error", {}, ctx={"error": exc.msg}
            )
        ) from None
    if not isinstance(value, dict):
        raise ApiError.invalid(
            problem(
                "model_attributes_type",
                ("body",),
                "Input should be a valid dictionary or object to extract fields from",
                value,
            )
        )
    return cast("dict[str, Any]", value)  # a JSON object: its keys are strings


_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$"
)


def parse_datetime(value: str) -> datetime | None:
    """Parse an ISO-8601 date or datetime (``Z`` allowed); naive values are taken as UTC."""
    if not isinstance(value, str):
        return None
    m = _DATETIME_RE.match(value.strip())
    if m is None:
        return None
    year, month, day, hh, mm, ss, frac, _zulu, sign, oh, om = m.groups()
    tz = timezone.utc
    if sign is not None:
        offset = timedelta(hours=int(oh), minutes=int(om))
        tz = timezone(offset if sign == "+" else -offset)
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hh or 0),
            int(mm or 0),
            int(ss or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return None
