"""Direct quotations that no cue in their own sentence introduces.

A quotation whose sentence has a speech verb or an according-to phrase is
handled with that cue (`indirect.py` finds its content, and a content made of
quoted words is a direct quote). The rest, in order:

1. "Merkel: „…“" — a noun phrase and a colon right before the quotation;
2. the previous sentence ends in a colon ("Støre sier til NTB:") — its cue's
   subject, or the phrase before its colon, is the speaker;
3. a continuation: a sentence that is (nearly) all quotation, right after a
   quote — a second quote paragraph with no attribution belongs to the
   previous speaker;
4. a sentence that is all quotation right after a narrative sentence whose
   subject is a person ("Vålerenga-trener Tor Egil Mykland var rasende." then
   "– Det var aldri straffe."): that person;
5. where every noun is capitalised, a quotation of two words or more opening with a
   lower-case word (no name or title) inside a sentence, by the clause's subject;
6. otherwise a quotation of `MIN_UNATTRIBUTED_WORDS` words or more that is its
   sentence, or inside it does not read as a title (`MAX_TITLE_WORDS`), is kept
   without speaker (the extractor gives it the speaker of an attributed
   quotation in the next sentence, if there is one); shorter ones are titles,
   names or scare quotes.

Dash-led paragraphs (– Vi har ingen planer om det, sier talsmannen.) are turned
into quoted stretches when the layout is built (`dash_stretches`), so they go
through the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..record import Span
from .candidates import Candidate, title_like, trimmed, word_count
from .cues import Cue, CueKind, find_cues
from .layout import Layout, Sentence
from .lexicon import Lexicon, SpeakerKind
from .marks import QuotedStretch
from .speakers import Phrase, PhraseReader, SpeakerResolver, clause_subject, subject_of_verb

MIN_UNATTRIBUTED_WORDS = 4
CONTINUATION_SHARE = 0.8
"""A sentence at least this much quotation (by characters) continues the previous quote."""
MAX_NEARBY_SENTENCES = 3
"""An unattributed quotation this close to a quote is guessed to be its speaker's."""
MAX_CONTINUATION_GAP = 1
"""A continuation follows its quote directly (the next sentence or paragraph)."""

INCISE_MARKS = frozenset(",—–")
MAX_INCISE_TOKENS = 10
"""An attribution inside the quotation marks is at most this long ("—afirmó Sánchez en Madrid—")."""
MAX_ATTRIBUTION_SENTENCE_TOKENS = 10
"""A sentence after a quotation this short, ending in a speech verb, only attributes it."""

_DASH_START_RE = re.compile(r"[ \t]*[–—―-][ \t]+")
_SPACED_DASH_RE = re.compile(r"[ \t]+[–—―][ \t]+")
_CUE_COMMA_RE = re.compile(r"[,?!]\s+(\w+)")


def dash_stretches(text: str, is_cue_word: Callable[[str], bool]) -> list[QuotedStretch]:
    """Quoted stretches for paragraphs that open with a dash (Scandinavian, Slavic press).

    The quotation runs from the dash to the first spaced dash ("— …, — сказал
    он."), to a comma (or ? !) followed by a speech verb ("…, sier
    talsmannen"), or to the end of the paragraph. After a spaced-dash
    attribution, a further dash opens the next part of the quotation.
    """
    found = []
    offset = 0
    for line in text.split("\n"):
        match = _DASH_START_RE.match(line)
        if match is not None:
            dash = len(line) - len(line.lstrip())
            found += _dash_parts(line, offset, dash, match.end(), is_cue_word)
        offset += len(line) + 1
    return found


def _dash_parts(line: str, offset: int, dash: int, start: int,
                is_cue_word: Callable[[str], bool]) -> list[QuotedStretch]:
    parts = []
    while start < len(line):
        end, next_dash = _dash_part_end(line, start, is_cue_word)
        if end > start:
            parts.append(QuotedStretch(start=offset + dash, end=offset + end,
                                       inner=(offset + start, offset + end),
                                       open_mark=line[dash], single=False, depth=0))
        if next_dash is None:
            break
        dash = next_dash
        start = _DASH_START_RE.match(line, dash).end()  # type: ignore[union-attr]
    return parts


