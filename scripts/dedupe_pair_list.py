"""Drop from a new entity-link pair list every pair already in a shipped list.

A held-out list measures generalisation only if its pairs are new: a pair whose two texts
(lower-cased, in either order) equal a pair of any list in ``babelwire/entities/data`` was
seen by the rules already. Run it before the first evaluation of a new list:

    python scripts/dedupe_pair_list.py NEW.jsonl OUT.jsonl

It prints how many pairs were kept and removed, per group.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "babelwire" / "entities" / "data"


def pair_key(record: dict) -> frozenset[str]:
    """The two mention texts, case-folded, order ignored."""
    return frozenset((record["a"]["text"].casefold(), record["b"]["text"].casefold()))


def shipped_keys(exclude: Path) -> set[frozenset[str]]:
    keys: set[frozenset[str]] = set()
    for path in sorted(DATA.glob("entity_links*.jsonl")):
        if path.resolve() == exclude.resolve():
            continue
        with path.open(encoding="utf-8") as lines:
            keys.update(pair_key(json.loads(line)) for line in lines if line.strip())
    return keys


def main(new: Path, out: Path) -> None:
    seen = shipped_keys(exclude=out)
    kept, removed = [], Counter()
    own: set[frozenset[str]] = set()
    with new.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            key = pair_key(record)
            if key in seen or key in own:
                removed[record.get("group", "?")] += 1
                continue
            own.add(key)
            kept.append(record)
    with out.open("w", encoding="utf-8") as sink:
        for record in kept:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"kept {len(kept)}: {dict(Counter(r.get('group', '?') for r in kept))}")
    print(f"removed {sum(removed.values())}: {dict(removed)}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python scripts/dedupe_pair_list.py NEW.jsonl OUT.jsonl")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
