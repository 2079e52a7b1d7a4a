"""The Jinja environment of the web UI: autoescaping everywhere, URL helpers as filters.

Why a function and not a module-level environment: the app owns its templates
(no import-time state), and tests can build as many apps as they like.
Autoescape is on for every template whatever its name, and undefined names
raise, so a typo in a template is an error in the tests, not an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.filters import do_urlencode
from markupsafe import Markup

from ..db.store import StoryArticle
from .charts import bars_svg
from .html_text import escape_text

SAFE_LINK_SCHEMES = frozenset({"http", "https"})
_SNIPPET_HIT_RE = re.compile(r"\[([^\[\]]*)\]")
_UNQUOTED_RE = re.compile(r"[A-Za-z0-9_.~-]*")
"""Characters ``quote`` never changes: an id made of only these is its own URL path.
Why the shortcut: a big story page links 300 articles, and ``quote`` was a fifth of
its render time (cProfile, 60 biggest stories of the 1M bench store)."""
_UNQUOTED_ARTICLE_RE = re.compile(r"[A-Za-z0-9_.~/:-]*")
_URLENCODE_PLAIN_RE = re.compile(r"[A-Za-z0-9_.~/:-]*")
"""Text Jinja's ``urlencode`` changes only by quoting ``:`` (story ids: ``story:…:…``)."""


def build_templates(globals_: dict[str, Any] | None = None) -> Environment:
    """The environment every page renders with; ``globals_`` are visible to all templates."""
    # auto_reload off: templates ship with the package and never change under a running
    # server; on, every page render stat()ed each template file (3.5 % of a story page).
    env = Environment(loader=PackageLoader("babelwire.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters["article_href"] = article_href
    env.filters["entity_href"] = entity_href
    env.filters["outbound"] = outbound_href
    env.filters["day"] = day_of
    env.filters["minute"] = minute_of
    env.filters["member_rows"] = member_rows
    env.filters["urlencode"] = urlencode
    env.filters["bars_svg"] = bars_svg
    env.filters["snippet_parts"] = snippet_parts
    env.globals.update(globals_ or {})
    return env


def article_href(article_id: str) -> str:
    """The page of an article; slashes and colons stay (MEANTIME ids hold both)."""
    if _UNQUOTED_ARTICLE_RE.fullmatch(article_id):
        return "/articles/" + article_id
    return "/articles/" + quote(article_id, safe="/:")


def entity_href(entity_id: str) -> str:
    """The page of an entity; its id is one path segment, so every reserved character is quoted."""
    if _UNQUOTED_RE.fullmatch(entity_id):
        return "/entities/" + entity_id
    return "/entities/" + quote(entity_id, safe="")


def urlencode(value: Any) -> str:
    """Jinja's ``urlencode``, with a short cut for text of unreserved characters, ``/`` and ``:``.

    A story page links its thread's stories and its headline languages by story id:
    ~30 ids a page, each through ``quote`` (the slowest filter left on that page).
    """
    if type(value) is str and _URLENCODE_PLAIN_RE.fullmatch(value):
        return value.replace(":", "%3A")
    return do_urlencode(value)


def outbound_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None.

    An article's URL comes from the source: a ``javascript:`` or ``data:`` URL
    there must never become a clickable link, whatever the CSP does.
    """
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_LINK_SCHEMES else None


def day_of(value: str | None) -> str:
    """The calendar day of an ISO timestamp as the source wrote it (no time-zone shift)."""
    return (value or "")[:10]


def minute_of(value: str | None) -> str:
    """An ISO timestamp to the minute, with a space for the ``T``: ``2024-05-06 13:45``.

    The same text as ``value[:16]|replace("T", " ")``; Jinja's ``replace`` in an
    autoescaping environment costs several times more (300 times per big story).
    """
    return (value or "")[:16].replace("T", " ")


def member_rows(articles: Iterable[StoryArticle]) -> Markup:
    """A story page's list items for ``articles``: link, title, source and time, each escaped.

    Why not a template loop: a big story lists 300 members, and Jinja's per-row
    attribute lookups, filters and escapes were the largest part of its render
    (session 6). The bytes are the loop's (a test renders the loop and compares);
    every value from the store is escaped once (`escape_text`: autoescape's bytes).
    """
    esc = escape_text
    return Markup("".join(
        f'<li><a href="{esc(article_href(a.id))}">{esc(a.title or "(untitled)")}</a>'
        f' <span class="muted" lang="en">{esc(a.source)} · <time>'
        f'{esc(minute_of(a.published_at or a.day))}</time></span></li>'
        for a in articles))


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """An FTS snippet as ``(text, is_match)`` parts: the store marks matches as ``[…]``.

    The parts are escaped by the template like any text; a literal bracket pair in
    an article shows as a match, which is the price of the store's plain markers.
    """
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _SNIPPET_HIT_RE.finditer(snippet):
        if match.start() > last:
            parts.append((snippet[last:match.start()], False))
        parts.append((match.group(1), True))
        last = match.end()
    if last < len(snippet):
        parts.append((snippet[last:], False))
    return parts
