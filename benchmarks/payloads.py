"""Spec-shaped JSON bodies the benchmark server answers with.

Everything here is built by hand from the schemas of the AI Assistants OpenAPI
document (``inference-embedding_Assistant``, ``AssistantTestResponse``,
``PaginatedAssistantTestList``, ``AssistantChatResponse``,
``TestRunResponse``); the text is our own. Only the standard library is used,
so the server and the tests can import this module without the SDKs.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = [
    "ASSISTANT_ID",
    "BIG_ASSISTANT_ID",
    "TERMINAL_STATUSES",
    "UNION_TOOL_TYPES",
    "assistant",
    "assistant_bytes",
    "big_assistant",
    "big_assistant_bytes",
    "chat_bytes",
    "full_assistant",
    "full_assistant_bytes",
    "test_item",
    "test_page_bytes",
    "test_run",
]

ASSISTANT_ID = "assistant-6f0c2a1e-4b7d-4e58-9a3c-0d1e2f3a4b5c"
BIG_ASSISTANT_ID = "assistant-0b16b16b-4b7d-4e58-9a3c-0d1e2f3a4b5c"
"""The id the server answers with :func:`big_assistant_bytes` (S9), whatever else is set."""
TERMINAL_STATUSES = frozenset({"passed", "failed", "error"})

_INSTRUCTIONS = " ".join(
    [
        "You are Maple, the front-desk voice assistant of Riverside Dental, a family clinic",
        "with three locations. Greet callers warmly, find out why they are calling and help",
        "them book, move or cancel appointments, answer questions about opening hours,",
        "insurance plans and directions, and take messages for the clinical team.",
        "Always confirm the caller's full name and date of birth before looking up or",
        "changing an appointment, and read the date and time back before you save it.",
        "Offer the earliest three free slots that match the requested location and",
        "provider; if none fit, offer the waiting list. Never give medical advice: for pain,",
        "swelling or bleeding that sounds urgent, transfer the call to the on-call nurse.",
        "Keep answers short, one or two sentences, and ask one question at a time. Use the",
        "caller's first name once you know it. If the caller switches to Spanish, continue",
        "in Spanish. When a caller asks for a human, hand off to the reception desk during",
        "opening hours and offer a call-back outside them. At the end of the call summarise",
        "what was agreed and send an SMS confirmation when an appointment changed.",
        "Opening hours are Monday to Friday from eight to six and Saturday from nine to one.",
        "The Elm Street clinic has parking behind the building; the Harbour clinic is next to",
        "the tram stop; the Northgate clinic is on the second floor with step-free access.",
        "Accepted plans: Delta Dental PPO, MetLife, Cigna DPPO, Guardian and Aetna; for any",
        "other plan, take the details and tell the caller the billing team will follow up",
        "within one business day. New patients should arrive fifteen minutes early and bring",
        "photo identification and their insurance card. Cancellations with less than",
        "twenty-four hours notice may carry a fee of forty dollars, which the billing team",
        "can waive; do not promise a waiver yourself. For children under sixteen, a parent",
        "or guardian must attend the first visit. Do not read out full card or insurance",
        "numbers; confirm only their last four digits. Variables available to you:",
        "{{caller_first_name}}, {{preferred_location}}, {{last_visit_date}}, {{clinic_phone}}.",
        "If a tool call fails, apologise once, say you will try another way, and either retry",
        "with corrected details or take a message; never read raw error text to the caller.",
        "If the line is silent for a while, check whether the caller is still there before",
        "ending the call, and if they called about a booking, offer to text them a link.",
        "For whitening, crowns and implants, explain that a consultation comes first and book",
        "that instead; quote prices only from the insurance tool, never from memory. Callers",
        "from other practices asking for records should be given the records email address",
        "and told that requests are handled within five business days. Suppliers, sales calls",
        "and job applicants get the office manager's voicemail. Before ending any call, ask",
        "whether there is anything else you can help with, then thank the caller by name.",
    ]
)


def _object_params(props: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required}


UNION_TOOL_TYPES = frozenset({"transfer", "invite"})
"""Tool types whose ``targets`` is ``list[...] | str`` (a union told apart by JSON kind).

