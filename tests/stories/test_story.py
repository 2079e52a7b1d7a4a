"""A live story's state: what `StoryState.compact` keeps when the story leaves the window."""

from __future__ import annotations

import numpy as np

from babelwire.stories.features import ArticleFeatures
from babelwire.stories.story import StoryState


def _member(n: int, keys: set[str]) -> ArticleFeatures:
    vector = np.zeros(4, dtype=np.float32)
    vector[n % 4] = 1.0
    return ArticleFeatures(id=f"a{n}", lang="en", vector=vector, day=10.0 + n,
                           keys=frozenset(keys))


def _story(members: list[set[str]]) -> StoryState:
    story = StoryState(id="s", dim=4)
    for n, keys in enumerate(members):
        story.add(_member(n, keys), _member(n, keys).vector)
    return story


def test_compact_keeps_every_key_of_a_two_member_story_however_many() -> None:
    story = _story([{f"n:first{k}" for k in range(40)}, {f"n:second{k}" for k in range(40)}])
    story.compact(keep_keys=32)
    assert len(story.key_counts) == 80  # each is carried by half the members
    assert story.member_vectors == []


def test_compact_drops_rare_keys_past_the_most_shared_ones() -> None:
    shared = {f"n:shared{k}" for k in range(5)}
    members = [shared | {f"n:rare{n}-{k}" for k in range(10)} for n in range(5)]
    story = _story(members)
    rare = sorted(set().union(*members) - shared)
    story.compact(keep_keys=8)
    # the five shared by all, then the first rare ones in key order (ties), up to eight
    assert set(story.key_counts) == shared | set(rare[:3])
    assert all(story.key_counts[k] == 5 for k in shared)
