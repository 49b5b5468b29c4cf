"""PDF ingestion: form PDFs made from the samples read back as rows, and parse like the text exports.

The PDFs are laid out by ``tests/fixtures/pdf_maker.py`` (bordered label | value tables, wrapped
cells, rows split across pages) and made once per module, all four samples whole (about 13 s here:
reading a PDF costs about 70 ms a page), so every field of every sample is compared with the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import InputError
from ingest.form import parse_assessment
from ingest.pdf import read_pdf_rows
from ingest.readers import SourceText, read_source, rows_from_text
from tests.fixtures.pdf_maker import (
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_merged_label_pdf,
    make_pdf,
    make_scanned_pdf,
    read_back,
    render_html,
)

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
MAX_BYTES = 50_000_000
WAKO = "wako-tainou-taisaku-juten"
YAMAGUCHI = "yamaguchi-kaigo-hoken-juten"
HANAMAKI = "hanamaki-kojin-juminzei-juten"
OKAYAMA = "okayama-shunou-tainou-zenkoumoku"

KNOWN_ROWS = {
    WAKO: [
        ("評価書番号", "評価書名"),
        ("14", "地方税、国民健康保険料(税)の滞納対策に関する事務 重点項目評価書"),
        ("①事務の名称", "地方税、国民健康保険料(税)の滞納対策に関する事務"),
        ("4. 特定個人情報ファイルの取扱いの委託",),
        ("③委託先名", "AGS株式会社"),
        ("再委託", "④再委託の有無 ※", "[再委託しない] <選択肢> 1) 再委託する 2) 再委託しない"),
        ("", "⑤再委託の許諾方法"),
        ("", "使用者数", "[ ] 10人以上50人未満] <選択肢> 1) 10人未満 2) 10人以上50人未満 3) 50人以上100人未満 "
         "4) 100人以上500人未満 5) 500人以上1,000人未満 6) 1,000人以上"),
    ],
    YAMAGUCHI: [
        ("評価実施機関名",),
        ("山口市長",),
        ("①事務の名称", "介護保険関係事務"),
        ("③委託先名", "株式会社 日立システムズ"),
        ("", "⑤再委託の許諾方法", "事前に市の書面による承諾が必要"),
    ],
    HANAMAKI: [
        ("花巻市長",),
        ("①事務の名称", "個人住民税に関する事務"),
        ("①システムの名称", "個人住民税システム"),
    ],
    OKAYAMA: [
        ("I 基本情報",),  # a markdown heading in the export, a plain heading in the PDF
        ("①事務の名称", "取滞納事務"),
        ("①システムの名称", "宛名システム(税務システムの一部)"),
    ],
}


def _sample_text(stem: str) -> str:
    return (SAMPLES / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_sources(tmp_path_factory) -> dict[str, SourceText]:
    """Each sample as a generated PDF, read through the same entry point as any ingested file."""
    folder = tmp_path_factory.mktemp("pdfs")
    sources = {}
    for stem in KNOWN_ROWS:
        path = make_pdf(_sample_text(stem), folder / f"{stem}.pdf")
        sources[stem] = read_source(path, MAX_BYTES)
    return sources


def _squeeze(text: str) -> str:
    """Text without whitespace: a PDF keeps no trace of where lines were wrapped or spaces were."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("stem", list(KNOWN_ROWS))
def test_pdf_rows_have_label_and_value_cells(pdf_sources, stem):
    """Compared without spaces: where a long cell wrapped, a PDF no longer says whether a space was there."""
    source = pdf_sources[stem]
    assert source.encoding == "pdf"
    squeezed_rows = {tuple(map(_squeeze, row)) for row in source.rows}
    for row in KNOWN_ROWS[stem]:
        assert tuple(map(_squeeze, row)) in squeezed_rows, row


def test_short_cells_come_back_exactly(pdf_sources):
    rows = pdf_sources[WAKO].rows
    assert ("③委託先名", "AGS株式会社") in rows
    assert ("再委託", "④再委託の有無 ※", "[再委託しない] <選択肢> 1) 再委託する 2) 再委託しない") in rows


