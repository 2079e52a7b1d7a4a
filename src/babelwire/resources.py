"""Expensive objects that the stages of one pipeline share: today, the encoder's weights.

Why: ``embed.e5.v1`` and ``ner.e5.v3`` both run multilingual-e5-small. Built
apart, each loads the weights (the 250k-row embedding table is most of the
memory). The passages differ (the embed stage encodes title, lead and key
sentences, NER the whole body), so the forward passes stay two; and NER reads
layer 8 of 12, so its pass stops there (a third less work: measured by
``babelwire bench ner``). Both passes therefore run on one loaded model: the
full encoder for embeddings, a shallower one for the layers a reader asks for.

Why a per-pipeline object and not a module-level cache: nothing is built at
import, two pipelines in one process (tests, a plugin's) stay independent, and
the object that owns the encoder is the one the pipeline was built with
(`babelwire.assembly.build_pipeline`). A stage built on its own gets a private
`StageResources` and behaves as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .encoder import Encoder, ModelWeights, load_weights
from .errors import ConfigError


class SharedEncoder:
    """One `Encoder`, built on first use with every middle layer a stage asked for.

    Stages call `need_layers` when they are built and `get` when they first run;
    every stage of a pipeline is built before any runs, so the one encoder has
    every layer all of them need.
    """

    def __init__(self, weights: ModelWeights | None = None, *,
                 backend: str = "onnxruntime", threads: int | None = None) -> None:
        """``threads``: ONNX Runtime's intra-op threads (None: one per core). A Dask worker
        takes one core, so its encoder gets one thread (`babelwire.dask_runner`)."""
        self._weights = weights
        self._backend = backend
        self._threads = threads
        self._layers: set[int] = set()
        self._encoder: Encoder | None = None
        self._readers: dict[tuple[int, ...], Encoder] = {}

    @property
    def is_built(self) -> bool:
        """Whether a model has been loaded (tests and benchmarks check start-up cost)."""
        return self._encoder is not None or bool(self._readers)

    def weights(self) -> ModelWeights:
        """The model's weights, loaded once for every encoder built here."""
        if self._weights is None:
            self._weights = load_weights()
        return self._weights

    def reading(self, layers: Iterable[int]) -> Encoder:
        """An encoder on the shared weights that stops at the deepest of ``layers`` and keeps
        them all in ``token_states`` (its ``embeddings`` are not sentence embeddings)."""
        wanted = tuple(sorted(set(layers)))
        if wanted not in self._readers:
            deepest = wanted[-1]
            self._readers[wanted] = Encoder(self.weights(), backend=self._backend, depth=deepest,
                                            extra_layers=wanted[:-1], threads=self._threads)
        return self._readers[wanted]

    def need_layers(self, layers: Iterable[int]) -> None:
        """Ask for middle-layer states (1-based) in ``Encoder.encode``'s ``token_states``."""
        wanted = set(layers)
        if self._encoder is not None and not wanted <= set(self._encoder.extra_layers):
            raise ConfigError(
                f"a stage asked for encoder layers {sorted(wanted)} after the shared encoder was"
                f" built with {list(self._encoder.extra_layers)}; build every stage before"
                " running any")
        self._layers |= wanted

    def get(self) -> Encoder:
        """The shared encoder (loaded now if this is the first call)."""
        if self._encoder is None:
            self._encoder = Encoder(self.weights(), backend=self._backend,
                                    extra_layers=tuple(sorted(self._layers)),
                                    threads=self._threads)
        return self._encoder


@dataclass(slots=True)
class StageResources:
    """What the stages of one pipeline share; handed to factories registered with it."""

    encoder: SharedEncoder = field(default_factory=SharedEncoder)
