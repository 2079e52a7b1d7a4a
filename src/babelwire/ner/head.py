"""The trained NER head: standardisation, one linear layer to IOB2 labels, and its metadata.

Stored as one ``.npz`` file (arrays plus a JSON ``meta`` string with the labels,
the encoder layers, the training files and their languages, the date and the
measured scores), so a head can be checked against the encoder it expects
before use. The shipped head is ``models/ner-e5small-l8-v1.npz``; its model card
sits beside it.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .decode import LABELS

HEAD_FILE = "ner-e5small-l8-v1.npz"
FORMAT = "babelwire-ner-head/1"


@dataclass(frozen=True, slots=True)
class NerHead:
    """IOB2 classifier over standardised word features: linear, or one ReLU layer then linear.

    The hidden layer lets one head serve scripts whose features differ in kind
    (capitalised Latin names against Chinese, which has no case).
    """

    weight: np.ndarray  # [dim or hidden, labels]
    bias: np.ndarray  # [labels]
    mean: np.ndarray  # [dim]
    scale: np.ndarray  # [dim]
    layers: tuple[int, ...]
    hidden_weight: np.ndarray | None = None  # [dim, hidden]
    hidden_bias: np.ndarray | None = None  # [hidden]
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)

    def log_probs(self, features: np.ndarray) -> np.ndarray:
        """[words, labels] log-probabilities of each label."""
        x = (features - self.mean) / self.scale
        if self.hidden_weight is not None and self.hidden_bias is not None:
            x = np.maximum(x @ self.hidden_weight + self.hidden_bias, 0.0)
        logits = x @ self.weight + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))

    def save(self, path: Path) -> None:
        meta = {**self.meta, "format": FORMAT, "layers": list(self.layers),
                "labels": list(self.labels)}
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"weight": self.weight, "bias": self.bias, "mean": self.mean,
                  "scale": self.scale}
        if self.hidden_weight is not None and self.hidden_bias is not None:
            arrays |= {"hidden_weight": self.hidden_weight, "hidden_bias": self.hidden_bias}
        stored: dict[str, Any] = {name: value.astype(np.float32) for name, value in arrays.items()}
        stored["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
        with path.open("wb") as handle:
            np.savez_compressed(handle, allow_pickle=False, **stored)


def bundled_head_path() -> Path:
    """The head that ships in the package."""
    return Path(str(resources.files("babelwire.ner").joinpath("models", HEAD_FILE)))


def load_head(path: Path | None = None) -> NerHead:
    """Read a head written by ``NerHead.save`` (default: the bundled one)."""
    path = path or bundled_head_path()
    if not path.is_file():
        raise ConfigError(f"NER head {path} does not exist; train one with: babelwire train ner"
                          " FILES… --out PATH")
    try:
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise ConfigError(f"{path} is not a readable NER head ({error}); train one with:"
                          " babelwire train ner FILES… --out PATH") from error
    if "meta" not in arrays or "weight" not in arrays:
        raise ConfigError(f"{path} has no NER head metadata or weights; it is not a file written by"
                          " babelwire train ner")
    return _head_from_arrays(path, arrays)


def _head_from_arrays(path: Path, data: dict[str, np.ndarray]) -> NerHead:
    """Check a head's metadata against this babelwire and build it."""
    meta = json.loads(str(data["meta"]))
    if meta.get("format") != FORMAT:
        raise ConfigError(f"{path} is not a babelwire NER head (format {meta.get('format')!r},"
                          f" expected {FORMAT!r})")
    if tuple(meta["labels"]) != LABELS:
        raise ConfigError(f"{path} was trained for labels {meta['labels']}, this babelwire"
                          f" tags {list(LABELS)}; retrain it with babelwire train ner")
    hidden = "hidden_weight" in data
    # heads of format 1 written before several layers were read name one "layer"
    layers = tuple(int(n) for n in meta.get("layers", [meta.get("layer", 8)]))
    return NerHead(weight=data["weight"], bias=data["bias"], mean=data["mean"],
                   scale=data["scale"], layers=layers,
                   hidden_weight=data["hidden_weight"] if hidden else None,
                   hidden_bias=data["hidden_bias"] if hidden else None, meta=meta)
