"""The quote extractor: text (and optional NER mentions) in, `Quote` records out.

A cascade per sentence, in text order (each quote records the rule that found it):

1. cues of the sentence (`cues.py`), each with its content and subject
   (`indirect.py`); a cue inside the content of an earlier cue of the same
   sentence is part of that content ("Er sagte, er glaube, dass …");
2. quoted stretches no cue covered (`direct.py`: colon, previous colon,
   continuation, unattributed);
3. a sentence in the reported mood right after a quote continues it (German
   Konjunktiv I: "Die Sperre sei aufgehoben worden."), consecutive ones merged
   (`continuation.py`).

Speakers are resolved as the candidates are made, so a continuation copies a
resolved speaker. Lexicons are loaded on first use per language and kept on
the extractor (not in a module-level cache).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import Entity, Quote, QuoteType, Span
from .candidates import Candidate, quote_type, trimmed
from .continuation import free_reported_sentence, reported_continuation
from .cues import Cue, CueKind, find_cues
from .direct import StretchRules, dash_stretches, stretch_covered
from .headlines import headline_colon
from .heads import head_complements, infinitive_complements, predicative_complements
from .indirect import CueRules
from .layout import Layout, Sentence, build_layout
from .lexicon import Lexicon, SpeakerKind, load_lexicon
from .marks import strip_marks
from .mentions import Mention, capitalised_mentions, entity_mentions
from .nouns import noun_cues
from .passives import passive_agents
from .speakers import (
    Phrase,
    PhraseReader,
    SpeakerResolver,
    clause_subject,
    inverted_subject,
    subject_of_verb,
)

MAX_COORDINATED_SUBJECT_TOKENS = 8
"""Tokens between a coordinator and the cue of its clause ("doch UN-Pressesprecher X erklärte")."""


@dataclass(frozen=True, slots=True)
class ExtractorOptions:
    """Choices that change what counts as a quote.

    ``nested_direct``: also emit the quoted part of a mixed quote as a direct
    quote of its own ("hij noemde het voorstel «onaanvaardbaar»" gives the mixed
    quote and the direct «onaanvaardbaar»), as quote search wants.
    """

    nested_direct: bool = True


@dataclass(slots=True)
class _Sentences:
    """Per-article state while walking the sentences."""

    layout: Layout
    lexicon: Lexicon
    reader: PhraseReader
    resolver: SpeakerResolver
    cue_rules: CueRules
    stretch_rules: StretchRules


class QuoteExtractor:
    """Finds direct, indirect and mixed quotes and their speakers in one language's text."""

    def __init__(self, options: ExtractorOptions | None = None) -> None:
        self.options = options or ExtractorOptions()
        self._lexicons: dict[str, Lexicon | None] = {}

    def lexicon(self, language: str) -> Lexicon | None:
        """The lexicon for ``language`` (loaded once per extractor), None if there is none."""
        if language not in self._lexicons:
            self._lexicons[language] = load_lexicon(language)
        return self._lexicons[language]

    def extract(self, text: str, language: str,
                entities: list[Entity] | None = None) -> list[Quote]:
        """Quotes of ``text`` in document order; [] for a language without a lexicon."""
        lexicon = self.lexicon(language)
        if lexicon is None or not text.strip():
            return []
        state = self._prepare(text, lexicon, entities or [])
        candidates = self._candidates(state)
        return [self._quote(state, c, language) for c in candidates]

    def _prepare(self, text: str, lexicon: Lexicon, entities: list[Entity]) -> _Sentences:
        extra = dash_stretches(text, lambda w: bool(lexicon.verb_forms(w))) \
            if lexicon.dash_quotes else None
        layout = build_layout(text, extra, spaced=lexicon.spaced)
        mentions: list[Mention] = entity_mentions(entities) or capitalised_mentions(layout, lexicon)
        reader = PhraseReader(layout, lexicon)
        resolver = SpeakerResolver(layout, lexicon, mentions)
        return _Sentences(layout, lexicon, reader, resolver, CueRules(layout, lexicon, reader),
                          StretchRules(layout, reader, resolver, lexicon))

    def _candidates(self, state: _Sentences) -> list[Candidate]:
        found: list[Candidate] = []
        colon_subject: Phrase | None = None
        nested_done: set[int] = set()
        for index, sentence in enumerate(state.layout.sentences):
            made = self._headline(state, index, found) \
                or self._cue_candidates(state, index, sentence, found)
            taken = [span for c in made for span in c.spans]
            heads = head_complements(state.layout, state.lexicon, state.reader, index, sentence,
                                     taken)
            heads += passive_agents(state.layout, state.lexicon, state.reader, index, sentence,
                                    taken + [span for c in heads for span in c.spans])
            heads += noun_cues(state.layout, state.lexicon, state.reader, index, sentence,
                               taken + [span for c in heads for span in c.spans])
            heads += predicative_complements(state.layout, state.lexicon, state.reader, index,
                                             sentence,
                                             taken + [span for c in heads for span in c.spans])
            heads += infinitive_complements(state.layout, state.lexicon, state.reader, index,
                                            sentence,
                                            taken + [span for c in heads for span in c.spans])
            for candidate in heads:
                self._resolve(state, candidate)
            found.extend(heads)
            made += heads
            if not made:
                previous = found[-1] if found else None
                continuation = reported_continuation(state.layout, state.lexicon, state.reader,
                                                     index, previous)
                if continuation is not None and continuation is not previous \
                        and not _sourced_continuation(state, continuation):
                    continuation = None
                if continuation is None:
                    continuation = _free_reported(state, index, previous)
                if continuation is not None:
                    if continuation is not previous:
                        _nearer_source(state, continuation, previous)
                        self._resolve(state, continuation)
                        _named_narrative_speaker(state, continuation)
                        found.append(continuation)
                    made = [continuation]
            made += self._stretch_candidates(state, index, sentence, found, made, colon_subject)
            if self.options.nested_direct:
                found.extend(self._nested(state, made, nested_done))
            colon_subject = self._colon_subject(state, sentence)
        _attribute_from_next(found)
        return found

    def _headline(self, state: _Sentences, index: int, found: list[Candidate]) -> list[Candidate]:
        """A "Source: statement." paragraph (`headlines`): the outermost attribution, before
        any cue inside the statement ("Clinton camp: Trump's rhetoric threatens …")."""
        candidate = headline_colon(state.layout, state.lexicon, index)
        if candidate is None:
            return []
        self._resolve(state, candidate)
        found.append(candidate)
        return [candidate]

    def _cue_candidates(self, state: _Sentences, index: int, sentence: Sentence,
                        found: list[Candidate]) -> list[Candidate]:
        """Every cue's candidate, then the most confident ones that do not contain each other."""
        layout = state.layout
        options = []
        cues = find_cues(layout, sentence, state.lexicon)
        for cue in cues:
            candidate = state.cue_rules.candidate(index, sentence, cue)
            if candidate is not None:
                _cut_before_coordinated_cue(layout, state.lexicon, candidate, cues)
                options.append(candidate)
        options = [c for c in options if not _inside_earlier_content(layout, c, options)]
        chosen: list[Candidate] = []
        outer = _outermost(layout, state.lexicon, options) \
            if state.lexicon.outermost_attributions else set()
        for candidate in sorted(options, key=lambda c: (id(c) not in outer, -c.confidence,
                                                        c.start)):
            if not any(_conflict(layout, candidate, other) for other in chosen):
                chosen.append(candidate)
        chosen.sort(key=lambda c: c.start)
        for candidate in list(chosen):
            if candidate.shares_subject:
                _share_speaker(candidate, found)
            self._resolve(state, candidate)
            earlier = _earlier_same_content(candidate, found)
            if earlier is not None:
                chosen.remove(candidate)  # "– …\n\nDet sier Støre.": names the earlier quote
                if earlier.speaker is None or earlier.rule == "direct-unattributed":
                    earlier.speaker, earlier.cue = candidate.speaker, candidate.cue
                    earlier.rule, earlier.confidence = "direct-attributed-after", 0.7
                continue
            found.append(candidate)
        return chosen

    def _stretch_candidates(self, state: _Sentences, index: int, sentence: Sentence,
                            found: list[Candidate], made: list[Candidate],
                            colon_subject: Phrase | None) -> list[Candidate]:
        new: list[Candidate] = []
        for stretch in state.layout.outer_stretches_within(sentence.start, sentence.end):
            if any(stretch_covered(stretch, c.spans) for c in made):
                continue
            previous = found[-1] if found else None
            candidate = state.stretch_rules.candidate(index, stretch, previous, colon_subject)
            if candidate is not None and previous is not None \
                    and _resumes(state.layout, previous, candidate):
                previous.spans.extend(candidate.spans)
                state.resolver.note_quote(candidate.spans)
                continue
            if candidate is not None:
                self._resolve(state, candidate)
                new.append(candidate)
                found.append(candidate)
        return new

    def _nested(self, state: _Sentences, made: list[Candidate],
                done: set[int]) -> list[Candidate]:
        nested = []
        for candidate in made:
            if quote_type(state.layout, candidate.spans) is not QuoteType.MIXED:
                continue
            for start, end in candidate.spans:
                for stretch in state.layout.outer_stretches_within(start, end):
                    span = trimmed(state.layout, stretch.start, stretch.end)
                    if span is None or stretch.start in done \
                            or not _speech_like(state.layout, stretch.inner):
                        continue
                    done.add(stretch.start)
                    nested.append(Candidate([span], "direct-nested", candidate.sentence,
                                            cue=candidate.cue, speaker=candidate.speaker,
                                            confidence=candidate.confidence))
        return nested

    def _colon_subject(self, state: _Sentences, sentence: Sentence) -> Phrase | None:
        """The speaker a sentence ending in a colon announces ("Støre sier til NTB:")."""
        tokens = state.layout.tokens
        last = sentence.last_token - 1
        if tokens[last].text != ":":
            return None
        for cue in find_cues(state.layout, sentence, state.lexicon):
            start = state.cue_rules.clause_start(cue.first, sentence.first_token)
            subject = subject_of_verb(state.reader, cue.first, start, last, cue.first + 1)
            if subject is not None:
                return subject
        return state.reader.after(sentence.first_token, last)

    def _resolve(self, state: _Sentences, candidate: Candidate) -> None:
        state.resolver.note_quote(candidate.spans)
        if candidate.speaker is not None:
            return
        if candidate.subject is not None:
            candidate.speaker = state.resolver.speaker(candidate.subject)
        elif state.lexicon.pro_drop and candidate.cue is not None:
            position = state.layout.tokens[candidate.cue.first].start
            candidate.speaker = state.resolver.implicit(position)

    def _quote(self, state: _Sentences, candidate: Candidate, language: str) -> Quote:
        layout = state.layout
        spans = _per_paragraph(layout, candidate.spans)
        text = " … ".join(strip_marks(layout.text[a:b]) for a, b in spans)
        speaker = candidate.speaker
        cue = candidate.cue
        cue_spans: tuple[Span, ...] = ()
        if cue is not None:
            cue_spans = _merged([(layout.tokens[i].start, layout.tokens[i].end)
                                 for i in cue.token_indices()], layout.text)
        return Quote(
            text=text, type=quote_type(layout, candidate.spans), spans=spans,
            speaker_name=speaker.name if speaker else None,
            speaker_entity=speaker.entity_id if speaker else None,
            speaker_mention=speaker.mention if speaker else None,
            speaker_spans=speaker.spans if speaker else (),
            cue=" ".join(layout.text[a:b] for a, b in cue_spans) or None,
            cue_spans=cue_spans, language=language,
            confidence=candidate.confidence, rule=candidate.rule)


