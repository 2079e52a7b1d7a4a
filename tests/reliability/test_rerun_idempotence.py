"""What makes a rerun after a crash safe: the same sighting, read again, is not a new one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from babelwire import Database
from babelwire.record import Article

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
