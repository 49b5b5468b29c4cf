"""Rows of a text export, cleaned for the form parser.

Markdown is layout, not content: heading markers (``## 公表日``), bold (``**6. …**``), list bullets
(``- ・科目コード``) and markdown tables (``| a | b |``, ``|---|``) are turned into plain cells, and
separator rows made only of dashes (``-----\t-----``) are dropped. Cells keep their HTML; leading
empty cells are kept because they mean "continuation of the label above".

>>> rows = prepare_rows((('## 公表日',), ('- ・科目コード',), ('| ・年度分 | ・通知書番号 |',), ('---', '---')))
>>> [(row.cells, row.bullet) for row in rows]
[(('公表日',), False), (('・科目コード',), True), (('・年度分', '・通知書番号'), False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ingest.normalize import plain_label, quote_key, strip_markdown

_DASHES = re.compile(r"^:?-{2,}:?$")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_BULLET = re.compile(r"^[-*+]\s+(?=\S)")


@dataclass(frozen=True)
class FormRow:
    """One cleaned row: raw cells (HTML kept), and whether it was a markdown list item."""

    cells: tuple[str, ...]
    bullet: bool = False
    markdown_table: bool = False

    @property
    def joined(self) -> str:
        """The non-empty cells as one value: tab-joined (tabs are in the source, so the text stays one
        span); markdown table cells, separated by pipes in the source, one per line."""
        return ("\n" if self.markdown_table else "\t").join(self.filled)

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)

    @property
    def filled(self) -> tuple[str, ...]:
        """The non-empty cells."""
        return tuple(cell for cell in self.cells if cell)

    @property
    def first(self) -> str:
        return self.cells[0] if self.cells else ""

    @cached_property
    def key(self) -> str:
        """The row compared with its neighbours (duplicate detection): tags removed, quote key."""
        return quote_key(" ".join(plain_label(cell) for cell in self.filled))


def _markdown_table_cells(line: str) -> tuple[str, ...] | None:
    """``| a | b |`` -> ('a', 'b'); a separator ``|---|---|`` -> (); not a table row -> None."""
    stripped = line.strip()
    if stripped.startswith("- |"):
        stripped = stripped[2:].strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1):
        return None
    cells = tuple(cell.strip() for cell in stripped[1:-1].split("|"))
    if all(not cell or _DASHES.match(cell) for cell in cells):
        return ()
    return cells


def prepare_row(cells: tuple[str, ...]) -> FormRow | None:
    """Clean one row; None when the row is layout only (a separator or an empty markdown table row)."""
    if not cells:
        return FormRow(())
    if len(cells) == 1:
        table_cells = _markdown_table_cells(cells[0])
        if table_cells is not None:
            return FormRow(table_cells, markdown_table=True) if table_cells else None
    filled = [cell for cell in cells if cell]
    if len(filled) >= 2 and all(_DASHES.match(cell) for cell in filled):
        return None
    if len(filled) == 1 and _RULE.match(filled[0]):
        return None
    first = strip_markdown(cells[0]) if cells[0] else ""
    bullet = False
    if len(filled) == 1 and cells[0]:
        match = _BULLET.match(first)
        if match:
            first, bullet = first[match.end() :], True
    return FormRow((first, *(cell.strip() for cell in cells[1:])), bullet)


def prepare_rows(rows: tuple[tuple[str, ...], ...]) -> list[FormRow]:
    """Clean all rows of a source, dropping layout-only rows."""
    prepared = []
    for cells in rows:
        row = prepare_row(tuple(cells))
        if row is not None:
            prepared.append(row)
    return prepared
