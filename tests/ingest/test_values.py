"""Cells read as a person reads them: selected options, checkboxes, text."""

from __future__ import annotations

import doctest

import pytest

import ingest.values
from ingest.normalize import quote_key
from ingest.values import clean_item, is_choice, marked_lines, read_cell, repeats_boxes, unsaid_lines


def assert_spans(raw: str, text: str) -> None:
    """Every line of ``text`` is one contiguous span of the raw cell (after the quote normalisation)."""
    for line in text.split("\n"):
        assert quote_key(line) in quote_key(raw), line


# ---- choices -------------------------------------------------------------------------------------


def test_selected_option():
    raw = "[再委託しない] <選択肢> 1) 再委託する 2) 再委託しない"
    cell = read_cell(raw)
    assert (cell.kind, cell.value, cell.options) == ("choice", "再委託しない", ("再委託する", "再委託しない"))
    assert cell.text == "再委託しない"


def test_empty_selection_is_not_selected():
    cell = read_cell("[] <選択肢> 1) 定めている 2) 定めていない")
    assert (cell.kind, cell.value, cell.text) == ("choice", "", "")
    assert read_cell("[ ] <選択肢> 1) 特に力を入れている 2) 十分である 3) 課題が残されている").value == ""


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        # full-width marks and brackets
        ("［十分である］ ＜選択肢＞ 1) 特に力を入れている 2) 十分である 3) 課題が残されている", "十分である"),
        # the options list before the bracket
        (
            '<p style="text-align: center;">＜選択肢＞</p> <p>[10万人以上30万人未満] 1) 1,000人未満 '
            "2) 1,000人以上1万人未満 3) 1万人以上10万人未満 4) 10万人以上30万人未満</p>",
            "10万人以上30万人未満",
        ),
        # entities and padding inside the bracket
        ("<p>[ 30万人以上 ]</p> <p>&lt;選択肢&gt; 1) 10万人以上30万人未満 2) 30万人以上</p>", "30万人以上"),
        # an unticked checkbox written where the bracket should open
        ("<input type=\"checkbox\"/> 10人以上50人未満] <選択肢> 1) 10人未満 2) 10人以上50人未満", "10人以上50人未満"),
        ('[<input type="checkbox"/> 定めている] <選択肢> 1) 定めている 2) 定めていない', "定めている"),
        # no bracket at all: the text before the options is one of them
        (
            '<input type="checkbox"/> 10万人以上100万人未満 <small> <選択肢> 1) 1万人未満 2) 10万人以上100万人未満 </small>',
            "10万人以上100万人未満",
        ),
        (
            '<div style="border: 1px solid black;">十分である</div> <div>]</div> <div>＜選択肢＞</div> '
            "<div>1) 特に力を入れている</div> <div>2) 十分である</div>",
            "十分である",
        ),
        ("[] 十分に行っている [] ^{<選択肢>} 1) 特に力を入れて行っている 2) 十分に行っている", "十分に行っている"),
        # options spread over cells (joined with newlines), out of order
        ("[十分である]\n<選択肢> 1) 特に力を入れている 3) 課題が残されている\n2) 十分である", "十分である"),
        # no <選択肢> mark, but numbered options after the bracket
        ("[ 十分に行っている ]\n1) 特に力を入れて行っている 2) 十分に行っている 3) 十分に行っていない", "十分に行っている"),
    ],
)
def test_choice_variants(raw, value):
    cell = read_cell(raw)
    assert cell.kind == "choice"
    assert cell.value == value
    assert value in cell.options
    assert_spans(raw, cell.text)


def test_options_are_ordered_by_number_and_deduplicated():
    cell = read_cell("[十分である]\n<選択肢> 1) 特に力を入れている 3) 課題が残されている\n2) 十分である\n1) 特に力を入れている")
    assert cell.options == ("特に力を入れている", "十分である", "課題が残されている")


def test_count_after_options_stays_in_text():
    raw = "[委託する] <選択肢> 1) 委託する 2) 委託しない (3) 件"
    cell = read_cell(raw)
    assert (cell.value, cell.options) == ("委託する", ("委託する", "委託しない"))
    assert cell.text.split("\n") == ["委託する", "(3) 件"]
    assert_spans(raw, cell.text)


def test_text_around_a_choice_is_kept():
    raw = "<table><tr><td><p>期間</p> <p>[ 6年以上10年未満 ]</p></td><td>&lt;選択肢&gt; 1) 1年未満 2) 6年以上10年未満</td></tr></table>"
    cell = read_cell(raw)
    assert cell.value == "6年以上10年未満"
    assert cell.text.split("\n") == ["期間", "6年以上10年未満"]


def test_numbered_text_after_a_bracket_is_not_a_choice():
    raw = "[概要] 1) 申告受付を行う。 2) 税額計算を行う。"
    cell = read_cell(raw)
    assert cell.kind == "text" and "1) 申告受付を行う。 2) 税額計算を行う。" in cell.text


