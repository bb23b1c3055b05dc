"""Checks on the generated models in ``telnyx_async/models``.

* the committed files are exactly what ``scripts/gen_models.py`` makes from the spec;
* every exported name resolves, and every class's annotations evaluate;
* ``import telnyx_async.models`` stays lazy;
* no docstring is lifted from the spec's prose;
* open enums, tagged unions and the converter behave on realistic data.

Model classes are reached as ``models.X`` on purpose: binding names such as
``TestStatus`` at module level would make pytest try to collect them.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import telnyx_async.models as models

ROOT = Path(__file__).resolve().parents[1]
SPEC = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "spec"
    / "telnyx-ai-assistants.openapi.json"
)
MODELS_DIR = ROOT / "telnyx_async" / "models"
GENERATOR = ROOT / "scripts" / "gen_models.py"
BODY_RULES = ROOT / "telnyx_async" / "testing" / "_body_rules.py"
BODY_RULES_DERIVER = ROOT / "scripts" / "body_rules.py"
HAND_WRITTEN = {"_base.py", "_deferred.py"}


def generated_files(root: Path) -> dict[str, bytes]:
    """Every generated file under ``root`` (the models package or a fresh output)."""
    paths = sorted([*root.glob("*.py"), *root.glob("_schemas/*.py")])
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in paths
        if p.name not in HAND_WRITTEN
    }


def committed_files() -> dict[str, bytes]:
    return generated_files(MODELS_DIR)


def generated_module_names() -> list[str]:
    return [
        "telnyx_async.models." + name.removesuffix(".py").replace("/", ".")
        for name in committed_files()
        if not name.endswith("__init__.py")
    ]


def load_spec() -> dict[str, Any]:
    if not SPEC.is_file():
        pytest.skip(f"{SPEC} not found: the generator check needs ../shared/spec beside the repo")
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return spec


def spec_descriptions(node: object) -> set[str]:
    """Every prose ``description`` string anywhere in the document."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                found.add(value.strip())
            found |= spec_descriptions(value)
    elif isinstance(node, list):
        for item in node:
            found |= spec_descriptions(item)
    return found


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_models", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def public_classes() -> list[tuple[str, type]]:
    return [
        (name, obj)
        for name in models.__all__
        if isinstance(obj := getattr(models, name), type)
    ]


# ---------------------------------------------------------------------------------- (1)


