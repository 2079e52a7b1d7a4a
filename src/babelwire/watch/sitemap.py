"""Sitemaps (sitemaps.org 0.9): ``<urlset>`` lists pages, ``<sitemapindex>`` lists sitemaps.

Parsed with defusedxml (entity declarations refused, as for feeds).
"""

from __future__ import annotations

from dataclasses import dataclass

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from ..errors import ParseError

SITEMAP_ROOTS = ("urlset", "sitemapindex")


@dataclass(frozen=True, slots=True)
class Sitemap:
    """The page URLs (``urlset``) or child sitemap URLs (``sitemapindex``) of one sitemap."""

    pages: list[str]
    sitemaps: list[str]


def is_sitemap(body: bytes) -> bool:
    """Whether ``body`` starts like a sitemap (its root element is urlset or sitemapindex)."""
    head = body[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes, ref: str) -> Sitemap:
    """The ``<loc>`` URLs of a sitemap, in document order."""
    try:
        root = safe_xml.fromstring(body, forbid_dtd=False, forbid_entities=True,
                                   forbid_external=True)
    except DefusedXmlException as error:
        raise ParseError(f"{ref}: sitemap refused: it declares XML entities or external"
                         f" references ({type(error).__name__})", input_ref=ref) from error
    except safe_xml.ParseError as error:
        raise ParseError(f"{ref}: sitemap is not well-formed XML ({error})",
                         input_ref=ref) from error
    kind = _local(root.tag)
    if kind not in SITEMAP_ROOTS:
        raise ParseError(f"{ref}: XML root <{kind}> is not a sitemap (urlset or sitemapindex)",
                         input_ref=ref)
    locs = [(el.text or "").strip() for el in root.iter() if _local(el.tag) == "loc"]
    locs = [loc for loc in locs if loc.startswith(("http://", "https://"))]
    return Sitemap(pages=locs, sitemaps=[]) if kind == "urlset" else Sitemap([], locs)


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]
