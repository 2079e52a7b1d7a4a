"""Tagging words and raw text with the NER head: features, head, constrained decoding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..encoder import Encoder
from .decode import LABELS, chunks, viterbi_iob2
from .features import WordFeatures, with_context
from .head import NerHead, load_head
from .words import RunSplitter, chinese_run_splitter, tokenizer_run_splitter, word_spans

PIECE_WORDS = 60
"""Longest piece a text is tagged in: a sentence, or a run-on one cut at this many words.

Why sentences: the head was trained on single sentences, and states of a word read in a
1,000-word piece differ from those it gets in its sentence. Measured on dev sentences
joined into 40-sentence documents (~1,080 tokens, 2026-12-01): Danish F1 0.758 tagged
whole, 0.827 in pieces cut at sentence ends (≤ 60 words), 0.836 one gold sentence at a
time; Norwegian (NorNE) 0.846 / 0.887 / 0.898. Pieces also need no overlapping windows."""
CALL_WORDS = 4000
"""Words per encoder call: bounds the token states held at once to a few tens of MB."""
SENTENCE_ENDS = frozenset({".", "!", "?", "…", "。", "！", "？", "؟", "।", "۔", "።"})
"""Words that end a sentence when the next word opens one (`sentence_pieces`)."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in a text: character span, surface text and type (PER, ORG, LOC, MISC)."""

    start: int
    end: int
    text: str
    type: str
    score: float


class NerTagger:
    """Middle-layer encoder states of each word (the layers and pooling the head names), head,
    IOB2 Viterbi."""

    def __init__(self, head: NerHead | None = None, *, encoder: Encoder | None = None) -> None:
        self.head = head or load_head()
        self.features = WordFeatures(encoder, layers=self.head.layers, pooling=self.head.pooling)
        self._split_run: RunSplitter | None = tokenizer_run_splitter(
            self.features.encoder.tokenizer)
        self._language_splitters: dict[str, RunSplitter | None] = {}

    def word_spans(self, text: str, lang: str = "und") -> list[tuple[int, int]]:
        """Character spans of the words of raw ``text`` in language ``lang`` (BCP 47).

        Runs of unspaced scripts are cut by a word segmenter for Chinese, else by
        the encoder's tokenizer (see `words`).
        """
        return word_spans(text, self._splitter(lang))

    def _splitter(self, lang: str) -> RunSplitter | None:
        base = (lang or "und").split("-")[0].split("_")[0].lower()
        if base != "zh":
            return self._split_run
        if base not in self._language_splitters:
            self._language_splitters[base] = chinese_run_splitter()
        return self._language_splitters[base] or self._split_run

    def tag_states(self, states: Sequence[np.ndarray]) -> list[list[str]]:
        """IOB2 tags from pooled word states (as ``WordFeatures.states`` returns)."""
        return [viterbi_iob2(self.head.log_probs(with_context(s)), self.head.transitions)
                for s in states]

    def tag(self, texts: Sequence[Sequence[str]]) -> list[list[str]]:
        """IOB2 tags of each tokenized text."""
        return self.tag_states(self.features.states(texts))

    def mentions(self, texts: Sequence[str],
                 langs: Sequence[str] | None = None) -> list[list[Mention]]:
        """Mentions in each raw text (in language ``langs[i]``, if given), with character spans.

        Texts are tagged sentence by sentence (`sentence_pieces`, why: `PIECE_WORDS`),
        up to ``CALL_WORDS`` words per encoder call: the encoder keeps a state for
        every token, so one multi-megabyte text in one call would need gigabytes.
        """
        languages = list(langs) if langs is not None else ["und"] * len(texts)
        spans = [self.word_spans(text, lang) for text, lang in zip(texts, languages, strict=True)]
        pieces = [(index, first, last) for index, text_spans in enumerate(spans)
                  for first, last in sentence_pieces(texts[index], text_spans)]
        out: list[list[Mention]] = [[] for _ in texts]
        for batch in _calls(pieces):
            words = [[texts[i][a:b] for a, b in spans[i][first:last]] for i, first, last in batch]
            scored = self._log_probs(self.features.states(words))
            for (index, first, _), log_probs in zip(batch, scored, strict=True):
                out[index].extend(self._chunk_mentions(texts[index], spans[index], first,
                                                       log_probs))
        return out

    def _log_probs(self, states: list[np.ndarray]) -> list[np.ndarray]:
        """Each piece's [words, labels] log-probabilities, from one head pass over all pieces.

        One pass, not one per piece: a sentence is a few dozen rows, and the head's
        matrix products on such small blocks cost more in overhead than in arithmetic
        (1,167 sentence pieces: 5.5 s one by one).
        """
        if not states:
            return []
        joined = self.head.log_probs(np.concatenate([with_context(s) for s in states]))
        bounds = np.cumsum([len(s) for s in states])[:-1]
        return np.split(joined, bounds)

    def _chunk_mentions(self, text: str, text_spans: list[tuple[int, int]], offset: int,
                        log_probs: np.ndarray) -> list[Mention]:
        tags = viterbi_iob2(log_probs, self.head.transitions)
        found = []
        for first, last, kind in chunks(tags):
            start, end = text_spans[offset + first][0], text_spans[offset + last][1]
            end -= possessive_length(text[start:end])
            start += leading_common_length(text[start:end])
            picked = [LABELS.index(tags[i]) for i in range(first, last + 1)]
            confidence = float(np.exp(log_probs[np.arange(first, last + 1), picked]).mean())
            found.append(Mention(start, end, text[start:end], kind, round(confidence, 4)))
        return found


