"""The article–story scoring model: features of a (new article, live story) pair, and weights.

The clusterer asks one question per candidate story: "does this article report
the event of that story?". The answer is a logistic model over a few features,
each meaningful on its own (`FEATURES`):

- ``cos_centroid`` / ``cos_nearest``: cosine of the article's language-centred
  vector with the story centroid, and with its most similar kept member;
- ``<kind>_overlap`` for names, places, numbers, dates, canonical entities and
  title words: the article's IDF mass of that kind found in the story, each key
  weighted by the share of members carrying it (1 for a one-article story);
- ``log_gap_days`` (and ``no_time`` when either side has no date): how far the
  article's day lies outside the story's time span;
- ``cross_lingual`` (the story has no member in the article's language) and its
  product with ``cos_centroid``: the language-pair calibration that remains after
  centring (cross-lingual cosines run lower).

No story-size feature, on purpose: fitted on the training streams (stories of 2-12
articles) it learned that big stories stop growing (weight -3.5 on log size), which
would split every large real story; see docs/issues/issue-6-progress.md.

Weights are learned (`babelwire.stories.training`) and shipped as a small JSON
file next to this module (see MODEL_CARD.md there).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .features import KEY_PREFIX, ArticleFeatures, KeyIds, KeyStats
from .story import StoryState

OVERLAP_KINDS = ("names", "places", "numbers", "dates", "entities", "title")
FEATURES = ("cos_centroid", "cos_nearest", *(f"{k}_overlap" for k in OVERLAP_KINDS),
            "log_gap_days", "no_time", "cross_lingual", "cross_x_cos")
"""Feature names, in the order of the model's weights."""

SHIPPED_MODEL = "clusterer-v1.json"


def pair_features(article: ArticleFeatures, centred: np.ndarray, story: StoryState,
                  idf: dict[str, float]) -> np.ndarray:
    """The `FEATURES` of (``article``, ``story``); ``idf`` holds the IDF of the article's keys.

    ``centred`` is the article's language-centred vector (as the story's were).
    """
    return candidate_features(article, centred, [story], idf)[0]


def candidate_features(article: ArticleFeatures, centred: np.ndarray,
                       stories: Sequence[StoryState], idf: dict[str, float],
                       cosines: Sequence[float] | None = None) -> np.ndarray:
    """The `FEATURES` of the article against each story, one row per story.

    ``cosines``: the centred vector's cosines with the stories' centroids when the
    caller has them already (the clusterer's batch scan); else they are computed.

    Why it is shaped so: this is the clusterer's inner loop (five candidates per article).
    The overlaps intersect the article's keys with each story's key counts in C (most keys
    match nothing) and only the matches are weighed; the rows are built as one flat list
    and converted once (a numpy element write costs about as much as a whole Python
    feature). Every feature is computed by the same operations as in the per-story form it
    replaced (one float64 ulp can differ: the logits' product depends on the matrix's
    alignment).
    """
    keys, day, lang = article.keys, article.day, article.lang
    kind_of = {key: _KIND_INDEX[key[:2]] for key in keys}
    mass = [0.0] * len(OVERLAP_KINDS)
    for key, kind in kind_of.items():
        mass[kind] += idf[key]
    if cosines is None:
        cosines = [float(story.centroid() @ centred) for story in stories]
    nearest = [story.nearest_member(centred, cosine)
               for story, cosine in zip(stories, cosines, strict=True)]
    flat: list[float] = []
    for story, cosine, near in zip(stories, cosines, nearest, strict=True):
        counts, size = story.key_counts, story.size or 1
        found = [0.0] * len(OVERLAP_KINDS)
        for key in counts.keys() & keys:
            found[kind_of[key]] += idf[key] * min(1.0, counts[key] / size)
        # a found key is one of the article's, so its kind's mass is > 0
        overlaps = [value / mass[kind] if value else 0.0 for kind, value in enumerate(found)]
        first, last = story.first_day, story.last_day
        if day is None or first is None or last is None:
            timing = [0.0, 1.0]
        else:
            timing = [math.log1p(max(0.0, first - day, day - last)), 0.0]
        cross = [0.0, 0.0] if lang in story.languages else [1.0, cosine]
        flat += [cosine, near, *overlaps, *timing, *cross]
    return np.array(flat, dtype=np.float64).reshape(len(stories), len(FEATURES))


_KIND_INDEX = {KEY_PREFIX[kind]: n for n, kind in enumerate(OVERLAP_KINDS)}


