from __future__ import annotations

import pytest

from babelwire import Article
from babelwire.stages.clean import CleanStage, NoMainText

PAGE = """<html><head><title>Storm closes port | Example News</title>
<meta property="article:published_time" content="2024-03-05T08:30:00+00:00">
<meta name="author" content="Jane Smith"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Storm closes port</h1>
<p>The harbour authority closed the port on Tuesday as a storm brought winds of more than
100 kilometres an hour to the coast.</p>
<p>Ferries to the islands were cancelled and the coast guard asked fishing boats to stay in
harbour until the weather improves later in the week.</p></article>
<footer>Impressum · Contact · Privacy</footer></body></html>"""


def test_html_main_text_title_date_and_author_are_extracted() -> None:
    article = CleanStage()(Article(html=PAGE, url="https://news.example/storm"))
    assert article.clean_method == "trafilatura"
    assert article.title == "Storm closes port"
    assert article.text.startswith("The harbour authority closed the port on Tuesday")
    assert "Impressum" not in article.text and "Home" not in article.text
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == "2024-03-05"
    assert article.author == "Jane Smith"
    assert article.html is None


def test_plain_text_is_only_tidied() -> None:
    article = CleanStage()(Article(title="  A  title\n", text="Para\x00 one.\r\n\r\n\r\nPara two."))
    assert (article.title, article.text, article.clean_method) == (
        "A title", "Para one.\n\nPara two.", "text")


def test_navigation_only_page_fails_with_no_main_text() -> None:
    with pytest.raises(NoMainText, match="no article text found in"):
        CleanStage()(Article(html="<html><body><nav><a href='/'>Home</a></nav></body></html>"))
