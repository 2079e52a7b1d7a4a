"""Who is speaking: the subject of a cue found by position, and what it refers to.

The subject is the noun phrase next to the cue. It follows the verb when the verb
opens its clause ("…“, sagte er", "…, said the minister", "– …, sier Støre"),
after a fronted adverbial in verb-second languages ("Am Montag sagte der
Minister"), or when it is a pronoun right after the verb ("Das sagte er");
otherwise it precedes the verb ("Die Polizei teilte mit", "A Twitter
spokesman, Christopher Abboud, said"). Noun phrases are read from word classes
of the language's lexicon (determiners, prepositions, pronouns, role nouns) and
capitalisation, not parsed.

A pronoun or a bare role noun ("er", "han", "she", "talsmannen", "the
spokesman") is resolved to the most recent compatible mention before it: a PER
mention for people, an ORG mention for organisations ("das Ministerium").
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..record import Span
from .layout import Layout, Token
from .lexicon import Lexicon, SpeakerKind
from .mentions import Mention

MAX_PHRASE_TOKENS = 12
MAX_ROLE_TO_NAME_CHARS = 50
"""A name this close after a role noun, with no punctuation between, is the role's holder."""
MAX_MODIFIERS = 3
MAX_COMMON_SUBJECT_TOKENS = 6
"""Words of an uncased subject before its verb ("a large body of work")."""
CLAUSE_OPENERS = frozenset(",;:–—-(")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase as a token range ``[first, last)`` of `Layout.tokens`."""

    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker: the mention at the cue (spans, text) and the name it resolves to."""

    spans: tuple[Span, ...]
    mention: str
    name: str
    entity_id: str | None = None
    kind: SpeakerKind | None = None
    resolved: bool = False