def _resumes(layout: Layout, previous: Candidate, candidate: Candidate) -> bool:
    """The quotation goes on after its attribution: "“…,” he said. “…”" — the first part
    ends in a comma inside its marks, the attribution sentence ends, the next quotation
    follows in the same paragraph: one quote in two spans, as PolNeAR annotates it (train F1
    en 0.5461 → 0.5615; de unchanged; without the comma condition de loses 0.0007)."""
    if candidate.rule != "direct-continuation" or previous.rule != "verb-backward" \
            or candidate.sentence != previous.sentence + 1:
        return False
    sentences = layout.sentences
    if sentences[candidate.sentence].paragraph != sentences[previous.sentence].paragraph:
        return False
    stretch = layout.outer_stretch_at(previous.spans[0][0])
    if stretch is None:
        return False
    inner = layout.text[stretch.inner[0]:stretch.inner[1]].rstrip()
    return inner.endswith(",")


def _cut_before_coordinated_cue(layout: Layout, lexicon: Lexicon, candidate: Candidate,
                                cues: list[Cue]) -> None:
    """Content after a cue ends where a coordinated clause brings a cue of its own.

    "X sagte, Annabi sei tot, doch Y erklärte, …" and "He said that … and noted that …"
    are two statements: the first ends before "doch" / "and" (train F1 de +0.001, en +0.002).
    A cue right after a comma ends it too ("… tightened, said GOP voters should …", "…,
    noting that …", „…, sprach aber …“): en train F1 0.5722 → 0.5772; de 0.7246 → 0.7245
    (one extra quote in a garbled text; the other changed quote now matches). Where the
    lexicon sets ``comma_clause_ends_content``, so does a comma before the cue's own short
    subject ("… support Clinton, 39 have said they support Sanders", "…, although he supports
    …"): en train F1 0.6216 → 0.6231, all five folds better; de 0.7854 → 0.7846, so off there.
    A semicolon there ends it as well ("… single-payer system; Mrs. Lund aims to …"): en
    0.6231 → 0.6235, all five folds better.
    """
    if candidate.rule != "verb-forward" or candidate.cue is None:
        return
    tokens = layout.tokens
    start, end = candidate.spans[-1]
    for cue in cues:
        position = tokens[cue.first].start
        if cue.kind is not CueKind.VERB or not start < position < end:
            continue
        if tokens[cue.first - 1].text == "," and layout.outer_stretch_at(position) is None:
            cut = trimmed(layout, start, tokens[cue.first - 1].start)
            if cut is not None:  # "… tightened, said GOP voters should …", "…, noting that …"
                candidate.spans[-1] = cut
            return
        for k in range(cue.first - 1, max(cue.first - MAX_COORDINATED_SUBJECT_TOKENS, 0), -1):
            if tokens[k].start <= start or tokens[k].text in ".:":
                break
            if tokens[k].text == ";" and not lexicon.comma_clause_ends_content:
                break
            if tokens[k].text in ",;" and lexicon.comma_clause_ends_content \
                    and layout.outer_stretch_at(tokens[k].start) is None:
                cut = trimmed(layout, start, tokens[k].start)
                if cut is not None:
                    candidate.spans[-1] = cut
                return
            if tokens[k].lower in lexicon.coordinators:
                if lexicon.is_complementizer(tokens[k + 1].text):
                    return  # "aseguró que … y que cuenta con …": one content, two clauses
                cut = trimmed(layout, start, tokens[k].start)
                if cut is not None:
                    candidate.spans[-1] = cut
                return


