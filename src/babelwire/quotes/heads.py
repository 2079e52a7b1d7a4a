"""Complement clauses of nouns and adjectives of saying and believing.

PolNeAR annotates "the claim that …", "is convinced that …", "made clear that …"
as attributions, though no speech verb stands there. A complementiser right
after a word of the lexicon's ``complement_heads`` opens the content (to the
sentence end); the subject before the head (as a verb's, else the sentence's
first phrase) is the source. Only where no cue of the sentence covers the
complementiser already. On en train: F1 0.5819 → 0.5837, speaker 0.8310 →
0.8292 (the new quotes' sources are right half of the time).

German puts a comma before the clause and often an expletive object before a
predicative adjective: „X hält es für möglich, dass …“ (`predicative_complements`;
de train F1 0.7787 → 0.7800, six quotes, all right, every document fold better).
A noun of demanding or proposing takes its content as a zu-infinitive after the comma: „die
Forderung des Vorsitzenden, auf die SPD zuzugehen“ (`infinitive_complements`).
"""

from __future__ import annotations

from ..record import Span
from .candidates import Candidate, token_span
from .layout import Layout, Sentence
from .lexicon import Lexicon
from .speakers import Phrase, PhraseReader, clause_subject, subject_of_verb


def head_complements(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                     sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """A candidate for each complement clause of a listed head outside ``taken`` spans."""
    if not lexicon.complement_heads:
        return []
    tokens = layout.tokens
    found: list[Candidate] = []
    for i in range(sentence.first_token + 1, sentence.last_token - 2):
        token = tokens[i]
        if tokens[i - 1].lower not in lexicon.complement_heads \
                or not lexicon.is_complementizer(token.text) \
                or layout.outer_stretch_at(token.start) is not None \
                or any(s <= token.start < e for s, e in taken):
            continue
        span = token_span(layout, i, sentence.last_token)
        if span is None:
            continue
        subject = subject_of_verb(reader, i - 1, sentence.first_token, i, i) \
            or clause_subject(reader, sentence.first_token, i - 1)
        found.append(Candidate([span], "head-complement", index, subject=subject,
                               confidence=0.4))
        break  # the rest of the sentence is this content
    return found


MAX_PREDICATIVE_TOKENS = 3
"""Tokens from the predicative word to the comma: „für möglich“, „als erwiesen an“."""


def predicative_complements(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                            sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """„Beobachter halten es für unwahrscheinlich, dass …“: a judgement of the subject's,
    its content the clause after the comma (lexicon ``expletive_objects`` and
    ``predicative_words``; no speech verb is needed). The expletive must stand after the
    first word, where it is an object: „Es ist wahrscheinlich, dass …“ is the narrator's."""
    if not lexicon.expletive_objects or not lexicon.predicative_words:
        return []
    tokens, first = layout.tokens, sentence.first_token
    for comma in range(first + 3, sentence.last_token - 2):
        complementizer = tokens[comma + 1]
        if tokens[comma].text != "," or not lexicon.is_complementizer(complementizer.text) \
                or layout.outer_stretch_at(complementizer.start) is not None \
                or any(s <= complementizer.start < e for s, e in taken):
            continue
        head = _predicative_head(layout, lexicon, first, comma)
        if head is None:
            return []
        span = token_span(layout, comma + 1, sentence.last_token)
        subject = clause_subject(reader, first, head)
        if span is None or subject is None:
            return []
        return [Candidate([span], "head-predicative", index, subject=subject, confidence=0.4)]
    return []


def _predicative_head(layout: Layout, lexicon: Lexicon, first: int, comma: int) -> int | None:
    """The expletive object of „… es … für möglich,“ ending at ``comma``, or None."""
    tokens = layout.tokens
    word = next((k for k in range(comma - 1, max(first, comma - MAX_PREDICATIVE_TOKENS) - 1, -1)
                 if tokens[k].lower in lexicon.predicative_words), None)
    if word is None or not all(t.is_word and t.text[:1].islower()
                               for t in tokens[word + 1:comma]) or word + 1 == comma:
        return None
    return next((k for k in range(first + 1, word) if tokens[k].lower in lexicon.expletive_objects
                 and tokens[k].text[:1].islower()), None)


MAX_HEAD_TOKENS = 8
"""Tokens from the head noun to the comma: „die Forderung des CSU-Vorsitzenden Edmund Stoiber,“."""


def infinitive_complements(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                           sentence: Sentence, taken: list[Span]) -> list[Candidate]:
    """„Dem Appell der Polizei, sich zu stellen, …“: a noun of demanding, proposing or
    announcing (lexicon ``infinitive_heads``) before a comma, and a clause after it that ends
    in a zu-infinitive (``infinitive_markers``): the infinitive clause is the noun's content,
    what was demanded or proposed (Duden: Infinitivgruppe als Attribut eines Substantivs; on
    de train 18 of 24 such unpredicted clauses are gold quotes). The source is the genitive
    or agent phrase after the noun („der Polizei“), else the clause's subject („Sie erteilten
    den Befehl, …“), else the noun itself („Ursprüngliche Pläne, …“)."""
    if not lexicon.infinitive_heads or not lexicon.infinitive_markers:
        return []
    tokens, first = layout.tokens, sentence.first_token
    found: list[Candidate] = []
    for comma in range(first + 1, sentence.last_token - 2):
        if tokens[comma].text != "," or layout.outer_stretch_at(tokens[comma + 1].start) \
                is not None or any(s <= tokens[comma + 1].start < e for s, e in taken):
            continue
        end = _infinitive_clause_end(layout, lexicon, comma + 1, sentence.last_token)
        head = _infinitive_head(layout, lexicon, first, comma) if end is not None else None
        span = token_span(layout, comma + 1, end) if end is not None else None
        if head is None or span is None:
            continue
        found.append(Candidate([span], "head-infinitive", index,
                               subject=_head_source(reader, first, head, comma), confidence=0.4))
    return found


def _infinitive_clause_end(layout: Layout, lexicon: Lexicon, start: int, s1: int) -> int | None:
    """The end of the clause at ``start`` (its first mark) when it ends in „zu“ + infinitive
    or an infinitive with „zu“ inside („einzuführen“); None for another clause, or one that an
    adverbial opener starts („um … zu“: a purpose, the narrator's) or a conjunction."""
    tokens = layout.tokens
    opener = tokens[start].lower
    if (opener in lexicon.clause_openers and opener not in lexicon.determiners) \
            or opener in lexicon.conjunctions or lexicon.verb_forms(tokens[start].text):
        return None
    end = next((k for k in range(start, s1) if not tokens[k].is_word), s1)
    if end - start < 2:
        return None
    last = tokens[end - 1].lower
    if tokens[end - 2].lower in lexicon.infinitive_markers \
            or any(m in last[2:-2] for m in lexicon.infinitive_markers) and last.endswith("en"):
        return end
    return None


def _infinitive_head(layout: Layout, lexicon: Lexicon, first: int, comma: int) -> int | None:
    """A listed capitalised noun right before ``comma``, or before a genitive or prepositional
    phrase that ends there („der Plan von Minister X,“); no mark between."""
    tokens = layout.tokens
    for j in range(comma - 1, max(first, comma - MAX_HEAD_TOKENS) - 1, -1):
        token = tokens[j]
        if not token.is_word:
            return None
        if token.lower in lexicon.infinitive_heads and lexicon.is_capitalised(token.text):
            after = tokens[j + 1].lower
            attached = j + 1 == comma or after in _genitive_openers(lexicon) \
                or after in lexicon.prepositions
            return j if attached else None
    return None


def _genitive_openers(lexicon: Lexicon) -> frozenset[str]:
    """Words that open a genitive after a noun: the lexicon's ``genitive_determiners``, else
    all its determiners (as `PhraseReader` reads a genitive)."""
    if lexicon.genitive_determiners is None:
        return lexicon.determiners
    return lexicon.genitive_determiners


def _head_source(reader: PhraseReader, first: int, head: int, comma: int) -> Phrase:
    """The genitive or agent phrase after the head noun, else the clause's subject before it,
    else the head noun's own phrase."""
    lexicon, after = reader.lexicon, head + 1
    if after < comma and reader.tokens[after].lower in _genitive_openers(lexicon):
        genitive = reader.after(after, comma)
        if genitive is not None:
            return genitive
    if after + 1 < comma and reader.tokens[after].lower in lexicon.agent_prepositions:
        agent = reader.after(after + 1, comma, modifiers=True)
        if agent is not None:
            return agent
    subject = clause_subject(reader, first, head)
    return subject if subject is not None else Phrase(head, head + 1)
