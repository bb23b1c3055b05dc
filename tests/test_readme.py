"""Every ```python block in the README runs, as written, against FakeTelnyx."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from telnyx_async.testing import FakeTelnyx

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_snippets() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
async def test_readme_snippet_runs(
    source: str, fake: FakeTelnyx, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELNYX_API_KEY", fake.api_key)
    monkeypatch.setenv("TELNYX_BASE_URL", fake.url)
    fake.add_test(name="smoke one", test_suite="smoke")
    body = textwrap.indent(source, "    ")
    namespace: dict[str, Any] = {}
    exec(compile(f"async def __snippet():\n{body}\n", str(README), "exec"), namespace)
    await namespace["__snippet"]()
