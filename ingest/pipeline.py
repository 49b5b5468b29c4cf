"""The ingest pipeline: files or folders -> read -> parse -> chunk -> store, one result per file.

A failing file is reported in one line and the batch goes on; the store keeps what it had.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.config import Settings
from assistant.errors import PiaError
from assistant.store import Store
from ingest.chunking import chunk_assessment
from ingest.form import parse_assessment
from ingest.readers import SUPPORTED_SUFFIXES, doc_id_for, read_source

Status = Literal["ok", "unchanged", "failed"]


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: Status
    doc_id: str | None = None
    reason: str | None = None
    chunks: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        """The one line `pia ingest` prints for this file."""
        if self.status == "failed":
            return f"{self.path}: failed: {self.reason}"
        if self.status == "unchanged":
            return f"{self.path}: unchanged ({self.doc_id})"
        return f"{self.path}: ok ({self.doc_id}, {self.chunks} chunks)"


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders walked recursively for supported files (README files skipped)."""
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES
                        and not child.name.upper().startswith("README")):
                    yield child
        else:
            yield path


def ingest_file(store: Store, path: Path, settings: Settings) -> IngestResult:
    started = time.perf_counter()
    try:
        source = read_source(path, settings.max_file_bytes)
        doc_id = doc_id_for(source.source)
        if store.sha256_of(doc_id) == source.sha256:
            return IngestResult(str(path), "unchanged", doc_id)
        assessment = parse_assessment(source)
        chunks = chunk_assessment(assessment)
        store.put(assessment, chunks)
    except PiaError as error:
        return IngestResult(str(path), "failed", reason=str(error))
    except Exception as error:  # an unexpected parser bug must not stop the batch
        return IngestResult(str(path), "failed", reason=f"unexpected error: {type(error).__name__}: {error}")
    return IngestResult(str(path), "ok", assessment.doc_id, chunks=len(chunks),
                        seconds=time.perf_counter() - started)


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    settings: Settings,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    results = []
    for path in expand_paths(paths):
        result = ingest_file(store, path, settings)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results
