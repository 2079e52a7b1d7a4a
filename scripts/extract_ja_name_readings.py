"""Write ``entities/data/ja_name_readings.tsv``: readings of Japanese family and given names.

Why a table and not a dependency: linking 岸田文雄 to "Fumio Kishida" needs the
readings of names written in kanji, which no rule can derive (菅 is Kan or Suga).
The person-name entries of MeCab-IPADIC (as bundled in janome, Apache-2.0 with the
IPADIC licence) hold them: about 13,000 family names and 19,000 given names, 0.5 MB,
where janome itself installs 200 MB. The table keeps only those entries, so the
package reads them with no Japanese analyser installed. NOTICE-ipadic.txt beside the
table carries the dictionary's licence.

Run (once, with janome installed in the venv):
    .venv/bin/pip install janome==0.5.1
    .venv/bin/python scripts/extract_ja_name_readings.py
Output lines: ``kind<TAB>surface<TAB>reading|reading...`` with kind ``family`` or
``given``, readings in katakana, sorted, most entries having one reading.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/babelwire/entities/data/ja_name_readings.tsv"
KINDS = {"姓": "family", "名": "given"}
BUCKETS = 10  # janome 0.5 splits the dictionary's extra fields into entries_extra0..9


def person_name_entries() -> dict[tuple[str, str], set[str]]:
    """(kind, surface) → katakana readings of IPADIC's 名詞,固有名詞,人名,姓|名 entries."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for bucket in range(BUCKETS):
        module = importlib.import_module(f"janome.sysdic.entries_extra{bucket}")
        for entry in module.DATA.values():
            parts = entry[0].split(",")
            if (parts[:3] == ["名詞", "固有名詞", "人名"] and parts[3] in KINDS
                    and any(_is_kanji(ch) for ch in entry[3])):
                found[(KINDS[parts[3]], entry[3])].add(entry[4])
    return found


def _is_kanji(ch: str) -> bool:
    """Kanji only: a name written in kana is read as kana (`romanise.kana_readings`)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def main() -> None:
    """Extract the entries and write the table."""
    entries = person_name_entries()
    lines = [f"{kind}\t{surface}\t{'|'.join(sorted(readings))}"
             for (kind, surface), readings in sorted(entries.items())]
    header = ("# Readings of Japanese family and given names from MeCab-IPADIC (see"
              " NOTICE-ipadic.txt);\n# written by scripts/extract_ja_name_readings.py\n")
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} entries -> {OUT}")


if __name__ == "__main__":
    main()
