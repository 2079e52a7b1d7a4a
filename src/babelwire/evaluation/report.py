"""``make eval``: run every implemented evaluation and write docs/EVALUATION.md.

The report is generated; edit this module, not the Markdown. It records the
command that made it, so anyone can regenerate and compare.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import EvaluationError
from ..settings import Settings
from . import run_task
from .entity_links import PAIR_FILES, packaged_pair_file
from .stories import packaged_story_file

LANGID_FILE = "langid/udhr.jsonl"
EXTRACTION_FILE = "extraction/trafilatura-eval.jsonl"
SIMILARITY_FILE = "similarity/semeval22-dev.jsonl"
QUOTE_FILES = ("quotes/de-wikinews-dev.jsonl", "quotes/en-polnear-dev.jsonl")
STORY_FILES = ("corpus/meantime-en.jsonl", "corpus/meantime-es.jsonl", "corpus/meantime-it.jsonl",
               "corpus/meantime-nl.jsonl", SIMILARITY_FILE)
"""The four MEANTIME translations clustered as one stream, then the SemEval pairs as story
decisions (never trained on)."""
INDEPENDENT_STORY_FILES = ("independent_reports_dev1.jsonl", "independent_reports_heldout1.jsonl",
                           "independent_reports_dev2.jsonl",
                           "independent_reports_heldout2.jsonl",
                           "independent_reports_heldout3.jsonl")
"""Invented independent reports of one event by several outlets (babelwire/stories/data):
dev1 and dev2 fitted the shipped model; each held-out set was run once when it was new."""
STORY_TARGETS = {"pairwise_f1": 0.90, "crosslingual_pairwise_f1": 0.85}
"""Issue 6's targets."""
QUOTE_TARGETS = {"de-wikinews-dev.jsonl": (0.85, 0.85), "en-polnear-dev.jsonl": (0.80, 0.80)}
"""Issue 5's targets per dev file: quote F1, speaker accuracy."""
NER_TRAIN = ("da-uner_ddt", "sv-uner_talbanken", "nb-norne", "nn-norne", "pt-uner_bosque",
             "hr-uner_set", "sr-uner_set", "sk-uner_snk", "zh-uner_gsd", "zh-uner_gsdsimp")
NER_DEV = (*NER_TRAIN, "en-uner_ewt", "de-germeval2014")


def report_tasks(data_dir: Path, settings: Settings) -> dict[str, Callable[[], dict[str, Any]]]:
    """Each section's evaluation, by its key in the report's raw results (run lazily)."""
    return {
        "langid": lambda: run_task("langid", [data_dir / LANGID_FILE], settings=settings),
        "extraction": lambda: run_task("extraction", [data_dir / EXTRACTION_FILE],
                                       settings=settings, reference=True),
        "similarity": lambda: run_task("similarity", [data_dir / SIMILARITY_FILE],
                                       settings=settings, reference=True),
        "entity_links": lambda: _scores_only(run_task(
            "entity-links", [packaged_pair_file(n) for n in PAIR_FILES], settings=settings)),
        "stories": lambda: run_task("stories", [data_dir / f for f in STORY_FILES],
                                    settings=settings),
        "stories_independent": lambda: {
            name: run_task("stories", [packaged_story_file(name)], settings=settings)
            for name in INDEPENDENT_STORY_FILES},
        "quotes": lambda: run_task("quotes", [data_dir / f for f in QUOTE_FILES],
                                   settings=settings),
        "quotes_outermost": lambda: run_task("quotes", [data_dir / QUOTE_FILES[1]],
                                             settings=settings, nested=False),
        "ner": lambda: run_task("ner", _ner_files(data_dir, "dev"), settings=settings),
        "ner_leave_one_language_out": lambda: run_task(
            "ner", _ner_files(data_dir, "dev"), settings=settings,
            train=_ner_files(data_dir, "train"), leave_one_out=True),
    }


