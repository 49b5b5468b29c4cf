"""Shared fixtures: the real sample documents and a real index of them, built once per test run."""

from __future__ import annotations

import pytest

from assistant.config import Settings

from sample_paths import SAMPLE_FILES, SAMPLES


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Settings:
    """A real SQLite store + keyword and FAISS indexes of the four samples (default embedder)."""
    from assistant.indexes import rebuild_indexes
    from assistant.store import Store
    from ingest.pipeline import ingest_paths

    settings = Settings(index_dir=tmp_path_factory.mktemp("sample-index"))
    with Store(settings.database_path) as store:
        results = ingest_paths(store, [SAMPLES], settings)
        assert [r.status for r in results] == ["ok"] * len(SAMPLE_FILES), [r.line() for r in results]
        rebuild_indexes(settings, store, progress=False)
    return settings


@pytest.fixture(scope="session")
def answerer(sample_index):
    from assistant.answering import open_answerer

    return open_answerer(sample_index)
