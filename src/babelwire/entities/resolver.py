"""The entity resolver: mentions → canonical entities, every link with its rule and evidence.

Why a cascade: each step is cheap and explainable, and a later, looser step only
runs when the stricter ones found nothing. Per mention, in order:

1. user split (`Decisions`): a split-off name never joins the entity it left;
2. places (`Gazetteer`): LOC/MISC mentions that name a country, region or big
   city or are a country adjective, and single-word PER mentions in an alphabet
   (Latin, Cyrillic, Greek) that are a listed country adjective ("Russian",
   "American" → the country, role ``adjective``, never a person); and listed
   organisations (`organisations`: "Vereinte Nationen", "ООН", "联合国" → the UN),
   for ORG mentions before places, for LOC/MISC ones after them; then ORG mentions
   read as (kind, domain, country) (`organisation_readings`: "МИД Украины",
   "ukrainisches Außenministerium" → Ukraine's foreign ministry);
3. people named by surname only: the full name earlier (or later) in the same
   article ("Mishustin" → "Mikhail Mishustin");
4. exact name key (`name_key`), same type; several candidates → co-occurring
   entities decide, else the most mentioned one; then, for people, a name that is
   the other's shortened form (middle names, patronymic or given names left out:
   `name_key.shortened_compacts`), decided the same way;
5. organisations: an acronym and a multi-word name with those initials
   (`acronyms`: KCNA / Korean Central News Agency);
6. fuzzy: a consonant-skeleton candidate of the same type that passes the
   token-level check (`name_match.align_names`);
7. name embedding (optional, `name_embedding`): a PER/ORG mention in a non-Latin
   script that no key matched, linked to the nearest Latin-script name of the same
   type only past a measured cosine and margin;
8. surname only, across articles: a stored full name with that surname that shares
   at least one co-occurring entity with this article; else the only stored person
   bearing that surname, or one that clearly dominates it (`surname_links`); and the
   reverse: a full name no key matched joins an entity known only by its surname when
   no other stored person bears it;
9. otherwise a new entity.

User merges are applied after resolution, to whichever entities hold the merged
names (see `decisions`), so they survive re-processing.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby

from .decisions import Decision, Decisions
from .entity_index import TRAILING_EXCLUDED_STARTS, EntityIndex
from .name_embedding import NameEmbeddingMatcher
from .name_key import (
    FAMILY_FIRST_LANGUAGES,
    NAME_PARTICLES,
    SYLLABIC_SCRIPTS,
    NameKey,
    name_key,
)
from .name_match import align_names
from .organisation_readings import OrganisationReader, is_reading_id
from .organisations import OrganisationTable
from .places import Gazetteer, PlaceMatchKind
from .records import (
    CanonicalEntity,
    EntityType,
    Link,
    LinkRule,
    Mention,
    MentionRole,
    Variant,
)
from .romanise import Script
from .surname_links import (
    MAX_SURNAME_BEARERS,
    SurnameChoice,
    choose_by_surname,
    is_feminine_of,
    is_other_gender_form,
    mention_surname_sounds,
    stored_surname_sounds,
    surname_stems,
)
from .titles import without_titles

MAX_FUZZY_CANDIDATES = 20
"""Skeleton buckets of common short names can be large; the check runs on this many at most."""

MAX_VARIANTS_CHECKED = 5
"""Per fuzzy candidate, the check runs against its most frequent variants only."""

MAX_SURNAME_CANDIDATES = 50
"""A bare surname is compared with at most this many stored full names (Smith has thousands)."""

MAX_CONTEXT_ENTITIES = 40
"""Co-occurrence is counted between at most this many entities of an article (pairs grow n²)."""

_PLACE_TYPES = frozenset({EntityType.LOC, EntityType.MISC})
_ORGANISATION_TYPES = frozenset({EntityType.ORG, EntityType.LOC, EntityType.MISC})
_EMBEDDED_TYPES = frozenset({EntityType.PER, EntityType.ORG})

GALLERY_REFRESH_SHARE = 0.01
"""The embedding gallery is rebuilt when the index has grown by this share (or is small)."""


@dataclass(slots=True)
class _Choice:
    entity_id: str | None
    rule: LinkRule
    evidence: str
    candidates: list[str] = field(default_factory=list)
    split: Decision | None = None


def _single_or_ambiguous(ids: list[str], rule: LinkRule, what: str) -> _Choice | None:
    """One candidate: link by ``rule``; several: ask the context step to pick; none: None.

    Why: each key the resolver tries (exact, shortened, acronym) decides the same way, and
    an ambiguous key must stop the cascade rather than fall through to a looser rule.
    """
    if len(ids) == 1:
        return _Choice(ids[0], rule, what)
    if len(ids) > 1:
        return _Choice(None, LinkRule.NAME_KEY_CONTEXT, f"{what}, {len(ids)} candidates", ids)
    return None


class EntityResolver:
    """Link mentions to canonical entities in ``index`` (created empty if not given).

    ``name_embeddings``: the optional embedding step (see `name_embedding`); without
    it the cascade uses names keys only. ``organisations``: the listed organisations
    (the shipped table if not given).
    """

    def __init__(self, gazetteer: Gazetteer, index: EntityIndex | None = None,
                 decisions: Decisions | None = None, *,
                 name_embeddings: NameEmbeddingMatcher | None = None,
                 organisations: OrganisationTable | None = None) -> None:
        self.gazetteer = gazetteer
        self.organisations = organisations if organisations is not None else OrganisationTable()
        self.readings = OrganisationReader(gazetteer)
        self.name_embeddings = name_embeddings
        self._galleries: dict[EntityType, tuple[int, list[tuple[str, str]]]] = {}
        self.index = index if index is not None else EntityIndex()
        self.decisions = decisions or Decisions()
        self._split_entities: set[str] = set()
        self._split_targets: dict[int, str] = {}
        self._anchor_keys = self.decisions.split_anchor_keys()
        self.rule_counts: Counter[str] = Counter()
        self._touched: set[str] = set()

    def resolve(self, mentions: Iterable[Mention]) -> list[Link]:
        """Resolve mentions (grouped by consecutive article id), then apply user merges."""
        links = self.resolve_groups(mentions)
        links = self.apply_merges(links)
        self.refresh_names()
        return links

    def resolve_groups(self, mentions: Iterable[Mention]) -> list[Link]:
        """Resolve mentions article by article (consecutive article ids), without merges.

        What the index holds afterwards is the state that resolving later mentions
        continues from (`catalog` stores it); merges only shape what is shown.
        """
        links: list[Link] = []
        for _, group in groupby(mentions, key=lambda m: m.article_id):
            links.extend(self.resolve_article(list(group)))
        return links

    @property
    def split_targets(self) -> dict[int, str]:
        """Split decision id → the entity its split-off mentions formed (the first created it)."""
        return dict(self._split_targets)

    def restore_splits(self, targets: dict[int, str]) -> None:
        """Continue from a stored state: the entities earlier mentions formed for each split."""
        self._split_targets = dict(targets)
        self._split_entities = set(targets.values())

    def resolve_article(self, mentions: list[Mention]) -> list[Link]:
        """Resolve one article's mentions; surname-only people use the article's full names."""
        links: list[Link | None] = [None] * len(mentions)
        deferred: list[tuple[int, NameKey, _Choice | None]] = []
        for i, mention in enumerate(mentions):
            known = self._known_link(mention)
            if known is not None:
                links[i] = known
                continue
            key = mention_key(mention)
            if mention.type == EntityType.PER and len(key.tokens) == 1:
                deferred.append((i, key, None))
                continue
            choice = self._choose(mention, key)
            if len(choice.candidates) > 1:
                deferred.append((i, key, choice))
            else:
                links[i] = self._link(mention, key, choice)
        context = {link.entity_id for link in links if link is not None}
        people = [(i, link) for i, link in enumerate(links)
                  if link is not None and link.mention.type == EntityType.PER]
        for i, key, pending in deferred:
            mention = mentions[i]
            if pending is not None:
                choice = self._by_context(pending.candidates, context, pending.evidence)
            else:
                choice = self._surname_choice(i, mention, key, people, context)
            links[i] = self._link(mention, key, choice)
        resolved = [link for link in links if link is not None]
        self._count_context(resolved)
        return resolved

    # -- cascade steps ----------------------------------------------------------------

    def _known_link(self, mention: Mention) -> Link | None:
        """A listed place or organisation; an ORG mention tries organisations first."""
        if mention.type == EntityType.ORG:
            return (self._organisation_link(mention) or self._place_link(mention)
                    or self._reading_link(mention))
        return self._place_link(mention) or self._organisation_link(mention)

    def _organisation_link(self, mention: Mention) -> Link | None:
        if mention.type not in _ORGANISATION_TYPES:
            return None
        match = self.organisations.lookup(mention.text, mention.lang)
        if match is None:
            return None
        organisation = match.organisation
        entity = self.index.get(organisation.id) or self.index.new_entity(
            organisation.name, EntityType.ORG, entity_id=organisation.id)
        self.index.add_variant(entity, mention.text.strip(), mention.lang)
        self.rule_counts[LinkRule.ORGANISATION] += 1
        return Link(mention=mention, entity_id=organisation.id, rule=LinkRule.ORGANISATION,
                    evidence=f"listed form {match.form!r} ({match.lang}) of"
                             f" {organisation.name!r}")

    def _reading_link(self, mention: Mention) -> Link | None:
        """An ORG name read as (kind, domain, country): one entity per reading, or the
        listed organisation the reading names (see `organisation_readings`)."""
        reading = self.readings.read(mention.text, mention.lang)
        if reading is None:
            return None
        entity_id = self.readings.listed_id(reading) or reading.entity_id
        if self.index.get(entity_id) is None:
            earlier = self._acronym_first(mention)
            if earlier is not None:
                return earlier
        entity = self.index.get(entity_id) or self.index.new_entity(
            reading.describe(), EntityType.ORG, entity_id=entity_id)
        self.index.add_variant(entity, mention.text.strip(), mention.lang)
        self.rule_counts[LinkRule.ORGANISATION_READING] += 1
        return Link(mention=mention, entity_id=entity_id, rule=LinkRule.ORGANISATION_READING,
                    evidence=f"read as {reading.describe()}")

    def _acronym_first(self, mention: Mention) -> Link | None:
        """The one stored acronym a name that reads spells out (GUS before Główny Urząd
        Statystyczny), when its reading has no entity yet.

        Why: a name that reads never reaches the acronym step, so an acronym seen first
        would stay apart from its full name (held-out 12, where the acronym step linked
        them before statistics offices read).
        """
        found = [i for i in self.index.by_acronym(mention.text, mention.type, mention.lang)
                 if not is_reading_id(i)]
        if len(found) != 1:
            return None
        entity = self.index.get(found[0])
        if entity is None:
            return None
        self.index.add_variant(entity, mention.text.strip(), mention.lang)
        self.rule_counts[LinkRule.ACRONYM] += 1
        return Link(mention=mention, entity_id=entity.id, rule=LinkRule.ACRONYM,
                    evidence=f"acronym and initials of {mention.text.strip()!r}"
                             " (before its reading)")

    def _place_link(self, mention: Mention) -> Link | None:
        text = mention.text.strip()
        match = None
        if mention.type in _PLACE_TYPES:
            match = self.gazetteer.lookup(text, mention.lang,
                                          prefer_adjective=mention.type == EntityType.MISC)
        elif mention.type == EntityType.PER and " " not in text and _is_alphabetic(text):
            match = self.gazetteer.lookup_adjective(text)
        if match is None:
            return None
        place = match.place
        entity = self.index.get(place.id) or self.index.new_entity(
            place.name, EntityType.LOC, entity_id=place.id)
        self.index.add_variant(entity, text, mention.lang)
        is_adjective = match.kind == PlaceMatchKind.ADJECTIVE
        rule = LinkRule.PLACE_ADJECTIVE if is_adjective else LinkRule.PLACE
        evidence = f"{match.kind} key {match.key!r} → {place.kind} {place.name!r}"
        self.rule_counts[rule] += 1
        return Link(mention=mention, entity_id=place.id, rule=rule, evidence=evidence,
                    role=MentionRole.ADJECTIVE if is_adjective else MentionRole.NAME)

    def _forbidden(self, key: NameKey) -> set[str]:
        if self._split_entities and key.compacts & self._anchor_keys:
            return set(self._split_entities)
        return set()

    def _choose(self, mention: Mention, key: NameKey) -> _Choice:
        splits = self.decisions.splits_for(mention.text)
        if splits:
            decision = splits[0]
            return _Choice(self._split_targets.get(decision.id), LinkRule.USER_SPLIT,
                           decision.describe(), split=decision)
        forbidden = self._forbidden(key)
        exact = [i for i in self.index.exact(key, mention.type) if i not in forbidden]
        chosen = _single_or_ambiguous(exact, LinkRule.NAME_KEY, f"name key {key.compact!r}")
        if chosen is None and mention.type == EntityType.PER:
            shortened = [i for i in self.index.by_shortened(key, mention.type)
                         if i not in forbidden]
            chosen = _single_or_ambiguous(shortened, LinkRule.NAME_KEY,
                                          f"shortened name key {key.compact!r}")
        if chosen is None and mention.type == EntityType.ORG:
            abbreviated = [i for i in self.index.by_acronym(
                               mention.text, mention.type, mention.lang)
                           if i not in forbidden]
            chosen = _single_or_ambiguous(abbreviated, LinkRule.ACRONYM,
                                          f"acronym and initials of {mention.text.strip()!r}")
        if chosen is not None:
            return chosen
        fuzzy = self._fuzzy(mention, key, forbidden)
        if fuzzy is not None:
            return fuzzy
        embedded = self._embedded(mention, key, forbidden)
        if embedded is not None:
            return embedded
        evidence = f"no entity with name key {key.compact!r}"
        if mention.type == EntityType.PER and len(key.tokens) >= 2:
            decided = self._surname_only_holder(mention, key, forbidden)
            if decided.entity_id is None:
                decided = self._trailing_name_holder(mention, key, forbidden)
            if decided.entity_id is not None:
                return _Choice(decided.entity_id, LinkRule.STORED_SURNAME, decided.reason)
        return _Choice(None, LinkRule.NEW, evidence)

    def _surname_only_holder(self, mention: Mention, key: NameKey,
                             forbidden: set[str]) -> SurnameChoice:
        """A full name's entity known so far only by its surname ("Tuska" before "Donald Tusk").

        Refused when a stored person with a given name bears the surname: the
        surname-only entity may then be that person, or a mix of several.
        """
        surnames = _family_names(key)
        if any(self.index.by_surname(surname, 1) for surname in surnames):
            return SurnameChoice(None, "another stored person bears the surname")
        holders: dict[str, CanonicalEntity] = {}
        for surname in surnames:
            for entity_id in self.index.by_bare_surname(surname):
                entity = self.index.get(entity_id)
                if (entity is not None and entity_id not in forbidden
                        and _is_surname_only(entity)
                        and not any(is_feminine_of(v.name, v.lang, {mention.lang}, surnames)
                                    for v in entity.variants.values())):
                    holders[entity_id] = entity
        if not holders:
            holders = self._sound_holders(surnames, forbidden)
        bearers = [(i, e.name, e.mention_count) for i, e in holders.items()]
        decided = choose_by_surname(sorted(surnames)[0] if surnames else "", bearers,
                                    capped=False)
        if decided.entity_id is None:
            return decided
        return SurnameChoice(decided.entity_id,
                             f"{decided.reason} (known only by its surname; no stored person"
                             " with a given name bears it)")

    def _trailing_name_holder(self, mention: Mention, key: NameKey,
                              forbidden: set[str]) -> SurnameChoice:
        """The one stored person whose longer full name ends in this name's words, when
        those words are one surname: hyphenated or with a particle ("von der Leyen",
        "Akufo-Addo": `entity_index._trailing_compacts`), or a Spanish or Portuguese
        double surname ("Lacalle Pou").

        Why not any last words: "Idriss Déby" is the father of Mahamat Idriss Déby, and
        Arab and African names often carry the father's name before the family name.
        """
        if key.script in SYLLABIC_SCRIPTS:
            return SurnameChoice(None, "syllabic script")
        found, capped = self._by_sounds(set(key.compacts), self.index.by_trailing)
        bearers = self._people(found, forbidden)
        decided = choose_by_surname(key.compact, bearers, capped=capped)
        if decided.entity_id is None:
            return decided
        if not (_is_compound_surname(without_titles(mention.text))
                or any(v.lang.split("-")[0] in DOUBLE_SURNAME_LANGUAGES
                       for v in self.index.entities[decided.entity_id].variants.values())):
            return SurnameChoice(None, f"{mention.text.strip()!r} may be a middle name and"
                                       " a surname, not one surname")
        return SurnameChoice(decided.entity_id,
                             f"the last words of a longer name: {decided.reason}")

    def _sound_holders(self, surnames: set[str],
                       forbidden: set[str]) -> dict[str, CanonicalEntity]:
        """Surname-only people whose stems sound like one of ``surnames`` (Макрона before
        "Emmanuel Macron"), when no full-named stored person's surname sounds so too."""
        sounds = {sound for surname in surnames for sound in stored_surname_sounds(surname)}
        if any(self.index.by_surname_sound(sound, 1) for sound in sounds):
            return {}
        holders: dict[str, CanonicalEntity] = {}
        for sound in sorted(sounds):
            for entity_id in self.index.by_bare_surname_sound(sound):
                entity = self.index.get(entity_id)
                if (entity is not None and entity_id not in forbidden
                        and entity.type == EntityType.PER and _is_surname_only(entity)
                        and not any(is_other_gender_form(_bare_token(v.name), surname)
                                    for v in entity.variants.values() for surname in surnames)):
                    holders[entity_id] = entity
        return holders

    def _names_other_country(self, countries: frozenset[str], name: str, lang: str) -> bool:
        """Whether a stored organisation name names countries, none of them in ``countries``."""
        theirs = self.readings.countries_named(name, lang)
        return bool(theirs) and not theirs & countries

    def _embedded(self, mention: Mention, key: NameKey, forbidden: set[str]) -> _Choice | None:
        """The embedding step: only for non-Latin PER/ORG mentions that no key matched."""
        if (self.name_embeddings is None or mention.type not in _EMBEDDED_TYPES
                or key.script == Script.LATIN):
            return None
        gallery = [item for item in self._gallery(mention.type) if item[0] not in forbidden]
        match = self.name_embeddings.best(mention.text.strip(), gallery)
        if match is None:
            return None
        return _Choice(match.entity_id, LinkRule.NAME_EMBEDDING, match.describe())

    def _gallery(self, type_: EntityType) -> list[tuple[str, str]]:
        """(entity id, Latin name) of the most mentioned entities of ``type_``, one per entity.

        Rebuilt only when the index has grown by `GALLERY_REFRESH_SHARE` (a scan of a
        million entities per mention would cost more than the embedding).
        """
        size = len(self.index)
        built = self._galleries.get(type_)
        if built is not None and (built[0] == size or (
                size >= 10_000 and size - built[0] < GALLERY_REFRESH_SHARE * built[0])):
            return built[1]
        from .name_embedding import MAX_GALLERY

        named = [(entity.mention_count, entity.id, latin) for entity in self.index
                 if entity.type == type_ and (latin := _latin_name(entity)) is not None]
        top = heapq.nlargest(MAX_GALLERY, named)
        gallery = [(entity_id, name) for _, entity_id, name in top]
        self._galleries[type_] = (size, gallery)
        return gallery

    def _fuzzy(self, mention: Mention, key: NameKey, forbidden: set[str]) -> _Choice | None:
        passed: list[tuple[str, str]] = []
        type_ = mention.type
        countries = (self.readings.countries_named(mention.text, mention.lang)
                     if type_ == EntityType.ORG else frozenset())
        for entity_id in self.index.by_skeleton(key, type_, MAX_FUZZY_CANDIDATES):
            entity = self.index.get(entity_id)
            if entity is None or entity_id in forbidden:
                continue
            variants = sorted(entity.variants.values(), key=lambda v: -v.count)
            for variant in variants[:MAX_VARIANTS_CHECKED]:
                if countries and self._names_other_country(countries, variant.name,
                                                           variant.lang):
                    continue
                alignment = align_names(key, self.index.variant_key(variant))
                if alignment is not None:
                    passed.append((entity_id, f"skeleton {sorted(key.skeletons)[0]!r}; "
                                   f"{variant.name!r}: {alignment.describe()}"))
                    break
        if len(passed) == 1:
            return _Choice(passed[0][0], LinkRule.FUZZY_NAME, passed[0][1])
        if len(passed) > 1:
            return _Choice(None, LinkRule.NAME_KEY_CONTEXT, "fuzzy: " + passed[0][1],
                           [entity_id for entity_id, _ in passed])
        return None

    def _by_context(self, candidates: list[str], context: set[str], why: str) -> _Choice:
        scored = []
        for entity_id in candidates:
            entity = self.index.get(entity_id)
            if entity is not None:
                shared = sum(1 for other in context if entity.context.get(other))
                scored.append((shared, entity.mention_count, entity_id))
        scored.sort(reverse=True)
        best = scored[0]
        basis = (f"{best[0]} shared co-occurring entities" if best[0]
                 else f"no shared context; most mentioned ({best[1]})")
        return _Choice(best[2], LinkRule.NAME_KEY_CONTEXT, f"{why}; chose by {basis}")

    def _surname_choice(self, position: int, mention: Mention, key: NameKey,
                        people: list[tuple[int, Link]], context: set[str]) -> _Choice:
        surnames = {reading[-1] for reading in key.readings if reading}
        same = [(i, link) for i, link in people if surnames & _surnames(link.mention)]
        if same:
            before = [item for item in same if item[0] < position]
            i, link = before[-1] if before else same[0]
            return _Choice(link.entity_id, LinkRule.ARTICLE_SURNAME,
                           f"surname of {link.mention.text!r} at {link.mention.span}"
                           f" in the same article")
        choice = self._choose(mention, key)
        if choice.split is not None:
            return choice
        if choice.entity_id is not None or len(choice.candidates) > 1:
            return self._by_context(choice.candidates, context, choice.evidence) \
                if choice.entity_id is None else choice
        stored = []
        for surname in surnames:
            stored.extend(self.index.by_surname(surname, MAX_SURNAME_CANDIDATES))
        supported = [entity_id for entity_id in dict.fromkeys(stored)
                     if (entity := self.index.get(entity_id)) is not None
                     and any(entity.context.get(other) for other in context)]
        if len(supported) == 1:
            entity = self.index.entities[supported[0]]
            return _Choice(supported[0], LinkRule.SURNAME_CONTEXT,
                           f"surname of {entity.name!r}, which shares co-occurring entities")
        decided = self._stored_surname(mention, key)
        if decided.entity_id is not None:
            return _Choice(decided.entity_id, LinkRule.STORED_SURNAME, decided.reason)
        return replace(choice, evidence=f"{choice.evidence}; {decided.reason}")

    def _stored_surname(self, mention: Mention, key: NameKey) -> SurnameChoice:
        """The stored person a bare surname names across articles (`surname_links`)."""
        forbidden = self._forbidden(key)
        stems = list(dict.fromkeys(stem for reading in key.readings if len(reading) == 1
                                   for stem in surname_stems(reading[0])))
        found: dict[str, None] = {}
        capped = False
        for stem in stems:
            ids = self.index.by_surname(stem, MAX_SURNAME_BEARERS)
            capped = capped or len(ids) >= MAX_SURNAME_BEARERS
            found.update(dict.fromkeys(ids))
        bearers = self._people(found, forbidden)
        sounds: set[str] = set()
        if not bearers:
            sounds = {sound for reading in key.readings if len(reading) == 1
                      for sound in mention_surname_sounds(reading[0])}
            found, capped = self._by_sounds(sounds, self.index.by_surname_sound)
            bearers = self._people(found, forbidden)
        surname = key.tokens[0] if key.tokens else ""
        decided = choose_by_surname(surname, bearers, capped=capped)
        if decided.entity_id is None:
            return decided
        chosen = self.index.entities[decided.entity_id]
        bears = _borne_surnames(chosen)
        if not bears & set(stems) and not (sounds and _sound_borne(surname, bears, sounds)):
            return SurnameChoice(None, f"{chosen.name!r} has {surname!r} only as a given name")
        if is_feminine_of(mention.text, mention.lang, {v.lang for v in chosen.variants.values()},
                          bears):
            return SurnameChoice(None, f"{mention.text.strip()!r} is the feminine form of"
                                       f" {chosen.name!r}'s surname in Czech or Slovak news")
        return decided

    def _people(self, ids: dict[str, None], forbidden: set[str]) -> list[tuple[str, str, int]]:
        """(id, name, mentions) of the people among ``ids`` that are not ``forbidden``."""
        return [(entity_id, entity.name, entity.mention_count) for entity_id in ids
                if entity_id not in forbidden and (entity := self.index.get(entity_id))
                is not None and entity.type == EntityType.PER]

    @staticmethod
    def _by_sounds(sounds: set[str],
                   lookup: Callable[[str, int], list[str]]) -> tuple[dict[str, None], bool]:
        """Ids ``lookup`` gives for any of ``sounds`` (sorted, for determinism), and whether
        one sound reached `MAX_SURNAME_BEARERS` (a common skeleton names nobody)."""
        found: dict[str, None] = {}
        capped = False
        for sound in sorted(sounds):
            ids = lookup(sound, MAX_SURNAME_BEARERS)
            capped = capped or len(ids) >= MAX_SURNAME_BEARERS
            found.update(dict.fromkeys(ids))
        return found, capped

    # -- bookkeeping ------------------------------------------------------------------

    def _link(self, mention: Mention, key: NameKey, choice: _Choice) -> Link:
        entity: CanonicalEntity | None = None
        if choice.entity_id is not None:
            entity = self.index.get(choice.entity_id)
        if entity is None:
            entity = self.index.new_entity(mention.text.strip(), mention.type,
                                           salt="split" if choice.split else "")
            if choice.split is not None:
                self._split_entities.add(entity.id)
                self._split_targets[choice.split.id] = entity.id
        self.index.add_variant(entity, mention.text.strip(), mention.lang, key)
        self._touched.add(entity.id)
        self.rule_counts[choice.rule] += 1
        return Link(mention=mention, entity_id=entity.id, rule=choice.rule,
                    evidence=choice.evidence)

    def _count_context(self, links: list[Link]) -> None:
        ids = list(dict.fromkeys(link.entity_id for link in links))[:MAX_CONTEXT_ENTITIES]
        for entity_id in ids:
            entity = self.index.get(entity_id)
            if entity is None:
                continue
            for other in ids:
                if other != entity_id:
                    entity.context[other] = entity.context.get(other, 0) + 1

    def apply_merges(self, links: list[Link]) -> list[Link]:
        """Apply the user's merge decisions to the index and rewrite the affected links."""
        return relink(links, merge_entities(self.index, self.decisions))

    def refresh_names(self) -> None:
        """Set the canonical name (see `canonical_variant`) of each entity that got mentions."""
        for entity_id in self._touched:
            entity = self.index.get(entity_id)
            if entity is not None:
                entity.name = display_name(entity)
        self._touched.clear()


