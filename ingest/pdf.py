"""PDF reader: the bordered tables and running text of a 評価書 PDF as rows of cells, in reading order.

Each page gives table rows (``('③委託先名', 'AGS株式会社')``) and one-cell rows for the lines of text
outside tables, sorted top to bottom, so the form parser sees the rows a text export gives. A label
cell merged down several rows gives the rows below an empty first cell, as in the text exports.

What it simplifies, on purpose:

- A cell's lines are joined into one string (a row is one line of the form). A line that stops
  short of the cell's right edge was broken on purpose (a new paragraph or list item) and is joined
  with a space. A line that reaches the edge was wrapped by the renderer: it is joined with nothing
  in between when both sides are wide (Japanese) characters or both are digits, with a space
  otherwise. ``'・取込用' + 'にデータ化'`` (wrapped) -> ``'・取込用にデータ化'``;
  ``'[○] 庁内連携システム' + '[ ] 宛名'`` -> ``'[○] 庁内連携システム [ ] 宛名'``.
- Lines of running text outside tables are joined the same way when a paragraph wraps at the right
  margin; other lines stay one row each.
- A row or paragraph split by a page break is joined back into one (see ``_continues``); where the
  break fell at the end of a line in a one-column row, the two parts stay two rows.
- Pages are read one at a time and closed, so memory stays flat on 100+ page files. No OCR: a PDF
  without a text layer is refused.
"""

from __future__ import annotations

import io
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.table import Table, TableFinder
from pdfplumber.utils import cluster_objects
from pdfplumber.utils.exceptions import PdfminerException

from assistant.errors import InputError

# A lone bordered box smaller than this (in points) is a decoration, not a table cell.
MIN_BOX_POINTS = 10
# A line ending less than this many character widths short of the right limit was wrapped.
WRAP_ROOM_CHARS = 1.2
# Text reaching this close (in character heights) to a cell's bottom may continue on the next page.
CUT_ROOM_CHARS = 2.0
# Next line of the same paragraph: at most this gap (in character heights) below the previous one.
PARAGRAPH_GAP_CHARS = 0.7
# Narrow cells wrap numbers too: '1,0' + '00' is one number.
_NUMBER_CHARS = frozenset("0123456789,.")
# A gap between two characters wider than this (in character widths) is a space.
SPACE_GAP_CHARS = 0.2


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Cell:
    text: str
    x0: float = 0.0
    x1: float = 0.0
    cut: bool = False  # the text runs to the bottom edge: a page break may have split it
    wrapped_end: bool = False  # the last line was wrapped: the text goes on


@dataclass
class _Item:
    """One row of the output: a table row, or a line of running text (``cells`` of length 1)."""

    top: float
    x0: float
    cells: list[_Cell]
    in_table: bool


def read_pdf_rows(path: Path, data: bytes) -> tuple[tuple[str, ...], ...]:
    """Read a PDF's tables and text into rows of cells; every problem becomes a one-line InputError.

    ``data`` is the file's content (already read by ``read_source``); ``path`` names the file.
    """
    items: list[_Item] = []
    char_count = 0
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as error:
        raise _open_error(error) from None
    with pdf:
        try:
            pages = pdf.pages
        except Exception as error:  # pdfminer raises assorted builtin errors on broken page trees
            raise InputError(f"corrupt or unreadable PDF: {_one_line(error)}") from None
        if not pages:
            raise InputError("corrupt or unreadable PDF: it has no pages")
        for number, page in enumerate(pages, start=1):
            try:
                page_items, page_chars = _read_page(page)
            except Exception as error:  # as above: translate at this boundary, no stack trace
                raise InputError(
                    f"corrupt or unreadable PDF: page {number}: {_one_line(error)}"
                ) from None
            finally:
                page.close()
            char_count += page_chars
            if page_items and items and _continues(items[-1], page_items[0]):
                _merge_into(items[-1], page_items.pop(0))
            items.extend(page_items)
    if char_count == 0:
        raise InputError("the PDF has no text layer (scanned image?); OCR is not supported")
    return tuple(row for row in map(_row_of, items) if row)


def _open_error(error: PdfminerException) -> InputError:
    cause = error.args[0] if error.args else error
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return InputError("the PDF is encrypted and cannot be opened without its password")
    return InputError(f"corrupt or unreadable PDF: {_one_line(cause)}")


def _one_line(error: object) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    return message if len(message) <= 200 else message[:199] + "…"


