"""The thread candidates of a batch's new stories, answered from the batch's own scan."""

from __future__ import annotations

import numpy as np

from babelwire.stories.clusterer import _nearest_in_scan, _Touched
from babelwire.stories.features import ArticleFeatures
from babelwire.stories.index import CentroidIndex
from babelwire.stories.story import StoryState


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _story(story_id: str, vectors: np.ndarray) -> StoryState:
    story = StoryState(id=story_id, dim=vectors.shape[1])
    for n, vector in enumerate(vectors):
        story.add(ArticleFeatures(id=f"{story_id}-{n}", lang="en", vector=vector, day=1.0,
                                  keys=frozenset()), vector)
    return story


def test_new_stories_nearest_from_the_scan_are_what_the_index_answers_after_the_batch() -> None:
    rng = np.random.default_rng(11)
    live = _unit(rng.standard_normal((120, 32)))
    queries = _unit(live[rng.integers(0, 120, 6)] + 0.4 * rng.standard_normal((6, 32)))
    index = CentroidIndex(32)
    for slot, vector in enumerate(live):
        index.put(slot, vector)
    _, scan = index.nearest_and_scan(queries, 10)
    assert scan is not None
    # the batch: two live stories move, query 0 starts story 200, queries 1-3 start story 201
    touched = _Touched(32, 6)
    moved = {5: _unit(live[5:6] + live[9:10])[0], 17: _unit(live[17:18] + queries[4:5])[0]}
    one, grown = _story("one", queries[:1]), _story("grown", queries[1:4])
    for slot, centroid in [*moved.items(), (200, one.centroid()), (201, grown.centroid())]:
        touched.update(slot, centroid)
        index.put(slot, centroid)
    untouched = ~np.isin(scan.slots, touched.slots)
    for story, rows in ((one, [0]), (grown, [1, 2, 3])):
        scores = story.centroid() @ touched.centroids().T
        answer = _nearest_in_scan(scan, untouched, rows, story, touched, scores, 10)
        assert answer == index.nearest(story.centroid(), 10).slots[0]
