"""``babelwire eval entity-links``: precision and recall of merging name pairs into one entity.

Each record is a pair of mentions (text, language, type) and whether they name the
same entity. The two mentions are resolved in two different articles by a fresh
resolver (so nothing but the names decides), and the pair counts as merged when
both links land on one entity. Precision = merged true pairs / merged pairs;
recall = merged true pairs / true pairs; both also per group (person, place,
adjective) and per language pair, so a weak script shows.

Twenty files ship with the package (`PAIR_FILES`): seven development sets the rules were
developed on, ``entity_links.jsonl`` (sessions 2–4), ``entity_links_dev2.jsonl``
(session 5: 585 pairs of people in many Latin-script conventions — nl/de/pl/cs/tr/hu/fi —
and Cyrillic, Greek, Arabic, Hebrew, Georgian, Armenian and Devanagari, people with
similar names who are not one person, and inflected country adjectives; pairs equal
to a pair of another shipped file were left out) and ``entity_links_dev3.jsonl``
(session 6: 291 pairs, 30 % hard negatives, names in Han, kana, Hangul, Arabic,
Persian, Hebrew, Devanagari, Thai, Greek, Georgian and Armenian against Latin and
Cyrillic forms; written before any run, pairs of the other files left out) and
``entity_links_dev4.jsonl`` (session 7: 373 pairs, 23 % hard negatives, people from
Africa, the Arab world, Iran, Turkey, South and Southeast Asia, Latin America and East
Asia in cs/hu/pl/tr/de/fr/fi/vi spellings, inflected, shortened and reordered, and
parties, agencies and companies by translated name and acronym; written before any run:
recall 0.458 before that session's rules) and ``entity_links_dev5.jsonl`` (session 8: 405
pairs, 27 % hard negatives, 76 % people: people from every continent in
pl/cs/hu/lt/lv/tr/de/fr/nl/vi/id spellings, inflected, shortened, with particles,
initials and Japanese name order, Wade–Giles and Korean romanisations, and parties,
ministries, agencies and companies by acronym and translation; written blind, before
reading the rules or running anything on it, pairs of the other non-held-out files left
out: precision 0.993, recall 0.503, people 0.552, organisations 0.356 on session 7's
rules) and ``entity_links_dev6.jsonl`` (session 9: 337 pairs, 25 % hard negatives, 54 %
people, 36 % organisations: people with case endings in many languages, titles glued to
surnames and women's surname forms (Kowalska / Kowalski, Иванова / Иванов as hard
negatives), and ministries, parliaments, courts, central banks, parties, unions,
companies, broadcasters, armed groups and NGOs as each language's press writes them;
written blind: precision 0.958, recall 0.545, people 0.482, organisations 0.547 on
session 8's rules) and ``entity_links_dev7.jsonl`` (session 11: 184 pairs, 22 % hard
negatives: ministries, central banks, courts and parliaments by translated name, compound
and acronym, with other ministries of one country and one ministry of two countries as
negatives, and cities less famous than capitals by exonym and in other scripts, Georgia
the country against the US state; written from public knowledge before that session's
rules: precision 0.9875, recall 0.552, organisations 0.017, places 0.94), and ten
held-out lists, each
written (and committed) before any result on it was seen:
``entity_links_heldout.jsonl`` (session 2), ``entity_links_heldout2.jsonl``
(session 3: Western names in Cyrillic, Greek, Arabic, Hebrew and katakana, Korean,
Indic, demonyms, organisations) and ``entity_links_heldout3.jsonl`` (session 4:
Japanese names in kanji, Western names in Chinese characters and katakana, pinyin) and
``entity_links_heldout4.jsonl`` (session 4, written by someone who had read neither the
rules nor the other lists: 171 pairs, 32 languages, 14 scripts). Its first run
(recall 0.677, organisations 0.10) led to the organisation table (`organisations`),
written without looking at its pairs. ``entity_links_heldout5.jsonl`` (session 6, 207
pairs, 54 languages, 17 scripts, written by someone who had read neither the rules nor
the lists) was first run at the end of session 6: precision 0.98, recall 0.632 (people
0.51, organisations 0.45): the rules fitted to the development lists do not yet carry
to names chosen blind. ``entity_links_heldout6.jsonl`` (session 7, 439 pairs, 43
languages, 14 scripts, 25 % hard negatives, written blind) was first run in session 7
after that session's rules were frozen: precision 0.992, recall 0.722 (people 0.61,
organisations 0.76, places 0.91, adjectives 0.80). ``entity_links_heldout7.jsonl``
(session 8, 616 pairs, 44 languages, 14 scripts, 24 % hard negatives, written blind) was
first run in session 8 after that session's rules were frozen: precision 0.995, recall
0.792 (people 0.77, organisations 0.72, places 0.94, adjectives 0.85).
``entity_links_heldout8.jsonl`` (session 9, 164 pairs, 38 languages, 14 scripts, names one
step less famous, written blind; the 111 drafted pairs equal to a pair of an earlier list
were removed before any run) was first run in session 9 after that session's rules were
frozen: precision 0.973, recall 0.619 (people 0.52, organisations 0.41, places 0.87,
adjectives 0.88). ``entity_links_heldout9.jsonl`` (session 10, 174 pairs, 46 languages; 280
written blind, the 106 equal to a pair of an earlier list removed before any run) was first run
in session 10 after that session's rules were frozen: precision 0.987, recall 0.575 (people
0.64, organisations 0.13, places 0.59, adjectives 0.80; session 9's rules: recall 0.493).
``entity_links_heldout10.jsonl`` (session 11, 195 pairs, 34 languages, 13 scripts; 300 written
blind, the 105 equal to a pair of an earlier list or of dev7 removed before any run) was first
run in session 11 after that session's rules were frozen: precision 0.958, recall 0.611
(people 0.44, organisations 0.59, places 0.73, adjectives 0.80; session 10's rules: precision
0.957, recall 0.597). Two of its four false merges were then mended (a Czech/Polish "the
younger" is a generation word; two countries' institutions never merge by the fuzzy step):
precision 0.979. ``entity_links_heldout11.jsonl`` (session 14, 263 pairs, 51 languages in
the draft; 504 written blind, the 241 equal to a pair of an earlier list removed before any
run) was first run in session 14 on main before links14's rules were merged: precision 0.971,
recall 0.591 (people 0.64, organisations 0.28, places 0.62, adjectives 0.79); with them
(merged on the dev lists' numbers alone): precision 0.971, recall 0.597.
``entity_links_heldout12.jsonl`` (session 15, 333 pairs, 41 languages, half of them
organisations; 623 written blind, the 290 equal to a pair of an earlier list removed before
any run) was first run in session 15 on session 14's rules: precision 0.964, recall 0.608
(people 0.79, organisations 0.43, places 0.74, adjectives 0.81).
``entity_links_heldout13.jsonl`` (session 16, 211 pairs, 46 languages in the draft, half of
them organisations; 437 written blind, the 226 equal to a pair of an earlier list removed
before any run) was first run in session 16 on session 15's rules: precision 0.979, recall
0.633 (people 0.72, organisations 0.49, places 0.90, adjectives 0.69); with links16's rules
(merged on the other lists' numbers alone): precision 0.979, recall 0.646 (organisations
0.52). Report all twenty.

The main numbers are the name-key cascade alone, which is what the entity catalogue
runs. With ``name_embeddings``, the pairs are resolved a second time with the
embedding step on, and ``with_name_embeddings`` holds those numbers beside them.
"""