class PhraseReader:
    """Reads noun phrases around a position with one language's word classes."""

    def __init__(self, layout: Layout, lexicon: Lexicon) -> None:
        self.layout = layout
        self.tokens = layout.tokens
        self.lexicon = lexicon

    def is_pronoun(self, i: int) -> bool:
        return self.tokens[i].lower in self.lexicon.pronouns

    def _blocks(self, i: int) -> bool:
        """Token ``i`` cannot be inside a noun phrase."""
        token = self.tokens[i]
        lower = token.lower
        lex = self.lexicon
        if not token.is_word:
            return True
        if self.layout.outer_stretch_at(token.start) is not None:
            return True
        return (lower in lex.prepositions or lower in lex.conjunctions or lower in lex.adverbs
                or lower in lex.complementizers
                or (bool(lex.verb_forms(token.text)) and not self._after_determiner(i)
                    and not self._capitalised_after_word(i)))

    def _capitalised_after_word(self, i: int) -> bool:
        """A capitalised verb form after a word is a noun or a name, not a verb („laut
        Aussage des Ministeriums“, „Offiziellen Angaben zufolge“; cues skip these too)."""
        return self.lexicon.cased and self.tokens[i].text[0].isupper() and i > 0 \
            and self.tokens[i - 1].is_word

    def _after_determiner(self, i: int) -> bool:
        """A verb form right after a determiner is a noun ("el escrito", "the report")."""
        return i > 0 and self.tokens[i - 1].lower in self.lexicon.determiners \
            and self.tokens[i - 1].lower not in self.lexicon.complementizers

    def _is_head(self, i: int) -> bool:
        token = self.tokens[i]
        lexicon = self.lexicon
        return lexicon.is_capitalised(token.text) or lexicon.role_kind(token.text) is not None

    def opens_phrase(self, i: int, stop: int) -> bool:
        """A pronoun that is also a determiner before a head ("ihr Land") opens a phrase."""
        return self.tokens[i].lower in self.lexicon.determiners and i + 1 < stop \
            and self._is_head(i + 1)

    def after(self, i: int, stop: int, *, modifiers: bool = False) -> Phrase | None:
        """The noun phrase starting at token ``i`` (before ``stop``), if one does.

        ``modifiers``: lower-case words may open it without a determiner, as after
        a preposition ("laut israelischen Medien", "according to senior officials").
        """
        if i >= stop:
            return None
        if self.is_pronoun(i) and not self.opens_phrase(i, stop):
            return Phrase(i, i + 1)
        title = self._quoted_title(i, stop)
        if title is not None:
            return title
        j = i
        determiner = self.lexicon.has_elision(self.tokens[i].text)  # "l’assessore"
        while j < stop and self.tokens[j].lower in self.lexicon.determiners:
            j += 1
            determiner = True
        end = self._head_run(j, stop, allow_lower=determiner or modifiers,
                             leading_only=(modifiers and not determiner)
                             or not self.lexicon.postnominal_modifiers)
        if end is None:
            return None
        end = self._attached(self.extend(end, stop), stop)
        return Phrase(i, end)

    def _attached(self, end: int, stop: int) -> int:
        """An acronym in brackets or a quoted title right after the head belongs to the phrase
        ("la Agencia Estatal de Meteorología (AEMET)", "el informe «Proyecciones …»")."""
        tokens = self.tokens
        if end + 2 < stop and tokens[end].text == "(" and tokens[end + 2].text == ")" \
                and tokens[end + 1].text.isupper():
            return end + 3
        if end < stop:
            title = self._quoted_title(end, stop)
            if title is not None:
                return title.last
        return end

    def _quoted_title(self, i: int, stop: int) -> Phrase | None:
        """A short quoted name as a phrase ("„BBC News“ berichtet", "the „Bild“-Zeitung")."""
        stretch = self.layout.outer_stretch_at(self.tokens[i].start)
        if stretch is None or len(self.layout.text[stretch.start:stretch.end].split()) > 4:
            return None
        end = self.layout.token_index(stretch.end)
        if end > stop or not self.layout.text[stretch.inner[0]:stretch.inner[0] + 1].isupper():
            return None
        return Phrase(i, end)

    def _head_run(self, j: int, stop: int, *, allow_lower: bool,
                  leading_only: bool = False) -> int | None:
        """End of the modifiers and head words from ``j``; None if there is no head.

        ``leading_only``: lower-case modifiers only before the head (no determiner
        opened the phrase, so a lower-case word after the head starts the clause).
        """
        modifiers, end, k = 0, None, j
        while k < stop and k - j < MAX_PHRASE_TOKENS:
            token = self.tokens[k]
            if token.text == "." and end == k and self._abbreviation(k - 1):
                k += 1
                end = k
                continue
            if self._blocks(k) and token.lower not in self.lexicon.name_particles \
                    and not self._inner_preposition_uncased(k, stop, end):
                break
            if self._is_head(k):
                end = k + 1
            elif token.lower in self.lexicon.name_particles and end is not None:
                pass
            elif allow_lower and modifiers < MAX_MODIFIERS and token.is_word \
                    and not (leading_only and end is not None):
                modifiers += 1
                end = k + 1 if end is None and not self._next_is_head(k, stop) else end
            else:
                break
            k += 1
        return end

    def _inner_preposition_uncased(self, k: int, stop: int, end: int | None) -> bool:
        """In scripts without capitals a subject runs through prepositions to the clause end
        ("خبيرة الأرصاد الجوية في المركز مريم الشامسي إن …")."""
        return (not self.lexicon.cased and end is not None and k + 1 < stop
                and self.tokens[k].lower in self.lexicon.prepositions and self.tokens[k + 1].is_word
                and not self.lexicon.is_complementizer(self.tokens[k + 1].text))

    def _next_is_head(self, k: int, stop: int) -> bool:
        return k + 1 < stop and not self._blocks(k + 1) and self._is_head(k + 1)

    def _abbreviation(self, i: int) -> bool:
        text = self.tokens[i].text
        return len(text) <= 3 and text[0].isupper()

    def extend(self, end: int, stop: int) -> int:
        """Genitives and "of" phrases ("der Sprecher des Ministeriums", "secretary of state")."""
        tokens, lex = self.tokens, self.lexicon
        genitive = lex.determiners if lex.genitive_determiners is None \
            else lex.genitive_determiners  # "laut Polizei zwei Männer …": "zwei" is no genitive
        while end + 1 < stop and (tokens[end].lower in genitive or tokens[end].lower == "of"):
            if tokens[end].lower in lex.pronouns and tokens[end].lower not in lex.determiners:
                break
            j = end + 1
            while j < stop and tokens[j].lower in lex.determiners:
                j += 1
            # a lower-case word after the genitive's head ends it ("der Polizei griffen …")
            nxt = self._head_run(j, stop, allow_lower=True, leading_only=True)
            if nxt is None or not any(self._is_head(x) for x in range(j, nxt)):
                break
            end = nxt
        return end

    def before(self, i: int, start: int) -> Phrase | None:
        """The noun phrase ending right before token ``i`` (not before ``start``)."""
        j = self._skip_back(i - 1, start)
        if j < start:
            return None
        if self.tokens[j].text == ",":
            return self._apposition_before(j, start)
        if self.is_pronoun(j):
            return Phrase(j, j + 1)
        stretch = self.layout.outer_stretch_at(self.tokens[j].start)
        if stretch is not None:
            first = self.layout.token_index(stretch.start)
            title = self._quoted_title(first, j + 1) if first >= start else None
            if title is not None and first > start and self.tokens[first - 1].lower in \
                    self.lexicon.determiners:
                return Phrase(first - 1, title.last)
            return title
        return self._phrase_ending(j, start)

    def _skip_back(self, j: int, start: int) -> int:
        """Skip adverbs, a short parenthesis ("(Grüne)") and an age (", 30,") before a verb."""
        tokens = self.tokens
        while j >= start:
            if tokens[j].lower in self.lexicon.adverbs:
                j -= 1
            elif tokens[j].text == ")":
                opening = next((k for k in range(j - 1, max(start, j - 8) - 1, -1)
                                if tokens[k].text == "("), None)
                if opening is None:
                    return j
                j = opening - 1
            elif (tokens[j].text == "," and j - 2 >= start and tokens[j - 1].text.isdigit()
                  and tokens[j - 2].text == ","):
                j -= 3
            else:
                return j
        return j

    def _phrase_ending(self, j: int, start: int) -> Phrase | None:
        end = j + 1
        k = j
        head = False
        while k >= start and end - k <= MAX_PHRASE_TOKENS:
            token = self.tokens[k]
            lower = token.lower
            if lower in self.lexicon.determiners:
                if head:
                    k -= 1
                    if k >= start and self._inner_preposition(k, start):
                        k -= 1
                        continue
                    if k < start or not self._genitive_link(k):
                        return Phrase(k + 1, end)
                    continue
                break
            if head and self._inner_preposition(k, start):
                k -= 1
                continue
            if token.text == "." and k > start and self._abbreviation(k - 1):
                k -= 1
                continue
            if lower == "of" and head:
                k -= 1
                continue
            if self._blocks(k) and lower not in self.lexicon.name_particles:
                break
            if self._is_head(k):
                head = True
            elif not (lower in self.lexicon.name_particles or token.is_word):
                break
            k -= 1
        first = k + 1
        while first < end and not self._is_head(first) \
                and self.tokens[first].lower not in self.lexicon.determiners:
            first += 1
        return Phrase(first, end) if head and first < end else None

    def _inner_preposition(self, k: int, start: int) -> bool:
        """Token ``k`` is a preposition inside a noun phrase: "Georg von der IG Metall"."""
        return (self.tokens[k].lower in self.lexicon.prepositions and k - 1 >= start
                and self._is_head(k - 1) and not self._blocks(k - 1))

    def _genitive_link(self, k: int) -> bool:
        """Token ``k`` ends a head that a genitive determiner after it continues."""
        return k >= 0 and self._is_head(k) and not self._blocks(k)

    def _apposition_before(self, comma: int, start: int) -> Phrase | None:
        """"A Twitter spokesman, Christopher Abboud, said": the name and the phrase before it."""
        inner = self._phrase_ending(comma - 1, start) if comma - 1 >= start else None
        if inner is None:
            return None
        before_comma = inner.first - 1
        if before_comma > start and self.tokens[before_comma].text == ",":
            outer = self._phrase_ending(before_comma - 1, start)
            if outer is not None:
                return Phrase(outer.first, inner.last)
        return inner


