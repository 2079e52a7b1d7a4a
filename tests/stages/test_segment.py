"""Page segmentation: captions, subheadings, bylines and sidebar briefs, per language."""

from __future__ import annotations

from pathlib import Path

import pytest

from babelwire import Article
from babelwire.errors import ConfigError
from babelwire.record import ArticleKind
from babelwire.stages._segment_rules import compile_rules
from babelwire.stages.segment import SegmentStage

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def stage() -> SegmentStage:
    return SegmentStage()


def _page(lang: str, name: str) -> Article:
    title, _, body = (FIXTURES / lang / name).read_text(encoding="utf-8").partition("\n")
    return Article(title=title, text=body.strip(), source="test", input_ref=f"{lang}/{name}")


def test_glued_seven_brief_sidebar_becomes_seven_linked_briefs(stage: SegmentStage) -> None:
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
    assert briefs[0].text == ("DEN HAAG (ANP) - Het aantal asielaanvragen is in oktober opnieuw"
                              " gestegen. Dat meldt de IND.")
    assert briefs[1].text.startswith("BRUSSEL (ANP/RTR) - ")
    assert all(b.kind is ArticleKind.BRIEF and b.source == "test" for b in briefs)
    assert [b.input_ref for b in briefs] == [f"nl/sidebar-7-briefs.txt#brief={n}"
                                             for n in range(1, 8)]
    assert "Meer uit Binnenland" not in page.text
    assert "ANP" not in page.text and "geleden" not in page.text
    assert page.captions == ["Minister-president Mark Rutte."]
    assert page.text.endswith('zei een Kamerlid van GroenLinks.')


def test_norwegian_captions_leave_dash_quotes_in_the_body(stage: SegmentStage) -> None:
    [page] = stage(_page("nb", "captions-and-dash-quotes.txt"))
    assert page.captions == ["STATSMINISTER: Jonas Gahr Støre på pressekonferansen.",
                             "Foto: Heiko Junge / NTB"]
    assert page.author == "Kari Nordmann"
    assert page.subheadings == ["Nye krav til industrien"]
    paragraphs = page.text.split("\n\n")
    assert paragraphs[1:3] == [
        "– Vi må ta ansvar for våre egne utslipp, og det haster, sa statsministeren.",
        "– Vi har ingen planer om å øke avgiftene på diesel, sier talsmannen."]
    assert "STATSMINISTER" not in page.text and "Foto:" not in page.text
    assert "Av Kari Nordmann" not in page.text


@pytest.mark.parametrize(("lang", "name", "captions", "author", "brief_titles"), [
    ("de", "sidebar-and-byline.txt", ["Bundeskanzler Olaf Scholz."], "Anna Schmidt",
     ["Die Bundesregierung plant eine Reform der Schuldenbremse.",
      "Bayern führt eine neue Grenzpolizei ein.",
      "Österreich verschärft die Regeln für Asylbewerber."]),
    ("en", "caption-credit-and-sidebar.txt",
     ["Fallen trees block a road near Leeds on Tuesday. (Photo: Reuters)"],
     "John Smith and Mary Jones",
     ["The Bank of England kept interest rates unchanged on Thursday.",
      "French farmers blocked motorways around the capital in protest at fuel prices."]),
    ("fr", "caption-and-sidebar.txt", ["LE MINISTRE : Bruno Le Maire à Bercy."], None,
     ["La SNCF annonce de nouvelles grèves pour le week-end.",
      "Un incendie a détruit un entrepôt dans la banlieue lyonnaise."]),
    ("es", "byline-and-sidebar.txt", [], "Carmen López",
     ["La Policía detiene a una red de estafadores en Madrid.",
      "El aeropuerto de Barcelona bate su récord de pasajeros."]),
    ("ru", "caption-and-sidebar.txt", ["Фото: ТАСС"], None,
     ["В Москве открылась новая станция метро.", "В Петербурге прошел международный форум."]),
])
def test_pages_in_many_languages_are_segmented(
    stage: SegmentStage, lang: str, name: str, captions: list[str], author: str | None,
    brief_titles: list[str],
) -> None:
    page, *briefs = stage(_page(lang, name))
    assert page.captions == captions
    assert page.author == author
    assert [b.title for b in briefs] == brief_titles
    for moved in [*captions, *(b.text for b in briefs)]:
        assert moved not in page.text


def test_russian_dash_quote_stays_in_body(stage: SegmentStage) -> None:
    [page, *_] = stage(_page("ru", "caption-and-sidebar.txt"))
    assert "— Мы не планируем повышать налоги для граждан, — заявил министр финансов." in (
        page.text.split("\n\n"))


@pytest.mark.parametrize("text", [
    (FIXTURES / "sv" / "plain-article.txt").read_text(encoding="utf-8").partition("\n")[2].strip(),
    "The company said on Monday that profits fell.\nShares dropped 5% in early trading.\n"
    "Analysts had expected a smaller decline.",
    "Le Premier ministre a annoncé sa démission.\n\nIl restera en fonction jusqu'à la"
    " nomination de son successeur.\n\nLes partis d'opposition réclament des élections.",
    "Der Minister sagte, er werde nicht zurücktreten.\nDie Opposition fordert Aufklärung.",
])
def test_ordinary_articles_are_left_unchanged(stage: SegmentStage, text: str) -> None:
    [page] = stage(Article(title="t", text=text))
    assert (page.text, page.captions, page.subheadings, page.author) == (text, [], [], None)


def test_malformed_rules_file_names_the_file() -> None:
    table = {"language": "xx", "agencies": "ANP", "sidebar_headings": [], "relative_time": [],
             "byline_prefixes": [], "credit_words": []}
    from babelwire.stages._segment_rules import _read

    with pytest.raises(ConfigError) as info:
        _read("xx.toml", "agencies = 'ANP'\n")
    assert "segmentation rules file 'xx.toml': 'agencies' must be a list of strings" in str(
        info.value)
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        compile_rules({"xx.toml": {**table, "agencies": ["ANP"], "relative_time": ["(unclosed"]}})
