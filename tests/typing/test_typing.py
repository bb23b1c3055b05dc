"""The public API types the way users expect, under mypy --strict and pyright (strict).

* ``usage_*.py`` use the API as users write it, pinning inferred types with
  ``assert_type`` (``async for t in client.ai.assistants.tests.list()`` gives an
  ``AssistantTestResponse``, never ``Any``): both checkers must accept them with
  no error at all.
* ``misuse.py`` holds mistakes, each preceded by a comment
  ``# expect: mypy[CODE] pyright[RULE]``: each checker must report that error on
  the line after the comment, and nothing on unmarked lines.

Both checkers run once per session on all the files. mypy uses the project's
``[tool.mypy]`` settings (strict, Python 3.10); pyright runs in strict mode for
Python 3.10 (``[tool.pyright]``). Each half is skipped, saying why, when its
checker is not installed (``pip install -e ".[lint]"``) or cannot run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
USAGE = sorted(HERE.glob("usage_*.py"))
MISUSE = HERE / "misuse.py"
EXPECT = re.compile(r"^\s*#\s*expect:\s*mypy\[(?P<mypy>[\w-]+)\]\s*pyright\[(?P<pyright>\w+)\]")
TIMEOUT = 600

Diagnostics = dict[str, dict[int, set[str]]]
"""file name -> line number (1-based) -> error codes on that line."""


def expectations(checker: str) -> dict[int, str]:
    """Line number (1-based) -> the code ``checker`` must report there."""
    found: dict[int, str] = {}
    for number, line in enumerate(MISUSE.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found[number + 1] = match.group(checker)  # the comment is about the next line
    return found


def _files() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in [*USAGE, MISUSE]]


@pytest.fixture(scope="module")
def mypy_errors() -> Diagnostics:
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.skip('mypy is not installed (python -m pip install -e ".[lint]")')
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary", *_files()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    errors: Diagnostics = defaultdict(lambda: defaultdict(set))
    for line in result.stdout.splitlines():
        match = re.match(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$", line)
        if match:
            name = Path(match.group("file")).name
            errors[name][int(match.group("line"))].add(match.group("code"))
        elif ": error:" in line:
            pytest.fail(f"mypy error without a code: {line}")
    if result.returncode not in (0, 1):
        pytest.fail(f"mypy crashed:\n{result.stdout}\n{result.stderr}")
    return errors


@pytest.fixture(scope="module")
def pyright_errors() -> Diagnostics:
    executable = shutil.which("pyright")
    if executable is None:
        pytest.skip('pyright is not installed (python -m pip install -e ".[lint]")')
    try:
        result = subprocess.run(
            [executable, "--outputjson", "--pythonversion", "3.10", *_files()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"pyright could not run here: {exc}")
    try:
        report = json.loads(result.stdout)
    except ValueError:
        # The PyPI package runs the npm pyright on Node; with neither Node nor the
        # npm registry within reach it prints why and exits.
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        pytest.skip(f"pyright could not run here: {reason[0]}")
    errors: Diagnostics = defaultdict(lambda: defaultdict(set))
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] != "error":
            continue
        name = Path(diagnostic["file"]).name
        line = diagnostic["range"]["start"]["line"] + 1
        errors[name][line].add(diagnostic.get("rule") or "<no rule>")
    return errors


def test_the_misuse_file_has_many_cases() -> None:
    assert len(expectations("mypy")) >= 15
    assert "type: ignore" not in MISUSE.read_text(encoding="utf-8")
    assert USAGE, "no usage_*.py files"


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_usage_files_type_check_cleanly(checker: str, request: pytest.FixtureRequest) -> None:
    errors: Diagnostics = request.getfixturevalue(f"{checker}_errors")
    found = {
        f"{path.name}:{line}: {sorted(codes)}"
        for path in USAGE
        for line, codes in errors.get(path.name, {}).items()
    }
    assert not found, f"{checker} rejects code users write: {sorted(found)}"


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_misuse_is_reported(checker: str, request: pytest.FixtureRequest) -> None:
    errors: Diagnostics = request.getfixturevalue(f"{checker}_errors")
    reported = errors.get(MISUSE.name, {})
    expected = expectations(checker)
    missed = {
        f"line {line}: {code} (got {sorted(reported.get(line, set()))})"
        for line, code in expected.items()
        if code not in reported.get(line, set())
    }
    assert not missed, f"{checker} did not catch: {sorted(missed)}"
    unexpected = {
        f"line {line}: {sorted(codes)}" for line, codes in reported.items() if line not in expected
    }
    assert not unexpected, f"{checker} reported errors on unmarked lines: {sorted(unexpected)}"