def _read_page(page) -> tuple[list[_Item], int]:
    chars = [char for char in page.chars if char["text"]]
    tables = _find_tables(page)
    boxes = [table.bbox for table in tables]  # a computed property: compute it once
    in_table: list[list[dict]] = [[] for _ in tables]
    outside: list[dict] = []
    for char in chars:
        center_x = (char["x0"] + char["x1"]) / 2
        center_y = (char["top"] + char["bottom"]) / 2
        for index, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= center_x < x1 and top <= center_y < bottom:
                in_table[index].append(char)
                break
        else:
            outside.append(char)

    items: list[_Item] = []
    for table, table_chars in zip(tables, in_table):
        items.extend(_table_items(table, table_chars))
    lines = _lines(outside)
    if lines:
        content_left = min([line.x0 for line in lines] + [table.bbox[0] for table in tables])
        # Margins are alike on both sides: the right margin mirrors the leftmost content.
        items.extend(_text_items(lines, right_limit=page.width - content_left))
    items.sort(key=lambda item: (round(item.top, 1), item.x0))
    return items, len(chars)


def _find_tables(page) -> list[Table]:
    """pdfplumber's tables, plus lone bordered boxes: the rest of a one-column row cut by a page break.

    pdfplumber drops tables of one cell; a box big enough for a line of text that overlaps no
    other table is kept here as a one-cell table.
    """
    finder = TableFinder(page)
    tables = list(finder.tables)
    grouped = {cell for table in tables for cell in table.cells}
    for cell in finder.cells:
        x0, top, x1, bottom = cell
        if cell in grouped or x1 - x0 < MIN_BOX_POINTS or bottom - top < MIN_BOX_POINTS:
            continue
        if not any(_overlaps(cell, table.bbox) for table in tables):
            tables.append(Table(page, [cell]))
    return tables


def _overlaps(box: tuple, other: tuple) -> bool:
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def _table_items(table, chars: list[dict]) -> list[_Item]:
    """One item per table row; spanned cells (None in pdfplumber's rows) give empty cells."""
    boxes = table.cells
    xs = sorted({box[0] for box in boxes} | {box[2] for box in boxes})
    ys = sorted({box[1] for box in boxes} | {box[3] for box in boxes})
    x_index = {x: i for i, x in enumerate(xs)}
    y_index = {y: i for i, y in enumerate(ys)}
    # Which cell owns each grid square, so a character finds its cell by two bisections.
    owner: dict[tuple[int, int], tuple] = {}
    for box in boxes:
        for row in range(y_index[box[1]], y_index[box[3]]):
            for column in range(x_index[box[0]], x_index[box[2]]):
                owner[(row, column)] = box
    cell_chars: dict[tuple, list[dict]] = {box: [] for box in boxes}
    for char in chars:
        row = bisect_right(ys, (char["top"] + char["bottom"]) / 2) - 1
        column = bisect_right(xs, (char["x0"] + char["x1"]) / 2) - 1
        box = owner.get((row, column))
        if box is not None:
            cell_chars[box].append(char)

    column_x0s = sorted({box[0] for box in boxes})  # the positions of pdfplumber's row.cells
    items = []
    for row in table.rows:
        cells: list[_Cell] = []
        for column_x0, box in zip(column_x0s, row.cells):
            if box is not None:
                cells.append(_cell(box, cell_chars[box]))
            elif not cells or cells[-1].x1 <= column_x0 + 1:
                # Covered by a label cell merged from the rows above: an empty label, as in text.
                cells.append(_Cell("", x0=column_x0, x1=column_x0))
            # else: covered by the cell to its left, merged across columns: no cell of its own.
        items.append(_Item(top=row.bbox[1], x0=row.bbox[0], cells=cells, in_table=True))
    return items


def _cell(box: tuple, chars: list[dict]) -> _Cell:
    lines = _lines(chars)
    x0, top, x1, bottom = box
    if not lines:
        return _Cell("", x0=x0, x1=x1)
    # Cells are padded alike on both sides: the text's right limit mirrors where it starts.
    padding = min(min(line.x0 for line in lines) - x0, 2 * lines[0].size)
    wrapped = [_reaches(line, x1 - padding) for line in lines]
    text = lines[0].text
    for line, was_wrapped in zip(lines[1:], wrapped):
        text = _join(text, line.text, was_wrapped)
    last = lines[-1]
    cut = bottom - last.bottom < CUT_ROOM_CHARS * last.size
    return _Cell(text, x0=x0, x1=x1, cut=cut, wrapped_end=wrapped[-1])


def _reaches(line: _Line, right_limit: float) -> bool:
    """Was the line wrapped, i.e. did it stop because the next character would not fit?"""
    return right_limit - line.x1 < WRAP_ROOM_CHARS * line.size


def _text_items(lines: list[_Line], right_limit: float) -> list[_Item]:
    """Lines outside tables; a paragraph wrapped at the right margin becomes one item."""
    items: list[_Item] = []
    previous: _Line | None = None
    for line in lines:
        if (
            previous is not None
            and _reaches(previous, right_limit)
            and line.top - previous.bottom < PARAGRAPH_GAP_CHARS * previous.size
            and line.x0 <= previous.x0 + previous.size / 2
        ):
            cell = items[-1].cells[0]
            cell.text = _join(cell.text, line.text, wrapped=True)
        else:
            items.append(_Item(top=line.top, x0=line.x0, cells=[_Cell(line.text)], in_table=False))
        items[-1].cells[0].wrapped_end = _reaches(line, right_limit)
        previous = line
    return items


