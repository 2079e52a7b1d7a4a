"""Running the encoder graph (graph.py) with ONNX Runtime on padded, length-bucketed batches.

The Encoder hands over sequences sorted by length, so right padding to the
longest sequence of a batch wastes little; the graph masks padded keys by each
sequence's length.
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import ConfigError
from .graph import ACCURACY_INT8, build_model
from .weights import ModelWeights


class OnnxForward:
    """Last hidden states of token sequences, computed by ONNX Runtime."""

    name = "onnxruntime"

    def __init__(self, weights: ModelWeights, *, threads: int | None = None,
                 accuracy_level: int = ACCURACY_INT8, extra_layers: tuple[int, ...] = ()) -> None:
        try:
            import onnxruntime
        except ImportError as error:
            raise ConfigError(
                "the encoder runs on ONNX Runtime, which is not installed;"
                " install it with: pip install onnxruntime (or use backend='numpy')") from error
        self.weights = weights
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle pool threads sleep instead of spinning: on a shared 2-core machine a spinning
        # thread burns the core the other stages (and the other thread) need. Measured on
        # one depth-8 pass (CPU time per token, 2026-12-04): 902-1136 us spinning, 608 us not.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            build_model(weights, accuracy_level=accuracy_level, extra_layers=extra_layers),
            options,
            providers=["CPUExecutionProvider"])
        self._output = self._session.get_outputs()[0].name

    def run(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """States [len_i, H × (1 + extra layers)] of each sequence (ids with ``<s>``/``</s>``)."""
        if not sequences:
            return []
        lengths = np.array([len(s) for s in sequences], dtype=np.int32)
        width = int(lengths.max())
        ids = np.full((len(sequences), width), self.weights.tokenizer.pad, dtype=np.int64)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
        positions = np.broadcast_to(np.arange(width), ids.shape)
        x = self.weights.embed(ids, positions).astype(np.float32, copy=False)
        hidden = self._session.run([self._output], {"x": x, "lengths": lengths})[0]
        return [hidden[row, :length] for row, length in enumerate(lengths.tolist())]
