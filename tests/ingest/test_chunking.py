"""Chunks by section over the real samples."""

from __future__ import annotations

import pytest

from ingest.chunking import ChunkingOptions, chunk_assessment, field_line, split_sentences
from ingest.form import parse_assessment
from ingest.readers import read_source

from sample_paths import SAMPLE_FILES


@pytest.fixture(scope="module")
def parsed():
    return [parse_assessment(read_source(path, 50_000_000)) for path in SAMPLE_FILES]


def test_split_sentences_respects_bound_and_keeps_text():
    text = "一文目です。二文目です。" * 40
    pieces = split_sentences(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert "".join(pieces) == text


def test_every_chunk_has_header_and_metadata(parsed):
    for assessment in parsed:
        chunks = chunk_assessment(assessment)
        assert chunks, assessment.doc_id
        ids = [c.chunk_id for c in chunks]
        assert len(ids) == len(set(ids))
        for chunk in chunks:
            header = chunk.text.split("\n", 1)[0]
            assert header.startswith(f"{assessment.city} {assessment.jimu}")
            assert chunk.section_path in header
            assert chunk.doc_id == assessment.doc_id and chunk.kind == assessment.kind
            assert len(chunk.body) <= ChunkingOptions().max_chars + 60  # label repeated on pieces


def test_history_chunks_are_marked(parsed):
    with_history = 0
    for assessment in parsed:
        chunks = chunk_assessment(assessment)
        history = [c for c in chunks if c.is_history]
        # wako lists 変更箇所 in its table of contents only; the others have the body section
        body_has_history = any("変更箇所" in f.section_path for f in assessment.fields)
        assert bool(history) == body_has_history, assessment.doc_id
        with_history += bool(history)
        assert all("変更箇所" in c.section_path for c in history)
        assert not any("変更箇所" in c.section_path for c in chunks if not c.is_history)
    assert with_history == 3  # hanamaki, okayama, yamaguchi


def test_no_field_value_is_lost(parsed):
    for assessment in parsed:
        text = "\n".join(c.body for c in chunk_assessment(assessment))
        compact = "".join(text.split())
        for field in assessment.fields:
            for line in field.value.split("\n")[:3]:
                assert "".join(line.split())[:40] in compact, (field.label, line)


def test_wako_outsourcing_block_is_one_chunk(parsed):
    wako = next(a for a in parsed if a.city == "和光市")
    chunk = next(c for c in chunk_assessment(wako) if "AGS株式会社" in c.body)
    assert "委託事項1" in chunk.section_path
    assert "再委託しない" in chunk.text or "③委託先名" in chunk.field


def test_a_block_title_row_opens_its_block_chunk(parsed):
    """移転先12's title row (the department) is in the chunk of that block's cells (its 用途), so a
    question about 児童手当 finds which department receives the data."""
    hanamaki = next(a for a in parsed if a.city == "花巻市")
    chunks = chunk_assessment(hanamaki)
    block = next(c for c in chunks if c.section_path.endswith("移転先12"))
    assert block.body.startswith("移転先12\t健康福祉部地域福祉課")
    assert "児童手当法による児童手当" in block.body
    assert block.field.split(" / ")[0] == "移転先12"
    assert sum("健康福祉部地域福祉課" in c.body and "移転先12" in c.field for c in chunks) == 1


def test_field_lines_do_not_repeat_the_value(parsed):
    """A checkbox list is said once (☑/☐ items), not again as plain text; a choice's selected value
    once, followed only by what the text adds (the count of 委託事項)."""
    for assessment in parsed:
        for field in assessment.fields:
            line = field_line(field)
            body = line[len(field.label) + 1 :] if field.label else line  # label TAB value
            lines = [item for item in body.split("\n") if item]
            if field.kind == "text":
                assert body == field.value.strip(), field.path  # text cells: the value is the text
                continue
            assert len(lines) == len(set(lines)), (field.path, line)
            if field.kind == "checkbox":
                for item in (*field.checked, *field.unchecked):
                    assert "".join(body.split()).count("".join(item.split())) >= 1
                    # each item shown once, with its mark (none repeated as an unmarked line)
                    assert item not in lines, (field.path, item)
    wako = next(a for a in parsed if a.city == "和光市")
    connections = next(f for f in wako.fields if f.label == "③他のシステムとの接続")
    assert field_line(connections) == "③他のシステムとの接続\t" + connections.value
    whether = next(f for f in wako.fields if f.label == "委託の有無 ※")
    assert field_line(whether) == "委託の有無 ※\t[委託する]\n(1) 件"  # the selection, as the form marks it
