"""User decisions about stories, as constraints every (re-)clustering obeys.

Decisions name articles, never story ids: story ids are made anew when articles
are re-clustered, article ids are not (as entity decisions name variants).

- ``merge``: the user says the stories holding these articles are one story. Every
  article named is linked to the others: an article whose partner is already
  placed joins the partner's story, whatever the model says.
- ``split``: the user takes articles ``moved`` out of a story whose other members
  are ``kept``. The moved articles stay together, and no story may hold both a
  moved and a kept article. A split wins over an earlier merge of the same articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class StoryDecisionKind(StrEnum):
    """What a user decided about stories."""

    MERGE = "merge"
    SPLIT = "split"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDecision:
    """One stored decision: ``moved`` are the articles merged together or split off."""

    kind: StoryDecisionKind
    moved: tuple[str, ...]
    kept: tuple[str, ...] = ()
    made_at: str = ""

    def describe(self) -> str:
        """One line for humans."""
        if self.kind is StoryDecisionKind.MERGE:
            return f"merge: {len(self.moved)} articles are one story"
        size = len(self.moved) + len(self.kept)
        return f"split: {len(self.moved)} articles leave a story of {size}"


@dataclass(slots=True)
class Constraints:
    """Must-link groups and cannot-link sides built from decisions, with where articles went."""

    _group: dict[str, int] = field(default_factory=dict)  # article -> must-link group
    # article -> (split number, side): side 0 moved, 1 kept
    _sides: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _group_slot: dict[int, int] = field(default_factory=dict)  # group -> story slot
    _side_slots: dict[tuple[int, int], set[int]] = field(default_factory=dict)

    @classmethod
    def from_decisions(cls, decisions: Sequence[StoryDecision]) -> Constraints:
        """Constraints of ``decisions``, oldest first (later splits undo earlier merges)."""
        constraints = cls()
        groups: list[set[str]] = []
        for number, decision in enumerate(decisions):
            if decision.kind is StoryDecisionKind.MERGE:
                groups.append(set(decision.moved))
                continue
            moved = set(decision.moved)
            groups = [g - moved for g in groups]
            groups.append(set(decision.moved))
            for article in decision.moved:
                constraints._sides.setdefault(article, []).append((number, 0))
            for article in decision.kept:
                constraints._sides.setdefault(article, []).append((number, 1))
        for number, members in enumerate(_merge_overlapping(groups)):
            for article in members:
                constraints._group[article] = number
        return constraints

    def __bool__(self) -> bool:
        return bool(self._group or self._sides)

    def involves(self, article_id: str) -> bool:
        """Whether any decision names this article."""
        return article_id in self._group or article_id in self._sides

    def forced_slot(self, article_id: str) -> int | None:
        """The story slot a merge decision sends this article to, if a partner is placed."""
        group = self._group.get(article_id)
        if group is None:
            return None
        slot = self._group_slot.get(group)
        return None if slot is None or not self.allows(article_id, slot) else slot

    def allows(self, article_id: str, slot: int) -> bool:
        """Whether a split decision lets this article join story ``slot``."""
        for split, side in self._sides.get(article_id, ()):
            if slot in self._side_slots.get((split, 1 - side), ()):
                return False
        return True

    def placed(self, article_id: str, slot: int) -> None:
        """Record that this article went to story ``slot``."""
        group = self._group.get(article_id)
        if group is not None:
            self._group_slot.setdefault(group, slot)
        for key in self._sides.get(article_id, ()):
            self._side_slots.setdefault(key, set()).add(slot)


def _merge_overlapping(groups: Iterable[set[str]]) -> list[set[str]]:
    """Union groups that share an article (merges of merges)."""
    merged: list[set[str]] = []
    for group in groups:
        if not group:
            continue
        overlapping = [m for m in merged if m & group]
        for m in overlapping:
            merged.remove(m)
            group = group | m
        merged.append(set(group))
    return merged
