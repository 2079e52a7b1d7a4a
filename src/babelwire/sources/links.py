"""Which links a source may give an article as its address.

An article's ``url`` is where a reader goes to see the original, and the web UI
renders it as a link. Feeds, JSON Lines dumps and WARC records can name any
scheme there: ``file:///etc/passwd``, ``javascript:...``, ``ftp://``. Only
http(s) addresses (and relative ones, which name no scheme) are kept; another
scheme is dropped and the drop recorded on the article, which is still stored.
Nothing here fetches a link: sources never follow item links (issue 9).
"""

from __future__ import annotations

import re

from ..record import StageFailure

WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


def link_scheme(link: str) -> str | None:
    """The scheme a link names, lower-cased; None for a relative link."""
    match = _SCHEME_RE.match(link)
    return match.group(1).lower() if match else None


def checked_link(link: str | None, ref: str) -> tuple[str | None, list[StageFailure]]:
    """``link`` if an article may carry it, else None and the failure saying why."""
    if not link:
        return None, []
    scheme = link_scheme(link)
    if scheme is None or scheme in WEB_SCHEMES:
        return link, []
    return None, [StageFailure(
        stage="ingest", error="RefusedLink", input=ref,
        message=f"link {ascii(link[:200])} uses the {scheme}: scheme, not http(s); the article"
                " is stored without a link")]