def _dash_part_end(line: str, start: int,
                   is_cue_word: Callable[[str], bool]) -> tuple[int, int | None]:
    """Where this part of a dash quotation ends, and the dash opening the next part (or None)."""
    spaced = _SPACED_DASH_RE.search(line, start)
    for match in _CUE_COMMA_RE.finditer(line, start, spaced.start() if spaced else len(line)):
        if is_cue_word(match.group(1)):
            return match.start() + 1, None
    if spaced is None:
        return len(line), None
    after = _SPACED_DASH_RE.search(line, spaced.end())
    if after is None:
        return spaced.start(), None
    return spaced.start(), after.start() + len(after.group()) - len(after.group().lstrip())


class StretchRules:
    """Speakers for quoted stretches that no cue of their sentence covered."""

    def __init__(self, layout: Layout, reader: PhraseReader, resolver: SpeakerResolver,
                 lexicon: Lexicon) -> None:
        self.layout = layout
        self.reader = reader
        self.resolver = resolver
        self.lexicon = lexicon

    def candidate(self, index: int, stretch: QuotedStretch,
                  previous: Candidate | None, colon_subject: Phrase | None) -> Candidate | None:
        """A direct quote for ``stretch`` in sentence ``index`` (see the module docstring)."""
        span = trimmed(self.layout, stretch.start, stretch.end)
        if span is None:
            return None
        sentence = self.layout.sentences[index]
        incise = self._incise(index, stretch)
        if incise is not None:
            return incise
        subject = self._colon_before(sentence, stretch)
        if subject is not None:
            return Candidate([span], "direct-colon", index, subject=subject, confidence=0.8)
        if colon_subject is not None:
            return Candidate([span], "direct-colon-previous", index, subject=colon_subject,
                             confidence=0.7)
        inverted = self._inverted_after(sentence, stretch)
        if inverted is not None:
            return Candidate([span], "direct-inverted", index, subject=inverted, confidence=0.6)
        characterised = self._characterised(sentence, stretch)
        if characterised is not None:
            return Candidate([span], "direct-characterised", index, subject=characterised[0],
                             confidence=0.5) if characterised[1] else None
        standalone = (stretch.end - stretch.start) >= CONTINUATION_SHARE * (
            sentence.end - sentence.start)
        if standalone and previous is not None and previous.speaker is not None \
                and index - previous.sentence <= MAX_CONTINUATION_GAP:
            return Candidate([span], "direct-continuation", index, speaker=previous.speaker,
                             confidence=0.6)
        narrative = self._narrative_subject(index) if standalone else None
        if narrative is not None:
            return Candidate([span], "direct-after-narrative", index, subject=narrative,
                             confidence=0.5)
        following = self._attribution_after(index) if standalone else None
        if following is not None:
            return Candidate([span], "direct-attributed-after", index, subject=following[1],
                             cue=following[0], confidence=0.6)
        if self._lower_case_fragment(stretch) and word_count(self.layout, [span]) >= 2:
            subject = clause_subject(self.reader, sentence.first_token,
                                     self.layout.token_index(stretch.start))
            return Candidate([span], "direct-fragment", index, subject=subject, confidence=0.3)
        if word_count(self.layout, [span]) >= MIN_UNATTRIBUTED_WORDS \
                and (standalone or not title_like(self.layout, stretch)):
            speaker = previous.speaker if previous is not None \
                and index - previous.sentence <= MAX_NEARBY_SENTENCES else None
            return Candidate([span], "direct-unattributed", index, speaker=speaker, confidence=0.3)
        return None

    def _lower_case_fragment(self, stretch: QuotedStretch) -> bool:
        """Where every noun is capitalised, a quotation opening with a lower-case word
        („eine „wachsende Kluft zwischen Arm und Reich““, „rechnen mit „sehr ergiebigen
        Niederschlägen““) is no name or title, which open with a capital: it is someone's
        wording taken into the narration. de train: 38 of 70 such stretches of two words or
        more are gold quotes (one word: 6 of 30; capitalised: 4 of 357); F1 0.7772 → 0.7787,
        direct recall 0.873 → 0.916, speaker 0.8323 → 0.8284 (8 of 30 speakers right: the
        annotators' source is often outside the sentence); from three words on: 0.7783."""
        if not self.lexicon.capitalised_nouns:
            return False
        words = self.layout.text[stretch.inner[0]:stretch.inner[1]].split()
        return bool(words) and words[0][:1].islower()

    def _characterised(self, sentence: Sentence,
                       stretch: QuotedStretch) -> tuple[Phrase | None, bool] | None:
        """A quotation after a characterising word (de „als“: „X bezeichnete Y als
        „inakzeptabel““, „X feierte die Absage als „großen Erfolg““) is the sentence
        subject's wording, however short: (subject, True). None when no such word precedes
        it; (None, False) when a word of ``characterising_exclusions`` in the clause makes it
        a name or role instead („X gilt als „Pitbull““, „… dient als „Maßnahme““) or the
        clause opens with no subject (train: right speakers 7 of 18 without this check)."""
        tokens, lexicon = self.layout.tokens, self.lexicon
        if not lexicon.characterising_words:
            return None
        first = self.layout.token_index(stretch.start)
        k = first - 1
        if k > sentence.first_token and tokens[k].lower in lexicon.determiners:
            k -= 1
        if k <= sentence.first_token or tokens[k].lower not in lexicon.characterising_words:
            return None
        clause = range(sentence.first_token, k)
        if any(tokens[i].lower in lexicon.characterising_exclusions for i in clause):
            return None, False
        subject = clause_subject(self.reader, sentence.first_token, k)
        return subject, subject is not None  # no subject: a name ("Die als „X“ bekannte …")

    def _incise(self, index: int, stretch: QuotedStretch) -> Candidate | None:
        """An attribution inside the marks: «… —afirmó Sánchez—, y …», « …, a-t-il dit. … »."""
        tokens, layout = self.layout.tokens, self.layout
        first, last = layout.token_index(stretch.inner[0]), layout.token_index(stretch.inner[1])
        for i in range(first + 1, last - 1):
            forms = self.lexicon.verb_forms(tokens[i].text)
            if not forms or forms[0].particle is not None:
                continue
            opener = next((k for k in range(i - 1, max(first, i - 4) - 1, -1)
                           if tokens[k].text in INCISE_MARKS), None)
            closer = next((k for k in range(i + 1, min(last, i + MAX_INCISE_TOKENS))
                           if tokens[k].text in INCISE_MARKS or tokens[k].text == "."), None)
            if opener is None or closer is None or closer >= last - 1:
                continue
            spans = [s for s in (trimmed(layout, stretch.start, tokens[opener].start),
                                 trimmed(layout, tokens[closer].end, stretch.end)) if s]
            subject = subject_of_verb(self.reader, i, opener + 1, closer, i + 1)
            if len(spans) == 2 and (subject is not None or self.lexicon.pro_drop):
                cue = Cue(CueKind.VERB, i, i + 1, forms[0].lemma)
                return Candidate(spans, "direct-incise", index, cue=cue, subject=subject,
                                 confidence=0.8)
        return None

    def _colon_before(self, sentence: Sentence, stretch: QuotedStretch) -> Phrase | None:
        """"Merkel: „…“": the phrase before a colon that the quotation follows.

        Only a phrase that opens the sentence ("Merkel:", "One tweet said:"); in
        "Brauns hat weniger Hemmungen, seine Sympathien zu zeigen: „…“" the
        sentence's first phrase is the speaker.
        """
        i = self.layout.token_index(stretch.start) - 1
        tokens = self.layout.tokens
        if i <= sentence.first_token or tokens[i].text != ":":
            return None
        phrase = self.reader.before(i, sentence.first_token)
        if phrase is not None and phrase.first == sentence.first_token:
            return phrase
        opening = self.reader.after(sentence.first_token, i)
        if opening is None and title_like(self.layout, stretch):
            return None  # a title after a colon stays unattributed (3 false quotes on de train)
        return self._verb_second_subject(sentence.first_token, i) or opening

    def _inverted_after(self, sentence: Sentence, stretch: QuotedStretch) -> Phrase | None:
        """„…“, äußerte sich der Chef der Bundesagentur: a verb-second sentence opened by the
        quotation, then a comma and a verb that is no listed cue, then its subject (a name,
        pronoun, role noun or quoted title: „…“, schrieb „Die Zeit“)."""
        if not self.lexicon.verb_second:
            return None
        tokens, layout = self.layout.tokens, self.layout
        if layout.token_index(stretch.start) != sentence.first_token:
            return None
        comma = layout.token_index(stretch.end)
        verb, last = comma + 1, sentence.last_token
        if comma < last and tokens[comma].text != "," and _ends_in_question(layout, stretch):
            verb = comma  # „…?“ fragen sich Experten: no comma after a question
        elif comma >= last or tokens[comma].text != ",":
            return None
        if verb + 1 >= last or not tokens[verb].is_word or not tokens[verb].text[0].islower():
            return None
        first = verb + 1
        while first < last and tokens[first].lower in self.lexicon.reflexives:
            first += 1  # „…“, erinnerte sich Trotnow
        subject = self.reader.after(first, last)
        if subject is None or subject.first != first:
            return None
        titled = layout.outer_stretch_at(tokens[subject.first].start) is not None
        return subject if titled or self.resolver.refers_to_someone(subject) else None

    def _verb_second_subject(self, first: int, colon: int) -> Phrase | None:
        """„Relativierend fügt Gall hinzu: …“, „Den Unmut … brachte die Sprecherin X zum
        Ausdruck: …“: in a verb-second clause whose first part names no one, the phrase
        right after the finite verb (the first lower-case word) is the subject, if it does."""
        if not self.lexicon.verb_second:
            return None
        opening = self.reader.after(first, colon)
        if opening is not None and opening.first == first \
                and self.resolver.refers_to_someone(opening):
            return None
        start = opening.last if opening is not None and opening.first == first else first
        tokens = self.layout.tokens
        verb = next((k for k in range(start, colon) if tokens[k].is_word
                     and tokens[k].text[0].islower()), None)
        if verb is None:
            return None
        subject = self.reader.after(verb + 1, colon)
        if subject is None or subject.first != verb + 1 \
                or not self.resolver.refers_to_someone(subject):
            return None
        return subject

    def _attribution_after(self, index: int) -> tuple[Cue, Phrase] | None:
        """"“…。”王毅说。": a short sentence after the quotation that is only an attribution."""
        if index + 1 >= len(self.layout.sentences):
            return None
        after = self.layout.sentences[index + 1]
        if after.paragraph != self.layout.sentences[index].paragraph \
                or after.last_token - after.first_token > MAX_ATTRIBUTION_SENTENCE_TOKENS \
                or self.layout.outer_stretches_within(after.start, after.end):
            return None
        for cue in find_cues(self.layout, after, self.lexicon):
            if cue.kind is CueKind.VERB and cue.last >= after.last_token - 2:
                subject = subject_of_verb(self.reader, cue.first, after.first_token,
                                          after.last_token, cue.last)
                if subject is not None:
                    return cue, subject
        return None

    def _narrative_subject(self, index: int) -> Phrase | None:
        """The person a narrative sentence right before introduces ("Mykland var rasende.")."""
        if index == 0:
            return None
        before = self.layout.sentences[index - 1]
        if self.layout.outer_stretches_within(before.start, before.end):
            return None
        phrase = clause_subject(self.reader, before.first_token, before.last_token)
        if phrase is None:
            return None
        speaker = self.resolver.speaker(phrase)
        return phrase if speaker.kind is SpeakerKind.PER and not speaker.resolved else None


def _ends_in_question(layout: Layout, stretch: QuotedStretch) -> bool:
    """The quotation's words end in a question or exclamation mark."""
    inner = layout.text[stretch.inner[0]:stretch.inner[1]].rstrip()
    return inner.endswith(("?", "!"))


def stretch_covered(stretch: QuotedStretch, spans: list[Span]) -> bool:
    """The stretch lies inside (or mostly inside) one of ``spans``."""
    inner_start, inner_end = stretch.inner
    size = max(inner_end - inner_start, 1)
    for start, end in spans:
        overlap = min(end, inner_end) - max(start, inner_start)
        if overlap >= 0.5 * size:
            return True
    return False
