"""Progress display for long commands: a rich progress line on stderr, never on stdout."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def progress_printer() -> Iterator[Callable[[str], None]]:
    """Yield a callback to call once per item; shows a live count when stderr is a terminal."""
    console = Console(stderr=True)
    if not sys.stderr.isatty():
        yield lambda ref: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"),
               TextColumn("{task.completed} items"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=None)

        def advance(ref: str) -> None:
            progress.update(task, advance=1, description=f"ingesting {ref[-50:]}")

        yield advance