def _names_hearer(reader: PhraseReader, verb: int) -> bool:
    """The verb names its hearer right after it (lexicon ``addressee_verbs``: "…,” Ramos, 58,
    told AFP"; "Gates, in contrast, told AP he …"), so the phrase after it is never its
    subject."""
    hearer_verbs = reader.lexicon.addressee_verbs
    return bool(hearer_verbs) and any(
        form.lemma in hearer_verbs for form in reader.lexicon.verb_forms(reader.tokens[verb].text))


def subject_of_verb(reader: PhraseReader, verb: int, clause_start: int, stop: int,
                    after_verb: int, sentence_start: int | None = None) -> Phrase | None:
    """The subject of the speech verb at token ``verb`` by position (see the module docstring).

    ``clause_start`` decides whether the verb opens its clause; the phrase before
    the verb may reach back to ``sentence_start`` (appositions: "X, Y, said").
    A cascade: inverted order; a verb-second clause with an auxiliary ("X hat …
    gesagt", "In einem Interview hat er … gesagt"); a second verb of a
    coordination ("Key hat sich informiert und sprach von …"); the phrase before
    the verb; the phrase after it; the sentence's first phrase.
    """
    s0 = clause_start if sentence_start is None else sentence_start
    tokens, lexicon = reader.tokens, reader.lexicon
    for i in (verb, verb - 1):
        if i >= s0 and lexicon.enclitic_subject(tokens[i].text):
            return Phrase(i, i + 1)  # "a-t-il déclaré", "estime-t-elle"
    after = None if _names_hearer(reader, verb) else reader.after(after_verb, stop)
    if _opens_clause(reader, verb, clause_start) and after is not None:
        return _apposed_subject(reader, verb, s0) or after
    if after is None and lexicon.verb_second and verb - 1 > s0 and tokens[verb - 1].text == ",":
        shared = clause_subject(reader, s0, verb - 1)  # „X begrüßte den Plan, fordert aber …“
        if shared is not None and shared.last < verb - 1:
            return shared
    if after_verb < stop and tokens[after_verb].lower in lexicon.nominative_pronouns \
            and verb > clause_start:
        return Phrase(after_verb, after_verb + 1)  # "Die Tat bezeichnete er als sinnlos"
    if lexicon.verb_second and _fronted_adverbial(reader, clause_start, verb):
        after = after or _after_inserted(reader, after_verb, stop)
        if after is not None and tokens[after.first].lower not in lexicon.oblique_determiners:
            return after  # "Gegen 14 Uhr meldete die Online-Ausgabe …": the subject follows
    auxiliary = _auxiliary_before(reader, verb, clause_start)
    if auxiliary is not None:
        return _second_position_subject(reader, s0, clause_start, auxiliary, stop)
    if verb > s0 and tokens[verb - 1].lower in lexicon.coordinators:
        return clause_subject(reader, s0, verb)
    before = reader.before(verb, s0)
    if before is not None and not _fronted_prepositional(reader, before, clause_start) \
            and tokens[before.first].lower not in lexicon.oblique_determiners:
        return before
    if after is not None or lexicon.pro_drop:
        return after  # a language that drops subjects: none found means none written
    return clause_subject(reader, s0, verb)


