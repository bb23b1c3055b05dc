"""Which run statuses are final, and which mean the run is still going."""

from __future__ import annotations

from telnyx_async.models.tests import TestRunResponse

__all__ = ["IN_PROGRESS_STATUSES", "TERMINAL_STATUSES", "is_terminal"]

TERMINAL_STATUSES: frozenset[str] = frozenset(
    {"passed", "failed", "error", "completed", "timeout", "canceled", "cancelled"}
)
"""Statuses after which a run never changes again.

The API's status enum has ``passed``, ``failed`` and ``error``; its run-list
filter documents ``completed`` and ``timeout`` too, and both spellings of
``cancelled`` are accepted in case they appear.
"""

IN_PROGRESS_STATUSES: frozenset[str] = frozenset({"pending", "starting", "running"})
"""Statuses of a run that is known to be still going (no warning when seen)."""


def is_terminal(status: str | TestRunResponse) -> bool:
    """Whether a run status (or a run) is final: see :data:`TERMINAL_STATUSES`.

    Statuses this SDK does not know are not final: waiting goes on.
    """
    value = status.status if isinstance(status, TestRunResponse) else status
    return str(value) in TERMINAL_STATUSES
