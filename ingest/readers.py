"""Readers: turn a file on disk into rows of cells, whatever its format (UTF-8 or Shift_JIS text, PDF).

A row is what one line of the form shows: ``('③委託先名', 'AGS株式会社')``. Text exports give one
row per line, cells split on tabs; a PDF gives table rows (label -> value) and lines of running text
in reading order. The form parser (``ingest.form``) reads rows and never looks at the file format.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".tsv", ".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES

# Tried in order; cp932 is the superset of Shift_JIS that Japanese government files use.
TEXT_ENCODINGS = ("utf-8-sig", "cp932", "euc_jp", "iso2022_jp")


@dataclass(frozen=True)
class SourceText:
    """What a reader hands to the form parser."""

    source: str  # file name as ingested
    sha256: str
    encoding: str  # "utf-8", "cp932", ... or "pdf"
    rows: tuple[tuple[str, ...], ...]

    @property
    def text(self) -> str:
        return "\n".join("\t".join(row) for row in self.rows)


def doc_id_for(source_name: str) -> str:
    """A stable id from the file name, so a changed file with the same name replaces its old version.

    >>> doc_id_for('wako-tainou-taisaku-juten.txt')
    'wako-tainou-taisaku-juten'
    >>> doc_id_for('和光市 評価書（滞納）.pdf')
    '和光市-評価書-滞納'
    """
    stem = unicodedata.normalize("NFKC", Path(source_name).stem)
    return re.sub(r"[^\w\-]+", "-", stem).strip("-") or "document"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as the first encoding that fits; raise InputError for binary data.

    >>> decode_text('和光市'.encode('cp932'))
    ('和光市', 'cp932')
    """
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not a text or PDF assessment")
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, "utf-8" if encoding == "utf-8-sig" else encoding
    raise InputError("cannot decode the text as UTF-8 or Shift_JIS/CP932")


def rows_from_text(text: str) -> tuple[tuple[str, ...], ...]:
    """One row per line, cells split on tabs, trailing empty cells dropped.

    >>> rows_from_text('③委託先名\\tAGS株式会社\\t\\n\\nなし')
    (('③委託先名', 'AGS株式会社'), (), ('なし',))
    """
    rows = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cells = [cell.strip() for cell in line.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(tuple(cells))
    return tuple(rows)


def read_source(path: Path, max_bytes: int) -> SourceText:
    """Read one file into rows; every problem becomes a one-line InputError."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"not a file: {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError("empty file")
    if size > max_bytes:
        raise InputError(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
    data = path.read_bytes()
    digest = sha256_of(data)
    if data[:5] == b"%PDF-" or path.suffix.lower() in PDF_SUFFIXES:
        from ingest.pdf import read_pdf_rows

        return SourceText(path.name, digest, "pdf", read_pdf_rows(path, data))
    text, encoding = decode_text(data)
    if not text.strip():
        raise InputError("empty file (only whitespace)")
    return SourceText(path.name, digest, encoding, rows_from_text(text))
