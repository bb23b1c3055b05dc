"""Finding the OpenAPI document beside the repo and checking responses against it.

The spec lives outside the repository, at ``../shared/spec/`` from the repo
root. Tests that need it call :func:`require_spec`, which skips them with a
clear reason when it is absent.

The API has grown past that document: ``scripts/spec_overlay.json`` says what
the newer API adds, and :func:`load_api` / :func:`require_api` give the spec
with the overlay laid over it by the generator's own ``apply_overlay`` (the
same document the models and FakeTelnyx's body rules come from). The fake's
answers are checked against that document.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator

if TYPE_CHECKING:
    from telnyx_async.testing import FakeTelnyx

SPEC_PATH = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "spec"
    / "telnyx-ai-assistants.openapi.json"
)
"""Where the OpenAPI document is expected (``../shared/spec/`` from the repo root)."""

OVERLAY_PATH = Path(__file__).resolve().parents[1] / "scripts" / "spec_overlay.json"
"""What the newer API has that the spec lacks (``scripts/spec_overlay.json``)."""
_GENERATOR = Path(__file__).resolve().parents[1] / "scripts" / "gen_models.py"

_SKIP_REASON = "../shared/spec/telnyx-ai-assistants.openapi.json not found beside the repo"
_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

_TELNYX_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "title", "detail"],
                "properties": {
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        }
    },
}
_FASTAPI_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        }
    },
}


@lru_cache(maxsize=1)
def _read_spec(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def load_spec() -> dict[str, Any] | None:
    """The parsed OpenAPI document, or ``None`` when it is not beside the repo."""
    text = _read_spec(str(SPEC_PATH))
    if text is None:
        return None
    spec: dict[str, Any] = json.loads(text)
    return spec


def require_spec() -> dict[str, Any]:
    """The parsed OpenAPI document; skips the calling test when it is absent."""
    spec = load_spec()
    if spec is None:
        pytest.skip(_SKIP_REASON)
    return spec


@lru_cache(maxsize=1)
def _generator() -> ModuleType:
    """``scripts/gen_models.py``, loaded as a module (it is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_models", _GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def load_overlay() -> dict[str, Any]:
    """The parsed ``scripts/spec_overlay.json``."""
    overlay: dict[str, Any] = json.loads(OVERLAY_PATH.read_text(encoding="utf-8"))
    return overlay


def with_overlay(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` with the overlay laid over it, as the generator lays it."""
    merged: dict[str, Any] = _generator().apply_overlay(spec, load_overlay())
    return merged


@lru_cache(maxsize=1)
def _api(text: str) -> dict[str, Any]:
    return with_overlay(json.loads(text))


def load_api() -> dict[str, Any] | None:
    """The spec with the overlay laid over it, or ``None`` without the spec. Do not change it."""
    text = _read_spec(str(SPEC_PATH))
    return None if text is None else _api(text)


def require_api() -> dict[str, Any]:
    """The spec with the overlay laid over it; skips the calling test without the spec."""
    api = load_api()
    if api is None:
        pytest.skip(_SKIP_REASON)
    return api


_OVERLAID: list[tuple[dict[str, Any], dict[str, Any]]] = []


def _overlaid(spec: dict[str, Any]) -> dict[str, Any]:
    """:func:`with_overlay` of ``spec``, kept for the last few documents asked about."""
    for source, merged in _OVERLAID:
        if source is spec:
            return merged
    merged = with_overlay(spec)
    _OVERLAID.append((spec, merged))
    del _OVERLAID[:-4]
    return merged


def newer_operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """The ``(METHOD, path template)`` the overlay's ``paths`` lists and ``spec`` lacks."""
    found: list[tuple[str, str]] = []
    for path, item in load_overlay().get("paths", {}).items():
        for method in item:
            known = (spec["paths"].get(path) or {}).get(method)
            if method in _HTTP_METHODS and known is None:
                found.append((method.upper(), path))
    return found


def spec_operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Every ``(METHOD, path template)`` in the spec, in document order."""
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in _HTTP_METHODS
    ]


_VALIDATORS: dict[tuple[int, str], Draft202012Validator] = {}


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    key = (id(spec), json.dumps(schema, sort_keys=True))
    found = _VALIDATORS.get(key)
    if found is None:
        # Local "#/components/schemas/..." references resolve against this root.
        root = {"components": spec.get("components", {}), "allOf": [schema]}
        found = Draft202012Validator(root)
        _VALIDATORS[key] = found
    return found


def _check(validator: Draft202012Validator, body: Any, what: str) -> None:
    errors = sorted(validator.iter_errors(body), key=lambda e: (len(e.absolute_path), str(e.path)))
    if not errors:
        return
    lines = [f"{what}: {len(errors)} schema violation(s)"]
    for err in errors[:10]:
        where = "/".join(str(p) for p in err.absolute_path) or "<root>"
        lines.append(f"  at {where}: {err.message[:300]}")
        for sub in sorted(err.context or [], key=lambda e: len(e.absolute_path))[:3]:
            sub_where = "/".join(str(p) for p in sub.absolute_path) or "<root>"
            lines.append(f"      - {sub_where}: {sub.message[:200]}")
    preview = json.dumps(body)[:500]
    lines.append(f"  body: {preview}")
    raise AssertionError("\n".join(lines))


def check_error_shape(status: int, body: Any) -> None:
    """Assert ``body`` is a Telnyx error document (or FastAPI's, for 422)."""
    schema = _FASTAPI_ERROR_SCHEMA if status == 422 else _TELNYX_ERROR_SCHEMA
    _check(Draft202012Validator(schema), body, f"error body for status {status}")


def validate_response(
    spec: dict[str, Any],
    method: str,
    route: str,
    status: int,
    body_json: Any,
    *,
    allow_undeclared_errors: bool = True,
) -> None:
    """Assert that ``body_json`` is what the spec declares for this answer.

    ``route`` is the spec path template. A status the operation does not
    declare fails, except error statuses (>= 400) when
    ``allow_undeclared_errors`` is true: those must carry the Telnyx error
    document. A response declared without content must have no body (pass
    ``None``). For ``text/plain`` responses pass the decoded text.
    """
    what = f"{method.upper()} {route} -> {status}"
    item = spec["paths"].get(route)
    if item is None:
        raise AssertionError(f"{what}: the spec has no path {route!r}")
    operation = item.get(method.lower())
    if operation is None:
        raise AssertionError(f"{what}: the spec has no {method.upper()} operation on {route!r}")
    declared = operation.get("responses", {})
    response = declared.get(str(status))
    if response is None:
        if allow_undeclared_errors and status >= 400:
            check_error_shape(status, body_json)
            return
        raise AssertionError(
            f"{what}: status {status} is not declared (declared: {sorted(declared)})"
        )
    content = response.get("content") or {}
    if not content:
        if body_json not in (None, "", b""):
            raise AssertionError(f"{what}: the spec declares no body, got {body_json!r:.200}")
        return
    media = content.get("application/json") or next(iter(content.values()))
    schema = media.get("schema") or {}
    _check(_validator(spec, schema), body_json, what)


def sse_events(text: str) -> list[tuple[str | None, str]]:
    """``(event name or None, data)`` of each event of a Server-Sent Events body."""
    events: list[tuple[str | None, str]] = []
    name: str | None = None
    data: list[str] = []
    for line in [*text.splitlines(), ""]:
        if not line:
            if data or name is not None:
                events.append((name, "\n".join(data)))
            name, data = None, []
        elif not line.startswith(":"):
            key, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if key == "event":
                name = value
            elif key == "data":
                data.append(value)
    return events


def validate_event_stream(
    spec: dict[str, Any], method: str, route: str, status: int, text: str
) -> None:
    """Assert ``text`` is an event stream of JSON objects whose last event, ``done``, is the answer.

    The ``done`` event's data must be what the spec declares for a JSON answer
    of this operation; every other event must be a JSON object too.
    """
    what = f"{method.upper()} {route} -> {status} (event stream)"
    events = sse_events(text)
    if not events:
        raise AssertionError(f"{what}: no events")
    for name, data in events:
        try:
            payload = json.loads(data)
        except ValueError:
            raise AssertionError(f"{what}: event {name!r} data is not JSON: {data[:200]!r}") from None
        if not isinstance(payload, dict):
            raise AssertionError(f"{what}: event {name!r} data is not an object: {data[:200]!r}")
    names = [name for name, _ in events]
    if names[-1] != "done" or names.count("done") != 1:
        raise AssertionError(f"{what}: expected one `done` event, last; got {names}")
    validate_response(spec, method, route, status, json.loads(events[-1][1]))


def assert_fake_responses_valid(fake: FakeTelnyx, spec: dict[str, Any] | None = None) -> int:
    """Validate every answer recorded by ``fake`` against the API; return how many were checked.

    The API is ``spec`` (default: the spec beside the repo) with the overlay
    laid over it, so the newer operations are checked too. Answers served by
    scripted faults and requests that got no answer are skipped; error
    answers must be Telnyx error documents (FastAPI's for 422); an event
    stream must end in a ``done`` event that is the operation's answer.
    Without the spec (not given and not beside the repo) nothing is checked.
    """
    api = load_api() if spec is None else _overlaid(spec)
    if api is None:
        return 0
    checked = 0
    for rec in list(fake.requests):
        if rec.status is None or rec.fault is not None or not rec.completed:
            continue
        operation = (api["paths"].get(rec.route or "") or {}).get(rec.method.lower())
        ctype = rec.response_headers.get("content-type", "") or ""
        if ctype.startswith("text/event-stream") and operation is not None and rec.route:
            text = rec.response_body.decode("utf-8")
            validate_event_stream(api, rec.method, rec.route, rec.status, text)
            checked += 1
            continue
        if ctype.startswith("text/plain"):
            body: Any = rec.response_body.decode("utf-8")
        elif rec.response_body:
            body = rec.response_json
            if body is None:
                raise AssertionError(
                    f"{rec.method} {rec.path} -> {rec.status}: body is not JSON: {rec.response_body[:200]!r}"
                )
        else:
            body = None
        if operation is None or rec.route is None:
            if rec.status < 400:
                raise AssertionError(
                    f"{rec.method} {rec.path} -> {rec.status}: not an operation of the API (spec or overlay)"
                )
            check_error_shape(rec.status, body)
        else:
            validate_response(api, rec.method, rec.route, rec.status, body)
        checked += 1
    return checked