Every client reads them; ``assistant(union_tools=False)`` (the server's
``--no-union-tools``) leaves them out, which is the 14-tool body the runs before
2026-11-21 used.
"""


def _tools(union_tools: bool) -> list[dict[str, Any]]:
    """Sixteen tools of all twelve types (fourteen of ten types without ``union_tools``)."""
    tools = _all_tools()
    if union_tools:
        return tools
    return [t for t in tools if t["type"] not in UNION_TOOL_TYPES]


def _all_tools() -> list[dict[str, Any]]:
    webhook_base = "https://hooks.riverside-dental.example/v1"
    return [
        {
            "type": "webhook",
            "webhook": {
                "name": "find_free_slots",
                "description": "Look up free appointment slots for a location and provider.",
                "url": f"{webhook_base}/slots",
                "method": "GET",
                "timeout_ms": 4000,
                "headers": [
                    {"name": "X-Clinic-Key", "value": "{{#integration_secret}}clinic_key{{/}}"},
                    {"name": "Accept", "value": "application/json"},
                ],
                "query_parameters": _object_params(
                    {
                        "location": {"type": "string", "enum": ["elm", "harbour", "northgate"]},
                        "provider": {"type": "string"},
                        "earliest": {"type": "string", "format": "date"},
                    },
                    ["location"],
                ),
                "store_fields_as_variables": [
                    {"name": "first_free_slot", "value_path": "slots[0].start"},
                ],
            },
        },
        {
            "type": "webhook",
            "webhook": {
                "name": "book_appointment",
                "description": "Book a slot for a verified patient and return its reference.",
                "url": f"{webhook_base}/appointments",
                "method": "POST",
                "timeout_ms": 6000,
                "async": False,
                "headers": [{"name": "Content-Type", "value": "application/json"}],
                "body_parameters": _object_params(
                    {
                        "patient_id": {"type": "string"},
                        "slot_id": {"type": "string"},
                        "reason": {"type": "string", "maxLength": 200},
                        "send_sms": {"type": "boolean"},
                    },
                    ["patient_id", "slot_id"],
                ),
                "store_fields_as_variables": [
                    {"name": "booking_reference", "value_path": "appointment.reference"},
                ],
            },
        },
        {
            "type": "webhook",
            "webhook": {
                "name": "cancel_appointment",
                "description": "Cancel an appointment by its reference.",
                "url": f"{webhook_base}/appointments/{{reference}}",
                "method": "DELETE",
                "timeout_ms": 3000,
                "path_parameters": _object_params(
                    {"reference": {"type": "string", "pattern": "^RD-[0-9]{6}$"}},
                    ["reference"],
                ),
            },
        },
        {
            "type": "webhook",
            "webhook": {
                "name": "lookup_patient",
                "description": "Find a patient record by name and date of birth.",
                "url": f"{webhook_base}/patients/search",
                "method": "POST",
                "timeout_ms": 3000,
                "headers": [
                    {"name": "X-Clinic-Key", "value": "{{#integration_secret}}clinic_key{{/}}"},
                ],
                "body_parameters": _object_params(
                    {
                        "first_name": {"type": "string"},
                        "last_name": {"type": "string"},
                        "date_of_birth": {"type": "string", "format": "date"},
                        "phone": {"type": "string", "pattern": "^\\+[1-9][0-9]{7,14}$"},
                    },
                    ["last_name", "date_of_birth"],
                ),
                "store_fields_as_variables": [
                    {"name": "patient_id", "value_path": "patients[0].id"},
                    {"name": "preferred_location", "value_path": "patients[0].location"},
                    {"name": "last_visit_date", "value_path": "patients[0].last_visit"},
                ],
            },
        },
        {
            "type": "webhook",
            "webhook": {
                "name": "check_insurance",
                "description": "Check whether a plan is accepted and what a visit would cost.",
                "url": f"{webhook_base}/insurance/eligibility",
                "method": "GET",
                "timeout_ms": 5000,
                "async": True,
                "async_timeout_ms": 8000,
                "query_parameters": _object_params(
                    {
                        "carrier": {"type": "string"},
                        "plan_id": {"type": "string"},
                        "procedure": {
                            "type": "string",
                            "enum": ["cleaning", "filling", "crown", "extraction", "whitening"],
                        },
                    },
                    ["carrier", "procedure"],
                ),
            },
        },
        {
            "type": "client_side_tool",
            "client_side_tool": {
                "name": "show_map",
                "description": "Show the chosen clinic on a map in the web widget.",
                "parameters": _object_params(
                    {"location": {"type": "string"}, "zoom": {"type": "integer"}},
                    ["location"],
                ),
            },
        },
        {
            "type": "retrieval",
            "retrieval": {
                "bucket_ids": ["riverside-faq", "riverside-insurance-plans"],
                "max_num_results": 5,
            },
        },
        {
            "type": "handoff",
            "handoff": {
                "ai_assistants": [
                    {"id": "assistant-1b2c3d4e-billing", "name": "Billing desk"},
                    {"id": "assistant-5f6a7b8c-spanish", "name": "Recepción"},
                ],
                "voice_mode": "distinct",
            },
        },
        {"type": "hangup", "hangup": {}},
        {
            "type": "transfer",
            "transfer": {
                "from": "+15555550100",
                "targets": [
                    {"name": "On-call nurse", "to": "+15555550111"},
                    {"name": "Reception", "to": "+15555550122"},
                ],
                "custom_headers": [{"name": "X-Transfer-Reason", "value": "{{reason}}"}],
                "warm_transfer_instructions": "Summarise the caller's issue in one sentence.",
                "voicemail_detection": {
                    "detection_mode": "premium",
                    "on_voicemail_detected": {
                        "action": "leave_message_and_stop_transfer",
                        "voicemail_message": {
                            "type": "message",
                            "message": "A patient needs a call back about an urgent issue.",
                        },
                    },
                },
            },
        },
        {
            "type": "invite",
            "invite": {
                "from": "+15555550100",
                "targets": [{"name": "Practice manager", "to": "+15555550133"}],
                "voicemail_detection": {
                    "detection_mode": "disabled",
                    "on_voicemail_detected": {"action": "stop_invite"},
                },
            },
        },
        {
            "type": "refer",
            "refer": {
                "targets": [
                    {
                        "name": "Front desk PBX",
                        "sip_address": "sip:frontdesk@pbx.riverside-dental.example",
                    }
                ],
                "sip_headers": [{"name": "User-to-User", "value": "clinic=elm"}],
            },
        },
        {"type": "send_dtmf", "send_dtmf": {}},
        {
            "type": "send_message",
            "send_message": {
                "message_template": "Hi {{caller_first_name}}, your visit is confirmed: {{slot}}.",
            },
        },
        {"type": "skip_turn", "skip_turn": {}},
        {
            "type": "pay",
            "pay": {
                "connector_name": "riverside-stripe",
                "currency": "USD",
                "payment_method": "credit-card",
            },
        },
    ]


def assistant(assistant_id: str = ASSISTANT_ID, *, union_tools: bool = True) -> dict[str, Any]:
    """An ``inference-embedding_Assistant`` with most of its settings filled in (~11 KB)."""
    return {
        "id": assistant_id,
        "name": "Riverside Dental front desk",
        "created_at": "2025-03-14T09:26:53.589793Z",
        "model": "openai/gpt-4o",
        "instructions": _INSTRUCTIONS,
        "description": "Answers the phone and the web widget for all three clinics.",
        "greeting": "Thanks for calling Riverside Dental, this is Maple. How can I help?",
        "llm_api_key_ref": "riverside_openai_key",
        "tags": ["production", "front-desk", "dental"],
        "enabled_features": ["telephony", "messaging"],
        "dynamic_variables": {
            "caller_first_name": "there",
            "preferred_location": "elm",
            "last_visit_date": "unknown",
            "clinic_phone": "+15555550100",
            "booking_window_days": 21,
            "after_hours": False,
            "holiday_message": "We are closed on public holidays; urgent calls go to the nurse.",
            "reminder_channels": ["sms", "email"],
        },
        "dynamic_variables_webhook_url": "https://hooks.riverside-dental.example/v1/caller",
        "dynamic_variables_webhook_timeout_ms": 1500,
        "tools": _tools(union_tools),
        "integrations": [
            {"integration_id": "int-8c1d2e3f-calendar", "allowed_list": ["list_events"]},
        ],
        "mcp_servers": [{"id": "mcp-2a3b4c5d-crm", "allowed_tools": ["lookup_patient"]}],
        "voice_settings": {
            "voice": "Telnyx.NaturalHD.astra",
            "voice_speed": 1.05,
            "speed": 1.0,
            "temperature": 0.4,
            "similarity_boost": 0.75,
            "style": 0,
            "use_speaker_boost": True,
            "expressive_mode": False,
            "language_boost": "English",
            "background_audio": {"type": "predefined_media", "value": "office", "volume": 0.5},
        },
        "transcription": {
            "model": "deepgram/nova-3",
            "language": "en",
            "region": "us-central",
            "settings": {
                "smart_format": True,
                "numerals": True,
                "interim_results": False,
                "eot_threshold": 0.7,
                "eot_timeout_ms": 4000,
                "eager_eot_threshold": 0.6,
                "end_of_turn_confidence_threshold": 0.5,
                "enable_endpoint_detection": True,
                "min_turn_silence": 300,
                "max_turn_silence": 1500,
                "keyterm": "Riverside",
            },
        },
        "telephony_settings": {
            "default_texml_app_id": "1923456789012345678",
            "supports_unauthenticated_web_calls": True,
            "time_limit_secs": 1800,
            "user_idle_timeout_secs": 120,
            "user_idle_reply_secs": 10,
            "noise_suppression": "krisp",
            "noise_suppression_config": {"attenuation_limit": 80, "mode": "advanced"},
            "recording_settings": {
                "enabled": True,
                "channels": "dual",
                "format": "mp3",
                "stop_on_conversation_end": True,
            },
            "voicemail_detection": {
                "on_voicemail_detected": {
                    "action": "leave_message_and_stop_assistant",
                    "voicemail_message": {
                        "type": "message",
                        "message": "This is Riverside Dental returning your call.",
                    },
                }
            },
        },
        "messaging_settings": {
            "default_messaging_profile_id": "400190a1-6a1b-4c2d-9e3f-0a1b2c3d4e5f",
            "delivery_status_webhook_url": "https://hooks.riverside-dental.example/v1/sms",
            "conversation_inactivity_minutes": 30,
        },
        "interruption_settings": {
            "enable": True,
            "disable_greeting_interruption": True,
            "start_speaking_plan": {
                "wait_seconds": 0.4,
                "transcription_endpointing_plan": {
                    "on_punctuation_seconds": 0.1,
                    "on_no_punctuation_seconds": 1.2,
                    "on_number_seconds": 0.6,
                },
            },
        },
        "fallback_config": {
            "model": "anthropic/claude-3-5-haiku",
            "llm_api_key_ref": "riverside_fallback_key",
            "external_llm": {
                "model": "riverside-dental-ft-2025-04",
                "base_url": "https://llm.riverside-dental.example/v1",
                "llm_api_key_ref": "riverside_llm_gateway",
                "authentication_method": "token",
                "forward_metadata": True,
            },
        },
        "import_metadata": {"import_provider": "vapi", "import_id": "vapi-asst-77c1e0b2"},
        "insight_settings": {"insight_group_id": "ig-5e6f7a8b-9c0d"},
        "privacy_settings": {"data_retention": True},
        "post_conversation_settings": {"enabled": True},
        "observability_settings": {
            "status": "enabled",
            "host": "https://observability.riverside-dental.example",
            "public_key_ref": "riverside_obs_public",
            "secret_key_ref": "riverside_obs_secret",
            "prompt_sync": "disabled",
        },
        "widget_settings": {
            "theme": "light",
            "position": "fixed",
            "default_state": "collapsed",
            "start_call_text": "Talk to Maple",
            "agent_thinking_text": "Checking...",
            "speak_to_interrupt_text": "Speak to interrupt",
            "audio_visualizer_config": {"color": "verdant", "preset": "roundBars"},
            "logo_icon_url": None,
            "give_feedback_url": None,
            "report_issue_url": "https://riverside-dental.example/issues",
            "view_history_url": None,
        },
        "version_id": "v-0007",
        "version_name": "Spring hours",
        "version_created_at": "2025-04-01T08:00:00Z",
        "related_mission_ids": [],
    }


def assistant_bytes(assistant_id: str = ASSISTANT_ID, *, union_tools: bool = True) -> bytes:
    """The assistant as the API would send it (compact JSON, not pretty-printed)."""
    body = assistant(assistant_id, union_tools=union_tools)
    return json.dumps(body, separators=(",", ":")).encode()


# ---------------------------------------------------------------- every field set (S2f)


def _full_external_llm(model: str, secret: str) -> dict[str, Any]:
    """An ``ExternalLLM`` with every field: certificate auth through a token URL."""
    return {
        "model": model,
        "base_url": "https://llm.riverside-dental.example/v1",
        "llm_api_key_ref": secret,
        "authentication_method": "certificate",
        "certificate_ref": "riverside_llm_client_cert",
        "token_retrieval_url": "https://auth.riverside-dental.example/oauth2/token",
        "forward_metadata": True,
    }


def _full_transcription(model: str, language: str) -> dict[str, Any]:
    """A ``TranscriptionSettings`` with every field (the settings of several engines at once)."""
    return {
        "model": model,
        "language": language,
        "region": "eastus",
        "api_key_ref": "riverside_azure_speech_key",
        "settings": {
            "smart_format": True,
            "numerals": True,
            "interim_results": True,
            "eot_threshold": 0.7,
            "eot_timeout_ms": 4000,
            "eager_eot_threshold": 0.6,
            "end_of_turn_confidence_threshold": 0.5,
            "enable_endpoint_detection": True,
            "max_endpoint_delay_ms": 1200,
            "min_turn_silence": 300,
            "max_turn_silence": 1500,
            "keyterm": "Riverside,Northgate,Dr. Patel,Invisalign",
            "context": "A dental clinic's front desk: appointments, insurance, directions.",
            "language_hints": [language, "es"],
            "prompt": "Patient names, dental procedures and US insurance carriers.",
            "remove_disfluencies": True,
        },
    }


def _full_voice(voice: str, background_audio: dict[str, Any]) -> dict[str, Any]:
    """A ``VoiceSettings`` with every field; ``background_audio`` picks the union's variant."""
    return {
        "voice": voice,
        "voice_speed": 1.05,
        "api_key_ref": "riverside_elevenlabs_key",
        "speed": 1.0,
        "temperature": 0.4,
        "similarity_boost": 0.75,
        "style": 0.1,
        "use_speaker_boost": True,
        "expressive_mode": True,
        "language_boost": "English",
        "background_audio": background_audio,
    }


