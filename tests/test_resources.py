"""Stages of one pipeline share one encoder; building a pipeline loads no model."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire import Settings
from babelwire.assembly import build_pipeline
from babelwire.encoder import Encoder
from babelwire.errors import ConfigError
from babelwire.resources import SharedEncoder
from babelwire.stages.embed import EmbedStage
from babelwire.stages.ner import NerStage

BOTH = Settings(stages=("clean.trafilatura.v1", "language.cld2.v1", "embed.e5.v1", "ner.e5.v3"))


def test_embed_and_ner_in_one_pipeline_share_the_weights_and_ner_stops_at_its_layer() -> None:
    pipeline = build_pipeline(BOTH)
    embed, ner = pipeline.stages[2], pipeline.stages[3]
    assert isinstance(embed, EmbedStage) and isinstance(ner, NerStage)
    assert embed.resources is ner.resources
    assert not embed.resources.encoder.is_built  # building the pipeline loaded no model
    reader = ner.tagger.features.encoder
    assert reader.weights is embed.encoder.weights
    assert reader.depth == max(ner.head.layers) < embed.encoder.depth


def test_a_shallow_encoder_gives_the_same_middle_layer_states_as_the_full_one() -> None:
    full = Encoder(extra_layers=(6, 8))
    shallow = Encoder(full.weights, depth=8, extra_layers=(6,))
    texts = ["Михаил Мишустин встретился с Олафом Шольцем в Берлине.", "北京天安门广场"]
    deep, short = full.encode(texts).token_states, shallow.encode(texts).token_states
    for layer in (6, 8):
        for a, b in zip(deep, short, strict=True):
            assert np.allclose(a[:, full.layer_columns(layer)], b[:, shallow.layer_columns(layer)],
                               atol=1e-4)


def test_asking_a_shallow_encoder_for_a_layer_it_does_not_keep_says_how_to_build_one() -> None:
    shallow = Encoder(depth=8)
    with pytest.raises(ConfigError, match="keeps layers \\[8\\], not 6; build it with"):
        shallow.layer_columns(6)


def test_stages_built_alone_have_their_own_encoder() -> None:
    assert EmbedStage().resources is not EmbedStage().resources


def test_keeping_middle_layers_leaves_the_embedding_unchanged() -> None:
    plain = Encoder()
    with_layer = Encoder(plain.weights, extra_layers=(8,))
    texts = ["Russia and Ukraine resumed talks in Geneva.", "Kina og Russland møttes i Moskva."]
    assert np.allclose(plain.encode(texts).embeddings, with_layer.encode(texts).embeddings,
                       atol=1e-6)


def test_asking_for_a_layer_after_the_encoder_was_built_is_refused_with_advice() -> None:
    shared = SharedEncoder()
    shared.need_layers([8])
    shared.get()
    shared.need_layers([8])  # already kept: fine
    with pytest.raises(ConfigError) as error:
        shared.need_layers([6])
    assert str(error.value) == ("a stage asked for encoder layers [6] after the shared encoder was"
                                " built with [8]; build every stage before running any")
