"""Who said what: direct, indirect and mixed quotes with their speakers, in many languages.

The pipeline, in modules: `marks` pairs quotation marks of every convention;
`layout` cuts a text into sentences that never end inside a quotation; `lexicon`
reads the per-language data files (`lexicons/<lang>.toml`: speech verbs with
inflection patterns, according-to phrases, word classes); `cues` finds speech
verbs and according-to phrases; `indirect` finds what a cue introduces and its
subject; `direct` attributes quotations no cue covers (colon, continuation,
dash paragraphs, incises); `headlines` reads "Source: statement."
first paragraphs; `continuation` carries German reported-mood
sentences; `heads` reads complement clauses of nouns and adjectives ("the claim
that …"); `speakers` reads subject phrases and resolves pronouns and role
nouns to `mentions`; `extractor` runs the cascade and makes `Quote` records.
`benchmark` times it against a regex pass.
"""

from __future__ import annotations

from .extractor import ExtractorOptions, QuoteExtractor

__all__ = ["ExtractorOptions", "QuoteExtractor"]
