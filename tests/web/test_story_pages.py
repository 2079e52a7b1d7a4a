"""Front page and story pages: the window's biggest stories, headlines in the reader's language."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser

import httpx
import numpy as np
import pytest

from babelwire import Article, Database
from babelwire.record import Quote, QuoteType
from babelwire.web.app import create_app

DAY = 86_400


def _story(db: Database, story_id: str, members: list[tuple[str, str, str, str]],
           headlines: dict[str, str], thread: str = "") -> None:
    """Store ``members`` (id, lang, published, source) as one story, as the clusterer would."""
    for article_id, lang, published, source in members:
        quotes = [Quote(text="<i>We</i> agree", type=QuoteType.DIRECT, spans=((0, 5),),
                        speaker_name="Ana")] if lang == "pt" else []
        db.add_article(Article(id=article_id, title=headlines.get(lang, f"T {article_id}"),
                               text=f"Body of {article_id}.", lang=lang, source=source,
                               published_at=datetime.fromisoformat(published), quotes=quotes))
    days = [datetime.fromisoformat(m[2]).timestamp() / DAY for m in members]
    langs: dict[str, int] = {}
    for member in members:
        langs[member[1]] = langs.get(member[1], 0) + 1

    def write(conn) -> None:  # noqa: ANN001
        conn.execute(
            "INSERT INTO stories (id, label, thread_id, size, first_day, last_day, languages,"
            " headlines, centroid, member_vectors, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, '2024-01-01')",
            (story_id, headlines.get("en", next(iter(headlines.values()))), thread or story_id,
             len(members), min(days), max(days), str(langs).replace("'", '"'),
             str(headlines).replace("'", '"'), np.zeros(4, "<f4").tobytes(), b""))
        conn.executemany("UPDATE articles SET story_id = ? WHERE id = ?",
                         [(story_id, m[0]) for m in members])

    db.write(write)


@pytest.fixture
def store(db: Database) -> Database:
    _story(db, "s:big", [("en1", "en", "2024-05-06T09:00:00+00:00", "wire"),
                         ("fr1", "fr", "2024-05-06T10:30:00+00:00", "lemonde"),
                         ("pt1", "pt", "2024-05-07T08:00:00+00:00", "folha"),
                         ("en2", "en", "2024-05-07T09:00:00+00:00", "bbc")],
           {"en": "Floods <b>hit</b> the coast", "fr": "Inondations sur la côte"}, "t:1")
    _story(db, "s:small", [("de1", "de", "2024-05-07T12:00:00+00:00", "faz")],
           {"de": "Wahl in Berlin"})
    _story(db, "s:old", [("en9", "en", "2024-04-01T12:00:00+00:00", "wire"),
                         ("en8", "en", "2024-04-01T13:00:00+00:00", "wire")],
           {"en": "Earlier floods warning"}, "t:1")
    return db


async def _get(db: Database, path: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(db)),
                                 base_url="http://testserver") as client:
        return await client.get(path, headers=headers)


@pytest.mark.anyio
async def test_front_page_ranks_the_weeks_stories_by_articles_in_the_window(
        store: Database) -> None:
    data = (await _get(store, "/index.json")).json()
    assert data["filters"]["since"] == "2024-05-01" and data["filters"]["until"] == "2024-05-07"
    assert [(s["id"], s["window_articles"]) for s in data["stories"]] == [("s:big", 4),
                                                                          ("s:small", 1)]
    big = data["stories"][0]
    assert big["window_languages"] == {"en": 2, "fr": 1, "pt": 1}
    assert (big["window_sources"], big["last_day_articles"]) == (4, 2)


@pytest.mark.anyio
async def test_front_page_filters_by_language_and_day_range(store: Database) -> None:
    german = (await _get(store, "/index.json?lang=de")).json()
    april = (await _get(store, "/index.json?since=2024-03-30&until=2024-04-02")).json()
    assert [s["id"] for s in german["stories"]] == ["s:small"]
    assert [s["id"] for s in april["stories"]] == ["s:old"]


@pytest.mark.anyio
async def test_front_page_headline_follows_the_readers_language_and_is_escaped(
        store: Database) -> None:
    french = (await _get(store, "/index.json", **{"accept-language": "fr-CH, fr;q=0.9"})).json()
    page = (await _get(store, "/")).text
    assert french["stories"][0]["headline"] == "Inondations sur la côte"
    assert '<a href="/stories/s%3Abig" lang="en">Floods &lt;b&gt;hit&lt;/b&gt; the coast</a>' \
        in page


@pytest.mark.anyio
async def test_story_page_groups_articles_by_language_with_timeline_quotes_and_thread(
        store: Database) -> None:
    data = (await _get(store, "/stories/s:big.json")).json()
    page = (await _get(store, "/stories/s:big?hl=fr")).text
    assert {lang: [a["id"] for a in items] for lang, items in data["articles"].items()} == {
        "en": ["en1", "en2"], "fr": ["fr1"], "pt": ["pt1"]}
    assert data["articles"]["fr"][0]["source"] == "lemonde"
    assert data["chart"]["granularity"] == "hour" and data["chart"]["total"] == 4
    assert [q["text"] for q in data["quotes"]] == ["<i>We</i> agree"]
    assert [s["id"] for s in data["thread"]] == ["s:old", "s:big"]
    assert '<h1 lang="fr">Inondations sur la côte</h1>' in page
    assert "&lt;i&gt;We&lt;/i&gt; agree" in page and '<svg class="chart"' in page
    assert '<a href="/articles/pt1#q0">in context</a>' in page


@pytest.mark.anyio
async def test_missing_story_is_a_404_in_the_one_error_shape(store: Database) -> None:
    response = await _get(store, "/stories/s:nope.json")
    assert response.status_code == 404
    assert response.json()["error"] == "no story with id 's:nope'; see /stories"


@pytest.mark.anyio
async def test_front_page_before_any_clustering_says_so_and_lists_newest_articles(
        db: Database) -> None:
    db.add_article(Article(id="a1", title="<script>x</script> News", text="Body.", lang="en"))
    data = (await _get(db, "/index.json")).json()
    page = (await _get(db, "/")).text
    assert (data["clustered"], [a["id"] for a in data["newest"]]) == (False, ["a1"])
    assert "No stories yet" in page and "&lt;script&gt;x&lt;/script&gt; News" in page


@pytest.mark.anyio
async def test_story_list_finds_stories_by_headline(store: Database) -> None:
    data = (await _get(store, "/stories.json?q=floods")).json()
    assert [s["id"] for s in data["stories"]] == ["s:big", "s:old"]


@pytest.mark.anyio
async def test_entity_page_lists_the_stories_its_articles_are_in(db: Database) -> None:
    from tests.web.test_entity_pages import CHINA, _store

    _store(db)

    def story(conn) -> None:  # noqa: ANN001
        conn.execute("INSERT INTO stories (id, label, thread_id, size, languages, headlines,"
                     " centroid, member_vectors, updated_at) VALUES (?, ?, ?, 2, ?, '{}', x'',"
                     " x'', 'now')", ("s:cn", "China news", "s:cn", '{"nb": 1, "ru": 1}'))
        conn.execute("UPDATE articles SET story_id = 's:cn' WHERE id IN ('nb1', 'ru1')")

    db.write(story)
    data = (await _get(db, f"/entities/{CHINA}.json")).json()
    page = (await _get(db, f"/entities/{CHINA}")).text
    assert [(s["id"], s["window_articles"]) for s in data["stories"]] == [("s:cn", 2)]
    assert '<a href="/stories/s%3Acn">China news</a>' in page


def test_story_extras_list_the_first_members_per_language_and_count_them_all(
        store: Database) -> None:
    extras = store.story_extras("s:big", per_language=1)
    assert [(a.id, a.lang) for a in extras.articles] == [("en1", "en"), ("fr1", "fr"),
                                                         ("pt1", "pt")]
    assert sum(n for _, _, n in extras.timeline) == 4


@pytest.mark.anyio
async def test_story_page_says_how_many_members_it_does_not_list(
        store: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from babelwire.web.views import stories

    monkeypatch.setattr(stories, "MEMBERS_PER_LANGUAGE", 1)
    page = (await _get(store, "/stories/s:big")).text
    assert "… and 1 more" in page


@pytest.mark.anyio
async def test_story_page_names_the_clusterers_top_entities_when_it_kept_them(
        store: Database) -> None:
    def rank(conn) -> None:  # noqa: ANN001
        conn.execute("INSERT INTO entities (id, name, type, mentions) VALUES"
                     " ('e:a', 'Coast Guard', 'ORG', 3), ('e:b', 'Lisbon', 'LOC', 1)")
        conn.execute("UPDATE stories SET top_entities = ? WHERE id = 's:big'",
                     ('["e:b", "e:gone", "e:a"]',))

    store.write(rank)
    data = (await _get(store, "/stories/s:big.json")).json()
    assert [e["name"] for e in data["entities"]] == ["Lisbon", "Coast Guard"]
    html = (await _get(store, "/stories/s:big")).text
    names = html[html.index('<ol class="co-occurring">'):]
    names = names[:names.index("</ol>")]
    assert "Lisbon" in names and " in 0" not in names  # the clusterer kept no counts


@pytest.mark.anyio
@pytest.mark.parametrize(("until", "since"), [
    ("0000-05-06", "0000-01-01"), ("0001-01-03", "0001-01-01"), ("2024-02-30", "2024-02-23"),
    ("2023-02-29", "2023-02-22"), ("2024-05-06", "2024-04-30")])
async def test_front_page_window_ending_on_a_day_the_calendar_lacks_counts_back_from_a_real_one(
        store: Database, until: str, since: str) -> None:
    answer = await _get(store, f"/index.json?until={until}")
    assert answer.status_code == 200
    assert (answer.json()["filters"]["since"], answer.json()["filters"]["until"]) == (since, until)
    assert (await _get(store, f"/index.json?since=2024-02-01&until={until}")).status_code == 200


class _MemberColumns(HTMLParser):
    """The story page's language columns as ``{lang: [(href, title, source · time)]}``."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: dict[str, list[list[str]]] = {}
        self._lang: str | None = None
        self._item: list[str] | None = None
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "section" and named.get("class") == "language":
            self._lang = named["lang"]
            self.columns[self._lang or ""] = []
        elif tag == "li" and self._lang is not None:
            self._item = [""] * 3
            self.columns[self._lang].append(self._item)
        elif tag == "a" and self._item is not None and not self._item[0]:
            self._item[0], self._field = named["href"] or "", "title"
        elif tag == "span" and self._item is not None:
            self._field = "meta"

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._lang = None
        elif tag == "li":
            self._item = self._field = None
        elif tag == "a" and self._field == "title":
            self._field = None

    def handle_data(self, data: str) -> None:
        if self._item is not None and self._field is not None:
            self._item[1 if self._field == "title" else 2] += data


@pytest.mark.anyio
async def test_story_page_html_lists_every_member_with_title_source_and_time_by_language(
        store: Database) -> None:
    data = (await _get(store, "/stories/s:big.json")).json()
    page = _MemberColumns()
    page.feed((await _get(store, "/stories/s:big")).text)
    expected = {lang: [[f"/articles/{a['id']}", a["title"],
                        f"{a['source']} · {(a['published_at'] or a['day'])[:16].replace('T', ' ')}"]
                       for a in items] for lang, items in data["articles"].items()}
    assert page.columns == expected
    assert page.columns["en"][0] == ["/articles/en1", "Floods <b>hit</b> the coast",
                                     "wire · 2024-05-06 09:00"]
