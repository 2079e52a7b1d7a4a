"""The pair scorer: calibration and evidence lift cross-lingual reports of one event."""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.similarity import PairBatch, SimilarityScorer, Weights, calibrate_cosines

SAME_EVENT = (
    "Mishustin in Berlin\nRussian Prime Minister Mikhail Mishustin met Chancellor Olaf Scholz"
    " in Berlin on 14 March 2021; they discussed gas deliveries of 55 billion cubic metres.",
    "Mischustin in Berlin\nDer russische Ministerpräsident Michail Mischustin traf am 14. März"
    " 2021 Kanzler Olaf Scholz in Berlin; es ging um Gaslieferungen von 55 Milliarden Kubikmetern.",
)
OTHER_EVENTS_EN = (
    "Floods in Queensland\nHeavy rain flooded Brisbane suburbs on Tuesday, officials said.",
    "Election in Peru\nVoters in Lima chose a new congress on Sunday amid protests.",
)


def _vectors(topics: list[int], langs: list[str], *, bias: float) -> np.ndarray:
    """Unit vectors: a shared topic direction per event plus a language direction (the bias)."""
    rng = np.random.default_rng(7)
    topic_axes = rng.normal(size=(20, 64))
    lang_axes = {lang: rng.normal(size=64) for lang in ("en", "de")}
    rows = [topic_axes[t] + bias * lang_axes[lang] + 0.3 * rng.normal(size=64)
            for t, lang in zip(topics, langs, strict=True)]
    matrix = np.array(rows)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _batch() -> PairBatch:
    """Pair 0: one event in en and de; pair 1: two en events; pairs 2+: filler for the null."""
    firsts = [SAME_EVENT[0], OTHER_EVENTS_EN[0]] + [f"Filler story {n} in English." for n in
                                                    range(8)]
    seconds = [SAME_EVENT[1], OTHER_EVENTS_EN[1]] + [f"Füllmeldung {n} auf Deutsch." for n in
                                                     range(8)]
    langs = [("en", "de"), ("en", "en")] + [("en", "de")] * 8
    first = _vectors([0, 1, *range(3, 11)], [a for a, _ in langs], bias=1.5)
    second = _vectors([0, 2, *range(11, 19)], [b for _, b in langs], bias=1.5)
    return PairBatch(first, second, firsts, seconds, langs)


def test_raw_cosine_prefers_same_language_different_events() -> None:
    batch = _batch()
    cosine = np.einsum("ij,ij->i", batch.first, batch.second)
    assert cosine[1] > cosine[0]  # the failure the scorer exists to fix


def test_scorer_ranks_cross_lingual_same_event_above_same_language_other_event() -> None:
    scored = SimilarityScorer().score(_batch())
    assert scored.scores[0] > scored.scores[1]
    assert scored.overlaps["names"][0] > 0.3 and scored.overlaps["names"][1] < 0.1
    assert {"2021", "03-14"} <= set(SimilarityScorer().extractor.extract(SAME_EVENT[1]).dates)


def _null(vectors: np.ndarray, rows: list[int], cols: list[int]) -> np.ndarray:
    return np.array([vectors[i] @ vectors[j] for i in rows for j in cols if i != j])


def test_calibration_centres_on_the_cross_pairs_of_the_language_pair() -> None:
    batch = _batch()
    z, pooled = calibrate_cosines(batch)
    vectors = np.concatenate([batch.first, batch.second])
    english = [*range(10), 11]  # every first text, and the second text of the en-en pair
    german = [i for i in range(10, 20) if i != 11]
    en_de, en_en = _null(vectors, english, german), _null(vectors, english, english)
    spread = np.concatenate([en_de - en_de.mean(), en_en - en_en.mean()]).std()
    assert z[0] == pytest.approx((float(batch.first[0] @ batch.second[0]) - en_de.mean()) / spread)
    assert z[1] == pytest.approx((float(batch.first[1] @ batch.second[1]) - en_en.mean()) / spread)
    assert pooled == ()


def test_language_pair_with_too_few_texts_uses_the_mean_of_all_pairs() -> None:
    batch = _batch()
    languages = [("fr", "fr"), *batch.languages[1:]]
    small = PairBatch(batch.first, batch.second, batch.first_texts, batch.second_texts,
                      languages)
    z, pooled = calibrate_cosines(small)
    vectors = np.concatenate([small.first, small.second])
    everything = _null(vectors, list(range(20)), list(range(20)))
    english = [*range(1, 10), 11]
    german = [i for i in range(11, 20) if i != 11]
    en_de, en_en = _null(vectors, english, german), _null(vectors, english, english)
    spread = np.concatenate([en_de - en_de.mean(), en_en - en_en.mean()]).std()
    assert pooled == ("fr-fr",)
    assert z[0] == pytest.approx(
        (float(small.first[0] @ small.second[0]) - everything.mean()) / spread)


def test_calibration_off_is_a_monotone_map_of_the_cosine() -> None:
    batch = _batch()
    z, pooled = calibrate_cosines(batch, per_language_pair=False)
    cosine = np.einsum("ij,ij->i", batch.first, batch.second)
    assert pooled == ("en-de", "en-en")
    assert list(np.argsort(z)) == list(np.argsort(cosine))


def test_zero_weights_reduce_the_score_to_the_calibrated_cosine() -> None:
    batch = _batch()
    scored = SimilarityScorer(weights=Weights()).score(batch)
    assert np.allclose(scored.scores, scored.calibrated_cosine)
    assert all(not values.any() for values in scored.overlaps.values())


def test_pair_batch_names_the_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match=r"differ in length \(\[1, 2\]\)"):
        PairBatch(np.zeros((2, 4)), np.zeros((2, 4)), ["a"], ["b", "c"], [("en", "en")] * 2)


@pytest.mark.slow
def test_real_encoder_scorer_ranks_cross_lingual_story_above_same_language_other() -> None:
    from babelwire.encoder import Encoder

    texts = [*SAME_EVENT, *OTHER_EVENTS_EN]
    vectors = np.asarray(Encoder().encode(texts).embeddings)
    batch = PairBatch(vectors[[0, 2]], vectors[[1, 3]], [texts[0], texts[2]],
                      [texts[1], texts[3]], [("en", "de"), ("en", "en")])
    scored = SimilarityScorer().score(batch)
    assert scored.scores[0] > scored.scores[1]
