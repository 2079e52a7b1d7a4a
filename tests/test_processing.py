"""`babelwire process`: the stages that add to an article, run again over the stored ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from babelwire import Database
from babelwire.errors import ConfigError, StorageError
from babelwire.pipeline import ErrorPolicy
from babelwire.processing import Processor
from babelwire.record import Article
from babelwire.stages.language import LanguageStage
from babelwire.stages.quotes import QuotesStage
from babelwire.stages.segment import SegmentStage

BODY = ('"We will not close the harbour before the storm has passed," the mayor said on'
        ' Thursday. The harbour authority said ships could still leave in the morning.')


@dataclass(slots=True)
class FailingStage:
    """A stage that always fails, to see what a rerun does with recorded failures."""

    name: str = "broken"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("lang",)

    def __call__(self, article: Article) -> Article:
        raise ValueError(f"cannot read {article.id}")


def _stored(db: Database, make_article: Callable[..., Article], count: int) -> list[str]:
    for n in range(count):
        db.add_article(make_article(id=f"a{n}", title=f"Harbour {n}", text=f"{BODY} Day {n}."))
    return [f"a{n}" for n in range(count)]


def test_process_assigns_language_and_quotes_to_stored_articles_and_keeps_their_text(
        db: Database, make_article: Callable[..., Article]) -> None:
    ids = _stored(db, make_article, 5)
    before = {i: db.get_article(i) for i in ids}
    report = Processor(db, [SegmentStage(), LanguageStage(), QuotesStage()],
                       batch_size=2).process()
    assert (report.articles, report.batches, report.failed) == (5, 3, 0)
    assert (report.stages_run, report.stages_skipped) == (["language", "quotes"], ["segment"])
    after = {i: db.get_article(i) for i in ids}
    assert {i: (a.lang, a.lang_method != "") for i, a in after.items() if a} == dict.fromkeys(
        ids, ("en", True))
    assert all(a is not None and a.quotes for a in after.values())
    assert {i: (a.text if a else None) for i, a in after.items()} == {
        i: (a.text if a else None) for i, a in before.items()}


@pytest.mark.reliability("crash safety")
def test_process_run_twice_records_a_stage_failure_once(
        db: Database, make_article: Callable[..., Article]) -> None:
    ids = _stored(db, make_article, 3)
    for _ in range(2):
        report = Processor(db, [FailingStage()], policy=ErrorPolicy.RECORD).process()
        assert (report.articles, report.failed) == (3, 3)
    stored = [db.get_article(i) for i in ids]
    assert [[(f.stage, f.message) for f in a.failures] for a in stored if a] == [
        [("broken", f"cannot read {i}")] for i in ids]


def test_process_refuses_a_pipeline_of_stages_that_rewrite_the_text(db: Database) -> None:
    with pytest.raises(ConfigError) as info:
        Processor(db, [SegmentStage()])
    assert str(info.value).startswith(
        "no stage of the pipeline (segment) can run over stored articles: each assigns a field"
        " process cannot rewrite ({'segment': ['author', 'captions', 'kind', 'subheadings',"
        " 'text']});")


def test_update_articles_refuses_to_rewrite_the_title(
        db: Database, make_article: Callable[..., Article]) -> None:
    _stored(db, make_article, 1)
    with pytest.raises(StorageError) as info:
        db.update_articles([make_article(id="a0", title="Changed")], ["title", "lang"])
    assert str(info.value).startswith("cannot rewrite ['title'] of stored articles;")

