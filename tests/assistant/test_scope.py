import doctest
import json

import pytest

from assistant import scope
from assistant.errors import DataFileError
from assistant.scope import ScopeDetector, city_names, load_scope_words


@pytest.fixture(scope="module")
def detector(corpus):
    return ScopeDetector(corpus[1])


def test_docstring_examples():
    assert doctest.testmod(scope).failed == 0


def test_city_names():
    assert city_names("和光市", "和光市長") == ("和光市長", "和光市", "和光")
    assert city_names("津市", "津市長") == ("津市長", "津市")  # no one-character stem


@pytest.mark.parametrize("question, city, jimu_word", [
    ("山口市の介護保険で、私の情報は外部の会社に渡されますか", "山口市", "介護保険"),
    ("山口の介護保険の委託先は", "山口市", "介護保険"),
    ("和光市の滞納整理システムの保守の委託先は", "和光市", "滞納"),
    ("花巻市の住民税の情報は誰に渡されますか", "花巻市", "住民税"),
    ("岡山市北区に住んでいますが、税の滞納の記録は", "岡山市", "税の滞納"),
])
def test_known_city_and_jimu(detector, corpus, question, city, jimu_word):
    detection = detector.detect(question)
    assert detection.scope.city == city
    assert detection.jimu_words == (jimu_word,)
    assert detection.unknown_city is None and detection.unknown_jimu is None
    documents = {doc.doc_id: doc for doc in corpus[1]}
    assert [documents[doc_id].city for doc_id in detection.scope.doc_ids] == [city]
    assert detection.scope.jimu == documents[detection.scope.doc_ids[0]].jimu


def test_prefecture_is_not_the_city(detector):
    assert detector.detect("山口県国民健康保険団体連合会とは何ですか").scope.city is None


@pytest.mark.parametrize("question, unknown", [
    ("横浜市の介護保険の委託先は", "横浜市"),
    ("京都市では住民票の情報をどこに渡していますか", "京都市"),
    ("東京都港区の住民税", "港区"),
    ("四日市市の介護保険", "四日市市"),
    ("ニセコ町の住民税", "ニセコ町"),
    ("熊本市に住んでいます。住民税の問い合わせ先は", "熊本市"),  # ends like 本市 (this city), but is a city
    ("松本市の介護保険", "松本市"),
])
def test_city_not_in_corpus_is_reported(detector, question, unknown):
    detection = detector.detect(question)
    assert detection.unknown_city == unknown
    assert detection.scope.city is None


@pytest.mark.parametrize("question", [
    "市区町村の委託先はどう決めますか", "介護保険の区分は", "本市の委託先は", "各市区町村に提供しますか",
    "岡山市北区の滞納", "本市税の滞納について花巻市では",
])
def test_words_ending_in_place_suffixes_are_not_cities(detector, question):
    assert detector.detect(question).unknown_city is None


def test_jimu_missing_in_the_named_city(detector):
    detection = detector.detect("和光市の介護保険の委託先は")
    assert detection.scope.city == "和光市" and detection.unknown_jimu == "介護保険"
    assert all(doc_id.startswith("wako") for doc_id in detection.scope.doc_ids)


def test_jimu_without_city_scopes_every_city_with_it(detector):
    detection = detector.detect("住民票の写しはどこに提供されますか")
    assert detection.unknown_jimu == "住民票" and detection.scope.doc_ids == ()
    detection = detector.detect("介護保険の委託先はどこですか")
    assert detection.scope.city is None and detection.scope.doc_ids == ("yamaguchi-kaigo-hoken-juten",)


def test_two_cities_keep_each_citys_documents(detector):
    detection = detector.detect("花巻市と和光市の住民税を比べて")
    assert detection.scope.city is None
    assert set(detection.scope.doc_ids) == {"hanamaki-kojin-juminzei-juten", "wako-tainou-taisaku-juten"}


def test_no_scope_words(detector):
    detection = detector.detect("委託先はどこですか")
    assert detection.scope.city is None and detection.scope.doc_ids == () and detection.city_words == ()


def test_malformed_scope_files(tmp_path):
    good_places = scope.PLACE_WORDS_PATH
    bad = tmp_path / "jimu.json"
    bad.write_text(json.dumps({"version": 1, "jimu": [{"keywords": [], "aliases": ["介護"]}]}), encoding="utf-8")
    with pytest.raises(DataFileError, match="keywords"):
        load_scope_words(bad, good_places)
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError):
        load_scope_words(bad, good_places)
    bad.write_text(json.dumps({"version": 2, "jimu": []}), encoding="utf-8")
    with pytest.raises(DataFileError, match="version"):
        load_scope_words(bad, good_places)


