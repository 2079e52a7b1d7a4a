"""A word's state is its first real piece's or the mean of its real pieces', as the head says."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from babelwire.errors import ConfigError
from babelwire.ner import LABELS, load_head
from babelwire.ner.corpus import FeatureCache, read_ner_file
from babelwire.ner.features import WordFeatures, pool_pieces
from babelwire.ner.head import NerHead, bundled_head_path, combine_heads
from babelwire.ner.train import TrainingSet, fit_head


@pytest.fixture(scope="module")
def features() -> WordFeatures:
    return WordFeatures(pooling="mean")


def _piece_states() -> np.ndarray:
    return np.arange(12, dtype=np.float32).reshape(6, 2)


def test_mean_pooling_averages_every_piece_of_a_multi_piece_word() -> None:
    rows = pool_pieces(_piece_states(), [(1, 4), (4, 5)], "mean")
    assert rows[0].tolist() == [4.0, 5.0]  # pieces 1, 2, 3: (2+4+6)/3, (3+5+7)/3
    assert rows[1].tolist() == [8.0, 9.0]


def test_first_pooling_reads_only_the_first_piece() -> None:
    rows = pool_pieces(_piece_states(), [(1, 4), (4, 5)], "first")
    assert rows.tolist() == [[2.0, 3.0], [8.0, 9.0]]


@pytest.mark.parametrize("pooling", ["first", "mean"])
def test_a_word_without_pieces_stays_zero_under_either_pooling(pooling: str) -> None:
    rows = pool_pieces(_piece_states(), [(1, 3), (3, 3), (3, 4)], pooling)
    assert not rows[1].any()
    assert rows[0].any() and rows[2].any()


def test_the_bare_word_boundary_mark_before_a_chinese_word_is_not_one_of_its_pieces(
        features: WordFeatures) -> None:
    mark = features.encoder.tokenizer.content_ids("北")[0]
    ids, spans = features.spans(["Reuters", "北京", "天安门"])
    for start, end in spans:
        assert end > start
        assert mark not in ids[start:end]
    # the mark read before 北京 (after a spaced word) sits just before its span
    assert ids[spans[1][0] - 1] == mark


def test_mean_pooled_state_is_the_mean_of_the_words_piece_states(
        features: WordFeatures) -> None:
    words = ["Rigsrevisionen", "kritiserer", "Københavns", "Kommune"]
    ids, spans = features.spans(words)
    assert spans[0][1] - spans[0][0] > 1  # a multi-piece word is tested
    token_states = features.encoder.encode_ids([ids]).token_states[0]
    layer = token_states[:, features.encoder.layer_columns(8)]
    pooled = features.pooled_states([words])
    for i, (start, end) in enumerate(spans):
        assert np.allclose(pooled["mean"][0][i], layer[start:end].mean(axis=0), atol=1e-5)
        assert np.allclose(pooled["first"][0][i], layer[start], atol=1e-5)


def test_an_unknown_pooling_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match="'max' is not one of \\['first', 'mean'\\]"):
        WordFeatures(pooling="max")


def test_one_encoder_pass_caches_both_poolings_under_their_own_names(
        tmp_path: Path, features: WordFeatures) -> None:
    path = tmp_path / "toy.jsonl"
    record = {"id": "1", "lang": "da", "tokens": ["Rigsrevisionen", "Kommune"],
              "tags": ["B-LOC", "I-LOC"]}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    data = read_ner_file(path)
    mean = FeatureCache(features, tmp_path / "cache").flat_states(data)
    names = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(names) == 2 and sum("-l8-mean-" in name for name in names) == 1
    first_cache = FeatureCache(WordFeatures(features.encoder, pooling="first"), tmp_path / "cache")
    first = first_cache.flat_states(data)
    assert len(list((tmp_path / "cache").iterdir())) == 2  # read back, not recomputed
    assert not np.array_equal(first[0], mean[0])  # Rigsrevisionen has several pieces


def _toy_head(pooling: str, seed: int = 0) -> NerHead:
    rng = np.random.default_rng(0)
    features = rng.standard_normal((200, 6)).astype(np.float32)
    allowed = np.zeros((200, len(LABELS)), dtype=bool)
    allowed[:, LABELS.index("O")] = True
    return fit_head(TrainingSet(features, allowed, ["toy"], ["xx"]), layers=(8,),
                    pooling=pooling, epochs=1, seed=seed)


def test_a_head_keeps_its_pooling_through_its_file(tmp_path: Path) -> None:
    _toy_head("mean").save(tmp_path / "head.npz")
    assert load_head(tmp_path / "head.npz").pooling == "mean"


def test_a_head_written_before_pooling_was_a_choice_reads_first_pieces(tmp_path: Path) -> None:
    head = _toy_head("first")
    head.save(tmp_path / "head.npz")
    with np.load(tmp_path / "head.npz") as stored:
        arrays = {name: stored[name] for name in stored.files}
    meta = json.loads(str(arrays["meta"]))
    del meta["pooling"]
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "old.npz", **arrays)
    assert load_head(tmp_path / "old.npz").pooling == "first"


def test_heads_that_pool_differently_are_not_combined() -> None:
    with pytest.raises(ConfigError, match="share layers, pooling"):
        combine_heads([_toy_head("first"), _toy_head("mean", seed=1)])


def test_the_bundled_head_names_a_known_pooling() -> None:
    assert bundled_head_path().is_file()
    assert load_head().pooling in ("first", "mean")
