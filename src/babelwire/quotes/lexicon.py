"""Speech-verb and according-to lexicons: data files per language, read into a `Lexicon`.

Each language has one TOML file in ``quotes/lexicons/`` (keys documented in
``lexicons/README.md``). Verbs are written as a lemma plus either a stem and
an inflection pattern of that file (``{s}e``, ``{s}te``, ``ge{s}t`` for German
weak verbs) or, for irregular verbs, their forms; separable German and Dutch
verbs name their particle ("teilte … mit"), Arabic files list clitic prefixes
(و، ف) that may stand before any form. Every verb and according-to entry names
its source by a key of the file's ``[sources]`` table, which says where the
words were checked.

Lexicons are data, so adding a language is adding a file; the extractor only
reads the word classes here (never a language code in code).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from ..errors import ConfigError

LEXICON_PACKAGE = "babelwire.quotes.lexicons"
GAP = "…"
"""In an according-to phrase, up to `MAX_GAP_WORDS` words may stand here ("nach … Angaben")."""
NOUN = "{noun}"
"""In an according-to phrase, a word ending in one of the file's ``according_nouns``."""
MAX_GAP_WORDS = 2
MAX_REMEMBERED_WORDS = 100_000
"""Words whose role-noun reading a `Lexicon` remembers before it starts over (a few MB)."""


class Position(StrEnum):
    """Where an according-to form stands relative to the speaker it introduces."""

    BEFORE = "before"  # laut X, according to X, selon X, по словам X
    AFTER = "after"  # X zufolge
    TRAILING = "trailing"  # "…, so X." / "…, aldus X.": after a comma, speaker to the sentence end
    ANAPHORIC = "anaphoric"  # "Demnach ist …": the source named before; the word stands for it
    RELATIVE = "relative"  # "…, wonach …": the noun before the comma; the clause after is content


class ObjectScope(StrEnum):
    """What an object verb's quote covers when no clause follows it (`Lexicon.object_verbs`)."""

    OBJECT = "object"  # "Biden mocked the Republican Party": the object (PolNeAR's attributions)
    SENTENCE = "sentence"  # "Die Hamas bezeichnete die Anschläge als …": the sentence (reported)


class SpeakerKind(StrEnum):
    """What a pronoun or role noun can refer to."""

    PER = "PER"
    ORG = "ORG"


@dataclass(frozen=True, slots=True)
class VerbForm:
    """One surface form of a speech verb; ``particle`` must follow it in the clause if set."""

    form: str
    lemma: str
    particle: str | None = None


@dataclass(frozen=True, slots=True)
class AccordingTo:
    """An according-to phrase, as lower-case words (`GAP` marks optional inserted words)."""

    words: tuple[str, ...]
    position: Position
    phrase: str


@dataclass(frozen=True, slots=True)
class Pronoun:
    """A pronoun that can be the subject of a speech verb."""

    word: str
    kind: SpeakerKind
    gender: str  # "m", "f" or "" (either / unknown)


