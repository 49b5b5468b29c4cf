"""HTML fragments -> plain lines; Japanese text in angle brackets is content."""

from __future__ import annotations

import doctest

import ingest.markup
from ingest.markup import collapse_spaces, has_markup, html_to_lines, html_to_text, is_tag, strip_tags


def test_blocks_become_lines():
    fragment = (
        '<p>・業務外利用の禁止等について研修を行っている。</p> <p><中間サーバー・プラットフォームにおける措置></p>'
        '<p>・運用規則等に基づき<br/>自己点検を実施する。</p>'
    )
    assert html_to_lines(fragment) == [
        "・業務外利用の禁止等について研修を行っている。",
        "<中間サーバー・プラットフォームにおける措置>",
        "・運用規則等に基づき",
        "自己点検を実施する。",
    ]


def test_list_items_and_divs():
    fragment = '<ul style="list-style-type: none"> <li>・秘密保持</li> <li>・再委託の条件</li> </ul><div>附則</div>'
    assert html_to_lines(fragment) == ["・秘密保持", "・再委託の条件", "附則"]


def test_table_rows_as_cells_or_pipes():
    fragment = (
        '<table border="0"> <tr> <td>期間</td> <td>[ 6年以上10年未満 ]</td> </tr>'
        "<tr><td>その妥当性</td><td>賦課情報に合わせる。</td></tr> </table>"
    )
    assert html_to_lines(fragment) == ["期間", "[ 6年以上10年未満 ]", "その妥当性", "賦課情報に合わせる。"]
    assert html_to_lines(fragment, cell_separator=" | ") == ["期間 | [ 6年以上10年未満 ]", "その妥当性 | 賦課情報に合わせる。"]


def test_entities_are_unescaped_once():
    assert html_to_lines("<p>&lt;選択肢&gt; 1) 有料 &amp;amp; 2) 無料</p>") == ["<選択肢> 1) 有料 &amp; 2) 無料"]


def test_japanese_in_brackets_is_not_a_tag():
    assert html_to_lines("<eLTAXにおける措置> ・LGWAN回線を用いる。") == ["<eLTAXにおける措置> ・LGWAN回線を用いる。"]
    assert html_to_lines("＜選択肢＞ 〈花巻市における措置〉") == ["＜選択肢＞ 〈花巻市における措置〉"]
    assert not is_tag("<選択肢>") and is_tag("<input checked='' type='checkbox'/>")


def test_scripts_and_comments_are_dropped_not_run():
    fragment = "<p>本文</p><script>alert('x')</script><!-- 注記 --><style>p {}</style><p>続き</p>"
    assert html_to_lines(fragment) == ["本文", "続き"]


def test_no_content_is_dropped_from_unknown_or_broken_markup():
    assert html_to_lines("<foo>本文</foo> a < b > c") == ["<foo>本文</foo> a < b > c"]
    assert html_to_lines("<p>閉じていない段落") == ["閉じていない段落"]


def test_plain_text_and_spaces():
    assert html_to_lines("一行目\n\n  二行目　 ") == ["一行目", "二行目"]
    assert collapse_spaces("住所\u3000351-0192\t和光市\u00a0広沢") == "住所 351-0192 和光市 広沢"
    assert html_to_text("<b>システム1</b>") == "システム1"
    assert strip_tags("<b>a</b>", replacement="") == "a"


def test_has_markup():
    assert has_markup('<input type="checkbox"/> 紙')
    assert has_markup("&lt;選択肢&gt;")
    assert not has_markup("<選択肢> 1) 定めている")


def test_docstring_examples():
    assert doctest.testmod(ingest.markup).failed == 0
