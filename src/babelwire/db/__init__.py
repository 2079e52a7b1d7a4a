"""The storage layer. All SQL lives in this package."""

from .database import Database
from .store import AddOutcome, AddResult, IngestFailure, SearchHit, Store

__all__ = ["AddOutcome", "AddResult", "Database", "IngestFailure", "SearchHit", "Store"]
