"""Stored and reflected XSS: hostile article content and queries are shown, never run.

Every page is audited as a browser would read it (`audit_html`): no script but
our own file, no event-handler attribute, no ``javascript:``/``data:`` URL in a
link, whatever the article's title, text, source, author, licence or URL held.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from markupsafe import escape

from babelwire import Database
from babelwire.web.app import create_app
from tests.security.conftest import (
    SCRIPT,
    SCRIPT_URLS,
    SVG,
    asgi_client,
    audit_html,
    hostile_articles,
)

pytestmark = [pytest.mark.reliability("web security"), pytest.mark.anyio]

ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"
HOSTILE_PAGES = ["/", "/articles", "/stories", "/entities", "/quotes", "/watchlists",
                 "/watchlists/1", "/search?q=harbour&mode=text"]


@pytest.mark.parametrize("path", HOSTILE_PAGES + [f"/articles/{a.id}"
                                                  for a in hostile_articles()])
async def test_page_showing_hostile_content_runs_no_script_of_it(
        hostile_db: Database, path: str) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        response = await client.get(path)
    assert response.status_code == 200
    audit = audit_html(response.text)
    assert audit.findings == []
    assert "svg" not in audit.tags and "img" not in audit.tags


@pytest.mark.parametrize("article", hostile_articles(), ids=lambda a: repr(a.url))
async def test_article_with_a_script_url_shows_it_as_text_and_links_nowhere(
        hostile_db: Database, article: object) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        response = await client.get(f"/articles/{article.id}")  # type: ignore[attr-defined]
    assert ESCAPED_SCRIPT in response.text  # the title, shown as text
    assert ">original</a>" not in response.text  # no outbound link for a non-http(s) URL
    assert "&lt;svg onload=alert(&#39;svg&#39;)&gt;" in response.text  # the body's SVG as text


async def test_an_http_article_url_is_linked_with_its_query_escaped(
        hostile_db: Database) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        response = await client.get("/articles/good")
    assert ('<a href="https://news.example/ferries?a=1&amp;b=&lt;x&gt;"'
            ' rel="noopener noreferrer nofollow">original</a>') in response.text


async def test_json_twins_carry_hostile_content_verbatim_as_json_not_html(
        hostile_db: Database) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        response = await client.get("/articles/xss-0.json")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    article = response.json()["article"]
    assert (article["title"].startswith(SCRIPT), article["url"]) == (True, SCRIPT_URLS[0])


async def test_atom_feed_escapes_hostile_titles_and_links_only_to_this_server(
        hostile_db: Database) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        response = await client.get("/watchlists/1/feed.atom")
    feed = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [t.text for t in feed.iter(f"{atom}title")]
    links = [link.get("href") for link in feed.iter(f"{atom}link")]
    assert titles[0] == f"{SCRIPT} watch · babelwire"
    assert len(titles) == 1 + len(SCRIPT_URLS)  # every hostile article matched "harbour"
    assert all(t.startswith(SCRIPT) for t in titles[1:])
    assert links and all(href.startswith("http://testserver/") for href in links)


@pytest.mark.parametrize("query", [SCRIPT, f'"><{SVG[1:]}', "javascript:alert(1)",
                                   "' onfocus='alert(1)' autofocus='", "</title><script>x</script>",
                                   "{{7*7}}"])
@pytest.mark.parametrize("mode", ["text", "semantic"])
async def test_search_query_is_reflected_escaped_in_the_page_and_its_links(
        hostile_db: Database, query: str, mode: str) -> None:
    app = create_app(hostile_db, embedder=lambda q: [1.0, 0.0, 0.0])
    async with asgi_client(app) as client:
        response = await client.get("/search", params={"q": query, "mode": mode})
    assert response.status_code == 200
    assert audit_html(response.text).findings == []
    assert str(escape(query)) in response.text  # shown, as text (a template expression too)


async def test_login_next_parameter_cannot_become_a_script_or_foreign_link(
        hostile_db: Database) -> None:
    async with asgi_client(create_app(hostile_db)) as client:
        pages = [await client.get("/login", params={"next": target}) for target in
                 ("javascript:alert(1)", "//evil.example/", "/\t/evil.example/",
                  "/\\evil.example", "https://evil.example/")]
    for page in pages:
        assert audit_html(page.text).findings == []
        assert 'href="/">Continue</a>' in page.text
