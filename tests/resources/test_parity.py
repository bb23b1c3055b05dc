"""Parity with the official SDK's async AI Assistants surface, method by method.

``surface.OFFICIAL_ASYNC_METHODS`` lists every official method and the
arguments it takes (names only: facts of the public API). Every one of them
must exist here under the same dotted name, take the same arguments the same
way (positional or keyword, required or not), require nothing more, and have
its raw and streamed variants. Where the official SDK is installed (the
``bench`` nox session's virtualenv), the table itself is checked against it.
Then the official usage patterns that differ in shape (lists, pages, errors)
run against FakeTelnyx.
"""

from __future__ import annotations

import inspect
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from surface import OFFICIAL_ASYNC_METHODS, OFFICIAL_PAGINATED, REPO_ROOT, resolve

from telnyx_async import AsyncPager, AsyncTelnyx, NotFoundError, Page
from telnyx_async.models import Assistant, AssistantTestResponse
from telnyx_async.resources._assistant_settings import SETTING_NAMES
from telnyx_async.testing import FakeTelnyx

PER_CALL = {"extra_headers", "extra_query", "extra_body", "timeout"}
OFFICIAL_PYTHON = REPO_ROOT / ".nox" / "bench" / "bin" / "python"


@pytest.fixture(scope="module")
def client() -> AsyncTelnyx:
    """A client for looking methods up (no I/O)."""
    return AsyncTelnyx(api_key="parity-check", base_url="http://127.0.0.1:9")


def _official(dotted: str) -> tuple[list[str], dict[str, bool]]:
    """(positional names, {keyword name: required}) of an official method."""
    tokens = OFFICIAL_ASYNC_METHODS[dotted]
    star = tokens.index("*") if "*" in tokens else len(tokens)
    positional = [t.rstrip("=") for t in tokens[:star]]
    keywords = {t.rstrip("="): not t.endswith("=") for t in tokens[star + 1 :]}
    return positional, keywords


def _problems(dotted: str, method: Any) -> list[str]:
    positional, keywords = _official(dotted)
    params = [p for p in inspect.signature(method).parameters.values() if p.name not in PER_CALL]
    by_name = {p.name: p for p in params}
    takes_settings = any(p.kind is p.VAR_KEYWORD for p in params)
    problems: list[str] = []
    ours_positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    if ours_positional != positional:
        problems.append(f"positional {ours_positional}, official {positional}")
    for name, required in keywords.items():
        param = by_name.get(name)
        if param is None:
            if not (takes_settings and name in SETTING_NAMES):
                problems.append(f"no `{name}=`")
            elif required:
                problems.append(f"`{name}=` is required by the official SDK")
            continue
        if param.kind is param.VAR_POSITIONAL:
            problems.append(f"`{name}` is *args")
        ours_required = param.default is inspect.Parameter.empty
        if ours_required != required:
            problems.append(f"`{name}=` required: ours {ours_required}, official {required}")
    official_names = set(positional) | set(keywords)
    stricter = [
        p.name for p in params
        if p.default is inspect.Parameter.empty
        and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        and p.name not in official_names
    ]
    if stricter:
        problems.append(f"requires {stricter}, which the official SDK does not")
    return problems


def test_the_official_table_covers_the_whole_surface() -> None:
    assert len(OFFICIAL_ASYNC_METHODS) == 60
    assert set(OFFICIAL_ASYNC_METHODS) >= OFFICIAL_PAGINATED


@pytest.mark.parametrize("dotted", sorted(OFFICIAL_ASYNC_METHODS))
def test_each_official_method_is_called_the_same_way(client: AsyncTelnyx, dotted: str) -> None:
    method = resolve(client, dotted)
    problems = _problems(dotted, method)
    assert not problems, f"client.{dotted}: " + "; ".join(problems)
    owner_path, name = dotted.rsplit(".", 1)
    owner = resolve(client, owner_path)
    for view in (owner.with_raw_response, owner.with_streaming_response):
        assert inspect.signature(getattr(view, name)) == inspect.signature(method)


@pytest.mark.parametrize("dotted", sorted(OFFICIAL_PAGINATED))
def test_official_paginated_lists_are_pagers(client: AsyncTelnyx, dotted: str) -> None:
    positional, _ = _official(dotted)
    pager = resolve(client, dotted)(*["some-id"] * len(positional))
    assert isinstance(pager, AsyncPager)  # `async for`, or `await` for one page, as officially


