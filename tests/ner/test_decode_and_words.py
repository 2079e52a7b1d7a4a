from __future__ import annotations

import numpy as np
import pytest

from babelwire.ner import LABELS, viterbi_iob2, word_spans
from babelwire.ner.decode import chunks
from babelwire.ner.words import tokenizer_run_splitter


def _log_probs(rows: list[dict[str, float]]) -> np.ndarray:
    out = np.full((len(rows), len(LABELS)), -20.0)
    for i, row in enumerate(rows):
        for label, value in row.items():
            out[i, LABELS.index(label)] = value
    return out


def test_viterbi_never_lets_i_follow_o_or_another_type() -> None:
    # argmax per word would read "O I-PER I-LOC"
    tags = viterbi_iob2(_log_probs([{"O": -0.1}, {"I-PER": -0.2, "B-PER": -0.3},
                                    {"I-LOC": -0.2, "I-PER": -0.4}]))
    assert tags == ["O", "B-PER", "I-PER"]


def test_viterbi_of_no_words_is_empty() -> None:
    assert viterbi_iob2(np.zeros((0, len(LABELS)))) == []


def test_chunks_follow_conlleval_for_ill_formed_tags() -> None:
    assert chunks(["I-PER", "I-PER", "O", "B-LOC", "I-ORG"]) == [
        (0, 1, "PER"), (3, 3, "LOC"), (4, 4, "ORG")]


def test_word_spans_keep_inner_hyphens_apostrophes_and_split_punctuation() -> None:
    text = "Jean-Luc O'Neill (AP) sa: «Nei.»"
    assert [text[a:b] for a, b in word_spans(text)] == [
        "Jean-Luc", "O'Neill", "(", "AP", ")", "sa", ":", "«", "Nei", ".", "»"]


def test_word_spans_cut_han_and_kana_into_characters_and_keep_cyrillic_words() -> None:
    text = "习近平在北京 Михаил Мишустин"
    words = [text[a:b] for a, b in word_spans(text)]
    assert words == ["习", "近", "平", "在", "北", "京", "Михаил", "Мишустин"]


def test_word_spans_cut_unspaced_runs_where_the_splitter_cuts_them() -> None:
    text = "习近平在北京。Putin"
    words = [text[a:b] for a, b in word_spans(text, lambda run: [3, 1, 2])]
    assert words == ["习近平", "在", "北京", "。", "Putin"]


def test_word_spans_fall_back_to_characters_when_the_splitter_lengths_do_not_add_up() -> None:
    text = "北京"
    assert [text[a:b] for a, b in word_spans(text, lambda run: [5])] == ["北", "京"]


def test_tokenizer_splitter_cuts_a_han_run_into_the_tokenizers_pieces() -> None:
    from babelwire.encoder import Tokenizer, load_weights

    tokenizer = Tokenizer(load_weights().tokenizer)
    run = "中华人民共和国国务院总理李强在北京表示"
    lengths = tokenizer_run_splitter(tokenizer)(run)
    assert sum(lengths) == len(run) and 1 < len(lengths) < len(run)


@pytest.mark.parametrize(("name", "length"), [
    ("Barack Obama's", 2), ("Obama’s", 2), ("Reuters'", 1), ("Obama", 0), ("D'Alema", 0),
    ("O'Neill", 0), ("Côte d'Ivoire", 0)])
def test_a_possessive_ending_is_cut_off_a_mention_but_an_inner_apostrophe_is_not(
        name: str, length: int) -> None:
    from babelwire.ner.tagger import possessive_length

    assert possessive_length(name) == length


@pytest.mark.parametrize(("name", "bare"), [
    ("l’Élysée", "Élysée"), ("dell’Arpal", "Arpal"), ("d'Alema", "Alema"),
    ("wydawnictwa Znak", "Znak"), ("ministra Kowalski", "Kowalski"),
    ("de Gaulle", "de Gaulle"), ("della Rovere", "della Rovere"),
    ("von der Leyen", "von der Leyen"), ("al-Assad", "al-Assad"), ("D'Alema", "D'Alema"),
    ("O’Neill", "O’Neill"), ("l’europe", "l’europe"), ("Vakbond FNV", "Vakbond FNV")])
def test_an_elided_article_or_common_noun_opening_a_mention_is_cut_but_a_particle_is_not(
        name: str, bare: str) -> None:
    from babelwire.ner.tagger import leading_common_length

    assert name[leading_common_length(name):] == bare
