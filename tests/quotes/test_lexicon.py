"""Lexicon files: at least 25 languages, every entry sourced, inflection patterns expanded."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from babelwire.errors import ConfigError
from babelwire.quotes.lexicon import (
    LEXICON_PACKAGE,
    Position,
    SpeakerKind,
    available_languages,
    load_lexicon,
    parse_lexicon,
)

LANGUAGES = available_languages()


def test_lexicons_exist_for_at_least_25_languages() -> None:
    assert len(LANGUAGES) >= 25, LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_verb_and_according_entry_names_a_defined_source(language: str) -> None:
    text = (resources.files(LEXICON_PACKAGE) / f"{language}.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    sources = table["sources"]
    assert all(sources[key].strip() for key in sources)
    for entry in table.get("verbs", []) + table.get("according", []):
        assert entry["source"] in sources, entry
    lexicon = load_lexicon(language)
    assert lexicon is not None and lexicon.language == language
    assert lexicon.verbs and lexicon.according


def test_german_weak_verbs_expand_from_stem_and_pattern() -> None:
    lexicon = load_lexicon("de")
    assert lexicon is not None
    assert {f.lemma for f in lexicon.verb_forms("sagte")} >= {"sagen"}
    assert lexicon.verb_forms("gesagt") and lexicon.verb_forms("erklärte")


def test_separable_verbs_need_their_particle_only_when_split() -> None:
    lexicon = load_lexicon("de")
    assert lexicon is not None
    assert [f.particle for f in lexicon.verb_forms("teilte")] == ["mit"]
    assert [f.particle for f in lexicon.verb_forms("mitgeteilt")] == [None]


def test_arabic_clitic_prefixes_are_stripped_before_lookup() -> None:
    lexicon = load_lexicon("ar")
    assert lexicon is not None
    assert lexicon.verb_forms("وقال") == lexicon.verb_forms("قال") != []


def test_role_nouns_match_compounds_and_inflections_by_their_last_part() -> None:
    nb, de = load_lexicon("nb"), load_lexicon("de")
    assert nb is not None and de is not None
    assert nb.role_kind("Kreml-talsmannen") is SpeakerKind.PER
    assert nb.role_kind("Konsernsjef") is SpeakerKind.PER
    assert de.role_kind("Regierungssprecher") is SpeakerKind.PER
    assert de.role_kind("Staatsanwaltschaft") is SpeakerKind.ORG


def test_according_to_positions_are_read() -> None:
    de = load_lexicon("de")
    assert de is not None
    positions = {a.phrase: a.position for a in de.according}
    assert positions["laut"] is Position.BEFORE
    assert positions["zufolge"] is Position.AFTER
    assert positions["so"] is Position.TRAILING


def test_a_language_without_a_file_has_no_lexicon() -> None:
    assert load_lexicon("xx") is None


def test_an_entry_without_a_known_source_is_refused_with_the_entry_named() -> None:
    text = '''language = "xx"
verbs = [{ lemma = "say", forms = ["said"], source = "nowhere" }]
[sources]
own = "own knowledge"
'''
    with pytest.raises(ConfigError, match=r"xx.toml verbs\[1\]: source 'nowhere' is not a key"):
        parse_lexicon(text, name="xx.toml")


def test_an_unknown_pattern_is_refused_with_the_known_ones_listed() -> None:
    text = '''language = "xx"
verbs = [{ lemma = "say", stem = "sa", pattern = "nope", source = "own" }]
[sources]
own = "own knowledge"
[patterns]
weak = ["{s}d"]
'''
    with pytest.raises(ConfigError, match="unknown pattern 'nope'; patterns: weak"):
        parse_lexicon(text, name="xx.toml")


def test_a_lemma_is_a_verb_form_unless_its_entry_says_it_is_not() -> None:
    text = '''language = "xx"
verbs = [{ lemma = "tweet", lemma_is_form = false, forms = ["tweeted"], source = "own" },
  { lemma = "say", forms = ["said"], source = "own" }]
[sources]
own = "own knowledge"
'''
    lexicon = parse_lexicon(text, name="xx.toml")
    assert lexicon.verb_forms("tweeted") and not lexicon.verb_forms("tweet")
    assert lexicon.verb_forms("say") and lexicon.verb_forms("said")


def test_a_preposition_object_verb_of_one_word_is_refused_with_an_example() -> None:
    text = '''language = "xx"
verbs = [{ lemma = "speak", forms = ["spoke"], source = "own" }]
preposition_object_verbs = ["speak"]
[sources]
own = "own knowledge"
'''
    with pytest.raises(ConfigError, match='preposition_object_verbs entry .speak. is not a verb'
                                          '.*e.g. "sprechen von"'):
        parse_lexicon(text, name="xx.toml")