def _apposed_subject(reader: PhraseReader, verb: int, s0: int) -> Phrase | None:
    """"X, Präsident des Y, nannte die Bewerbung …": the sentence opens with a name and its
    apposition, and the comma before the verb closes the apposition, not a clause."""
    tokens = reader.tokens
    if verb - 1 <= s0 or tokens[verb - 1].text != ",":
        return None
    phrase = reader.before(verb, s0)
    if phrase is None or phrase.first != s0 or phrase.last != verb - 1:
        return None
    inner = tokens[phrase.first:phrase.last]
    return phrase if any(t.text == "," for t in inner) else None


def common_noun_subject(reader: PhraseReader, verb: int, clause_start: int) -> Phrase | None:
    """The uncased words right before the verb of a subject-verb language ("few believe",
    "a large body of work suggests", "Only 24 percent said"): no name or role heads the
    subject, but the words before the verb (adverbs skipped) are its noun phrase. Only the
    fallback for a cue's forward content: as a subject test for attributions after a quote
    it made 210 more false backward quotes on en train."""
    lexicon, tokens = reader.lexicon, reader.tokens
    if lexicon.verb_second or lexicon.pro_drop or not lexicon.cased:
        return None  # pro-drop: no subject found means the last speaker (`implicit`)
    j = verb - 1
    while j >= clause_start and tokens[j].lower in lexicon.adverbs:
        j -= 1
    if j < clause_start or not _plain_word(lexicon, tokens[j]):
        return None
    first = j
    while first - 1 >= clause_start and first > j - MAX_COMMON_SUBJECT_TOKENS \
            and _plain_word(lexicon, tokens[first - 1]):
        first -= 1
    return Phrase(first, j + 1)


def _plain_word(lexicon: Lexicon, token: Token) -> bool:
    """A word that may stand in a noun phrase: no punctuation, preposition or clause word."""
    lower = token.lower
    return (token.text[:1].isalnum()) and lower not in lexicon.prepositions \
        and lower not in lexicon.conjunctions and lower not in lexicon.coordinators \
        and lower not in lexicon.complementizers and lower not in lexicon.subordinators \
        and not lexicon.verb_forms(token.text)


def _after_inserted(reader: PhraseReader, i: int, stop: int) -> Phrase | None:
    """The subject after a reflexive or adverbs that follow an inverted verb („Am Montag
    äußerte sich Sprecher X“, „Ebenso plädierte auch X“); a determiner is not skipped."""
    tokens, lexicon = reader.tokens, reader.lexicon
    j = i
    while j < stop and (tokens[j].lower in lexicon.reflexives or (
            tokens[j].lower in lexicon.adverbs and tokens[j].lower not in lexicon.determiners
            and tokens[j].lower not in lexicon.auxiliaries)):
        j += 1
    if j == i or j >= stop or tokens[j].lower in lexicon.pronouns and \
            tokens[j].lower not in lexicon.nominative_pronouns:
        return None
    return reader.after(j, stop)


def _fronted_adverbial(reader: PhraseReader, clause_start: int, verb: int) -> bool:
    """A verb-second clause opened by a preposition, adverb or conjunction before the verb."""
    if clause_start >= verb:
        return False
    lower = reader.tokens[clause_start].lower
    lexicon = reader.lexicon
    return lower in lexicon.prepositions or lower in lexicon.adverbs \
        or (lower in lexicon.conjunctions and lower not in lexicon.coordinators) \
        or _adverb_shaped(reader, clause_start, verb)


SENTENCE_MARKS = frozenset(".!?:“”\"")
"""Marks after which a word is the first of its sentence (German capitalises it, noun or not)."""


