"""Reported speech that goes on without a cue: sentences in the reported mood.

German news reports a statement over several sentences in Konjunktiv I, naming
the speaker only once: „Die Feuerwehr gibt an, es gebe keine Verletzten. Die
Ursache sei noch unklar.“ The second sentence is still the fire brigade's. A
sentence with a reported-mood verb form (the lexicon's ``reported_mood``, or a
reportative modal with a perfect infinitive: "Er soll Geld veruntreut haben.")
continues the quote right before it (a reportative modal with a plain infinitive only
right after it, in its paragraph) (at most `MAX_GAP_SENTENCES` between);
with no quote there, it reports the subject of the sentence before ("Dekan
Berg sieht den Rechtsstreit gelassen. Von den Vorwürfen habe man nichts
gewusst."). A sentence whose narrative clause leads to the reported one by a
comma („X hegt den Verdacht, Y könnte …“) is a quote of its own, by that
clause's subject (`own_clause_content`; de train F1 0.7218 → 0.7246, speaker
0.7932 → 0.7991; merging the sentences after it into it: 0.7241). Consecutive
such sentences of one paragraph form one quote, as annotators group them
(across a paragraph break they are two: train F1 0.7116 → 0.7132 on
de-wikinews-train; not merging at all: 0.7079).
"""

from __future__ import annotations

from ..record import Span
from .candidates import Candidate, token_span, trimmed
from .layout import Layout, Sentence
from .lexicon import Lexicon
from .speakers import Phrase, PhraseReader, clause_subject, inverted_subject

CONTINUED_RULES = frozenset({"reported-continuation", "reported-free"})
"""Quotes that a reported-mood sentence right after them, in their paragraph, extends: consecutive
such sentences are one quote, as annotators group them (merging after `free_reported_sentence`
too: de train F1 0.7692 → 0.7699)."""
MAX_GAP_SENTENCES = 1
"""Sentences between the quote and its reported-mood continuation (0 = right after)."""


def reported_continuation(layout: Layout, lexicon: Lexicon, reader: PhraseReader, index: int,
                          previous: Candidate | None) -> Candidate | None:
    """A continuation for sentence ``index``, or None.

    Returns ``previous`` itself, extended, when it is already a continuation
    ending in the sentence before.
    """
    if not lexicon.reported_mood:
        return None
    sentence = layout.sentences[index]
    if not in_reported_mood(layout, lexicon, sentence) and not (
            _reportative_modal(layout, lexicon, sentence)
            and _right_after(layout, index, previous)) \
            and not _shaped_reported_main_clause(reader, sentence):
        return None
    own = own_clause_content(layout, lexicon, reader, sentence)
    if own is not None:
        return Candidate([own[0]], "reported-own-clause", index, subject=own[1],
                         confidence=0.5)
    span = trimmed(layout, sentence.start, sentence.end)
    if span is None:
        return None
    recent = previous is not None and index - previous.sentence <= MAX_GAP_SENTENCES + 1
    comma = _first_comma(layout, sentence)
    late = _reported_only_after(layout, lexicon, sentence, comma)
    if late:
        span = trimmed(layout, layout.tokens[comma + 1].start, sentence.end) or span
        subject = clause_subject(reader, sentence.first_token, comma) \
            or inverted_subject(reader, sentence.first_token, comma)
        if subject is not None:
            return Candidate([span], "reported-continuation", index, subject=subject,
                             confidence=0.5)
    if recent and previous is not None and previous.rule in CONTINUED_RULES \
            and previous.sentence == index - 1 and not late \
            and layout.sentences[index - 1].paragraph == sentence.paragraph:
        previous.spans = [(previous.spans[0][0], span[1])]
        previous.sentence = index
        return previous
    if recent and previous is not None and previous.speaker is not None:
        return Candidate([span], "reported-continuation", index, speaker=previous.speaker,
                         confidence=0.5)
    if index == 0:
        return None
    before = layout.sentences[index - 1]
    subject = clause_subject(reader, before.first_token, before.last_token)
    if subject is None or layout.outer_stretches_within(before.start, before.end):
        return None
    return Candidate([span], "reported-continuation", index, subject=subject, confidence=0.4)


