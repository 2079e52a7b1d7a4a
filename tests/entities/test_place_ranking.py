"""Which place a shared name picks: a Latin-script name beats a lossy transliteration, a
country beats a city, and among cities the one the name is the English name of comes first."""

from __future__ import annotations

import pytest

from babelwire.entities.places import Gazetteer


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("Lyon", "fr", "Lyon"),        # a Kazakh Arabic-script label of Lebanon reads "lyon"
    ("Porto", "pt", "Porto"),      # also an alternate name of the larger Bordeaux
    ("Oporto", "en", "Porto"),
    ("França", "pt", "France"),    # the country, not the Brazilian city Franca
    ("Mexico", "en", "Mexico"),    # the country, not Mexico City
])
def test_a_shared_place_name_picks_the_place_it_names(gazetteer: Gazetteer, text: str,
                                                       lang: str, name: str) -> None:
    match = gazetteer.lookup(text, lang)
    assert match is not None and match.place.name == name