def test_committed_models_match_the_generator(tmp_path: Path) -> None:
    load_spec()
    out = tmp_path / "models"
    rules = tmp_path / "_body_rules.py"
    result = subprocess.run(
        [sys.executable, str(GENERATOR), str(SPEC), "--out", str(out), "--body-rules", str(rules)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr

    fresh = generated_files(out)
    committed = committed_files()
    assert sorted(fresh) == sorted(committed), "generated file set differs; run `nox -s regen`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"out of date with the spec: {stale}; run `nox -s regen`"
    # FakeTelnyx's request-body rules come from the same run of the generator.
    assert rules.read_bytes() == BODY_RULES.read_bytes(), (
        "telnyx_async/testing/_body_rules.py is out of date with the spec; run `nox -s regen`"
    )


def test_generator_is_deterministic(tmp_path: Path) -> None:
    load_spec()
    runs = []
    for attempt in ("a", "b"):
        out = tmp_path / attempt
        rules = out / "body_rules.txt"
        subprocess.run(
            [sys.executable, str(GENERATOR), str(SPEC), "--out", str(out), "--body-rules", str(rules)],
            capture_output=True,
            check=True,
        )
        runs.append({**generated_files(out), "body rules": rules.read_bytes()})
    assert runs[0] == runs[1]


def test_no_overlay_gives_models_and_rules_from_the_spec_alone(tmp_path: Path) -> None:
    load_spec()
    out = tmp_path / "models"
    rules = tmp_path / "_body_rules.py"
    result = subprocess.run(
        [sys.executable, str(GENERATOR), str(SPEC), "--no-overlay", "--out", str(out),
         "--body-rules", str(rules)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = generated_files(out)
    assert sorted(fresh) == sorted(committed_files())
    assert b"DeletedAssistant" not in fresh["assistants.py"]
    spec_only = rules.read_text(encoding="utf-8")
    with_overlay = BODY_RULES.read_text(encoding="utf-8")
    # The newer operation's body, and the newer fields of the spec's bodies, come with the overlay.
    for newer in ("/chat/whatsapp", "'a2a_agents'", "'stream'", "'vision'"):
        assert newer not in spec_only and newer in with_overlay, newer
    assert spec_only.count("RequestBody(") == with_overlay.count("RequestBody(") - 1


def test_out_without_body_rules_leaves_the_rules_alone(tmp_path: Path) -> None:
    load_spec()
    before = BODY_RULES.stat().st_mtime_ns
    out = tmp_path / "models"
    result = subprocess.run(
        [sys.executable, str(GENERATOR), str(SPEC), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "body rules" not in result.stderr
    assert not list(tmp_path.rglob("_body_rules.py"))
    assert BODY_RULES.stat().st_mtime_ns == before


# ---------------------------------------------------------------------------------- (2)


def test_every_public_name_resolves() -> None:
    assert len(set(models.__all__)) == len(models.__all__)
    missing = [name for name in models.__all__ if not hasattr(models, name)]
    assert not missing
    assert set(models.__all__) <= set(dir(models))


@pytest.mark.parametrize(("name", "cls"), public_classes())
def test_type_hints_resolve(name: str, cls: type) -> None:
    hints = typing.get_type_hints(cls)
    if hasattr(cls, "__attrs_attrs__"):
        assert "extra" in hints, name


def test_unknown_attribute_raises() -> None:
    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = models.NoSuchModel


# ---------------------------------------------------------------------------------- (3)


def test_importing_the_package_is_lazy() -> None:
    code = (
        "import sys\n"
        "import telnyx_async.models as m\n"
        f"generated = {generated_module_names()!r}\n"
        "print(sorted(n for n in generated if n in sys.modules))\n"
        "m.Assistant\n"
        "print(sorted(n for n in generated if n in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    eager, after = result.stdout.splitlines()
    assert eager == "[]", f"imported eagerly: {eager}"
    # Looking up a model loads its own module and nothing else: the models its
    # fields name (conversation flow, tools, settings...) load when first needed.
    assert after == "['telnyx_async.models.assistants']"


def test_a_response_loads_only_the_model_modules_it_uses() -> None:
    code = (
        "import sys\n"
        "from telnyx_async.models import Assistant\n"
        "a = Assistant.from_dict({'id': 'a', 'name': 'n', 'model': 'm', 'instructions': 'i',\n"
        "    'created_at': '2024-01-01T00:00:00Z', 'tools': [{'type': 'hangup', 'hangup': {}}]})\n"
        "print(sorted(n.rsplit('.', 1)[1] for n in sys.modules if 'async.models.' in n))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = result.stdout.strip()
    assert "'assistant_tools'" in loaded
    assert "'conversation_flow'" not in loaded and "'assistant_settings'" not in loaded


# ---------------------------------------------------------------------------------- (4)


def test_docstrings_are_not_copied_from_the_spec() -> None:
    descriptions = spec_descriptions(load_spec())
    docs: dict[str, str] = {}
    for name, cls in public_classes():
        if cls.__module__.startswith("telnyx_async.models._base"):
            continue
        assert (cls.__doc__ or "").strip(), f"{name} has no docstring"
        assert cls.__doc__ is not None
        docs[name] = cls.__doc__.strip()
    for module_name in ["telnyx_async.models", *generated_module_names()]:
        module = importlib.import_module(module_name)
        assert module.__doc__, module_name
        docs[module_name] = module.__doc__.strip()
    generator = load_generator()
    docs.update({f"DOCS[{k}]": v for k, v in generator.DOCS.items()})
    docs.update({f"MODULE_DOCS[{k}]": v for k, v in generator.MODULE_DOCS.items()})

    copied = [name for name, doc in docs.items() if any(doc in d for d in descriptions)]
    assert not copied, f"docstrings found in spec prose: {copied}"


def test_no_spec_prose_in_generated_files() -> None:
    descriptions = [d for d in spec_descriptions(load_spec()) if len(d) >= 20]
    sources = [p.read_text(encoding="utf-8") for p in (MODELS_DIR.glob("*.py"))]
    sources.append(GENERATOR.read_text(encoding="utf-8"))
    sources += [p.read_text(encoding="utf-8") for p in (BODY_RULES, BODY_RULES_DERIVER)]
    leaked = [d for d in descriptions if any(d in text for text in sources)]
    assert not leaked, leaked[:3]


# ---------------------------------------------------------------------------------- (5)


def test_unknown_enum_value_is_kept() -> None:
    status = models.TestStatus("timeout")
    assert status.is_known is False
    assert status == "timeout"
    assert models.TestStatus("passed") is models.TestStatus.PASSED
    assert models.TestStatus.PASSED.is_known


def test_sanitised_enum_members() -> None:
    assert models.ComparisonExpressionOp.GE == ">="
    assert models.ArithmeticExpressionOp.PLUS == "+"
    assert models.TranscriptionSettingsModel.DEEPGRAM_NOVA_3 == "deepgram/nova-3"
    assert models.VoiceSettingsLanguageBoost.CHINESE_YUE == "Chinese,Yue"
    assert models.SipRegion.MIDDLE_EAST == "Middle East"


def test_tag_fields_default_to_their_value() -> None:
    tool = models.WebhookTool(
        webhook=models.WebhookToolParams(name="lookup", description="d", url="https://x.test")
    )
    assert tool.type == "webhook"
    assert models.SpeakNodeReq(id="n", message="hi").type == "speak"


def test_tagged_unions_are_registered() -> None:
    from telnyx_async.models._base import UNIONS

    for alias, fallback in [
        (models.AssistantTool, models.UnknownAssistantTool),
        (models.Expression, models.UnknownExpression),
        (models.ConversationFlowNode, models.UnknownConversationFlowNode),
        (models.FlowEdgeCondition, models.UnknownFlowEdgeCondition),
        (models.FlowEdgeTarget, models.UnknownFlowEdgeTarget),
        (models.VoiceSettingsBackgroundAudio, models.UnknownVoiceSettingsBackgroundAudio),
    ]:
        spec = UNIONS[alias]
        assert spec.tag == "type"
        assert spec.fallback is fallback
        assert fallback in typing.get_args(alias)


# ------------------------------------------------------------------- converter round trip

ASSISTANT_PAYLOAD: dict[str, Any] = {
    "id": "assistant-6f1c",
    "name": "Front desk",
    "model": "meta-llama/Meta-Llama-3.1-70B-Instruct",
    "instructions": "Greet callers and book tables.",
    "created_at": "2025-03-04T10:20:30+00:00",
    "tags": ["restaurant"],
    "enabled_features": ["telephony", "brand_new_channel"],
    "tools": [
        {
            "type": "webhook",
            "webhook": {
                "name": "check_availability",
                "description": "d",
                "url": "https://api.example.com/availability",
                "method": "POST",
                "async": True,
                "headers": [{"name": "X-Key", "value": "{{secret}}"}],
            },
        },
        {"type": "hangup", "hangup": {}},
        {"type": "time_travel", "time_travel": {"year": 1985}},
    ],
    "conversation_flow": {
        "start_node_id": "greet",
        "nodes": [
            {"type": "prompt", "id": "greet", "instructions": "Say hello."},
            {"type": "speak", "id": "adult", "message": "Welcome!"},
            {"type": "tool", "id": "pay", "shared_tool_id": "tool-1"},
        ],
        "edges": [
            {
                "id": "e1",
                "start_node_id": "greet",
                "target": {"type": "node", "node_id": "adult"},
                "condition": {
                    "type": "expression",
                    "expression": {
                        "type": "bool_op",
                        "op": "and",
                        "operands": [
                            {
                                "type": "comparison",
                                "op": ">=",
                                "left": {"type": "variable", "name": "age"},
                                "right": {"type": "number_literal", "value": 18.0},
                            },
                            {"type": "bool_literal", "value": True},
                        ],
                    },
                },
            },
            {
                "id": "e2",
                "start_node_id": "greet",
                "target": {"type": "assistant", "assistant_id": "assistant-2"},
                "condition": {"type": "default"},
            },
        ],
    },
    "voice_settings": {
        "voice": "Telnyx.KokoroTTS.af",
        "background_audio": {"type": "predefined_media", "value": "office"},
    },
    "some_future_field": {"kept": True},
}


def test_assistant_round_trip() -> None:
    from telnyx_async._converter import unstructure
    from telnyx_async._structure import structure

    assistant = structure(ASSISTANT_PAYLOAD, models.Assistant)

    assert isinstance(assistant, models.Assistant)
    assert assistant.created_at.year == 2025
    assert assistant.extra == {"some_future_field": {"kept": True}}
    assert assistant.enabled_features is not None
    assert assistant.enabled_features[1].is_known is False

    assert assistant.tools is not None
    webhook, hangup, unknown = assistant.tools
    assert isinstance(webhook, models.WebhookTool)
    assert webhook.webhook.async_ is True
    assert webhook.webhook.method is models.WebhookToolParamsMethod.POST
    assert isinstance(hangup, models.HangupTool)
    assert isinstance(unknown, models.UnknownAssistantTool)
    assert unknown.type == "time_travel"

    flow = assistant.conversation_flow
    assert flow is not None
    assert [type(n) for n in flow.nodes] == [models.FlowNode, models.SpeakNode, models.ToolNode]
    assert flow.edges is not None
    condition = flow.edges[0].condition
    assert isinstance(condition, models.ExpressionCondition)
    expression = condition.expression
    assert isinstance(expression, models.BooleanOpExpression)
    comparison = expression.operands[0]
    assert isinstance(comparison, models.ComparisonExpression)
    assert comparison.op is models.ComparisonExpressionOp.GE
    assert isinstance(comparison.left, models.DynamicVariableExpression)
    assert isinstance(flow.edges[1].target, models.AssistantTarget)
    assert isinstance(flow.edges[1].condition, models.DefaultCondition)

    assert assistant.voice_settings is not None
    audio = assistant.voice_settings.background_audio
    assert isinstance(audio, models.VoiceSettingsBackgroundAudioPredefinedMedia)

    assert unstructure(assistant) == ASSISTANT_PAYLOAD
