"""Search at nationwide size: build throughput, index size, peak RAM and query latency.

    python benchmarks/search_scale.py --chunks 300000 --repeat 3  # ~1,200 assessments of ~290 cities
    python benchmarks/search_scale.py --chunks 20000         # quick
    python benchmarks/search_scale.py --chunks 0 --faiss-vectors 4000000   # FAISS alone at 4M

The corpus is synthetic: the sample assessments' chunks (``ingest`` parser + chunker) copied for
invented cities, with the city name, digits and company names varied per copy. Vectors come from
the real 'hash' embedder at 512 dimensions (use-m3's size: embedding 300k chunks with use-m3 takes
about 35 minutes on 2 cores, so its throughput is measured on a sample and extrapolated).
Latencies are medians over ``--runs`` runs of the query set.

Peak RAM is what a user's machine would see, measured per process as the kernel's peak resident
set (VmHWM, which counts pages of memory-mapped index files too), as ``pia`` runs them:

* build — a process that reads every chunk from the SQLite store (as ``rebuild_indexes`` does),
  builds and saves the keyword index, then embeds and writes the vector index (``build_indexes``);
* search — a fresh process that reads every chunk and document from the store (as
  ``open_searcher`` does), opens both indexes and answers the queries.

Each runs in its own child process, so one's memory does not hide the other's; the parent makes the
synthetic corpus and writes the store (its own memory is not reported). use-m3, when timed, runs in a
third process and its model's memory is reported separately.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.embedders import HashEmbedder, create_embedder  # noqa: E402
from assistant.keyword import KeywordIndex, top_rows  # noqa: E402
from assistant.search import SearchOptions, Searcher  # noqa: E402
from assistant.store import Store  # noqa: E402
from assistant.types import Chunk, DocumentInfo  # noqa: E402
from assistant.vectors import VectorIndex  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
NAME_PARTS = "東西南北中上下大小新高川山田本松竹梅桜森林原野沢浜岡島崎宮谷城石橋井坂江戸"
COMPANIES = ("AGS株式会社", "赤坂印刷株式会社", "株式会社 日立システムズ", "株式会社RKKコンピューターサービス",
             "株式会社ベルシステム24", "山口県国民健康保険団体連合会")
QUESTIONS = ("{city}の介護保険で、私の情報は外部の会社に渡されますか", "{city}の滞納整理システムの保守の委託先は",
             "{city}の住民税の情報は、どんな機関に渡されることがあるのですか?", "{city}で自分の情報の開示請求はタダですか",
             "{city}の介護保険の問い合わせ先の電話番号は", "{city}では職員がのぞいたら分かるのですか",
             "委託先の再委託の許諾方法", "保管期間が過ぎた紙の書類はどう処分しますか", "重大事故は発生しましたか",
             "特定個人情報ファイルの記録項目の妥当性")


def memory_gib() -> dict[str, float]:
    """This process's resident memory now (rss, of which anon and file) and its peak (peak), GiB."""
    fields = {"VmRSS": "rss", "VmHWM": "peak", "RssAnon": "anon", "RssFile": "file"}
    found = {}
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            name, _, value = line.partition(":")
            if name in fields:
                found[fields[name]] = int(value.split()[0]) / 1024**2  # kB
    return found


def mapped_gib(directory: Path) -> dict[str, float]:
    """Resident pages of this process's memory-mapped index files, GiB by prefix (keyword, vectors)."""
    found: dict[str, float] = {}
    prefix, current = str(directory.resolve()) + "/", None
    with open("/proc/self/smaps", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line[0] in "0123456789abcdef" and "-" in line.split(" ", 1)[0]:  # a mapping's first line
                path = line.split()[-1]
                current = path[len(prefix):].split("-", 1)[0] if path.startswith(prefix) else None
            elif current and line.startswith("Rss:"):
                found[current] = found.get(current, 0.0) + int(line.split()[1]) / 1024**2
    return found


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


def write_store(count: int, path: Path) -> None:
    """Make the synthetic corpus once and put it into a SQLite store for the child processes.

    Rows are inserted directly (the synthetic chunks have no parsed fields to ``Store.put``); the
    children read them back with ``Store.chunks()`` and ``Store.documents()``, as pia does.
    """
    started = time.perf_counter()
    chunks, documents = synthetic_corpus(count)
    with Store(path) as _:
        pass  # creates the schema
    with closing(sqlite3.connect(path)) as database, database:
        database.executemany(
            "INSERT INTO documents (doc_id, source, sha256, organization, city, number, title, jimu, kind,"
            " published, text) VALUES (?, ?, '', ?, ?, '', ?, ?, ?, ?, '')",
            [(d.doc_id, d.source, d.organization, d.city, d.title, d.jimu, d.kind, d.published) for d in documents])
        database.executemany(
            "INSERT INTO chunks (chunk_id, doc_id, ordinal, city, jimu, kind, section_path, field, text, body,"
            " is_history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.chunk_id, c.doc_id, c.ordinal, c.city, c.jimu, c.kind, c.section_path, c.field, c.text, c.body,
              int(c.is_history)) for c in chunks])
    print(f"corpus: {len(chunks):,} chunks, {len(documents):,} documents, {len({d.city for d in documents}):,} cities, "
          f"average chunk {statistics.mean(len(c.text) for c in chunks):.0f} characters, "
          f"made and stored in {time.perf_counter() - started:.1f}s", flush=True)