def free_reported_sentence(layout: Layout, lexicon: Lexicon, index: int) -> Candidate | None:
    """A sentence whose verb is a Konjunktiv I form that only reported speech uses (lexicon
    ``free_reported_mood``: „Der Lohn liege unter dem Tarif.“, „Das könne zum Problem
    werden.“), though no quote and no source stands before it: German press style reports a
    statement so, naming the source in a sentence nearby or not at all (Wikinews
    FreeIndirect). Konjunktiv II forms („wäre“, „hätte“, „würde“) are left out, because
    narration uses them for conditionals, and so are sentences with a first-person pronoun
    („ich habe“ is indicative). The caller chooses the speaker. de train F1 0.7622 → 0.7699
    (better in all 5 document folds), speaker 0.8415 → 0.8307: most of these
    sentences' speakers are not found."""
    if not lexicon.free_reported_mood:
        return None
    sentence = layout.sentences[index]
    words = [t.lower for t in layout.tokens[sentence.first_token:sentence.last_token]
             if t.is_word and layout.outer_stretch_at(t.start) is None]
    if not any(w in lexicon.free_reported_mood for w in words) \
            or any(w in lexicon.first_person_pronouns for w in words):
        return None
    span = trimmed(layout, sentence.start, sentence.end)
    if span is None:
        return None
    return Candidate([span], "reported-free", index, confidence=0.3)


MAX_SUBJECT_LEAD_TOKENS = 5
"""Determiner and adjectives before a subject noun ("die noch zu schaffende Verfassung")."""


def reported_after_subject(reader: PhraseReader, j: int, s1: int) -> bool:
    """The clause from ``j`` is a subject followed by a verb in the reported mood ("…,
    ihr Land unterstütze …", "…, er freue sich …", "…, die noch zu schaffende Verfassung
    werde …"): a main clause in Konjunktiv I, what was said. A relative clause puts its
    verb last, so a reported form right after the first noun does not occur there."""
    lexicon, tokens = reader.lexicon, reader.tokens
    if not lexicon.reported_mood_endings:
        return False
    k = j
    if tokens[k].lower not in lexicon.pronouns or reader.opens_phrase(k, s1):
        k = next((x for x in range(j, min(s1, j + MAX_SUBJECT_LEAD_TOKENS + 1))
                  if tokens[x].is_word and lexicon.is_capitalised(tokens[x].text)
                  and tokens[x].lower not in lexicon.determiners), s1)
        if k >= s1 or (k > j and not all(t.is_word for t in tokens[j:k])):
            return False
        while k + 1 < s1 and lexicon.is_capitalised(tokens[k + 1].text):
            k += 1  # a name of several words ("Ken Rice")
    k += 1
    if k < s1 and tokens[k].is_word and lexicon.is_reported_form(tokens[k].text):
        return True
    return _reported_verb_not_last(reader, k, s1)


def _reported_verb_not_last(reader: PhraseReader, j: int, s1: int) -> bool:
    """A listed reported-mood form with words after it in its clause: a verb-second main
    clause („…, die grundsätzliche Kritik an X müsse hingenommen werden“); a relative clause
    puts its finite verb last („…, die X hinnehmen müsse,“)."""
    tokens, lexicon = reader.tokens, reader.lexicon
    for k in range(j, s1):
        token = tokens[k]
        if not token.is_word:
            return False  # the clause ends at a comma or other mark
        if token.lower in lexicon.reported_mood:
            return k + 1 < s1 and tokens[k + 1].is_word
    return False