@pytest.mark.parametrize("question, city", [
    ("和光市の税金の滞納について", "和光市"),
    ("花巻市の税金はどう計算されますか", "花巻市"),
    ("市民税を払わないと岡山市はどうしますか", "岡山市"),
])
def test_broad_tax_words_fall_back_to_the_citys_tax_document(detector, question, city):
    detection = detector.detect(question)
    assert detection.scope.city == city and len(detection.scope.doc_ids) == 1
    assert detection.unknown_jimu is None and detection.scope.jimu is not None


def test_a_specific_jimu_word_wins_over_a_broad_one(detector):
    detection = detector.detect("税金の滞納について")
    assert detection.jimu_words == ("滞納",)
    assert {doc_id.split("-")[0] for doc_id in detection.scope.doc_ids} == {"wako", "okayama"}


@pytest.mark.parametrize("question", ["政令指定都市と一般市で違いはありますか", "大都市の委託先はどこですか"])
def test_kinds_of_city_are_not_city_names(detector, question):
    assert detector.detect(question).unknown_city is None


def test_jimu_aliases_cover_common_my_number_jimu():
    words = load_scope_words()
    aliases = {alias for entry in words.jimu for alias in entry.aliases}
    for word in ("住民票", "介護", "住民税", "滞納", "国保", "後期高齢者", "児童手当", "生活保護", "障害者",
                 "予防接種", "戸籍", "難病", "子ども医療費", "給付金", "税金"):
        assert word in aliases, word
    specific = [alias for entry in words.jimu if not entry.fallback for alias in entry.aliases]
    assert len(specific) == len(set(specific)), "an alias is listed for two 事務"  # a fallback may repeat one


def test_fallback_must_be_a_boolean(tmp_path):
    bad = tmp_path / "jimu.json"
    bad.write_text(json.dumps({"version": 1, "jimu": [{"keywords": ["税"], "aliases": ["税金"], "fallback": "yes"}]}),
                   encoding="utf-8")
    with pytest.raises(DataFileError, match="fallback"):
        load_scope_words(bad, scope.PLACE_WORDS_PATH)


@pytest.mark.parametrize("question, across", [
    ("国のガバメントクラウドにデータを置くと書いてあるのは、どの市の資料ですか?", True),
    ("4つの評価書のうち、重大事故が発生ありとなっているのはどれですか", True),
    ("和光市と花巻市で、どの評価書が新しいですか", False),  # cities named: they alternate anyway
    ("委託先はどこですか", False),
])
def test_questions_across_the_cities(detector, question, across):
    assert detector.detect(question).across_cities is across


def test_across_words_must_be_words(tmp_path):
    places = json.loads(scope.PLACE_WORDS_PATH.read_text(encoding="utf-8"))
    bad = tmp_path / "places.json"
    bad.write_text(json.dumps({**places, "across_words": "どの市"}), encoding="utf-8")
    with pytest.raises(DataFileError, match="across_words"):
        load_scope_words(scope.JIMU_ALIASES_PATH, bad)
    del places["across_words"]
    bad.write_text(json.dumps(places), encoding="utf-8")
    assert load_scope_words(scope.JIMU_ALIASES_PATH, bad).across_words == ()


def test_organisation_names_name_no_jimu():
    """「山口県国民健康保険団体連合会への委託」 is about 山口市's 介護保険 document, not a missing 国保 事務."""
    from assistant.scope import ScopeDetector
    from assistant.types import DocumentInfo

    docs = [DocumentInfo("y", "y.txt", "山口市", "山口市長", "介護保険関係事務 重点項目評価書", "介護保険関係事務", "重点項目", None),
            DocumentInfo("h", "h.txt", "花巻市", "花巻市長", "個人住民税に関する事務 重点項目評価書", "個人住民税に関する事務", "重点項目", None),
            DocumentInfo("w", "w.txt", "和光市", "和光市長", "地方税の滞納対策に関する事務 重点項目評価書", "地方税の滞納対策に関する事務", "重点項目", None)]
    detector = ScopeDetector(docs)
    union = detector.detect("山口市が山口県国民健康保険団体連合会への委託で再委託を認める場合の手順は")
    assert union.unknown_jimu is None and union.scope.doc_ids == ("y",)
    # a specific tax the corpus lacks is not rescued by the broad word 税 for another specific tax...
    assert detector.detect("花巻市の固定資産税の手続き").unknown_jimu == "固定資産税"
    # ...but a 事務 that covers every local tax does answer it, and 税金 still finds 花巻市's 住民税
    assert detector.detect("和光市の固定資産税の滞納").scope.doc_ids == ("w",)
    assert detector.detect("花巻市の税金の情報").scope.doc_ids == ("h",)