def _full_tools() -> list[dict[str, Any]]:
    """Twelve tools, one of each type, every optional field of each filled in."""
    hooks = "https://hooks.riverside-dental.example/v1"
    return [
        {
            "type": "webhook",
            "webhook": {
                "name": "reschedule_appointment",
                "description": "Move a verified patient's appointment to another free slot.",
                "url": f"{hooks}/appointments/{{reference}}/reschedule",
                "method": "PATCH",
                "async": True,
                "async_timeout_ms": 8000,
                "timeout_ms": 6000,
                "headers": [
                    {"name": "X-Clinic-Key", "value": "{{#integration_secret}}clinic_key{{/}}"},
                    {"name": "Content-Type", "value": "application/json"},
                ],
                "path_parameters": _object_params(
                    {"reference": {"type": "string", "pattern": "^RD-[0-9]{6}$"}},
                    ["reference"],
                ),
                "query_parameters": _object_params(
                    {"notify": {"type": "boolean"}, "channel": {"type": "string",
                                                              "enum": ["sms", "email"]}},
                    ["notify"],
                ),
                "body_parameters": _object_params(
                    {
                        "slot_id": {"type": "string"},
                        "reason": {"type": "string", "maxLength": 200},
                        "keep_provider": {"type": "boolean"},
                    },
                    ["slot_id"],
                ),
                "store_fields_as_variables": [
                    {"name": "booking_reference", "value_path": "appointment.reference"},
                    {"name": "new_slot", "value_path": "appointment.start"},
                ],
            },
        },
        {
            "type": "client_side_tool",
            "client_side_tool": {
                "name": "show_map",
                "description": "Show the chosen clinic on a map in the web widget.",
                "parameters": _object_params(
                    {"location": {"type": "string"}, "zoom": {"type": "integer"}},
                    ["location"],
                ),
            },
        },
        {
            "type": "retrieval",
            "retrieval": {
                "bucket_ids": ["riverside-faq", "riverside-insurance-plans"],
                "max_num_results": 5,
            },
        },
        {
            "type": "handoff",
            "handoff": {
                "ai_assistants": [
                    {"id": "assistant-1b2c3d4e-billing", "name": "Billing desk"},
                    {"id": "assistant-5f6a7b8c-spanish", "name": "Recepción"},
                ],
                "voice_mode": "distinct",
            },
        },
        {
            "type": "hangup",
            "hangup": {"description": "End the call once the caller has said goodbye."},
        },
        {
            "type": "transfer",
            "transfer": {
                "from": "+15555550100",
                "description": "Transfer urgent clinical calls to the on-call nurse.",
                "targets": [
                    {"name": "On-call nurse", "to": "+15555550111"},
                    {"name": "Reception", "to": "sip:reception@pbx.riverside-dental.example"},
                ],
                "custom_headers": [{"name": "X-Transfer-Reason", "value": "{{reason}}"}],
                "warm_transfer_instructions": "Summarise the caller's issue in one sentence.",
                "warm_message_delay_ms": 1500,
                "voicemail_detection": {
                    "detection_mode": "premium",
                    "detection_config": {
                        "after_greeting_silence_millis": 800,
                        "between_words_silence_millis": 50,
                        "greeting_duration_millis": 3500,
                        "greeting_silence_duration_millis": 1500,
                        "greeting_total_analysis_time_millis": 5000,
                        "initial_silence_millis": 3500,
                        "maximum_number_of_words": 5,
                        "maximum_word_length_millis": 3500,
                        "min_word_length_millis": 100,
                        "silence_threshold": 256,
                        "total_analysis_time_millis": 5000,
                    },
                    "on_voicemail_detected": {
                        "action": "leave_message_and_stop_transfer",
                        "voicemail_message": {
                            "type": "message",
                            "message": "A patient needs a call back about an urgent issue.",
                        },
                    },
                },
            },
        },
        {
            "type": "invite",
            "invite": {
                "from": "+15555550100",
                "targets": [{"name": "Practice manager", "to": "+15555550133"}],
                "custom_headers": [{"name": "X-Invite-Reason", "value": "billing dispute"}],
                "voicemail_detection": {
                    "detection_mode": "premium",
                    "on_voicemail_detected": {"action": "stop_invite"},
                },
            },
        },
        {
            "type": "refer",
            "refer": {
                "targets": [
                    {
                        "name": "Front desk PBX",
                        "sip_address": "sip:frontdesk@pbx.riverside-dental.example",
                        "sip_auth_username": "maple",
                        "sip_auth_password": "{{#integration_secret}}pbx_password{{/}}",
                    }
                ],
                "sip_headers": [
                    {"name": "User-to-User", "value": "clinic=elm"},
                    {"name": "Diversion", "value": "<sip:+15555550100@riverside-dental.example>"},
                ],
                "custom_headers": [{"name": "X-Caller-Intent", "value": "{{intent}}"}],
            },
        },
        {"type": "send_dtmf", "send_dtmf": {}},
        {
            "type": "send_message",
            "send_message": {
                "message_template": "Hi {{caller_first_name}}, your visit is confirmed: {{slot}}.",
            },
        },
        {
            "type": "skip_turn",
            "skip_turn": {"description": "Stay silent while the caller reads out a long number."},
        },
        {
            "type": "pay",
            "pay": {
                "connector_name": "riverside-stripe",
                "currency": "USD",
                "payment_method": "credit-card",
                "description": "Take a card payment for an outstanding balance.",
            },
        },
    ]


