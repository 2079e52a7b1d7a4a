"""An entity page as plain text, for ``babelwire entity show`` (``--json`` prints the data)."""

from __future__ import annotations

from ..db.store import EntityPage, MentionCount

TIMELINE_DAYS_SHOWN = 14
"""The text view shows the most recent days only; ``--json`` has them all."""


def render_entity_page(page: EntityPage) -> str:
    """The page as lines of text: header, variants, languages, recent days, company, articles."""
    lines = [f"{page.name} ({page.type}) {page.id}",
             f"{page.mentions} mentions in {page.articles} articles", "", "variants:"]
    lines += [f"  {v.name} [{v.lang}] ×{v.mentions}" for v in page.variants]
    lines += ["", "languages:"] + [_count_line(c) for c in page.languages]
    shown = page.timeline[-TIMELINE_DAYS_SHOWN:]
    more = len(page.timeline) - len(shown)
    lines += ["", "days" + (f" (latest {len(shown)} of {len(page.timeline)}):" if more else ":")]
    lines += [_count_line(c) for c in shown]
    lines += ["", "co-occurring (shared articles):"]
    lines += [f"  {c.name} ({c.type}) {c.id} ×{c.shared_articles}" for c in page.co_occurring]
    lines += ["", "newest articles:"]
    lines += [f"  {a.day} [{a.lang}] {a.title or '(untitled)'}  {a.id}" for a in page.newest]
    return "\n".join(lines)


def _count_line(count: MentionCount) -> str:
    return f"  {count.key}: {count.mentions} mentions, {count.articles} articles"
