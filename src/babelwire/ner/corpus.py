"""NER data in the shared JSONL format, and a cache of its encoder features.

Records are ``{"id", "lang", "tokens", "tags"}`` (IOB2 over PER/ORG/LOC/MISC).
Encoding a 1.2M-word training set takes minutes, and leave-one-language-out
evaluation trains many heads on the same words, so each file's word states
are cached by the file's content hash, the encoder model, the layer and the
pooling (one file per layer and pooling, so heads reading different layer sets
share them). One encoder pass stores every pooling: pooling costs a few numpy
operations next to the encoder, and heads that pool differently are then
compared on the same run. The cache lives in the user's cache directory, never
in the package.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..encoder import MODEL_NAME
from ..errors import EvaluationError
from .decode import LABELS
from .features import POOLINGS, WordFeatures

CACHE_VERSION = "2"


@dataclass(frozen=True, slots=True)
class NerSentence:
    id: str
    lang: str
    tokens: list[str]
    tags: list[str]


@dataclass(frozen=True, slots=True)
class NerFile:
    """One file's sentences; ``has_misc`` says whether its source annotates MISC at all."""

    path: Path
    sentences: list[NerSentence]
    digest: str

    @property
    def has_misc(self) -> bool:
        return any(tag.endswith("-MISC") for s in self.sentences for tag in s.tags)

    @property
    def languages(self) -> set[str]:
        return {s.lang for s in self.sentences}


def read_ner_file(path: Path) -> NerFile:
    """Read and check one NER JSONL file."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EvaluationError(f"{path}: not UTF-8 (byte {error.start}: {error.reason});"
                              " NER files are UTF-8 JSONL, re-encode it") from error
    sentences = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sentence = NerSentence(str(record["id"]), str(record["lang"]),
                                   [str(t) for t in record["tokens"]],
                                   [str(t) for t in record.get("tags", [])])
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise EvaluationError(f"{path}:{number}: not an NER record ({error}); expected"
                                  ' {"id", "lang", "tokens", "tags"}') from error
        if sentence.tags and (len(sentence.tags) != len(sentence.tokens)
                              or not set(sentence.tags) <= set(LABELS)):
            raise EvaluationError(f"{path}:{number}: tags must be one IOB2 tag of {LABELS} per"
                                  f" token ({len(sentence.tokens)} tokens,"
                                  f" {len(sentence.tags)} tags)")
        sentences.append(sentence)
    return NerFile(path, sentences, hashlib.sha256(raw).hexdigest()[:20])


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "babelwire" / "ner-features"


class FeatureCache:
    """Word states of NER files, computed once per file, model, layer and pooling (stored as
    float16); ``features`` says which layers and pooling are read."""

    def __init__(self, features: WordFeatures, folder: Path | None = None) -> None:
        self.features = features
        self.folder = folder or cache_dir()

    def _path(self, data: NerFile, layer: int, pooling: str) -> Path:
        # first-piece files keep the name they had before pooling was a choice
        pooled = "" if pooling == "first" else f"-{pooling}"
        return self.folder / f"{data.digest}-{MODEL_NAME}-l{layer}{pooled}-v{CACHE_VERSION}.npz"

    def flat_states(self, data: NerFile) -> np.ndarray:
        """[words of the file, layers × 384] float16 pooled states, sentence after sentence."""
        words = sum(len(s.tokens) for s in data.sentences)
        pooling = self.features.pooling
        loaded = [self._load(self._path(data, layer, pooling), words)
                  for layer in self.features.layers]
        stored = [block for block in loaded if block is not None]
        if len(stored) < len(loaded):
            stored = self._compute(data)
        return np.concatenate(stored, axis=1) if len(stored) > 1 else stored[0]

    def _compute(self, data: NerFile) -> list[np.ndarray]:
        """Encode the file once for all layers and poolings, store one cache file per layer and
        pooling, and return the blocks of the pooling read."""
        computed = self.features.pooled_states([s.tokens for s in data.sentences], POOLINGS)
        width = self.features.encoder.dim
        blocks: dict[str, list[np.ndarray]] = {}
        for pooling, states in computed.items():
            flat = (np.concatenate(states) if states
                    else np.zeros((0, self.features.state_dim), dtype=np.float32))
            blocks[pooling] = [flat[:, i * width : (i + 1) * width].astype(np.float16)
                               for i in range(len(self.features.layers))]
            if len(flat):
                self._store(data, pooling, blocks[pooling])
        return blocks[self.features.pooling]

    def _store(self, data: NerFile, pooling: str, blocks: list[np.ndarray]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for layer, block in zip(self.features.layers, blocks, strict=True):
            temporary = self._path(data, layer, pooling).with_suffix(".tmp.npz")
            np.savez(temporary, states=block)
            temporary.replace(self._path(data, layer, pooling))

    @staticmethod
    def _load(path: Path, words: int) -> np.ndarray | None:
        if not path.is_file():
            return None
        with np.load(path) as stored:
            flat = stored["states"].astype(np.float16)
        return flat if len(flat) == words else None

    def states(self, data: NerFile) -> list[np.ndarray]:
        """[words, layers × 384] float32 pooled states of each sentence of ``data``.

        The cached values are float16; a first run returns the same rounding.
        """
        if not data.sentences:
            return []
        lengths = [len(s.tokens) for s in data.sentences]
        flat = self.flat_states(data).astype(np.float32)
        return np.split(flat, np.cumsum(lengths)[:-1])
