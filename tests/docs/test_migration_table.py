"""docs/migration.md lists every operation, and every official method, side by side.

Every operation of docs/reference/operations.md (the spec's) and of the newer
API (``surface.NEWER_OPERATIONS``) has a row, and so has every method of the
official SDK's async surface (``surface.OFFICIAL_ASYNC_METHODS``), shown in
the official columns under its own name.
"""

from __future__ import annotations

import re
from pathlib import Path

from surface import NEWER_OPERATIONS, OFFICIAL_ASYNC_METHODS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _operations() -> list[str]:
    text = (DOCS / "reference" / "operations.md").read_text(encoding="utf-8")
    calls = re.findall(r"^\| (?:GET|POST|PUT|PATCH|DELETE) \| [^|]+ \| `([^`]+)` \|", text, re.M)
    assert len(calls) >= 50, "the operations table moved or changed shape"
    return calls


def _migration_rows() -> list[list[str]]:
    text = (DOCS / "migration.md").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.startswith("| `") and line.count("|") == 4:
            row = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if "client." in row[2]:  # not a header row
                rows.append(row)
    return rows


def test_every_operation_has_a_row() -> None:
    rows = _migration_rows()
    assert len(rows) >= 50
    ours = " ".join(row[2] for row in rows)
    missing = [call for call in _operations() if f"{call}`" not in ours]
    assert not missing, f"docs/migration.md has no row for: {missing}"


def test_each_row_shows_the_same_call_three_ways() -> None:
    for official_sync, official_async, ours in _migration_rows():
        path = re.search(r"client(?:\.\w+)+\(", ours)
        assert path is not None, ours
        assert path.group(0) in official_sync, (official_sync, ours)
        assert path.group(0) in official_async, (official_async, ours)
        assert "await " in ours or "async for " in ours, ours


def test_every_official_method_has_a_row() -> None:
    rows = _migration_rows()
    official = " ".join(row[1] for row in rows)
    missing = [
        dotted for dotted in sorted(OFFICIAL_ASYNC_METHODS) if f"client.{dotted}(" not in official
    ]
    assert not missing, f"docs/migration.md has no row for the official {missing}"
    ours = " ".join(row[2] for row in rows)
    for dotted in sorted(OFFICIAL_ASYNC_METHODS):
        assert f"client.{dotted}(" in ours, dotted


def test_every_newer_operation_has_a_row() -> None:
    ours = " ".join(row[2] for row in _migration_rows())
    missing = [op.method for op in NEWER_OPERATIONS.values() if f"client.{op.method}(" not in ours]
    assert not missing, f"docs/migration.md has no row for {missing}"


def test_the_page_counts_and_claims_hold() -> None:
    text = (DOCS / "migration.md").read_text(encoding="utf-8")
    assert f"All {len(OFFICIAL_ASYNC_METHODS)} methods" in text
    assert "There is no `err.response`" not in text
    assert "There is no `.with_raw_response`" not in text
    for needed in ("with_raw_response", "with_streaming_response", "err.response", "client.get("):
        assert needed in text, needed
