"""``_json.loads``: the same answer as the standard library, with or without orjson.

orjson (``telnyx-async[speedups]``) reads most bodies; these tests hold its
results to ``json.loads`` value for value, on generated documents and on the
cases where the two libraries differ (numbers past 64 bits, ``NaN``, a
byte-order mark, lone surrogates), and check the standard-library path alone.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telnyx_async import _json

pytest.importorskip("orjson", reason="orjson comes with the [test] extra (telnyx-async[speedups])")


@pytest.fixture(params=["orjson", "json"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test once with orjson reading and once with the standard library alone."""
    if request.param == "json":
        monkeypatch.setattr(_json._Fast, "looked", True)
        monkeypatch.setattr(_json._Fast, "loads", None)
        assert not _json.orjson_in_use()
    else:
        assert _json.orjson_in_use()
    return str(request.param)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, types included (1 is not 1.0), NaN equal to NaN."""
    return json.dumps(_tagged(a)) == json.dumps(_tagged(b))


def _tagged(value: object) -> object:
    """``value`` with each scalar's type and repr spelled out, so ``json.dumps`` can compare."""
    if isinstance(value, list):
        return [_tagged(item) for item in cast("list[object]", value)]
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in cast("dict[str, object]", value).items()}
    return [type(value).__name__, repr(value)]


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(document=_DOCUMENTS, ascii_only=st.booleans(), spaced=st.booleans())
def test_any_document_reads_as_the_standard_library_reads_it(
    document: Any, ascii_only: bool, spaced: bool
) -> None:
    separators = (", ", ": ") if spaced else (",", ":")
    text = json.dumps(document, ensure_ascii=ascii_only, separators=separators)
    body = text.encode("utf-8", errors="surrogatepass")
    try:
        expected = json.loads(body.decode("utf-8"))
    except ValueError:  # a lone surrogate written raw is not UTF-8: both refuse it
        expected = ValueError
    if expected is ValueError:
        with pytest.raises(ValueError, match="not UTF-8"):
            _json.loads(body)
    else:
        assert _same(_json.loads(body), expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"[18446744073709551615]", [18446744073709551615]),  # the largest orjson keeps exact
        (b"[18446744073709551616]", [18446744073709551616]),  # orjson alone: a float
        (b'{"n": -9223372036854775809}', {"n": -9223372036854775809}),
        (b'{"n":\n  123456789012345678901234567890}', {"n": 123456789012345678901234567890}),
        (b'{"id":"1923456789012345678"}', {"id": "1923456789012345678"}),  # digits in a string
        (b"[NaN, Infinity, -Infinity]", [math.nan, math.inf, -math.inf]),
        (b"1e400", math.inf),
        (b" 18446744073709551616", 18446744073709551616),  # a bare number at the start
        (b'"\\ud800"', "\ud800"),
        (b'{"a":1,"a":2}', {"a": 2}),
        (b"  [1, -0, 1E2, 2.5e-320]  ", [1, 0, 100.0, 2.5e-320]),
    ],
)
def test_where_the_two_libraries_differ_the_standard_library_wins(
    reader: str, body: bytes, expected: Any
) -> None:
    assert _same(_json.loads(body), expected)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{", "Expecting property name"),
        (b"\xef\xbb\xbf{}", "Expecting value"),  # a byte-order mark
        (b'"\x01"', "Invalid control character"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[] []", "Extra data"),
    ],
)
def test_what_is_not_json_is_a_value_error_with_the_standard_librarys_reason(
    reader: str, body: bytes, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason) as caught:
        _json.loads(body)
    assert type(caught.value).__module__ != "orjson"


def test_text_is_read_too(reader: str) -> None:
    assert _json.loads('{"a": [1, "é"]}') == {"a": [1, "é"]}


def test_import_does_not_load_orjson_and_the_first_read_does() -> None:
    code = (
        "import sys, telnyx_async\n"
        "assert 'orjson' not in sys.modules, 'import telnyx_async imported orjson'\n"
        "from telnyx_async import _json\n"
        "assert _json.loads(b'[1]') == [1]\n"
        "assert 'orjson' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_orjson_installed_the_standard_library_reads() -> None:
    code = (
        "import sys\n"
        "sys.modules['orjson'] = None  # how Python spells 'not installed' for one process\n"
        "from telnyx_async import _json\n"
        "assert _json.loads(b'{\"a\": 18446744073709551616}') == {'a': 18446744073709551616}\n"
        "assert not _json.orjson_in_use()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_WRITABLE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(document=_WRITABLE)
def test_dumps_writes_what_the_standard_library_writes(document: Any) -> None:
    expected = json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    assert _json.dumps(document) == expected.encode("utf-8", errors="surrogatepass")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (math.nan, ValueError),
        ({"a": [math.inf]}, ValueError),
        ({"a": object()}, TypeError),
        ({("tuple", "key"): 1}, TypeError),
    ],
)
def test_dumps_refuses_what_json_cannot_hold(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        _json.dumps(value)


def test_dumps_reports_a_value_that_contains_itself() -> None:
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="refers to itself"):
        _json.dumps({"a": looped})
    assert _json.dumps({"a": [1]}) == b'{"a":[1]}'  # nothing left over from the failure