@dataclass(slots=True)
class Lexicon:
    """Everything the quote extractor knows about one language."""

    language: str
    verbs: dict[str, list[VerbForm]] = field(default_factory=dict)
    according: list[AccordingTo] = field(default_factory=list)
    according_nouns: tuple[str, ...] = ()
    complementizers: frozenset[str] = frozenset()
    pronouns: dict[str, Pronoun] = field(default_factory=dict)
    person_roles: tuple[str, ...] = ()
    org_roles: tuple[str, ...] = ()
    determiners: frozenset[str] = frozenset()
    oblique_determiners: frozenset[str] = frozenset()
    prepositions: frozenset[str] = frozenset()
    conjunctions: frozenset[str] = frozenset()
    adverbs: frozenset[str] = frozenset()
    name_particles: frozenset[str] = frozenset()
    reported_mood: frozenset[str] = frozenset()
    free_reported_mood: frozenset[str] = frozenset()
    first_person_pronouns: frozenset[str] = frozenset()
    reported_mood_endings: tuple[str, ...] = ()
    indicative_endings: tuple[str, ...] = ()
    adverb_endings: tuple[str, ...] = ()
    genitive_determiners: frozenset[str] | None = None
    source_prepositions: frozenset[str] = frozenset()
    characterising_words: frozenset[str] = frozenset()
    characterising_exclusions: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    anaphors: frozenset[str] = frozenset()
    pronominal_determiners: frozenset[str] = frozenset()
    clause_openers: frozenset[str] = frozenset()
    content_enders: frozenset[str] = frozenset()
    fronted_openers: frozenset[str] = frozenset()
    time_words: frozenset[str] = frozenset()
    time_periods: frozenset[str] = frozenset()
    complement_heads: frozenset[str] = frozenset()
    infinitive_heads: frozenset[str] = frozenset()
    expletive_objects: frozenset[str] = frozenset()
    predicative_words: frozenset[str] = frozenset()
    reportative_modals: frozenset[str] = frozenset()
    perfect_infinitive_ends: frozenset[str] = frozenset()
    perfect_auxiliaries: frozenset[str] = frozenset()
    auxiliaries: frozenset[str] = frozenset()
    coordinators: frozenset[str] = frozenset()
    nominative_pronouns: frozenset[str] = frozenset()
    reflexives: frozenset[str] = frozenset()
    object_verbs: frozenset[str] = frozenset()
    addressee_verbs: frozenset[str] = frozenset()
    impersonal_verbs: frozenset[str] = frozenset()
    raising_verbs: frozenset[str] = frozenset()
    passive_raising_verbs: frozenset[str] = frozenset()
    passive_auxiliaries: frozenset[str] = frozenset()
    infinitive_markers: frozenset[str] = frozenset()
    agent_prepositions: frozenset[str] = frozenset()
    noun_cues: frozenset[tuple[str, str]] = frozenset()
    preposition_object_verbs: frozenset[tuple[str, str]] = frozenset()
    object_scope: ObjectScope = ObjectScope.OBJECT
    participle_endings: tuple[str, ...] = ()
    max_skip_tokens: int = 10
    long_adverbial_tokens: int = 0
    outermost_attributions: bool = False
    comma_clause_ends_content: bool = False
    postnominal_modifiers: bool = True
    capitalised_nouns: bool = False
    prefixes: tuple[str, ...] = ()
    dash_quotes: bool = False
    comma_complement: bool = False
    bare_complement: bool = False
    title_case: bool = False
    verb_second: bool = False
    spaced: bool = True
    cased: bool = True
    pro_drop: bool = False
    max_name_words: int = 4
    elisions: tuple[str, ...] = ()
    enclitic_subjects: tuple[str, ...] = ()
    quote_particles: frozenset[str] = frozenset()
    topic_particles: frozenset[str] = frozenset()
    sources: dict[str, str] = field(default_factory=dict)
    role_synonyms: dict[str, str] = field(default_factory=dict)
    _role_re: re.Pattern[str] | None = field(default=None, repr=False)
    _roles: dict[str, tuple[str, str] | None] = field(default_factory=dict, repr=False,
                                                      compare=False)
    _by_first: dict[str, list[str]] | None = field(default=None, repr=False)
    _according_by_first: dict[str, list[AccordingTo]] | None = field(default=None, repr=False)
    _cue_words: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def according_starting(self, word: str) -> list[AccordingTo]:
        """According-to entries that can start at ``word`` (lower case, clitics removed)."""
        if self._according_by_first is None:
            index: dict[str, list[AccordingTo]] = {}
            for entry in self.according:
                index.setdefault(entry.words[0], []).append(entry)
            self._according_by_first = index
        found = self._according_by_first.get(word, [])
        for prefix in self.prefixes:
            if word.startswith(prefix):
                found = found + self._according_by_first.get(word[len(prefix):], [])
        if NOUN in self._according_by_first and self.according_nouns \
                and word.endswith(self.according_nouns):
            found = found + self._according_by_first[NOUN]
        return found

    def may_start_cue(self, lower: str) -> bool:
        """Whether a verb form or an according-to phrase can start at a word written
        ``lower`` (lower case): False means `verb_forms` and `according_starting` find
        nothing there, so cue search skips the word without asking them (most words)."""
        if self._cue_words is None:
            self.according_starting("")  # builds the index
            assert self._according_by_first is not None
            self._cue_words = frozenset(self.verbs) | frozenset(self._according_by_first)
        if lower in self._cue_words:
            return True
        if self.prefixes and any(lower.startswith(p) and lower[len(p):] in self._cue_words
                                 for p in self.prefixes):
            return True
        return bool(self.according_nouns) and lower.endswith(self.according_nouns) \
            and NOUN in self._cue_words

    def verb_forms(self, word: str) -> list[VerbForm]:
        """The speech-verb readings of ``word`` (any case), clitic prefixes removed."""
        lower = word.lower()
        found = self.verbs.get(lower)
        if found:
            return found
        for prefix in self.prefixes:
            if lower.startswith(prefix) and lower[len(prefix):] in self.verbs:
                return self.verbs[lower[len(prefix):]]
        return []

    def forms_starting(self, char: str) -> list[str]:
        """Verb forms beginning with ``char``, longest first (for text written without spaces)."""
        if self._by_first is None:
            by_first: dict[str, list[str]] = {}
            for form in self.verbs:
                by_first.setdefault(form[:1], []).append(form)
            self._by_first = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
        return self._by_first.get(char.lower(), [])

    def strip_elision(self, word: str) -> str:
        """``word`` without an elided article or conjunction glued to it ("l’Arpal", "qu’il")."""
        if not self.elisions:
            return word  # most languages: skip the lower-casing (a hot path of every rule)
        lower = word.lower()
        for elision in self.elisions:
            if lower.startswith(elision) and len(word) > len(elision):
                return word[len(elision):]
        return word

    def has_elision(self, word: str) -> bool:
        return self.strip_elision(word) is not word

    def is_reported_form(self, word: str) -> bool:
        """A listed reported-mood form, or a lower-case word shaped like one (German
        Konjunktiv I "unterstütze", "werfe": stem + -e, not the weak preterite "-te") that is
        no function word. Only the position (right after a subject) makes it a verb."""
        lower = word.lower()
        if lower in self.reported_mood:
            return True
        if not word.islower() or not lower.endswith(self.reported_mood_endings) \
                or lower.endswith(self.indicative_endings):
            return False
        return not (lower in self.determiners or lower in self.prepositions
                    or lower in self.conjunctions or lower in self.adverbs
                    or lower in self.auxiliaries or lower in self.pronouns
                    or lower in self.clause_openers or lower in self.complementizers)

    def is_capitalised(self, word: str) -> bool:
        """A capital letter starts the word (after an elision); every word, in uncased scripts."""
        if not self.cased:
            return word[:1].isalpha()
        if not self.elisions:
            return word[:1].isupper()
        return self.strip_elision(word)[:1].isupper()

    def enclitic_subject(self, word: str) -> bool:
        """The word ends in an inverted subject pronoun ("a-t-il", "déclare-t-elle")."""
        lower = word.lower()
        return any(lower.endswith(e) for e in self.enclitic_subjects)

    def is_complementizer(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.complementizers or (
            self.has_elision(word) and lower[:len(lower) - len(self.strip_elision(word))].rstrip(
                "’'") in self.complementizers)

    def role_kind(self, word: str) -> SpeakerKind | None:
        """PER or ORG if ``word`` is (a compound or inflection of) a role noun, else None."""
        match = self._role_match(word)
        if match is None:
            return None
        return SpeakerKind.PER if match[0] == "per" else SpeakerKind.ORG

    def role_stem(self, word: str) -> str | None:
        """The role noun ``word`` ends in, as its synonym group's first member ("statsråden" →
        "minister" when the file groups them), or None."""
        match = self._role_match(word)
        if match is None:
            return None
        stem = match[1]
        return self.role_synonyms.get(stem, stem)

    def _role_match(self, word: str) -> tuple[str, str] | None:
        """(group name, matched stem) of the role pattern, remembered per word: the pattern
        backtracks over every stem at every position (≈ 4 µs a word, 8 % of the stage's
        time on the dev files before it was remembered)."""
        if word in self._roles:
            return self._roles[word]
        if self._role_re is None:
            self._role_re = _role_pattern(self.person_roles, self.org_roles)
        match = self._role_re.match(self.strip_elision(word).lower())
        found = None
        if match is not None:
            group = match.lastgroup or "per"
            found = (group, match.group(group))
        if len(self._roles) >= MAX_REMEMBERED_WORDS:
            self._roles.clear()  # a long-running process reads an open vocabulary
        self._roles[word] = found
        return found


_STEM_VOWELS = frozenset("aeiouyåäöæøьйаяеёиоуыэюіїєąęóéèíá")


def _stem(word: str) -> str:
    """A role word without its final vowel or soft sign, so inflections still match it
    ("пресс-секретарь" → "пресс-секретаря", "wojewoda" → "wojewody")."""
    return word[:-1] if len(word) > 4 and word[-1] in _STEM_VOWELS else word


def _role_pattern(person: Iterable[str], org: Iterable[str]) -> re.Pattern[str]:
    """Role stems at the end of a word, allowing a few letters of inflection (talsmann-en)."""
    def group(name: str, stems: Iterable[str]) -> str:
        words = sorted({re.escape(_stem(s)) for s in stems}, key=len, reverse=True)
        return f"(?P<{name}>{'|'.join(words) or '(?!)'})"
    # greedy prefix: the compound's last part is its head ("Konsernsjef" is a person, "sjef")
    return re.compile(f"^.*(?:{group('per', person)}|{group('org', org)})\\w{{0,4}}$")


def load_lexicon(language: str, folder: Traversable | None = None) -> Lexicon | None:
    """The lexicon of ``language``, or None when there is no file for it."""
    folder = folder if folder is not None else resources.files(LEXICON_PACKAGE)
    path = folder / f"{language}.toml"
    if not path.is_file():
        return None
    return parse_lexicon(path.read_text(encoding="utf-8"), name=f"{language}.toml")


def available_languages(folder: Traversable | None = None) -> list[str]:
    """Language codes that have a lexicon file."""
    folder = folder if folder is not None else resources.files(LEXICON_PACKAGE)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def parse_lexicon(text: str, *, name: str) -> Lexicon:
    """Build a `Lexicon` from the TOML text of one file; errors name the file and entry."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"quote lexicon {name} is not valid TOML: {error}") from error
    unknown = set(table) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"quote lexicon {name}: unknown keys {sorted(unknown)};"
                          f" known: {', '.join(sorted(_TOP_KEYS))}")
    sources = table.get("sources", {})
    lexicon = Lexicon(language=_required(table, "language", name), sources=sources,
                      dash_quotes=bool(table.get("dash_quotes", False)),
                      comma_complement=bool(table.get("comma_complement", False)),
                      bare_complement=bool(table.get("bare_complement", False)),
                      title_case=bool(table.get("title_case", False)),
                      verb_second=bool(table.get("verb_second", False)),
                      cased=bool(table.get("cased", True)),
                      pro_drop=bool(table.get("pro_drop", False)),
                      max_name_words=int(table.get("max_name_words", 4)),
                      elisions=tuple(table.get("elisions", ())),
                      enclitic_subjects=tuple(table.get("enclitic_subjects", ())),
                      quote_particles=frozenset(table.get("quote_particles", ())),
                      topic_particles=frozenset(table.get("topic_particles", ())),
                      spaced=bool(table.get("spaced", True)),
                      prefixes=tuple(table.get("prefixes", ())),
                      object_verbs=frozenset(table.get("object_verbs", ())),
                      addressee_verbs=frozenset(table.get("addressee_verbs", ())),
                      noun_cues=frozenset(_noun_cue(p, name) for p in table.get("noun_cues", ())),
                      preposition_object_verbs=frozenset(
                          _two_words(p, name, "preposition_object_verbs", "a verb", "sprechen von")
                          for p in table.get("preposition_object_verbs", ())),
                      impersonal_verbs=frozenset(table.get("impersonal_verbs", ())),
                      raising_verbs=frozenset(table.get("raising_verbs", ())),
                      passive_raising_verbs=frozenset(table.get("passive_raising_verbs", ())),
                      object_scope=_object_scope(table, name),
                      participle_endings=tuple(table.get("participle_endings", ())),
                      max_skip_tokens=int(table.get("max_skip_tokens", 10)),
                      long_adverbial_tokens=int(table.get("long_adverbial_tokens", 0)),
                      outermost_attributions=bool(table.get("outermost_attributions", False)),
                      comma_clause_ends_content=bool(
                          table.get("comma_clause_ends_content", False)),
                      postnominal_modifiers=bool(table.get("postnominal_modifiers", True)),
                      capitalised_nouns=bool(table.get("capitalised_nouns", False)))
    patterns = table.get("patterns", {})
    for number, entry in enumerate(table.get("verbs", []), start=1):
        _check_source(entry, sources, f"{name} verbs[{number}]")
        for form in expand_verb(entry, patterns, where=f"{name} verbs[{number}]"):
            lexicon.verbs.setdefault(form.form, []).append(form)
    for number, entry in enumerate(table.get("according", []), start=1):
        where = f"{name} according[{number}]"
        _check_source(entry, sources, where)
        lexicon.according.append(_according(entry, where))
    lexicon.according_nouns = tuple(w.lower() for w in table.get("according_nouns", ()))
    _read_words(lexicon, table.get("words", {}), name)
    return lexicon


def _object_scope(table: dict[str, Any], name: str) -> ObjectScope:
    value = table.get("object_scope", ObjectScope.OBJECT.value)
    try:
        return ObjectScope(value)
    except ValueError as error:
        raise ConfigError(f"quote lexicon {name}: object_scope {value!r} is not one of"
                          f" {', '.join(s.value for s in ObjectScope)}") from error


def _required(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ConfigError(f"quote lexicon {where}: missing key {key!r}")
    return table[key]


def _check_source(entry: dict[str, Any], sources: dict[str, str], where: str) -> None:
    source = entry.get("source")
    if source not in sources:
        raise ConfigError(f"{where}: source {source!r} is not a key of [sources]"
                          f" ({', '.join(sorted(sources)) or 'none defined'});"
                          " every entry names one")


def expand_verb(entry: dict[str, Any], patterns: dict[str, list[str]], *,
                where: str) -> list[VerbForm]:
    """All surface forms of one verb entry (pattern forms, listed forms, particle forms)."""
    lemma = _required(entry, "lemma", where)
    forms = [f.lower() for f in entry.get("forms", [])]
    if "pattern" in entry:
        pattern = patterns.get(entry["pattern"])
        if pattern is None:
            raise ConfigError(f"{where}: unknown pattern {entry['pattern']!r};"
                              f" patterns: {', '.join(sorted(patterns))}")
        stems = entry.get("stems") or [_required(entry, "stem", where)]
        forms += [p.replace("{s}", stem).lower() for stem in stems for p in pattern]
    if not forms:
        raise ConfigError(f"{where}: verb {lemma!r} has neither forms nor a stem and pattern")
    particle = entry.get("particle")
    if "forms" in entry and " " not in lemma and entry.get("lemma_is_form", True):
        # the lemma is the infinitive, which is also a plural present in most languages listed
        bare = lemma[len(particle):] if particle and lemma.startswith(particle) else lemma
        forms.append(bare.lower())
    if particle is None:
        return [VerbForm(form, lemma) for form in dict.fromkeys(forms)]
    # separable: finite forms split ("teilte … mit"); joined forms in subordinate clauses
    # and participles ("mitteilte", "mitgeteilt"), and the zu-infinitive ("mitzuteilen")
    split = [VerbForm(form, lemma, particle.lower()) for form in dict.fromkeys(forms)]
    joined = [VerbForm(particle.lower() + form, lemma) for form in dict.fromkeys(forms)]
    return split + joined


def _according(entry: dict[str, Any], where: str) -> AccordingTo:
    phrase = _required(entry, "phrase", where)
    try:
        position = Position(entry.get("position", "before"))
    except ValueError as error:
        raise ConfigError(f"{where}: position must be one of"
                          f" {', '.join(p.value for p in Position)}") from error
    words = tuple(w.lower() for w in phrase.replace(GAP, f" {GAP} ").split())
    return AccordingTo(words=words, position=position, phrase=phrase)


def _noun_cue(phrase: str, name: str) -> tuple[str, str]:
    """A ``noun_cues`` entry ("criticism of") as its two lower-case words."""
    return _two_words(phrase, name, "noun_cues", "a noun", "criticism of")


def _two_words(phrase: str, name: str, key: str, head: str, example: str) -> tuple[str, str]:
    """A ``key`` entry of a head word and its preposition, as two lower-case words."""
    words = phrase.lower().split()
    if len(words) != 2:
        raise ConfigError(f"quote lexicon {name}: {key} entry {phrase!r} is not {head} and"
                          f" a preposition; write two words, e.g. \"{example}\"")
    return words[0], words[1]


def _read_words(lexicon: Lexicon, words: dict[str, Any], name: str) -> None:
    def listed(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in words.get(key, []))
    lexicon.complementizers = listed("complementizers")
    lexicon.determiners = listed("determiners")
    lexicon.oblique_determiners = listed("oblique_determiners")
    lexicon.prepositions = listed("prepositions")
    lexicon.conjunctions = listed("conjunctions")
    lexicon.adverbs = listed("adverbs")
    lexicon.name_particles = listed("name_particles")
    lexicon.reported_mood = listed("reported_mood")
    lexicon.free_reported_mood = listed("free_reported_mood")
    lexicon.first_person_pronouns = listed("first_person_pronouns")
    lexicon.reported_mood_endings = tuple(words.get("reported_mood_endings", []))
    lexicon.indicative_endings = tuple(words.get("indicative_endings", []))
    lexicon.adverb_endings = tuple(w.lower() for w in words.get("adverb_endings", []))
    lexicon.source_prepositions = listed("source_prepositions")
    lexicon.characterising_words = listed("characterising_words")
    lexicon.characterising_exclusions = listed("characterising_exclusions")
    if "genitive_determiners" in words:
        lexicon.genitive_determiners = listed("genitive_determiners")
    lexicon.subordinators = listed("subordinators")
    lexicon.anaphors = listed("anaphors")
    lexicon.pronominal_determiners = listed("pronominal_determiners")
    lexicon.clause_openers = listed("clause_openers")
    lexicon.content_enders = listed("content_enders")
    lexicon.fronted_openers = listed("fronted_openers")
    lexicon.time_words = listed("time_words")
    lexicon.time_periods = listed("time_periods")
    lexicon.complement_heads = listed("complement_heads")
    lexicon.infinitive_heads = listed("infinitive_heads")
    lexicon.expletive_objects = listed("expletive_objects")
    lexicon.predicative_words = listed("predicative_words")
    lexicon.passive_auxiliaries = listed("passive_auxiliaries")
    lexicon.infinitive_markers = listed("infinitive_markers")
    lexicon.agent_prepositions = listed("agent_prepositions")
    lexicon.reportative_modals = listed("reportative_modals")
    lexicon.perfect_infinitive_ends = listed("perfect_infinitive_ends")
    lexicon.perfect_auxiliaries = listed("perfect_auxiliaries")
    lexicon.auxiliaries = listed("auxiliaries")
    lexicon.coordinators = listed("coordinators")
    lexicon.nominative_pronouns = listed("nominative_pronouns")
    lexicon.reflexives = listed("reflexives")
    lexicon.person_roles = tuple(w.lower() for w in words.get("person_roles", []))
    lexicon.org_roles = tuple(w.lower() for w in words.get("org_roles", []))
    for group in words.get("role_synonyms", []):
        for member in group:
            lexicon.role_synonyms[member.lower()] = _stem(group[0].lower())
            lexicon.role_synonyms[_stem(member.lower())] = _stem(group[0].lower())
    for key, kind, gender in (("pronouns_m", SpeakerKind.PER, "m"),
                              ("pronouns_f", SpeakerKind.PER, "f"),
                              ("pronouns_per", SpeakerKind.PER, ""),
                              ("pronouns_org", SpeakerKind.ORG, "")):
        for word in words.get(key, []):
            lexicon.pronouns.setdefault(word.lower(), Pronoun(word.lower(), kind, gender))
    unknown = set(words) - _WORD_KEYS
    if unknown:
        raise ConfigError(f"quote lexicon {name}: unknown [words] keys {sorted(unknown)};"
                          f" known: {', '.join(sorted(_WORD_KEYS))}")


_TOP_KEYS = frozenset({
    "language", "dash_quotes", "comma_complement", "bare_complement", "verb_second", "spaced",
    "cased", "pro_drop",
    "max_name_words", "elisions", "enclitic_subjects", "quote_particles", "topic_particles",
    "prefixes", "verbs", "according", "according_nouns", "sources", "patterns", "words",
    "object_verbs", "preposition_object_verbs", "addressee_verbs", "noun_cues", "object_scope",
    "impersonal_verbs",
    "raising_verbs",
    "passive_raising_verbs",
    "participle_endings", "max_skip_tokens", "long_adverbial_tokens",
    "outermost_attributions", "comma_clause_ends_content",
    "postnominal_modifiers", "title_case",
    "capitalised_nouns"})
_WORD_KEYS = frozenset({
    "clause_openers", "content_enders", "fronted_openers", "time_words", "time_periods",
    "complement_heads", "infinitive_heads",
    "expletive_objects", "predicative_words",
    "passive_auxiliaries", "infinitive_markers", "agent_prepositions",
    "reportative_modals",
    "perfect_infinitive_ends", "perfect_auxiliaries",
    "source", "complementizers", "determiners", "oblique_determiners", "prepositions",
    "conjunctions", "adverbs", "name_particles", "reported_mood", "subordinators", "anaphors",
    "pronominal_determiners",
    "free_reported_mood", "first_person_pronouns",
    "reported_mood_endings", "indicative_endings", "adverb_endings", "genitive_determiners",
    "source_prepositions",
    "characterising_words", "characterising_exclusions",
    "auxiliaries", "coordinators", "nominative_pronouns", "reflexives", "person_roles",
    "org_roles", "pronouns_m", "pronouns_f", "pronouns_per", "pronouns_org", "role_synonyms",
})
