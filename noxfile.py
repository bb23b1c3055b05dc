"""Developer tasks: `nox -s tests`, `lint`, `demo`, `regen`, `contract`.

Every session installs what it needs into its own virtualenv, so a machine with
only Python and pip (plus `pip install nox`) can run them all.
"""

from __future__ import annotations

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