def _nearer_source(state: _Sentences, candidate: Candidate, previous: Candidate | None) -> None:
    """A continuation that would inherit the speaker of a quote two sentences back takes the
    subject of the narrative sentence in between instead, if that names a source („Der Iran
    streitet dies ab. Sein Programm diene …“)."""
    if previous is None or candidate.speaker is not previous.speaker \
            or previous.sentence >= candidate.sentence - 1:
        return
    before = state.layout.sentences[candidate.sentence - 1]
    if state.layout.outer_stretches_within(before.start, before.end):
        return
    subject = clause_subject(state.reader, before.first_token, before.last_token) \
        or inverted_subject(state.reader, before.first_token, before.last_token)
    if subject is None:
        return
    trial = Candidate(candidate.spans, candidate.rule, candidate.sentence, subject=subject)
    if _sourced_continuation(state, trial):
        candidate.speaker, candidate.subject = None, subject


def _sourced_continuation(state: _Sentences, candidate: Candidate) -> bool:
    """A reported-mood sentence after a narrative one (no quote before it) is reported only
    if that sentence's subject can be a source: a name, a role or institution noun, or a
    personal pronoun. „Die Entscheidung …“, „Das Problem …“, „Es …“ are things; on de train
    such continuations were false or wrongly attributed in 67 of 87 cases."""
    if candidate.rule != "reported-continuation" or candidate.speaker is not None \
            or candidate.subject is None:
        return True
    tokens = state.layout.tokens[candidate.subject.first:candidate.subject.last]
    lexicon = state.lexicon
    if len(tokens) == 1 and tokens[0].lower in lexicon.pronouns:
        return lexicon.pronouns[tokens[0].lower].kind is SpeakerKind.PER
    if any(lexicon.role_kind(t.text) is not None for t in tokens if t.is_word):
        return True
    return state.resolver.mentions_within(tokens[0].start, tokens[-1].end)


