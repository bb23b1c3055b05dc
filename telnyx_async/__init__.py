"""telnyx_async: the async-first Python SDK for the Telnyx AI Assistants API.

```python
from telnyx_async import AsyncTelnyx

async with AsyncTelnyx() as client:          # key from $TELNYX_API_KEY
    async for test in client.ai.assistants.tests.list():
        print(test.name)
```
"""

from telnyx_async._client import AsyncTelnyx, RequestOptions
from telnyx_async._config import RetryConfig, Timeout
from telnyx_async._pagination import AsyncPager, Page, PageMeta
from telnyx_async._types import UNSET, UnsetType
from telnyx_async._version import __version__
from telnyx_async.errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    PollTimeoutError,
    RateLimitError,
    RateLimitInfo,
    TelnyxError,
    UnprocessableEntityError,
)

__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AsyncTelnyx",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ErrorDetail",
    "InternalServerError",
    "NotFoundError",
    "Page",
    "PageMeta",
    "PaginationError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "RateLimitInfo",
    "RequestOptions",
    "RetryConfig",
    "TelnyxError",
    "Timeout",
    "UnprocessableEntityError",
    "UnsetType",
    "__version__",
]
