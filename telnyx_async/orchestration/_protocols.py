"""The resource methods orchestration calls, as protocols.

Orchestration takes these from ``client.ai.assistants.tests`` (the resources
hand themselves in), so it never imports the resources and tests can pass
stand-ins.
"""

from __future__ import annotations

from typing import Protocol

from telnyx_async._config import Timeout
from telnyx_async._pagination import AsyncPager
from telnyx_async._types import UnsetType
from telnyx_async.models.tests import AssistantTestResponse, TestRunResponse

__all__ = ["ListTests", "RunsAPI", "SuiteRunsAPI"]


class RunsAPI(Protocol):
    """What orchestration calls on ``client.ai.assistants.tests.runs``."""

    async def trigger(
        self, test_id: str, *, destination_version_id: str | UnsetType = ..., timeout: Timeout = ...
    ) -> TestRunResponse:
        """Start a run of one test."""
        ...

    async def retrieve(
        self, run_id: str, *, test_id: str, timeout: Timeout = ...
    ) -> TestRunResponse:
        """The current state of one run."""
        ...


class SuiteRunsAPI(Protocol):
    """What orchestration calls on ``client.ai.assistants.tests.test_suites.runs``."""

    async def trigger(
        self, suite_name: str, *, destination_version_id: str | UnsetType = ...,
        timeout: Timeout = ...,
    ) -> list[TestRunResponse]:
        """Start a run of every test of a suite."""
        ...


class ListTests(Protocol):
    """``client.ai.assistants.tests.list``, as far as orchestration uses it."""

    def __call__(
        self, *, test_suite: str | UnsetType = ..., prefetch: int | UnsetType | None = ...,
        timeout: Timeout = ...,
    ) -> AsyncPager[AssistantTestResponse]:
        """The tests of a suite."""
        ...
