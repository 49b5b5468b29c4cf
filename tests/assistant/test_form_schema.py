import doctest
import json

import pytest

from assistant import form_schema
from assistant.errors import DataFileError
from assistant.form_schema import SCHEMA_PATH, canonical_label, load_form_schema, parse_form_schema


@pytest.fixture(scope="module")
def schema():
    return load_form_schema()


def test_docstring_examples():
    assert doctest.testmod(form_schema).failed == 0


def test_families_cover_the_form(schema):
    assert set(schema.family_names) >= {"委託", "提供・移転", "開示請求・問合せ", "保管・消去", "入手", "使用", "システム",
                                        "リスク対策", "評価実施手続", "基本情報", "記録項目", "変更箇所"}
    assert len(schema.fields) >= 60


def test_every_field_has_a_variant_found_in_the_samples(schema, sample_text):
    text = sample_text.replace(" ", "")
    missing = [field.label for field in schema.fields if not any(variant in text for variant in field.variants)]
    assert missing == []


def test_typical_questions_point_at_their_field(schema):
    for field in schema.fields:
        for question in field.questions:
            focus = schema.detect(question)
            assert field in focus.fields and field.family in focus.families, (field.label, question)


@pytest.mark.parametrize("label, canonical", [
    ("③委託先名", "委託先名"), ("⑥委託先名", "委託先名"), ("④再委託の有無 ※", "再委託の有無"),
    ("委託事項1", "委託事項"), ("システム2～5", "システム"), ("1. 基礎項目評価", "基礎項目評価"),
    ("2. 国民・住民等からの意見の聴取【任意】", "国民・住民等からの意見の聴取"), ("II 特定個人情報ファイルの概要", "特定個人情報ファイルの概要"),
])
def test_canonical_label(label, canonical):
    assert canonical_label(label) == canonical


@pytest.mark.parametrize("path, families", [
    ("II 特定個人情報ファイルの概要 > 4. 特定個人情報ファイルの取扱いの委託 > 委託事項1", {"委託"}),
    ("III リスク対策 > 4. 特定個人情報ファイルの取扱いの委託", {"委託", "リスク対策"}),
    ("IV 開示請求、問合せ > 2. 特定個人情報ファイルの取扱いに関する問合せ", {"開示請求・問合せ"}),
    ("(別添2) 変更箇所", {"変更箇所"}),
    ("II 特定個人情報ファイルの概要 > 6. 特定個人情報の保管・消去", {"保管・消去"}),
    ("I 基本情報 > 2. 特定個人情報ファイルを取り扱う事務において使用するシステム > システム1", {"基本情報", "システム"}),
])
def test_families_of_section_paths(schema, path, families):
    assert set(schema.families_of(path)) == families


def test_detect_examples(schema):
    focus = schema.detect("山口市の介護保険で、私の情報は外部の会社に渡されますか")
    assert focus.families[0] == "委託" and [f.label for f in focus.fields] == ["委託の有無"]
    assert schema.detect("こんにちは") == form_schema.Focus()
    assert "委託" in schema.detect("こんにちは", extra_families=["委託"]).families


def test_field_for_label(schema):
    assert {field.family for field in schema.fields_for_label("③委託先名")} == {"委託"}
    assert schema.fields_for_label("") == ()


def _schema_with(**changes) -> dict:
    data = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize("data, message", [
    (_schema_with(version=2), "version"),
    (_schema_with(fields={}), "lists"),
    (_schema_with(fields=[{"label": "x", "variants": [], "family": "存在しない", "description": "d"}]), "unknown family"),
    (_schema_with(fields=[{"variants": [], "family": "委託", "description": "d"}]), "label"),
    (_schema_with(families=[{"name": "委託", "description": "d", "section_markers": []}]), "section_markers"),
    (_schema_with(families=[{"name": "a", "description": "d", "section_markers": ["a"]}] * 2, fields=[]), "repeat"),
    ([], "version"),
])
def test_malformed_schema(data, message):
    with pytest.raises(DataFileError, match=message):
        parse_form_schema(data, "test.json")


def test_unreadable_schema(tmp_path):
    path = tmp_path / "schema.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DataFileError):
        load_form_schema(path)


@pytest.mark.parametrize("path, families", [
    # an exclusion in parentheses does not make the 入手 risks about 情報連携
    ("III リスク対策 > 2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。) > リスク: 目的外の入手が行われるリスク",
     {"入手", "リスク対策"}),
    # nor does a risk title that mentions 入手 or 保管・消去
    ("III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策 > 4. 特定個人情報ファイルの取扱いの委託 > "
     "委託先による特定個人情報の不正入手・不正な使用に関するリスク 委託先による特定個人情報の保管・消去に関するリスク",
     {"委託", "リスク対策"}),
    ("III リスク対策 > 6. 情報提供ネットワークシステムとの接続 > リスク2: 不正な提供が行われるリスク", {"情報連携", "リスク対策"}),
])
def test_families_ignore_exclusions_and_risk_titles(schema, path, families):
    assert set(schema.families_of(path)) == families


