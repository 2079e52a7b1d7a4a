"""Stores of sample-corpus articles for the processing tests (`process`, Dask, the queue consumer).

Why shared: each of those tests compares one way of processing a store with
another over identical copies, so they need the same three things: a corpus
cut from the bundled sample, a byte copy of a SQLite store, and its export.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from babelwire.db.store import Store
from babelwire.export import write_jsonl
from babelwire.samples import sample_paths


def sample_corpus(folder: Path, count: int) -> Path:
    """A JSONL file of ``count`` sample articles spread evenly over the bundled files."""
    lines = [line for path in sample_paths()
             for line in path.read_text(encoding="utf-8").splitlines()]
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(lines[:: len(lines) // count][:count]) + "\n",
                      encoding="utf-8")
    return corpus


def copy_store(source: Path, target: Path) -> Path:
    """A byte copy of the SQLite store ``source`` at ``target`` (SQLite's backup API)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def export_jsonl(store: Store) -> str:
    """The store's JSONL export, every article in store order."""
    out = io.StringIO()
    write_jsonl(store.iter_articles(), out)
    return out.getvalue()
