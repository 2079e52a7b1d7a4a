"""Page segmentation: captions, subheadings, bylines and sidebar briefs, in many languages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from babelwire import Article
from babelwire.errors import ConfigError
from babelwire.record import ArticleKind
from babelwire.samples import sample_paths
from babelwire.stages._segment_rules import load_rules
from babelwire.stages.segment import Decision, Role, SegmentStage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LONG_BEFORE = ("Regjeringen la torsdag fram en ny plan for kraftnettet, og flere av forslagene vil"
               " koste milliarder av kroner de neste ti årene.")
LONG_AFTER = ("The ministry said the plan would be debated in parliament next month, and that"
              " the first money could be paid out before the summer.")


@pytest.fixture(scope="module")
def stage() -> SegmentStage:
    return SegmentStage()


def _page(lang: str, name: str) -> Article:
    """A fixture file: the first line is the title, the rest the extracted body text."""
    title, _, body = (FIXTURES / lang / name).read_text(encoding="utf-8").partition("\n")
    return Article(title=title, text=body.strip(), source="test", input_ref=f"{lang}/{name}")


def _between_paragraphs(line: str) -> str:
    return f"{LONG_BEFORE}\n\n{line}\n\n{LONG_AFTER}"


# -- the required pages --------------------------------------------------------------------


def test_glued_seven_brief_sidebar_becomes_seven_briefs_and_leaves_the_body(
    stage: SegmentStage,
) -> None:
    page, *briefs = stage(_page("nl", "sidebar-7-briefs.txt"))
    assert [b.title for b in briefs] == [
        "Het aantal asielaanvragen is in oktober opnieuw gestegen.",
        "De Europese Commissie wil strengere regels voor grote techbedrijven.",
        "Bij een brand in een woning in Amsterdam-Noord is niemand gewond geraakt.",
        "De NS zet vanaf december meer treinen in tussen Utrecht en Amsterdam.",
        "In de haven van Rotterdam is 800 kilo cocaïne onderschept.",
        "Het KNMI heeft een lichte aardbeving bij Groningen geregistreerd.",
        "Een 45-jarige man is aangehouden na een overval op een juwelier.",
    ]
    assert [b.text.split(" - ")[0] for b in briefs] == [
        "DEN HAAG (ANP)", "BRUSSEL (ANP/RTR)", "AMSTERDAM (ANP)", "UTRECHT (ANP)",
        "ROTTERDAM (ANP)", "GRONINGEN (ANP)", "MAASTRICHT (ANP)"]
    assert briefs[0].text == ("DEN HAAG (ANP) - Het aantal asielaanvragen is in oktober opnieuw"
                              " gestegen. Dat meldt de IND.")
    assert briefs[6].text == ("MAASTRICHT (ANP) - Een 45-jarige man is aangehouden na een overval"
                              " op een juwelier.")
    assert {b.kind for b in briefs} == {ArticleKind.BRIEF}
    assert [b.input_ref for b in briefs] == [
        f"nl/sidebar-7-briefs.txt#brief={n}" for n in range(1, 8)]
    assert page.captions == ["Minister-president Mark Rutte."]
    assert page.text == (
        "Het kabinet wil de bouw van betaalbare woningen in de Randstad versnellen. Dat staat in"
        " een plan dat de minister van Volkshuisvesting dinsdag naar de Tweede Kamer heeft"
        " gestuurd. Gemeenten krijgen meer geld om bouwgrond bouwrijp te maken.\n\n"
        "De oppositie noemt het plan te vrijblijvend. \"Zonder harde afspraken met gemeenten"
        " verandert er niets\", zei een Kamerlid van GroenLinks.")


def test_norwegian_captions_leave_and_dash_quotes_stay_in_the_body(stage: SegmentStage) -> None:
    [page] = stage(_page("nb", "captions-and-dash-quotes.txt"))
    assert page.captions == ["STATSMINISTER: Jonas Gahr Støre på pressekonferansen.",
                             "Foto: Heiko Junge / NTB"]
    assert page.author == "Kari Nordmann"
    assert page.subheadings == ["Nye krav til industrien"]
    assert page.text.split("\n\n") == [
        "Regjeringen la torsdag fram en ny klimaplan som skal halvere utslippene fra transport"
        " innen 2030. Planen ble presentert på en pressekonferanse i Oslo.",
        "– Vi må ta ansvar for våre egne utslipp, og det haster, sa statsministeren.",
        "– Vi har ingen planer om å øke avgiftene på diesel, sier talsmannen.",
        "Miljøorganisasjonene mener planen ikke går langt nok. Naturvernforbundet krever at"
        " regjeringen stanser all ny oljeleting på sokkelen.",
        "Nye krav til industrien",
        "Industrien skal få nye krav til energieffektivisering fra 2026, og bedrifter som ikke"
        " oppfyller kravene kan få bøter. Næringslivets Hovedorganisasjon er kritisk til"
        " forslaget.",
    ]


@pytest.mark.parametrize(
    ("lang", "name", "captions", "author", "brief_titles"),
    [
        ("da", "caption-byline-headline-sidebar.txt",
         ["Statsminister Mette Frederiksen på Marienborg.",
          "Foto: Ida Marie Odgaard / Ritzau Scanpix"], "Mette Jensen",
         ["Storm lukker Storebæltsbroen for lastbiler",
          "Ny rekord for passagerer i Københavns Lufthavn",
          "Sygehus i Aalborg mangler sygeplejersker"]),
        ("de", "sidebar-and-byline.txt", ["Bundeskanzler Olaf Scholz."], "Anna Schmidt",
         ["Die Bundesregierung plant eine Reform der Schuldenbremse.",
          "Bayern führt eine neue Grenzpolizei ein.",
          "Österreich verschärft die Regeln für Asylbewerber."]),
        ("de", "glued-briefs-without-heading.txt", [], None,
         ["Im Hamburger Hafen ist ein Containerschiff auf Grund gelaufen.",
          "Die Stadt erhöht die Preise für Anwohnerparkausweise.",
          "Österreichs Regierung einigt sich auf ein Klimagesetz."]),
        ("en", "caption-credit-and-sidebar.txt",
         ["Fallen trees block a road near Leeds on Tuesday. (Photo: Reuters)"],
         "John Smith and Mary Jones",
         ["The Bank of England kept interest rates unchanged on Thursday.",
          "French farmers blocked motorways around the capital in protest at fuel prices."]),
        ("es", "byline-and-sidebar.txt", [], "Carmen López",
         ["La Policía detiene a una red de estafadores en Madrid.",
          "El aeropuerto de Barcelona bate su récord de pasajeros."]),
        ("fr", "caption-and-sidebar.txt", ["LE MINISTRE : Bruno Le Maire à Bercy."], None,
         ["La SNCF annonce de nouvelles grèves pour le week-end.",
          "Un incendie a détruit un entrepôt dans la banlieue lyonnaise."]),
        ("it", "ansa-sidebar.txt", ["Giancarlo Giorgetti al ministero dell'Economia."],
         "Marco Rossi",
         ["Il Senato ha approvato il decreto sulle bollette.",
          "La Borsa chiude in rialzo trainata dalle banche."]),
        ("nb", "single-newline-layout.txt", ["Energiminister Terje Aasland på Stortinget."],
         "Ola Nordmann",
         ["Politiet etterforsker et innbrudd i en barnehage på Grünerløkka.",
          "Bybanen står etter en strømstans i sentrum."]),
        ("pl", "byline-credit-sidebar.txt", ["Fot. PAP/Leszek Szymański"], "Anna Kowalska",
         ["Prezydent podpisał nowelizację ustawy o szkolnictwie wyższym.",
          "Na Rynku Głównym otwarto jarmark bożonarodzeniowy."]),
        ("ru", "caption-and-sidebar.txt", ["Фото: ТАСС"], None,
         ["В Москве открылась новая станция метро.",
          "В Петербурге прошел международный форум."]),
        ("sv", "headlines-over-datelines.txt", [], "Erik Lindqvist",
         ["Skogsbrand härjar i Dalarna", "Ny rekordvärme i Stockholm"]),
    ],
)
def test_page_captions_byline_and_sidebar_briefs_are_separated(
    stage: SegmentStage, lang: str, name: str, captions: list[str], author: str | None,
    brief_titles: list[str],
) -> None:
    page, *briefs = stage(_page(lang, name))
    assert page.captions == captions
    assert page.author == author
    assert [b.title for b in briefs] == brief_titles
    for moved in [*captions, *(b.text for b in briefs), *brief_titles]:
        assert moved not in page.text
    assert not any(line.startswith(("Av ", "Af ", "Von ", "By ", "Por ", "Di ", "Autor:"))
                   for line in page.text.splitlines())


@pytest.mark.parametrize(("lang", "name", "quote"), [
    ("nb", "captions-and-dash-quotes.txt", "– Vi må ta ansvar for våre egne utslipp,"
                                           " og det haster, sa statsministeren."),
    ("nb", "single-newline-layout.txt", "– Vi følger situasjonen nøye og vurderer nye tiltak,"
                                        " sier energiministeren."),
    ("da", "caption-byline-headline-sidebar.txt", "– Det skal kunne betale sig at arbejde, og det"
     " skal kunne mærkes i lønposen, sagde statsministeren på et pressemøde."),
    ("pl", "byline-credit-sidebar.txt", "– Budujemy system, który zadziała w czasie powodzi,"
                                        " pożaru i wojny – powiedział minister spraw"
                                        " wewnętrznych."),
    ("ru", "caption-and-sidebar.txt", "— Мы не планируем повышать налоги для граждан, — заявил"
                                      " министр финансов."),
])
def test_dash_led_quote_paragraph_stays_in_the_body(
    stage: SegmentStage, lang: str, name: str, quote: str,
) -> None:
    page, *_ = stage(_page(lang, name))
    assert quote in page.text.splitlines()
    assert quote not in page.captions + page.subheadings


# -- captions against short body sentences ------------------------------------------------------


@pytest.mark.parametrize(("line", "rule"), [
    ("Minister-president Mark Rutte.", "names"),
    ("Jonas Gahr Støre på pressekonferansen.", "names"),
    ("Rodolfo Delgado, fiscal general.", "names"),
    ("Angela Merkel und Emmanuel Macron im Kanzleramt.", "names"),
    ("Владимир Путин на заседании в Кремле.", "names"),
    ("STATSMINISTER: Jonas Gahr Støre på pressekonferansen.", "label:STATSMINISTER"),
    ("TAR GREP: Statsministeren varslet nye tiltak torsdag.", "label:TAR GREP"),
    ("Foto: NTB", "credit:Foto"),
    ("(Photo: Reuters)", "credit:Photo"),
    ("Bild: dpa", "credit:Bild"),
    ("Фото: ТАСС", "credit:Фото"),
    ("Fot. PAP", "credit:Fot."),
    ("Kuva: Lehtikuva", "credit:Kuva"),
    ("Demonstranter utenfor Stortinget. © NTB", "credit:©"),
    ("File:Keisha Lance Bottoms (cropped).jpg", "image_file"),
])
def test_line_alone_between_paragraphs_is_a_caption_on_evidence(
    stage: SegmentStage, line: str, rule: str,
) -> None:
    found = stage.segment(_between_paragraphs(line))
    assert found.captions == [line]
    assert found.body == f"{LONG_BEFORE}\n\n{LONG_AFTER}"
    assert [d.rule for d in found.decisions] == [rule]


@pytest.mark.parametrize("line", [
    "Det sa Jonas Gahr Støre.",
    "Shares dropped 5% in early trading.",
    "On Sunday, Trump went on the offensive.",
    "Eine Eskalation des Drängens auf digitale Ausweise.",
    "Drie Democraten en 31 Republikeinen stemden tegen.",
    "Wiederkauverhalten und Kotkonsistenz.",
    "Patrick Howley, writing on Breitbart, shared those sentiments.",
    "Credit: mylerdude]] Apple brengt verscheidene nieuwe ontwerpen van de populaire iPod-uit.",
    "NRK: Hva tenker du om forslaget?",
    "JAKE TAPPER: Donald Trump released a video on Friday. Take a listen.",
    "ISBN: 978-3-95757-708-5",
    "FULL TEXT.",
    "((WN)) Yes.",
    "James Roche, secretaris van de luchtmacht: \"Oy.",
    "– Nei.",
    "— Нет.",
])
def test_short_body_sentence_between_paragraphs_is_no_caption_and_stays(
    stage: SegmentStage, line: str,
) -> None:
    text = _between_paragraphs(line)
    found = stage.segment(text)
    assert (found.body, found.captions) == (text, [])
    assert [d.role for d in found.decisions if d.role is not Role.SUBHEADING] == []


def test_interview_turns_with_capital_labels_stay_in_the_body(stage: SegmentStage) -> None:
    text = "\n\n".join([LONG_BEFORE, "NRK: Hvorfor gjorde dere dette nå?",
                        "STØRE: Vi måtte handle før vinteren.", "NRK: Og hva nå?", LONG_AFTER])
    assert stage.segment(text).body == text


# -- bylines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "author"), [
    ("Av Kari Nordmann, NTB", "Kari Nordmann"),
    ("By Jane Smith | 12 March 2024", "Jane Smith"),
    ("Von Anna Schmidt und Jonas Weber", "Anna Schmidt und Jonas Weber"),
    ("Door Pieter van der Berg", "Pieter van der Berg"),
    ("Par Jean-Pierre Dupont, à Bruxelles", "Jean-Pierre Dupont"),
    ("Por Carmen López", "Carmen López"),
    ("Di Marco Rossi", "Marco Rossi"),
    ("Af Mette Jensen", "Mette Jensen"),
    ("Autor: Anna Kowalska", "Anna Kowalska"),
    ("Автор: Иван Петров", "Иван Петров"),
])
def test_byline_near_the_top_becomes_the_author(
    stage: SegmentStage, line: str, author: str,
) -> None:
    found = stage.segment(f"{line}\n\n{LONG_BEFORE}")
    assert (found.author, found.body) == (author, LONG_BEFORE)


@pytest.mark.parametrize("line", [
    "By Monday, the company had left the building.",
    "Av de 40 ansatte ble 12 permittert.",
    "Door de regen werd de wedstrijd afgelast.",
    "Von Berlin aus fuhr der Zug nach Hamburg.",
])
def test_sentence_opening_with_a_byline_word_is_no_byline(
    stage: SegmentStage, line: str,
) -> None:
    text = f"{line}\n\n{LONG_BEFORE}"
    found = stage.segment(text)
    assert (found.author, found.body) == (None, text)


def test_byline_leaves_the_body_but_does_not_replace_a_known_author(stage: SegmentStage) -> None:
    [page] = stage(Article(text=f"By Jane Smith\n\n{LONG_AFTER}", author="J. Smith"))
    assert (page.author, page.text) == ("J. Smith", LONG_AFTER)


# -- subheadings, layout and the page -------------------------------------------------------------


def test_subheading_is_listed_and_kept_in_the_body_by_default(stage: SegmentStage) -> None:
    page, *_ = stage(_page("nb", "single-newline-layout.txt"))
    assert page.subheadings == ["Fyllingsgraden er under normalen"]
    assert page.text.split("\n") == [
        "Strømprisen i Sør-Norge er ventet å stige kraftig denne uken, etter en lang periode med"
        " lite nedbør og lav fyllingsgrad i vannmagasinene.",
        "– Vi følger situasjonen nøye og vurderer nye tiltak, sier energiministeren.",
        "Fyllingsgraden er under normalen",
        "Statnett opplyser at fyllingsgraden i magasinene i Sør-Norge er rundt ti prosentpoeng"
        " lavere enn normalt for årstiden, og at prisene kan holde seg høye gjennom vinteren.",
    ]


def test_subheading_leaves_the_body_when_configured_to() -> None:
    [page] = SegmentStage(subheadings_in_body=False)(_page("nb", "captions-and-dash-quotes.txt"))
    assert page.subheadings == ["Nye krav til industrien"]
    assert "Nye krav til industrien" not in page.text.split("\n\n")


def test_removed_line_keeps_the_paragraph_break_it_stood_between(stage: SegmentStage) -> None:
    text = f"{LONG_BEFORE}\nFoto: NTB\n\n{LONG_AFTER}\nFoto: Reuters\n{LONG_BEFORE}"
    assert stage.segment(text).body == f"{LONG_BEFORE}\n\n{LONG_AFTER}\n{LONG_BEFORE}"


def test_page_that_is_only_a_sidebar_keeps_an_empty_text(stage: SegmentStage) -> None:
    text = ("Meer nieuws\nDEN HAAG (ANP) - Het kabinet valt. 1 uur geledenUTRECHT (ANP) - De"
            " Dom gaat dicht. 2 uur geleden")
    page, *briefs = stage(Article(text=text, input_ref="p"))
    assert page.text == ""
    assert [(b.title, b.text) for b in briefs] == [
        ("Het kabinet valt.", "DEN HAAG (ANP) - Het kabinet valt."),
        ("De Dom gaat dicht.", "UTRECHT (ANP) - De Dom gaat dicht.")]


def test_sidebar_between_paragraphs_ends_where_its_briefs_end(stage: SegmentStage) -> None:
    text = (f"{LONG_BEFORE}\n\nMehr aus Bayern\nMÜNCHEN (dpa) - Der Landtag tagt. vor 1 Stunde\n"
            f"NÜRNBERG (dpa) - Der Club verliert. vor 2 Stunden\n\n{LONG_AFTER}")
    page, *briefs = stage(Article(text=text))
    assert page.text == f"{LONG_BEFORE}\n\n{LONG_AFTER}"
    assert [b.text for b in briefs] == ["MÜNCHEN (dpa) - Der Landtag tagt.",
                                        "NÜRNBERG (dpa) - Der Club verliert."]


def test_heading_without_briefs_after_it_stays_in_the_body(stage: SegmentStage) -> None:
    text = f"{LONG_BEFORE}\n\nLes også\n\n{LONG_AFTER}"
    page, *briefs = stage(Article(text=text))
    assert (page.text, briefs) == (text, [])


def test_brief_copies_the_page_provenance_and_is_not_yet_linked(stage: SegmentStage) -> None:
    when = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
    page = _page("nl", "sidebar-7-briefs.txt")
    page.url, page.fetched_at, page.published_at, page.licence = (
        "https://example.nl/a", when, when, "CC-BY-4.0")
    page.id, page.lang, page.clean_method = "page-id", "nl", "trafilatura"
    brief = stage(page)[3]
    assert (brief.url, brief.source, brief.fetched_at, brief.published_at, brief.licence) == (
        "https://example.nl/a", "test", when, when, "CC-BY-4.0")
    assert (brief.id, brief.parent_id, brief.input_ref, brief.kind, brief.lang) == (
        "", None, "nl/sidebar-7-briefs.txt#brief=3", ArticleKind.BRIEF, "und")


def test_long_first_sentence_is_cut_into_a_brief_title(stage: SegmentStage) -> None:
    sentence = ("De gemeenteraad van Amsterdam heeft na een lang debat besloten dat de"
                " ringweg rond de stad vanaf volgend jaar een snelheidslimiet van tachtig"
                " kilometer per uur krijgt.")
    text = f"Meer uit Amsterdam\nAMSTERDAM (ANP) - {sentence} 2 uur geleden"
    [_, brief] = stage(Article(text=text))
    assert brief.title == ("De gemeenteraad van Amsterdam heeft na een lang debat besloten dat de"
                           " ringweg rond de stad vanaf volgend jaar een …")
    assert brief.text == f"AMSTERDAM (ANP) - {sentence}"


def test_decisions_name_the_rule_and_the_languages_that_list_it(stage: SegmentStage) -> None:
    found = stage.segment(_page("nl", "sidebar-7-briefs.txt").text)
    assert found.decisions[:3] == [
        Decision(Role.SIDEBAR, "Meer uit Binnenland", "sidebar_heading:Meer uit", ("nl",)),
        Decision(Role.BRIEF, "Het aantal asielaanvragen is in oktober opnieuw gestegen.",
                 "dateline:ANP", ("nl",)),
        Decision(Role.BRIEF, "De Europese Commissie wil strengere regels voor grote"
                 " techbedrijven.", "dateline:ANP/RTR", ("nl",)),
    ]
    assert found.decisions[-1] == Decision(Role.CAPTION, "Minister-president Mark Rutte.",
                                           "names")
    headless = stage.segment(_page("de", "glued-briefs-without-heading.txt").text)
    assert headless.decisions[0] == Decision(Role.SIDEBAR, "", "glued_briefs", ("de",))


# -- conservative on ordinary text ----------------------------------------------------------------

ORDINARY_ARTICLES = {
    "en-wikinews-paragraphs": (
        "The European Space Agency announced on Tuesday that its new weather satellite had"
        " reached orbit, two hours after lifting off from Kourou in French Guiana.\n\n"
        "By the end of the day, controllers had received the first signals. \"Everything looks"
        " nominal,\" said mission manager Ruth Okafor.\n\n"
        "The satellite will replace one launched in 2012.\n\n"
        "Storms over the Atlantic delayed the launch by two days. The agency said the delay"
        " added about 3 million euros to the cost.\n\n"
        "Officials said the first images would be released in about two weeks."),
    "en-meantime-one-sentence-per-line": (
        "Shares of the carmaker fell 4 percent on Monday after it cut its profit forecast.\n"
        "The company said demand in China had weakened.\n"
        "Chief executive Maria Lindgren said the company would cut costs.\n"
        "Analysts were not surprised.\n"
        "\"We expected worse,\" said Tom Becker, an analyst at a Frankfurt bank.\n"
        "The stock had risen 20 percent this year.\n"
        "Trading resumed 2 hours ago after a short halt."),
    "nb-ntb-paragraphs": (
        "OSLO (NTB): Regjeringen vil bruke 2 milliarder kroner på å bygge ut kraftnettet i"
        " Nord-Norge, opplyser Energidepartementet.\n\n"
        "– Dette er en historisk satsing, sier energiministeren til NTB.\n\n"
        "– Nei.\n\n"
        "Det sa Jonas Gahr Støre.\n\n"
        "Opposisjonen mener pengene kommer for sent. Flere næringsaktører har ventet i årevis"
        " på nettilknytning."),
    "de-single-newlines": (
        "Der Bundesrat hat am Freitag dem Gesetz zur Krankenhausreform zugestimmt.\n"
        "Die Länder hatten lange Nachbesserungen gefordert.\n"
        "Von Berlin aus reiste der Minister anschließend nach Brüssel.\n"
        "Er sagte: \"Das ist ein guter Tag für die Patienten.\"\n"
        "Die Reform soll vor 3 Tagen veröffentlichte Zahlen zufolge Milliarden sparen."),
    "nl-paragraphs": (
        "DEN HAAG (ANP) - Het kabinet trekt extra geld uit voor de jeugdzorg. Dat heeft"
        " staatssecretaris Van Ooijen dinsdag gezegd.\n\n"
        "Gemeenten klagen al jaren over tekorten.\n\n"
        "Drie Democraten en 31 Republikeinen stemden tegen.\n\n"
        "De Tweede Kamer debatteert volgende week over het plan."),
    "fr-paragraphs": (
        "Le Premier ministre a annoncé mercredi un plan de soutien aux agriculteurs, après"
        " plusieurs semaines de manifestations.\n\n"
        "Il y a 3 jours, les syndicats avaient bloqué plusieurs autoroutes.\n\n"
        "Par ailleurs, le gouvernement promet une loi avant l'été.\n\n"
        "Les organisations agricoles jugent ces mesures insuffisantes."),
    "es-paragraphs": (
        "El Gobierno aprobó este martes el anteproyecto de ley de vivienda, que limitará el"
        " precio del alquiler en las zonas tensionadas.\n\n"
        "Por su parte, la oposición anunció un recurso ante el Tribunal Constitucional.\n\n"
        "La norma entrará en vigor en enero."),
    "ru-paragraphs": (
        "Правительство утвердило план развития транспортной инфраструктуры до 2030 года.\n\n"
        "— Мы построим новые дороги в каждом регионе, — заявил вице-премьер.\n\n"
        "Об этом сообщает ТАСС.\n\n"
        "Первые объекты планируется сдать через два года."),
    "sv-fixture-with-dash-quote": _page("sv", "plain-article.txt").text,
}


@pytest.mark.parametrize("name", sorted(ORDINARY_ARTICLES))
def test_ordinary_article_text_is_left_unchanged(stage: SegmentStage, name: str) -> None:
    text = ORDINARY_ARTICLES[name]
    outputs = stage(Article(title="t", text=text))
    [page] = outputs
    assert (page.text, page.captions, page.subheadings, page.author) == (text, [], [], None)


def test_bundled_sample_corpus_is_unchanged_but_for_one_image_file_line(
    stage: SegmentStage,
) -> None:
    changed = {}
    for path in sample_paths():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            page, *briefs = stage(Article(text=record["text"]))
            if page.text != record["text"] or briefs or page.author:
                changed[record["id"]] = (page.captions, len(briefs), page.author)
    assert changed == {"wikinews:en:On_the_campaign_trail_in_the_USA,_June_2020": (
        ["File:Keisha Lance Bottoms (cropped).jpg"], 0, None)}


# -- the rules files -------------------------------------------------------------------------------


def test_stage_loads_the_rules_of_every_shipped_language() -> None:
    assert SegmentStage().rules.languages == (
        "da", "de", "en", "es", "fi", "fr", "it", "nb", "nl", "nn", "pl", "pt", "ru", "sv")


def _shipped(lang: str) -> str:
    return resources.files("babelwire.segment_rules").joinpath(f"{lang}.toml").read_text(
        encoding="utf-8")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t + "\n[broken", "is not valid TOML"),
    (lambda t: t.replace('agencies = ["ANP", "Belga", "RTR", "Novum"]', 'agencies = "ANP"'),
     "'agencies' must be a list of non-empty strings, got 'ANP'"),
    (lambda t: t.replace("determiners = ", "determiner = "),
     "missing keys ['determiners'], unknown keys ['determiner']"),
    (lambda t: t.replace('language = "nl"', 'language = "de"'),
     "'language' is 'de' but the file is named for 'nl'; rename the file or fix the key"),
    (lambda t: t.replace("geleden']", "geleden', '(unclosed']"),
     "relative_time pattern '(unclosed' is not a valid regular expression"),
    (lambda t: t.replace("(\\d+|een|één)", "(?:\\d+|een|één)"),
     "must have exactly one group (the number; it has 0)"),
    (lambda t: t.replace("\\({agency}\\)", "\\(ANP\\)"),
     "has no {agency} placeholder"),
])
def test_malformed_rules_file_raises_config_error_naming_the_file(
    tmp_path: Path, edit: Callable[[str], str], message: str,
) -> None:
    (tmp_path / "en.toml").write_text(_shipped("en"), encoding="utf-8")
    (tmp_path / "nl.toml").write_text(edit(_shipped("nl")), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_rules(tmp_path)
    assert f"segmentation rules file {tmp_path / 'nl.toml'}" in str(raised.value)
    assert message in str(raised.value)


def test_empty_rules_folder_raises_config_error_saying_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no segmentation rules files \(\*\.toml\) in .*;"
                                          " reinstall babelwire"):
        load_rules(tmp_path)