def test_is_choice():
    assert is_choice("[発生なし] <選択肢> 1) 発生あり 2) 発生なし")
    assert not is_choice("[○] 自己点検 [] 内部監査 [] 外部監査")
    assert not is_choice("[令和7年5月 様式4]")


# ---- checkboxes ----------------------------------------------------------------------------------


def test_bracket_marks():
    raw = (
        "[] 情報提供ネットワークシステム [○] 庁内連携システム [] 住民基本台帳ネットワークシステム "
        "[〇] 既存住民基本台帳システム [O] 宛名システム等 [ ○ ] 税務システム [] その他 ()"
    )
    cell = read_cell(raw)
    assert cell.kind == "checkbox"
    assert cell.checked == ("庁内連携システム", "既存住民基本台帳システム", "宛名システム等", "税務システム")
    assert cell.unchecked == ("情報提供ネットワークシステム", "住民基本台帳ネットワークシステム", "その他")
    assert cell.value.startswith("☐ 情報提供ネットワークシステム / ☑ 庁内連携システム / ")
    assert_spans(raw, cell.text)


def test_input_variants():
    raw = (
        '<input checked="" type="checkbox"/> 紙 [] 電子記録媒体(フラッシュメモリを除く。) '
        '[<input type="checkbox"/>] 電子メール [<input checked="" type="checkbox"/>] 庁内連携システム '
        '<input type="checkbox"/> 情報提供ネットワークシステム'
    )
    cell = read_cell(raw)
    assert cell.checked == ("紙", "庁内連携システム")
    assert cell.unchecked == ("電子記録媒体(フラッシュメモリを除く。)", "電子メール", "情報提供ネットワークシステム")
    assert_spans(raw, cell.text)


def test_detail_in_parentheses_is_part_of_the_item():
    raw = (
        '<input type="checkbox"/> 評価実施機関内の他部署 () <input checked="" type="checkbox"/> '
        "地方公共団体・地方独立行政法人 (他市区町村) <input type=\"checkbox\"/> その他 ( 区政推進課 )"
    )
    cell = read_cell(raw)
    assert cell.checked == ("地方公共団体・地方独立行政法人 (他市区町村)",)
    assert cell.unchecked == ("評価実施機関内の他部署", "その他 (区政推進課)")


def test_counts_stay_with_their_item():
    cell = read_cell('[<input checked="" type="checkbox"/>] 提供を行っている (57) 件 [] 移転を行っている () 件 [] 行っていない')
    assert cell.checked == ("提供を行っている (57) 件",)
    assert cell.unchecked == ("移転を行っている () 件", "行っていない")  # an empty count is the form's text too


def test_radio_beside_empty_boxes_is_a_tick():
    cell = read_cell('[<input type="radio"/>] 自己点検 [<input type="radio"/>] 内部監査 [] 外部監査')
    assert cell.checked == ("自己点検", "内部監査") and cell.unchecked == ("外部監査",)
    cell = read_cell('<p>[ ] 情報提供ネットワークシステム [ <input type="radio"/> ] 庁内連携システム</p>')
    assert cell.checked == ("庁内連携システム",)
    cell = read_cell('<input type="radio"/> 紙 <input type="radio"/> 専用線')
    assert cell.checked == () and cell.unchecked == ("紙", "専用線")
    assert read_cell('[<input checked="" type="radio"/>] 自己点検 [] 内部監査').checked == ("自己点検",)


def test_adjacent_marks_are_one_box():
    cell = read_cell('<input type="checkbox"/> [] 庁内連携システム <input type="checkbox"/> [] 専用線')
    assert cell.unchecked == ("庁内連携システム", "専用線") and cell.checked == ()


def test_group_headings_are_text_not_items():
    raw = (
        '<ul style="list-style-type: none"> ・識別情報 [<input type="checkbox"/>] 個人番号 '
        '[<input checked="" type="checkbox"/>] その他識別情報(内部番号) ・連絡先等情報 [<input type="checkbox"/>] 4情報(氏名、性別、生年月日、住所)'
    )
    cell = read_cell(raw)
    assert cell.checked == ("その他識別情報(内部番号)",)
    assert cell.unchecked == ("個人番号", "4情報(氏名、性別、生年月日、住所)")
    assert cell.text.split("\n") == ["・識別情報", "個人番号", "その他識別情報(内部番号)", "・連絡先等情報", "4情報(氏名、性別、生年月日、住所)"]
    assert_spans(raw, cell.text)


def test_checkbox_table():
    raw = (
        '<table border="0"> <tr> <td><input checked="" type="checkbox"/> 情報提供ネットワークシステム</td> '
        '<td><input type="checkbox"/> 庁内連携システム</td> </tr> <tr> <td><input type="checkbox"/> その他 (</td> <td>)</td> </tr> </table>'
    )
    cell = read_cell(raw)
    assert cell.checked == ("情報提供ネットワークシステム",)
    assert cell.unchecked == ("庁内連携システム", "その他")


