"""When tracing is on, and that it costs nothing (no import, no layer) when it is off.

What a module import does is only visible in a fresh interpreter, so those
checks run in a subprocess; so does the one that sets the global tracer
provider (it can be set once per process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from opentelemetry import trace

from telnyx_async import AsyncTelnyx
from telnyx_async._tracing import TracingLayer

ROOT = Path(__file__).resolve().parents[2]


LOADED = """
import sys


def loaded():
    \"\"\"The OpenTelemetry modules (and our tracing module) really imported so far.\"\"\"
    return sorted(
        name for name, module in sys.modules.items()
        if module is not None
        and (name.split(".")[0] == "opentelemetry" or name == "telnyx_async._tracing")
    )
"""


def run_python(body: str, *, first: str = "") -> str:
    """Run ``first``, then ``loaded()``'s definition, then ``body`` in a fresh interpreter.

    ResourceWarning is an error there too; returns what it printed.
    """
    code = textwrap.dedent(first) + LOADED + textwrap.dedent(body)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("TELNYX_API_KEY", None)
    env.pop("TELNYX_BASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-W", "error::ResourceWarning", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_importing_the_package_never_imports_opentelemetry() -> None:
    out = run_python(
        """
        import json

        import telnyx_async
        from telnyx_async import AsyncTelnyx, RetryConfig, Throttle, build_request
        import telnyx_async.testing
        after_import = loaded()
        AsyncTelnyx("key", tracing=False)
        after_untraced_client = loaded()
        AsyncTelnyx("key")  # opentelemetry is installed here: tracing switches itself on
        after_traced_client = loaded()
        print(json.dumps([after_import, after_untraced_client, after_traced_client]))
        """
    )
    after_import, after_untraced_client, after_traced_client = json.loads(out)
    assert after_import == []
    assert after_untraced_client == []
    # The probe above can see an import happen:
    assert "opentelemetry.trace" in after_traced_client
    assert "telnyx_async._tracing" in after_traced_client


def test_without_opentelemetry_no_layer_is_composed_and_nothing_is_imported() -> None:
    out = run_python(
        first="""
        import sys
        sys.modules["opentelemetry"] = None  # how Python spells "not installed" for one process
        """,
        body="""
        import asyncio, importlib.util, json
        assert importlib.util.find_spec("opentelemetry") is None
        from telnyx_async import AsyncTelnyx, TelnyxError
        from telnyx_async.testing import FakeTelnyx

        async def main():
            async with FakeTelnyx() as fake:
                async with fake.client() as client:
                    layers = [type(client._context.send).__name__, client._shared.trace]
                    await client.ai.assistants.tags.list()
                    copy = client.with_options(max_retries=0)
                    layers.append(type(copy._context.send).__name__)
                    await copy.ai.assistants.tags.list()
            return layers

        layers = asyncio.run(main())
        try:
            AsyncTelnyx("key", tracing=True)
            refusal = None
        except TelnyxError as error:
            refusal = str(error)
        print(json.dumps({"layers": layers, "refusal": refusal, "loaded": loaded()}))
        """,
    )
    result = json.loads(out)
    outer, trace_factory, copy_outer = result["layers"]
    assert trace_factory is None
    assert "TracingLayer" not in (outer, copy_outer)
    assert result["loaded"] == []
    assert result["refusal"] is not None
    assert "telnyx-async[otel]" in result["refusal"]


def test_the_global_provider_is_followed_even_when_set_after_the_client_was_made() -> None:
    out = run_python(
        """
        import asyncio, json
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
        from telnyx_async.testing import FakeTelnyx

        exporter = InMemorySpanExporter()

        async def main():
            async with FakeTelnyx() as fake:
                async with fake.client() as client:  # no tracer_provider=: the global one
                    await client.ai.assistants.tags.list()  # no SDK yet: nothing recorded
                    provider = TracerProvider()
                    provider.add_span_processor(SimpleSpanProcessor(exporter))
                    trace.set_tracer_provider(provider)  # as an application does at start-up
                    await client.ai.assistants.tests.test_suites.list()
                    await client.with_options(max_retries=0).ai.assistants.tags.list()
            provider.shutdown()

        asyncio.run(main())
        print(json.dumps([s.name for s in exporter.get_finished_spans()]))
        """
    )
    assert json.loads(out) == ["GET /ai/assistants/tests/test-suites", "GET /ai/assistants/tags"]


def test_tracing_is_on_by_default_when_opentelemetry_is_installed() -> None:
    client = AsyncTelnyx("key")
    assert isinstance(client._context.send, TracingLayer)
    assert isinstance(client.with_options(max_retries=0)._context.send, TracingLayer)


def test_tracing_false_composes_no_layer() -> None:
    client = AsyncTelnyx("key", tracing=False)
    assert client._shared.trace is None
    assert not isinstance(client._context.send, TracingLayer)
    assert not isinstance(client.with_options(max_retries=0)._context.send, TracingLayer)


def test_contradictory_or_wrong_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="tracing=False"):
        AsyncTelnyx("key", tracing=False, tracer_provider=trace.NoOpTracerProvider())
    with pytest.raises(TypeError, match="`tracing`"):
        AsyncTelnyx("key", tracing="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="TracerProvider"):
        AsyncTelnyx("key", tracer_provider=object())  # type: ignore[arg-type]
