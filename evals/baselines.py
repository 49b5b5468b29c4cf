"""The systems compared in one evaluation run: baselines, the full pipeline and its ablations.

Each system is a callable ``question -> SystemOutput(hits, answer | None)``. Search-only systems
return no answer, so only retrieval metrics apply to them. All systems share one searcher (one
set of loaded indexes), and the tutorial pipeline is built in memory once per run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from assistant.config import Settings
from assistant.types import Answer, Citation, Hit, Scope
from evals.questions import Question


class SystemOutput(NamedTuple):
    hits: tuple[Hit, ...]
    answer: Answer | None


System = Callable[[Question], SystemOutput]


@dataclass(frozen=True)
class SystemSpec:
    name: str
    description: str
    answers: bool  # gives an Answer (answer metrics apply) or hits only


SPECS = {spec.name: spec for spec in (
    SystemSpec("keyword", "keyword search only (no dense, lexicon, schema boost, scope)", False),
    SystemSpec("dense", "dense (embedding) search only", False),
    SystemSpec("hybrid", "keyword + dense fused; no lexicon, schema boost or scope", False),
    SystemSpec("search", "the full search (hybrid + lexicon + schema boost + scope), hits only", False),
    SystemSpec("full", "the full pipeline: the answerer, scored on its answer and its hits", True),
    SystemSpec("tutorial", "RecursiveCharacterTextSplitter 500/50 + FAISS + same embedder, "
                           "answer = top chunk", True),
    SystemSpec("no_header", "full search, keyword index over chunk bodies (no section header)", False),
    SystemSpec("no_lexicon", "full search without the everyday-word lexicon", False),
    SystemSpec("no_schema", "full search without the form-schema boost", False),
    SystemSpec("no_scope", "full search without city/事務 scope detection", False),
)}
BASELINES = ("keyword", "dense", "hybrid", "search", "full", "tutorial")
# ablation system -> the part it removes from the full search ("what each part adds")
ABLATIONS = {"no_header": "section header", "no_lexicon": "lexicon", "no_schema": "schema boost",
             "no_scope": "scope detection"}
ALL_SYSTEMS = BASELINES + tuple(ABLATIONS)

_SEARCH_OPTIONS = {
    "keyword": dict(keyword=True, dense=False, lexicon=False, schema_boost=False, scope=False),
    "dense": dict(keyword=False, dense=True, lexicon=False, schema_boost=False, scope=False),
    "hybrid": dict(keyword=True, dense=True, lexicon=False, schema_boost=False, scope=False),
    "search": {},
    "no_lexicon": dict(lexicon=False),
    "no_schema": dict(schema_boost=False),
    "no_scope": dict(scope=False),
}


def search_system(searcher, options, k: int = 10) -> System:
    def run(question: Question) -> SystemOutput:
        return SystemOutput(tuple(searcher.search(question.question, k=k, options=options).hits), None)

    return run


def answerer_system(answerer) -> System:
    def run(question: Question) -> SystemOutput:
        answer = answerer.ask(question.question, persona=question.persona)
        return SystemOutput(tuple(answer.hits), answer)

    return run


def _unit(vectors):
    """Rows scaled to unit length, so inner product is cosine whatever the embedder returns."""
    import numpy as np

    vectors = np.ascontiguousarray(vectors, dtype="float32")
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


class TutorialPipeline:
    """What a LangChain tutorial builds: fixed-size character chunks of each document's text,
    a flat inner-product FAISS index of their embeddings, and the top chunk as the answer."""

    def __init__(self, documents: Sequence[tuple[object, str]], embedder,
                 chunk_size: int = 500, chunk_overlap: int = 50):
        import faiss
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
        self.embedder = embedder
        self.pieces: list[Hit] = []
        for info, text in documents:  # info: a DocumentInfo
            for number, piece in enumerate(splitter.split_text(text)):
                self.pieces.append(Hit(rank=0, score=0.0, doc_id=info.doc_id, source=info.source,
                                       city=info.city, title=info.title, kind=info.kind,
                                       section_path="", field="", text=piece,
                                       chunk_id=f"tutorial:{info.doc_id}:{number:04d}"))
        vectors = _unit(embedder.embed_passages([hit.text for hit in self.pieces]))
        self.index = faiss.IndexFlatIP(embedder.dimension)
        if len(vectors):
            self.index.add(vectors)

    def search(self, query: str, k: int = 10) -> tuple[Hit, ...]:
        if not self.pieces:
            return ()
        scores, ids = self.index.search(_unit(self.embedder.embed_queries([query])), min(k, len(self.pieces)))
        return tuple(
            Hit(**{**self.pieces[i].to_json(), "rank": rank, "score": float(score)})
            for rank, (score, i) in enumerate(zip(scores[0], ids[0]), start=1) if i >= 0
        )

    def __call__(self, question: Question) -> SystemOutput:
        hits = self.search(question.question)
        if not hits:
            answer = Answer("", True, "no passages", (), (), "extractive", Scope(), question.question)
            return SystemOutput(hits, answer)
        top = hits[0]
        citation = Citation(n=1, doc_id=top.doc_id, source=top.source, city=top.city, title=top.title,
                            section_path="", field="", quote=top.text, chunk_id=top.chunk_id)
        answer = Answer(answer=top.text, refused=False, reason=None, citations=(citation,), hits=hits,
                        mode="extractive", scope=Scope(), query=question.question,
                        persona=question.persona)
        return SystemOutput(hits, answer)


class QueryVectorCache:
    """An embedder wrapper that embeds each query text once per run: ten systems ask the same
    211 questions, and the query embedding is most of a search's time. Vectors are those of
    the wrapped embedder called the same way, so scores do not change."""

    def __init__(self, embedder) -> None:
        self.inner = embedder
        self._vectors: dict[str, object] = {}

    def embed_queries(self, texts):
        import numpy as np

        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        for text in missing:  # one at a time, exactly as the searcher would have asked
            self._vectors[text] = self.inner.embed_queries([text])[0]
        return np.stack([self._vectors[text] for text in texts]) if texts else self.inner.embed_queries([])

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def without_header(searcher):
    """The same searcher, its keyword index rebuilt in memory over chunk bodies (no header line).

    The vector index is shared: the ablation measures the header's worth for keyword search."""
    from assistant.keyword import KeywordIndex
    from assistant.search import Searcher

    chunks = searcher.chunks
    body_index = KeywordIndex.build([c.chunk_id for c in chunks], [c.body for c in chunks])
    return Searcher(chunks, list(searcher.documents.values()), searcher.embedder, body_index,
                    searcher.vector_index, lexicon=searcher.lexicon, schema=searcher.schema)


