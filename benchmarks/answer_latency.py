"""Extractive answer latency over a question set on an index of the sample corpus.

    python benchmarks/answer_latency.py [--index DIR] [--runs 3] [QSET ...]

Builds a temporary index of data/samples unless --index is given; prints p50/p95 per run and the
median over runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering import open_answerer  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.indexes import open_searcher, rebuild_indexes  # noqa: E402
from assistant.store import Store  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("qsets", nargs="*", default=[str(ROOT / "evals" / "questions" / "dev.jsonl"),
                                                     str(ROOT / "evals" / "questions" / "test.jsonl")])
    parser.add_argument("--index")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for path in args.qsets
                 for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings.from_env(index_dir=args.index or directory)
        if not args.index:
            with Store(settings.database_path) as store:
                ingest_paths(store, [ROOT / "data" / "samples"], settings)
                rebuild_indexes(settings, store, progress=False)
        answerer = open_answerer(settings)
        searcher = open_searcher(settings)
        answerer.ask(questions[0])  # warm caches
        p50s, p95s, s50s, s95s = [], [], [], []
        for run in range(args.runs):
            answer_times, search_times = [], []
            for question in questions:
                t0 = time.perf_counter()
                searcher.search(question, k=10)
                t1 = time.perf_counter()
                answerer.ask(question)
                t2 = time.perf_counter()
                search_times.append((t1 - t0) * 1000)
                answer_times.append((t2 - t1) * 1000)
            p50s.append(percentile(answer_times, 0.5))
            p95s.append(percentile(answer_times, 0.95))
            s50s.append(percentile(search_times, 0.5))
            s95s.append(percentile(search_times, 0.95))
            print(f"run {run + 1}: search p50 {s50s[-1]:.1f} ms p95 {s95s[-1]:.1f} ms; "
                  f"answer p50 {p50s[-1]:.1f} ms p95 {p95s[-1]:.1f} ms ({len(questions)} questions)")
        print(f"median of {args.runs} runs: search p50 {statistics.median(s50s):.1f} ms, "
              f"p95 {statistics.median(s95s):.1f} ms; answer p50 {statistics.median(p50s):.1f} ms, "
              f"p95 {statistics.median(p95s):.1f} ms")


if __name__ == "__main__":
    main()