def _scores_only(result: dict[str, Any]) -> dict[str, Any]:
    """The entity-link scores without the list of wrong pairs.

    Why: the errors name pairs of the held-out lists, and a held-out list stays
    a measure only while nobody developing the rules reads its pairs; the report
    is read by everyone (``babelwire eval entity-links`` still prints them).
    """
    return {key: value for key, value in result.items() if key != "errors"}


def write_report(data_dir: Path, output: Path, *, settings: Settings,
                 only: Sequence[str] = ()) -> dict[str, Any]:
    """Run the evaluations on ``data_dir`` and write the Markdown report to ``output``.

    ``only``: re-run just these sections and keep the others' results from the raw
    results block of the existing ``output`` (the whole report takes most of an hour;
    a change to one component should not need it). The report says which sections
    were re-run when.
    """
    tasks = report_tasks(data_dir, settings)
    unknown = sorted(set(only) - set(tasks))
    if unknown:
        raise EvaluationError(f"unknown report section(s) {', '.join(unknown)}; sections:"
                              f" {', '.join(tasks)}")
    previous = read_raw_results(output) if only else {}
    results = {name: (run() if not only or name in only else previous.get(name))
               for name, run in tasks.items()}
    results = {name: value for name, value in results.items() if value is not None}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(results, rerun=tuple(only)), encoding="utf-8")
    return results


def read_raw_results(report: Path) -> dict[str, Any]:
    """The raw results JSON block of an earlier report (what ``only`` keeps)."""
    if not report.is_file():
        raise EvaluationError(f"{report}: no earlier report to keep sections from; run the"
                              " whole report once without --only")
    text = report.read_text(encoding="utf-8")
    start = text.rfind("```json\n")
    end = text.find("\n```", start + 8)
    if start < 0 or end < 0:
        raise EvaluationError(f"{report}: no raw results block found; run the whole report"
                              " once without --only")
    loaded: dict[str, Any] = json.loads(text[start + 8:end])
    return loaded


def _ner_files(data_dir: Path, split: str) -> list[Path]:
    names = NER_TRAIN if split == "train" else NER_DEV
    return [data_dir / "ner" / f"{name}-{split}.jsonl" for name in names]


