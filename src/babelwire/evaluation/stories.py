"""``babelwire eval stories``: story clustering on corpus files, same-story F1 on SemEval pairs.

Corpus files (``id, lang, title, text, date`` and gold ``event_group``/``event``)
are clustered together, as one stream in publication order, the way the
after-ingest step clusters a batch: each article's passage embedding
(`stages.embed.article_passage`), evidence keys from title and text, its date and
language; never its gold fields. Metrics: `story_metric.score_stories`, the
reference scorer's, over the articles that have a gold story (the others are
distractors, clustered but not scored).

Pair files (SemEval-2022 Task 8: ``text1, text2, lang1, lang2, overall``): each
pair is a one-article story (the first text) and an article (the second); the
model's probability is the pair's score. Same-story F1 (``overall`` ≤ 1.5 same,
≥ 3 different) at the model's own threshold, and at the best threshold
(optimistic). The texts have no separate title: the first line is the title.

Encoded passages are cached by content (`stories.embedding_cache`).
"""

from __future__ import annotations

from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import EvaluationError
from ..stories.clusterer import ClustererOptions
from ..stories.embedding_cache import PassageEmbedder
from ..stories.features import FeatureExtractor
from ..stories.model import StoryModel, load_model
from ..stories.recipe import read_corpus, read_pairs
from ..stories.training import LabelledArticle, LabelledPair, cluster_stream, pair_rows
from .jsonl import write_predictions
from .story_metric import score_stories


def evaluate_stories(files: list[Path], *, predictions: Path | None = None,
                     model_path: Path | None = None, cache_dir: Path | None = None,
                     options: ClustererOptions | None = None) -> dict[str, Any]:
    """Cluster the corpus files together and score them; score pair files on their own."""
    model = load_model(model_path)
    corpus = [p for p in files if not _is_pair_file(p)]
    pairs = [p for p in files if _is_pair_file(p)]
    embedder = PassageEmbedder(cache_dir)
    extractor = _extractor(cache_dir)
    result: dict[str, Any] = {"model": model.provenance.get("name", str(model_path or "shipped")),
                              "threshold": model.threshold}
    if corpus:
        result.update(_evaluate_corpus(corpus, model, embedder, extractor, predictions, options))
    if pairs:
        result["pairs"] = {p.name: _evaluate_pairs(p, model, embedder, extractor)
                           for p in pairs}
    return result


def packaged_story_file(name: str) -> Path:
    """Path of a story set shipped in ``babelwire/stories/data`` (see its README)."""
    return Path(str(package_files("babelwire.stories") / "data" / name))


def _is_pair_file(path: Path) -> bool:
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    return '"text1"' in first and '"text2"' in first


def _extractor(cache_dir: Path | None) -> FeatureExtractor:
    from ..entities.places import Gazetteer
    from ..evidence import EvidenceExtractor

    return FeatureExtractor(EvidenceExtractor(gazetteer=Gazetteer(cache_dir)))


def _evaluate_corpus(files: list[Path], model: StoryModel, embedder: PassageEmbedder,
                     extractor: FeatureExtractor, predictions: Path | None,
                     options: ClustererOptions | None) -> dict[str, Any]:
    articles, gold = read_corpus(files)
    embedder.embed_articles(articles)
    labelled = [LabelledArticle(extractor.extract(a), gold[a.id]) for a in articles]
    predicted = cluster_stream(labelled, model, options)
    if predictions is not None:
        write_predictions(predictions, ({"id": a.id, "story": predicted[a.id]}
                                        for a in articles))
    scored = {aid: story for aid, story in gold.items() if story is not None}
    if not scored:
        raise EvaluationError(f"no article of {', '.join(map(str, files))} has an event_group"
                              " or event: nothing to score (the Wikinews files are demo only)")
    languages = {a.id: a.lang for a in articles if a.id in scored}
    return {**score_stories(scored, languages, predicted),
            "clustered_articles": len(articles), "files": [p.name for p in files]}


def _evaluate_pairs(path: Path, model: StoryModel, embedder: PassageEmbedder,
                    extractor: FeatureExtractor) -> dict[str, Any]:
    total, labelled = read_pairs(path)
    embedder.embed_articles([side for first, second, _ in labelled for side in (first, second)])
    pairs = [LabelledPair(extractor.extract(a), extractor.extract(b), same)
             for a, b, same in labelled]
    x, y = pair_rows(pairs).matrix()
    scores = model.probabilities(x)
    best_f1, best_threshold = max(((_f1(scores, y, t), float(t)) for t in sorted(set(scores))),
                                  default=(0.0, None))
    return {"pairs": total, "same": int(y.sum()), "different": int(len(y) - y.sum()),
            "left_out": total - len(labelled),
            "same_story_f1": round(_f1(scores, y, model.threshold), 4),
            "same_story_threshold": model.threshold,
            "same_story_f1_best": round(best_f1, 4),
            "same_story_best_threshold": None if best_threshold is None
            else round(best_threshold, 4)}


def _f1(scores: np.ndarray, labels: np.ndarray, threshold: float) -> float:
    said = scores >= threshold
    tp = int((said & (labels == 1)).sum())
    fp = int((said & (labels == 0)).sum())
    fn = int((~said & (labels == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
