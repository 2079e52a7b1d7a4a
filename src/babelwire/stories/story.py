"""A live story: the running state the clusterer compares new articles with.

A story keeps the sum of its members' (language-centred) vectors, so its
centroid moves as articles join at the cost of one vector add; a few member
vectors for the "nearest member" feature; how many members carry each evidence
key (the overlap features weigh keys by that share); its languages; its time
span; and one headline per language (the first seen). `Story` (record.py) is
its public, stored form.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..record import Story
from .features import ArticleFeatures, key_kind

MAX_MEMBER_VECTORS = 4
"""Member vectors kept per story for the nearest-member cosine: the first ones, then one per
new language (a story's first reports define it; later ones add little). Four, not eight:
memory per live story is what bounds a big stream (float16 halved it again but its
conversion on every cosine cost more time than the clusterer's whole scoring)."""

MAX_KEYS_STORED = 64
"""Keys per story written to the store (most shared first): enough for overlap and labels."""

_NO_ROWS = np.zeros((0, 0), dtype=np.float32)
"""The member buffer of a story that keeps none (shared, never written: `_keep` replaces it)."""


@dataclass(slots=True)
class StoryState:
    """The mutable state of one story while it is live."""

    id: str
    dim: int
    vector_sum: np.ndarray = field(init=False)
    members: list[str] = field(default_factory=list)
    member_langs: list[str] = field(default_factory=list)
    key_counts: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    first_day: float | None = None
    last_day: float | None = None
    headlines: dict[str, str] = field(default_factory=dict)
    thread_id: str | None = None
    size_before_load: int = 0
    _unit: np.ndarray | None = field(default=None, repr=False)
    _buffer: np.ndarray = field(init=False, repr=False)  # kept member vectors, spare rows after
    _kept: int = field(default=0, init=False, repr=False)  # rows of `_buffer` in use

    def __post_init__(self) -> None:
        self.vector_sum = np.zeros(self.dim, dtype=np.float32)
        self._buffer = _NO_ROWS

    @property
    def member_vectors(self) -> list[np.ndarray]:
        """The kept member vectors (float32 copies)."""
        return [row.astype(np.float32) for row in self._buffer[:self._kept]]

    @member_vectors.setter
    def member_vectors(self, vectors: list[np.ndarray]) -> None:
        self._buffer = (np.vstack(vectors).astype(np.float32) if len(vectors) else _NO_ROWS)
        self._kept = len(vectors)
        self._unit = None

    @property
    def size(self) -> int:
        """Members, counting those of a story loaded from the store without their ids."""
        return self.size_before_load + len(self.members)

    def centroid(self) -> np.ndarray:
        """The normalised mean of the members' centred vectors (kept until a member joins)."""
        if self._unit is None:
            norm = float(np.sqrt(self.vector_sum @ self.vector_sum))
            self._unit = self.vector_sum / norm if norm > 0 else self.vector_sum
        return self._unit

    def nearest_member(self, vector: np.ndarray, centroid_cosine: float | None = None) -> float:
        """The highest cosine of ``vector`` with a kept member (with the centroid if none).

        ``centroid_cosine`` (``vector``'s cosine with the centroid, when the caller has it)
        answers for a one-member story, whose member is its centroid: most live stories.
        """
        kept = self._kept
        if kept == 1 and centroid_cosine is not None and self.size == 1:
            return centroid_cosine
        if not kept:
            return float(self.centroid() @ vector) if centroid_cosine is None else centroid_cosine
        # Python's max of at most `MAX_MEMBER_VECTORS` floats: a numpy reduction costs 1 µs
        return max((self._buffer[:kept] @ vector).tolist())

    def changed(self) -> None:
        """Forget the cached centroid (call after editing the state)."""
        self._unit = None

    def add(self, article: ArticleFeatures, centred: np.ndarray) -> None:
        """Make ``article`` (with its language-centred vector) a member."""
        self.changed()
        self.vector_sum += centred
        self.members.append(article.id)
        new_language = article.lang not in self.languages
        if self._kept < MAX_MEMBER_VECTORS or new_language:
            self._keep(centred)
            self.member_langs.append(article.lang)
        self.key_counts.update(article.keys)
        self.languages[article.lang] += 1
        if article.lang not in self.headlines and article.headline:
            self.headlines[article.lang] = article.headline
        if article.day is not None:
            self.first_day = article.day if self.first_day is None else min(self.first_day,
                                                                              article.day)
            self.last_day = article.day if self.last_day is None else max(self.last_day,
                                                                            article.day)

    def compact(self, keep_keys: int = 32) -> None:
        """Free what only a live story needs (member vectors, rare keys): it left the window."""
        self._buffer, self._kept = _NO_ROWS, 0
        self.member_langs = []
        self.changed()
        need = max(1, (self.size + 1) // 2)
        if len(self.key_counts) <= keep_keys or min(self.key_counts.values()) >= need:
            return  # every key is kept (most archived stories: one or two members)
        top = self.top_keys(keep_keys)
        self.key_counts = Counter({k: n for k, n in self.key_counts.items()
                                   if k in top or n >= need})

    def _keep(self, vector: np.ndarray) -> None:
        """Append a member vector, growing the buffer by doubling (no copy per member)."""
        if self._kept == len(self._buffer):
            grown = np.empty((max(1, 2 * self._kept), self.dim),
                             dtype=np.float32)
            if self._kept:
                grown[:self._kept] = self._buffer[:self._kept]
            self._buffer = grown
        self._buffer[self._kept] = vector
        self._kept += 1

    def gap_days(self, day: float | None) -> float | None:
        """Days between ``day`` and the story's time span (0 inside it); None if unknown."""
        if day is None or self.first_day is None or self.last_day is None:
            return None
        return max(0.0, self.first_day - day, day - self.last_day)

    def share(self, key: str) -> float:
        """The fraction of members that carry ``key``."""
        return self.key_counts.get(key, 0) / self.size if self.size else 0.0

    def top_keys(self, limit: int = MAX_KEYS_STORED) -> dict[str, int]:
        """The most shared keys with their member counts (ties by key, so stable)."""
        ranked = sorted(self.key_counts.items(), key=lambda item: (-item[1], item[0]))
        return dict(ranked[:limit])

    def top_entities(self, limit: int = 10) -> list[str]:
        """The story's most shared canonical entities (or places, when NER did not run)."""
        ranked = [k for k in self.top_keys(len(self.key_counts))
                  if key_kind(k) in ("entities", "places")]
        entities = [k[2:] for k in ranked if key_kind(k) == "entities"]
        places = [k[2:] for k in ranked if key_kind(k) == "places"]
        return (entities or places)[:limit]

    def label(self) -> str:
        """A short label: the English headline if there is one, else the first language's."""
        if "en" in self.headlines:
            return self.headlines["en"]
        return next(iter(self.headlines.values()), "")

    def to_record(self) -> Story:
        """The public record of this story."""
        return Story(id=self.id, label=self.label(), article_ids=list(self.members),
                     languages=sorted(self.languages))
