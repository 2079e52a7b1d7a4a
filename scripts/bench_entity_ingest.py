"""What entity resolution after ingest costs for one new article, by store size.

Subcommands (each bounded by its arguments):

- ``build --mentions N --db PATH``: a store of synthetic news articles with about
  28 NER mentions each (the sample corpus's mean), queued as ingest queues them,
  then resolved once by a replay (which also writes the resolver state).
- ``one --db PATH --articles K``: store K new articles one at a time, timing the
  after-ingest resolution of each (the gazetteer is loaded first, as ingest keeps
  it for the whole run). Incremental when the code has
  `EntityCatalog.resolve_pending`; older code replays every mention (what ingest
  did before), so running this file against an older checkout
  (``PYTHONPATH=old/src``) measures "before" on a copy of the same store.
- ``state --entities N --db PATH`` and ``stored --db PATH --mentions M``: the
  resolver state of `entities.benchmark`'s synthetic N-entity store, written to
  PATH; then `bench entities`' M mentions resolved against it through the stored
  index (mentions/s, read lazily from the file) instead of the in-memory one.

    .venv/bin/python scripts/bench_entity_ingest.py build --mentions 100000 --db /tmp/s.db
    .venv/bin/python scripts/bench_entity_ingest.py one --db /tmp/s.db --articles 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from babelwire import Article, Database
from babelwire.assembly import cache_dir
from babelwire.entities.catalog import EntityCatalog
from babelwire.entities.places import Gazetteer
from babelwire.record import Entity

MENTIONS_PER_ARTICLE = 28
SYLLABLES = {"ba": "ба", "bo": "бо", "da": "да", "di": "ди", "ka": "ка", "ko": "ко", "la": "ла",
             "li": "ли", "ma": "ма", "mi": "ми", "na": "на", "no": "но", "pa": "па", "po": "по",
             "ra": "ра", "ri": "ри", "sa": "са", "so": "со", "ta": "та", "to": "то", "va": "ва",
             "vi": "ви", "za": "за", "zo": "зо", "ku": "ку", "tu": "ту", "shu": "шу"}
PLACES = ["Moskva", "Kina", "Berlin", "Paris", "Tyskland", "russiske", "Китай", "Chine", "Polen",
          "Deutschland", "Madrid", "Roma", "Ukraina", "Washington", "London", "Kyiv"]
ORGS = ["Gazprom", "NATO", "Bundestag", "Reuters", "Kreml", "Senatet", "Apple", "Siemens"]


def _word(rng: random.Random, parts: int) -> tuple[str, str]:
    chosen = [rng.choice(list(SYLLABLES)) for _ in range(parts)]
    return "".join(chosen).capitalize(), "".join(SYLLABLES[p] for p in chosen).capitalize()


def _people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    out = []
    for _ in range(count):
        (given, given_ru), (surname, surname_ru) = _word(rng, 2), _word(rng, rng.randint(3, 4))
        out.append((f"{given} {surname}ov", f"{given_ru} {surname_ru}ов"))
    return out


def _article(rng: random.Random, number: int, people: list[tuple[str, str]]) -> Article:
    """About 28 mentions: known people (Zipf) with their surnames, places, organisations, and
    about 30 % unseen names (the sample corpus has 7,466 entities for 24,502 mentions)."""
    lang = rng.choice(["en", "ru", "nb", "de"])
    names: list[tuple[str, str]] = []
    while len(names) < MENTIONS_PER_ARTICLE:
        roll = rng.random()
        if roll < 0.35:  # shares chosen so ~30 % of mentions are new names, as in the sample
            latin, cyrillic = people[min(int(rng.paretovariate(1.1)) - 1, len(people) - 1)]
            full = cyrillic if lang == "ru" else latin
            names += [(full, "PER"), (full.split()[-1], "PER")]
        elif roll < 0.5:
            names.append((rng.choice(PLACES), "LOC"))
        elif roll < 0.6:
            names.append((rng.choice(ORGS), "ORG"))
        else:
            names.append((_people(rng, 1)[0][0], "PER"))
    text, entities = "", []
    for name, type_ in names[:MENTIONS_PER_ARTICLE]:
        start = len(text)
        text += name + " said something. "
        entities.append(Entity(id="", name=name, type=type_, mention=name,
                               spans=((start, start + len(name)),)))
    return Article(id=f"bench-{number:07d}", title=f"Bench {number}", text=text, lang=lang,
                   entities=entities)


def _gazetteer() -> Gazetteer:
    gazetteer = Gazetteer(cache_dir())
    gazetteer.table  # noqa: B018 - loaded before any timing, as ingest loads it once
    return gazetteer


def build(args: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(args.seed)
    people = _people(rng, max(50, args.mentions // 40))
    started = time.perf_counter()
    with Database(args.db) as db:
        for number in range(args.mentions // MENTIONS_PER_ARTICLE):
            db.add_article(_article(rng, number, people))
        stored_s = time.perf_counter() - started
        gazetteer = _gazetteer()
        started = time.perf_counter()
        report = EntityCatalog(db, gazetteer=gazetteer).resolve()
        replay_s = time.perf_counter() - started
    return {"articles": args.mentions // MENTIONS_PER_ARTICLE, "mentions": report.mentions,
            "entities": report.entities, "store_s": round(stored_s, 1),
            "first_replay_s": round(replay_s, 1),
            "file_mb": round(os.path.getsize(args.db) / 1e6, 1)}


def one(args: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(args.seed + 1)
    people = _people(random.Random(args.seed), 2_000)
    gazetteer = _gazetteer()
    timings, cpu, mode = [], [], ""
    with Database(args.db) as db:
        catalog = EntityCatalog(db, gazetteer=gazetteer)
        resolve = getattr(catalog, "resolve_pending", catalog.resolve)
        for k in range(args.articles):
            db.add_article(_article(rng, 9_000_000 + 1_000 * args.seed + k, people))
            started, cpu_started = time.perf_counter(), time.process_time()
            report = resolve()
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)  # both threads: caller and writer
            mode = getattr(report, "mode", "replay (before: every ingest)")
    return {"mode": mode, "articles": args.articles,
            "seconds_per_article": [round(t, 4) for t in timings],
            "median_s": round(statistics.median(timings), 4),
            "median_cpu_s": round(statistics.median(cpu), 4)}


def state(args: argparse.Namespace) -> dict[str, object]:
    from babelwire.db.resolver_state import StoredResolverState
    from babelwire.entities.benchmark import build_store
    from babelwire.entities.stored_index import full_state

    started = time.perf_counter()
    index, _ = build_store(args.entities, args.seed)
    built_s = time.perf_counter() - started
    started = time.perf_counter()
    with Database(args.db) as db:
        db.write(lambda conn: StoredResolverState(conn).write_changes(full_state(index)))
    return {"entities": args.entities, "build_in_memory_s": round(built_s, 1),
            "write_state_s": round(time.perf_counter() - started, 1),
            "file_mb": round(os.path.getsize(args.db) / 1e6, 1)}


def stored(args: argparse.Namespace) -> dict[str, object]:
    import sqlite3

    from babelwire.db.resolver_state import StoredResolverState
    from babelwire.entities.benchmark import _mentions, _person
    from babelwire.entities.resolver import EntityResolver
    from babelwire.entities.stored_index import StoredEntityIndex

    rng = random.Random(args.seed)  # the same people as `state` built (same seed, same draws)
    people = [_person(rng) for _ in range(args.entities)]
    batch = _mentions(people, args.mentions, args.seed + 1)
    gazetteer = _gazetteer()
    with Database(args.db) as db:
        def run(conn: sqlite3.Connection) -> tuple[float, dict[str, int]]:
            resolver = EntityResolver(gazetteer, StoredEntityIndex(StoredResolverState(conn)))
            started, cpu_started = time.perf_counter(), time.process_time()
            resolver.resolve_groups(batch)
            times = (time.perf_counter() - started, time.process_time() - cpu_started)
            return times, dict(sorted(resolver.rule_counts.items()))

        (seconds, cpu_s), rules = db.write(run)
    return {"store_entities": args.entities, "mentions": len(batch),
            "resolve_s": round(seconds, 2), "mentions_per_s": round(len(batch) / seconds),
            "cpu_s": round(cpu_s, 2), "mentions_per_cpu_s": round(len(batch) / cpu_s),
            "rules": rules}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "one", "state", "stored"):
        sub = commands.add_parser(name)
        sub.add_argument("--db", type=Path, required=True)
        sub.add_argument("--seed", type=int, default=7)
    commands.choices["build"].add_argument("--mentions", type=int, default=100_000)
    commands.choices["one"].add_argument("--articles", type=int, default=5)
    commands.choices["state"].add_argument("--entities", type=int, default=1_000_000)
    commands.choices["stored"].add_argument("--entities", type=int, default=1_000_000)
    commands.choices["stored"].add_argument("--mentions", type=int, default=20_000)
    args = parser.parse_args()
    result = {"build": build, "one": one, "state": state, "stored": stored}[args.command](args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