def batch_candidate_features(articles: Sequence[ArticleFeatures], vectors: np.ndarray,
                             article_of: Sequence[int], stories: Sequence[StoryState],
                             cosines: Sequence[float], stats: KeyStats,
                             ids: KeyIds) -> np.ndarray:
    """`candidate_features` of many (article, story) pairs at once, one row per pair.

    Pair ``p`` is article ``article_of[p]`` of ``articles`` (centred vector: row
    ``article_of[p]`` of ``vectors``) against ``stories[p]``, whose centroid cosine is
    ``cosines[p]``. Why: the clusterer scores every article's retrieved stories at the
    batch's start (they do not change until the batch touches them), and array
    operations over all pairs cost a fraction of `candidate_features`' Python per pair.

    Each feature is the same arithmetic on the same values: the nearest-member cosines
    are one matrix-vector product per pair (a stack of equal-sized member matrices runs
    the same BLAS kernel per pair), shares and IDF are the same float64 operations. Only
    the order in which a pair's matching keys of one kind are summed can differ (the
    per-pair form sums in set order, which already varies with Python's string hashing
    from run to run), so an overlap may differ by one float64 ulp.
    """
    article_index = np.asarray(article_of, dtype=np.int64)
    rows = np.zeros((len(stories), len(FEATURES)), dtype=np.float64)
    if not len(stories):
        return rows
    rows[:, 0] = cosines
    rows[:, 1] = _nearest_members(vectors, article_index, stories, cosines)
    rows[:, 2:2 + len(OVERLAP_KINDS)] = _BatchKeys(articles, stats, ids).overlaps(
        article_index, stories)
    timing = 2 + len(OVERLAP_KINDS)
    rows[:, timing:timing + 2] = _timing(articles, article_index, stories)
    cross = np.array([articles[n].lang not in story.languages
                      for n, story in zip(article_of, stories, strict=True)], dtype=bool)
    rows[cross, timing + 2] = 1.0
    rows[cross, timing + 3] = rows[cross, 0]
    return rows


def _nearest_members(vectors: np.ndarray, article_index: np.ndarray,
                     stories: Sequence[StoryState], cosines: Sequence[float]) -> np.ndarray:
    """`StoryState.nearest_member` of each pair: pairs whose stories keep the same number of
    member vectors share one stacked product (per pair the same kernel as one story's)."""
    nearest = np.array(cosines, dtype=np.float64)
    by_kept: dict[int, list[int]] = {}
    for p, story in enumerate(stories):
        kept = story.kept_vectors
        if kept and not (kept == 1 and story.size == 1):  # else the centroid cosine answers
            by_kept.setdefault(kept, []).append(p)
    for pairs in by_kept.values():
        members = np.stack([stories[p].member_rows() for p in pairs])
        queries = vectors[article_index[pairs]]
        nearest[pairs] = np.matmul(members, queries[:, :, None])[:, :, 0].max(axis=1)
    return nearest


def _timing(articles: Sequence[ArticleFeatures], article_index: np.ndarray,
            stories: Sequence[StoryState]) -> np.ndarray:
    """``log_gap_days`` and ``no_time`` of each pair (as `candidate_features` has them)."""
    nan = math.nan
    days = np.array([nan if a.day is None else a.day for a in articles],
                    dtype=np.float64)[article_index]
    first = np.array([nan if s.first_day is None or s.last_day is None else s.first_day
                      for s in stories], dtype=np.float64)
    last = np.array([nan if s.last_day is None else s.last_day for s in stories],
                    dtype=np.float64)
    unknown = np.isnan(days) | np.isnan(first) | np.isnan(last)
    gap = np.maximum(np.maximum(first - days, days - last), 0.0)
    out = np.zeros((len(stories), 2), dtype=np.float64)
    out[:, 0] = np.where(unknown, 0.0, np.log1p(np.where(unknown, 0.0, gap)))
    out[:, 1] = unknown
    return out