def _position(x: float, y: float) -> dict[str, float]:
    return {"x": x, "y": y}


def _full_conversation_flow(tools: list[dict[str, Any]]) -> dict[str, Any]:
    """A flow with every node, condition, target and expression kind, every field set."""
    by_type = {t["type"]: t for t in tools}

    def var(name: str) -> dict[str, str]:
        return {"type": "variable", "name": name}

    adult_existing_gold = {
        "type": "bool_op",
        "op": "and",
        "operands": [
            {
                "type": "comparison",
                "op": ">=",
                "left": {
                    "type": "arithmetic",
                    "op": "-",
                    "left": var("current_year"),
                    "right": var("birth_year"),
                },
                "right": {"type": "number_literal", "value": 18},
            },
            {"type": "comparison", "op": "==", "left": var("plan_tier"),
             "right": {"type": "string_literal", "value": "gold"}},
            {"type": "comparison", "op": "==", "left": var("is_existing_patient"),
             "right": {"type": "bool_literal", "value": True}},
        ],
    }
    return {
        "start_node_id": "n_greet",
        "nodes": [
            {
                "type": "prompt",
                "id": "n_greet",
                "name": "Greet and triage",
                "instructions": "Greet the caller, find out why they are calling, verify them.",
                "instructions_mode": "append",
                "model": "openai/gpt-4o-mini",
                "llm_api_key_ref": "riverside_openai_key",
                "external_llm": _full_external_llm("riverside-triage-ft", "riverside_llm_gw"),
                "position": _position(80, 120),
                "shared_tool_ids": ["tool-1a2b-lookup-patient", "tool-3c4d-find-slots"],
                "tools": [[by_type["webhook"], by_type["retrieval"]]],
                "tools_mode": "replace",
                "transcription": _full_transcription("azure/fast", "en-US"),
                "voice_settings": _full_voice(
                    "Telnyx.NaturalHD.astra",
                    {"type": "media_url",
                     "value": "https://cdn.riverside-dental.example/audio/lobby.mp3"},
                ),
            },
            {
                "type": "prompt",
                "id": "n_billing",
                "name": "Billing questions",
                "instructions": "Answer balance and insurance questions; offer to take payment.",
                "instructions_mode": "replace",
                "model": "anthropic/claude-3-5-haiku",
                "llm_api_key_ref": "riverside_anthropic_key",
                "external_llm": _full_external_llm("riverside-billing-ft", "riverside_llm_gw"),
                "position": _position(420, 120),
                "shared_tool_ids": ["tool-5e6f-check-insurance", "tool-7a8b-pay"],
                "tools": [[by_type["pay"], by_type["send_message"]]],
                "tools_mode": "append",
                "transcription": _full_transcription("deepgram/nova-3", "en"),
                "voice_settings": _full_voice(
                    "Telnyx.NaturalHD.orion", {"type": "media_name", "value": "soft-office-hum"}
                ),
            },
            {
                "type": "tool",
                "id": "n_book",
                "name": "Book the slot",
                "shared_tool_id": "tool-9c0d-book-appointment",
                "position": _position(420, 320),
                "tool": [by_type["webhook"]],
            },
            {
                "type": "speak",
                "id": "n_confirm",
                "name": "Read back the booking",
                "message": "You're booked for {{new_slot}}. We'll text you a confirmation.",
                "position": _position(700, 320),
            },
        ],
        "edges": [
            {
                "id": "e_to_billing",
                "start_node_id": "n_greet",
                "condition": {"type": "llm",
                              "prompt": "The caller asks about a bill, a balance or insurance."},
                "target": {"type": "node", "node_id": "n_billing"},
            },
            {
                "id": "e_to_book",
                "start_node_id": "n_greet",
                "condition": {"type": "expression", "expression": adult_existing_gold},
                "target": {"type": "node", "node_id": "n_book"},
            },
            {
                "id": "e_to_spanish",
                "start_node_id": "n_greet",
                "condition": {"type": "default"},
                "target": {
                    "type": "assistant",
                    "assistant_id": "assistant-5f6a7b8c-spanish",
                    "position": _position(700, 80),
                    "voice_mode": "distinct",
                },
            },
            {
                "id": "e_confirm",
                "start_node_id": "n_book",
                "condition": {"type": "default"},
                "target": {"type": "node", "node_id": "n_confirm"},
            },
        ],
    }


