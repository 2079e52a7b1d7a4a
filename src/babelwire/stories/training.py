"""Learning the story model: article–story pairs from labelled data, then logistic regression.

Two sources of pairs, both as (article, story) rows of `model.FEATURES`:

- **Labelled streams** (corpus files with ``event_group``): articles in
  publication order; each is compared with the gold stories formed so far (the
  ``candidates`` nearest by centred cosine, within the live window, plus its own
  gold story when that exists), labelled 1 for its own story, then added to it
  ("teacher forcing": the rows are the questions the clusterer will ask when it
  has been right so far).
- **Labelled pairs** (SemEval-2022 Task 8 dev: ``overall`` ≤ 1.5 same story, ≥ 3
  different, the rest left out): the first text is a one-article story, the
  second the article; no dates.

The fit is L2-regularised logistic regression by Newton's method on standardised
features (deterministic: no sampling, no random start), folded back into weights
in the features' own units. The threshold is chosen by running the clusterer on
the training streams for each threshold of a grid and keeping the one with the
best pairwise F1 (ties: the higher threshold, the safer side).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .clusterer import ClustererOptions, StreamingClusterer
from .features import ArticleFeatures, KeyStats, LanguageMeans
from .model import FEATURES, StoryModel, pair_features
from .story import StoryState

L2_PENALTY = 1.0
"""Ridge penalty on the standardised weights (per row count: λ / n); with ~10⁴ rows it is mild,
and keeps the fit finite when a feature separates the classes."""
NEWTON_STEPS = 50
THRESHOLD_GRID = tuple(round(t, 2) for t in np.arange(0.1, 0.95, 0.05))
TRAINING_CANDIDATES = 10
"""Gold stories compared with each training article: the nearest ten, whatever the clusterer's
``candidates`` (more negatives per positive than it scores, so the fit sees near misses)."""


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """An article's features and its gold story key (None: not scored, a distractor)."""

    features: ArticleFeatures
    gold: str | None


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two texts' features and whether they report one story."""

    first: ArticleFeatures
    second: ArticleFeatures
    same: bool


