"""docs/retries.md's table of automatic Idempotency-Keys says exactly what AUTO_IDEMPOTENT does."""

from __future__ import annotations

import re
from pathlib import Path

from telnyx_async import AUTO_IDEMPOTENT

RETRIES_PAGE = Path(__file__).resolve().parents[2] / "docs" / "retries.md"


def automatic_rows() -> set[tuple[str, str]]:
    """The ``(method, route)`` of every table row whose key is sent automatically."""
    rows: set[tuple[str, str]] = set()
    for line in RETRIES_PAGE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `(POST|GET|PUT|PATCH|DELETE) (/[^`]*)` \|.*\| automatic \|", line)
        if match:
            rows.add((match.group(1), match.group(2)))
    return rows


def test_the_table_lists_every_auto_idempotent_operation_and_no_other() -> None:
    assert automatic_rows() == set(AUTO_IDEMPOTENT)