from __future__ import annotations

from collections import Counter
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from ..entities.name_embedding import NameEmbeddingMatcher
from ..entities.places import Gazetteer
from ..entities.records import EntityType, LinkRule, Mention
from ..entities.resolver import EntityResolver
from .jsonl import read_records, write_predictions

PAIR_FILES = ("entity_links.jsonl", "entity_links_dev2.jsonl", "entity_links_dev3.jsonl",
              "entity_links_dev4.jsonl", "entity_links_dev5.jsonl", "entity_links_dev6.jsonl",
              "entity_links_dev7.jsonl", "entity_links_heldout.jsonl",
              "entity_links_heldout2.jsonl", "entity_links_heldout3.jsonl",
              "entity_links_heldout4.jsonl", "entity_links_heldout5.jsonl",
              "entity_links_heldout6.jsonl", "entity_links_heldout7.jsonl",
              "entity_links_heldout8.jsonl", "entity_links_heldout9.jsonl",
              "entity_links_heldout10.jsonl", "entity_links_heldout11.jsonl",
              "entity_links_heldout12.jsonl", "entity_links_heldout13.jsonl")


def packaged_pair_file(name: str) -> Path:
    """Path of a pair file shipped in ``babelwire/entities/data``."""
    return Path(str(package_files("babelwire.entities") / "data" / name))


