"""Cues: the words that signal reported speech — speech verbs and according-to phrases.

A cue is looked for only outside quoted stretches (a verb inside a quotation is
part of what was said), and never in a capitalised word inside a sentence: that is
a noun in German ("die Beschuldigte") and a name elsewhere ("State Department"),
except in a title-cased headline of a language that writes them (``title_case``).
A separable verb's finite form counts only when its
particle follows in the same clause ("teilte … mit", "pointed … out").
Languages written without spaces (Chinese, Japanese) are matched by substring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .layout import Layout, Sentence, Token
from .lexicon import GAP, MAX_GAP_WORDS, NOUN, AccordingTo, Lexicon, Position

CLAUSE_ENDS = frozenset(",;:–—()[]")
"""Punctuation tokens that end a clause for cue purposes (plus sentence ends and quotes)."""
MAX_PARTICLE_DISTANCE = 12
"""Tokens between a separable verb and its particle ("teilte die Polizei am Montag mit")."""


TITLE_WORD_LETTERS = 4
MIN_TITLE_WORDS = 4
TITLE_CAPITALISED_SHARE = 0.9
"""Title case (lexicon ``title_case``): this share of the words with `TITLE_WORD_LETTERS`
letters or more is capitalised, and there are at least `MIN_TITLE_WORDS` of them."""


class CueKind(StrEnum):
    """What kind of word signals the speech."""

    VERB = "verb"
    ACCORDING = "according"


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue in a sentence: token indices into `Layout.tokens` (``last`` exclusive)."""

    kind: CueKind
    first: int
    last: int
    lemma: str
    position: Position | None = None
    particle: int | None = None

    def token_indices(self) -> tuple[int, ...]:
        """The tokens that make up the cue (a particle adds one away from the verb)."""
        indices = tuple(range(self.first, self.last))
        return indices + ((self.particle,) if self.particle is not None else ())


def find_cues(layout: Layout, sentence: Sentence, lexicon: Lexicon) -> list[Cue]:
    """Speech verbs and according-to phrases of ``sentence``, left to right, outside quotes."""
    tokens = layout.tokens
    found: list[Cue] = []

    def titled() -> bool:  # asked only for a capitalised verb form inside the sentence
        return lexicon.title_case and _title_cased(tokens[sentence.first_token:sentence.last_token])

    i = sentence.first_token
    while i < sentence.last_token:
        token = tokens[i]
        if (lexicon.spaced and not lexicon.may_start_cue(token.lower)) or not token.is_word \
                or layout.outer_stretch_at(token.start) is not None:
            i += 1
            continue
        if lexicon.spaced:
            cue = _according_at(layout, i, sentence.last_token, lexicon) or _verb_at(
                layout, i, sentence.last_token, lexicon, sentence.first_token, titled=titled)
        else:
            cue = _unspaced_at(layout, i, sentence.last_token, lexicon)
        if cue is None:
            i += 1
            continue
        found.append(cue)
        i = cue.last
    return found


def _title_cased(tokens: list[Token]) -> bool:
    """A headline in title case ("Bellwether County Says Trump Should Win"): nearly every
    word of four letters or more is capitalised, so capitals do not mark names there."""
    long_words = [t.text for t in tokens if t.is_word and len(t.text) >= TITLE_WORD_LETTERS]
    if len(long_words) < MIN_TITLE_WORDS:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised >= TITLE_CAPITALISED_SHARE * len(long_words)


def _unspaced_at(layout: Layout, i: int, stop: int, lexicon: Lexicon) -> Cue | None:
    """A verb form or according-to phrase written into the running text at token ``i``."""
    start = layout.tokens[i].start
    for entry in lexicon.according:
        if layout.text.startswith(entry.phrase, start):
            last = layout.token_index(start + len(entry.phrase))
            if last <= stop:
                return Cue(CueKind.ACCORDING, i, last, entry.phrase, position=entry.position)
    for form in lexicon.forms_starting(layout.tokens[i].text[:1]):
        if layout.text.startswith(form, start):
            last = layout.token_index(start + len(form))
            if last <= stop and layout.tokens[last - 1].end == start + len(form):
                return Cue(CueKind.VERB, i, last, lexicon.verbs[form][0].lemma)
    return None


def _verb_at(layout: Layout, i: int, stop: int, lexicon: Lexicon,
             sentence_start: int = -1, *,
             titled: Callable[[], bool] = lambda: False) -> Cue | None:
    text = layout.tokens[i].text
    forms = lexicon.verb_forms(text)
    if not forms or (lexicon.cased and text[0].isupper() and i != sentence_start
                     and not titled()):
        return None
    if lexicon.cased and text[0].isupper() and _postposition_follows(layout, i + 1, stop, lexicon):
        return None  # "Berichten zufolge …": a noun that an according-to word governs
    if _after_determiner(layout.tokens, i, sentence_start, lexicon):
        return None  # train F1 de 0.7175 → 0.7177, en 0.5429 → 0.5435 (speaker 0.803 → 0.810)
    plain = next((f for f in forms if f.particle is None), None)
    if plain is not None:
        return Cue(CueKind.VERB, i, i + 1, plain.lemma)
    for form in forms:
        particle = _find_particle(layout.tokens, i + 1, stop, form.particle or "", lexicon)
        if particle is not None:
            return Cue(CueKind.VERB, i, i + 1, form.lemma, particle=particle)
    for form in forms:
        if _spaced_particle_before(layout.tokens, i, stop, form.particle or "", lexicon):
            return Cue(CueKind.VERB, i - 1, i + 1, form.lemma)
    return None


