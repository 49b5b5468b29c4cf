"""The cover (表紙) of an assessment: title line, 評価書番号/評価書名, 宣言, 特記事項, 評価実施機関名, 公表日.

The cover is a list of known labels, each followed by its value, except 評価書番号 and 評価書名,
which share a header row followed by a row of values. Text exports without tabs put a header and
its values on one line each (``評価書番号 評価書名`` / ``14 地方税…の滞納対策に関する事務 重点項目評価書``).

>>> from ingest.form_schema import load_form_schema
>>> from ingest.form_rows import FormRow
>>> cover = CoverReader(load_form_schema())
>>> for cells in [('特定個人情報保護評価書(重点項目評価書)',), ('評価書番号', '評価書名'),
...               ('14', '地方税の滞納対策に関する事務 重点項目評価書'), ('公表日',), ('令和3年6月8日',)]:
...     cover.feed(FormRow(cells))
>>> cover.title_line, cover.value('評価書番号'), cover.value('公表日')
('特定個人情報保護評価書(重点項目評価書)', '14', '令和3年6月8日')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.form_rows import FormRow
from ingest.form_schema import FormSchema
from ingest.markup import html_to_lines
from ingest.normalize import plain_label


@dataclass
class CoverField:
    """A cover label and the raw cells of its value, in document order."""

    label: str
    parts: list[str] = field(default_factory=list)


class CoverReader:
    """Collects the cover's fields row by row; the form parser hands it the rows before section I."""

    def __init__(self, schema: FormSchema) -> None:
        self.schema = schema
        self.title_line = ""
        self.fields: list[CoverField] = []
        self._header: list[str] = []
        self._open: CoverField | None = None

    def feed(self, row: FormRow) -> None:
        cells = [cell for cell in row.filled]
        if not cells:
            return
        plain = [plain_label(cell) for cell in cells]
        if not self.title_line and self.schema.document_title in plain[0]:
            self.title_line = plain[0]
            return
        labels = [self.schema.cover_label(text) for text in plain]
        if len(cells) == 1 and labels[0] is None:
            labels = self._labels_in_one_cell(plain[0])
            if labels is not None and len(labels) == 2 and isinstance(labels[1], tuple):
                self._open_label(labels[0])
                self._open.parts.append(labels[1][0])
                return
        if labels and all(labels):
            if len(labels) == 1:
                self._open_label(labels[0])
            else:
                self._header, self._open = list(labels), None
            return
        if self._header:
            values = cells
            if len(values) == 1 and len(self._header) > 1:
                values = plain[0].split(maxsplit=len(self._header) - 1)
            for label, value in zip(self._header, values):
                self.fields.append(CoverField(label, [value]))
            self._header = []
            return
        if self._open is None:
            self._open = CoverField("")
            self.fields.append(self._open)
        self._open.parts.append("\n".join(cells))

    def _open_label(self, label: str) -> None:
        self._open = CoverField(label)
        self.fields.append(self._open)

    def _labels_in_one_cell(self, text: str) -> list | None:
        """'評価書番号 評価書名' -> both labels; '評価実施機関名 和光市長' -> [label, (value,)]."""
        words = text.split()
        found: list[str] = []
        index = 0
        while index < len(words):
            for end in range(len(words), index, -1):
                label = self.schema.cover_label(" ".join(words[index:end]))
                if label:
                    found.append(label)
                    index = end
                    break
            else:
                break
        if not found:
            return None
        if index == len(words):
            return found
        if len(found) == 1:
            return [found[0], (" ".join(words[index:]),)]
        return None

    def value(self, label: str) -> str:
        """The plain text of the first field with this label ('' when absent)."""
        for cover_field in self.fields:
            if cover_field.label == label:
                return "\n".join(line for part in cover_field.parts for line in html_to_lines(part))
        return ""
