from __future__ import annotations

from pathlib import Path

from babelwire import Database, Settings
from babelwire.assembly import make_ingestor
from babelwire.settings import LIGHT_STAGES

WIRE = ("The central bank raised its key interest rate by half a percentage point on Thursday,"
        " the largest increase in two decades, citing persistent inflation in food and energy"
        " prices. The governor told reporters that further increases could follow in the coming"
        " months if wage growth stayed high, while the finance minister said the government"
        " would present a budget with lower spending next week.")


def test_republished_wire_story_with_small_edits_is_linked_not_stored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Central bank raises rates\n\n" + WIRE, encoding="utf-8")
    edited = WIRE.replace("on Thursday", "on Thursday morning").replace("next week", "soon")
    (tmp_path / "b.txt").write_text("Bank raises rates again\n\n" + edited, encoding="utf-8")
    with Database(memory=True) as db:
        report = make_ingestor(Settings(stages=LIGHT_STAGES), db).ingest([str(tmp_path / "a.txt"),
                                                       str(tmp_path / "b.txt")])
        assert (report.inserted, report.near_duplicates) == (1, 1)
        [stored] = list(db.iter_articles())
        assert [(a["relation"], a["title"]) for a in db.aliases(stored.id)] == [
            ("near", "Bank raises rates again")]


def test_sidebar_briefs_are_stored_linked_to_their_page(tmp_path: Path) -> None:
    page = ("Kabinet wil sneller bouwen\n\nHet kabinet wil de bouw van betaalbare woningen"
            " versnellen, staat in een plan dat de minister dinsdag naar de Kamer stuurde.\n\n"
            "Meer uit Binnenland\n\nDEN HAAG (ANP) - Het aantal asielaanvragen is gestegen."
            " 2 uur geledenUTRECHT (ANP) - De NS zet meer treinen in. 3 uur geleden\n")
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    with Database(memory=True) as db:
        make_ingestor(Settings(stages=LIGHT_STAGES), db).ingest([str(tmp_path / "page.txt")])
        articles = list(db.iter_articles())
        [parent] = [a for a in articles if a.kind.value == "article"]
        briefs = [a for a in articles if a.kind.value == "brief"]
        assert [(b.title, b.parent_id, b.lang) for b in briefs] == [
            ("Het aantal asielaanvragen is gestegen.", parent.id, "nl"),
            ("De NS zet meer treinen in.", parent.id, "nl")]


def test_article_whose_later_stage_failed_is_stored_with_the_failure(tmp_path: Path) -> None:
    from dataclasses import dataclass

    from babelwire import Article, ErrorPolicy, Pipeline
    from babelwire.ingest import IngestOptions, Ingestor
    from babelwire.stages.clean import CleanStage

    @dataclass
    class Broken:
        name: str = "broken"
        requires: tuple[str, ...] = ("text",)
        assigns: tuple[str, ...] = ("lang",)

        def __call__(self, article: Article) -> Article:
            raise RuntimeError("model file missing")

    (tmp_path / "a.txt").write_text("Central bank raises rates\n\n" + WIRE, encoding="utf-8")
    pipeline = Pipeline([CleanStage(), Broken()], policy=ErrorPolicy.RECORD)
    with Database(memory=True) as db:
        report = Ingestor(db, pipeline, IngestOptions()).ingest([str(tmp_path / "a.txt")])
        [stored] = list(db.iter_articles())
        assert report.inserted == 1
        assert [f.message for f in report.failures] == [
            f"{tmp_path / 'a.txt'}: broken stage: model file missing"]
        assert [(f.stage, f.error) for f in stored.failures] == [("broken", "RuntimeError")]


def test_an_unexpected_store_error_loses_that_article_only_and_is_recorded(
        tmp_path: Path) -> None:
    import pytest

    other = ("Farmers in the northern valleys began the grape harvest a week early this year,"
             " citing a dry summer, and cooperatives expect lower volumes but a sweeter vintage"
             " than usual, the regional agriculture office said in its weekly bulletin.")
    texts = {"a.txt": WIRE, "b.txt": "The parliament met. " + other, "c.txt": other}
    for name, body in texts.items():
        (tmp_path / name).write_text(f"Title {name}\n\n{body}", encoding="utf-8")
    with Database(memory=True) as db:
        real_add = db.add_article

        def flaky(article, *args, **kwargs):  # type: ignore[no-untyped-def]
            if "parliament" in article.text:
                raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
            return real_add(article, *args, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(db, "add_article", flaky)
            report = make_ingestor(Settings(stages=LIGHT_STAGES), db).ingest(
                [str(tmp_path / n) for n in sorted(texts)])
        assert report.inserted == 2
        [failure] = db.failures()
        assert failure.stage == "store" and failure.error == "UnicodeEncodeError"
        assert failure.input_ref.endswith("b.txt") and "rest of the batch goes on" in \
            failure.message
