"""Articles with made-up vectors and keys, shaped like real ones, for clusterer tests.

A vector is the shipped model's prior mean for its language (e5 vectors share
one direction: their mean has norm 0.87 on the sample corpus) plus a deviation of
norm about 0.45 made of an event direction (a topic direction plus the event's
own), a little language direction and noise, normalised. After the clusterer takes
each language's mean out, reports of one event have a centred cosine near 0.8,
other events of the same topic near 0.3 and unrelated events near 0, as the
sample corpus's real embeddings do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from babelwire.stories.features import ArticleFeatures, prefixed
from babelwire.stories.model import load_model

DIM = 384
DEVIATION = 0.45
LANGUAGE_WEIGHT = 0.3
NOISE = 0.5


@dataclass
class World:
    """Deterministic directions for topics, events and languages."""

    seed: int = 0
    _rng: np.random.Generator = field(init=False)
    _directions: dict[str, np.ndarray] = field(default_factory=dict)
    _prior: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)
        self._prior = load_model().prior()

    def base(self, lang: str) -> np.ndarray:
        """The prior mean of ``lang`` (the all-languages one for others)."""
        return self._prior.get(lang, self._prior["*"])

    def direction(self, name: str) -> np.ndarray:
        if name not in self._directions:
            v = self._rng.standard_normal(DIM)
            self._directions[name] = v / np.linalg.norm(v)
        return self._directions[name]

    def event(self, event: str, topic: str, topic_weight: float = 0.6) -> np.ndarray:
        """An event's direction: two events of one topic have cosine ``topic_weight``²."""
        v = (topic_weight * self.direction(f"topic:{topic}")
             + np.sqrt(1 - topic_weight**2) * self.direction(f"event:{event}"))
        return v / np.linalg.norm(v)

    def article(self, article_id: str, *, event: str, topic: str, lang: str, day: float,
                names: tuple[str, ...] = (), places: tuple[str, ...] = (),
                numbers: tuple[str, ...] = (), headline: str = "",
                topic_weight: float = 0.6) -> ArticleFeatures:
        noise = self._rng.standard_normal(DIM) * NOISE / np.sqrt(DIM)
        deviation = (self.event(event, topic, topic_weight)
                     + LANGUAGE_WEIGHT * self.direction(f"lang:{lang}") + noise)
        v = self.base(lang) + DEVIATION * deviation / np.linalg.norm(deviation)
        keys = (prefixed("names", names) | prefixed("places", places)
                | prefixed("numbers", numbers) | prefixed("title", names[:1]))
        return ArticleFeatures(id=article_id, lang=lang,
                               vector=(v / np.linalg.norm(v)).astype(np.float32), day=day,
                               keys=frozenset(keys), headline=headline or article_id)


def background(world: World, count: int, *, day: float = 0.0,
               languages: tuple[str, ...] = ("en", "de", "fr", "es")) -> list[ArticleFeatures]:
    """``count`` unrelated one-article events, so language means and IDF have data."""
    return [world.article(f"bg{n}", event=f"bg{n}", topic=f"bgtopic{n % 7}",
                          lang=languages[n % len(languages)], day=day + (n % 3),
                          names=(f"bgp{n:03d}", f"bgo{n % 11:02d}"), numbers=(str(100 + n),))
            for n in range(count)]
