"""Form-aware hybrid search: finds the right field of the right city's 評価書 for a question.

One query runs these steps, each of which ``SearchOptions`` can switch off for evaluation:

1. scope — the city and 事務 the question names (``assistant.scope``) restrict the candidates;
2. lexicon — everyday words add the form's words (外部の会社 → 委託) at a lower weight;
3. keyword — BM25 over character n-grams (``assistant.keyword``), the strongest single signal;
4. dense — cosine to the question's embedding (``assistant.vectors``), a weaker second opinion;
5. fusion — both scores of the union of both candidate lists, scaled and summed (``assistant.fusion``);
6. schema boost — chunks of the form family and field the question is about move up
   (``assistant.form_schema``);
7. arrangement — change-history rows go below current text unless the question is about changes,
   repeated passages below distinct ones, and hits alternate between cities when several are named
   or the question asks which of them (「どの市の資料ですか」).
"""

from __future__ import annotations

from collections.abc import Sequence
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.embedders import Embedder
from assistant.errors import IndexMismatchError
from assistant.form_schema import HISTORY_ITEM, Focus, FormSchema, canonical_label, changed_label, load_form_schema
from assistant.fusion import fuse_scores, reciprocal_rank_fusion
from assistant.keyword import KeywordIndex, top_rows
from assistant.ngrams import normalize
from assistant.scope import ScopeDetection, ScopeDetector, ScopeWords
from assistant.types import Chunk, DocumentInfo, Hit, Scope, SearchFilters
from assistant.vectors import VectorIndex
from assistant.vocabulary import Expansion, Lexicon, load_lexicon

HISTORY_FAMILY = "変更箇所"  # questions about this family want the change history, not current text
LABEL_SEPARATOR = " / "  # a chunk of several fields lists their labels joined by this (ingest.chunking)
_BODY_LABEL = re.compile(r"^([^:：\n]{2,40})[:：]", re.MULTILINE)  # "②提供先における用途: …" in a chunk body


@dataclass(frozen=True)
class SearchOptions:
    """Which steps run, and their weights.

    The weights were tuned on the dev question split (evals/questions/dev.jsonl, 183 questions) with
    chunks from the ingest pipeline (label TAB value): MRR@10 0.57 for keyword alone, 0.59 keyword +
    dense, 0.81 with every step (R@5 0.71 / 0.73 / 0.94). The field boost is below the scaled
    keyword score's range, so a chunk that shares the question's words still beats a bare label.
    """

    keyword: bool = True
    dense: bool = True
    lexicon: bool = True
    schema_boost: bool = True
    scope: bool = True
    fusion: str = "score"  # "score" (scaled weighted sum) or "rrf"
    keyword_weight: float = 0.7
    dense_weight: float = 0.3
    expansion_weight: float = 0.8  # lexicon terms, relative to the question's own n-grams
    family_boost: float = 0.2  # chunk in a form family the question is about (/2 for the 2nd family...)
    field_boost: float = 0.4  # chunk is the very field the question is about
    related_boost: float = 0.25  # chunk is a field cued nearly as well (times its share of the best cue score)
    candidates: int = 100  # taken from each of keyword and dense before fusion

    def __post_init__(self) -> None:
        if self.fusion not in ("score", "rrf"):
            raise ValueError(f"fusion must be 'score' or 'rrf', not {self.fusion!r}")


@dataclass(frozen=True)
class SearchResult:
    query: str
    expanded_query: str
    scope: Scope
    hits: tuple[Hit, ...]
    detection: ScopeDetection | None = None
    focus: Focus = Focus()
    query_vector: np.ndarray | None = None  # the query's embedding, for callers that rank text by meaning too

    def to_json(self) -> dict:
        detection = self.detection or ScopeDetection(self.scope)
        return {"query": self.query, "expanded_query": self.expanded_query,
                "scope": {"city": self.scope.city, "jimu": self.scope.jimu, "doc_ids": list(self.scope.doc_ids)},
                "unknown_city": detection.unknown_city, "unknown_jimu": detection.unknown_jimu,
                "families": list(self.focus.families), "fields": [field.label for field in self.focus.fields],
                "hits": [hit.to_json() for hit in self.hits]}


