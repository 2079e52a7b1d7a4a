"""The issue's acceptance cases on hand-written news texts, through a real ingest (encoder, slow).

Written for these tests (no third-party text): one summit reported in English,
German and French; a budget speech by the same chancellor on the same day; and a
second summit of the same two leaders a week later.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from babelwire import Settings, assembly
from babelwire.db import Database

SUMMIT = "2024-03-05"
FOLLOW_UP = "2024-03-12"
ARTICLES = [
    ("summit-en", "en", SUMMIT, "Scholz and Macron meet in Paris over energy prices",
     "German Chancellor Olaf Scholz met French President Emmanuel Macron at the Elysee Palace"
     " in Paris on Tuesday. The two leaders discussed a joint plan to cap electricity prices"
     " for industry at 60 euros per megawatt hour. Macron said France and Germany would present"
     " the proposal to the other 25 EU members in April. Scholz called the talks constructive."),
    ("summit-de", "de", SUMMIT, "Scholz und Macron beraten in Paris über Energiepreise",
     "Bundeskanzler Olaf Scholz hat am Dienstag den französischen Präsidenten Emmanuel Macron"
     " im Élysée-Palast in Paris getroffen. Beide berieten über einen gemeinsamen Plan, den"
     " Strompreis für die Industrie auf 60 Euro pro Megawattstunde zu deckeln. Deutschland und"
     " Frankreich wollen den Vorschlag im April den übrigen 25 EU-Staaten vorlegen."),
    ("summit-fr", "fr", SUMMIT, "Macron et Scholz discutent des prix de l'énergie à Paris",
     "Le président Emmanuel Macron a reçu mardi le chancelier allemand Olaf Scholz à l'Élysée."
     " Les deux dirigeants ont évoqué un plan commun pour plafonner le prix de l'électricité"
     " pour l'industrie à 60 euros le mégawattheure. La France et l'Allemagne présenteront la"
     " proposition aux 25 autres États membres en avril, a indiqué Macron."),
    ("budget-en", "en", SUMMIT, "Scholz defends 476 billion euro budget in the Bundestag",
     "Chancellor Olaf Scholz defended his government's draft budget of 476 billion euros in"
     " the Bundestag in Berlin on Tuesday. Finance Minister Christian Lindner had proposed cuts"
     " to subsidies for farmers and a higher tax on airline tickets. The opposition leader"
     " Friedrich Merz accused the coalition of breaking the debt brake."),
    ("budget-de", "de", SUMMIT, "Scholz verteidigt Haushalt von 476 Milliarden Euro",
     "Bundeskanzler Olaf Scholz hat am Dienstag im Bundestag in Berlin den Haushaltsentwurf"
     " seiner Regierung über 476 Milliarden Euro verteidigt. Finanzminister Christian Lindner"
     " hatte Kürzungen bei den Agrarsubventionen und eine höhere Ticketsteuer vorgeschlagen."
     " Oppositionsführer Friedrich Merz warf der Koalition vor, die Schuldenbremse zu brechen."),
    ("round2-en", "en", FOLLOW_UP, "Scholz and Macron agree energy price plan in Berlin",
     "A week after their meeting in Paris, Olaf Scholz and Emmanuel Macron met again at the"
     " Chancellery in Berlin on Tuesday and agreed on the final text of their energy price"
     " plan. The cap for industry will start in July, Macron said. Both leaders will send the"
     " plan to the European Commission in Brussels on Friday."),
    ("round2-de", "de", FOLLOW_UP, "Scholz und Macron einigen sich in Berlin auf Energieplan",
     "Eine Woche nach ihrem Treffen in Paris sind Olaf Scholz und Emmanuel Macron am Dienstag"
     " im Kanzleramt in Berlin erneut zusammengekommen und haben sich auf den Text ihres"
     " Energiepreisplans geeinigt. Der Preisdeckel für die Industrie soll im Juli beginnen."
     " Beide wollen den Plan am Freitag der EU-Kommission in Brüssel schicken."),
]
STAGES = ("clean.trafilatura.v1", "segment.rules.v1", "language.cld2.v1", "embed.e5.v1")


def _ingest(tmp_path: Path, order: list[int]) -> tuple[dict[str, str], Path]:
    source = tmp_path / f"news-{'-'.join(map(str, order))}.jsonl"
    source.write_text("".join(json.dumps({"id": ARTICLES[n][0], "lang": ARTICLES[n][1],
                                          "date": ARTICLES[n][2], "title": ARTICLES[n][3],
                                          "text": ARTICLES[n][4]}) + "\n" for n in order),
                      encoding="utf-8")
    settings = Settings(db_path=str(source.with_suffix(".db")), stages=STAGES)
    with assembly.open_database(settings) as db:
        assembly.make_ingestor(settings, db).ingest([str(source)])
        return _stories(db), source.with_suffix(".db")


def _stories(db: Database) -> dict[str, str]:
    return {a.id: a.story_id for a in db.iter_articles() if a.story_id}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    return _ingest(tmp_path_factory.mktemp("real"), list(range(len(ARTICLES))))


@pytest.fixture
def stories(ingested: tuple[dict[str, str], Path]) -> dict[str, str]:
    return ingested[0]


@pytest.mark.slow
def test_same_event_in_three_languages_forms_one_story(stories: dict[str, str]) -> None:
    assert stories["summit-en"] == stories["summit-de"] == stories["summit-fr"]


@pytest.mark.slow
def test_different_events_with_the_same_main_person_are_kept_apart(
        stories: dict[str, str]) -> None:
    assert stories["budget-en"] == stories["budget-de"]
    assert stories["budget-en"] != stories["summit-en"]


@pytest.mark.slow
def test_follow_up_a_week_later_is_a_new_story_in_the_same_thread(
        ingested: tuple[dict[str, str], Path]) -> None:
    stories, path = ingested
    assert stories["round2-en"] == stories["round2-de"] != stories["summit-en"]
    with assembly.open_database(Settings(db_path=str(path))) as db:
        page = db.story_page(stories["round2-en"])
        assert page is not None
        assert stories["summit-en"] in [s.id for s in page.thread]
        assert stories["budget-en"] not in [s.id for s in page.thread]


@pytest.mark.slow
def test_ingesting_in_reverse_order_gives_the_same_stories(stories: dict[str, str],
                                                            tmp_path: Path) -> None:
    reverse, _ = _ingest(tmp_path, list(reversed(range(len(ARTICLES)))))
    groups = {frozenset(a for a in stories if stories[a] == s) for s in stories.values()}
    again = {frozenset(a for a in reverse if reverse[a] == s) for s in reverse.values()}
    assert groups == again
