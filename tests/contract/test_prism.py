"""Every operation through the SDK against Stoplight Prism serving the spec.

Prism runs with ``--errors``: a request that breaks the spec (a missing required
field, a wrong type or format, a bad path) is answered 422/400 with the reasons
in an ``sl-violations`` header, and the test fails quoting them. Prism answers
valid requests with the spec's examples (or data generated from the schemas):
the SDK must turn them into the type its method declares.

Run: ``python -m pytest -m contract tests/contract``.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import aiohttp
import pytest
from surface import IDS, OPERATIONS, Operation, annotation_name, resolve, return_type

from telnyx_async import (
    APIResponseValidationError,
    APIStatusError,
    AsyncPager,
    AsyncTelnyx,
    Page,
)

from .conftest import PrismServer

pytestmark = pytest.mark.contract


def _violations(header: str | None) -> list[dict[str, Any]]:
    if not header:
        return []
    try:
        parsed = json.loads(header)
    except ValueError:
        return [{"location": ["?"], "severity": "?", "code": "?", "message": header}]
    return parsed if isinstance(parsed, list) else [parsed]


def _describe_violations(items: list[dict[str, Any]]) -> str:
    lines = []
    for item in items:
        location = ".".join(str(part) for part in item.get("location", []))
        lines.append(
            f"  - [{item.get('severity')}] {location}: {item.get('message')} ({item.get('code')})"
        )
    return "\n".join(lines)


def _explain_status(op: Operation, exc: APIStatusError) -> str:
    """Prism's reason for refusing a call: its ``sl-violations``, else its problem body."""
    head = f"{op.method}: {exc.method} {exc.url} answered {exc.status_code}"
    violations = _violations(exc.headers.get("sl-violations"))
    if violations:
        return f"{head}; Prism's request violations:\n{_describe_violations(violations)}"
    try:
        problem = json.loads(exc.body)
    except ValueError:
        problem = None
    if isinstance(problem, dict) and ("title" in problem or "detail" in problem):
        return f"{head}: {problem.get('title')}: {problem.get('detail')} [{problem.get('type')}]"
    return f"{head}: {exc}\nbody: {exc.body[:2000]}"


def _mismatch(value: Any, tp: Any, where: str = "result") -> str | None:
    """Why ``value`` is not a ``tp`` (an evaluated annotation), or ``None`` when it is."""
    if tp is Any:
        return None
    if tp is None or tp is type(None):
        return None if value is None else f"{where} is {type(value).__name__}, expected None"
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        if any(_mismatch(value, arg, where) is None for arg in args):
            return None
        return f"{where} is {type(value).__name__}, expected {annotation_name(tp)}"
    if origin is AsyncPager:
        if not isinstance(value, AsyncPager):
            return f"{where} is {type(value).__name__}, expected an AsyncPager"
        return None  # its first page is checked by the caller
    if origin in (list, dict):
        if not isinstance(value, origin):
            return f"{where} is {type(value).__name__}, expected {annotation_name(tp)}"
        if origin is list and args:
            for index, item in enumerate(value):
                problem = _mismatch(item, args[0], f"{where}[{index}]")
                if problem:
                    return problem
        if origin is dict and len(args) == 2:
            for key, item in value.items():
                problem = _mismatch(key, args[0], f"{where} key {key!r}") or _mismatch(
                    item, args[1], f"{where}[{key!r}]"
                )
                if problem:
                    return problem
        return None
    if isinstance(tp, type):
        if isinstance(value, tp):
            return None
        return f"{where} is {type(value).__name__} ({value!r:.200}), expected {tp.__name__}"
    return f"cannot check {where} against {tp!r}"


@pytest.mark.parametrize(
    "key", sorted(OPERATIONS), ids=[f"{m} {p}" for m, p in sorted(OPERATIONS)]
)
async def test_operation_against_prism(prism: PrismServer, key: tuple[str, str]) -> None:
    op = OPERATIONS[key]
    exchanges: list[tuple[str, str, int, list[dict[str, Any]]]] = []

    async def on_request_end(
        session: aiohttp.ClientSession,
        context: types.SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        response = params.response
        exchanges.append(
            (
                params.method,
                str(params.url),
                response.status,
                _violations(response.headers.get("sl-violations")),
            )
        )

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    async with (
        aiohttp.ClientSession(trace_configs=[trace]) as session,
        AsyncTelnyx(
            api_key="test-key", base_url=prism.base_url, max_retries=0, session=session
        ) as client,
    ):
        try:
            method = resolve(client, op.method)
        except AttributeError as exc:
            pytest.fail(f"client.{op.method} does not exist ({exc})")
        declared = return_type(method)
        first_page: Page[Any] | None = None
        try:
            result = await op.invoke(client, IDS)
            if isinstance(result, AsyncPager):
                first_page = await result
        except APIStatusError as exc:
            pytest.fail(_explain_status(op, exc))
        except APIResponseValidationError as exc:
            pytest.fail(
                f"{op.method}: the SDK rejected Prism's response for {key[0]} {key[1]}: {exc}\n"
                f"body: {(exc.body or '')[:3000]}"
            )

    assert exchanges, f"{op.method} sent no request"
    for http, url, status, violations in exchanges:
        on_request = [v for v in violations if (v.get("location") or [None])[0] == "request"]
        assert not on_request, (
            f"{op.method}: Prism accepted {http} {url} ({status}) but reported:\n"
            + _describe_violations(on_request)
        )

    problem = _mismatch(result, declared)
    assert problem is None, f"{op.method} declares {op.returns}: {problem}"
    if first_page is not None:
        (item_type,) = typing.get_args(declared)
        assert isinstance(first_page, Page), f"awaiting the pager gave {type(first_page)}"
        assert first_page.data, f"{op.method}: Prism's first page is empty; nothing was checked"
        for index, item in enumerate(first_page.data):
            problem = _mismatch(item, item_type, f"page.data[{index}]")
            assert problem is None, f"{op.method} declares {op.returns}: {problem}"
