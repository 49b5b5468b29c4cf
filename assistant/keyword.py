"""BM25 keyword index over character n-grams (see ``assistant.ngrams``), numpy only.

The index is an inverted file in CSR form: ``terms`` (sorted n-gram codes), ``indptr`` (where each
term's postings start), and per posting the row and its precomputed BM25 weight
``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average_length))``. A query adds each of
its terms' posting weights into a score array (one numpy operation per term, none per document).

Memory: a build makes two streamed passes over the texts (vocabulary and counts, then each posting
written into its final place), so it holds the finished postings (8 bytes each: int32 row, float32
weight) plus one batch of n-grams; a loaded index memory-maps the postings. At 300k chunks of ~290
characters that is ~75M postings, ~0.6 GB.

Saved as ``.npy`` files (``allow_pickle=False``) plus ``keyword.json`` with the parameters and
format version; see ``assistant.index_files`` for how a build is committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from assistant import index_files
from assistant.errors import StoreError
from assistant.ngrams import DEFAULT_ORDERS, corpus_ngram_codes, ngram_codes

FORMAT_VERSION = 1
MANIFEST_NAME = "keyword.json"
PREFIX = "keyword"
_BATCH_ROWS = 2048  # texts turned into n-grams at once while building (bounds the temporary arrays)


@dataclass(frozen=True)
class KeywordParams:
    orders: tuple[int, ...] = DEFAULT_ORDERS
    k1: float = 1.2
    b: float = 0.75


def _group_starts(sorted_values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in a sorted array."""
    change = np.ones(len(sorted_values), dtype=bool)
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=change[1:])
    return np.flatnonzero(change)


def _distinct_pairs(codes: np.ndarray, rows: np.ndarray, row_count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code, row, count) of each distinct (code, row) pair, sorted by code, then row.

    Codes of uni- and bigrams leave room for the row in an int64, so one sort of ``code *
    row_count + row`` does it (about twice as fast as a lexsort); trigram codes need the lexsort.
    """
    if len(codes) == 0:
        return codes, rows.astype(np.int32), np.zeros(0, np.int32)
    total = len(codes)
    if int(codes.max()) < (np.iinfo(np.int64).max - row_count) // row_count:
        keys = np.sort(codes * row_count + rows)
        starts = _group_starts(keys)
        codes, rows = np.divmod(keys[starts], row_count)
    else:
        order = np.lexsort((rows, codes))
        codes, rows = codes[order], rows[order]
        change = np.ones(len(codes), dtype=bool)
        change[1:] = (codes[1:] != codes[:-1]) | (rows[1:] != rows[:-1])
        starts = np.flatnonzero(change)
        codes, rows = codes[starts], rows[starts]
    counts = np.diff(np.append(starts, total)).astype(np.int32)
    return codes, rows.astype(np.int32), counts


def _batches(texts: Sequence[str], orders: tuple[int, ...]) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
    """(first row, codes, batch-local rows, term frequencies) of each batch of ``_BATCH_ROWS`` texts.

    Within a batch the pairs are sorted by code, then row; batches come in row order.
    """
    for first in range(0, len(texts), _BATCH_ROWS):
        batch = texts[first : first + _BATCH_ROWS]
        codes, rows = corpus_ngram_codes(batch, orders)
        yield (first, *_distinct_pairs(codes, rows, len(batch)))


def _merge_counts(terms: np.ndarray, counts: np.ndarray, new_terms: np.ndarray,
                  new_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Add sorted (term, count) pairs into sorted running totals (linear, no re-sort)."""
    positions = np.searchsorted(terms, new_terms)
    known = positions < len(terms)
    known[known] = terms[positions[known]] == new_terms[known]
    counts[positions[known]] += new_counts[known]
    fresh = ~known
    return np.insert(terms, positions[fresh], new_terms[fresh]), np.insert(counts, positions[fresh], new_counts[fresh])