def test_checkboxes_are_drawn_and_read_as_marks(pdf_sources):
    rows = dict((row[0], row[1:]) for row in pdf_sources[WAKO].rows if len(row) > 1)
    assert rows["③他のシステムとの接続"][0].startswith(
        "[] 情報提供ネットワークシステム [○] 庁内連携システム [] 住民基本台帳ネットワークシステム"
    )
    assert rows["②入手方法"][0].startswith("[○] 紙 [] 電子記録媒体")  # <input checked …> -> [○]


def test_value_split_across_pages_comes_back_as_one_row(pdf_sources):
    # 5,300 characters: more than one A4 page holds at this size, so the PDF splits the row.
    text_row = next(line for line in _sample_text(YAMAGUCHI).split("\n") if line.startswith("②事務の内容\t"))
    label, value = text_row.split("\t")
    pdf_values = [row[1] for row in pdf_sources[YAMAGUCHI].rows if row[0] == label]
    assert [_squeeze(v) for v in pdf_values] == [_squeeze(read_back(" ".join(render_html(value))))]


def test_merged_cells_give_rows_like_the_text_export(tmp_path):
    path = make_merged_label_pdf(tmp_path / "merged.pdf")
    assert read_pdf_rows(path, path.read_bytes()) == (
        ("③委託先名", "AGS株式会社"),
        ("再委託", "④再委託の有無 ※", "[再委託しない] <選択肢> 1) 再委託する 2) 再委託しない"),
        ("", "⑤再委託の許諾方法"),
        ("", "⑥再委託事項"),
    )


def _one_line_error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_source(path, MAX_BYTES)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    return message


def test_scanned_pdf_is_refused_naming_ocr(tmp_path):
    message = _one_line_error(make_scanned_pdf(tmp_path / "scan.pdf"))
    assert "no text layer" in message and "OCR" in message


def test_corrupt_pdf_is_refused_in_one_line(tmp_path):
    message = _one_line_error(make_corrupt_pdf(tmp_path / "broken.pdf"))
    assert message.startswith("corrupt or unreadable PDF: ")


def test_encrypted_pdf_is_refused(tmp_path):
    assert "encrypted" in _one_line_error(make_encrypted_pdf(tmp_path / "locked.pdf"))


