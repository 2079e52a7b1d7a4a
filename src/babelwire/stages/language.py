"""The ``language`` stage: which language an article is written in.

Cascade (the branch that won is recorded in ``lang_method``):
1. ``cld2``: pycld2 when it calls its answer reliable; fast, and good on the
   close Scandinavian languages. cld2 crashes on control characters and lone
   surrogates, so text is cleaned first.
2. ``langid``: py3langid with normalised probabilities when cld2 is unsure
   and py3langid's probability reaches `LANGID_MIN_PROB`.
3. ``und``: neither is confident, or the text is too short; never a silent guess.

Codes are ISO 639-1 where one exists, else ISO 639-3; Norwegian is ``nb`` or
``nn``, never ``no``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..record import Article
from ._language_detector import UND, Detection, LanguageDetector


@dataclass(slots=True)
class LanguageStage:
    """Assign ``lang``, ``lang_score`` and ``lang_method`` from title and body."""

    name: str = "language"
    requires: tuple[str, ...] = ("title", "text")
    assigns: tuple[str, ...] = ("lang", "lang_score", "lang_method")
    detector: LanguageDetector = field(default_factory=LanguageDetector)

    def __call__(self, article: Article) -> Article:
        detection = self.detector.detect(f"{article.title}\n{article.text}")
        article.lang = detection.lang
        article.lang_score = detection.score
        article.lang_method = detection.method
        return article


def detect_language(text: str, detector: LanguageDetector | None = None) -> Detection:
    """Detect the language of ``text`` (a convenience for callers outside the pipeline)."""
    return (detector or LanguageDetector()).detect(text)


__all__ = ["UND", "Detection", "LanguageDetector", "LanguageStage", "detect_language"]