def full_assistant(assistant_id: str = ASSISTANT_ID) -> dict[str, Any]:
    """An ``inference-embedding_Assistant`` with every optional field set, recursively.

    Every field of the model tree (tools, flow, every settings object) is
    present and not null, with twelve tools, one of each type; tests/
    test_bench_payloads.py checks that against our models and the spec.
    """
    body = assistant(assistant_id)
    tools = _full_tools()
    body.update(
        tools=tools,
        conversation_flow=_full_conversation_flow(tools),
        external_llm=_full_external_llm("riverside-dental-ft-2025-04", "riverside_llm_gateway"),
        fallback_config={
            "model": "anthropic/claude-3-5-haiku",
            "llm_api_key_ref": "riverside_fallback_key",
            "external_llm": _full_external_llm("riverside-dental-ft-2025-03",
                                               "riverside_llm_fallback"),
        },
        voice_settings=_full_voice(
            "Telnyx.NaturalHD.astra", {"type": "predefined_media", "value": "office", "volume": 0.5}
        ),
        transcription=_full_transcription("deepgram/flux", "en"),
        insight_settings={"insight_group_id": "ig-5e6f7a8b-9c0d", "model": "openai/gpt-4o-mini"},
        privacy_settings={"data_retention": True, "in_transit_data_locality": True,
                          "pii_redaction": "redact"},
        related_mission_ids=["mission-2f3e4d5c-recall", "mission-6b7a8c9d-reviews"],
        a2a_agents=[
            {
                "name": "Scheduling agent",
                "url": "https://agents.riverside-dental.example/a2a/scheduling",
                "async": True,
                "poll_interval_ms": 500,
                "timeout_ms": 15000,
                "headers": [{"name": "Authorization",
                             "value": "Bearer {{#integration_secret}}a2a_token{{/}}"}],
                "messages": [
                    {"type": "request_start", "content": "One moment while I check the diary.",
                     "timing_ms": 0},
                    {"type": "request_response_delayed",
                     "content": "Still checking, thanks for waiting.", "timing_ms": 4000},
                ],
            }
        ],
        avatar_settings={"avatar_id": "avatar-maple-01", "background_id": "reception",
                         "model": "avatar-v2", "provider": "telnyx"},
        delegation_settings={
            "enabled": True,
            "mode": "telnyx",
            "model": "openai/gpt-4o",
            "llm_api_key_ref": "riverside_openai_key",
            "instructions": "Delegate insurance pre-authorisation checks; report back briefly.",
            "speak_results": True,
            "external_llm": _full_external_llm("riverside-delegate-ft", "riverside_llm_gw"),
        },
        websocket_settings={"enabled": True, "auth_ref": "riverside_ws_token",
                            "url": "wss://stream.riverside-dental.example/assistant"},
    )
    body["telephony_settings"] = {
        **body["telephony_settings"],
        "noise_suppression": "deepfilternet",
        "conversation_ended_full_history": True,
        "disable_dtmf": False,
        "fallback_destination": "+15555550122",
        "send_message_history_updates": True,
        "voicemail_detection": {
            "on_voicemail_detected": {
                "action": "leave_message_and_stop_assistant",
                "voicemail_message": {
                    "type": "prompt",
                    "message": "This is Riverside Dental returning your call.",
                    "prompt": "Leave a short, friendly message asking the patient to call back.",
                },
            }
        },
    }
    body["interruption_settings"] = {
        **body["interruption_settings"], "interrupt_prediction_threshold": 0.65,
    }
    body["observability_settings"] = {
        **body["observability_settings"],
        "prompt_sync": "enabled",
        "prompt_name": "riverside-front-desk",
        "prompt_label": "production",
        "prompt_version": 7,
    }
    body["widget_settings"] = {
        **body["widget_settings"],
        "logo_icon_url": "https://riverside-dental.example/static/maple.svg",
        "give_feedback_url": "https://riverside-dental.example/feedback",
        "view_history_url": "https://riverside-dental.example/account/conversations",
    }
    return body


