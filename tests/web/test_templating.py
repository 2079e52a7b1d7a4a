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
