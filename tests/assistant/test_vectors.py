import json
import os

import faiss
import numpy as np
import pytest

from assistant import vectors
from assistant.embedders import HashEmbedder
from assistant.errors import IndexMismatchError, StoreError
from assistant.vectors import VectorIndex, text_hashes


class CountingEmbedder(HashEmbedder):
    """The real hash embedder, counting how many passages it was asked to embed."""

    def __init__(self):
        super().__init__()
        self.embedded = 0

    def embed(self, texts):
        self.embedded += len(texts)
        return super().embed(texts)


@pytest.fixture(scope="module")
def wako_chunks(corpus):
    return [chunk for chunk in corpus[0] if chunk.city == "和光市"]


def build(directory, chunks, embedder=None, index_type="auto"):
    embedder = embedder or HashEmbedder()
    return VectorIndex.build(directory, [c.chunk_id for c in chunks], [c.text for c in chunks], embedder, index_type)


def test_write_reopen_and_search(tmp_path, wako_chunks):
    built = build(tmp_path, wako_chunks)
    manifest = json.loads((tmp_path / "vectors.json").read_text(encoding="utf-8"))
    assert manifest["model_id"] == "hash" and manifest["count"] == len(wako_chunks)
    assert manifest["index_type"] == "flat" and manifest["version"] == vectors.FORMAT_VERSION
    reopened = VectorIndex.open(tmp_path, "hash")
    assert isinstance(reopened.index, faiss.IndexFlatIP) and reopened.ids == built.ids
    query = HashEmbedder().embed_queries(["③委託先名 AGS株式会社"])[0]
    row, score = reopened.search(query, k=3)[0]
    assert "AGS株式会社" in wako_chunks[row].text and 0 < score <= 1.0001


def test_search_inside_a_subset_is_exact(tmp_path, wako_chunks):
    index = build(tmp_path, wako_chunks)
    query = HashEmbedder().embed_queries(["委託先名"])[0]
    subset = np.arange(0, len(wako_chunks), 2)
    found = index.search(query, k=5, rows=subset)
    assert {row for row, _ in found} <= set(subset.tolist())
    expected = np.sort(index.similarities(query, subset))[::-1][:5]
    np.testing.assert_allclose([score for _, score in found], expected, rtol=1e-5)
    assert index.search(query, k=5, rows=np.array([], dtype=np.int64)) == []


@pytest.mark.parametrize("index_type", ["hnsw", "ivf", "ivfsq"])
def test_approximate_index_types(tmp_path, wako_chunks, index_type, monkeypatch):
    index = build(tmp_path, wako_chunks, index_type=index_type)
    assert VectorIndex.open(tmp_path).manifest.index_type == index_type
    query = HashEmbedder().embed_queries([wako_chunks[10].text])[0]
    assert index.search(query, k=1)[0][0] == 10
    monkeypatch.setattr(vectors, "EXACT_SUBSET_LIMIT", 0)  # force FAISS's own filtered search
    found = index.search(query, k=3, rows=np.array([5, 10, 20]))
    assert found[0][0] == 10 and {row for row, _ in found} <= {5, 10, 20}


def test_other_model_is_refused_with_what_to_do(tmp_path, wako_chunks):
    build(tmp_path, wako_chunks)
    with pytest.raises(IndexMismatchError) as error:
        VectorIndex.open(tmp_path, "use-m3")
    message = str(error.value)
    assert "built with hash" in message and "pia ingest --reindex" in message and "--embedder hash" in message


def test_other_format_version_is_refused(tmp_path, wako_chunks):
    build(tmp_path, wako_chunks)
    path = tmp_path / "vectors.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["version"] = 99
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="version"):
        VectorIndex.open(tmp_path)


def test_missing_index(tmp_path):
    with pytest.raises(StoreError):
        VectorIndex.open(tmp_path, "hash")


@pytest.mark.parametrize("failing_call", [1, 5])  # the .faiss file, or the manifest (the commit point)
def test_crash_mid_write_leaves_the_previous_index_usable(tmp_path, wako_chunks, monkeypatch, failing_call):
    build(tmp_path, wako_chunks[:20])
    real_replace, calls = os.replace, []

    def crashing_replace(source, target):
        calls.append(target)
        if len(calls) == failing_call:
            raise OSError("power cut")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", crashing_replace)
    with pytest.raises(OSError, match="power cut"):
        build(tmp_path, wako_chunks)
    monkeypatch.undo()
    reopened = VectorIndex.open(tmp_path, "hash")
    assert reopened.size == 20 and reopened.ids == [c.chunk_id for c in wako_chunks[:20]]
    query = HashEmbedder().embed_queries([wako_chunks[3].text])[0]
    assert reopened.search(query, k=1)[0][0] == 3
    assert not list(tmp_path.glob("*.tmp"))
    build(tmp_path, wako_chunks)  # the next build succeeds and clears the orphaned generation
    assert len({path.name.split(".")[0] for path in tmp_path.glob("vectors-*")}) == 1


def test_rebuild_embeds_only_new_texts(tmp_path, wako_chunks):
    first = CountingEmbedder()
    build(tmp_path, wako_chunks, first)
    assert first.embedded == len(wako_chunks)
    changed = list(wako_chunks)
    changed[0] = changed[0].__class__(**{**changed[0].__dict__, "text": "新しい本文"})
    second = CountingEmbedder()
    rebuilt = build(tmp_path, changed, second)
    assert second.embedded == 1
    np.testing.assert_allclose(rebuilt.vectors, HashEmbedder().embed_passages([c.text for c in changed]), atol=1e-6)


def test_text_hashes_are_stable_128_bit():
    hashes = text_hashes(["委託", "委託", "保管"])
    assert hashes.shape == (3, 2) and hashes.dtype == np.uint64
    assert (hashes[0] == hashes[1]).all() and not (hashes[0] == hashes[2]).all()