def test_single_box_on_a_heading():
    cell = read_cell("[] 委託しない")
    assert (cell.kind, cell.value, cell.unchecked) == ("checkbox", "☐ 委託しない", ("委託しない",))
    cell = read_cell("[○] 接続しない(入手)\n[○] 接続しない(提供)")
    assert cell.checked == ("接続しない(入手)", "接続しない(提供)")


# ---- text ----------------------------------------------------------------------------------------


def test_text_cells():
    cell = read_cell('<ul style="list-style-type: none"> <li>・秘密保持</li> <li>・再委託の条件</li> </ul>')
    assert (cell.kind, cell.value, cell.text) == ("text", "・秘密保持\n・再委託の条件", "・秘密保持\n・再委託の条件")
    assert read_cell("[令和7年5月 様式4]").kind == "text"
    assert read_cell("").value == ""


def test_long_text_with_a_stray_box_is_text():
    raw = (
        "1 識別情報 対象者を正確に特定するために保有 2 連絡先情報 世帯情報を把握するために保有 "
        '3 業務関連情報 <input type="checkbox"/> 国税関連情報 所得税関係情報に基づき算出する'
    )
    cell = read_cell(raw)
    assert cell.kind == "text"
    assert "国税関連情報" in cell.text and "<input" not in cell.text
    assert_spans(raw, cell.text)


@pytest.mark.parametrize(
    "raw",
    [
        "［○］ 紙 ［　］ 専用線 ［〇］ 電子メール ［］ その他 ［Ｏ］ 庁内連携システム",
        "[○] 紙 [ ] 専用線 [〇] 電子メール [] その他 [O] 庁内連携システム",
        '<input checked="" type="checkbox"/> 紙 <input type="checkbox"/> 専用線 '
        '[<input checked="checked" type="checkbox"/>] 電子メール [<input type="checkbox"/>] その他 '
        "［ ○ ］ 庁内連携システム",
    ],
)
def test_every_way_of_writing_a_box(raw):
    """Half- and full-width brackets, ○ 〇 O Ｏ ticks, empty brackets with or without spaces, inputs."""
    cell = read_cell(raw)
    assert cell.kind == "checkbox"
    assert cell.checked == ("紙", "電子メール", "庁内連携システム")
    assert cell.unchecked == ("専用線", "その他")
    assert_spans(raw, cell.text)


LONG_PREFIX = "1 識別情報 対象者を正確に特定するために保有 2 連絡先情報 世帯情報を把握するために保有 3 業務関連情報 "


@pytest.mark.parametrize(
    "boxes",
    [
        ('<input type="checkbox"/>', '<input checked="" type="checkbox"/>'),  # a text export
        ("[ ]", "[○]"),  # the same cell read from a PDF
        ("［　］", "［〇］"),
    ],
)
def test_boxes_in_running_text_are_kept(boxes):
    """A long text cell with boxes in it stays text, and its boxes are not dropped: the value shows
    them as ☐ / ☑ wherever the source had them, however it wrote them."""
    empty, ticked = boxes
    raw = f"{LONG_PREFIX}{empty} 国税関連情報 所得税関係情報に基づき算出する {ticked} 地方税関係情報 税額を通知する"
    cell = read_cell(raw)
    assert cell.kind == "text"
    assert cell.value == f"{LONG_PREFIX}☐ 国税関連情報 所得税関係情報に基づき算出する ☑ 地方税関係情報 税額を通知する"
    assert cell.text.split("\n")[1:] == ["国税関連情報 所得税関係情報に基づき算出する", "地方税関係情報 税額を通知する"]
    assert_spans(raw, cell.text)


def test_marked_lines_keep_a_box_at_the_start_of_a_line():
    assert marked_lines("<p>[ ] その他()</p><p>[○] 紙</p>") == (["☐ その他()", "☑ 紙"], ["その他()", "紙"])


def test_repeated_checkbox_lists_are_recognised():
    before = "[ ] 情報提供ネットワークシステム [○] 庁内連携システム [ ] その他 ()"
    assert repeats_boxes("[○] 庁内連携システム", before)
    assert repeats_boxes('<input type="checkbox"/> 情報提供ネットワークシステム\t[○] 庁内連携システム', before)
    assert not repeats_boxes("[ ] 庁内連携システム", before)  # a different tick is news
    assert not repeats_boxes("[ ] 紙", before)
    assert not repeats_boxes("・識別情報 [○] 庁内連携システム", before)  # text before the boxes


def test_unsaid_lines():
    assert unsaid_lines("☐ 紙 / ☑ その他 (区政推進課)", "紙\nその他 ( 区政推進課 )") == []
    assert unsaid_lines("☐ 個人番号", "・識別情報\n個人番号") == ["・識別情報"]


def test_clean_item():
    assert clean_item("その他 ()") == "その他"
    assert clean_item("その他（") == "その他"
    assert clean_item("民間事業者 ( 給与支払者 )") == "民間事業者 (給与支払者)"


def test_docstring_examples():
    assert doctest.testmod(ingest.values).failed == 0
