"""User decisions about entities (merge, split), in a form that survives re-processing.

Why names and not ids: re-processing rebuilds every entity from the stored mentions,
and an id is only a hash of an entity's first name, so a decision that said "merge
ent:per:ab12 and ent:per:cd34" could point at nothing after a re-run. A decision
therefore records a *variant name* on each side (the entity's canonical name when
the user made it) and the resolver re-applies it to whichever entities hold those
names after resolution (merge), or during it (split: mentions spelled like the
split-off variant never join the entity that holds the anchor name; they form one
entity of their own).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from .name_key import name_key


class DecisionKind(StrEnum):
    """What the user decided."""

    MERGE = "merge"
    SPLIT = "split"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """One stored user decision.

    merge: the entity holding ``anchor`` and the one holding ``other`` are one entity.
    split: mentions named ``other`` leave the entity holding ``anchor``.
    ``entity_id``/``other_id``: the ids the user saw (for the record, not for matching).
    """

    kind: DecisionKind
    anchor: str
    anchor_lang: str
    other: str
    other_lang: str
    entity_id: str = ""
    other_id: str = ""
    id: int = 0

    def describe(self) -> str:
        """Evidence text for the links this decision made."""
        if self.kind == DecisionKind.MERGE:
            return f"user decision #{self.id}: merge {self.anchor!r} with {self.other!r}"
        return f"user decision #{self.id}: split {self.other!r} off {self.anchor!r}"


def spelling(text: str) -> str:
    """A variant's spelling as decisions compare it: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class Decisions:
    """The decisions in force, indexed for the resolver's lookups."""

    def __init__(self, decisions: list[Decision] | None = None) -> None:
        self.all = list(decisions or [])
        self.merges = [d for d in self.all if d.kind == DecisionKind.MERGE]
        self._splits: dict[str, list[Decision]] = {}
        for decision in self.all:
            if decision.kind == DecisionKind.SPLIT:
                self._splits.setdefault(spelling(decision.other), []).append(decision)

    def splits_for(self, text: str) -> list[Decision]:
        """Split decisions whose split-off variant is spelled ``text``.

        By spelling, not by name key: a user splits a spelling off precisely because
        the key put it with the wrong entity ("Михаил Мишустин" has the key of
        "Mikhail Mishustin"), so its mentions are recognised by how they are written.
        """
        if not self._splits:
            return []
        return list(self._splits.get(spelling(text), ()))

    def split_anchor_keys(self) -> set[str]:
        """Compact keys of every split's anchor (their mentions never join a split-off entity)."""
        keys: set[str] = set()
        for decisions in self._splits.values():
            for decision in decisions:
                keys |= name_key(decision.anchor, decision.anchor_lang).compacts
        return keys
