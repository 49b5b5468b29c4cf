"""Every metric on worked examples (the numbers are worked out by hand in the comments)."""

from __future__ import annotations

import math

import pytest

from evals import metrics
from evals.metrics import (aggregate, aggregate_by, answer_key_fraction, answer_key_match, citation_supports,
                           doc_coverage, ndcg_at_k, normalize, percentile, recall_at_k, reciprocal_rank,
                           score_question, supports)

WAKO = "wako-tainou-taisaku-juten.txt"
OKAYAMA = "okayama-shunou-tainou-zenkoumoku.txt"
YAMAGUCHI = "yamaguchi-kaigo-hoken-juten.txt"


def test_normalize_applies_nfkc_and_removes_every_whitespace():
    assert normalize("ＡＧＳ　株式会社\n\t（和光市） ") == "AGS株式会社(和光市)"
    assert normalize("①") == "1"  # NFKC folds circled digits
    assert normalize("") == ""


def test_supports_needs_the_right_document_and_the_evidence(make):
    q = make.question(evidence=("委託先名 AGS株式会社",))
    assert supports(WAKO, "③委託先名\tＡＧＳ 株式会社", q)  # whitespace and width differ only
    assert supports("data/samples/" + WAKO, "委託先名AGS株式会社", q)  # a path: the file name counts
    assert supports("", "委託先名AGS株式会社", q, doc_id="wako-tainou-taisaku-juten")  # doc_id == stem
    assert not supports(OKAYAMA, "委託先名AGS株式会社", q)  # right text, wrong document
    assert not supports(WAKO, "委託先名 株式会社", q)


def test_supports_is_false_for_unanswerable_questions(make):
    q = make.question(type="unanswerable", docs=(), evidence=(), answer_keys=())
    assert not supports(WAKO, "AGS株式会社", q)


