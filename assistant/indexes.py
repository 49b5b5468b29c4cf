"""The search indexes beside the SQLite store: rebuild them from the store, check and open them.

The store holds the chunks; ``assistant.search.build_indexes`` writes the keyword (BM25) and
vector (FAISS) indexes of those chunks into the same directory. The vector index's manifest
records the embedding model, so a later ``open_searcher`` uses the same model unless the user asks
for another one (which fails with a message saying how to rebuild).
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant import index_files
from assistant.config import Settings
from assistant.embedders import DEFAULT_EMBEDDER, Embedder, create_embedder
from assistant.errors import IndexMismatchError, StoreError
from assistant.keyword import MANIFEST_NAME as KEYWORD_MANIFEST
from assistant.search import Searcher, build_indexes
from assistant.store import Store
from assistant.vectors import FORMAT_VERSION as VECTOR_FORMAT
from assistant.vectors import MANIFEST_NAME as VECTOR_MANIFEST

_HASH_ID = re.compile(r"^hash(?:-(\d+))?$")


def embedder_for(model_id: str) -> Embedder:
    """The embedder that produced vectors recorded under ``model_id`` in a manifest."""
    match = _HASH_ID.match(model_id)
    if match:
        return create_embedder("hash", dimension=int(match.group(1) or 256))
    return create_embedder(model_id)


def indexed_model(index_dir: Path) -> str | None:
    """The model id in the vector manifest of ``index_dir``, or None when there is no vector index."""
    path = Path(index_dir) / VECTOR_MANIFEST
    if not path.exists():
        return None
    return index_files.read_manifest(path, "vector", VECTOR_FORMAT).get("model_id")


def indexes_present(settings: Settings) -> bool:
    return (settings.index_dir / KEYWORD_MANIFEST).exists() and (settings.index_dir / VECTOR_MANIFEST).exists()


def rebuild_indexes(settings: Settings, store: Store, progress: bool = False) -> int:
    """Rebuild the keyword and vector indexes from every chunk in the store; returns the chunk count.

    The embedder is ``settings.embedder``, else the model the existing index was built with, else
    the default. Vectors of unchanged chunk texts are reused from the previous index.
    """
    chunks = store.chunks()
    name = settings.embedder or _previous_model(settings.index_dir) or DEFAULT_EMBEDDER
    embedder = embedder_for(name)
    bar = None
    if progress and chunks:
        from tqdm import tqdm

        bar = tqdm(total=len(chunks), desc="embedding", unit="chunk", leave=False)
    try:
        build_indexes(chunks, settings.index_dir, embedder, progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    return len(chunks)


def _previous_model(index_dir: Path) -> str | None:
    try:
        return indexed_model(index_dir)
    except (StoreError, IndexMismatchError):
        return None  # an unreadable or old-format index is rebuilt with the default model


def open_searcher(settings: Settings) -> Searcher:
    """A Searcher over the store and indexes in ``settings.index_dir``.

    Raises StoreError when nothing has been ingested there, IndexMismatchError when the index was
    built with another embedder than ``settings.embedder``.
    """
    if not settings.database_path.exists():
        raise StoreError(f"no index in {settings.index_dir}; build it with `pia ingest PATH --index {settings.index_dir}`")
    with Store(settings.database_path, create=False) as store:
        chunks, documents = store.chunks(), store.documents()
    model_id = indexed_model(settings.index_dir)
    if model_id is None:
        raise StoreError(f"no vector index in {settings.index_dir}; build it with `pia ingest --reindex --index {settings.index_dir}`")
    if settings.embedder is not None:
        embedder = embedder_for(settings.embedder)
        if embedder.model_id != model_id:
            raise IndexMismatchError(
                f"the index in {settings.index_dir} was built with {model_id}, not {embedder.model_id}; "
                f"rebuild it with `pia ingest --reindex --embedder {settings.embedder}` or drop --embedder"
            )
    else:
        embedder = embedder_for(model_id)
    return Searcher.open(settings.index_dir, chunks, documents, embedder)
