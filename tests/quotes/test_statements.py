"""Grouping one statement's reports across languages (`babelwire.quotes.statements`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from babelwire.quotes.statements import MIN_BACKGROUND, StatementGrouper

STATEMENTS = Path(__file__).resolve().parent / "statements.json"


@dataclass(frozen=True)
class Said:
    text: str
    lang: str


def _language_embed(texts: list[str]) -> list[list[float]]:
    """Texts "<statement>@<lang>": a strong language axis plus a weaker statement axis, the
    way raw e5 vectors carry the language."""
    axes = {"taxes": 0, "bridge": 1, "strike": 2, "bg1": 3, "bg2": 4, "bg3": 5}
    langs = {"en": 6, "de": 7}
    out = []
    for text in texts:
        statement, lang = text.split("@")
        vector = np.zeros(8)
        vector[axes[statement]] = 0.5
        vector[langs[lang]] = 1.0
        out.append(vector.tolist())
    return out


def _background(lang: str) -> list[str]:
    return [f"bg{k % 3 + 1}@{lang}" for k in range(MIN_BACKGROUND)]


def test_grouper_joins_one_statement_across_languages_once_the_language_is_removed() -> None:
    quotes = [Said("bridge@en", "en"), Said("taxes@de", "de"), Said("bridge@de", "de"),
              Said("strike@en", "en")]
    groups = StatementGrouper(_language_embed, _background).group(quotes)
    assert groups == [[0, 2], [1], [3]]


def test_grouper_without_background_compares_raw_vectors_and_keeps_languages_apart() -> None:
    quotes = [Said("bridge@en", "en"), Said("bridge@de", "de"), Said("bridge@en", "en")]
    groups = StatementGrouper(_language_embed, lambda lang: []).group(quotes)
    assert groups == [[0, 2], [1]]


def test_grouper_needs_every_member_to_match_so_chains_never_merge() -> None:
    vectors = {"a": [1.0, 0.0], "b": [0.97, 0.243], "c": [0.88, 0.475]}  # a~b, b~c, not a~c
    quotes = [Said(k, "en") for k in ("a", "b", "c")]
    grouper = StatementGrouper(lambda texts: [vectors[t] for t in texts], lambda lang: [])
    assert grouper.group(quotes) == [[0, 1], [2]]


@pytest.mark.slow
def test_grouper_with_e5_never_merges_two_of_the_written_statements() -> None:
    """The measured threshold on the statements written for it, with the language means
    taken from the other half of the topics (what the module docstring reports)."""
    from babelwire.quotes.statements import EncoderEmbed

    data = json.loads(STATEMENTS.read_text(encoding="utf-8"))["statements"]
    topics = sorted({s["id"].split("-")[0] for s in data})
    embed = EncoderEmbed()
    joined = 0
    for half in (set(topics[:5]), set(topics[5:])):
        mine = [(s["id"], Said(s[lang], lang)) for s in data for lang in ("en", "de", "fr", "es")
                if s["id"].split("-")[0] in half]
        others = {lang: [s[lang] for s in data if s["id"].split("-")[0] not in half]
                  for lang in ("en", "de", "fr", "es")}
        groups = StatementGrouper(embed, others.__getitem__).group([q for _, q in mine])
        assert all(len({mine[i][0] for i in group}) == 1 for group in groups)
        joined += sum(len(group) - 1 for group in groups)
    assert joined >= 0.8 * 20 * 3  # most reports of each statement join it
