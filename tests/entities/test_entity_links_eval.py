"""The shipped entity-link pair sets: the merge precision/recall floors measured on them."""

from __future__ import annotations

import pytest

from babelwire.entities.places import Gazetteer
from babelwire.evaluation.entity_links import evaluate_entity_links, packaged_pair_file

# Floors: measured precision 1.0 on all four files (session 4); recall 0.970 (development,
# 534 pairs), 0.956 (held-out, session 2), 0.838 (held-out 2, session 3) and 0.814
# (held-out 3, session 4: 56 CJK pairs, written and committed before any run; Korean,
# one-word abjad names and short transliterations stay hard), 0.806 (held-out 4, session 4:
# 171 pairs by a writer who had seen neither rules nor lists; 0.677 before the organisation
# table, which was written from its group scores only). No held-out file was tuned on; a
# failing held-out floor does not print its pairs (that would spend the file).
# Session 5: a second development list (entity_links_dev2.jsonl, 650 pairs) written from
# public knowledge (recall 0.787 before that session's rules, 0.970 after); the held-out
# files, run once at the end: 0.978, 0.915 (not clean), 0.814, 0.847; precision 1.0.
# Session 6: a third development list (entity_links_dev3.jsonl, 291 pairs in twelve
# non-Latin scripts, 30 % hard negatives), written before any run: P 0.993 R 0.721 before
# that session's rules, P 1.0 R 0.917 after; held-out 3 and 4, run once at the end:
# 0.837 (was 0.814) and 0.887 (was 0.847), precision 1.0.
# Held-out 5 (207 pairs, written blind in session 6), first run at the end of session 6:
# P 0.98 R 0.632 (per 0.51, org 0.45, place 0.85, adj 0.94); its floor sits one or two pairs
# below (candidate order still depends on set order, so a pair can flip between runs).
# Session 7: a fourth development list (entity_links_dev4.jsonl, 373 pairs of people and
# organisations in conventions the rules had not seen, 23 % hard negatives), written before
# any run: P 1.0 R 0.458 before that session's rules, P 0.996 R 0.819 after (organisations
# 1.0 only because the table was extended while looking at its misses); 0.816 after the
# generic party names left the organisation table; 0.795 once words under four letters
# stopped being compared as Latin transcriptions (GM and CMS had merged).
# Held-out 6 (439 pairs, written blind in session 7), first run after that session's rules:
# P 0.992 R 0.722 (per 0.61, org 0.76, place 0.91, adj 0.80).
# Session 8: a fifth development list (entity_links_dev5.jsonl, 405 pairs, 27 % hard
# negatives), written blind before any run: P 0.993 R 0.503 on session 7's rules, P 0.992
# R 0.813 after session 8's (organisations 0.96 after table rows added from its misses).
# Session 9: a sixth development list (entity_links_dev6.jsonl, 337 pairs, 25 % hard
# negatives, people and organisations as each language's press writes them), written blind:
# P 0.958 R 0.545 on session 8's rules; about 60 of its 253 positives are a bare or titled
# surname against a full name, which two articles without shared context never link.
# Held-out 7 (616 pairs, 44 languages, 14 scripts, written blind in session 8), first and only
# run after that session's rules were frozen: P 0.995 R 0.792 (per 0.77, org 0.72, place 0.94,
# adj 0.85).
# Session 10: bare and titled surnames link to their only (or a 50x dominant) stored bearer.
# Held-out 9 (174 pairs, 46 languages, written blind; pairs equal to an earlier list's removed
# before any run), first and only run after the rules froze: P 0.987 R 0.575 (per 0.64, org
# 0.13, place 0.59, adj 0.80); session 9's rules gave R 0.493 on it.
# Session 11: a seventh development list (entity_links_dev7.jsonl, 184 pairs, 22 % hard
# negatives: ministries, central banks and courts by translated name; less famous places),
# written before that session's rules: P 0.9875 R 0.552 (organisations 0.017); after the
# organisation readings (`organisation_readings`, words written with it open) P 1.0 R 0.930;
# a place ranking that put Latin-script labels before transliterations (0.951) was reverted:
# it sent Arabic "سوريا" to Surrey and Hindi "नई दिल्ली" off New Delhi (held-out 2 and 4).
# Held-out 10 (195 pairs, 34 languages, written blind; pairs equal to an earlier list's or
# dev7's removed before any run), first run after session 11's rules froze: P 0.958 R 0.611
# (per 0.44, org 0.59, place 0.73, adj 0.80); then "mladší"/"młodszy" as generation words and
# no fuzzy merge of two countries' institutions: P 0.979 (CGT fr/es and Μακεδονία / Βόρεια
# Μακεδονία still merge). Held-out 11 (263 pairs, written blind, deduplicated before any run):
# P 0.971 R 0.591 on session 13's rules, P 0.971 R 0.597 with links14's. Held-out 12 (333
# pairs, 41 languages, half organisations; 623 written blind, 290 equal to an earlier list's
# removed before any run), first run on session 14's rules: P 0.964 R 0.608 (org 0.43).
# Held-out 13 (211 pairs after dedupe of 437 written blind): P 0.979 R 0.633 on session 15's
# rules, P 0.979 R 0.646 with links16's.
FLOORS = {"entity_links.jsonl": (0.98, 0.98), "entity_links_dev2.jsonl": (0.98, 0.96),
          "entity_links_dev3.jsonl": (0.98, 0.91), "entity_links_dev4.jsonl": (0.98, 0.86),
          "entity_links_dev5.jsonl": (0.98, 0.82),
          "entity_links_dev6.jsonl": (0.98, 0.88),
          "entity_links_dev7.jsonl": (0.98, 0.92),
          "entity_links_heldout.jsonl": (0.98, 0.97),
          "entity_links_heldout2.jsonl": (0.98, 0.91), "entity_links_heldout3.jsonl": (0.98, 0.81),
          "entity_links_heldout4.jsonl": (0.98, 0.87),
          "entity_links_heldout5.jsonl": (0.97, 0.69),
          "entity_links_heldout6.jsonl": (0.98, 0.77),
          "entity_links_heldout7.jsonl": (0.98, 0.82),
          "entity_links_heldout8.jsonl": (0.97, 0.68),
          "entity_links_heldout9.jsonl": (0.98, 0.57),
          "entity_links_heldout10.jsonl": (0.97, 0.61),
          "entity_links_heldout11.jsonl": (0.97, 0.59),
          "entity_links_heldout12.jsonl": (0.96, 0.63),
          "entity_links_heldout13.jsonl": (0.97, 0.63)}