_POSSESSIVE_RE = re.compile(r"\w['’](?:s)?$")


def possessive_length(name: str) -> int:
    """Characters of a possessive ending the name (Obama's, Obama’s, Reuters'), else 0.

    Why trimmed: words are cut at spaces, so a name's last word carries its
    possessive, and "Barack Obama's" would become an entity of its own beside
    "Barack Obama". English and Dutch write it so (``Obama's``); a name never ends
    in an apostrophe, and an apostrophe-s is no part of a name's last word.
    """
    found = _POSSESSIVE_RE.search(name)
    return 0 if found is None else len(found.group()) - 1


_ELIDED_ARTICLE_RE = re.compile(r"[^\W\d_]{1,5}['’](?=\w)")
_LEADING_WORD_RE = re.compile(r"[^\W\d_]{6,}\s+(?=\w)")


def leading_common_length(name: str) -> int:
    """Characters of a lower-case word or elided article opening the name, else 0.

    Why trimmed: words are cut at spaces, and an elided article is written onto
    the next word ("l’Élysée", "dell’Arpal"), so the tagger's span starts with
    it; and a tagger that reads context sometimes takes the common noun before a
    name with it ("wydawnictwa Znak"). Neither is part of the name, and the
    entity would stand apart from the bare name. Only a lower-case start before
    an upper-case letter is cut; short lower-case words stay, because particles
    open names ("de Gaulle", "von der Leyen", "della Rovere", "al-Assad").
    """
    for pattern in (_ELIDED_ARTICLE_RE, _LEADING_WORD_RE):
        found = pattern.match(name)
        if (found is not None and found.group().islower()
                and name[found.end():found.end() + 1].isupper()):
            return found.end()
    return 0


def sentence_pieces(text: str, spans: Sequence[tuple[int, int]],
                    max_words: int | None = None) -> list[tuple[int, int]]:
    """[first, last) word ranges of ``text``'s sentences, none longer than ``max_words``.

    A sentence ends after a `SENTENCE_ENDS` word followed by a word opening one (a
    capital, a digit, a quote or bracket, or any letter of an uncased script), and at
    a line break. Not after an abbreviation or initial ("Dr .", "J .", "U.S ." followed by
    a name): the word before the stop has more than three letters or is lower case.
    """
    limit = max_words or PIECE_WORDS
    pieces: list[tuple[int, int]] = []
    first = 0
    for i in range(len(spans)):
        if i + 1 - first >= limit or _ends_sentence(text, spans, i):
            pieces.append((first, i + 1))
            first = i + 1
    if first < len(spans):
        pieces.append((first, len(spans)))
    return pieces


def _ends_sentence(text: str, spans: Sequence[tuple[int, int]], i: int) -> bool:
    if i + 1 >= len(spans):
        return False
    if "\n" in text[spans[i][1]:spans[i + 1][0]]:
        return True
    word = text[spans[i][0]:spans[i][1]]
    if word not in SENTENCE_ENDS:
        return False
    following = text[spans[i + 1][0]:spans[i + 1][1]]
    opens = following[:1]
    if not (opens.isupper() or opens.isdigit() or opens in "\"'«»“”„‘’([¿¡"
            or (opens.isalpha() and not opens.islower() and not opens.isupper())):
        return False
    if word in "。！？؟।۔።" or i == 0:
        return True
    before = text[spans[i - 1][0]:spans[i - 1][1]]
    letters = before.replace(".", "")
    return len(letters) > 3 or not letters[:1].isupper()


def _calls(pieces: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Pieces grouped into encoder calls of at most `CALL_WORDS` words (one piece at least)."""
    calls: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
    words = 0
    for piece in pieces:
        size = piece[2] - piece[1]
        if current and words + size > CALL_WORDS:
            calls.append(current)
            current, words = [], 0
        current.append(piece)
        words += size
    if current:
        calls.append(current)
    return calls
