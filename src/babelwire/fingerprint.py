"""MinHash fingerprints for near-duplicate detection.

Wire stories are republished with small edits: a changed headline, a dropped
paragraph, a different byline. Exact hashes miss them. A MinHash signature of
the word 3-shingles estimates the Jaccard similarity of two texts, and locality
sensitive hashing (bands of rows) finds candidates without comparing against
every stored article.

With 128 permutations in 32 bands of 4 rows, two texts of Jaccard similarity
0.8 share at least one band with probability 1 - (1 - 0.8^4)^32 > 0.9999, and two
of 0.3 with probability 0.23, which are then rejected by the exact estimate.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

NUM_PERMUTATIONS = 128
BAND_ROWS = 4
SHINGLE_WORDS = 3
MIN_SHINGLES = 8
"""Texts with fewer shingles get no fingerprint: short texts collide too easily."""
_MERSENNE_PRIME = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1
_SEED = 1_048_583
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A MinHash signature and its LSH band keys."""

    signature: np.ndarray  # uint32, NUM_PERMUTATIONS values

    def band_keys(self) -> list[int]:
        """One 63-bit key per band, for an index lookup."""
        rows = self.signature.reshape(-1, BAND_ROWS)
        keys = []
        for band, row in enumerate(rows):
            digest = hashlib.blake2b(row.tobytes(), digest_size=8, person=band.to_bytes(2, "big"))
            keys.append(int.from_bytes(digest.digest(), "big") >> 1)
        return keys

    def to_bytes(self) -> bytes:
        """The signature as bytes, for storage."""
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """Rebuild a fingerprint stored with `to_bytes`."""
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32))

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return float(np.mean(self.signature == other.signature))


class MinHasher:
    """Builds fingerprints; holds its permutation parameters (no module-level state)."""

    def __init__(self, num_permutations: int = NUM_PERMUTATIONS) -> None:
        rng = np.random.default_rng(_SEED)
        self._a = rng.integers(1, _MERSENNE_PRIME, size=num_permutations, dtype=np.uint64)
        self._b = rng.integers(0, _MERSENNE_PRIME, size=num_permutations, dtype=np.uint64)

    def fingerprint(self, text: str) -> Fingerprint | None:
        """Fingerprint ``text``, or None when it is too short to fingerprint reliably."""
        shingles = _shingle_hashes(text)
        if len(shingles) < MIN_SHINGLES:
            return None
        values = np.array(sorted(shingles), dtype=np.uint64)
        # (a*x + b) mod p with p = 2^61-1; the uint64 product wraps, which keeps it a
        # universal-enough hash family for this purpose while staying vectorised.
        permuted = (values[:, None] * self._a[None, :] + self._b[None, :]) % _MERSENNE_PRIME
        signature = (permuted & _MAX_HASH).min(axis=0).astype(np.uint32)
        return Fingerprint(signature)


def _shingle_hashes(text: str) -> set[int]:
    words = _WORD_RE.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return set()
    hashes = set()
    for i in range(len(words) - SHINGLE_WORDS + 1):
        shingle = " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8", "surrogatepass")
        hashes.add(int.from_bytes(hashlib.blake2b(shingle, digest_size=4).digest(), "big"))
    return hashes
