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
from dataclasses import dataclass, field
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
    stories_per_window: int = 800
    story_window_days: int = 3
    threads: int = 50
    seed: int = 7
    chunk: int = 20_000


@dataclass(frozen=True, slots=True)
class SyntheticStore:
    """What was written: counts, and ids the benchmark requests."""

    articles: int
    entities: int
    mentions: int
    embedded: int
    stories: int
    article_ids: list[str]
    entity_ids: list[str]
    top_entity_ids: list[str]
    query_words: list[str]
    story_ids: list[str]


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
    stories: dict[str, _StoryTally] = {}
    for start in range(0, spec.articles, spec.chunk):
        size = min(spec.chunk, spec.articles - start)
        _write_chunk(conn, rng, spec, start, size, now, words, names, entity_ids, types,
                     counts, variants, stories)
        if progress is not None:
            next(progress, None)
    _write_entities(conn, entity_ids, names, types, counts, variants)
    _write_stories(conn, stories, spec)
    conn.execute("PRAGMA synchronous=NORMAL")
    ranked = np.argsort(-counts, kind="stable")
    return SyntheticStore(
        articles=spec.articles, entities=spec.entities,
        mentions=int(counts.sum()), embedded=min(spec.embedded, spec.articles),
        article_ids=[_article_id(int(n)) for n in rng.integers(0, spec.articles, 500)],
        entity_ids=[entity_ids[int(n)] for n in rng.integers(0, spec.entities, 500)],
        top_entity_ids=[entity_ids[int(n)] for n in ranked[:10]],
        query_words=[str(w) for w in words["en"][300:1300:5]], stories=len(stories),
        story_ids=_sampled_stories(rng, stories))


def _write_chunk(conn: sqlite3.Connection, rng: np.random.Generator, spec: SyntheticSpec,
                 start: int, size: int, now: datetime, words: dict[str, np.ndarray],
                 names: list[str], entity_ids: list[str], types: np.ndarray,
                 counts: np.ndarray, variants: dict[tuple[int, str], int],
                 stories: dict[str, _StoryTally]) -> None:
    langs = rng.choice(len(LANGUAGES), size=size, p=_zipf_weights(len(LANGUAGES), 0.8))
    sources = rng.choice(spec.sources, size=size, p=_zipf_weights(spec.sources, 1.0))
    ages = rng.random(size) * spec.days * 86_400
    picks = rng.choice(spec.entities, size=(size, spec.mentions_per_article),
                       p=_zipf_weights(spec.entities, 1.0))
    word_ranks = rng.choice(spec.vocabulary, size=(size, spec.words_per_article),
                            p=_zipf_weights(spec.vocabulary, 1.05))
    story_picks = rng.choice(spec.stories_per_window, size=size,
                             p=_zipf_weights(spec.stories_per_window, 1.0))
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
        moment = now - timedelta(seconds=float(ages[i]))
        published = moment.isoformat(timespec="seconds")
        title = " ".join(words[lang][word_ranks[i][:8]]).capitalize()
        window = int(ages[i] // (spec.story_window_days * 86_400))
        story_id = f"story:bench:{window:04d}:{int(story_picks[i]):04d}"
        stories.setdefault(story_id, _StoryTally(int(story_picks[i]))).add(
            lang, title, moment.timestamp() / 86_400, [str(e["id"]) for e in entities])
        embedding = None
        if n < spec.embedded:
            vector = rng.standard_normal(spec.embedding_dim).astype("<f4")
            embedding = (vector / np.linalg.norm(vector)).tobytes()
        rows.append((_article_id(n), f"synthetic-{n}", f"src{sources[i]:03d}.example",
                     f"https://src{sources[i]:03d}.example/{n}", published, ingested,
                     title, text, lang, story_id,
                     json.dumps(entities, ensure_ascii=False), embedding,
                     None if embedding is None else "intfloat/multilingual-e5-small",
                     None if embedding is None else spec.embedding_dim))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO articles (id, content_hash, source, url, published_at, ingested_at, title,"
        " text, lang, story_id, lang_score, lang_method, entities, embedding, embedding_model,"
        " embedding_dim) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1.0, 'synthetic', ?, ?, ?, ?)",
        rows)
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


@dataclass(slots=True)
class _StoryTally:
    """A synthetic story's running totals while its articles are written."""

    topic: int
    size: int = 0
    first_day: float = float("inf")
    last_day: float = float("-inf")
    languages: dict[str, int] = field(default_factory=dict)
    headlines: dict[str, str] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)

    def add(self, lang: str, title: str, day: float, entity_ids: list[str]) -> None:
        for entity_id in entity_ids:
            self.entities[entity_id] = self.entities.get(entity_id, 0) + 1
        self.size += 1
        self.first_day, self.last_day = min(self.first_day, day), max(self.last_day, day)
        self.languages[lang] = self.languages.get(lang, 0) + 1
        self.headlines.setdefault(lang, title)


def _write_stories(conn: sqlite3.Connection, stories: dict[str, _StoryTally],
                   spec: SyntheticSpec) -> None:
    """Story rows as the clusterer leaves them, minus its state (empty centroid blobs: the
    benchmark reads pages, it never clusters); the first topics recur as threads."""
    rows = []
    for story_id, tally in stories.items():
        thread = f"thread:bench:{tally.topic}" if tally.topic < spec.threads else story_id
        label = tally.headlines.get("en") or next(iter(tally.headlines.values()))
        top = sorted(tally.entities, key=lambda e: (-tally.entities[e], e))[:10]
        rows.append((story_id, label, thread, tally.size, tally.first_day, tally.last_day,
                     json.dumps(tally.languages), json.dumps(tally.headlines, ensure_ascii=False),
                     json.dumps(top)))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO stories (id, label, thread_id, size, first_day, last_day, languages,"
        " headlines, top_entities, centroid, member_vectors, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, x'', x'', 'synthetic')", rows)
    conn.execute("COMMIT")


def _sampled_stories(rng: np.random.Generator, stories: dict[str, _StoryTally]) -> list[str]:
    """Stories to request, drawn by size (readers open big stories more often)."""
    ids = list(stories)
    sizes = np.array([stories[i].size for i in ids], dtype=np.float64)
    return [ids[int(n)] for n in rng.choice(len(ids), size=min(500, len(ids)),
                                            p=sizes / sizes.sum())]


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
