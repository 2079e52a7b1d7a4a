"""The thread linking of a batch's new stories reuses the batch's scan: same stories as asking.

At a batch's end the clusterer answers "which live stories are nearest this new story"
from the scan it made at the batch's start (plus the stories the batch touched, scored
then), and asks the index only when that cannot be exact. These tests compare every such
answer with a fresh search of the index at the same moment, on the benchmark's stream.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from babelwire.stories.benchmark import StreamShape, SyntheticStream, _prior
from babelwire.stories.clusterer import ClustererOptions, StreamingClusterer
from babelwire.stories.features import KeyStats
from babelwire.stories.model import load_model
from babelwire.stories.story import StoryState
from babelwire.stories.threads import LiveCandidates, ThreadLinker


def _clusterer_checking_thread_candidates(
        monkeypatch: pytest.MonkeyPatch, batch_size: int) -> tuple[StreamingClusterer,
                                                                    dict[str, int]]:
    """A clusterer whose thread linking compares each answer with the index's own."""
    model = load_model()
    clusterer = StreamingClusterer(model, ClustererOptions(batch_size=batch_size))
    seen = {"batches": 0, "stories": 0, "differ": 0, "asked": 0}
    original_nearest = clusterer.index.nearest
    link_many = ThreadLinker.link_many

    def counting_nearest(queries: np.ndarray, k: int):  # type: ignore[no-untyped-def]
        seen["asked"] += len(np.atleast_2d(queries))
        return original_nearest(queries, k)

    def checked(self: ThreadLinker, stories: Sequence[StoryState], stats: KeyStats,
                live: LiveCandidates) -> None:
        if stories:
            centroids = np.vstack([s.centroid() for s in stories])
            k = self.options.candidates
            asked_before = seen["asked"]
            answered = [[s.id for s in found] for found in live(centroids, k)]
            seen["asked_in_links"] = seen.get("asked_in_links", 0) + seen["asked"] - asked_before
            truth = [[s.id for s in found] for found in clusterer._live_near(centroids, k)]
            seen["batches"] += 1
            seen["stories"] += len(stories)
            seen["differ"] += sum(a != b for a, b in zip(answered, truth, strict=True))
        link_many(self, stories, stats, live)

    monkeypatch.setattr(clusterer.index, "nearest", counting_nearest)
    monkeypatch.setattr(ThreadLinker, "link_many", checked)
    return clusterer, seen


@pytest.mark.parametrize("batch_size", [64, 256])
def test_new_stories_see_the_live_stories_a_fresh_search_finds(
        monkeypatch: pytest.MonkeyPatch, batch_size: int) -> None:
    clusterer, seen = _clusterer_checking_thread_candidates(monkeypatch, batch_size)
    model = clusterer.model
    stream = SyntheticStream(StreamShape(articles_per_day=2_000.0), _prior(model))
    clusterer.add(stream.next(6_000))
    assert seen["batches"] > 10 and seen["stories"] > 500
    assert seen["differ"] == 0
    # most answers came from the batch's scan: the index was asked for few new stories
    assert seen["asked_in_links"] < seen["stories"] / 2
