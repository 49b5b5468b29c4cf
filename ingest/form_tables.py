"""Tables inside the form: 変更箇所 (change history) and lists such as the 提供先 table of a 別紙.

A table starts with a header row of short column titles; each row after it is read as one field named
by its first cell, whose value lists ``column: cell`` lines. Rows of a 変更箇所 section are table rows
even without a header, and a history line exported without tabs is split at its leading date.

>>> header = ('変更日', '項目', '変更前の記載', '変更後の記載')
>>> row = table_row(('平成29年4月24日', 'I 基本情報 ②所属長', '課長 伊藤', '課長 平野'), header)
>>> row.label, row.value.split('\\n')
('平成29年4月24日', ['項目: I 基本情報 ②所属長', '変更前の記載: 課長 伊藤', '変更後の記載: 課長 平野'])

A row numbered in its first cell under a column that names the rows (a 別紙's 提供先 table) is named
with the column's title first, like the form's own repeated blocks, so 「提供先17」 finds it:

>>> row = table_row(('17', '広島市長', '別表第二の九十', '介護手当の支給'), ('提供先', '①法令上の根拠', '②提供先における用途'))
>>> row.label, row.value.split('\\n')
('提供先17 広島市長', ['①法令上の根拠: 別表第二の九十', '②提供先における用途: 介護手当の支給'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import plain_label
from ingest.values import marked_lines, radios_tick
from ingest.wareki import split_leading_date

HEADER_CELL_LIMIT = 25
_NOT_HEADER = re.compile(r"[\[［]|<input\b|選択肢|。", re.I)
_DIGIT = re.compile(r"\d")  # header cells name columns; dates and numbers are data
_NUMBERED_ROW = re.compile(r"^(\d{1,3})\s+\S")  # a row numbered in its first cell: 「17 都道府県知事…」
_NAMING_COLUMN = re.compile(r"^[^\d\s:：]{2,12}$")  # a first column that names what each row is (提供先, 移転先)


@dataclass(frozen=True)
class TableRow:
    """One row read as a field: label, readable value, and the plain text of its cells."""

    label: str
    value: str
    text: str


def is_header(cells: tuple[str, ...]) -> bool:
    """Four or more short column titles, none a date, number, checkbox or sentence.

    >>> is_header(('変更日', '項目', '変更前の記載', '変更後の記載', '提出時期'))
    True
    >>> is_header(('平成29年3月21日', 'V 評価実施手続', '平成29年3月17日', '事後'))
    False
    """
    if len(cells) < 4:
        return False
    return all(
        len(plain_label(cell)) <= HEADER_CELL_LIMIT and not _NOT_HEADER.search(cell) and not _DIGIT.search(plain_label(cell))
        for cell in cells
    )


def _align(cells: list[str], header: tuple[str, ...]) -> list[str]:
    """Fit a row to the header: drop leading empty cells, merge extra leading cells into the first."""
    while header and len(cells) > len(header) and not cells[0]:
        cells.pop(0)
    if header and len(cells) > len(header):
        extra = len(cells) - len(header) + 1
        cells = [" ".join(cell for cell in cells[:extra] if cell), *cells[extra:]]
    return cells


def table_row(cells: tuple[str, ...], header: tuple[str, ...] | None) -> TableRow | None:
    """A table row as a field; None when the row has no text."""
    header = header or ()
    aligned = _align(list(cells), header)
    # checkbox marks are content ('変更前の記載: ☐ その他()'); radio inputs are read across the row
    ticks = radios_tick("\t".join(aligned))
    read = [marked_lines(cell, ticks) for cell in aligned]
    plain = [" ".join(value_lines) for value_lines, _ in read]
    if not any(plain):
        return None
    # named by the first cell; when that is empty (a 変更箇所 row without a date) by the column's
    # title, so the label stays short and every cell stays in the value
    label = plain[0] or (header[0] if header else "")
    first_value = 1
    if not label:
        first_value = next(index for index, text in enumerate(plain) if text)
        label, first_value = plain[first_value], first_value + 1
    lines = []
    numbered = _NUMBERED_ROW.match(label) if first_value == 1 and header and _NAMING_COLUMN.match(header[0]) else None
    if numbered:  # 「17 都道府県知事…」 under the column 提供先 is 提供先17 …, as the form's own blocks are named
        label = f"{header[0]}{label}"
    for index in range(first_value, len(plain)):
        if plain[index]:
            name = header[index] if index < len(header) else ""
            lines.append(f"{name}: {plain[index]}" if name else plain[index])
    text = "\n".join(line for _, text_lines in read for line in text_lines)
    return TableRow(label, "\n".join(lines), text)


def dated_line(cell: str) -> TableRow | None:
    """``令和2年3月29日 I 基本情報 …`` (a history row without tabs) -> field named by its date."""
    value_lines, text_lines = marked_lines(cell)
    split = split_leading_date(" ".join(value_lines))
    if split is None or not split[1]:
        return None
    return TableRow(split[0], split[1], "\n".join(text_lines))
