"""A stage that stops a Dask worker in the middle of a batch, at a known article.

Why FIFOs and not sleeps: the worker reaching the article and the test killing
it meet without any clock. On its first visit to ``article_id`` the stage writes
its process id into the ``pid`` FIFO (opening it blocks until the test opens it
to read) and then opens the ``hold`` FIFO, which nobody writes: the worker waits
there until the test SIGKILLs it. A marker file makes the batch's re-run (on
another worker or the restarted one) pass straight through.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from babelwire.record import Article


@dataclass(frozen=True, slots=True)
class KillPoint:
    """Assigns nothing; holds the first worker that reaches ``article_id`` until it dies."""

    folder: str
    article_id: str
    name: str = "killpoint"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:
        if article.id != self.article_id or not self._first_visit():
            return article
        with open(Path(self.folder) / "pid", "w") as fifo:
            fifo.write(str(os.getpid()))
        with open(Path(self.folder) / "hold") as never_written:
            never_written.read()
        raise AssertionError("the hold FIFO was written: the test should have killed us")

    def _first_visit(self) -> bool:
        try:
            os.close(os.open(Path(self.folder) / "visited", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True


def make_fifos(folder: Path) -> None:
    """The two FIFOs `KillPoint` meets the test through."""
    os.mkfifo(folder / "pid")
    os.mkfifo(folder / "hold")


@dataclass(frozen=True, slots=True)
class StagesWithKillPoint:
    """A picklable stage factory: language and quotes with the kill point between them."""

    folder: str
    article_id: str

    def __call__(self) -> list[object]:
        from babelwire.stages.language import LanguageStage
        from babelwire.stages.quotes import QuotesStage

        return [LanguageStage(), KillPoint(self.folder, self.article_id), QuotesStage()]
