"""The SQLite store: real files, atomic replacement, schema version check."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from assistant.errors import StoreError
from assistant.store import SCHEMA_VERSION, Store
from ingest.chunking import chunk_assessment
from ingest.form import parse_assessment
from ingest.readers import read_source

from sample_paths import SAMPLES


@pytest.fixture(scope="module")
def wako():
    return parse_assessment(read_source(SAMPLES / "wako-tainou-taisaku-juten.txt", 50_000_000))


def test_round_trip_keeps_fields_and_metadata(tmp_path, wako):
    with Store(tmp_path / "pia.sqlite") as store:
        store.put(wako, chunk_assessment(wako))
        loaded = store.assessment(wako.doc_id)
    assert loaded.summary() == wako.summary()
    assert loaded.fields == wako.fields
    assert loaded.sections == wako.sections


def test_failed_write_leaves_previous_version(tmp_path, wako):
    path = tmp_path / "pia.sqlite"
    with Store(path) as store:
        store.put(wako, chunk_assessment(wako))
        before = store.chunks(wako.doc_id)
        broken = replace(wako, sha256="changed")
        duplicate = chunk_assessment(wako)
        with pytest.raises(StoreError):
            store.put(broken, duplicate + duplicate[:1])  # duplicate chunk id -> integrity error
        assert store.sha256_of(wako.doc_id) == wako.sha256
        assert store.chunks(wako.doc_id) == before


def test_other_schema_version_is_refused(tmp_path):
    path = tmp_path / "pia.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="schema version"):
        Store(path)


def test_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="pia ingest"):
        Store(tmp_path / "nothing" / "pia.sqlite", create=False)


def test_remove(tmp_path, wako):
    with Store(tmp_path / "pia.sqlite") as store:
        store.put(wako, chunk_assessment(wako))
        assert store.remove(wako.doc_id)
        assert store.documents() == [] and store.chunks() == [] and store.fields() == []
        assert not store.remove(wako.doc_id)
