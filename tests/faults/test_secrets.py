"""Secrets and side effects.

* The API key never shows in ``repr(client)``, in anything reachable from an
  error the SDK raises (every fault of the matrix, plus a wrong key and keys
  that cannot be sent): its text, repr and traceback, its args, its chain of
  causes and contexts and their attributes, a few levels deep (``_walk.py``);
  nor in DEBUG logs of ``telnyx_async``, ``aiohttp`` and ``asyncio`` during a
  failing and retrying run, or in the CLI's output (text, ``--json``, JUnit).
* The same walk over the errors aiohttp builds from request data -- a
  redirect loop, an oversized response header, a proxy that refuses or breaks
  the tunnel -- finds neither the key nor a proxy's or ``base_url``'s password.
* Redirects: ``Authorization`` never reaches another host; only GET follows a
  redirect (other methods surface the 3xx as ``APIStatusError``).
* ``import telnyx_async`` does no network and no file I/O outside the
  interpreter's own directories and the package (checked in a subprocess
  with sockets blocked and an audit hook on ``open``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import subprocess
import sys
import textwrap
import threading
import traceback
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import pytest
import pytest_asyncio
from multidict import CIMultiDict, CIMultiDictProxy
from surface import OPERATIONS
from yarl import URL

import telnyx_async
from telnyx_async import (
    APIConnectionError,
    APIStatusError,
    AsyncPager,
    AsyncTelnyx,
    AuthenticationError,
    TelnyxError,
)
from telnyx_async._scrub import scrub
from telnyx_async.testing import FakeTelnyx, Fault

from ._walk import find_secrets
from ._world import build_world
from .test_fault_matrix import FAULTS, Ctx

SECRET = "sk-live-SECRET-3f9c2e7a1b5d4c6e8f0a"
OTHER = "sk-other-host-key"
_T = TypeVar("_T")

GET_OP = OPERATIONS[("GET", "/ai/assistants/{assistant_id}")]
POST_OP = OPERATIONS[("POST", "/ai/assistants/{assistant_id}/chat")]
KEYED_OP = OPERATIONS[("POST", "/ai/assistants/tests/{test_id}/runs")]


def _never_shows_key(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text, text
        assert SECRET[8:24] not in text, text  # not even a slice of it


def _nothing_reachable_shows(exc: BaseException, *secrets: str) -> None:
    """Walk what is reachable from ``exc`` (see ``_walk.py``); no secret may show."""
    found = find_secrets(exc, [SECRET, SECRET[8:24], *secrets])
    assert found == [], "\n".join(found)


def _all_text(exc: BaseException) -> list[str]:
    """Everything a user might print or log about an exception, causes included."""
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    texts += [str(a) for a in exc.args]
    for name in ("message", "body", "url", "headers", "errors", "request_id"):
        if hasattr(exc, name):
            texts.append(repr(getattr(exc, name)))
    cause = exc.__cause__ or exc.__context__
    while cause is not None:
        texts += [str(cause)]
        cause = cause.__cause__ or cause.__context__
    return texts


@pytest_asyncio.fixture(loop_scope="function")
async def servers() -> AsyncIterator[tuple[FakeTelnyx, FakeTelnyx]]:
    async with FakeTelnyx(api_key=SECRET) as fake, FakeTelnyx(api_key=OTHER) as other:
        yield fake, other


class _NoSleep:
    async def __call__(self, seconds: float) -> None:
        await asyncio.sleep(0)


# ---------------------------------------------------------------- repr and errors


async def test_client_and_config_reprs_hide_the_key(servers: tuple[FakeTelnyx, FakeTelnyx]) -> None:
    fake, _ = servers
    async with fake.client() as client:
        copy = client.with_options(max_retries=5, default_headers={"X-Trace": "1"})
        texts = [repr(client), str(client), repr(client.config), repr(copy), repr(copy.config)]
        texts += [repr(client.ai.assistants), repr(fake)]
        await client.ai.assistants.list()
        texts += [repr(fake.requests[-1]), repr(fake.requests)]
        _never_shows_key(*texts)
        # The fake did receive it, so the check above can fail.
        assert fake.requests[-1].headers["authorization"] == f"Bearer {SECRET}"


async def test_no_error_of_the_fault_matrix_shows_the_key(
    servers: tuple[FakeTelnyx, FakeTelnyx],
) -> None:
    fake, other = servers
    world = await build_world(fake)
    errors: list[TelnyxError] = []
    for case in FAULTS:
        for op, (method, route) in (
            (GET_OP, ("GET", "/ai/assistants/{assistant_id}")),
            (POST_OP, ("POST", "/ai/assistants/{assistant_id}/chat")),
            (KEYED_OP, ("POST", "/ai/assistants/tests/{test_id}/runs")),
        ):
            fake.clear_faults()
            for fault in case.build(Ctx(other_url=other.url)):
                fake.enqueue(fault, method=method, route=route)
            kwargs: dict[str, Any] = {"sleep": _NoSleep(), "timeout": case.timeout}
            if case.refused:
                kwargs["base_url"] = "http://127.0.0.1:9/v2"
            async with fake.client(**kwargs) as client:
                try:
                    await op.invoke(client, world)
                except TelnyxError as exc:
                    errors.append(exc)
            await fake.wait_idle()
    # a wrong key
    async with AsyncTelnyx(api_key=OTHER, base_url=fake.url, max_retries=1, sleep=_NoSleep()) as c:
        with pytest.raises(TelnyxError) as info:
            await c.ai.assistants.retrieve(world["assistant_id"])
        errors.append(info.value)
    # keys that cannot go into a header at all are refused when the client is
    # made (a programming error, not a connection failure), without echoing them
    for key in (SECRET + "\r\nX-Injected: 1", SECRET + "€", SECRET + "\n", " " + SECRET):
        with pytest.raises(ValueError, match="API key") as refused:
            AsyncTelnyx(api_key=key, base_url=fake.url)
        _never_shows_key(*_all_text(refused.value))
        _nothing_reachable_shows(refused.value)
    kinds = {type(e).__name__ for e in errors}
    assert {"RateLimitError", "InternalServerError", "APIStatusError", "APIConnectionError",
            "APITimeoutError", "APIResponseValidationError", "AuthenticationError"} <= kinds, kinds
    for exc in errors:
        _never_shows_key(*_all_text(exc))
        _nothing_reachable_shows(exc)
    assert all(
        "authorization" not in r.headers for r in other.requests
    ), "the key went to another host"


# ---------------------------------------------------------------- errors built from request data

PROXY_USER = "corp-user"
PROXY_PASSWORD = "pr0xy-S3cret-9a7e"
URL_PASSWORD = "url-S3cret-5c1d"
PROXY_SECRETS = (
    PROXY_PASSWORD,
    base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode(),
)


def test_the_walk_finds_a_key_where_aiohttp_keeps_it() -> None:
    """The walk can fail: aiohttp's own error, unscrubbed, shows the key; ours does not."""
    headers = CIMultiDictProxy(CIMultiDict({"Authorization": f"Bearer {SECRET}"}))
    info = aiohttp.RequestInfo(URL("https://api.example.test/v2/x"), "GET", headers,
                               URL("https://api.example.test/v2/x"))
    raw = aiohttp.TooManyRedirects(info, (), status=302, message="Found")
    assert find_secrets(raw, [SECRET]) != []
    assert find_secrets(scrub(raw), [SECRET]) == []
    wrapped = APIConnectionError("GET /x: connection failed")
    wrapped.__cause__ = scrub(raw)
    assert find_secrets(wrapped, [SECRET]) == []