def _adverb_shaped(reader: PhraseReader, first: int, verb: int) -> bool:
    """„Sinngemäß hofft Musk …“, „Passend zu den Gefahren warnte die Moderatorin …“: a
    sentence-initial word with an adverb or adjective ending (lexicon ``adverb_endings``:
    -gemäß, -end, -lich) right before the verb or before a preposition is an adverbial, not
    the subject; the capital is only the sentence's."""
    tokens, lexicon = reader.tokens, reader.lexicon
    if not lexicon.adverb_endings or first + 1 > verb or not tokens[first].lower.endswith(
            lexicon.adverb_endings) or not _starts_sentence(reader, first):
        return False
    return first + 1 == verb or tokens[first + 1].lower in lexicon.prepositions


def _starts_sentence(reader: PhraseReader, i: int) -> bool:
    """Token ``i`` opens a sentence: nothing or a sentence mark or closing quote before it."""
    return i == 0 or reader.tokens[i - 1].text[-1:] in SENTENCE_MARKS


def _opens_clause(reader: PhraseReader, verb: int, clause_start: int) -> bool:
    """Nothing but adverbs stands before the verb in its clause ("…, so schrieb diese, …")."""
    tokens = reader.tokens
    if verb == clause_start or tokens[verb - 1].text in CLAUSE_OPENERS \
            or reader.layout.outer_stretch_at(tokens[verb - 1].start) is not None:
        return True
    between = tokens[clause_start:verb]
    return clause_start > 0 and all(t.lower in reader.lexicon.adverbs for t in between) \
        and tokens[clause_start - 1].text in CLAUSE_OPENERS


def _auxiliary_before(reader: PhraseReader, verb: int, clause_start: int) -> int | None:
    """The finite auxiliary of a verb-second clause whose speech verb is a participle."""
    if not reader.lexicon.auxiliaries:
        return None
    for i in range(verb - 1, max(clause_start, verb - MAX_PHRASE_TOKENS) - 1, -1):
        if reader.tokens[i].lower in reader.lexicon.auxiliaries:
            return i
    return None


def _second_position_subject(reader: PhraseReader, s0: int, clause_start: int, finite: int,
                             stop: int) -> Phrase | None:
    """The first constituent if subject-like, else the phrase after the finite verb."""
    start = s0 if finite == clause_start else clause_start
    if finite + 1 < stop and reader.tokens[finite + 1].lower in reader.lexicon.nominative_pronouns \
            and finite > start:
        return Phrase(finite + 1, finite + 2)  # „Ihr gegenüber hat er angegeben“
    first = clause_subject(reader, start, finite) or _whole_first_constituent(reader, start, finite)
    if first is not None:
        return first
    return reader.after(finite + 1, stop)


def _whole_first_constituent(reader: PhraseReader, start: int, finite: int) -> Phrase | None:
    """A noun phrase filling everything before the finite verb is its subject, even when a
    focus adverb or a determiner that doubles as an adverb opens it („Auch einige Parteien
    haben angekündigt“, „Das deutsche Komitee hat eingeräumt“). A lone pronoun there is the
    object („Das hat er bestätigt“)."""
    tokens, lexicon = reader.tokens, reader.lexicon
    j = start
    while j < finite and tokens[j].lower in lexicon.adverbs \
            and not reader.opens_phrase(j, finite) and not _opens_described(reader, j, finite):
        j += 1
    if j >= finite or tokens[j].lower in lexicon.oblique_determiners \
            or tokens[j].lower in lexicon.prepositions or tokens[j].lower in lexicon.conjunctions:
        return None
    phrase = reader.after(j, finite)
    if phrase is None or phrase.last != finite or phrase.last - phrase.first < 2:
        return None
    return phrase


def _opens_described(reader: PhraseReader, i: int, stop: int) -> bool:
    """A determiner before lower-case modifiers and a head („das deutsche Komitee“)."""
    return reader.tokens[i].lower in reader.lexicon.determiners and i + 1 < stop \
        and reader.tokens[i + 1].is_word and not reader.is_pronoun(i + 1)


def _fronted_prepositional(reader: PhraseReader, phrase: Phrase, clause_start: int) -> bool:
    """The phrase is the object of a preposition opening the clause ("Am Montag sagte …")."""
    i = phrase.first - 1
    return i == clause_start and reader.tokens[i].lower in reader.lexicon.prepositions


def inverted_subject(reader: PhraseReader, start: int, stop: int) -> Phrase | None:
    """The subject after the finite verb of a verb-second clause opened by an adverb or a
    prepositional phrase („Trotz gesunkener Zahlen gibt der Verband …“, „Am 15. Mai hat die
    Kommission …“, „Daraufhin fügte der Gesetzgeber …“), found without knowing the verb: it
    is the first lower-case word after the fronted phrase's head."""
    verb = _finite_after_fronted(reader, start, stop)
    if verb is None:
        return None
    tokens, lexicon = reader.tokens, reader.lexicon
    phrase = reader.after(verb + 1, stop) or _after_inserted(reader, verb + 1, stop)
    if phrase is None:
        return None
    first = tokens[phrase.first].lower
    if first in lexicon.oblique_determiners or (
            reader.is_pronoun(phrase.first) and first not in lexicon.nominative_pronouns):
        return None  # „Trotz allem gibt den Ausschlag …“, „Dazu sagte ihr …“: an object
    return phrase


