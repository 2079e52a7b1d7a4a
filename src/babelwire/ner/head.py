"""The trained NER head: standardisation, one or more members (ReLU layer, linear layer to IOB2
labels) whose log-probabilities are averaged, and its metadata.

Stored as one ``.npz`` file (arrays plus a JSON ``meta`` string with the labels,
the encoder layers and pooling, the training files and their languages, the date and the
measured scores), so a head can be checked against the encoder it expects
before use. A head may hold tag-transition scores for decoding (`decode.tag_transitions`); heads
without them decode with the hard IOB2 constraints only, as before. The shipped head is
``models/ner-e5small-l8-mean-v4.npz`` (three members, transitions); its model card sits beside it.
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

HEAD_FILE = "ner-e5small-l8-mean-v4.npz"
FORMAT = "babelwire-ner-head/1"


@dataclass(frozen=True, slots=True)
class NerHead:
    """IOB2 classifier over standardised word features: an average of members, each linear or
    one ReLU layer then linear.

    The hidden layer lets one head serve scripts whose features differ in kind
    (capitalised Latin names against Chinese, which has no case). Members are
    the same network trained with different seeds: one seed's F1 moves by 1–2
    points, and the average of three beat every one of its members on all ten
    dev files (+1.5 to +2.5 over their mean). The members' hidden layers are
    one matrix, so three cost one wider product.
    """

    weight: np.ndarray  # [members, dim or hidden, labels]
    bias: np.ndarray  # [members, labels]
    mean: np.ndarray  # [dim]
    scale: np.ndarray  # [dim]
    layers: tuple[int, ...]
    hidden_weight: np.ndarray | None = None  # [dim, members × hidden]
    hidden_bias: np.ndarray | None = None  # [members × hidden]
    pooling: str = "first"  # how word pieces become a word's state (features.POOLINGS)
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)
    transitions: np.ndarray | None = None  # [labels + 1, labels], see decode.tag_transitions

    @property
    def members(self) -> int:
        return int(self.weight.shape[0])

    def log_probs(self, features: np.ndarray) -> np.ndarray:
        """[words, labels] log-probabilities of each label (the members' mean, renormalised)."""
        x = (features - self.mean) / self.scale
        if self.hidden_weight is not None and self.hidden_bias is not None:
            inner = np.maximum(x @ self.hidden_weight + self.hidden_bias, 0.0)
            inner = inner.reshape(len(x), self.members, -1)
            logits = np.einsum("nkh,khl->nkl", inner, self.weight)
        else:
            logits = np.einsum("nd,kdl->nkl", x, self.weight)
        logits += self.bias
        logits -= logits.max(axis=2, keepdims=True)
        member_logs = logits - np.log(np.exp(logits).sum(axis=2, keepdims=True))
        averaged = member_logs.mean(axis=1)
        top = averaged.max(axis=1, keepdims=True)
        return averaged - top - np.log(np.exp(averaged - top).sum(axis=1, keepdims=True))

    def save(self, path: Path) -> None:
        meta = {key: value for key, value in self.meta.items() if key != "layer"}
        meta |= {"format": FORMAT, "layers": list(self.layers), "pooling": self.pooling,
                 "labels": list(self.labels)}
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"weight": self.weight, "bias": self.bias, "mean": self.mean,
                  "scale": self.scale}
        if self.hidden_weight is not None and self.hidden_bias is not None:
            arrays |= {"hidden_weight": self.hidden_weight, "hidden_bias": self.hidden_bias}
        if self.transitions is not None:
            arrays["transitions"] = self.transitions
        stored: dict[str, Any] = {name: without_subnormals(value.astype(np.float32))
                                  for name, value in arrays.items()}
        stored["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
        with path.open("wb") as handle:
            np.savez_compressed(handle, allow_pickle=False, **stored)


def combine_heads(heads: list[NerHead]) -> NerHead:
    """One head averaging ``heads``: the same features, standardisation and shape, other seeds."""
    first = heads[0]
    for other in heads[1:]:
        if (other.layers != first.layers or other.pooling != first.pooling
                or other.weight.shape[1:] != first.weight.shape[1:]
                or not np.array_equal(other.mean, first.mean)
                or (other.hidden_weight is None) != (first.hidden_weight is None)):
            raise ConfigError("NER heads to combine must share layers, pooling, shapes and"
                              " standardisation"
                              " (train them on the same files with different seeds)")
    hidden = first.hidden_weight is not None
    meta = {**first.meta, "seeds": [s for h in heads for s in h.meta.get("seeds",
                                                                      [h.meta.get("seed")])]}
    meta["train_seconds"] = round(sum(h.meta.get("train_seconds", 0.0) for h in heads), 1)
    meta.pop("seed", None)
    return NerHead(
        weight=np.concatenate([h.weight for h in heads]),
        bias=np.concatenate([h.bias for h in heads]), mean=first.mean, scale=first.scale,
        layers=first.layers, pooling=first.pooling,
        hidden_weight=np.concatenate([h.hidden_weight for h in heads], axis=1)
        if hidden else None,
        hidden_bias=np.concatenate([h.hidden_bias for h in heads])
        if hidden else None,
        meta=meta, transitions=first.transitions)


def bundled_head_path() -> Path:
    """The head that ships in the package."""
    return Path(str(resources.files("babelwire.ner").joinpath("models", HEAD_FILE)))


def without_subnormals(array: np.ndarray) -> np.ndarray:
    """``array`` with its subnormal floats (0 < |x| < the type's smallest normal) set to 0.

    Training leaves some weights that small (v4's hidden layer held 61,545 of 884,736), and
    x86 multiplies subnormals in microcode: the head's one matrix product ran ~70x slower
    (2.5 s instead of 0.04 s for 2,000 words), which made NER cost more than the encoder. Such
    weights add less than 1e-38 to any logit, so the tags are the same.
    """
    if not np.issubdtype(array.dtype, np.floating):
        return array
    tiny = np.finfo(array.dtype).tiny
    subnormal = (array != 0) & (np.abs(array) < tiny)
    return np.where(subnormal, array.dtype.type(0), array) if subnormal.any() else array


def load_head(path: Path | None = None) -> NerHead:
    """Read a head written by ``NerHead.save`` (default: the bundled one)."""
    path = path or bundled_head_path()
    if not path.is_file():
        raise ConfigError(f"NER head {path} does not exist; train one with: babelwire train ner"
                          " FILES… --out PATH")
    try:
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            arrays = {name: without_subnormals(data[name]) for name in data.files}
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
    # heads written before several layers were read name one "layer", before members
    # were averaged have one 2-D weight, before pooling was a choice read first pieces
    layers = tuple(int(n) for n in meta.get("layers", [meta.get("layer", 8)]))
    weight, bias = data["weight"], data["bias"]
    if weight.ndim == 2:
        weight, bias = weight[None], bias[None]
    return NerHead(weight=weight, bias=bias, mean=data["mean"],
                   scale=data["scale"], layers=layers,
                   pooling=str(meta.get("pooling", "first")),
                   hidden_weight=data["hidden_weight"] if hidden else None,
                   hidden_bias=data["hidden_bias"] if hidden else None, meta=meta,
                   transitions=data.get("transitions"))