@dataclass(slots=True)
class TrainingRows:
    """Feature rows, their labels and where each came from (``stream`` or ``pairs``)."""

    rows: list[np.ndarray] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    origin: list[str] = field(default_factory=list)

    def extend(self, other: TrainingRows) -> None:
        """Append another set of rows."""
        self.rows += other.rows
        self.labels += other.labels
        self.origin += other.origin

    def matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) as arrays."""
        if not self.rows:
            raise ValueError("no training rows: give labelled streams or pairs with both"
                             " same-story and different-story examples")
        return np.vstack(self.rows), np.asarray(self.labels, dtype=np.float64)


def by_time(articles: Sequence[LabelledArticle]) -> list[LabelledArticle]:
    """Articles in publication order (undated last), ties by id: the order a stream sees."""
    return sorted(articles, key=lambda a: (a.features.day is None, a.features.day or 0.0,
                                           a.features.id))


def stream_rows(articles: Sequence[LabelledArticle], *, candidates: int = TRAINING_CANDIDATES,
                window_days: float = 3.0) -> TrainingRows:
    """Teacher-forced (article, gold-story-so-far) rows of one labelled stream."""
    ordered = by_time(articles)
    stats, means = _observe(a.features for a in ordered)
    stories: dict[str, StoryState] = {}
    out = TrainingRows()
    dim = len(ordered[0].features.vector) if ordered else 0
    for item in ordered:
        article = item.features
        vector = means.centre(article.lang, article.vector)
        key = item.gold if item.gold is not None else f"\0{article.id}"
        live = [s for s in stories.values()
                if (g := s.gap_days(article.day)) is None or g <= window_days]
        chosen = _nearest(live, vector, candidates)
        own = stories.get(key)
        if own is not None and own not in chosen and own in live:
            chosen.append(own)
        idf = stats.idf_many(article.keys)
        for story in chosen:
            out.rows.append(pair_features(article, vector, story, idf))
            out.labels.append(int(story is own))
            out.origin.append("stream")
        stories.setdefault(key, StoryState(id=key, dim=dim)).add(article, vector)
    return out


def pair_rows(pairs: Sequence[LabelledPair]) -> TrainingRows:
    """One (second text, one-article story of the first) row per labelled pair."""
    texts = [p.first for p in pairs] + [p.second for p in pairs]
    stats, means = _observe(texts)
    out = TrainingRows()
    for pair in pairs:
        story = StoryState(id=pair.first.id, dim=len(pair.first.vector))
        story.add(pair.first, means.centre(pair.first.lang, pair.first.vector))
        vector = means.centre(pair.second.lang, pair.second.vector)
        out.rows.append(pair_features(pair.second, vector, story,
                                      stats.idf_many(pair.second.keys)))
        out.labels.append(int(pair.same))
        out.origin.append("pairs")
    return out


def _observe(articles: Any) -> tuple[KeyStats, LanguageMeans]:
    stats: KeyStats = KeyStats()
    means: LanguageMeans | None = None
    for article in articles:
        means = means or LanguageMeans(len(article.vector))
        stats.add(article.keys)
        means.add(article.lang, article.vector)
    return stats, means or LanguageMeans(384)


def _nearest(stories: list[StoryState], vector: np.ndarray, k: int) -> list[StoryState]:
    if not stories:
        return []
    scores = np.array([float(vector @ s.centroid()) for s in stories])
    return [stories[i] for i in np.argsort(-scores, kind="stable")[:k]]


SIGNS = {"cos_centroid": 1, "cos_nearest": 1, "names_overlap": 1, "places_overlap": 1,
         "numbers_overlap": 1, "dates_overlap": 1, "entities_overlap": 1, "title_overlap": 1,
         "log_gap_days": -1}
"""Signs a weight may take (0 allowed): more shared evidence never argues for another story, a
longer gap never for the same one. Why: the corpus's positives are translations, on which
some features (titles, cross-lingual) behave unlike independent reports; a weight of the wrong
sign fitted there would hurt on real streams. Features not listed are free."""


def fit_logistic(x: np.ndarray, y: np.ndarray, *, penalty: float = L2_PENALTY,
                 exclude: Sequence[str] = (), signs: dict[str, int] | None = None,
                 ) -> tuple[np.ndarray, float]:
    """L2 logistic regression with sign constraints; returns (weights, bias) in feature units.

    ``exclude`` names features held at weight 0 (ablations, or kinds a pipeline lacks).
    Sign constraints (`SIGNS` by default) by an active set: a weight fitted with the
    wrong sign is held at 0 and the rest refitted, until every sign is right.
    """
    signs = SIGNS if signs is None else signs
    held = set(exclude)
    while True:
        weights, bias = _fit_free(x, y, penalty=penalty, exclude=tuple(held))
        wrong = {name for name, w in zip(FEATURES, weights, strict=True)
                 if name in signs and w * signs[name] < 0}
        if not wrong:
            return weights, bias
        held |= wrong


def _fit_free(x: np.ndarray, y: np.ndarray, *, penalty: float,
              exclude: Sequence[str]) -> tuple[np.ndarray, float]:
    """Unconstrained L2 logistic regression by Newton's method on standardised features."""
    keep = np.array([name not in exclude for name in FEATURES])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    usable = keep & (scale > 1e-9)
    z = np.zeros_like(x)
    z[:, usable] = (x[:, usable] - mean[usable]) / scale[usable]
    design = np.column_stack([np.ones(len(x)), z[:, usable]])
    beta = np.zeros(design.shape[1])
    ridge = penalty * np.eye(design.shape[1])
    ridge[0, 0] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + ridge @ beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + ridge
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    weights = np.zeros(x.shape[1])
    weights[usable] = beta[1:] / scale[usable]
    bias = float(beta[0] - (beta[1:] * mean[usable] / scale[usable]).sum())
    return weights, bias


