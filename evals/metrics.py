"""Scoring: pure functions that turn a question, its ranked hits and an answer into numbers.

The definitions are those of QUESTION_FORMAT.md ("Scoring"), so any tool scores a question set
the same way. Ranks are positions in the hit list (1 = first), whatever ``Hit.rank`` says.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePath

from assistant.types import Answer, Citation, Hit
from evals.questions import Question


def normalize(text: str) -> str:
    """NFKC, then every whitespace character removed.

    >>> normalize('ＡＧＳ 株式会社\\n（和光市）')
    'AGS株式会社(和光市)'
    """
    return "".join(unicodedata.normalize("NFKC", text).split())


def doc_matches(question_doc: str, source: str, doc_id: str = "") -> bool:
    """A question names a document by file name; a hit matches by its ``source`` file name, or by a
    ``doc_id`` equal to the file stem.

    >>> doc_matches('wako.txt', 'data/wako.txt'), doc_matches('wako.txt', '', 'wako')
    (True, True)
    """
    wanted = PurePath(question_doc).name
    if source and PurePath(source).name == wanted:
        return True
    return bool(doc_id) and doc_id == PurePath(wanted).stem


def supported_doc(source: str, text: str, question: Question, doc_id: str = "") -> str | None:
    """The question document this passage supports, or None.

    A passage supports when its document is one of ``docs`` and normalize(text) contains
    normalize(e) for at least one evidence string e.
    """
    for document in question.docs:
        if doc_matches(document, source, doc_id):
            body = normalize(text)
            if any(normalize(e) in body for e in question.evidence if normalize(e)):
                return document
            return None
    return None


def supports(source: str, text: str, question: Question, doc_id: str = "") -> bool:
    """>>> q = Question('q', 'staff', 'factoid', '?', ('wako.txt',), (), '', ('AGS株式会社',), ())
    >>> supports('wako.txt', 'AGS 株式会社', q), supports('okayama.txt', 'AGS株式会社', q)
    (True, False)
    """
    return supported_doc(source, text, question, doc_id) is not None


def supporting_ranks(hits: Sequence[Hit], question: Question, k: int) -> list[tuple[int, str]]:
    """(rank, document) of each supporting hit in the top k, ranks from 1."""
    found = []
    for rank, hit in enumerate(hits[:k], start=1):
        document = supported_doc(hit.source, hit.text, question, hit.doc_id)
        if document is not None:
            found.append((rank, document))
    return found


def recall_at_k(hits: Sequence[Hit], question: Question, k: int) -> float:
    """1.0 when a supporting passage is in the top k, else 0.0 (averaged over answerable questions)."""
    return 1.0 if supporting_ranks(hits, question, k) else 0.0


def reciprocal_rank(hits: Sequence[Hit], question: Question, k: int = 10) -> float:
    """1 / rank of the first supporting passage in the top k; 0.0 when there is none.
    Supporting hits at ranks 3 and 5 -> 1/3."""
    ranks = supporting_ranks(hits, question, k)
    return 1.0 / ranks[0][0] if ranks else 0.0


def ndcg_at_k(hits: Sequence[Hit], question: Question, k: int = 10) -> float:
    """Binary-relevance nDCG where each question document can be found once.

    A hit gains 1 when it supports a question document not yet credited higher up (so ten
    passages of one document do not count as ten finds); DCG = sum gain / log2(rank + 1).
    The ideal ranks one supporting passage per question document first:
    IDCG = sum over i = 1 .. min(#docs, k) of 1 / log2(i + 1).
    One document, found at rank 3: (1/log2 4) / 1 = 0.5.
    Two documents, found at ranks 1 and 3: (1 + 0.5) / (1 + 1/log2 3) = 0.922...
    """
    credited: set[str] = set()
    dcg = 0.0
    for rank, document in supporting_ranks(hits, question, k):
        if document not in credited:
            credited.add(document)
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(question.docs), k) + 1))
    return dcg / ideal if ideal else 0.0


def doc_coverage(hits: Sequence[Hit], question: Question, k: int = 10) -> float:
    """Share of the question's documents with a supporting passage in the top k.
    Docs (a, b, c), supporting hits from a and c -> 2/3."""
    if not question.docs:
        return 0.0
    covered = {document for _, document in supporting_ranks(hits, question, k)}
    return len(covered) / len(question.docs)


def answer_key_match(answer_text: str, answer_keys: Iterable[str]) -> bool:
    """All normalized keys are substrings of the normalized answer.

    >>> answer_key_match('委託先は ＡＧＳ株式会社 です。再委託しない', ['AGS株式会社', '再委託しない'])
    True
    """
    body = normalize(answer_text)
    return all(normalize(key) in body for key in answer_keys)


def answer_key_fraction(answer_text: str, answer_keys: Sequence[str]) -> float:
    """Share of the keys found: keys ('AGS', '再委託しない'), answer 'AGS' -> 0.5."""
    if not answer_keys:
        return 0.0
    body = normalize(answer_text)
    return sum(normalize(key) in body for key in answer_keys) / len(answer_keys)


def citation_text(citation: Citation, hits: Sequence[Hit]) -> tuple[str, str, str]:
    """(source, doc_id, text) a citation is judged by: the text of the chunk it points at (the hit
    with the same chunk_id) when the answer carries that hit, else the citation's quote."""
    for hit in hits:
        if citation.chunk_id and hit.chunk_id == citation.chunk_id:
            return hit.source or citation.source, hit.doc_id, hit.text
    return citation.source, citation.doc_id, citation.quote


def citation_supports(citations: Sequence[Citation], hits: Sequence[Hit], question: Question) -> bool:
    """At least one citation supports the question (see citation_text for what is read)."""
    return any(supports(source, text, question, doc_id)
               for source, doc_id, text in (citation_text(c, hits) for c in citations))


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values.

    >>> percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 95)
    (2.5, 3.85)
    """
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * p / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 10)


@dataclass(frozen=True)
class QuestionScore:
    """The numbers of one question under one system; None where a metric does not apply."""

    id: str
    persona: str
    type: str
    split: str
    answerable: bool
    multi_document: bool
    latency_ms: float
    first_rank: int | None = None  # first supporting rank in the top 10
    recall_at_1: float | None = None
    recall_at_5: float | None = None
    recall_at_10: float | None = None
    mrr_at_10: float | None = None
    ndcg_at_10: float | None = None
    coverage_at_10: float | None = None  # multi-document questions only
    refused: bool | None = None  # None: the system gives no answer (search only)
    key_match: float | None = None
    key_fraction: float | None = None
    citation_support: float | None = None

    def to_json(self) -> dict:
        return asdict(self)


def score_question(question: Question, hits: Sequence[Hit], answer: Answer | None,
                   latency_ms: float) -> QuestionScore:
    base = dict(id=question.id, persona=question.persona, type=question.type, split=question.split,
                answerable=question.answerable, multi_document=question.multi_document,
                latency_ms=latency_ms, refused=None if answer is None else answer.refused)
    if not question.answerable:
        return QuestionScore(**base)
    ranks = supporting_ranks(hits, question, 10)
    retrieval = dict(
        first_rank=ranks[0][0] if ranks else None,
        recall_at_1=recall_at_k(hits, question, 1), recall_at_5=recall_at_k(hits, question, 5),
        recall_at_10=recall_at_k(hits, question, 10), mrr_at_10=reciprocal_rank(hits, question, 10),
        ndcg_at_10=ndcg_at_k(hits, question, 10),
        coverage_at_10=doc_coverage(hits, question, 10) if question.multi_document else None,
    )
    if answer is None:
        return QuestionScore(**base, **retrieval)
    # A refusal answers nothing: its text (a "not stated" message) is not searched for keys.
    text = "" if answer.refused else answer.answer
    keys = question.answer_keys
    return QuestionScore(
        **base, **retrieval,
        key_match=float(answer_key_match(text, keys)) if keys else None,
        key_fraction=answer_key_fraction(text, keys) if keys else None,
        citation_support=float(citation_supports(answer.citations, answer.hits or hits, question)),
    )


# name in reports -> how it is computed from QuestionScores
def _mean(scores: Sequence[QuestionScore], attribute: str,
          keep: Callable[[QuestionScore], bool] = lambda s: True) -> float | None:
    values = [getattr(s, attribute) for s in scores if keep(s) and getattr(s, attribute) is not None]
    return sum(values) / len(values) if values else None


def _refusals(scores: Sequence[QuestionScore], answerable: bool) -> float | None:
    values = [float(s.refused) for s in scores if s.answerable == answerable and s.refused is not None]
    return sum(values) / len(values) if values else None


METRICS: dict[str, Callable[[Sequence[QuestionScore]], float | None]] = {
    "recall@1": lambda s: _mean(s, "recall_at_1"),
    "recall@5": lambda s: _mean(s, "recall_at_5"),
    "recall@10": lambda s: _mean(s, "recall_at_10"),
    "mrr@10": lambda s: _mean(s, "mrr_at_10"),
    "ndcg@10": lambda s: _mean(s, "ndcg_at_10"),
    "coverage@10": lambda s: _mean(s, "coverage_at_10"),
    "key_match": lambda s: _mean(s, "key_match"),
    "key_fraction": lambda s: _mean(s, "key_fraction"),
    "citation_support": lambda s: _mean(s, "citation_support"),
    "refusal_accuracy": lambda s: _refusals(s, answerable=False),
    "false_refusal_rate": lambda s: _refusals(s, answerable=True),
    "latency_p50_ms": lambda s: percentile([x.latency_ms for x in s], 50),
    "latency_p95_ms": lambda s: percentile([x.latency_ms for x in s], 95),
}


def aggregate(scores: Sequence[QuestionScore]) -> dict[str, float | int | None]:
    """Counts plus every metric of METRICS (None where no question is eligible).

    Retrieval and answer metrics average over answerable questions, coverage over multi-document
    ones, refusal accuracy over unanswerable ones.
    """
    summary: dict[str, float | int | None] = {
        "questions": len(scores),
        "answerable": sum(s.answerable for s in scores),
        "unanswerable": sum(not s.answerable for s in scores),
        "multi_document": sum(s.multi_document for s in scores),
    }
    for name, compute in METRICS.items():
        value = compute(scores)
        summary[name] = None if value is None else round(value, 4)
    return summary


def aggregate_by(scores: Sequence[QuestionScore], attribute: str) -> dict[str, dict]:
    """aggregate() per value of ``attribute`` (persona, type, split), groups in sorted order."""
    groups: dict[str, list[QuestionScore]] = {}
    for score in scores:
        groups.setdefault(getattr(score, attribute), []).append(score)
    return {name: aggregate(groups[name]) for name in sorted(groups)}
