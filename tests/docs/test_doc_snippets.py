"""Every ```python block of every page under docs/ runs, as written, against FakeTelnyx.

Each block runs with ``TELNYX_API_KEY``/``TELNYX_BASE_URL`` pointing at a fresh
:class:`FakeTelnyx` seeded with its demo data (``seed_demo()``, runs finishing
as soon as they start), in one of three ways, chosen by what the block is:

* **top-level await** (most blocks): compiled like the ``python -m asyncio``
  REPL does and awaited on the test's event loop;
* **a script** (no top-level ``await``): run as ``__main__`` in a worker thread,
  so ``asyncio.run(main())`` works as it does for a user. A FastAPI ``app``
  it defines is then driven: its lifespan entered and each GET route called
  (``fastapi`` is replaced by a small stand-in, see ``fastapi_stub``);
* **a pytest module** (it defines ``test_*`` functions): written to a file and
  run by pytest in a subprocess, with pytest-asyncio in auto mode.

A block is skipped only when the line right before it is
``<!-- skip-snippet: reason -->``; skips are reported with their reason and
kept rare by ``test_skips_are_rare``.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import inspect
import logging
import os
import re
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from telnyx_async.testing import FakeTelnyx

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SKIP_MARK = re.compile(r"<!--\s*skip-snippet:\s*(?P<reason>.+?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^\n`]*)$")
MAX_SKIPS = 2
SNIPPET_TIMEOUT = 60.0


@dataclass(frozen=True)
class Snippet:
    page: str
    line: int
    source: str
    skip: str | None

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def _pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_ext" not in p.relative_to(DOCS).parts)


def extract(text: str, page: str) -> list[Snippet]:
    """The ```python blocks of a Markdown page, with the line each starts on."""
    lines = text.splitlines()
    found: list[Snippet] = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        info = match.group("info").strip()
        indent = len(match.group("indent"))
        start = i
        j = i + 1
        while j < len(lines) and not re.match(rf"^ {{{indent}}}```\s*$", lines[j]):
            j += 1
        if info.split(" ", 1)[0] in ("python", "py"):
            body = "\n".join(line[indent:] for line in lines[start + 1 : j])
            k = start - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            mark = SKIP_MARK.match(lines[k].strip()) if k >= 0 else None
            found.append(
                Snippet(page, start + 1, body + "\n", mark.group("reason") if mark else None)
            )
        i = j + 1
    return found


SNIPPETS = [
    snippet
    for page in _pages()
    for snippet in extract(page.read_text(encoding="utf-8"), str(page.relative_to(DOCS)))
]

# ---------------------------------------------------------------- a stand-in for fastapi


class _State(types.SimpleNamespace):
    """``app.state``: attributes set at will (like Starlette's ``State``)."""


class _StubFastAPI:
    """The few parts of ``fastapi.FastAPI`` the docs use: lifespan, state and GET routes."""

    def __init__(self, *, lifespan: Any = None, **_: Any) -> None:
        self.lifespan = lifespan
        self.state = _State()
        self.routes: list[tuple[str, str, Any]] = []

    def get(self, path: str, **_: Any) -> Any:
        def register(endpoint: Any) -> Any:
            self.routes.append(("GET", path, endpoint))
            return endpoint

        return register


class _StubRequest:
    """``fastapi.Request``: only ``.app``, which is what an endpoint needs to reach state."""

    def __init__(self, app: _StubFastAPI) -> None:
        self.app = app


def fastapi_stub() -> types.ModuleType:
    """A module standing in for ``fastapi`` (not a dependency of this project)."""
    module = types.ModuleType("fastapi")
    module.FastAPI = _StubFastAPI  # type: ignore[attr-defined]
    module.Request = _StubRequest  # type: ignore[attr-defined]
    return module


async def _drive_app(app: _StubFastAPI) -> list[Any]:
    """Run an app's lifespan and call each of its GET routes once inside it."""
    assert app.lifespan is not None, "the FastAPI example should use a lifespan"
    results: list[Any] = []
    async with app.lifespan(app):
        assert vars(app.state), "the lifespan should store something on app.state"
        for _, _, endpoint in app.routes:
            params = inspect.signature(endpoint).parameters
            kwargs = {name: _StubRequest(app) for name in params}
            results.append(await endpoint(**kwargs))
    assert results, "the FastAPI example should define at least one route"
    return results


# ---------------------------------------------------------------- running blocks


