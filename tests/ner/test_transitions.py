"""Tag-bigram transitions: learnt from training tags, stored in the head, added in Viterbi."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from babelwire.ner import LABELS, load_head, viterbi_iob2
from babelwire.ner.corpus import read_ner_file
from babelwire.ner.decode import tag_transitions
from babelwire.ner.train import TrainingSet, fit_head, train_head

START = len(LABELS)


def _index(label: str) -> int:
    return LABELS.index(label)


def _log_probs(rows: list[dict[str, float]]) -> np.ndarray:
    out = np.full((len(rows), len(LABELS)), -20.0)
    for i, row in enumerate(rows):
        for label, value in row.items():
            out[i, _index(label)] = value
    return out


def test_zero_transition_scores_decode_exactly_as_the_hard_constraints() -> None:
    rng = np.random.default_rng(0)
    zeros = np.zeros((len(LABELS) + 1, len(LABELS)), dtype=np.float32)
    for _ in range(50):
        logits = rng.standard_normal((int(rng.integers(1, 12)), len(LABELS)))
        log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        assert viterbi_iob2(log_probs, zeros) == viterbi_iob2(log_probs)


def test_bigrams_seen_in_training_score_above_those_never_seen() -> None:
    sentences = [["B-PER", "I-PER", "O", "O"], ["O", "B-PER", "I-PER", "O"]] * 20
    scores = tag_transitions(sentences, weight=1.0)
    assert scores[_index("B-PER"), _index("I-PER")] > 0 > scores[_index("B-PER"), _index("B-PER")]
    assert scores[START, _index("B-PER")] > scores[START, _index("B-LOC")]
    assert np.allclose(tag_transitions(sentences, weight=0.5), scores / 2)


def test_transitions_decide_a_close_call_the_way_the_training_tags_go() -> None:
    # "B-PER B-PER" by a hair without transitions; training says a B-PER goes on as I-PER
    close = _log_probs([{"B-PER": -0.1}, {"B-PER": -0.6, "I-PER": -0.7}])
    scores = tag_transitions([["B-PER", "I-PER", "O"]] * 30, weight=1.0)
    assert viterbi_iob2(close) == ["B-PER", "B-PER"]
    assert viterbi_iob2(close, scores) == ["B-PER", "I-PER"]


def test_transitions_never_let_i_follow_o_however_high_they_score() -> None:
    scores = np.zeros((len(LABELS) + 1, len(LABELS)), dtype=np.float32)
    # the two moves into I-PER that IOB2 forbids: from O and from the sentence start
    scores[[_index("O"), START], _index("I-PER")] = 100.0
    tags = viterbi_iob2(_log_probs([{"O": -0.1}, {"I-PER": -0.1, "O": -5.0}]), scores)
    assert tags == ["O", "O"]


def test_transition_scores_of_the_wrong_shape_are_refused_with_the_shape() -> None:
    with pytest.raises(ValueError, match=r"got \[9, 9\]; retrain the head"):
        viterbi_iob2(_log_probs([{"O": -0.1}]), np.zeros((9, 9)))


def _toy_head_data() -> TrainingSet:
    features = np.random.default_rng(0).standard_normal((200, 4)).astype(np.float32)
    allowed = np.zeros((200, len(LABELS)), dtype=bool)
    allowed[:, 0] = True
    return TrainingSet(features, allowed, ["toy.jsonl"], ["xx"])


def test_a_head_keeps_its_transitions_through_its_file(tmp_path: Path) -> None:
    head = fit_head(_toy_head_data(), layers=(8,), epochs=1)
    scores = tag_transitions([["B-ORG", "I-ORG", "O"]], weight=0.3)
    replace(head, transitions=scores).save(tmp_path / "with.npz")
    head.save(tmp_path / "without.npz")
    assert np.array_equal(load_head(tmp_path / "with.npz").transitions, scores)
    assert load_head(tmp_path / "without.npz").transitions is None


def test_trained_heads_score_the_bigrams_of_the_files_kept_not_of_the_languages_left_out(
        tmp_path: Path) -> None:
    kept, left_out = tmp_path / "da.jsonl", tmp_path / "sv.jsonl"
    kept.write_text('{"id": "1", "lang": "da", "tokens": ["Mette", "Frederiksen", "talte"],'
                    ' "tags": ["B-PER", "I-PER", "O"]}\n', encoding="utf-8")
    left_out.write_text('{"id": "2", "lang": "sv", "tokens": ["Stockholm", "Göteborg"],'
                        ' "tags": ["B-LOC", "B-LOC"]}\n', encoding="utf-8")

    class Features:
        state_dim = 4
        layers = (8,)
        pooling = "mean"

    class Cache:
        features = Features()

        def flat_states(self, data: object) -> np.ndarray:
            words = sum(len(s.tokens) for s in data.sentences)  # type: ignore[attr-defined]
            return np.arange(words * 4, dtype=np.float16).reshape(words, 4)

    files = [read_ner_file(kept), read_ner_file(left_out)]
    head = train_head(files, Cache(), exclude={"sv"}, epochs=1, seeds=(0,),  # type: ignore[arg-type]
                      hidden=0, transition_weight=0.5)
    expected = tag_transitions([["B-PER", "I-PER", "O"]], weight=0.5)
    assert head.transitions is not None and np.array_equal(head.transitions, expected)
    untouched = train_head(files, Cache(), epochs=1, seeds=(0,), hidden=0,  # type: ignore[arg-type]
                           transition_weight=0.0)
    assert untouched.transitions is None
