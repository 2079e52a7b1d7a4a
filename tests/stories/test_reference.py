"""The clusterer's fast path against a plain re-statement of its rule, on a small stream.

The reference below recomputes everything from scratch for each article, in float64
and plain loops: language-centred vectors, IDF from the articles seen so far
(the article itself included), the nearest live centroids, the model's features
and its probability, then "join the most probable candidate at or above the
threshold, else start a story". With one article per batch the clusterer's
batching has nothing to add, so the two must place every article alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest

from babelwire.stories.clusterer import ClustererOptions, StreamingClusterer, story_id_for
from babelwire.stories.features import KEY_PREFIX, ArticleFeatures, LanguageMeans
from babelwire.stories.model import OVERLAP_KINDS, StoryModel, load_model
from babelwire.stories.story import MAX_MEMBER_VECTORS

from .synthetic import World, background

WINDOW_DAYS = 3.0
CANDIDATES = 5


@dataclass
class _Story:
    id: str
    vectors: list[np.ndarray] = field(default_factory=list)  # every member's centred vector
    langs: list[str] = field(default_factory=list)
    keys: list[frozenset[str]] = field(default_factory=list)
    days: list[float] = field(default_factory=list)

    def centroid(self) -> np.ndarray:
        total = np.sum(self.vectors, axis=0)
        return total / np.linalg.norm(total)

    def kept(self) -> list[np.ndarray]:
        """The first members' vectors, then one more per new language (the story's rule)."""
        out, seen = [], set()
        for vector, lang in zip(self.vectors, self.langs, strict=True):
            if len(out) < MAX_MEMBER_VECTORS or lang not in seen:
                out.append(vector)
            seen.add(lang)
        return out


def _features(article: ArticleFeatures, centred: np.ndarray, story: _Story,
              idf: dict[str, float]) -> list[float]:
    cosine = float(story.centroid() @ centred)
    nearest = max(float(v @ centred) for v in story.kept())
    overlaps = []
    for kind in OVERLAP_KINDS:
        mine = [k for k in article.keys if k.startswith(KEY_PREFIX[kind])]
        mass = sum(idf[k] for k in mine)
        shared = sum(idf[k] * min(1.0, sum(k in keys for keys in story.keys) / len(story.keys))
                     for k in mine)
        overlaps.append(shared / mass if mass else 0.0)
    assert article.day is not None
    gap = max(0.0, min(story.days) - article.day, article.day - max(story.days))
    cross = 0.0 if article.lang in story.langs else 1.0
    return [cosine, nearest, *overlaps, math.log1p(gap), 0.0, cross, cross * cosine]


def _probability(model: StoryModel, row: list[float]) -> float:
    logit = sum(w * x for w, x in zip(model.weights, row, strict=True)) + model.bias
    return 1.0 / (1.0 + math.exp(-logit))


def _reference(model: StoryModel, articles: list[ArticleFeatures]) -> list[tuple[str, float]]:
    """(story id, probability) of each article under the clusterer's rule, recomputed plainly."""
    means = LanguageMeans(384, prior=model.prior())
    frequency: dict[str, int] = {}
    stories: list[_Story] = []
    clock: float | None = None
    out = []
    for n, article in enumerate(articles, start=1):
        for key in article.keys:
            frequency[key] = frequency.get(key, 0) + 1
        means.add(article.lang, article.vector)
        idf = {k: math.log((1 + n) / (1 + frequency[k])) + 1.0 for k in article.keys}
        centred = np.asarray(article.vector, dtype=np.float64) - means.mean(article.lang)
        centred /= np.linalg.norm(centred)
        live = [s for s in stories if clock is None or max(s.days) >= clock - WINDOW_DAYS]
        nearest = sorted(live, key=lambda s: -float(s.centroid() @ centred))[:CANDIDATES]
        assert article.day is not None
        candidates = [s for s in nearest if article.day - max(s.days) <= WINDOW_DAYS]
        scored = [(_probability(model, _features(article, centred, s, idf)), s)
                  for s in candidates]
        best = max(scored, key=lambda item: item[0], default=(0.0, None))
        story = best[1]
        if story is None or best[0] < model.threshold:
            story = _Story(story_id_for(article.id))
            stories.append(story)
        story.vectors.append(centred)
        story.langs.append(article.lang)
        story.keys.append(article.keys)
        story.days.append(article.day)
        clock = article.day if clock is None else max(clock, article.day)
        out.append((story.id, best[0]))
    return out


def _stream(world: World) -> list[ArticleFeatures]:
    """Events of four topics over eight days in five languages, with shared and own names."""
    articles = background(world, 40, day=0.0)
    for n in range(36):
        day = 1.0 + (n % 12) * 0.6
        names = (f"ev{n:02d}", f"lead{n % 5}", f"topic{n % 4}")
        for m, lang in enumerate(("en", "de", "fr", "es", "it")[: 2 + n % 4]):
            articles.append(world.article(
                f"e{n}-{lang}", event=f"e{n}", topic=f"topic{n % 4}", lang=lang,
                day=day + 0.05 * m, names=names[: 2 + m % 2], numbers=(str(300 + n % 9),),
                topic_weight=0.75))
    return sorted(articles, key=lambda a: (a.day, a.id))


@pytest.mark.parametrize("seed", [0, 1])
def test_fast_clusterer_places_every_article_as_the_plain_reference_does(seed: int) -> None:
    model = load_model()
    articles = _stream(World(seed=seed))
    options = ClustererOptions(window_days=WINDOW_DAYS, candidates=CANDIDATES, batch_size=1)
    placed = StreamingClusterer(model, options).add(articles)
    expected = _reference(model, articles)
    assert [a.story_id for a in placed] == [story for story, _ in expected]
    assert [a.probability for a in placed] == pytest.approx([p for _, p in expected], abs=1e-5)
    assert 20 < len({a.story_id for a in placed}) < len(articles) - 40  # joins and new stories