def _reportative_modal(layout: Layout, lexicon: Lexicon, sentence: Sentence) -> bool:
    """A reportative modal with a plain infinitive outside quotes ("Der Bus soll um acht Uhr
    fahren."): reported only right after a quote (`_right_after`); alone it is as often the
    narrator's plan or rumour (de train: F1 0.7434 → 0.7417 when it also followed a
    narrative sentence)."""
    return any(t.is_word and t.lower in lexicon.reportative_modals
               and layout.outer_stretch_at(t.start) is None
               for t in layout.tokens[sentence.first_token:sentence.last_token])


def _right_after(layout: Layout, index: int, previous: Candidate | None) -> bool:
    """The quote before ends in the sentence right before, in the same paragraph."""
    return previous is not None and previous.sentence == index - 1 and index > 0 \
        and layout.sentences[index - 1].paragraph == layout.sentences[index].paragraph


def _shaped_reported_main_clause(reader: PhraseReader, sentence: Sentence) -> bool:
    """„Der Wert basiere auf …“, „Jedoch ruhe die Mitgliedschaft …“: the sentence's verb,
    second, is an unlisted Konjunktiv-shaped form (`Lexicon.is_reported_form`; stem + -e,
    not -te) right after a determiner and noun, or after an opening adverb and before a
    determiner (the inverted subject). In that place it can only be Konjunktiv I, so the
    sentence goes on with reported speech like one with a listed form (only these two tight
    shapes: any subject before such a form, `reported_after_subject`, took narration too:
    de train F1 0.7860 → 0.7835)."""
    tokens, lexicon = reader.tokens, reader.lexicon
    first, last = sentence.first_token, sentence.last_token
    if last - first < 4 or not lexicon.reported_mood_endings:
        return False
    if tokens[first].lower in lexicon.adverbs and tokens[first].lower not in lexicon.auxiliaries \
            and lexicon.is_reported_form(tokens[first + 1].text) \
            and tokens[first + 2].lower in lexicon.determiners:
        return True
    return tokens[first].lower in lexicon.determiners \
        and lexicon.is_capitalised(tokens[first + 1].text) \
        and lexicon.is_reported_form(tokens[first + 2].text)


def in_reported_mood(layout: Layout, lexicon: Lexicon, sentence: Sentence) -> bool:
    """A reported-mood form outside quotes, or a reportative modal with a perfect infinitive."""
    words = [t for t in layout.tokens[sentence.first_token:sentence.last_token]
             if t.is_word and layout.outer_stretch_at(t.start) is None]
    if any(t.lower in lexicon.reported_mood for t in words):
        return True
    return bool(words) and any(t.lower in lexicon.reportative_modals for t in words) \
        and words[-1].lower in lexicon.perfect_infinitive_ends


def own_clause_content(layout: Layout, lexicon: Lexicon, reader: PhraseReader,
                       sentence: Sentence) -> tuple[Span, Phrase] | None:
    """A narrative clause, a comma, then the reported clause: „Die Staatsanwaltschaft hegt den
    Verdacht, X könnte …“, „Y ist der Ansicht, dass … führe“ (a noun of saying, no verb
    cue). The reported clause after the first comma is the content and the narrative
    clause's subject the speaker, not the previous quote's (Wikinews annotates it so). An
    opener of a relative or adverbial clause right before a reported-mood verb („…, damit
    solle …“) fronts a verb-second main clause: that clause is reported.

    Not when the first clause has a reportative modal („X soll gesagt haben, …“: that clause
    is a claim too) or the sentence opens with a finite auxiliary („Sollte …, würde …“,
    „Hätte …, wäre …“: a conditional clause, not a narrator's main clause): de train F1
    0.7746 → 0.7757 (session 10, 088634f; 3 folds better, 2 equal)."""
    tokens = layout.tokens
    first, last = sentence.first_token, sentence.last_token
    comma = next((i for i in range(first + 2, last - 2) if tokens[i].text == ","
                  and layout.outer_stretch_at(tokens[i].start) is None), None)
    if comma is None:
        return None
    if any(t.lower in lexicon.reported_mood or t.lower in lexicon.reportative_modals
           for t in tokens[first:comma]) or tokens[first].lower in lexicon.auxiliaries \
            or _fronted_clause(layout, lexicon, comma):
        return None  # the first clause is reported or conditional itself: see the docstring
    opener = tokens[comma + 1].lower
    if opener not in lexicon.complementizers and _narrative_opener(lexicon, opener) \
            and tokens[comma + 2].lower not in lexicon.reported_mood:
        return None  # a relative or adverbial clause („…, die … sei“, „…, falls …“)
    subject = clause_subject(reader, first, comma)
    span = token_span(layout, comma + 1, last)
    if subject is None or span is None:
        return None  # refusing appositions too („Der Experte, X, …“) lost recall: 0.7237
    return span, subject


