"""Chunks by section: the searchable pieces of an assessment, each with a header naming where it is.

Fields of the same block (same section path) are grouped while the group stays small, so a
委託事項 block (委託内容, 委託先名, 再委託の有無 …) is found and cited as one; a long value is split
at sentence ends (。) into pieces of at most ``max_chars``. Every chunk starts with the header line
``<city> <事務> <section path>`` — a probe measured this header as worth about +0.2 MRR for
keyword search.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.types import Assessment, Chunk, Field, join_path
from ingest.values import unsaid_lines

HISTORY_MARKERS = ("変更箇所",)


@dataclass(frozen=True)
class ChunkingOptions:
    max_chars: int = 500  # bound on a chunk body
    group_chars: int = 350  # fields are grouped while the group body stays under this
    header: bool = True


def split_sentences(text: str, max_chars: int) -> list[str]:
    """Split at 。 (and line breaks) into pieces of at most ``max_chars`` characters.

    >>> split_sentences('一文目。二文目。三文目。', 8)
    ['一文目。二文目。', '三文目。']
    """
    sentences: list[str] = []
    for line in text.split("\n"):
        start = 0
        for index, char in enumerate(line):
            if char == "。":
                sentences.append(line[start : index + 1])
                start = index + 1
        if start < len(line):
            sentences.append(line[start:])
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in sentences if s.strip()):
        while len(sentence) > max_chars:  # a single overlong sentence is cut hard
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        separator = "\n" if current and not current.endswith("。") else ""
        if current and len(current) + len(separator) + len(sentence) > max_chars:
            pieces.append(current)
            current = sentence
        else:
            current = current + separator + sentence
    if current:
        pieces.append(current)
    return pieces


def field_line(field: Field) -> str:
    """The line a field contributes to a chunk body: label and readable value, plus the lines of the
    cell's plain text that the value does not already say (the detail next to a selected option,
    a group heading such as ``・識別情報`` in a checkbox list), compared line by line so a checkbox
    list is not repeated as plain text.

    >>> field_line(Field((), '②入手方法', '☑ 紙 / ☐ その他', '紙\\nその他 (\\n)', 0, 'checkbox', (), ('紙',), ('その他',)))
    '②入手方法\\t☑ 紙 / ☐ その他'
    >>> field_line(Field((), '委託の有無 ※', '委託する', '委託する\\n(1) 件', 0, 'choice', ('委託する', '委託しない')))
    '委託の有無 ※\\t[委託する]\\n(1) 件'
    """
    value = field.value.strip()
    extra = unsaid_lines(f"{field.label}\n{value}", field.text)  # a table row's text holds its label too
    if field.kind == "choice" and value:
        # the selected option, marked as the form marks it ([再委託する]), with the detail slot its
        # option carries (2) 無料 (手数料額、納付方法: ) -> [無料] (手数料額、納付方法: ))
        detail = next((option[len(value):].strip() for option in field.options if option.startswith(value)
                       and option[len(value):].strip().startswith(("(", "（"))), "")
        value = f"[{value}] {detail}" if detail else f"[{value}]"
    content = "\n".join([value, *extra] if value else extra)
    if not field.label:
        return content
    # label TAB value, as the form's own rows are written, so a quote spanning label and value
    # (「①実施日 令和5年1月31日」) is still a verbatim span of the chunk
    return f"{field.label}\t{content}" if content else field.label


def is_history_section(section: tuple[str, ...]) -> bool:
    return any(marker in part for part in section for marker in HISTORY_MARKERS)


def chunk_assessment(assessment: Assessment, options: ChunkingOptions = ChunkingOptions()) -> list[Chunk]:
    """Group the fields of each block into chunks, in document order; a repeated block's title row
    (委託事項1, 提供先3 …) starts its block's chunk, so the block is found by what it is about."""
    chunks: list[Chunk] = []
    group: list[Field] = []

    def emit(fields: list[Field], body: str) -> None:
        # a block's title row (移転先12: 健康福祉部地域福祉課) opens its block's chunk, which is placed
        # at the block (… > 移転先12) like the rest of its fields
        opens_block = len(fields) > 1 and fields[0].path == fields[1].section
        section_path = join_path(fields[1].section if opens_block else fields[0].section)
        header = " ".join(part for part in (assessment.city, assessment.jimu, section_path) if part)
        labels = " / ".join(dict.fromkeys(f.label for f in fields if f.label))
        chunks.append(
            Chunk(
                chunk_id=f"{assessment.doc_id}:{len(chunks):04d}",
                doc_id=assessment.doc_id,
                ordinal=len(chunks),
                city=assessment.city,
                jimu=assessment.jimu,
                kind=assessment.kind,
                section_path=section_path,
                field=labels,
                text=f"{header}\n{body}" if options.header else body,
                body=body,
                is_history=is_history_section(fields[0].section),
            )
        )

    def flush() -> None:
        if group:
            emit(list(group), "\n".join(field_line(f) for f in group))
            group.clear()

    for field in assessment.fields:
        line = field_line(field)
        if not line.strip():
            continue
        if len(group) > 1 and group[-1].path == field.section:
            title = group.pop()  # the block's title row goes with its block, not with what came before
            flush()
            group.append(title)
        title_only = len(group) == 1 and group[0].path == field.section  # the block's title, then its fields
        if group and group[-1].section != field.section and not title_only:
            flush()
        if len(line) > options.max_chars:
            flush()
            for number, piece in enumerate(split_sentences(line, options.max_chars)):
                # later pieces repeat the label so each piece says which field it belongs to
                emit([field], piece if number == 0 or not field.label else f"{field.label}\t{piece}")
            continue
        if group and sum(len(field_line(f)) + 1 for f in group) + len(line) > options.group_chars:
            flush()
        group.append(field)
    flush()
    return chunks
