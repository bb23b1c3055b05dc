"""The live view: rich when asked for, plain lines otherwise, and the key never shown."""

from __future__ import annotations

import io

import pytest

from telnyx_async.cli._connect import connect
from telnyx_async.cli._output import Output, follow_batch, print_results

SECRET = "Greets"  # a word the demo suite prints, standing in for a key


@pytest.mark.parametrize("fancy", [True, False], ids=["rich", "plain"])
async def test_a_batch_is_shown_run_by_run_then_as_a_table(fancy: bool) -> None:
    out, err = io.StringIO(), io.StringIO()
    output = Output(out=out, err=err, secret=SECRET, fancy=fancy)
    assert (output.console is not None) is fancy
    async with connect(use_fake=True) as connection:
        batch = connection.client.ai.assistants.tests.test_suites.run_and_wait(
            "demo", concurrency=4
        )
        summary = await follow_batch(batch, output, quiet=False, describe="suite demo")
    print_results(output, summary)
    text = out.getvalue()
    assert SECRET not in text
    assert "*** the customer" in text
    assert text.count("Stays on topic") == 2  # once as it finished, once in the table
    for label in ("PASS", "FAIL"):
        assert label in text
    assert "6 run(s): 4 passed, 2 failed, 0 error(s)" in text
    assert err.getvalue() == ""
    if not fancy:
        assert [line[:5] for line in text.splitlines() if line.startswith("[")] == [
            f"[{i}/6]" for i in range(1, 7)
        ]


def test_plain_tables_line_up_and_errors_take_one_line() -> None:
    out, err = io.StringIO(), io.StringIO()
    output = Output(out=out, err=err, secret="sk-123", fancy=False)
    output.table(["ID", "Name"], [["a", "first"], ["bcd", "uses sk-123"]])
    assert out.getvalue().splitlines() == [
        "ID   Name",
        "---  --------",  # widths after redaction
        "a    first",
        "bcd  uses ***",
    ]
    output.error("went\nwrong  with sk-123")
    assert err.getvalue() == "telnyx-async: error: went wrong with ***\n"
    output.raw('{"key": "sk-123"}')
    assert out.getvalue().endswith('{"key": "***"}\n')
