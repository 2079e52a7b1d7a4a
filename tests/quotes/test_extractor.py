"""What the extractor finds: quotes, their type, cue and speaker, in several conventions.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import pytest

from babelwire.quotes.extractor import ExtractorOptions, QuoteExtractor
from babelwire.record import Entity, Quote, QuoteType


def _quotes(text: str, language: str, entities: list[Entity] | None = None) -> list[Quote]:
    return QuoteExtractor().extract(text, language, entities)


def _by_text(quotes: list[Quote]) -> dict[str, Quote]:
    return {q.text: q for q in quotes}


def test_quotes_attributes_inverted_german_speaker_after_the_quote() -> None:
    text = "„Wir bauen die Brücke bis 2027 neu“, sagte der Verkehrsminister Jan Roth am Montag."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.type, quote.cue) == ("Wir bauen die Brücke bis 2027 neu",
                                                   QuoteType.DIRECT, "sagte")
    assert quote.speaker_name == "Jan Roth"
    assert text[slice(*quote.speaker_spans[0])].endswith("Jan Roth")


def test_quotes_finds_indirect_speech_after_a_complementiser() -> None:
    text = "Die Stadtwerke Lindau teilten am Dienstag mit, dass die Preise im Januar steigen."
    [quote] = _quotes(text, "de")
    assert quote.type is QuoteType.INDIRECT
    assert quote.text == "dass die Preise im Januar steigen"
    assert quote.cue == "teilten mit"
    assert quote.speaker_mention == "Die Stadtwerke Lindau"


def test_quotes_cuts_an_according_to_phrase_out_of_its_sentence() -> None:
    [quote] = _quotes("Laut Polizei wurden drei Autos beschädigt.", "de")
    assert (quote.text, quote.speaker_name, quote.cue) == (
        "wurden drei Autos beschädigt", "Polizei", "Laut")


def test_quotes_continues_the_reported_mood_with_the_same_speaker() -> None:
    text = ("Der Bürgermeister Paul Kern sagte, die Schule werde saniert. Die Kosten lägen bei"
            " zwei Millionen Euro und seien gedeckt.")
    first, second = _quotes(text, "de")
    assert second.rule == "reported-continuation"
    assert first.speaker_name == second.speaker_name == "Paul Kern"


def test_quotes_resolves_a_pronoun_to_the_last_named_speaker() -> None:
    text = ('Mayor Ann Cole said the bridge would reopen in May. "We are on schedule," she said.')
    quotes = _by_text(_quotes(text, "en"))
    assert quotes["We are on schedule"].speaker_mention == "she"
    assert quotes["We are on schedule"].speaker_name == "Ann Cole"


def test_quotes_links_the_speaker_to_the_canonical_entity_of_its_mention() -> None:
    text = '"We will not raise taxes," said Maria Lind.'
    start = text.index("Maria Lind")
    entity = Entity(id="ent:per:42", name="Maria Lind", type="PER",
                    spans=((start, start + len("Maria Lind")),), mention="Maria Lind")
    [quote] = _quotes(text, "en", [entity])
    assert (quote.speaker_name, quote.speaker_entity) == ("Maria Lind", "ent:per:42")


def test_quotes_takes_a_dash_paragraph_and_the_speaker_after_it() -> None:
    text = "– Vi har ingen planer om å legge ned skolen, sier rådmann Eva Holm."
    [quote] = _quotes(text, "nb")
    assert (quote.text, quote.type, quote.speaker_name) == (
        "Vi har ingen planer om å legge ned skolen", QuoteType.DIRECT, "Eva Holm")


def test_quotes_attributes_a_dash_paragraph_to_the_speaker_in_the_next_paragraph() -> None:
    text = ("– Dette blir et krevende år for alle som bor langs kysten.\n\n"
            "Det sier fiskeriminister Ola Strand til NTB.")
    [quote] = _quotes(text, "nb")
    assert quote.text.startswith("Dette blir et krevende år")
    assert quote.speaker_name == "Ola Strand"


def test_quotes_gives_a_continuation_paragraph_the_previous_speaker() -> None:
    text = ("– Vi har fått en god avtale, sier Kari Nilsen.\n\n"
            "– Nå skal vi bruke pengene godt og raskt.")
    first, second = _quotes(text, "nb")
    assert second.rule == "direct-continuation"
    assert first.speaker_name == second.speaker_name == "Kari Nilsen"


def test_quotes_reads_russian_dash_dialogue_with_the_attribution_between_parts() -> None:
    text = "Глава района Сергей Орлов приехал утром.\n\n— Работы идут всю ночь, — сказал он."
    [quote] = _quotes(text, "ru")
    assert (quote.text, quote.speaker_name) == ("Работы идут всю ночь", "Сергей Орлов")


def test_quotes_keeps_a_partial_quote_as_mixed_and_its_quoted_words_as_direct() -> None:
    text = "Minister Jan de Vries zei dat het voorstel «onaanvaardbaar en gevaarlijk» is."
    quotes = _quotes(text, "nl")
    assert [q.type for q in quotes] == [QuoteType.MIXED, QuoteType.DIRECT]
    assert quotes[1].text == "onaanvaardbaar en gevaarlijk"
    assert quotes[0].speaker_name == quotes[1].speaker_name == "Jan de Vries"


def test_quotes_can_leave_out_the_nested_direct_part() -> None:
    text = "Minister Jan de Vries zei dat het voorstel «onaanvaardbaar en gevaarlijk» is."
    extractor = QuoteExtractor(ExtractorOptions(nested_direct=False))
    assert [q.type for q in extractor.extract(text, "nl")] == [QuoteType.MIXED]


def test_quotes_reads_french_enclitic_subjects_and_selon() -> None:
    text = ("Le préfet Marc Dubois s’est rendu sur place. « Le feu est fixé », a-t-il déclaré."
            " Selon les pompiers, trois maisons ont brûlé.")
    quotes = _by_text(_quotes(text, "fr"))
    assert quotes["Le feu est fixé"].speaker_name == "Marc Dubois"
    assert quotes["trois maisons ont brûlé"].speaker_mention == "les pompiers"


def test_quotes_attributes_a_spanish_quote_with_a_dropped_subject() -> None:
    text = ("La alcaldesa Marta Gil visitó el barrio. “Hemos pedido ayuda al Gobierno”,"
            " explicó a los periodistas.")
    [quote] = _quotes(text, "es")
    assert (quote.text, quote.speaker_name) == ("Hemos pedido ayuda al Gobierno", "Marta Gil")


def test_quotes_reads_arabic_verb_first_reporting() -> None:
    text = "وقال الوزير في بيان إن المدارس ستفتح يوم الأحد."
    [quote] = _quotes(text, "ar")
    assert quote.type is QuoteType.INDIRECT
    assert quote.text.startswith("إن المدارس ستفتح")
    assert quote.cue == "وقال"


def test_quotes_skips_short_quoted_titles_without_a_cue() -> None:
    assert _quotes("Der Film „Das Boot“ lief gestern im Fernsehen.", "de") == []


def test_quotes_returns_nothing_for_a_language_without_a_lexicon() -> None:
    assert _quotes('"Hello," she said.', "xx") == []


def test_quote_spans_cover_the_quote_text() -> None:
    text = "„Wir bauen neu“, sagte Jan Roth. Laut Polizei wurden drei Autos beschädigt."
    for quote in _quotes(text, "de"):
        covered = " … ".join(text[a:b] for a, b in quote.spans)
        assert quote.text in covered.replace("„", "").replace("“", "")


def test_quotes_takes_the_object_of_an_object_verb_as_what_was_said_in_english() -> None:
    [quote] = _quotes("Governor Ann Cole praised the plan.", "en")
    assert (quote.text, quote.rule, quote.cue) == ("the plan", "verb-object", "praised")
    assert quote.speaker_name == "Ann Cole"


def test_quotes_reports_the_whole_sentence_of_a_german_object_verb() -> None:
    text = "Die Gewerkschaft Verdi nannte den Plan eine Zumutung für die Beschäftigten."
    [quote] = _quotes(text, "de")
    assert quote.text == text.rstrip(".") and quote.rule == "verb-object"
    assert quote.speaker_mention == "Die Gewerkschaft Verdi"


def test_quotes_gives_an_adverbial_participle_the_speaker_of_its_sentence() -> None:
    text = ('"We are on schedule," Mayor Ann Cole said on Friday, adding that the bridge'
            ' would open in May.')
    quotes = _by_text(_quotes(text, "en"))
    added = quotes["that the bridge would open in May"]
    assert (added.cue, added.speaker_name) == ("adding", "Ann Cole")


def test_quotes_starts_content_opened_by_that_at_the_verb_not_at_a_fronted_phrase() -> None:
    [quote] = _quotes("In Ohio, most voters said that the economy mattered most.", "en")
    assert quote.text == "that the economy mattered most"


def test_quotes_reads_an_according_to_source_that_opens_with_an_adjective() -> None:
    [quote] = _quotes("Laut israelischen Medien gab es zehn Verletzte.", "de")
    assert (quote.text, quote.speaker_mention) == ("gab es zehn Verletzte", "israelischen Medien")


def test_quotes_ends_content_where_a_coordinated_clause_has_its_own_cue() -> None:
    text = ("Der Bürgermeister Paul Kern sagte, die Brücke sei sicher, doch der Sprecher"
            " Jan Roth erklärte, sie müsse gesperrt werden.")
    quotes = _by_text(_quotes(text, "de"))
    assert quotes["die Brücke sei sicher"].speaker_name == "Paul Kern"
    assert quotes["sie müsse gesperrt werden"].speaker_name == "Jan Roth"


def test_quotes_takes_the_clause_around_an_according_to_phrase_inside_a_sentence() -> None:
    text = "Der Zug kam zu spät an, weil nach Angaben der Bahn gestern ein Signal ausfiel."
    [quote] = _quotes(text, "de")
    assert quote.text == "weil … gestern ein Signal ausfiel"
    assert quote.speaker_mention == "Angaben der Bahn"


def test_quotes_skips_a_relative_clause_on_the_according_to_source() -> None:
    text = "Nach Angaben der Polizei, die den Ort absperrte, wurde niemand verletzt."
    [quote] = _quotes(text, "de")
    assert quote.text == "wurde niemand verletzt"


def test_quotes_joins_a_quotation_that_resumes_after_its_attribution() -> None:
    text = ('"The bridge is safe," Mayor Ann Cole said on Friday. "We checked every cable.'
            ' Nothing was found."')
    [quote] = _quotes(text, "en")
    assert quote.text == "The bridge is safe … We checked every cable. Nothing was found."
    assert (len(quote.spans), quote.speaker_name) == (2, "Ann Cole")


def test_quotes_ends_a_genitive_source_at_the_lower_case_verb_after_it() -> None:
    [quote] = _quotes("Nach Angaben der Polizei griffen Bewaffnete die Demonstranten an.", "de")
    assert (quote.text, quote.speaker_mention) == (
        "griffen Bewaffnete die Demonstranten an", "Angaben der Polizei")


def test_quotes_takes_a_nominative_pronoun_after_the_verb_as_the_speaker() -> None:
    text = "„Wir bauen neu“, sagte Paul Kern. Die Sperrung nannte er einen Fehler."
    quote = _quotes(text, "de")[-1]
    assert (quote.cue, quote.speaker_mention, quote.speaker_name) == ("nannte", "er", "Paul Kern")


def test_quotes_takes_the_source_of_an_impersonal_attribution_from_its_preposition() -> None:
    text = "„Die Lage ist ernst“, heißt es in einer Mitteilung der Feuerwehr Lindau."
    [quote] = _quotes(text, "de")
    assert quote.speaker_mention == "einer Mitteilung der Feuerwehr Lindau"


def test_quotes_takes_an_uncased_subject_before_the_verb_in_english() -> None:
    quotes = _quotes("Mayor Ann Cole spoke first. But few farmers believe the new dam will hold.",
                     "en")
    assert [(q.text, q.speaker_mention) for q in quotes] == [("the new dam will hold",
                                                               "few farmers")]


def test_quotes_ends_forward_content_before_a_non_restrictive_which_clause() -> None:
    text = "Mayor Ann Cole said the bridge would open in May, which surprised the council."
    [quote] = _quotes(text, "en")
    assert quote.text == "the bridge would open in May"


def test_quotes_ends_forward_content_before_a_cue_right_after_a_comma() -> None:
    text = ("Mayor Ann Cole said the bridge would open in May, noting that the budget"
            " was already spent.")
    quotes = _by_text(_quotes(text, "en"))
    assert quotes["the bridge would open in May"].speaker_name == "Ann Cole"
    assert quotes["that the budget was already spent"].cue == "noting"


def test_quotes_takes_a_bare_clause_after_an_insertion_on_the_subject() -> None:
    text = "For now, Ann Cole, the planner, said the bridge would open in May."
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule) == ("the bridge would open in May", "verb-forward")


def test_quotes_reads_an_attribution_after_the_content_as_no_bare_clause() -> None:
    [quote] = _quotes("The bridge will open in May, said Mayor Ann Cole.", "en")
    assert (quote.text, quote.rule) == ("The bridge will open in May", "verb-backward")
    assert quote.speaker_name == "Ann Cole"


def test_quotes_reports_the_clause_around_a_raising_verb() -> None:
    [seemed] = _quotes("The mayor seemed to lose interest in the bridge.", "en")
    assert (seemed.text, seemed.rule) == ("The mayor … to lose interest in the bridge",
                                          "verb-raising")
    [expected] = _quotes("The bridge is expected to open in May.", "en")
    assert expected.text == "The bridge … to open in May"
    assert _quotes("The mayor expects the bridge to open.", "en")[0].rule != "verb-raising"


def test_quotes_gives_a_reported_clause_after_a_noun_of_saying_its_own_speaker() -> None:
    text = ("Der Bürgermeister Paul Kern sagte, die Schule werde saniert. Die Gewerkschaft"
            " Verdi hegt den Verdacht, es gebe zu wenig Geld.")
    quotes = _by_text(_quotes(text, "de"))
    own = quotes["es gebe zu wenig Geld"]
    assert (own.rule, own.speaker_mention) == ("reported-own-clause", "Die Gewerkschaft Verdi")


def test_quotes_takes_the_subject_after_the_verb_of_a_german_colon_attribution() -> None:
    text = "Im Stadtrat warb Jan Roth für die neue Brücke: „Wir bauen sie bis Mai.“"
    [quote] = _quotes(text, "de")
    assert (quote.rule, quote.speaker_name) == ("direct-colon", "Jan Roth")


def test_quotes_takes_the_subject_after_an_unlisted_verb_after_a_german_quotation() -> None:
    text = "„Die Brücke bleibt bis Mai gesperrt“, seufzte der Sprecher Jan Roth."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.rule) == ("Die Brücke bleibt bis Mai gesperrt", "direct-inverted")
    assert quote.speaker_name == "Jan Roth"


def test_quotes_reads_the_that_clause_of_a_noun_of_belief_in_english() -> None:
    text = "Mayor Ann Cole is convinced that the bridge will open in May."
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule) == ("that the bridge will open in May", "head-complement")
    assert quote.speaker_name == "Ann Cole"


def test_quotes_reads_a_capitalised_verb_form_in_an_according_to_source_as_a_noun() -> None:
    [laut] = _quotes("Laut Aussage des Ministeriums wurden drei Autos beschädigt.", "de")
    assert (laut.text, laut.rule) == ("wurden drei Autos beschädigt", "according-before")
    assert laut.speaker_mention.startswith("Aussage des Ministeriums")
    [zufolge] = _quotes("Offiziellen Angaben zufolge wurden drei Autos beschädigt.", "de")
    assert zufolge.text == "wurden drei Autos beschädigt"
    [opening] = _quotes("Berichten zufolge wurden drei Autos beschädigt.", "de")
    assert (opening.text, opening.speaker_mention) == ("wurden drei Autos beschädigt",
                                                       "Berichten")


def test_quotes_reads_a_comma_clause_in_konjunktiv_i_by_its_shape() -> None:
    text = ("Die Ministerin Eva Brandt erklärte, ihr Ressort unterstütze die Gemeinden beim"
            " Ausbau der Radwege. Der Landrat Tom Weiß sagte, die neue Umgehungsstraße"
            " verbessere den Verkehr im Ort.")
    quotes = _by_text(_quotes(text, "de"))
    assert quotes["ihr Ressort unterstütze die Gemeinden beim Ausbau der Radwege"].speaker_name \
        == "Eva Brandt"
    assert quotes["die neue Umgehungsstraße verbessere den Verkehr im Ort"].speaker_name \
        == "Tom Weiß"


def test_quotes_takes_no_indicative_preterite_comma_clause_as_reported() -> None:
    text = "Der Verein meldete den Diebstahl, die Polizei ermittelte sofort."
    assert [q.text for q in _quotes(text, "de")] == []


def test_quotes_keeps_a_fronted_clause_before_a_mid_sentence_according_to_phrase() -> None:
    text = ("Bei dem Brand in der Lagerhalle am Hafen, die seit Jahren leer stand, sind laut"
            " Feuerwehr zwei Männer verletzt worden.")
    [quote] = _quotes(text, "de")
    assert quote.speaker_name == "Feuerwehr"
    assert quote.text.startswith("Bei dem Brand in der Lagerhalle")
    assert quote.text.endswith("zwei Männer verletzt worden")


def test_quotes_reads_a_particle_written_apart_before_a_verb_final_cue() -> None:
    text = ("Die Brücke bleibt bis Juni gesperrt, wie das Bauamt am Freitag bekannt gab. Wie die"
            " Stadtwerke Ulm bekannt gaben, steigen die Preise im Mai.")
    quotes = _by_text(_quotes(text, "de"))
    assert quotes["Die Brücke bleibt bis Juni gesperrt"].cue == "bekannt gab"
    assert quotes["steigen die Preise im Mai"].speaker_name == "Stadtwerke Ulm"


def test_quotes_takes_a_fronted_source_phrase_for_a_verb_without_subject() -> None:
    text = ("Im Jahresbericht des Landesamts heißt es, dass die Zahl der Unfälle gesunken sei."
            " Aus dem Rathaus verlautete, die Straße werde im Mai geöffnet.")
    quotes = _by_text(_quotes(text, "de"))
    assert quotes["dass die Zahl der Unfälle gesunken sei"].speaker_mention \
        == "Jahresbericht des Landesamts"
    assert quotes["die Straße werde im Mai geöffnet"].speaker_mention == "dem Rathaus"


def test_quotes_takes_a_relative_pronoun_as_the_subject_of_its_clause() -> None:
    text = ("Die Polizei befragte einen Zeugen, der angab, den Wagen gegen Mitternacht gesehen"
            " zu haben.")
    [quote] = _quotes(text, "de")
    assert quote.text == "den Wagen gegen Mitternacht gesehen zu haben"
    assert quote.speaker_mention == "der"


def test_quotes_tells_a_reported_main_clause_from_a_relative_clause_by_the_verb_place() -> None:
    said = "Der Minister sagte, die grundsätzliche Kritik an der Reform müsse ernst genommen sein."
    [quote] = _quotes(said, "de")
    assert quote.text == "die grundsätzliche Kritik an der Reform müsse ernst genommen sein"
    relative = "Der Minister lobte die Helfer, die die Lage rasch beruhigt hätten."
    [claim] = _quotes(relative, "de")
    assert (claim.rule, claim.text) == ("reported-continuation",
                                        "die die Lage rasch beruhigt hätten")


def test_quotes_takes_a_short_quotation_after_als_as_the_subjects_wording() -> None:
    text = ("Die Bürgermeisterin Anna Vogt verurteilte den Plan am Montag als „unbezahlbar“."
            " Der Turm gilt seit Jahren als „Wahrzeichen der Stadt“.")
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.type, quote.rule) == ("unbezahlbar", QuoteType.DIRECT,
                                                   "direct-characterised")
    assert quote.speaker_name == "Anna Vogt"


def test_quotes_reads_a_trailing_so_source_followed_by_a_prepositional_phrase() -> None:
    text = "Die Fähre fahre ab Mai wieder täglich, so Reederei-Chef Jens Olsen im Radio."
    [quote] = _quotes(text, "de")
    assert quote.text == "Die Fähre fahre ab Mai wieder täglich"
    assert quote.speaker_name == "Jens Olsen"


def test_quotes_takes_a_whole_first_constituent_before_an_auxiliary_as_the_speaker() -> None:
    for text, mention in (
            ("Das regionale Bauamt hat gestern eingeräumt, dass die Pläne Fehler enthielten.",
             "Das regionale Bauamt"),
            ("Auch zwei kleinere Vereine haben angekündigt, gegen den Beschluss zu klagen.",
             "zwei kleinere Vereine")):
        [quote] = _quotes(text, "de")
        assert quote.speaker_mention == mention


def test_quotes_skips_a_reflexive_or_adverb_between_an_inverted_verb_and_its_subject() -> None:
    for text, name in (
            ("Am Dienstag äußerte sich der Sprecher Tom Berger dahingehend, der Termin stehe.",
             "Tom Berger"),
            ("Ebenso plädierte auch Lena Brandt dafür, die Halle zu öffnen.", "Lena Brandt")):
        [quote] = _quotes(text, "de")
        assert quote.speaker_name == name


def test_quotes_continuation_takes_a_subject_after_opening_adverbs_or_a_neuter_article() -> None:
    for text, mention in (
            ("Das Bauamt kritisierte den Plan. Die Kosten seien zu hoch.", "Das Bauamt"),
            ("Jetzt hat der Verband reagiert. Die Heizung sei repariert.", "der Verband")):
        quotes = _quotes(text, "de")
        assert [q.rule for q in quotes] == ["reported-continuation"]
        assert quotes[0].speaker_mention == mention


def test_quotes_coordinated_cue_takes_the_subject_after_a_focus_adverb() -> None:
    text = "Auch die Ärztin Mia Kurz äußerte Bedenken und sagte, die Reform komme zu spät."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.speaker_name) == ("die Reform komme zu spät", "Mia Kurz")


def test_quotes_inverted_attribution_skips_a_reflexive_and_needs_no_comma_after_questions() -> None:
    for text, name in (
            ("Die Bilanz ist gut. „Das war ein starkes Jahr“, erinnerte sich Tom Berger später.",
             "Tom Berger"),
            ("Die Zahlen sinken. „Wozu gibt es den Verein noch?“ fragen sich die Experten.",
             "Experten")):
        [quote] = _quotes(text, "de")
        assert (quote.rule, quote.speaker_name) == ("direct-inverted", name)


def test_quotes_reported_mood_after_a_narrative_sentence_about_a_thing_names_no_speaker() -> None:
    [free] = _quotes("Die Entscheidung fiel am Abend. Sie sei endgültig.", "de")
    assert (free.rule, free.speaker_mention) == ("reported-free", None)
    [quote] = _quotes("Die Stadtverwaltung prüfte den Antrag. Er sei vollständig.", "de")
    assert (quote.rule, quote.speaker_mention) == ("reported-continuation", "Die Stadtverwaltung")


def test_quotes_continuation_prefers_the_source_of_the_narrative_sentence_in_between() -> None:
    text = ("Die Ministerin Eva Hahn sagte, die Steuer werde steigen. Die Gewerkschaft widerspricht"
            " dem Plan. Die Beschäftigten würden dadurch ärmer.")
    quotes = _quotes(text, "de")
    assert [q.speaker_name for q in quotes] == ["Eva Hahn", "Gewerkschaft"]


def test_quotes_source_in_between_may_follow_a_fronted_phrase_and_a_reflexive() -> None:
    text = ("Der Minister Paul Roth sagte, die Steuer werde steigen. Mit Kritik am Plan hält sich"
            " die Gewerkschaft zurück. Die Beschäftigten würden dadurch ärmer.")
    quotes = _quotes(text, "de")
    assert [q.speaker_name for q in quotes] == ["Paul Roth", "Gewerkschaft"]


def test_quotes_a_short_bracket_after_the_subject_leaves_its_clause_open() -> None:
    text = "Die Ministerin Eva Hahn (SPD) äußerte Bedenken und sagte, die Reform komme zu spät."
    [quote] = _quotes(text, "de")
    assert quote.speaker_mention.startswith("Die Ministerin Eva Hahn")
    assert quote.speaker_name == "Eva Hahn"
    [quote] = _quotes("Senator Ann Cole (D-Maine) said the vote would be close.", "en")
    assert quote.speaker_name == "Ann Cole"


def test_quotes_a_name_and_its_apposition_before_the_verb_are_the_subject_not_its_object() -> None:
    text = "Paul Roth, der Präsident des Sportbundes, nannte die Bewerbung „sehr stark“."
    [quote] = _quotes(text, "de")
    assert quote.speaker_mention == "Paul Roth, der Präsident des Sportbundes"
    [quote] = _quotes("Ann Cole, the mayor of Bath, praised the plan to open the bridge.", "en")
    assert quote.speaker_mention == "Ann Cole, the mayor of Bath"


def test_quotes_german_subjects_after_a_focus_adverb_or_shared_by_a_coordinated_verb() -> None:
    [quote] = _quotes("Auch sie forderten den Rücktritt des Bürgermeisters.", "de")
    assert quote.speaker_mention == "sie"
    [quote] = _quotes("Die Gewerkschaft begrüßte den Vorschlag des Ministers, fordert aber einen"
                      " festen Termin.", "de")
    assert quote.speaker_mention == "Die Gewerkschaft"


def test_quotes_a_reported_clause_before_a_comma_and_inverted_verb_is_content() -> None:
    [quote] = _quotes("Die Lage in der Stadt sei sehr ernst, sagte der Minister.", "de")
    assert (quote.text, quote.speaker_mention) == ("Die Lage in der Stadt sei sehr ernst",
                                                   "der Minister")


def test_quotes_a_relative_pronoun_is_the_subject_of_a_clause_final_cue() -> None:
    text = ("Anwesend war auch der frühere Minister Paul Roth, der der Regierung vorwarf,"
            " die Aktivisten frei zu lassen.")
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.speaker_mention) == ("die Aktivisten frei zu lassen", "der")


def test_quotes_ends_content_of_a_cue_in_a_fronted_adverbial_clause_at_the_main_clause() -> None:
    text = ("If farmers believe the river will flood, the county will pay for sandbags."
            " Asked whether the levee would hold, the engineer Tom Hale shrugged.")
    texts = [q.text for q in _quotes(text, "en")]
    assert "the river will flood" in texts
    assert "whether the levee would hold" in texts
    assert not any("sandbags" in t or "shrugged" in t for t in texts)


def test_quotes_leaves_out_narration_before_an_attribution_that_opens_a_quotation() -> None:
    text = "On the subject of the ferry, Ida Berg added, “It sails at noon and returns at six.”"
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule) == ("It sails at noon and returns at six.", "verb-forward")
    assert quote.speaker_name == "Ida Berg"


def test_quotes_reads_lamenting_and_talking_about_as_attributions() -> None:
    text = ("The coach Mia Lund lamented that the pitch was flooded again."
            " Later the striker Ben Ode talked about the new stadium.")
    quotes = _by_text(_quotes(text, "en"))
    assert quotes["that the pitch was flooded again"].speaker_name == "Mia Lund"
    assert any("the new stadium" in t and q.speaker_name == "Ben Ode" for t, q in quotes.items())


def test_quotes_reads_a_source_colon_headline_in_the_first_paragraph_only() -> None:
    text = ("Mayor Cole: Bridge Will Open Before The Winter Floods.\n\n"
            "The council met on Monday to discuss the budget.\n\n"
            "Picture: The old bridge seen from the river bank.")
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule) == ("Bridge Will Open Before The Winter Floods",
                                        "headline-colon")
    assert quote.speaker_mention == "Mayor Cole"


def test_quotes_does_not_read_a_page_label_before_a_colon_as_a_source() -> None:
    text = "The Latest: Storm closes three schools in the valley.\n\nMore follows."
    assert _quotes(text, "en") == []


def test_quotes_reads_capitalised_cues_in_a_title_cased_headline() -> None:
    text = ("Harbour Board Says Ferry Fares Will Rise In Spring.\n\n"
            "The Harbour Board Says office is closed on Sundays.")
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.speaker_mention) == ("Ferry Fares Will Rise In Spring",
                                                   "Harbour Board")


def test_quotes_takes_a_headline_source_before_a_cue_inside_its_statement() -> None:
    text = "Mayor Cole to Farmers: New Dam Threatens the Valley Roads.\n\nThe vote is in May."
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule) == ("New Dam Threatens the Valley Roads", "headline-colon")
    assert quote.speaker_mention == "Mayor Cole to Farmers"


def test_quotes_continues_a_quote_with_a_reportative_modal_right_after_it() -> None:
    text = ("Die Bürgermeisterin Jana Roth sagte, das Hallenbad werde im Mai geschlossen. Die"
            " Sanierung soll zwei Jahre dauern.\n\nDer neue Radweg soll im Herbst fertig werden.")
    quotes = _quotes(text, "de")
    assert [q.text for q in quotes] == ["das Hallenbad werde im Mai geschlossen",
                                        "Die Sanierung soll zwei Jahre dauern"]
    assert quotes[1].speaker_name == "Jana Roth"


def test_quotes_gives_a_passive_object_verb_sentence_its_agent_as_speaker() -> None:
    text = "Der neue Fahrplan wurde vom Fahrgastverband Pro Bahn als Rückschritt bezeichnet."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.rule) == (text.rstrip("."), "verb-object")
    assert quote.speaker_mention == "Fahrgastverband Pro Bahn"


def test_quotes_takes_no_passive_object_verb_sentence_without_an_agent() -> None:
    assert _quotes("Die Kreuzung wurde lange als gefährlich bezeichnet.", "de") == []


def test_quotes_reports_the_sentence_of_an_active_bezeichnen() -> None:
    text = "Die Ärztekammer bezeichnete die Reform als überfällig."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.speaker_mention) == (text.rstrip("."), "Die Ärztekammer")


def test_quotes_finds_a_separable_particle_after_a_name_in_commas_or_a_bracket() -> None:
    text = ("Die Brücke bleibt bis Juni gesperrt, teilte der Sprecher des Landkreises, Jan Ott,"
            " mit. Die Ursache ist ein Riss. Dies geht aus einem Gutachten des Technischen"
            " Hilfswerks (THW) hervor.")
    quotes = _quotes(text, "de")
    assert [(q.text, q.rule) for q in quotes] == [
        ("Die Brücke bleibt bis Juni gesperrt", "verb-backward"),
        ("Die Ursache ist ein Riss … Dies", "verb-anaphoric")]


def test_quotes_reads_a_relative_according_to_phrase_after_a_comma() -> None:
    text = ("Im Ort kursieren Gerüchte, nach denen die Fabrik schließen soll. Es gibt eine"
            " Studie, wonach der Verkehr um ein Drittel zunimmt.")
    quotes = _by_text(_quotes(text, "de"))
    assert quotes["die Fabrik schließen soll"].speaker_mention == "denen"
    assert quotes["der Verkehr um ein Drittel zunimmt"].speaker_mention == "eine Studie"
    assert {q.rule for q in quotes.values()} == {"according-relative"}


def test_quotes_starts_a_mixed_quote_at_the_noun_phrase_its_quotation_completes() -> None:
    text = "Die Ministerin forderte einen „sofortigen Stopp der Bauarbeiten“."
    quotes = _quotes(text, "de")
    assert [(q.text, q.rule) for q in quotes] == [
        ("einen „sofortigen Stopp der Bauarbeiten“.", "verb-forward"),
        ("sofortigen Stopp der Bauarbeiten", "direct-nested")]
    assert _quotes("Dazu sagte der Minister „Wir bauen weiter.“", "de")[0].text == \
        "Wir bauen weiter."


def test_quotes_takes_the_aus_phrase_of_hervorgehen_as_the_source() -> None:
    text = ("Die Mieten sind im Jahr um acht Prozent gestiegen. Dies geht aus einem Bericht"
            " des Mieterbunds hervor.")
    [quote] = _quotes(text, "de")
    assert (quote.rule, quote.speaker_mention) == ("verb-anaphoric",
                                                   "einem Bericht des Mieterbunds")


def test_quotes_continues_with_konjunktiv_forms_of_common_verbs() -> None:
    text = ("Der Landrat Uwe Brandt sagte, die Straße werde im Mai gesperrt. Eine Umleitung"
            " führe über das Nachbardorf. Ohne die Sperrung käme es zu Schäden an der Brücke.")
    quotes = _quotes(text, "de")
    assert [(q.rule, q.speaker_name) for q in quotes] == [
        ("verb-forward", "Uwe Brandt"), ("reported-continuation", "Uwe Brandt")]
    assert quotes[1].text.endswith("zu Schäden an der Brücke")


def test_quotes_takes_no_object_verb_in_a_relative_clause_or_bracket_as_a_report() -> None:
    assert _quotes("Der Sturm, den die Medien einen Jahrhundertsturm nannten, zog nach Osten"
                   " weiter.", "de") == []
    assert _quotes("Der Stadtrat tagt am Montag (die Zeitung berichtete).", "de") == []


def test_quotes_leaves_the_preposition_out_of_an_object_verb_object() -> None:
    [quote] = _quotes("Councillor Ida Brook called for a ban.", "en")
    assert (quote.text, quote.rule) == ("a ban", "verb-object")
    [quote] = _quotes("Councillor Ida Brook vowed to fight on.", "en")
    assert quote.text == "to fight on"


def test_quotes_takes_a_two_word_bare_clause_after_a_speech_verb() -> None:
    [quote] = _quotes("Tom Hale said it would not.", "en")
    assert (quote.text, quote.rule, quote.speaker_mention) == ("it would not", "verb-forward",
                                                               "Tom Hale")


def test_quotes_takes_a_bare_clause_opened_by_this() -> None:
    [quote] = _quotes("Many growers say this is only a dry spell.", "en")
    assert quote.text == "this is only a dry spell"


def test_quotes_keeps_an_english_passive_object_verb_without_an_agent() -> None:
    # the agentless-passive drop is German only (agent before the clause-final participle)
    quotes = _quotes("The harbour toll was widely praised as a fair compromise.", "en")
    assert [q.rule for q in quotes] == ["verb-object"]


def test_quotes_reads_a_passive_with_an_agent_as_its_subject_attributed_to_the_agent() -> None:
    [quote] = _quotes("The ferry timetable was first reported by the Island Courier.", "en")
    assert (quote.text, quote.rule) == ("The ferry timetable", "passive-agent")
    assert quote.speaker_mention == "the Island Courier"


def test_quotes_ends_forward_content_before_a_trailing_according_to() -> None:
    quotes = _quotes("Farmers believe the river will flood again, according to the survey.",
                     "en")
    assert "the river will flood again" in [q.text for q in quotes]


def test_quotes_reads_a_noun_cue_with_its_possessor_as_the_source() -> None:
    [quote] = _quotes("Mayor Lund's criticism of the toll, voiced twice, was sharp.", "en")
    assert (quote.text, quote.rule, quote.speaker_mention) == ("the toll", "noun-cue", "Lund's")


def test_quotes_leaves_narration_before_an_inverted_german_cue_out_of_the_content() -> None:
    text = ("In einem Gespräch mit Journalisten, das am Abend stattfand, sagte der Bürgermeister,"
            " man werde die Brücke im Frühjahr öffnen.")
    [quote] = _quotes(text, "de")
    assert quote.text == "man werde die Brücke im Frühjahr öffnen"
    assert quote.speaker_mention == "der Bürgermeister"


def test_quotes_keeps_reported_content_before_an_inverted_german_cue() -> None:
    text = "Die Lage sei ernst, sagte der Bürgermeister, man werde die Brücke sperren."
    [quote] = _quotes(text, "de")
    assert quote.text.startswith("Die Lage sei ernst")
    assert quote.text.endswith("die Brücke sperren")


def test_quotes_ends_german_forward_content_before_an_indicative_main_clause() -> None:
    text = ("Während der Bürgermeister ankündigte, den Plan prüfen zu lassen, hat der Stadtrat"
            " ihn schon abgelehnt.")
    [quote] = _quotes(text, "de")
    assert quote.text == "den Plan prüfen zu lassen"


def test_quotes_goes_on_with_german_forward_content_in_the_reported_mood() -> None:
    text = "Der Trainer sagte, die Mannschaft sei müde, habe aber noch Kraft."
    [quote] = _quotes(text, "de")
    assert quote.text == "die Mannschaft sei müde, habe aber noch Kraft"


def test_quotes_ends_german_forward_content_at_a_semicolon_or_a_colon_before_a_quotation() -> None:
    semicolon = "Die Zeugin gab an, dass der Fahrer zu schnell war; die Polizei prüft das noch."
    colon = "Die Ärztin erklärte, die Lage sei ernst: „Wir brauchen mehr Betten.“"
    assert _quotes(semicolon, "de")[0].text == "dass der Fahrer zu schnell war"
    assert [q.text for q in _quotes(colon, "de")] == ["die Lage sei ernst",
                                                       "Wir brauchen mehr Betten."]


def test_quotes_reads_a_german_comma_clause_with_its_verb_second_as_reported() -> None:
    text = "Der General erklärte hingegen, damit solle ein Machtvakuum vermieden werden."
    [quote] = _quotes(text, "de")
    assert quote.text == "damit solle ein Machtvakuum vermieden werden"
    assert quote.speaker_mention == "Der General"
    [forward] = _quotes("Der Verein teilte mit, die seien längst bezahlt worden.", "de")
    assert (forward.text, forward.rule) == ("die seien längst bezahlt worden", "verb-forward")


def test_quotes_starts_german_content_at_the_complementiser_after_a_quoted_name() -> None:
    text = "Am Montag verkündete der „Ruderclub Nord“ offiziell, dass er das Bootshaus verkauft."
    assert [q.text for q in _quotes(text, "de")] == ["dass er das Bootshaus verkauft"]


def test_quotes_reports_a_german_konjunktiv_i_sentence_with_no_source_before_it() -> None:
    text = ("Im Hafen von Kernau streiken seit Montag die Kranführer. Der Lohn liege deutlich"
            " unter dem Tarif. Die Verhandlungen seien gescheitert.")
    [quote] = _quotes(text, "de")
    assert quote.rule == "reported-free"
    assert quote.text == ("Der Lohn liege deutlich unter dem Tarif. Die Verhandlungen seien"
                          " gescheitert")


def test_quotes_leaves_german_konjunktiv_ii_and_first_person_sentences_unreported() -> None:
    conditional = "Im Hafen ist es ruhig. Ein Streik wäre für die Stadt teuer."
    first_person = "Im Hafen ist es ruhig. Ich habe dort drei Schiffe gezählt."
    assert _quotes(conditional, "de") == []
    assert _quotes(first_person, "de") == []


def test_quotes_reports_only_the_konjunktiv_clause_after_a_german_narrative_main_clause() -> None:
    text = ("Die Ministerin Eva Hahn sagte, die Steuer werde steigen. Die Gewerkschaft bleibt"
            " skeptisch, weil die Regierung sich festgelegt habe.")
    first, second = _quotes(text, "de")
    assert first.text == "die Steuer werde steigen"
    assert second.text == "weil die Regierung sich festgelegt habe"
    assert second.speaker_mention == "Die Gewerkschaft"


def test_quotes_reads_a_german_zu_infinitive_after_an_article_and_adjective_as_content() -> None:
    said = "Die Rektorin hat angekündigt, das alte Schulgebäude bis Juni zu sanieren."
    relative = "Die Rektorin lobte das Gebäude, das alte Fenster hat."
    [quote] = _quotes(said, "de")
    assert quote.text == "das alte Schulgebäude bis Juni zu sanieren"
    assert _quotes(relative, "de") == []


def test_quotes_takes_a_fronted_german_source_across_a_prepositional_phrase_or_relative() -> None:
    phrase = "Von den Ärzten in beiden Kliniken wird angenommen, dass das Virus mutiert ist."
    relative = ("In einer Erklärung, die am Abend erschien, wurde verkündet, dass die Brücke"
                " gesperrt bleibt.")
    assert _quotes(phrase, "de")[0].speaker_mention == "den Ärzten"
    assert _quotes(relative, "de")[0].speaker_mention == "einer Erklärung"


def test_quotes_keeps_the_clause_after_an_apposition_when_it_holds_a_second_cue() -> None:
    # "supports" must not read "said he fully" as its attribution and the subject as content
    [quote] = _quotes("Ms. Okafor, a pilot, said she supports the ferry.", "en")
    assert (quote.text, quote.rule) == ("she supports the ferry", "verb-forward")
    assert quote.speaker_mention == "Ms. Okafor"


def test_quotes_reads_a_verb_after_a_determiner_that_stands_alone_as_its_subject() -> None:
    quotes = _quotes("Many said the ferry was late again. One in three said the fares were fair.",
                     "en")
    assert [q.text for q in quotes] == ["the ferry was late again", "the fares were fair"]


def test_quotes_reaches_a_that_clause_over_a_long_adverbial_after_the_verb() -> None:
    [quote] = _quotes("The mayor said in a statement on Sunday that the pier will reopen.", "en")
    assert (quote.text, quote.speaker_mention) == ("that the pier will reopen", "The mayor")


def test_quotes_takes_a_trailing_common_noun_after_the_comma_as_the_speaker() -> None:
    # "harbourmaster" is no listed role: the subject must not fall back to "The ferry"
    [quote] = _quotes("The ferry will stop at noon, the harbourmaster said.", "en")
    assert (quote.text, quote.speaker_mention) == ("The ferry will stop at noon",
                                                   "the harbourmaster")


def test_quotes_makes_no_own_clause_quote_after_a_german_reportative_modal_or_auxiliary() -> None:
    before = "Der Architekt Jan Roth sagte, die Halle werde im Mai fertig. "
    modal = before + "Das neue Stadion soll 50 Meter hoch werden, es werde viel Geld kosten."
    conditional = before + "Hat der Rat zugestimmt, werde der Bau im Juni beginnen."
    _, claim = _quotes(modal, "de")
    assert (claim.text, claim.rule) == (
        "Das neue Stadion soll 50 Meter hoch werden, es werde viel Geld kosten",
        "reported-continuation")
    assert claim.speaker_name == "Architekt Jan Roth"
    assert [q.rule for q in _quotes(conditional, "de")] == ["verb-forward",
                                                            "reported-continuation"]


def test_quotes_reads_a_german_sentence_opening_wie_clause_in_the_perfect_tense() -> None:
    opening = "Wie der Verband mitgeteilt hat, wird das Turnier nicht in Kernau stattfinden."
    comparing = "Es folgte eine Rede, die so kurz war, wie man es nicht erwartet hatte."
    [quote] = _quotes(opening, "de")
    assert (quote.text, quote.rule) == ("wird das Turnier nicht in Kernau stattfinden",
                                        "verb-subordinate")
    assert quote.speaker_mention == "der Verband"
    assert _quotes(comparing, "de") == []


def test_quotes_keeps_a_german_konjunktiv_sentence_with_a_fronted_clause_in_one_quote() -> None:
    text = ("Der Sprecher Jan Roth sagte, die Halle sei geschlossen. Dort sei Wasser eingedrungen."
            " Weil der Strom ausfiel, sei die Pumpe stehen geblieben.")
    first, second = _quotes(text, "de")
    assert first.text == "die Halle sei geschlossen"
    assert second.text == ("Dort sei Wasser eingedrungen. Weil der Strom ausfiel, sei die Pumpe"
                           " stehen geblieben")
    assert second.speaker_name == "Jan Roth"


def test_quotes_reads_a_german_anaphor_before_the_verb_as_its_object_not_forward_content() -> None:
    text = ("Seit Montag ist die Brücke gesperrt. Das berichtete die Zeitschrift „Stadtblick“ in"
            " ihrer neuen Ausgabe.")
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.rule) == ("Seit Montag ist die Brücke gesperrt … Das",
                                        "verb-anaphoric")
    assert quote.speaker_mention == "die Zeitschrift „Stadtblick“"


def test_quotes_ends_german_according_to_content_with_its_inserted_relative_clause() -> None:
    text = ("Der Koffer, der nach Angaben der Polizei eine Bombe enthalten sollte, wurde am"
            " Bahnhof gefunden.")
    [quote] = _quotes(text, "de")
    assert quote.text == "der … eine Bombe enthalten sollte"
    assert quote.speaker_mention.startswith("Angaben der Polizei")


def test_quotes_takes_a_lower_case_german_quotation_fragment_as_a_direct_quote() -> None:
    fragment = "Die Wetterforscher rechnen am Wochenende mit „sehr heftigen Gewittern“."
    title = "Die Wetterforscher lesen am Wochenende die „Kernauer Zeitung“."
    [quote] = _quotes(fragment, "de")
    assert (quote.text, quote.type, quote.rule) == ("sehr heftigen Gewittern", QuoteType.DIRECT,
                                                    "direct-fragment")
    assert quote.speaker_mention == "Die Wetterforscher"
    assert _quotes(title, "de") == []


def test_quotes_reads_a_german_judgement_with_an_expletive_es_as_a_quote() -> None:
    judged = "Die Ingenieure halten es für möglich, dass die Brücke im Mai öffnet."
    narrated = "Es ist möglich, dass die Brücke im Mai öffnet."
    [quote] = _quotes(judged, "de")
    assert (quote.text, quote.rule) == ("dass die Brücke im Mai öffnet", "head-predicative")
    assert quote.speaker_mention == "Die Ingenieure"
    assert _quotes(narrated, "de") == []


def test_quotes_ends_german_content_before_an_unlisted_preterite_after_a_comma() -> None:
    verb = "Der Angeklagte erklärte, er sei unschuldig, verweigerte aber jede weitere Aussage."
    adjective = "Der Minister sagte, man werde bestimmte Steuern senken, bestimmte Zölle nicht."
    assert [q.text for q in _quotes(verb, "de")] == ["er sei unschuldig"]
    assert [q.text for q in _quotes(adjective, "de")] == [
        "man werde bestimmte Steuern senken, bestimmte Zölle nicht"]


def test_quotes_keeps_a_german_relative_clause_in_the_subject_inside_the_continued_quote() -> None:
    text = ("Der Sprecher Jan Roth sagte, die Halle sei geschlossen. Neue Pumpen der Stadtwerke,"
            " die das Wasser abgeleitet hätten, seien nicht geliefert worden.")
    first, second = _quotes(text, "de")
    assert second.text == ("Neue Pumpen der Stadtwerke, die das Wasser abgeleitet hätten, seien"
                           " nicht geliefert worden")
    assert second.speaker_name == first.speaker_name == "Jan Roth"


def test_quotes_keeps_a_german_content_ender_clause_in_the_reported_mood_as_content() -> None:
    reported = "Die Prüfer teilten mit, es gebe Mängel, wodurch die Brücke gesperrt werden müsse."
    narrated = "Die Prüfer teilten mit, es gebe Mängel, wodurch die Brücke gesperrt wurde."
    assert [q.text for q in _quotes(reported, "de")] == [
        "es gebe Mängel, wodurch die Brücke gesperrt werden müsse"]
    assert [q.text for q in _quotes(narrated, "de")] == ["es gebe Mängel"]


def test_quotes_reads_german_content_after_the_last_word_of_a_two_word_cue() -> None:
    [quote] = _quotes("Der Verband hat am Montag bekannt gegeben, dass die Preise steigen werden.",
                      "de")
    assert (quote.text, quote.speaker_mention) == ("dass die Preise steigen werden", "Der Verband")


def test_quotes_reads_ausschliessen_as_a_german_speech_verb() -> None:
    [quote] = _quotes("Die Ministerin schloss aus, dass die Steuern erhöht werden.", "de")
    assert (quote.text, quote.speaker_mention) == ("dass die Steuern erhöht werden",
                                                   "Die Ministerin")


def test_quotes_reports_a_german_sentence_whose_verb_speaks_of_something() -> None:
    reported = "Die Feuerwehr sprach am Abend von einem gewaltigen Schaden an der Halle."
    reflexive = "Der Bürgermeister sprach sich am Abend für einen Neubau der Halle aus."
    plain = "Der Bürgermeister sprach am Abend mit den Anwohnern der Halle."
    [quote] = _quotes(reported, "de")
    assert quote.text == "Die Feuerwehr sprach am Abend von einem gewaltigen Schaden an der Halle"
    assert quote.speaker_mention == "Die Feuerwehr"
    assert _quotes(reflexive, "de") == []
    assert _quotes(plain, "de") == []


def test_quotes_reads_german_content_after_a_passive_auxiliary_that_follows_the_cue() -> None:
    main = "Kritisiert wird in der Stadt vor allem, dass die Busse zu selten fahren."
    relative = ("Der Verband zitiert eine Stelle aus dem Gutachten, in der davon berichtet wird,"
                " dass die Brücke marode sei.")
    [criticised] = _quotes(main, "de")
    assert criticised.text == "dass die Busse zu selten fahren"
    [reported] = _quotes(relative, "de")
    assert (reported.text, reported.cue) == ("dass die Brücke marode sei", "berichtet")


def test_quotes_reads_no_german_content_after_an_auxiliary_that_ends_a_relative_clause() -> None:
    text = ("Die Pakete, die schon letzte Woche erwartet wurden, trafen mit Verspätung ein, da die"
            " Genehmigung zu spät beantragt worden war.")
    assert not any(q.text.startswith("trafen") for q in _quotes(text, "de"))
def test_quotes_reads_the_clause_after_an_english_hearer_not_the_hearer() -> None:
    [quote] = _quotes("Mayor Lund told reporters the bridge would open in May.", "en")
    assert (quote.text, quote.speaker_mention) == ("the bridge would open in May", "Mayor Lund")


def test_quotes_attributes_a_quotation_before_a_verb_and_its_hearer_to_the_speaker() -> None:
    text = '"The bridge will open in May," Mayor Lund told the Island Courier on Friday.'
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.speaker_mention) == ("The bridge will open in May", "Mayor Lund")


def test_quotes_never_takes_the_hearer_after_an_inserted_phrase_as_the_speaker() -> None:
    [quote] = _quotes("Ms. Ek, in contrast, told the Courier she was working on the timetable.",
                      "en")
    assert (quote.text, quote.speaker_mention) == ("she was working on the timetable", "Ms. Ek")


def test_quotes_reads_an_english_adjective_of_attitude_with_the_sentence_subject() -> None:
    [quote] = _quotes("Mayor Lund is skeptical of the harbour toll.", "en")
    assert (quote.text, quote.rule, quote.speaker_mention) == \
        ("the harbour toll", "noun-cue", "Mayor Lund")


def test_quotes_takes_the_framed_middle_field_as_subject_of_a_trailing_separable_verb() -> None:
    text = "Der Fährbetrieb ruht bis Freitag, teilte die zur Stadt gehörende Reederei mit."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.rule, quote.cue) == (
        "Der Fährbetrieb ruht bis Freitag", "verb-backward", "teilte mit")
    assert quote.speaker_mention == "die zur Stadt gehörende Reederei"


def test_quotes_reads_no_content_in_a_relative_clause_before_a_separable_verb() -> None:
    text = ("Der Bürgermeister, der den Plan zuerst als „Unsinn“ bezeichnete, ordnete nun eine"
            " Prüfung der Kosten durch den Rechnungshof an.")
    assert all(q.rule != "verb-backward" for q in _quotes(text, "de"))


def test_quotes_reads_a_german_zu_infinitive_that_opens_with_an_adverb_after_the_comma() -> None:
    text = ("Die Ministerin appellierte an die Eltern, allerdings keine Klage gegen die Schule"
            " zu erheben.")
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.cue) == ("allerdings keine Klage gegen die Schule zu erheben",
                                       "appellierte")


def test_quotes_reads_no_german_clause_after_an_adverb_without_a_zu_infinitive() -> None:
    text = "Die Ministerin appellierte an die Eltern, allerdings blieb die Schule geschlossen."
    assert not any(q.text.startswith("allerdings") for q in _quotes(text, "de"))


def test_quotes_continues_reported_speech_in_a_sentence_with_an_unlisted_konjunktiv_verb() -> None:
    text = ("Der Bürgermeister sagte, die Brücke werde im Mai gesperrt. Der Umbau dauere"
            " mindestens drei Monate.")
    continued = _by_text(_quotes(text, "de"))["Der Umbau dauere mindestens drei Monate"]
    assert (continued.rule, continued.speaker_mention) == (
        "reported-continuation", "Der Bürgermeister")


def test_quotes_continues_reported_speech_after_an_adverb_and_an_unlisted_konjunktiv() -> None:
    text = ("Die Sprecherin sagte, die Partei sei zufrieden. Jedoch ruhe die Arbeit des"
            " Ausschusses bis zum Herbst.")
    assert "Jedoch ruhe die Arbeit des Ausschusses bis zum Herbst" in _by_text(_quotes(text, "de"))


def test_quotes_reads_no_reported_speech_in_a_sentence_with_a_weak_preterite() -> None:
    text = ("Die Sprecherin sagte, die Partei sei zufrieden. Danach tagte der Ausschuss bis"
            " zum Abend.")
    assert not any("tagte" in q.text for q in _quotes(text, "de"))


def test_quotes_takes_the_whole_sentence_when_the_cue_clause_is_itself_reported() -> None:
    text = ("Die Stadt legte den Haushalt vor. Ferner habe der Kämmerer festgestellt, dass die"
            " Schulden im Jahr gesunken seien.")
    assert "Ferner habe der Kämmerer festgestellt, dass die Schulden im Jahr gesunken seien" \
        in _by_text(_quotes(text, "de"))


def test_quotes_keeps_only_the_clause_after_a_first_person_cue() -> None:
    [quote] = _quotes("Gestern habe ich erklärt, dass die Station schließt.", "de")
    assert quote.text == "dass die Station schließt"


def test_quotes_ends_content_of_a_fronted_clause_opened_after_a_comma_or_coordinator() -> None:
    text = ("Last week, when the mayor said the ferry would run all winter, the harbour crew"
            " laughed. But when asked whether the toll would rise, the captain Ida Berg smiled.")
    texts = [q.text for q in _quotes(text, "en")]
    assert "the ferry would run all winter" in texts
    assert "whether the toll would rise" in texts
    assert not any("laughed" in t or "smiled" in t for t in texts)


def test_quotes_keeps_content_of_a_cue_after_that_when_to_the_sentence_end() -> None:
    [quote] = _quotes("Ida Berg said that when farmers believe the river will flood, they leave.",
                      "en")
    assert quote.text == "that when farmers believe the river will flood, they leave"


def test_quotes_prefers_an_english_object_verb_that_holds_another_attribution() -> None:
    text = "The union started a petition calling on city councillors to support the ferry levy."
    quotes = _quotes(text, "en")
    assert [q.text for q in quotes] == ["city councillors to support the ferry levy"]


def test_quotes_keeps_a_coordinated_attribution_after_an_object_of_its_own() -> None:
    text = "Mayor Lund praised the harbour crew and said the ferry levy would pass."
    texts = [q.text for q in _quotes(text, "en")]
    assert "the ferry levy would pass" in texts
    assert not any("and said" in t for t in texts)


def test_quotes_ends_a_fronted_clause_at_a_comma_set_inside_closing_marks() -> None:
    text = "Asked whether the ferry was “safe enough,” most islanders said yes."
    texts = [q.text for q in _quotes(text, "en")]
    assert any(t.startswith("whether the ferry was") for t in texts)
    assert not any("islanders" in t for t in texts)


def test_quotes_ends_english_content_at_a_comma_before_another_subject_and_cue() -> None:
    text = "Most councillors have said they back the ferry levy, nine have said they oppose it."
    texts = [q.text for q in _quotes(text, "en")]
    assert "they back the ferry levy" in texts
    assert "they oppose it" in texts


def test_quotes_ends_english_content_at_a_semicolon_before_another_subject_and_cue() -> None:
    text = "The mayor said the ferry levy would pass; the harbour board says it will fail."
    texts = [q.text for q in _quotes(text, "en")]
    assert "the ferry levy would pass" in texts
    assert "it will fail" in texts


def test_quotes_reads_no_fronted_prepositional_phrase_as_english_content() -> None:
    text = "At the harbour meeting, Lund blasted Berg for “ignoring” the ferry crews."
    texts = [q.text for q in _quotes(text, "en")]
    assert any(t.endswith("the ferry crews") for t in texts)
    assert not any("harbour meeting" in t for t in texts)


def test_quotes_starts_an_english_told_clause_at_that_after_the_hearer_and_an_adverbial() -> None:
    text = ("The mayor told The Harbor Gazette on Monday that the bridge would reopen in"
            " June.")
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule) == ("that the bridge would reopen in June", "verb-forward")
    assert quote.speaker_mention == "The mayor"


def test_quotes_takes_a_long_titled_subject_after_a_quotation_closed_by_a_comma() -> None:
    text = ("The ferry levy is back. “We will not pay it twice,” harbour board chair Anna"
            " Lund told reporters in Kernau.")
    quote = _by_text(_quotes(text, "en"))["We will not pay it twice"]
    assert (quote.rule, quote.cue) == ("verb-backward", "told")
    assert quote.speaker_name == "Anna Lund"


def test_quotes_keeps_the_short_subject_reach_after_a_quotation_with_no_comma() -> None:
    text = ("In a statement on Saturday, the board said the crew’s actions were “completely"
            " unacceptable” and that the harbour office would continue to investigate.")
    texts = [q.text for q in _quotes(text, "en")]
    assert "the crew’s actions were “completely unacceptable” and that the harbour office" \
        " would continue to investigate" in texts


def test_quotes_reads_no_hearer_as_content_after_a_quotation_and_its_speaker() -> None:
    text = ("The ferry levy is back. “We will not pay it twice,” Lund, the harbour chair, told"
            " the Kernau Courier on Friday.")
    [quote] = _quotes(text, "en")
    assert (quote.text, quote.rule, quote.cue) == ("We will not pay it twice", "verb-backward",
                                                   "told")
    assert quote.speaker_name.startswith("Lund")


def test_quotes_leaves_a_time_adverbial_after_an_english_verb_out_of_the_content() -> None:
    texts = [q.text for q in _quotes("The mayor said Tuesday the bridge would reopen in June.",
                                     "en")]
    assert texts == ["the bridge would reopen in June"]
    [quote] = _quotes("“The bridge will reopen,” the mayor said Thursday night.", "en")
    assert (quote.text, quote.rule) == ("The bridge will reopen", "verb-backward")
    [promise] = _quotes("The mayor promised Monday to reopen the bridge by June.", "en")
    assert promise.text == "to reopen the bridge by June"


def test_quotes_leaves_a_raising_verb_and_its_auxiliaries_out_of_the_content() -> None:
    [quote] = _quotes("The ferry plan must have seemed like a smart move.", "en")
    assert (quote.text, quote.rule) == ("The ferry plan … like a smart move", "verb-raising")
    [pronoun] = _quotes("That seems unlikely to change.", "en")
    assert pronoun.text == "That … unlikely to change"
def test_quotes_takes_the_zu_infinitive_after_a_german_noun_of_demanding_as_its_content() -> None:
    genitive = ("Die Anwohner begrüßten die Forderung des Bürgermeisters Karl Ende, "
                "die Brücke bis zum Sommer zu sanieren.")
    purpose = "Der Verein sammelte Spenden, um die Brücke zu sanieren."
    [quote] = _quotes(genitive, "de")
    assert (quote.text, quote.rule) == ("die Brücke bis zum Sommer zu sanieren", "head-infinitive")
    assert quote.speaker_name == "Karl Ende"
    assert _quotes(purpose, "de") == []


def test_quotes_gives_a_german_noun_of_demanding_without_genitive_the_clause_subject() -> None:
    text = "Die Feuerwehr erteilte den Anwohnern den Befehl, die Fenster geschlossen zu halten."
    [quote] = _quotes(text, "de")
    assert quote.text == "die Fenster geschlossen zu halten"
    assert quote.speaker_mention == "Die Feuerwehr"


@pytest.mark.parametrize(("text", "content", "cue", "mention"), [
    ("Der Anwalt Jens Pohl erwägt, gegen das Urteil in Berufung zu gehen.",
     "gegen das Urteil in Berufung zu gehen", "erwägt", "Der Anwalt Jens Pohl"),
    ("Die Umweltverbände drängten den Minister, das Kraftwerk früher abzuschalten.",
     "das Kraftwerk früher abzuschalten", "drängten", "Die Umweltverbände"),
], ids=["deciding", "urging"])
def test_quotes_reads_a_german_verb_of_deciding_or_urging_with_a_zu_infinitive_as_a_quote(
        text: str, content: str, cue: str, mention: str) -> None:
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.cue, quote.speaker_mention) == (content, cue, mention)


def test_quotes_gives_a_german_passive_cue_the_agent_as_speaker() -> None:
    text = "Die Anwohner wurden von der Feuerwehr Lindau angewiesen, die Fenster zu schließen."
    [quote] = _quotes(text, "de")
    assert quote.text == "die Fenster zu schließen"
    assert quote.speaker_mention.endswith("Feuerwehr Lindau")


def test_quotes_reads_no_sentence_initial_german_adverbial_as_the_speaker() -> None:
    text = "Sinngemäß erklärte die Stadtverwaltung, die Brücke werde im Mai eröffnet."
    [quote] = _quotes(text, "de")
    assert quote.text == "die Brücke werde im Mai eröffnet"
    assert quote.speaker_mention == "die Stadtverwaltung"


def test_quotes_adds_no_noun_content_where_a_cue_already_took_the_zu_infinitive() -> None:
    text = "Die Beamten wurden in einer Weisung der Botschaft aufgefordert, die Stadt zu verlassen."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.cue) == ("die Stadt zu verlassen", "aufgefordert")


def test_quotes_reports_the_whole_sentence_of_a_german_verb_of_pointing_to_a_reason() -> None:
    text = "Die Stadt Lindau verwies auf die hohen Kosten der Brücke."
    [quote] = _quotes(text, "de")
    assert (quote.text, quote.rule, quote.cue) == (text.rstrip("."), "verb-object", "verwies")
    assert quote.speaker_mention == "Die Stadt Lindau"
