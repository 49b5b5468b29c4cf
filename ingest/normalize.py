"""Japanese text normalisation used by the form parser: titles, labels, circled numbers, quote keys.

Labels are kept as written (``①事務の名称`` stays; NFKC would turn ① into 1); section titles are
normalised so that the same 様式 heading reads the same in every document: Roman numerals and
full-width ASCII become ASCII, markdown and HTML are removed, and a trailing ``※`` note is dropped.

>>> normalize_title('### Ⅲ リスク対策 ※(7. ②を除く。)')
'III リスク対策'
>>> quote_key('<p>電話番号 ０４８-424-9092</p>') == quote_key('電話番号048-424-9092')
False
>>> quote_key('電話番号 ０４８-424-9092')
'電話番号048-424-9092'
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from ingest.markup import collapse_spaces, html_to_text

ROMAN_NUMERALS = {
    "Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "Ⅴ": "V", "Ⅵ": "VI",
    "Ⅶ": "VII", "Ⅷ": "VIII", "Ⅸ": "IX", "Ⅹ": "X", "Ⅺ": "XI", "Ⅻ": "XII",
}
ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}

_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_ASCII[0x3000] = 0x20
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_MARKDOWN_BOLD = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*$")
_TRAILING_NOTE = re.compile(r"\s*※.*$")
_APPENDIX_SPACE = re.compile(r"^(\(別添\s*\d+\))\s*")
_WHITESPACE = re.compile(r"\s+")


def circled_number(char: str) -> int | None:
    """① -> 1, ⑳ -> 20, ㉑ -> 21, ㊿ -> 50; anything else -> None.

    >>> circled_number('④'), circled_number('㉑'), circled_number('4')
    (4, 21, None)
    """
    if not char:
        return None
    code = ord(char[0])
    if 0x2460 <= code <= 0x2473:
        return code - 0x2460 + 1
    if 0x3251 <= code <= 0x325F:
        return code - 0x3251 + 21
    if 0x32B1 <= code <= 0x32BF:
        return code - 0x32B1 + 36
    return None


CIRCLED_CLASS = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"


def quote_key(text: str) -> str:
    """The form in which a quote is compared with its source: entities unescaped, NFKC, no whitespace.

    >>> quote_key('&lt;選択肢&gt;　１) 定めている')
    '<選択肢>1)定めている'
    """
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", html.unescape(text)))


def strip_markdown(text: str) -> str:
    """Remove a markdown heading marker and wrapping bold from one cell.

    >>> strip_markdown('## 公表日'), strip_markdown('**6. 特定個人情報の保管・消去**')
    ('公表日', '6. 特定個人情報の保管・消去')
    """
    text = _MARKDOWN_HEADING.sub("", text)
    match = _MARKDOWN_BOLD.match(text)
    return match.group(2) if match else text.strip()


@lru_cache(maxsize=8192)
def plain_label(cell: str) -> str:
    """A label cell as one line of plain text, as written (markup and markdown removed).

    >>> plain_label('<b>システム1</b>'), plain_label('<p>①保管場所 ※</p>')
    ('システム1', '①保管場所 ※')
    """
    return collapse_spaces(strip_markdown(html_to_text(strip_markdown(cell))))


def to_ascii_forms(text: str) -> str:
    """Roman numerals and full-width ASCII -> ASCII; other characters (①, カナ) unchanged.

    >>> to_ascii_forms('Ⅱ　特定個人情報ファイルの概要（１）')
    'II 特定個人情報ファイルの概要(1)'
    """
    for numeral, ascii_form in ROMAN_NUMERALS.items():
        text = text.replace(numeral, ascii_form)
    return text.translate(_FULLWIDTH_ASCII)


@lru_cache(maxsize=8192)
def normalize_title(text: str) -> str:
    """A section title in the one form used in section paths.

    >>> normalize_title('(別添2)変更箇所')
    '(別添2) 変更箇所'
    >>> normalize_title('<b>5. 個人番号の利用 ※</b>')
    '5. 個人番号の利用'
    """
    title = to_ascii_forms(plain_label(text))
    title = _TRAILING_NOTE.sub("", title)
    title = _APPENDIX_SPACE.sub(lambda m: m.group(1).replace(" ", "") + " ", title)
    return collapse_spaces(title)


def roman_value(numeral: str) -> int | None:
    """'III' -> 3 (ASCII numerals as produced by ``to_ascii_forms``); None for anything else."""
    return ROMAN_VALUES.get(numeral)
