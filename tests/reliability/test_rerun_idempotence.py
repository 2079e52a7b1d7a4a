"""What makes a rerun after a crash safe and cheap: the same input, read again, is not a new one."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from babelwire import Database, Settings
from babelwire.assembly import make_ingestor
from babelwire.db.store import AddResult
from babelwire.fingerprint import Fingerprint
from babelwire.ingest import IngestOptions, Ingestor, IngestReport
from babelwire.pipeline import Pipeline
from babelwire.record import Article
from babelwire.settings import LIGHT_STAGES

BODY = "The harbour stays open, the mayor said, and ships may leave in the morning."


@pytest.mark.reliability("crash safety")
def test_reading_the_same_input_again_records_no_alias(
        db: Database, make_article: Callable[..., Article]) -> None:
    sighting = {"id": "a1", "text": BODY, "url": "https://x/1", "input_ref": "batch.jsonl#line=1"}
    db.add_article(make_article(**sighting))
    again = db.add_article(make_article(**sighting))
    assert (again.outcome.value, again.article_id, db.aliases("a1")) == ("duplicate", "a1", [])


@pytest.mark.reliability("crash safety")
def test_the_same_content_from_another_url_is_still_recorded_once(
        db: Database, make_article: Callable[..., Article]) -> None:
    db.add_article(make_article(id="a1", text=BODY, url="https://x/1"))
    for _ in range(2):
        db.add_article(make_article(text=BODY, url="https://y/2", source="other"))
    assert [(a["relation"], a["url"]) for a in db.aliases("a1")] == [("exact", "https://y/2")]


@dataclass(slots=True)
class CountingStage:
    """Counts the articles it sees: a rerun must not send stored inputs through again."""

    seen: list[str] = field(default_factory=list)
    name: str = "counting"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("lang",)

    def __call__(self, article: Article) -> Article:
        self.seen.append(article.title)
        return article


def _ingest(db: Database, path: Path, stage: CountingStage) -> IngestReport:
    return Ingestor(db, Pipeline([stage]), IngestOptions()).ingest([str(path)])


def _write_lines(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"title": f"T{n}", "text": text}) + "\n"
                            for n, text in enumerate(texts)), encoding="utf-8")
    return path


@pytest.mark.reliability("crash safety")
def test_an_input_stored_by_an_earlier_run_skips_the_stages(tmp_path: Path,
                                                            db: Database) -> None:
    batch = _write_lines(tmp_path / "b.jsonl", [f"{BODY} Day {n}." for n in range(3)])
    stage = CountingStage()
    first, second = _ingest(db, batch, stage), _ingest(db, batch, stage)
    assert (first.inserted, second.inserted, second.duplicates) == (3, 0, 3)
    assert (stage.seen, db.stats()["articles"]) == (["T0", "T1", "T2"], 3)


@pytest.mark.reliability("crash safety")
def test_an_input_changed_since_the_earlier_run_is_read_again(tmp_path: Path,
                                                              db: Database) -> None:
    texts = [f"{BODY} Day {n}." for n in range(3)]
    stage = CountingStage()
    _ingest(db, _write_lines(tmp_path / "b.jsonl", texts), stage)
    texts[1] = "A different report: the bridge reopened after repairs on Friday."
    again = _ingest(db, _write_lines(tmp_path / "b.jsonl", texts), stage)
    assert (again.inserted, again.duplicates, stage.seen) == (1, 2, ["T0", "T1", "T2", "T1"])


@pytest.mark.reliability("crash safety")
def test_an_input_that_fails_again_on_a_rerun_is_recorded_once(tmp_path: Path,
                                                                db: Database) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps({"title": "T0", "text": BODY}) + '\n{"title": "cut\n',
                     encoding="utf-8")
    reports = [_ingest(db, batch, CountingStage()) for _ in range(2)]
    assert [r.failed for r in reports] == [1, 1]
    assert [(f.input_ref, f.error) for f in db.failures()] == [
        (f"{batch}#line=2", "ParseError")]


class CrashingDatabase(Database):
    """A store whose process dies (SystemExit: no cleanup) at the n-th article it stores."""

    def __init__(self, path: Path, crash_at: int) -> None:
        super().__init__(path)
        self.calls, self.crash_at = 0, crash_at

    def add_article(self, article: Article, fingerprint: Fingerprint | None = None, *,
                    source_key: str | None = None) -> AddResult:
        self.calls += 1
        if self.calls == self.crash_at:
            raise SystemExit(f"killed before storing {article.title!r}")
        return super().add_article(article, fingerprint, source_key=source_key)


SIDEBAR_PAGE = ("Kabinet wil sneller bouwen\n\nHet kabinet wil de bouw van betaalbare woningen"
                " versnellen, staat in een plan dat de minister dinsdag naar de Kamer stuurde.\n\n"
                "Meer uit Binnenland\n\nDEN HAAG (ANP) - Het aantal asielaanvragen is gestegen."
                " 2 uur geledenUTRECHT (ANP) - De NS zet meer treinen in. 3 uur geleden\n")


@pytest.mark.reliability("crash safety")
def test_a_page_killed_between_its_briefs_is_read_again_whole(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(SIDEBAR_PAGE, encoding="utf-8")
    crashing = CrashingDatabase(tmp_path / "s.db", crash_at=3)  # page, first brief, then dead
    with pytest.raises(SystemExit):
        make_ingestor(Settings(stages=LIGHT_STAGES), crashing).ingest([str(tmp_path / "page.txt")])
    crashing.close()
    with Database(tmp_path / "s.db") as db:
        report = make_ingestor(Settings(stages=LIGHT_STAGES), db).ingest(
            [str(tmp_path / "page.txt")])
        titles = sorted(a.title for a in db.iter_articles())
    assert (report.inserted, report.duplicates) == (1, 2)
    assert titles == ["De NS zet meer treinen in.", "Het aantal asielaanvragen is gestegen.",
                      "Kabinet wil sneller bouwen"]