DEVELOPMENT = ("entity_links.jsonl", "entity_links_dev2.jsonl", "entity_links_dev3.jsonl",
               "entity_links_dev4.jsonl", "entity_links_dev5.jsonl", "entity_links_dev6.jsonl",
               "entity_links_dev7.jsonl")


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_entity_link_pairs_meet_precision_and_recall_floors(
        gazetteer: Gazetteer, name: str) -> None:
    result = evaluate_entity_links([packaged_pair_file(name)], gazetteer=gazetteer)
    precision, recall = FLOORS[name]
    assert result["pairs"] >= 50
    shown = result["errors"] if name in DEVELOPMENT else "(held-out: pairs not shown)"
    assert result["precision"] >= precision, shown
    assert result["recall"] >= recall, shown


def test_development_pair_set_has_100_cross_script_positives_and_hard_negatives() -> None:
    import json

    path = packaged_pair_file("entity_links.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    positives = [r for r in records if r["same"]]
    assert len(positives) >= 100
    assert sum(1 for r in records if not r["same"]) >= 40
    assert len({r["a"]["lang"] for r in records} | {r["b"]["lang"] for r in records}) >= 10


def test_second_development_set_has_150_pairs_negatives_and_adjectives() -> None:
    import json

    path = packaged_pair_file("entity_links_dev2.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 150
    assert sum(1 for r in records if not r["same"] and r["group"] == "per") >= 30
    assert sum(1 for r in records if r["group"] == "adj") >= 100
    assert len({r["a"]["lang"] for r in records} | {r["b"]["lang"] for r in records}) >= 20


def test_third_development_set_covers_twelve_scripts_with_hard_negatives() -> None:
    import json

    from babelwire.entities.romanise import script_of

    path = packaged_pair_file("entity_links_dev3.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 200
    assert sum(1 for r in records if not r["same"]) >= 0.25 * len(records)
    scripts = {script_of(r["a"]["text"]) for r in records}
    assert len(scripts) >= 8  # Han, kana, Hangul, Arabic, Hebrew, Indic, Thai, Greek, other


def test_fourth_development_set_has_people_and_organisations_with_hard_negatives() -> None:
    import json

    path = packaged_pair_file("entity_links_dev4.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 250
    assert sum(1 for r in records if not r["same"]) >= 0.2 * len(records)
    assert sum(1 for r in records if r["group"] == "org") >= 80
    assert len({r["a"]["lang"] for r in records} | {r["b"]["lang"] for r in records}) >= 15


def test_fifth_development_set_is_mostly_people_with_a_quarter_hard_negatives() -> None:
    import json

    path = packaged_pair_file("entity_links_dev5.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 250
    assert sum(1 for r in records if not r["same"]) >= 0.25 * len(records)
    assert sum(1 for r in records if r["group"] == "per") >= 0.7 * len(records)
    assert len({r["a"]["lang"] for r in records} | {r["b"]["lang"] for r in records}) >= 15


def test_sixth_development_set_has_people_organisations_and_a_quarter_hard_negatives() -> None:
    import json

    path = packaged_pair_file("entity_links_dev6.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 250
    assert sum(1 for r in records if not r["same"]) >= 0.2 * len(records)
    assert sum(1 for r in records if r["group"] == "per") >= 0.5 * len(records)
    assert sum(1 for r in records if r["group"] == "org") >= 0.3 * len(records)


def test_seventh_development_set_has_organisations_places_and_a_fifth_hard_negatives() -> None:
    import json

    path = packaged_pair_file("entity_links_dev7.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 150
    assert sum(1 for r in records if not r["same"]) >= 0.2 * len(records)
    assert sum(1 for r in records if r["group"] == "org") >= 0.4 * len(records)
    assert sum(1 for r in records if r["group"] == "place") >= 0.4 * len(records)
