"""Export: the product's interchange format.

``jsonl`` is complete: one article per line with its id, provenance, dates,
language, title, text, captions, story, entities (canonical id, name, type,
spans) and quotes (text, spans, type, speaker name, mention and spans, canonical
entity id, cue, the rule that found it). ``csv`` and ``parquet`` carry
the same columns, with nested values as JSON strings in CSV.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from .errors import ConfigError
from .record import Article

FORMATS = ("jsonl", "csv", "parquet")


def article_record(article: Article) -> dict[str, Any]:
    """The export record of one article (the JSONL line, as a dict)."""
    return {
        "id": article.id,
        "kind": article.kind.value,
        "parent_id": article.parent_id,
        "source": article.source,
        "url": article.url,
        "licence": article.licence,
        "published_at": _iso(article.published_at),
        "fetched_at": _iso(article.fetched_at),
        "language": article.lang,
        "language_score": round(article.lang_score, 4),
        "title": article.title,
        "text": article.text,
        "author": article.author,
        "captions": article.captions,
        "subheadings": article.subheadings,
        "story_id": article.story_id,
        "entities": [
            {"id": e.id, "name": e.name, "type": e.type, "mention": e.mention,
             "spans": [list(s) for s in e.spans]}
            for e in article.entities
        ],
        "quotes": [
            {"text": q.text, "type": q.type.value, "spans": [list(s) for s in q.spans],
             "speaker_name": q.speaker_name, "speaker_entity": q.speaker_entity,
             "speaker_mention": q.speaker_mention,
             "speaker_spans": [list(s) for s in q.speaker_spans],
             "cue": q.cue, "cue_spans": [list(s) for s in q.cue_spans],
             "language": q.language, "confidence": q.confidence, "rule": q.rule}
            for q in article.quotes
        ],
    }


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> int:
    """Write one JSON object per line; return the number written."""
    count = 0
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
        count += 1
    return count


_NESTED = ("captions", "subheadings", "entities", "quotes")


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if k in _NESTED else v for k, v in record.items()}


def write_csv(articles: Iterable[Article], out: IO[str]) -> int:
    """Write a header and one row per article; nested fields are JSON strings."""
    writer: csv.DictWriter[str] | None = None
    count = 0
    for article in articles:
        record = _flat(article_record(article))
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(record))
            writer.writeheader()
        writer.writerow(record)
        count += 1
    return count


def write_parquet(articles: Iterable[Article], path: str) -> int:
    """Write a Parquet file (nested fields as JSON strings); needs a file path, not stdout."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [_flat(article_record(article)) for article in articles]
    empty = pa.table({"id": pa.array([], pa.string())})
    table = pa.Table.from_pylist(records) if records else empty
    pq.write_table(table, path)
    return len(records)


def check_format(name: str) -> str:
    """Return ``name`` if it is an export format, else raise `ConfigError` listing them."""
    if name not in FORMATS:
        raise ConfigError(f"unknown export format {name!r}; choose one of {', '.join(FORMATS)}")
    return name
