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
from .features import KEY_PREFIX, ArticleFeatures, KeyStats
from .story import StoryState

OVERLAP_KINDS = ("names", "places", "numbers", "dates", "entities", "title")
FEATURES = ("cos_centroid", "cos_nearest", *(f"{k}_overlap" for k in OVERLAP_KINDS),
            "log_gap_days", "no_time", "cross_lingual", "cross_x_cos")
"""Feature names, in the order of the model's weights."""

SHIPPED_MODEL = "clusterer-v4.json"


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
    flat: list[float] = []
    for story, cosine in zip(stories, cosines, strict=True):
        near = story.nearest_member(centred, cosine)
        counts, size = story.key_counts, story.size or 1
        shared = counts.keys() & keys
        overlaps: Sequence[float] = _NO_OVERLAP  # most candidates of a new story's first
        if shared:  # article share no key with it
            found = [0.0] * len(OVERLAP_KINDS)
            for key in shared:
                found[kind_of[key]] += idf[key] * min(1.0, counts[key] / size)
            # a found key is one of the article's, so its kind's mass is > 0
            overlaps = [value / mass[kind] if value else 0.0 for kind, value in enumerate(found)]
        first, last = story.first_day, story.last_day
        timing: Sequence[float] = _NO_TIME
        if day is not None and first is not None and last is not None:
            timing = (math.log1p(max(0.0, first - day, day - last)), 0.0)
        flat += [cosine, near, *overlaps, *timing,
                 *(_SAME_LANGUAGE if lang in story.languages else (1.0, cosine))]
    return np.array(flat, dtype=np.float64).reshape(len(stories), len(FEATURES))


_NO_OVERLAP = (0.0,) * len(OVERLAP_KINDS)
_NO_TIME = (0.0, 1.0)
_SAME_LANGUAGE = (0.0, 0.0)
_KIND_INDEX = {KEY_PREFIX[kind]: n for n, kind in enumerate(OVERLAP_KINDS)}


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