def full_assistant_bytes(assistant_id: str = ASSISTANT_ID) -> bytes:
    """:func:`full_assistant` as the API would send it (compact JSON)."""
    return json.dumps(full_assistant(assistant_id), separators=(",", ":")).encode()


# ---------------------------------------------------------------- a very big body (S9)


def big_assistant(
    assistant_id: str = BIG_ASSISTANT_ID, *, target_bytes: int = 4_000_000,
    union_tools: bool = True,
) -> dict[str, Any]:
    """:func:`assistant` with its tool list repeated until the body is about ``target_bytes``.

    Each copy of a named tool (webhook, client-side) gets a name of its own
    (``find_free_slots_17``), so no two tools are the same object on the wire.
    """
    body = assistant(assistant_id, union_tools=union_tools)
    base = body["tools"]
    base_size = len(json.dumps(body, separators=(",", ":")))
    per_copy = len(json.dumps(base, separators=(",", ":")))
    copies = max(1, round((target_bytes - base_size) / per_copy) + 1)
    tools: list[dict[str, Any]] = []
    for n in range(copies):
        for tool in base:
            kind = tool["type"]
            params = tool[kind]
            if n and "name" in params:
                tool = {"type": kind, kind: {**params, "name": f"{params['name']}_{n}"}}
            tools.append(tool)
    body["tools"] = tools
    return body