Moved = dict[str, tuple[str, Decision]]
"""Merged-away entity id → (the entity it is now part of, the decision that merged it)."""


def merge_entities(index: EntityIndex, decisions: Decisions) -> Moved:
    """Apply the merge decisions, oldest first, to whichever entities hold their names.

    Each decision finds its two entities by name in the index as earlier merges
    left it; a decision whose names are held by one entity, or by none, does nothing.
    """
    moved: Moved = {}
    for decision in decisions.merges:
        keep = _holder(index, decision.anchor, decision.anchor_lang)
        gone = _holder(index, decision.other, decision.other_lang)
        if keep is None or gone is None or keep.id == gone.id:
            continue
        index.merge(keep, gone)
        moved[gone.id] = (keep.id, decision)
        for old, (target, earlier) in list(moved.items()):
            if target == gone.id:
                moved[old] = (keep.id, earlier)
    return moved


def relink(links: list[Link], moved: Moved) -> list[Link]:
    """``links`` with each link to a merged-away entity moved to its new one (rule user_merge)."""
    if not moved:
        return links
    return [merged_link(link, moved) for link in links]


def merged_link(link: Link, moved: Moved) -> Link:
    """``link`` as the merges show it: to the entity it was merged into, if it was."""
    if link.entity_id not in moved:
        return link
    target, decision = moved[link.entity_id]
    return replace(link, entity_id=target, rule=LinkRule.USER_MERGE,
                   evidence=f"{decision.describe()} (was {link.rule}: {link.evidence})")


