"""The SDK's surface against the spec, API-SURFACE.md and our own reference table.

(a) every operation in the spec has a registry entry whose method exists on a
    real client; (b) no registry entry is stale; (c) the method names agree
    with ``../shared/API-SURFACE.md``; (d) ``docs/reference/operations.md``
    agrees with the registry and the code (signature and return annotation).

(a)-(c) need ``../shared`` beside the repo and skip without it; (d) does not.
(e) the operations of the newer API (``scripts/spec_overlay.json``) have their
methods too, registered apart in ``NEWER_OPERATIONS`` until the spec has them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from surface import (
    API_SURFACE_PATH,
    DOCS_TABLE_PATH,
    NEWER_OPERATIONS,
    OPERATIONS,
    SPEC_PATH,
    load_spec,
    overlay_operations,
    parse_markdown_table,
    resolve,
    return_annotation,
    return_type,
    signature_text,
    spec_operations,
)

from telnyx_async import AsyncTelnyx


@pytest.fixture
def client() -> AsyncTelnyx:
    """A real client built with a dummy key; resolving methods on it does no I/O."""
    return AsyncTelnyx(api_key="dummy-key-for-surface-checks", base_url="http://127.0.0.1:9")


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded = load_spec()
    if loaded is None:
        pytest.skip(
            f"OpenAPI spec not found at {SPEC_PATH.resolve()} "
            "(../shared/spec/ beside the repo; CI always has it)"
        )
    return loaded


@pytest.fixture(scope="module")
def surface_rows() -> list[dict[str, str]]:
    try:
        text = API_SURFACE_PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        pytest.skip(f"API-SURFACE.md not found at {API_SURFACE_PATH.resolve()} (../shared/)")
    rows = parse_markdown_table(text, "HTTP")
    assert rows, f"no `| HTTP | path | method | ... |` table found in {API_SURFACE_PATH}"
    return rows


def _key(row: dict[str, str]) -> tuple[str, str]:
    return row["http"].upper(), row["path"]


def _lookup(client: AsyncTelnyx, dotted: str) -> tuple[Any, str | None]:
    try:
        target = resolve(client, dotted)
    except AttributeError as exc:
        return None, f"`client.{dotted}` does not exist ({exc})"
    if not callable(target):
        return None, f"`client.{dotted}` is not callable"
    return target, None


# ---------------------------------------------------------------- (a)-(c): need ../shared


def test_every_spec_operation_has_a_working_method(
    spec: dict[str, Any], client: AsyncTelnyx
) -> None:
    problems: list[str] = []
    for http, path in spec_operations(spec):
        op = OPERATIONS.get((http, path))
        if op is None:
            problems.append(f"{http} {path}: no entry in tests/surface.py OPERATIONS")
            continue
        _, error = _lookup(client, op.method)
        if error:
            problems.append(f"{http} {path}: {error}")
    assert not problems, (
        f"{len(problems)} of {len(spec_operations(spec))} spec operations are not covered:\n  "
        + "\n  ".join(problems)
    )


def test_no_stale_registry_entries(spec: dict[str, Any]) -> None:
    in_spec = set(spec_operations(spec))
    stale = sorted(key for key in OPERATIONS if key not in in_spec)
    assert not stale, "registry entries for operations the spec does not have:\n  " + "\n  ".join(
        f"{http} {path} -> {OPERATIONS[(http, path)].method}" for http, path in stale
    )


def test_registry_is_one_to_one_with_the_spec(spec: dict[str, Any]) -> None:
    ops = spec_operations(spec)
    assert len(ops) == len(set(ops)), "the spec lists an operation twice"
    methods = [op.method for op in OPERATIONS.values()]
    duplicates = sorted({m for m in methods if methods.count(m) > 1})
    assert not duplicates, f"one method registered for several operations: {duplicates}"


def test_method_names_match_api_surface(surface_rows: list[dict[str, str]]) -> None:
    problems: list[str] = []
    documented: dict[tuple[str, str], str] = {}
    for row in surface_rows:
        name = re.sub(r"\(.*\)\s*$", "", row["method"]).strip()
        documented[_key(row)] = name
    for key, name in sorted(documented.items()):
        op = OPERATIONS.get(key)
        if op is None:
            problems.append(f"{key[0]} {key[1]}: in API-SURFACE.md ({name}) but not registered")
        elif op.method != name:
            problems.append(f"{key[0]} {key[1]}: API-SURFACE.md says {name}, registry {op.method}")
    for key, op in sorted(OPERATIONS.items()):
        if key not in documented:
            problems.append(f"{key[0]} {key[1]}: registered ({op.method}) but not in API-SURFACE.md")
    assert not problems, "registry and API-SURFACE.md disagree:\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------- (d): the docs table, no spec


@pytest.fixture(scope="module")
def docs_rows() -> list[dict[str, str]]:
    assert DOCS_TABLE_PATH.is_file(), f"{DOCS_TABLE_PATH} is missing"
    rows = parse_markdown_table(DOCS_TABLE_PATH.read_text(encoding="utf-8"), "HTTP")
    assert rows, f"no `| HTTP | path | method | returns |` table in {DOCS_TABLE_PATH}"
    return rows


def test_docs_table_lists_every_registered_operation(docs_rows: list[dict[str, str]]) -> None:
    keys = [_key(row) for row in docs_rows]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    missing = sorted(set(OPERATIONS) - set(keys))
    extra = sorted(set(keys) - set(OPERATIONS))
    assert not (repeated or missing or extra), (
        f"docs/reference/operations.md is out of step with tests/surface.py:\n"
        f"  missing from the docs: {missing}\n  not in the registry: {extra}\n"
        f"  listed twice: {repeated}"
    )


def test_docs_table_matches_the_code(
    docs_rows: list[dict[str, str]], client: AsyncTelnyx
) -> None:
    problems: list[str] = []
    for row in docs_rows:
        http, path = _key(row)
        where = f"{http} {path}"
        op = OPERATIONS.get((http, path))
        if op is None:
            continue  # reported by test_docs_table_lists_every_registered_operation
        documented_call, documented_return = row["method"], row["returns"]
        method, error = _lookup(client, op.method)
        if error:
            problems.append(f"{where}: {error}")
            continue
        expected_call = signature_text(op.method, method)
        if documented_call != expected_call:
            problems.append(f"{where}: docs show `{documented_call}`, code is `{expected_call}`")
        annotated = return_annotation(method)
        if documented_return != annotated:
            problems.append(f"{where}: docs say returns `{documented_return}`, code `{annotated}`")
        if op.returns != annotated:
            problems.append(f"{where}: registry says returns `{op.returns}`, code `{annotated}`")
        try:
            return_type(method)
        except Exception as exc:
            problems.append(f"{where}: return annotation `{annotated}` does not resolve: {exc!r}")
    assert not problems, "docs/reference/operations.md disagrees with the code:\n  " + (
        "\n  ".join(problems)
    )


# ---------------------------------------------------------------- (e): the newer API


def test_every_newer_operation_has_a_working_method(client: AsyncTelnyx) -> None:
    newer = [key for key in overlay_operations() if key not in OPERATIONS]
    assert sorted(newer) == sorted(NEWER_OPERATIONS), (
        "NEWER_OPERATIONS and the new operations of scripts/spec_overlay.json differ"
    )
    for (http, path), op in NEWER_OPERATIONS.items():
        method, error = _lookup(client, op.method)
        assert error is None, f"{http} {path}: {error}"
        assert return_annotation(method) == op.returns, f"{http} {path}"
        return_type(method)  # resolves


def test_newer_operations_are_not_in_the_spec_yet(spec: dict[str, Any]) -> None:
    in_spec = sorted(set(NEWER_OPERATIONS) & set(spec_operations(spec)))
    assert not in_spec, (
        f"the spec has these now: move them from NEWER_OPERATIONS to OPERATIONS: {in_spec}"
    )
    methods = {op.method for op in OPERATIONS.values()}
    assert not methods & {op.method for op in NEWER_OPERATIONS.values()}
