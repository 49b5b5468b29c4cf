"""Search at nationwide size: build throughput, index size, peak RAM and query latency.

    python benchmarks/search_scale.py --chunks 300000        # ~1,200 assessments of ~290 cities
    python benchmarks/search_scale.py --chunks 20000         # quick
    python benchmarks/search_scale.py --chunks 0 --faiss-vectors 4000000   # FAISS alone at 4M

The corpus is synthetic: the sample assessments' chunks (``ingest`` parser + chunker) copied for
invented cities, with the city name, digits and company names varied per copy. Stored vectors are
random unit vectors of dimension 512 (use-m3's size: embedding 300k chunks with use-m3 takes
about 35 minutes on 2 cores, so its throughput is measured on a sample and extrapolated); queries
are embedded with the real 'hash' embedder at 512 dimensions. Latencies are medians over ``--runs``
runs of the query set.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.embedders import HashEmbedder, create_embedder  # noqa: E402
from assistant.keyword import KeywordIndex, top_rows  # noqa: E402
from assistant.search import SearchOptions, Searcher  # noqa: E402
from assistant.types import Chunk, DocumentInfo  # noqa: E402
from assistant.vectors import VectorIndex, text_hashes  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
NAME_PARTS = "東西南北中上下大小新高川山田本松竹梅桜森林原野沢浜岡島崎宮谷城石橋井坂江戸"
COMPANIES = ("AGS株式会社", "赤坂印刷株式会社", "株式会社 日立システムズ", "株式会社RKKコンピューターサービス",
             "株式会社ベルシステム24", "山口県国民健康保険団体連合会")
QUESTIONS = ("{city}の介護保険で、私の情報は外部の会社に渡されますか", "{city}の滞納整理システムの保守の委託先は",
             "{city}の住民税の情報は、どんな機関に渡されることがあるのですか?", "{city}で自分の情報の開示請求はタダですか",
             "{city}の介護保険の問い合わせ先の電話番号は", "{city}では職員がのぞいたら分かるのですか",
             "委託先の再委託の許諾方法", "保管期間が過ぎた紙の書類はどう処分しますか", "重大事故は発生しましたか",
             "特定個人情報ファイルの記録項目の妥当性")


def peak_ram_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # ru_maxrss is KiB on Linux


def directory_mib(directory: Path, prefix: str) -> float:
    return sum(path.stat().st_size for path in directory.glob(f"{prefix}*")) / 1024**2


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return (1000 * ordered[len(ordered) // 2], 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))])


def sample_chunks() -> tuple[list[Chunk], list[DocumentInfo]]:
    from ingest.chunking import chunk_assessment
    from ingest.form import parse_assessment
    from ingest.readers import read_source

    chunks, documents = [], []
    for path in sorted(SAMPLES.glob("*.txt")):
        assessment = parse_assessment(read_source(path, 50 * 1024 * 1024))
        documents.append(DocumentInfo(assessment.doc_id, assessment.source, assessment.city, assessment.organization,
                                      assessment.title, assessment.jimu, assessment.kind, assessment.published))
        chunks.extend(chunk_assessment(assessment))
    return chunks, documents


def city_name(number: int) -> str:
    """A distinct invented municipality name per number: 0 -> '東西市'."""
    size = len(NAME_PARTS)
    third = NAME_PARTS[(number // size**2) % size] if number >= size**2 else ""
    return NAME_PARTS[number % size] + NAME_PARTS[(number // size) % size] + third + "市"


def synthetic_corpus(target: int) -> tuple[list[Chunk], list[DocumentInfo]]:
    base_chunks, base_documents = sample_chunks()
    copies = math.ceil(target / len(base_chunks))
    stems = {doc.city: doc.city.removesuffix("市") for doc in base_documents}
    chunks, documents = [], []
    for copy in range(copies):
        city = city_name(copy)
        rng = random.Random(copy)
        digits = str.maketrans("0123456789", "".join(rng.sample("0123456789", 10)))
        companies = {name: f"{name[:-4] if name.endswith('株式会社') else name}{copy}" for name in COMPANIES}

        def vary(text: str, original_city: str) -> str:
            text = text.replace(original_city, city).replace(stems[original_city], city[:-1])
            text = re.sub(r"\d+", lambda match: match.group().translate(digits), text)
            for name, new_name in companies.items():
                text = text.replace(name, new_name)
            return text

        for doc in base_documents:
            documents.append(replace(doc, doc_id=f"{doc.doc_id}-{copy}", city=city,
                                     organization=city + "長", source=f"{doc.doc_id}-{copy}.txt"))
        for chunk in base_chunks:
            chunks.append(replace(chunk, chunk_id=f"{chunk.chunk_id}-{copy}", doc_id=f"{chunk.doc_id}-{copy}",
                                  city=city, text=vary(chunk.text, chunk.city), body=vary(chunk.body, chunk.city)))
            if len(chunks) == target:
                return chunks, documents
    return chunks, documents


def time_queries(function, queries: list[str], runs: int) -> tuple[float, float]:
    gc.collect()
    function(queries[0])  # warm up
    p50s, p95s = [], []
    for _ in range(runs):
        times = []
        for query in queries:
            started = time.perf_counter()
            function(query)
            times.append(time.perf_counter() - started)
        p50, p95 = percentiles(times)
        p50s.append(p50)
        p95s.append(p95)
    return statistics.median(p50s), statistics.median(p95s)


def bench_search(count: int, runs: int, use_m3_sample: int) -> None:
    started = time.perf_counter()
    chunks, documents = synthetic_corpus(count)
    print(f"corpus: {len(chunks):,} chunks, {len(documents):,} documents, "
          f"{len({d.city for d in documents}):,} cities, made in {time.perf_counter() - started:.1f}s")
    texts, ids = [chunk.text for chunk in chunks], [chunk.chunk_id for chunk in chunks]
    print(f"  average chunk {statistics.mean(map(len, texts)):.0f} characters")
    embedder = HashEmbedder(dimension=512)
    sample = texts[: min(len(texts), 5000)]
    started = time.perf_counter()
    embedder.embed_passages(sample)
    print(f"embedding 'hash' (512-d): {len(sample) / (time.perf_counter() - started):,.0f} chunks/s")
    if use_m3_sample:
        use_m3 = create_embedder("use-m3")
        use_m3.embed_passages(["warm up"])
        started = time.perf_counter()
        use_m3.embed_passages(texts[:use_m3_sample])
        rate = use_m3_sample / (time.perf_counter() - started)
        print(f"embedding 'use-m3': {rate:,.1f} chunks/s -> {len(texts) / rate / 60:,.0f} min for this corpus")
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        started = time.perf_counter()
        keyword_index = KeywordIndex.build(ids, texts)
        build_seconds = time.perf_counter() - started
        keyword_index.save(directory)
        print(f"keyword index: built in {build_seconds:.1f}s ({len(texts) / build_seconds:,.0f} chunks/s), "
              f"{len(keyword_index.terms):,} n-grams, {len(keyword_index.rows):,} postings, "
              f"{directory_mib(directory, 'keyword'):.0f} MiB on disk; peak RAM {peak_ram_gib():.2f} GiB")
        vectors = np.random.default_rng(0).standard_normal((len(texts), 512), dtype=np.float32)
        started = time.perf_counter()
        vector_index = VectorIndex.write(directory, ids, vectors, text_hashes(texts), embedder.model_id, True)
        build_seconds = time.perf_counter() - started
        del vectors
        print(f"vector index ({vector_index.manifest.index_type}, 512-d): written in {build_seconds:.1f}s "
              f"({len(texts) / build_seconds:,.0f} vectors/s), {directory_mib(directory, 'vectors'):.0f} MiB on disk "
              f"(with the embedding cache); peak RAM {peak_ram_gib():.2f} GiB")
        started = time.perf_counter()
        searcher = Searcher.open(directory, chunks, documents, embedder)
        print(f"searcher opened in {time.perf_counter() - started:.1f}s; peak RAM {peak_ram_gib():.2f} GiB")
        cities = sorted({doc.city for doc in documents})
        queries = [template.format(city=cities[(i * 7) % len(cities)])
                   for i, template in enumerate(QUESTIONS * 3)]
        query_vectors = {query: embedder.embed_queries([query])[0] for query in queries}
        rows = [
            ("keyword index alone (BM25 + top 100)", lambda q: top_rows(keyword_index.score(q), 100)),
            ("vector index alone (top 100, whole corpus)", lambda q: vector_index.search(query_vectors[q], 100)),
            ("search: keyword only", lambda q: searcher.search(q, options=SearchOptions(dense=False))),
            ("search: dense only", lambda q: searcher.search(q, options=SearchOptions(keyword=False))),
            ("search: hybrid, full (scope, lexicon, schema)", lambda q: searcher.search(q)),
            ("search: hybrid, no scope (whole corpus)",
             lambda q: searcher.search(q, options=SearchOptions(scope=False))),
        ]
        print(f"query latency over {len(queries)} questions, median of {runs} runs (p50 / p95 ms):")
        for label, function in rows:
            p50, p95 = time_queries(function, queries, runs)
            print(f"  {label:<48} {p50:8.1f} / {p95:8.1f}")
        print(f"peak RAM {peak_ram_gib():.2f} GiB")


def bench_faiss(count: int, runs: int, lists: int, nprobes: tuple[int, ...]) -> None:
    """FAISS alone: IVF-PQ (64 bytes a vector) over random unit vectors, added in batches."""
    import faiss

    dimension, batch, rng = 512, 200_000, np.random.default_rng(1)

    def unit(n: int) -> np.ndarray:
        vectors = rng.standard_normal((n, dimension), dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    print(f"FAISS alone: {count:,} random unit vectors, dimension {dimension}; a flat index would hold "
          f"{count * dimension * 4 / 1024**3:.1f} GiB, so IVF{lists},PQ64 (64 bytes a vector) is used")
    index = faiss.IndexIVFPQ(faiss.IndexFlatIP(dimension), dimension, lists, 64, 8, faiss.METRIC_INNER_PRODUCT)
    started = time.perf_counter()
    index.train(unit(min(count, 64 * lists)))
    print(f"  trained in {time.perf_counter() - started:.0f}s")
    started = time.perf_counter()
    for start in range(0, count, batch):
        index.add(unit(min(batch, count - start)))
    seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "ivfpq.faiss"
        faiss.write_index(index, str(path))
        size = path.stat().st_size / 1024**2
    print(f"  added in {seconds:.0f}s ({count / seconds:,.0f} vectors/s); {size:,.0f} MiB on disk; "
          f"peak RAM {peak_ram_gib():.2f} GiB")
    queries = unit(200)
    for nprobe in nprobes:
        index.nprobe = nprobe
        p50s, p95s = [], []
        for _ in range(runs):
            times = []
            for query in queries:
                started = time.perf_counter()
                index.search(query[None, :], 10)
                times.append(time.perf_counter() - started)
            p50, p95 = percentiles(times)
            p50s.append(p50)
            p95s.append(p95)
        print(f"  nprobe {nprobe:>3}: p50 {statistics.median(p50s):.1f} ms, p95 {statistics.median(p95s):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=300_000, help="synthetic corpus size (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--use-m3-sample", type=int, default=200, help="chunks embedded with use-m3 to time it")
    parser.add_argument("--faiss-vectors", type=int, default=0, help="also time FAISS alone at this size, e.g. 4000000")
    parser.add_argument("--faiss-lists", type=int, default=2048)
    args = parser.parse_args()
    if args.chunks:
        bench_search(args.chunks, args.runs, args.use_m3_sample)
    if args.faiss_vectors:
        bench_faiss(args.faiss_vectors, args.runs, args.faiss_lists, (8, 32))


if __name__ == "__main__":
    main()
