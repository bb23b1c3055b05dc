"""Developer tasks: `nox -s tests`, `lint`, `demo`, `regen`, `contract`.

Every session installs what it needs into its own virtualenv, so a machine with
only Python and pip (plus `pip install nox`) can run them all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
SPEC = ROOT.parent / "shared" / "spec" / "telnyx-ai-assistants.openapi.json"

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (the same command the README and CI run)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy --strict over the package, scripts and tests."""
    session.install("-e", ".[lint,test]")
    session.run("ruff", "check", "telnyx_async", "tests", "scripts", "noxfile.py")
    session.run("mypy")


@nox.session
def demo(session: nox.Session) -> None:
    """The SDK's main job against the embedded FakeTelnyx; no API key needed."""
    session.install("-e", ".")
    session.run("python", "-m", "telnyx_async", "demo", env={"TELNYX_API_KEY": ""})


@nox.session
def regen(session: nox.Session) -> None:
    """Regenerate telnyx_async/models from the spec (path as an argument, default ../shared)."""
    spec = session.posargs[0] if session.posargs else str(SPEC)
    session.run("python", "scripts/gen_models.py", spec)


@nox.session
def contract(session: nox.Session) -> None:
    """Every operation through the SDK against Stoplight Prism serving the spec."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", "-m", "contract", "tests/contract", *session.posargs)


# ----------------------------------------------------------------- bench (benchmarks/)
# Benchmark-only dependencies live here, never in pyproject: the official SDK is
# what we compare against, not something telnyx_async needs.
BENCH_DEPS = ("telnyx==4.189.0", "httpx-aiohttp")


@nox.session
def bench(session: nox.Session) -> None:
    """Side-by-side benchmarks: telnyx_async vs the official SDK vs raw aiohttp.

    `nox -s bench -- --smoke` is the quick CI check; see benchmarks/README.md.
    """
    # Installed like a user installs it (a wheel, not editable); run.py also writes
    # the bytecode of every package itself, so S5 never times compiling sources.
    # `[redis]` brings redis-py for S8's ours-redis row (RedisThrottle); run.py
    # starts its own redis-server for it, or leaves the row out with a note.
    # `[speedups]` (orjson) as docs/performance.md recommends for production.
    session.install(".[redis,speedups]", *BENCH_DEPS)
    session.install("--force-reinstall", "--no-deps", ".")
    session.run("python", "benchmarks/run.py", *session.posargs)


# ----------------------------------------------------------------- docs, typing, package, min/max
# The lowest versions we support (pyproject's floors) and the interpreters at each end.
MIN_DEPS = ("aiohttp==3.10.0", "attrs==23.1.0", "cattrs==24.1.0", "tenacity==8.4.1")
RUNTIME_DEPS = ("aiohttp", "attrs", "cattrs", "tenacity")


def _python(version: str) -> str:
    """``version`` for nox to find, or the pyenv install of it when only pyenv has one.

    pyenv's shims answer for every installed version but fail for those not
    selected by ``pyenv global``; the interpreter under ~/.pyenv/versions works.
    """
    installs = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python{version}"))
    return str(installs[-1]) if installs else version


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site (mkdocs.yml) with --strict: any warning fails.

    `nox -s docs -- serve` previews it at http://127.0.0.1:8000 instead.
    """
    session.install("-e", ".[docs]")
    env = {"NO_MKDOCS_2_WARNING": "1"}  # mkdocs-material's banner about MkDocs 2.0
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", *session.posargs[1:], env=env)
    else:
        session.run("mkdocs", "build", "--strict", *session.posargs, env=env)


@nox.session(name="typing")
def typing_(session: nox.Session) -> None:
    """mypy --strict and pyright (strict) on the package, then on user-style code.

    tests/typing holds code written the way users write it (it must check
    cleanly) and a file of mistakes (each checker must report each one).
    """
    session.install("-e", ".[lint,test,rich]")  # telnyx_async.cli imports rich when it is there
    session.run("mypy")
    session.run("python", "-m", "pytest", "-q", "tests/typing", *session.posargs)
    session.run("pyright")  # the package, per [tool.pyright]


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and wheel, `twine check` them, install the wheel, run the demo.

    The wheel goes into this session's own virtualenv (not editable), and the
    demo runs from a scratch folder, so it uses the installed copy.
    """
    session.install("build", "twine")
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)  # a reused venv keeps older builds
    session.run("python", "-m", "build", "--outdir", str(dist), str(ROOT))
    artifacts = sorted(str(p) for p in dist.iterdir())
    session.run("twine", "check", "--strict", *artifacts)
    (wheel,) = (a for a in artifacts if a.endswith(".whl"))
    session.install("--force-reinstall", wheel)
    session.chdir(session.create_tmp())
    env = {"TELNYX_API_KEY": "", "TELNYX_BASE_URL": ""}
    session.run("python", "-c", "import telnyx_async, sys; print(telnyx_async.__file__)")
    session.run("python", "-m", "telnyx_async", "demo", env=env)
    session.run("telnyx-async", "--version")


@nox.session(python=_python("3.10"))
def tests_min(session: nox.Session) -> None:
    """The test suite on the oldest supported Python and dependency versions."""
    session.install("-e", ".[test]")
    session.install(*MIN_DEPS)
    session.run("python", "-m", "pip", "list")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python=_python("3.13"))
def tests_latest(session: nox.Session) -> None:
    """The test suite on the newest Python we support, with the newest dependencies."""
    session.install("-e", ".[test]")
    session.install("--upgrade", *RUNTIME_DEPS)
    session.run("python", "-m", "pip", "list")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def reliability(session: nox.Session) -> None:
    """Fault matrix, load, cancellation, properties, arguments, secrets -> docs/reliability.md."""
    session.install("-e", ".[test]")
    session.run("python", "scripts/reliability_report.py", *session.posargs)


@nox.session
def soak(session: nox.Session) -> None:
    """The load test at soak size (200,000 calls, concurrency 256); figures printed as Markdown."""
    session.install("-e", ".[test]")
    session.run(
        "python", "scripts/reliability_report.py", "--soak", *session.posargs,
        env={"TELNYX_SOAK": "1"},
    )