def _holder(index: EntityIndex, name: str, lang: str) -> CanonicalEntity | None:
    """The entity holding the variant ``name`` (its name key, types in tag-set order)."""
    key = name_key(name, lang)
    for type_ in EntityType:
        for entity_id in index.exact(key, type_):
            entity = index.get(entity_id)
            if entity is not None:
                return entity
    return None


def display_name(entity: CanonicalEntity) -> str:
    """The name an entity is shown by: a listed place or organisation keeps its table name,
    others (an organisation known by its reading too) `canonical_variant`."""
    if (entity.id.startswith(("geo:", "org:")) and not is_reading_id(entity.id)) \
            or not entity.variants:
        return entity.name
    return canonical_variant(entity).name


def canonical_variant(entity: CanonicalEntity) -> Variant:
    """The variant that names ``entity``: Latin script, a full name, most frequent, English on ties.

    Latin script because most readers of a multilingual monitor read it; a full name
    over a surname; then frequency; English breaks ties as the usual pivot language.
    """
    variants = list(entity.variants.values())
    latin = [v for v in variants if all(ord(ch) < 0x250 for ch in v.name)] or variants
    return max(latin, key=lambda v: (" " in v.name.strip(), v.count, v.lang == "en"))


def _latin_name(entity: CanonicalEntity) -> str | None:
    """The entity's name if in Latin script, else its most frequent Latin variant, else None."""
    if entity.name.isascii() or all(ord(ch) < 0x250 for ch in entity.name):
        return entity.name
    latin = [v for v in entity.variants.values() if all(ord(ch) < 0x250 for ch in v.name)]
    return max(latin, key=lambda v: v.count).name if latin else None


