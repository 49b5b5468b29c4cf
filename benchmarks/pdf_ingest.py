"""PDF read time per sample: each sample text laid out as a form PDF, then read back into rows.

    python benchmarks/pdf_ingest.py [--runs 3] [SAMPLE.txt ...]

Prints pages, characters, rows, the median read time over runs, and the time per page. The PDFs
are made with tests/fixtures/pdf_maker.py (reportlab, built-in Japanese CID font); making them is
timed once and not counted in the read time. Peak memory is the Python heap (tracemalloc) of one read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from ingest.pdf import read_pdf_rows  # noqa: E402
from tests.fixtures.pdf_maker import make_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("samples", nargs="*", type=Path)
    args = parser.parse_args()
    samples = args.samples or sorted((ROOT / "data" / "samples").glob("*.txt"))

    print(f"{'sample':40} {'pages':>5} {'chars':>7} {'rows':>5} {'make s':>7} {'read s':>7} "
          f"{'ms/page':>7} {'peak MiB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for sample in samples:
            path = Path(folder) / f"{sample.stem}.pdf"
            started = time.perf_counter()
            make_pdf(sample.read_text(encoding="utf-8"), path)
            made = time.perf_counter() - started
            data = path.read_bytes()
            with pdfplumber.open(path) as pdf:
                pages = len(pdf.pages)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                rows = read_pdf_rows(path, data)
                times.append(time.perf_counter() - started)
            tracemalloc.start()
            read_pdf_rows(path, data)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            read = statistics.median(times)
            chars = sum(len(cell) for row in rows for cell in row)
            print(f"{sample.stem:40} {pages:5d} {chars:7d} {len(rows):5d} {made:7.2f} {read:7.2f} "
                  f"{1000 * read / pages:7.0f} {peak:8.1f}")


if __name__ == "__main__":
    main()
