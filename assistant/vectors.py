"""FAISS index of chunk vectors, kept in the index directory beside the SQLite store.

Files (see ``assistant.index_files`` for the crash-safe write): ``vectors.json`` (manifest: model
id, dimension, count, index type, format version), ``vectors-<gen>.faiss``, ``.ids.npy`` (the
chunk id of each row), ``.vectors.npy`` (the unit vectors themselves) and ``.hashes.npy`` (a hash
of each embedded text). The last two are the embedding cache: a rebuild embeds only texts whose
hash is new, and a search inside a small subset (one city) is an exact dot product over them.

Exact search (``IndexFlatIP`` on unit vectors = cosine) up to ``EXACT_LIMIT`` vectors; above it,
IVF with 8-bit scalar quantisation (``ivfsq``: approximate, ~10x faster at nationwide size and a
quarter of the memory of plain ``ivf``); ``ivfpq`` compresses 16x for millions. Hits of the two
quantised types are re-ranked by exact cosine from the stored vectors.

Memory: a build holds the vectors once (embedded a slice at a time, normalised in place), saves
them, and fills the FAISS index from the saved file a block at a time. A search reads the few
hundred rows it needs from the vectors file instead of faulting them in through the memory map.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from assistant import index_files
from assistant.embedders import Embedder
from assistant.errors import IndexMismatchError, StoreError

FORMAT_VERSION = 1
MANIFEST_NAME = "vectors.json"
PREFIX = "vectors"
INDEX_TYPES = ("auto", "flat", "hnsw", "ivf", "ivfsq", "ivfpq")
EXACT_LIMIT = 200_000  # "auto" builds an exact index up to this many vectors, "ivfsq" above
EXACT_SUBSET_LIMIT = 50_000  # a filtered search over at most this many rows is exact numpy
QUANTIZED_TYPES = ("ivfsq", "ivfpq")  # their hits are re-ranked by exact cosine from the stored vectors
RERANK_FACTOR = 2  # candidates fetched per hit wanted from a quantised index before re-ranking
ADD_BLOCK = 32_768  # rows read and added to a FAISS index at once
EMBED_SLICE = 8192
READ_ROWS_LIMIT = 4096  # at most this many rows are read with file reads, more through the memory map  # texts ``build`` hands the embedder at once: bounds its temporary arrays


@dataclass(frozen=True)
class VectorManifest:
    model_id: str
    dimension: int
    normalized: bool  # whether the model itself returns unit vectors (stored ones always are)
    count: int
    index_type: str
    generation: str
    version: int = FORMAT_VERSION


def text_hashes(texts: Sequence[str]) -> np.ndarray:
    """128-bit BLAKE2b of each text as an (n, 2) uint64 array."""
    digests = b"".join(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest() for text in texts)
    return np.frombuffer(digests, dtype="<u8").reshape(len(texts), 2).copy()


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def normalize_rows_in_place(vectors: np.ndarray, step: int = 65_536) -> None:
    """``unit_rows`` without the copy (same float32 results), a slice at a time for small temporaries."""
    for start in range(0, len(vectors), step):
        part = vectors[start : start + step]
        norms = np.linalg.norm(part, axis=1, keepdims=True)
        part /= np.where(norms == 0, 1.0, norms)


RowReader = Callable[[int, int], np.ndarray]  # (start, stop) -> those rows as a float32 array


def create_faiss_index(vectors: np.ndarray, index_type: str = "auto") -> tuple[faiss.Index, str]:
    """A filled inner-product index of unit vectors; "auto" picks exact or IVF by size."""
    return fill_faiss_index(vectors.shape, lambda start, stop: vectors[start:stop], index_type)


def fill_faiss_index(shape: tuple[int, int], read: RowReader, index_type: str = "auto") -> tuple[faiss.Index, str]:
    """``create_faiss_index`` over vectors read a block of rows at a time (e.g. from a file).

    Only the training sample and one block are in memory besides the index itself.
    """
    count, dimension = shape
    if index_type == "auto":
        index_type = "flat" if count <= EXACT_LIMIT else "ivfsq"
    if index_type not in INDEX_TYPES:
        raise ValueError(f"unknown vector index type {index_type!r}; choose from {INDEX_TYPES}")
    if index_type == "flat":
        index = faiss.IndexFlatIP(dimension)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction, index.hnsw.efSearch = 80, 128
    else:
        lists = max(1, min(int(4 * math.sqrt(count)), count // 39))  # FAISS wants >= 39 points a list
        quantizer = faiss.IndexFlatIP(dimension)
        if index_type == "ivf":
            index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        elif index_type == "ivfsq":
            index = faiss.IndexIVFScalarQuantizer(quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit,
                                                  faiss.METRIC_INNER_PRODUCT)
        else:
            codes = max(m for m in (8, 16, 32, 48, 64) if dimension % m == 0)
            index = faiss.IndexIVFPQ(quantizer, dimension, lists, codes, 8, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(0).permutation(count)[: max(64 * lists, 10_000)]
        index.train(_gather_rows(np.sort(sample), dimension, read))
        index.nprobe = max(8, lists // 16)
    for start in range(0, count, ADD_BLOCK):
        index.add(np.ascontiguousarray(read(start, min(count, start + ADD_BLOCK)), dtype=np.float32))
    return index, index_type


def _gather_rows(rows: np.ndarray, dimension: int, read: RowReader) -> np.ndarray:
    """The given (sorted) rows, read block by block into one array."""
    gathered = np.empty((len(rows), dimension), dtype=np.float32)
    count = int(rows[-1]) + 1 if len(rows) else 0
    for start in range(0, count, ADD_BLOCK):
        first, last = np.searchsorted(rows, [start, start + ADD_BLOCK])
        if last > first:
            gathered[first:last] = read(start, min(count, start + ADD_BLOCK))[rows[first:last] - start]
    return gathered


def npy_row_reader(path: Path) -> tuple[tuple[int, int], RowReader]:
    """(shape, reader) of a saved 2-d float32 ``.npy``, read with plain file reads.

    Not memory-mapped: pages of a mapping that was read once stay in the process's resident set,
    so a build that reads its vectors back that way would count them twice.
    """
    with open(path, "rb") as handle:
        version = np.lib.format.read_magic(handle)
        header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = header(handle)
        offset = handle.tell()
    if len(shape) != 2 or fortran_order or dtype != np.dtype("<f4"):
        raise StoreError(f"{path} is not a C-order float32 matrix; {index_files.REINDEX_HINT}")
    dimension = shape[1]

    def read(start: int, stop: int) -> np.ndarray:
        with open(path, "rb") as handle:
            handle.seek(offset + start * dimension * 4)
            return np.fromfile(handle, dtype="<f4", count=(stop - start) * dimension).reshape(-1, dimension)

    return (int(shape[0]), int(dimension)), read


def read_rows(path: str | Path, offset: int, dimension: int, rows: np.ndarray) -> np.ndarray:
    """Rows of a C-order float32 matrix stored at ``offset`` in a file: one read per run of adjacent rows."""
    rows = np.asarray(rows, dtype=np.int64)
    order = np.argsort(rows, kind="stable")
    ordered = rows[order]
    found = np.empty((len(rows), dimension), dtype=np.float32)
    if len(rows) == 0:
        return found
    breaks = np.flatnonzero(np.diff(ordered) != 1) + 1
    with open(path, "rb", buffering=0) as handle:
        for start, stop in zip(np.concatenate(([0], breaks)), np.concatenate((breaks, [len(rows)]))):
            handle.seek(offset + int(ordered[start]) * dimension * 4)
            if handle.readinto(memoryview(found[start:stop]).cast("B")) != (stop - start) * dimension * 4:
                raise StoreError(f"{path} is shorter than its header says; {index_files.REINDEX_HINT}")
    unsorted = np.empty_like(found)
    unsorted[order] = found
    return unsorted


def _save_vectors(directory: Path, vectors: np.ndarray) -> str:
    """Save unit vectors as the vectors file of a new, not yet committed generation; its name."""
    generation = index_files.new_generation()
    index_files.save_array(index_files.data_path(Path(directory), PREFIX, generation, "vectors.npy"), vectors)
    return generation


class VectorIndex:
    """Chunk vectors of one embedding model; row i is ``ids[i]``."""

    def __init__(self, manifest: VectorManifest, ids: Sequence[str], index: faiss.Index,
                 vectors: np.ndarray, hashes: np.ndarray) -> None:
        self.manifest = manifest
        self.ids = list(ids)
        self.index = index
        self.vectors = vectors
        self.hashes = hashes

    @property
    def size(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, directory: Path, ids: Sequence[str], texts: Sequence[str], embedder: Embedder,
              index_type: str = "auto", progress: Callable[[int], None] | None = None) -> "VectorIndex":
        """Embed the texts (reusing cached vectors of unchanged texts) and write a new index."""
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        hashes = text_hashes([embedder.passage_prefix + text for text in texts])
        vectors = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
        found = np.zeros(len(texts), dtype=bool)
        cached = cls._cache(directory, embedder.model_id)
        if cached is not None and len(cached[0]) and len(texts):
            old_hashes, old_vectors = cached
            order = np.argsort(old_hashes[:, 0])
            sorted_keys = old_hashes[order, 0]
            positions = np.searchsorted(sorted_keys, hashes[:, 0]).clip(max=len(order) - 1)
            old_rows = order[positions]
            found = (sorted_keys[positions] == hashes[:, 0]) & (old_hashes[old_rows, 1] == hashes[:, 1])
            vectors[found] = old_vectors[old_rows[found]]
        missing = np.flatnonzero(~found)
        for start in range(0, len(missing), EMBED_SLICE):  # not all at once: the embedder copies its output
            rows = missing[start : start + EMBED_SLICE]
            vectors[rows] = embedder.embed_passages([texts[row] for row in rows], progress)
        normalize_rows_in_place(vectors)
        generation = _save_vectors(directory, vectors)
        del vectors  # the FAISS index is filled from the saved file: no need to keep both in memory
        return cls._commit(directory, generation, ids, hashes, embedder.model_id, embedder.normalized, index_type)

    @staticmethod
    def _cache(directory: Path, model_id: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(hashes, vectors) of the committed index when it was built with this model."""
        try:
            data = index_files.read_manifest(Path(directory) / MANIFEST_NAME, "vector", FORMAT_VERSION)
            if data.get("model_id") != model_id:
                return None
            generation = data["generation"]
            hashes = index_files.load_array(index_files.data_path(directory, PREFIX, generation, "hashes.npy"))
            vectors = index_files.load_array(index_files.data_path(directory, PREFIX, generation, "vectors.npy"), mmap=True)
        except (StoreError, IndexMismatchError, KeyError):
            return None
        return (hashes, vectors) if len(hashes) == len(vectors) else None

    @classmethod
    def write(cls, directory: Path, ids: Sequence[str], vectors: np.ndarray, hashes: np.ndarray,
              model_id: str, normalized: bool, index_type: str = "auto") -> "VectorIndex":
        """Write already computed vectors as a new generation and commit it (``vectors`` is not changed)."""
        generation = _save_vectors(directory, unit_rows(vectors))
        return cls._commit(directory, generation, ids, hashes, model_id, normalized, index_type)

    @classmethod
    def _commit(cls, directory: Path, generation: str, ids: Sequence[str], hashes: np.ndarray,
                model_id: str, normalized: bool, index_type: str) -> "VectorIndex":
        """Build the FAISS index from the generation's saved unit vectors, write the rest, commit.

        The returned index reads the vectors from the saved file (memory-mapped, as ``open`` does).
        """
        directory = Path(directory)

        def part(name: str) -> Path:
            return index_files.data_path(directory, PREFIX, generation, name)

        shape, read = npy_row_reader(part("vectors.npy"))
        index, index_type = fill_faiss_index(shape, read, index_type)
        manifest = VectorManifest(model_id, shape[1], bool(normalized), len(ids), index_type, generation)
        index_files.write_atomic(part("faiss"), lambda temporary: faiss.write_index(index, temporary))
        index_files.save_array(part("ids.npy"), np.array(list(ids), dtype=str))
        index_files.save_array(part("hashes.npy"), hashes)
        index_files.write_manifest(directory / MANIFEST_NAME, asdict(manifest))
        index_files.remove_other_generations(directory, PREFIX, generation)
        return cls(manifest, ids, index, index_files.load_array(part("vectors.npy"), mmap=True), hashes)

    @classmethod
    def open(cls, directory: Path, model_id: str | None = None) -> "VectorIndex":
        """Open the committed index; refuse one built with another model than ``model_id``."""
        directory = Path(directory)
        data = index_files.read_manifest(directory / MANIFEST_NAME, "vector", FORMAT_VERSION)
        manifest = VectorManifest(**data)
        if model_id is not None and manifest.model_id != model_id:
            raise IndexMismatchError(
                f"the index was built with {manifest.model_id}, not {model_id}; rebuild with "
                f"`pia ingest --reindex` or use --embedder {manifest.model_id}"
            )

        def part(name: str) -> Path:
            return index_files.data_path(directory, PREFIX, manifest.generation, name)

        try:
            index = faiss.read_index(str(part("faiss")))
        except RuntimeError as error:
            raise StoreError(f"cannot read {part('faiss')}: {error}; {index_files.REINDEX_HINT}") from error
        ids = index_files.load_array(part("ids.npy")).tolist()
        vectors = index_files.load_array(part("vectors.npy"), mmap=True)
        hashes = index_files.load_array(part("hashes.npy"))
        if not (index.ntotal == len(ids) == len(vectors) == manifest.count):
            raise StoreError(f"vector index files in {directory} disagree; {index_files.REINDEX_HINT}")
        return cls(manifest, ids, index, vectors, hashes)

    def search(self, query_vector: np.ndarray, k: int = 10, rows: np.ndarray | None = None) -> list[tuple[int, float]]:
        """[(row, cosine)] of the k nearest rows, best first, optionally only among ``rows``."""
        query = unit_rows(np.asarray(query_vector, dtype=np.float32).reshape(1, -1))
        if k <= 0 or self.size == 0 or (rows is not None and len(rows) == 0):
            return []
        if rows is not None and len(rows) <= EXACT_SUBSET_LIMIT:
            rows = np.sort(np.asarray(rows, dtype=np.int64))
            scores = self.similarities(query[0], rows)
            best = np.lexsort((rows, -scores))[:k]
            return [(int(rows[i]), float(scores[i])) for i in best]
        params = None
        if rows is not None:
            selector = faiss.IDSelectorBatch(np.asarray(rows, dtype=np.int64))
            if isinstance(self.index, faiss.IndexIVF):
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self.index.nprobe)
            elif isinstance(self.index, faiss.IndexHNSW):
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=self.index.hnsw.efSearch)
            else:
                params = faiss.SearchParameters(sel=selector)
        if self.manifest.index_type not in QUANTIZED_TYPES:
            scores, found = self.index.search(query, min(k, self.size), params=params)
            return [(int(row), float(score)) for row, score in zip(found[0], scores[0]) if row >= 0]
        # Quantised scores are approximate: take more candidates and rank them by exact cosine.
        _, found = self.index.search(query, min(k * RERANK_FACTOR, self.size), params=params)
        rows = np.sort(found[0][found[0] >= 0])
        scores = self.similarities(query[0], rows)
        best = np.lexsort((rows, -scores))[:k]
        return [(int(rows[i]), float(scores[i])) for i in best]

    def similarities(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosine between the query and the given rows (from the stored unit vectors)."""
        query = unit_rows(np.asarray(query_vector, dtype=np.float32).reshape(1, -1))[0]
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        return np.asarray(self.rows(rows) @ query, dtype=np.float32)

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The stored unit vectors of the given rows, read from the vectors file when there is one.

        Up to ``READ_ROWS_LIMIT`` rows are read with ordinary file reads, not through the memory map:
        a search needs a few hundred scattered rows, and faulting them in through the map (with the
        kernel's fault-around of neighbouring pages) would soon make the whole file resident in the
        searching process. More rows (a large filtered subset) are read through the map, which is
        faster for them.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if isinstance(self.vectors, np.memmap) and self.vectors.filename and len(rows) <= READ_ROWS_LIMIT:
            return read_rows(self.vectors.filename, self.vectors.offset, self.vectors.shape[1], rows)
        return np.asarray(self.vectors[rows])