def held_corpus(path: Path) -> tuple[list[Chunk], list[DocumentInfo]]:
    """Every chunk and document, read from the store as ``rebuild_indexes``/``open_searcher`` do."""
    with Store(path, create=False) as store:
        chunks, documents = store.chunks(), store.documents()
    memory = memory_gib()
    print(f"  chunks read from the store: RAM {memory['rss']:.2f} GiB (whole process), peak {memory['peak']:.2f} GiB")
    return chunks, documents


def stage_build(directory: Path) -> dict[str, float]:
    """Build and save both indexes the way ``build_indexes`` does, timing each."""
    chunks, _ = held_corpus(directory / CORPUS_NAME)
    ids, texts = [chunk.chunk_id for chunk in chunks], [chunk.text for chunk in chunks]
    started = time.perf_counter()
    keyword_index = KeywordIndex.build(ids, texts)
    keyword_index.save(directory)
    keyword_seconds = time.perf_counter() - started
    keyword_peak = memory_gib()["peak"]
    print(f"  keyword index: built and saved in {keyword_seconds:.1f}s ({len(texts) / keyword_seconds:,.0f} chunks/s), "
          f"{len(keyword_index.terms):,} n-grams, {len(keyword_index.rows):,} postings, "
          f"{directory_mib(directory, 'keyword'):.0f} MiB on disk; peak RAM so far {keyword_peak:.2f} GiB")
    embedder = HashEmbedder(dimension=512)
    started = time.perf_counter()
    vector_index = VectorIndex.build(directory, ids, texts, embedder)
    vector_seconds = time.perf_counter() - started
    print(f"  vector index ({vector_index.manifest.index_type}, 512-d, 'hash' embedder): embedded and written in "
          f"{vector_seconds:.1f}s ({len(texts) / vector_seconds:,.0f} chunks/s), "
          f"{directory_mib(directory, 'vectors'):.0f} MiB on disk (with the embedding cache)")
    memory = memory_gib()
    print(f"  build process peak RAM {memory['peak']:.2f} GiB ({memory['peak'] * 1.073741824:.2f} GB)")
    return {"keyword_build_s": keyword_seconds, "keyword_chunks_per_s": len(texts) / keyword_seconds,
            "keyword_mib": directory_mib(directory, "keyword"), "vector_build_s": vector_seconds,
            "vector_mib": directory_mib(directory, "vectors"), "build_peak_gib": memory["peak"],
            "build_keyword_peak_gib": keyword_peak}


def stage_search(directory: Path, runs: int) -> dict[str, float]:
    """Open the saved indexes in a fresh process and time the queries."""
    chunks, documents = held_corpus(directory / CORPUS_NAME)
    embedder = HashEmbedder(dimension=512)
    started = time.perf_counter()
    searcher = Searcher.open(directory, chunks, documents, embedder)
    print(f"  searcher opened in {time.perf_counter() - started:.1f}s; RAM {memory_gib()['rss']:.2f} GiB")
    keyword_index, vector_index = searcher.keyword_index, searcher.vector_index
    cities = sorted({doc.city for doc in documents})
    queries = [template.format(city=cities[(i * 7) % len(cities)]) for i, template in enumerate(QUESTIONS * 3)]
    query_vectors = {query: embedder.embed_queries([query])[0] for query in queries}
    rows = [
        ("keyword", "keyword index alone (BM25 + top 100)", lambda q: top_rows(keyword_index.score(q), 100)),
        ("vector", "vector index alone (top 100, whole corpus)", lambda q: vector_index.search(query_vectors[q], 100)),
        ("search_keyword", "search: keyword only", lambda q: searcher.search(q, options=SearchOptions(dense=False))),
        ("search_dense", "search: dense only", lambda q: searcher.search(q, options=SearchOptions(keyword=False))),
        ("search_hybrid", "search: hybrid, full (scope, lexicon, schema)", lambda q: searcher.search(q)),
        ("search_hybrid_no_scope", "search: hybrid, no scope (whole corpus)",
         lambda q: searcher.search(q, options=SearchOptions(scope=False))),
    ]
    results = {}
    print(f"  query latency over {len(queries)} questions, median of {runs} runs (p50 / p95 ms):")
    for key, label, function in rows:
        p50, p95 = time_queries(function, queries, runs)
        results[f"{key}_p50_ms"], results[f"{key}_p95_ms"] = p50, p95
        print(f"    {label:<48} {p50:8.1f} / {p95:8.1f}")
    memory, mapped = memory_gib(), mapped_gib(directory)
    print(f"  search process peak RAM {memory['peak']:.2f} GiB; at the end {memory['rss']:.2f} GiB resident: "
          f"{memory['anon']:.2f} GiB anonymous, {memory['file']:.2f} GiB file-backed, of which memory-mapped index "
          f"files {', '.join(f'{name} {gib:.2f}' for name, gib in sorted(mapped.items()))} GiB (pages the OS can drop "
          "and reread from disk)")
    return {**results, "search_peak_gib": memory["peak"], "search_anon_gib": memory["anon"],
            **{f"search_mapped_{name}_gib": gib for name, gib in mapped.items()}}


