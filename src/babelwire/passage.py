"""The article embedding policy: which text of an article the encoder sees.

Policy (issue 3): the title, then the lead (the first `LEAD_SENTENCES` sentences),
then the body's *key sentences* — those densest in names and numbers — in their
original order, until `PassagePolicy.budget_tokens` is spent. Repeated sentences are
dropped (scraped texts often repeat the head in the tail, and teasers repeat the lead).

Why: the encoder averages over its input, so every sentence about background,
cookie notices or other stories dilutes the vector of the event. Title and lead
carry who/what/where by news convention; later sentences with names and figures
are the ones that tell one event from another. The budget keeps the cost bounded
(attention is quadratic) and inside the model's 512-position window. Its measured
effect on the similarity metric is in docs/EVALUATION.md (the ablation table).

Tokens are counted with a callable (``Encoder().tokenizer.content_ids`` gives exact
counts); without one, `estimate_tokens` is used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from .evidence import name_words, numbers_and_years

LEAD_SENTENCES = 2
"""Body sentences always kept after the title (the lead of a news article)."""

BUDGET_TOKENS = 256
"""Default token budget: half the e5 window; texts of the dev set are about this long."""

CHARS_PER_TOKEN = 4.0
"""Characters per XLM-R piece in European-language news (the estimate of `estimate_tokens`)."""

TokenCounter = Callable[[str], int]

_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?。！？؟…])['\"”’»)]*\s+|\n+")
_WIDE_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def estimate_tokens(text: str) -> int:
    """Token count estimate: one per CJK character, one per `CHARS_PER_TOKEN` others.

    Why: exact counting runs the tokenizer (about 10 % of encoding time); the estimate
    is within about 20 % for European-language news, enough for a budget.
    """
    wide = len(_WIDE_RE.findall(text))
    return wide + math.ceil((len(text) - wide) / CHARS_PER_TOKEN)


def split_sentences(text: str) -> list[str]:
    """Sentences and lines of ``text`` (punctuation-based; good enough to rank and cut)."""
    return [s.strip() for s in _SENTENCE_SPLIT_RE.split(text) if s and s.strip()]


def split_title(text: str) -> tuple[str, str]:
    """(title, body) of a text without a separate title: its first line, else first sentence."""
    text = text.strip()
    first, newline, rest = text.partition("\n")
    if newline and first.strip():
        return first.strip(), rest.strip()
    sentences = split_sentences(text)
    if not sentences:
        return "", ""
    return sentences[0], text[len(sentences[0]):].strip()


def key_density(sentence: str) -> float:
    """Names and numbers per square root of words: why a sentence is kept past the lead."""
    words = max(1, len(sentence.split()))
    numbers, years = numbers_and_years(sentence)
    return (len(name_words(sentence)) + len(numbers) + len(years)) / math.sqrt(words)


@dataclass(frozen=True, slots=True)
class Passage:
    """The text to embed and how it was made."""

    text: str
    tokens: int
    sentences_kept: int
    sentences_total: int


@dataclass(frozen=True, slots=True)
class PassagePolicy:
    """Title + lead + key sentences within a token budget."""

    budget_tokens: int = BUDGET_TOKENS
    lead_sentences: int = LEAD_SENTENCES

    def build(self, title: str, text: str, count_tokens: TokenCounter | None = None) -> Passage:
        """The passage for an article with ``title`` and body ``text``.

        The title always comes first and is kept even when it alone exceeds the budget
        (the encoder then windows it); body sentences are added only while they fit.
        """
        count = count_tokens or estimate_tokens
        sentences = _unique(split_sentences(text), seen={_norm(title)})
        lead = list(range(min(self.lead_sentences, len(sentences))))
        rest = sorted(range(len(lead), len(sentences)),
                      key=lambda i: (-key_density(sentences[i]), i))
        used = count(title) if title else 0
        kept: list[int] = []
        for i in lead + rest:
            cost = count(sentences[i]) + 1
            if used + cost > self.budget_tokens:
                if i in lead:
                    break  # a lead that does not fit ends the passage: never skip part of it
                continue
            kept.append(i)
            used += cost
        parts = [title] if title else []
        parts += [sentences[i] for i in sorted(kept)]
        return Passage("\n".join(parts), used, len(kept), len(sentences))


def _norm(sentence: str) -> str:
    return " ".join(sentence.casefold().split())


def _unique(sentences: list[str], *, seen: set[str]) -> list[str]:
    """Sentences not seen before (in ``seen`` or earlier in the list), in order."""
    kept = []
    for sentence in sentences:
        key = _norm(sentence)
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence)
    return kept
