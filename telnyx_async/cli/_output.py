"""The live view: everything the CLI prints, with rich when it can, plain text when not.

With ``rich`` installed and stdout a terminal, tables and progress are drawn
with rich; otherwise the output is plain text, one line per event. Every
string goes through :meth:`Output.redact` on its way out, so the API key is
never printed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Callable, Generator, Sequence
from typing import IO, Any

from telnyx_async.orchestration import BatchSummary, RunBatch, RunOutcome

from ._outcome_text import OUTCOME_LABELS, outcome_problem

__all__ = ["Output", "RunProgress", "follow_batch", "print_results", "redactor"]


def redactor(secret: str | None) -> Callable[[str], str]:
    """A function that replaces every occurrence of ``secret`` in a text by ``***``."""
    if not secret:
        return lambda text: text
    return lambda text: text.replace(secret, "***")


class Output:
    """Everything the CLI writes goes through here, so the API key can never be printed."""

    def __init__(self, *, out: IO[str], err: IO[str], secret: str | None, fancy: bool) -> None:
        """Write to ``out`` and ``err``, hiding ``secret``; draw with rich when ``fancy``."""
        self.out = out
        self.err = err
        self.redact = redactor(secret)
        self.console: Any = None
        if fancy:
            from rich.console import Console

            self.console = Console(file=out, highlight=False)

    @classmethod
    def create(cls, *, secret: str | None, machine: bool) -> Output:
        """Output to stdout and stderr; rich only for people (not ``machine``) at a terminal."""
        out = sys.stdout
        fancy = not machine and out.isatty() and importlib.util.find_spec("rich") is not None
        return cls(out=out, err=sys.stderr, secret=secret, fancy=fancy)

    def say(self, text: str = "", *, style: str | None = None) -> None:
        """Print a line (in ``style`` when drawing with rich)."""
        text = self.redact(text)
        if self.console is not None:
            self.console.print(text, style=style, markup=False)
        else:
            print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        """Print ``telnyx-async: error: ...`` as one line on stderr."""
        line = " ".join(self.redact(text).split())
        print(f"telnyx-async: error: {line}", file=self.err, flush=True)

    def raw(self, text: str) -> None:
        """Print text as it is (JSON), never through rich."""
        print(self.redact(text), file=self.out, flush=True)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        styles: Sequence[str | None] | None = None,
    ) -> None:
        """Print a table: a rich one, or aligned plain columns under a dashed rule."""
        rows = [[self.redact(cell) for cell in row] for row in rows]
        if self.console is not None:
            from rich.table import Table
            from rich.text import Text

            table = Table(*columns, show_lines=False)
            for i, row in enumerate(rows):
                style = styles[i] if styles else None
                table.add_row(*(Text(cell) for cell in row), style=style)
            self.console.print(table)
            return
        widths = [
            max([len(col)] + [len(row[i]) for row in rows]) for i, col in enumerate(columns)
        ]

        def join(cells: Sequence[str]) -> str:
            return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True))

        lines = [join(columns), join(["-" * w for w in widths])] + [join(row) for row in rows]
        for line in lines:
            print(line.rstrip(), file=self.out)
        self.out.flush()

    @contextlib.contextmanager
    def progress(self, description: str) -> Generator[RunProgress, None, None]:
        """Show the progress of a batch while the block runs (a rich bar, or plain lines)."""
        if self.console is None:
            yield RunProgress(self, None, None)
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        ) as bar:
            task = bar.add_task(self.redact(description), total=None)
            yield RunProgress(self, bar, task)


class RunProgress:
    """Live progress of a batch: a rich bar, or one plain line per finished run."""

    def __init__(self, output: Output, bar: Any, task: Any) -> None:
        """Report to ``output``, moving ``task`` of the rich ``bar`` (both ``None``: plain text)."""
        self.output = output
        self.bar = bar
        self.task = task
        self.count = 0

    def finished(self, outcome: RunOutcome, name: str, total: int | None) -> None:
        """Show that the run of test ``name`` ended, as run ``count`` of ``total``."""
        self.count += 1
        label, style = OUTCOME_LABELS[outcome.outcome]
        line = f"{label:<6} {name} ({outcome.duration:.2f}s)"
        problem = outcome_problem(outcome)
        if problem:
            line += f": {problem}"
        if self.bar is None:
            of = f"/{total}" if total is not None else ""
            self.output.say(f"[{self.count}{of}] {line}")
            return
        self.bar.update(self.task, total=total, completed=self.count)
        self.bar.console.print(
            self.output.redact(line), style=style, markup=False, highlight=False
        )


async def follow_batch(
    batch: RunBatch, output: Output, *, quiet: bool, describe: str
) -> BatchSummary:
    """Show each run of ``batch`` as it finishes (unless ``quiet``), then return the summary."""
    if quiet:
        return await batch
    with output.progress(describe) as progress:
        async for outcome in batch:
            progress.finished(outcome, outcome.test or outcome.test_id, batch.size)
    return await batch


def print_results(output: Output, summary: BatchSummary) -> None:
    """Print the results table of a batch and its one-line tally."""
    rows: list[list[str]] = []
    styles: list[str | None] = []
    for outcome in summary.outcomes:
        label, style = OUTCOME_LABELS[outcome.outcome]
        rows.append([
            label,
            outcome.test or outcome.test_id,
            outcome.status,
            f"{outcome.duration:.2f}s",
            outcome_problem(outcome),
        ])
        styles.append(style)
    output.say()
    output.table(["Result", "Test", "Status", "Time", "Details"], rows, styles=styles)
    output.say(
        f"{summary.total} run(s): {summary.passed} passed, {summary.failed} failed, "
        f"{summary.errored} error(s) in {summary.wall_time:.1f}s",
        style="bold green" if summary.all_passed else "bold red",
    )