def test_a_label_inside_a_longer_label_does_not_count(schema):
    focus = schema.detect("再委託事項は何ですか")
    assert [field.label for field in focus.fields] == ["再委託事項"]
    assert "委託事項" not in [field.label for field, _ in focus.related]


def test_nearly_as_well_cued_fields_are_related(schema):
    focus = schema.detect("委託している業務の再委託の許諾方法は")
    assert [field.label for field in focus.fields] == ["再委託の許諾方法"]
    related = dict((field.label, share) for field, share in focus.related)
    assert "委託事項" in related and 0.5 <= related["委託事項"] < 1


def test_schema_has_no_repeated_labels_or_cues(schema):
    labels = [field.label for field in schema.fields]
    assert len(labels) == len(set(labels))
    for field in schema.fields:
        assert len(field.cues) == len(set(field.cues)), field.label
    for family in schema.families:
        assert len(family.cues) == len(set(family.cues)), family.name


@pytest.mark.parametrize("question, label", [
    ("委託が終わったあと、委託先に残ったデータはどうなりますか", "委託先の提供・消去のルール"),
    ("退職した職員がシステムを使えないようになっていますか", "アクセス権限の管理"),
    ("ウイルス対策はしていますか", "技術的対策"),
    ("亡くなった人のマイナンバーも保管していますか", "死者の個人番号"),
    ("この評価書は個人情報保護委員会の承認を受けていますか", "個人情報保護委員会の承認"),
    ("提供先に何人分の情報を渡しているのですか", "提供する情報の対象となる本人の数"),
])
def test_form_fields_of_the_full_assessment(schema, question, label):
    assert label in [field.label for field in schema.detect(question).fields]


@pytest.mark.parametrize("question, label", [
    # a helpdesk operator's framing (問い合わせがありました) does not make it a question about the 連絡先
    ("住民から「和光市の滞納整理システムの委託先はどこか」と問い合わせがありました。", "委託先名"),
    ("転居先の自治体から問い合わせがあったら、滞納状況を教えるのですか", None),
    ("市役所の中のどんな課に回されるのですか", "提供先"),
    ("職員が私の情報を見た場合、その記録は残りますか", "特定個人情報の使用の記録"),
    ("評価書に記載されている使用システムを挙げてください", "システムの名称"),
    ("所属長の記載が改められたのはいつですか", "変更日"),
    ("開示請求をしたい人は、どこに問い合わせればよいですか", "請求先"),
    ("私の介護保険の情報を扱っている職員は何人くらいいるのですか", "使用者数"),
])
def test_cues_of_everyday_and_helpdesk_wording(schema, question, label):
    focus = schema.detect(question)
    labels = [field.label for field in focus.fields] + [field.label for field, _ in focus.related]
    if label is None:
        assert "連絡先" not in labels
    else:
        assert label in labels, labels
    assert "連絡先" not in labels or "問い合わせれば" in question


def test_a_procedure_is_not_the_accident_procedure(schema):
    # 「どういう手順で渡すか」 asks about the 提供・移転 rules, not 事故発生時手順
    labels = [field.label for field in schema.detect("別の課にはどういう手順で渡すかを決めるのですか").fields]
    assert "事故発生時手順の策定・周知" not in labels
    labels = [field.label for field in schema.detect("漏れたときの手順は決まっているの").fields]
    assert "事故発生時手順の策定・周知" in labels


def test_framing_is_blanked_but_keeps_positions(schema):
    question = "住民から「委託先はどこ」と聞かれました"
    text = schema.without_framing(question)
    assert len(text) == len(question) and "聞かれ" not in text and "委託先" in text
    assert schema.without_framing("委託先はどこ") == "委託先はどこ"


def test_context_words_are_not_cues(schema):
    # 窓口で (where it happened), 手続き (any procedure), お金 (any money) ask nothing about 開示請求
    for question in ("介護保険の窓口で書いたメモはどうなるの", "介護保険の手続きはネットでできますか",
                     "払いすぎたお金はどう戻ってくるのですか"):
        assert "開示請求・問合せ" not in schema.detect(question).families, question


@pytest.mark.parametrize("framing, message", [("と問い合わせ", "framing"), (["と問い合わせ", "と問い合わせ"], "repeat"),
                                              ([""], "framing")])
def test_malformed_framing(framing, message):
    with pytest.raises(DataFileError, match=message):
        parse_form_schema(_schema_with(framing=framing), "test.json")


def test_framing_phrases_are_not_cues(schema):
    cues = {cue for field in schema.fields for cue in field.cues} | {cue for f in schema.families for cue in f.cues}
    assert [phrase for phrase in schema.framing if phrase in cues] == []
