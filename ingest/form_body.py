"""The body of the form (sections I–VI and the 別添) read row by row into sections and fields.

``FormBody.feed`` takes the cleaned rows after the cover; ``fields`` and ``sections()`` give the
result. The reading rules (see ``ingest.form`` for the overview):

- a heading pushes a frame on the section path; frames have ranks (major/別添 < per-file block < item
  < block < group) and a new frame closes the open frames of equal or lower rank;
- the value written on a heading row, or in value-only rows right after it, is a field whose path is
  the heading's path (label = heading title; for a major section the label is empty);
- a first-column label opens a field; value-only rows after it continue it (multi-row cells); rows
  that repeat what an HTML table in the field already showed are skipped;
- a row with an empty first cell and a label in the second (``\\t使用者数\\t…``) is a sub-field: the
  label above becomes a group section (``… > ④使用の主体 > 使用者数``);
- ``(1)介護保険情報ファイル`` under 特定個人情報ファイル名 opens a per-file block that holds the items
  after it, in II, III and the 別添 (where the file is named by its bare name);
- tables (a header row of short titles, and every row of a 変更箇所 section) give one field per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.types import Field, Section
from ingest.form_rows import FormRow
from ingest.form_schema import FormSchema, label_key
from ingest.form_tables import dated_line, is_header, table_row
from ingest.headings import (
    RANKS,
    Heading,
    match_appendix,
    match_block,
    match_block_with_value,
    match_file_block,
    match_item,
    match_major,
    match_risk_list,
    split_inline_value,
)
from ingest.labels import is_circled_label, is_label_like, split_before_marker, split_label
from ingest.markup import strip_tags
from ingest.normalize import circled_number, plain_label, quote_key
from ingest.values import read_cell, repeats_boxes

_SUB_LABEL_LIMIT = 20


@dataclass
class Frame:
    """One element of the current section path."""

    title: str
    rank: int
    kind: str
    number: int | None = None
    registered: bool = False
    has_value: bool = False
    members: str | None = None  # groups: 'circled' or 'plain' labels of the members read so far
    last_number: int | None = None


@dataclass
class OpenField:
    """The field being read: more rows may still continue it."""

    section: tuple[str, ...]
    label: str
    parts: list[str] = field(default_factory=list)
    heading: Frame | None = None


def _key(raw: str) -> str:
    return quote_key(strip_tags(raw, replacement=""))


class FormBody:
    """Reads body rows into ``fields`` (document order) and a section tree."""

    def __init__(self, schema: FormSchema) -> None:
        self.schema = schema
        self.fields: list[Field] = []
        self.stack: list[Frame] = []
        self.open: OpenField | None = None
        self.item_number: int | None = None
        self.major_number: int | None = None
        self.history = False
        self.table_header: tuple[str, ...] | None = None
        self.last_label: tuple[tuple[str, ...], str] | None = None  # a first-column label that may become a group
        self.file_titles: dict[str, str] = {}  # bare file name key -> '(1)介護保険情報ファイル'
        self._paths: list[tuple[str, ...]] = []
        self._known_paths: set[tuple[str, ...]] = set()

    # ---- results -------------------------------------------------------------------------------

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(frame.title for frame in self.stack)

    def sections(self, leading: tuple[str, ...] | None = None) -> tuple[Section, ...]:
        paths = ([leading] if leading else []) + self._paths
        return tuple(Section(path, ordinal) for ordinal, path in enumerate(paths))

    def finish(self) -> None:
        self._close()
        self._pop_to(0)

    # ---- rows ----------------------------------------------------------------------------------

    def feed(self, row: FormRow) -> None:
        """Read one row. The order of the checks is the order of precedence: a heading is a heading
        wherever it stands; a table row is not a label; a label in the second column is a sub-field."""
        if row.is_blank:
            return
        filled = row.filled
        if self.history and len(filled) == 1 and self._dated_line(row):
            return
        if self.history and len(filled) >= 2:
            if self._is_table_header(row):
                self._close()
                self.table_header = tuple(plain_label(cell) for cell in filled)
            else:
                self._table_row(row)
            return
        if row.first and not row.bullet and self._heading_row(row):
            return
        if self._file_block_row(row) or self._is_duplicate(row) or self._table(row):
            return
        if not row.first and self._sub_label_row(row):
            return
        if len(filled) >= 4 and not self._starts_with_label(row):
            self._add_part(row.joined)
            return
        if row.first and len(filled) >= 2 and self._label_row(row):
            return
        if row.first and len(filled) == 1 and not row.bullet and self._single_label_row(row):
            return
        self._add_part(row.joined)

    def _heading_row(self, row: FormRow) -> bool:
        single = len(row.filled) == 1
        title, inline = split_inline_value(row.first) if single else (row.first, "")
        values = [inline] if inline else [cell for cell in row.cells[1:] if cell]
        heading = match_major(title, self.schema, self.major_number) or match_appendix(title)
        if heading is not None:
            self._start_major(heading, values)
            return True
        heading = match_block(title, self.schema)
        if heading is not None and heading.kind == "range":
            self._close()
            self._pop_to(RANKS["block"])
            return True
        if heading is None and single and not inline:
            with_value = match_block_with_value(title, self.schema)
            if with_value is not None:
                heading, values = with_value[0], [with_value[1]]
            elif self._in_risk_section():
                heading = match_risk_list(title, self.schema)
        if heading is None:
            heading = match_item(title, self.item_number)
            if heading is None:
                return False
            self.item_number = heading.number
        frame = self._push(heading)
        self._open_heading(frame, values)
        return True

    def _start_major(self, heading: Heading, values: list[str]) -> None:
        frame = self._push(heading)
        self.item_number = None
        if heading.kind == "major":
            self.major_number = heading.number
        self.history = self.schema.is_history_title(heading.title)
        self._open_heading(frame, values)

    def _file_block_row(self, row: FormRow) -> bool:
        """``(1)介護保険情報ファイル`` under 特定個人情報ファイル名, or a bare file name in a 別添."""
        if len(row.filled) != 1 or not row.first:
            return False
        text = row.first
        opened = self.open
        heading_frame = opened.heading if opened else None
        if (
            heading_frame is not None
            and not opened.parts
            and label_key(self.schema.file_name_heading) in label_key(heading_frame.title)
        ):
            heading = match_file_block(text)
            if heading is None:
                return False
            heading_frame.has_value = True
            self.open = None
            self._pop_to(RANKS["file"])
            self.stack.append(Frame(heading.title, RANKS["file"], "file", heading.number))
            self.item_number = heading_frame.number
            self._emit(self.path, heading_frame.title, text)
            bare_name = re.sub(r"^\(\d+\)", "", heading.title)
            self.file_titles[label_key(bare_name)] = heading.title
            return True
        in_appendix = bool(self.stack) and self.stack[0].kind == "appendix"
        title = self.file_titles.get(label_key(plain_label(text)))
        if in_appendix and title:
            self._close()
            self._pop_to(RANKS["file"])
            self.stack.append(Frame(title, RANKS["file"], "file"))
            self.item_number = None
            return True
        return False

    def _is_duplicate(self, row: FormRow) -> bool:
        """A row repeating the cells of an HTML table already read into the open field."""
        if self.open is None or not self.open.parts:
            return False
        if not any("<table" in part.lower() for part in self.open.parts):
            return False
        if row.first and (self.schema.is_known_label(plain_label(row.first)) or is_circled_label(plain_label(row.first))):
            return False
        key = row.key
        return bool(key) and key in _key("\n".join(self.open.parts))

    def _table(self, row: FormRow) -> bool:
        filled = row.filled
        if self._is_table_header(row):
            header = tuple(plain_label(cell) for cell in filled)
            if header != self.table_header:
                self._close()
                self.table_header = header
            return True
        if len(filled) < 2:
            self.table_header = None
            return False
        if self.table_header and not self._starts_with_label(row):
            self._table_row(row)
            return True
        return False

    def _label_row(self, row: FormRow) -> bool:
        first = plain_label(row.first)
        if not (is_label_like(row.first) or self._starts_with_label(row)):
            return False
        second = row.cells[1] if len(row.cells) > 1 else ""
        self._close()
        if self.schema.closes_item(first):
            self._pop_to(RANKS["block"])
        self._pop_to(RANKS["group"])
        if second and len(row.filled) >= 3 and self._is_sub_label(second) and self._may_hold(first, plain_label(second)):
            self._push_group(first)
            self._open_field(plain_label(second), row.cells[2:])
            self._note_member(plain_label(second))
            return True
        split = split_label(second, self.schema) if second and len(row.filled) == 2 else None
        if split and is_circled_label(split[0]) and self._may_hold(first, split[0]):
            # '再委託 | ④再委託の有無 ※ […]': a group label and its first member with its value
            self._push_group(first)
            self._open_field(split[0], [split[1]])
            self._note_member(split[0])
            return True
        self._open_field(first, row.cells[1:])
        self.last_label = (self.path, first)
        return True

    def _sub_label_row(self, row: FormRow) -> bool:
        """``\\t使用者数\\t[…]``: a label in the second column continues the label above as a group."""
        filled = row.filled
        index = next(i for i, cell in enumerate(row.cells) if cell)
        cell = row.cells[index]
        if self._is_sub_label(cell) or (
            len(filled) >= 2 and is_label_like(cell) and len(plain_label(cell)) <= _SUB_LABEL_LIMIT
        ):
            label, values = plain_label(cell), list(row.cells[index + 1 :])
        else:
            split = split_label(cell, self.schema)
            if split is None:
                return False
            label, values = split[0], [split[1]]
        top = self.stack[-1] if self.stack else None
        in_group = bool(top and top.kind == "group")
        above = self.last_label[1] if not in_group and self.last_label and self.last_label[0] == self.path else None
        if not self._may_hold(top.title if in_group else above, label):
            return False
        if in_group and is_circled_label(label) and top.members == "circled" and top.last_number is not None:
            if circled_number(label) != top.last_number + 1:
                return False  # '①…' after '⑤再委託の許諾方法': a list item of the value, not member ①
        self._close()
        if above is not None:
            self._push_group(above)
        self._open_field(label, values)
        self._note_member(label)
        return True

    @staticmethod
    def _may_hold(group: str | None, member: str) -> bool:
        """Can ``member`` be a member of the group ``group``? The 様式 never numbers members of a
        numbered item with circled numbers again: under ``②システムの機能`` a line starting with
        ``①宛名照会機能`` is an item of the value (a PDF cell wrapped there), not a sub-field."""
        return not (group and is_circled_label(group) and is_circled_label(member))

    def _single_label_row(self, row: FormRow) -> bool:
        """One cell holding a label and maybe its value: ``実施の有無 [] 自己点検 …``, ``①実施日 令和2年…``."""
        text = row.first
        split = split_label(text, self.schema) or split_before_marker(text)
        plain = plain_label(text)
        if split is None and is_label_like(text) and self.schema.closes_item(plain):
            split = (plain, "")
        if split is None:
            return False
        label, value = split
        self._close()
        if self.schema.closes_item(label):
            self._pop_to(RANKS["block"])
        if self._continues_group(label):
            self._open_field(label, [value])
            self._note_member(label)
            return True
        self._pop_to(RANKS["group"])
        member = split_label(value, self.schema) if value else None
        if member is not None and (is_circled_label(label) != is_circled_label(member[0])):
            # '再委託 ④再委託の有無 ※ […]' / '④使用の主体 使用部署 総務部収納課': a group and its first member
            self._push_group(label)
            self._open_field(member[0], [member[1]])
            self._note_member(member[0])
            return True
        self._open_field(label, [value])
        self.last_label = (self.path, label)
        return True

    def _continues_group(self, label: str) -> bool:
        """Without tabs a group's members are told by their labels: circled members of a plain group
        (再委託: ④⑤⑥) continue while numbered in sequence, plain members of a circled group
        (④使用の主体: 使用部署, 使用者数) while they are known labels."""
        top = self.stack[-1] if self.stack else None
        if top is None or top.kind != "group" or top.members is None:
            return False
        if top.members == "circled":
            number = circled_number(label)
            return number is not None and top.last_number is not None and number == top.last_number + 1
        return not is_circled_label(label) and self.schema.is_known_label(label)

    def _note_member(self, label: str) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "group":
            top.members = "circled" if is_circled_label(label) else "plain"
            top.last_number = circled_number(label)

    # ---- tables --------------------------------------------------------------------------------

    def _dated_line(self, row: FormRow) -> bool:
        """A 変更箇所 entry exported without tabs becomes one field named by its date."""
        read = dated_line(row.first) if row.first and len(row.filled) == 1 else None
        if read is None:
            return False
        self._close()
        self._append(read.label, read.value, read.text)
        return True

    def _is_table_header(self, row: FormRow) -> bool:
        return not self._starts_with_label(row) and is_header(row.filled)

    def _table_row(self, row: FormRow) -> None:
        self._close()
        read = table_row(row.cells, self.table_header)
        if read is not None:
            self._append(read.label, read.value, read.text)

    def _append(self, label: str, value: str, text: str) -> None:
        self._register(self.path)
        self.fields.append(Field(self.path, label, value, text, len(self.fields)))

    # ---- frames and fields ---------------------------------------------------------------------

    def _in_risk_section(self) -> bool:
        """Inside an item of a リスク対策 section (where lines naming risks open risk blocks)."""
        return len(self.stack) >= 2 and self.schema.risk_label in self.stack[0].title

    def _starts_with_label(self, row: FormRow) -> bool:
        first = plain_label(row.filled[0]) if row.filled else ""
        return bool(first) and (self.schema.is_known_label(first) or is_circled_label(first))

    def _is_sub_label(self, cell: str) -> bool:
        text = plain_label(cell)
        return is_label_like(cell) and (self.schema.is_known_label(text) or is_circled_label(text))

    def _push(self, heading: Heading) -> Frame:
        self._close()
        self._pop_to(heading.rank)
        frame = Frame(heading.title, heading.rank, heading.kind, heading.number)
        self.stack.append(frame)
        self.table_header = None
        self.last_label = None
        return frame

    def _push_group(self, title: str) -> None:
        self._pop_to(RANKS["group"])
        self.stack.append(Frame(title, RANKS["group"], "group"))
        self.last_label = None

    def _pop_to(self, rank: int) -> None:
        """Close the frames of rank >= ``rank``; an empty heading is still shown as a section."""
        while self.stack and self.stack[-1].rank >= rank:
            path = self.path
            frame = self.stack.pop()
            if not frame.registered and not frame.has_value:
                self._register(path)

    def _open_heading(self, frame: Frame, values: list[str]) -> None:
        if frame.rank == RANKS["major"]:
            self.open = OpenField(self.path, "", heading=frame)
        else:
            self.open = OpenField(self.path[:-1], frame.title, heading=frame)
        for value in values:
            self._add_part(value)

    def _open_field(self, label: str, cells: list[str] | tuple[str, ...]) -> None:
        self.open = OpenField(self.path, label)
        for cell in cells:
            if cell:
                self._add_part(cell)

    def _add_part(self, raw: str) -> None:
        if self.open is None:
            if not self.stack:
                self.open = OpenField((), "")
            else:
                self._open_heading(self.stack[-1], [])
        parts = self.open.parts
        if parts and any("<table" in part.lower() for part in parts):
            key = _key(raw)
            if key and key in _key("\n".join(parts)):
                return
        if parts and repeats_boxes(raw, "\n".join(parts)):
            return
        parts.append(raw)

    def _close(self) -> None:
        opened, self.open = self.open, None
        if opened is None:
            return
        raw = "\n".join(opened.parts)
        if opened.heading is not None:
            if not raw.strip():
                return
            opened.heading.has_value = True
        self._emit(opened.section, opened.label, raw)

    def _emit(self, section: tuple[str, ...], label: str, raw: str) -> None:
        cell = read_cell(raw)
        self._register(section)
        self.fields.append(
            Field(section, label, cell.value, cell.text, len(self.fields), cell.kind, cell.options, cell.checked,
                  cell.unchecked)
        )

    def _register(self, path: tuple[str, ...]) -> None:
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in self._known_paths:
                self._known_paths.add(prefix)
                self._paths.append(prefix)
        current = self.path
        for depth, frame in enumerate(self.stack, start=1):
            if current[:depth] in self._known_paths:
                frame.registered = True
