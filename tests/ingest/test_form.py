"""The 様式 parser over the four real sample documents, read the way a person reads them."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

import ingest.cover
import ingest.form
import ingest.form_body
import ingest.form_rows
import ingest.form_schema
import ingest.form_tables
import ingest.headings
import ingest.labels
import ingest.metadata
import ingest.normalize
from assistant.errors import InputError
from assistant.types import Assessment, Field
from ingest.form import parse_assessment
from ingest.normalize import quote_key
from ingest.readers import SourceText, read_source, rows_from_text

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
MAX_BYTES = 50_000_000
HTML_TAG = re.compile(r"</?(?:p|div|ul|ol|li|table|tr|td|th|br|input|span|small|b|a|font)\b[^<>]*>", re.I)

I = "I 基本情報"
II = "II 特定個人情報ファイルの概要"
III = "III リスク対策"
SYSTEMS = "2. 特定個人情報ファイルを取り扱う事務において使用するシステム"
ENTRUST = "4. 特定個人情報ファイルの取扱いの委託"
PROVIDE = "5. 特定個人情報の提供・移転(委託に伴うものを除く。)"
OBTAIN_USE = "3. 特定個人情報の入手・使用"


def sample(stem: str) -> Path:
    return next(SAMPLES.glob(f"{stem}*.txt"))


@pytest.fixture(scope="module")
def docs() -> dict[str, Assessment]:
    return {
        stem: parse_assessment(read_source(sample(stem), MAX_BYTES))
        for stem in ("wako", "yamaguchi", "okayama", "hanamaki")
    }


def field(assessment: Assessment, *path: str) -> Field:
    """The first field at this exact path (sections then label)."""
    for candidate in assessment.fields:
        if candidate.path == path:
            return candidate
    near = [f.path for f in assessment.fields if f.label == path[-1]][:5]
    raise AssertionError(f"no field at {path}; fields with that label: {near}")


# ---- every document ------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["wako", "yamaguchi", "okayama", "hanamaki"])
def test_text_lines_are_spans_of_the_source(docs, stem):
    source = quote_key(read_source(sample(stem), MAX_BYTES).text)
    for item in docs[stem].fields:
        for line in item.text.split("\n"):
            assert quote_key(line) in source, (item.path, line)


@pytest.mark.parametrize("stem", ["wako", "yamaguchi", "okayama", "hanamaki"])
def test_no_markup_left(docs, stem):
    for item in docs[stem].fields:
        for text in (item.label, item.value, item.text, *item.checked, *item.unchecked, *item.options):
            assert not HTML_TAG.search(text), (item.path, text)
            assert "&lt;" not in text and "&gt;" not in text
    for section in docs[stem].sections:
        assert not any("#" in part or "**" in part or HTML_TAG.search(part) for part in section.path), section.path


@pytest.mark.parametrize("stem", ["wako", "yamaguchi", "okayama", "hanamaki"])
def test_tree_is_consistent(docs, stem):
    assessment = docs[stem]
    paths = [section.path for section in assessment.sections]
    assert len(paths) == len(set(paths)), "a section appears twice"
    assert [s.ordinal for s in assessment.sections] == list(range(len(paths)))
    assert [f.ordinal for f in assessment.fields] == list(range(len(assessment.fields)))
    known = set(paths)
    for section in assessment.sections:
        assert section.path[:-1] in known or section.level == 1, section.path
    for item in assessment.fields:
        assert item.section in known, item.path
    # the 項目一覧 table of contents creates no sections: each major section appears once at top level
    top = [s.title for s in assessment.sections if s.level == 1]
    assert len(top) == len(set(top))
    # range headers (システム2～5, 委託事項6～10) are empty headers of the form: no field, no section
    assert not any("～" in part for f in assessment.fields for part in f.path if re.search(r"(システム|委託事項|提供先|移転先)\d+～", part))
    assert not any(re.search(r"(システム|委託事項|提供先|移転先)\d+～", s.title) for s in assessment.sections)


@pytest.mark.parametrize("stem", ["wako", "yamaguchi", "okayama", "hanamaki"])
def test_readable_text(docs, stem):
    assessment = docs[stem]
    lines = assessment.text.split("\n")
    assert lines[0].startswith("特定個人情報保護評価書")
    assert "評価実施機関名\t" + assessment.organization in lines
    assert not any(HTML_TAG.search(line) for line in lines)


def test_doc_id_and_source(docs):
    assert docs["wako"].doc_id == "wako-tainou-taisaku-juten"
    assert docs["wako"].source == "wako-tainou-taisaku-juten.txt"
    assert len(docs["wako"].sha256) == 64


# ---- 和光市 (重点項目, one file, tabs) ------------------------------------------------------------


def test_wako_metadata(docs):
    wako = docs["wako"]
    assert (wako.organization, wako.city, wako.kind) == ("和光市長", "和光市", "重点項目")
    assert wako.number == "14"
    assert wako.title == "地方税、国民健康保険料(税)の滞納対策に関する事務 重点項目評価書"
    assert wako.jimu == "地方税、国民健康保険料(税)の滞納対策に関する事務"
    assert wako.published == "2021-06-08"


def test_wako_entrustment(docs):
    wako = docs["wako"]
    block = (II, ENTRUST, "委託事項1")
    assert field(wako, II, ENTRUST, "委託事項1").value == "システムの保守・運用"
    assert field(wako, *block, "③委託先名").value == "AGS株式会社"
    assert field(wako, *block, "②委託先における取扱者数").value == "10人以上50人未満"
    again = field(wako, *block, "再委託", "④再委託の有無 ※")
    assert (again.kind, again.value, again.options) == ("choice", "再委託しない", ("再委託する", "再委託しない"))
    whether = field(wako, II, ENTRUST, "委託の有無 ※")
    assert whether.value == "委託する" and "(1) 件" in whether.text


def test_wako_systems_and_sources(docs):
    wako = docs["wako"]
    connections = field(wako, I, SYSTEMS, "システム1", "③他のシステムとの接続")
    assert field(wako, I, SYSTEMS, "システム1", "①システムの名称").value == "滞納整理システム"
    assert connections.kind == "checkbox"
    assert connections.checked == ("庁内連携システム", "既存住民基本台帳システム", "宛名システム等", "税務システム")
    assert {"情報提供ネットワークシステム", "住民基本台帳ネットワークシステム"} <= set(connections.unchecked)
    obtained_from = field(wako, II, OBTAIN_USE, "①入手元 ※")
    assert obtained_from.checked == ("地方公共団体・地方独立行政法人 (他市区町村)",)
    assert field(wako, II, OBTAIN_USE, "②入手方法").checked == ("紙", "庁内連携システム")
    users = (II, OBTAIN_USE, "④使用の主体")
    assert field(wako, *users, "使用部署").value == "総務部収納課"
    assert field(wako, *users, "使用者数").value == "10人以上50人未満"
    assert field(wako, II, OBTAIN_USE, "⑤使用方法", "情報の突合").value == "賦課情報と突合して滞納有無の確認を行う。"


def test_wako_basics_and_risks(docs):
    wako = docs["wako"]
    assert field(wako, I, "1. 特定個人情報ファイルを取り扱う事務", "③対象人数").value == "1万人以上10万人未満"
    assert field(wako, II, "2. 基本情報", "②対象となる本人の数").value == "1万人以上10万人未満"
    assert field(wako, I, "3. 特定個人情報ファイル名").value == "1. 滞納処分ファイル 2. 交渉記録ファイル"
    provision = field(wako, II, PROVIDE, "提供・移転の有無")
    assert provision.checked == ("行っていない",)
    assert provision.unchecked == ("提供を行っている () 件", "移転を行っている () 件")
    storage = (III, "7. 特定個人情報の保管・消去", "リスク: 特定個人情報の漏えい・滅失・毀損リスク")
    accident = field(wako, *storage, "②過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか")
    assert accident.value == "発生あり" and accident.options == ("発生あり", "発生なし")
    assert "再委託" in field(wako, *storage, "その内容").value
    linking = (III, "3. 特定個人情報の使用", "リスク1: 目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク")
    assert field(wako, *linking, "リスクへの対策は十分か").value == "十分である"
    # the "other risks" label closes the risk block: it belongs to the item
    other = field(wako, III, "3. 特定個人情報の使用", "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置")
    assert other.value == "-"
    assert field(wako, III, "8. 監査", "実施の有無").checked == ("自己点検",)
    assert field(wako, III, "9. 従業者に対する教育・啓発", "従業者に対する教育・啓発").value == "十分に行っている"
    assert "048-424-9092" in field(wako, "IV 開示請求、問合せ", "1. 特定個人情報の開示・訂正・利用停止請求", "①請求先").value


def test_wako_heading_values_are_fields_of_the_heading(docs):
    wako = docs["wako"]
    not_entrusted = field(wako, III, ENTRUST)
    assert (not_entrusted.kind, not_entrusted.unchecked) == ("checkbox", ("委託しない",))
    connection = field(wako, III, "6. 情報提供ネットワークシステムとの接続")
    assert connection.checked == ("接続しない(入手)", "接続しない(提供)")
    records = field(wako, "(別添1) 特定個人情報ファイル記録項目", "1. 滞納処分ファイル")
    assert records.value.split("\n")[0] == "・科目コード" and "・更新端末番号" in records.value


def test_wako_table_of_contents_and_missing_history(docs):
    wako = docs["wako"]
    titles = [s.title for s in wako.sections if s.level == 1]
    assert titles == ["表紙", I, II, "(別添1) 特定個人情報ファイル記録項目", III, "IV 開示請求、問合せ", "V 評価実施手続"]
    assert "③委託先名\tAGS株式会社" in wako.text.split("\n")


# ---- 山口市 (重点項目, three files, each with its own blocks) ------------------------------------


def test_yamaguchi_metadata(docs):
    yamaguchi = docs["yamaguchi"]
    assert (yamaguchi.city, yamaguchi.kind, yamaguchi.published) == ("山口市", "重点項目", "2023-04-28")
    assert (yamaguchi.number, yamaguchi.title, yamaguchi.jimu) == ("20", "介護保険関係事務 重点項目評価書", "介護保険関係事務")


def test_yamaguchi_file_blocks(docs):
    yamaguchi = docs["yamaguchi"]
    paths = {s.path for s in yamaguchi.sections}
    for major in (II, III):
        for block in ("(1)介護保険情報ファイル", "(2)収納消込情報ファイル", "(3)滞納整理情報ファイル"):
            assert (major, block) in paths
    appendix = "(別添1) 特定個人情報ファイル記録項目"
    assert (appendix, "(2)収納消込情報ファイル") in paths
    history = field(yamaguchi, appendix, "(2)収納消込情報ファイル", "2. 収納履歴ファイル")
    assert "・OCRID" in history.value.split("\n")
    assert field(yamaguchi, II, "(2)収納消込情報ファイル", "1. 特定個人情報ファイル名").value == "(2) 収納消込情報ファイル"


def test_yamaguchi_entrustment_per_file(docs):
    yamaguchi = docs["yamaguchi"]
    care = (II, "(1)介護保険情報ファイル", ENTRUST)
    assert field(yamaguchi, *care, "委託事項3", "③委託先名").value == "山口県国民健康保険団体連合会"
    assert field(yamaguchi, *care, "委託事項1", "再委託", "⑤再委託の許諾方法").value == "事前に市の書面による承諾が必要"
    assert field(yamaguchi, *care, "委託事項4", "③委託先名").value == "株式会社RKKコンピューターサービス"
    payments = (II, "(2)収納消込情報ファイル", ENTRUST)
    assert field(yamaguchi, *payments, "委託事項2", "③委託先名").value == "株式会社RKKコンピューターサービス"
    assert field(yamaguchi, *payments, "委託事項2", "再委託", "④再委託の有無 ※").value == "再委託しない"
    arrears = (II, "(3)滞納整理情報ファイル", ENTRUST)
    assert field(yamaguchi, *arrears, "委託事項1", "③委託先名").value == "株式会社ベルシステム24"


def test_yamaguchi_inside_收納消込_block(docs):
    yamaguchi = docs["yamaguchi"]
    users = (II, "(2)収納消込情報ファイル", OBTAIN_USE, "④使用の主体")
    assert field(yamaguchi, *users, "使用部署").value == "総務部収納課、地域生活部各総合支所総合サービス課"
    count = field(yamaguchi, *users, "使用者数")
    assert count.value == "100人以上500人未満" and len(count.options) == 6
    assert field(yamaguchi, II, "(2)収納消込情報ファイル", "6. 特定個人情報の保管・消去", "保管場所 ※").value.startswith("・入退室管理")
    assert field(yamaguchi, III, "(2)収納消込情報ファイル", "8. 監査", "実施の有無").checked == ("自己点検", "内部監査")


def test_yamaguchi_exploded_tables_are_not_repeated(docs):
    yamaguchi = docs["yamaguchi"]
    connections = field(yamaguchi, I, SYSTEMS, "システム1", "③他のシステムとの接続")
    assert connections.checked == ("庁内連携システム", "宛名システム等", "税務システム")
    assert len(connections.unchecked) == 4
    users = field(yamaguchi, II, "(1)介護保険情報ファイル", OBTAIN_USE, "④使用の主体", "使用者数")
    assert users.value == "100人以上500人未満"


def test_yamaguchi_risks_and_tables(docs):
    yamaguchi = docs["yamaguchi"]
    assert field(yamaguchi, III, "(3)滞納整理情報ファイル", "5. 特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)").checked == ("提供・移転しない",)
    network = field(yamaguchi, III, "(1)介護保険情報ファイル", "6. 情報提供ネットワークシステムとの接続",
                    "情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置")
    assert network.value.startswith("【不適切な方法で提供されるリスク】")
    assert "番号法及び条例に基づき認められる情報のみ伝送する仕組みとする。" in network.value
    recipients = [f for f in yamaguchi.fields if f.section == (II, "(1)介護保険情報ファイル", "7. 備考")]
    labels = [f.label for f in recipients]
    # rows numbered in their first cell (「17\t都道府県知事…」 and 「1 厚生労働大臣\t…」) are named like
    # the form's own blocks, by the first column's title and their number, then the row's name
    assert labels[0] == "提供先1 厚生労働大臣" and "提供先17 都道府県知事又は広島市長若しくは長崎市長" in labels
    assert [label.split()[0] for label in labels] == [f"提供先{n}" for n in range(1, 21)]
    last = next(f for f in recipients if f.label == "提供先20 厚生労働大臣")
    assert "①法令上の根拠: 番号法第十九条第七号別表第二の百十七" in last.value.split("\n")
    assert "083-934-2886" in field(yamaguchi, "IV 開示請求、問合せ", "1. 特定個人情報の開示・訂正・利用停止請求", "①請求先").value


def test_yamaguchi_change_history(docs):
    history = [f for f in docs["yamaguchi"].fields if f.section == ("(別添2) 変更箇所",)]
    assert len(history) > 50
    first = history[0]
    assert first.label == "平成28年7月1日"
    assert first.value.split("\n")[0] == "項目: I 基本情報_6. 評価実施機関における担当部署_②所属長"
    assert "変更後の記載: 介護保険課長 網田 誠 収納課長 濱田 和昌" in first.value
    dated = next(f for f in history if f.label == "平成29年3月21日")
    assert "項目: V 評価実施手続_1. 基礎項目評価_①実施日" in dated.value  # not taken for a new table header


# ---- 岡山市 (全項目, markdown headings) -----------------------------------------------------------


def test_okayama_metadata(docs):
    okayama = docs["okayama"]
    assert (okayama.organization, okayama.city, okayama.kind) == ("岡山県岡山市長", "岡山市", "全項目")
    assert okayama.published is None  # [令和7年5月 様式4] is the form version, not a date
    assert okayama.number == "4"
    assert okayama.title == "収滞納に関する税務事務 全項目評価書"
    assert okayama.jimu == "収滞納に関する税務事務"  # 評価書名 wins over ①事務の名称
    assert field(okayama, I, "1. 特定個人情報ファイルを取り扱う事務", "①事務の名称").value == "取滞納事務"
    assert field(okayama, "表紙", "公表日").value == "[令和7年5月 様式4]"


def test_okayama_markdown_structure(docs):
    okayama = docs["okayama"]
    titles = [s.title for s in okayama.sections if s.level == 1]
    assert titles == [
        "表紙", I, "(別添1) 事務の内容", II, "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
        "IV その他のリスク対策", "V 開示請求、問合せ", "VI 評価実施手続", "(別添3) 変更箇所",
    ]
    paths = {s.path for s in okayama.sections}
    assert (II, "6. 特定個人情報の保管・消去") in paths  # a **bold** markdown heading
    assert (I, "5. 個人番号の利用") in paths  # <b>5. 個人番号の利用 ※</b>
    assert "特記事項" in [f.label for f in okayama.fields if f.section == ("表紙",)]


def test_okayama_values(docs):
    okayama = docs["okayama"]
    assert field(okayama, I, "1. 特定個人情報ファイルを取り扱う事務", "③対象人数").value == "30万人以上"
    connections = field(okayama, I, SYSTEMS, "システム1", "③他のシステムとの接続")
    assert connections.checked == ("庁内連携システム", "既存住民基本台帳システム", "宛名システム等", "税務システム")
    block = (II, ENTRUST, "委託事項1")
    assert field(okayama, *block, "⑥委託先名").value == "富士通Japan・FLCS・両備システムズ岡山市市税システム標準化共同企業体"
    assert field(okayama, *block, "再委託", "⑦再委託の有無 ※").value == "再委託する"
    scope = (*block, "②取扱いを委託する特定個人情報ファイルの範囲")
    assert field(okayama, *scope, "対象となる本人の数").value == "100万人以上1,000万人未満"
    assert field(okayama, *block, "④委託先への特定個人情報ファイルの提供方法").checked == ("専用線",)
    assert field(okayama, II, OBTAIN_USE, "⑦使用の主体", "使用者数").value == "100人以上500人未満"
    assert field(okayama, II, "6. 特定個人情報の保管・消去", "②保管期間").value == "6年以上10年未満"


def test_okayama_risks_and_procedures(docs):
    okayama = docs["okayama"]
    major = "III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"
    storage = (major, "7. 特定個人情報の保管・消去", "リスク1: 特定個人情報の漏えい・滅失・毀損リスク")
    accident = field(okayama, *storage, "⑨過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか")
    assert accident.value == "発生あり"
    assert field(okayama, *storage, "その内容").value.startswith("令和6年3月")
    assert field(okayama, major, ENTRUST).unchecked == ("委託しない",)
    assert field(okayama, "V 開示請求、問合せ", "1. 特定個人情報の開示・訂正・利用停止請求", "③手数料等").value == "無料"
    assert field(okayama, "IV その他のリスク対策", "1. 監査", "①自己点検").value == "十分に行っている"
    threshold = field(okayama, "VI 評価実施手続", "1. 基礎項目評価", "②しきい値判断結果")
    assert threshold.value == "基礎項目評価及び全項目評価の実施が義務付けられる"
    history = [f for f in okayama.fields if f.section == ("(別添3) 変更箇所",)]
    assert len(history) > 100 and all(f.label for f in history)


# ---- 花巻市 (重点項目, options before the bracket, no-tab rows) ------------------------------------


def test_hanamaki_metadata(docs):
    hanamaki = docs["hanamaki"]
    assert (hanamaki.city, hanamaki.kind, hanamaki.published) == ("花巻市", "重点項目", "2020-03-29")
    assert (hanamaki.number, hanamaki.title, hanamaki.jimu) == ("5", "個人住民税に関する事務 重点項目評価書", "個人住民税に関する事務")


def test_hanamaki_values(docs):
    hanamaki = docs["hanamaki"]
    people = field(hanamaki, I, "1. 特定個人情報ファイルを取り扱う事務", "③対象人数")
    assert (people.kind, people.value) == ("choice", "10万人以上30万人未満")  # ＜選択肢＞ before [値]
    assert len(people.options) == 4
    block = (II, ENTRUST)
    assert field(hanamaki, *block, "委託事項1", "③委託先名").value == "日本電気株式会社岩手支店"
    assert field(hanamaki, *block, "委託事項1", "再委託", "④再委託の有無 ※").value == "再委託する"
    assert field(hanamaki, *block, "委託事項3", "③委託先名").value == "一般社団法人花巻地域農業管理センター"
    provision = field(hanamaki, II, PROVIDE, "提供・移転の有無")
    assert provision.checked == ("提供を行っている (57) 件", "移転を行っている (24) 件")
    assert field(hanamaki, II, PROVIDE, "提供先11", "④提供する情報の対象となる本人の数").value == "10万人以上100万人未満"
    assert field(hanamaki, II, PROVIDE, "提供先3", "⑥提供方法").checked == ("情報提供ネットワークシステム",)
    assert field(hanamaki, II, OBTAIN_USE, "④使用の主体", "使用者数").value == "10人以上50人未満"
    middle = field(hanamaki, I, SYSTEMS, "システム7", "③他のシステムとの接続")
    assert middle.checked == ("情報提供ネットワークシステム", "宛名システム等")


def test_hanamaki_rows_without_tabs(docs):
    hanamaki = docs["hanamaki"]
    education = field(hanamaki, III, "9. 従業員に対する教育・啓発", "従業員に対する教育・啓発")
    assert education.value == "十分に行っている" and len(education.options) == 3
    assert field(hanamaki, III, "8. 監査", "実施の有無").unchecked == ("自己点検", "内部監査", "外部監査")
    method = field(hanamaki, III, "9. 従業員に対する教育・啓発", "具体的な方法")
    assert method.value.startswith("<花巻市における措置>") and "<中間サーバーにおける措置>" in method.value
    entrust = field(hanamaki, III, ENTRUST)
    assert entrust.unchecked == ("委託しない",)
    usage = field(hanamaki, III, "3. 特定個人情報の使用", "特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置")
    assert "窓口対応等で離席する時は" in usage.value


def test_hanamaki_history_and_contacts(docs):
    hanamaki = docs["hanamaki"]
    assert "0198-24-2111" in field(hanamaki, "IV 開示請求、問合せ", "1. 特定個人情報の開示・訂正・利用停止請求", "①請求先").value
    assert field(hanamaki, "V 評価実施手続", "1. 基礎項目評価", "①実施日").value == "令和2年3月29日"
    history = [f for f in hanamaki.fields if f.section == ("(別添2) 変更箇所",)]
    first = history[0]
    assert first.label == "平成29年4月24日" and "変更後の記載: 課長 平野 克則" in first.value


# ---- inputs ----------------------------------------------------------------------------------------


def test_not_an_assessment(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_text("議事録\n出席者\t山田\n議題\t予算について\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a 特定個人情報保護評価書"):
        parse_assessment(read_source(path, MAX_BYTES))


@pytest.mark.parametrize("stem", ["wako", "yamaguchi"])
def test_shift_jis_copy_parses_the_same(docs, tmp_path, stem):
    original = sample(stem)
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode("cp932"))
    source = read_source(copy, MAX_BYTES)
    assert source.encoding == "cp932"
    parsed = parse_assessment(source)
    assert parsed.fields == docs[stem].fields
    assert parsed.sections == docs[stem].sections
    assert (parsed.doc_id, parsed.city, parsed.published) == (docs[stem].doc_id, docs[stem].city, docs[stem].published)


def test_rows_without_tabs_are_read_by_their_labels(docs):
    """A text without tabs (a PDF's lines, another export) is read through circled and known labels."""
    original = read_source(sample("wako"), MAX_BYTES)
    flat = SourceText(original.source, original.sha256, "utf-8", rows_from_text(original.text.replace("\t", " ")))
    wako = parse_assessment(flat)
    assert (wako.city, wako.kind, wako.published, wako.number) == ("和光市", "重点項目", "2021-06-08", "14")
    block = (II, ENTRUST, "委託事項1")
    assert field(wako, *block, "③委託先名").value == "AGS株式会社"
    assert field(wako, *block, "再委託", "④再委託の有無 ※").value == "再委託しない"
    assert field(wako, II, OBTAIN_USE, "④使用の主体", "使用者数").value == "10人以上50人未満"
    connections = field(wako, I, SYSTEMS, "システム1", "③他のシステムとの接続")
    assert connections.checked == ("庁内連携システム", "既存住民基本台帳システム", "宛名システム等", "税務システム")
    same = {(f.section, f.label, f.value) for f in wako.fields} & {(f.section, f.label, f.value) for f in docs["wako"].fields}
    assert len(same) >= 0.95 * len(docs["wako"].fields)


def test_minimal_document():
    rows = (("特定個人情報保護評価書(基礎項目評価書)",), ("評価実施機関名",), ("東京都千代田区長",), ("公表日",), ("令和元年5月1日",))
    assessment = parse_assessment(SourceText("千代田区 基礎.txt", "0" * 64, "utf-8", rows))
    assert (assessment.city, assessment.kind, assessment.published) == ("千代田区", "基礎項目", "2019-05-01")
    assert assessment.doc_id == "千代田区-基礎"


@pytest.mark.parametrize(
    "module",
    [ingest.form, ingest.form_body, ingest.form_rows, ingest.form_schema, ingest.form_tables, ingest.headings,
     ingest.labels,
     ingest.cover, ingest.metadata, ingest.normalize],
)
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


# ---- values as a person reads them, at least ten per document ---------------------------------------

# (path, what is read, expected): 'value' is the readable value; 'checked' / 'unchecked' the ticked and
# unticked boxes; 'options' the option list of a choice.
READ_AS_A_PERSON = {
    "wako": [
        ((II, ENTRUST, "委託事項1", "③委託先名"), "value", "AGS株式会社"),
        ((II, ENTRUST, "委託事項1", "再委託", "④再委託の有無 ※"), "value", "再委託しない"),
        ((II, ENTRUST, "委託事項1", "再委託", "④再委託の有無 ※"), "options", ("再委託する", "再委託しない")),
        ((I, SYSTEMS, "システム1", "①システムの名称"), "value", "滞納整理システム"),
        ((I, SYSTEMS, "システム1", "③他のシステムとの接続"), "checked",
         ("庁内連携システム", "既存住民基本台帳システム", "宛名システム等", "税務システム")),
        ((I, SYSTEMS, "システム1", "③他のシステムとの接続"), "unchecked",
         ("情報提供ネットワークシステム", "住民基本台帳ネットワークシステム", "その他")),
        ((I, "5. 情報提供ネットワークシステムによる情報連携", "①実施の有無"), "value", "実施しない"),
        ((I, "6. 評価実施機関における担当部署", "①部署"), "value", "総務部収納課"),
        ((II, OBTAIN_USE, "②入手方法"), "checked", ("紙", "庁内連携システム")),
        ((II, OBTAIN_USE, "④使用の主体", "使用者数"), "value", "10人以上50人未満"),
        ((III, "8. 監査", "実施の有無"), "unchecked", ("内部監査", "外部監査")),
        (("V 評価実施手続", "1. 基礎項目評価", "①実施日"), "value", "令和2年10月1日"),
    ],
    "yamaguchi": [
        ((I, SYSTEMS, "システム1", "③他のシステムとの接続"), "checked", ("庁内連携システム", "宛名システム等", "税務システム")),
        ((I, SYSTEMS, "システム1", "③他のシステムとの接続"), "unchecked",
         ("情報提供ネットワークシステム", "住民基本台帳ネットワークシステム", "既存住民基本台帳システム", "その他")),
        ((I, "5. 情報提供ネットワークシステムによる情報連携", "①実施の有無"), "value", "実施する"),
        ((I, "6. 評価実施機関における担当部署", "①部署"), "value", "山口市健康福祉部介護保険課 山口市総務部収納課"),
        ((II, "(1)介護保険情報ファイル", "2. 基本情報", "①ファイルの種類 ※"), "value", "システム用ファイル"),
        ((II, "(1)介護保険情報ファイル", "2. 基本情報", "④記録される項目"), "value", "100項目以上"),
        ((II, "(1)介護保険情報ファイル", ENTRUST, "委託事項3", "③委託先名"), "value", "山口県国民健康保険団体連合会"),
        ((II, "(2)収納消込情報ファイル", ENTRUST, "委託事項2", "再委託", "④再委託の有無 ※"), "value", "再委託しない"),
        ((II, "(2)収納消込情報ファイル", OBTAIN_USE, "④使用の主体", "使用者数"), "value", "100人以上500人未満"),
        ((III, "(2)収納消込情報ファイル", "8. 監査", "実施の有無"), "checked", ("自己点検", "内部監査")),
        ((III, "(2)収納消込情報ファイル", "8. 監査", "実施の有無"), "unchecked", ("外部監査",)),
        ((I, "1. 特定個人情報ファイルを取り扱う事務", "①事務の名称"), "value", "介護保険関係事務"),
        ((II, "(3)滞納整理情報ファイル", ENTRUST, "委託事項1", "③委託先名"), "value", "株式会社ベルシステム24"),
    ],
    "okayama": [
        ((I, "1. 特定個人情報ファイルを取り扱う事務", "③対象人数"), "value", "30万人以上"),
        ((I, "6. 情報提供ネットワークシステムによる情報連携", "①実施の有無"), "value", "実施する"),
        ((I, "7. 評価実施機関における担当部署", "①部署"), "value", "財政局税務部 収納課"),
        ((II, OBTAIN_USE, "②入手方法"), "checked", ("庁内連携システム",)),
        ((II, OBTAIN_USE, "②入手方法"), "unchecked",
         ("紙", "電子記録媒体(フラッシュメモリを除く。)", "フラッシュメモリ", "電子メール", "専用線",
          "情報提供ネットワークシステム", "その他 (住民基本台帳ネットワーク、eLTAX、本人などからの聞き取りなど)")),
        ((II, ENTRUST, "委託事項1", "⑥委託先名"), "value", "富士通Japan・FLCS・両備システムズ岡山市市税システム標準化共同企業体"),
        ((II, ENTRUST, "委託事項1", "再委託", "⑦再委託の有無 ※"), "value", "再委託する"),
        ((II, ENTRUST, "委託事項1", "再委託", "⑨再委託事項"), "value",
         "ソフトウェアの保守作業や運用支援を行う。また、障害対応や法制度改正時のシステム改修も行う。"),
        ((II, "6. 特定個人情報の保管・消去", "②保管期間"), "value", "6年以上10年未満"),
        (("V 開示請求、問合せ", "1. 特定個人情報の開示・訂正・利用停止請求", "③手数料等"), "value", "無料"),
        (("VI 評価実施手続", "1. 基礎項目評価", "①実施日"), "value", "令和8年5月1日"),
    ],
    "hanamaki": [
        ((I, "1. 特定個人情報ファイルを取り扱う事務", "③対象人数"), "value", "10万人以上30万人未満"),
        ((I, SYSTEMS, "システム2", "③他のシステムとの接続"), "checked", ("宛名システム等", "税務システム")),
        ((I, SYSTEMS, "システム6", "③他のシステムとの接続"), "checked",
         ("情報提供ネットワークシステム", "既存住民基本台帳システム", "宛名システム等", "税務システム")),
        ((I, SYSTEMS, "システム6", "③他のシステムとの接続"), "unchecked", ("庁内連携システム", "住民基本台帳ネットワークシステム", "その他")),
        ((I, "5. 情報提供ネットワークシステムによる情報連携", "①実施の有無"), "value", "実施する"),
        ((I, "6. 評価実施機関における担当部署", "①部署"), "value", "財務部市民税課"),
        ((II, "2. 基本情報", "④記録される項目"), "value", "100項目以上"),
        ((II, ENTRUST, "委託事項2", "③委託先名"), "value", "一般社団法人花巻地域農業管理センター"),
        ((II, ENTRUST, "委託事項2", "再委託", "④再委託の有無 ※"), "value", "再委託しない"),
        ((II, PROVIDE, "提供・移転の有無"), "unchecked", ("行っていない",)),
        ((II, PROVIDE, "提供先1", "⑥提供方法"), "checked", ("情報提供ネットワークシステム",)),
        ((III, "8. 監査", "実施の有無"), "unchecked", ("自己点検", "内部監査", "外部監査")),
    ],
}


@pytest.mark.parametrize("stem", ["wako", "yamaguchi", "okayama", "hanamaki"])
def test_values_as_a_person_reads_them(docs, stem):
    expected = READ_AS_A_PERSON[stem]
    assert len({path for path, _, _ in expected}) >= 10
    assert {what for _, what, _ in expected} >= {"value", "checked", "unchecked"}
    for path, what, value in expected:
        assert getattr(field(docs[stem], *path), what) == value, path


def test_boxes_in_running_text_are_kept_as_marks(docs):
    """A free-text cell with boxes in it keeps them: the value shows ☐ / ☑ where they stand."""
    reason = field(docs["hanamaki"], II, "2. 基本情報", "その妥当性")
    assert reason.kind == "text"
    assert "3 業務関連情報 ☐ 国税関連情報 所得税関係情報に基づき" in reason.value
    assert "☐ 年金関係情報 公的年金支払情報に基づき" in reason.value
    assert "国税関連情報 所得税関係情報に基づき、住民税額の算出・更生を行うために記録" in reason.text.split("\n")
    history = [f for f in docs["yamaguchi"].fields if f.section == ("(別添2) 変更箇所",) and f.label == "令和5年1月31日"]
    assert any("変更前の記載: ☐ その他()" in f.value.split("\n") for f in history)


def test_circled_items_inside_a_value_are_not_sub_fields(docs):
    """'①調定管理' opening the value of '②システムの機能' is an item of the value: circled items are
    never members of a circled item."""
    okayama = docs["okayama"]
    functions = field(okayama, I, SYSTEMS, "システム2", "②システムの機能")
    assert functions.value.startswith("①調定管理\n・当初調定取込機能")
    assert not any(f.section[-1] == "②システムの機能" for f in okayama.fields)
    work = field(okayama, I, "1. 特定個人情報ファイルを取り扱う事務", "②事務の内容 ※")
    assert "⑫徴収猶予 財産調査の結果" in work.value


def test_circled_line_continuing_a_member_value_is_not_a_member():
    """Rows as a PDF gives them: under the 再委託 group (members ④⑤⑥), a wrapped line starting with
    ① continues the value of ⑤; ⑥ after it is the next member."""
    rows = (
        ("特定個人情報保護評価書(重点項目評価書)",), ("評価実施機関名",), ("東京都千代田区長",),
        ("II 特定個人情報ファイルの概要",), ("4. 特定個人情報ファイルの取扱いの委託",), ("委託事項1",),
        ("③委託先名", "株式会社テスト"),
        ("再委託", "④再委託の有無 ※", "[再委託する] <選択肢> 1) 再委託する 2) 再委託しない"),
        ("", "⑤再委託の許諾方法", "次の手続による。"),
        ("", "①事前申請 書面を提出させる ②承諾 市が書面で承諾する"),
        ("", "⑥再委託事項", "システムの保守"),
    )
    assessment = parse_assessment(SourceText("chiyoda.txt", "0" * 64, "utf-8", rows))
    block = (II, ENTRUST, "委託事項1", "再委託")
    assert field(assessment, *block, "⑤再委託の許諾方法").value.split("\n") == [
        "次の手続による。", "①事前申請 書面を提出させる ②承諾 市が書面で承諾する"
    ]
    assert field(assessment, *block, "⑥再委託事項").value == "システムの保守"
    assert not any(f.label.startswith("①") for f in assessment.fields)