async def test_aiohttp_errors_built_from_the_request_show_no_secret(
    servers: tuple[FakeTelnyx, FakeTelnyx],
) -> None:
    fake, _ = servers
    world = await build_world(fake)
    aid = world["assistant_id"]
    errors: list[BaseException] = []
    async with fake.client(sleep=_NoSleep(), max_retries=0) as client:
        # A redirect loop on the same host: aiohttp follows (key and all) and
        # gives up with TooManyRedirects, which keeps every response's request.
        fake.enqueue(*[Fault.status(302, headers={"Location": "?again=1"})] * 11, method="GET")
        with pytest.raises(APIConnectionError, match="TooManyRedirects") as loop_info:
            await client.ai.assistants.retrieve(aid)
        errors.append(loop_info.value)
        fake.clear_faults()
        # A response header larger than aiohttp reads: ClientResponseError with request_info.
        fake.enqueue(Fault.status(200, headers={"X-Huge": "h" * 20_000}), method="GET")
        with pytest.raises(APIConnectionError, match="ClientResponseError") as big_info:
            await client.ai.assistants.retrieve(aid)
        errors.append(big_info.value)
        fake.clear_faults()
    # An HTTPS call through a proxy that needs credentials: refused (407), and
    # accepted but broken (the connector error keeps the proxy's URL).
    for answer in (b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n",
                   b"HTTP/1.1 200 Connection established\r\n\r\nnot TLS at all\r\n"):
        async with _proxy(answer) as port:
            proxy = f"http://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:{port}"
            async with AsyncTelnyx(
                api_key=SECRET, base_url="https://api.example.test/v2", proxy=proxy,
                trust_env=False, max_retries=0,
            ) as client:
                with pytest.raises(APIConnectionError) as proxy_info:
                    await client.ai.assistants.retrieve(aid)
            errors.append(proxy_info.value)
    # A base_url with a password is refused without echoing it.
    with pytest.raises(ValueError, match="user name or password") as url_info:
        AsyncTelnyx(api_key=SECRET, base_url=f"https://user:{URL_PASSWORD}@api.example.test/v2")
    errors.append(url_info.value)
    kinds = {type(e.__cause__).__name__ for e in errors}
    assert {"TooManyRedirects", "ClientResponseError", "ClientHttpProxyError"} <= kinds, kinds
    # The broken tunnel fails in the connector; aiohttp before 3.11 reports the
    # TLS handshake over it as a RuntimeError, later ones as a connector error.
    assert kinds & {"ClientConnectorError", "ClientConnectorSSLError", "ClientOSError",
                    "ClientConnectorCertificateError", "RuntimeError"}, kinds
    for exc in errors:
        _nothing_reachable_shows(exc, *PROXY_SECRETS, URL_PASSWORD)


