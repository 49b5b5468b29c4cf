"""Fixtures for the search tests: chunks of the real sample documents, built once per session.

The real chunker (``ingest.chunking``) belongs to the ingest pipeline; these tests use a simple
line chunker instead, so they depend only on ``assistant``: every tab-separated row of a sample is
one chunk whose text starts with a header "city 事務 section path", and the rows of the 変更箇所
table are history chunks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from assistant.embedders import create_embedder
from assistant.types import Chunk, DocumentInfo, join_path

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
_TOP = re.compile(r"^(?:[IVⅠⅡⅢⅣⅤⅥ]+ |\(別添\d\)|（別添\d）)")
_NUMBERED = re.compile(r"^\d+\. \S")
_BLOCK = re.compile(r"^(委託事項\d+|システム\d+|提供先\d+|移転先\d+|リスク\d*\s*[:：])")
_TAGS = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    text = _TAGS.sub(" ", text.replace("&lt;", "<").replace("&gt;", ">"))
    return re.sub(r"\s+", " ", text).strip()


def _document_info(path: Path, lines: list[str]) -> DocumentInfo:
    plain = [line.strip("# *\t") for line in lines]
    organization = next(plain[i + 1 + j] for i, line in enumerate(plain) if line == "評価実施機関名"
                        for j in range(3) if plain[i + 1 + j])
    city = re.sub(r"^.{2,3}?[都道府県](?=.+[市町村区])", "", organization).removesuffix("長")
    title = next(plain[i + 1].split("\t")[-1] for i, line in enumerate(plain) if line.startswith("評価書番号"))
    jimu = next(_clean(line.split("\t")[-1]) for line in plain if line.startswith("①事務の名称"))
    kind = re.search(r"(基礎項目|重点項目|全項目)評価書", title).group(0)
    return DocumentInfo(path.stem, path.name, city, organization, title, jimu, kind, None)


def sample_corpus() -> tuple[list[Chunk], list[DocumentInfo]]:
    chunks: list[Chunk] = []
    documents = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        info = _document_info(path, lines)
        documents.append(info)
        top = numbered = block = ""
        listing_done = False
        for raw in lines:
            line = raw.strip().strip("#* ").strip()
            if not line:
                continue
            if line.startswith("V 評価実施手続") or line.startswith("VI 評価実施手続"):
                listing_done = True  # the 項目一覧 repeats the top headings before the body
            if _TOP.match(line) and "\t" not in raw and (listing_done or line.startswith(("I 基本", "Ⅰ"))):
                top, numbered, block = line, "", ""
                continue
            cells = [_clean(cell) for cell in raw.split("\t")]
            cells = [cell for cell in cells if cell]
            if not top or not cells:
                continue
            if _NUMBERED.match(cells[0]) and len(cells) <= 3 and not re.search(r" 2\. ", cells[0]):
                numbered, block = cells[0], ""
                continue
            if _BLOCK.match(cells[0]):
                block = " ".join(cells[:2])
                if len(cells) <= 2:
                    continue
            history = "変更箇所" in top
            label = cells[0] if len(cells) > 1 else ""
            body = " ".join(cells)
            section = tuple(part for part in (top, numbered, block) if part)
            header = f"{info.city} {info.jimu} {join_path(section)}"
            ordinal = len(chunks)
            chunks.append(Chunk(f"{info.doc_id}#{ordinal}", info.doc_id, ordinal, info.city, info.jimu, info.kind,
                                join_path(section), label, f"{header}\n{body}", body, history))
    return chunks, documents


@pytest.fixture(scope="session")
def sample_text() -> str:
    """All sample documents, NFKC-normalised and lowercased, for checks that data files are grounded."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt")))
    return unicodedata.normalize("NFKC", text).lower()


@pytest.fixture(scope="session")
def corpus() -> tuple[list[Chunk], list[DocumentInfo]]:
    return sample_corpus()


@pytest.fixture(scope="session")
def use_m3():
    return create_embedder("use-m3")


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory, corpus, use_m3) -> Path:
    """Keyword and vector indexes of the samples, embedded once with use-m3."""
    from assistant.search import build_indexes

    directory = tmp_path_factory.mktemp("index")
    build_indexes(corpus[0], directory, use_m3)
    return directory


@pytest.fixture(scope="session")
def searcher(sample_index_dir, corpus, use_m3):
    from assistant.search import Searcher

    chunks, documents = corpus
    return Searcher.open(sample_index_dir, chunks, documents, use_m3)
