"""The name-embedding step: only for unmatched non-Latin names, only past cosine and margin."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from babelwire.entities.name_embedding import EncoderNameEmbedder, NameEmbeddingMatcher
from babelwire.entities.places import Gazetteer
from babelwire.entities.records import EntityType, LinkRule, Mention
from babelwire.entities.resolver import EntityResolver

PER = EntityType.PER


class _FixedEmbedder:
    """Unit vectors chosen per name: cosines are set by the angle between them."""

    def __init__(self, angles: dict[str, float]) -> None:
        self.angles = angles
        self.calls: list[list[str]] = []

    def embed(self, names: list[str]) -> np.ndarray:
        self.calls.append(names)
        return np.array([[np.cos(self.angles[n]), np.sin(self.angles[n])] for n in names])


def _resolve(gazetteer: Gazetteer, embedder: _FixedEmbedder,
             names: list[tuple[str, str]]) -> list:
    resolver = EntityResolver(gazetteer, name_embeddings=NameEmbeddingMatcher(embedder))
    mentions = [Mention(text=text, type=PER, lang=lang, article_id=f"a{i}")
                for i, (text, lang) in enumerate(names)]
    return resolver.resolve(mentions)


def test_unmatched_kanji_name_links_to_the_nearest_latin_name_past_cosine_and_margin(
        gazetteer: Gazetteer) -> None:
    # A two-character name gets no Japanese reading (han_names.japanese_readings): no key
    # matches 蓮舫 to "Renho Murata".
    embedder = _FixedEmbedder({"Renho Murata": 0.0, "Angela Merkel": 1.2, "蓮舫": 0.2})
    renho, _, kanji = _resolve(gazetteer, embedder, [
        ("Renho Murata", "en"), ("Angela Merkel", "de"), ("蓮舫", "ja")])
    assert kanji.entity_id == renho.entity_id
    assert kanji.rule == LinkRule.NAME_EMBEDDING
    assert "name embedding cosine 0.980 to 'Renho Murata'" in kanji.evidence
    assert "over 'Angela Merkel'" in kanji.evidence


def test_a_close_runner_up_blocks_the_embedding_link(gazetteer: Gazetteer) -> None:
    embedder = _FixedEmbedder({"Renho Murata": 0.0, "Shinzo Abe": 0.3, "蓮舫": 0.15})
    links = _resolve(gazetteer, embedder, [
        ("Renho Murata", "en"), ("Shinzo Abe", "en"), ("蓮舫", "ja")])
    assert links[2].rule == LinkRule.NEW
    assert links[2].entity_id not in {links[0].entity_id, links[1].entity_id}


def test_latin_mentions_never_reach_the_embedding_step(gazetteer: Gazetteer) -> None:
    embedder = _FixedEmbedder({"Fumio Kishida": 0.0, "Fumiko Kishi": 0.0})
    links = _resolve(gazetteer, embedder, [("Fumio Kishida", "en"), ("Fumiko Kishi", "en")])
    assert links[1].rule == LinkRule.NEW
    assert embedder.calls == []


def test_encoder_name_embedder_encodes_each_name_once() -> None:
    encoded: list[list[str]] = []

    def encode(names: list[str], *, query: bool) -> SimpleNamespace:
        assert query
        encoded.append(names)
        return SimpleNamespace(embeddings=np.eye(4, dtype=np.float32)[: len(names)])

    embedder = EncoderNameEmbedder(SimpleNamespace(encode=encode))  # type: ignore[arg-type]
    first = embedder.embed(["Sony", "ソニー"])
    second = embedder.embed(["ソニー", "Sony", "Toyota"])
    assert encoded == [["Sony", "ソニー"], ["Toyota"]]
    assert np.array_equal(second[0], first[1])
    assert embedder.encoded == 3