def test_empty_pdf_is_refused(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    _one_line_error(path)
    with pytest.raises(InputError, match="corrupt or unreadable PDF"):
        read_pdf_rows(path, b"")


def test_pdf_header_without_a_pdf_is_refused(tmp_path):
    path = tmp_path / "fake.txt"
    path.write_bytes(b"%PDF-1.7\nnot really a PDF\n")
    assert _one_line_error(path).startswith("corrupt or unreadable PDF")


# The same document as text and as PDF -------------------------------------------------------------

EQUIVALENT = (WAKO, YAMAGUCHI, HANAMAKI, OKAYAMA)
METADATA = ("city", "kind", "published", "title", "jimu", "number", "organization")
KEY_LABELS = ("委託先名", "再委託の有無", "他のシステムとの接続")


@pytest.fixture(scope="module")
def parsed(pdf_sources):
    """stem -> (text assessment, text assessment as the PDF font reads back, PDF assessment)."""
    result = {}
    for stem in EQUIVALENT:
        text_path = SAMPLES / f"{stem}.txt"
        text_source = read_source(text_path, MAX_BYTES)
        # The built-in CID font returns a few code points as siblings (～ as 〜): compare the PDF with
        # the text as that font reads back, so only layout and parsing differences remain.
        read_back_source = SourceText(
            text_source.source, text_source.sha256, text_source.encoding,
            rows_from_text(read_back(text_path.read_text(encoding="utf-8"))),
        )
        pdf = pdf_sources[stem]
        pdf_source = SourceText(text_source.source, pdf.sha256, pdf.encoding, pdf.rows)
        result[stem] = (
            parse_assessment(text_source),
            parse_assessment(read_back_source),
            parse_assessment(pdf_source),
        )
    return result


def _by_path(assessment) -> dict[tuple[str, ...], list]:
    fields: dict[tuple[str, ...], list] = {}
    for field in assessment.fields:
        fields.setdefault(field.path, []).append(field)
    return fields


def _read(field) -> tuple:
    """What a reader takes from a field, compared without spaces (a PDF does not say where a wrapped
    line had one)."""
    return (
        field.kind,
        _squeeze(field.value),
        tuple(map(_squeeze, field.checked)),
        tuple(map(_squeeze, field.unchecked)),
    )


@pytest.mark.parametrize("stem", EQUIVALENT)
def test_text_and_pdf_give_the_same_metadata(parsed, stem):
    text, _, pdf = parsed[stem]
    assert text.city and text.kind and text.title and text.jimu
    assert text.published or stem == OKAYAMA  # 岡山市's cover has the form version where the date goes
    for name in METADATA:
        assert getattr(pdf, name) == getattr(text, name), name


@pytest.mark.parametrize("stem", EQUIVALENT)
def test_text_and_pdf_give_the_same_field_values(parsed, stem):
    """Every field of the text, at the same path, reads the same from the PDF: the value, the kind
    (text, choice, checkbox) and the ticked and unticked boxes."""
    _, text, pdf = parsed[stem]
    text_fields, pdf_fields = _by_path(text), _by_path(pdf)
    assert set(pdf_fields) == set(text_fields)
    different = [
        path for path, fields in text_fields.items()
        if [_read(f) for f in fields] != [_read(f) for f in pdf_fields[path]]
    ]
    assert not different, different[:5]
    assert len(pdf.fields) == len(text.fields)


@pytest.mark.parametrize("stem", EQUIVALENT)
def test_text_and_pdf_agree_on_key_fields(parsed, stem):
    """Checked exactly, spaces included, on the labels questions are most often about."""
    _, text, pdf = parsed[stem]
    text_fields, pdf_fields = _by_path(text), _by_path(pdf)
    key_paths = [path for path in text_fields if any(label in path[-1] for label in KEY_LABELS)]
    assert {label for label in KEY_LABELS for path in key_paths if label in path[-1]} == set(KEY_LABELS)
    for path in key_paths:
        assert len(pdf_fields.get(path, [])) == len(text_fields[path]), path
        for text_field, pdf_field in zip(text_fields[path], pdf_fields[path]):
            assert pdf_field.kind == text_field.kind, path
            if text_field.kind == "checkbox":
                assert pdf_field.checked == text_field.checked, path
                assert pdf_field.unchecked == text_field.unchecked, path
            else:
                assert pdf_field.value == text_field.value, path


def test_circled_items_in_a_wrapped_pdf_cell_stay_in_the_value(parsed):
    """In the PDF, '②システムの機能 | ①宛名照会機能 : … ②住登外者の登録・更新機能 : …' is one cell:
    the circled items are the value's list, not sub-fields of ②システムの機能."""
    _, _, pdf = parsed[OKAYAMA]
    functions = _by_path(pdf)[(
        "I 基本情報", "2. 特定個人情報ファイルを取り扱う事務において使用するシステム", "システム1", "②システムの機能",
    )]
    assert functions[0].value.startswith("①宛名照会機能 : 納税義務者") and "②住登外者の登録・更新機能" in functions[0].value
    assert not any(f.section[-1] == "②システムの機能" for f in pdf.fields)


def test_boxes_in_running_text_read_the_same_from_text_and_pdf(parsed):
    """'[ ] 国税関連情報' in a PDF's free-text cell and '<input type="checkbox"/> 国税関連情報' in the
    text export are the same box: both show it as ☐ in the value."""
    text, _, pdf = parsed[HANAMAKI]
    path = ("II 特定個人情報ファイルの概要", "2. 基本情報", "その妥当性")
    text_value, pdf_value = _by_path(text)[path][0].value, _by_path(pdf)[path][0].value
    assert "☐ 国税関連情報" in text_value and "☐ 国税関連情報" in pdf_value
    assert _squeeze(text_value) == _squeeze(pdf_value)