def _is_alphabetic(text: str) -> bool:
    """Latin, Cyrillic or Greek letters only: the scripts the adjective table is written in.

    (ソニー, Sony, must not become Zimbabwe through a romanised "soni".)
    """
    return all(not ch.isalpha() or ord(ch) < 0x530 for ch in text)


def mention_key(mention: Mention) -> NameKey:
    """The mention's name key; a person's without the title before the name (`titles`)."""
    text = without_titles(mention.text) if mention.type == EntityType.PER else mention.text
    return name_key(text, mention.lang)


def _family_names(key: NameKey) -> set[str]:
    """The last word of each reading of a full name, except words that start another reading.

    Why: swapped readings (Hungarian order, romaji pairs) put given names last, and a
    given name must not pass for a surname ("Benjamin" is not Netanyahu).
    """
    firsts = {reading[0] for reading in key.readings if len(reading) >= 2}
    found = {reading[-1] for reading in key.readings
             if len(reading) >= 2 and reading[-1] not in firsts}
    if found or len(key.tokens) < 2 or key.lang in FAMILY_FIRST_LANGUAGES:
        return found
    # Every word starts some reading: a two-word name read in both orders because both
    # words look like romaji (Benjamin Netanyahu). As written, it is given name first.
    return {reading[-1] for reading in key.readings
            if len(reading) == len(key.tokens) and reading[0] == key.tokens[0]}


