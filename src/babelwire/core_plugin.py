"""babelwire's own stages, registered through the plugin hooks like any plugin's."""

from __future__ import annotations

from .hookspecs import hookimpl
from .registry import StageRegistry


@hookimpl
def register_stages(registry: StageRegistry) -> None:
    """Register the core stage implementations."""
    from .stages.clean import CleanStage
    from .stages.embed import EmbedStage
    from .stages.language import LanguageStage
    from .stages.ner import NerStage
    from .stages.quotes import QuotesStage
    from .stages.segment import SegmentStage

    registry.register("clean.trafilatura.v1", CleanStage,
                      "HTML main text via trafilatura, falling back to its baseline")
    registry.register("segment.rules.v1", SegmentStage,
                      "captions, subheadings, bylines and sidebar briefs by per-language rules")
    registry.register("language.cld2.v1", LanguageStage,
                      "pycld2, then py3langid, else 'und'")
    registry.register("embed.e5.v1", EmbedStage,
                      "multilingual-e5-small embedding of title and lead", shares_resources=True)
    registry.register("ner.e5.v3", NerStage,
                      "PER/ORG/LOC/MISC mentions from babelwire's head v4 over e5-small layer 8"
                      " (mean of each word's pieces, tag-bigram transitions)",
                      shares_resources=True)
    registry.retire("ner.e5.v1", "ner.e5.v3",
                    "its head v2 read first word pieces and no longer ships")
    registry.retire("ner.e5.v2", "ner.e5.v3",
                    "its head v3 decoded without tag transitions and no longer ships")
    registry.register("quotes.rules.v1", QuotesStage,
                      "direct, indirect and mixed quotes with speakers, from per-language lexicons")