def big_assistant_bytes(
    assistant_id: str = BIG_ASSISTANT_ID, *, target_bytes: int = 4_000_000,
    union_tools: bool = True,
) -> bytes:
    """:func:`big_assistant` as compact JSON (about ``target_bytes`` long)."""
    body = big_assistant(assistant_id, target_bytes=target_bytes, union_tools=union_tools)
    return json.dumps(body, separators=(",", ":")).encode()


_CHANNELS = ("phone_call", "web_call", "sms_chat", "web_chat")


def test_item(index: int) -> dict[str, Any]:
    """One ``AssistantTestResponse``; ``index`` makes its id, name and date unique."""
    return {
        "test_id": f"6a1e0c52-0b1d-4c7e-9f00-{index:012d}",
        "name": f"Reschedule flow #{index}",
        "description": "Caller moves an existing cleaning to the next free morning slot.",
        "destination": "+15555550100",
        "instructions": (
            "Pretend to be Sam Lee, born 4 May 1988, with a cleaning booked next Tuesday at "
            "9 am. Ask to move it to any morning later that week and confirm the new time."
        ),
        "max_duration_seconds": 300,
        "telnyx_conversation_channel": _CHANNELS[index % len(_CHANNELS)],
        "test_suite": "front-desk-regression",
        "rubric": [
            {"name": "identity", "criteria": "Verifies name and date of birth first."},
            {"name": "outcome", "criteria": "Moves the appointment and reads it back."},
        ],
        "created_at": f"2025-05-{1 + index % 28:02d}T{index % 24:02d}:{index % 60:02d}:07.123456Z",
    }


