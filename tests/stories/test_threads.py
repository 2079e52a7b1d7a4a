"""The thread linker's archive: every archived story that can pass the rule is a candidate."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.stories import threads
from babelwire.stories.features import ArticleFeatures, KeyStats
from babelwire.stories.story import StoryState
from babelwire.stories.threads import ThreadLinker, reach_keys

DIM = 16


def _story(name: str, vector: np.ndarray, day: float, keys: set[str]) -> StoryState:
    story = StoryState(id=name, dim=DIM)
    unit = (vector / np.linalg.norm(vector)).astype(np.float32)
    story.add(ArticleFeatures(id=f"{name}/1", lang="en", vector=unit, day=day,
                              keys=frozenset(keys)), unit)
    story.thread_id = name  # as the linker gives every new story
    return story


def _no_live(vectors: np.ndarray, k: int) -> list[list[StoryState]]:
    return [[] for _ in vectors]


@pytest.mark.parametrize("cap", [threads.ARCHIVE_REACH_CAP, 0])
def test_thread_links_the_archived_story_sharing_names_behind_many_nearer_ones(
        monkeypatch: pytest.MonkeyPatch, cap: int) -> None:
    monkeypatch.setattr(threads, "ARCHIVE_REACH_CAP", cap)  # 0: answered by the scan
    rng = np.random.default_rng(0)
    topic = rng.standard_normal(DIM)
    linker = ThreadLinker(DIM)
    stats = KeyStats()
    for n in range(30):  # nearer centroids, other names: they fail the overlap
        stats.add({f"n:other{n}", "n:common"})
        linker.archive(_story(f"near{n}", topic + 0.1 * rng.standard_normal(DIM), 1.0,
                              {f"n:other{n}", "n:common"}))
    earlier = _story("earlier", topic + 1.2 * rng.standard_normal(DIM), 1.0,
                     {"n:orban", "n:hastings", "n:common"})
    stats.add(earlier.key_counts)
    linker.archive(earlier)
    new = _story("new", topic, 9.0, {"n:orban", "n:hastings", "n:common"})
    stats.add(new.key_counts)
    cosine = float(new.centroid() @ earlier.centroid())
    assert 0.3 <= cosine < min(float(new.centroid() @ s.centroid()) for s in
                               (linker._stories[n] for n in range(30)) if s is not None)
    linker.link_many([new], stats, _no_live)
    assert new.thread_id == "earlier"


def test_reach_keys_leave_out_only_keys_too_light_to_reach_the_overlap() -> None:
    idf = {"n:rare": 9.0, "n:mid": 4.0, "n:common": 1.0, "n:commoner": 0.5}
    keys = reach_keys(idf, 0.2)
    assert keys == ["n:rare", "n:mid"]  # the other two hold 1.5 / 14.5 < 0.2 of the mass
    assert reach_keys(idf, 0.05) == ["n:rare", "n:mid", "n:common"]
    assert reach_keys({}, 0.2) == []
