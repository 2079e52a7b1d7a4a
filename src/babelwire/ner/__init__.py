"""Named-entity recognition: a small head trained by babelwire over the encoder's token states.

No multilingual NER model with bundled weights exists on the package registries,
so the project trains its own: a linear layer over the states of the encoder's
8th layer for each word and its neighbours, decoded under IOB2 constraints.
The head is a few megabytes, ships in ``ner/models/`` with a model card, and is
retrained with ``babelwire train ner`` in minutes.
"""

from .decode import LABELS, TYPES, viterbi_iob2
from .head import NerHead, bundled_head_path, load_head
from .tagger import Mention, NerTagger
from .words import word_spans

__all__ = ["LABELS", "TYPES", "Mention", "NerHead", "NerTagger", "bundled_head_path",
           "load_head", "viterbi_iob2", "word_spans"]
