"""The ``segment`` stage: separate what pages mix into an article.

Pages glue other things into the body: photo captions between paragraphs,
subheadings, a byline, and "more news" sidebars that string unrelated wire
briefs together ("Meer uit Binnenland", then "DEN HAAG (ANP) - ... 3 uur
geledenBRUSSEL (ANP/RTR) - ..."). Entities, quotes and stories computed over
such a body would mix unrelated events, so:

- each sidebar brief becomes an `Article` (``kind=brief``) after the page. A
  sidebar is a heading from the rules and lines that start with a dateline or
  end with a relative timestamp, or, with no heading, lines that each start
  with a dateline and end with a timestamp (2 timestamps at least);
- captions move to ``captions``, a byline (first 3 lines) to ``author``;
- subheadings are listed in ``subheadings`` and by default stay in the body
  (``subheadings_in_body``): the gold main texts of the extraction set include
  them, and removing them cost 2.7 points of recall (docs/NOTES.md).

Caption signals, in order (the `Decision` names the one that fired):
1. ``credit``: a credit word and a short name end the line ("Foto: NTB",
   "... (Photo: Reuters)", "© AFP"); a sentence after "Credit:" is no name;
2. ``image_file``: the line is an image's file name ("File:Oslo.jpg");
3. ``label``: ALL-CAPS label, colon, one short sentence, not a question
   ("STATSMINISTER: Jonas Gahr Støre på pressekonferansen."), label used once
   and not on a neighbouring line (interview turns and lists stay);
4. ``names``: mostly names, no finite verb: two Titlecase words first, not a
   determiner or preposition first ("Eine ...", "On Sunday, ..."), then
   nothing, a short apposition ("..., fiscal general.") or a preposition and a
   short tail ("... på pressekonferansen."); no verb cue (verbs, pronouns);
   one sentence ending in "."; at most 12 words; each neighbour has twice its
   words. "Det sa Jonas Gahr Støre." starts with one capital and a verb, so it
   fails. German capitalises nouns, so the signal is weakest there.

Labels and names need a paragraph before them. Dash-led quote paragraphs ("– Vi
må ...", "— Мы не ...") are never moved, and a text from which nothing is moved
is returned exactly as it came.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from ..record import Article, ArticleKind
from ._segment_rules import (
    SENTENCE_BREAK_RE,
    UPPER,
    WORD_PUNCTUATION,
    RuleHit,
    SegmentRules,
    caption_label,
    has_full_name,
    load_rules,
    raw_label,
)

logger = logging.getLogger(__name__)

CAPTION_MAX_WORDS = 30
NAMES_CAPTION_MAX_WORDS = 12
NAMES_TAIL_MAX_WORDS = 8
APPOSITION_MAX_WORDS = 5
IMAGE_FILE_MAX_WORDS = 10
SUBHEADING_MAX_WORDS = 10
SUBHEADING_MIN_NEXT_WORDS = 15
BYLINE_WINDOW = 3
"""A byline is looked for among the first lines of the body only."""
BRIEF_TITLE_MAX_CHARS = 120
MIN_SIDEBAR_MARKS = 2
"""A sidebar holds at least 2 datelines or timestamps: one datelined paragraph is no sidebar."""
TIMESTAMP_END_SLACK_CHARS = 2

_DASHES = "-–—―"
_IMAGE_FILE_RE = re.compile(r"(?:[\w ]{1,20}:)?\S.*\.(?:jpe?g|png|gif|webp|svg|tiff?)", re.I)
_SENTENCE_END_RE = re.compile(rf"(?<=[.!?])\s+(?=[\"'«“„{UPPER}0-9])")
_FINAL_PUNCTUATION = ".!?:;…\"'»”’)]"
_BRIEF_TRIM = " |·•-–—"
_QUOTE_MARKS = ':"“”„«»'
_SEPARATOR_CHARS = " |·•"


class Role(StrEnum):
    """What a separated piece of the page is."""

    CAPTION = "caption"
    SUBHEADING = "subheading"
    BYLINE = "byline"
    SIDEBAR = "sidebar"
    BRIEF = "brief"


@dataclass(frozen=True, slots=True)
class Decision:
    """One thing the stage separated, the rule that fired and the languages that list it."""

    role: Role
    text: str
    rule: str
    langs: tuple[str, ...] = ()
    value: str = ""
    """What the rule extracted: a byline's names."""


