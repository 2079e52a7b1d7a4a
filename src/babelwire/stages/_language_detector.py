"""The language-ID cascade behind the ``language`` stage: pycld2, then py3langid, else ``und``.

Thresholds come from the UDHR development set (docs/EVALUATION.md) and are
round values on a plateau, not fitted to the last decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycld2
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from ..text.normalize import strip_unsafe

UND = "und"
MIN_LETTERS = 8
"""Fewer letters than this is no evidence of a language: the answer is ``und``."""
CLD2_MIN_PERCENT = 50
"""cld2 is trusted when reliable and the top language covers at least this share of the text."""
LANGID_MIN_PROB = 0.5
"""py3langid's normalised probability needed to answer when cld2 is unsure."""

# Codes the two tools use that are not ISO 639-1/639-3 as the evaluation data uses them.
_CODE_MAP = {
    "no": "nb",  # cld2 and py3langid call Bokmål "no"; Nynorsk is "nn" in both
    "iw": "he",
    "jw": "jv",
    "zh-Hant": "zh",
    "sr-ME": "sr",
    "mo": "ro",
    "tl": "tl",
    "gug": "gn",
    "uzs": "uz",
    "yue": "zh",
    "wuu": "zh",
}
# cld2 pseudo-languages: scripts without a language, unknown, and test/constructed entries.
_CLD2_NOT_LANGUAGES = re.compile(r"^(xx-.*|un|xxx|zz.|tlh|zzb|zze|zzh|zzp)$")
_LANGID_NOT_LANGUAGES = frozenset({"zxx", "hbo", "grc"})
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Detection:
    """A detected language, the detector's confidence in [0, 1], and which branch decided."""

    lang: str
    score: float
    method: str


def normalise_code(code: str) -> str:
    """Map a detector's code to ISO 639-1 (639-3 where there is none), ``nb`` for Norwegian."""
    return _CODE_MAP.get(code, code)


class LanguageDetector:
    """Detects languages; owns the py3langid model (loaded once per detector)."""

    supported_definition = (
        "languages both detectors of the cascade are trained on: pycld2.DETECTED_LANGUAGES"
        " intersected with py3langid's model classes, codes normalised as reported"
    )

    def __init__(self) -> None:
        self._langid = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        names = dict(pycld2.LANGUAGES)
        cld2_codes = {normalise_code(names[name]) for name in pycld2.DETECTED_LANGUAGES}
        langid_codes = {normalise_code(code) for code in self._langid.nb_classes}
        self.supported = frozenset(cld2_codes & langid_codes)
        self.known = frozenset(cld2_codes | langid_codes)
        """Every code the cascade can answer: cld2 also names languages py3langid lacks
        (Hawaiian "haw"), and a reliable cld2 answer is kept even outside ``supported``."""

    def detect(self, text: str) -> Detection:
        """Detect the language of ``text``; ``und`` when there is too little evidence."""
        text = strip_unsafe(text)
        if len(_LETTER_RE.findall(text[:2000])) < MIN_LETTERS:
            return Detection(UND, 0.0, "too-short")
        cld2 = self._cld2(text)
        if cld2 is not None:
            return cld2
        lang, prob = self._langid.classify(text)
        if prob >= LANGID_MIN_PROB and lang not in _LANGID_NOT_LANGUAGES:
            return Detection(normalise_code(lang), round(float(prob), 4), "langid")
        return Detection(UND, round(float(prob), 4), "und")

    def _cld2(self, text: str) -> Detection | None:
        try:
            reliable, _, details = pycld2.detect(text, bestEffort=False)
        except pycld2.error:
            return None  # cld2 refuses some byte sequences; py3langid decides instead
        _, code, percent, _ = details[0]
        if not reliable or percent < CLD2_MIN_PERCENT or _CLD2_NOT_LANGUAGES.match(code):
            return None
        return Detection(normalise_code(code), percent / 100.0, "cld2")