def _spaced_particle_before(tokens: list[Token], i: int, stop: int, particle: str,
                            lexicon: Lexicon) -> bool:
    """A verb-final clause with the particle written apart before the verb ("wie der Verband
    bekannt gab, …", "…, hatte er bekannt gegeben"): the verb ends the clause or an
    auxiliary follows it."""
    if not particle or i == 0 or tokens[i - 1].lower != particle:
        return False
    after = tokens[i + 1] if i + 1 < stop else None
    return after is None or not after.is_word or after.lower in lexicon.auxiliaries


def _after_determiner(tokens: list[Token], i: int, sentence_start: int, lexicon: Lexicon) -> bool:
    """A verb form right after a determiner is a noun: "le prévenu", "the report", "their
    support". Words that also open relative clauses ("that", "die"), stand for a statement
    ("Det sier Støre") or stand alone as a subject ("Many said …", "One in three said …";
    lexicon ``pronominal_determiners``) do not count."""
    k = i - 1
    if k < sentence_start:
        return False
    lower = tokens[k].lower
    return lower in lexicon.determiners and not (
        lower in lexicon.complementizers or lower in lexicon.clause_openers
        or lower in lexicon.pronouns or lower in lexicon.anaphors
        or lower in lexicon.pronominal_determiners)


def _postposition_follows(layout: Layout, i: int, stop: int, lexicon: Lexicon) -> bool:
    """Token ``i`` opens an according-to phrase that follows its source ("zufolge", "nach")."""
    if i >= stop:
        return False
    return any(entry.position is Position.AFTER and entry.words[0] != NOUN
               and _match_words(layout.tokens, i, stop, entry, lexicon) is not None
               for entry in lexicon.according_starting(layout.tokens[i].lower))


def _find_particle(tokens: list[Token], start: int, stop: int, particle: str,
                   lexicon: Lexicon) -> int | None:
    """The particle later in the clause, ending it ("teilte … mit, dass") or before "that".

    A short bracket ("(HRW)") and a name in commas ("teilte der Sprecher, Jan Ott, mit")
    stand inside the clause; their tokens do not count towards `MAX_PARTICLE_DISTANCE`.
    """
    j, counted = start, 0
    while j < stop and counted < MAX_PARTICLE_DISTANCE:
        text = tokens[j].text
        inserted = _inserted_end(tokens, j, stop, particle, lexicon)
        if inserted is not None:
            j = inserted
            continue
        if text in CLAUSE_ENDS or text in ".!?":
            return None
        if tokens[j].lower == particle:
            after = tokens[j + 1] if j + 1 < stop else None
            if after is None or not after.is_word or after.lower in lexicon.complementizers:
                return j
        j += 1
        counted += 1
    return None


MAX_INSERTED_TOKENS = 6
"""Tokens of a bracket or a name in commas inside a separable verb's clause."""


def _inserted_end(tokens: list[Token], j: int, stop: int, particle: str,
                  lexicon: Lexicon) -> int | None:
    """The token after a short bracket opening at ``j`` ("(HRW)"), or after a name in commas
    opening at ``j`` that the particle follows (", Jan Ott, mit"); else None."""
    text = tokens[j].text
    if text not in "(,":
        return None
    closing = ")" if text == "(" else ","
    for k in range(j + 1, min(stop, j + 2 + MAX_INSERTED_TOKENS)):
        inner = tokens[k].text
        if inner == closing and k > j + 1:
            if closing == ")":
                return k + 1
            return k + 1 if k + 1 < stop and tokens[k + 1].lower == particle else None
        if inner in CLAUSE_ENDS or inner in ".!?" or (
                closing == "," and not (tokens[k].is_word and lexicon.is_capitalised(inner))):
            return None
    return None


def _according_at(layout: Layout, i: int, stop: int, lexicon: Lexicon) -> Cue | None:
    for entry in lexicon.according_starting(layout.tokens[i].lower):
        end = _match_words(layout.tokens, i, stop, entry, lexicon)
        if end is not None:
            return Cue(CueKind.ACCORDING, i, end, entry.phrase, position=entry.position)
    return None


def _match_words(tokens: list[Token], i: int, stop: int, entry: AccordingTo,
                 lexicon: Lexicon) -> int | None:
    """Token index after ``entry``'s words matched from ``i``, or None."""
    return _match_from(tokens, i, stop, entry.words, 0, lexicon)


def _match_from(tokens: list[Token], i: int, stop: int, words: tuple[str, ...], w: int,
                lexicon: Lexicon) -> int | None:
    if w == len(words):
        return i
    word = words[w]
    if word == GAP:
        for skip in range(MAX_GAP_WORDS + 1):
            if i + skip > stop or any(not t.is_word for t in tokens[i:i + skip]):
                break
            end = _match_from(tokens, i + skip, stop, words, w + 1, lexicon)
            if end is not None:
                return end
        return None
    if i >= stop:
        return None
    lower = tokens[i].lower
    if w == 0 and lexicon.prefixes and lower != word:
        lower = next((lower[len(p):] for p in lexicon.prefixes
                      if lower.startswith(p) and lower[len(p):] == word), lower)  # "وبحسب"
    if word == NOUN:
        if lexicon.according_nouns and lower.endswith(lexicon.according_nouns):
            return _match_from(tokens, i + 1, stop, words, w + 1, lexicon)
        return None
    if lower == word:
        return _match_from(tokens, i + 1, stop, words, w + 1, lexicon)
    return None