@dataclass(frozen=True, slots=True)
class Brief:
    """One wire brief split out of a sidebar."""

    title: str
    text: str


@dataclass(slots=True)
class Segmentation:
    """What `SegmentStage.segment` found in one text."""

    body: str
    captions: list[str] = field(default_factory=list)
    subheadings: list[str] = field(default_factory=list)
    author: str | None = None
    briefs: list[Brief] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    text: str
    separator: str
    """The line breaks before this line in the input ("" for the first line)."""


@dataclass(slots=True)
class SegmentStage:
    """Move captions and bylines out of the body, list subheadings, split sidebar briefs off."""

    name: str = "segment"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("text", "captions", "subheadings", "author", "kind")
    expands: bool = True
    subheadings_in_body: bool = True
    rules: SegmentRules = field(default_factory=load_rules, repr=False)

    def __call__(self, article: Article) -> list[Article]:
        found = self.segment(article.text)
        article.text = found.body
        article.captions = found.captions
        article.subheadings = found.subheadings
        if not article.author and found.author:
            article.author = found.author
        for decision in found.decisions:
            logger.debug("segment %s: %s %r by rule %s (%s)", article.input_ref or article.url,
                         decision.role, decision.text[:60], decision.rule, ",".join(decision.langs))
        briefs = [_brief_article(article, number, brief)
                  for number, brief in enumerate(found.briefs, start=1)]
        return [article, *briefs]

    def segment(self, text: str) -> Segmentation:
        """Separate captions, subheadings, a byline and sidebar briefs from ``text``."""
        lines = _split_lines(text)
        found = Segmentation(body=text)
        kept = [not taken for taken in self._take_sidebars(lines, found)]
        body = [index for index, keep in enumerate(kept) if keep]
        roles = self._classify([lines[index].text for index in body], found)
        for index, role in zip(body, roles, strict=True):
            kept[index] = role is None or (role is Role.SUBHEADING and self.subheadings_in_body)
        if not all(kept):
            found.body = _join(lines, kept)
        return found

    # -- sidebars ---------------------------------------------------------------------

    def _take_sidebars(self, lines: list[_Line], found: Segmentation) -> list[bool]:
        """Mark the lines that belong to sidebars; their briefs go to ``found``."""
        texts = [line.text for line in lines]
        taken = [False] * len(texts)
        index = 0
        while index < len(texts):
            end = self._sidebar_at(texts, index, found)
            taken[index:end] = [True] * (end - index)
            index = max(end, index + 1)
        return taken

    def _sidebar_at(self, texts: list[str], index: int, found: Segmentation) -> int:
        """The end of the sidebar that starts at ``index``; ``index`` itself when none does."""
        heading = self.rules.sidebar_heading(texts[index])
        if heading is None and self.rules.dateline_at(texts[index]) is None:
            return index
        start = index + 1 if heading else index
        end = self._brief_run_end(texts, start, headed=heading is not None)
        sidebar = "\n".join(texts[start:end])
        marks = self.rules.datelines(sidebar) + self.rules.timestamps(sidebar)
        enough = len(marks) if heading else len(self.rules.timestamps(sidebar))
        if enough < MIN_SIDEBAR_MARKS:
            return index
        found.decisions.append(
            Decision(Role.SIDEBAR, texts[index], heading.rule, heading.langs) if heading
            else Decision(Role.SIDEBAR, "", "glued_briefs", _langs(marks)))
        for brief, decision in self._split_briefs(sidebar):
            found.briefs.append(brief)
            found.decisions.append(decision)
        return end

    def _brief_run_end(self, texts: list[str], start: int, *, headed: bool) -> int:
        """After a heading, one unmarked line (a brief's headline) may sit between marked ones."""
        end = index = start
        while index < len(texts):
            if self._is_brief_line(texts[index], headed=headed):
                end = index + 1
            elif not (headed and index + 1 < len(texts)
                      and self._is_brief_line(texts[index + 1], headed=headed)):
                break
            index += 1
        return end

    def _is_brief_line(self, text: str, *, headed: bool) -> bool:
        starts = self.rules.dateline_at(text) is not None
        stamps = self.rules.timestamps(text)
        ends = bool(stamps) and len(text) - stamps[-1].end <= TIMESTAMP_END_SLACK_CHARS
        if not headed:
            return starts and ends
        return starts or ends or any(self._ends_brief(text, hit) for hit in stamps)

    def _ends_brief(self, text: str, stamp: RuleHit) -> bool:
        """A timestamp ends a brief when a line break, a dateline or a glued headline follows."""
        rest = text[stamp.end :]
        if rest[:1].isupper() or rest[:1].isdigit():  # glued: "2 uur geledenBRUSSEL (ANP)"
            return True
        gap = len(rest) - len(rest.lstrip(_SEPARATOR_CHARS))
        return rest[gap:gap + 1] in ("", "\n") or bool(
            self.rules.dateline_at(text, stamp.end + gap))

    def _split_briefs(self, sidebar: str) -> list[tuple[Brief, Decision]]:
        cuts = {0, len(sidebar)} | {hit.start for hit in self.rules.datelines(sidebar)}
        cuts |= {hit.end for hit in self.rules.timestamps(sidebar)
                 if self._ends_brief(sidebar, hit)}
        briefs, headline = [], ""
        for start, end in pairwise(sorted(cuts)):
            piece = self._trim_timestamps(sidebar[start:end])
            if not piece:
                continue
            dateline = self.rules.dateline_at(piece)
            stamps = self.rules.timestamps(sidebar[start:end])
            if dateline is None and not stamps and end < len(sidebar):
                headline = piece  # a headline line over the next brief's dateline
                continue
            title = headline or _first_sentence(piece[dateline.end :] if dateline else piece)
            hits = [dateline] if dateline else stamps
            rule = dateline.rule if dateline else "relative_time"
            briefs.append((Brief(title, piece), Decision(Role.BRIEF, title, rule, _langs(hits))))
            headline = ""
        return briefs

    def _trim_timestamps(self, piece: str) -> str:
        """Tidy a brief's text and drop the timestamps that end (or open) it."""
        text = "\n".join(" ".join(line.split()) for line in piece.splitlines() if line.strip())
        stamps = self.rules.timestamps(text)
        if stamps and len(text) - stamps[-1].end <= TIMESTAMP_END_SLACK_CHARS:
            text = text[: stamps[-1].start].rstrip(_BRIEF_TRIM)
        if stamps and stamps[0].start == 0:
            text = text[stamps[0].end :]
        return text.strip(_BRIEF_TRIM + "\n")

    # -- captions, subheadings, bylines ---------------------------------------------------

    def _classify(self, body: list[str], found: Segmentation) -> list[Role | None]:
        labels = [raw_label(text) for text in body]
        roles: list[Role | None] = []
        for index, text in enumerate(body):
            decision = self._decide(body, labels, index)
            roles.append(decision.role if decision else None)
            if decision is None:
                continue
            found.decisions.append(decision)
            if decision.role is Role.CAPTION:
                found.captions.append(text)
            elif decision.role is Role.SUBHEADING:
                found.subheadings.append(text)
            elif found.author is None:
                found.author = decision.value
        return roles

    def _decide(self, body: list[str], labels: list[str | None], index: int) -> Decision | None:
        text = body[index]
        if text[0] in _DASHES:
            return None  # "– Vi må ta ansvar, sier ...": a quote paragraph, always body text
        if index < BYLINE_WINDOW and (byline := self.rules.byline(text)):
            return Decision(Role.BYLINE, text, byline.rule, byline.langs, byline.value)
        if caption := self._caption(body, labels, index):
            return caption
        if _is_subheading(body, index):
            return Decision(Role.SUBHEADING, text, "short_unpunctuated_line")
        return None

    def _caption(self, body: list[str], labels: list[str | None], index: int) -> Decision | None:
        text = body[index]
        if len(text.split()) > CAPTION_MAX_WORDS:
            return None
        if credit := self.rules.credit(text):
            return Decision(Role.CAPTION, text, credit.rule, credit.langs)
        if len(text.split()) <= IMAGE_FILE_MAX_WORDS and _IMAGE_FILE_RE.fullmatch(text):
            return Decision(Role.CAPTION, text, "image_file")
        if index == 0:
            return None  # labels and names need a paragraph before them
        label = caption_label(text)
        if label and _is_lone_label(labels, index):
            return Decision(Role.CAPTION, text, f"label:{label}")
        if self._is_names_caption(body, index):
            return Decision(Role.CAPTION, text, "names")
        return None

    def _is_names_caption(self, body: list[str], index: int) -> bool:
        text = body[index]
        if (not text.endswith(".") or text.endswith("..") or SENTENCE_BREAK_RE.search(text[:-1])
                or any(mark in text for mark in _QUOTE_MARKS)):
            return False  # one sentence, and no quotation: 'James Roche, minister: "Ah.'
        words = text[:-1].split()
        if not 2 <= len(words) <= NAMES_CAPTION_MAX_WORDS or not self._stands_alone(body, index):
            return False
        plain = [w.strip(WORD_PUNCTUATION).casefold() for w in words]
        if (plain[0] in self.rules.determiners or plain[0] in self.rules.caption_prepositions
                or any(w in self.rules.verb_cues for w in plain)):
            return False  # "Eine Eskalation ...", "On Sunday, Trump went ...": no names first
        run = self.rules.name_run(words)
        if not has_full_name(words[:run]):
            return False
        tail = plain[run:]
        if not tail:
            return True
        if words[run - 1].endswith(","):  # an apposition: "Rodolfo Delgado, fiscal general."
            return len(tail) <= APPOSITION_MAX_WORDS and "," not in " ".join(words[run:])
        # A particle that joins no names is a conjunction: "Drie Democraten en 31 Republikeinen
        # stemden tegen." ("en" is also a preposition in es and fr, so it is rejected there too).
        return (tail[0] in self.rules.caption_prepositions
                and tail[0] not in self.rules.name_particles and len(tail) <= NAMES_TAIL_MAX_WORDS)

    def _stands_alone(self, body: list[str], index: int) -> bool:
        """Between paragraphs: each neighbour (credit lines skipped) has twice its words or more."""
        words = len(body[index].split())
        neighbours = [self._neighbour(body, index, step) for step in (-1, 1)]
        present = [n for n in neighbours if n is not None]
        return bool(present) and all(len(n.split()) >= 2 * words for n in present)

    def _neighbour(self, body: list[str], index: int, step: int) -> str | None:
        index += step
        while 0 <= index < len(body) and self.rules.credit(body[index]):
            index += step
        return body[index] if 0 <= index < len(body) else None


