"""The 様式 structure of an assessment: rows -> section tree, fields and cover metadata.

``parse_assessment`` reads the rows a reader produced (``ingest.readers``) the way a person reads the
printed form. Headings (I–VI, 別添, ``4. …``, ``委託事項2``, ``リスク1: …``, per-file blocks ``(1)…``)
open sections; a row ``label<TAB>value`` is a field of the current section; a row whose first cell is
empty continues the label above (``④使用の主体`` with 使用部署 / 使用者数 becomes a group); a row with
only a value continues the field or heading before it. A heading's own value (``4. 特定個人情報ファイル
の取扱いの委託 [] 委託しない``, or the value row under ``3. 特定個人情報ファイル名``) is a field whose
path is the heading's path. Tables (変更箇所, 提供先 lists) give one field per row.

>>> from ingest.readers import SourceText
>>> rows = (('特定個人情報保護評価書(重点項目評価書)',), ('評価実施機関名',), ('和光市長',),
...         ('I 基本情報',), ('1. 特定個人情報ファイルを取り扱う事務',), ('①事務の名称', '滞納対策に関する事務'))
>>> assessment = parse_assessment(SourceText('wako.txt', '0' * 64, 'utf-8', rows))
>>> assessment.city, assessment.kind, [(f.section[-1], f.label, f.value) for f in assessment.fields][-1]
('和光市', '重点項目', ('1. 特定個人情報ファイルを取り扱う事務', '①事務の名称', '滞納対策に関する事務'))
"""

from __future__ import annotations

from assistant.errors import InputError
from assistant.types import Assessment, Field
from ingest.cover import CoverReader
from ingest.form_body import FormBody
from ingest.form_rows import FormRow, prepare_rows
from ingest.form_schema import FormSchema, label_key, load_form_schema
from ingest.headings import is_major_like, match_appendix, match_major
from ingest.metadata import city_of, jimu_of_title
from ingest.normalize import plain_label
from ingest.readers import SourceText, doc_id_for
from ingest.values import read_cell, unsaid_lines
from ingest.wareki import to_iso_date

_CONTENTS_ENTRY_LIMIT = 60


def parse_assessment(source: SourceText, schema: FormSchema | None = None) -> Assessment:
    """Parse one assessment; InputError when the text is not a 特定個人情報保護評価書."""
    schema = schema or load_form_schema()
    rows = prepare_rows(source.rows)
    _check_is_assessment(rows, schema, source.source)
    cover = CoverReader(schema)
    body = FormBody(schema)
    _route_rows(rows, schema, cover, body)
    body.finish()

    cover_fields = _cover_fields(cover, schema)
    fields = tuple(
        Field(f.section, f.label, f.value, f.text, ordinal, f.kind, f.options, f.checked, f.unchecked)
        for ordinal, f in enumerate(cover_fields + body.fields)
    )
    title = cover.value(schema.title_label).replace("\n", " ")
    organization = cover.value(schema.organization_label).split("\n")[0] if cover.fields else ""
    kind = schema.kind_of(cover.title_line) or schema.kind_of(title)
    sections = body.sections(leading=(schema.cover_section,) if cover_fields else None)
    return Assessment(
        doc_id=doc_id_for(source.source),
        source=source.source,
        sha256=source.sha256,
        organization=organization,
        city=city_of(organization, schema),
        number=cover.value(schema.number_label).split("\n")[0],
        title=title,
        jimu=_jimu(title, body.fields, schema),
        kind=kind,
        published=to_iso_date(cover.value(schema.published_label)),
        sections=sections,
        fields=fields,
        text=_readable_text(cover.title_line, fields, sections),
    )


def _check_is_assessment(rows: list[FormRow], schema: FormSchema, source: str) -> None:
    """A 評価書 names itself in a title line or has at least one cover label; anything else is refused."""
    for row in rows:
        for cell in row.filled:
            text = plain_label(cell)
            if schema.document_title in text or schema.cover_label(text) in (
                schema.number_label, schema.title_label, schema.organization_label, schema.published_label
            ):
                return
    raise InputError(f"not a 特定個人情報保護評価書: {source} has no 評価書 title and no 評価実施機関名/公表日 labels")


def _route_rows(rows: list[FormRow], schema: FormSchema, cover: CoverReader, body: FormBody) -> None:
    """Cover rows go to the cover, the 項目一覧 table of contents is skipped, the rest is the body."""
    mode = "cover"
    contents: set[str] = set()
    for row in rows:
        first = plain_label(row.first) if row.cells else ""
        if mode == "cover":
            if row.first and match_major(row.first, schema, None) is not None:
                mode = "body"
            elif first and label_key(first) == label_key(schema.contents_label):
                mode = "contents"
                continue
            else:
                cover.feed(row)
                continue
        if mode == "contents":
            if row.is_blank:
                mode = "cover" if contents else mode
                continue
            is_entry = len(row.filled) == 1 and len(first) <= _CONTENTS_ENTRY_LIMIT and (
                is_major_like(first) or match_appendix(first) is not None
            )
            if is_entry and label_key(first) not in contents:
                contents.add(label_key(first))
                continue
            mode = "body" if is_entry else "cover"
            if mode == "cover":
                cover.feed(row)
                continue
        body.feed(row)


def _cover_fields(cover: CoverReader, schema: FormSchema) -> list[Field]:
    section = (schema.cover_section,)
    # the form's own title line (特定個人情報保護評価書(重点項目評価書)) is content too: it says the kind
    fields = [Field(section, "", cover.title_line, cover.title_line, 0)] if cover.title_line else []
    for cover_field in cover.fields:
        cell = read_cell("\n".join(cover_field.parts))
        fields.append(
            Field(section, cover_field.label, cell.value, cell.text, 0, cell.kind, cell.options, cell.checked,
                  cell.unchecked)
        )
    return fields


def _jimu(title: str, fields: list[Field], schema: FormSchema) -> str:
    """事務 from 評価書名 without its kind suffix; ①事務の名称 only when there is no 評価書名.

    The two usually agree; when they differ (an abbreviation or a typo in ①事務の名称), 評価書名 is
    the name the municipality publishes the document under, so it wins and ①事務の名称 stays a field.
    """
    if title:
        return jimu_of_title(title, schema)
    for field in fields:
        if label_key(field.label).endswith(label_key(schema.jimu_label)) and field.value:
            return field.value.split("\n")[0]
    return ""


def _readable_text(title_line: str, fields: tuple[Field, ...], sections) -> str:
    """One line per row: section titles where a section starts, ``label<TAB>value`` for fields."""
    lines = [title_line] if title_line else []
    section_paths = {section.path for section in sections}
    shown: set[tuple[str, ...]] = set()
    for field in fields:
        if title_line and not field.label and field.value == title_line:
            continue  # the title field: already the first line
        for depth in range(1, len(field.section) + 1):
            path = field.section[:depth]
            if path in section_paths and path not in shown:
                shown.add(path)
                lines.append(path[-1])
        content = " ".join([field.value, *unsaid_lines(f"{field.label}\n{field.value}", field.text)]).strip()
        content = content.replace("\n", " ")
        lines.append(f"{field.label}\t{content}" if field.label else content)
    return "\n".join(lines)