def _free_reported(state: _Sentences, index: int,
                   previous: Candidate | None) -> Candidate | None:
    """A cue-less sentence in the free reported mood whose sentence before names no source
    (`free_reported_sentence`). The annotators' speaker is rarely in reach; the first person
    or organisation named in the sentence before is the best guess found (9 of 38 right on
    de train; the last quote's speaker: fewer), else the last quote's speaker."""
    candidate = free_reported_sentence(state.layout, state.lexicon, index)
    if candidate is None or index == 0:
        return candidate
    before = state.layout.sentences[index - 1]
    candidate.speaker = state.resolver.first_mention(before.start, before.end)
    if candidate.speaker is None and previous is not None:
        candidate.speaker = previous.speaker
    return candidate


def _named_narrative_speaker(state: _Sentences, candidate: Candidate) -> None:
    """A continuation whose speaker came from the sentence before ("Dekan Berg sieht … .
    Von den Vorwürfen habe man nichts gewusst.") names someone only if that phrase holds a
    name or a role; else ("Langfristig strebt das Unternehmen …") the first person or
    organisation named in that sentence is taken (de train speaker 0.7885 → 0.7896)."""
    speaker = candidate.speaker
    if candidate.subject is None or speaker is None or speaker.resolved \
            or speaker.entity_id is not None or speaker.kind is not None:
        return
    if state.resolver.names_someone(speaker):
        return
    before = state.layout.sentences[candidate.sentence - 1]
    named = state.resolver.first_mention(before.start, before.end)
    if named is not None:
        candidate.speaker = named


