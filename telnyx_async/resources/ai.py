"""``client.ai``: the root of the AI Assistants API."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from telnyx_async._resource import Resource

if TYPE_CHECKING:
    from telnyx_async.resources.assistants import AssistantsResource

__all__ = ["AIResource"]


class AIResource(Resource):
    """Groups ``assistants``, ``integrations``, ``mcp_servers`` and shared ``tools``."""

    @functools.cached_property
    def assistants(self) -> AssistantsResource:
        """AI assistants and everything attached to them (tests, versions, tags, ...)."""
        from telnyx_async.resources.assistants import AssistantsResource

        return AssistantsResource(self._client)