def _finite_after_fronted(reader: PhraseReader, start: int, stop: int) -> int | None:
    """The token after a fronted adverb or prepositional phrase, if it can be a finite verb."""
    tokens, lexicon = reader.tokens, reader.lexicon
    if start >= stop:
        return None
    first = tokens[start].lower
    verb: int | None = None
    if first in lexicon.adverbs and first not in lexicon.determiners:
        verb = start + 1
    elif first in lexicon.prepositions:
        verb = _end_of_prepositional(reader, start + 1, stop)
    else:
        return None
    if verb is None or verb >= stop or not _plain_lower_word(reader, verb):
        return None
    return verb


def _end_of_prepositional(reader: PhraseReader, i: int, stop: int) -> int | None:
    """The first lower-case word after a head of the phrase opened at ``i`` that does not go on
    with a genitive, another preposition or a coordination."""
    tokens, lexicon = reader.tokens, reader.lexicon
    head = False
    for k in range(i, min(stop, i + MAX_PHRASE_TOKENS)):
        token = tokens[k]
        if not token.is_word and token.text != ".":
            return None
        if token.text[:1].isdigit() or token.text[:1].isupper():
            head = True
            continue
        lower = token.lower
        if lower in lexicon.determiners or lower in lexicon.prepositions \
                or lower in lexicon.coordinators or token.text == "." or not head:
            head = head and lower not in lexicon.prepositions
            continue
        return k
    return None


def _plain_lower_word(reader: PhraseReader, i: int) -> bool:
    token = reader.tokens[i]
    lexicon = reader.lexicon
    return token.is_word and token.text[:1].islower() and token.lower not in lexicon.determiners \
        and token.lower not in lexicon.conjunctions and token.lower not in lexicon.complementizers
def _subject_after_adverbs(reader: PhraseReader, start: int, stop: int) -> Phrase | None:
    """A determined noun phrase after opening adverbs („Auch die Ministerin äußerte …“, „Jetzt
    hat der Betreiber …“): the subject in a verb-second clause, whose object would be
    oblique („Jetzt hat den Betreiber …“ does not read as a subject)."""
    tokens, lexicon = reader.tokens, reader.lexicon
    j = start
    while j < stop and tokens[j].lower in lexicon.adverbs and not _opens_described(reader, j, stop):
        j += 1
    if j < stop and j > start and reader.is_pronoun(j) and not reader.opens_phrase(j, stop) \
            and lexicon.pronouns[tokens[j].lower].kind is SpeakerKind.PER:
        return Phrase(j, j + 1)  # „Auch sie forderten …“
    if j >= stop or tokens[j].lower not in lexicon.determiners \
            or tokens[j].lower in lexicon.oblique_determiners:
        return None
    phrase = reader.after(j, stop)
    return phrase if phrase is not None and phrase.last - phrase.first >= 2 else None


def clause_subject(reader: PhraseReader, start: int, stop: int) -> Phrase | None:
    """The phrase opening the clause, unless a preposition, adverb or object opens it.

    Also the subject of a verb-second or coordinated clause (see `subject_of_verb`).
    """
    if start >= stop:
        return None
    lower = reader.tokens[start].lower
    lexicon = reader.lexicon
    if lower in lexicon.adverbs and _opens_described(reader, start, stop):
        return reader.after(start, stop)  # „Das Ministerium teilte mit“: "das" is no adverb here
    if lexicon.verb_second and lower in lexicon.adverbs:
        return _subject_after_adverbs(reader, start, stop)
    if lower in lexicon.prepositions or lower in lexicon.adverbs \
            or lower in lexicon.oblique_determiners or lower in lexicon.conjunctions:
        return None
    return reader.after(start, stop)