def _borne_surnames(entity: CanonicalEntity) -> set[str]:
    """The surnames an entity's most frequent full-named variants give it (`_family_names`)."""
    variants = sorted(entity.variants.values(), key=lambda v: -v.count)
    full = [v for v in variants if " " in without_titles(v.name).strip()]
    return {surname for v in full[:MAX_VARIANTS_CHECKED]
            for surname in _family_names(name_key(without_titles(v.name), v.lang))}


DOUBLE_SURNAME_LANGUAGES = frozenset({"es", "pt", "ca", "gl"})
"""Languages whose people carry two surnames, written without the given name (Lacalle Pou)."""

_COMPOUND_PARTICLES = NAME_PARTICLES - TRAILING_EXCLUDED_STARTS


def _is_compound_surname(text: str) -> bool:
    """Whether a name of two or more words is written as one surname: its words joined by
    a hyphen (Akufo-Addo) or opened by a particle (von der Leyen, da Silva)."""
    words = text.split()
    return bool(words) and (words[0].casefold() in _COMPOUND_PARTICLES
                            or any("-" in word.strip("-") for word in words))


def _sound_borne(token: str, bears: set[str], sounds: set[str]) -> bool:
    """Whether a bare ``token`` sounds like one of the surnames ``bears`` and is not its
    other gender's form (Kowalska is not Kowalski)."""
    return any(stored_surname_sounds(surname) & sounds and not is_other_gender_form(token, surname)
               for surname in bears)


def _bare_token(name: str) -> str:
    """The folded word a one-word person variant is, its title dropped."""
    return without_titles(name).strip().casefold()


def _is_surname_only(entity: CanonicalEntity) -> bool:
    """Whether every variant of a person is one word once titles are dropped."""
    return all(" " not in without_titles(v.name).strip() for v in entity.variants.values())


def _surnames(mention: Mention) -> set[str]:
    key = name_key(mention.text, mention.lang)
    return {reading[-1] for reading in key.readings if len(reading) >= 2}
