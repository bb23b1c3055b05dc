"""Print the official SDK's async AI Assistants surface as JSON (run in its own virtualenv).

``test_parity.py`` runs this with the interpreter of the ``bench`` nox
session, where ``telnyx`` is installed, and compares the result with
``surface.OFFICIAL_ASYNC_METHODS``. Names only: for each method, its
positional arguments, then ``"*"`` and its keyword-only ones, ``=`` marking
the optional ones. Exits 3 when ``telnyx`` cannot be imported.
"""

from __future__ import annotations

import inspect
import json
import sys
from typing import Any

PER_CALL = {"extra_headers", "extra_query", "extra_body", "timeout"}
GROUPS = ("ai.assistants", "ai.integrations", "ai.mcp_servers", "ai.tools")


def _follow(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


def _methods(resource: Any, where: str) -> list[str]:
    found: list[str] = []
    for name in sorted(dir(type(resource))):
        if name.startswith("_") or name in ("with_raw_response", "with_streaming_response"):
            continue
        attr = inspect.getattr_static(type(resource), name)
        if type(attr).__name__ == "cached_property":
            found += _methods(getattr(resource, name), f"{where}.{name}")
        elif inspect.isfunction(attr):
            found.append(f"{where}.{name}")
    return found


def _tokens(method: Any) -> list[str]:
    positional: list[str] = []
    keywords: list[str] = []
    for param in inspect.signature(method).parameters.values():
        if param.name in PER_CALL:
            continue
        token = param.name + ("" if param.default is inspect.Parameter.empty else "=")
        (positional if param.kind is param.POSITIONAL_OR_KEYWORD else keywords).append(token)
    return positional + (["*", *keywords] if keywords else [])


def main() -> int:
    """Write the surface to stdout; 3 when the official SDK is missing."""
    try:
        from telnyx import AsyncTelnyx
    except ImportError as exc:
        print(f"the official SDK is not importable: {exc}", file=sys.stderr)
        return 3
    client = AsyncTelnyx(api_key="surface-listing")
    surface = {
        dotted: _tokens(_follow(client, dotted))
        for group in GROUPS
        for dotted in _methods(_follow(client, group), group)
    }
    json.dump(surface, sys.stdout, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