class SpeakerResolver:
    """Turns a subject phrase into a `Speaker`, resolving pronouns and role nouns.

    The name of a phrase is, in order: a mention inside it (NER, or the
    capitalised-name fallback; a person before an organisation); a bracketed
    acronym after it ("la Agencia Estatal de Meteorología (AEMET)"); for a
    pronoun or bare role noun, the most recent compatible mention before it;
    else the phrase without its determiners and role words ("pani Barbara" →
    "Barbara"), expanded to an earlier mention that contains it ("Barbara
    Nowicka").
    """

    def __init__(self, layout: Layout, lexicon: Lexicon, mentions: list[Mention]) -> None:
        self.layout = layout
        self.lexicon = lexicon
        self.mentions = mentions
        self._starts = [m.start for m in mentions]
        self._speakers: list[Mention] = []  # named speakers so far, in text order
        self._quoted: list[Span] = []  # contents of the quotes found so far

    def note_quote(self, spans: list[Span]) -> None:
        """Remember a quote's content: names inside it are not antecedents ("— сказал он" after
        "Песков сообщил, что … с Владимиром Путиным" means Песков)."""
        self._quoted.extend(spans)

    def speaker(self, phrase: Phrase) -> Speaker:
        """The speaker for a subject phrase (see the class docstring); remembered for pronouns."""
        found = self._speaker(phrase)
        person = found.kind is SpeakerKind.PER or (found.kind is None and not self.lexicon.cased)
        if person and found.spans and found.name:
            start, end = found.spans[0]
            self._speakers.append(Mention(start, end, found.name, SpeakerKind.PER, found.entity_id))
        return found

    def _speaker(self, phrase: Phrase) -> Speaker:
        """The speaker for a subject phrase: its own name, or the mention it refers to."""
        tokens = self.layout.tokens[phrase.first:phrase.last]
        start, end = tokens[0].start, tokens[-1].end
        text = self.layout.text[start:end]
        spans = ((start, end),)
        if len(tokens) > 4 and tokens[-1].text == ")" and tokens[-3].text == "(":
            core = self._speaker(Phrase(phrase.first, phrase.last - 3))
            if core.kind is SpeakerKind.PER:  # "die Ministerin Eva Hahn (SPD)": not the party
                return Speaker(spans, text, core.name, core.entity_id, core.kind, core.resolved)
        inside = self._mentions_within(start, end)
        acronym = self._acronym_after(phrase.last)
        if acronym is not None and not any(m.kind is SpeakerKind.PER for m in inside) \
                and self._referring_kind(tokens) is not SpeakerKind.PER:
            return Speaker(spans, text, acronym, None, SpeakerKind.ORG)  # not a party: "X (SPD)"
        if inside:
            best = max(inside, key=lambda m: (m.kind is SpeakerKind.PER, m.end - m.start))
            return Speaker(spans, text, best.text, best.entity_id, best.kind)
        kind = self._referring_kind(tokens)
        if kind is not None:
            pronoun = len(tokens) == 1 and (tokens[0].lower in self.lexicon.pronouns
                                            or self.lexicon.enclitic_subject(tokens[0].text))
            following = None if pronoun else self._named_right_after(end, kind)
            if following is not None:  # "l’assessore alla Protezione civile Marco Ferrando"
                return Speaker(((start, following.end),), self.layout.text[start:following.end],
                               following.text, following.entity_id, kind)
            role = None if pronoun else self.lexicon.role_stem(tokens[-1].text)
            antecedent = (self._antecedent_with_role(start, role) if role else None) \
                or (self._pronoun_antecedent(start) if pronoun and kind is SpeakerKind.PER
                    else None) or self._antecedent(start, kind)
            if antecedent is not None:
                return Speaker(spans, text, antecedent.text, antecedent.entity_id, kind,
                               resolved=True)
        return Speaker(spans, text, self._plain_name(tokens, start), None, kind)

    def refers_to_someone(self, phrase: Phrase) -> bool:
        """The phrase holds a name, a pronoun or a role noun (no side effect on the speakers
        seen so far, unlike `speaker`)."""
        tokens = self.layout.tokens[phrase.first:phrase.last]
        if self._mentions_within(tokens[0].start, tokens[-1].end):
            return True
        return self._referring_kind(tokens) is not None

    def names_someone(self, speaker: Speaker) -> bool:
        """The speaker's own phrase holds a mention (a name found by NER or by capitals)."""
        if not speaker.spans:
            return False
        start, end = speaker.spans[0]
        return bool(self._mentions_within(start, end))

    def mentions_within(self, start: int, end: int) -> bool:
        """A mention (NER or capitalised name) lies inside ``[start, end)``."""
        return bool(self._mentions_within(start, end))

    def first_mention(self, start: int, end: int) -> Speaker | None:
        """The first mention in ``[start, end)`` outside quoted content, as a speaker."""
        for mention in self._mentions_within(start, end):
            if not self._in_quote(mention):
                return Speaker(((mention.start, mention.end),), mention.text, mention.text,
                               mention.entity_id, mention.kind)
        return None

    def implicit(self, position: int) -> Speaker | None:
        """The speaker of a verb with no subject (pro-drop: "explicó a los periodistas")."""
        antecedent = self._last_speaker(position) or self._antecedent(position, SpeakerKind.PER)
        if antecedent is None:
            return None
        return Speaker((), "", antecedent.text, antecedent.entity_id, SpeakerKind.PER,
                       resolved=True)

    def _named_right_after(self, end: int, kind: SpeakerKind) -> Mention | None:
        """A mention of ``kind`` that names the role just before it, in the same clause."""
        i = bisect.bisect_left(self._starts, end)
        while i < len(self.mentions):
            mention = self.mentions[i]
            between = self.layout.text[end:mention.start]
            if len(between) > MAX_ROLE_TO_NAME_CHARS or any(c in between for c in ".,;:!?()\n"):
                return None
            if mention.kind is kind:
                return mention
            i += 1
        return None

    def _acronym_after(self, i: int) -> str | None:
        tokens = self.layout.tokens
        if i + 2 < len(tokens) and tokens[i].text == "(" and tokens[i + 2].text == ")":
            word = tokens[i + 1].text
            if len(word) >= 2 and word.isupper():
                return word
        return None

    def _plain_name(self, tokens: list[Token], start: int) -> str:
        words = [t for t in tokens if t.is_word]
        while len(words) > 1 and (words[0].lower in self.lexicon.determiners
                                  or self.lexicon.role_kind(words[0].text) is not None):
            words = words[1:]
        if not words:
            return self.layout.text[tokens[0].start:tokens[-1].end]
        if not self.lexicon.cased and len(words) > 3:
            words = words[-2:]  # no capitals to find the name by: it ends the phrase
        name = self.layout.text[words[0].start:words[-1].end]
        name = self.lexicon.strip_elision(name)
        if len(words) == 1:
            fuller = self._mention_containing(name, start)
            if fuller is not None:
                return fuller.text
        return name

    def _mention_containing(self, word: str, before: int) -> Mention | None:
        i = bisect.bisect_left(self._starts, before) - 1
        while i >= 0:
            mention = self.mentions[i]
            if word in mention.text.split() and mention.text != word:
                return mention
            i -= 1
        return None

    def _mentions_within(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._starts, start)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                found.append(self.mentions[i])
            i += 1
        return found

    def _referring_kind(self, tokens: list[Token]) -> SpeakerKind | None:
        """PER/ORG if the phrase is a pronoun or a role noun with at most lower-case modifiers."""
        if len(tokens) == 1 and tokens[0].lower in self.lexicon.pronouns:
            return self.lexicon.pronouns[tokens[0].lower].kind
        if len(tokens) == 1 and self.lexicon.enclitic_subject(tokens[0].text):
            return SpeakerKind.PER
        words = [t for t in tokens if t.is_word and t.lower not in self.lexicon.determiners]
        if not words or len(words) > 3:
            return None
        if len(words) > 1 and self.lexicon.role_kind(words[0].text) is SpeakerKind.PER \
                and not self._mentions_within(words[1].start, words[-1].end):
            return SpeakerKind.PER  # "пресс-секретарь Кремля": the head comes first
        kind = self.lexicon.role_kind(words[-1].text)
        if kind is None and len(words) == 1 and len(words) < len(tokens):
            return SpeakerKind.PER  # a definite description: "de regisseur", "la cineasta"
        if kind is None:
            return None
        if any(self.lexicon.is_capitalised(t.text) and self.lexicon.role_kind(t.text) is None
               for t in words[:-1]) and self.lexicon.cased:
            return None  # "A Twitter spokesman": named by what it belongs to
        return kind

    def _pronoun_antecedent(self, before: int) -> Mention | None:
        """A personal pronoun refers to the last speaker unless a person was named (outside
        quotes) since that speaker spoke; then to that person."""
        speaker = self._last_speaker(before)
        mention = self._antecedent(before, SpeakerKind.PER)
        if speaker is None or (mention is not None and mention.start > speaker.end + 1):
            return mention
        return speaker

    def _last_speaker(self, before: int) -> Mention | None:
        """The last named speaker in this or the two paragraphs before: a verb with no subject
        goes on with whoever was being quoted ("– … – powiedział po spotkaniu.")."""
        earlier = [m for m in self._speakers if m.end <= before]
        if not earlier:
            return None
        paragraph = self.layout.paragraph_of
        return earlier[-1] if paragraph(before) - paragraph(earlier[-1].start) <= 2 else None

    def _antecedent_with_role(self, before: int, role: str) -> Mention | None:
        """The latest person introduced with the same role ("Energiminister Terje Aasland" for
        "statsråden", when the lexicon groups the two words)."""
        i = bisect.bisect_left(self._starts, before) - 1
        while i >= 0:
            mention = self.mentions[i]
            if mention.kind is SpeakerKind.PER and mention.end <= before:
                k = self.layout.token_index(mention.start) - 1
                if k >= 0 and self.lexicon.role_stem(self.layout.tokens[k].text) == role:
                    return mention
            i -= 1
        return None

    def _antecedent(self, before: int, kind: SpeakerKind) -> Mention | None:
        """The latest mention of ``kind`` before ``before`` that is not inside a quote."""
        i = bisect.bisect_left(self._starts, before) - 1
        while i >= 0:
            mention = self.mentions[i]
            if mention.kind is kind and mention.end <= before and not self._in_quote(mention):
                return mention
            i -= 1
        return None

    def _in_quote(self, mention: Mention) -> bool:
        return any(a <= mention.start and mention.end <= b for a, b in self._quoted)
