"""Property tests: the text stages never raise, stay inside the text, and repeat themselves.

Inputs mix hostile characters (lone surrogates, controls, bidi overrides, combining
marks, CJK, quotation marks of many languages) with the fragments the rules look for
(cue verbs, datelines, capitalised names, line breaks), so the generated texts reach
the rules rather than only their guards. Hypothesis runs a bounded number of examples
and shrinks a failure to a small text; no timing is asserted.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from babelwire.encoder import Encoder
from babelwire.encoder.tokenizer import Tokenizer
from babelwire.quotes.extractor import QuoteExtractor
from babelwire.quotes.layout import PUNCTUATION_AS_READ, build_layout
from babelwire.stages._language_detector import UND, LanguageDetector
from babelwire.stages.segment import SegmentStage

pytestmark = pytest.mark.reliability("fuzzing")

FRAGMENTS = [
    " ", "\n", "\n\n", ". ", ", ", ": ", "\t", '"', "“", "”", "„", "«", "»", "‹", "›", "「", "」",
    "『", "』", "'", "‘", "’", "—", "– ", "-", "(", ")", "?", "!", "…", " said ", " says ",
    " sagte ", " a déclaré ", " заявил ", " dijo ", " zei ", " sa ", " powiedział ", "表示", "说",
    "The minister", "Angela Merkel", "Jonas Gahr Støre", "Мишустин", "he", "she", "er", "sie",
    "BERLIN (dpa) - ", "OSLO (NTB): ", "3 uur geleden", "Foto: NTB", "Meer uit Binnenland",
    "Von Anna Schmidt", "By John Smith", "\u202e", "\u2066", "\u2069", "\u200f", "\u0301",
    "\ud800", "\udfff", "\x00", "\x0c", "\x85", "\u2028", "\ufeff", "ﷺ", "𝔘𝔫𝔦", "😀",
    "中华人民共和国", "東京都", "서울", "العربية", "עברית", "ภาษาไทย", "Z̸̢", "A.", "Dr.",
]
NEWSY = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                           st.text(st.characters(blacklist_categories=()), max_size=12)),
                 max_size=60).map("".join)
BOUNDED = settings(max_examples=150, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LEXICON_LANGUAGES = ["en", "de", "fr", "ru", "nb", "zh", "ar", "ja"]


@pytest.fixture(scope="module")
def segmenter() -> SegmentStage:
    return SegmentStage()


@pytest.fixture(scope="module")
def extractor() -> QuoteExtractor:
    return QuoteExtractor()


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Encoder().tokenizer


def _inside(span: tuple[int, int], text: str) -> bool:
    return 0 <= span[0] <= span[1] <= len(text)


@BOUNDED
@given(text=NEWSY)
def test_segmentation_never_raises_keeps_only_input_lines_and_repeats_itself(
        segmenter: SegmentStage, text: str) -> None:
    found = segmenter.segment(text)
    input_lines = set(text.replace("\r\n", "\n").split("\n"))
    assert set(found.body.split("\n")) <= input_lines | {""}
    assert all(caption in text for caption in found.captions)
    assert all(subheading in text for subheading in found.subheadings)
    assert found == segmenter.segment(text)


@BOUNDED
@given(text=NEWSY)
@example(text="！")
@example(text="他说，“好！”؟")
def test_layout_tokens_and_sentences_are_slices_of_the_text_in_order(text: str) -> None:
    # A token's text is its slice, with the stops and commas of other scripts
    # ("！", "，", "؟") read as their ASCII counterparts.
    for spaced in (True, False):
        layout = build_layout(text, spaced=spaced)
        assert all(text[t.start:t.end].translate(PUNCTUATION_AS_READ) == t.text
                   for t in layout.tokens)
        assert [t.start for t in layout.tokens] == sorted(t.start for t in layout.tokens)
        assert all(_inside((s.start, s.end), text) for s in layout.sentences)
        assert all(0 <= s.first_token <= s.last_token <= len(layout.tokens)
                   for s in layout.sentences)


@BOUNDED
@given(text=NEWSY, language=st.sampled_from(LEXICON_LANGUAGES))
def test_quote_spans_are_inside_the_text_and_extraction_repeats_itself(
        extractor: QuoteExtractor, text: str, language: str) -> None:
    quotes = extractor.extract(text, language)
    for quote in quotes:
        spans = [*quote.spans, *quote.speaker_spans, *quote.cue_spans]
        assert all(_inside(span, text) for span in spans), (quote, len(text))
        assert all(start < end for start, end in quote.spans)
        assert 0.0 <= quote.confidence <= 1.0
        if quote.speaker_spans and quote.speaker_mention:
            assert text[quote.speaker_spans[0][0]:quote.speaker_spans[-1][1]].strip()
    assert quotes == extractor.extract(text, language)


@BOUNDED
@given(text=NEWSY)
def test_language_id_answers_a_code_it_knows_or_und_with_a_score_in_0_1(
        detector: LanguageDetector, text: str) -> None:
    detection = detector.detect(text)
    assert detection.lang in detector.known | {UND}
    assert 0.0 <= detection.score <= 1.0
    assert detection == detector.detect(text)


@BOUNDED
@given(text=NEWSY)
def test_tokenizer_ids_are_in_the_vocabulary_framed_and_cover_the_text(
        tokenizer: Tokenizer, text: str) -> None:
    ids = tokenizer.encode(text)
    pieces = tokenizer.model.pieces
    assert (ids[0], ids[-1]) == (tokenizer.bos, tokenizer.eos)
    assert all(0 <= i < len(pieces) for i in ids)
    content = ids[1:-1]
    normalised = tokenizer.normalise(text)
    assert len(content) <= len(normalised)
    if tokenizer.model.unk not in content:  # every piece is text: they spell it exactly
        assert b"".join(pieces[i] for i in content) == normalised.encode("utf-8",
                                                                         "surrogatepass")
    assert ids == tokenizer.encode(text)
