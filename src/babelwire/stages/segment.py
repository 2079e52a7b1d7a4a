"""The ``segment`` stage: separate what pages mix into an article.

Real pages glue other things into the body text: photo captions standing alone
between paragraphs, subheadings, a byline, and "more news" sidebars that string
several unrelated wire briefs together ("Meer uit Binnenland", then
"DEN HAAG (ANP) - ... 3 uur geledenBRUSSEL (ANP/RTR) - ..."). Entities, quotes
and stories computed over such a body would mix unrelated events, so:

- captions move to their own field, a byline to ``author``;
- subheadings are listed in ``subheadings`` but stay in the body, in place: they
  are the article's own words and mark its sections, and gold main texts include
  them (52 of the 1,915 ``with`` segments of the extraction dev set are
  subheadings; removing them cost 2.7 points of recall there);
- each sidebar brief becomes its own `Article` (``kind=brief``), returned after
  the page; the ingest step links it to the page's id.

Rules are data (`_segment_rules`). The stage is conservative: a line is moved
only on positive evidence (a label, a credit word, a dateline, a heading from
the rules, name-only shape); ordinary paragraphs, and dash-led quote
paragraphs ("– Vi må ...") in particular, stay in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..record import Article, ArticleKind
from ._segment_rules import SegmentRules, load_rules

CAPTION_MAX_WORDS = 30
NAME_CAPTION_MAX_WORDS = 8
SUBHEADING_MAX_WORDS = 10
SUBHEADING_MIN_NEXT_WORDS = 15
BYLINE_WINDOW = 3
"""A byline is looked for among the first units of the body only."""
BRIEF_TITLE_MAX_CHARS = 120
_DASHES = "-–—―"
_LABEL_RE = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ0-9][A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ0-9 .,'’&\-]{1,40}:\s+\S")
_PARTICLES = frozenset(
    "van de der den von zu da di del della dos das du le la y e i og und and of af av til"
    " ter ten bin al el".split())
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'«“„A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ0-9])")
_FINAL_PUNCTUATION = ".!?:;…\"'»”’)»]"


@dataclass(slots=True)
class _Layout:
    units: list[str]
    separator: str


@dataclass(slots=True)
class SegmentStage:
    """Move captions and bylines out of the body, list subheadings, split sidebar briefs off."""

    name: str = "segment"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("text", "captions", "subheadings", "author", "kind")
    expands: bool = True
    rules: SegmentRules = field(default_factory=load_rules)

    def __call__(self, article: Article) -> list[Article]:
        layout = _split_units(article.text)
        body, sidebar = self._cut_sidebar(layout.units)
        briefs = self._briefs(sidebar, article) if sidebar else []
        kept = self._classify(body, article)
        article.text = layout.separator.join(kept)
        return [article, *briefs]

    # -- sidebars --------------------------------------------------------------------

    def _cut_sidebar(self, units: list[str]) -> tuple[list[str], str]:
        """Split units into body and sidebar text (empty when there is no sidebar)."""
        for index, unit in enumerate(units):
            if index > 0 and self.rules.sidebar_heading.match(unit):
                rest = "\n".join(units[index + 1 :])
                if self._holds_briefs(rest):
                    return units[:index], rest
        for index, unit in enumerate(units):
            if self.rules.dateline.match(unit) and self._glued_chain(unit, units[index:]):
                return units[:index], "\n".join(units[index:])
        return units, ""

    def _holds_briefs(self, text: str) -> bool:
        return bool(self.rules.dateline.search(text)) or len(
            self.rules.relative_time.findall(text)) >= 2

    def _glued_chain(self, unit: str, rest: list[str]) -> bool:
        """A run of datelined briefs each ended by a relative timestamp, with no heading."""
        text = "\n".join(rest)
        datelines = list(self.rules.dateline.finditer(text))
        if len(datelines) < 2:
            return False
        first_end = datelines[1].start()
        return bool(self.rules.relative_time.search(text[:first_end].rstrip()[-40:]))

    def _briefs(self, sidebar: str, page: Article) -> list[Article]:
        pieces = self._split_briefs(sidebar)
        return [_brief(page, number, piece, self.rules)
                for number, piece in enumerate(pieces, start=1)]

    def _split_briefs(self, sidebar: str) -> list[str]:
        starts = [m.start() for m in self.rules.dateline.finditer(sidebar)]
        if not starts:
            starts = [0] + [m.end() for m in self.rules.relative_time.finditer(sidebar)]
        elif starts[0] != 0 and sidebar[: starts[0]].strip():
            starts.insert(0, 0)
        bounds = zip(starts, [*starts[1:], len(sidebar)], strict=True)
        pieces = [_strip_timestamp(sidebar[a:b], self.rules) for a, b in bounds]
        return [piece for piece in pieces if piece]

    # -- captions, subheadings, bylines ---------------------------------------------------

    def _classify(self, units: list[str], article: Article) -> list[str]:
        kept = []
        for index, unit in enumerate(units):
            if index < BYLINE_WINDOW and self.rules.byline.match(unit):
                article.author = article.author or _byline_name(unit)
            elif self._is_caption(unit):
                article.captions.append(unit)
            else:
                if _is_subheading(units, index):
                    article.subheadings.append(unit)
                kept.append(unit)
        return kept

    def _is_caption(self, unit: str) -> bool:
        if unit[0] in _DASHES or len(unit.split()) > CAPTION_MAX_WORDS:
            return False
        if self.rules.credit.search(unit):
            return True
        return bool(_LABEL_RE.match(unit)) or _is_name_only(unit)


def _split_units(text: str) -> _Layout:
    """Paragraphs (blank-line separated) if the text has any, else lines."""
    if "\n\n" in text:
        units = [p.strip() for p in text.split("\n\n")]
        return _Layout([u for u in units if u], "\n\n")
    return _Layout([line.strip() for line in text.split("\n") if line.strip()], "\n")


def _is_name_only(unit: str) -> bool:
    """A short line of capitalised words ending in a full stop: "Minister-president Mark Rutte."."""
    if not unit.endswith(".") or unit.endswith(".."):
        return False
    words = unit[:-1].split()
    if not 2 <= len(words) <= NAME_CAPTION_MAX_WORDS:
        return False
    content = [w for w in words if w.lower() not in _PARTICLES]
    return len(content) >= 2 and all(w[0].isupper() and w[0].isalpha() for w in content)


def _is_subheading(units: list[str], index: int) -> bool:
    """A short unpunctuated line between paragraphs, followed by a longer paragraph."""
    if index == 0 or index + 1 >= len(units):
        return False
    unit = units[index]
    words = unit.split()
    return (len(words) <= SUBHEADING_MAX_WORDS
            and unit[-1] not in _FINAL_PUNCTUATION
            and unit[0] not in _DASHES
            and (unit[0].isupper() or unit[0].isdigit())
            and len(units[index + 1].split()) >= SUBHEADING_MIN_NEXT_WORDS)


def _byline_name(unit: str) -> str:
    return unit.split(None, 1)[1].strip() if " " in unit else unit


def _strip_timestamp(piece: str, rules: SegmentRules) -> str:
    piece = " ".join(piece.split())
    matches = list(rules.relative_time.finditer(piece))
    if matches and len(piece) - matches[-1].end() <= 2:
        piece = piece[: matches[-1].start()]
    return piece.strip(" |·•-–—")


def _brief(page: Article, number: int, text: str, rules: SegmentRules) -> Article:
    dateline = rules.dateline.match(text)
    after = text[dateline.end() :] if dateline else text
    title = _SENTENCE_END_RE.split(after, maxsplit=1)[0].strip()
    if len(title) > BRIEF_TITLE_MAX_CHARS:
        title = title[:BRIEF_TITLE_MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return replace(
        page, id="", title=title, text=text, kind=ArticleKind.BRIEF, parent_id=None,
        captions=[], subheadings=[], author=None, failures=[], entities=[], quotes=[],
        input_ref=f"{page.input_ref}#brief={number}", html=None,
    )
