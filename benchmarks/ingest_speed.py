"""Ingest time per document (read + parse + chunk + store into a fresh SQLite file).

    python benchmarks/ingest_speed.py [--runs 5] [--budget 5] [PATH ...]

Prints the median over runs for each document and for the whole batch, and exits 1 when the batch
median is over the budget (5 s for the four samples, embedding excluded). Index building
(embeddings, FAISS, BM25) is measured separately in benchmarks/search_scale.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from ingest.chunking import chunk_assessment  # noqa: E402
from ingest.form import parse_assessment  # noqa: E402
from ingest.pipeline import expand_paths  # noqa: E402
from ingest.readers import read_source  # noqa: E402


def one_run(paths: list[Path]) -> dict[str, dict[str, float]]:
    timings: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(index_dir=Path(directory))
        with Store(settings.database_path) as store:
            for path in paths:
                t0 = time.perf_counter()
                source = read_source(path, settings.max_file_bytes)
                t1 = time.perf_counter()
                assessment = parse_assessment(source)
                t2 = time.perf_counter()
                chunks = chunk_assessment(assessment)
                t3 = time.perf_counter()
                store.put(assessment, chunks)
                t4 = time.perf_counter()
                timings[path.name] = {"read": t1 - t0, "parse": t2 - t1, "chunk": t3 - t2,
                                      "store": t4 - t3, "total": t4 - t0, "chunks": len(chunks),
                                      "fields": len(assessment.fields)}
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "samples")])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=5.0, help="seconds allowed for the whole batch")
    args = parser.parse_args()
    paths = list(expand_paths(args.paths))
    runs = [one_run(paths) for _ in range(args.runs)]
    print(f"ingest (read+parse+chunk+store), median of {args.runs} runs")
    print(f"{'document':45} {'fields':>6} {'chunks':>6} {'parse ms':>9} {'total ms':>9}")
    for path in paths:
        name = path.name
        parse = statistics.median(r[name]["parse"] for r in runs) * 1000
        total = statistics.median(r[name]["total"] for r in runs) * 1000
        print(f"{name:45} {runs[0][name]['fields']:6d} {runs[0][name]['chunks']:6d} {parse:9.1f} {total:9.1f}")
    batch = statistics.median(sum(d["total"] for d in r.values()) for r in runs)
    print(f"all {len(paths)} documents: {batch * 1000:.1f} ms (median)")
    within = batch < args.budget
    print(f"budget {args.budget:.1f} s for the batch: {'ok' if within else 'EXCEEDED'}")
    if not within:
        sys.exit(1)


if __name__ == "__main__":
    main()