def _mention(side: dict[str, Any], article: str) -> Mention:
    return Mention(text=side["text"], type=EntityType(side.get("type", "PER")),
                   lang=side.get("lang", "und"), article_id=article)


def evaluate_entity_links(files: list[Path], *, predictions: Path | None = None,
                          gazetteer: Gazetteer | None = None,
                          name_embeddings: NameEmbeddingMatcher | None = None) -> dict[str, Any]:
    """Resolve every pair and score merging; see the module docstring for the protocol."""
    gazetteer = gazetteer or Gazetteer()
    results = _resolve_pairs(files, gazetteer, None)
    if predictions is not None:
        write_predictions(predictions, results)
    report = {**_score_files(results),
              "errors": [_error(r) for r in results if r["merged"] != r["same"]]}
    if name_embeddings is not None:
        embedded = _resolve_pairs(files, gazetteer, name_embeddings)
        report["with_name_embeddings"] = {
            **_score_files(embedded),
            "links_by_embedding": sum(r["rules"].count(str(LinkRule.NAME_EMBEDDING))
                                      for r in embedded),
            "errors": [_error(r) for r in embedded if r["merged"] != r["same"]]}
    return report


def _resolve_pairs(files: list[Path], gazetteer: Gazetteer,
                   name_embeddings: NameEmbeddingMatcher | None) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for path in files:
        for record in read_records(path, required=("a", "b", "same")):
            resolver = EntityResolver(gazetteer, name_embeddings=name_embeddings)
            left, right = resolver.resolve([_mention(record["a"], "a"), _mention(record["b"], "b")])
            merged = left.entity_id == right.entity_id
            results.append({**record, "file": path.name, "merged": merged,
                            "rules": [str(left.rule), str(right.rule)],
                            "entities": [left.entity_id, right.entity_id]})
    return results


def _score_files(results: list[dict[str, Any]]) -> dict[str, Any]:
    by_file = {name: _score([r for r in results if r["file"] == name])
               for name in dict.fromkeys(r["file"] for r in results)}
    return {**_score(results), "files": by_file}


def _score(results: list[dict[str, Any]]) -> dict[str, Any]:
    def pr(rows: list[dict[str, Any]]) -> dict[str, Any]:
        tp = sum(1 for r in rows if r["same"] and r["merged"])
        merged = sum(1 for r in rows if r["merged"])
        positives = sum(1 for r in rows if r["same"])
        return {"precision": round(tp / merged, 4) if merged else None,
                "recall": round(tp / positives, 4) if positives else None,
                "pairs": len(rows), "positives": positives,
                "false_merges": merged - tp, "missed": positives - tp}

    groups = Counter(r.get("group", "") for r in results)
    return {**pr(results), "by_group": {g: pr([r for r in results if r.get("group", "") == g])
                                        for g in sorted(groups)}}


def _error(result: dict[str, Any]) -> str:
    kind = "false merge" if result["merged"] else "missed"
    a, b = result["a"], result["b"]
    return (f"{kind}: {a['text']} ({a.get('lang')}) / {b['text']} ({b.get('lang')})"
            f" [{' / '.join(result['rules'])}]")
