"""Recognise the headings of the 様式 in a row: major sections, 別添, numbered items, repeated blocks.

Headings are recognised by general rules, the titles themselves coming from the form schema:

- major section: a Roman numeral and a known title (``Ⅲ リスク対策``), or an unknown short title whose
  numeral follows the current one (``V 評価実施手続`` after IV);
- appendix: ``(別添1) 特定個人情報ファイル記録項目``;
- item: ``4. 特定個人情報ファイルの取扱いの委託``, numbered after the previous item of the section, so a
  value such as ``1. 滞納処分ファイル 2. 交渉記録ファイル`` under item 3 is not taken for a heading;
- block: ``システム1``, ``委託事項2``, ``提供先3``, ``移転先4`` and ``リスク1: 目的外の入手が行われるリスク``;
  ranges such as ``システム2～5`` are empty headers of the form and recognised as ``range``.

A heading cell may carry a value after its title (``4. 特定個人情報ファイルの取扱いの委託 [] 委託しない``);
``split_inline_value`` separates them.

>>> from ingest.form_schema import load_form_schema
>>> schema = load_form_schema()
>>> match_block('リスク1： 目的を超えた紐付け', schema).title
'リスク1: 目的を超えた紐付け'
>>> match_item('1. 滞納処分ファイル 2. 交渉記録ファイル', last_number=3) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ingest.form_schema import FormSchema
from ingest.normalize import normalize_title, roman_value, to_ascii_forms

HeadingKind = Literal["major", "appendix", "item", "block", "range", "file"]

# Ranks order the frames of a section path; a new frame closes every open frame of equal or lower rank.
RANKS = {"major": 0, "appendix": 0, "file": 1, "item": 2, "block": 3, "range": 3, "group": 4}

_MAJOR = re.compile(r"^(VIII|VII|VI|IV|IX|V|III|II|I|X)(?:\s*[.．]\s*|\s+|(?=[^\sA-Za-z]))(\S.*)$")
_APPENDIX = re.compile(r"^[(（]\s*別添\s*(\d+)\s*[)）]\s*(.*)$")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．]\s*(?!\d)(\S.*)$")
_SECOND_ENUMERATION = re.compile(r"\s\d{1,2}\s*[.．]\s*\S")
_FILE_BLOCK = re.compile(r"^[(（]\s*(\d{1,2})\s*[)）]\s*(\S.*)$")
_INLINE_VALUE = re.compile(r"[\[［]|<input\b", re.I)
_MAJOR_TITLE_LIMIT = 40
_ITEM_TITLE_LIMIT = 80
_ITEM_GAP = 4
_RISK_LIST_LIMIT = 200


@dataclass(frozen=True)
class Heading:
    """A recognised heading: its kind, the title used in section paths, and its number if any."""

    kind: HeadingKind
    title: str
    number: int | None = None

    @property
    def rank(self) -> int:
        return RANKS[self.kind]


def split_inline_value(cell: str) -> tuple[str, str]:
    """Split a heading cell at its first checkbox or bracket: (title part, value part).

    >>> split_inline_value('4. 特定個人情報ファイルの取扱いの委託 [] 委託しない')
    ('4. 特定個人情報ファイルの取扱いの委託', '[] 委託しない')
    """
    match = _INLINE_VALUE.search(cell)
    if not match:
        return cell.strip(), ""
    return cell[: match.start()].strip(), cell[match.start() :].strip()


def _plain_sentence(title: str) -> bool:
    """Titles are not sentences: no '。' except inside parentheses ('…を除く。)')."""
    return "。" in re.sub(r"。\s*[)）]", "", title)


def match_major(text: str, schema: FormSchema, current: int | None) -> Heading | None:
    """``Ⅱ 特定個人情報ファイルの概要`` -> Heading('major', 'II 特定個人情報ファイルの概要', 2).

    >>> from ingest.form_schema import load_form_schema
    >>> match_major('### Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策 ※(7. リスク1⑨を除く。)', load_form_schema(), 2)
    Heading(kind='major', title='III 特定個人情報ファイルの取扱いプロセスにおけるリスク対策', number=3)
    """
    title = normalize_title(text)
    match = _MAJOR.match(title)
    if not match:
        return None
    numeral, rest = match.groups()
    value = roman_value(numeral)
    known = schema.is_major_title(rest)
    follows = current is not None and value in (current, current + 1)
    if not known and not (follows and len(rest) <= _MAJOR_TITLE_LIMIT and not _plain_sentence(rest)):
        return None
    return Heading("major", f"{numeral} {rest}", value)


def match_appendix(text: str) -> Heading | None:
    """``(別添2)変更箇所`` -> Heading('appendix', '(別添2) 変更箇所', 2)."""
    title = normalize_title(text)
    match = _APPENDIX.match(title)
    if not match:
        return None
    number, rest = match.groups()
    return Heading("appendix", f"(別添{number}) {rest}".strip(), int(number))


def match_item(text: str, last_number: int | None) -> Heading | None:
    """A numbered item following ``last_number`` (None at the start of a section).

    >>> match_item('6.評価実施機関における担当部署', last_number=5)
    Heading(kind='item', title='6. 評価実施機関における担当部署', number=6)
    """
    title = normalize_title(text)
    match = _ITEM.match(title)
    if not match:
        return None
    number, rest = int(match.group(1)), match.group(2)
    previous = last_number or 0
    if not previous < number <= previous + _ITEM_GAP:
        return None
    if len(rest) > _ITEM_TITLE_LIMIT or _plain_sentence(rest) or _SECOND_ENUMERATION.search(rest):
        return None
    return Heading("item", f"{number}. {rest}", number)


def match_block(text: str, schema: FormSchema) -> Heading | None:
    """``委託事項2`` / ``リスク: …`` -> block heading; ``システム2～5`` -> range (an empty header).

    >>> from ingest.form_schema import load_form_schema
    >>> match_block('システム2～5', load_form_schema()).kind
    'range'
    """
    title = normalize_title(text)
    names = "|".join(re.escape(name) for name in schema.block_labels)
    block = re.match(rf"^({names})\s*(\d{{1,3}})(?:\s*([～〜~\-－ー―]|から)\s*(\d{{1,3}}))?$", title)
    if block:
        name, number, dash, _ = block.groups()
        if dash:
            return Heading("range", title)
        return Heading("block", f"{name}{number}", int(number))
    risk = re.match(rf"^{re.escape(schema.risk_label)}\s*(\d{{0,2}})\s*[:：]\s*(\S.*)$", title)
    if risk:
        number, rest = risk.groups()
        return Heading("block", f"{schema.risk_label}{number}: {rest}", int(number) if number else None)
    return None


def match_block_with_value(text: str, schema: FormSchema) -> tuple[Heading, str] | None:
    """``委託事項1 システムの保守・運用`` (one cell, no tab) -> (block heading, value).

    >>> from ingest.form_schema import load_form_schema
    >>> heading, value = match_block_with_value('提供先1 厚生労働大臣', load_form_schema())
    >>> heading.title, value
    ('提供先1', '厚生労働大臣')
    """
    names = "|".join(re.escape(name) for name in schema.block_labels)
    match = re.match(rf"^\s*({names})\s*(\d{{1,3}})\s+(\S.*)$", text, re.S)
    if not match or re.match(r"^[～〜~\-－ー―]", match.group(3)):
        return None
    name, number, value = match.groups()
    return Heading("block", f"{name}{number}", int(number)), value.strip()


def match_risk_list(text: str, schema: FormSchema) -> Heading | None:
    """A line naming the risks a 全項目 block answers, without ``リスクN:`` (it ends with リスク).

    >>> from ingest.form_schema import load_form_schema
    >>> match_risk_list('委託先による特定個人情報の不正な提供に関するリスク 再委託に関するリスク', load_form_schema()).title
    '委託先による特定個人情報の不正な提供に関するリスク 再委託に関するリスク'
    >>> match_risk_list('【不適切な方法で提供されるリスク】', load_form_schema()) is None
    True
    """
    title = normalize_title(text)
    if not title.endswith(schema.risk_label) or len(title) > _RISK_LIST_LIMIT or _plain_sentence(title):
        return None
    if re.match(r"^[・･○◯●■□◆◇※【〈<＜\[(\-]", title):
        return None
    return Heading("block", title)


def match_file_block(text: str) -> Heading | None:
    """``(2) 収納消込情報ファイル`` -> Heading('file', '(2)収納消込情報ファイル', 2).

    Whether such a line is a file block depends on where it stands (under 特定個人情報ファイル名);
    the form parser decides that.
    """
    title = normalize_title(text)
    match = _FILE_BLOCK.match(title)
    if not match or _plain_sentence(match.group(2)):
        return None
    return Heading("file", f"({match.group(1)}){match.group(2)}", int(match.group(1)))


def is_major_like(text: str) -> bool:
    """A row that starts with a Roman numeral title (used to skip the 項目一覧 table of contents)."""
    return bool(_MAJOR.match(to_ascii_forms(text.strip().lstrip("#").strip())))
