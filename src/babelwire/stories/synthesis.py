"""Training streams made from the sample corpus, harder than the corpus as it is.

Why: the corpus's same-story articles are translations of one text, published
on one day, and its 115 events are spread over nine years. Fitted on that, a model
learns that "same day" means "same story" and never sees two events side by side.
Two changes make the questions look like a news stream's:

- **Compressed time** (`synthetic_stream`): every gold story is moved to a random
  day within ``span_days`` (its articles keep their distance in days), and each
  article gets up to ``jitter_days`` more, as reports of one event by different
  outlets do; unlabelled articles (the Wikinews files) become one-article stories
  at random days in the same span. Different events now compete in one window.
- **Halves** (`half_articles`): an article's first half (title and first sentences)
  and its second half (the rest, no title) are two reports of one event that share
  no sentence. Of a story told in several languages (the MEANTIME translations),
  the first half is kept in one language and the second half in another
  (`half_languages`), so no same-story pair is a translation pair. This stands in
  for independent reports of one event, which the corpus lacks. (clusterer-v1 kept
  the first half in two languages and the second in the other two: one pair in
  three was a half and its translation, which taught "translation = same".)

All randomness comes from ``random.Random(seed)``: the same corpus gives the same
streams and the same model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from collections.abc import Collection, Sequence

from ..passage import split_sentences
from ..record import Article
from .training import LabelledArticle


def half_articles(article: Article) -> tuple[Article, Article]:
    """(title + first half of the sentences, the other half without title) of ``article``."""
    sentences = split_sentences(article.text)
    cut = max(1, len(sentences) // 2)
    first = dataclasses.replace(article, id=f"{article.id}#a",
                                text="\n".join(sentences[:cut]), embedding=None)
    second = dataclasses.replace(article, id=f"{article.id}#b", title="",
                                 text="\n".join(sentences[cut:]) or article.text,
                                 embedding=None)
    return first, second


def half_languages(story: str, languages: Collection[str]) -> tuple[str, str]:
    """(language of the first half, language of the second) for a story in ``languages``.

    Two different languages, picked by a hash of the story key so that the choice does
    not depend on file order and, over many stories, every ordered pair of languages
    (and so every language for either half) comes up alike.
    """
    ordered = sorted(languages)
    if len(ordered) < 2:
        raise ValueError(f"story {story!r} has languages {ordered}; half_languages needs two"
                         " or more (a one-language story keeps both halves)")
    pairs = [(a, b) for a in ordered for b in ordered if a != b]
    pick = int(hashlib.sha1(story.encode("utf-8")).hexdigest()[:8], 16)
    return pairs[pick % len(pairs)]


def halves_for_training(article: Article, gold: str | None,
                        languages: Collection[str] = ()) -> list[tuple[Article, str]]:
    """The halves of one article to train on, each with its gold story.

    ``languages``: the languages the article's story is told in. With two or more
    (translations), the article keeps its first half only if its language is the
    story's first-half language, its second half only if it is the second-half one
    (`half_languages`), else nothing; with fewer, both halves, as one story.
    """
    first, second = half_articles(article)
    story = gold if gold is not None else f"article:{article.id}"
    if len(set(languages)) < 2:
        return [(first, story), (second, story)]
    first_lang, second_lang = half_languages(story, languages)
    kept = [(first, story)] if article.lang == first_lang else []
    return kept + ([(second, story)] if article.lang == second_lang else [])


def synthetic_stream(articles: Sequence[LabelledArticle], *, span_days: float = 7.0,
                     jitter_days: float = 2.0, seed: int = 0) -> list[LabelledArticle]:
    """``articles`` with their days moved so that all stories fall within ``span_days``.

    Unlabelled articles (gold None) keep gold None: they are distractors.
    """
    rng = random.Random(seed)
    anchor: dict[str, tuple[float, float | None]] = {}
    out = []
    for item in articles:
        story = item.gold if item.gold is not None else f"\0{item.features.id}"
        if story not in anchor:
            anchor[story] = (rng.random() * span_days, item.features.day)
        offset, first_day = anchor[story]
        relative = (item.features.day - first_day
                    if item.features.day is not None and first_day is not None else 0.0)
        day = offset + relative + rng.random() * jitter_days
        out.append(LabelledArticle(dataclasses.replace(item.features, day=day), item.gold))
    return out
