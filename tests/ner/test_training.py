"""The head trains on features, keeps partial MISC labels partial, and round-trips to disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from babelwire.errors import ConfigError, EvaluationError
from babelwire.ner import LABELS, load_head
from babelwire.ner.corpus import FeatureCache, read_ner_file
from babelwire.ner.head import combine_heads
from babelwire.ner.train import TrainingSet, fit_head, training_set

B_PER, B_MISC, OUT = LABELS.index("B-PER"), LABELS.index("B-MISC"), LABELS.index("O")


def _separable(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.choice([OUT, B_PER, B_MISC], size=n)
    features = rng.standard_normal((n, 12)).astype(np.float32)
    features[:, 0] += 4.0 * (labels == B_PER)
    features[:, 1] += 4.0 * (labels == B_MISC)
    return features, labels


def test_head_learns_separable_labels_from_exact_targets() -> None:
    features, labels = _separable(6000)
    allowed = np.zeros((len(labels), len(LABELS)), dtype=bool)
    allowed[np.arange(len(labels)), labels] = True
    head = fit_head(TrainingSet(features, allowed, ["toy"], ["xx"]), layers=(8,), epochs=10,
                    learning_rate=2e-2)
    test, gold = _separable(1000, seed=1)
    assert (head.log_probs(test).argmax(axis=1) == gold).mean() > 0.95


def test_partial_o_label_does_not_teach_that_misc_is_o() -> None:
    features, labels = _separable(6000)
    allowed = np.zeros((len(labels), len(LABELS)), dtype=bool)
    allowed[np.arange(len(labels)), labels] = True
    # a source without MISC: its MISC words are "O", trained as "O or MISC"
    unannotated = labels == B_MISC
    allowed[unannotated] = False
    allowed[unannotated, OUT] = allowed[unannotated, B_MISC] = True
    allowed[unannotated, LABELS.index("I-MISC")] = True
    head = fit_head(TrainingSet(features, allowed, ["toy"], ["xx"]), layers=(8,), epochs=10,
                    learning_rate=2e-2)
    test, gold = _separable(1000, seed=1)
    predicted = head.log_probs(test).argmax(axis=1)
    assert (predicted[gold == B_MISC] == B_PER).mean() < 0.05
    assert (predicted[gold == B_PER] == B_PER).mean() > 0.95


def test_head_round_trips_through_its_file_with_metadata(tmp_path: Path) -> None:
    features, labels = _separable(500)
    allowed = np.zeros((len(labels), len(LABELS)), dtype=bool)
    allowed[np.arange(len(labels)), labels] = True
    head = fit_head(TrainingSet(features, allowed, ["toy.jsonl"], ["xx"]), layers=(8,), epochs=1)
    head.save(tmp_path / "head.npz")
    loaded = load_head(tmp_path / "head.npz")
    assert loaded.meta["trained_on"] == ["toy.jsonl"] and loaded.layers == (8,)
    assert np.allclose(loaded.log_probs(features), head.log_probs(features), atol=1e-5)


def _subnormal_count(array: np.ndarray) -> int:
    return int(((array != 0) & (np.abs(array) < np.finfo(array.dtype).tiny)).sum())


def test_bundled_head_loads_without_subnormal_weights_that_slow_its_matrix_product() -> None:
    head = load_head()
    assert head.hidden_weight is not None
    arrays = [head.weight, head.bias, head.mean, head.scale, head.hidden_weight]
    assert [_subnormal_count(array) for array in arrays] == [0] * len(arrays)


def test_head_saved_with_subnormal_weights_tags_the_same_after_they_are_zeroed(
        tmp_path: Path) -> None:
    features, labels = _separable(500)
    allowed = np.zeros((len(labels), len(LABELS)), dtype=bool)
    allowed[np.arange(len(labels)), labels] = True
    head = fit_head(TrainingSet(features, allowed, ["toy.jsonl"], ["xx"]), layers=(8,), epochs=1)
    head.weight[0, :3, :] = np.float32(1e-40)  # subnormal in float32
    assert _subnormal_count(head.weight) == 3 * len(LABELS)
    head.save(tmp_path / "head.npz")
    loaded = load_head(tmp_path / "head.npz")
    assert _subnormal_count(loaded.weight) == 0
    assert (loaded.log_probs(features).argmax(axis=1)
            == head.log_probs(features).argmax(axis=1)).all()


def test_missing_head_file_says_how_to_train_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="babelwire train ner"):
        load_head(tmp_path / "nothing.npz")


def test_file_without_misc_gets_partial_masks(tmp_path: Path) -> None:
    path = tmp_path / "da.jsonl"
    path.write_text('{"id": "1", "lang": "da", "tokens": ["Mette", "talte"],'
                    ' "tags": ["B-PER", "O"]}\n', encoding="utf-8")
    data = read_ner_file(path)

    class Features:
        state_dim = 4

    class Cache:
        features = Features()

        def flat_states(self, _data: object) -> np.ndarray:
            return np.array([[1, 1, 1, 1], [2, 2, 2, 2]], dtype=np.float16)

    built = training_set([data], Cache())  # type: ignore[arg-type]
    features = built.features(np.arange(2))
    # own state, then the previous and the next word's (zeros past the sentence's edges)
    assert features.tolist() == [[1] * 4 + [0] * 4 + [2] * 4, [2] * 4 + [1] * 4 + [0] * 4]
    assert built.allowed[0].tolist() == [label == "B-PER" for label in LABELS]
    assert {LABELS[i] for i in np.flatnonzero(built.allowed[1])} == {"O", "B-MISC", "I-MISC"}


def test_ner_file_that_is_not_utf8_is_refused_with_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"id": "1", "lang": "da", "tokens": ["Århus"], "tags": ["B-LOC"]}\n'
                     .encode("latin-1"))
    with pytest.raises(EvaluationError, match="not UTF-8 .byte 38.*re-encode"):
        read_ner_file(path)


def test_empty_ner_file_has_no_states_and_trains_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    data = read_ner_file(path)
    assert FeatureCache(object(), tmp_path).states(data) == []  # type: ignore[arg-type]
    with pytest.raises(EvaluationError, match="no training sentences"):
        training_set([data], FeatureCache(object(), tmp_path))  # type: ignore[arg-type]


def test_head_file_that_is_not_a_head_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "garbage.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConfigError, match="not a readable NER head.*babelwire train ner"):
        load_head(path)
    np.savez(tmp_path / "other.npz", weights=np.zeros(3))
    with pytest.raises(ConfigError, match="no NER head metadata"):
        load_head(tmp_path / "other.npz")


def test_a_head_of_several_seeds_averages_its_members_log_probabilities(tmp_path: Path) -> None:
    features, labels = _separable(2000)
    allowed = np.zeros((len(labels), len(LABELS)), dtype=bool)
    allowed[np.arange(len(labels)), labels] = True
    data = TrainingSet(features, allowed, ["toy.jsonl"], ["xx"])
    members = [fit_head(data, layers=(8,), epochs=1, seed=seed, hidden=16) for seed in (0, 1)]
    combined = combine_heads(members)
    test, _ = _separable(50, seed=3)
    mean = (members[0].log_probs(test) + members[1].log_probs(test)) / 2
    expected = mean - np.log(np.exp(mean).sum(axis=1, keepdims=True))
    assert combined.members == 2 and combined.meta["seeds"] == [0, 1]
    assert np.allclose(combined.log_probs(test), expected, atol=1e-5)
    combined.save(tmp_path / "two.npz")
    assert np.allclose(load_head(tmp_path / "two.npz").log_probs(test), expected, atol=1e-5)


def test_heads_with_different_standardisation_are_not_combined() -> None:
    features, labels = _separable(500)
    allowed = np.zeros((len(labels), len(LABELS)), dtype=bool)
    allowed[np.arange(len(labels)), labels] = True
    one = fit_head(TrainingSet(features, allowed, ["a"], ["xx"]), layers=(8,), epochs=1)
    other = fit_head(TrainingSet(features * 2, allowed, ["b"], ["xx"]), layers=(8,), epochs=1)
    with pytest.raises(ConfigError, match="same files with different seeds"):
        combine_heads([one, other])