def _ner_section(bundled: dict[str, Any] | None,
                 left_out: dict[str, Any] | None) -> list[str]:
    if not bundled or not left_out:
        return []
    lines = [
        "## Named entities (`babelwire eval ner ner/*-dev.jsonl`)",
        "",
        "Entity-level exact match (conlleval), micro over PER/ORG/LOC; MISC separately where the"
        " file annotates it. *Bundled head*: the shipped head (three members, seeds 0-2),"
        f" trained on the train files of {', '.join(NER_TRAIN)} (never on a dev file); for en"
        " and de, which have no train file, it is zero-shot. *Left out*: a one-member head"
        " (seed 0) trained on the same train files without the dev file's language group"
        " (nb+nn, hr+sr left out together): zero-shot transfer, the case of most languages our"
        " users read; one member to keep `make eval` under half an hour, so a lower bound for"
        " a three-member head. Swedish dev has 23 entities: noise.",
        "",
        "| dev file | bundled P | R | F1 | MISC F1 | left-out F1 | left-out MISC F1 | PER | ORG"
        " | LOC |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in bundled["files"].items():
        other = left_out["files"].get(name, {})
        misc = _pct(row["misc"]["f1"]) if row["annotates_misc"] else "–"
        other_misc = _pct(other["misc"]["f1"]) if other and row["annotates_misc"] else "–"
        types = " | ".join(_pct(row["per_type"][t]["f1"]) for t in ("PER", "ORG", "LOC"))
        lines.append(
            f"| {name} | {_pct(row['micro_precision'])} | {_pct(row['micro_recall'])} |"
            f" {_pct(row['micro_f1'])} | {misc} |"
            f" {_pct(other['micro_f1']) if other else '–'} | {other_misc} | {types} |")
    return [*lines, ""]


def _pct(value: float) -> str:
    return f"{100 * value:.2f}"


def render(results: dict[str, Any], *, rerun: Sequence[str] = ()) -> str:
    """The Markdown report for ``results`` (``rerun``: the sections re-run by ``--only``)."""
    today = datetime.now(UTC).date().isoformat()
    made = (f"Sections {', '.join(rerun)} re-run on {today} (`--only`); the others kept from"
            " the previous report." if rerun else f"Generated on {today}.")
    lines = [
        "# Evaluation",
        "",
        "Made by `make eval` (`babelwire eval-report ../shared/data -o docs/EVALUATION.md`),"
        f" Python {platform.python_version()}. {made} Do not edit by hand.",
        "",
        *_langid_section(results["langid"]),
        *_extraction_section(results["extraction"]),
        *_similarity_section(results["similarity"]),
        *_entity_links_section(results.get("entity_links")),
        *_stories_section(results.get("stories")),
        *_independent_stories_section(results.get("stories_independent")),
        *_ner_section(results.get("ner"), results.get("ner_leave_one_language_out")),
        *_quotes_section(results.get("quotes"), results.get("quotes_outermost")),
        "## Raw results",
        "",
        "```json",
        json.dumps(results, indent=1, ensure_ascii=False, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def _langid_section(result: dict[str, Any]) -> list[str]:
    supported = result["supported"]
    watch = " ".join(f"{lang} {_pct(f1)}" for lang, f1 in supported["f1_by_lang"].items())
    return [
        f"## Language identification (`babelwire eval langid {LANGID_FILE}`)",
        "",
        "| scope | records | languages | accuracy % | macro-F1 % |",
        "|---|---:|---:|---:|---:|",
        f"| all UDHR languages | {result['records']} | {result['languages']} |"
        f" {_pct(result['accuracy'])} | {_pct(result['macro_f1'])} |",
        f"| supported languages | {supported['records']} | {supported['languages']} |"
        f" {_pct(supported['accuracy'])} | {_pct(supported['macro_f1'])} |",
        "",
        f"Supported set: {supported['definition']}. Codes scored: {' '.join(supported['codes'])}.",
        "",
        f"Per-language F1 (supported scope): {watch}. Throughput: {result['lines_per_s']} lines/s"
        " (one process).",
        "",
    ]


def _extraction_section(result: dict[str, Any]) -> list[str]:
    ref = result["reference_trafilatura"]
    return [
        f"## HTML extraction (`babelwire eval extraction {EXTRACTION_FILE}`)",
        "",
        f"{result['records']} pages, {result['kind']} records, scored as trafilatura's evaluation"
        " does. Both rows ran in the same process on the same pages.",
        "",
        "| system | precision % | recall % | F1 % | pages/s |",
        "|---|---:|---:|---:|---:|",
        f"| babelwire (clean + segment stages, stored body) | {_pct(result['precision'])} |"
        f" {_pct(result['recall'])} | {_pct(result['f1'])} | {result['pages_per_s']} |",
        f"| trafilatura {ref['version']} `{ref['call']}` | {_pct(ref['precision'])} |"
        f" {_pct(ref['recall'])} | {_pct(ref['f1'])} | {ref['pages_per_s']} |",
        "",
    ]


def _similarity_section(result: dict[str, Any]) -> list[str]:
    def r(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    pairs = " ".join(f"{name} {r(value)} ({result['pairs_by_pair'][name]})"
                     for name, value in result["pearson_by_pair"].items())
    return [
        f"## Cross-lingual similarity (`babelwire eval similarity {SIMILARITY_FILE}`)",
        "",
        f"{result['pairs']} SemEval-2022 Task 8 pairs; scorer: {result['scorer']}. The four"
        " evidence weights were chosen on this file: read the cross-validated column.",
        "",
        f"Pearson (sign-corrected): {r(result['pearson'])}. Per language pair (pairs): {pairs}.",
        "",
        "Same-story F1 of this pair score at its best threshold (optimistic, tuned on these"
        f" labels): {r(result['same_story_f1_best'])} at score"
        f" {r(result['same_story_best_threshold'])}. The story clusterer's own decision on these"
        " pairs, at its shipped threshold, is in the Stories section.",
        "",
        *_ablation_table(result.get("ablation", []), r),
    ]


def _ablation_table(rows: list[dict[str, Any]], r: Any) -> list[str]:
    """What each feature adds (cumulative rows); CV = weights refit on 4 of 5 folds."""
    if not rows:
        return []
    names = list(rows[0]["pearson_by_pair"])
    lines = ["Ablation (`babelwire eval similarity FILE --reference`): each of the first six rows"
             " adds to the one above, the last four score one overlap alone. `cv`: weights refit"
             " by least squares on four folds and scored on the fifth (folds by pair id).", "",
             f"| features | Pearson | Pearson cv | F1 best | F1 best cv | {' | '.join(names)} |",
             "|---|---:|---:|---:|---:|" + "---:|" * len(names)]
    for row in rows:
        cv = row.get("cross_validated", {})
        per = " | ".join(r(row["pearson_by_pair"][n]) for n in names)
        lines.append(f"| {row['features']} | {r(row['pearson'])} | {r(cv.get('pearson'))} |"
                     f" {r(row['same_story_f1_best'])} | {r(cv.get('same_story_f1_best'))} |"
                     f" {per} |")
    return [*lines, ""]


def _entity_links_section(result: dict[str, Any] | None) -> list[str]:
    """Merge precision/recall per pair file: the development set, then the held-out ones."""
    if not result:
        return []
    lines = ["## Entity links (`babelwire eval entity-links FILE`)", "",
             "Pairs of names in two articles, resolved by a fresh resolver; merged = one entity."
             " Rules were developed on `entity_links.jsonl`, (session 5)"
             " `entity_links_dev2.jsonl`, (session 6, non-Latin scripts)"
             " `entity_links_dev3.jsonl`, (session 7, people and organisations in unseen"
             " conventions) `entity_links_dev4.jsonl`, (session 8, people and"
             " organisations, written before reading the rules; recall 0.503 on session 7's"
             " rules) `entity_links_dev5.jsonl` and (session 9, declined and titled names,"
             " women's surname forms, organisations as each press writes them; written"
             " blind, recall 0.545 on session 8's rules) `entity_links_dev6.jsonl` and (session 11,"
             " organisations by translated name and less famous places; recall 0.552 on"
             " session 10's rules) `entity_links_dev7.jsonl`."
             " Each held-out file was written and"
             " committed before any result on it was seen (`entity_links_heldout.jsonl` in"
             " session 2, `entity_links_heldout2.jsonl` in session 3, `entity_links_heldout3.jsonl`"
             " with Chinese and Japanese names in session 4; `entity_links_heldout4.jsonl`, 171"
             " pairs in 32 languages written in session 4 by someone who had read neither rules"
             " nor lists: its first run gave recall 0.677 (organisations 0.10) before the"
             " organisation table was added, written without looking at its pairs);"
             " `entity_links_heldout5.jsonl`, 207 pairs in 54 languages and 17 scripts, written"
             " blind in session 6 and first run at its end (precision 0.98, recall 0.632);"
             " `entity_links_heldout6.jsonl`, 439 pairs in 43 languages and 14 scripts, written"
             " blind in session 7 and first run after that session's rules were frozen"
             " (precision 0.992, recall 0.722); `entity_links_heldout7.jsonl`, 616 pairs in 44"
             " languages and 14 scripts, written blind in session 8 and first run after that"
             " session's rules were frozen (precision 0.995, recall 0.792);"
             " `entity_links_heldout8.jsonl`, 164 pairs in 38 languages and 14 scripts, written"
             " blind in session 9 (less famous names; its 111 pairs equal to a pair of an earlier"
             " list removed before any run) and first run after that session's rules were frozen"
             " (precision 0.973, recall 0.619); `entity_links_heldout9.jsonl`, 174 pairs in 46"
             " languages, written blind in session 10 (106 pairs equal to a pair of an earlier"
             " list removed before any run) and first run after that session's rules were frozen"
             " (precision 0.987, recall 0.575; organisations 0.13);"
             " `entity_links_heldout10.jsonl`, 195 pairs in 34 languages, written blind in"
             " session 11 (105 pairs equal to a pair of an earlier list or of dev7 removed"
             " before any run) and first run after that session's rules were frozen"
             " (precision 0.958, recall 0.611; two of its four false merges mended after);"
             " `entity_links_heldout11.jsonl`, 263 pairs, written blind in session 14 (241 pairs"
             " equal to a pair of an earlier list removed before any run) and first run before"
             " and after that session's rules were merged (precision 0.971, recall 0.591 and"
             " 0.597); `entity_links_heldout12.jsonl`, 333 pairs in 41 languages, half of them"
             " organisations, written blind in session 15 (290 pairs equal to a pair of an"
             " earlier list removed before any run) and first run on session 14's rules"
             " (precision 0.964, recall 0.608; organisations 0.43);"
             " `entity_links_heldout13.jsonl`, 211 pairs, half of them organisations, written"
             " blind in session 16 (226 pairs equal to a pair of an earlier list removed before"
             " any run) and first run before and after that session's rules were merged"
             " (precision 0.979, recall 0.633 and 0.646; organisations 0.49 and 0.52).", "",
             "| file | group | pairs | positives | precision | recall |",
             "|---|---|---:|---:|---:|---:|"]
    for name, scores in result["files"].items():
        rows = [("all", scores), *scores["by_group"].items()]
        for group, row in rows:
            lines.append(f"| {name} | {group} | {row['pairs']} | {row['positives']} |"
                         f" {row['precision']} | {row['recall']} |")
    return [*lines, ""]


def _stories_section(result: dict[str, Any] | None) -> list[str]:
    """Story clustering on the MEANTIME stream, then the SemEval pairs as story decisions."""
    if not result:
        return []
    lines = [
        "## Stories (`babelwire eval stories corpus/meantime-*.jsonl"
        " similarity/semeval22-dev.jsonl`)",
        "",
        f"Shipped clusterer `{result['model']}` (threshold {result['threshold']};"
        " weights trained on the sample corpus only, the threshold chosen with"
        " independent_reports_dev1, see the"
        f" next section). The {result['articles']} MEANTIME articles in"
        f" {result['languages']} languages clustered as one stream in publication order"
        f" ({result['gold_stories']} gold stories, {result['predicted_stories']} predicted);"
        " metrics as `score_stories.py` defines them. This corpus is translations of one"
        " another (names and numbers shared): a necessary condition, not proof.",
        "",
        "| metric | P | R | F1 | target F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, key in (("BCubed", "bcubed"), ("pairwise", "pairwise"),
                       ("cross-lingual pairwise", "crosslingual_pairwise"),
                       ("monolingual pairwise", "monolingual_pairwise")):
        target = STORY_TARGETS.get(f"{key}_f1")
        lines.append(f"| {label} | {result[f'{key}_precision']} | {result[f'{key}_recall']} |"
                     f" {result[f'{key}_f1']} | {target if target else '–'} |")
    for name, pairs in result.get("pairs", {}).items():
        lines += ["", f"{name}: {pairs['pairs']} pairs as (one-article story, article) decisions"
                  f" ({pairs['same']} same, overall ≤ 1.5; {pairs['different']} different, ≥ 3;"
                  f" {pairs['left_out']} in between left out), never trained on: same-story F1"
                  f" **{pairs['same_story_f1']}** at the shipped threshold"
                  f" {pairs['same_story_threshold']}; best threshold (optimistic, tuned on these"
                  f" labels) {pairs['same_story_f1_best']} at"
                  f" {pairs['same_story_best_threshold']}."]
    return [*lines, ""]


def _independent_stories_section(results: dict[str, Any] | None) -> list[str]:
    """Story clustering on independent reports (own texts), one row per file."""
    if not results:
        return []
    lines = ["## Stories from independent reports (`babelwire eval stories"
             " babelwire/stories/data/independent_reports_*.jsonl`)", "",
             "Invented articles written for the project by writers blind to the code: each event"
             " reported by 3-6 outlets in different languages and scripts, independently (own"
             " angle, figures, exonyms, dates a day apart), with look-alike distractor events."
             " dev1 chose the shipped threshold (fitted); held-out 1 was written blind after it"
             " and first run once at the best dev threshold, 0.15 (pairwise P 1.0, R 0.884,"
             " F1 0.938), before the safer-side rule moved the shipped threshold to 0.20"
             " (`stories.recipe.safer_threshold`, prompted by a false merge in the cross-script"
             " fixture, not by held-out 1); the row below is the shipped model's."
             " dev2 and held-out 2 (session 15, written blind in parallel, other months of"
             " 2025) were each first run once on that unchanged model; dev2 is for the next"
             " model's training, held-out 2 is spent (stories/data/README.md)."
             " Session 16: clusterer-v4 (weights and threshold fitted with dev1 and dev2) ships"
             " after the blind held-out 3, run once per model: v3 pairwise F1 0.831, v4 0.897;"
             " the rows below are v4's.",
             "", "| file | articles | languages | gold stories | predicted | BCubed F1 |"
             " pairwise P | R | F1 | cross-lingual F1 | monolingual F1 (gold pairs) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        mono_pairs = r["gold_pairs"] - r["crosslingual_gold_pairs"]
        lines.append(f"| {name} | {r['articles']} | {r['languages']} | {r['gold_stories']} |"
                     f" {r['predicted_stories']} | {r['bcubed_f1']} | {r['pairwise_precision']}"
                     f" | {r['pairwise_recall']} | {r['pairwise_f1']} |"
                     f" {r['crosslingual_pairwise_f1']} | {r['monolingual_pairwise_f1']}"
                     f" ({mono_pairs}) |")
    return [*lines, ""]


def _quotes_section(result: dict[str, Any] | None,
                    outermost: dict[str, Any] | None) -> list[str]:
    """Quote P/R/F1 (character IoU >= 0.5), exact F1, speaker accuracy and recall by type."""
    if not result:
        return []
    lines = [
        "## Quotes and speakers (`babelwire eval quotes quotes/*-dev.jsonl`)",
        "",
        "The data README's metric (`score_quotes.py`): a predicted quote matches a gold one at"
        " character IoU >= 0.5 (whitespace and quotation marks left out), one-to-one; speaker"
        " accuracy over matched quotes with a gold speaker (shared character or same name)."
        " Rules only, no NER (`--ner` changes only speaker names). German Wikinews annotates"
        " reported speech, thought and writing; PolNeAR annotates attributions (beliefs, plans,"
        " noun phrases), outermost only (`--no-nested` row). Targets from issue 5.",
        "",
        "| dev file | P | R | F1 | exact F1 | speaker acc. | direct R | indirect R | mixed R"
        " | target F1 / speaker |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(name, row, "") for name, row in result["files"].items()]
    rows += [(name, row, " `--no-nested`") for name, row in (outermost or {"files": {}})
             ["files"].items()]
    for name, row, note in rows:
        recall = " | ".join(_pct(row["by_type"][t]["quote_r"]) if t in row["by_type"] else "–"
                            for t in ("direct", "indirect", "mixed"))
        target = QUOTE_TARGETS.get(name)
        goal = f"{_pct(target[0])} / {_pct(target[1])}" if target else "–"
        speaker = row["speaker_accuracy"]
        lines.append(
            f"| {name}{note} | {_pct(row['quote_p'])} | {_pct(row['quote_r'])} |"
            f" {_pct(row['quote_f1'])} | {_pct(row['exact_quote_f1'])} |"
            f" {_pct(speaker) if speaker is not None else '–'} | {recall} | {goal} |")
    return [*lines, ""]