def _lines(chars: list[dict]) -> list[_Line]:
    """Cluster characters into lines (top to bottom), spaces from glyphs or from wide gaps."""
    if not chars:
        return []
    lines = []
    tolerance = max(1.0, min(char["size"] for char in chars) / 3)
    for cluster in cluster_objects(chars, itemgetter("top"), tolerance):
        cluster.sort(key=itemgetter("x0"))
        parts: list[str] = []
        last_x1 = None
        pending_space = False
        for char in cluster:
            if char["text"].isspace():
                pending_space = bool(parts)
                continue
            gap = char["x0"] - last_x1 if last_x1 is not None else 0.0
            if parts and (pending_space or gap > SPACE_GAP_CHARS * char["size"]):
                parts.append(" ")
            parts.append(char["text"])
            last_x1 = char["x1"]
            pending_space = False
        visible = [char for char in cluster if not char["text"].isspace()]
        if not visible:
            continue
        lines.append(
            _Line(
                text="".join(parts),
                x0=visible[0]["x0"],
                x1=max(char["x1"] for char in visible),
                top=min(char["top"] for char in visible),
                bottom=max(char["bottom"] for char in visible),
                size=max(char["size"] for char in visible),
            )
        )
    lines.sort(key=lambda line: line.top)
    return lines


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _glued(before: str, after: str) -> bool:
    """Did a wrap between these characters split a run written without a space?"""
    if _is_wide(before) and _is_wide(after):
        return True
    return before in _NUMBER_CHARS and after in _NUMBER_CHARS


def _join(text: str, more: str, wrapped: bool) -> str:
    """Join two lines of one cell or paragraph.

    >>> _join('・取込用', 'にデータ化', wrapped=True)
    '・取込用にデータ化'
    >>> _join('1) 10人未満', '2) 10人以上', wrapped=True)
    '1) 10人未満 2) 10人以上'
    >>> _join('4) 1,0', '00人以上', wrapped=True)
    '4) 1,000人以上'
    >>> _join('[○] 庁内連携システム', '[ ] 宛名システム等', wrapped=False)
    '[○] 庁内連携システム [ ] 宛名システム等'
    """
    if not text:
        return more
    if not more:
        return text
    if wrapped and _glued(text[-1], more[0]):
        return text + more
    return f"{text} {more}"


def _continues(previous: _Item, first: _Item) -> bool:
    """Is ``first`` (the first row of a page) the rest of ``previous`` (the last row of the page before)?

    A paragraph of running text continues when its last line was wrapped. A table row split by a
    page break leaves its label on the first page: the rest has an empty first cell, and each of
    its filled cells lies under a cell of ``previous`` whose text ran to the bottom, either cut in
    mid-line or taller than the row's label (so the page break, not the text, ended it).
    ``('', '', 'rest of the value')`` continues ``('', '使用者数', 'a long value')``, while
    ``('', '⑥再委託事項')`` is a row of its own under ``('', '⑤再委託の許諾方法')``.
    """
    if previous.in_table != first.in_table:
        return False
    if not first.in_table:
        return previous.cells[0].wrapped_end
    if len(first.cells) > 1 and first.cells[0].text:
        return False
    new_filled = [cell for cell in first.cells if cell.text]
    old_filled = [cell for cell in previous.cells if cell.text]
    if not new_filled or not old_filled:
        return False
    label = old_filled[0]
    for cell in new_filled:
        old = _cell_above(previous, cell)
        if old is None or not old.text or not old.cut:
            return False
        if not (old.wrapped_end or (old is not label and not label.cut)):
            return False
    return True


def _cell_above(previous: _Item, cell: _Cell) -> _Cell | None:
    """The cell of ``previous`` in the same column (same left and right borders) as ``cell``."""
    for old in previous.cells:
        if abs(old.x0 - cell.x0) <= 1 and abs(old.x1 - cell.x1) <= 1:
            return old
    return None


def _merge_into(previous: _Item, rest: _Item) -> None:
    for cell in rest.cells:
        if not cell.text:
            continue
        old = _cell_above(previous, cell) if previous.in_table else previous.cells[0]
        old.text = _join(old.text, cell.text, wrapped=old.wrapped_end)
        old.cut, old.wrapped_end = cell.cut, cell.wrapped_end


def _row_of(item: _Item) -> tuple[str, ...]:
    cells = [" ".join(cell.text.split()) for cell in item.cells]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)
