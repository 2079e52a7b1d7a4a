"""End to end in headless Chromium: a CLI-made store, `babelwire serve`, a user clicking through.

Slow (an ingest with the encoder and NER, a browser), so marked ``slow``: `make test`
and CI run it, `make test-fast` skips it. Debian's chromium, driven by PyPI
playwright (never ``playwright install``: no download at test time). Screenshots
of every page go to ``test-artifacts/web/`` (git-ignored), or to
``$BABELWIRE_TEST_ARTIFACTS``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.live_server import HOSTILE_ID, ingest, serving, write_demo_corpus

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
STAGES = ["clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "embed.e5.v1",
          "ner.e5.v3", "quotes.rules.v1"]
PER_LANGUAGE = 6
ARTIFACTS = Path(os.environ.get("BABELWIRE_TEST_ARTIFACTS")
                 or Path(__file__).resolve().parents[2] / "test-artifacts" / "web")
FIRST_DAY = "2004-01-01"  # the corpus' MEANTIME articles span 2004-2011
DUTCH_QUERY = "Northrop Grumman wint contract voor tankvliegtuigen van de luchtmacht"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server over a store ingested from 24 MEANTIME articles and one hostile article."""
    folder = tmp_path_factory.mktemp("browser")
    corpus = write_demo_corpus(folder / "corpus.jsonl", PER_LANGUAGE)
    summary = ingest(folder / "demo.db", corpus, STAGES)
    assert summary["inserted"] == 4 * PER_LANGUAGE + 1
    with serving(folder / "demo.db") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs the chromium package")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh page that fails the test on any console error (a CSP violation is one)."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("dialog", lambda d: errors.append(f"dialog opened: {d.message}"))
    tab.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    yield tab
    context.close()
    assert errors == []


def _shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_browser_front_page_leads_to_a_story_an_article_and_its_entity(page: Page) -> None:
    page.goto(f"/?since={FIRST_DAY}")
    _shot(page, "01-front")
    assert page.locator("header.site .brand").inner_text() == "babelwire"
    page.locator(".card h2 a", has_text="Northrop Grumman").first.click()
    assert "Northrop Grumman" in page.locator("h1").inner_text()
    assert page.locator("section.language").count() == 4  # en, es, it, nl: one story
    assert page.locator("svg.chart rect").count() >= 1
    _shot(page, "02-story")
    page.locator("section.language[lang=es] a").first.click()
    assert "Northrop Grumman" in page.locator("h1").inner_text()
    assert page.locator(".body a.ent").count() > 5
    _shot(page, "02b-article")
    page.locator(".body a.ent", has_text="Boeing").first.click()
    assert page.locator("h1").inner_text() == "Boeing"
    assert page.locator("svg.chart rect").count() >= 1
    assert page.locator("ul.variants li").count() >= 2
    _shot(page, "03-entity")


def test_browser_search_in_dutch_finds_the_story_in_other_languages(page: Page) -> None:
    page.goto("/search")
    page.fill("section.search input[name=q]", DUTCH_QUERY)
    page.locator("section.search button").click()
    page.wait_for_selector("ol.results li")
    _shot(page, "04-search")
    languages = page.locator("ol.results li .lang").all_inner_texts()
    assert {"EN", "ES", "IT"} <= {lang.upper() for lang in languages[:10]}
    page.locator("ol.results li a[lang=en]").first.click()
    assert re.search("Northrop|tanker|Boeing", page.locator("h1").inner_text())
    assert page.locator("article").get_attribute("lang") == "en"


def test_browser_shows_an_injected_script_as_text(page: Page) -> None:
    page.goto(f"/articles/{HOSTILE_ID}")
    _shot(page, "05-hostile-article")
    assert page.title().startswith("<script>alert('title')</script>")
    body = page.locator("article .body").inner_text()
    assert "<script>document.title='pwned'</script>" in body
    assert "<img src=x onerror=alert(1)>" in body
    assert page.locator("article script, article img").count() == 0


def test_browser_saves_a_watchlist_and_reads_its_feed(page: Page) -> None:
    page.goto("/watchlists")
    page.fill("input[name=target]", "Airbus")
    page.locator("form[action='/watchlists'] button").click()
    page.wait_for_selector("ol.results li")
    assert page.locator("h1").inner_text() == "Airbus"
    assert page.locator("ol.results li .badge").count() >= 1
    _shot(page, "06-watchlist")
    feed = page.request.get(page.url + "/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "<entry>" in feed.text()
