"""The ingest pipeline on real files: unchanged files skipped, changed files replaced, bad input
reported in one line while the batch goes on and the store keeps what it had."""

from __future__ import annotations

import shutil
import time

import pytest

from assistant.config import Settings
from assistant.store import Store
from ingest.pipeline import ingest_paths
from tests.fixtures.pdf_maker import make_corrupt_pdf, make_scanned_pdf

from sample_paths import SAMPLES


@pytest.fixture()
def settings(tmp_path):
    return Settings(index_dir=tmp_path / "index")


def _snapshot(store: Store):
    return [(d.doc_id, d.source) for d in store.documents()], len(store.chunks()), len(store.fields())


def test_reingest_unchanged_then_changed(tmp_path, settings):
    source = tmp_path / "wako.txt"
    shutil.copy(SAMPLES / "wako-tainou-taisaku-juten.txt", source)
    with Store(settings.database_path) as store:
        assert [r.status for r in ingest_paths(store, [source], settings)] == ["ok"]
        assert [r.status for r in ingest_paths(store, [source], settings)] == ["unchanged"]
        source.write_text(source.read_text(encoding="utf-8").replace("AGS株式会社", "テスト株式会社"),
                          encoding="utf-8")
        result = ingest_paths(store, [source], settings)
        assert [r.status for r in result] == ["ok"]
        assert len(store.documents()) == 1
        values = {f.value for f in store.fields("wako")}
        assert "テスト株式会社" in values and "AGS株式会社" not in values


LIMIT = 1_000_000  # bytes; the samples are far below it


def _write(data: bytes):
    return lambda path: path.write_bytes(data)


def _too_large(path):
    text = (SAMPLES / "wako-tainou-taisaku-juten.txt").read_text(encoding="utf-8")
    path.write_text(text * (LIMIT // len(text.encode()) + 1), encoding="utf-8")


BAD_INPUTS = {
    "empty.txt": (_write(b""), "empty"),
    "blank.txt": (_write(" \n\t\n".encode()), "empty"),
    "binary.txt": (_write(b"\x00\x01\x02\x03" * 100), "binary"),
    "recipe.txt": (_write("カレーの作り方\n玉ねぎを炒める。".encode()), "not a 特定個人情報保護評価書"),
    "broken.pdf": (_write(b"%PDF-1.4\n1 0 obj<<>>\ngarbage"), "PDF"),
    "cut.pdf": (make_corrupt_pdf, "corrupt or unreadable PDF"),
    "empty.pdf": (_write(b""), "empty"),
    "scan.pdf": (make_scanned_pdf, "OCR is not supported"),
    "huge.txt": (_too_large, "too large"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_line_and_store_untouched(tmp_path, name):
    settings = Settings(index_dir=tmp_path / "index", max_file_bytes=LIMIT)
    make, expected = BAD_INPUTS[name]
    bad = tmp_path / name
    make(bad)
    with Store(settings.database_path) as store:
        ingest_paths(store, [SAMPLES / "wako-tainou-taisaku-juten.txt"], settings)
        before = _snapshot(store)
        wako_fields = store.fields("wako-tainou-taisaku-juten")
        [alone] = ingest_paths(store, [bad], settings)
        assert alone.status == "failed" and expected in alone.reason
        assert _snapshot(store) == before  # the store is unchanged
        results = ingest_paths(store, [bad, SAMPLES / "hanamaki-kojin-juminzei-juten.txt"], settings)
        assert results[0].status == "failed"
        assert expected in results[0].reason
        line = results[0].line()
        assert "\n" not in line and "Traceback" not in line and len(line) < 400
        assert results[1].status == "ok"  # the batch goes on
        after = _snapshot(store)
        assert store.fields("wako-tainou-taisaku-juten") == wako_fields
    assert after[0] == sorted(before[0] + [("hanamaki-kojin-juminzei-juten", "hanamaki-kojin-juminzei-juten.txt")])


def test_too_large_file_is_refused(tmp_path):
    settings = Settings(index_dir=tmp_path / "index", max_file_bytes=1000)
    with Store(settings.database_path) as store:
        [result] = ingest_paths(store, [SAMPLES / "wako-tainou-taisaku-juten.txt"], settings)
    assert result.status == "failed" and "too large" in result.reason


def test_folder_skips_readme(tmp_path, settings):
    with Store(settings.database_path) as store:
        results = ingest_paths(store, [SAMPLES], settings)
    assert len(results) == 4 and all(r.status == "ok" for r in results)
    assert not any("README" in r.path for r in results)


def test_four_samples_ingest_within_five_seconds(tmp_path, settings):
    """Parse + chunk + store of the four samples (no embedding) stays far under the 5 s budget;
    benchmarks/ingest_speed.py reports the figures per document."""
    started = time.perf_counter()
    with Store(settings.database_path) as store:
        results = ingest_paths(store, [SAMPLES], settings)
    assert [r.status for r in results] == ["ok"] * 4
    assert time.perf_counter() - started < 5.0