def _codes(values: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    table: dict[str, int] = {}
    return np.array([table.setdefault(value, len(table)) for value in values], dtype=np.int32), table


def _row_map(index_ids: Sequence[str], chunk_ids: list[str], what: str) -> np.ndarray | None:
    """chunk position -> index row, or None when the index rows are the chunks in order."""
    if list(index_ids) == chunk_ids:
        return None
    position = {chunk_id: row for row, chunk_id in enumerate(index_ids)}
    if len(position) != len(chunk_ids) or any(chunk_id not in position for chunk_id in chunk_ids):
        raise IndexMismatchError(
            f"the {what} index holds {len(position)} chunks that do not match the {len(chunk_ids)} in "
            "the store; rebuild with `pia ingest --reindex`"
        )
    return np.array([position[chunk_id] for chunk_id in chunk_ids], dtype=np.int64)


def build_indexes(chunks: Sequence[Chunk], index_dir: Path, embedder: Embedder | None,
                  index_type: str = "auto", progress=None) -> tuple[KeywordIndex, VectorIndex | None]:
    """(Re)build the keyword index and, with an embedder, the vector index of chunks in index_dir."""
    ids, texts = [chunk.chunk_id for chunk in chunks], [chunk.text for chunk in chunks]
    keyword_index = KeywordIndex.build(ids, texts)
    keyword_index.save(index_dir)
    vector_index = None
    if embedder is not None:
        vector_index = VectorIndex.build(index_dir, ids, texts, embedder, index_type, progress)
    return keyword_index, vector_index


class Searcher:
    def __init__(self, chunks: Sequence[Chunk], documents: Sequence[DocumentInfo], embedder: Embedder | None,
                 keyword_index: KeywordIndex, vector_index: VectorIndex | None = None,
                 lexicon: Lexicon | None = None, schema: FormSchema | None = None,
                 scope_words: ScopeWords | None = None) -> None:
        self.chunks = list(chunks)
        self.documents = {document.doc_id: document for document in documents}
        self.embedder, self.keyword_index, self.vector_index = embedder, keyword_index, vector_index
        self.lexicon = lexicon or load_lexicon()
        self.schema = schema or load_form_schema()
        self.detector = ScopeDetector(documents, scope_words)
        chunk_ids = [chunk.chunk_id for chunk in self.chunks]
        self._keyword_rows = _row_map(keyword_index.ids, chunk_ids, "keyword")
        self._vector_rows = None
        if vector_index is not None:
            mapping = _row_map(vector_index.ids, chunk_ids, "vector")
            self._vector_rows = np.arange(len(chunk_ids)) if mapping is None else mapping
            self._vector_to_chunk = np.empty(len(chunk_ids), dtype=np.int64)
            self._vector_to_chunk[self._vector_rows] = np.arange(len(chunk_ids))
        self._doc_codes, self._doc_table = _codes([chunk.doc_id for chunk in self.chunks])
        self._city_codes, self._city_table = _codes([chunk.city for chunk in self.chunks])
        self._history = np.array([chunk.is_history for chunk in self.chunks], dtype=bool)
        self._family_bit = {name: 1 << bit for bit, name in enumerate(self.schema.family_names)}
        self._field_number = {field: number for number, field in enumerate(self.schema.fields)}
        # Chunks of one form share section paths and labels: classify each distinct one once.
        path_families: dict[str, tuple[str, ...]] = {}
        label_fields: dict[tuple[str, str], frozenset[int]] = {}
        family_bits, self._fields = [], []
        for chunk in self.chunks:
            families = path_families.get(chunk.section_path)
            if families is None:
                families = path_families[chunk.section_path] = self.schema.families_of(chunk.section_path)
            if families:
                key = (chunk.section_path, chunk.field)
                if key not in label_fields:
                    label_fields[key] = self._label_fields(chunk.field, families)
                fields = label_fields[key]
                if not fields:  # labels the schema does not know (a 変更箇所 row's date): try the body's
                    fields = frozenset(number for number in self._body_fields(chunk)
                                       if self.schema.fields[number].family in families)
                if chunk.is_history:  # and the items its rows changed (項目: … ②入手方法)
                    fields |= self._changed_fields(chunk)
            else:  # a section the schema does not place (備考, 別紙): the labels inside the body say what it holds
                fields = self._body_fields(chunk)
                families = tuple(dict.fromkeys(self.schema.fields[number].family for number in sorted(fields)))
            family_bits.append(sum(self._family_bit[name] for name in families))
            self._fields.append(fields)
        self._family_bits = np.array(family_bits, dtype=np.int64)

    def _label_fields(self, field_labels: str, families: tuple[str, ...]) -> frozenset[int]:
        """Fields a chunk's labels are: those of the chunk's families, else any field with that label
        (「主な記録項目」 printed inside 「2. 基本情報」, 「①法令上の根拠」 inside a 提供先 block)."""
        found: set[int] = set()
        for label in {canonical_label(label) for label in field_labels.split(LABEL_SEPARATOR) if label.strip()}:
            numbers = [number for number, field in enumerate(self.schema.fields) if label in field.variants]
            in_family = [number for number in numbers if self.schema.fields[number].family in families]
            found.update(in_family or (numbers if len(label) >= 5 else ()))  # not 期間, 方法 anywhere
        return frozenset(found)

    def _changed_fields(self, chunk: Chunk) -> frozenset[int]:
        """Fields a change-history chunk's rows name as the item changed: 「項目: II … ②入手方法」 is
        a change of 入手方法 (the item's last words, three characters or more, as a field label)."""
        found: set[int] = set()
        for match in HISTORY_ITEM.finditer(chunk.body or chunk.text):
            item = changed_label(match.group(1))
            if len(item) >= 3:
                found.update(number for number, field in enumerate(self.schema.fields) if item in field.variants)
        return frozenset(found)

    def _body_fields(self, chunk: Chunk) -> frozenset[int]:
        """Fields whose labels open lines of the chunk body ("②提供先における用途: …"), of any family.

        Only labels of two or more fields count, so that one stray 「①法令上の根拠:」 line does not
        place a 備考 block."""
        labels = {canonical_label(match.group(1)) for match in _BODY_LABEL.finditer(chunk.body or chunk.text)}
        labels.discard("")
        matched = [number for number, field in enumerate(self.schema.fields) if not labels.isdisjoint(field.variants)]
        hits = sum(1 for label in labels if any(label in self.schema.fields[n].variants for n in matched))
        return frozenset(matched) if hits >= 2 else frozenset()

    @classmethod
    def open(cls, index_dir: Path, chunks: Sequence[Chunk], documents: Sequence[DocumentInfo],
             embedder: Embedder | None, **data) -> "Searcher":
        """Open the indexes built by ``build_indexes``; without an embedder, keyword search only."""
        keyword_index = KeywordIndex.load(index_dir)
        vector_index = VectorIndex.open(index_dir, embedder.model_id) if embedder is not None else None
        return cls(chunks, documents, embedder, keyword_index, vector_index, **data)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None,
               options: SearchOptions | None = None) -> SearchResult:
        options = options or SearchOptions()
        filters = filters or SearchFilters()
        detection = self.detector.detect(query) if options.scope else ScopeDetection(Scope())
        asked = self.schema.without_framing(query)  # 「…と問い合わせがありました」 asks nothing itself
        # the lexicon reads what the question tells (他人の電話番号 -> 重大事故), not how it is framed
        told = self.schema.without_framing(query, described=False)
        expansion = self.lexicon.expand(told) if options.lexicon else Expansion((), (), ())
        focus = self.schema.detect(asked, expansion.families)
        expanded_query = " ".join((query, *expansion.terms))
        mask = self._mask(filters, detection.scope.doc_ids)
        if not query.strip():
            return SearchResult(query, expanded_query, detection.scope, (), detection, focus)
        keyword_scores = self._keyword_scores(query, expansion, options) if options.keyword else None
        query_vector = None
        if options.dense and self.vector_index is not None and self.embedder is not None:
            query_vector = self.embedder.embed_queries([query])[0]
        candidates = self._candidates(keyword_scores, query_vector, mask, options.candidates)
        if not candidates:
            return SearchResult(query, expanded_query, detection.scope, (), detection, focus)
        rows = np.array(sorted(candidates), dtype=np.int64)
        keyword = keyword_scores[rows] if keyword_scores is not None else None
        dense = None
        if query_vector is not None:
            dense = self.vector_index.similarities(query_vector, self._vector_rows[rows])
        fuse = reciprocal_rank_fusion if options.fusion == "rrf" else fuse_scores
        scores = fuse(keyword, dense, options.keyword_weight, options.dense_weight)
        if options.schema_boost:
            scores = scores + self._boosts(rows, focus, options)
        named_cities = {self.documents[doc_id].city for doc_id in detection.scope.doc_ids if doc_id in self.documents}
        cities = len(named_cities) if detection.city_words else 0
        order = self._arrange(rows, scores, focus, cities, detection.across_cities)[:k]
        hits = tuple(self._hit(rank, float(scores[i]), self.chunks[rows[i]]) for rank, i in enumerate(order, 1))
        return SearchResult(query, expanded_query, detection.scope, hits, detection, focus, query_vector)

    def _keyword_scores(self, query: str, expansion: Expansion, options: SearchOptions) -> np.ndarray:
        """BM25 of every chunk (in chunk order) for the question plus its lexicon terms."""
        parts = [(query, 1.0)] + [(term, options.expansion_weight) for term in expansion.terms]
        scores = self.keyword_index.score(parts)
        return scores if self._keyword_rows is None else scores[self._keyword_rows]

    def _candidates(self, keyword_scores: np.ndarray | None, query_vector: np.ndarray | None,
                    mask: np.ndarray, count: int) -> set[int]:
        """Chunk positions among the best ``count`` of each scorer, inside the mask."""
        candidates: set[int] = set()
        if keyword_scores is not None:
            candidates.update(row for row, _ in top_rows(keyword_scores, count, mask))
        if query_vector is not None:
            rows = None if mask.all() else self._vector_rows[np.flatnonzero(mask)]
            found = self.vector_index.search(query_vector, count, rows)
            candidates.update(int(self._vector_to_chunk[row]) for row, _ in found)
        return candidates

    def _mask(self, filters: SearchFilters, scope_doc_ids: tuple[str, ...]) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=bool)
        documents = list(self.documents.values())

        def keep_documents(selected: list[str]) -> None:
            codes = [self._doc_table[doc_id] for doc_id in selected if doc_id in self._doc_table]
            mask[:] &= np.isin(self._doc_codes, codes)

        if filters.cities:
            wanted = {normalize(city) for city in filters.cities}
            codes = [code for city, code in self._city_table.items()
                     if normalize(city) in wanted or normalize(city)[:-1] in wanted]
            mask &= np.isin(self._city_codes, codes)
        if filters.jimu:
            wanted = [normalize(jimu) for jimu in filters.jimu]
            keep_documents([d.doc_id for d in documents if any(jimu in normalize(d.jimu) for jimu in wanted)])
        if filters.kinds:
            wanted = [normalize(kind) for kind in filters.kinds]
            keep_documents([d.doc_id for d in documents if any(kind in normalize(d.kind) for kind in wanted)])
        if filters.doc_ids:
            keep_documents(list(filters.doc_ids))
        if scope_doc_ids and not filters.doc_ids:  # documents chosen by the caller were scoped already
            keep_documents(list(scope_doc_ids))
        if filters.families:
            bits = sum(self._family_bit.get(name, 0) for name in filters.families)
            mask &= (self._family_bits & bits) != 0
        if not filters.include_history:
            mask &= ~self._history
        return mask

    def _boosts(self, rows: np.ndarray, focus: Focus, options: SearchOptions) -> np.ndarray:
        boosts = np.zeros(len(rows))
        family_bits = self._family_bits[rows]
        for rank, name in enumerate(focus.families):
            boosts += options.family_boost / (rank + 1) * ((family_bits & self._family_bit[name]) != 0)
        wanted = {self._field_number[field] for field in focus.fields}
        if wanted:
            boosts += options.field_boost * np.array([not wanted.isdisjoint(self._fields[row]) for row in rows])
        for field, share in focus.related:  # nearly as well cued: a share of the related-field boost
            number = self._field_number[field]
            boosts += options.related_boost * share * np.array(
                [number in self._fields[row] and wanted.isdisjoint(self._fields[row]) for row in rows])
        return boosts

    def _arrange(self, rows: np.ndarray, scores: np.ndarray, focus: Focus, cities: int,
                 across: bool = False, leader_share: float = 0.8) -> list[int]:
        """Candidate positions in hit order: by score, then three adjustments.

        History rows go below current text unless the question asks about changes; a chunk whose
        body repeats a better one of the same document goes below the distinct ones of its kind
        (current or history); when the question names several cities, hits alternate between them.
        When it names none but asks which of them (``across``), each city's best passage scoring at
        least ``leader_share`` of the best goes first, so one city's many similar rows (委託事項1…5)
        do not hide the others.
        """
        demoted = self._history[rows] & (HISTORY_FAMILY not in focus.families)
        seen: set[tuple[str, str]] = set()
        repeated = np.zeros(len(rows), dtype=bool)
        for position in np.lexsort((rows, -scores)):
            chunk = self.chunks[rows[position]]
            key = (chunk.doc_id, chunk.body)
            repeated[position] = key in seen
            seen.add(key)
        order = np.lexsort((rows, -scores, repeated, demoted)).tolist()
        if across and order:
            leaders: dict[str, int] = {}
            floor = leader_share * scores[order[0]]
            for position in order:
                city = self.chunks[rows[position]].city
                if city not in leaders and scores[position] >= floor and not demoted[position]:
                    leaders[city] = position
            chosen = set(leaders.values())
            return list(leaders.values()) + [position for position in order if position not in chosen]
        if cities < 2:
            return order
        queues: dict[str, list[int]] = {}
        for position in order:
            queues.setdefault(self.chunks[rows[position]].city, []).append(position)
        interleaved = []
        while any(queues.values()):
            for queue in queues.values():
                if queue:
                    interleaved.append(queue.pop(0))
        return interleaved

    def _hit(self, rank: int, score: float, chunk: Chunk) -> Hit:
        document = self.documents.get(chunk.doc_id)
        return Hit(rank=rank, score=round(score, 6), doc_id=chunk.doc_id,
                   source=document.source if document else "", city=chunk.city,
                   title=document.title if document else chunk.jimu, kind=chunk.kind,
                   section_path=chunk.section_path, field=chunk.field, text=chunk.text, chunk_id=chunk.chunk_id)