def _split_lines(text: str) -> list[_Line]:
    """Every non-empty line, with the line breaks that preceded it."""
    lines: list[_Line] = []
    last_end = 0
    for match in re.finditer(r"[^\n]*\S[^\n]*", text):
        breaks = text.count("\n", last_end, match.start())
        lines.append(_Line(match.group().strip(), "\n" * breaks if lines else ""))
        last_end = match.end()
    return lines


def _join(lines: list[_Line], kept: list[bool]) -> str:
    """Rebuild the body from the kept lines; a removed line's paragraph break is not lost."""
    parts: list[str] = []
    gap = ""
    for line, keep in zip(lines, kept, strict=True):
        gap = max(gap, line.separator, key=len)
        if keep:
            parts.append((gap if parts else "") + line.text)
            gap = ""
    return "".join(parts)


def _is_lone_label(labels: list[str | None], index: int) -> bool:
    """A caption's label is used once on the page and not on a neighbouring line."""
    neighbours = labels[max(index - 1, 0) : index] + labels[index + 1 : index + 2]
    return labels.count(labels[index]) == 1 and not any(neighbours)


def _is_subheading(body: list[str], index: int) -> bool:
    """A short unpunctuated line between paragraphs, followed by a longer paragraph."""
    if index == 0 or index + 1 >= len(body):
        return False
    text = body[index]
    return (len(text.split()) <= SUBHEADING_MAX_WORDS
            and text[-1] not in _FINAL_PUNCTUATION
            and (text[0].isupper() or text[0].isdigit())
            and len(body[index + 1].split()) >= SUBHEADING_MIN_NEXT_WORDS)


def _first_sentence(text: str) -> str:
    """A brief's title: its first sentence (of its first line), cut at a word if too long."""
    first = _SENTENCE_END_RE.split(text.split("\n", 1)[0], maxsplit=1)[0].strip()
    if len(first) <= BRIEF_TITLE_MAX_CHARS:
        return first
    return first[:BRIEF_TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _langs(hits: list[RuleHit]) -> tuple[str, ...]:
    return tuple(sorted({lang for hit in hits for lang in hit.langs}))


def _brief_article(page: Article, number: int, brief: Brief) -> Article:
    """A brief as an article of its own, with the page's provenance; ingest sets ``parent_id``."""
    return Article(
        url=page.url, source=page.source, fetched_at=page.fetched_at,
        published_at=page.published_at, licence=page.licence,
        input_ref=f"{page.input_ref}#brief={number}", title=brief.title, text=brief.text,
        kind=ArticleKind.BRIEF,
    )
