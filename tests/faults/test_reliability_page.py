"""Regenerating docs/reliability.md keeps its hand-written sections."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _report_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "reliability_report", ROOT / "scripts" / "reliability_report.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("reliability_report", module)
    spec.loader.exec_module(module)
    return module


def test_the_part_after_the_marker_is_kept_and_nothing_else() -> None:
    report = _report_script()
    page = "# Reliability\n\n| old | table |\n\n" + report.HAND_WRITTEN + "\n\n## Promises\n\ntext\n"
    kept = report.hand_written_part(page)
    assert kept == "\n" + report.HAND_WRITTEN + "\n\n## Promises\n\ntext\n"
    assert report.hand_written_part("# Reliability\n\nno marker\n") == ""


def test_the_committed_page_has_its_hand_written_part_behind_the_marker() -> None:
    report = _report_script()
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert "## Round 2" in report.hand_written_part(page)