class Lineup(NamedTuple):
    """The systems of one run and what it cost to set them up."""

    systems: dict[str, System]
    setup_seconds: dict[str, float]  # per system (the shared searcher is counted under "open")
    query_embedding_ms: float | None  # mean time to embed one question, paid once before the runs


def build_systems(names: Sequence[str], settings: Settings, store, queries: Sequence[str] = ()) -> Lineup:
    """The named systems over one opened index, sharing one searcher; unknown names raise KeyError.

    ``queries`` are embedded before any system runs, so each system's latency is its own work and
    not whether it happened to be the first to embed a question."""
    for name in names:
        if name not in SPECS:
            raise KeyError(f"unknown system {name!r}; known: {', '.join(ALL_SYSTEMS)}")
    from assistant.answering import open_answerer
    from assistant.search import SearchOptions

    started = time.perf_counter()
    answerer = open_answerer(settings)
    searcher = answerer.searcher
    setup = {"open": time.perf_counter() - started}
    query_ms = None
    if searcher.embedder is not None:  # shared by every system below, the answerer's included
        searcher.embedder = QueryVectorCache(searcher.embedder)
        unique = list(dict.fromkeys(queries))
        started = time.perf_counter()
        searcher.embedder.embed_queries(unique)
        query_ms = (time.perf_counter() - started) * 1000 / len(unique) if unique else None
    systems: dict[str, System] = {}
    for name in names:
        started = time.perf_counter()
        if name == "full":
            systems[name] = answerer_system(answerer)
        elif name == "tutorial":
            documents = [(info, store.document_text(info.doc_id) or "") for info in store.documents()]
            embedder = searcher.embedder  # the index's own model: the comparison is of pipelines
            if embedder is None:  # a keyword-only index
                from assistant.embedders import create_embedder

                embedder = create_embedder(settings.embedder or "use-m3")
            systems[name] = TutorialPipeline(documents, embedder)
        elif name == "no_header":
            systems[name] = search_system(without_header(searcher), SearchOptions())
        else:
            systems[name] = search_system(searcher, SearchOptions(**_SEARCH_OPTIONS[name]))
        setup[name] = time.perf_counter() - started
    return Lineup(systems, setup, query_ms)
