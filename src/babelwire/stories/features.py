"""What the clusterer knows of one article: its vector, its evidence keys, its time.

Why these: reports of one event in different languages share an embedding
neighbourhood (after the language's own mean is taken out, see `LanguageMeans`)
and the things that survive translation: who (names, canonical entities), where
(places), how many and when (numbers, dates) and the day they appeared. The keys
come from `babelwire.evidence` (cheap, from the raw text) and, when the NER stage
and entity resolution ran, from the articles' canonical entity ids
(``geo:country:US``); the clusterer works with either.

Keys carry their kind as a prefix (``n:misustin``, ``p:geo:country:RU``,
``e:per:...``) so one document-frequency table (`KeyStats`) serves all kinds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from ..evidence import EvidenceExtractor
from ..record import Article

KEY_KINDS = ("names", "places", "numbers", "dates", "entities", "title")
"""Kinds of evidence keys; each has its own overlap feature in the scoring model."""

KEY_PREFIX = {"names": "n:", "places": "p:", "numbers": "d:", "dates": "t:", "entities": "e:",
           "title": "h:"}

NAME_KEY_CHARS = 6
"""Name keys are cut to this many characters: inflected forms (Orbana, Hastingsa, Москве)
share the stem, as `evidence.Overlap`'s prefix match allows, at the cost of rare collisions."""

SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """One article as the clusterer sees it.

    ``vector`` is the L2-normalised embedding (float32); ``day`` the publication
    time in days since the Unix epoch (None when unknown); ``keys`` the prefixed
    evidence keys of every kind together.
    """

    id: str
    lang: str
    vector: np.ndarray
    day: float | None
    keys: frozenset[str]
    headline: str = ""

    def of_kind(self, kind: str) -> frozenset[str]:
        """The keys of one kind (see `KEY_KINDS`)."""
        prefix = KEY_PREFIX[kind]
        return frozenset(k for k in self.keys if k.startswith(prefix))


def key_kind(key: str) -> str:
    """The kind of a prefixed key (``n:misustin`` → ``names``)."""
    return _KIND_OF[key[:2]]


_KIND_OF = {prefix: kind for kind, prefix in KEY_PREFIX.items()}


def day_of(moment: datetime | None) -> float | None:
    """Days since the Unix epoch (naive times are taken as UTC); None stays None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / SECONDS_PER_DAY


def prefixed(kind: str, keys: Iterable[str]) -> set[str]:
    """``keys`` with the prefix of ``kind``; name-like kinds are cut to `NAME_KEY_CHARS`."""
    prefix = KEY_PREFIX[kind]
    if kind in ("names", "title"):
        return {prefix + k[:NAME_KEY_CHARS] for k in keys}
    return {prefix + k for k in keys}


@dataclass(slots=True)
class FeatureExtractor:
    """Build `ArticleFeatures` from articles; owns the evidence extractor (gazetteer).

    ``use_entities``: take the canonical ids the entity resolution put on
    `Article.entities` (mentions without an id are skipped).
    """

    evidence: EvidenceExtractor = field(default_factory=EvidenceExtractor)
    use_entities: bool = True

    def extract(self, article: Article) -> ArticleFeatures:
        """The features of one article; it must have an embedding (the ``embed`` stage)."""
        if article.embedding is None:
            raise ValueError(f"article {article.id!r} has no embedding; clustering needs the"
                             " embed stage (embed.e5.v1) in the pipeline before it")
        vector = np.asarray(article.embedding, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        if not norm > 0:
            raise ValueError(f"article {article.id!r} has a zero embedding; re-embed it")
        found = self.evidence.extract(f"{article.title}\n{article.text}", article.lang)
        title = self.evidence.extract(article.title, article.lang)
        keys = (prefixed("names", found.names) | prefixed("places", found.places)
                | prefixed("numbers", found.numbers) | prefixed("dates", found.dates)
                | prefixed("title", title.names | title.numbers))
        if self.use_entities:
            keys |= prefixed("entities", {e.id for e in article.entities if e.id})
        return ArticleFeatures(id=article.id, lang=article.lang, vector=vector / norm,
                               day=day_of(article.published_at or article.fetched_at),
                               keys=frozenset(keys), headline=article.title)


@dataclass(slots=True)
class KeyStats:
    """Document frequencies of evidence keys over the articles seen, for IDF weights.

    Why IDF from the stream itself: it needs no training data and adapts to each
    store, so an outlet's own name or a country every article names weighs little
    and a rare surname a lot (as in `evidence.Overlap`).
    """

    frequency: Counter[str] = field(default_factory=Counter)
    documents: int = 0

    def add(self, keys: Iterable[str]) -> None:
        """Count one article's keys."""
        self.frequency.update(keys if isinstance(keys, (set, frozenset)) else set(keys))
        self.documents += 1

    def idf(self, key: str) -> float:
        """Smoothed inverse document frequency (≥ 1)."""
        return math.log((1 + self.documents) / (1 + self.frequency[key])) + 1.0

    def idf_many(self, keys: Iterable[str]) -> dict[str, float]:
        """IDF of each key (one lookup each)."""
        n = 1 + self.documents
        frequency = self.frequency
        return {k: math.log(n / (1 + frequency[k])) + 1.0 for k in keys}