def _count_terms(texts: Sequence[str], orders: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First pass: (sorted n-gram codes, document frequency of each, n-gram count of each text).

    Only the vocabulary and per-text totals are kept, so memory does not grow with the postings.
    """
    terms, frequencies = np.zeros(0, np.int64), np.zeros(0, np.int64)
    lengths = np.zeros(len(texts), dtype=np.float32)
    for first, codes, rows, counts in _batches(texts, orders):
        end = first + min(_BATCH_ROWS, len(texts) - first)
        lengths[first:end] = np.bincount(rows, weights=counts, minlength=end - first)
        starts = _group_starts(codes)
        batch_frequencies = np.diff(np.append(starts, len(codes)))
        terms, frequencies = _merge_counts(terms, frequencies, codes[starts], batch_frequencies)
    return terms, frequencies, lengths


def _bm25(idf: np.ndarray, frequencies: np.ndarray, lengths: np.ndarray, average: float,
          params: "KeywordParams") -> np.ndarray:
    """BM25 weight of postings given each one's term idf, term frequency and text length (float32)."""
    norm = params.k1 * (1.0 - params.b + params.b * lengths / average)
    return (idf * frequencies * (params.k1 + 1.0) / (frequencies + norm)).astype(np.float32)


def _fill_postings(texts: Sequence[str], terms: np.ndarray, indptr: np.ndarray, lengths: np.ndarray,
                   params: "KeywordParams") -> tuple[np.ndarray, np.ndarray]:
    """Second pass: (row, BM25 weight) of every posting, grouped by term, rows ascending per term.

    The n-grams are recomputed batch by batch and each posting is written straight into its
    final place (a counting sort), so nothing but the two output arrays grows with the corpus.
    """
    rows_out = np.empty(int(indptr[-1]), dtype=np.int32)
    weights_out = np.empty(int(indptr[-1]), dtype=np.float32)
    cursor = indptr[:-1].copy()  # next free slot of each term
    document_frequency = np.diff(indptr).astype(np.float64)
    idf = np.log1p((len(texts) - document_frequency + 0.5) / (document_frequency + 0.5))
    average = float(lengths.mean()) if len(texts) and lengths.mean() > 0 else 1.0
    for first, codes, rows, frequencies in _batches(texts, params.orders):
        term_ids = np.searchsorted(terms, codes)
        starts = _group_starts(term_ids)
        sizes = np.diff(np.append(starts, len(term_ids)))
        places = cursor[term_ids] + (np.arange(len(term_ids)) - np.repeat(starts, sizes))
        cursor[term_ids[starts]] += sizes
        rows += first
        rows_out[places] = rows
        weights_out[places] = _bm25(idf[term_ids], frequencies, lengths[rows], average, params)
    return rows_out, weights_out


class KeywordIndex:
    """BM25 over the rows it was built from; row i is ``ids[i]``."""

    def __init__(self, ids: Sequence[str], terms: np.ndarray, indptr: np.ndarray, rows: np.ndarray,
                 weights: np.ndarray, lengths: np.ndarray, params: KeywordParams) -> None:
        self.ids = list(ids)
        self.terms = terms
        self.indptr = indptr
        self.rows = rows
        self.weights = weights
        self.lengths = lengths
        self.params = params

    @property
    def size(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], params: KeywordParams = KeywordParams()) -> "KeywordIndex":
        """Index the texts in two streamed passes (vocabulary and counts, then postings).

        Peak memory is the finished postings (8 bytes each) plus one batch of n-grams, at the cost
        of computing each text's n-grams twice.
        """
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        terms, document_frequency, lengths = _count_terms(texts, params.orders)
        indptr = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(document_frequency, out=indptr[1:])
        del document_frequency
        rows, weights = _fill_postings(texts, terms, indptr, lengths, params)
        return cls(ids, terms, indptr, rows, weights, lengths, params)

    # -- querying --------------------------------------------------------------------------

    def query_terms(self, parts: Iterable[tuple[str, float]]) -> tuple[np.ndarray, np.ndarray]:
        """(term index, weight) of the known n-grams of weighted query texts; repeats add up."""
        codes, weights = [], []
        for text, weight in parts:
            text_codes = ngram_codes(text, self.params.orders)
            codes.append(text_codes)
            weights.append(np.full(len(text_codes), weight, dtype=np.float64))
        if not codes or len(self.terms) == 0:
            return np.zeros(0, np.int64), np.zeros(0)
        codes_all, weights_all = np.concatenate(codes), np.concatenate(weights)
        positions = np.searchsorted(self.terms, codes_all).clip(max=len(self.terms) - 1)
        known = self.terms[positions] == codes_all
        unique, inverse = np.unique(positions[known], return_inverse=True)
        return unique, np.bincount(inverse, weights=weights_all[known], minlength=len(unique))

    def score(self, query: str | Iterable[tuple[str, float]]) -> np.ndarray:
        """BM25 score of every row (float32, shape (size,)); a string query has weight 1."""
        parts = [(query, 1.0)] if isinstance(query, str) else query
        scores = np.zeros(self.size, dtype=np.float32)
        for term, weight in zip(*self.query_terms(parts)):
            start, end = self.indptr[term], self.indptr[term + 1]
            # A term's postings name each row once, so a fancy-index add is exact here.
            scores[self.rows[start:end]] += self.weights[start:end] * np.float32(weight)
        return scores

    def search(self, query: str | Iterable[tuple[str, float]], k: int = 10,
               mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best rows with a positive score, best first, among rows where ``mask`` is true."""
        return top_rows(self.score(query), k, mask)

    # -- persistence -----------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """Write a new generation of the index files and commit it.

        Afterwards the postings are read from the saved files (memory-mapped, as ``load`` does), so
        a build process that keeps the index, e.g. while it builds the vector index, does not also
        keep its own copy of the largest arrays in memory.
        """
        directory = Path(directory)
        generation = index_files.new_generation()
        arrays = {"ids": np.array(self.ids, dtype=str), "terms": self.terms, "indptr": self.indptr,
                  "rows": self.rows, "weights": self.weights, "lengths": self.lengths}
        for part, array in arrays.items():
            index_files.save_array(index_files.data_path(directory, PREFIX, generation, f"{part}.npy"), array)
        del arrays
        manifest = {"version": FORMAT_VERSION, "generation": generation, "count": self.size,
                    "vocabulary": int(len(self.terms)), "postings": int(len(self.rows)),
                    "tokenizer": "nfkc-lower-char-ngrams", "params": asdict(self.params)}
        index_files.write_manifest(directory / MANIFEST_NAME, manifest)
        index_files.remove_other_generations(directory, PREFIX, generation)
        self.rows = _load_part(directory, generation, "rows", mmap=True)
        self.weights = _load_part(directory, generation, "weights", mmap=True)

    @classmethod
    def load(cls, directory: Path) -> "KeywordIndex":
        """Open the committed index; the postings (rows, weights) are memory-mapped, not read.

        A query touches only its terms' postings, so a searching process holds those pages (which
        the OS may drop again) instead of the whole index.
        """
        directory = Path(directory)
        manifest = index_files.read_manifest(directory / MANIFEST_NAME, "keyword", FORMAT_VERSION)
        params = manifest["params"]
        params = KeywordParams(orders=tuple(params["orders"]), k1=params["k1"], b=params["b"])
        generation = manifest["generation"]
        ids = _load_part(directory, generation, "ids").tolist()
        terms, indptr = _load_part(directory, generation, "terms"), _load_part(directory, generation, "indptr")
        rows = _load_part(directory, generation, "rows", mmap=True)
        weights = _load_part(directory, generation, "weights", mmap=True)
        lengths = _load_part(directory, generation, "lengths")
        if not (len(ids) == len(lengths) == manifest["count"] and len(indptr) == len(terms) + 1
                and len(rows) == len(weights) == int(indptr[-1])):
            raise StoreError(f"keyword index files in {directory} disagree; {index_files.REINDEX_HINT}")
        return cls(ids, terms, indptr, rows, weights, lengths, params)


def _load_part(directory: Path, generation: str, name: str, mmap: bool = False) -> np.ndarray:
    return index_files.load_array(index_files.data_path(directory, PREFIX, generation, f"{name}.npy"), mmap=mmap)


def top_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
    """[(row, score), ...] of the k highest positive scores, best first; ties by row."""
    if k <= 0:
        return []
    candidates = np.flatnonzero((scores > 0) & mask) if mask is not None else np.flatnonzero(scores > 0)
    if len(candidates) > k:
        candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    ordered = candidates[np.lexsort((candidates, -scores[candidates]))]
    return [(int(row), float(scores[row])) for row in ordered]