def test_page_bytes(total: int, page_number: int, page_size: int) -> bytes:
    """One page of a ``PaginatedAssistantTestList`` over ``total`` tests."""
    total_pages = max((total + page_size - 1) // page_size, 1) if total else 0
    start = (page_number - 1) * page_size
    stop = min(start + page_size, total)
    items = [test_item(i) for i in range(start, stop)] if start < total else []
    meta = {
        "page_number": page_number,
        "page_size": page_size,
        "total_pages": total_pages,
        "total_results": total,
    }
    return json.dumps({"data": items, "meta": meta}, separators=(",", ":")).encode()


def chat_bytes(conversation_id: str) -> bytes:
    """An ``AssistantChatResponse`` of a typical length."""
    content = (
        "Of course. I can see your cleaning with Dr. Patel next Tuesday at nine. The earliest "
        "morning slots later that week are Wednesday at 8:30, Thursday at 10:15 and Friday at "
        "9:00 at the Elm Street clinic. Which one would you like?"
    )
    return json.dumps({"content": content}, separators=(",", ":")).encode()


def test_run(test_id: str, run_id: str, status: str, polls: int) -> dict[str, Any]:
    """A ``TestRunResponse`` in ``status``; terminal runs carry results and timings."""
    run: dict[str, Any] = {
        "run_id": run_id,
        "test_id": test_id,
        "status": status,
        "triggered_by": "api",
        "created_at": "2025-05-02T10:00:00Z",
        "updated_at": f"2025-05-02T10:00:{min(polls, 59):02d}Z",
        "conversation_id": f"conv-{run_id[-12:]}",
    }
    if status in TERMINAL_STATUSES:
        run["completed_at"] = f"2025-05-02T10:01:{min(polls, 59):02d}Z"
        run["detail_status"] = [
            {"name": "identity", "status": "passed"},
            {"name": "outcome", "status": status},
        ]
        run["logs"] = "call connected; 2 turns; rubric graded"
    return run
