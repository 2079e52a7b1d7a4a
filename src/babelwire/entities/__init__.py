"""Canonical entities: one id per person, organisation or place across languages and scripts.

Modules, one concept each: `name_key` (spelling-independent name keys),
`name_match` (the second check behind a loose key), `place_table` and `places`
(the gazetteer of countries, regions, cities and country adjectives), `records`
(mentions, entities, explained links), `entity_index` (key → entity dictionaries),
`decisions` (user merges and splits), `resolver` (the cascade), `catalog` (the
store-backed service behind ``babelwire entity``) and `benchmark`.
"""

from .places import Gazetteer
from .records import CanonicalEntity, EntityType, Link, LinkRule, Mention, MentionRole, Variant
from .resolver import EntityResolver

__all__ = ["CanonicalEntity", "EntityResolver", "EntityType", "Gazetteer", "Link", "LinkRule",
           "Mention", "MentionRole", "Variant"]