@contextlib.asynccontextmanager
async def _proxy(answer: bytes) -> AsyncIterator[int]:
    """A loopback "proxy" that reads one CONNECT and answers ``answer``."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            await writer.drain()
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


# ---------------------------------------------------------------- logs


async def test_debug_logs_never_show_the_key(
    servers: tuple[FakeTelnyx, FakeTelnyx], caplog: pytest.LogCaptureFixture
) -> None:
    fake, _ = servers
    world = await build_world(fake)
    caplog.set_level(logging.DEBUG)
    for name in ("telnyx_async", "aiohttp", "aiohttp.client", "asyncio"):
        caplog.set_level(logging.DEBUG, logger=name)
    fake.enqueue(Fault.status(503), Fault.rate_limited(retry_after=0), Fault.drop(),
                 method="GET")
    fake.enqueue(Fault.status(502), Fault.rate_limited(retry_after=None), method="POST",
                 route="/ai/assistants/tests/{test_id}/runs")
    async with fake.client(sleep=_NoSleep(), max_retries=4) as client:
        await client.ai.assistants.retrieve(world["assistant_id"])
        await client.ai.assistants.tests.runs.trigger(world["test_id"])
        fake.enqueue(*[Fault.status(500)] * 6, method="GET")
        with pytest.raises(TelnyxError):
            await client.ai.assistants.retrieve(world["assistant_id"])
    async with AsyncTelnyx(api_key=SECRET, base_url=fake.url + "-nope", max_retries=1) as c:
        with pytest.raises(TelnyxError):
            await c.ai.assistants.retrieve(world["assistant_id"])
    retries = [r for r in caplog.records if r.name == "telnyx_async" and "retrying" in r.getMessage()]
    assert len(retries) >= 5, [r.getMessage() for r in caplog.records]
    for record in caplog.records:
        _never_shows_key(record.getMessage(), repr(record.args), str(record.exc_text or ""))
    _never_shows_key(caplog.text)


# ---------------------------------------------------------------- redirects


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_never_carry_the_key_to_another_host(
    servers: tuple[FakeTelnyx, FakeTelnyx], status: int
) -> None:
    fake, other = servers
    world = await build_world(fake)
    target = other.url + "/ai/assistants/" + world["assistant_id"]
    async with fake.client(sleep=_NoSleep()) as client:
        for op in (GET_OP, POST_OP, KEYED_OP):
            other.reset_requests()
            fake.clear_faults()
            fake.enqueue(Fault.status(status, headers={"Location": target}))
            with pytest.raises(TelnyxError) as info:
                result = await op.invoke(client, world)
                if isinstance(result, AsyncPager):
                    await result
            if op is GET_OP:
                # followed, without the key: the other host answers 401
                assert isinstance(info.value, AuthenticationError), info.value
                assert len(other.requests) == 1
            else:
                # not followed: the 3xx is the answer
                assert type(info.value) is APIStatusError and info.value.status_code == status
                assert other.requests == []
            assert all("authorization" not in r.headers for r in other.requests)
            _never_shows_key(*_all_text(info.value))


async def test_same_host_redirect_keeps_working(servers: tuple[FakeTelnyx, FakeTelnyx]) -> None:
    fake, _ = servers
    world = await build_world(fake)
    path = fake.url + "/ai/assistants/" + world["assistant_id"]
    fake.enqueue(Fault.status(307, headers={"Location": path}))
    async with fake.client() as client:
        got = await client.ai.assistants.retrieve(world["assistant_id"])
    assert got.id == world["assistant_id"]
    assert [r.headers.get("authorization") for r in fake.requests[-2:]] == [f"Bearer {SECRET}"] * 2


# ---------------------------------------------------------------- the CLI


class _ThreadedFake:
    """A FakeTelnyx on its own loop in a thread: the CLI runs its own ``asyncio.run``."""

    def __init__(self, api_key: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.fake = FakeTelnyx(api_key=api_key)
        self.run(self.fake.start())

    def run(self, coro: Coroutine[Any, Any, _T]) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def close(self) -> None:
        self.run(self.fake.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def threaded() -> Iterator[_ThreadedFake]:
    served = _ThreadedFake(api_key=OTHER)

    async def seed() -> None:
        served.fake.seed_demo()

    served.run(seed())
    try:
        yield served
    finally:
        served.close()


def _cli() -> Any:
    try:
        from telnyx_async.cli import main
    except ImportError:  # pragma: no cover - the CLI is being written elsewhere
        pytest.fail("telnyx_async.cli.main is not there")
    return main


@pytest.mark.parametrize(
    "argv",
    [
        ["assistants", "list"],
        ["assistants", "list", "--json"],
        ["tests", "list", "--suite", "demo"],
        ["tests", "list", "--json"],
        ["tests", "run", "--suite", "demo", "--junit", "{junit}"],
        ["tests", "run", "--suite", "demo", "--json", "--junit", "{junit}"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_cli_output_never_shows_the_key(
    threaded: _ThreadedFake,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
) -> None:
    main = _cli()
    junit = tmp_path / "report.xml"
    argv = [a.replace("{junit}", str(junit)) for a in argv]
    monkeypatch.setenv("TELNYX_BASE_URL", threaded.fake.url)
    monkeypatch.setenv("TELNYX_ASYNC_DEBUG", "1")  # tracebacks too, if any
    # The wrong key: the fake answers 401, and the CLI reports it.
    monkeypatch.setenv("TELNYX_API_KEY", SECRET)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 3, (code, out, err)
    assert "401" in out + err or "uthenticat" in out + err, (out, err)
    texts = [out, err]
    if junit.exists():
        texts.append(junit.read_text())
    _never_shows_key(*texts)


def test_cli_junit_and_json_of_a_real_run_never_show_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    main = _cli()
    served = _ThreadedFake(api_key=SECRET)
    try:

        async def seed() -> None:
            served.fake.seed_demo()

        served.run(seed())
        junit = tmp_path / "report.xml"
        monkeypatch.setenv("TELNYX_BASE_URL", served.fake.url)
        monkeypatch.setenv("TELNYX_API_KEY", SECRET)
        code = main(["tests", "run", "--suite", "demo", "--json", "--junit", str(junit),
                     "--timeout", "30"])
        out, err = capsys.readouterr()
        assert code == 1, (code, out, err)  # the demo suite has two failing tests
        assert junit.exists()
        json.loads(out)
        _never_shows_key(out, err, junit.read_text())
        assert served.fake.requests, "the CLI did talk to the fake"
        assert served.fake.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    finally:
        served.close()


# ---------------------------------------------------------------- import side effects

_IMPORT_PROBE = textwrap.dedent(
    r"""
    import json, os, socket, sys, sysconfig

    network = []
    def refuse(*args, **kwargs):
        network.append(repr(args)[:200])
        raise OSError("network is blocked while importing")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse(*args)

    socket.socket = NoSocket
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse

    import importlib.util
    package = os.path.dirname(importlib.util.find_spec("telnyx_async").origin)
    roots = {os.path.realpath(p) for p in (
        sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
        *sysconfig.get_paths().values(), os.path.dirname(os.path.abspath(__file__)), package,
    )}
    opened = []
    def audit(event, args):
        if event == "open":
            path = args[0]
            if isinstance(path, int):
                return
            real = os.path.realpath(os.fsdecode(path))
            if not any(real == r or real.startswith(r + os.sep) for r in roots):
                opened.append(real)
        elif event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto"):
            network.append(event)
    sys.addaudithook(audit)

    import telnyx_async
    client = telnyx_async.AsyncTelnyx(api_key="k", base_url="https://api.example.com/v2")
    repr(client)
    print(json.dumps({"opened": opened, "network": network,
                      "package": os.path.dirname(telnyx_async.__file__)}))
    """
)


def test_import_does_no_network_or_file_io(tmp_path: Path) -> None:
    # Allowed: the interpreter's own directories (stdlib, site-packages), the
    # package, and the probe's directory (sys.path[0]). Nothing else.
    probe = tmp_path / "probe.py"
    probe.write_text(_IMPORT_PROBE)
    done = subprocess.run(
        [sys.executable, str(probe)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1",
             "HTTPS_PROXY": "http://proxy.invalid:3128"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["network"] == []
    assert report["opened"] == []
    assert Path(report["package"]).resolve() == Path(telnyx_async.__file__).parent.resolve()