def stage_use_m3(count: int, sample: int) -> dict[str, float]:
    """use-m3's embedding throughput on a sample, and its process's peak RAM."""
    texts = [chunk.text for chunk in sample_chunks()[0][:sample]]
    use_m3 = create_embedder("use-m3")
    use_m3.embed_passages(["warm up"])
    started = time.perf_counter()
    use_m3.embed_passages(texts)
    rate = len(texts) / (time.perf_counter() - started)
    peak = memory_gib()["peak"]
    print(f"  embedding 'use-m3': {rate:,.1f} chunks/s -> {count / rate / 60:,.0f} min for {count:,} chunks; "
          f"its process's peak RAM {peak:.2f} GiB (model included)")
    return {"use_m3_chunks_per_s": rate, "use_m3_peak_gib": peak}


STAGES = {"build": stage_build, "search": stage_search, "use-m3": stage_use_m3}
RESULT_MARK = "RESULT "
CORPUS_NAME = "pia.sqlite3"  # the store, written by the parent into the index directory


def run_stage(name: str, args: argparse.Namespace, directory: Path) -> dict[str, float]:
    """Run one stage in a child process (its own peak RAM); returns the figures it reports."""
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--dir", str(directory),
               "--chunks", str(args.chunks), "--runs", str(args.runs), "--use-m3-sample", str(args.use_m3_sample)]
    print(f"[{name} process]", flush=True)
    child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    results = {}
    for line in child.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            results = json.loads(line[len(RESULT_MARK):])
        else:
            print(line, flush=True)
    return results


def bench_search(args: argparse.Namespace) -> None:
    """Build, then search, in child processes; with --repeat, print the medians of the figures."""
    rounds = []
    for repeat in range(args.repeat):
        if args.repeat > 1:
            print(f"=== round {repeat + 1} of {args.repeat}")
        with tempfile.TemporaryDirectory() as name:
            write_store(args.chunks, Path(name) / CORPUS_NAME)
            figures = {**run_stage("build", args, Path(name)), **run_stage("search", args, Path(name))}
        rounds.append(figures)
    if args.use_m3_sample:
        run_stage("use-m3", args, Path(tempfile.gettempdir()))
    if args.repeat > 1:
        print(f"=== medians of {args.repeat} rounds")
        for key in rounds[0]:
            values = [figures[key] for figures in rounds]
            print(f"  {key:<32} {statistics.median(values):10.2f}   ({', '.join(f'{v:.2f}' for v in values)})")


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
          f"peak RAM {memory_gib()['peak']:.2f} GiB")
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
    parser.add_argument("--runs", type=int, default=3, help="runs of the query set per round")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of build + search; medians are printed")
    parser.add_argument("--use-m3-sample", type=int, default=200, help="chunks embedded with use-m3 to time it")
    parser.add_argument("--faiss-vectors", type=int, default=0, help="also time FAISS alone at this size, e.g. 4000000")
    parser.add_argument("--faiss-lists", type=int, default=2048)
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)  # a child process's part
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "build":
        print(RESULT_MARK + json.dumps(stage_build(args.dir)))
    elif args.stage == "search":
        print(RESULT_MARK + json.dumps(stage_search(args.dir, args.runs)))
    elif args.stage == "use-m3":
        print(RESULT_MARK + json.dumps(stage_use_m3(args.chunks, args.use_m3_sample)))
    else:
        if args.chunks:
            bench_search(args)
        if args.faiss_vectors:
            bench_faiss(args.faiss_vectors, args.runs, args.faiss_lists, (8, 32))


if __name__ == "__main__":
    main()