@dataclass(slots=True)
class LanguageMeans:
    """Running mean embedding per language, shrunk towards a prior mean.

    Why: a multilingual embedding keeps part of the language in every vector, so
    two unrelated German articles are closer than a German and an English report
    of one event. Subtracting the article's language mean before the cosine centres
    it on "a random article of this language", the online form of
    `babelwire.similarity.calibrate_cosines` (the mean cosine of all cross pairs of
    two languages is the dot product of their mean vectors). On the sample corpus it
    lifts "the nearest other article is of the same story" from 0.65 to 0.96.

    ``shrink`` articles' worth of a prior keep the mean sane while a language has
    few articles: the ``prior`` mean of the language (the model ships them for the
    sample corpus's languages), else its ``"*"`` entry (all languages), else the
    mean of everything seen. Without a prior, a store of three reports of one event
    would subtract the event itself.
    """

    dim: int
    shrink: float = 20.0
    prior: dict[str, np.ndarray] = field(default_factory=dict)
    sums: dict[str, np.ndarray] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, lang: str, vector: np.ndarray) -> None:
        """Count one article's vector under its language."""
        if lang not in self.sums:
            self.sums[lang] = np.zeros(self.dim, dtype=np.float64)
        self.sums[lang] += vector
        self.counts[lang] += 1

    def mean(self, lang: str) -> np.ndarray:
        """The shrunk mean vector of ``lang`` (zeros with no prior and no article yet)."""
        base: np.ndarray | None = self.prior.get(lang, self.prior.get("*"))
        total = sum(self.counts.values())
        if base is None:
            if total == 0:
                return np.zeros(self.dim, dtype=np.float32)
            base = np.sum(list(self.sums.values()), axis=0) / total
        n = self.counts.get(lang, 0)
        own = self.sums.get(lang, np.zeros(self.dim))
        return ((own + self.shrink * base) / (n + self.shrink)).astype(np.float32)

    def centre(self, lang: str, vector: np.ndarray) -> np.ndarray:
        """``vector`` minus its language mean, re-normalised (float32)."""
        centred = vector - self.mean(lang)
        norm = float(np.linalg.norm(centred))
        return (centred / norm if norm > 0 else vector).astype(np.float32)

    def snapshot(self) -> dict[str, np.ndarray]:
        """Every known language's shrunk mean now (a fixed calibration for a batch)."""
        return {lang: self.mean(lang) for lang in {*self.counts, *self.prior} - {"*"}}

    def mean_for(self, snapshot: Mapping[str, np.ndarray], lang: str) -> np.ndarray | None:
        """``lang``'s mean from ``snapshot``, else the prior's or observed fallback (None: none)."""
        found = snapshot.get(lang)
        if found is not None:
            return found
        if "*" in self.prior or self.counts:
            return self.mean(lang)
        return None
