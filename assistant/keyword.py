"""BM25 keyword index over character n-grams (see ``assistant.ngrams``), numpy only.

The index is an inverted file in CSR form: ``terms`` (sorted n-gram codes), ``indptr`` (where each
term's postings start), and per posting the row and its precomputed BM25 weight
``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average_length))``. A query adds each of
its terms' posting weights into a score array (one numpy operation per term, none per document).

Saved as ``.npy`` files (``allow_pickle=False``) plus ``keyword.json`` with the parameters and
format version; see ``assistant.index_files`` for how a build is committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from assistant import index_files
from assistant.ngrams import DEFAULT_ORDERS, corpus_ngram_codes, ngram_codes

FORMAT_VERSION = 1
MANIFEST_NAME = "keyword.json"
PREFIX = "keyword"
_BATCH_ROWS = 4096  # texts turned into n-grams at once while building (bounds memory)


@dataclass(frozen=True)
class KeywordParams:
    orders: tuple[int, ...] = DEFAULT_ORDERS
    k1: float = 1.2
    b: float = 0.75


def _count_batch(texts: Sequence[str], first_row: int, orders) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code, row, term frequency) for each distinct n-gram of each text of a batch."""
    codes, rows = corpus_ngram_codes(texts, orders)
    order = np.lexsort((rows, codes))
    codes, rows = codes[order], rows[order]
    if len(codes) == 0:
        return codes, rows.astype(np.int32), np.zeros(0, np.int32)
    change = np.ones(len(codes), dtype=bool)
    change[1:] = (codes[1:] != codes[:-1]) | (rows[1:] != rows[:-1])
    starts = np.flatnonzero(change)
    frequencies = np.diff(np.append(starts, len(codes))).astype(np.int32)
    return codes[starts], (rows[starts] + first_row).astype(np.int32), frequencies


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
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        batches = [
            _count_batch(texts[start : start + _BATCH_ROWS], start, params.orders)
            for start in range(0, len(texts), _BATCH_ROWS)
        ]
        codes = np.concatenate([batch[0] for batch in batches]) if batches else np.zeros(0, np.int64)
        rows = np.concatenate([batch[1] for batch in batches]) if batches else np.zeros(0, np.int32)
        frequencies = np.concatenate([batch[2] for batch in batches]) if batches else np.zeros(0, np.int32)
        del batches
        terms, term_ids = np.unique(codes, return_inverse=True)
        del codes
        order = np.argsort(term_ids, kind="stable")  # rows stay ascending within a term
        term_ids, rows, frequencies = term_ids[order], rows[order], frequencies[order]
        del order
        indptr = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=len(terms)), out=indptr[1:])
        lengths = np.bincount(rows, weights=frequencies, minlength=len(texts)).astype(np.float32)
        average = float(lengths.mean()) if len(texts) and lengths.mean() > 0 else 1.0
        document_frequency = np.diff(indptr).astype(np.float64)
        idf = np.log1p((len(texts) - document_frequency + 0.5) / (document_frequency + 0.5))
        norm = params.k1 * (1.0 - params.b + params.b * lengths[rows] / average)
        weights = (idf[term_ids] * frequencies * (params.k1 + 1.0) / (frequencies + norm)).astype(np.float32)
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
        directory = Path(directory)
        generation = index_files.new_generation()
        arrays = {"ids": np.array(self.ids, dtype=str), "terms": self.terms, "indptr": self.indptr,
                  "rows": self.rows, "weights": self.weights, "lengths": self.lengths}
        for part, array in arrays.items():
            index_files.save_array(index_files.data_path(directory, PREFIX, generation, f"{part}.npy"), array)
        manifest = {"version": FORMAT_VERSION, "generation": generation, "count": self.size,
                    "vocabulary": int(len(self.terms)), "postings": int(len(self.rows)),
                    "tokenizer": "nfkc-lower-char-ngrams", "params": asdict(self.params)}
        index_files.write_manifest(directory / MANIFEST_NAME, manifest)
        index_files.remove_other_generations(directory, PREFIX, generation)

    @classmethod
    def load(cls, directory: Path) -> "KeywordIndex":
        directory = Path(directory)
        manifest = index_files.read_manifest(directory / MANIFEST_NAME, "keyword", FORMAT_VERSION)
        params = manifest["params"]
        params = KeywordParams(orders=tuple(params["orders"]), k1=params["k1"], b=params["b"])

        def part(name: str) -> np.ndarray:
            path = index_files.data_path(directory, PREFIX, manifest["generation"], f"{name}.npy")
            return index_files.load_array(path)

        return cls(part("ids").tolist(), part("terms"), part("indptr"), part("rows"), part("weights"),
                   part("lengths"), params)


def top_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
    """[(row, score), ...] of the k highest positive scores, best first; ties by row."""
    if k <= 0:
        return []
    candidates = np.flatnonzero((scores > 0) & mask) if mask is not None else np.flatnonzero(scores > 0)
    if len(candidates) > k:
        candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
    ordered = candidates[np.lexsort((candidates, -scores[candidates]))]
    return [(int(row), float(scores[row])) for row in ordered]