def _kind(source: str) -> str:
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith(
            "test_"
        ):
            return "pytest"
    code = compile(source, "<snippet>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    return "await" if code.co_flags & inspect.CO_COROUTINE else "script"


def _run_script(source: str, filename: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)
    app = namespace.get("app")
    if isinstance(app, _StubFastAPI):
        asyncio.run(_drive_app(app))
    return namespace


def _run_pytest_module(source: str, tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
        encoding="utf-8",
    )
    (tmp_path / "test_from_docs.py").write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_from_docs.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=SNIPPET_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b[1-9]\d* passed\b", result.stdout), result.stdout


@contextlib.contextmanager
def _fastapi_replaced() -> Iterator[None]:
    saved = sys.modules.get("fastapi")
    sys.modules["fastapi"] = fastapi_stub()
    try:
        yield
    finally:
        if saved is None:
            sys.modules.pop("fastapi", None)
        else:
            sys.modules["fastapi"] = saved


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """A snippet may configure logging (the quickstart does); undo it afterwards."""
    root, sdk = logging.getLogger(), logging.getLogger("telnyx_async")
    handlers, root_level, sdk_level = list(root.handlers), root.level, sdk.level
    yield
    root.handlers[:] = handlers
    root.setLevel(root_level)
    sdk.setLevel(sdk_level)


def seed(fake: FakeTelnyx) -> None:
    """What every docs snippet may rely on: the demo world, with runs that end at once."""
    fake.seed_demo()
    for test_id in fake.tests:
        fake.configure_test(test_id, duration=0)
    fake.add_test("smoke one", test_suite="smoke")
    fake.set_rate_limit(rate_per_second=1000, burst=1000)  # so x-ratelimit-* headers are sent


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
async def test_doc_snippet_runs(
    snippet: Snippet, fake: FakeTelnyx, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if snippet.skip is not None:
        pytest.skip(f"skip-snippet: {snippet.skip}")
    seed(fake)
    monkeypatch.setenv("TELNYX_API_KEY", fake.api_key)
    monkeypatch.setenv("TELNYX_BASE_URL", fake.url)
    monkeypatch.chdir(tmp_path)  # a snippet that writes a file writes it here
    filename = f"docs/{snippet.page}:{snippet.line}"
    # The block's own line numbers in tracebacks: pad with the lines before it.
    source = "\n" * snippet.line + textwrap.dedent(snippet.source)
    kind = _kind(source)
    if kind == "pytest":
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        await asyncio.to_thread(_run_pytest_module, source, tmp_path, env)
        return
    with _fastapi_replaced():
        if kind == "script":
            await asyncio.wait_for(
                asyncio.to_thread(_run_script, source, filename), SNIPPET_TIMEOUT
            )
            return
        namespace: dict[str, Any] = {"__name__": "__docs__"}
        code = compile(source, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        coroutine = eval(code, namespace)
        await asyncio.wait_for(coroutine, SNIPPET_TIMEOUT)


# ---------------------------------------------------------------- the inventory


OWN_PAGES = (
    "index.md",
    "quickstart.md",
    "pagination.md",
    "retries.md",
    "errors.md",
    "testing.md",
    "migration.md",
)


def test_every_guide_has_snippets() -> None:
    by_page: dict[str, int] = {}
    for snippet in SNIPPETS:
        by_page[snippet.page] = by_page.get(snippet.page, 0) + 1
    missing = [page for page in OWN_PAGES if not by_page.get(page)]
    assert not missing, f"guides without a runnable python block: {missing}"
    assert len(SNIPPETS) >= 30


def test_skips_are_rare() -> None:
    skipped = [f"{s.id} ({s.skip})" for s in SNIPPETS if s.skip is not None]
    assert len(skipped) <= MAX_SKIPS, f"too many skipped snippets: {skipped}"


def test_extract_understands_the_conventions() -> None:
    page = textwrap.dedent(
        """\
        Text.

        ```python
        print(1)
        ```

        <!-- skip-snippet: needs a real account -->
        ```python title="x.py"
        print(2)
        ```

        ```bash
        echo 3
        ```
        """
    )
    found = extract(page, "t.md")
    assert [(s.line, s.source, s.skip) for s in found] == [
        (3, "print(1)\n", None),
        (8, "print(2)\n", "needs a real account"),
    ]
    assert _kind("await x()") == "await"
    assert _kind("import asyncio\nasyncio.run(main())") == "script"
    assert _kind("async def test_x():\n    pass") == "pytest"
