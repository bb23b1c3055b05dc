"""telnyx_async: the async-first Python SDK for the Telnyx AI Assistants API.

```python
from telnyx_async import AsyncTelnyx

async with AsyncTelnyx() as client:          # key from $TELNYX_API_KEY
    async for test in client.ai.assistants.tests.list():
        print(test.name)
```
"""

from typing import TYPE_CHECKING, Any

from telnyx_async._adaptive import AdaptiveThrottle
from telnyx_async._client import AsyncTelnyx, RequestOptions
from telnyx_async._config import RetryConfig, Timeout
from telnyx_async._http import AUTO_IDEMPOTENT, RequestDefaults, build_request
from telnyx_async._pagination import AsyncPager, Page, PageMeta
from telnyx_async._response import (
    APIResponse,
    AsyncAPIResponse,
    AsyncResponseContextManager,
    HTTPRequest,
)
from telnyx_async._throttle import Throttle
from telnyx_async._types import UNSET, UnsetType
from telnyx_async._version import __version__
from telnyx_async._wire import Request, Response
from telnyx_async.errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    ErrorDetail,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    PollTimeoutError,
    RateLimitError,
    RateLimitInfo,
    StreamConsumedError,
    TelnyxError,
    UnprocessableEntityError,
)

__all__ = [
    "AUTO_IDEMPOTENT",
    "TERMINAL_STATUSES",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AdaptiveThrottle",
    "AsyncAPIResponse",
    "AsyncPager",
    "AsyncResponseContextManager",
    "AsyncTelnyx",
    "AuthenticationError",
    "BadRequestError",
    "BatchSummary",
    "ClientClosedError",
    "ConflictError",
    "ErrorDetail",
    "FailedCriterion",
    "HTTPRequest",
    "InternalServerError",
    "NotFoundError",
    "Page",
    "PageMeta",
    "PaginationError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "RateLimitInfo",
    "RedisThrottle",
    "Request",
    "RequestDefaults",
    "RequestOptions",
    "Response",
    "RetryConfig",
    "RunBatch",
    "RunOutcome",
    "StreamConsumedError",
    "TelnyxError",
    "Throttle",
    "Timeout",
    "UnprocessableEntityError",
    "UnsetType",
    "__version__",
    "build_request",
    "is_terminal",
]

if TYPE_CHECKING:
    from telnyx_async._redis_throttle import RedisThrottle
    from telnyx_async.orchestration import (
        TERMINAL_STATUSES,
        BatchSummary,
        FailedCriterion,
        RunBatch,
        RunOutcome,
        is_terminal,
    )

_LAZY = {
    "TERMINAL_STATUSES": "telnyx_async.orchestration",
    "BatchSummary": "telnyx_async.orchestration",
    "FailedCriterion": "telnyx_async.orchestration",
    "RunBatch": "telnyx_async.orchestration",
    "RunOutcome": "telnyx_async.orchestration",
    "is_terminal": "telnyx_async.orchestration",
    "RedisThrottle": "telnyx_async._redis_throttle",
}


def __getattr__(name: str) -> Any:
    # Orchestration pulls in the test models, and RedisThrottle is an optional
    # extra (it needs redis-py): load them on first use, not at import.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'telnyx_async' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
