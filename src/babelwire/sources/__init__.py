"""Sources: turn an input reference (path, URL, ``-``) into raw `Article` records.

A source never stops a batch: a bad line, entry or record is yielded as a
`SourceError` in place of an article, and the caller records it.
"""

from .reader import InputRef, SourceItem, SourceOptions, read_input

__all__ = ["InputRef", "SourceItem", "SourceOptions", "read_input"]
