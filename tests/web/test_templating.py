"""URL filters: the shortcut for plain ids gives exactly what ``quote`` gives."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from babelwire.web.templating import article_href, entity_href, minute_of

ID_CHARS = st.sampled_from("abcXYZ019_.~-/:%?#&<> \"'é中\\")


@given(st.text(ID_CHARS, max_size=12) | st.text(max_size=12))
def test_article_and_entity_hrefs_equal_quote_for_any_id(ident: str) -> None:
    assert article_href(ident) == "/articles/" + quote(ident, safe="/:")
    assert entity_href(ident) == "/entities/" + quote(ident, safe="")


def test_minute_of_is_the_first_sixteen_characters_with_a_space_for_the_t() -> None:
    assert minute_of("2024-05-06T13:45:10+02:00") == "2024-05-06 13:45"
    assert minute_of("2024-05-06") == "2024-05-06"
    assert minute_of(None) == ""


@given(st.text(st.sampled_from("ab<>&\"'é中 ;#") , max_size=16) | st.text(max_size=16))
def test_escape_text_gives_markupsafe_escape_bytes_for_any_text(text: str) -> None:
    from markupsafe import escape

    from babelwire.web.html_text import escape_text

    assert escape_text(text) == str(escape(text))


def test_escape_text_sends_values_that_are_not_plain_text_through_escape() -> None:
    from markupsafe import Markup

    from babelwire.web.html_text import escape_text

    assert escape_text(Markup("<b>kept</b>")) == "<b>kept</b>"
    assert escape_text(None) == "None"  # type: ignore[arg-type]
    assert escape_text(3) == "3"  # type: ignore[arg-type]


# The story page's member loop `member_rows` replaced (session 6): the specification of its bytes.
MEMBER_LOOP = ('{% for a in items %}<li><a href="{{ a.id|article_href }}">{{ a.title or'
               ' "(untitled)" }}</a> <span class="muted" lang="en">{{ a.source }} · <time>'
               '{{ (a.published_at or a.day)|minute }}</time></span></li>{% endfor %}')
FIELD_TEXT = st.text(st.sampled_from("ab<>&\"'é中 /:%?#T0"), max_size=10) | st.text(max_size=8)


@given(st.lists(st.tuples(FIELD_TEXT, st.none() | FIELD_TEXT, FIELD_TEXT,
                          st.none() | FIELD_TEXT, FIELD_TEXT), max_size=5))
def test_member_rows_writes_the_bytes_of_the_template_loop_it_replaced(
        fields: list[tuple[str, str | None, str, str | None, str]]) -> None:
    from babelwire.db.store import StoryArticle
    from babelwire.web.templating import build_templates, member_rows

    items = [StoryArticle(id=i, title=title, lang="en", source=source, published_at=published,
                          day=day) for i, title, source, published, day in fields]
    loop = build_templates().from_string(MEMBER_LOOP)
    assert str(member_rows(items)) == loop.render(items=items)


def test_member_rows_shows_a_hostile_title_as_text() -> None:
    from babelwire.db.store import StoryArticle
    from babelwire.web.templating import member_rows

    item = StoryArticle(id="a1", title='<script>alert("x")</script>', lang="en",
                        source="src & co", published_at=None, day="2024-05-06")
    html = str(member_rows([item]))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "src &amp; co · <time>2024-05-06</time>" in html


@given(st.text(ID_CHARS, max_size=24) | st.text(max_size=12))
def test_urlencode_filter_equals_jinjas_for_any_text(text: str) -> None:
    from jinja2.filters import do_urlencode

    from babelwire.web.templating import urlencode

    assert urlencode(text) == do_urlencode(text)
    assert urlencode({"q": text, "n": 2}) == do_urlencode({"q": text, "n": 2})
    assert urlencode("story:bench:0049:0000") == "story%3Abench%3A0049%3A0000"
