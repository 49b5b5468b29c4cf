import json
import os

import numpy as np
import pytest

from assistant import keyword
from assistant.errors import IndexMismatchError, StoreError
from assistant.keyword import KeywordIndex, KeywordParams, top_rows


@pytest.fixture(scope="module")
def sample_index(corpus):
    chunks = corpus[0]
    return chunks, KeywordIndex.build([c.chunk_id for c in chunks], [c.text for c in chunks])


def test_exact_passage_ranks_first(sample_index):
    chunks, index = sample_index
    for query, expected in [("AGS株式会社", "AGS株式会社"), ("赤坂印刷", "赤坂印刷株式会社"),
                            ("ベルシステム24", "株式会社ベルシステム24"), ("滞納整理システム", "滞納整理システム")]:
        row, _ = index.search(query, k=1)[0]
        assert expected in chunks[row].text, query


def test_bm25_prefers_rare_terms_and_saturates_term_frequency():
    index = KeywordIndex.build(["a", "b", "c"], ["委託 委託 委託 委託 委託 委託", "委託 赤坂", "保管"])
    scores = index.score("赤坂 委託")
    assert scores[1] > scores[0] > scores[2] == 0
    repeated = index.score("委託")
    assert repeated[0] < 3 * repeated[1]  # six occurrences are not worth six times one


def test_weighted_query_parts_and_unknown_terms():
    index = KeywordIndex.build(["a", "b"], ["委託先名", "保管期間"])
    assert index.score("存在しない語").tolist() == [0.0, 0.0]
    full = index.score([("委託", 1.0)])
    half = index.score([("委託", 0.5)])
    np.testing.assert_allclose(half, full / 2, rtol=1e-6)
    assert index.score([("委託", 1.0), ("保管", 1.0)]).min() > 0


def test_mask_and_top_rows():
    scores = np.array([0.0, 3.0, 2.0, 3.0, 1.0], dtype=np.float32)
    assert top_rows(scores, 2) == [(1, 3.0), (3, 3.0)]
    assert top_rows(scores, 10, mask=np.array([True, False, True, False, True])) == [(2, 2.0), (4, 1.0)]
    assert top_rows(scores, 0) == []


def test_empty_index():
    index = KeywordIndex.build([], [])
    assert index.size == 0 and index.search("委託") == []


def test_save_and_load_round_trip(tmp_path, sample_index):
    chunks, index = sample_index
    index.save(tmp_path)
    manifest = json.loads((tmp_path / "keyword.json").read_text(encoding="utf-8"))
    assert manifest["version"] == keyword.FORMAT_VERSION and manifest["count"] == len(chunks)
    for path in tmp_path.glob("keyword-*.npy"):
        np.load(path, allow_pickle=False)  # plain arrays, no pickled objects
    loaded = KeywordIndex.load(tmp_path)
    assert loaded.ids == index.ids and loaded.params == index.params
    for query in ["外部の会社に委託", "保管期間", "開示請求"]:
        np.testing.assert_array_equal(loaded.score(query), index.score(query))


def test_other_version_is_refused(tmp_path):
    KeywordIndex.build(["a"], ["委託"]).save(tmp_path)
    manifest_path = tmp_path / "keyword.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["version"] = keyword.FORMAT_VERSION + 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatchError, match="pia ingest --reindex"):
        KeywordIndex.load(tmp_path)


def test_missing_index_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="pia ingest"):
        KeywordIndex.load(tmp_path)


def test_crash_while_saving_keeps_the_previous_index(tmp_path, monkeypatch):
    KeywordIndex.build(["old"], ["委託先名"]).save(tmp_path)

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        KeywordIndex.build(["new1", "new2"], ["保管", "消去"]).save(tmp_path)
    monkeypatch.undo()
    assert KeywordIndex.load(tmp_path).ids == ["old"]
    assert not list(tmp_path.glob("*.tmp"))


def test_saving_again_removes_the_previous_generation(tmp_path):
    KeywordIndex.build(["a"], ["委託"]).save(tmp_path)
    KeywordIndex.build(["b"], ["保管"], KeywordParams(orders=(1, 2, 3))).save(tmp_path)
    generations = {path.name.split(".")[0] for path in tmp_path.glob("keyword-*")}
    assert len(generations) == 1
    loaded = KeywordIndex.load(tmp_path)
    assert loaded.ids == ["b"] and loaded.params.orders == (1, 2, 3)


@pytest.mark.parametrize("orders", [(1, 2), (1, 2, 3)])  # (1, 2, 3) takes the lexsort path
def test_index_built_in_batches_equals_one_built_at_once(sample_index, monkeypatch, orders):
    chunks = sample_index[0]
    ids, texts = [c.chunk_id for c in chunks] + ["empty"], [c.text for c in chunks] + [""]
    params = KeywordParams(orders=orders)
    monkeypatch.setattr(keyword, "_BATCH_ROWS", len(texts))
    whole = KeywordIndex.build(ids, texts, params)
    monkeypatch.setattr(keyword, "_BATCH_ROWS", 7)  # many batches, the last one partial
    batched = KeywordIndex.build(ids, texts, params)
    for name in ["terms", "indptr", "rows", "weights", "lengths"]:
        expected, found = getattr(whole, name), getattr(batched, name)
        assert found.dtype == expected.dtype, name
        np.testing.assert_array_equal(found, expected, err_msg=name)


def test_postings_match_a_direct_bm25(sample_index):
    """Each posting's weight is BM25 of its term in its row, computed here the slow, obvious way."""
    from collections import Counter

    from assistant.ngrams import ngram_codes

    chunks = sample_index[0][:40]
    counts = [Counter(ngram_codes(chunk.text).tolist()) for chunk in chunks]
    index = KeywordIndex.build([c.chunk_id for c in chunks], [c.text for c in chunks])
    lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
    average = float(lengths.mean())
    np.testing.assert_array_equal(index.lengths, lengths)
    k1, b = index.params.k1, index.params.b
    for term, code in enumerate(index.terms.tolist()):
        rows = index.rows[index.indptr[term] : index.indptr[term + 1]]
        assert rows.tolist() == [row for row, c in enumerate(counts) if code in c]
        idf = np.log1p((len(counts) - len(rows) + 0.5) / (len(rows) + 0.5))
        for row, weight in zip(rows, index.weights[index.indptr[term] : index.indptr[term + 1]]):
            tf = counts[row][code]
            expected = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[row] / average))
            assert weight == pytest.approx(expected, rel=1e-5)


def test_saved_and_loaded_postings_are_memory_mapped(tmp_path, sample_index):
    chunks, _ = sample_index
    index = KeywordIndex.build([c.chunk_id for c in chunks], [c.text for c in chunks])
    before = index.score("委託先の再委託")
    index.save(tmp_path)
    loaded = KeywordIndex.load(tmp_path)
    for found in (index, loaded):
        assert isinstance(found.rows, np.memmap) and isinstance(found.weights, np.memmap)
        np.testing.assert_array_equal(found.score("委託先の再委託"), before)


def test_disagreeing_files_are_a_store_error(tmp_path):
    KeywordIndex.build(["a", "b"], ["委託", "保管"]).save(tmp_path)
    manifest_path = tmp_path / "keyword.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["count"] = 3
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match="disagree"):
        KeywordIndex.load(tmp_path)
