"""The fake's memory: everything created so far, and the look-ups every handler group shares."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, TypeGuard

from ._clock import Clock
from ._errors import ApiError, problem
from ._exchange import Call

__all__ = [
    "DEFAULT_MODEL",
    "DELETED_RETENTION",
    "FINAL_STATUSES",
    "JSON",
    "UNFINISHED_STATUSES",
    "DeletedAssistantEntry",
    "FakeState",
    "StoredAssistant",
    "StoredRun",
    "StoredVersion",
    "TestBehaviour",
    "is_object",
    "new_id",
    "query_bool",
]

JSON = dict[str, Any]

FINAL_STATUSES = frozenset({"passed", "failed", "error"})
UNFINISHED_STATUSES = frozenset({"pending", "starting", "running"})
DEFAULT_MODEL = "openai/gpt-4o"
DELETED_RETENTION = 30 * 24 * 3600.0
"""Seconds (on the fake's clock) a soft-deleted assistant stays restorable."""
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def is_object(value: object) -> TypeGuard[JSON]:
    """Whether ``value`` is a JSON object (a ``dict``: its keys are strings)."""
    return isinstance(value, dict)


def new_id() -> str:
    """A fresh uuid4 string."""
    return str(uuid.uuid4())


@dataclass
class TestBehaviour:
    """How runs of one test play out on the fake's clock."""

    __test__ = False  # not a pytest test class, whatever its name says

    outcome: str = "passed"
    duration: float = 0.0
    start_delay: float = 0.0
    detail: dict[str, str] = field(default_factory=dict[str, str])


@dataclass
class StoredVersion:
    """One version of an assistant: its id, name, creation time and settings."""

    version_id: str
    version_name: str
    created_at: str
    config: JSON


@dataclass
class StoredAssistant:
    """An assistant: its versions and which one is the main version."""

    id: str
    created_at: str
    main_version_id: str
    versions: dict[str, StoredVersion]
    import_metadata: JSON | None = None

    @property
    def main(self) -> StoredVersion:
        """The version the assistant serves now."""
        return self.versions[self.main_version_id]


@dataclass
class DeletedAssistantEntry:
    """A soft-deleted assistant in the Recently Deleted list, and when it goes for good."""

    assistant: StoredAssistant
    deleted: float
    """The clock reading at deletion."""
    deleted_at: str
    permanently_deleted_at: str

    @property
    def purge(self) -> float:
        """The clock reading from which it is gone for good."""
        return self.deleted + DELETED_RETENTION


@dataclass
class StoredRun:
    """A test run: when it started and how it will play out on the clock."""

    run_id: str
    test_id: str
    suite: str | None
    test_suite_run_id: str | None
    created: float
    created_at: str
    behaviour: TestBehaviour
    rubric_names: list[str]
    conversation_id: str
    triggered_by: str = "api"


def positive_query_int(call: Call, name: str, default: int, maximum: int | None) -> int:
    """The positive integer in query parameter ``name`` (``page[number]``, ``page[size]``)."""
    raw = call.q(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ApiError.invalid(
            problem(
                "int_parsing",
                ("query", name),
                "Input should be a valid integer, unable to parse string as an integer",
                raw,
            )
        ) from None
    if value < 1:
        raise ApiError.invalid(
            problem(
                "greater_than_equal",
                ("query", name),
                "Input should be greater than or equal to 1",
                raw,
                ctx={"ge": 1},
            )
        )
    if maximum is not None and value > maximum:
        raise ApiError.invalid(
            problem(
                "less_than_equal",
                ("query", name),
                f"Input should be less than or equal to {maximum}",
                raw,
                ctx={"le": maximum},
            )
        )
    return value


def query_bool(call: Call, name: str) -> bool | None:
    """Query parameter ``name`` read as a boolean the way FastAPI reads one; ``None`` if absent."""
    raw = call.q(name)
    if raw is None:
        return None
    word = raw.strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ApiError.invalid(
        problem(
            "bool_parsing",
            ("query", name),
            "Input should be a valid boolean, unable to interpret input",
            raw,
        )
    )


class FakeState:
    """Everything the fake holds, keyed by id, plus the clock that ages test runs."""

    def __init__(self, clock: Clock) -> None:
        """Empty state whose times are read from ``clock``."""
        self.clock = clock
        self._origin = clock.now()
        self._wall_origin = datetime.now(timezone.utc)
        self.ignore_page_number = False
        self.assistants: dict[str, StoredAssistant] = {}
        self.deleted: dict[str, DeletedAssistantEntry] = {}
        self.tests: dict[str, JSON] = {}
        self.behaviour: dict[str, TestBehaviour] = {}
        self.runs: dict[str, StoredRun] = {}
        self.canaries: dict[str, JSON] = {}
        self.events: dict[str, JSON] = {}
        self.tools: dict[str, JSON] = {}
        self.mcp_servers: dict[str, JSON] = {}
        self.integrations: dict[str, JSON] = {}
        self.connections: dict[str, JSON] = {}

    def wall(self, reading: float | None = None) -> str:
        """The wall-clock timestamp for a clock reading (default: now), ISO-8601 with ``Z``."""
        t = self.clock.now() if reading is None else reading
        moment = self._wall_origin + timedelta(seconds=t - self._origin)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def page(
        self, call: Call, items: Sequence[JSON], *, default_size: int, max_size: int | None
    ) -> tuple[list[JSON], JSON]:
        """The page of ``items`` the query asks for, and its ``meta`` block."""
        number = positive_query_int(call, "page[number]", 1, None)
        size = positive_query_int(call, "page[size]", default_size, max_size)
        if self.ignore_page_number:
            number = 1
        start = (number - 1) * size
        total = len(items)
        meta = {
            "page_number": number,
            "page_size": size,
            "total_pages": math.ceil(total / size) if total else 0,
            "total_results": total,
        }
        return list(items[start : start + size]), meta

    def assistant(self, call: Call) -> StoredAssistant:
        """The assistant named by the ``assistant_id`` path parameter (404 if unknown)."""
        aid = call.params["assistant_id"]
        found = self.assistants.get(aid)
        if found is None:
            raise ApiError.not_found(f"Assistant {aid} not found.")
        return found

    def recently_deleted(self) -> dict[str, DeletedAssistantEntry]:
        """The Recently Deleted list by id, after dropping the entries whose time is up."""
        now = self.clock.now()
        for aid in [k for k, entry in self.deleted.items() if now >= entry.purge]:
            del self.deleted[aid]
        return self.deleted

    def deleted_assistant(self, call: Call) -> DeletedAssistantEntry:
        """The soft-deleted assistant named by ``assistant_id`` (404 if not in the list)."""
        aid = call.params["assistant_id"]
        found = self.recently_deleted().get(aid)
        if found is None:
            raise ApiError.not_found(f"Assistant {aid} is not in the Recently Deleted list.")
        return found

    def version(self, assistant: StoredAssistant, version_id: str) -> StoredVersion:
        """One version of ``assistant``; ``"main"`` names the main version (404 if unknown)."""
        if version_id == "main":
            return assistant.main
        found = assistant.versions.get(version_id)
        if found is None:
            raise ApiError.not_found(f"Version {version_id} of assistant {assistant.id} not found.")
        return found

    def shared_tool(self, tool_id: str) -> JSON:
        """The shared tool ``tool_id`` (404 if unknown)."""
        found = self.tools.get(tool_id)
        if found is None:
            raise ApiError.not_found(f"Tool {tool_id} not found.")
        return found

    def test(self, call: Call) -> JSON:
        """The test named by the ``test_id`` path parameter (404 if unknown)."""
        tid = call.params["test_id"]
        found = self.tests.get(tid)
        if found is None:
            raise ApiError.not_found(f"Test {tid} not found.")
        return found
