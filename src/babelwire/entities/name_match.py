"""The second check behind a loose key: do two names with the same skeleton name one person?

Why: `NameKey.skeleton` (consonants only, sibilants merged) finds "Selenskyj" for
"Zelensky", but also "Kim Jong-il" for "Kim Jong-un" would be close if vowels were all
that differed. A skeleton hit is therefore only a candidate; it is accepted when
the names align token by token:

- same number of tokens (Han names are compared as one compact string, because
  their syllables split differently: "Xi Jinping" / 习近平);
- every given name (all tokens but the last) equal in some reading, or one vowel
  added (Aleksandr / Aleksander): a substituted letter is another name (Maria /
  Mario, Jong-un / Jong-il);
- the surnames equal, or one edit apart when both have at least `MIN_FUZZY_CHARS`
  letters (Selenskyj / Zelensky; s/z and one vowel are the usual transliteration
  differences);
- for names written in Arabic or Hebrew script (no vowels to compare), each
  token's consonant skeleton equal to the other name's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .name_key import NameKey, abjad_skeleton, skeleton_of

MIN_FUZZY_CHARS = 5
"""Surnames shorter than this must match exactly: one edit in "Kim" or "Ban" is another name."""


@dataclass(frozen=True, slots=True)
class NameAlignment:
    """A passed check: which reading pair aligned and how far the surnames were apart."""

    left: tuple[str, ...]
    right: tuple[str, ...]
    surname_edits: int

    def describe(self) -> str:
        """Evidence text for `Link.evidence`."""
        return (f"tokens {' '.join(self.left)!r} ~ {' '.join(self.right)!r},"
                f" surname edits {self.surname_edits}")


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, capped: returns ``limit + 1`` as soon as it is known to exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def align_names(left: NameKey, right: NameKey) -> NameAlignment | None:
    """Return how ``left`` and ``right`` align as one name, or None if they do not."""
    if left.is_abjad or right.is_abjad:
        return _align_abjad(left, right)
    best: NameAlignment | None = None
    for a in left.readings:
        for b in right.readings:
            found = _align_tokens(a, b)
            if found is not None and (best is None or found.surname_edits < best.surname_edits):
                best = found
    return best


def _align_tokens(a: tuple[str, ...], b: tuple[str, ...]) -> NameAlignment | None:
    if not a or not b:
        return None
    if len(a) != len(b):
        joined_a, joined_b = "".join(a), "".join(b)
        # Only Han-style syllable splits may change the token count (Xi Jinping / Xi Jin Ping).
        if joined_a == joined_b and min(len(a), len(b)) >= 2:
            return NameAlignment(left=a, right=b, surname_edits=0)
        return None
    if not all(x == y or _vowel_dropped(x, y) for x, y in zip(a[:-1], b[:-1], strict=True)):
        return None
    edits = edit_distance(a[-1], b[-1], limit=1)
    if edits == 0 or (edits == 1 and min(len(a[-1]), len(b[-1])) >= MIN_FUZZY_CHARS):
        return NameAlignment(left=a, right=b, surname_edits=edits)
    return None


def _abjad_token_skeletons(key: NameKey) -> list[str]:
    if key.is_abjad:
        return [abjad_skeleton((t,), hebrew=key.is_hebrew) for t in key.latin.split()]
    return [skeleton_of(t) for t in key.tokens]


def _vowel_dropped(x: str, y: str) -> bool:
    """True when one given name is the other with one vowel left out (Aleksandr / Aleksander).

    Transliterations drop or add a vowel; a substituted letter is another name
    (Maria / Mario, Gabriela / Gabriele), so only an insertion is accepted, and only
    in names of at least `MIN_FUZZY_CHARS` letters.
    """
    short, long_ = sorted((x, y), key=len)
    if len(long_) != len(short) + 1 or len(short) < MIN_FUZZY_CHARS - 1:
        return False
    return any(long_[i] in "aeiou" and long_[:i] + long_[i + 1:] == short
               for i in range(len(long_)))


def _align_abjad(left: NameKey, right: NameKey) -> NameAlignment | None:
    sa, sb = _abjad_token_skeletons(left), _abjad_token_skeletons(right)
    if len(sa) != len(sb) or len(sa) < 2 or sa != sb or sum(len(s) for s in sa) < 4:
        return None
    return NameAlignment(left=left.tokens, right=right.tokens, surname_edits=0)