def test_recall_and_reciprocal_rank_use_positions_in_the_list(make):
    q = make.question()
    hits = [make.hit("無関係", rank=1), make.hit("無関係", source=OKAYAMA, rank=2),
            make.hit("AGS株式会社", rank=3), make.hit("AGS株式会社", rank=4)]
    assert recall_at_k(hits, q, 1) == 0.0
    assert recall_at_k(hits, q, 3) == 1.0
    assert reciprocal_rank(hits, q, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank(hits, q, 2) == 0.0  # beyond the cut-off


def test_a_document_not_in_the_index_scores_as_a_miss(make):
    # the question names a file the index never saw: no hit can come from it
    q = make.question(docs=("tokyo-unknown-juten.txt",))
    hits = [make.hit("AGS株式会社", rank=r) for r in range(1, 11)]
    score = score_question(q, hits, None, latency_ms=5.0)
    assert (score.recall_at_10, score.mrr_at_10, score.ndcg_at_10, score.first_rank) == (0.0, 0.0, 0.0, None)


def test_ndcg_credits_each_question_document_once(make):
    one = make.question()
    hits = [make.hit("x", rank=1), make.hit("x", rank=2), make.hit("AGS株式会社", rank=3),
            make.hit("AGS株式会社", rank=4)]
    assert ndcg_at_k(hits, one, 10) == pytest.approx(0.5)  # (1/log2 4) / 1; rank 4 adds nothing
    two = make.question(docs=(WAKO, OKAYAMA), evidence=("AGS株式会社", "岡山市"))
    hits = [make.hit("AGS株式会社", rank=1), make.hit("x", rank=2), make.hit("岡山市長", source=OKAYAMA, rank=3)]
    ideal = 1 + 1 / math.log2(3)
    assert ndcg_at_k(hits, two, 10) == pytest.approx((1 + 0.5) / ideal)
    perfect = [make.hit("AGS株式会社", rank=1), make.hit("岡山市", source=OKAYAMA, rank=2)]
    assert ndcg_at_k(perfect, two, 10) == pytest.approx(1.0)


def test_doc_coverage_is_the_share_of_documents_found(make):
    q = make.question(docs=(WAKO, OKAYAMA, YAMAGUCHI), evidence=("委託",))
    hits = [make.hit("委託する", rank=1), make.hit("委託しない", source=YAMAGUCHI, rank=2),
            make.hit("委託", source=WAKO, rank=3)]
    assert doc_coverage(hits, q, 10) == pytest.approx(2 / 3)
    assert doc_coverage(hits, q, 1) == pytest.approx(1 / 3)


def test_answer_keys_all_or_fraction():
    keys = ["AGS株式会社", "再委託しない"]
    assert answer_key_match("委託先は ＡＧＳ 株式会社。再委託 しない。", keys)
    assert not answer_key_match("委託先はAGS株式会社です。", keys)
    assert answer_key_fraction("委託先はAGS株式会社です。", keys) == 0.5
    assert answer_key_match("anything", [])  # vacuous: no key to miss


def test_citation_support_reads_the_cited_chunk_when_the_answer_carries_it(make):
    q = make.question(evidence=("③委託先名 AGS株式会社",))
    chunk = make.hit("和光市 …\n③委託先名 AGS株式会社", chunk_id="wako:0007")
    short_quote = make.citation("AGS株式会社", chunk_id="wako:0007")
    assert citation_supports([short_quote], [chunk], q)  # the chunk holds the whole evidence
    assert not citation_supports([short_quote], [], q)  # no chunk: the quote alone is too short
    assert citation_supports([make.citation("③委託先名AGS株式会社")], [], q)
    assert not citation_supports([make.citation("③委託先名AGS株式会社", source=OKAYAMA)], [], q)
    assert not citation_supports([], [chunk], q)


def test_percentile_interpolates_linearly():
    assert percentile([10.0], 95) == 10.0
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([1, 2, 3, 4], 95) == pytest.approx(3.85)
    assert percentile([], 50) is None


def test_score_question_answer_metrics(make):
    q = make.question(answer_keys=("AGS株式会社", "再委託しない"))
    chunk = make.hit("AGS株式会社 再委託しない", chunk_id="c1")
    good = make.answer("AGS株式会社に委託し、再委託しない。", citations=[make.citation("x", chunk_id="c1")],
                       hits=[chunk])
    score = score_question(q, [chunk], good, 12.0)
    assert (score.key_match, score.key_fraction, score.citation_support, score.refused) == (1.0, 1.0, 1.0, False)
    # a refusal's text is not searched for keys, even when it happens to repeat them
    refusal = make.answer("AGS株式会社 再委託しない については記載がありません", refused=True)
    score = score_question(q, [chunk], refusal, 12.0)
    assert (score.key_match, score.key_fraction, score.citation_support, score.refused) == (0.0, 0.0, 0.0, True)
    # a search-only system has no answer metrics
    score = score_question(q, [chunk], None, 1.0)
    assert (score.key_match, score.citation_support, score.refused) == (None, None, None)


def test_aggregate_over_the_eligible_questions_only(make):
    answerable = make.question(id="a", persona="resident")
    multi = make.question(id="m", docs=(WAKO, OKAYAMA), persona="staff", type="comparison")
    unanswerable = make.question(id="u", type="unanswerable", docs=(), evidence=(), answer_keys=())
    unanswerable2 = make.question(id="u2", type="unanswerable", docs=(), evidence=(), answer_keys=())
    supporting = make.hit("AGS株式会社", rank=1)
    scores = [
        score_question(answerable, [supporting], make.answer("AGS株式会社"), 10.0),  # right, not refused
        score_question(multi, [make.hit("x"), supporting], make.answer("", refused=True), 20.0),
        score_question(unanswerable, [supporting], make.answer("記載なし", refused=True), 30.0),
        score_question(unanswerable2, [], make.answer("AGS株式会社"), 40.0),
    ]
    summary = aggregate(scores)
    assert (summary["questions"], summary["answerable"], summary["unanswerable"],
            summary["multi_document"]) == (4, 2, 2, 1)
    assert summary["recall@1"] == 0.5  # a: rank 1; m: rank 2
    assert summary["recall@5"] == 1.0
    assert summary["mrr@10"] == 0.75  # (1 + 1/2) / 2
    assert summary["coverage@10"] == 0.5  # m found wako, not okayama
    assert summary["key_match"] == 0.5  # m was refused
    assert summary["refusal_accuracy"] == 0.5  # u refused, u2 answered
    assert summary["false_refusal_rate"] == 0.5  # m refused
    assert summary["latency_p50_ms"] == 25.0
    by_persona = aggregate_by(scores, "persona")
    assert list(by_persona) == ["resident", "staff"]
    assert by_persona["resident"]["recall@1"] == 1.0
    assert aggregate_by(scores, "type")["unanswerable"]["recall@5"] is None


def test_every_reported_metric_is_defined():
    assert set(metrics.METRICS) >= {"recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10", "coverage@10",
                                    "key_match", "key_fraction", "citation_support", "refusal_accuracy",
                                    "false_refusal_rate", "latency_p50_ms", "latency_p95_ms"}
