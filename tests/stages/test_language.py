from __future__ import annotations

import pytest

from babelwire import Article
from babelwire.stages.language import LanguageDetector, LanguageStage


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(("text", "lang"), [
    ("Regjeringen la torsdag fram en ny plan for å kutte utslippene fra transportsektoren, og"
     " statsministeren sier at arbeidet må starte umiddelbart.", "nb"),
    ("Regjeringa la fram ein ny plan for å kutte utsleppa frå transporten, og statsministeren"
     " seier at arbeidet må byrje med ein gong i år.", "nn"),
    ("Regeringen fremlagde torsdag en ny plan for at skære udledningerne fra transportsektoren,"
     " og statsministeren siger, at arbejdet skal begynde med det samme.", "da"),
    ("Regeringen lade på torsdagen fram en ny plan för att minska utsläppen från"
     " transportsektorn, och statsministern säger att arbetet måste börja direkt.", "sv"),
    ("Het kabinet heeft donderdag een nieuw plan gepresenteerd om de uitstoot van het verkeer te"
     " halveren, en de premier zegt dat het werk meteen moet beginnen.", "nl"),
    ("Премьер-министр Михаил Мишустин провёл совещание с губернаторами о подготовке к зиме.", "ru"),
    ("国务院总理在北京主持召开国务院常务会议，部署进一步稳定经济的措施。", "zh"),
])
def test_news_languages_are_identified_with_iso_codes(detector: LanguageDetector, text: str,
                                                       lang: str) -> None:
    detection = detector.detect(text)
    assert detection.lang == lang
    assert 0.5 <= detection.score <= 1.0


@pytest.mark.parametrize("text", ["", "12345 67 890", "!!! ???", "OK"])
def test_too_little_text_is_und_not_a_guess(detector: LanguageDetector, text: str) -> None:
    assert (detector.detect(text).lang, detector.detect(text).method) == ("und", "too-short")


def test_control_characters_and_lone_surrogates_do_not_crash_detection(
        detector: LanguageDetector) -> None:
    text = "Der Bundestag\x00 hat am Freitag\ud800 das neue Gesetz\x85 beschlossen, sagte er."
    assert detector.detect(text).lang == "de"


def test_norwegian_is_never_reported_as_no(detector: LanguageDetector) -> None:
    assert "no" not in detector.supported
    assert {"nb", "nn"} <= detector.supported


def test_language_stage_assigns_language_score_and_method() -> None:
    article = LanguageStage()(Article(title="Kabinet presenteert plan",
                                      text="Het kabinet heeft een nieuw plan gepresenteerd om de"
                                           " uitstoot van het verkeer te halveren."))
    assert (article.lang, article.lang_method) == ("nl", "cld2")
    assert article.lang_score > 0.5
