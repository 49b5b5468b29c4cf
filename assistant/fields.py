"""Field lookup for answers: which fields a hit holds, which of them a question is about, the chunk
that holds a given field, and the same field in the other repeated blocks (委託事項1, 委託事項2 …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.types import Chunk, Field, Hit

_REPEATED_BLOCK = re.compile(r"^(委託事項|再委託事項|提供先|移転先|システム|リスク)\s*\d+|^\(\d+\)|^（\d+）")


def bigrams(text: str) -> set[str]:
    """Character uni+bigrams of the NFKC text without spaces.

    >>> sorted(bigrams('委託先'))
    ['先', '委', '委託', '託', '託先']
    """
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class ScoredField:
    field: Field
    hit: Hit
    score: float


class FieldIndex:
    """Fields of the stored documents, looked up by chunk (section path + labels)."""

    def __init__(self, fields_by_doc: dict[str, list[Field]], chunks: Sequence[Chunk]):
        self.fields_by_doc = fields_by_doc
        self._chunks_by_place: dict[tuple[str, str], list[Chunk]] = {}
        for chunk in chunks:
            self._chunks_by_place.setdefault((chunk.doc_id, chunk.section_path), []).append(chunk)

    def fields_of_hit(self, hit: Hit) -> list[Field]:
        labels = set(hit.field.split(" / ")) if hit.field else set()
        body = hit.text
        return [
            f for f in self.fields_by_doc.get(hit.doc_id, [])
            if f.section_path == hit.section_path and (f.label in labels or (not f.label and f.value[:20] in body))
        ]

    def chunk_of(self, doc_id: str, field: Field) -> Chunk | None:
        candidates = self._chunks_by_place.get((doc_id, field.section_path), [])
        for chunk in candidates:
            if field.label and field.label in chunk.field.split(" / "):
                first_line = field.value.strip().split("\n")[0][:30]
                if not first_line or first_line in chunk.body or len(candidates) == 1:
                    return chunk
        return candidates[0] if candidates else None

    def siblings(self, doc_id: str, field: Field) -> list[Field]:
        """The same label in the other repeated blocks of the same document, in document order."""
        pattern = tuple(_generic(part) for part in field.section)
        return [
            f for f in self.fields_by_doc.get(doc_id, [])
            if f.label == field.label and tuple(_generic(p) for p in f.section) == pattern
            and f.value.strip()
        ]


def _generic(part: str) -> str:
    return "#" if _REPEATED_BLOCK.match(part) else part


def score_fields(question_terms: set[str], hits: Sequence[Hit], index: FieldIndex,
                 max_hits: int = 5) -> list[ScoredField]:
    """Rank the fields of the top hits by how well their label and section match the question.

    The hit's rank is a prior: a field in the first hit wins ties.
    """
    scored: list[ScoredField] = []
    for position, hit in enumerate(hits[:max_hits]):
        prior = 1.0 / (1 + position)
        for field in index.fields_of_hit(hit):
            label_terms = bigrams(field.label)
            block_terms = bigrams(field.section[-1]) if field.section else set()
            value_terms = bigrams(field.value[:300])
            label_overlap = len(question_terms & label_terms) / (len(label_terms) or 1)
            block_overlap = len(question_terms & block_terms) / (len(block_terms) or 1)
            value_overlap = len(question_terms & value_terms) / (len(value_terms) or 1)
            empty_penalty = 0.0 if field.value.strip() else -1.0
            score = 2.0 * prior + 1.5 * label_overlap + 0.5 * block_overlap + 0.5 * value_overlap + empty_penalty
            scored.append(ScoredField(field, hit, score))
    scored.sort(key=lambda s: -s.score)
    return scored
