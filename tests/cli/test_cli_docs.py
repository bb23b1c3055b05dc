"""Every snippet in docs/orchestration.md and docs/cli.md runs, as written, against FakeTelnyx.

* ```python blocks run with ``TELNYX_API_KEY``/``TELNYX_BASE_URL`` pointing at a
  fake seeded with the demo suite (its runs finish as soon as they start, so the
  snippets do not wait in real time).
* ``$ telnyx-async ...`` lines of ```console blocks, and the ``telnyx-async``
  command of the CI workflow in ```yaml blocks, run through ``main()`` with
  ``--fake``.
"""

from __future__ import annotations

import asyncio
import re
import shlex
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from telnyx_async.cli import main
from telnyx_async.testing import FakeTelnyx

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ("orchestration.md", "cli.md")


def blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        for i, body in enumerate(re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)):
            found.append((f"{page}:{language}{i}", body))
    return found


PYTHON = blocks("python")
COMMANDS = [
    (f"{where}:{line}", line.removeprefix("$ "))
    for where, body in blocks("console")
    for line in body.splitlines()
    if line.startswith("$ telnyx-async ")
] + [
    (f"{where}:ci", line.split("run:", 1)[1].strip())
    for where, body in blocks("yaml")
    for line in body.splitlines()
    if "run: telnyx-async " in line
]


def test_the_docs_have_snippets() -> None:
    assert len(PYTHON) >= 6
    assert len(COMMANDS) >= 6
    assert any(where.endswith(":ci") for where, _ in COMMANDS)


@pytest.mark.parametrize("source", [s for _, s in PYTHON], ids=[w for w, _ in PYTHON])
async def test_python_snippet_runs(
    source: str, fake: FakeTelnyx, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.seed_demo()
    for test_id in fake.tests:
        fake.configure_test(test_id, duration=0)
    fake.set_rate_limit(rate_per_second=1000, burst=1000)  # so x-ratelimit-* headers are sent
    monkeypatch.setenv("TELNYX_API_KEY", fake.api_key)
    monkeypatch.setenv("TELNYX_BASE_URL", fake.url)
    namespace: dict[str, Any] = {}
    body = textwrap.indent(source, "    ")
    exec(compile(f"async def __snippet():\n{body}\n", "docs-snippet", "exec"), namespace)
    await asyncio.wait_for(namespace["__snippet"](), 30)


@pytest.mark.parametrize("command", [c for _, c in COMMANDS], ids=[w for w, _ in COMMANDS])
def test_documented_command_runs(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command)[1:]
    if "--fake" not in argv:
        argv.insert(0, "--fake")
    expected = 1 if "run" in argv else 0  # the demo suite has failing tests
    assert main(argv) == expected
    out, err = capsys.readouterr()
    assert out
    assert err == ""
    if "--junit" in argv:
        report = tmp_path / argv[argv.index("--junit") + 1]
        assert len(ET.parse(report).getroot().findall("testsuite/testcase")) == 6
