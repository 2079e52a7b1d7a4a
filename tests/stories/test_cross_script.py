"""One event reported in several languages and scripts forms one story (encoder, slow).

The articles (tests/stories/fixtures/cross_script_events.jsonl) were written for this test,
no third-party text: a gas deal in Beijing in English, Russian, Chinese, Arabic and German;
the same Russian prime minister's report to the Duma the next day (en, ru, zh); two
earthquakes on the same day, in Japan and in Turkey (en, ru, zh, ar each); a phone call about
oil between the two countries' presidents (en, ru). The short Chinese earthquake report only
joins its story in every order because its place names are read inside unspaced text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from babelwire import Settings, assembly

FIXTURE = Path(__file__).parent / "fixtures" / "cross_script_events.jsonl"
STAGES = ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "embed.e5.v1")


def _articles() -> list[dict[str, str]]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def _ingest(tmp_path: Path, articles: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """Ingest without the language field (detected); article id → (story id, language)."""
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps({k: a[k] for k in ("id", "date", "title", "text")},
                                         ensure_ascii=False) + "\n" for a in articles),
                      encoding="utf-8")
    settings = Settings(db_path=str(tmp_path / "news.db"), stages=STAGES)
    with assembly.open_database(settings) as db:
        assembly.make_ingestor(settings, db).ingest([str(source)])
        return {a.id: (a.story_id or "", a.lang or "") for a in db.iter_articles()}


def _groups(placed: dict[str, tuple[str, str]]) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for article_id, (story_id, _) in placed.items():
        by_story.setdefault(story_id, set()).add(article_id)
    return {frozenset(members) for members in by_story.values()}


@pytest.fixture(scope="module")
def placed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    return _ingest(tmp_path_factory.mktemp("in-order"), _articles())


@pytest.mark.slow
def test_each_event_in_up_to_five_languages_and_four_scripts_is_one_story(
        placed: dict[str, tuple[str, str]]) -> None:
    events: dict[str, set[str]] = {}
    for article in _articles():
        events.setdefault(article["event"], set()).add(article["id"])
    assert _groups(placed) == {frozenset(ids) for ids in events.values()}


@pytest.mark.slow
def test_the_language_of_every_article_is_detected(placed: dict[str, tuple[str, str]]) -> None:
    assert {a["id"]: a["lang"] for a in _articles()} == {i: p[1] for i, p in placed.items()}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 3])
def test_shuffled_arrival_gives_the_same_stories(placed: dict[str, tuple[str, str]], seed: int,
                                                tmp_path: Path) -> None:
    articles = _articles()
    random.Random(seed).shuffle(articles)
    assert _groups(_ingest(tmp_path, articles)) == _groups(placed)
