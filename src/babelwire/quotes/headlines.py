"""Headline attributions: "Graham: Trump's rhetoric is destroying the party."

A first paragraph of one sentence that opens with a short name phrase and a colon is a
statement of that source in news headline style (PolNeAR texts begin with their
headline; "Merkel: Wir schaffen das" is the same form in German). What follows the
colon, up to the sentence end, is the content; the phrase before it is the speaker.
Only the first paragraph: further down, "Bild: …", "Partei: 28 %" are captions and
table rows (all 9 such lines of the German training file were no quotes; 68 of 88 first
paragraphs were right on the English one).
"""

from __future__ import annotations

from .candidates import Candidate, token_span, word_count
from .layout import Layout
from .lexicon import Lexicon
from .speakers import Phrase

MAX_SOURCE_TOKENS = 7
"""A headline source is a name or a short label ("NY Daily News", "Wash Post Fact-Check")."""
MIN_CONTENT_WORDS = 3


def headline_colon(layout: Layout, lexicon: Lexicon, index: int) -> Candidate | None:
    """The content and source of sentence ``index`` read as "Source: statement.", or None."""
    sentence = layout.sentences[index]
    if sentence.paragraph != 0 or not _alone_in_paragraph(layout, index):
        return None
    tokens = layout.tokens
    s0, s1 = sentence.first_token, sentence.last_token
    colon = next((k for k in range(s0 + 1, min(s1, s0 + MAX_SOURCE_TOKENS + 1))
                  if tokens[k].text == ":"), None)
    if colon is None or not _is_source_label(layout, lexicon, s0, colon):
        return None
    end = s1 - 1 if tokens[s1 - 1].text in ".!?" else s1
    span = token_span(layout, colon + 1, end)
    if span is None or word_count(layout, [span]) < MIN_CONTENT_WORDS:
        return None
    return Candidate([span], "headline-colon", index, subject=Phrase(s0, colon),
                     confidence=0.6)


def _alone_in_paragraph(layout: Layout, index: int) -> bool:
    sentences = layout.sentences
    paragraph = sentences[index].paragraph
    return (index == 0 or sentences[index - 1].paragraph != paragraph) \
        and (index + 1 == len(sentences) or sentences[index + 1].paragraph != paragraph)


def _is_source_label(layout: Layout, lexicon: Lexicon, first: int, colon: int) -> bool:
    """A capitalised word first, then no verb, determiner, adverb or conjunction ("The
    Latest:", "FIX IS IN:" are labels of the page, not sources); a preposition may stand
    inside ("Clinton to Planned Parenthood:", "Mukasey at RNC:")."""
    tokens = layout.tokens[first:colon]
    if not tokens[0].text[0].isupper() or layout.outer_stretch_at(tokens[0].start) is not None:
        return False
    if tokens[0].lower in lexicon.prepositions:
        return False
    for token in tokens:
        lower = token.lower
        if lexicon.verb_forms(token.text) or lower in lexicon.determiners \
                or lower in lexicon.adverbs or lower in lexicon.conjunctions:
            return False
    return True