def _share_speaker(candidate: Candidate, found: list[Candidate]) -> None:
    """An adverbial participle's speaker is that of the sentence's quote before it (""…," he
    said, noting that …"), if the sentence has one; else its clause subject stays."""
    cue_start = candidate.cue.first if candidate.cue is not None else -1
    for earlier in reversed(found):
        if earlier.sentence != candidate.sentence:
            return
        if earlier.speaker is not None and earlier.cue is not None \
                and earlier.cue.first < cue_start:
            candidate.speaker = earlier.speaker
            return


def _attribute_from_next(found: list[Candidate]) -> None:
    """An unattributed quotation takes the speaker of an attributed one in the next sentence.

    "– Det var aldri straffe.\n\n– Nå må vi gå videre, sier Mykland." — both are Mykland's.
    """
    for candidate, following in zip(found, found[1:], strict=False):
        if candidate.rule == "direct-unattributed" and following.speaker is not None \
                and (candidate.speaker is None or following.sentence == candidate.sentence + 1) \
                and following.sentence == candidate.sentence + 1 \
                and following.rule.startswith(("verb-backward", "direct")):
            candidate.speaker = following.speaker
            candidate.rule, candidate.confidence = "direct-attributed-next", 0.5


def _per_paragraph(layout: Layout, spans: list[Span]) -> tuple[Span, ...]:
    """Spans cut at paragraph breaks: a quotation over two paragraphs is two pieces of one quote."""
    out: list[Span] = []
    for start, end in spans:
        piece_start = start
        while True:
            cut = layout.text.find("\n", piece_start, end)
            piece = trimmed(layout, piece_start, end if cut < 0 else cut)
            if piece is not None:
                out.append(piece)
            if cut < 0:
                break
            piece_start = cut + 1
    return tuple(out)