def test_the_table_is_what_the_official_sdk_has() -> None:
    """Run in the official SDK's virtualenv (``nox -s bench`` makes it), when there is one."""
    if not OFFICIAL_PYTHON.exists():
        pytest.skip(f"no official SDK virtualenv at {OFFICIAL_PYTHON} (nox -s bench makes it)")
    script = Path(__file__).with_name("_official_surface.py")
    done = subprocess.run(
        [str(OFFICIAL_PYTHON), str(script)], capture_output=True, text=True, timeout=120,
        check=False,
    )
    if done.returncode == 3:
        pytest.skip(done.stderr.strip() or "the official SDK is not importable there")
    assert done.returncode == 0, done.stderr
    official = {name: tuple(tokens) for name, tokens in json.loads(done.stdout).items()}
    assert official == OFFICIAL_ASYNC_METHODS


# ---------------------------------------------------------------- official usage, as written


async def test_lists_read_the_official_way(fake: FakeTelnyx) -> None:
    fake.add_assistant(name="A")
    fake.add_test("Refund")
    async with fake.client() as c:
        assistants = await c.ai.assistants.list()  # officially an AssistantsList
        assert [a.name for a in assistants.data] == ["A"]
        page = await c.ai.assistants.tests.list()  # officially a page
        assert isinstance(page, Page) and isinstance(page.data[0], AssistantTestResponse)
        names = [t.name async for t in c.ai.assistants.tests.list()]  # officially async for
        assert names == ["Refund"]
        versions = await c.ai.assistants.versions.list(assistants.data[0].id)
        assert isinstance(versions.data, list)


async def test_errors_read_the_official_way(fake: FakeTelnyx) -> None:
    async with fake.client() as c:
        with pytest.raises(NotFoundError) as caught:
            await c.ai.assistants.retrieve("missing")
    err = caught.value
    assert err.status_code == 404
    assert err.response is not None and err.response.status_code == 404
    assert "errors" in err.response.json()
    assert err.response.text == err.body
    assert err.request is not None and err.request.method == "GET"


async def test_raw_and_streamed_read_the_official_way(fake: FakeTelnyx) -> None:
    made = fake.add_assistant(name="Support")
    async with fake.client() as c:
        raw = await c.ai.assistants.with_raw_response.retrieve(made["id"])
        request_id = raw.headers.get("x-request-id")
        assistant = await raw.parse()
        assert isinstance(assistant, Assistant) and request_id
        async with c.ai.assistants.tests.with_streaming_response.list() as response:
            assert response.status_code == 200
            page = await response.parse()
        assert page.data == []


# ---------------------------------------------------------------- only what the caller passed


LISTS = [
    ("ai.assistants.list", ()),
    ("ai.assistants.tests.list", ()),
    ("ai.assistants.tests.runs.list", ("test_id",)),
    ("ai.assistants.tests.test_suites.runs.list", ("suite_name",)),
    ("ai.assistants.scheduled_events.list", ("assistant_id",)),
    ("ai.mcp_servers.list", ()),
    ("ai.tools.list", ()),
]


@pytest.mark.parametrize(("dotted", "ids"), LISTS, ids=[d for d, _ in LISTS])
async def test_no_page_arguments_unless_given(
    fake: FakeTelnyx, dotted: str, ids: tuple[str, ...]
) -> None:
    assistant = fake.add_assistant()
    test = fake.add_test("Refund", test_suite="smoke")
    values = {"assistant_id": assistant["id"], "test_id": test["test_id"], "suite_name": "smoke"}
    async with fake.client() as c:
        method = resolve(c, dotted)
        await method(*[values[name] for name in ids])
        view = resolve(c, dotted.rsplit(".", 1)[0]).with_raw_response
        raw = await view.list(*[values[name] for name in ids])
        assert raw.status_code == 200
    for rec in fake.requests:
        assert not [k for k, _ in rec.query if k.startswith("page[")], (dotted, rec.query)


@pytest.mark.parametrize("how", ["create", "update"])
async def test_canary_deploys_need_neither_rules_nor_versions(
    fake: FakeTelnyx, how: str
) -> None:
    assistant = fake.add_assistant()
    async with fake.client() as c:
        canary = c.ai.assistants.canary_deploys
        if how == "update":
            await canary.create(assistant["id"])
        await getattr(canary, how)(assistant["id"])
        assert fake.requests.last.json == {}
        if how == "create":
            await canary.delete(assistant["id"])
        raw = await getattr(canary.with_raw_response, how)(assistant["id"])
        assert raw.status_code == 200
        assert fake.requests.last.json == {}