def _narrative_opener(lexicon: Lexicon, word: str) -> bool:
    """A word opening a clause that is the narrator's, not a reported complement."""
    return word in lexicon.clause_openers or word in lexicon.coordinators \
        or word in lexicon.prepositions or word in lexicon.conjunctions



def _fronted_clause(layout: Layout, lexicon: Lexicon, comma: int) -> bool:
    """A Konjunktiv I verb right after the first comma: in a verb-second language the clause
    before it is the sentence's first constituent („Da der Strom ausfiel, sei die Turbine …“,
    „Nachdem er … verfolgt hat, habe er …“), not a narrator's main clause, so the whole
    sentence is one reported main clause. Not Konjunktiv II („Verläuft der Test gut, würde
    …“: the narrator's conditional; with it de train F1 0.7759 → 0.7763 but one fold −0.0011)."""
    tokens = layout.tokens
    following = tokens[comma + 1]
    if not lexicon.verb_second or not following.is_word:
        return False
    if following.lower in lexicon.free_reported_mood:
        return True
    return following.lower in lexicon.clause_openers and _reported_after_inserted(
        layout, lexicon, comma)


def _reported_after_inserted(layout: Layout, lexicon: Lexicon, comma: int) -> bool:
    """„Die Straßen, die dafür genutzt werden sollten, müssten …“: the first comma opens a
    relative clause inside the first constituent; a reported-mood verb right after its
    closing comma is the sentence's finite verb (any reported-mood form: a conditional does
    not open so). de train F1 0.7807 → 0.7811, speaker 0.8285 → 0.8306 (the relative clause
    had been a quote of its own, by the noun before it; no fold worse)."""
    tokens = layout.tokens
    closing = next((k for k in range(comma + 2, len(tokens) - 1) if tokens[k].text in ",.;:"),
                   None)
    return closing is not None and tokens[closing].text == "," \
        and tokens[closing + 1].lower in lexicon.reported_mood


def _first_comma(layout: Layout, sentence: Sentence) -> int:
    """The first comma of the sentence outside quotes, else its last token."""
    tokens = layout.tokens
    return next((i for i in range(sentence.first_token, sentence.last_token)
                 if tokens[i].text == "," and layout.outer_stretch_at(tokens[i].start) is None),
                sentence.last_token)


def _reported_only_after(layout: Layout, lexicon: Lexicon, sentence: Sentence,
                         comma: int) -> bool:
    """„Vertreter der Verbände erwarten keine Entscheidung, weil die Abgeordneten keinen
    Antrag gestellt hätten.“: the clause before the first comma has no reported-mood form
    (nor a reportative modal), so it is the narrator's main clause and only the clauses after
    the comma are reported. Annotators mark those as a quote of their own, by the main
    clause's subject, not as more of the quote before (de train F1 0.7699 → 0.7733, better
    in all 5 document folds; speaker accuracy 0.8307 → 0.8274, with as many speakers right
    as before and 9 more quotes found; only after a recent quote: 0.7721)."""
    if comma >= sentence.last_token - 1 or _fronted_clause(layout, lexicon, comma):
        return False
    return not any(t.is_word and layout.outer_stretch_at(t.start) is None
                   and (t.lower in lexicon.reported_mood or t.lower in lexicon.reportative_modals)
                   for t in layout.tokens[sentence.first_token:comma])