def _sums(bins: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """``weights`` summed per bin, each bin in input order (float64 even when empty)."""
    return np.bincount(bins, weights=weights, minlength=size).astype(np.float64, copy=False)


class _BatchKeys:
    """A batch's article keys as arrays: which article has which key, each key's IDF and
    kind, and each article's IDF mass per kind (the overlaps' denominators)."""

    def __init__(self, articles: Sequence[ArticleFeatures], stats: KeyStats,
                 ids: KeyIds) -> None:
        flat = [key for article in articles for key in article.keys]  # each in set order
        owner = np.repeat(np.arange(len(articles)), [len(a.keys) for a in articles])
        idf = stats.idf_many(flat)
        weights = np.fromiter((idf[key] for key in flat), dtype=np.float64, count=len(flat))
        kinds = np.fromiter((_KIND_INDEX[key[:2]] for key in flat), dtype=np.int64,
                            count=len(flat))
        width = len(OVERLAP_KINDS)
        # summed in each article's key order, as `candidate_features` sums them
        self.mass = _sums(owner * width + kinds, weights, len(articles) * width).reshape(
            -1, width)
        self.vocabulary, column = np.unique(ids.ids_of(flat), return_inverse=True)
        self.has = np.zeros((len(articles), len(self.vocabulary)), dtype=bool)
        self.has[owner, column] = True
        self.idf = np.zeros(len(self.vocabulary), dtype=np.float64)
        self.idf[column] = weights
        self.kind = np.zeros(len(self.vocabulary), dtype=np.int64)
        self.kind[column] = kinds
        self.ids = ids

    def overlaps(self, article_index: np.ndarray, stories: Sequence[StoryState]) -> np.ndarray:
        """The ``<kind>_overlap`` features of each (article, story) pair."""
        width, count = len(OVERLAP_KINDS), len(stories)
        if not len(self.vocabulary):
            return np.zeros((count, width), dtype=np.float64)
        arrays = [story.key_arrays(self.ids) for story in stories]
        keys = np.concatenate([a[0] for a in arrays])
        shares = np.concatenate([a[1] for a in arrays])
        pair = np.repeat(np.arange(count), [len(a[0]) for a in arrays])
        column = np.minimum(np.searchsorted(self.vocabulary, keys), len(self.vocabulary) - 1)
        found = self.vocabulary[column] == keys
        found[found] = self.has[article_index[pair[found]], column[found]]
        column, pair = column[found], pair[found]
        sums = _sums(pair * width + self.kind[column], self.idf[column] * shares[found],
                     count * width).reshape(count, width)
        mass = self.mass[article_index]
        return np.divide(sums, mass, out=np.zeros_like(sums), where=sums != 0)


def idf_of(article: ArticleFeatures, stats: KeyStats) -> dict[str, float]:
    """The IDF of each of the article's keys under ``stats``."""
    return stats.idf_many(article.keys)


@dataclass(frozen=True, slots=True)
class StoryModel:
    """Logistic weights over `FEATURES`, and the probability at which an article joins.

    ``threshold``: an article joins its best candidate when the probability is at
    least this; below it starts a story. ``provenance`` says what trained it.
    """

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    features: tuple[str, ...] = FEATURES
    provenance: dict[str, Any] = field(default_factory=dict)
    language_prior: dict[str, tuple[float, ...]] = field(default_factory=dict)
    _weight_vector: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # the weights as the array `logits` multiplies by (made once: it runs per article)
        object.__setattr__(self, "_weight_vector", np.asarray(self.weights, dtype=np.float64))
        if len(self.weights) != len(self.features):
            raise ConfigError(f"story model has {len(self.weights)} weights for"
                              f" {len(self.features)} features; retrain it with"
                              " `babelwire train clusterer`")
        if tuple(self.features) != FEATURES:
            raise ConfigError(f"story model features {list(self.features)} are not this"
                              f" version's {list(FEATURES)}; retrain it with"
                              " `babelwire train clusterer`")

    def prior(self) -> dict[str, np.ndarray]:
        """The language means new stores start from (`features.LanguageMeans`)."""
        return {lang: np.asarray(v, dtype=np.float64) for lang, v in self.language_prior.items()}

    def logits(self, rows: np.ndarray) -> np.ndarray:
        """Log-odds of "same story" for each feature row (a matrix, or one row)."""
        return rows @ self._weight_vector + self.bias

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """P(same story) for each feature row."""
        return 1.0 / (1.0 + np.exp(-self.logits(rows)))

    def to_json(self) -> dict[str, Any]:
        """The JSON form `load_model` reads."""
        return {"features": list(self.features), "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6), "threshold": round(self.threshold, 6),
                "provenance": self.provenance,
                "language_prior": {lang: [round(x, 5) for x in v]
                                   for lang, v in sorted(self.language_prior.items())}}

    def save(self, path: Path) -> None:
        """Write the model as JSON."""
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")


def model_from_json(data: dict[str, Any], *, origin: str = "story model") -> StoryModel:
    """A `StoryModel` from its JSON form; says what is wrong with a bad file."""
    try:
        return StoryModel(weights=tuple(float(w) for w in data["weights"]),
                          bias=float(data["bias"]), threshold=float(data["threshold"]),
                          features=tuple(data["features"]),
                          provenance=dict(data.get("provenance", {})),
                          language_prior={str(lang): tuple(float(x) for x in v) for lang, v
                                          in dict(data.get("language_prior", {})).items()})
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{origin} is not a story model ({error!r}); it needs features,"
                          " weights, bias and threshold (`babelwire train clusterer` writes"
                          " one)") from error


def load_model(path: Path | None = None) -> StoryModel:
    """The model at ``path``, or the one shipped in the package."""
    if path is None:
        text = (resources.files(__package__) / "models" / SHIPPED_MODEL).read_text(
            encoding="utf-8")
        return model_from_json(json.loads(text), origin=f"shipped {SHIPPED_MODEL}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"cannot read story model {str(path)!r}: {error}") from error
    return model_from_json(data, origin=str(path))


def feature_table(rows: Sequence[np.ndarray]) -> np.ndarray:
    """Stack feature rows into a matrix (an empty one with the right width if none)."""
    return np.vstack(rows) if rows else np.empty((0, len(FEATURES)))