def _merged(spans: list[Span], text: str) -> tuple[Span, ...]:
    """Spans with the ones that touch (or are one space apart, "according to") joined."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and (start == out[-1][1] or (start == out[-1][1] + 1 and text[start - 1] == " ")):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def _earlier_same_content(candidate: Candidate, found: list[Candidate]) -> Candidate | None:
    """An earlier quote whose content an anaphoric candidate ("Dies sagte X") repeats."""
    if candidate.rule != "verb-anaphoric":
        return None
    start, end = candidate.spans[0]
    for earlier in reversed(found[-3:]):
        if any(min(e, end) - max(s, start) > 0.5 * (end - start) for s, e in earlier.spans):
            return earlier
    return None


def _inside_earlier_content(layout: Layout, candidate: Candidate,
                            options: list[Candidate]) -> bool:
    """A backward candidate whose attribution clause holds an earlier cue that reads this
    candidate's cue as its content: "Mr. Jones, a member, said he supports the plan" takes
    "said he" as the clause of "supports" and the subject as its content; the earlier cue's
    forward content is the attribution, whatever the two confidences."""
    if candidate.rule != "verb-backward" or candidate.cue is None:
        return False
    own = layout.tokens[candidate.cue.first].start
    content_end = candidate.spans[0][1]
    for other in options:
        if other is candidate or other.cue is None or other.cue.first >= candidate.cue.first:
            continue
        theirs = layout.tokens[other.cue.first].start
        if content_end <= theirs and any(s <= own < e for s, e in other.spans):
            return True
    return False


def _outermost(layout: Layout, lexicon: Lexicon, options: list[Candidate]) -> set[int]:
    """Ids of the object verbs' candidates that hold another candidate (`_holds`).

    Only "verb-object" candidates can hold one, so the pairs are those outers times the
    sentence's candidates, not every pair (the pass is per sentence: a few candidates each).
    """
    outers = [c for c in options if c.rule == "verb-object" and c.spans]
    return {id(c) for c in outers if any(_holds(layout, lexicon, c, other) for other in options)}


def _holds(layout: Layout, lexicon: Lexicon, outer: Candidate, inner: Candidate) -> bool:
    """An object verb's content holds ``inner``'s cue and all its content, with no
    conjunction before that cue: "calling on Democrats to support the wage" holds the
    attribution of "support"; "praised the plan and said it works" holds nothing."""
    if inner is outer or inner.cue is None or not outer.spans or outer.rule != "verb-object":
        return False
    start, end = outer.spans[0][0], outer.spans[-1][1]
    cue = layout.tokens[inner.cue.first].start
    if not (start <= cue < end and all(start <= s and e <= end for s, e in inner.spans)):
        return False
    return not any(t.lower in lexicon.conjunctions
                   for t in layout.tokens[layout.token_index(start):inner.cue.first])


def _conflict(layout: Layout, one: Candidate, other: Candidate) -> bool:
    """The two share content, or one's cue lies in the other's content.

    A verb's quote inside an according-to phrase's content is nested, not a conflict: "Laut
    Reuters bestätigte X, dass …" reports both Reuters' account and X's statement.
    """
    kinds = {c.cue.kind for c in (one, other) if c.cue is not None}
    if kinds == {CueKind.VERB, CueKind.ACCORDING}:
        according, verb = (one, other) if one.cue and one.cue.kind is CueKind.ACCORDING \
            else (other, one)
        verb_start = verb.spans[0][0]
        if any(s <= verb_start < e for s, e in according.spans):
            return False
    for a, b in ((one, other), (other, one)):
        if a.cue is not None:
            start = layout.tokens[a.cue.first].start
            if any(s <= start < e for s, e in b.spans):
                return True
    return any(min(e1, e2) > max(s1, s2) for s1, e1 in one.spans for s2, e2 in other.spans)


def _speech_like(layout: Layout, inner: Span) -> bool:
    """A quoted part that is speech, not a name or title: a lower-case word, or three words."""
    words = layout.text[inner[0]:inner[1]].split()
    return len(words) >= 3 or any(w[:1].islower() for w in words)