def pairwise_f1(gold: dict[str, str], predicted: dict[str, str]) -> float:
    """Pairwise F1 of a clustering over the articles with a gold story (the tuning objective)."""
    cells: defaultdict[tuple[str, str], int] = defaultdict(int)
    gold_sizes: defaultdict[str, int] = defaultdict(int)
    pred_sizes: defaultdict[str, int] = defaultdict(int)
    for article, story in gold.items():
        p = predicted.get(article, f"\0{article}")
        cells[(story, p)] += 1
        gold_sizes[story] += 1
        pred_sizes[p] += 1

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(map(pairs, cells.values()))
    pp, gp = sum(map(pairs, pred_sizes.values())), sum(map(pairs, gold_sizes.values()))
    return 2 * tp / (pp + gp) if pp + gp else 0.0


def cluster_stream(articles: Sequence[LabelledArticle], model: StoryModel,
                   options: ClustererOptions | None = None) -> dict[str, str]:
    """Article id → predicted story id, clustering ``articles`` in publication order."""
    ordered = [a.features for a in by_time(articles)]
    clusterer = StreamingClusterer(model, options, dim=len(ordered[0].vector))
    clusterer.observe(ordered)
    return {a.article_id: a.story_id for a in clusterer.add(ordered, observed=True)}


def choose_threshold(streams: Sequence[Sequence[LabelledArticle]], model: StoryModel,
                     options: ClustererOptions | None = None,
                     grid: Sequence[float] = THRESHOLD_GRID) -> tuple[float, dict[float, float]]:
    """The grid threshold with the best mean pairwise F1 over ``streams`` (and every F1)."""
    scores: dict[float, float] = {}
    for threshold in grid:
        trial = dataclasses.replace(model, threshold=threshold)
        f1s = [pairwise_f1({a.features.id: a.gold for a in s if a.gold is not None},
                           cluster_stream(s, trial, options)) for s in streams]
        scores[threshold] = float(np.mean(f1s)) if f1s else 0.0
    best = max(scores, key=lambda t: (round(scores[t], 6), t))
    return best, scores


@dataclass(frozen=True, slots=True)
class TrainingData:
    """What a model is trained on: labelled streams and labelled pairs, with their names."""

    streams: Sequence[Sequence[LabelledArticle]] = ()
    pairs: Sequence[LabelledPair] = ()
    sources: tuple[str, ...] = ()
    language_prior: dict[str, tuple[float, ...]] = field(default_factory=dict)


def train_model(data: TrainingData, *, options: ClustererOptions | None = None,
                exclude: Sequence[str] = (), penalty: float = L2_PENALTY,
                signs: dict[str, int] | None = None, tune: bool = True,
                progress: Callable[[str], None] | None = None,
                ) -> StoryModel:
    """Fit the weights on all rows of ``data``; choose the threshold on its streams."""
    options = options or ClustererOptions()
    rows = TrainingRows()
    for stream in data.streams:
        rows.extend(stream_rows(stream, candidates=TRAINING_CANDIDATES,
                                window_days=options.window_days))
    if data.pairs:
        rows.extend(pair_rows(data.pairs))
    x, y = rows.matrix()
    weights, bias = fit_logistic(x, y, penalty=penalty, exclude=exclude, signs=signs)
    model = StoryModel(tuple(float(w) for w in weights), bias, 0.5)
    scores: dict[float, float] = {}
    threshold = 0.5
    if tune and data.streams:
        threshold, scores = choose_threshold(data.streams, model, options)
    if progress is not None:
        progress(f"{len(y)} rows ({int(y.sum())} same story), threshold {threshold}")
    provenance = {"sources": list(data.sources), "rows": len(y), "positive_rows": int(y.sum()),
                  "excluded_features": list(exclude), "l2_penalty": penalty,
                  "threshold_pairwise_f1": {str(k): round(v, 4) for k, v in scores.items()}}
    return StoryModel(model.weights, bias, threshold, FEATURES, provenance,
                      language_prior=dict(data.language_prior))
