"""babelwire: a self-hosted multilingual news monitor.

The public API is what ``__all__`` lists; everything else may change.
"""

import logging

from .db import Database, Store
from .errors import BabelwireError
from .pipeline import ErrorPolicy, Pipeline
from .record import Article, Entity, Quote, QuoteType, StageFailure, Story
from .settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BabelwireError",
    "Database",
    "Entity",
    "ErrorPolicy",
    "Pipeline",
    "Quote",
    "QuoteType",
    "Settings",
    "StageFailure",
    "Store",
    "Story",
    "__version__",
    "load_settings",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
