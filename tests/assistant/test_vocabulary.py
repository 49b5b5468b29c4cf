import doctest
import unicodedata

import pytest

from assistant import vocabulary
from assistant.errors import DataFileError
from assistant.form_schema import load_form_schema
from assistant.vocabulary import LEXICON_PATH, load_lexicon, parse_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_docstring_examples():
    assert doctest.testmod(vocabulary).failed == 0


def test_lexicon_parses_with_enough_entries(lexicon):
    assert len(lexicon.entries) >= 60
    assert all(entry.everyday and entry.terms for entry in lexicon.entries)


def test_every_form_term_occurs_in_the_samples(lexicon, sample_text):
    missing = [term for term in lexicon.terms if unicodedata.normalize("NFKC", term).lower() not in sample_text]
    assert missing == [], f"lexicon form words not found in any sample 評価書: {missing}"


def test_families_exist_in_the_form_schema(lexicon):
    families = set(load_form_schema().family_names)
    assert {entry.family for entry in lexicon.entries if entry.family} <= families


@pytest.mark.parametrize("question, expected", [
    ("山口市の介護保険で、私の情報は外部の会社に渡されますか", "委託"),
    ("開示請求はタダですか", "無料"),
    ("職員がのぞいたら分かる?", "使用の記録"),
    ("下請けに出していますか", "再委託"),
    ("引っ越したらどうなりますか", "転出"),
    ("いつまで保存されるの", "保管期間"),
    ("情報が漏れたことはある?", "漏えい"),
    ("捨てるときはどうするの", "廃棄"),
    ("問い合わせ先の電話番号は", "問合せ"),
    ("何人分の情報がありますか", "対象となる本人の数"),
    ("事故はありましたか", "重大事故"),
])
def test_everyday_words_expand_to_form_words(lexicon, question, expected):
    assert expected in lexicon.expand(question).terms


def test_no_expansion_without_everyday_words(lexicon):
    expansion = lexicon.expand("AGS株式会社")
    assert expansion.terms == () and expansion.families == ()


def test_matching_is_after_nfkc(lexicon):
    assert "フラッシュメモリ" in lexicon.expand("ＵＳＢに保存しますか").terms


@pytest.mark.parametrize("text, message", [
    ("外部の会社\t委託\n", "header"),
    ("everyday\tform\tfamily\tnote\n外部の会社\n", "columns"),
    ("everyday\tform\tfamily\tnote\n外部の会社\t\t委託\n", "need a word"),
    ("everyday\tform\tfamily\tnote\na\tb\tc\td\te\n", "columns"),
    ("# only comments\n", "header"),
])
def test_malformed_lexicon(text, message):
    with pytest.raises(DataFileError, match=message):
        parse_lexicon(text, "test.tsv")


def test_unreadable_lexicon(tmp_path):
    with pytest.raises(DataFileError):
        load_lexicon(tmp_path / "missing.tsv")
    assert LEXICON_PATH.exists()


def test_no_everyday_word_is_listed_twice(lexicon):
    words = [word for entry in lexicon.entries for word in entry.everyday]
    assert sorted(word for word in set(words) if words.count(word) > 1) == []


@pytest.mark.parametrize("question, expected", [
    ("システムのメンテナンスは誰がしていますか", "保守"),
    ("市役所の別の課にも私の情報が行きますか", "移転"),
    ("職員がデータを家に持ち帰ることはできますか", "持ち出し"),
    ("間違えて別の人に送ってしまうことはありませんか", "誤った相手"),
    ("届け出た人が本人かどうか、なりすましを防いでいますか", "本人確認"),
    ("亡くなった人の情報はどうなりますか", "死者の個人番号"),
    ("会社を選ぶときに何を確認しましたか", "情報保護管理体制の確認"),
    ("なぜ重点項目なのですか", "しきい値判断結果"),
    ("住民税の情報はどの課に回されるのですか", "移転"),
    ("窓口で職員が書いたメモはどうなるの", "紙"),
    ("職員が見たらその記録は残りますか", "使用の記録"),
    ("所属長の記載が改められたのはいつ", "変更日"),
])
def test_more_everyday_words(lexicon, question, expected):
    assert expected in lexicon.expand(question).terms


@pytest.mark.parametrize("question, unexpected", [
    ("払いすぎたお金はどう戻ってくるのですか", "手数料"),  # お金 alone is not the 手数料 of a 開示請求
    ("介護保険の窓口で書いたメモはどうなるの", "連絡先"),  # 窓口で says where, not whom to ask
])
def test_context_words_do_not_expand(lexicon, question, unexpected):
    assert unexpected not in lexicon.expand(question).terms


@pytest.mark.parametrize("question, expected", [
    ("職員のパソコンが盗まれたらどうなるの", "盗難防止"),
    ("窓口で画面をのぞき見されませんか", "盗み見防止"),
    ("職員が席を外したとき画面はどうなるの", "画面ロック"),
    ("古いパソコンを捨てるときデータはどうするの", "物理破壊"),
    ("書類は最後に燃やすのですか", "焼却"),
    ("結婚で名前が変わったら情報も直るの", "異動"),
    ("役所に行かなくてもスマホで手続きできますか", "電子申請"),
    ("委託が終わったらデータは返してもらうの", "返却"),
    ("市外の人の申告書が届いたらどうするの", "住登外者"),
    ("職員が仕事以外で私の情報を見ないか心配", "事務外"),
    ("添付書類が要らなくなるのですか", "添付書類"),
    ("住民の意見はどう反映されたの", "評価書への反映"),
    # everyday verbs and nouns of resident questions
    ("委託先の会社がデータをコピーすることはあるの", "複写"),
    ("委託先の会社がデータをコピーすることはあるの", "複製"),
    ("仕事を請けた会社はどこですか", "委託先"),
    ("事情があって税金を減らしてほしいときは", "減免"),
    ("年金からの天引きが止まるのはなぜ", "停止"),
    ("職員がほかの人のIDを使わないようにしているの", "ユーザーID"),
    ("用もないのに職員が私の情報を調べませんか", "業務上必要のない"),
    ("サーバーの部屋に入る権限のない人はどうするの", "入退室管理"),
    ("前に住んでいた市に問い合わせるのですか", "照会"),
    ("USBメモリで渡すことはありますか", "電子記録媒体"),
    ("別の課に異動した職員はまだ見られるの", "人事異動"),
    ("住民税の課から別の課に情報を渡すときは", "他部署"),
])
def test_everyday_words_across_the_form(lexicon, question, expected):
    assert expected in lexicon.expand(question).terms


def test_ambiguous_words_stay_narrow(lexicon):
    # ふるさと納税 is asked about both 記録項目 and 提供; it is left to the question's own words
    assert "生命保険料控除" not in lexicon.expand("ふるさと納税をしたら住んでいる市に連絡が行くの").terms
    # どんな機関 asks about 提供 (other bodies), not 移転 inside the city hall
    assert "移転先" not in lexicon.expand("どんな機関に提供するの").terms
    # a city the resident moves to, or lives in now, asks (提供), it is not where data comes from (入手)
    assert "照会" not in lexicon.expand("転居先の自治体から問い合わせがあったら教えるの").terms
    assert "照会" not in lexicon.expand("ふるさと納税をしたら住んでいる市に連絡が行くの").terms
    # バックアップ is about keeping data; a plain コピー is not
    assert "バックアップ" not in lexicon.expand("勝手にコピーしてもいいの").terms
