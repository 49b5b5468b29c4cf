import doctest

import numpy as np

from assistant import ngrams
from assistant.ngrams import char_ngrams, corpus_ngram_codes, decode, ngram_codes, normalize


def test_docstring_examples():
    assert doctest.testmod(ngrams).failed == 0


def test_normalize_folds_width_and_case():
    assert normalize("ＡＧＳ株式会社") == "ags株式会社"
    assert normalize("ｶﾀｶﾅ") == "カタカナ"
    assert normalize("③委託先名") == "3委託先名"


def test_bigrams_do_not_cross_breaks():
    assert char_ngrams("委 託", orders=(2,)) == []
    assert char_ngrams("<p>委託</p>", orders=(2,)) == ["委託"]
    assert "託・" not in char_ngrams("委託・再委託")


def test_word_characters_include_kana_digits_and_iteration_mark():
    assert char_ngrams("各々", orders=(2,)) == ["各々"]
    assert char_ngrams("ヶ月5年", orders=(2,)) == ["ヶ月", "月5", "5年"]


def test_trigrams_and_order_checks():
    assert char_ngrams("委託先", orders=(3,)) == ["委託先"]
    for bad in [(0,), (4,), ()]:
        try:
            ngram_codes("x", bad)
        except ValueError:
            continue
        raise AssertionError(f"orders {bad} accepted")


def test_corpus_codes_match_single_texts():
    texts = ["委託先名", "", "AGS株式会社", "保管期間 5年"]
    codes, rows = corpus_ngram_codes(texts)
    for row, text in enumerate(texts):
        assert sorted(codes[rows == row].tolist()) == sorted(ngram_codes(text).tolist())


def test_decode_round_trip():
    for gram in ["委", "委託", "委託先", "a1"]:
        points = [ord(char) for char in gram]
        code = 0
        for point in points:
            code = code * ngrams.BASE + point
        assert decode(np.int64(code)) == gram
