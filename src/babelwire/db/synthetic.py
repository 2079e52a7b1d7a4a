"""A synthetic store for ``babelwire bench web``: many articles, entities and mentions, fast.

Why not `Database.add_article`: it checks duplicates and near duplicates and
queues each write on the writer thread, which is right for ingest and far too
slow to fill a million rows for a benchmark. Here rows go in by
``executemany`` in large transactions on one connection, with the same
triggers (full-text index, embedding log) firing as in a real store, and with
``synchronous=OFF`` while filling (a crash means refilling, nothing more).

The shape follows news: languages and sources by Zipf-like weights, words per
language from a Zipf vocabulary of made-up words, entity popularity Zipf
(a few names in many articles, most in a handful), publication times spread
over the last ``days`` days up to ``now``. Every number comes from one seeded
generator, so a size and a seed give the same store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

LANGUAGES = ("en", "de", "fr", "es", "ru", "it", "nl", "pl", "ar", "zh")
ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
SYLLABLES = ("ka", "lo", "mi", "ne", "ra", "to", "vu", "shi", "en", "dor", "al", "ber", "ti",
             "sa", "qu", "ze", "ny", "po", "gra", "fel", "ul", "ish", "om", "ar")


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticSpec:
    """How big and how shaped the synthetic store is."""

    articles: int = 1_000_000
    entities: int = 50_000
    mentions_per_article: int = 3
    words_per_article: int = 60
    vocabulary: int = 5_000
    sources: int = 300
    days: int = 365
    embedded: int = 20_000
    embedding_dim: int = 384
    seed: int = 7
    chunk: int = 20_000


@dataclass(frozen=True, slots=True)
class SyntheticStore:
    """What was written: counts, and ids the benchmark requests."""

    articles: int
    entities: int
    mentions: int
    embedded: int
    article_ids: list[str]
    entity_ids: list[str]
    top_entity_ids: list[str]
    query_words: list[str]


def fill(conn: sqlite3.Connection, spec: SyntheticSpec, *, now: datetime | None = None,
         progress: Iterator[None] | None = None) -> SyntheticStore:
    """Write ``spec.articles`` articles with entities and mentions into an empty, migrated store."""
    rng = np.random.default_rng(spec.seed)
    now = now or datetime.now(UTC)
    words = {lang: _vocabulary(rng, spec.vocabulary) for lang in LANGUAGES}
    names = [_name(rng) for _ in range(spec.entities)]
    entity_ids = [f"ent:bench:{n:06d}" for n in range(spec.entities)]
    types = rng.choice(len(ENTITY_TYPES), size=spec.entities)
    conn.execute("PRAGMA synchronous=OFF")
    counts = np.zeros(spec.entities, dtype=np.int64)
    variants: dict[tuple[int, str], int] = {}
    for start in range(0, spec.articles, spec.chunk):
        size = min(spec.chunk, spec.articles - start)
        _write_chunk(conn, rng, spec, start, size, now, words, names, entity_ids, types,
                     counts, variants)
        if progress is not None:
            next(progress, None)
    _write_entities(conn, entity_ids, names, types, counts, variants)
    conn.execute("PRAGMA synchronous=NORMAL")
    ranked = np.argsort(-counts, kind="stable")
    return SyntheticStore(
        articles=spec.articles, entities=spec.entities,
        mentions=int(counts.sum()), embedded=min(spec.embedded, spec.articles),
        article_ids=[_article_id(int(n)) for n in rng.integers(0, spec.articles, 500)],
        entity_ids=[entity_ids[int(n)] for n in rng.integers(0, spec.entities, 500)],
        top_entity_ids=[entity_ids[int(n)] for n in ranked[:10]],
        query_words=[str(w) for w in words["en"][20:220]])


def _write_chunk(conn: sqlite3.Connection, rng: np.random.Generator, spec: SyntheticSpec,
                 start: int, size: int, now: datetime, words: dict[str, np.ndarray],
                 names: list[str], entity_ids: list[str], types: np.ndarray,
                 counts: np.ndarray, variants: dict[tuple[int, str], int]) -> None:
    langs = rng.choice(len(LANGUAGES), size=size, p=_zipf_weights(len(LANGUAGES), 0.8))
    sources = rng.choice(spec.sources, size=size, p=_zipf_weights(spec.sources, 1.0))
    ages = rng.random(size) * spec.days * 86_400
    picks = rng.choice(spec.entities, size=(size, spec.mentions_per_article),
                       p=_zipf_weights(spec.entities, 1.0))
    word_ranks = rng.choice(spec.vocabulary, size=(size, spec.words_per_article),
                            p=_zipf_weights(spec.vocabulary, 1.05))
    rows, mentions = [], []
    ingested = now.isoformat(timespec="seconds")
    for i in range(size):
        n, lang = start + i, LANGUAGES[langs[i]]
        body = " ".join(words[lang][word_ranks[i]])
        entities, text = _mention_entities(picks[i], names, entity_ids, types, body)
        for entity in entities:
            index = int(entity["index"])
            counts[index] += 1
            variants[(index, lang)] = variants.get((index, lang), 0) + 1
            mentions.append((_article_id(n), entity["spans"][0][0], entity["spans"][0][1],
                             entity["mention"], entity["type"], lang, entity["id"], "bench"))
            del entity["index"]
        published = (now - timedelta(seconds=float(ages[i]))).isoformat(timespec="seconds")
        embedding = None
        if n < spec.embedded:
            vector = rng.standard_normal(spec.embedding_dim).astype("<f4")
            embedding = (vector / np.linalg.norm(vector)).tobytes()
        rows.append((_article_id(n), f"synthetic-{n}", f"src{sources[i]:03d}.example",
                     f"https://src{sources[i]:03d}.example/{n}", published, ingested,
                     " ".join(words[lang][word_ranks[i][:8]]).capitalize(), text, lang,
                     json.dumps(entities, ensure_ascii=False), embedding,
                     None if embedding is None else "intfloat/multilingual-e5-small",
                     None if embedding is None else spec.embedding_dim))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO articles (id, content_hash, source, url, published_at, ingested_at, title,"
        " text, lang, lang_score, lang_method, entities, embedding, embedding_model,"
        " embedding_dim) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1.0, 'synthetic', ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO entity_mentions (article_id, start, end, text, type, lang, entity_id, rule)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", mentions)
    conn.execute("COMMIT")


def _mention_entities(picks: np.ndarray, names: list[str], entity_ids: list[str],
                      types: np.ndarray, body: str) -> tuple[list[dict[str, Any]], str]:
    """Prefix the body with one sentence naming the picked entities; their spans point there."""
    parts, entities, offset = [], [], 0
    for index in dict.fromkeys(int(p) for p in picks):
        name = names[index]
        entities.append({"index": index, "id": entity_ids[index], "name": name,
                         "type": ENTITY_TYPES[int(types[index])], "mention": name,
                         "spans": [[offset, offset + len(name)]]})
        parts.append(name)
        offset += len(name) + 2
    return entities, ", ".join(parts) + ". " + body


def _write_entities(conn: sqlite3.Connection, entity_ids: list[str], names: list[str],
                    types: np.ndarray, counts: np.ndarray,
                    variants: dict[tuple[int, str], int]) -> None:
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO entities (id, name, type, mentions) VALUES (?, ?, ?, ?)",
                     [(entity_ids[i], names[i], ENTITY_TYPES[int(types[i])], int(counts[i]))
                      for i in range(len(entity_ids))])
    conn.executemany("INSERT INTO entity_variants (entity_id, name, lang, count)"
                     " VALUES (?, ?, ?, ?)",
                     [(entity_ids[i], names[i], lang, n) for (i, lang), n in variants.items()])
    conn.execute("COMMIT")


def _vocabulary(rng: np.random.Generator, size: int) -> np.ndarray:
    made: set[str] = set()
    while len(made) < size:
        made.add("".join(rng.choice(SYLLABLES, size=int(rng.integers(1, 5)))))
    ordered = rng.permutation(np.array(sorted(made), dtype=object))  # rank is not alphabetical
    return ordered[:size]


def _name(rng: np.random.Generator) -> str:
    return " ".join("".join(rng.choice(SYLLABLES, size=2)).capitalize()
                    for _ in range(int(rng.integers(1, 3))))


def _zipf_weights(n: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


def _article_id(n: int) -> str:
    return f"bench-{n:07d}"
