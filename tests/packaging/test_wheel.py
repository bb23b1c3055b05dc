"""The wheel users get from PyPI works: built, installed in a fresh venv, imported, run.

One test, about 20-40 s: ``python -m build --wheel`` into a temporary folder,
``python -m venv``, ``pip install`` the wheel (its dependencies come from PyPI),
then, from outside the repository: the version matches ``_version.py``,
``py.typed`` ships, and ``python -m telnyx_async demo`` and the ``telnyx-async``
command run from the installed copy. Skipped, saying why, when ``build`` is not
installed (it is in the ``test`` extra) or PyPI cannot be reached.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300
OFFLINE = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Network is unreachable"
    r"|No matching distribution found for hatchling|ConnectTimeout|ProxyError",
)


def source_version() -> str:
    text = (ROOT / "telnyx_async" / "_version.py").read_text(encoding="utf-8")
    match = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    assert match, "telnyx_async/_version.py should set __version__"
    return match.group(1)


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        if OFFLINE.search(output):
            pytest.skip(f"PyPI is not reachable from here: {' '.join(args[:4])} ...")
        pytest.fail(f"{' '.join(args)} exited {result.returncode}:\n{output}")
    return result.stdout


def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    if importlib.util.find_spec("build") is None:
        pytest.skip('`build` is not installed (python -m pip install -e ".[test]")')
    version = source_version()

    # 1. Build. Without build isolation when hatchling is here already (faster, offline).
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-isolation"]
    dist = tmp_path / "dist"
    run(
        [sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", str(dist), str(ROOT)],
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("*.whl")
    assert wheel.name == f"telnyx_async-{version}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    assert "telnyx_async/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "docs/", "examples/"))]

    # 2. A fresh venv with nothing but the wheel and its dependencies.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = str(bindir / "python")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "TELNYX_API_KEY", "TELNYX_BASE_URL", "VIRTUAL_ENV")
    }
    run(
        [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", str(wheel)],
        cwd=tmp_path,
        env=env,
    )

    # 3. Imported from the venv (cwd is not the repo), with its version and marker file.
    probe = (
        "import importlib.metadata as m, importlib.resources as r, telnyx_async as t;"
        "print(t.__version__); print(m.version('telnyx-async'));"
        "print(r.files('telnyx_async').joinpath('py.typed').is_file()); print(t.__file__)"
    )
    out = run([python, "-c", probe], cwd=tmp_path, env=env).split()
    assert out[:3] == [version, version, "True"]
    assert Path(out[3]).resolve().is_relative_to(venv.resolve())

    # 4. The demo and the console script, from the installed copy.
    demo = run([python, "-m", "telnyx_async", "demo"], cwd=tmp_path, env=env)
    assert "FakeTelnyx" in demo
    script = run([str(bindir / "telnyx-async"), "--version"], cwd=tmp_path, env=env)
    assert script.strip() == f"telnyx-async {version}"
