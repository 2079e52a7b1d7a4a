"""The article–story features and the logistic model's file format."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from babelwire.errors import ConfigError
from babelwire.stories.features import ArticleFeatures, KeyStats, prefixed
from babelwire.stories.model import (
    FEATURES,
    StoryModel,
    candidate_features,
    load_model,
    pair_features,
)
from babelwire.stories.story import StoryState


def _article(article_id: str, vector: list[float], *, lang: str = "en", day: float = 10.0,
             names: tuple[str, ...] = (), numbers: tuple[str, ...] = ()) -> ArticleFeatures:
    v = np.asarray(vector, dtype=np.float32)
    return ArticleFeatures(id=article_id, lang=lang, vector=v / np.linalg.norm(v), day=day,
                           keys=frozenset(prefixed("names", names) | prefixed("numbers", numbers)))


def _story(*members: ArticleFeatures) -> StoryState:
    story = StoryState(id="s", dim=len(members[0].vector))
    for member in members:
        story.add(member, member.vector)
    return story


def test_overlap_weighs_each_shared_key_by_its_idf_and_the_share_of_members_with_it() -> None:
    first = _article("a", [1, 0, 0], names=("scholz", "macron"))
    second = _article("b", [1, 0.2, 0], names=("scholz",))
    article = _article("c", [1, 0.1, 0], names=("scholz", "orban"), numbers=("2050",))
    idf = {"n:scholz": 1.0, "n:orban": 3.0, "d:2050": 2.0}
    row = dict(zip(FEATURES, pair_features(article, article.vector, _story(first, second), idf),
                   strict=True))
    assert row["names_overlap"] == pytest.approx(1.0 / 4.0)  # scholz in 2 of 2 members
    assert row["numbers_overlap"] == 0.0
    assert row["cos_nearest"] == pytest.approx(max(float(article.vector @ m.vector)
                                                   for m in (first, second)), rel=1e-3)
    assert (row["log_gap_days"], row["no_time"], row["cross_lingual"]) == (0.0, 0.0, 0.0)


def test_time_gap_counts_from_the_story_span_and_cross_lingual_from_its_languages() -> None:
    story = _story(_article("a", [1, 0], day=10.0), _article("b", [1, 0], day=11.0))
    late = _article("c", [0, 1], lang="de", day=14.0)
    rows = candidate_features(late, late.vector, [story, story], KeyStats().idf_many(late.keys))
    row = dict(zip(FEATURES, rows[1], strict=True))
    assert rows.shape == (2, len(FEATURES))
    assert row["log_gap_days"] == pytest.approx(math.log1p(3.0))
    assert row["cross_lingual"] == 1.0 and row["cross_x_cos"] == pytest.approx(row["cos_centroid"])


def test_model_round_trips_through_its_json_file(tmp_path: Path) -> None:
    model = StoryModel(tuple(float(n) for n in range(len(FEATURES))), -1.5, 0.4,
                       provenance={"name": "test"}, language_prior={"en": (0.5, 0.5)})
    model.save(tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again == model
    assert again.prior()["en"].tolist() == [0.5, 0.5]


def test_model_with_other_features_says_to_retrain(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text('{"features": ["cos"], "weights": [1.0], "bias": 0, "threshold": 0.5}',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="retrain it with `babelwire train clusterer`"):
        load_model(path)


def test_shipped_model_was_trained_on_shippable_data_only() -> None:
    model = load_model()
    assert model.provenance["shippable"] is True
    assert not any("semeval" in source for source in model.provenance["sources"])
    assert 0.0 < model.threshold < 1.0 and set(model.language_prior) >= {"*", "en"}
